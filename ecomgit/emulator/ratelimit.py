"""The API's three rate-limit windows (5 minutes, hour, day), aligned to clock boundaries.

Every API answer carries ``X-RateLimit-Limit/Remaining/Reset`` with three ``a/b/c`` values. A
request that finds a window used up gets 429 and ``-1`` for that window's Remaining; it is not
counted. ``time_scale`` shrinks the windows (0.01: the 5-minute window lasts 3 seconds), so tests
and benchmarks can run into a reset quickly.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

WINDOW_SECONDS = (300, 3600, 86400)
DEFAULT_LIMITS = (300, 3000, 12000)
UNLIMITED = (1_000_000, 10_000_000, 100_000_000)  # "limits off": plausible, never reached

Status = tuple[int, int, int, int]  # limit, remaining (-1 when exceeded), reset seconds, reset at


class RateLimiter:
    def __init__(
        self,
        limits: tuple[int, int, int] | None,
        clock: Callable[[], float],
        time_scale: float = 1.0,
    ) -> None:
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        self.enforced = limits is not None
        self.limits = limits if limits is not None else UNLIMITED
        self.durations = tuple(seconds * time_scale for seconds in WINDOW_SECONDS)
        self.clock = clock
        self._counts = [0, 0, 0]
        self._epochs = [-1, -1, -1]
        self._lock = threading.Lock()

    def take(self) -> tuple[bool, list[tuple[str, str]]]:
        """Count one request if every window allows it; ``(allowed, headers)``."""
        with self._lock:
            now = self._roll()
            exceeded = [self.enforced and c >= lim for c, lim in zip(self._counts, self.limits, strict=True)]
            if not any(exceeded):
                self._counts = [c + 1 for c in self._counts]
            return not any(exceeded), _headers(self._status(now, exceeded))

    def peek(self) -> list[tuple[str, str]]:
        """The headers as they stand, without counting a request."""
        return _headers(self.status())

    def status(self) -> list[Status]:
        with self._lock:
            return self._status(self._roll(), [False, False, False])

    def _roll(self) -> float:
        now = self.clock()
        for i, duration in enumerate(self.durations):
            epoch = math.floor(now / duration)
            if epoch != self._epochs[i]:
                self._epochs[i] = epoch
                self._counts[i] = 0
        return now

    def _status(self, now: float, exceeded: list[bool]) -> list[Status]:
        result = []
        for i, duration in enumerate(self.durations):
            ends = (self._epochs[i] + 1) * duration
            remaining = -1 if exceeded[i] else max(self.limits[i] - self._counts[i], 0)
            result.append((self.limits[i], remaining, max(math.ceil(ends - now), 1), math.ceil(ends)))
        return result


def _headers(status: list[Status]) -> list[tuple[str, str]]:
    return [
        ("X-RateLimit-Limit", "/".join(str(s[0]) for s in status)),
        ("X-RateLimit-Remaining", "/".join(str(s[1]) for s in status)),
        ("X-RateLimit-Reset", "/".join(str(s[2]) for s in status)),
    ]
