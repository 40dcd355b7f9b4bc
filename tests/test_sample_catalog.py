"""Keep ``sample-catalog/`` honest: canonical bytes, complete texts, consistent ids and references."""

from __future__ import annotations

import importlib
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from ecomgit.emulator.model import TAXES
from ecomgit.mirror import dump_product, dump_shop, dump_shop_list, read_list, read_product, read_yaml, schema
from ecomgit.mirror.layout import image_file_name, product_folder

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample-catalog"
TOOLS = ROOT / "tools"
LANGUAGES = ["nl", "en"]
DEFAULT_TAX = next(tax for tax in TAXES if tax.is_default)
SHOP_LISTS = ("categories", "tags", "brands", "deliverydates")
MAX_IMAGE = 12 * 1024
MIN_IMAGE = 1024
MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff"}


@cache
def product_files() -> tuple[Path, ...]:
    return tuple(sorted((SAMPLE / "products").glob("*/product.yaml")))


@cache
def products() -> tuple[dict[str, Any], ...]:
    return tuple(read_product(path) for path in product_files())


@cache
def shop_list(name: str) -> tuple[dict[str, Any], ...]:
    return tuple(read_list(SAMPLE / "shop" / f"{name}.yaml"))


def variants() -> list[dict[str, Any]]:
    return [v for p in products() for v in p["variants"]]


def by_id(name: str) -> dict[int, dict[str, Any]]:
    return {item["id"]: item for item in shop_list(name)}


def ean_ok(ean: str) -> bool:
    if not re.fullmatch(r"\d{13}", ean):
        return False
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(ean[:12]))
    return (10 - total % 10) % 10 == int(ean[12])


# --- canonical bytes -------------------------------------------------------------------------


@pytest.mark.parametrize("path", product_files(), ids=lambda p: p.parent.name)
def test_product_file_round_trips_to_identical_bytes(path: Path) -> None:
    assert dump_product(read_product(path), LANGUAGES) == path.read_bytes()


def test_shop_files_round_trip_to_identical_bytes() -> None:
    shop = SAMPLE / "shop" / "shop.yaml"
    assert dump_shop(read_yaml(shop)) == shop.read_bytes()
    for name in SHOP_LISTS:
        path = SAMPLE / "shop" / f"{name}.yaml"
        assert dump_shop_list(name, read_list(path), LANGUAGES) == path.read_bytes()


def test_files_are_exactly_what_the_generator_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """No hand edits: the YAML on disk is the generator's output (images need Pillow, so not those)."""
    monkeypatch.syspath_prepend(str(TOOLS))
    generator = importlib.import_module("make_sample_catalog")
    built = generator.build()
    assert sorted(b.folder for b in built) == sorted(p.parent.name for p in product_files())
    for b in built:
        path = SAMPLE / "products" / b.folder / "product.yaml"
        assert dump_product(b.product, LANGUAGES) == path.read_bytes(), b.folder
        assert sorted(b.images) == sorted(f.name for f in (path.parent / "images").glob("*"))
    for name, data in generator.shop_files().items():
        assert data == (SAMPLE / "shop" / name).read_bytes(), name
    assert generator.readme(built) == (SAMPLE / "README.md").read_bytes()


# --- texts -----------------------------------------------------------------------------------


def assert_texts(
    owner: str,
    item: dict[str, Any],
    fields: tuple[str, ...],
    required: tuple[str, ...],
) -> None:
    for field in fields:
        value = item[field]
        assert isinstance(value, dict) and list(value) == LANGUAGES, f"{owner} {field}: {value!r}"
        assert all(isinstance(text, str) for text in value.values()), f"{owner} {field}"
        if field in required:
            assert all(text.strip() for text in value.values()), f"{owner} {field} is empty"


def test_every_translatable_field_has_both_languages() -> None:
    for p in products():
        assert_texts(f"product {p['id']}", p, schema.PRODUCT_TEXTS, ("title", "fulltitle", "content", "url"))
        for v in p["variants"]:
            assert_texts(f"variant {v['id']}", v, schema.VARIANT_TEXTS, ("title",))
    required = {
        "categories": ("title", "url"),
        "tags": ("title", "url"),
        "brands": ("title", "url"),
        "deliverydates": schema.DELIVERYDATE_TEXTS,
    }
    texts = {
        "categories": schema.CATEGORY_TEXTS,
        "tags": schema.TAG_TEXTS,
        "brands": schema.BRAND_TEXTS,
        "deliverydates": schema.DELIVERYDATE_TEXTS,
    }
    for name in SHOP_LISTS:
        for item in shop_list(name):
            assert_texts(f"{name} {item['id']}", item, texts[name], required[name])


def test_content_covers_the_awkward_cases() -> None:
    contents = [text for p in products() for text in p["content"].values()]
    crlf_products = [p for p in products() if any("\r\n" in text for text in p["content"].values())]
    assert len(crlf_products) >= 3
    assert any(re.search(r" \r?\n", text) for text in contents), "trailing spaces at line ends"
    assert any("\t" in text for text in contents)
    assert any(p["description"] == {"nl": "", "en": ""} for p in products())
    joined = "".join(contents)
    for needle in ("<table", "<ul>", "<a href=", "&amp;", "é", "ü", "€", "–"):
        assert needle in joined, needle
    assert re.search("[\U0001f300-\U0001faff]", joined), "an emoji"


# --- ids and structure -----------------------------------------------------------------------


def test_ids_are_ints_and_unique() -> None:
    groups = {
        "products": [p["id"] for p in products()],
        "variants": [v["id"] for v in variants()],
        "images": [i["id"] for p in products() for i in p["images"]],
        "fileIds": [i["fileId"] for p in products() for i in p["images"]],
        "metafields": [m["id"] for p in products() for m in p["metafields"]],
        "variant metafields": [m["id"] for v in variants() for m in v["metafields"]],
        "relations": [r["id"] for p in products() for r in p["relations"]],
    }
    everything = [i for ids in groups.values() for i in ids]
    assert all(type(i) is int and i > 0 for i in everything)
    assert [i for i, n in Counter(everything).items() if n > 1] == []
    assert all(10_000_000 <= i < 1_000_000_000 for i in groups["products"] + groups["variants"])


def test_folders_are_named_by_id_and_default_url() -> None:
    for path, p in zip(product_files(), products(), strict=True):
        assert path.parent.name == product_folder(p["id"], p["url"]["nl"])


def test_variants_have_one_default_and_sort_orders_one_to_n() -> None:
    for p in products():
        vs = p["variants"]
        assert [v["sortOrder"] for v in vs] == list(range(1, len(vs) + 1)), p["id"]
        assert sum(v["isDefault"] is True for v in vs) == 1, p["id"]
        assert all("priceCost" not in v for v in vs)
        if len(vs) == 1:
            assert vs[0]["title"] == {"nl": "Standaard", "en": "Default"}


def test_catalog_is_big_and_varied_enough() -> None:
    assert len(products()) >= 26
    sizes = sorted(len(p["variants"]) for p in products())
    assert sizes[-2] >= 4, "at least two products with 4+ variants"
    assert sum(n == 1 for n in sizes) >= 3
    matrix = re.compile(r'^"[^"]+: [^"]+"(,"[^"]+: [^"]+")*$')
    assert any(matrix.match(v["title"]["en"]) and "," in v["title"]["en"] for v in variants())
    assert {v["stockTracking"] for v in variants()} == {"enabled", "indicator", "disabled"}
    assert Counter(p["visibility"] for p in products())["hidden"] >= 1
    assert Counter(p["visibility"] for p in products())["auto"] >= 1
    assert any(v["stockBuyMinimum"] > 1 for v in variants())
    assert any(v["stockBuyMaximum"] == 1 for v in variants())
    assert any(v["oldPriceIncl"] for v in variants())
    assert any(p["metafields"] for p in products()) and any(p["relations"] for p in products())
    assert any(v["metafields"] for v in variants())  # variant metafields, mirrored by default
    assert any(p["brand"] is None for p in products())
    assert all(p["supplier"] is None for p in products())
    image_counts = [len(p["images"]) for p in products()]
    assert min(image_counts) == 0 and max(image_counts) <= 5


def test_enum_values_are_in_range() -> None:
    for p in products():
        assert p["visibility"] in schema.ENUMS["visibility"]
        for v in p["variants"]:
            for field in ("stockTracking", "weightUnit", "volumeUnit", "sizeUnit"):
                assert v[field] in schema.ENUMS[field], (v["id"], field)
            assert v["taxType"] == "auto" and v["tax"] == DEFAULT_TAX.id  # every variant has a class: 21 %


def test_variant_value_types_and_consistency() -> None:
    for v in variants():
        for field in (
            "id",
            "sortOrder",
            "stockAlert",
            "stockMinimum",
            "stockBuyMinimum",
            "stockBuyMaximum",
            "weight",
            "volume",
            "colli",
            "sizeX",
            "sizeY",
            "sizeZ",
        ):
            assert type(v[field]) is int, (v["id"], field)
        for field in ("articleCode", "sku", "ean", "weightValue", "sizeXValue", "sizeYValue", "sizeZValue"):
            assert type(v[field]) is str, (v["id"], field)
        assert v["hs"] is None or re.fullmatch(r"\d{6,10}", v["hs"])
        assert v["ean"] == "" or ean_ok(v["ean"]), v["ean"]
        assert v["unitPrice"] == 0 and v["unitUnit"] == ""
        assert v["stockBuyMinimum"] <= v["stockBuyMaximum"]
        for excl, incl in (("priceExcl", "priceIncl"), ("oldPriceExcl", "oldPriceIncl")):
            assert type(v[excl]) in (int, float) and type(v[incl]) in (int, float)
            assert abs(v[excl] * 1.21 - v[incl]) <= 0.01, (v["id"], v[excl], v[incl])
        assert v["priceIncl"] > 0
        assert v["oldPriceIncl"] == 0 or v["oldPriceIncl"] > v["priceIncl"]
        grams = v["weight"] / 1000 if v["weightUnit"] == "kg" else v["weight"]
        assert v["weightValue"] == f"{grams:.3f}"
        assert v["volumeValue"] == v["volume"] and v["volumeUnit"] == "ml"
        for axis in "XYZ":
            assert v[f"size{axis}Value"] == f"{v[f'size{axis}']:.3f}"


# --- references ------------------------------------------------------------------------------


def test_references_point_into_shop_files() -> None:
    categories, tags = by_id("categories"), by_id("tags")
    brands, deliverydates = by_id("brands"), by_id("deliverydates")
    ids = {p["id"] for p in products()}
    for p in products():
        assert 1 <= len(p["categories"]) <= 3
        for ref in p["categories"]:
            assert ref["url"] == categories[ref["id"]]["url"]["nl"]
        assert len(p["tags"]) <= 3
        for ref in p["tags"]:
            assert ref["title"] == tags[ref["id"]]["title"]["nl"]
        if p["brand"] is not None:
            assert p["brand"]["title"] == brands[p["brand"]["id"]]["title"]["nl"]
        if p["deliverydate"] is not None:
            assert p["deliverydate"]["name"] == deliverydates[p["deliverydate"]["id"]]["name"]["nl"]
        for relation in p["relations"]:
            assert relation["product"] in ids and relation["product"] != p["id"]
        for metafield in p["metafields"]:
            assert isinstance(metafield["value"], str)


def test_category_tree_is_nested_with_full_paths() -> None:
    categories = by_id("categories")

    def chain(cid: int) -> list[dict[str, Any]]:
        category = categories[cid]
        return [*chain(category["parent"]), category] if category["parent"] is not None else [category]

    depths = []
    for cid, category in categories.items():
        path = chain(cid)
        depths.append(len(path))
        for lang in LANGUAGES:
            parts = category["url"][lang].split("/")
            assert len(parts) == len(path), (cid, lang)
            if len(path) > 1:
                assert category["url"][lang] == f"{path[-2]['url'][lang]}/{parts[-1]}", (cid, lang)
    assert max(depths) >= 3


def test_shop_file() -> None:
    shop = read_yaml(SAMPLE / "shop" / "shop.yaml")
    assert type(shop["id"]) is int and shop["currency"] == "EUR"
    assert shop["isRetail"] is False and shop["isB2b"] is False
    assert [(lang["id"], lang["code"], lang["isDefault"]) for lang in shop["languages"]] == [
        (1, "nl", True),
        (2, "en", False),
    ]


# --- images ----------------------------------------------------------------------------------


def test_image_files_match_the_yaml() -> None:
    for path, p in zip(product_files(), products(), strict=True):
        named = [i["file"] for i in p["images"]]
        on_disk = sorted(f.name for f in (path.parent / "images").glob("*"))
        assert sorted(named) == on_disk, p["id"]
        for position, name in enumerate(named, start=1):
            stem, ext = name.split("-", 1)[1].rsplit(".", 1)
            assert name == image_file_name(position, len(named), stem, ext)
        for v in p["variants"]:
            assert v["image"] is None or v["image"] in named, v["id"]
    assert any(v["image"] for v in variants()) and any(v["image"] is None for v in variants())


def test_images_are_small_real_pngs_and_jpegs() -> None:
    files = sorted((SAMPLE / "products").glob("*/images/*"))
    assert {f.suffix for f in files} == {".png", ".jpg"}
    for f in files:
        data = f.read_bytes()
        assert data.startswith(MAGIC[f.suffix[1:]]), f
        assert MIN_IMAGE <= len(data) <= MAX_IMAGE, (f, len(data))
    assert len({f.read_bytes() for f in files}) == len(files), "every image is distinct"


def test_sample_catalog_stays_small() -> None:
    total = sum(f.stat().st_size for f in SAMPLE.rglob("*") if f.is_file())
    assert total < 600 * 1024
