"""A push or restore killed while it wrote its result into the mirror: run the command again.

After the shop is written, push and restore write the products they read back into their
folders, then commit. A kill (``kill -9``, a power cut) between the two leaves half-written
product files. Before the first of them is written, the command notes in its state which
products it is recording (:func:`begin`); the record commit, or putting the folders back after
an error, clears the note (:func:`end`). The next push, restore or sync that finds the note puts
the dirty files of those products aside in a stash (nothing is destroyed: ``git stash list``
shows them), says so, and goes on: what the killed command sent is in the shop, and is not sent
again. Other uncommitted files are a person's edits, reported as before.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from ecomgit import gitrepo
from ecomgit.ids import parse_id
from ecomgit.mirror import layout
from ecomgit.sync.state import State

log = logging.getLogger(__name__)

KEY = "recording"  # meta: "<command> <product id> …" while a write's record is being written


def begin(state: State, what: str, pids: Iterable[int]) -> None:
    state.set_meta(KEY, " ".join([what, *sorted({str(pid) for pid in pids})]))


def end(state: State) -> None:
    state.db.execute("DELETE FROM meta WHERE key=?", (KEY,))


def put_aside(root: Path, state: State) -> list[str]:
    """Put aside the half-written files a killed push or restore left (see the module's words);
    the uncommitted paths that remain (a person's)."""
    dirty = gitrepo.dirty_paths(root, [str(layout.PRODUCTS_DIR), str(layout.SHOP_DIR)])
    noted = state.get_meta(KEY)
    if noted is None:
        return dirty
    what, *ids = noted.split()
    pids = {pid for word in ids if (pid := parse_id(word)) is not None}
    own = [path for path in dirty if _product_of(path) in pids]
    if own:
        message = f"ecomgit: files a killed {what} half-wrote into the mirror"
        identity = gitrepo.identity_args(root)
        gitrepo.run(root, *identity, "stash", "push", "--include-untracked", "--quiet", "-m", message, "--", *own)
        log.warning(
            "an ecomgit %s was killed while it wrote its result into the mirror; its %d half-written file(s) "
            "(e.g. %s) are put aside ('git stash list'). What it sent is in the shop and is not sent again",
            what,
            len(own),
            own[0],
        )
    end(state)
    return [path for path in dirty if path not in own]


def _product_of(path: str) -> int | None:
    parts = path.strip("/").split("/")
    if len(parts) < 2 or parts[0] != str(layout.PRODUCTS_DIR):
        return None
    return layout.folder_product_id(parts[1])
