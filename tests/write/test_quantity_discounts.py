"""Quantity discounts (issue 14 item 6): the shop's tiers, read from one shop-wide list each sync
(not per product), held under their product (a tier for one variant names it), validated, shown
in words, pushed (updated, added, deleted) and brought back by restore, made anew and onto Retail's
successor (a variant's tier onto the successor's variant with its SKU)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.check import check
from ecomgit.emulator import EmulatorApp
from ecomgit.emulator.model import QuantityDiscount
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
)
from tests.write.test_cli import invoke, mirror  # noqa: F401 - the CLI fixture

SEALANT = 72418421  # two tiers for every variant
BIDON = 72418504  # 10 % off from 10, for its second colour only
OIL = 72418475  # a tier for one customer group, this year


def tiers(repo: Repo, pid: int) -> list[tuple[Any, ...]]:
    product = files.read_product(folder_of(repo, pid) / layout.PRODUCT_FILE)
    skus = {v["id"]: v["sku"] for v in product["variants"]}
    return sorted(
        (skus.get(t["variant"]), t["quantity"], t["price"], t["percentage"], t["isPercentage"], t["customerGroup"],
         t["startDate"], t["endDate"])
        for t in product["quantityDiscounts"]
    )  # fmt: skip


def shop_tiers(app: EmulatorApp, pid: int) -> list[tuple[Any, ...]]:
    skus = {v.id: v.sku for v in app.shop.products[pid].variants}
    return sorted(
        (skus.get(d.variant_id) if d.variant_id else None, d.quantity, d.price, d.percentage, d.is_percentage,
         d.customer_group, d.start_date, d.end_date)
        for d in app.shop.quantity_discounts.values()
        if d.product_id == pid
    )  # fmt: skip


def test_the_mirror_holds_them_and_a_tier_made_in_the_shop_costs_no_request_more(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    assert tiers(synced, SEALANT) == [
        (None, 3, 9.95, 0, False, None, None, None),
        (None, 6, 9.25, 0, False, None, None, None),
    ]
    assert tiers(synced, OIL) == [(None, 12, 4.95, 0, False, 4401, "2026-01-01", "2026-12-31")]
    for pid in app.shop.products:
        assert tiers(synced, pid) == shop_tiers(app, pid), pid
    before = app.stats.requests
    assert run_sync(synced, client).commit is None
    no_op = app.stats.requests - before
    now = app.shop.now()  # in the back office; the product's updatedAt does not move
    app.shop.quantity_discounts[990001] = QuantityDiscount(990001, now, now, SEALANT, quantity=12, price=8.5)
    before = app.stats.requests
    summary = run_sync(synced, client)
    assert summary.commit is not None and (None, 12, 8.5, 0, False, None, None, None) in tiers(synced, SEALANT)
    assert app.stats.requests - before == no_op  # the shop-wide list is read by every sync anyway


def test_push_updates_adds_and_deletes_tiers(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    product = files.read_product(folder_of(synced, BIDON) / layout.PRODUCT_FILE)
    first = product["variants"][0]

    def change(product: dict[str, Any]) -> None:
        product["quantityDiscounts"][0]["percentage"] = 15  # the second colour: 15 % now
        product["quantityDiscounts"].append(
            {"id": None, "variant": first["id"], "quantity": 20, "price": 7.5, "percentage": 0, "isPercentage": False,
             "customerGroup": None, "startDate": "2026-07-01", "endDate": None}
        )  # fmt: skip

    edit(synced, BIDON, change)
    edit(synced, SEALANT, lambda p: p["quantityDiscounts"].pop())  # no tier from 6 any more
    assert sorted(pending_products(synced.root)) == sorted([BIDON, SEALANT])
    result = push(synced, client)
    assert result.ok, [j.error or j.refused or j.mismatches for j in result.plan.jobs]
    assert (first["sku"], 20, 7.5, 0, False, None, "2026-07-01", None) in shop_tiers(app, BIDON)
    assert [t[3] for t in shop_tiers(app, BIDON) if t[4]] == [15]
    assert shop_tiers(app, SEALANT) == [(None, 3, 9.95, 0, False, None, None, None)]
    assert pending_products(synced.root) == {}
    for pid in (BIDON, SEALANT):  # the record: what the shop holds
        assert tiers(synced, pid) == shop_tiers(app, pid)
    assert run_sync(synced, client).commit is None


def test_restore_brings_them_back_made_anew_and_onto_retails_successor(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    wanted = shop_tiers(app, BIDON)
    made = restored_anew(synced, client, app, BIDON)
    assert shop_tiers(app, made) == wanted == tiers(synced, made)

    published = published_again(synced, client, app, made)
    assert tiers(synced, published) == []  # Retail sends none
    assert restore(synced, client, str(made), onto="auto").ok
    assert shop_tiers(app, published) == wanted == tiers(synced, published)  # the tier on its colour again
    assert run_sync(synced, client).commit is None


def test_check_names_a_tier_of_another_products_variant_a_tier_twice_and_a_bad_date(synced: Repo) -> None:
    def broken(product: dict[str, Any]) -> None:
        product["quantityDiscounts"].append(dict(product["quantityDiscounts"][0]))  # from 3, twice
        product["quantityDiscounts"][1]["variant"] = 118583391  # not one of the sealant's
        product["quantityDiscounts"][0]["endDate"] = "2026-02-30"

    edit(synced, SEALANT, broken)
    problems = [str(p) for p in check(synced.root, [], synced.config)[1]]
    assert any("quantityDiscounts[1].variant" in p and "not one of this product's variants" in p for p in problems)
    assert any("quantityDiscounts[2].quantity" in p and "give each quantity one price" in p for p in problems)
    assert any("quantityDiscounts[0].endDate" in p and "no day of the calendar" in p for p in problems), problems


def test_diff_and_the_plan_say_them_in_words(mirror: Path) -> None:  # noqa: F811
    edit(open_repo(mirror), SEALANT, lambda p: p["quantityDiscounts"][0].__setitem__("price", 9.5))
    shown = invoke("diff", "HEAD~1").output
    assert "quantity discount from 3 (every variant): 9.95 each → 9.5 each" in shown, shown
    planned = invoke("push", "--dry-run")
    assert "quantity discount from 3 (every variant): 9.95 each → 9.5 each" in planned.output, planned.output
    assert gitrepo.head(mirror)


def test_a_mirror_from_before_discounts_gets_them_at_no_request_more(
    synced: Repo, client: ShopClient, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files as a version without quantity discounts wrote them: the next sync (its format one
    higher) rebuilds every product from the records it reads anyway, the tiers in them."""
    before = app.stats.requests
    assert run_sync(synced, client).commit is None
    no_op = app.stats.requests - before

    def without_tiers(path: Path) -> None:
        product = files.read_product(path)
        product.pop("quantityDiscounts")
        files.write_product(path, product, synced.config.languages)

    as_an_older_version_wrote_it(synced, without_tiers)
    assert pending_products(synced.root) == {}  # a file that says nothing of them is no edit
    monkeypatch.setattr(assemble, "MIRROR_FORMAT", assemble.MIRROR_FORMAT + 1)  # the upgrade
    before = app.stats.requests
    assert run_sync(synced, client).commit is not None
    assert app.stats.requests - before == no_op
    for pid in app.shop.products:
        assert tiers(synced, pid) == shop_tiers(app, pid), pid
