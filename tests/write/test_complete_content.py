"""The content audit of issue 14, as a test: one product carrying every kind of eCom-only content
at once (a type with attribute values, filter values, titled images, positions in its categories,
a quantity discount, customer reviews, featured, variant metafields) is lost to each of the three Retail actions on a
Retail-linked shop, recovered the way the README tells a merchant, and comes back with all of it:
field by field, image bytes and titles included."""

from __future__ import annotations

from typing import Any

import pytest

from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp, retail
from ecomgit.lost import find_lost
from ecomgit.mirror import files, layout
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from tests.write.conftest import folder_of, restore

GRAVEL = 72418301
SEALANT = 72418421  # the product another one is merged into


def content(repo: Repo, pid: int) -> dict[str, Any]:
    """Every eCom-only kind of the product, comparable across product and variant ids."""
    folder = folder_of(repo, pid)
    product = files.read_product(folder / layout.PRODUCT_FILE)
    skus = {v["id"]: v["sku"] for v in product["variants"]}
    reviews = folder / layout.REVIEWS_FILE
    return {
        "isFeatured": product["isFeatured"],
        "texts": {name: product[name] for name in ("description", "content")},
        "type": product["type"],
        "attributes": product["attributes"],
        "filters": product["filters"],
        "images": [((folder / "images" / i["file"]).read_bytes(), i["title"]) for i in product["images"]],
        "categories": {c["id"]: c["sortOrder"] for c in product["categories"]},
        "quantityDiscounts": [
            {**{k: v for k, v in d.items() if k not in ("id", "variant")}, "variant": skus.get(d["variant"])}
            for d in product["quantityDiscounts"]
        ],
        "metafields": {m["key"]: m["value"] for m in product["metafields"]},
        "variants": {
            v["sku"]: {k: v[k] for k in ("oldPriceExcl", "weight", "stockBuyMinimum", "sizeX")}
            | {"metafields": {m["key"]: m["value"] for m in v["metafields"]}}
            for v in product["variants"]
        },
        "reviews": [
            {k: r[k] for k in ("score", "name", "language", "visible", "content")}
            for r in (files.read_list(reviews) if reviews.is_file() else [])
        ],
    }


def everything(repo: Repo, client: ShopClient, lost: int, onto: int | str) -> None:
    """What the README tells a merchant: the content back onto the successor (``lost`` names it,
    or, after a merge that kept no code of it, the merchant does), then (asked for) the reviews."""
    [found] = [item for item in find_lost(repo.root, "nl", retail=True) if item.pid == lost]
    assert bool(found.successors) == (onto == "auto"), found
    result = restore(repo, client, str(lost), onto=onto)
    assert result.ok, result.plan.job.error or result.plan.job.mismatches
    reviews = restore(repo, client, str(lost), onto=onto, fields=["reviews"])
    assert reviews.ok and reviews.reviews == 3


@pytest.mark.parametrize("action", ["delete from eCom", "merge", "add to matrix"])
def test_every_kind_comes_back_from_each_retail_action(
    synced: Repo, client: ShopClient, app: EmulatorApp, action: str
) -> None:
    app.shop.info.is_retail = True
    run_sync(synced, client)
    wanted = content(synced, GRAVEL)
    assert all(wanted[kind] for kind in wanted if kind != "isFeatured") and wanted["isFeatured"], wanted
    assert all(title for _, title in wanted["images"]) and set(wanted["categories"].values()) != {0}
    assert sum(bool(v["metafields"]) for v in wanted["variants"].values()) == 2
    if action == "delete from eCom":
        skus = [v.sku for v in app.shop.products[GRAVEL].variants]
        retail.delete_from_ecom(app.shop, GRAVEL)
        successor = retail.publish(app.shop, skus)
    elif action == "merge":
        retail.merge(app.shop, GRAVEL, SEALANT)
        successor = SEALANT
    else:
        successor = retail.add_to_matrix(app.shop, [GRAVEL], title="Wadden")
    run_sync(synced, client)
    everything(synced, client, GRAVEL, SEALANT if action == "merge" else "auto")
    got = content(synced, successor)
    if action == "merge":  # a graft adds to the survivor: its own images, links, tiers and variants stay
        assert got["images"][-len(wanted["images"]) :] == wanted["images"]
        for kind in ("filters", "quantityDiscounts", "reviews"):
            assert all(item in got[kind] for item in wanted[kind]), kind
        assert got["categories"].items() >= wanted["categories"].items()
        assert got["metafields"].items() >= wanted["metafields"].items()
        for kind in ("isFeatured", "texts", "type", "attributes"):
            assert got[kind] == wanted[kind], kind
    else:
        for kind in wanted:
            assert got[kind] == wanted[kind], kind
    assert run_sync(synced, client).commit is None  # the records hold what the shop holds
