"""Which of a pending product's changed fields are edits: decided per field, not per product.

A field can differ between a product's base (its file at the newest record that read it from the
shop) and HEAD for two reasons:

- someone **edited** it after that record: a commit after the record set the field to the value
  HEAD holds (a merge counts when it set a value none of its parents had: a conflict resolved by
  hand);
- a **merge brought back** an older value: a side that never saw the record (a colleague's branch
  from before the record, a conflict resolved with "keep mine") still held the shop's earlier
  value, and the merge took that side's file. Nobody edited the field; pushing it would write the
  shop's old value over what the record wrote (a colleague's push).

Only edits are pushed. A value brought back is left as the shop has it, with a note naming the
merge, and the record that reads the product back puts the shop's value into the file. A
deliberate revert is a commit of its own that sets the old value: an edit, and sent. Commits that
are records themselves (a sync, push or restore that read the product) hold the shop's state, never
anyone's edit.

Linear history since the record needs no look: every difference there was made by a commit after
it. Only when merges came after the record are the product's commits read, field by field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path as FsPath
from typing import Any

from ecomgit import gitrepo, records
from ecomgit.errors import MirrorError
from ecomgit.mirror import layout
from ecomgit.revisions import Version, version_at
from ecomgit.write.fields import MISSING, Path
from ecomgit.write.sides import version_side


@dataclass(frozen=True)
class BroughtBack:
    merge: str  # the merge whose result holds the older value
    record: str  # the record whose read it would undo

    def why(self) -> str:
        return (
            f"merge {self.merge[:10]} brought back the value from before record {self.record[:10]} (a side that "
            "never saw it, e.g. a conflict resolved with 'keep mine'); not an edit, so left as the shop has it. "
            "To send it, set it again in a commit of its own, or push with --ours"
        )


def brought_back(
    base: Version, ours: Version, paths: Iterable[Path], languages: Sequence[str]
) -> dict[Path, BroughtBack]:
    """Among ``paths`` (where ``ours`` at HEAD differs from ``base``, a record), those no commit after
    the record set to ``ours``' value."""
    root, since, head = ours.root, base.rev, ours.rev
    wanted = list(paths)
    if not wanted or since is None or head is None or not _merges_between(root, since, head):
        return {}
    flat_ours = version_side(ours, languages).flat
    value = {path: flat_ours.get(path, MISSING) for path in wanted}
    readers = {r.sha for r in records.records(root, head) if r.reads(ours.pid)}
    folders = {base.folder, ours.folder}
    specs = [f":(literal){layout.PRODUCTS_DIR}/{folder}" for folder in sorted(folders)]
    out = gitrepo.run(root, "log", "--full-history", "--format=%H %P", f"{since}..{head}", "--", *specs)
    undecided = set(wanted)
    merges: list[str] = []
    for line in out.splitlines():
        commit, *parents = line.split()
        if commit in readers:
            continue  # a record: the shop's state, not an edit
        if len(parents) > 1:
            merges.append(commit)
        here = _flat(root, commit, ours.pid, languages)
        before = [_flat(root, parent, ours.pid, languages) for parent in parents]
        for path in list(undecided):
            if here.get(path, MISSING) == value[path] and all(p.get(path, MISSING) != value[path] for p in before):
                undecided.discard(path)  # this commit set it: an edit
        if not undecided:
            return {}
    merge = merges[0] if merges else head
    return {path: BroughtBack(merge, since) for path in wanted if path in undecided}


@lru_cache(maxsize=256)
def _merges_between(root: FsPath, since: str, head: str) -> bool:
    return bool(gitrepo.run(root, "rev-list", "--merges", "-n", "1", f"{since}..{head}").strip())


def _flat(root: FsPath, rev: str, pid: int, languages: Sequence[str]) -> dict[Path, Any]:
    """The product's fields at ``rev`` ({} where it is absent or unreadable: every value there
    counts as different, so a commit after it counts as the edit, as it did before fields)."""
    try:
        version = version_at(root, rev, pid)
    except MirrorError:
        return {}
    return {} if version is None else version_side(version, languages).flat
