"""A product's filter values (issue 14 item 2): mirrored from the catalog at no request more, shown
in words, validated, pushed (link and unlink), and brought back by restore, made anew and onto
Retail's successor."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.check import check
from ecomgit.emulator import EmulatorApp
from ecomgit.mirror import files, layout
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo, open_repo
from ecomgit.sync.run import run_sync
from tests.write.conftest import edit, folder_of, published_again, push, restore, restored_anew
from tests.write.test_cli import invoke, mirror  # noqa: F401 - the CLI fixture
from tests.write.test_pending_history import LAMP

GRAVEL = 72418301  # four filter values in the sample catalog
RED, BLACK = 8114, 8111
COLOUR = 8101


def values(repo: Repo, pid: int) -> list[tuple[int, int]]:
    product = files.read_product(folder_of(repo, pid) / layout.PRODUCT_FILE)
    return [(entry["filter"]["id"], entry["value"]["id"]) for entry in product["filters"]]


def shop_values(app: EmulatorApp, pid: int) -> list[tuple[int, int]]:
    return sorted((link.filter_id, link.value_id) for link in app.shop.products[pid].filter_links)


def red(product: dict[str, Any]) -> None:
    product["filters"].append({"filter": {"id": COLOUR, "title": "Kleur"}, "value": {"id": RED, "title": "Rood"}})


def test_the_mirror_holds_them_and_a_link_made_in_the_shop_costs_no_request_more(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    assert values(synced, GRAVEL) == [(8101, 8111), (8102, 8121), (8103, 8131), (8103, 8133)]
    assert values(synced, LAMP) == []
    before = app.stats.requests
    assert run_sync(synced, client).commit is None
    no_op = app.stats.requests - before
    app.shop.link_filter_value(app.shop.products[LAMP], COLOUR, RED)  # in the back office
    before = app.stats.requests
    summary = run_sync(synced, client)
    assert summary.commit is not None and values(synced, LAMP) == [(COLOUR, RED)]
    # the link moves the product's updatedAt: read in depth as any edit; no request for the filters themselves
    assert app.stats.requests - before <= no_op + 8


def test_push_links_and_unlinks_them(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    def change(product: dict[str, Any]) -> None:
        red(product)
        product["filters"] = [f for f in product["filters"] if f["value"]["id"] != BLACK]

    edit(synced, GRAVEL, change)
    assert list(pending_products(synced.root)) == [GRAVEL]
    result = push(synced, client)
    assert result.ok, [j.error or j.refused or j.mismatches for j in result.plan.jobs]
    assert shop_values(app, GRAVEL) == [(8101, 8114), (8102, 8121), (8103, 8131), (8103, 8133)]
    assert pending_products(synced.root) == {}
    assert values(synced, GRAVEL) == shop_values(app, GRAVEL)  # the record: what the shop holds


def test_restore_brings_them_back_made_anew_and_onto_retails_successor(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    wanted = shop_values(app, GRAVEL)
    made = restored_anew(synced, client, app, GRAVEL)
    assert shop_values(app, made) == wanted

    published = published_again(synced, client, app, made)
    assert values(synced, published) == []  # Retail sends no filter values
    assert restore(synced, client, str(made), onto="auto").ok
    assert shop_values(app, published) == wanted and values(synced, published) == wanted


def test_check_names_a_value_linked_twice_and_a_filter_without_id(synced: Repo) -> None:
    def broken(product: dict[str, Any]) -> None:
        product["filters"].append(copy.deepcopy(product["filters"][0]))  # Kleur: Zwart twice
        product["filters"][1]["filter"] = {"title": "Materiaal"}  # no id

    edit(synced, GRAVEL, broken)
    problems = [str(p) for p in check(synced.root, [], synced.config)[1]]
    assert any(".yaml:" in p and ".filter.id: missing; add the key 'id'" in p for p in problems), problems
    assert any("link a filter value once" in p for p in problems), problems


def test_diff_and_the_plan_say_them_in_words(mirror: Path) -> None:  # noqa: F811
    edit(open_repo(mirror), LAMP, red)
    assert "    filter Kleur: Rood added" in invoke("diff", "HEAD~1").output
    planned = invoke("push", "--dry-run")
    assert f"filter {COLOUR} value {RED}: added" in planned.output, planned.output
    assert gitrepo.head(mirror)
