"""Images kept in Git LFS (``ecomgit init --lfs``): a revision's tree then holds small pointer
files instead of the bytes. ecomgit reads the bytes from the clone's LFS store
(``.git/lfs/objects``, filled by ``git lfs pull``) itself, so it needs no ``git-lfs`` binary, and
an image's identity stays the git blob id of its bytes whichever way it is stored.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ecomgit import gitrepo
from ecomgit.errors import MirrorFileError

POINTER_MAX = 1024  # git-lfs pointer files are about 130 bytes; no image is this small
_POINTER = re.compile(rb"^version https://git-lfs\.github\.com/spec/v1\n(?:.*\n)*?oid sha256:([0-9a-f]{64})\n")


def pointer_oid(data: bytes) -> str | None:
    """The sha256 of the content ``data`` points to, when ``data`` is a Git LFS pointer."""
    if len(data) > POINTER_MAX:
        return None
    found = _POINTER.match(data)
    return found.group(1).decode() if found else None


def object_bytes(root: Path, oid: str) -> bytes | None:
    """The content with sha256 ``oid`` from the clone's LFS store, or None when not downloaded."""
    path = gitrepo.git_dir(root) / "lfs" / "objects" / oid[:2] / oid[2:4] / oid
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == oid else None


def resolve(root: Path, data: bytes, rev: str, path: str) -> bytes:
    """``data`` (the blob of ``path`` at ``rev``) itself, or the content it points to when it is an
    LFS pointer."""
    oid = pointer_oid(data)
    if oid is None:
        return data
    content = object_bytes(root, oid)
    if content is None:
        raise MirrorFileError(
            f"{rev[:10]}:{path}",
            f"this image is kept in Git LFS and is not downloaded in this clone; run 'git lfs fetch origin {rev}' "
            "(or 'git lfs pull' for the checked-out revision) first",
        )
    return content
