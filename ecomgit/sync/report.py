"""What a sync did: the summary it prints and the commit message it writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ecomgit.gitrepo import HELD_TRAILER, SYNC_TRAILER
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
            "images_fetched": self.images_fetched,
            "requests": self.requests,
            "shop_files": self.shop_files,
            "held": self.held,
            "resumed": self.resumed,
            "seconds": round(self.seconds, 3),
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
    lines += [f"{SYNC_TRAILER}: {moment}", f"Ecomgit-Requests: {summary.requests}"]
    if summary.held:  # still unpushed: the next sync must keep them too (found from history alone)
        lines.append(f"{HELD_TRAILER}: {' '.join(map(str, summary.held))}")
    return "\n".join(lines) + "\n"
