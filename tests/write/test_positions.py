"""A product's position inside each of its categories (issue 14 item 5): the ``sortOrder`` of its
category links, mirrored from the link pages, pushed, and kept by restore, made anew and onto
Retail's successor; a mirror written before positions existed gets them once, at the price of the
link pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.mirror import files, layout
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo, open_repo
from ecomgit.sync import assemble
from ecomgit.sync.engine import POSITIONS
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

LEVERS = 72418433  # 4th in "Banden" (5231110), 1st in "Onderhoud" (5231111)
BANDEN, ONDERHOUD = 5231110, 5231111
OTHER = 5231121  # a category the product is not in


def positions(repo: Repo, pid: int) -> dict[int, int]:
    product = files.read_product(folder_of(repo, pid) / layout.PRODUCT_FILE)
    return {entry["id"]: entry["sortOrder"] for entry in product["categories"]}


def shop_positions(app: EmulatorApp, pid: int) -> dict[int, int]:
    return {link.category_id: link.sort_order for link in app.shop.category_links.values() if link.product_id == pid}


def move(product: dict[str, Any]) -> None:
    for entry in product["categories"]:
        if entry["id"] == BANDEN:
            entry["sortOrder"] = 7
    product["categories"].append({"id": OTHER, "sortOrder": 3})


def test_the_mirror_holds_the_shops_positions(synced: Repo, app: EmulatorApp) -> None:
    assert positions(synced, LEVERS) == {BANDEN: 4, ONDERHOUD: 1} == shop_positions(app, LEVERS)
    for pid in app.shop.products:
        assert positions(synced, pid) == shop_positions(app, pid), pid


def test_push_moves_the_product_and_places_it_in_a_new_category(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    edit(synced, LEVERS, move)
    assert list(pending_products(synced.root)) == [LEVERS]
    result = push(synced, client)
    assert result.ok, [j.error or j.refused or j.mismatches for j in result.plan.jobs]
    assert shop_positions(app, LEVERS) == {BANDEN: 7, ONDERHOUD: 1, OTHER: 3}
    assert pending_products(synced.root) == {}
    assert positions(synced, LEVERS) == shop_positions(app, LEVERS)  # the record: what the shop holds
    assert run_sync(synced, client).commit is None


def test_restore_keeps_them_made_anew_and_onto_retails_successor(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    wanted = shop_positions(app, LEVERS)
    made = restored_anew(synced, client, app, LEVERS)
    assert shop_positions(app, made) == wanted

    published = published_again(synced, client, app, made)  # Retail links its categories at position 0
    assert set(positions(synced, published).values()) == {0}
    assert restore(synced, client, str(made), onto="auto").ok
    assert shop_positions(app, published) == wanted == positions(synced, published)


def test_diff_says_the_move_in_words(mirror: Path) -> None:  # noqa: F811
    edit(open_repo(mirror), LEVERS, move)
    shown = invoke("diff", "HEAD~1").output
    assert f"category {BANDEN}" in shown and "4 → 7" in shown, shown
    planned = invoke("push", "--dry-run")
    assert f"position in category {BANDEN}: 4 → 7" in planned.output, planned.output


def test_a_mirror_from_before_positions_gets_them_once_for_the_link_pages(
    synced: Repo, client: ShopClient, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files and sync state as a version without positions left them; the upgraded sync reads the
    shop's category links once (a page per 250 links, and their count), then never again."""
    before = app.stats.requests
    assert run_sync(synced, client).commit is None
    no_op = app.stats.requests - before
    as_an_older_version_wrote_it(synced, without_lines("  sortOrder:"), {POSITIONS: ""})
    assert "sortOrder" not in str(files.read_product(folder_of(synced, LEVERS) / layout.PRODUCT_FILE)["categories"])
    monkeypatch.setattr(assemble, "MIRROR_FORMAT", assemble.MIRROR_FORMAT + 1)

    before = app.stats.requests
    assert run_sync(synced, client).commit is not None
    pages = -(-len(app.shop.category_links) // 250)
    assert app.stats.requests - before <= no_op + pages + 1
    assert positions(synced, LEVERS) == {BANDEN: 4, ONDERHOUD: 1}
    for pid in app.shop.products:
        assert positions(synced, pid) == shop_positions(app, pid), pid
    before = app.stats.requests
    assert run_sync(synced, client).commit is None
    assert app.stats.requests - before == no_op  # once
