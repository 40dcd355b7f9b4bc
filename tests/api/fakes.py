"""Tiny fakes for the API client's tests: a clock, a paged list endpoint, a rate-limited shop."""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable, Iterable
from typing import Any

import httpx

from ecomgit.api import RatePacer, RetryPolicy, ShopClient

BASE_URL = "https://api.webshopapp.com"
KEY = "k3yk3yk3y0123456789abcdef0123456"
SECRET = "s3cr3ts3cr3t0123456789abcdef0123"
BASIC_TOKEN = base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
SECRETS = (KEY, SECRET, BASIC_TOKEN)

Handler = Callable[[httpx.Request], httpx.Response]


class FakeClock:
    """A monotonic clock whose ``sleep`` only moves time forward, and remembers each sleep."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += max(0.0, seconds)


def make_client(
    handler: Handler,
    *,
    clock: FakeClock | None = None,
    pacer: RatePacer | None = None,
    retry: RetryPolicy | None = None,
    budget: int | None = None,
    base_url: str = BASE_URL,
    key: str | None = KEY,
    secret: str | None = SECRET,
) -> ShopClient:
    """A client on ``handler`` whose every wait goes to ``clock`` (so tests never really sleep)."""
    clock = clock if clock is not None else FakeClock()
    return ShopClient(
        base_url,
        language="nl",
        key=key,
        secret=secret,
        transport=httpx.MockTransport(handler),
        pacer=pacer if pacer is not None else RatePacer(clock=clock, sleep=clock.sleep),
        retry=retry if retry is not None else RetryPolicy(random=lambda: 1.0),
        budget=budget,
        sleep=clock.sleep,
    )


def json_response(status: int, body: Any = None, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=body if body is not None else {}, headers=headers)


class Script:
    """Answers (or raises) one scripted outcome per request, and records the requests."""

    def __init__(self, outcomes: Iterable[httpx.Response | Exception]) -> None:
        self.outcomes = list(outcomes)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


class PagedShop:
    """A list endpoint over rows with ascending ids, with page/limit and (optionally) since_id.

    ``between`` is called with the number of requests answered so far, before each answer, so a
    test can insert or delete rows in the middle of a walk.
    """

    def __init__(
        self,
        ids: Iterable[int],
        *,
        key: str = "products",
        honour_since_id: bool = True,
        keyed: bool = False,
        between: Callable[[PagedShop, int], None] | None = None,
    ) -> None:
        self.rows: dict[int, dict[str, Any]] = {i: {"id": i, "title": f"product {i}"} for i in ids}
        self.key = key
        self.honour_since_id = honour_since_id
        self.keyed = keyed
        self.between = between
        self.queries: list[dict[str, str]] = []

    def insert(self, row_id: int) -> None:
        self.rows[row_id] = {"id": row_id, "title": f"product {row_id}"}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        query = dict(request.url.params)
        if len(self.queries) > 1000:
            raise AssertionError("runaway walk: more than 1000 requests for one list")
        if self.between is not None:
            self.between(self, len(self.queries))
        self.queries.append(query)
        limit = int(query.get("limit", 50))
        rows = [self.rows[i] for i in sorted(self.rows)]
        page = int(query.get("page", 1))
        if self.honour_since_id and "since_id" in query:
            rows = [r for r in rows if r["id"] > int(query["since_id"])]
        chunk = rows[(page - 1) * limit : page * limit]
        payload: Any = {str(r["id"]): r for r in chunk} if self.keyed else chunk
        return json_response(200, {self.key: payload})


class WindowedShop:
    """A shop with rate-limit windows aligned to clock boundaries, read off a :class:`FakeClock`.

    ``windows`` are ``(limit, seconds)``; the headers report ``-1`` for an exceeded window and the
    reset rounded down to whole seconds, like the real shop.
    """

    def __init__(self, clock: FakeClock, windows: tuple[tuple[int, int], ...]) -> None:
        self.clock = clock
        self.windows = windows
        self.used: dict[tuple[int, int], int] = {}
        self.statuses: list[int] = []
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            now = self.clock()
            limits, remaining, resets = [], [], []
            exceeded = False
            for index, (limit, seconds) in enumerate(self.windows):
                period = int(now // seconds)
                used = self.used.get((index, period), 0) + 1
                self.used[(index, period)] = used
                exceeded = exceeded or used > limit
                limits.append(str(limit))
                remaining.append(str(limit - used if used <= limit else -1))
                resets.append(str(int((period + 1) * seconds - now)))
            status = 429 if exceeded else 200
            self.statuses.append(status)
        headers = {
            "X-RateLimit-Limit": "/".join(limits),
            "X-RateLimit-Remaining": "/".join(remaining),
            "X-RateLimit-Reset": "/".join(resets),
        }
        body = {"error": {"code": 429, "message": "Too many requests"}} if exceeded else {"ok": True}
        return json_response(status, body, headers)

    def max_used(self, index: int) -> int:
        return max(count for (i, _), count in self.used.items() if i == index)
