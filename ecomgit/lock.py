"""One writer at a time: an exclusive lock file in the git directory.

The file holds ``<pid> <command>`` of the process holding the lock, so a command that finds it
taken can say which one is running; the holder empties it when it finishes. A file that still
names a process when the lock is taken was left by one that died holding it (``kill -9``, a power
cut): :func:`taken_over_inside` tells the git layer so, and it may then clear the lock files git
left behind when that process was killed (see :func:`ecomgit.gitrepo.clear_stale_locks`).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ecomgit.errors import GitError
from ecomgit.ids import parse_id


@dataclass(frozen=True)
class Takeover:
    """This process holds ``path``, whose previous holder died holding it."""

    path: Path  # the lock file (resolved)
    pid: int | None  # the dead holder
    what: str  # its command ("sync", "push", …), "" when unknown
    since: float  # when it took the lock (the file's mtime)
    at: float  # when this process took the lock over


_takeovers: dict[Path, Takeover] = {}


@contextmanager
def exclusive(path: Path, what: str) -> Iterator[None]:
    """Hold ``path`` locked while the block runs; refuse at once if another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    key = path.resolve()
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise GitError(_refusal(fd, what)) from None
        left = _holder(fd)
        if left is not None and left[0] != os.getpid():
            _takeovers[key] = Takeover(key, left[0], left[1], os.fstat(fd).st_mtime, time.time())
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {what}\n".encode(), 0)
        try:
            yield
        finally:
            _takeovers.pop(key, None)
            os.ftruncate(fd, 0)  # finished (also by an exception): the next holder finds it empty
    finally:
        os.close(fd)


def running(path: Path) -> tuple[int | None, str] | None:
    """``(pid, command)`` of the live process holding ``path``, or None when nobody holds it (a
    name left by a process that died holding it is not a holder). Never takes the lock."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        holder = _holder(fd)
        if holder is None:
            return None
        try:  # a shared lock is refused while the holder's exclusive one is held, and is never held here
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return holder
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def taken_over_inside(directory: Path) -> Takeover | None:
    """A lock inside ``directory`` that this process holds and took over from a dead holder."""
    inside = directory.resolve()
    return next((t for t in _takeovers.values() if t.path.is_relative_to(inside)), None)


def _holder(fd: int) -> tuple[int | None, str] | None:
    """``(pid, command)`` the lock file names, or None when it is empty."""
    words = os.pread(fd, 256, 0).decode("ascii", "replace").split()
    if not words:
        return None
    pid = parse_id(words[0])
    return pid, " ".join(words[1:])


def _refusal(fd: int, what: str) -> str:
    holder = _holder(fd)
    for _ in range(20):  # the holder writes its name just after taking the lock
        if holder is not None:
            break
        time.sleep(0.01)
        holder = _holder(fd)
    pid, command = holder if holder is not None else (None, "")
    return (
        f"another ecomgit {command or 'command'} is running in this repository"
        + (f" (pid {pid})" if pid else "")
        + f"; wait for it to finish, then run 'ecomgit {what}' again"
    )
