"""``/webhooks``: register, list, count, get, update and delete webhooks, as ``webhook.json`` shows.

A webhook may only point at this machine (:func:`ecomgit.emulator.webhooks.loopback_address`),
and a shop has at most ``maxWebhooks`` of them (``/shop/limits.json``).
"""

from __future__ import annotations

from collections.abc import Iterable

from ecomgit.emulator.inputs import boolean, choice, text
from ecomgit.emulator.model import Webhook
from ecomgit.emulator.resources.base import Ctx, Obj, Owner, Resource
from ecomgit.emulator.resources.shopinfo import SHOP_LIMITS
from ecomgit.emulator.timefmt import iso
from ecomgit.emulator.webhooks import FORMATS, ITEM_GROUPS, actions_of, loopback_address
from ecomgit.emulator.wsgi import HttpError

_REQUIRED = ("itemGroup", "itemAction", "format", "address")


class Webhooks(Resource[Webhook]):
    singular = "webhook"
    plural = "webhooks"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[Webhook]:
        return ctx.shop.webhooks.values()

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Webhook | None:
        return ctx.shop.webhooks.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: Webhook) -> Obj:
        lang = ctx.shop.language(record.language) or ctx.shop.languages[0]
        return {
            "id": record.id,
            "createdAt": iso(record.created),
            "updatedAt": iso(record.updated),
            "isActive": record.is_active,
            "itemGroup": record.item_group,
            "itemAction": record.item_action,
            "language": {"id": lang.id, "code": lang.code, "locale": lang.locale, "title": lang.title},
            "format": record.format,
            "address": record.address,
        }

    def create(self, ctx: Ctx, owner: Owner, data: Obj) -> Webhook:
        shop = ctx.shop
        limit = int(SHOP_LIMITS["maxWebhooks"])
        if len(shop.webhooks) >= limit:
            raise HttpError(
                400,
                f"The shop's plan allows at most {limit} webhooks (maxWebhooks in /shop/limits.json); "
                "delete one before registering another.",
            )
        missing = [name for name in _REQUIRED if data.get(name) in (None, "")]
        if missing:
            raise HttpError(400, f"Invalid webhook: {', '.join(missing)} required.")
        now = shop.now()
        webhook = Webhook(shop.new_id(), now, now, True, "", "", ctx.lang, "", "", secret=ctx.secret)
        _apply(ctx, webhook, data)
        shop.webhooks[webhook.id] = webhook
        return webhook

    def update(self, ctx: Ctx, owner: Owner, record: Webhook, data: Obj) -> None:
        _apply(ctx, record, data)
        record.updated = max(record.updated, ctx.shop.now())

    def delete(self, ctx: Ctx, owner: Owner, record: Webhook) -> None:
        del ctx.shop.webhooks[record.id]


def _apply(ctx: Ctx, webhook: Webhook, data: Obj) -> None:
    """Write the fields present in ``data`` (a PUT is partial); every value is checked first."""
    group = choice("itemGroup", data["itemGroup"], ITEM_GROUPS) if "itemGroup" in data else webhook.item_group
    action = data.get("itemAction", webhook.item_action)
    if "itemGroup" in data or "itemAction" in data:
        choice("itemAction", action, actions_of(group))
    values = {
        "item_group": group,
        "item_action": action,
        "format": choice("format", data["format"], FORMATS) if "format" in data else webhook.format,
        "address": loopback_address(text("address", data["address"])) if "address" in data else webhook.address,
        "is_active": boolean("isActive", data["isActive"]) if "isActive" in data else webhook.is_active,
        "language": _language(ctx, data["language"]) if "language" in data else webhook.language,
    }
    for name, value in values.items():
        setattr(webhook, name, value)


def _language(ctx: Ctx, value: object) -> str:
    code = value.get("code") if isinstance(value, dict) else value  # the object GET shows is accepted too
    if not isinstance(code, str) or ctx.shop.language(code) is None:
        shown = ", ".join(ctx.shop.language_codes)
        raise HttpError(400, f"Invalid value for 'language': {code!r} (an active language: {shown}).")
    return code
