"""Every variant's prices over time, read from history in one pass.

One ``git log --first-parent --raw`` lists, oldest first, each commit on the mirror's line and the
product files it changed (blob ids, no contents). A commit with a record trailer (``Ecomgit-Sync``,
``-Push``, ``-Restore``) is a *capture*: the moment the mirror saw the shop's state. The product
files that changed since the previous capture are read at each capture, all of them in one ``git
cat-file --batch``, each distinct file once, and reduced to their prices (``parse``). A variant's
history is then the list of captures at which one of its four prices changed (or it appeared or
went away). Edits not yet pushed are not prices the shop applied, so only captures count.

A sync that found nothing changed makes no commit, so the captures are the commits that recorded
something: a gap between two of them may be a quiet shop as well as a sync that did not run.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ecomgit import gitrepo
from ecomgit.mirror import layout
from ecomgit.prices.parse import ProductPrices, VariantPrices, parse_product

_KINDS = {f"{gitrepo.SYNC_TRAILER}": "sync", f"{gitrepo.PUSH_TRAILER}": "push", f"{gitrepo.RESTORE_TRAILER}": "restore"}
_TRAILER = re.compile(rf"^({'|'.join(_KINDS)}): ", re.M)
_PRODUCT_PATH = re.compile(rf"^{layout.PRODUCTS_DIR}/([^/]+)/{re.escape(layout.PRODUCT_FILE)}$")
_NO_BLOB = "0" * 40


@dataclass(frozen=True)
class Capture:
    commit: str
    time: int  # committer time, unix seconds
    kind: str  # sync | push | restore


@dataclass(frozen=True)
class Point:
    capture: int  # index into History.captures
    prices: VariantPrices | None  # None: the variant, or its product, was gone


@dataclass
class VariantHistory:
    pid: int
    vid: int
    title: str = ""
    codes: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    points: list[Point] = field(default_factory=list)

    @property
    def current(self) -> VariantPrices | None:
        return self.points[-1].prices if self.points else None


@dataclass
class History:
    captures: list[Capture] = field(default_factory=list)
    variants: dict[tuple[int, int], VariantHistory] = field(default_factory=dict)
    files_read: int = 0  # distinct product files read

    def of_product(self, pid: int) -> list[VariantHistory]:
        return [history for (owner, _), history in sorted(self.variants.items()) if owner == pid]


@dataclass
class _Walk:
    """The product files as the walk goes: folder → blob, and what changed since the last capture."""

    blobs: dict[str, str] = field(default_factory=dict)
    folders: dict[int, set[str]] = field(default_factory=dict)
    dirty: set[int] = field(default_factory=set)
    seen: list[tuple[int, int, str | None]] = field(default_factory=list)  # (capture, pid, blob)


def read_history(root: Path, rev: str = "HEAD", until: int | None = None, pids: set[int] | None = None) -> History:
    """The captures on ``rev``'s first-parent line up to time ``until``, and the price points of the
    variants of products ``pids`` (every product when None)."""
    history = History()
    if gitrepo.run(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False).strip() == "":
        return history
    walk = _Walk()
    for sha, time, body, raw in _commits(root, rev):
        if until is not None and time > until:
            break
        _changes(walk, raw, pids)
        kind = _TRAILER.search(body)
        if kind is None:
            continue
        history.captures.append(Capture(sha, time, _KINDS[kind.group(1)]))
        index = len(history.captures) - 1
        for pid in sorted(walk.dirty):
            present = [walk.blobs[name] for name in sorted(walk.folders[pid]) if name in walk.blobs]
            walk.seen.append((index, pid, present[0] if present else None))
        walk.dirty.clear()
    parsed = _parse_all(root, {blob for _, _, blob in walk.seen if blob is not None})
    history.files_read = len(parsed)
    vids: dict[int, set[int]] = {}
    for index, pid, blob in walk.seen:
        _observe(history, vids.setdefault(pid, set()), index, pid, parsed.get(blob) if blob else None)
    return history


def _commits(root: Path, rev: str) -> Iterator[tuple[str, int, str, str]]:
    out = gitrepo.run(
        root,
        "log",
        "--first-parent",
        "--diff-merges=first-parent",
        "--reverse",
        "--root",
        "--raw",
        "--no-renames",
        "--no-abbrev",
        "--format=%x1e%H %ct%x1f%B%x1f",
        rev,
        "--",
    )
    for record in out.split("\x1e")[1:]:
        head, body, raw = (record.split("\x1f", 2) + ["", ""])[:3]
        sha, _, time = head.partition(" ")
        yield sha, int(time), body, raw


def _changes(walk: _Walk, raw: str, pids: set[int] | None) -> None:
    for line in raw.splitlines():
        if not line.startswith(":"):
            continue
        meta, _, path = line.partition("\t")
        match = _PRODUCT_PATH.match(path)
        pid = layout.folder_product_id(match.group(1)) if match else None
        if match is None or pid is None or (pids is not None and pid not in pids):
            continue
        parts = meta.split()
        folder = match.group(1)
        if parts[4].startswith("D") or parts[3] == _NO_BLOB:
            walk.blobs.pop(folder, None)
        else:
            walk.blobs[folder] = parts[3]
        walk.folders.setdefault(pid, set()).add(folder)
        walk.dirty.add(pid)


def _observe(history: History, vids: set[int], index: int, pid: int, product: ProductPrices | None) -> None:
    now = {variant.vid: variant for variant in product.variants} if product else {}
    for vid in sorted(vids - now.keys()):
        variant = history.variants[(pid, vid)]
        if variant.current is not None:
            variant.points.append(Point(index, None))
    vids.update(now)
    for vid, prices in now.items():
        variant = history.variants.setdefault((pid, vid), VariantHistory(pid, vid))
        assert product is not None
        last = variant.current
        if last is None or last.prices() != prices.prices():
            variant.points.append(Point(index, prices))
        if last is None or last.sku != prices.sku or last.article_code != prices.article_code:
            variant.codes = prices.codes()
        variant.title, variant.categories = product.title, product.categories


def _parse_all(root: Path, blobs: Iterable[str]) -> dict[str, ProductPrices]:
    return {blob: parse_product(data.decode("utf-8", "replace")) for blob, data in cat_blobs(root, sorted(blobs))}


def cat_blobs(root: Path, blobs: list[str]) -> Iterator[tuple[str, bytes]]:
    """(blob id, bytes) for each of ``blobs`` that exists, read by one ``git cat-file --batch`` as it
    writes them (the ids come from a file: nothing waits on a full pipe)."""
    if not blobs:
        return
    with tempfile.TemporaryFile() as ids:
        ids.write("".join(f"{blob}\n" for blob in blobs).encode())
        ids.seek(0)
        proc = subprocess.Popen(["git", "cat-file", "--batch"], cwd=root, stdin=ids, stdout=subprocess.PIPE)
        assert proc.stdout is not None
        try:
            for blob in blobs:
                header = proc.stdout.readline().split()
                if len(header) != 3:
                    continue  # "<id> missing"
                data = proc.stdout.read(int(header[2]))
                proc.stdout.read(1)
                yield blob, data
        finally:
            proc.stdout.close()
            proc.wait()
