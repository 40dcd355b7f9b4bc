"""A graft only adds (issue 13 item 3): restore --onto never removes the successor's images, tags,
categories, metafields or relations, on any shop, unless --exact; the successor's own variants are
left alone and said in one line. Before: a second graft, or any graft onto a product with content
of its own, silently removed it."""

from __future__ import annotations

from typing import Any

import pytest

from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp, retail
from ecomgit.mirror import files, layout
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from tests.write.conftest import KUSTWEG, folder_of, restore

JERSEY = 72418518  # 8 variants, 5 images, 3 metafields, 3 tags: a successor with content of its own


def mirrored(repo: Repo, pid: int) -> dict[str, Any]:
    return files.read_product(folder_of(repo, pid) / layout.PRODUCT_FILE)


def ids(product: dict[str, Any], name: str) -> set[int]:
    return {item["id"] for item in product.get(name) or []}


def pairs(product: dict[str, Any]) -> set[tuple[str, str]]:
    return {(m["key"], m["value"]) for m in product.get("metafields") or []}


@pytest.fixture
def merged(synced: Repo, client: ShopClient, app: EmulatorApp) -> tuple[dict[str, Any], dict[str, Any]]:
    lost = mirrored(synced, KUSTWEG)
    retail.merge(app.shop, KUSTWEG, JERSEY)
    assert run_sync(synced, client).count("deleted") == 1
    return lost, mirrored(synced, JERSEY)


def test_a_graft_keeps_everything_the_successor_has_and_adds_the_lost_products(
    synced: Repo, client: ShopClient, app: EmulatorApp, merged: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    lost, successor = merged
    assert not app.shop.info.is_retail  # on any shop, not only a Retail-linked one
    result = restore(synced, client, str(KUSTWEG), onto=JERSEY)
    job = result.plan.job
    assert result.ok, job.mismatches
    after = mirrored(synced, JERSEY)
    for name in ("tags", "categories"):
        assert ids(after, name) == ids(successor, name) | ids(lost, name), name
    assert pairs(after) >= pairs(successor) - {(k, v) for k, v in pairs(successor) if k in dict(pairs(lost))}
    assert {k for k, _ in pairs(after)} == {k for k, _ in pairs(successor)} | {k for k, _ in pairs(lost)}
    assert [i["file"] for i in after["images"]][: len(successor["images"])] == [
        i["file"] for i in successor["images"]
    ]  # the successor's own images first, untouched
    assert len(after["images"]) == len(successor["images"]) + len(lost["images"])
    assert {r["product"] for r in after["relations"]} >= {r["product"] for r in successor["relations"]}
    assert after["description"] == lost["description"]  # the lost product's content is what comes back
    own = [line for line in job.skipped_lines() if "the successor's own" in line and "variant" in line]
    count = len(successor["variants"])  # a merge keeps only the survivor's variants: all its own
    assert own == [f"variants: the successor's own {count} variant(s) are kept as they are"]


def test_exact_makes_the_successor_the_revision(
    synced: Repo, client: ShopClient, merged: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    lost, _ = merged
    result = restore(synced, client, str(KUSTWEG), onto=JERSEY, exact=True)
    assert result.ok, result.plan.job.mismatches
    after = mirrored(synced, JERSEY)
    for name in ("tags", "categories"):
        assert ids(after, name) == ids(lost, name), name
    assert pairs(after) == pairs(lost)
    assert len(after["images"]) == len(lost["images"])


def test_a_supplier_the_shop_deleted_is_left_out_with_a_note(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    """Issue 13 item 9: the create named the deleted supplier and failed; now it is left out and said."""
    from ecomgit.emulator.model import Supplier

    app.shop.suppliers[555] = Supplier(555, 0, 0, "Fietsgroothandel Noord")
    app.shop.products[KUSTWEG].supplier_id = 555
    app.shop.touch_product(app.shop.products[KUSTWEG])
    run_sync(synced, client)
    assert mirrored(synced, KUSTWEG)["supplier"]["id"] == 555
    retail.delete_from_ecom(app.shop, KUSTWEG)
    del app.shop.suppliers[555]
    run_sync(synced, client)
    result = restore(synced, client, str(KUSTWEG))
    assert "supplier 555 is no longer in the shop: left out" in result.plan.warnings
    assert result.ok, result.plan.job.error
    made = result.plan.job.target
    assert made is not None and app.shop.products[made].supplier_id is None


def test_fields_limit_a_re_creation_as_they_limit_any_restore(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    """Issue 13 item 2: 'restore X --fields description' of a deleted product wrote titles, prices,
    SKUs and images; now the product is made with its title (a product has one) and the description."""
    lost = mirrored(synced, KUSTWEG)
    retail.delete_from_ecom(app.shop, KUSTWEG)
    run_sync(synced, client)
    result = restore(synced, client, str(KUSTWEG), fields=["description"])
    assert result.ok, result.plan.job.error or result.plan.job.mismatches
    made = result.plan.job.target
    assert made is not None
    after = mirrored(synced, made)
    assert after["description"] == lost["description"]
    assert after["title"]["nl"] == lost["title"]["nl"]
    assert after["images"] == [] and after["tags"] == [] and after["relations"] == []
    assert len(after["variants"]) == 1 and not after["variants"][0]["sku"]  # the API's own default variant
    assert after["content"]["nl"] != lost["content"]["nl"]


def test_a_relation_to_a_product_restored_under_a_new_id_follows_it(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    """Issue 13 item 6 (in part): KUSTWEG, related to 72418504, was deleted; then 72418504 was
    deleted and came back as a new product. Restoring KUSTWEG relates it to that product, instead of
    dropping the relation."""
    related = 72418504
    retail.delete_from_ecom(app.shop, KUSTWEG)
    run_sync(synced, client)
    retail.delete_from_ecom(app.shop, related)
    run_sync(synced, client)
    first = restore(synced, client, str(related))
    assert first.ok and first.plan.job.target not in (None, related)
    again = first.plan.job.target
    result = restore(synced, client, str(KUSTWEG))
    assert result.ok, result.plan.job.error or result.plan.job.mismatches
    assert f"related product {related} was restored as {again}: related to {again} instead" in result.plan.warnings
    made = result.plan.job.target
    assert made is not None
    assert [r["product"] for r in mirrored(synced, made)["relations"]] == [again, 72418448]


def test_products_related_to_a_restored_one_are_related_to_it_again(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    """Issue 13 item 6: JERSEY was related to 72418542; deleting 72418542 dropped that relation in the
    shop. Restoring 72418542 (as a new product) relates JERSEY to it again, in the shop and the next sync."""
    lost = 72418542
    assert lost in [r["product"] for r in mirrored(synced, JERSEY)["relations"]]
    retail.delete_from_ecom(app.shop, lost)
    run_sync(synced, client)
    assert lost not in [r["product"] for r in mirrored(synced, JERSEY)["relations"]]
    result = restore(synced, client, str(lost))
    assert result.ok, result.plan.job.error or result.plan.job.mismatches
    made = result.plan.job.target
    assert made is not None and result.related == [JERSEY]
    assert made in [r.related_id for r in app.shop.products[JERSEY].relations]
    run_sync(synced, client)
    assert made in [r["product"] for r in mirrored(synced, JERSEY)["relations"]]
    again = restore(synced, client, str(lost))  # run again: nothing twice
    assert [r.related_id for r in app.shop.products[JERSEY].relations].count(made) == 1
    assert again.ok
