"""Pending edits are decided per field: a merge that brings back an older recorded value is not an
edit (issue 23, item 1). Real clones of a bare origin, conflicts resolved the way people do."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo
from tests.write.conftest import KUSTWEG, edit, push
from tests.write.test_pending_history import _product_file, clone, git


def texts(app: EmulatorApp, pid: int) -> tuple[str, str]:
    product = app.shop.products[pid]
    return product.texts["en"]["description"], product.texts["nl"]["description"]


def test_a_conflict_resolved_with_keep_mine_does_not_revert_a_colleagues_push(
    origin: Path, client: ShopClient, app: EmulatorApp
) -> None:
    anna, bob = clone(origin, "anna"), clone(origin, "bob")
    old_en, old_nl = texts(app, KUSTWEG)
    edit(anna, KUSTWEG, lambda p: p["description"].__setitem__("en", "Anna's English."))
    assert push(anna, client).ok
    git(anna.root, "push", "--quiet", "origin", "main")
    assert texts(app, KUSTWEG) == ("Anna's English.", old_nl)

    edit(bob, KUSTWEG, lambda p: p["description"].__setitem__("nl", "Bobs Nederlands."))  # on the older main
    pulled = subprocess.run(
        ["git", "pull", "--no-rebase", "--no-edit", "origin", "main"], cwd=bob.root, capture_output=True, text=True
    )
    assert pulled.returncode != 0 and "CONFLICT" in pulled.stdout  # adjacent lines
    path = _product_file(bob, KUSTWEG)
    git(bob.root, "checkout", "--ours", "--", path)  # "keep mine"
    git(bob.root, "add", path)
    git(bob.root, "commit", "--quiet", "--no-edit")
    assert KUSTWEG in pending_products(bob.root)  # Bob's Dutch is an edit still to send

    result = push(bob, client)
    assert result.ok
    assert texts(app, KUSTWEG) == ("Anna's English.", "Bobs Nederlands.")  # Anna's push stays
    [job] = result.plan.writes
    assert any("description [en]" in line and "brought back" in line for line in job.skipped_lines()), (
        job.skipped_lines()
    )
    # the push's record read the product back: the file holds the shop's English again, nothing pending
    assert "Anna's English." in (bob.root / path).read_text(encoding="utf-8")
    assert pending_products(bob.root) == {}


def anna_pushed_and_bob_merged(origin: Path, client: ShopClient) -> tuple[Repo, Repo]:
    """Anna pushed an English description; Bob, on the older main, edited the Dutch one and merged
    main in without a conflict (his edit is in another product field far enough away)."""
    anna, bob = clone(origin, "anna"), clone(origin, "bob")
    edit(anna, KUSTWEG, lambda p: p["description"].__setitem__("en", "Anna's English."))
    assert push(anna, client).ok
    git(anna.root, "push", "--quiet", "origin", "main")
    edit(bob, KUSTWEG, lambda p: p.__setitem__("data01", "Bob's note."))
    git(bob.root, "pull", "--quiet", "--no-rebase", "--no-edit", "origin", "main")
    return anna, bob


def test_a_deliberate_revert_after_the_merge_is_still_sent(origin: Path, client: ShopClient, app: EmulatorApp) -> None:
    old_en, _ = texts(app, KUSTWEG)
    _, bob = anna_pushed_and_bob_merged(origin, client)
    assert "Anna's English." in (bob.root / _product_file(bob, KUSTWEG)).read_text(encoding="utf-8")
    edit(bob, KUSTWEG, lambda p: p["description"].__setitem__("en", old_en), message="Revert Anna's copy")
    result = push(bob, client)
    assert result.ok
    assert texts(app, KUSTWEG)[0] == old_en and app.shop.products[KUSTWEG].data01 == "Bob's note."
    [job] = result.plan.writes
    assert job.skipped_lines() == []


def test_a_conflict_resolved_by_hand_to_a_new_text_is_sent(origin: Path, client: ShopClient, app: EmulatorApp) -> None:
    anna, bob = clone(origin, "anna"), clone(origin, "bob")
    edit(anna, KUSTWEG, lambda p: p["description"].__setitem__("en", "Anna's English."))
    assert push(anna, client).ok
    git(anna.root, "push", "--quiet", "origin", "main")
    edit(bob, KUSTWEG, lambda p: p["description"].__setitem__("en", "Bob's English."))
    pulled = subprocess.run(
        ["git", "pull", "--no-rebase", "--no-edit", "origin", "main"], cwd=bob.root, capture_output=True, text=True
    )
    assert pulled.returncode != 0
    path = bob.root / _product_file(bob, KUSTWEG)
    git(bob.root, "checkout", "--ours", "--", str(path))
    text = path.read_text(encoding="utf-8").replace("Bob's English.", "Anna and Bob's English.")
    path.write_text(text, encoding="utf-8")
    git(bob.root, "add", str(path))
    git(bob.root, "commit", "--quiet", "--no-edit")  # the merge itself holds a value neither side had
    assert push(bob, client).ok
    assert texts(app, KUSTWEG)[0] == "Anna and Bob's English."


def test_with_ours_a_value_brought_back_is_sent(origin: Path, client: ShopClient, app: EmulatorApp) -> None:
    old_en, _ = texts(app, KUSTWEG)
    anna, bob = clone(origin, "anna"), clone(origin, "bob")
    edit(anna, KUSTWEG, lambda p: p["description"].__setitem__("en", "Anna's English."))
    assert push(anna, client).ok
    git(anna.root, "push", "--quiet", "origin", "main")
    edit(bob, KUSTWEG, lambda p: p["description"].__setitem__("nl", "Bobs Nederlands."))
    git(bob.root, "fetch", "--quiet", "origin")
    git(bob.root, "merge", "--quiet", "-X", "ours", "--no-edit", "origin/main")  # git's own "keep mine"
    assert push(bob, client, prefer="ours").ok
    assert texts(app, KUSTWEG) == (old_en, "Bobs Nederlands.")
