"""``status`` reports the last finished sync, and the last change a sync brought, separately
(issue 23, item 19: before, it said "Last sync: 1 hour ago" straight after a sync that found
nothing to change, because it read the last sync *commit*)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from ecomgit.api import ShopClient
from ecomgit.cli.main import cli
from ecomgit.emulator import EmulatorApp
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync

KUSTWEG = 72418339


def test_a_sync_that_changed_nothing_is_the_last_sync(
    synced: Repo, client: ShopClient, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="seconds")
    product = app.shop.products[KUSTWEG]
    product.texts["en"]["description"] = "Edited in the back office."
    app.shop.touch_product(product)
    with monkeypatch.context() as dated:
        dated.setenv("GIT_COMMITTER_DATE", an_hour_ago)
        changed = run_sync(synced, client).commit
    assert changed is not None
    assert run_sync(synced, client).commit is None  # nothing new: no commit
    monkeypatch.chdir(synced.root)
    shown = CliRunner().invoke(cli, ["status"], catch_exceptions=False).output
    [line] = [line for line in shown.splitlines() if line.startswith("Last sync:")]
    assert line == (
        f"Last sync: just now (nothing changed; the last change it brought: 1 hour ago, commit {changed[:10]})"
    )
    data = json.loads(CliRunner().invoke(cli, ["status", "--json"], catch_exceptions=False).output)
    assert data["lastSync"] == changed and data["lastSyncChanged"] is False
    assert datetime.fromisoformat(data["lastSyncAt"]) > datetime.fromisoformat(data["lastChangeAt"])


def test_a_sync_that_committed_is_shown_with_its_commit(
    synced: Repo, client: ShopClient, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    product = app.shop.products[KUSTWEG]
    product.texts["en"]["description"] = "Edited in the back office."
    app.shop.touch_product(product)
    commit = run_sync(synced, client).commit
    assert commit is not None
    monkeypatch.chdir(synced.root)
    shown = CliRunner().invoke(cli, ["status"], catch_exceptions=False).output
    assert f"Last sync: just now (commit {commit[:10]})" in shown


# -- issue 15 item 7: honest status after an interruption, and while a command runs ----------------------


def test_after_an_interrupted_sync_status_never_advises_committing_its_files(
    synced: Repo, client: ShopClient, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecomgit.sync import engine

    product = app.shop.products[KUSTWEG]
    product.texts["en"]["description"] = "Edited in the back office."
    app.shop.touch_product(product)

    def interrupted(*args: object, **kwargs: object) -> str:
        raise KeyboardInterrupt  # Ctrl-C after the files were written, before the commit

    with monkeypatch.context() as patch:
        patch.setattr(engine.gitrepo, "commit", interrupted)
        with pytest.raises(KeyboardInterrupt):
            run_sync(synced, client)
    monkeypatch.chdir(synced.root)
    shown = CliRunner().invoke(cli, ["status"], catch_exceptions=False).output
    assert "A sync was interrupted and has not finished; 'ecomgit sync' completes it." in shown
    assert "commit them to push" not in shown  # before: the half-written files were "yours to commit"
    assert "are the unfinished sync's work in progress; do not commit them" in shown
    assert run_sync(synced, client).commit is not None  # and the sync does finish them


def test_while_a_sync_runs_status_says_it_is_running(synced: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    from ecomgit import lock

    monkeypatch.chdir(synced.root)
    with lock.exclusive(synced.work_dir / "lock", "sync"):  # what a running sync holds
        shown = CliRunner().invoke(cli, ["status"], catch_exceptions=False).output
    assert f"An ecomgit sync (pid {os.getpid()}) is running in this repository now." in shown
    assert "interrupted" not in shown
    after = CliRunner().invoke(cli, ["status"], catch_exceptions=False).output
    assert "is running" not in after  # released: nobody holds it
