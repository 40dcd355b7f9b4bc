"""The drill's answer: data kind × action, the share restored exactly, the requests, every difference."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .compare import Difference
from .rounds import ACTIONS, Outcome


@dataclass
class Tally:
    exact: int = 0
    total: int = 0

    @property
    def share(self) -> float:
        return self.exact / self.total if self.total else 1.0


@dataclass
class Report:
    last: str  # the last synced state the drill loaded
    products: list[int]
    retail: bool
    actions: list[str] = field(default_factory=lambda: list(ACTIONS))
    rows: dict[str, dict[str, Tally]] = field(default_factory=dict)  # kind → action → tally
    differences: list[tuple[str, Difference]] = field(default_factory=list)  # (action, difference)
    failures: list[tuple[str, int, str]] = field(default_factory=list)  # (action, product, why)
    requests: dict[str, Tally] = field(default_factory=dict)  # action → (floor as exact, requests as total)
    left_to_retail: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, action: str, kind: str, exact: bool) -> None:
        tally = self.rows.setdefault(kind, {}).setdefault(action, Tally())
        tally.total += 1
        tally.exact += exact

    def add_outcome(self, action: str, outcome: Outcome) -> None:
        spent = self.requests.setdefault(action, Tally())
        spent.exact += outcome.floor
        spent.total += outcome.requests
        if outcome.failure:
            self.failures.append((action, outcome.pid, outcome.failure))
        self.notes += [f"[{ACTIONS[action]}] {outcome.pid}: {note}" for note in outcome.notes]

    def below(self, least: float) -> list[str]:
        """``kind (action)`` for each cell under ``least``."""
        return [
            f"{kind} ({ACTIONS[action]})"
            for kind, cells in sorted(self.rows.items())
            for action, tally in cells.items()
            if tally.share < least
        ]

    def lines(self) -> list[str]:
        shop = "a shop linked to Lightspeed Retail" if self.retail else "a shop not linked to Retail"
        out = [f"Drill of {len(self.products)} product(s) of {shop}, from the last synced state {self.last[:10]}:", ""]
        names = [ACTIONS[a] for a in self.actions]
        width = max([len("requests (minimum)"), *map(len, self.rows)]) + 2
        out.append("".ljust(width) + "".join(name.rjust(20) for name in names))
        for kind in sorted(self.rows):
            cells = [self.rows[kind].get(a, Tally()) for a in self.actions]
            out.append(kind.ljust(width) + "".join(f"{c.exact}/{c.total}".rjust(20) for c in cells))
        spent = [self.requests.get(a, Tally()) for a in self.actions]
        out.append("requests (minimum)".ljust(width) + "".join(f"{s.total} ({s.exact})".rjust(20) for s in spent))
        if self.left_to_retail:
            out += ["", f"Owned by Retail on a successor, not compared: {', '.join(self.left_to_retail)}"]
        if self.failures:
            out += ["", "Not restored:"]
            out += [f"  [{ACTIONS[a]}] {pid}: {why}" for a, pid, why in self.failures]
        if self.differences:
            out += ["", "Differences (product, field: expected, got):"]
            out += [f"  [{ACTIONS[a]}] {d.line()}" for a, d in self.differences]
        if self.notes:
            out += ["", "Notes:", *(f"  {note}" for note in self.notes)]
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "last": self.last,
            "products": self.products,
            "retail": self.retail,
            "actions": {a: ACTIONS[a] for a in self.actions},
            "kinds": {
                kind: {a: {"exact": t.exact, "total": t.total} for a, t in cells.items()}
                for kind, cells in sorted(self.rows.items())
            },
            "requests": {a: {"requests": t.total, "minimum": t.exact} for a, t in self.requests.items()},
            "failures": [{"action": a, "product": pid, "why": why} for a, pid, why in self.failures],
            "differences": [{"action": a, **d.to_json()} for a, d in self.differences],
            "leftToRetail": self.left_to_retail,
            "notes": self.notes,
            "seconds": round(self.seconds, 2),
        }
