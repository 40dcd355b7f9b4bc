"""A push that ran into a rate limit it will not wait for (the day's requests, most often): what
ran out, when it resets, and what is left (issue 16 item 5).

The products written before the stop are recorded as usual, so the next push plans only the
rest: nothing written is sent again. A stop while planning writes nothing at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ecomgit.api import ShopClient
from ecomgit.errors import RateLimitError
from ecomgit.sync.report import after, blocking_window, limit_reason, thousands

# requests a product costs to write when none was written yet to measure it: the plan's reads are
# read again just before the first write, at least one write, the read-back
FIRST_GUESS_EXTRA = 2


@dataclass
class PushStop:
    reason: str  # "the shop's daily request limit (12 000) is used up"
    resumes_at: datetime | None  # when that window resets, if the shop said
    products_left: int
    requests_left: int  # an estimate, from what the products so far cost

    def lines(self) -> list[str]:
        when = f" after {self.resumes_at:%H:%M} UTC (the limit resets then)" if self.resumes_at else ""
        return [
            f"Stopped: {self.reason}.",
            f"Left: {self.products_left} product(s), about {thousands(self.requests_left)} API requests; "
            "their edits stay pending.",
            f"Run 'ecomgit push' again{when}: what was written is recorded and is not sent again.",
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "resumesAt": self.resumes_at.isoformat(timespec="seconds") if self.resumes_at else None,
            "productsLeft": self.products_left,
            "requestsLeft": self.requests_left,
        }


def stopped_at(error: RateLimitError, client: ShopClient, products_left: int, per_product: float) -> PushStop:
    """The stop ``error`` made, with ``products_left`` products costing about ``per_product`` each."""
    blocking = blocking_window(client.pacer.status()) if error.reset_seconds is not None else None
    if blocking is not None:
        reason = f"the shop's {blocking.name} request limit ({thousands(blocking.limit or 0)}) is used up"
        resumes: datetime | None = after(error.reset_seconds or blocking.reset_in or 0.0)
    else:
        reason, resumes = limit_reason(str(error)), None
    return PushStop(reason, resumes, products_left, math.ceil(products_left * per_product))


class PushStopped(RateLimitError):
    """A push stopped while planning: nothing was written; ``stop`` says what is left."""

    def __init__(self, error: RateLimitError, stop: PushStop, planned: int, requests: int) -> None:
        lines = [
            f"the push stopped while planning, after {thousands(requests)} API requests "
            f"({planned} product(s) planned); nothing was written",
            *stop.lines(),
        ]
        super().__init__("\n".join(lines), reset_seconds=error.reset_seconds, status=error.status)
        self.stop = stop
