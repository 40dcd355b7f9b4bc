"""Every write to the shop leaves a commit: what was written, with trailers history can read.

``Ecomgit-Push`` / ``Ecomgit-Restore`` mark the commit as a record of the shop's state (like a
sync's ``Ecomgit-Sync``), ``Ecomgit-Held`` names products whose edits are still not in the shop,
``Ecomgit-Restored: <old> -> <new>`` maps a re-created or grafted product to its new id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ecomgit import gitrepo, records, unfinished
from ecomgit.mirror import layout
from ecomgit.sync.state import Seen, State


@contextmanager
def put_back_unless_committed(root: Path, folders: Callable[[], Iterable[str | None]]) -> Iterator[None]:
    """If the block fails or is interrupted (Ctrl-C) before its commit, the product folders it
    wrote are put back as HEAD has them: nobody finds a half-written mirror. (The shop keeps what
    was written; the next push or restore sees it there and does not send it again.)"""
    try:
        yield
    except BaseException:
        for folder in {f for f in folders() if f}:
            path = f"{layout.PRODUCTS_DIR}/{folder}"
            gitrepo.run(root, "checkout", "HEAD", "--", path, check=False)
            gitrepo.run(root, "clean", "-fdq", "--", path, check=False)
        raise


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def commit_record(
    root: Path,
    state: State,
    *,
    trailer: str,
    message: Sequence[str],
    requests: int,
    folders: Iterable[str],
    written: Iterable[int],
    held: Iterable[int] = (),
    restored: Iterable[tuple[int, int]] = (),
    recorded: Iterable[int] = (),
    trailers: Sequence[str] = (),
) -> str:
    """Stage the product folders written and commit (also when nothing changed in them).

    ``recorded``: the products this write settled — read back from the shop, or found to need
    nothing — whose files at this commit are what the shop holds (see :mod:`ecomgit.records`)."""
    before = records.newest(root) or ""
    trusted = state.get_meta("sync_commit") == before
    wanted = {f"{layout.PRODUCTS_DIR}/{folder}" for folder in folders}
    gitrepo.stage_only(root, [str(layout.PRODUCTS_DIR)], lambda name: "/".join(name.split("/")[:2]) in wanted)
    lines = [*message, "", f"{trailer}: {now()}", f"Ecomgit-Requests: {requests}"]
    lines += [f"{gitrepo.RESTORED_TRAILER}: {old} -> {new}" for old, new in restored]
    lines += trailers
    held_ids = sorted(set(held))
    if held_ids:
        lines.append(f"{gitrepo.HELD_TRAILER}: {' '.join(map(str, held_ids))}")
    lines += records.stamp(root, recorded, kind=records.kind_of(trailer), held=held_ids)
    sha = gitrepo.commit(root, "\n".join(lines) + "\n", allow_empty=True)
    unfinished.end(state)  # the record is whole now
    with state.transaction():
        # the products written changed in the shop just now: the next sync reads them in depth
        state.record_seen((pid, Seen("", "")) for pid in written)
        if trusted:
            state.set_meta("sync_commit", sha)
    return sha
