"""What a sync did: the summary it prints and the commit message it writes.

A sync stopped by a rate limit or its ``--budget`` raises :class:`SyncStopped` (a
:class:`~ecomgit.errors.RateLimitError`, exit code 1) carrying a summary that says what is left and
when it will be done (:class:`Stopped`, estimated by :func:`eta` from the pacer's windows).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ecomgit.api.pacer import WINDOW_SECONDS, WindowStatus
from ecomgit.errors import RateLimitError
from ecomgit.gitrepo import HELD_TRAILER, SYNC_TRAILER
from ecomgit.sync.unfetched import Unfetched
from ecomgit.text import one_line

_LISTED = 200  # products named per section of a commit message


@dataclass
class Change:
    kind: str  # new | changed | deleted
    product_id: int
    title: str
    fields: list[str] = field(default_factory=list)

    def line(self) -> str:
        mark = {"new": "+", "changed": "~", "deleted": "-"}[self.kind]
        detail = f" ({', '.join(self.fields)})" if self.fields else ""
        return f"  {mark} {self.product_id} {one_line(self.title)}{detail}".rstrip()


@dataclass
class Freshness:
    """The metafield rotation of one sync (docs/request-economy.md)."""

    refreshed: int = 0  # unchanged products whose metafields were re-read
    changed: int = 0  # … and found changed (written like any other change)
    oldest_hours: float | None = None  # the oldest metafield check of any product, after this sync
    unchecked: int = 0  # products whose metafields no sync has read yet (state from before the rotation)
    bound_hours: float | None = None  # every product is re-read within this (and one sync)

    def to_json(self) -> dict[str, Any]:
        return {
            "refreshed": self.refreshed,
            "changed": self.changed,
            "oldestCheckHours": None if self.oldest_hours is None else round(self.oldest_hours, 2),
            "unchecked": self.unchecked,
            "maxAgeHours": None if self.bound_hours is None else round(self.bound_hours, 2),
        }


@dataclass
class Stopped:
    """Why a sync stopped before its commit, what is left and when it will be done."""

    reason: str  # "the shop's daily request limit (12000) is used up"
    products_left: int | None = None  # products still to read in depth (None: the catalog pass is unfinished)
    products_deep: int | None = None  # products this sync reads in depth, in all
    requests_left: int | None = None  # estimated API requests the rest takes
    per_run: int | None = None  # what one period allows: the window's limit, or the budget
    period: str = "run"  # "day", "hour", "5 minutes", or "run" for --budget
    resumes_at: datetime | None = None  # when the window that stopped it starts again
    runs_left: int | None = None  # runs still needed (one per wait too long to sit out)
    done_at: datetime | None = None  # the estimated moment the last request can be sent

    def to_json(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "productsLeft": self.products_left,
            "productsInDepth": self.products_deep,
            "requestsLeft": self.requests_left,
            "limit": self.per_run,
            "per": self.period,
            "resumesAt": _iso(self.resumes_at),
            "runsLeft": self.runs_left,
            "doneAt": _iso(self.done_at),
        }

    def lines(self, requests: int, now: datetime | None = None) -> list[str]:
        now = now or datetime.now(UTC)
        lines = [f"Stopped after {thousands(requests)} API requests: {self.reason}. Nothing is committed yet."]
        if self.products_left is None or self.requests_left is None:
            lines.append(
                "Left: the rest of the catalog pass, then the products to read in depth (the next run continues)."
            )
            return lines
        deep = f"{thousands(self.products_left)} of {thousands(self.products_deep or 0)} products to read in depth"
        lines.append(f"Left: {deep}; about {thousands(self.requests_left)} API requests.")
        if self.period == "run" and self.per_run:
            runs = self.runs_left or 1
            lines.append(f"At {thousands(self.per_run)} requests a run (--budget) that takes {_runs(runs)}.")
        elif self.resumes_at is not None:
            rate = f"At {thousands(self.per_run or 0)} requests {_per(self.period)}"
            when = _when(self.resumes_at, now)
            if (self.runs_left or 1) <= 1:
                lines.append(f"{rate} this finishes on the next run after {when} (the limit resets then).")
            else:
                done = f"; done about {_when(self.done_at, now)}" if self.done_at else ""
                lines.append(f"{rate} this takes {_runs(self.runs_left or 1)}, the first after {when}{done}.")
        return lines


class SyncStopped(RateLimitError):
    """A sync stopped at a rate limit or its budget; what it read is kept, ``summary`` says what is left."""

    def __init__(self, error: RateLimitError, summary: Summary) -> None:
        super().__init__(
            str(error), reset_seconds=error.reset_seconds, status=error.status, method=error.method, path=error.path
        )
        self.summary = summary


def eta(windows: Sequence[WindowStatus], requests: int, max_wait: float) -> tuple[float, int] | None:
    """Seconds until ``requests`` more requests can have been sent under ``windows``, and the runs
    that takes (a new run after every wait longer than ``max_wait``); ``None`` when the windows are
    unknown. Windows last as long as the real API's (5 minutes, an hour, a day)."""
    known = [
        [float(w.limit), float(w.remaining if w.remaining is not None else w.limit), w.reset_in or 0.0, length]
        for w, length in zip(windows, WINDOW_SECONDS, strict=False)
        if w.limit
    ]
    if not known:
        return None
    now, left, runs = 0.0, requests, 0
    for _ in range(100_000):
        send = min(left, int(max(0.0, min(math.floor(w[1]) for w in known))))
        left -= send
        runs = max(runs, 1 if send else 0)
        for w in known:
            w[1] -= send
        if left <= 0:
            return now, max(runs, 1)
        reset = min(w[2] for w in known if w[1] < 1)
        runs += 1 if reset - now > max_wait else 0  # a wait no run sits out: the next run continues
        now = reset
        for w in known:
            while w[2] <= now:
                w[1], w[2] = w[0], w[2] + w[3]
    return None


def thousands(number: int) -> str:
    """``12 000``: thousands set apart by a space, as a merchant reads them."""
    return f"{number:,}".replace(",", " ")


def _runs(runs: int) -> str:
    return "one more run" if runs == 1 else f"{runs} more runs"


def _per(period: str) -> str:
    return {"day": "a day", "hour": "an hour", "5 minutes": "per 5 minutes"}.get(period, f"per {period}")


def _when(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "later"
    moment = moment.astimezone(UTC)
    return moment.strftime("%H:%M UTC" if moment.date() == now.astimezone(UTC).date() else "%Y-%m-%d %H:%M UTC")


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def after(seconds: float, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)) + timedelta(seconds=seconds)


@dataclass
class Summary:
    products: int = 0
    changes: list[Change] = field(default_factory=list)
    images_fetched: int = 0
    requests: int = 0
    shop_files: list[str] = field(default_factory=list)
    held: list[int] = field(default_factory=list)
    commit: str | None = None
    resumed: bool = False
    seconds: float = 0.0
    metafields: Freshness = field(default_factory=Freshness)
    stopped: Stopped | None = None
    unfetched: list[Unfetched] = field(default_factory=list)  # images left out, read again next sync
    unfetched_lines: list[str] = field(default_factory=list)  # … each said in one line
    warnings: list[str] = field(default_factory=list)  # what the user should know (a permission the key lacks)
    restyled: int = 0  # product files written again in standard YAML (the same content; once, on upgrade)
    quick: str | None = None  # a quick sync: what it asked the shop ("products changed since …"); None: a full one
    healed: list[str] = field(default_factory=list)  # heal: auto: the restores onto successors it made, in words

    def add(self, change: Change) -> None:
        self.changes.append(change)

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    def headline(self) -> str:
        return f"{self.count('new')} new, {self.count('changed')} changed, {self.count('deleted')} deleted"

    def to_json(self) -> dict[str, Any]:
        return {
            "commit": self.commit,
            "products": self.products,
            "new": self.count("new"),
            "changed": self.count("changed"),
            "deleted": self.count("deleted"),
            "imagesFetched": self.images_fetched,
            "imagesNotFetched": [
                {"id": u.product_id, "file": u.file, "fileId": u.file_id, "reason": u.reason} for u in self.unfetched
            ],
            "requests": self.requests,
            "shopFiles": self.shop_files,
            "held": self.held,
            "resumed": self.resumed,
            "quick": self.quick is not None,
            "healed": self.healed,
            "seconds": round(self.seconds, 3),
            "metafields": self.metafields.to_json(),
            "stopped": None if self.stopped is None else self.stopped.to_json(),
            "warnings": self.warnings,
            "restyled": self.restyled,
            "changes": [
                {"kind": c.kind, "id": c.product_id, "title": c.title, "fields": c.fields} for c in self.changes
            ],
        }


def commit_message(summary: Summary, now: datetime | None = None) -> str:
    """``Sync: 1 new, 2 changed, 0 deleted`` + a section per kind + the sync trailer."""
    moment = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = [f"Sync: {summary.headline()}", ""]
    for kind, heading in (("new", "New"), ("changed", "Changed"), ("deleted", "Deleted")):
        changes = [c for c in summary.changes if c.kind == kind]
        if not changes:
            continue
        lines.append(f"{heading}:")
        lines += [c.line() for c in changes[:_LISTED]]
        if len(changes) > _LISTED:
            lines.append(f"  … and {len(changes) - _LISTED} more")
        lines.append("")
    if summary.shop_files:
        lines += ["Shop settings: " + ", ".join(summary.shop_files), ""]
    if summary.restyled:
        lines += [
            f"Standard YAML: {summary.restyled} file(s) with CRLF text written without the !crlf tag "
            "(the same content; any YAML reader reads them now)",
            "",
        ]
    lines += [f"{SYNC_TRAILER}: {moment}", f"Ecomgit-Requests: {summary.requests}"]
    if summary.held:  # still unpushed: the next sync must keep them too (found from history alone)
        lines.append(f"{HELD_TRAILER}: {' '.join(map(str, summary.held))}")
    return "\n".join(lines) + "\n"


def limit_reason(message: str) -> str:
    """``GET /nl/x.json: the shop's daily … is used up; it resets in …`` → what ran out, in words."""
    method, _, rest = message.partition(" ")
    if method.isupper() and ": " in rest:
        message = rest.split(": ", 1)[1]
    message = message.split("; ")[0].split(". ")[0].rstrip(".")
    return re.sub(r" \([^()]*\)$", "", message)  # "… used up (20 API requests sent)": said elsewhere


def blocking_window(windows: Sequence[WindowStatus]) -> WindowStatus | None:
    """The used-up window that resets last: the one that stopped the run."""
    spent = [w for w in windows if w.remaining is not None and w.remaining <= 0 and w.limit]
    return max(spent, key=lambda w: w.reset_in or 0.0, default=None)
