"""Webhooks: what may be registered, and the signed deliveries a change to the shop makes.

Lightspeed POSTs the changed resource to each matching webhook's ``address`` (ecom-api.md §10):
the usual envelope (``{"product": {…}}``, as ``GET /products/{id}.json`` shows it) in the webhook's
language and format, with the headers ``X-Shop-Id``, ``X-Cluster-Id``, ``X-Event``
(``products/updated``), ``X-Format``, ``X-Language``, ``X-Request-Id`` and ``X-Signature`` =
``md5(raw body + secret)`` as a hex digest; product events also carry ``X-Product-Id``. The secret
is the API secret of the key that registered the webhook (a private key's; the emulator accepts
any key unless it was started with one).

The emulator delivers only to this machine: an address whose host is not ``localhost``,
127.0.0.0/8 or ``::1`` is refused when it is registered, and checked again before each delivery
(:mod:`ecomgit.emulator.outbox`). Only ``products`` and ``variants`` events are ever delivered; the
other groups can be registered and are never fired.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from ecomgit import jsonfast
from ecomgit.emulator import render
from ecomgit.emulator.changes import Change
from ecomgit.emulator.model import Product, Webhook
from ecomgit.emulator.store import Shop
from ecomgit.emulator.view import View
from ecomgit.emulator.wsgi import HttpError

ITEM_GROUPS = (
    "customers",
    "orders",
    "invoices",
    "shipments",
    "products",
    "variants",
    "quotes",
    "reviews",
    "returns",
    "tickets",
    "subscriptions",
    "contacts",
)
ACTIONS = ("created", "updated", "deleted", "*")
_ORDER_ACTIONS = ("paid", "shipped", "answered")
_ORDER_GROUPS = ("orders", "invoices", "shipments", "quotes", "returns", "tickets")
FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "application/xml; charset=utf-8"}
LOOPBACK_NAMES = ("localhost",)


def actions_of(group: str) -> tuple[str, ...]:
    """The ``itemAction`` values a group accepts; order-type groups also have paid, shipped, answered."""
    return ACTIONS + _ORDER_ACTIONS if group in _ORDER_GROUPS else ACTIONS


def loopback_address(address: str) -> str:
    """``address`` when it is an http(s) URL on this machine; else a 400 saying why."""
    try:
        parts = urlsplit(address.strip())
        host = parts.hostname
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        host, parts = None, urlsplit("")
    if parts.scheme not in ("http", "https") or not host:
        raise HttpError(400, f"Invalid value for 'address': {address!r} (an http:// or https:// URL).")
    if not is_loopback(host):
        raise HttpError(
            400,
            f"Invalid value for 'address': the emulator delivers webhooks only to this machine "
            f"(localhost, 127.0.0.0/8 or [::1]), not to {host!r}; use e.g. http://127.0.0.1:8000/hooks.",
        )
    return address.strip()


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class Delivery:
    """One POST to make: where, what, and the event it tells of."""

    webhook_id: int
    address: str
    event: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)


def signature(body: bytes, secret: str) -> str:
    """``X-Signature``: the md5 hex digest of the raw body followed by the secret."""
    return hashlib.md5(body + secret.encode(), usedforsecurity=False).hexdigest()


def matches(webhook: Webhook, change: Change) -> bool:
    return webhook.is_active and webhook.item_group == change.group and webhook.item_action in ("*", change.action)


class Deliveries:
    """Turns changes into deliveries; numbers them (``X-Request-Id``) across the app's life."""

    def __init__(self) -> None:
        self._sequence = 0

    def make(self, shop: Shop, changes: Iterable[Change], root: str) -> list[Delivery]:
        """The deliveries for ``changes`` to the shop's active, matching webhooks, in order.

        ``root`` (``http://127.0.0.1:8123``) is the base of the links in the rendered records.
        """
        made: list[Delivery] = []
        bodies: dict[tuple[int, str, str], bytes] = {}  # one rendering per record, language and format
        for change in changes:
            for webhook in shop.webhooks.values():
                if not matches(webhook, change):
                    continue
                lang = webhook.language if shop.language(webhook.language) else shop.default_language
                key = (id(change), lang, webhook.format)
                if key not in bodies:
                    bodies[key] = _body(View(shop, lang, root), change, webhook.format)
                made.append(self._delivery(shop, webhook, change, lang, bodies[key]))
        return made

    def _delivery(self, shop: Shop, webhook: Webhook, change: Change, lang: str, body: bytes) -> Delivery:
        self._sequence += 1
        headers = [
            ("Content-Type", CONTENT_TYPES[webhook.format]),
            ("X-Shop-Id", str(shop.info.id)),
            ("X-Cluster-Id", "us1" if shop.info.currency == "USD" else "eu1"),
            ("X-Event", change.event),
            ("X-Format", webhook.format),
            ("X-Language", lang),
            ("X-Request-Id", f"emulator-{shop.info.id}-{self._sequence}"),
            ("X-Signature", signature(body, webhook.secret)),
        ]
        if change.group == "products":
            headers.append(("X-Product-Id", str(change.record.id)))
        return Delivery(webhook.id, webhook.address, change.event, tuple(headers), body)


def _body(view: View, change: Change, fmt: str) -> bytes:
    record = change.record
    if isinstance(record, Product):
        name, obj = "product", render.product(view, record)
    else:
        name, obj = "variant", render.variant(view, record)
    if fmt == "xml":
        return xml_document(name, obj)
    return jsonfast.dumps({name: obj})


def xml_document(name: str, value: Any) -> bytes:
    """``{"product": {…}}`` as XML: an element per key, ``true``/``false``, list items as ``<item>``."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + _element(name, value)).encode()


def _element(name: str, value: Any) -> str:
    if isinstance(value, dict):
        inner = "".join(_element(str(key), item) for key, item in value.items())
    elif isinstance(value, list):
        inner = "".join(_element("item", item) for item in value)
    elif isinstance(value, bool):
        inner = "true" if value else "false"
    elif value is None:
        inner = ""
    else:
        inner = escape(str(value))
    return f"<{name}>{inner}</{name}>"
