"""``ecomgit status``: what push would send, an unfinished sync, and how old the last sync is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ecomgit import gitrepo, records
from ecomgit.mirror import layout, owned
from ecomgit.revisions import pending_products
from ecomgit.sync.state import opened


@dataclass
class Status:
    pending: dict[int, str | None] = field(default_factory=dict)  # product id → folder (None: removed)
    uncommitted: list[str] = field(default_factory=list)
    left_behind: dict[str, list[str]] = field(default_factory=dict)  # folder without a product → its files
    sync_unfinished: bool = False
    last_sync: str | None = None  # commit
    last_sync_at: datetime | None = None

    def age(self, now: datetime | None = None) -> str:
        if self.last_sync_at is None:
            return "never"
        seconds = int(((now or datetime.now(UTC)) - self.last_sync_at).total_seconds())
        for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
            if seconds >= size:
                count = seconds // size
                return f"{count} {unit}{'s' if count != 1 else ''} ago"
        return "just now"

    def to_json(self) -> dict[str, Any]:
        return {
            "pending": [{"id": pid, "folder": folder} for pid, folder in self.pending.items()],
            "uncommitted": self.uncommitted,
            "leftBehind": [{"folder": folder, "files": names} for folder, names in self.left_behind.items()],
            "syncUnfinished": self.sync_unfinished,
            "lastSync": self.last_sync,
            "lastSyncAt": self.last_sync_at.isoformat() if self.last_sync_at else None,
        }


def status(root: Path, state_path: Path) -> Status:
    result = Status(pending=pending_products(root))
    result.uncommitted = gitrepo.dirty_paths(root, [str(layout.PRODUCTS_DIR), str(layout.SHOP_DIR)])
    result.left_behind = owned.left_behind(root)
    if state_path.exists():
        with opened(state_path) as state:
            result.sync_unfinished = state.run_active()
    last = records.newest(root, "sync")
    if last is not None:
        result.last_sync = last
        stamp = gitrepo.run(root, "log", "-1", "--format=%cI", last).strip()
        result.last_sync_at = datetime.fromisoformat(stamp).astimezone(UTC)
    return result
