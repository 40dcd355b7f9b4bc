"""``ecomgit log PRODUCT``: one product's history by id, across renames of its folder, with what
each commit changed in it and whether a sync, a push, a restore or a person made the change."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecomgit import gitrepo
from ecomgit.diff import ProductDiff, compare
from ecomgit.mirror import layout
from ecomgit.revisions import read_at

_KINDS = (
    (gitrepo.UNDO_TRAILER, "undo"),
    (gitrepo.SYNC_TRAILER, "sync"),
    (gitrepo.PUSH_TRAILER, "push"),
    (gitrepo.RESTORE_TRAILER, "restore"),
)


def commit_kind(body: str) -> str:
    """What made a commit, from its message's trailers: undo, sync, push, restore, or a person's edit."""
    return next((name for key, name in _KINDS if f"\n{key}: " in "\n" + body), "edit")


@dataclass
class Entry:
    commit: str
    date: str
    kind: str  # sync | push | restore | undo | edit
    subject: str
    change: ProductDiff | None = None
    lines: list[str] = field(default_factory=list)
    problem: str | None = None  # the product's file there (or before it) cannot be read

    def to_json(self) -> dict[str, Any]:
        return {
            "commit": self.commit,
            "date": self.date,
            "kind": self.kind,
            "subject": self.subject,
            "product": self.change.to_json() if self.change else None,
            "problem": self.problem,
        }


def product_log(root: Path, pid: int, languages: list[str], limit: int | None = None) -> list[Entry]:
    """The commits that changed product ``pid``, newest first."""
    if gitrepo.head(root) is None:
        return []
    paths = ["--", f"{layout.PRODUCTS_DIR}/{pid}-*", f"{layout.PRODUCTS_DIR}/{pid}"]
    shas = gitrepo.run(root, "log", "--format=%H", "HEAD", *paths).split()
    # a push or restore whose result equals the edit it sent changes no file: found by its message
    records = f"^({gitrepo.PUSH_TRAILER}|{gitrepo.RESTORE_TRAILER}): "
    mentions = gitrepo.run(root, "log", "-E", "--format=%H", f"--grep={records}", f"--grep=^ +{pid} ", "--all-match")
    shas += [sha for sha in mentions.split() if sha not in shas]
    if not shas:
        return []
    order = {sha: index for index, sha in enumerate(gitrepo.run(root, "rev-list", "HEAD").split())}
    shas = sorted(set(shas), key=lambda sha: order.get(sha, len(order)))[: limit or None]
    fmt = "%H%x1f%P%x1f%cI%x1f%s%x1f%B%x1e"
    out = gitrepo.run(root, "log", "--no-walk=unsorted", f"--format={fmt}", *shas)
    entries = []
    for record in out.split("\x1e"):
        fields = record.strip("\n").split("\x1f")
        if len(fields) < 5:
            continue
        sha, parents, date, subject, body = fields
        kind = commit_kind(body)
        parent = parents.split()[0] if parents.split() else None
        before, before_problem = read_at(root, parent, pid) if parent else (None, None)
        after, problem = read_at(root, sha, pid)
        problem = problem or before_problem  # one revision that cannot be read: said, and the log goes on
        change = compare(before, after, languages) if (before or after) and problem is None else None
        entry = Entry(sha, date, kind, subject, change if change and change.changes else None, problem=problem)
        entries.append(entry)
    return entries
