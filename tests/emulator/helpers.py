"""Helpers for the emulator tests: a fake clock, JSON samples, a tiny mirror directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from ruamel.yaml import YAML

from ecomgit.emulator import EmulatorApp
from ecomgit.emulator.pngs import tiny_png

SAMPLES = Path(__file__).parent / "samples"
START = 1_767_225_600.0  # 2026-01-01T00:00:00Z, a 5-minute, hour and day boundary


class FakeClock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def sample(name: str) -> Any:
    return json.loads((SAMPLES / name).read_text())


def client_for(app: EmulatorApp) -> httpx.Client:
    return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://emulator.test")


# -- a tiny mirror ---------------------------------------------------------------------------------

FRONT = tiny_png(1)
BACK = tiny_png(2)

SHOP = {
    "id": 4242,
    "mainDomain": "tiny.ecomgit.test",
    "isRetail": True,
    "isB2b": False,
    "currency": "EUR",
    "languages": [
        {"id": 1, "code": "nl", "locale": "nl_NL", "title": "Nederlands", "isDefault": True},
        {"id": 2, "code": "en", "locale": "en_GB", "title": "English", "isDefault": False},
    ],
}
CATEGORIES = [
    {
        "id": 100,
        "parent": None,
        "sortOrder": 1,
        "isVisible": True,
        "title": {"nl": "Heren", "en": "Men"},
        "fulltitle": {"nl": "Heren", "en": "Men"},
        "description": {"nl": "", "en": ""},
        "content": {"nl": "", "en": ""},
        "url": {"nl": "heren", "en": "men"},
    },
    {
        "id": 101,
        "parent": 100,
        "sortOrder": 2,
        "isVisible": False,
        "title": {"nl": "Handschoenen", "en": "Gloves"},
        "fulltitle": {"nl": "Handschoenen", "en": "Gloves"},
        "description": {"nl": "Warm", "en": "Warm"},
        "content": {"nl": "<p>nl</p>", "en": "<p>en</p>"},
        "url": {"nl": "heren/handschoenen", "en": "men/gloves"},
    },
]
TAGS = [
    {
        "id": 300,
        "isVisible": True,
        "title": {"nl": "handschoen", "en": "glove"},
        "url": {"nl": "handschoen", "en": "glove"},
    },
    {"id": 301, "isVisible": False, "title": {"nl": "winter", "en": "winter"}, "url": {"nl": "winter", "en": "winter"}},
]
BRANDS = [
    {
        "id": 200,
        "isVisible": True,
        "title": {"nl": "Fox", "en": "Fox"},
        "content": {"nl": "<p>Fox NL</p>", "en": None},
        "url": {"nl": "fox", "en": "fox-en"},
    },
]
DELIVERYDATES = [
    {
        "id": 400,
        "name": {"nl": "1-3 dagen", "en": "1-3 days"},
        "inStockMessage": {"nl": "Op voorraad", "en": "In stock"},
        "outStockMessage": {"nl": "2 weken", "en": "2 weeks"},
    },
]


def _variant(ident: int, sort_order: int, nl: str, en: str, **values: Any) -> dict[str, Any]:
    variant: dict[str, Any] = {
        "id": ident,
        "isDefault": sort_order == 1,
        "sortOrder": sort_order,
        "title": {"nl": nl, "en": en},
        "articleCode": f"AC-{ident}",
        "ean": "191972902604",
        "sku": f"SKU-{ident}",
        "hs": None,
        "tax": None,
        "taxType": "auto",
        "priceExcl": 29.95,
        "priceIncl": 36.24,
        "oldPriceExcl": 0,
        "oldPriceIncl": 0,
        "unitPrice": 0,
        "unitUnit": None,
        "stockTracking": "enabled",
        "stockAlert": 5,
        "stockMinimum": 0,
        "stockBuyMinimum": 1,
        "stockBuyMaximum": 10000,
        "weight": 250,
        "weightValue": "0.250",
        "weightUnit": "kg",
        "volume": 0,
        "volumeValue": 0,
        "volumeUnit": "ml",
        "colli": 1,
        "sizeX": 20,
        "sizeY": 10,
        "sizeZ": 2,
        "sizeXValue": "20.000",
        "sizeYValue": "10.000",
        "sizeZValue": "2.000",
        "sizeUnit": "cm",
        "image": None,
        "metafields": [],
    }
    variant.update(values)
    return variant


GLOVE = {
    "id": 65626325,
    "visibility": "auto",
    "isFeatured": False,
    "title": {"nl": "Ranger handschoen", "en": "Ranger Glove"},
    "fulltitle": {"nl": "Fox Ranger handschoen", "en": "Fox Ranger Glove"},
    "description": {"nl": "Lichte handschoen.", "en": "A light glove."},
    "content": {
        "nl": "<p>Lichte <strong>handschoen</strong>.</p>\n<ul><li>Maat S–XXL</li></ul>",
        "en": "<p>A light glove.</p>\r\n<ul><li>Sizes S–XXL</li></ul>",
    },
    "url": {"nl": "ranger-handschoen", "en": "ranger-glove"},
    "data01": "",
    "data02": "x",
    "data03": "",
    "brand": {"id": 200, "title": "Fox"},
    "supplier": None,
    "deliverydate": {"id": 400, "name": "1-3 dagen"},
    "categories": [
        {"id": 100, "url": "heren", "sortOrder": 7},
        {"id": 101, "url": "heren/handschoenen", "sortOrder": 3},
    ],
    "tags": [{"id": 300, "title": "handschoen"}],
    "filters": [],
    "images": [
        {"file": "01-ranger-front.jpg", "id": 64749649, "fileId": 67984977},
        {"file": "02-ranger-back.jpg", "id": 64749655, "fileId": 67984983},
    ],
    "variants": [
        _variant(
            110095763,
            1,
            "Zwart, M",
            "Black, M",
            image="02-ranger-back.jpg",
            metafields=[{"key": "color_code", "id": 5496385, "value": "BLK"}],
        ),
        _variant(
            110095773,
            2,
            "Zwart, L",
            "Black, L",
            hs="6116",
            tax=31,
            priceExcl=7490,
            priceIncl=7490,
            oldPriceExcl=8000,
            oldPriceIncl=8000,
            stockTracking="indicator",
            weightUnit="lb",
            priceCost=12.5,
        ),
    ],
    "metafields": [
        {"key": "meta_keywords_en", "id": 4968652, "value": "gloves, mtb"},
        {"key": "meta_keywords_nl", "id": 4968653, "value": "handschoenen"},
    ],
    "relations": [{"id": 3662505, "product": 65626326, "sortOrder": 0}],
}
PUMP = {
    "id": 65626326,
    "visibility": "hidden",
    "isFeatured": False,
    "title": {"nl": "Pomp", "en": "Pump"},
    "fulltitle": {"nl": "Pomp", "en": "Pump"},
    "description": {"nl": "", "en": ""},
    "content": {"nl": "", "en": ""},
    "url": {"nl": "pomp", "en": "pump"},
    "data01": "",
    "data02": "",
    "data03": "",
    "brand": None,
    "supplier": {"id": 500, "title": "Parts BV"},
    "deliverydate": None,
    "categories": [],
    "tags": [{"id": 300, "title": "handschoen"}, {"id": 301, "title": "winter"}],
    "filters": [],
    "images": [],
    "variants": [_variant(110095800, 1, "Standaard", "Default")],
    "metafields": [],
    "relations": [],
}


def write_yaml(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.representer.sort_base_mapping_type_on_output = False  # keep the file order
    with path.open("w", encoding="utf-8", newline="\n") as stream:
        yaml.dump(data, stream)


def write_mirror(root: Path, products: list[dict[str, Any]] | None = None) -> Path:
    write_yaml(root / "shop" / "shop.yaml", SHOP)
    write_yaml(root / "shop" / "categories.yaml", CATEGORIES)
    write_yaml(root / "shop" / "tags.yaml", TAGS)
    write_yaml(root / "shop" / "brands.yaml", BRANDS)
    write_yaml(root / "shop" / "deliverydates.yaml", DELIVERYDATES)
    for product in products if products is not None else [GLOVE, PUMP]:
        folder = root / "products" / f"{product['id']}-{product['url']['nl']}"
        write_yaml(folder / "product.yaml", product)
        for image, data in zip(product["images"], (FRONT, BACK), strict=False):
            (folder / "images").mkdir(exist_ok=True)
            (folder / "images" / image["file"]).write_bytes(data)
    return root


# -- reading a shop back into the mirror's shape (what a sync does, in short) ----------------------

VARIANT_FIELDS = (
    "articleCode",
    "ean",
    "sku",
    "hs",
    "taxType",
    "priceExcl",
    "priceIncl",
    "priceCost",
    "oldPriceExcl",
    "oldPriceIncl",
    "unitPrice",
    "unitUnit",
    "stockTracking",
    "stockAlert",
    "stockMinimum",
    "stockBuyMinimum",
    "stockBuyMaximum",
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
)
PRODUCT_TEXTS = ("title", "fulltitle", "description", "content", "url")


def get_all(client: httpx.Client, path: str, key: str) -> list[dict[str, Any]]:
    """Every row of a list endpoint, paged with since_id."""
    rows: list[dict[str, Any]] = []
    sep = "&" if "?" in path else "?"
    while True:
        since = rows[-1]["id"] if rows else 0
        response = client.get(f"{path}{sep}limit=250&since_id={since}")
        assert response.status_code == 200, response.text
        page = response.json()[key]
        rows.extend(page)
        if len(page) < 250:
            return rows


def _none(value: Any) -> Any:
    return None if value is False else value


def _per_language(rows_by_lang: dict[str, dict[int, dict[str, Any]]], ident: int, name: str) -> dict[str, Any]:
    return {lang: _none(rows[ident][name]) for lang, rows in rows_by_lang.items()}


def read_back(client: httpx.Client, languages: list[str]) -> dict[int, dict[str, Any]]:
    """Every product as docs/mirror-format.md shapes it, from the API answers alone."""
    default = languages[0]
    catalog = {p["id"]: p for p in get_all(client, f"/{default}/catalog.json", "products")}
    texts = {
        lang: {
            p["id"]: p
            for p in get_all(client, f"/{lang}/products.json?fields=id,{','.join(PRODUCT_TEXTS)}", "products")
        }
        for lang in languages
    }
    variants = {lang: {v["id"]: v for v in get_all(client, f"/{lang}/variants.json", "variants")} for lang in languages}
    tag_titles = {t["id"]: t["title"] for t in get_all(client, f"/{default}/tags.json", "tags")}
    tag_links = get_all(client, f"/{default}/tags/products.json", "tagsProducts")
    products = {}
    for pid, item in catalog.items():
        products[pid] = _product(client, item, texts, variants, tag_titles, tag_links, default)
    return products


def _file_of(src: str, position: int) -> str:
    return f"{position:02d}-{src.rsplit('/', 1)[1]}"


def _product(
    client: httpx.Client, item: dict[str, Any], texts: Any, variants: Any, tag_titles: Any, tag_links: Any, default: str
) -> dict[str, Any]:
    pid = item["id"]
    images = sorted(item["images"].values() if item["images"] else [], key=lambda i: (i["sortOrder"], i["id"]))
    files = {i["src"]: _file_of(i["src"], n) for n, i in enumerate(images, start=1)}
    brand, supplier, deliverydate = item["brand"], item["supplier"], item["deliverydate"]
    own_variants = [v for v in variants[default].values() if v["product"]["resource"]["id"] == pid]
    metafields = client.get(f"/{default}/products/{pid}/metafields.json").json()["productMetafields"]
    relations = client.get(f"/{default}/products/{pid}/relations.json").json()["productRelations"]
    links = client.get(f"/{default}/categories/products.json", params={"product": pid}).json()["categoriesProducts"]
    positions = {link["category"]["resource"]["id"]: link["sortOrder"] for link in links}
    listed = client.get(f"/{default}/products/{pid}/images.json").json()["productImages"] if images else []
    titles = {row["id"]: row["title"] for row in listed}
    typed = client.get(f"/{default}/products/{pid}.json", params={"fields": "id,type,set"}).json()["product"]
    kind, option_set = typed["type"], typed["set"]
    if kind:
        kind = client.get(f"/{default}/types/{kind['resource']['id']}.json").json()["type"]
    values = client.get(f"/{default}/products/{pid}/attributes.json").json()["productAttributes"]
    tiers = client.get(f"/{default}/quantity_discounts.json", params={"product": pid}).json()["quantityDiscounts"]
    return {
        "id": pid,
        "visibility": item["visibility"],
        "isFeatured": item["isFeatured"],
        **{name: _per_language(texts, pid, name) for name in PRODUCT_TEXTS},
        "data01": item["data01"],
        "data02": item["data02"],
        "data03": item["data03"],
        "brand": {"id": brand["id"], "title": brand["title"]} if brand else None,
        "supplier": {"id": supplier["id"], "title": supplier["title"]} if supplier else None,
        "deliverydate": {"id": deliverydate["id"], "name": deliverydate["name"]} if deliverydate else None,
        "categories": sorted(
            (
                {"id": c["id"], "url": c["url"], "sortOrder": positions.get(c["id"], -1)}
                for c in (item["categories"] or {}).values()
            ),
            key=lambda c: c["id"],
        ),
        "tags": sorted(
            (
                {"id": t["tag"]["resource"]["id"], "title": tag_titles[t["tag"]["resource"]["id"]]}
                for t in tag_links
                if t["product"]["resource"]["id"] == pid
            ),
            key=lambda t: t["id"],
        ),
        "filters": [
            {"filter": {"id": f["id"], "title": f["title"]}, "value": {"id": v["id"], "title": v["title"]}}
            for f in item["filters"]
            for v in f["values"]
        ],
        "type": {"id": kind["id"], "title": kind["title"]} if kind else None,
        "attributes": [
            {"id": a["attribute"]["id"], "title": a["attribute"]["title"], "value": a["value"]} for a in values
        ],
        "set": {"id": option_set["id"], "name": option_set["name"]} if option_set else None,
        "images": [
            {"file": files[i["src"]], "title": titles[i["id"]], "id": i["id"], "fileId": int(i["src"].split("/")[-2])}
            for i in images
        ],
        "variants": sorted(
            (_variant_back(client, v, variants, files, default) for v in own_variants),
            key=lambda v: (v["sortOrder"], v["id"]),
        ),
        "quantityDiscounts": sorted(
            (
                {
                    "id": t["id"],
                    "variant": t["variant"] or None,
                    "quantity": t["quantity"],
                    "price": t["price"],
                    "percentage": t["percentage"],
                    "isPercentage": t["isPercentage"],
                    "customerGroup": t["customerGroup"] or None,
                    "startDate": t["startDate"] or None,
                    "endDate": t["endDate"] or None,
                }
                for t in tiers
            ),
            key=lambda t: (t["variant"] or 0, t["customerGroup"] or 0, t["quantity"], t["id"]),
        ),
        "metafields": sorted(
            ({"key": m["key"], "id": m["id"], "value": m["value"]} for m in metafields), key=lambda m: m["key"]
        ),
        "relations": sorted(
            (
                {"id": r["id"], "product": r["relatedProduct"]["resource"]["id"], "sortOrder": r["sortOrder"]}
                for r in relations
            ),
            key=lambda r: (r["sortOrder"], r["id"]),
        ),
    }


def _variant_back(
    client: httpx.Client, v: dict[str, Any], variants: Any, files: dict[str, str], default: str
) -> dict[str, Any]:
    metafields = client.get(f"/{default}/variants/{v['id']}/metafields.json").json()["variantMetafields"]
    return {
        "id": v["id"],
        "isDefault": v["isDefault"],
        "sortOrder": v["sortOrder"],
        "title": _per_language(variants, v["id"], "title"),
        "tax": v["tax"]["resource"]["id"] if v["tax"] else None,
        **{name: v[name] for name in VARIANT_FIELDS},
        "image": files[v["image"]["src"]] if v["image"] else None,
        "options": [
            {
                "option": {"id": o["id"], "name": o["name"]},
                "value": {"id": o["value"]["id"], "name": o["value"]["name"]},
            }
            for o in v["options"]
        ],
        "metafields": sorted(
            ({"key": m["key"], "id": m["id"], "value": m["value"]} for m in metafields), key=lambda m: m["key"]
        ),
    }
