"""The emulator as a WSGI application: ``/{lang}/{resource}.json``, the CDN and admin endpoints.

One request passes: statistics → latency → authentication (401) → rate limit (429) → permission
(403, a read-only key) → injected faults → language (404) → route → resource, all store access
under one lock. What a write request or an admin action changed becomes webhook deliveries, made
under the same lock and handed to the outbox (:mod:`.outbox`), which sends them from its own
thread. Every API answer
carries the rate-limit headers; CDN and ``/_emulator/`` answers never do and are never counted
as API requests.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from ecomgit.emulator.cdn import cdn_response
from ecomgit.emulator.dispatch import dispatch
from ecomgit.emulator.faults import CdnFaults, Faults
from ecomgit.emulator.outbox import Outbox
from ecomgit.emulator.ratelimit import DEFAULT_LIMITS, RateLimiter
from ecomgit.emulator.readcache import Key, ReadCache
from ecomgit.emulator.resources import REGISTRY, Ctx, Resource
from ecomgit.emulator.retail import admin_action, play
from ecomgit.emulator.routing import Route, parse_route, path_pattern
from ecomgit.emulator.stats import Stats
from ecomgit.emulator.store import Shop
from ecomgit.emulator.view import View
from ecomgit.emulator.webhooks import Deliveries
from ecomgit.emulator.wsgi import HttpError, Request, Response, error_response, json_response

log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
UNKNOWN_LANGUAGE = "Unknown or inactive language."
WRITE_METHODS = frozenset({"POST", "PUT", "DELETE"})


class EmulatorApp:
    """A WSGI callable serving ``shop`` like the Lightspeed eCom API.

    ``api_key``/``api_secret``: required HTTP Basic credentials (``None``: accept any).
    ``rate_limit``: requests per 5 minutes, hour and day (``None``: off, headers still sent);
    ``time_scale`` multiplies the windows' lengths. ``fail_rate``: the fraction of API requests
    answered with a 500/502/503 or, over a socket, a dropped connection; ``latency_ms``: a sleep
    before every API answer; ``seed`` seeds the fault choices. ``clock`` defaults to the shop's.
    ``read_only``: play a key with read permissions only — every API write (POST, PUT, DELETE) is
    answered 403, as the real API answers a key whose write permission for the resource is off.
    ``read_cache``: keep rendered list pages until the next write (see :mod:`.readcache`; only
    for a shop that changes through requests alone). ``outbox``: where webhook deliveries go
    (default: a worker thread posting them to their loopback addresses, no faults).
    """

    def __init__(
        self,
        shop: Shop,
        *,
        api_key: str | None = None,
        api_secret: str | None = None,
        rate_limit: tuple[int, int, int] | None = DEFAULT_LIMITS,
        time_scale: float = 1.0,
        fail_rate: float = 0.0,
        latency_ms: int = 0,
        seed: int = 0,
        clock: Callable[[], float] | None = None,
        read_only: bool = False,
        read_cache: ReadCache | None = None,
        outbox: Outbox | None = None,
    ) -> None:
        self.shop = shop
        self.read_only = read_only
        self.unreadable: set[str] = set()  # resources the key may not read ("reviews"): a GET of them is 403
        self.api_key = api_key
        self.api_secret = api_secret
        self.latency_ms = latency_ms
        self.limiter = RateLimiter(rate_limit, clock or shop.clock, time_scale)
        self.faults = Faults(fail_rate, seed)
        self.cdn_faults = CdnFaults()  # per-file CDN failures, set by tests
        self.stats = Stats()
        self.read_cache = read_cache
        self.outbox = outbox or Outbox()
        self.deliveries = Deliveries()
        self.lock = threading.RLock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        response = self.handle(Request.from_environ(environ))
        start_response(response.status_line, response.header_list())
        return [response.body]

    def handle(self, request: Request) -> Response:
        if request.path.startswith("/cdn/"):
            self.stats.count_cdn()
            with self.lock:
                return cdn_response(self.shop, request.method, request.path, self.cdn_faults)
        if request.path.startswith("/_emulator/"):
            return self._admin(request)
        self.stats.count_api(path_pattern(request.path))
        if self.latency_ms > 0:
            time.sleep(self.latency_ms / 1000)
        response = self._api(request)
        self.stats.count_status(response.status)
        return response

    def _api(self, request: Request) -> Response:
        if not self._authorized(request):
            return _with(error_response(request, 401, "Access denied."), self.limiter.peek())
        allowed, headers = self.limiter.take()
        if not allowed:
            return _with(error_response(request, 429, "Too many requests."), headers)
        if self.read_only and request.method in WRITE_METHODS:
            return _with(error_response(request, 403, _no_write_permission(request.path)), headers)
        resource = request.path.strip("/").split("/")[1:2]
        if request.method == "GET" and resource and resource[0].removesuffix(".json") in self.unreadable:
            return _with(error_response(request, 403, "The API key has no read permission for this resource."), headers)
        response = self.faults.pick(request)
        if response is None:
            response = self._answer(request)
        return _with(response, headers)

    def _answer(self, request: Request) -> Response:
        try:
            return self._route(request)
        except HttpError as exc:
            return error_response(request, exc.status, exc.message)
        except Exception:
            log.exception("emulator failed on %s %s", request.method, request.path)
            return error_response(request, 500, "Internal server error.")

    def _route(self, request: Request) -> Response:
        _, lang, rest = request.path.split("/", 2) if request.path.count("/") >= 2 else ("", "", "")
        if request.path == "/webhooks.json" or request.path.startswith("/webhooks/"):  # also without a language
            lang, rest = self.shop.default_language, request.path[1:]
        if self.shop.language(lang) is None:
            raise HttpError(404, UNKNOWN_LANGUAGE)
        route = parse_route(rest)
        resource = REGISTRY.get(route.name) if route else None
        if route is None or resource is None:
            raise HttpError(404, "Not found.")
        cache = self.read_cache
        key = _cache_key(request, route, resource) if cache is not None else None
        with self.lock:
            if cache is not None and request.method != "GET":
                cache.clear()  # a write (or an attempt): every kept page may be out of date
            cached = cache.get(key) if cache is not None and key is not None else None
            if cached is not None:
                return cached
            view = View(self.shop, lang, request.root)
            secret = (_credentials(request) or ("", ""))[1]
            ctx = Ctx(self.shop, view, request.query, self.limiter.status, secret)
            try:
                response = dispatch(ctx, resource, route, request)
            finally:
                self._publish(request)
            if cache is not None and key is not None:
                cache.put(key, response)
            return response

    def _publish(self, request: Request) -> None:
        """Hand what the shop changed to the webhooks' outbox. Under the lock."""
        if len(self.shop.changes):
            self.outbox.put(self.deliveries.make(self.shop, self.shop.changes.take(), request.root))

    def _authorized(self, request: Request) -> bool:
        if self.api_key is None and self.api_secret is None:
            return True
        credentials = _credentials(request)
        if credentials is None:
            return False
        key, secret = credentials
        return _same(key, self.api_key) and _same(secret, self.api_secret)

    def _admin(self, request: Request) -> Response:
        if request.path == "/_emulator/stats.json" and request.method == "GET":
            return json_response(200, {**self.stats.as_dict(), "webhooks": self.outbox.counts()})
        if request.path == "/_emulator/webhooks/flush.json" and request.method == "POST":
            self.outbox.flush()
            return json_response(200, self.outbox.counts())
        if request.path == "/_emulator/reset-stats.json" and request.method == "POST":
            self.stats.reset()
            return Response(204)
        action = admin_action(request.path)
        if action is None:
            return error_response(request, 404, "Not found.")
        if request.method != "POST":
            return error_response(request, 405, "Method not allowed.")
        try:
            with self.lock:
                if self.read_cache is not None:
                    self.read_cache.clear()
                try:
                    return json_response(200, play(self.shop, action, request.body))
                finally:
                    self._publish(request)
        except HttpError as exc:
            return error_response(request, exc.status, exc.message)


def _credentials(request: Request) -> tuple[str, str] | None:
    """The key and secret of the request's HTTP Basic authorization, or ``None``."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        key, _, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return key, secret


def _cache_key(request: Request, route: Route, resource: Resource[Any]) -> Key | None:
    """The read cache's key for a list page read; ``None`` for anything else."""
    if request.method != "GET" or route.item_id is not None or route.count or route.bulk or resource.singleton:
        return None
    return ReadCache.key(request)


def _no_write_permission(path: str) -> str:
    """The 403 message for a write by a read-only key: ``/nl/products/5.json`` → ``products``."""
    parts = path.strip("/").removesuffix(".json").split("/")
    resource = parts[1] if len(parts) > 1 and parts[1] else "this resource"
    return f"This API key has no write permission for {resource}."


def _same(given: str, wanted: str | None) -> bool:
    return wanted is None or hmac.compare_digest(given.encode(), wanted.encode())


def _with(response: Response, headers: list[tuple[str, str]]) -> Response:
    response.headers.extend(headers)
    return response
