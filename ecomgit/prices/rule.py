"""The 30-day rule, asked of each variant that shows an old price.

A variant *announces a reduction* when its compared old price (``oldPriceIncl``, or
``oldPriceExcl`` with ``prices.compare: excl``) is above 0 and above its price. The reduction
started at the first capture of the unbroken run of captures that showed one (a progressive
reduction, 100 → 80 → 60 with the old price shown throughout, is one run). The window is the
``windowDays`` before that capture; the prices applied in it are each point whose time in effect
(from its capture to the next point) overlaps the window. The answer is only as exact as the
captures: the reduction began after the capture before the one that saw it, and a price applied
and taken back between two captures is never seen, so the longest capture interval in the
window is given, and marked when it is longer than ``maxGapDays``.
"""

from __future__ import annotations

import bisect
import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ecomgit.config import PriceRules
from ecomgit.prices.parse import VariantPrices
from ecomgit.prices.reading import Capture, History, Point, VariantHistory

DAY = 86400


@lru_cache(maxsize=4096)  # a history has a few hundred captures; each row names several
def iso(time: int) -> str:
    return datetime.fromtimestamp(time, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def compared(prices: VariantPrices | None, basis: str) -> tuple[Decimal | None, Decimal | None]:
    """(price, old price) on the basis ``incl`` or ``excl``."""
    if prices is None:
        return None, None
    return (prices.price_incl, prices.old_incl) if basis == "incl" else (prices.price_excl, prices.old_excl)


def announces(prices: VariantPrices | None, basis: str) -> bool:
    price, old = compared(prices, basis)
    return price is not None and old is not None and old > 0 and old > price


@dataclass(frozen=True)
class Evidence:
    commit: str
    date: str
    kind: str
    price: Decimal | None
    old: Decimal | None

    def to_json(self) -> dict[str, Any]:
        return {
            "commit": self.commit,
            "date": self.date,
            "kind": self.kind,
            "price": _num(self.price),
            "oldPrice": _num(self.old),
        }


@dataclass
class Row:
    pid: int
    vid: int
    title: str
    codes: tuple[str, ...]
    basis: str
    price: Decimal
    old: Decimal
    started: Evidence  # the capture that first saw the reduction
    started_after: str | None  # the capture before it: the reduction began between the two
    window_from: str
    lowest: Decimal | None  # None: no price before the reduction is known
    lowest_at: Evidence | None
    status: str  # ok | above | unknown
    known_since: str
    young: bool  # the variant appeared inside the window: the lowest is over its days on sale
    days_known: float
    longest_gap_days: float  # the longest interval between captures that overlaps the window
    gap: bool  # a capture gap (or a mirror younger than the window) could hide a lower price
    gap_note: str
    evidence: list[Evidence] = field(default_factory=list)  # prices applied in the window, oldest first

    @property
    def flagged(self) -> bool:
        return self.status == "above"

    def to_json(self) -> dict[str, Any]:
        return {
            "product": self.pid,
            "variant": self.vid,
            "title": self.title,
            "codes": list(self.codes),
            "compare": self.basis,
            "price": _num(self.price),
            "oldPrice": _num(self.old),
            "reductionStarted": self.started.to_json(),
            "startedAfter": self.started_after,
            "windowFrom": self.window_from,
            "lowest": _num(self.lowest),
            "lowestAt": self.lowest_at.to_json() if self.lowest_at else None,
            "status": self.status,
            "oldPriceAboveLowest": self.flagged,
            "knownSince": self.known_since,
            "youngerThanWindow": self.young,
            "daysKnown": round(self.days_known, 2),
            "longestCaptureGapDays": round(self.longest_gap_days, 2),
            "captureGap": self.gap,
            "captureGapNote": self.gap_note,
            "evidence": [item.to_json() for item in self.evidence],
        }


@dataclass
class Report:
    rows: list[Row]
    excluded: int
    captures: int
    median_interval_hours: float | None
    longest_interval_days: float | None
    first_capture: str | None
    last_capture: str | None
    rules: PriceRules

    def to_json(self) -> dict[str, Any]:
        return {
            "compare": self.rules.basis,
            "windowDays": self.rules.window_days,
            "tolerance": _num(self.rules.tolerance),
            "maxGapDays": self.rules.max_gap_days,
            "captures": self.captures,
            "firstCapture": self.first_capture,
            "lastCapture": self.last_capture,
            "medianCaptureIntervalHours": _round(self.median_interval_hours),
            "longestCaptureIntervalDays": _round(self.longest_interval_days),
            "excluded": self.excluded,
            "rows": [row.to_json() for row in self.rows],
        }


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def assess(history: History, rules: PriceRules, pids: set[int] | None = None) -> Report:
    """A row for each variant (of ``pids``, or all) that shows an old price at the last capture."""
    times = [capture.time for capture in history.captures]
    rows: list[Row] = []
    excluded = 0
    for key in sorted(history.variants):
        variant = history.variants[key]
        if (pids is not None and variant.pid not in pids) or not announces(variant.current, rules.basis):
            continue
        if excluded_by(variant, rules):
            excluded += 1
            continue
        rows.append(assess_variant(variant, history.captures, times, rules))
    intervals = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    return Report(
        rows,
        excluded,
        len(times),
        statistics.median(intervals) / 3600 if intervals else None,
        max(intervals) / DAY if intervals else None,
        iso(times[0]) if times else None,
        iso(times[-1]) if times else None,
        rules,
    )


def excluded_by(variant: VariantHistory, rules: PriceRules) -> bool:
    """Whether ``prices.exclude`` names the product (id or a variant code) or one of its categories."""
    products = set(rules.exclude_products)
    return bool(
        str(variant.pid) in products
        or products.intersection(variant.codes)
        or set(rules.exclude_categories).intersection(variant.categories)
    )


def assess_variant(variant: VariantHistory, captures: list[Capture], times: list[int], rules: PriceRules) -> Row:
    points = variant.points
    start = len(points) - 1
    while start > 0 and announces(points[start - 1].prices, rules.basis):
        start -= 1
    began = times[points[start].capture]
    low = began - rules.window_days * DAY
    applied = [
        point
        for k, point in enumerate(points[:start])
        if point.prices is not None and times[points[k + 1].capture] > low
    ]
    priced: list[tuple[Decimal, Point]] = []
    for point in applied:
        value = compared(point.prices, rules.basis)[0]
        if value is not None:
            priced.append((value, point))
    lowest = min(priced, key=lambda item: (item[0], times[item[1].capture]), default=None)
    price, old = compared(points[-1].prices, rules.basis)
    assert price is not None and old is not None
    status = "unknown" if lowest is None else ("above" if old > lowest[0] + rules.tolerance else "ok")
    first = times[points[0].capture]
    young = first > low and points[0].capture > 0
    longest, gap, note = _gaps(times, max(low, first), points[start].capture, points[0].capture, low, rules)
    return Row(
        pid=variant.pid,
        vid=variant.vid,
        title=variant.title,
        codes=variant.codes,
        basis=rules.basis,
        price=price,
        old=old,
        started=_evidence(points[start], captures, rules.basis),
        started_after=iso(times[points[start].capture - 1]) if points[start].capture > 0 else None,
        window_from=iso(low),
        lowest=lowest[0] if lowest else None,
        lowest_at=_evidence(lowest[1], captures, rules.basis) if lowest else None,
        status=status,
        known_since=iso(first),
        young=young,
        days_known=(began - first) / DAY,
        longest_gap_days=longest,
        gap=gap,
        gap_note=note,
        evidence=[_evidence(point, captures, rules.basis) for point in applied],
    )


def _gaps(times: list[int], since: int, start: int, first: int, low: int, rules: PriceRules) -> tuple[float, bool, str]:
    """The longest interval between captures that overlaps [since, capture ``start``], whether it or
    a mirror that began inside the window could hide a price, and why."""
    longest, where = 0, ""
    j = max(bisect.bisect_right(times, since) - 1, 0)
    for k in range(j, start):
        if times[k + 1] - times[k] > longest:
            longest, where = (
                times[k + 1] - times[k],
                f"no capture from {iso(times[k])[:10]} to {iso(times[k + 1])[:10]}",
            )
    if first == 0 and times[0] > low:
        return longest / DAY, True, f"the mirror's history starts {iso(times[0])[:10]}, inside the window"
    gap = longest > rules.max_gap_days * DAY
    return longest / DAY, gap, where if gap else ""


def _evidence(point: Point, captures: list[Capture], basis: str) -> Evidence:
    capture = captures[point.capture]
    price, old = compared(point.prices, basis)
    return Evidence(capture.commit, iso(capture.time), capture.kind, price, old)


def timeline(variant: VariantHistory, captures: list[Capture]) -> list[dict[str, Any]]:
    """Each change of a variant's prices: when, in which capture, the four prices (None: gone)."""
    rows = []
    for point in variant.points:
        capture = captures[point.capture]
        prices = point.prices
        rows.append(
            {
                "commit": capture.commit,
                "date": iso(capture.time),
                "kind": capture.kind,
                "present": prices is not None,
                "priceIncl": _num(prices.price_incl) if prices else None,
                "priceExcl": _num(prices.price_excl) if prices else None,
                "oldPriceIncl": _num(prices.old_incl) if prices else None,
                "oldPriceExcl": _num(prices.old_excl) if prices else None,
            }
        )
    return rows
