"""Stay under the shop's rate limits by reading its ``X-RateLimit-*`` headers.

The shop allows a number of requests per window (300 per 5 minutes, 3 000 per hour, 12 000 per day
for a private key) and reports every window in three headers::

    X-RateLimit-Limit:     300/3000/12000
    X-RateLimit-Remaining: 299/2999/11999     (-1 once a window is exceeded)
    X-RateLimit-Reset:     263/2063/23663     (seconds until each window starts again)

:class:`RatePacer` keeps, per window, an estimate of the requests left and of the instant (on a
monotonic clock) the window resets. Before each request :meth:`RatePacer.acquire` takes one request
from every window; if a window has none left it sleeps until that window resets, so the client
never sends a request that would get a 429. After each response :meth:`RatePacer.record` corrects
the estimate from the headers. If a 429 arrives anyway (another program using the same key), the
pacer blocks until the exhausted window (the one reading ``-1``; else the latest reset) resets.

The rule for a used-up window: wait when it resets within ``max_wait``, stop when it resets later.
The default (65 minutes) always sits out the 5-minute and hourly windows, and the daily window when
its reset is minutes away; a daily window that resets hours from now is not slept through:
``acquire`` raises :class:`~ecomgit.errors.RateLimitError` with ``reset_seconds``, so a sync stops
cleanly and resumes on its next run (``ecomgit sync --max-wait`` changes the limit).
:meth:`RatePacer.status` tells what is left of each window and when it resets, for estimates.
The pacer is thread-safe; the clock and sleep are injectable for tests.

A new process starts from what the last one learnt: :meth:`RatePacer.snapshot` gives the windows
with their resets as wall-clock instants, and :meth:`RatePacer.resume` takes them back (a window
whose reset has passed since is fresh again), so the first request of a new process does not run
into a window an earlier process used up (``.git/ecomgit/ratelimit.json``, see ``ecomgit.shop``).
Every wait is announced once through ``notify`` (how long, and why), for the command to print.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ecomgit.errors import RateLimitError

log = logging.getLogger(__name__)

WINDOW_NAMES = ("5-minute", "hourly", "daily")
WINDOW_SECONDS = (300.0, 3600.0, 86400.0)  # the real windows' lengths, in the headers' order
# Long enough to sit out the hourly window, short enough not to sleep through a daily one.
DEFAULT_MAX_WAIT = 65 * 60.0
# A 429 without usable headers blocks this long (the 5-minute window resets within 300 s).
DEFAULT_FALLBACK_WAIT = 60.0


@dataclass
class Window:
    """What is known about one rate-limit window."""

    limit: int | None = None
    remaining: int | None = None  # estimate, with every request already sent taken off
    reset_at: float | None = None  # clock() value at which the window starts again


@dataclass(frozen=True)
class WindowReading:
    """One window as a response's headers report it; ``None`` where a value was unreadable."""

    limit: int | None
    remaining: int | None
    reset: int | None


@dataclass(frozen=True)
class WindowStatus:
    """One window as the pacer sees it now; ``None`` where the shop has not said."""

    name: str
    limit: int | None
    remaining: int | None
    reset_in: float | None  # seconds from now until the window starts again


def parse_rate_headers(headers: Mapping[str, str]) -> list[WindowReading]:
    """Read the three ``X-RateLimit-*`` headers; ``[]`` when they are missing or unusable."""
    headers = {name.lower(): value for name, value in headers.items()}
    limits = _split(headers.get("x-ratelimit-limit"))
    remaining = _split(headers.get("x-ratelimit-remaining"))
    resets = _split(headers.get("x-ratelimit-reset"))
    count = max(len(limits), len(remaining), len(resets))
    if not remaining and not resets:
        return []
    return [WindowReading(_at(limits, i), _at(remaining, i), _at(resets, i)) for i in range(count)]


def _split(value: str | None) -> list[int | None]:
    if not value:
        return []
    return [_int_or_none(part) for part in value.split("/")]


def _int_or_none(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None


def _at(values: list[int | None], index: int) -> int | None:
    return values[index] if index < len(values) else None


def window_name(index: int) -> str:
    return WINDOW_NAMES[index] if index < len(WINDOW_NAMES) else f"window {index + 1}"


def human_duration(seconds: float) -> str:
    """``'6 h 34 min'``, ``'4 min 10 s'``, ``'12 s'``."""
    total = math.ceil(max(seconds, 0.0))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


class RatePacer:
    """Paces requests so that no rate-limit window of the shop is exceeded.

    ``reserve`` requests of every window are left unused (for other programs sharing the key);
    ``margin`` seconds are added to every reset because the shop rounds them to whole seconds.
    """

    def __init__(
        self,
        *,
        max_wait: float = DEFAULT_MAX_WAIT,
        reserve: int = 0,
        margin: float = 1.0,
        fallback_wait: float = DEFAULT_FALLBACK_WAIT,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        notify: Callable[[str], None] | None = None,
    ) -> None:
        self.max_wait = max_wait
        self.deadline: float | None = None  # on ``clock``: stop instead of sending or waiting past it
        self.reserve = reserve
        self.margin = margin
        self.fallback_wait = fallback_wait
        self._clock = clock
        self._sleep = sleep
        self.notify: Callable[[str], None] = notify or (lambda message: None)  # a wait, in words
        self.countdown: Callable[[str], None] | None = None  # the time left of a wait, every second
        self._lock = threading.Lock()
        self._windows: list[Window] = []
        self._blocked_until: float | None = None
        self._in_flight = 0

    def now(self) -> float:
        """The pacer's clock (monotonic seconds; injected in tests)."""
        return self._clock()

    def limit_time(self, seconds: float) -> None:
        """Stop (:class:`RateLimitError`) rather than send or wait after ``seconds`` from now."""
        self.deadline = self._clock() + seconds

    def __repr__(self) -> str:
        return f"RatePacer(windows={self.windows()!r}, max_wait={self.max_wait})"

    def windows(self) -> list[Window]:
        """A copy of the current estimates (for tests and diagnostics)."""
        with self._lock:
            return [Window(w.limit, w.remaining, w.reset_at) for w in self._windows]

    def status(self) -> list[WindowStatus]:
        """What is left of each window and when it resets (empty before the first answer)."""
        with self._lock:
            now = self._clock()
            self._roll(now)
            return [
                WindowStatus(
                    window_name(index),
                    window.limit,
                    window.remaining,
                    None if window.reset_at is None else max(0.0, window.reset_at - now),
                )
                for index, window in enumerate(self._windows)
            ]

    def acquire(self) -> None:
        """Wait until a request may be sent, then count it as sent.

        Raises :class:`RateLimitError` instead of waiting longer than ``max_wait``. Every
        successful ``acquire`` must be followed by one :meth:`record`.
        """
        said = ""
        while True:
            with self._lock:
                now = self._clock()
                wait, reason = self._wait_needed(now)
                if self.deadline is not None and now + max(wait, 0.0) >= self.deadline:
                    why = f" (waiting: {reason})" if wait > 0 else ""
                    raise RateLimitError(
                        f"the sync's time limit (--max-time) is reached{why}. Run again to continue "
                        "(a sync or push continues where it stopped).",
                        reset_seconds=max(wait, 0.0),
                    )
                if wait <= 0:
                    self._take_one()
                    return
                if wait > self.max_wait:
                    raise RateLimitError(
                        f"{reason}; it resets in {human_duration(wait)}. Run again after that "
                        "(a sync or push continues where it stopped).",
                        reset_seconds=wait,
                    )
            if reason != said:  # once per wait, not per second of it
                said = reason
                log.info("rate limit: %s; waiting %s", reason, human_duration(wait))
                self.notify(f"waiting {human_duration(wait)}: {reason}")
            if self.countdown is None:
                self._sleep(wait)
            else:  # a line on a terminal counts down: a second at a time
                self.countdown(f"waiting {human_duration(wait)}: {reason}")
                self._sleep(min(wait, 1.0))

    def record(self, headers: Mapping[str, str] | None, *, rate_limited: bool = False) -> None:
        """Take in a response's headers (``None`` when no response came back).

        ``rate_limited`` marks a 429: then the pacer blocks until the exhausted window resets.
        """
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)
            now = self._clock()
            readings = parse_rate_headers(headers) if headers is not None else []
            if readings:
                self._apply(readings, now)
            if rate_limited:
                self._block(readings, headers, now)
                wait = max(0.0, (self._blocked_until or now) - now)
                self.notify(
                    f"the shop answered 429 Too Many Requests (another program, or another run, used the "
                    f"same API key's requests); waiting {human_duration(wait)}"
                )

    def snapshot(self, wall: float | None = None) -> dict[str, Any]:
        """The windows as a new process can take them back: resets as wall-clock instants (unix
        seconds; ``wall`` is the wall clock now)."""
        with self._lock:
            now, wall = self._clock(), time.time() if wall is None else wall
            self._roll(now)

            def to_wall(at: float | None) -> float | None:
                return None if at is None else round(wall + at - now, 3)

            return {
                "windows": [
                    {"limit": w.limit, "remaining": w.remaining, "resetAt": to_wall(w.reset_at)} for w in self._windows
                ],
                "blockedUntil": to_wall(self._blocked_until),
            }

    def resume(self, snapshot: Mapping[str, Any], wall: float | None = None) -> None:
        """Start from what :meth:`snapshot` gave (in an earlier process): a window whose reset has
        passed is fresh again; anything unreadable is ignored (the first answer tells)."""
        with self._lock:
            now, wall = self._clock(), time.time() if wall is None else wall

            def to_clock(at: object) -> float | None:
                ok = isinstance(at, int | float) and not isinstance(at, bool)
                return float(at) - wall + now if ok else None  # type: ignore[arg-type]

            windows = snapshot.get("windows")
            if not isinstance(windows, list) or not all(isinstance(w, Mapping) for w in windows):
                return
            self._windows = [
                Window(
                    w.get("limit") if isinstance(w.get("limit"), int) else None,
                    w.get("remaining") if isinstance(w.get("remaining"), int) else None,
                    to_clock(w.get("resetAt")),
                )
                for w in windows
            ]
            self._blocked_until = to_clock(snapshot.get("blockedUntil"))
            self._roll(now)

    # -- internals (called with the lock held) ---------------------------------------------------

    def _wait_needed(self, now: float) -> tuple[float, str]:
        self._roll(now)
        wait, reason = 0.0, ""
        if self._blocked_until is not None and self._blocked_until > now:
            wait = self._blocked_until - now
            reason = "the shop answered 429 Too Many Requests"
        for index, window in enumerate(self._windows):
            if window.remaining is None or window.remaining > self._reserve_for(window):
                continue
            if window.reset_at is None:  # the shop did not say when: guess, so the wait ends
                window.reset_at = now + self.fallback_wait
            until = window.reset_at - now
            if until >= wait:
                wait = until
                reason = f"the shop's {window_name(index)} request limit ({window.limit}) is used up"
        return wait, reason

    def _reserve_for(self, window: Window) -> int:
        if window.limit is None:
            return self.reserve
        return max(0, min(self.reserve, window.limit - 1))

    def _roll(self, now: float) -> None:
        """Start a new period for every window whose reset instant has passed."""
        for window in self._windows:
            if window.reset_at is not None and now >= window.reset_at:
                window.remaining = None if window.limit is None else window.limit - self._in_flight
                window.reset_at = None

    def _take_one(self) -> None:
        self._in_flight += 1
        for window in self._windows:
            if window.remaining is not None:
                window.remaining -= 1

    def _apply(self, readings: list[WindowReading], now: float) -> None:
        if len(readings) != len(self._windows):
            self._windows = [Window() for _ in readings]
        for window, reading in zip(self._windows, readings, strict=True):
            if reading.limit is not None:
                window.limit = reading.limit
            if reading.remaining is None:
                continue
            # The shop may not have counted the other requests still in flight: assume it has not.
            estimate = reading.remaining - self._in_flight
            reset_at = None if reading.reset is None or reading.reset < 0 else now + reading.reset + self.margin
            same_period = (
                window.reset_at is not None
                and reset_at is not None
                and abs(reset_at - window.reset_at) <= 2 * self.margin + 1.0
            )
            if same_period and window.remaining is not None:
                window.remaining = min(window.remaining, estimate)
                window.reset_at = max(window.reset_at or 0.0, reset_at or 0.0)
            else:
                window.remaining = estimate
                window.reset_at = reset_at

    def _block(self, readings: list[WindowReading], headers: Mapping[str, str] | None, now: float) -> None:
        wait = _wait_after_429(readings, headers, self.fallback_wait)
        until = now + wait + self.margin
        if self._blocked_until is None or until > self._blocked_until:
            self._blocked_until = until


def _wait_after_429(readings: list[WindowReading], headers: Mapping[str, str] | None, fallback: float) -> float:
    """Seconds until the exhausted window resets: the one reading -1, else the latest reset."""
    exhausted = [r.reset for r in readings if r.remaining is not None and r.remaining < 0]
    known = [r for r in exhausted if r is not None and r >= 0]
    if known:
        return float(max(known))
    resets = [r.reset for r in readings if r.reset is not None and r.reset >= 0]
    if resets:
        return float(max(resets))
    lowered = {name.lower(): value for name, value in (headers or {}).items()}
    retry_after = _int_or_none(lowered.get("retry-after", ""))
    if retry_after is not None and retry_after >= 0:
        return float(retry_after)
    return fallback
