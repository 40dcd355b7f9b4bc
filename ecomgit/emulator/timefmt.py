"""Timestamps as the API writes and reads them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

EPOCH = 1_704_067_200  # 2024-01-01T00:00:00Z: loaded and synthetic records are dated in 2024
_UNIX_DAY = date(1970, 1, 1)
_INPUT_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


def iso(timestamp: int) -> str:
    """``2025-01-20T16:51:32+00:00`` for a Unix timestamp (a hot path: catalog pages hold thousands)."""
    days, seconds = divmod(int(timestamp), 86400)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{_day(days)}T{hours:02d}:{minutes:02d}:{secs:02d}+00:00"


@lru_cache(maxsize=4096)
def _day(days: int) -> str:
    return (_UNIX_DAY + timedelta(days=days)).isoformat()


def parse_time(text: str) -> int:
    """A query-string time (``YYYY-MM-DD HH:MM:SS`` UTC, or ISO-8601) as a Unix timestamp.

    Raises ``ValueError`` when the text is neither.
    """
    text = text.strip()
    for fmt in _INPUT_FORMATS:
        try:
            return int(datetime.strptime(text, fmt).replace(tzinfo=UTC).timestamp())
        except ValueError:
            pass
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def stamps(ident: int) -> tuple[int, int]:
    """Deterministic ``(created, updated)`` in 2024 for a record whose dates are not known."""
    created = EPOCH + (ident * 7919) % (300 * 86400)
    return created, created + (ident * 104729) % (30 * 86400)
