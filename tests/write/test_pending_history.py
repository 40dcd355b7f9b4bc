"""Which edits are pending cannot depend on commit order, merge direction or a commit message's text.

Every test drives real git: clones of a bare origin, merges both ways round, squash merges, a
rebased sync record. The shop is the emulator in-process; what counts is what reaches it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from ecomgit import gitrepo, records
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo, open_repo
from ecomgit.sync.run import run_sync
from tests.write.conftest import KUSTWEG, edit, push

LAMP = 72418448


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def description(text: str) -> Any:
    return lambda product: product["description"].__setitem__("en", text)


def clone(origin: Path, name: str) -> Repo:
    """A new clone of ``origin`` beside it (as a colleague's or a CI runner's checkout)."""
    path = origin.parent / name
    git(origin.parent, "clone", "--quiet", str(origin), str(path))
    return open_repo(path)


def moments(app: EmulatorApp) -> dict[int, tuple[int, ...]]:
    """Each product's and its variants' last-change moments: any write the shop took moves one."""
    return {
        pid: (product.updated, *(variant.updated for variant in product.variants))
        for pid, product in app.shop.products.items()
    }


# -- trailers come from the trailer block, and a record must still hold what it recorded ---------


@pytest.mark.parametrize("quoted", ["legacy", "stamped"])
def test_a_squash_merge_quoting_a_sync_trailer_keeps_the_branch_edits(
    synced: Repo, client: ShopClient, app: EmulatorApp, quoted: str
) -> None:
    root = synced.root
    git(root, "checkout", "--quiet", "-b", "copy")
    edit(synced, KUSTWEG, description("Squashed copy."))
    git(root, "checkout", "--quiet", "main")
    git(root, "merge", "--quiet", "--squash", "copy")
    # GitHub's squash message lists the branch's commits; the last one quoted is a sync's, trailers
    # and all, so git itself reads its last paragraph as a trailer block
    sync_message = git(root, "log", "-1", "--format=%B", records.newest(root) or "").strip()
    block = sync_message.split("\n\n")[-1]
    if quoted == "legacy":
        block = "\n".join(line for line in block.splitlines() if not line.startswith(records.RECORD_TRAILER))
    message = f"Copy edit (#3)\n\n* Edit copy\n\n* Sync: 1 changed\n\n{block}\n"
    gitrepo.commit(root, message)
    assert gitrepo.trailers(root, "HEAD", gitrepo.SYNC_TRAILER)  # git does see a sync trailer there
    assert records.newest(root) != gitrepo.head(root)  # but it is not a record: its files are not the shop's
    assert list(pending_products(root)) == [KUSTWEG]
    assert push(synced, client).ok
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "Squashed copy."


def test_a_line_in_a_message_body_is_no_trailer(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    message = "Edit copy\n\nEcomgit-Sync: 2026-01-01T00:00:00Z\n\nThanks!"
    edit(synced, KUSTWEG, description("Body copy."), message=message)
    assert list(pending_products(synced.root)) == [KUSTWEG]
    assert push(synced, client).ok
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "Body copy."


# -- a pull request merged while a sync runs ------------------------------------------------------


@pytest.mark.parametrize("publish", ["merge", "rebase"])
def test_a_pull_request_merged_while_a_sync_ran_is_pushed_and_never_reverted(
    origin: Path, client: ShopClient, app: EmulatorApp, publish: str
) -> None:
    runner = clone(origin, "runner")  # the scheduled sync's checkout
    shop_lamp = app.shop.products[LAMP]
    shop_lamp.texts["en"]["description"] = "Changed in the back office."
    app.shop.touch_product(shop_lamp)
    assert run_sync(runner, client).commit is not None  # the sync commits the shop's change...
    dev = clone(origin, "dev")  # ...while a pull request is merged and published
    edit(dev, KUSTWEG, description("Merged during the sync."), message="Merge pull request #9")
    git(dev.root, "push", "--quiet", "origin", "main")
    # the sync run publishes: its push is rejected, so it brings main in (the workflow merges;
    # an older workflow, or a person, rebases) and pushes again
    if publish == "merge":
        git(runner.root, "pull", "--quiet", "--no-rebase", "--no-edit", "origin", "main")
    else:
        git(runner.root, "pull", "--quiet", "--rebase", "origin", "main")
    git(runner.root, "push", "--quiet", "origin", "HEAD:main")
    assert KUSTWEG in pending_products(runner.root)
    assert LAMP not in pending_products(runner.root) or publish == "rebase"  # a rebased record is no record
    result = push(runner, client)  # the run's "push edits still pending"
    assert result.ok
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "Merged during the sync."
    assert shop_lamp.texts["en"]["description"] == "Changed in the back office."  # not sent back over
    assert pending_products(runner.root) == {}
    # later syncs keep both
    assert run_sync(runner, client).commit is None
    assert "Merged during the sync." in (runner.root / _product_file(runner, KUSTWEG)).read_text()


def test_a_later_sync_does_not_revert_a_pull_request_the_run_could_not_push(
    origin: Path, client: ShopClient, app: EmulatorApp
) -> None:
    runner = clone(origin, "runner")
    shop_lamp = app.shop.products[LAMP]
    shop_lamp.texts["en"]["description"] = "Changed in the back office."
    app.shop.touch_product(shop_lamp)
    run_sync(runner, client)
    dev = clone(origin, "dev")
    edit(dev, KUSTWEG, description("Not pushed yet."))
    git(dev.root, "push", "--quiet", "origin", "main")
    git(runner.root, "pull", "--quiet", "--rebase", "origin", "main")
    # the push step did not run (the shop was down); the next scheduled syncs run in new clones
    for name in ("next-1", "next-2"):
        git(runner.root, "push", "--quiet", "origin", "HEAD:main")
        runner = clone(origin, name)
        run_sync(runner, client)
        assert "Not pushed yet." in (runner.root / _product_file(runner, KUSTWEG)).read_text()
        assert KUSTWEG in pending_products(runner.root)
    assert push(runner, client).ok
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "Not pushed yet."


# -- two clones' push records merged, either way round --------------------------------------------


@pytest.mark.parametrize("direction", ["a-into-b", "b-into-a"])
def test_two_clones_push_records_merged_either_way_undo_nothing(
    origin: Path, client: ShopClient, app: EmulatorApp, direction: str
) -> None:
    a, b = clone(origin, "a"), clone(origin, "b")
    edit(a, KUSTWEG, description("From clone A."))
    assert push(a, client).ok
    edit(b, LAMP, description("From clone B."))
    assert push(b, client).ok
    first, second = (a, b) if direction == "a-into-b" else (b, a)
    git(first.root, "push", "--quiet", "origin", "main")
    git(second.root, "pull", "--quiet", "--no-rebase", "--no-edit", "origin", "main")
    assert pending_products(second.root) == {}
    before = moments(app)
    result = push(second, client)
    assert result.plan.writes == [] and moments(app) == before
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "From clone A."
    assert app.shop.products[LAMP].texts["en"]["description"] == "From clone B."
    # a back-office edit after the merge is synced, not held as if it were someone's pending edit
    shop = app.shop.products[KUSTWEG]
    shop.texts["en"]["description"] = "Back office, after both pushes."
    app.shop.touch_product(shop)
    assert run_sync(second, client).commit is not None
    assert "Back office, after both pushes." in (second.root / _product_file(second, KUSTWEG)).read_text()


def test_a_sync_in_one_clone_and_a_push_in_another_merged_keep_the_push(
    origin: Path, client: ShopClient, app: EmulatorApp
) -> None:
    """A sync that read the product before the other clone's push does not make the push look undone."""
    a, b = clone(origin, "a"), clone(origin, "b")
    shop_lamp = app.shop.products[LAMP]
    shop_lamp.texts["en"]["description"] = "Back office."
    app.shop.touch_product(shop_lamp)
    assert run_sync(b, client).commit is not None  # b reads KUSTWEG as it was
    edit(a, KUSTWEG, description("Pushed from A after B's sync."))
    assert push(a, client).ok
    git(a.root, "push", "--quiet", "origin", "main")
    for clone_repo in (b,):
        git(clone_repo.root, "pull", "--quiet", "--no-rebase", "--no-edit", "origin", "main")
        assert pending_products(clone_repo.root) == {}
        before = moments(app)
        assert push(clone_repo, client).plan.writes == [] and moments(app) == before
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "Pushed from A after B's sync."


def _product_file(repo: Repo, pid: int) -> str:
    [name] = [n for n in gitrepo.tree_names(repo.root, "HEAD", "products") if n.startswith(f"{pid}-")]
    return f"products/{name}/product.yaml"


def test_a_merge_that_keeps_the_older_side_does_not_undo_the_other_clones_push(
    origin: Path, client: ShopClient, app: EmulatorApp
) -> None:
    a, b = clone(origin, "a"), clone(origin, "b")
    edit(a, KUSTWEG, description("From clone A."))
    assert push(a, client).ok
    git(a.root, "push", "--quiet", "origin", "main")
    edit(b, LAMP, description("From clone B."))
    git(b.root, "fetch", "--quiet", "origin")
    git(b.root, "merge", "--quiet", "-s", "ours", "--no-edit", "origin/main")  # B's files win, A's push is lost
    assert KUSTWEG not in pending_products(b.root)
    result = push(b, client)
    assert result.ok
    [(pid, why)] = result.plan.skipped
    assert pid == KUSTWEG and "a merge kept the older side" in why
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "From clone A."  # not undone
    assert app.shop.products[LAMP].texts["en"]["description"] == "From clone B."
    run_sync(b, client)  # and the next sync brings A's write into the file
    assert "From clone A." in (b.root / _product_file(b, KUSTWEG)).read_text()
    assert pending_products(b.root) == {}


def test_an_edit_back_to_an_older_text_after_a_push_is_sent(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    """Going back on purpose (a revert, a checkout of the old file) is a commit after the record: an edit."""
    before = gitrepo.head(synced.root)
    edit(synced, KUSTWEG, description("Short-lived copy."))
    assert push(synced, client).ok
    path = _product_file(synced, KUSTWEG)
    git(synced.root, "checkout", before or "", "--", path)
    git(synced.root, "commit", "--quiet", "-m", "Back to the old copy")
    assert list(pending_products(synced.root)) == [KUSTWEG]
    assert push(synced, client).ok
    assert app.shop.products[KUSTWEG].texts["en"]["description"].startswith("Comfortable endurance road bike")
