"""Records a pull request cannot forge (issue 23 item 12).

A commit that ends with ``Ecomgit-Sync:`` and a computed ``Ecomgit-Record:`` line used to make the
merged edit "already in the shop", for the next sync to overwrite. Records are now sealed with a
key only the sync and push steps hold; these tests make the forgeries the attack made, merge them
the way a team does (a clone per person, a bare origin) and run the real sync and push."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ecomgit import gitrepo, records, seal
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from tests.write.conftest import KUSTWEG, edit, folder_of, push
from tests.write.test_pending_history import LAMP, clone, description, git

TEAM_KEY = "the team's seal key"


def shop_change(app: EmulatorApp, pid: int, text: str) -> None:
    product = app.shop.products[pid]
    product.texts["en"]["description"] = text
    app.shop.touch_product(product)


def sealed_sync(origin: Path, client: ShopClient, app: EmulatorApp) -> Repo:
    """The CI runner: it holds the key, and its sync records a change in the shop (a sealed record)."""
    runner = clone(origin, "runner")
    shop_change(app, LAMP, "Changed in the back office.")
    summary = run_sync(runner, client)
    assert summary.commit is not None
    assert gitrepo.trailers(runner.root, summary.commit, seal.SEAL_TRAILER)
    git(runner.root, "push", "--quiet", "origin", "main")
    return runner


def forged(repo: Repo, seal_line: str | None) -> None:
    """The attacker's pull request: an edit whose commit claims to be a sync that read it."""
    edit(repo, KUSTWEG, description("Reviewed and merged copy."))
    gitrepo.run(repo.root, "reset", "--soft", "HEAD~1")  # the same edit, in a commit of its own making
    lines = records.stamp(repo.root, kind="sync", key=None)
    lines = [line for line in lines if not line.startswith(seal.SEAL_TRAILER)]
    if seal_line is not None:
        lines.append(seal_line)
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    gitrepo.commit(repo.root, "Sync: 1 changed\n\nEcomgit-Sync: " + now + "\n" + "".join(f"{x}\n" for x in lines))
    assert gitrepo.trailers(repo.root, "HEAD", gitrepo.SYNC_TRAILER)


def ours_id() -> str:
    key = seal.current()
    assert key is not None
    return key.id


@pytest.mark.parametrize("how", ["no seal", "our key id, made-up mac", "another key"])
def test_a_forged_record_in_a_pull_request_neither_hides_the_edit_nor_lets_sync_overwrite_it(
    origin: Path, client: ShopClient, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.setenv(seal.ENV, TEAM_KEY)
    runner = sealed_sync(origin, client, app)
    attacker = clone(origin, "attacker")
    seal_line = {
        "no seal": None,
        "our key id, made-up mac": f"{seal.SEAL_TRAILER}: {ours_id()} {'ab' * 32}",
        "another key": f"{seal.SEAL_TRAILER}: 0123456789abcdef {'cd' * 32}",
    }[how]
    with monkeypatch.context() as patch:
        patch.delenv(seal.ENV)  # the pull request's author has no key
        forged(attacker, seal_line)
    git(attacker.root, "push", "--quiet", "origin", "main")  # merged
    git(runner.root, "pull", "--quiet", "--no-rebase", "origin", "main")
    assert list(pending_products(runner.root)) == [KUSTWEG]
    shop_change(app, KUSTWEG, "The shop's copy, changed later.")
    run_sync(runner, client)  # the scheduled sync: holds the reviewed edit, does not overwrite it
    text = (folder_of(runner, KUSTWEG) / "product.yaml").read_text()
    assert "Reviewed and merged copy." in text
    assert list(pending_products(runner.root)) == [KUSTWEG]
    assert not push(runner, client).ok  # both changed it since the last record: a conflict, not an overwrite
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "The shop's copy, changed later."


def test_an_unsealed_record_after_a_sealed_one_is_told_even_without_the_key(
    origin: Path, client: ShopClient, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(seal.ENV, TEAM_KEY)
    sealed_sync(origin, client, app)
    monkeypatch.delenv(seal.ENV)
    attacker = clone(origin, "attacker")
    forged(attacker, None)
    assert list(pending_products(attacker.root)) == [KUSTWEG]  # a real record is never made after a sealed one


def test_the_forged_record_is_pushed_as_the_edit_it_is(
    origin: Path, client: ShopClient, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(seal.ENV, TEAM_KEY)
    runner = sealed_sync(origin, client, app)
    attacker = clone(origin, "attacker")
    with monkeypatch.context() as patch:
        patch.delenv(seal.ENV)
        forged(attacker, f"{seal.SEAL_TRAILER}: {'0' * 16} {'ab' * 32}")
        assert pending_products(attacker.root) == {}  # without any key, a made-up seal cannot be told
    git(attacker.root, "push", "--quiet", "origin", "main")
    git(runner.root, "pull", "--quiet", "--no-rebase", "origin", "main")
    assert push(runner, client).ok
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "Reviewed and merged copy."
    assert pending_products(runner.root) == {}


def test_a_record_sealed_by_another_api_secret_is_checked_by_a_key_derived_from_it(
    origin: Path, client: ShopClient, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No seal key set: the key comes from the shop's API secret, as in the generated workflows."""
    monkeypatch.setenv("ECOMGIT_API_KEY", "key")
    monkeypatch.setenv("ECOMGIT_API_SECRET", "secret")
    first = seal.current()
    assert first is not None
    monkeypatch.setenv("ECOMGIT_API_SECRET", "another secret")
    assert seal.current() is not None and seal.current() != first
    monkeypatch.setenv("ECOMGIT_API_SECRET", "secret")
    runner = sealed_sync(origin, client, app)
    attacker = clone(origin, "attacker")
    with monkeypatch.context() as patch:
        patch.setenv("ECOMGIT_API_SECRET", "the attacker's own secret")  # a real seal, with another key
        forged(attacker, None)
        lines = records.stamp(attacker.root, kind="sync")
        assert any(line.startswith(seal.SEAL_TRAILER) for line in lines)
    git(attacker.root, "push", "--quiet", "origin", "main")
    git(runner.root, "pull", "--quiet", "--no-rebase", "origin", "main")
    assert list(pending_products(runner.root)) == [KUSTWEG]


def test_records_sealed_before_the_key_was_rotated_still_count_and_none_after(
    origin: Path, client: ShopClient, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(seal.ENV, "the old key")
    dev = clone(origin, "dev")
    edit(dev, KUSTWEG, description("Pushed under the old key."))
    assert push(dev, client).ok
    assert pending_products(dev.root) == {}
    monkeypatch.setenv(seal.ENV, "the new key")  # rotated: the push's record is another key's now
    assert pending_products(dev.root) == {}
    shop_change(app, LAMP, "Changed after the rotation.")
    assert run_sync(dev, client).commit is not None  # sealed with the new key
    assert pending_products(dev.root) == {}
    with monkeypatch.context() as patch:
        patch.setenv(seal.ENV, "the old key")  # someone still holding the old key, after the rotation
        edit(dev, LAMP, description("Edited, then claimed as read under the old key."))
        gitrepo.run(dev.root, "reset", "--soft", "HEAD~1")
        lines = records.stamp(dev.root, kind="sync")
        gitrepo.commit(dev.root, "Sync\n\nEcomgit-Sync: 2026-01-01T00:00:00Z\n" + "".join(f"{x}\n" for x in lines))
        assert pending_products(dev.root) == {}  # the old key vouches for it...
    assert list(pending_products(dev.root)) == [LAMP]  # ...ours does not: it came after a record of ours


def test_a_moment_far_ahead_of_its_commit_does_not_make_a_record_the_newest(
    origin: Path, client: ShopClient, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No key anywhere (the emulator without credentials): a branch's record whose ``at`` is a year
    ahead would win over the sync made on main meanwhile, and a merged edit would pass for read."""
    dev = clone(origin, "dev")
    git(dev.root, "checkout", "--quiet", "-b", "copy")
    edit(dev, LAMP, description("Branch copy."))
    gitrepo.run(dev.root, "reset", "--soft", "HEAD~1")
    year_ahead = time.time_ns() // 1_000_000 + 365 * 86_400_000
    lines = records.stamp(dev.root, now_ms=year_ahead, kind="sync")
    with monkeypatch.context() as patch:
        patch.setenv("GIT_COMMITTER_DATE", str(time.time_ns() // 1_000_000_000 - 3600))  # the branch is older
        message = "Sync\n\nEcomgit-Sync: 2027-01-01T00:00:00Z\n" + "".join(f"{x}\n" for x in lines)
        gitrepo.commit(dev.root, message)
    git(dev.root, "checkout", "--quiet", "main")
    shop_change(app, LAMP, "The back office's copy.")
    assert run_sync(dev, client).commit is not None
    git(dev.root, "merge", "--quiet", "--no-edit", "-X", "theirs", "copy")
    assert "Branch copy." in (folder_of(dev, LAMP) / "product.yaml").read_text()
    assert list(pending_products(dev.root)) == [LAMP]
