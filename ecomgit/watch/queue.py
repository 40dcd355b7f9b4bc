"""The products the shop's webhooks named, waiting to be synced: persisted, debounced.

A product is due once no event for it came for ``debounce`` seconds (a burst of edits is one sync),
or ``most`` seconds after its first event (a product edited without pause is still synced). A
delivery repeated or out of order only moves those times. The queue is a SQLite file in
``.git/ecomgit/`` (``watch.db``): a restart keeps what was queued; a product is removed only after
the sync that read it was committed. Times are wall-clock seconds (``time.time``): they outlive
the process, and a monotonic clock starts again at each boot.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path


class Queue:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS due (product INTEGER PRIMARY KEY, first REAL, last REAL)")

    def close(self) -> None:
        self.db.close()

    def add(self, product: int, now: float) -> None:
        self.db.execute(
            "INSERT INTO due VALUES (?, ?, ?) ON CONFLICT(product) DO UPDATE SET last = max(last, excluded.last)",
            (product, now, now),
        )

    def due(self, now: float, debounce: float, most: float) -> list[int]:
        rows = self.db.execute(
            "SELECT product FROM due WHERE last <= ? OR first <= ? ORDER BY product", (now - debounce, now - most)
        )
        return [int(row[0]) for row in rows]

    def all(self) -> list[int]:
        return [int(row[0]) for row in self.db.execute("SELECT product FROM due ORDER BY product")]

    def done(self, products: Iterable[int], since: float) -> None:
        """Remove ``products`` unless an event came for them after ``since`` (the sync's start)."""
        self.db.executemany("DELETE FROM due WHERE product = ? AND last <= ?", ((p, since) for p in products))

    def __len__(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM due").fetchone()[0])
