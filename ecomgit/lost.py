"""``ecomgit lost``: products the shop deleted, when, their last revision, and likely successors.

Found from history alone (the sync commits that removed their folders), and successors from the
mirror (live products that now hold one of their SKUs, article codes or EANs): no API request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecomgit import records
from ecomgit.api.values import as_str
from ecomgit.mirror import markers
from ecomgit.mirror.duplicates import same_code
from ecomgit.revisions import Deletion, codes_of, deletions, find_by_text, folder_at, read_at, restored_ids
from ecomgit.text import one_line


@dataclass
class Successor:
    pid: int
    title: str
    codes: list[str]  # the codes it shares with the lost product


@dataclass
class Lost:
    pid: int
    title: str
    deleted_in: str  # commit
    deleted_at: str  # ISO date
    last_rev: str
    codes: list[str]
    successors: list[Successor] = field(default_factory=list)
    restored_as: int | None = None
    not_fetched: list[str] = field(default_factory=list)  # images its last revision lists without a file
    retail: bool = False  # the shop is linked to Lightspeed Retail: a product comes back from there
    together: list[int] = field(default_factory=list)  # the lost products whose codes its one successor holds too

    @property
    def waiting(self) -> bool:
        """On a Retail-linked shop, with no live product holding its codes: Retail must publish it again."""
        return self.retail and not self.successors

    @property
    def command(self) -> str:
        if len(self.successors) == 1 and len(self.together) > 1:  # several items into one matrix: one restore
            return f"ecomgit restore {' '.join(map(str, self.together))} --onto {self.successors[0].pid}"
        if len(self.successors) == 1:
            return f"ecomgit restore {self.pid} --onto {self.successors[0].pid}"
        if self.waiting:
            return (
                "publish the item to eCom again from Retail, then: "
                f"ecomgit sync && ecomgit restore {self.pid} --onto auto"
            )
        return f"ecomgit restore {self.pid}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.pid,
            "title": self.title,
            "deletedIn": self.deleted_in,
            "deletedAt": self.deleted_at,
            "lastRevision": self.last_rev,
            "codes": self.codes,
            "successors": [{"id": s.pid, "title": s.title, "codes": s.codes} for s in self.successors],
            "restoredAs": self.restored_as,
            "imagesNotFetched": self.not_fetched,
            "waitingForRetail": self.waiting,
            "restoreWith": self.together,
            "command": self.command,
        }


def find_lost(
    root: Path,
    default_language: str,
    *,
    include_restored: bool = False,
    retail: bool = False,
    removed: list[Deletion] | None = None,
) -> list[Lost]:
    """Products the shop deleted (a sync saw them go), newest first; ``retail``: the shop is linked
    to Lightspeed Retail (those with no successor wait for Retail to publish them again); ``removed``:
    :func:`ecomgit.revisions.deletions` when the caller knows it already (the web view's index)."""
    restored = restored_ids(root)
    # only a sync records that the shop deleted a product; a folder a person removed in a commit of
    # theirs is still in the shop (push --delete deletes it there), so it is not lost
    by_sync = {record.sha for record in records.records(root) if record.kind == "sync"}
    out = []
    for deletion in deletions(root) if removed is None else removed:
        if folder_at(root, "HEAD", deletion.pid) is not None:
            continue  # back in the mirror
        if deletion.commit not in by_sync:
            continue
        if deletion.pid in restored and not include_restored:
            continue
        version, problem = read_at(root, deletion.last_rev, deletion.pid)
        if version is None and problem is None:
            continue
        product = (
            version.product if version is not None else {"title": {default_language: f"(cannot be read: {problem})"}}
        )
        lost = Lost(
            deletion.pid,
            _title(product, default_language),
            deletion.commit,
            deletion.date,
            deletion.last_rev,
            sorted(codes_of(product)),
            restored_as=restored.get(deletion.pid),
            not_fetched=sorted(markers.idents(product.get("images") or [])),
            retail=retail,
        )
        lost.successors = successors(root, lost.codes, default_language)
        out.append(lost)
    for group in groups(out).values():
        for item in group:
            item.together = [other.pid for other in sorted(group, key=lambda lost: lost.pid)]
    return out


def groups(found: Iterable[Lost]) -> dict[int, list[Lost]]:
    """Successor id → the lost products whose codes it alone holds, where it holds those of several
    (items added into one matrix): restored in one go, onto it."""
    by: dict[int, list[Lost]] = {}
    for item in found:
        if len(item.successors) == 1:
            by.setdefault(item.successors[0].pid, []).append(item)
    return {pid: items for pid, items in by.items() if len(items) > 1}


def successors(root: Path, codes: list[str], default_language: str) -> list[Successor]:
    """The mirrored products (at HEAD) holding any of ``codes``, most shared codes first. Codes are
    compared as everywhere else (:func:`ecomgit.mirror.duplicates.same_code`: case aside)."""
    found = []
    for version in find_by_text(root, "HEAD", codes, ignore_case=True):
        shared = shared_codes(codes, codes_of(version.product))
        if shared:
            found.append(Successor(version.pid, _title(version.product, default_language), shared))
    return by_codes_held(found)


def shared_codes(codes: Iterable[str], held: Iterable[str]) -> list[str]:
    """The ones of ``codes`` that ``held`` holds too, case aside."""
    have = {same_code(code) for code in held}
    return [code for code in codes if same_code(code) in have]


def by_codes_held(found: Iterable[Successor]) -> list[Successor]:
    return sorted(found, key=lambda s: (-len(s.codes), s.pid))


def _title(product: dict[str, Any], lang: str) -> str:
    titles = product.get("title")
    return one_line(as_str(titles.get(lang))) if isinstance(titles, dict) else ""
