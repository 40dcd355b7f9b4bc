"""``ecomgit status``: what push would send, an unfinished sync, and how old the last sync is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ecomgit import gitrepo, lock, newproducts, records
from ecomgit.config import Config
from ecomgit.mirror import layout, owned
from ecomgit.sync.state import FINISHED, STOPPED, opened
from ecomgit.write.delete import removed_hint


@dataclass
class Status:
    pending: dict[int, str | None] = field(default_factory=dict)  # product id → folder (None: removed)
    removed: dict[int, str] = field(default_factory=dict)  # a removed folder's product → what to do about it
    new_folders: dict[str, str] = field(default_factory=dict)  # a folder with no product id → what to do about it
    uncommitted: list[str] = field(default_factory=list)
    left_behind: dict[str, list[str]] = field(default_factory=dict)  # folder without a product → its files
    sync_unfinished: bool = False
    running: str | None = None  # "sync (pid 123)": a command holding the lock right now
    sync_stopped: str | None = None  # the unfinished sync stopped cleanly (a budget, rate or time limit): why
    last_sync: str | None = None  # the newest sync commit: the last sync that changed something
    last_sync_at: datetime | None = None  # when the last sync finished (here, or that commit's date)
    last_change_at: datetime | None = None  # that commit's date
    changed: bool = True  # whether the last sync made that commit (else it found nothing to change)

    def age(self, now: datetime | None = None) -> str:
        return _ago(self.last_sync_at, now)

    def change_age(self, now: datetime | None = None) -> str:
        return _ago(self.last_change_at, now)

    def to_json(self) -> dict[str, Any]:
        return {
            "pending": [
                {"id": pid, "folder": folder, "removed": self.removed.get(pid)} for pid, folder in self.pending.items()
            ],
            "uncommitted": self.uncommitted,
            "leftBehind": [{"folder": folder, "files": names} for folder, names in self.left_behind.items()],
            "newFolders": [{"folder": name, "advice": why} for name, why in self.new_folders.items()],
            "syncUnfinished": self.sync_unfinished,
            "running": self.running,
            "syncStopped": self.sync_stopped,
            "lastSync": self.last_sync,
            "lastSyncAt": self.last_sync_at.isoformat() if self.last_sync_at else None,
            "lastChangeAt": self.last_change_at.isoformat() if self.last_change_at else None,
            "lastSyncChanged": self.changed,
        }


def _ago(moment: datetime | None, now: datetime | None) -> str:
    if moment is None:
        return "never"
    seconds = int(((now or datetime.now(UTC)) - moment).total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


def status(root: Path, state_path: Path, config: Config | None = None) -> Status:
    found = records.pending(root)
    result = Status(pending=dict(found.folders))
    result.removed = {
        pid: removed_hint(root, pid, found.bases.get(pid)) for pid, folder in found.folders.items() if folder is None
    }
    if config is not None:
        result.new_folders = {name: newproducts.advice(root, config) for name in newproducts.new_folders(root)}
    result.uncommitted = gitrepo.dirty_paths(root, [str(layout.PRODUCTS_DIR), str(layout.SHOP_DIR)])
    result.left_behind = owned.left_behind(root)
    holder = lock.running(state_path.parent / "lock")
    if holder is not None:
        pid, command = holder
        result.running = (command or "command") + (f" (pid {pid})" if pid else "")
    finished: datetime | None = None
    made = ""
    if state_path.exists():
        with opened(state_path) as state:
            result.sync_unfinished = state.run_active()
            result.sync_stopped = state.run_get(STOPPED) if result.sync_unfinished else None
            when, _, made = (state.get_meta(FINISHED) or "").partition(" ")
            finished = datetime.fromisoformat(when).astimezone(UTC) if when else None
    last = records.newest(root, "sync")
    if last is not None:
        result.last_sync = last
        stamp = gitrepo.run(root, "log", "-1", "--format=%cI", last).strip()
        result.last_change_at = datetime.fromisoformat(stamp).astimezone(UTC)
    # a sync that found nothing to change makes no commit: the state says when it finished (a sync
    # in another clone, pulled since, may be newer still)
    if finished is not None and (result.last_change_at is None or finished >= result.last_change_at):
        result.last_sync_at = finished
        result.changed = made == last  # the sync that finished last made the newest sync commit
    else:
        result.last_sync_at, result.changed = result.last_change_at, True
    return result
