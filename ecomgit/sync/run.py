"""Run one sync of a repository, locked against concurrent writers."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from ecomgit.api import ShopClient
from ecomgit.errors import EcomgitError
from ecomgit.heal import restore_lost
from ecomgit.shop import Repo, writer
from ecomgit.sync.engine import Sync
from ecomgit.sync.report import Summary


def run_sync(
    repo: Repo,
    client: ShopClient,
    progress: Callable[[str], None] | None = None,
    *,
    allow_mass_delete: bool = False,
    ticker: Callable[[str], None] | None = None,
    quick: bool = False,
    touched: Sequence[int] | None = None,
) -> Summary:
    """One sync of ``repo`` (locked against concurrent writers); returns what it did. ``ticker``
    gets the progress line of the long reads (done/total, requests left, when it will be done);
    ``quick``: ask the shop what changed instead of reading its catalog (``ecomgit.sync.quick``);
    ``touched``: read only these products (named by the shop's webhooks: ``ecomgit watch``)."""
    started = time.monotonic()
    with writer(repo, "sync") as state:
        sync = Sync(
            repo.root,
            repo.config,
            client,
            state,
            progress=progress,
            allow_mass_delete=allow_mass_delete,
            ticker=ticker,
            quick=quick,
            touched=touched,
        )
        summary = sync.run()
    if repo.config.heal == "auto" and any(change.kind in ("deleted", "new") for change in summary.changes):
        try:
            summary.healed = restore_lost(repo, client, progress or (lambda message: None))
        except EcomgitError as exc:  # the sync is committed; the stop is said ("ecomgit lost" names what is left)
            summary.healed = [f"stopped: {exc}"]
    summary.seconds = time.monotonic() - started
    return summary
