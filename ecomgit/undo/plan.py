"""The plan of an undo: per product, each unit a commit changed, taken back where the mirror still
holds the value that commit set; what was changed again since, left alone and named.

Commits are taken newest first (one ``REV``, or each sync commit in a ``--since/--until`` window),
each against the state the newer ones' undo leaves, so a field a window changed twice goes back to
its value before the window. The values compared are the mirror's: ``HEAD`` holds the shop's state
as the last sync (or push, restore, undo) read it. What the shop changed after that is caught when
the undo is written: push's three-way check refuses a product whose field the shop changed since.

The plan is also a commit: HEAD with each product file (and image folder) as the undo leaves it,
made with git's plumbing on a private index. ``--propose`` puts a branch on it; a direct undo
hands it to push (:mod:`ecomgit.undo.run`) as the revision to send.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecomgit import commits, gitrepo, newproducts, records
from ecomgit.api.values import as_str
from ecomgit.config import Config
from ecomgit.errors import EcomgitError
from ecomgit.history import commit_kind
from ecomgit.mirror import files, layout
from ecomgit.revisions import Version, versions_at
from ecomgit.text import one_line
from ecomgit.undo import units as u
from ecomgit.undo.units import ABSENT, Unit
from ecomgit.write.propose import commit_files

UNDO_TRAILER = gitrepo.UNDO_TRAILER


@dataclass(frozen=True)
class Commit:
    sha: str
    parent: str | None
    date: str  # committer date, ISO
    kind: str  # sync, push, restore, undo or edit
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:10]

    def words(self) -> str:
        return f"{self.kind} {self.short} on {self.date[:16].replace('T', ' ')}"


@dataclass
class Step:
    """One unit taken back: from ``now`` (what ``commit`` set) to ``back`` (what it was before)."""

    unit: Unit
    now: Any
    back: Any
    commit: Commit
    forced: bool = False  # --force-field: taken back although changed again since


@dataclass
class Left:
    unit: Unit
    commit: Commit  # the commit whose change is not taken back
    why: str


@dataclass
class ProductUndo:
    pid: int
    title: str
    folder: str
    now: Version
    steps: list[Step] = field(default_factory=list)
    left: list[Left] = field(default_factory=list)

    def product(self) -> dict[str, Any]:
        """The product file as the undo leaves it."""
        return u.rebuild(self.now.product, {step.unit: step.back for step in self.steps})

    def images(self) -> dict[str, str] | None:
        """The image folder (file name → blob id) as the undo leaves it; None: unchanged."""
        step = next((s for s in self.steps if s.unit == ("images",)), None)
        return u.image_files(step.back) if step is not None else None

    def describe(self, key: Hashable) -> str:
        variant = next((v for v in self.now.product.get("variants") or [] if v.get("id") == key), None)
        code = as_str((variant or {}).get("sku")) or as_str((variant or {}).get("articleCode"))
        return f"variant {key}" + (f" ({code})" if code else "")


@dataclass
class Gone:
    """A product a commit deleted (to restore) or created (to list), or one the undo cannot touch."""

    pid: int
    title: str
    commit: Commit
    why: str = ""  # for a created product: why it cannot be deleted ("": it can)
    folder: str = ""  # a created product's folder


@dataclass
class UndoPlan:
    commits: list[Commit]
    products: list[ProductUndo] = field(default_factory=list)  # with something to take back or to say
    deleted: list[Gone] = field(default_factory=list)  # products the commits deleted: restored
    created: list[Gone] = field(default_factory=list)  # products the commits created: listed
    untouched: list[Gone] = field(default_factory=list)  # products left whole, and why
    retail: bool = False

    @property
    def changing(self) -> list[ProductUndo]:
        return [p for p in self.products if p.steps]

    @property
    def empty(self) -> bool:
        return not self.changing and not self.deleted

    def trailers(self) -> list[str]:
        return [f"{UNDO_TRAILER}: {c.sha}" for c in self.commits]

    def headline(self) -> str:
        if len(self.commits) == 1:
            c = self.commits[0]
            return f"Undo {c.kind} {c.short}: {one_line(c.subject)[:60]}"
        return f"Undo {len(self.commits)} sync commits ({self.commits[-1].short}..{self.commits[0].short})"


def read_commits(root: Path, shas: Sequence[str]) -> list[Commit]:
    """The commits ``shas`` (in that order) with their first parent, date, kind and subject."""
    if not shas:
        return []
    fmt = "%H%x1f%P%x1f%cI%x1f%s%x1f%B%x1e"
    out = gitrepo.run(root, "log", "--no-walk=unsorted", f"--format={fmt}", *shas)
    found = {}
    for entry in out.split("\x1e"):
        parts = entry.strip("\n").split("\x1f")
        if len(parts) < 5:
            continue
        sha, parents, date, subject, body = parts[:5]
        parent = parents.split()[0] if parents.split() else None
        found[sha] = Commit(sha, parent, date, commit_kind(body), subject)
    return [found[sha] for sha in shas if sha in found]


def sync_commits(root: Path, since: str | None, until: str | None) -> list[Commit]:
    """The sync records on HEAD's history made in the window, newest first."""
    window = [f"--since={_whole_day(since, '00:00:00')}"] if since else []
    window += [f"--until={_whole_day(until, '23:59:59')}"] if until else []
    shas = gitrepo.run(root, "rev-list", *window, "HEAD").split()
    syncs = [r.sha for r in records.records(root) if r.kind == "sync"]
    first = syncs[-1] if syncs else None  # the first mirror of the shop: a record, not a change
    return read_commits(root, [sha for sha in shas if sha in syncs and sha != first])


def _whole_day(moment: str, time: str) -> str:
    """A bare date as the start (or end) of that day: git would take it at this moment's time of day."""
    return f"{moment} {time}" if len(moment.strip()) == 10 else moment


def plan_undo(
    root: Path,
    config: Config,
    targets: Sequence[Commit],
    products: Iterable[int] = (),
    *,
    fields: Sequence[str] = (),
    force: Sequence[str] = (),
) -> UndoPlan:
    """Take back what ``targets`` (newest first) changed, in the products named (all when none)."""
    languages = list(config.languages)
    plan = UndoPlan(list(targets), retail=newproducts.retail_linked(root, config))
    only = set(products)
    pending = records.pending(root).folders
    head = gitrepo.resolve(root, "HEAD")
    changes: dict[int, list[tuple[Commit, Version | None, Version | None]]] = {}
    for target in targets:
        if target.parent is None:
            raise EcomgitError(
                f"commit {target.short} is the first of the history: there is nothing before it to go back to"
            )
        if not _in_history(root, target.sha, head):
            raise EcomgitError(
                f"commit {target.short} is not in this branch's history, so the shop never got what it changed "
                "from here; undo a commit 'git log' lists (merge its branch first if that is what you mean)"
            )
        if target.kind == "sync" and not records.records(root, target.parent):
            raise EcomgitError(
                f"commit {target.short} is this mirror's first sync: it recorded the shop as it was, so there is no "
                "change of the shop to take back ('ecomgit log --shop' lists the changes)"
            )
        befores, afters = _sides(root, target)
        here = [pid for pid in sorted(set(befores) | set(afters)) if not only or pid in only]
        for pid in here:
            changes.setdefault(pid, []).append((target, befores.get(pid), afters.get(pid)))
    nows = versions_at(root, head, changes)
    for pid, seen in sorted(changes.items()):
        if not seen:
            continue
        newest_after = seen[0][2]
        title = _title(nows.get(pid) or newest_after or seen[-1][1], languages[0])
        first, last = seen[-1][0], seen[0][0]
        if seen[-1][1] is None and newest_after is not None:  # the oldest commit created it
            made = Gone(pid, title, first, folder=newest_after.folder)
            if pid not in nows:
                made.why = "deleted from the shop since"
            elif _folder_entry(root, head, pid) != _folder_entry(root, last.sha, pid):
                made.why = "changed since the commit made it: delete it by hand if you mean to"
            plan.created.append(made)
            continue
        if seen[0][2] is None and pid not in nows:  # the newest commit deleted it, and it is still gone
            plan.deleted.append(Gone(pid, title, last))
            continue
        now = nows.get(pid)
        if now is None:
            plan.untouched.append(Gone(pid, title, last, "deleted from the shop since; see 'ecomgit lost'"))
            continue
        if pid in pending:
            plan.untouched.append(
                Gone(pid, title, last, "its file holds edits not pushed yet: push or discard them, then undo again")
            )
            continue
        item = ProductUndo(pid, title, now.folder, now)
        _take_back(item, seen, fields, force, plan.retail)
        if item.left:
            _name_later(root, item, head)
        if item.steps or item.left:
            plan.products.append(item)
    return plan


def _take_back(
    item: ProductUndo,
    seen: list[tuple[Commit, Version | None, Version | None]],
    fields: Sequence[str],
    force: Sequence[str],
    retail: bool,
) -> None:
    state = u.units(item.now)
    start = dict(state)
    taken: dict[Unit, Step] = {}
    for commit, before, after in seen:  # newest first
        if before is None or after is None:
            continue  # deleted and made again within the window: its content is the newer one's
        old, new = u.units(before), u.units(after)
        for unit in [*old, *(k for k in new if k not in old)]:
            was, set_to = old.get(unit, ABSENT), new.get(unit, ABSENT)
            if was == set_to or not u.wanted(unit, fields):
                continue
            if unit[0] == "variants" and len(unit) == 2:
                verb = "added" if was is ABSENT else "removed"
                item.left.append(
                    Left(unit, commit, f"{verb} by {commit.words()}: variants are not added or removed by an undo")
                )
                continue
            if unit[0] == "variants" and ("variants", unit[1]) not in start:
                continue  # the variant is gone now: nothing of it to take back
            if retail and u.retail_owned(unit, was is ABSENT):
                item.left.append(Left(unit, commit, "owned by Lightspeed Retail: left as Retail has it"))
                continue
            current = state.get(unit, ABSENT)
            forced = current != set_to
            if forced and not (force and u.wanted(unit, force)):
                item.left.append(Left(unit, commit, ""))  # named by _name_later
                continue
            state[unit] = was
            if unit in taken:
                taken[unit].back, taken[unit].commit = was, commit
            else:
                taken[unit] = Step(unit, start.get(unit, ABSENT), was, commit, forced)
    item.steps = [step for step in taken.values() if step.now != step.back]


def _name_later(root: Path, item: ProductUndo, head: str) -> None:
    """Say, for each unit left because it changed again, which later commit changed it."""
    open_ = [left for left in item.left if not left.why]
    if not open_:
        return
    oldest = min((left.commit for left in open_), key=lambda c: c.date)
    paths = ["--", f"{layout.PRODUCTS_DIR}/{item.pid}-*", f"{layout.PRODUCTS_DIR}/{item.pid}"]
    shas = gitrepo.run(root, "rev-list", "--reverse", f"{oldest.sha}..{head}", *paths).split()
    later = read_commits(root, shas)
    previous: dict[Unit, Any] | None = None
    found: dict[Unit, Commit] = {}
    for commit in later:
        version = versions_at(root, commit.sha, [item.pid]).get(item.pid)
        values = u.units(version) if version is not None else {}
        if previous is None:
            parent = versions_at(root, commit.parent, [item.pid]).get(item.pid) if commit.parent else None
            previous = u.units(parent) if parent is not None else {}
        for left in open_:
            if left.unit not in found and values.get(left.unit, ABSENT) != previous.get(left.unit, ABSENT):
                found[left.unit] = commit
        previous = values
    for left in open_:
        again = found.get(left.unit)
        by = f"{again.words()}" if again is not None else "a later commit"
        left.why = (
            f"changed again by {by}: left as it is (--force-field {u.field_name(left.unit)} to take it back anyway)"
        )


def _in_history(root: Path, sha: str, head: str) -> bool:
    """Whether commit ``sha`` is ``head`` or one of its ancestors."""
    return gitrepo.run(root, "rev-list", "--count", f"{head}..{sha}").strip() == "0"


def _sides(root: Path, target: Commit) -> tuple[dict[int, Version], dict[int, Version]]:
    """The products ``target`` changed: as they were before it and as it left them.

    Before a sync or a person's commit is its parent. Before a write's record (push, restore, undo)
    is what the shop held as the record before it said: its parent holds the edit the write sent,
    which was in git but not yet in the shop."""
    assert target.parent is not None
    own = next((r for r in records.records(root, target.sha)[:1] if r.sha == target.sha), None)
    if target.kind == "sync" or own is None or own.kind == "sync":
        changed = _changed(root, target.parent, target.sha)
        return versions_at(root, target.parent, changed), versions_at(root, target.sha, changed)
    history = records.records(root, target.parent)
    pids: set[int] = set(_changed(root, target.parent, target.sha))
    pids |= set(own.recorded) if own.recorded is not None else set(pending_at(root, target.parent))
    by_record: dict[str, list[int]] = {}
    for pid in pids:
        base = next((r for r in history if r.reads(pid)), None)
        if base is not None:
            by_record.setdefault(base.sha, []).append(pid)
    befores = {pid: v for sha, some in by_record.items() for pid, v in versions_at(root, sha, some).items()}
    afters = versions_at(root, target.sha, pids)
    same = {
        pid
        for pid in pids
        if pid in befores
        and pid in afters
        and (befores[pid].product, befores[pid].image_blobs) == (afters[pid].product, afters[pid].image_blobs)
    }
    return (
        {pid: v for pid, v in befores.items() if pid not in same},
        {pid: v for pid, v in afters.items() if pid not in same},
    )


def pending_at(root: Path, sha: str) -> list[int]:
    """The products with edits not in the shop at commit ``sha``."""
    return list(records.pending_at(root, sha).folders)


def _changed(root: Path, parent: str, sha: str) -> list[int]:
    """The products whose folder differs between two commits (file or images)."""
    old, new = commits.products(root, parent), commits.products(root, sha)
    out = set()
    for name in set(old) | set(new):
        if old.get(name) != new.get(name) and (pid := layout.folder_product_id(name)) is not None:
            out.add(pid)
    return sorted(out)


def _folder_entry(root: Path, sha: str, pid: int) -> commits.Folder | None:
    listed = commits.products(root, sha)
    return next((entry for name, entry in listed.items() if layout.folder_product_id(name) == pid), None)


def _title(version: Version | None, language: str) -> str:
    titles = version.product.get("title") if version is not None else None
    return one_line(as_str(titles.get(language))) if isinstance(titles, dict) else ""


# -- the plan as a commit ------------------------------------------------------------------------------


def plan_commit(root: Path, config: Config, plan: UndoPlan, message: str) -> str:
    """A commit on top of HEAD whose product folders are as the undo leaves them (the work tree and
    the index are not touched)."""
    files_at: dict[str, str] = {}
    replaced: list[str] = []
    for item in plan.changing:
        prefix = f"{layout.PRODUCTS_DIR}/{item.folder}"
        data = files.dump_product(item.product(), config.languages)
        files_at[f"{prefix}/{layout.PRODUCT_FILE}"] = gitrepo.run(
            root, "hash-object", "-w", "--stdin", input=data
        ).strip()
        images = item.images()
        if images is not None:  # the folder's images are the ones the undo brings back, by their blobs
            replaced.append(f"{prefix}/{layout.IMAGES_DIR}")
            files_at.update({f"{prefix}/{layout.IMAGES_DIR}/{name}": blob for name, blob in images.items()})
    return commit_files(root, replaced, files_at, message)


# -- what the shop changed, commit by commit (``ecomgit log --shop``) -----------------------------------


@dataclass
class ShopChange:
    commit: Commit
    new: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    fields: dict[str, int] = field(default_factory=dict)  # field name → in how many products it changed

    def line(self) -> str:
        c = self.commit
        kinds = ((self.changed, "changed"), (self.new, "new"), (self.deleted, "deleted"))
        counts = [f"{len(xs)} {word}" for xs, word in kinds if xs]
        total = len(self.changed) + len(self.new) + len(self.deleted)
        named = ", ".join(f"{name} ×{n}" if n > 1 else name for name, n in self.fields.items())
        words = f"{total} product(s) ({', '.join(counts) or 'none'})" + (f": {named}" if named else "")
        return f"{c.date[:16].replace('T', ' ')}  {c.short}  {words}"

    def to_json(self) -> dict[str, Any]:
        c = self.commit
        return {
            "commit": c.sha, "date": c.date, "subject": c.subject, "new": self.new, "deleted": self.deleted,
            "changed": self.changed, "fields": self.fields,
        }  # fmt: skip


def shop_changes(root: Path, limit: int | None = 20) -> list[ShopChange]:
    """The sync commits on HEAD's history (the shop-side changes), newest first, with the products
    and the fields each changed (only products on both sides are read: a first sync's thousands of
    new products are counted from the folder listing)."""
    syncs = [r.sha for r in records.records(root) if r.kind == "sync"][: limit or None]
    out = []
    for commit in read_commits(root, syncs):
        change = ShopChange(commit)
        held_before = _ids(root, commit.parent) if commit.parent else set()
        held_after = _ids(root, commit.sha)
        pids = _changed(root, commit.parent, commit.sha) if commit.parent else sorted(held_after)
        change.new = [pid for pid in pids if pid not in held_before]
        change.deleted = [pid for pid in pids if pid not in held_after]
        change.changed = [pid for pid in pids if pid in held_before and pid in held_after]
        befores = versions_at(root, commit.parent, change.changed) if commit.parent else {}
        afters = versions_at(root, commit.sha, change.changed)
        counted: dict[str, int] = {}
        for pid in change.changed:
            before, after = befores.get(pid), afters.get(pid)
            old, new = (u.units(before) if before else {}), (u.units(after) if after else {})
            for name in {u.field_name(k) for k in set(old) | set(new) if old.get(k, ABSENT) != new.get(k, ABSENT)}:
                counted[name] = counted.get(name, 0) + 1
        change.fields = dict(sorted(counted.items(), key=lambda kv: (-kv[1], kv[0])))
        out.append(change)
    return out


def _ids(root: Path, sha: str) -> set[int]:
    """The products a commit holds, from its folder listing (no file read)."""
    return {pid for name in commits.products(root, sha) if (pid := layout.folder_product_id(name)) is not None}
