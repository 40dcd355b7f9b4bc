"""One writer at a time: an exclusive lock file in the git directory."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ecomgit.errors import GitError


@contextmanager
def exclusive(path: Path, what: str) -> Iterator[None]:
    """Hold ``path`` locked while the block runs; refuse at once if another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
            raise GitError(
                f"another ecomgit {what} is running in this repository (pid {holder}); "
                "wait for it to finish, then run this again"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)
