"""Related products the shop deleted together: each relation comes back once both products are back,
whichever is restored first, as new products or onto the items Retail publishes again."""

from __future__ import annotations

import pytest

from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp, retail
from ecomgit.mirror import files, layout
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from tests.write.conftest import folder_of, restore

BAGS, TENT = 72418594, 72418636  # the bags relate to 603, 617 and the tent; the tent to 641 and the bags


def in_shop(app: EmulatorApp, pid: int) -> list[int]:
    rows = sorted(app.shop.products[pid].relations, key=lambda r: (r.sort_order, r.id))
    return [r.related_id for r in rows]


def in_file(repo: Repo, pid: int) -> list[tuple[int, int]]:
    product = files.read_product(folder_of(repo, pid) / layout.PRODUCT_FILE)
    return [(r["product"], r["sortOrder"]) for r in product["relations"]]


@pytest.mark.parametrize("onto", [False, True], ids=["as-new", "onto-published"])
@pytest.mark.parametrize("order", [(BAGS, TENT), (TENT, BAGS)], ids=["bags-first", "tent-first"])
def test_both_relations_come_back_whichever_is_restored_first(
    synced: Repo, client: ShopClient, app: EmulatorApp, order: tuple[int, int], onto: bool
) -> None:
    before = {pid: in_shop(app, pid) for pid in order}
    assert TENT in before[BAGS] and BAGS in before[TENT]
    skus = {pid: [v.sku for v in app.shop.products[pid].variants] for pid in order}
    for pid in order:
        retail.delete_from_ecom(app.shop, pid)
    if onto:  # a Retail-linked shop: Retail publishes both items again
        app.shop.info.is_retail = True
        for pid in order:
            retail.publish(app.shop, skus[pid])
    run_sync(synced, client)

    now: dict[int, int] = {}
    for pid in order:
        result = restore(synced, client, str(pid), onto="auto" if onto else None)
        assert result.ok and result.plan.job.target is not None, result.plan.job.error or result.plan.job.mismatches
        now[pid] = result.plan.job.target
    assert set(now.values()).isdisjoint(order)  # both came back under other ids

    for pid in order:
        assert in_shop(app, now[pid]) == [now.get(p, p) for p in before[pid]]
    for _ in ("as the restores recorded them", "after a sync"):
        for pid in order:
            assert in_file(synced, now[pid]) == [(now.get(p, p), n) for n, p in enumerate(before[pid])]
        run_sync(synced, client)
