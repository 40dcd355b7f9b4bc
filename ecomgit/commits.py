"""What a commit's ``products/`` holds, read from git once per commit and process.

A push plans each pending product against its base (at a record) and HEAD, and a check, a diff or
a restore reads several products at one revision. Asking git per product and revision (the folder
list, the product file, the images folder) was three processes each: 1 052 for a push of 112
products. A commit id names its tree for good, and a blob id its bytes, so both are kept here by
id: one ``ls-tree -r`` per commit, and the product files read in one ``cat-file --batch`` when a
caller asks for many. Nothing here depends on the work tree, the index or a ref's current value;
a caller that names a moving revision (``HEAD``, a branch) has it resolved first.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ecomgit import gitrepo
from ecomgit.mirror import layout

COMMIT_ID = re.compile(r"[0-9a-f]{40}")


@dataclass(frozen=True)
class Folder:
    """One entry of ``products/`` at a commit."""

    name: str
    product_blob: str | None = None  # blob id of its product.yaml (None: it has none)
    images: dict[str, tuple[str, int]] = field(default_factory=dict)  # images/ file name → (blob id, size)


_LISTINGS: OrderedDict[str, dict[str, Folder]] = OrderedDict()
_LISTINGS_MAX = 16
_BLOBS: OrderedDict[str, bytes] = OrderedDict()
_BLOBS_MAX_BYTES = 64 * 1024 * 1024
_blob_bytes = 0  # the size of what _BLOBS holds


def forget() -> None:
    """Drop the listings and blobs kept for this process (a long-running one, after each sync)."""
    global _blob_bytes
    _LISTINGS.clear()
    _BLOBS.clear()
    _blob_bytes = 0


def commit_id(root: Path, rev: str) -> str | None:
    """The commit ``rev`` names now (a commit id is taken as it is), or None when it names none."""
    if COMMIT_ID.fullmatch(rev):
        return rev
    out = gitrepo.run(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False).strip()
    return out or None


def products(root: Path, commit: str) -> dict[str, Folder]:
    """Name → entry of everything directly inside ``products/`` at ``commit`` (a commit id)."""
    found = _LISTINGS.get(commit)
    if found is not None:
        _LISTINGS.move_to_end(commit)
        return found
    prefix = f"{layout.PRODUCTS_DIR}/"
    out = gitrepo.run(root, "ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--", prefix, check=False)
    blobs: dict[str, str] = {}
    images: dict[str, dict[str, tuple[str, int]]] = {}
    names: set[str] = set()
    for entry in out.split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        if not path.startswith(prefix) or len(parts) != 4:
            continue
        name, _, rest = path[len(prefix) :].partition("/")
        names.add(name)
        if parts[1] != "blob":
            continue
        if rest == layout.PRODUCT_FILE:
            blobs[name] = parts[2]
        else:
            folder, _, file = rest.partition("/")
            if folder == layout.IMAGES_DIR and file and "/" not in file:
                images.setdefault(name, {})[file] = (parts[2], int(parts[3]))
    found = {name: Folder(name, blobs.get(name), images.get(name, {})) for name in sorted(names)}
    _LISTINGS[commit] = found
    if len(_LISTINGS) > _LISTINGS_MAX:
        _LISTINGS.popitem(last=False)
    return found


def read_blobs(root: Path, ids: Iterable[str]) -> dict[str, bytes]:
    """Blob id → bytes, for those of ``ids`` that exist; what is not known yet is read in one batch."""
    found: dict[str, bytes] = {}
    missing: list[str] = []
    for blob in dict.fromkeys(ids):
        if blob in _BLOBS:
            _BLOBS.move_to_end(blob)
            found[blob] = _BLOBS[blob]
        else:
            missing.append(blob)
    if missing:
        read = gitrepo.blobs(root, {blob: blob for blob in missing})
        found.update(read)
        for blob, data in read.items():
            _remember(blob, data)
    return found


def _remember(blob: str, data: bytes) -> None:
    global _blob_bytes
    _BLOBS[blob] = data
    _blob_bytes += len(data)
    while _blob_bytes > _BLOBS_MAX_BYTES and len(_BLOBS) > 1:
        _, dropped = _BLOBS.popitem(last=False)
        _blob_bytes -= len(dropped)
