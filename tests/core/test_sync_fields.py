"""Every field the vendor's data-loss article names is in the mirror, in every language, exactly."""

from __future__ import annotations

from typing import Any

from ecomgit.api import ShopClient
from ecomgit.api.values import file_id_from_src, link_id
from ecomgit.mirror import read_list, read_product
from ecomgit.shop import Repo, open_repo
from ecomgit.sync.run import run_sync

TEXTS = ("title", "fulltitle", "description", "content", "url")  # names, descriptions, content, SEO
VARIANT_FIELDS = (  # old price, weights and sizes, backorder settings, order limits, identifiers
    "oldPriceExcl",
    "oldPriceIncl",
    "priceExcl",
    "priceIncl",
    "weight",
    "weightValue",
    "weightUnit",
    "volume",
    "volumeValue",
    "volumeUnit",
    "colli",
    "sizeX",
    "sizeY",
    "sizeZ",
    "sizeXValue",
    "sizeYValue",
    "sizeZValue",
    "sizeUnit",
    "stockTracking",
    "stockBuyMinimum",
    "stockBuyMaximum",
    "articleCode",
    "ean",
    "sku",
)


def mirrored(repo: Repo) -> dict[int, dict[str, Any]]:
    return {read_product(path)["id"]: read_product(path) for path in (repo.root / "products").glob("*/product.yaml")}


def test_every_text_in_every_language_equals_the_shop(synced: Repo, client: ShopClient) -> None:
    repo = synced
    products = mirrored(repo)
    for lang in repo.config.languages:
        rows = list(client.iter_list("products", "products", lang=lang))
        assert {row["id"] for row in rows} == set(products)
        for row in rows:
            for field in TEXTS:
                assert products[row["id"]][field][lang] == row[field], (row["id"], field, lang)
        for variant in client.iter_list("variants", "variants", lang=lang):
            product = products[link_id(variant["product"]) or 0]
            [mine] = [v for v in product["variants"] if v["id"] == variant["id"]]
            assert mine["title"][lang] == variant["title"]


def test_variant_fields_equal_the_shop(synced: Repo, client: ShopClient) -> None:
    repo = synced
    products = mirrored(repo)
    seen_tracking = set()
    for variant in client.iter_list("variants", "variants"):
        product = products[link_id(variant["product"]) or 0]
        [mine] = [v for v in product["variants"] if v["id"] == variant["id"]]
        for field in VARIANT_FIELDS:
            assert mine[field] == variant[field], (variant["id"], field)
        seen_tracking.add(mine["stockTracking"])
        image = variant["image"]
        if image:
            files = {i["file"]: i["fileId"] for i in product["images"]}
            assert files[mine["image"]] == file_id_from_src(image["src"])
        else:
            assert mine["image"] is None
    assert seen_tracking == {"enabled", "indicator", "disabled"}


def test_categories_tags_metafields_relations_equal_the_shop(synced: Repo, client: ShopClient) -> None:
    repo = synced
    products = mirrored(repo)
    for pid, product in products.items():
        links = client.iter_list("categories/products", "categoriesProducts", {"product": pid})
        assert sorted(link_id(link["category"]) for link in links) == [c["id"] for c in product["categories"]]
        tags = client.iter_list("tags/products", "tagsProducts", {"product": pid})
        assert sorted(link_id(link["tag"]) for link in tags) == [t["id"] for t in product["tags"]]
        metafields = client.iter_list(f"products/{pid}/metafields", "productMetafields")
        assert sorted((m["key"], m["value"]) for m in metafields) == [
            (m["key"], m["value"]) for m in product["metafields"]
        ]
        relations = client.iter_list(f"products/{pid}/relations", "productRelations")
        assert sorted(link_id(r["relatedProduct"]) for r in relations) == sorted(
            r["product"] for r in product["relations"]
        )


def test_images_are_in_position_order_with_the_shops_ids(synced: Repo, client: ShopClient) -> None:
    repo = synced
    products = mirrored(repo)
    for pid, product in products.items():
        images = sorted(client.iter_list(f"products/{pid}/images", "productImages"), key=lambda i: i["sortOrder"])
        assert [(i["id"], file_id_from_src(i["src"])) for i in images] == [
            (i["id"], i["fileId"]) for i in product["images"]
        ]
        assert [i["file"][:3] for i in product["images"]] == [f"{n:02d}-" for n in range(1, len(images) + 1)]


def test_shop_lists_hold_every_language(synced: Repo, client: ShopClient) -> None:
    repo = synced
    categories = {c["id"]: c for c in read_list(repo.root / "shop" / "categories.yaml")}
    for lang in repo.config.languages:
        for row in client.iter_list("categories", "categories", lang=lang):
            mine = categories[row["id"]]
            assert (mine["title"][lang], mine["url"][lang]) == (row["title"], row["url"])
            assert mine["parent"] == link_id(row["parent"])
    assert any(c["parent"] is not None and categories[c["parent"]]["parent"] is not None for c in categories.values())


def test_purchase_cost_stays_out_unless_configured(synced: Repo, client: ShopClient) -> None:
    repo = synced
    assert all("priceCost" not in v for p in mirrored(repo).values() for v in p["variants"])
    text = (repo.root / ".ecomgit" / "config.yaml").read_text().replace("include: []", "include: [priceCost]")
    (repo.root / ".ecomgit" / "config.yaml").write_text(text)
    configured = open_repo(repo.root)
    run_sync(configured, client)  # a changed field policy rewrites every product
    pid = min(mirrored(repo))
    variants = mirrored(configured)[pid]["variants"]
    shop = {v["id"]: v["priceCost"] for v in client.iter_list("variants", "variants", {"product": pid})}
    assert {v["id"]: v["priceCost"] for v in variants} == shop
