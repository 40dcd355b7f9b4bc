"""Products in git history: a product's file and images at any revision, its last synced
version, the edits waiting to be pushed, and the products the shop has deleted.

Everything here is found from history alone (commit trailers, trees), so it works in any clone.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ecomgit import commits, gitrepo, lfs, records
from ecomgit.errors import MirrorError, MirrorFileError
from ecomgit.ids import DIGITS, parse_id
from ecomgit.mirror import files, layout, markers, safety, yamlio

K = TypeVar("K", int, str)
_PRODUCT_PATH = re.compile(f"products/(({DIGITS}+)(?:-[^/]*)?)/product\\.yaml")


@dataclass
class Version:
    """One product as a revision (or the work tree, ``rev=None``) holds it."""

    pid: int
    folder: str
    product: dict[str, Any]
    rev: str | None  # commit id; None for the work tree
    root: Path
    image_blobs: dict[str, str] = field(default_factory=dict)  # image file name → git blob id

    @property
    def path(self) -> str:
        return f"{layout.PRODUCTS_DIR}/{self.folder}/{layout.PRODUCT_FILE}"

    def reviews(self) -> list[dict[str, Any]]:
        """The product's customer reviews (reviews.yaml) as this revision holds them."""
        rel = f"{layout.PRODUCTS_DIR}/{self.folder}/{layout.REVIEWS_FILE}"
        if self.rev is None:
            path = self.root / rel
            return files.read_list(safety.guard(self.root, path)) if path.is_file() else []
        data = gitrepo.blob(self.root, self.rev, rel)
        if data is None:
            return []
        loaded = yamlio.load(data.decode("utf-8"), f"{self.rev[:10]}:{rel}")
        return [dict(r) for r in loaded if isinstance(r, dict)] if isinstance(loaded, list) else []

    def image_bytes(self, name: str) -> bytes:
        rel = f"{layout.PRODUCTS_DIR}/{self.folder}/{layout.IMAGES_DIR}/{name}"
        if self.rev is None:
            try:
                return safety.guard(self.root, self.root / rel).read_bytes()
            except FileNotFoundError:
                raise MirrorFileError(self.path, f"image file {name} is missing from images/") from None
        data = gitrepo.blob(self.root, self.rev, rel)
        if data is None:
            raise MirrorFileError(f"{self.rev[:10]}:{self.path}", f"image file {name} is missing from images/")
        return lfs.resolve(self.root, data, self.rev, rel)

    def image_ident(self, name: str) -> str | None:
        """The image's identity: the git blob id of its bytes (None when the file is missing); for
        an image listed as not fetched, its shop file id (:mod:`ecomgit.mirror.markers`)."""
        marked = markers.idents(self.product.get("images") or [])
        return marked[name] if name in marked else self.image_blobs.get(name)


def blob_id(data: bytes) -> str:
    """The git blob id of ``data``: the identity of image bytes, wherever they come from."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def folder_at(root: Path, rev: str | None, pid: int) -> str | None:
    names = product_folder_names(root, rev)
    return next((name for name in names if layout.folder_product_id(name) == pid), None)


def product_folder_names(root: Path, rev: str | None) -> list[str]:
    if rev is None:
        base = safety.guard(root, root / layout.PRODUCTS_DIR)
        return sorted(p.name for p in base.iterdir() if p.is_dir() and not p.is_symlink()) if base.is_dir() else []
    commit = commits.commit_id(root, rev)
    return list(commits.products(root, commit)) if commit is not None else []


def version_at(root: Path, rev: str | None, pid: int) -> Version | None:
    """Product ``pid`` at ``rev`` (None: the work tree), or None when it is not there."""
    if rev is not None:
        return versions_at(root, rev, [pid]).get(pid)
    folder = folder_at(root, rev, pid)
    if folder is None:
        return None
    rel = f"{layout.PRODUCTS_DIR}/{folder}/{layout.PRODUCT_FILE}"
    path = safety.guard(root, root / rel)
    if not path.exists():
        return None
    text = _decode(path.read_bytes(), rel)
    blobs = _work_tree_blobs(safety.guard_tree(root, root / f"{layout.PRODUCTS_DIR}/{folder}/{layout.IMAGES_DIR}"))
    return _version(pid, folder, text, rel, None, root, blobs)


def versions_at(root: Path, rev: str, pids: Iterable[int]) -> dict[int, Version]:
    """Id → product at revision ``rev``, for those of ``pids`` it holds: their files are read from
    git together (:mod:`ecomgit.commits`), so asking for a hundred costs about what one does."""
    commit = commits.commit_id(root, rev)
    if commit is None:
        return {}
    wanted = set(pids)
    entries: dict[int, commits.Folder] = {}
    for name, entry in commits.products(root, commit).items():
        pid = layout.folder_product_id(name)
        if pid in wanted and pid not in entries:  # the first folder by name, as folder_at
            entries[pid] = entry
    return _read(root, rev, entries)


def new_versions(root: Path, rev: str, folders: Iterable[str]) -> dict[str, Version]:
    """Folder → product, for new product folders (no id in the name, ``id: null``) at ``rev``; their
    ``pid`` is 0 until the shop gives them one."""
    commit = commits.commit_id(root, rev)
    listing = commits.products(root, commit) if commit is not None else {}
    return _read(root, rev, {name: listing[name] for name in folders if name in listing}, new=True)


def _read(root: Path, rev: str, entries: Mapping[K, commits.Folder], new: bool = False) -> dict[K, Version]:
    """The products of ``entries`` (key → folder at ``rev``), their files and pointer-sized image
    blobs read in one batch; a folder without a product file is left out."""
    small = [blob for e in entries.values() for blob, size in e.images.values() if size <= lfs.POINTER_MAX]
    data = commits.read_blobs(root, [e.product_blob for e in entries.values() if e.product_blob] + small)
    found = {}
    for key, entry in entries.items():
        raw = data.get(entry.product_blob) if entry.product_blob else None
        if raw is None:
            continue
        where = f"{rev[:10]}:{layout.PRODUCTS_DIR}/{entry.name}/{layout.PRODUCT_FILE}"
        pid = 0 if new else int(key)
        found[key] = _version(
            pid, entry.name, _decode(raw, where), where, rev, root, _image_idents(root, entry.images, data), new
        )
    return found


def _version(
    pid: int, folder: str, text: str, where: str, rev: str | None, root: Path, blobs: dict[str, str], new: bool = False
) -> Version:
    data = yamlio.load(text, where)  # remembered by text: reading a file at many revisions parses it once
    if not isinstance(data, dict) or not (data.get("id") is None if new else isinstance(data.get("id"), int)):
        what = "with id: null (a new product)" if new else "with a numeric id"
        raise MirrorFileError(where, f"expected a product (a YAML mapping {what})", line=1)
    return Version(pid, folder, data, rev, root, blobs)


def _decode(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MirrorFileError(
            where, "not valid UTF-8; save the file as UTF-8", raw[: exc.start].count(b"\n") + 1
        ) from None


def _image_idents(root: Path, entries: dict[str, tuple[str, int]], data: dict[str, bytes]) -> dict[str, str]:
    """File name → identity of the images of a folder: the blob id of their bytes, also for images
    stored as Git LFS pointers (resolved from the LFS store when it holds them). ``data`` holds the
    bytes of every blob small enough to be a pointer."""
    idents = {name: blob for name, (blob, _) in entries.items()}
    for name, (blob, size) in entries.items():
        oid = lfs.pointer_oid(data[blob]) if size <= lfs.POINTER_MAX and blob in data else None
        if oid is not None:
            content = lfs.object_bytes(root, oid)
            idents[name] = blob_id(content) if content is not None else f"lfs:{oid}"
    return idents


def _work_tree_blobs(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {p.name: blob_id(p.read_bytes()) for p in folder.iterdir() if p.is_file()}


# -- what is pending, and what it is pending against ----------------------------------------------


def pending_products(root: Path) -> dict[int, str | None]:
    """Products with committed edits the shop has not received: id → folder at HEAD (None: removed).

    Per product: its file at HEAD differs from the newest record that read it from the shop
    (see :mod:`ecomgit.records`), whatever the order of commits and merges in between.
    """
    return dict(records.pending(root).folders)


def base_version(root: Path, pid: int) -> Version | None:
    """The product as the shop last had it by our records: at the newest record that read it
    (a product a record held back was not read there: its file is a person's edit)."""
    return base_versions(root, [pid]).get(pid)


def base_versions(root: Path, pids: Iterable[int]) -> dict[int, Version]:
    """:func:`base_version` of each of ``pids`` that has one, read together per record."""
    found = records.pending(root)
    by_record: dict[str, list[int]] = {}
    every: list[records.Record] | None = None
    for pid in pids:
        if pid in found.bases:
            base = found.bases[pid]
        else:
            every = records.records(root) if every is None else every
            base = next((r for r in every if r.reads(pid)), None)
        if base is not None:
            by_record.setdefault(base.sha, []).append(pid)
    return {pid: v for sha, some in by_record.items() for pid, v in versions_at(root, sha, some).items()}


# -- deleted products ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deletion:
    pid: int
    folder: str
    commit: str  # the commit that removed the product's folder
    date: str  # its commit date, ISO 8601
    last_rev: str  # the commit before it: the product's last mirrored revision


def deletions(root: Path) -> list[Deletion]:
    """Products whose folder was removed on HEAD's history, newest first, one per product id."""
    if gitrepo.head(root) is None:
        return []
    out = gitrepo.run(
        root,
        "log",
        "--diff-filter=D",
        "--no-renames",
        "--format=%x01%H %P%x02%cI",
        "--name-only",
        "-z",
        "HEAD",
        "--",
        f"{layout.PRODUCTS_DIR}/*/{layout.PRODUCT_FILE}",
    )
    found: dict[int, Deletion] = {}
    for chunk in out.split("\x01")[1:]:
        header, _, names = chunk.partition("\x02")
        shas = header.split()
        date, _, rest = names.partition("\n")
        if len(shas) < 2:
            continue
        for name in rest.split("\0"):
            match = _PRODUCT_PATH.fullmatch(name.strip("\n"))
            if match and int(match.group(2)) not in found:
                pid = int(match.group(2))
                found[pid] = Deletion(pid, match.group(1), shas[0], date.strip("\0\n "), shas[1])
    return list(found.values())


def grafts_onto(root: Path, target: int) -> list[tuple[int, str]]:
    """(old id, commit) of each restore recorded onto product ``target`` on HEAD's history, newest
    first (``Ecomgit-Restored: old -> target``)."""
    if gitrepo.head(root) is None:
        return []
    out = gitrepo.run(
        root,
        "log",
        f"--format=%H%x1f%(trailers:key={gitrepo.RESTORED_TRAILER},valueonly,separator=%x1e)%x1d",
        f"--grep=^{gitrepo.RESTORED_TRAILER}: ",
        "HEAD",
    )
    found = []
    for entry in out.split("\x1d"):
        sha, _, values = entry.strip().partition("\x1f")
        for value in values.replace("\n", "\x1e").split("\x1e"):
            old, _, new = value.partition("->")
            old_id, new_id = parse_id(old.strip()), parse_id(new.strip())
            if old_id is not None and new_id == target and sha:
                found.append((old_id, sha))
    return found


def restored_ids(root: Path, *, every_ref: bool = False) -> dict[int, int]:
    """Old product id → the id it was restored as (``Ecomgit-Restored: old -> new`` trailers), newest
    first; on HEAD's history, or with ``every_ref`` on every branch and remote-tracking branch too (a
    record another clone made and this one fetched but did not merge)."""
    if gitrepo.head(root) is None:
        return {}
    refs = ["HEAD", "--branches", "--remotes"] if every_ref else ["HEAD"]
    out = gitrepo.run(
        root,
        "log",
        f"--format=%(trailers:key={gitrepo.RESTORED_TRAILER},valueonly,separator=%x00)",
        f"--grep=^{gitrepo.RESTORED_TRAILER}: ",
        *refs,
    )
    mapping: dict[int, int] = {}
    for value in out.replace("\n", "\0").split("\0"):
        old, _, new = value.partition("->")
        old_id, new_id = parse_id(old.strip()), parse_id(new.strip())
        if old_id is not None and new_id is not None:
            mapping.setdefault(old_id, new_id)
    return mapping


def current_id(pid: int, mirrored: Set[int], moved: Mapping[int, int]) -> int | None:
    """The product ``pid`` is in the mirror now: itself, or what restores made of it (``moved``:
    :func:`restored_ids`; followed while the product it became was deleted and restored again);
    ``None`` when it is not back (yet)."""
    seen = set()
    while pid not in mirrored and pid in moved and pid not in seen:
        seen.add(pid)
        pid = moved[pid]
    return pid if pid in mirrored else None


# -- naming a product ------------------------------------------------------------------------------


def read_at(root: Path, rev: str, pid: int) -> tuple[Version | None, str | None]:
    """:func:`version_at` for readers of history: a revision whose file ecomgit refuses (an alias
    bomb or a broken file committed and later reverted) is a one-line problem to report, never an
    error that stops the reader for ever."""
    try:
        return version_at(root, rev, pid), None
    except MirrorError as exc:
        return None, str(exc)


def find_by_text(root: Path, rev: str, needles: Sequence[str], *, ignore_case: bool = False) -> list[Version]:
    """The products at ``rev`` whose file mentions any of ``needles`` (one ``git grep``), parsed."""
    if not needles:
        return []
    patterns = [arg for needle in needles for arg in ("-e", needle)]
    pathspec = f"{layout.PRODUCTS_DIR}/*/{layout.PRODUCT_FILE}"
    case = ["-i"] if ignore_case else []
    out = gitrepo.run(root, "grep", "-l", "-F", "-z", *case, *patterns, rev, "--", pathspec, check=False)
    ids = set()
    for name in out.split("\0"):
        match = _PRODUCT_PATH.fullmatch(name.partition(":")[2] if ":" in name else name)
        if match:
            ids.add(int(match.group(2)))
    return [version for pid in sorted(ids) if (version := read_at(root, rev, pid)[0]) is not None]


def codes_of(product: dict[str, Any]) -> set[str]:
    """A product's SKUs, article codes and EANs (non-empty)."""
    codes = set()
    for variant in product.get("variants") or []:
        if isinstance(variant, dict):
            for key in ("sku", "articleCode", "ean"):
                value = variant.get(key)
                if isinstance(value, str) and value.strip():
                    codes.add(value.strip())
    return codes


def slugs_of(product: dict[str, Any]) -> set[str]:
    url = product.get("url")
    return {v for v in url.values() if isinstance(v, str) and v} if isinstance(url, dict) else set()
