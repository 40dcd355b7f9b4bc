"""The shop's state as history records it, and the edits still waiting to reach the shop.

A *record* is a commit a sync, push or restore made right after reading the shop: its product
files are what the shop held then. Which edits are *pending* follows from the records alone, per
product, so it cannot depend on commit order, on how branches were merged, or on what a commit
message happens to quote:

- a product's **base** is its file at the newest record that read it from the shop (a sync reads
  every product except those it held back; a push or restore only those it names in
  ``Ecomgit-Recorded``);
- the product is **pending** when its committed file (at HEAD) differs from its base and a commit
  after that record changed it; a difference no later commit made came from a merge's older side
  (``-s ours``, a conflict resolved the old way): the shop's earlier state, *left behind*, which
  push leaves alone rather than undo the record's write.

"Newest" is the moment the record was made (``Ecomgit-Record: … at=<ms>``), raised above every
record in its own history (a clone's wrong clock cannot reorder those), not the place of the
commit in history, so two clones' records merged either way round give the same answer. A
commit counts as a record only when its trailer block (git's own parsing: the last paragraph)
says so and its ``products/`` tree is still the one it recorded: a squash merge that quotes a
sync's message, or a sync commit rebased onto someone's edits, holds files the shop never had,
and is not a record. (Records written before ``Ecomgit-Record`` existed are trusted as they are
while no stamped record is in their history, which a real one cannot have.)

Nor can a pull request make a record by writing its trailers: each record is sealed with a key only
the steps that write to the shop hold (:mod:`ecomgit.seal`), and where that key is at hand a record
counts only when its seal checks out. Records are ranked by how far they can be trusted (unstamped,
stamped, sealed with another key, sealed with ours), and a record with a higher-ranked one in its
own history is no record: a real one is never made after a better one. A moment above the
commit's own time by more than the clocks of our sealed records were ever seen to be off is not
believed either.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ecomgit import gitrepo, seal
from ecomgit.ids import parse_id
from ecomgit.mirror import layout

RECORD_TRAILER = "Ecomgit-Record"  # "tree=<products/ tree id> at=<unix ms>": what this record holds, and when
RECORDED_TRAILER = "Ecomgit-Recorded"  # the products a push or restore read back from the shop
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
_KINDS = {gitrepo.SYNC_TRAILER: "sync", gitrepo.PUSH_TRAILER: "push", gitrepo.RESTORE_TRAILER: "restore"}
_FIELD, _ENTRY = "\x1f", "\x1e"
# how far a record can be trusted: ranked, a record with a higher-ranked one in its history is none
LEGACY, STAMPED, OTHER_KEY, SEALED = 0, 1, 2, 3
_SKEW_MS = 5_000  # a record's moment may be this far above its commit's time (its clock and git's agree)


@dataclass(frozen=True)
class Record:
    sha: str
    kind: str  # sync, push or restore
    at: int  # when it was made, in milliseconds (author time for records older than Ecomgit-Record)
    held: frozenset[int]  # products it left as they were: their files there are people's edits
    recorded: frozenset[int] | None  # the products it read from the shop; None: every product not held
    verified: bool  # its Ecomgit-Record tree was checked
    trust: int = STAMPED  # LEGACY … SEALED

    def reads(self, pid: int) -> bool:
        return pid not in self.held if self.recorded is None else pid in self.recorded


@dataclass(frozen=True)
class Pending:
    """The products whose committed file differs from what the shop last held by our records."""

    folders: dict[int, str | None]  # id → folder at HEAD (None: its folder was removed)
    bases: dict[int, Record | None]  # id → the record its base comes from (None: never read from the shop)
    stale: dict[int, Record] = field(default_factory=dict)  # id → the newer record a merge left behind


def stamp(
    root: Path,
    recorded: Iterable[int] | None = None,
    now_ms: int | None = None,
    *,
    kind: str,
    held: Iterable[int] = (),
    key: seal.SealKey | None = None,
) -> list[str]:
    """The trailer lines that make the commit about to be made from the index a verifiable record
    (sealed when this machine holds the key; ``held`` must be what its ``Ecomgit-Held`` says)."""
    tree = gitrepo.run(root, "write-tree", f"--prefix={layout.PRODUCTS_DIR}/", check=False).strip() or EMPTY_TREE
    at = now_ms if now_ms is not None else time.time_ns() // 1_000_000
    lines = [f"{RECORD_TRAILER}: tree={tree} at={at}"]
    if recorded is not None:
        lines.append(f"{RECORDED_TRAILER}: {' '.join(map(str, sorted(set(recorded)))) or '-'}")
    key = key or seal.current(root)
    if key is not None:
        lines.append(seal.trailer(key, seal.claim(kind, tree, at, recorded, held)))
    return lines


def kind_of(trailer: str) -> str:
    """The record kind a commit trailer names (``Ecomgit-Push`` → push)."""
    return _KINDS[trailer]


def records(root: Path, rev: str = "HEAD") -> list[Record]:
    """The records on ``rev``'s history, newest first."""
    sha = gitrepo.head(root) if rev == "HEAD" else gitrepo.resolve(root, rev)
    return list(_records(root, sha, seal.current(root))) if sha else []


@lru_cache(maxsize=64)
def _records(root: Path, sha: str, key: seal.SealKey | None) -> tuple[Record, ...]:
    kinds = "|".join(_KINDS)
    fmt = f"%H{_FIELD}%at{_FIELD}%ct{_FIELD}%(trailers:only,unfold,separator=%x1d){_ENTRY}"
    out = gitrepo.run(root, "log", "--topo-order", "-E", f"--grep=^({kinds}): ", f"--format={fmt}", sha)
    candidates: list[tuple[str, str, int, int, dict[str, list[str]]]] = []
    for entry in out.split(_ENTRY):
        fields = entry.strip("\n").split(_FIELD)
        if len(fields) != 4:
            continue
        commit, author_time, commit_time, block = fields
        trailers: dict[str, list[str]] = {}
        for line in block.split("\x1d"):
            name, sep, value = line.partition(":")
            if sep:
                trailers.setdefault(name.strip().lower(), []).append(value.strip())
        kind = next((name for marker, name in _KINDS.items() if marker.lower() in trailers), None)
        if kind is not None:
            candidates.append((commit, kind, int(author_time) * 1000, int(commit_time) * 1000, trailers))
    trees = _product_trees(root, [commit for commit, *_ in candidates])
    found: list[tuple[int, int, Record]] = []
    legacy: list[tuple[int, int, Record]] = []
    unsure: list[tuple[int, int, int, Record]] = []  # moments not vouched for by our seal, with the commit's time
    for order, (commit, kind, author_ms, commit_ms, trailers) in enumerate(candidates):
        held = _ids(trailers.get(gitrepo.HELD_TRAILER.lower(), []))
        listed = trailers.get(RECORDED_TRAILER.lower())
        recorded = _ids(listed) if listed is not None else None
        stamped = _parse_stamp(trailers.get(RECORD_TRAILER.lower(), []))
        if stamped is None:
            legacy.append((author_ms, order, Record(commit, kind, author_ms, held, recorded, False, LEGACY)))
            continue
        tree, at = stamped
        if tree != trees.get(commit, EMPTY_TREE):  # rebased, squashed or amended onto other files
            continue
        trust = _trust(key, trailers, seal.claim(kind, tree, at, recorded, held))
        if trust is None:  # sealed as if with our key, but not by it: forged
            continue
        record = Record(commit, kind, at, held, recorded, True, trust)
        if trust == SEALED:
            found.append((at, order, record))
        else:
            unsure.append((commit_ms, at, order, record))
    # a moment our seal does not vouch for is believed up to its commit's time plus the most our
    # own records' clocks were seen ahead of theirs (a forged "at" a year ahead would win every tie)
    skew = max([_SKEW_MS] + [at - candidates[order][3] for at, order, _ in found])
    found += [(min(at, commit_ms + skew), order, record) for commit_ms, at, order, record in unsure]
    oldest_verified = min((at for at, _, _ in found), default=None)
    found += [item for item in legacy if oldest_verified is None or item[0] < oldest_verified]
    found = _after_their_ancestors(root, sha, found)
    found.sort(key=lambda item: (-item[0], item[1]))
    return tuple(record for _, _, record in found)


def _trust(key: seal.SealKey | None, trailers: dict[str, list[str]], claim: str) -> int | None:
    """How far a stamped record can be trusted, or None for a forged seal."""
    sealed = seal.parse(trailers.get(seal.SEAL_TRAILER.lower(), []))
    if sealed is None:
        return STAMPED
    key_id, mac = sealed
    if key is None or key_id != key.id:
        return OTHER_KEY
    return SEALED if key.verifies(claim, mac) else None


def _after_their_ancestors(root: Path, sha: str, found: list[tuple[int, int, Record]]) -> list[tuple[int, int, Record]]:
    """Each record's moment, raised past every record in its own history: a record made on top of
    another read the shop after it, whatever the clock of the clone that made it said (a laptop an
    hour or a day off would otherwise make its records older, or newer, than the ones after them,
    and their reads would lose to a stale one). Only records neither of which is in the other's
    history are ordered by their clocks alone."""
    if len(found) < 2:
        return found
    by_sha = {record.sha: (at, record) for at, _, record in found}
    latest: dict[str, tuple[int, int]] = {}  # commit → latest raised record moment in its history, highest trust
    dropped: set[str] = set()
    for commit, parents in _graph(root, sha):
        seen = [latest[p] for p in parents if p in latest]
        before = max((moment for moment, _ in seen), default=None)
        trust = max((rank for _, rank in seen), default=LEGACY)
        if commit in by_sha:
            at, record = by_sha[commit]
            if trust > record.trust:  # made after a better-trusted record: a real one never is
                dropped.add(commit)
            else:
                latest[commit] = (at if before is None else max(at, before + 1), record.trust)
                continue
        if before is not None:
            latest[commit] = (before, trust)
    return [(latest[r.sha][0], order, r) for at, order, r in found if r.sha not in dropped and r.sha in latest]


@lru_cache(maxsize=8)
def _graph(root: Path, sha: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``sha``'s history, parents before children: each commit with its parents."""
    out = gitrepo.run(root, "rev-list", "--topo-order", "--reverse", "--parents", sha)
    return tuple((commit, tuple(parents)) for commit, *parents in (line.split() for line in out.splitlines()))


def _generations(root: Path, sha: str) -> dict[str, int]:
    """Commit → its generation (1 + its parents' highest): a commit is in no history of a commit
    of a lower or equal generation but itself."""
    generation: dict[str, int] = {}
    for commit, parents in _graph(root, sha):
        generation[commit] = 1 + max((generation[p] for p in parents), default=0)
    return generation


def _ids(values: list[str]) -> frozenset[int]:
    return frozenset(pid for value in values for part in value.split() if (pid := parse_id(part)) is not None)


def _parse_stamp(values: list[str]) -> tuple[str, int] | None:
    for value in values:
        parts = dict(part.partition("=")[::2] for part in value.split())
        at = parse_id(parts.get("at", ""))
        if len(parts.get("tree", "")) in (40, 64) and at is not None:
            return parts["tree"], at
    return None


def _product_trees(root: Path, commits: list[str]) -> dict[str, str]:
    """Commit → id of its ``products/`` tree (the empty tree when it has none), in one git call."""
    if not commits:
        return {}
    query = "".join(f"{commit}:{layout.PRODUCTS_DIR}\n" for commit in commits).encode()
    out = gitrepo.run(root, "cat-file", "--batch-check=%(objectname) %(objecttype)", input=query)
    trees = {}
    for commit, line in zip(commits, out.splitlines(), strict=False):
        parts = line.split()
        trees[commit] = parts[0] if len(parts) == 2 and parts[1] == "tree" else EMPTY_TREE
    return trees


def newest(root: Path, kind: str | None = None) -> str | None:
    """The newest record (of ``kind``: sync, push, restore), or None."""
    return next((r.sha for r in records(root) if kind is None or r.kind == kind), None)


def pending(root: Path) -> Pending:
    """Per product, compare HEAD with the newest record that read it (see the module's words)."""
    head = gitrepo.head(root)
    if head is None:
        return Pending({}, {})
    return _pending(root, head, seal.current(root))


def pending_at(root: Path, sha: str) -> Pending:
    """:func:`pending` as commit ``sha`` (a commit id) would have it."""
    return _pending(root, sha, seal.current(root))


@lru_cache(maxsize=64)
def _pending(root: Path, head: str, key: seal.SealKey | None) -> Pending:
    history = _records(root, head, key)
    if not history:
        return Pending({}, {})
    bases: dict[int, Record | None] = {}
    settled: set[int] = set()  # products whose base is known (pending or not)
    remaining: set[int] | None = None  # None: every product not settled yet
    steps: list[tuple[Record, set[int] | None, frozenset[int]]] = []  # record, what it reads (None: all but…)
    for record in history:
        if remaining is not None and not remaining:
            break
        if remaining is None and record.recorded is None:
            steps.append((record, None, frozenset(record.held | settled)))
            remaining = set(record.held) - settled
            continue
        if remaining is None:
            reads = set(record.recorded or ()) - settled
            settled |= reads
        else:
            reads = {pid for pid in remaining if record.reads(pid)}
            remaining -= reads
        if reads:
            steps.append((record, reads, frozenset()))
    changes = _changed_since(root, steps, head)
    for record, read, left in steps:
        changed = changes[record.sha]
        for pid in changed - left if read is None else changed & read:
            bases[pid] = record
    at_head: dict[int, str] = {}
    twice: set[int] = set()  # products with two folders: only git's walk over every folder of theirs tells
    for name in gitrepo.tree_names(root, head, str(layout.PRODUCTS_DIR)):
        if (found := layout.folder_product_id(name)) is not None:
            twice.update([found] if found in at_head else [])
            at_head[found] = name
    unread = (set(at_head) - settled if remaining is None else remaining) - set(bases)
    for pid in unread & set(at_head):
        bases[pid] = None  # a folder no record read: a person's new product
    stale = _left_behind(
        root, head, {pid: base for pid, base in bases.items() if base is not None and pid in at_head}, at_head, twice
    )
    folders = {pid: at_head.get(pid) for pid in sorted(bases) if pid not in stale}
    return Pending(folders, {pid: bases[pid] for pid in folders}, stale)


def _left_behind(
    root: Path, head: str, bases: dict[int, Record], at_head: dict[int, str], twice: set[int]
) -> dict[int, Record]:
    """Products whose file differs from their base although no commit since that record changed
    them on the way to HEAD: the file came from a side of a merge that never saw the record (a
    merge with ``-s ours``, a conflict resolved to the older side). It is the shop's older state,
    not anyone's edit: pushing it would undo what that record wrote (another clone's push)."""
    by_record: dict[Record, list[int]] = {}
    for pid, base in bases.items():
        by_record.setdefault(base, []).append(pid)
    stale: dict[int, Record] = {}
    generation = _generations(root, head) if bases else {}
    floors = {pid: generation.get(base.sha, 0) for pid, base in bases.items()}
    oldest = min(by_record, key=lambda record: generation.get(record.sha, 0), default=None)
    edited = _touched_after(root, head, oldest.sha, at_head, floors, generation) if oldest is not None else set()
    edited -= twice
    rest = {record: [pid for pid in pids if pid not in edited] for record, pids in by_record.items()}
    pairs = [(record, pid) for record, pids in rest.items() for pid in pids]
    query = "".join(f"{record.sha}:{layout.PRODUCTS_DIR}/{at_head[pid]}\n" for record, pid in pairs).encode()
    out = gitrepo.run(root, "cat-file", "--batch-check=%(objecttype)", input=query) if pairs else ""
    same_name = {
        (record.sha, pid)
        for (record, pid), line in zip(pairs, out.splitlines(), strict=True)
        if line == "tree" and pid not in twice
    }
    for record, pids in rest.items():
        if not pids:
            continue
        # the folder's own name when the record had it (a pattern makes git look through every
        # folder of every commit: seconds in a large catalog), else any folder of the product
        specs = [
            f":(literal){layout.PRODUCTS_DIR}/{at_head[pid]}"
            if (record.sha, pid) in same_name
            else f"{layout.PRODUCTS_DIR}/{pid}-*"
            for pid in pids
        ] + [f":(literal){layout.PRODUCTS_DIR}/{pid}" for pid in pids]
        out = gitrepo.run(
            root, "log", "--format=", "--name-only", "--no-renames", "--diff-merges=first-parent",
            f"{record.sha}..{head}", "--", *specs,
        )  # fmt: skip
        touched = {_folder_pid(name) for name in out.splitlines() if name}
        stale.update((pid, record) for pid in pids if pid not in touched)
    return stale


def _touched_after(
    root: Path, head: str, since: str, at_head: dict[int, str], floors: dict[int, int], generation: dict[str, int]
) -> set[int]:
    """The products some commit changed (a merge: against its first parent) whose generation is
    above their base record's (``floors``): such a commit cannot be in the record's history, so it
    came after it on the way to HEAD: the file is an edit. One walk of history from HEAD back to
    ``since``, read as git writes it and stopped once every product is answered (naming the
    folders when they are few: git then looks each up instead of comparing every folder)."""
    pids = set(floors)
    # a path limit makes git compare every commit before it writes a word: only for a few folders
    specs = (
        ["--", *(f":(literal){layout.PRODUCTS_DIR}/{at_head[pid]}" for pid in sorted(pids))] if len(pids) <= 64 else []
    )
    wanted = {f"{layout.PRODUCTS_DIR}/{at_head[pid]}": pid for pid in pids}
    edited: set[int] = set()
    pieces = gitrepo.stream(
        root, "log", "-z", "--format=%x1e%H", "--name-only", "--no-renames", "--diff-merges=first-parent",
        head, f"^{since}", *specs,
    )  # fmt: skip
    pending = ""
    try:
        for piece in itertools.chain(pieces, ["\x1e"]):
            *entries, pending = (pending + piece).split("\x1e")
            for entry in entries:
                commit, _, names = entry.partition("\n")
                moment = generation.get(commit.strip("\0\n"), 0)
                for name in names.split("\0"):
                    pid = wanted.get("/".join(name.strip("\n").split("/")[:2]))
                    if pid is not None and moment > floors[pid]:
                        edited.add(pid)
            if len(edited) == len(pids):
                break
    finally:
        pieces.close()
    return edited


def _folder_pid(name: str) -> int | None:
    parts = name.split("/")
    return layout.folder_product_id(parts[1]) if len(parts) > 1 else None


def _changed_since(
    root: Path, steps: list[tuple[Record, set[int] | None, frozenset[int]]], head: str
) -> dict[str, set[int]]:
    """Record → the products it reads whose folder differs at ``head``. A sync (every product) is
    one diff; the products a push or restore names are looked up by their folders, all in one
    git call: a push a day for years is thousands of records, each settling a few products, and
    a diff of each against HEAD would cost seconds each in a large catalog."""
    changes: dict[str, set[int]] = {}
    at_head = _folder_trees(root, head)
    asked: list[tuple[str, int, str]] = []  # record, product, its folder tree id at HEAD
    gone: dict[str, set[int]] = {}  # record → products it read that HEAD has no folder for
    for record, reads, _ in steps:
        changes.setdefault(record.sha, set())
        if reads is None:
            changes[record.sha] = _changed_products(root, record.sha, head)
            continue
        for pid in reads:
            if pid in at_head:
                asked.append((record.sha, pid, at_head[pid][0]))
            else:
                gone.setdefault(record.sha, set()).add(pid)
    if asked:
        query = "".join(f"{sha}:{layout.PRODUCTS_DIR}/{at_head[pid][1]}\n" for sha, pid, _ in asked).encode()
        out = gitrepo.run(root, "cat-file", "--batch-check=%(objectname)", input=query).splitlines()
        for (sha, pid, tree), line in zip(asked, out, strict=True):
            if line.split()[0] != tree:  # another tree, or no such folder there ("… missing")
                changes[sha].add(pid)
    for sha, pids in gone.items():  # a folder removed since: changed if the record had one
        there = {layout.folder_product_id(name) for name in gitrepo.tree_names(root, sha, str(layout.PRODUCTS_DIR))}
        changes[sha] |= pids & {pid for pid in there if pid is not None}
    return changes


def _folder_trees(root: Path, rev: str) -> dict[int, tuple[str, str]]:
    """Product id → (its folder's tree id, its folder name) at ``rev``."""
    out = gitrepo.run(root, "ls-tree", "-z", rev, f"{layout.PRODUCTS_DIR}/", check=False)
    found: dict[int, tuple[str, str]] = {}
    for entry in out.split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        name = path.rpartition("/")[2]
        if len(parts) == 3 and parts[1] == "tree" and (pid := layout.folder_product_id(name)) is not None:
            found[pid] = (parts[2] if pid not in found else "two folders: never the same", name)
    return found


def _changed_products(root: Path, rev: str, head: str) -> set[int]:
    out = gitrepo.run(root, "diff", "--name-only", "-z", "--no-renames", rev, head, "--", str(layout.PRODUCTS_DIR))
    ids: set[int] = set()
    for name in out.split("\0"):
        parts = name.split("/")
        if len(parts) > 1 and (pid := layout.folder_product_id(parts[1])) is not None:
            ids.add(pid)
    return ids
