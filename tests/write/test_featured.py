"""``isFeatured`` (issue 14 item 9): mirrored from the catalog, shown in words, pushed, brought back
by restore (a re-created product and a graft onto Retail's successor), and added to the files of an
older version by the next sync without a request more."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.check import check
from ecomgit.emulator import EmulatorApp
from ecomgit.mirror import files, layout
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo, open_repo
from ecomgit.sync import assemble
from ecomgit.sync.run import run_sync
from tests.write.conftest import (
    as_an_older_version_wrote_it,
    edit,
    folder_of,
    published_again,
    push,
    restore,
    restored_anew,
    without_lines,
)
from tests.write.test_cli import invoke, mirror  # noqa: F401 - the CLI fixture
from tests.write.test_pending_history import LAMP

FEATURED = 72418301  # featured in the sample catalog


def featured(repo: Repo, pid: int) -> object:
    return files.read_product(folder_of(repo, pid) / layout.PRODUCT_FILE).get("isFeatured")


def test_the_mirror_holds_it_and_a_change_in_the_shop_is_a_catalog_only_change(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    assert featured(synced, FEATURED) is True and featured(synced, LAMP) is False
    before = app.stats.requests
    assert run_sync(synced, client).commit is None
    no_op = app.stats.requests - before
    app.shop.products[LAMP].is_featured = True  # the catalog shows it (its updatedAt need not move)
    before = app.stats.requests
    summary = run_sync(synced, client)
    assert summary.commit is not None and featured(synced, LAMP) is True
    assert [(c.kind, c.product_id) for c in summary.changes] == [("changed", LAMP)]
    assert "+isFeatured: true" in gitrepo.run(synced.root, "show", "--format=", "HEAD")
    assert app.stats.requests - before == no_op  # the catalog pass alone: no product read in depth


def test_push_sends_an_edit_of_it(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    edit(synced, LAMP, lambda p: p.__setitem__("isFeatured", True))
    assert list(pending_products(synced.root)) == [LAMP]
    assert push(synced, client).ok
    assert app.shop.products[LAMP].is_featured is True
    assert pending_products(synced.root) == {}


def test_restore_brings_it_back_made_anew_and_onto_retails_successor(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    made = restored_anew(synced, client, app, FEATURED)
    assert app.shop.products[made].is_featured is True

    published = published_again(synced, client, app, made)
    assert featured(synced, published) is False  # Retail sends no such thing
    assert restore(synced, client, str(made), onto="auto").ok
    assert app.shop.products[published].is_featured is True and featured(synced, published) is True


def test_a_file_of_an_older_version_lacks_it_checks_clean_and_the_next_sync_adds_it_for_free(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    for path in (synced.root / layout.PRODUCTS_DIR).glob(f"*/{layout.PRODUCT_FILE}"):
        path.write_text("".join(x for x in path.read_text().splitlines(keepends=True) if "isFeatured" not in x))
    gitrepo.stage(synced.root, [layout.PRODUCTS_DIR.as_posix()])
    gitrepo.commit(synced.root, "Files as ecomgit 0.1 wrote them")  # a person's commit: pending edits, as such
    assert check(synced.root, [], synced.config)[1] == []
    shop_before = {pid: p.is_featured for pid, p in app.shop.products.items()}
    result = push(synced, client)  # what an older file says nothing of is not sent
    assert result.ok and {pid: p.is_featured for pid, p in app.shop.products.items()} == shop_before
    assert not [job.pid for job in result.plan.jobs if job.decision.changes]


def test_the_format_upgrade_costs_no_request_more_than_a_no_op_sync(
    synced: Repo, client: ShopClient, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files as an older version wrote them, recorded by its sync; then a version whose format is
    one higher syncs: every product is rebuilt from the catalog pass it makes anyway."""
    before = app.stats.requests
    assert run_sync(synced, client).commit is None
    no_op = app.stats.requests - before
    as_an_older_version_wrote_it(synced, without_lines("isFeatured"))
    monkeypatch.setattr(assemble, "MIRROR_FORMAT", assemble.MIRROR_FORMAT + 1)  # the upgrade
    before = app.stats.requests
    summary = run_sync(synced, client)
    assert summary.commit is not None
    assert all(featured(synced, pid) is not None for pid in app.shop.products)
    assert app.stats.requests - before == no_op


def test_diff_and_the_push_plan_say_it_in_words(mirror: Path) -> None:  # noqa: F811
    edit(open_repo(mirror), LAMP, lambda p: p.__setitem__("isFeatured", True))
    assert "    isFeatured: false → true" in invoke("diff", "HEAD~1").output
    planned = invoke("push", "--dry-run")
    assert "    isFeatured: false → true" in planned.output and "present" not in planned.output
