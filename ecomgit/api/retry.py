"""When a failed request is tried again, and how long to wait first.

Transient faults are timeouts, connection errors (refused, reset, dropped mid-answer) and the
statuses 500/502/503/504. GET, PUT and DELETE are idempotent and retried on all of them. A POST is
retried only when it certainly never reached the shop (the connection could not be made); after
any other fault the shop may have created the object, so the caller must read back first.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

RETRY_STATUSES = frozenset({500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})

# The request never left this machine: safe to send again whatever the method.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# The request may have reached the shop: only idempotent requests are sent again.
_TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def never_sent(exc: Exception) -> bool:
    """True if ``exc`` proves the request did not reach the server."""
    return isinstance(exc, _NEVER_SENT)


def is_transient(exc: Exception) -> bool:
    """True for faults that may go away on their own (not, e.g., a malformed URL)."""
    return isinstance(exc, _TRANSIENT)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: ``base * 2**(n-1)`` capped at ``max_delay``, times 0.5–1."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    random: Callable[[], float] = field(default=random.random, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("RetryPolicy.attempts must be at least 1")

    def delay(self, failed_attempt: int) -> float:
        """Seconds to wait after the ``failed_attempt``-th attempt (1-based) failed."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** (failed_attempt - 1))
        return ceiling * (0.5 + 0.5 * self.random())

    def may_retry_exception(self, method: str, exc: Exception, attempt: int) -> bool:
        if attempt >= self.attempts:
            return False
        if never_sent(exc):
            return True
        return method in IDEMPOTENT_METHODS and is_transient(exc)

    def may_retry_status(self, method: str, status: int, attempt: int) -> bool:
        return attempt < self.attempts and method in IDEMPOTENT_METHODS and status in RETRY_STATUSES


NO_RETRY = RetryPolicy(attempts=1)
