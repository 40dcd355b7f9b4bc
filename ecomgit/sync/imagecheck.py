"""Stored images that are no images, found in the mirror and fetched again.

An older version stored what the CDN answered, also an error page or a cut-off body. The sync now
refuses such downloads, and re-fetches a stored file that is no image whenever it writes the
product; a product the shop never changes again would keep the bad file for ever. So each sync
looks at the image files it has not looked at before (by blob id, noted in the sync state: a file
is read once in its life), a bounded number per run so that the first syncs after an upgrade
share the reading, and reads the products holding a bad one in depth: their images are fetched
again (:func:`ecomgit.sync.images.apply_images`), with the same check.
"""

from __future__ import annotations

from pathlib import Path

from ecomgit import commits, gitrepo, lfs
from ecomgit.mirror import layout
from ecomgit.mirror.imagedecode import decode_problem
from ecomgit.sync.state import Seen, State

MAX_FILES = 2_000  # stored image files looked at per sync
MAX_BYTES = 256 * 1024 * 1024  # and their bytes, at most (one file at least)


def recheck(root: Path, state: State) -> list[int]:
    """Look at stored image files not looked at before; the products holding one that is no image
    are marked to be read in depth (their images fetched again). Returns those products."""
    head = gitrepo.head(root)
    if head is None:
        return []
    checked = state.checked_images()
    todo: list[tuple[int, str, str]] = []  # product, file name, blob
    size = 0
    for name, folder in commits.products(root, head).items():
        pid = layout.folder_product_id(name)
        if pid is None:
            continue
        for file, (blob, length) in sorted(folder.images.items()):
            if blob in checked:
                continue
            if todo and (len(todo) >= MAX_FILES or size + length > MAX_BYTES):
                break
            todo.append((pid, file, blob))
            size += length
        if len(todo) >= MAX_FILES or size >= MAX_BYTES:
            break
    if not todo:
        return []
    data = gitrepo.blobs(root, {blob: blob for _, _, blob in todo})
    good: list[str] = []
    bad: set[int] = set()
    for pid, file, blob in todo:
        body = data.get(blob)
        if body is None:
            continue
        if lfs.pointer_oid(body) is not None or decode_problem(file, body, full=False) is None:
            good.append(blob)  # an LFS pointer: its object is checked where it is fetched
        else:
            bad.add(pid)
    with state.transaction():
        state.add_checked_images(good)
        state.record_seen((pid, Seen("", "")) for pid in sorted(bad))  # read in depth: images fetched again
    return sorted(bad)


def note_written(root: Path, state: State, folders: set[str]) -> None:
    """The image files of ``folders`` (``products/<name>``) that this sync wrote or kept: each was
    checked as it was downloaded or kept, so none is read again."""
    head = gitrepo.head(root)
    if head is None or not folders:
        return
    listing = commits.products(root, head)
    names = {folder.partition("/")[2] for folder in folders}
    state.add_checked_images(blob for name in names if name in listing for blob, _ in listing[name].images.values())
