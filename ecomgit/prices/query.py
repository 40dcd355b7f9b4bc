"""What ``ecomgit prices`` asks: the whole catalog's (or some products') rows, or one variant's timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ecomgit.config import PriceRules
from ecomgit.errors import EcomgitError
from ecomgit.prices.reading import Capture, VariantHistory, read_history
from ecomgit.prices.rule import Report, assess


def parse_when(text: str) -> int:
    """``--at``: a date (the end of that day, UTC) or an ISO date and time, as unix seconds."""
    try:
        if len(text) == 10:
            day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
            return int((day + timedelta(days=1)).timestamp()) - 1
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise EcomgitError(f"--at {text!r} is not a date; write it as 2026-01-31 or 2026-01-31T18:00") from None
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


def catalog(root: Path, rules: PriceRules, pids: set[int] | None = None, until: int | None = None) -> Report:
    """The 30-day rule for every variant (of ``pids``) that shows an old price at the last capture
    up to ``until``: history read in one pass."""
    history = read_history(root, until=until, pids=pids)
    return assess(history, rules, pids)


@dataclass
class Timeline:
    variants: list[VariantHistory]
    captures: list[Capture]


def variant_timeline(root: Path, pid: int, code: str | None, until: int | None = None) -> Timeline:
    """Product ``pid``'s variants (only those with SKU or article code ``code`` when one of them has
    it) with their price points."""
    history = read_history(root, until=until, pids={pid})
    variants = history.of_product(pid)
    chosen = [variant for variant in variants if code is not None and code in variant.codes]
    return Timeline(chosen or variants, history.captures)
