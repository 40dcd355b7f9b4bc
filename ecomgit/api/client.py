"""``ShopClient``: the one way this project talks to a Lightspeed eCom (C-Series) shop.

Every request goes to ``{base_url}/{lang}/{path}.json`` with HTTP Basic auth, is paced by the
shop's rate-limit headers (:mod:`ecomgit.api.pacer`), retried on transient faults
(:mod:`ecomgit.api.retry`), and either returns the JSON body or raises an
:class:`~ecomgit.errors.ApiError` whose message names the request and says what to do next.
Credentials never appear in a message, a log record or a ``repr``.

Credentials go only to a Lightspeed API host or loopback (:mod:`ecomgit.api.hosts`, checked in
the constructor, before any connection). The network is one constructor argument: pass
``transport=httpx.MockTransport(handler)`` in tests,
or the emulator's WSGI app through ``httpx.WSGITransport``.
"""

from __future__ import annotations

import functools
import logging
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import httpx

from ecomgit import __version__, jsonfast
from ecomgit.api import cdn, hosts
from ecomgit.api.pacer import RatePacer
from ecomgit.api.paging import iter_rows
from ecomgit.api.redact import MASK, Redactor
from ecomgit.api.responses import (
    RequestInfo,
    decode_body,
    embedded_error,
    error_for_status,
    shop_body,
)
from ecomgit.api.retry import RETRY_STATUSES, RetryPolicy, never_sent
from ecomgit.api.values import as_int, format_api_time, objects
from ecomgit.errors import (
    ApiError,
    AuthError,
    ConfigError,
    ImageRefusedError,
    NotFoundError,
    RateLimitError,
    ServerError,
    TransportError,
)

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5  # of an image download
ParamValue = str | int | float | bool | datetime | Sequence[str | int] | None
Params = Mapping[str, ParamValue]


@dataclass(frozen=True)
class _Call:
    """A built request and how messages show it."""

    request: httpx.Request
    info: RequestInfo


class ShopClient:
    """A thread-safe client for one shop's REST API.

    ``requests`` counts every API request sent (each attempt, as the shop counts them); image
    downloads from the CDN are not API requests and are neither counted nor paced. ``budget``
    caps ``requests`` for this client: the request that would exceed it raises
    :class:`RateLimitError`.
    """

    def __init__(
        self,
        base_url: str,
        *,
        language: str,
        key: str | None = None,
        secret: str | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        pacer: RatePacer | None = None,
        retry: RetryPolicy | None = None,
        budget: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
        user_agent: str = f"ecomgit/{__version__}",
        download_seconds: float | None = None,
    ) -> None:
        base, url_key, url_secret = _split_userinfo(base_url.strip())
        key = key if key is not None else url_key
        secret = secret if secret is not None else url_secret
        self._redact = Redactor([key, secret, url_key, url_secret], auth=(key, secret))
        self.base_url = hosts.checked_base_url(base)  # before anything is sent: see ecomgit.api.hosts
        self.language = language
        self.budget = budget
        self.timeout = timeout
        self._has_key = bool(key)
        self._auth = httpx.BasicAuth(key or "", secret or "") if key or secret else None
        try:  # httpx reads HTTP(S)_PROXY, ALL_PROXY and NO_PROXY here
            self._http = httpx.Client(
                transport=transport,
                timeout=httpx.Timeout(timeout),
                headers={"User-Agent": user_agent, "Accept": "application/json"},
                follow_redirects=False,  # a redirect would carry the credentials to another host
                mounts=hosts.direct_mounts(self.base_url),
                verify=tls_context(),  # verifying, as httpx's default: built once, not per client
            )
        except (ImportError, ValueError, httpx.InvalidURL) as exc:
            raise ConfigError(hosts.proxy_refusal(exc)) from None
        self._pacer = pacer if pacer is not None else RatePacer(sleep=sleep)
        self._retry = retry if retry is not None else RetryPolicy()
        self._sleep = sleep
        self._image_hosts = cdn.ImageHosts(self.base_url)
        self.download_seconds = cdn.DOWNLOAD_SECONDS if download_seconds is None else download_seconds
        self._lock = threading.Lock()
        self._requests = 0
        self.on_close: Callable[[], None] | None = None  # e.g. keep the rate-limit windows for the next process

    # -- housekeeping -----------------------------------------------------------------------------

    def __repr__(self) -> str:
        key = MASK if self._has_key else None
        return f"ShopClient({self.base_url!r}, language={self.language!r}, key={key!r})"

    def __enter__(self) -> ShopClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()
        if self.on_close is not None:
            self.on_close()

    @property
    def requests(self) -> int:
        """API requests sent so far (every attempt; downloads excluded)."""
        with self._lock:
            return self._requests

    @property
    def pacer(self) -> RatePacer:
        return self._pacer

    def requests_left(self) -> int | None:
        """Requests that can be sent now without a wait or a stop: the least that a rate-limit
        window has left or the budget allows (``None`` while neither is known)."""
        left = [w.remaining for w in self._pacer.status() if w.remaining is not None]
        if self.budget is not None:
            left.append(self.budget - self.requests)
        return min(left) if left else None

    def redact(self, text: str) -> str:
        """``text`` with this client's key and secret masked."""
        return self._redact(text)

    # -- the API ----------------------------------------------------------------------------------

    def get(self, path: str, params: Params | None = None, *, lang: str | None = None) -> dict[str, Any]:
        """The whole JSON body of ``GET /{lang}/{path}.json``."""
        return self._json(self._build("GET", path, params, lang))

    def get_one(self, path: str, key: str, params: Params | None = None, *, lang: str | None = None) -> dict[str, Any]:
        """The object in a singular envelope: ``get_one("products/5", "product")``."""
        call = self._build("GET", path, params, lang)
        body = self._json(call)
        value = body.get(key)
        if not isinstance(value, Mapping):
            raise self._fail(
                ServerError,
                call,
                f"the answer holds no '{key}' object (keys: {', '.join(body) or 'none'}). "
                "Run again; if it persists, report it with this message.",
            )
        return dict(value)

    def count(self, path: str, params: Params | None = None, *, lang: str | None = None) -> int:
        """``GET /{lang}/{path}/count.json``; ``path`` may already end in ``/count``."""
        clean = _clean_path(path)
        if clean != "count" and not clean.endswith("/count"):
            clean += "/count"
        call = self._build("GET", clean, params, lang)
        number = as_int(self._json(call).get("count"))
        if number is None or number < 0:
            raise self._fail(ServerError, call, "the answer holds no usable 'count'. Run again.")
        return number

    def iter_list(
        self,
        path: str,
        key: str,
        params: Params | None = None,
        *,
        lang: str | None = None,
        limit: int = 250,
    ) -> Iterator[dict[str, Any]]:
        """Every row of a list endpoint, fetched one page at a time (see :mod:`ecomgit.api.paging`).

        ``key`` is the plural envelope (``"products"``); a missing key or ``[]`` is an empty page,
        and an object keyed by id is read like a list. ``since_id`` in ``params`` is the start.
        """
        where = _Label(lambda: self._build("GET", path, params, lang).info.label)  # built only for a message

        def fetch(query: dict[str, Any]) -> list[dict[str, Any]]:
            body = self.get(path, query, lang=lang)
            if key not in body and body:
                log.warning("%s: the answer has no '%s' key (keys: %s); read as empty", where, key, list(body))
            return objects(body.get(key))

        yield from iter_rows(fetch, dict(params or {}), limit=limit, where=where)

    def post(self, path: str, key: str, body: Any, *, lang: str | None = None) -> dict[str, Any]:
        """``POST {key: body}``; returns the object in the answer's ``key`` envelope.

        Not retried once the request may have reached the shop: on a :class:`TransportError` or
        :class:`ServerError` read back before posting again.
        """
        return _unwrap(self._json(self._build("POST", path, None, lang, {key: body})), key)

    def put(self, path: str, key: str, body: Any, *, lang: str | None = None) -> dict[str, Any]:
        """``PUT {key: body}`` (a partial update); returns the object in the answer's envelope."""
        return _unwrap(self._json(self._build("PUT", path, None, lang, {key: body})), key)

    def delete(self, path: str, *, lang: str | None = None) -> None:
        """``DELETE``; a 404 on a retry after an answer was lost counts as done."""
        call = self._build("DELETE", path, None, lang)
        response, maybe_applied = self._execute(call)
        if response.status_code == 404 and maybe_applied:
            log.info("%s: gone on retry; the lost first attempt deleted it", call.info.label)
            return
        self._check(call, response)

    def download(self, url: str, *, limit: int = cdn.DEFAULT_LIMIT) -> bytes:
        """The bytes at an absolute CDN URL: no auth header, not counted, not paced, but retried.

        Only from the shop's CDN (:mod:`ecomgit.api.cdn`; redirects judged alike) and at most
        ``limit`` bytes, else :class:`ImageRefusedError` before (or instead of) reading on.
        """
        if url.startswith("//"):  # protocol-relative, as storefront HTML writes CDN links
            url = f"https:{url}"
        deadline = time.monotonic() + self.download_seconds  # all hops and retries together
        for _ in range(MAX_REDIRECTS + 1):
            result = self._download_once(url, limit, deadline)
            if isinstance(result, bytes):
                return result
            url = result
        raise ServerError(f"GET {self._redact(url)}: more than {MAX_REDIRECTS} redirects. Run again later.")

    def _download_once(self, url: str, limit: int, deadline: float) -> bytes | str:
        """The bytes at ``url``, or the URL it redirects to."""
        shown = self._redact(url)
        info = RequestInfo("GET", shown, _host_of(url), self.language, "image")
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise TransportError(self._redact(f"GET {shown}: not a valid URL ({exc})."), method="GET") from None
        refusal = self._image_hosts.refusal(parsed)
        if refusal is not None:
            raise ImageRefusedError(f"GET {shown}: not fetched: {refusal}", method="GET", path=shown)
        attempt = 0
        while True:
            attempt += 1
            try:
                with self._http.stream("GET", parsed, headers={"Accept": "*/*"}) as response:
                    status = response.status_code
                    if status in (301, 302, 303, 307, 308) and "Location" in response.headers:
                        return str(parsed.join(response.headers["Location"]))
                    if 200 <= status < 300:
                        return cdn.read_capped(response, limit, deadline)
            except cdn.TooLarge as exc:
                message = f"GET {shown}: not fetched: {exc.detail(limit)}"
                raise ImageRefusedError(message, method="GET", path=shown) from None
            except cdn.TooSlow as exc:
                raise ImageRefusedError(f"GET {shown}: not fetched: {exc.detail()}", method="GET", path=shown) from None
            except httpx.InvalidURL as exc:
                raise TransportError(self._redact(f"GET {shown}: not a valid URL ({exc})."), method="GET") from None
            except httpx.RequestError as exc:
                if time.monotonic() < deadline and self._retry.may_retry_exception("GET", exc, attempt):
                    self._back_off(info, attempt, _reason(exc, self.timeout))
                    continue
                raise self._transport_error(info, exc, attempt) from None
            retry = status in RETRY_STATUSES or status == 429
            if retry and attempt < self._retry.attempts and time.monotonic() < deadline:
                self._back_off(info, attempt, f"answered {status}")
                continue
            raise self._download_error(info, status)

    # -- one request ------------------------------------------------------------------------------

    def _build(self, method: str, path: str, params: Params | None, lang: str | None, json_body: Any = None) -> _Call:
        language = lang if lang is not None else self.language
        clean = _clean_path(path)
        url = f"{self.base_url}/{quote(language, safe='')}/{clean}.json"
        try:
            body = None if json_body is None else jsonfast.dumps(json_body)  # httpx's own JSON refuses a lone surrogate
            headers = None if body is None else {"Content-Type": "application/json"}
            request = self._http.build_request(method, url, params=_query(params), content=body, headers=headers)
        except httpx.InvalidURL as exc:
            raise TransportError(
                self._redact(f"{method} {url}: the shop URL is not valid ({exc}). Check it and run again."),
                method=method,
            ) from None
        shown = self._redact(unquote(request.url.raw_path.decode("ascii")))
        info = RequestInfo(method, shown, _host(request.url), language, clean.split("/", 1)[0])
        return _Call(request, info)

    def _json(self, call: _Call) -> dict[str, Any]:
        response, _ = self._execute(call)
        return self._check(call, response)

    def _check(self, call: _Call, response: httpx.Response) -> dict[str, Any]:
        status = response.status_code
        if not 200 <= status < 300:
            error = error_for_status(status, shop_body(response), response.reason_phrase, call.info)
            if status == 401 and self._auth is None and hosts.is_loopback(call.request.url.host):
                error = AuthError(
                    f"{call.info.label}: the shop at {call.info.host} asks for credentials, and ecomgit sends them "
                    f"to a loopback address only when the environment trusts it: set {hosts.TRUST_ENV}="
                    f"{call.info.host} (an emulator started with --api-key/--api-secret needs this)",
                    status=401, method=call.info.method, path=call.info.path,
                )  # fmt: skip
            raise self._redacted(error)
        body = decode_body(response, call.info)
        found = embedded_error(body)
        if found is not None:
            code, error_object = found
            mapped = code if code is not None and code >= 400 else 400
            raise self._redacted(error_for_status(mapped, {"error": error_object}, "error", call.info))
        return body

    def _execute(self, call: _Call) -> tuple[httpx.Response, bool]:
        """Send with pacing and retries; returns the final answer and whether an earlier attempt
        may already have been applied by the shop."""
        method, info = call.info.method, call.info
        attempt = limited = 0
        maybe_applied = False
        while True:
            attempt += 1
            try:
                response = self._send(call)
            except httpx.RequestError as exc:
                maybe_applied = maybe_applied or not never_sent(exc)
                if self._retry.may_retry_exception(method, exc, attempt):
                    self._back_off(info, attempt, _reason(exc, self.timeout))
                    continue
                raise self._transport_error(info, exc, attempt, maybe_applied) from None
            status = response.status_code
            if status == 429:
                attempt -= 1  # not a fault: the pacer now waits for the window to reset
                limited += 1
                if limited >= self._retry.attempts:
                    raise self._fail(
                        RateLimitError,
                        call,
                        f"the shop still answers 429 Too Many Requests after {limited} waits; another "
                        "program may be using the same API key. Run again later.",
                        status=429,
                    )
                log.warning("%s: 429 Too Many Requests; waiting for the rate-limit window", info.label)
                continue
            if self._retry.may_retry_status(method, status, attempt):
                maybe_applied = True
                self._back_off(info, attempt, f"answered {status}")
                continue
            if status in RETRY_STATUSES and method == "POST":
                raise self._fail(
                    ServerError,
                    call,
                    f"the shop answered {status}; it may or may not have applied the request, so it "
                    "is not sent again. Read the object back before retrying.",
                    status=status,
                )
            return response, maybe_applied

    def _send(self, call: _Call) -> httpx.Response:
        """One attempt: budget, pacing, counting."""
        self._check_budget(call)
        try:
            self._pacer.acquire()
        except RateLimitError as exc:
            raise self._fail(RateLimitError, call, str(exc), reset_seconds=exc.reset_seconds) from None
        try:
            self._count(call)
            started = time.monotonic()
            response = self._http.send(call.request, auth=self._auth or httpx.USE_CLIENT_DEFAULT)
        except BaseException:
            self._pacer.record(None)
            raise
        self._pacer.record(response.headers, rate_limited=response.status_code == 429)
        log.debug("%s -> %d (%.2f s)", call.info.label, response.status_code, time.monotonic() - started)
        return response

    def _check_budget(self, call: _Call) -> None:
        with self._lock:
            sent = self._requests
        if self.budget is not None and sent >= self.budget:
            raise self._fail(
                RateLimitError,
                call,
                f"the request budget of {self.budget} used up ({sent} API requests sent). "
                "Run again to continue, or allow a larger budget.",
            )

    def _count(self, call: _Call) -> None:
        with self._lock:
            if self.budget is None or self._requests < self.budget:
                self._requests += 1
                return
        self._check_budget(call)  # another thread took the last one

    def _back_off(self, info: RequestInfo, attempt: int, reason: str) -> None:
        delay = self._retry.delay(attempt)
        log.warning(
            "%s: %s (attempt %d of %d); retrying in %.1f s",
            info.label,
            self._redact(reason),
            attempt,
            self._retry.attempts,
            delay,
        )
        self._sleep(delay)

    # -- errors -----------------------------------------------------------------------------------

    def _redacted(self, error: ApiError) -> ApiError:
        error.args = tuple(self._redact(a) if isinstance(a, str) else a for a in error.args)
        return error

    def _fail(self, kind: type[ApiError], call: _Call, what: str, **kw: Any) -> ApiError:
        message = self._redact(f"{call.info.label}: {what}")
        return kind(message, method=call.info.method, path=call.info.path, **kw)

    def _transport_error(
        self, info: RequestInfo, exc: Exception, attempts: int, maybe_applied: bool = False
    ) -> TransportError:
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        advice = "check the URL/network and run again"
        if info.method == "POST" and maybe_applied:
            advice = (
                "the request may have reached the shop, so it is not sent again; read the object back before retrying"
            )
        message = f"{info.label}: could not reach {info.host}: {_reason(exc, self.timeout)}{tries}; {advice}."
        return TransportError(self._redact(message), method=info.method, path=info.path)

    def _download_error(self, info: RequestInfo, status: int) -> ApiError:
        kw: dict[str, Any] = {"status": status, "method": "GET", "path": info.path}
        if status in (403, 404, 410):
            return NotFoundError(
                f"GET {info.path}: the image is not on the CDN ({status}); the shop may have deleted "
                "it. Run the sync again to read the product's current images.",
                **kw,
            )
        return ServerError(
            f"GET {info.path}: the CDN answered {status}. Run again later.",
            **kw,
        )


class _Label:
    """A request's label for messages, built when first shown (building a request costs time)."""

    __slots__ = ("_make", "_text")

    def __init__(self, make: Callable[[], str]) -> None:
        self._make = make
        self._text: str | None = None

    def __str__(self) -> str:
        if self._text is None:
            self._text = self._make()
        return self._text


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The TLS settings every client of this process shares: httpx's default, verifying context
    (certifi's CA bundle, or ``SSL_CERT_FILE``/``SSL_CERT_DIR`` as the environment says when first
    asked). Building it reads the whole CA bundle, 15 ms, which each new client paid again (a command
    that makes several clients; the test suite makes hundreds); an ``SSLContext`` is safe to share."""
    return httpx.create_ssl_context()


def _host(url: httpx.URL) -> str:
    """``host`` or ``host:port`` (a non-default port is part of what the user typed)."""
    return f"{url.host}:{url.port}" if url.port is not None else url.host


def _host_of(url: str) -> str:
    try:
        return _host(httpx.URL(url)) or url
    except httpx.InvalidURL:
        return url


def _reason(exc: Exception, timeout: float) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"no answer within {timeout:g} s ({type(exc).__name__})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the connection dropped mid-answer ({exc})"
    detail = str(exc) or "no detail"
    return f"{type(exc).__name__}: {detail}"


def _split_userinfo(url: str) -> tuple[str, str | None, str | None]:
    """Take ``key:secret@`` out of a base URL (the official client's style)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    clean = urlunsplit((parts.scheme, hostport, parts.path, parts.query, parts.fragment))
    return clean, unquote(user) or None, unquote(password) or None


def _clean_path(path: str) -> str:
    return path.strip().strip("/").removesuffix(".json")


def _query(params: Params | None) -> dict[str, str | int | float | bool]:
    query: dict[str, str | int | float | bool] = {}
    for name, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, datetime):
            query[name] = format_api_time(value)
        elif isinstance(value, str | int | float):
            query[name] = value
        else:
            query[name] = ",".join(str(v) for v in value)
    return query


def _unwrap(body: dict[str, Any], key: str) -> dict[str, Any]:
    value = body.get(key)
    return dict(value) if isinstance(value, Mapping) else body
