"""The real ``/catalog.json`` answers of a live shop map onto the mirror correctly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ecomgit.mirror import dump_product
from ecomgit.mirror.yamlio import load
from ecomgit.sync.assemble import Deep, build_product, catalog_hash

# Two real answers captured from a live US shop (copied from the project's shared API samples).
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "real-catalog"


def record(name: str) -> dict[str, Any]:
    products: list[dict[str, Any]] = json.loads((SAMPLES / name).read_text())["products"]
    return products[0]


def test_the_fox_glove_maps_every_variant_image_and_category() -> None:
    glove = record("catalog_65626325_fox-ranger-glove.json")
    built = build_product(glove, languages=["us"], deep=None, previous=None, tag_titles={})
    product = built.product
    assert product["id"] == 65626325 and product["visibility"] == "auto"
    assert product["title"] == {"us": "Ranger Glove"}
    assert product["brand"] == {"id": 3681186, "title": "Fox"}
    assert product["deliverydate"] is None and product["supplier"] is None
    assert [c["id"] for c in product["categories"]] == [4701200, 4568213, 4701199]
    assert [i["file"] for i in product["images"]] == ["01-file.jpg", "02-file.jpg", "03-file.jpg", "04-file.jpg"]
    assert [i["fileId"] for i in product["images"]] == [67984977, 67984983, 67984984, 67984997]
    assert len(product["variants"]) == len(glove["variants"])
    default = [v for v in product["variants"] if v["isDefault"]]
    assert [v["sku"] for v in default] == ["31057-041-XL"]
    assert all(v["hs"] is None and v["priceExcl"] == 29.95 for v in product["variants"])
    assert "priceCost" not in product["variants"][0] and "stockLevel" not in product["variants"][0]
    assert [p.src for p in built.images][0].endswith("/files/67984977/file.jpg")


def test_real_crlf_html_survives_the_mirror_exactly() -> None:
    bike = record("catalog_65725829_yeti-cycles-160E-C2.json")
    product = build_product(bike, languages=["us"], deep=None, previous=None, tag_titles={}).product
    text = dump_product(product, ["us"]).decode()
    assert 'content:\n  us: "<p>The <strong>Yeti 160E C2' in text and "!crlf" not in text
    assert load(text, "x")["content"]["us"] == bike["content"]
    assert product["deliverydate"] == {"id": 17565, "name": "Yeti"}
    assert product["brand"]["title"] == "Yeti Cycles"


def test_the_catalog_hash_ignores_stock_and_counters_only() -> None:
    glove = record("catalog_65626325_fox-ranger-glove.json")
    restocked = json.loads(json.dumps(glove))
    first = next(iter(restocked["variants"].values()))
    first["stockLevel"] += 5
    restocked["hits"] = 99
    assert catalog_hash(restocked) == catalog_hash(glove)
    first["oldPriceExcl"] = 39.95
    assert catalog_hash(restocked) != catalog_hash(glove)


def test_unfetched_deep_data_comes_from_the_previous_file() -> None:
    glove = record("catalog_65626325_fox-ranger-glove.json")
    first = build_product(
        glove,
        languages=["us", "nl"],
        deep=Deep(
            texts={"nl": {"title": "Ranger handschoen", "url": "ranger-handschoen"}},
            tag_ids=[5],
            metafields=[{"id": 1, "key": "k", "value": "v"}],
        ),
        previous=None,
        tag_titles={5: "gloves"},
    ).product
    again = build_product(glove, languages=["us", "nl"], deep=None, previous=first, tag_titles={}).product
    assert again == first
    assert again["title"] == {"us": "Ranger Glove", "nl": "Ranger handschoen"}
    assert again["tags"] == [{"id": 5, "title": "gloves"}]
