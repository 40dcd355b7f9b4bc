"""Write ``ecomgit/sample_catalog/`` (``sample-catalog/`` links to it): the demo shop "Fietsatelier Noord".

    .venv/bin/python tools/make_sample_catalog.py [TARGET]

Rewrites the sample catalog (README, ``shop/``, and ``products/``, deleted first) from the
literals in ``sample_catalog_shop.py`` and ``sample_catalog_products.py``, always through
``ecomgit.mirror`` so that every YAML byte is canonical. Images are drawn with Pillow (a dev-time
tool, installed into the venv by hand); :func:`build` needs no Pillow, so the tests can check that
the files on disk are exactly what the specs say.
"""

from __future__ import annotations

import itertools
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sample_catalog_products import PRODUCTS  # this script's folder is first on sys.path
from sample_catalog_shop import BRANDS, CATEGORIES, DELIVERYDATES, LANGUAGES, SHOP, TAGS, t

from ecomgit.emulator.model import TAXES
from ecomgit.mirror import dump_product, dump_shop, dump_shop_list, write_bytes
from ecomgit.mirror.files import dump_reviews
from ecomgit.mirror.layout import image_file_name, product_folder

ROOT = Path(__file__).resolve().parent.parent
VAT = 1.21
HIGH_TAX = next(tax.id for tax in TAXES if tax.rate == round(VAT - 1, 2))  # the emulator's 21 % class
DEFAULT_LANGUAGE = LANGUAGES[0]
# Id ranges, each derived from the product id so that adding a product never moves another's ids.
VARIANT_IDS, IMAGE_IDS, FILE_IDS = 118_400_000, 69_100_000, 73_050_000
METAFIELD_IDS, RELATION_IDS, DISCOUNT_IDS, REVIEW_IDS = 5_200_000, 3_700_000, 6_600_000, 3_900_000
SET_IDS, OPTION_IDS, OPTION_VALUE_IDS = 2_700_000, 4_600_000, 14_000_000
VARIANT_METAFIELD_IDS = 40_000_000  # + a variant's slot × 10 + the metafield's number

Json = dict[str, Any]


@dataclass
class Built:
    """One product: its folder, its mirror data and the images to draw (file name -> spec)."""

    folder: str
    product: Json
    images: dict[str, dict[str, str]] = field(default_factory=dict)


def ean13(first12: str) -> str:
    """``first12`` plus its GS1 check digit."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


def excl(incl: float) -> float:
    """The price excluding 21 % VAT whose VAT-inclusive price is nearest to ``incl``."""
    guess = round(incl / VAT, 2)
    best = min((round(guess + step / 100, 2) for step in (-1, 0, 1)), key=lambda e: abs(e * VAT - incl))
    return int(best) if best == int(best) else best


def decimal(value: float) -> str:
    return f"{value:.3f}"


def _slot(product_id: int, k: int) -> int:
    if not 0 <= k < 10:
        raise ValueError(f"product {product_id}: at most 9 variants, images, metafields or relations")
    return (product_id % 100_000) * 10 + k


def _by_id(items: list[Json]) -> dict[int, Json]:
    return {item["id"]: item for item in items}


def _lines(text: dict[str, str], line_ends: str | None) -> dict[str, str]:
    crlf = {"crlf": LANGUAGES, "crlf-nl": ["nl"]}.get(line_ends or "", [])
    return {lang: value.replace("\n", "\r\n") if lang in crlf else value for lang, value in text.items()}


def _variant_titles(spec: Json, values: tuple[tuple[str, str, str], ...]) -> dict[str, str]:
    if not values:
        return t("Standaard", "Default")
    dims = spec["options"]
    return {
        lang: ",".join(f'"{dim["name"][lang]}: {value[k]}"' for dim, value in zip(dims, values, strict=True))
        for k, lang in enumerate(LANGUAGES)
    }


def _variants(spec: Json, image_files: dict[str, str]) -> list[Json]:
    pid = spec["id"]
    combos = list(itertools.product(*(dim["values"] for dim in spec.get("options", []))))
    default_codes = spec.get("default") or tuple(v[2] for v in combos[0])
    variants = []
    for k, values in enumerate(combos, start=1):
        codes = tuple(v[2] for v in values)
        rules = {key: spec.get(key) for key in ("price", "old", "tracking", "weight", "size")}
        for code in codes:
            rules.update(spec.get("per", {}).get(code, {}))
        code = "-".join((spec["code"], *codes))
        weight, (sx, sy, sz) = rules["weight"], rules["size"]
        buy_min, buy_max = spec.get("buy", (1, 10000))
        volume = spec.get("volume", 0)
        variants.append(
            {
                "id": VARIANT_IDS + _slot(pid, k),
                "isDefault": codes == tuple(default_codes),
                "sortOrder": k,
                "title": _variant_titles(spec, values),
                "articleCode": code,
                "ean": ean13(f"20{pid % 10**7:07d}{k:03d}") if spec.get("ean", True) else "",
                "sku": code,
                "hs": spec["hs"],
                "tax": HIGH_TAX,
                "taxType": "auto",
                "priceExcl": excl(rules["price"]),
                "priceIncl": rules["price"],
                "oldPriceExcl": excl(rules["old"]) if rules.get("old") else 0,
                "oldPriceIncl": rules.get("old") or 0,
                "unitPrice": 0,
                "unitUnit": "",
                "stockTracking": rules["tracking"],
                "stockAlert": spec.get("alert", 5),
                "stockMinimum": spec.get("minimum", 0),
                "stockBuyMinimum": buy_min,
                "stockBuyMaximum": buy_max,
                "weight": weight,
                "weightValue": decimal(weight / 1000 if spec["wunit"] == "kg" else weight),
                "weightUnit": spec["wunit"],
                "volume": volume,
                "volumeValue": volume,
                "volumeUnit": "ml",
                "colli": spec.get("colli", 1),
                "sizeX": sx,
                "sizeY": sy,
                "sizeZ": sz,
                "sizeXValue": decimal(sx),
                "sizeYValue": decimal(sy),
                "sizeZValue": decimal(sz),
                "sizeUnit": "cm",
                "image": image_files[rules["image"]] if rules.get("image") else None,
                "metafields": [
                    {"key": key, "id": VARIANT_METAFIELD_IDS + _slot(pid, k) * 10 + _slot(pid, j) % 10, "value": value}
                    for j, (key, value) in enumerate(rules.get("metafields", {}).items(), start=1)
                ],
            }
        )
    return variants


FEATURED = frozenset({72418301, 72418339, 72418518})  # shown among the shop's featured products

# The shop's filters (set up in the back office: the mirror knows them from products' links), and
# which values each product carries: filter id → (title, {value id: title}); product → value ids.
FILTERS = {
    8101: ("Kleur", {8111: "Zwart", 8112: "Blauw", 8113: "Groen", 8114: "Rood"}),
    8102: ("Materiaal", {8121: "Aluminium", 8122: "Carbon", 8123: "Merinowol", 8124: "Gerecycled polyester"}),
    8103: ("Gebruik", {8131: "Gravel", 8132: "Weg", 8133: "Bikepacking", 8134: "Woon-werk"}),
}
PRODUCT_FILTERS = {
    72418301: (8111, 8121, 8131, 8133),  # the gravel bike: black aluminium, gravel and bikepacking
    72418314: (8114, 8122, 8132),
    72418339: (8112, 8121, 8132, 8134),
    72418518: (8111, 8112, 8124),
    72418537: (8113, 8123),
    72418594: (8111, 8133, 8134),
}


# Product types (set up in the back office) with the attributes their products give a value for
# (the "specifications"): type id → (title, [(attribute id, attribute title)]); product → (type, values).
TYPES = {
    7301: ("Fietsen", [(7401, "Framemateriaal"), (7402, "Groep"), (7403, "Remmen"), (7404, "Gewicht")]),
    7302: ("Kleding", [(7411, "Materiaal"), (7412, "Pasvorm"), (7413, "Wasvoorschrift")]),
}
PRODUCT_TYPES = {
    72418301: (7301, ("Aluminium 6061", "Shimano GRX 2x11", "Hydraulische schijfremmen", "10,4 kg")),
    72418314: (7301, ("Carbon", "Shimano Ultegra Di2", "Hydraulische schijfremmen", "7,9 kg")),
    72418339: (7301, ("Aluminium 6061", "Shimano 105 2x12", "Hydraulische schijfremmen", "")),
    72418518: (7302, ("Gerecycled polyester", "Regular fit", "30 °C, niet in de droger")),
    72418537: (7302, ("Merinowol 200 g/m²", "Nauwsluitend", "Wolwas 30 °C")),
}


def _type(pid: int) -> Json | None:
    if pid not in PRODUCT_TYPES:
        return None
    return {"id": PRODUCT_TYPES[pid][0], "title": TYPES[PRODUCT_TYPES[pid][0]][0]}


def _attributes(pid: int) -> list[Json]:
    if pid not in PRODUCT_TYPES:
        return []
    kind, values = PRODUCT_TYPES[pid]
    return [{"id": aid, "title": title, "value": v} for (aid, title), v in zip(TYPES[kind][1], values, strict=True)]


# Quantity discounts (tiered prices): product → [(variant position or None for all, quantity, price,
# percentage, isPercentage, customer group, start, end)].
DISCOUNTS = {
    72418301: [(None, 2, 0, 5, True, None, None, None)],  # two bikes for the family: 5 % off each
    72418421: [(None, 3, 9.95, 0, False, None, None, None), (None, 6, 9.25, 0, False, None, None, None)],
    72418475: [(None, 12, 4.95, 0, False, 4401, "2026-01-01", "2026-12-31")],  # workshops (group 4401), this year
    72418504: [(2, 10, 0, 10, True, None, None, None)],  # the second colour: 10 % off from 10
}


def _option_set(spec: Json) -> tuple[Json | None, list[list[Json]]]:
    """A matrix product's option set (``{id, name}``) and each variant's option/value pairs, in the
    order the variants are made (every combination of the dimensions' values)."""
    dims = spec.get("options", [])
    if not dims:
        return None, []
    pid = spec["id"]
    heads = [{"id": OPTION_IDS + _slot(pid, d), "name": dim["name"][DEFAULT_LANGUAGE]} for d, dim in enumerate(dims)]
    values = [
        [
            {"id": OPTION_VALUE_IDS + (pid % 100_000) * 100 + d * 10 + k, "name": v[0]}
            for k, v in enumerate(dim["values"])
        ]
        for d, dim in enumerate(dims)
    ]
    name = " × ".join(head["name"] for head in heads)
    pairs = [
        [{"option": heads[d], "value": value} for d, value in enumerate(combo)] for combo in itertools.product(*values)
    ]
    return {"id": SET_IDS + _slot(pid, 1), "name": name}, pairs


def _discounts(pid: int, variants: list[Json]) -> list[Json]:
    out = []
    for k, (position, quantity, price, percentage, is_percentage, group, start, end) in enumerate(
        DISCOUNTS.get(pid, []), start=1
    ):
        out.append(
            {
                "id": DISCOUNT_IDS + _slot(pid, k),
                "variant": variants[position - 1]["id"] if position else None,
                "quantity": quantity,
                "price": price,
                "percentage": percentage,
                "isPercentage": is_percentage,
                "customerGroup": group,
                "startDate": start,
                "endDate": end,
            }
        )
    return out


# Customers' reviews (their words, kept as they wrote them): product → (date, score, name, language,
# visible, content).
REVIEWS = {
    72418301: [
        (
            "2026-04-12T09:14:03+00:00",
            5,
            "Marieke",
            "nl",
            True,
            "Heerlijke fiets voor de dijk en het wad. Snel geleverd!",
        ),
        (
            "2026-05-02T17:40:51+00:00",
            4,
            "Tom B.",
            "en",
            True,
            "Great gravel bike, the 10.4 kg is honest. Saddle is hard.",
        ),
        (
            "2026-06-20T21:05:10+00:00",
            1,
            "anoniem",
            "nl",
            False,
            "Kijk op www.goedkope-fietsen.example voor korting!!!",
        ),
    ],
    72418518: [
        ("2026-03-30T12:00:00+00:00", 4, "Joost", "nl", True, "Zit goed, valt iets klein.\nNeem een maat groter.")
    ],
}


def _reviews(pid: int) -> list[Json]:
    return [
        {"id": REVIEW_IDS + _slot(pid, k), "date": date, "score": score, "name": name, "language": lang,
         "visible": visible, "content": content}
        for k, (date, score, name, lang, visible, content) in enumerate(REVIEWS[pid], start=1)
    ]  # fmt: skip


# An image's title is its alt text in the shop. An upload is titled by its file name; a merchant
# who cares writes one. CDN name → title, for the images whose merchant did.
IMAGE_TITLES = {
    "wadden-grx-zijkant": "Wadden GRX gravelbike op het strand van Terschelling",
    "wadden-grx-cockpit": "Cockpit met Shimano GRX-remgrepen en stuurtas",
    "wadden-grx-bepakt": "Bepakt voor een bikepackingtocht over de Waddendijk",
    "wadden-grx-maattabel": "Maattabel Wadden GRX (framematen XS tot XL)",
    "lauwersmeer-zijkant": "Lauwersmeer Limited Edition, zijaanzicht",
    "kustweg-105-zijkant": "Kustweg 105 racefiets in kustrood",
}


def _position(pid: int, category: int) -> int:
    """The product's position in the category: the merchant's order, newest products first."""
    members = sorted((spec["id"] for spec in PRODUCTS if category in spec["categories"]), reverse=True)
    return members.index(pid) + 1


def _filters(pid: int) -> list[Json]:
    out = []
    for vid in PRODUCT_FILTERS.get(pid, ()):
        fid, (title, values) = next((f, spec) for f, spec in FILTERS.items() if vid in spec[1])
        out.append({"filter": {"id": fid, "title": title}, "value": {"id": vid, "title": values[vid]}})
    return out


def build_product(spec: Json) -> Built:
    """Expand one product spec into its mirror data."""
    pid = spec["id"]
    categories, tags = _by_id(CATEGORIES), _by_id(TAGS)
    brands, deliverydates = _by_id(BRANDS), _by_id(DELIVERYDATES)
    specs = spec.get("images", [])
    files = {s["name"]: image_file_name(pos, len(specs), s["name"], s["ext"]) for pos, s in enumerate(specs, start=1)}
    brand, date = spec.get("brand"), spec.get("deliverydate")
    data01, data02, data03 = spec.get("data", ("", "", ""))
    product = {
        "id": pid,
        "visibility": spec.get("visibility", "visible"),
        "isFeatured": pid in FEATURED,
        "title": spec["title"],
        "fulltitle": spec["fulltitle"],
        "description": spec["description"],
        "content": _lines(spec["content"], spec.get("line_ends")),
        "url": spec["url"],
        "data01": data01,
        "data02": data02,
        "data03": data03,
        "brand": {"id": brand, "title": brands[brand]["title"][DEFAULT_LANGUAGE]} if brand else None,
        "supplier": None,
        "deliverydate": {"id": date, "name": deliverydates[date]["name"][DEFAULT_LANGUAGE]} if date else None,
        "categories": [
            {"id": c, "url": categories[c]["url"][DEFAULT_LANGUAGE], "sortOrder": _position(pid, c)}
            for c in spec["categories"]
        ],
        "tags": [{"id": g, "title": tags[g]["title"][DEFAULT_LANGUAGE]} for g in spec.get("tags", [])],
        "filters": _filters(pid),
        "type": _type(pid),
        "attributes": _attributes(pid),
        "images": [
            {
                "file": files[s["name"]],
                "title": IMAGE_TITLES.get(s["name"], s["name"]),
                "id": IMAGE_IDS + _slot(pid, pos),
                "fileId": FILE_IDS + _slot(pid, pos),
            }
            for pos, s in enumerate(specs, start=1)
        ],
        "variants": _variants(spec, files),
        "metafields": [
            {"key": key, "id": METAFIELD_IDS + _slot(pid, k), "value": value}
            for k, (key, value) in enumerate(spec.get("metafields", {}).items(), start=1)
        ],
        "relations": [
            {"id": RELATION_IDS + _slot(pid, k), "product": other, "sortOrder": k}
            for k, other in enumerate(spec.get("relations", []))
        ],
    }
    option_set, pairs = _option_set(spec)
    product["set"] = option_set  # after the attributes, as the file has it
    for variant, options in zip(product["variants"], pairs or [[]] * len(product["variants"]), strict=True):
        variant["options"] = options
    tail = {"quantityDiscounts": _discounts(pid, product["variants"])}  # after the variants it names
    tail.update(metafields=product.pop("metafields"), relations=product.pop("relations"))
    product.update(tail)
    folder = product_folder(pid, spec["url"][DEFAULT_LANGUAGE])
    return Built(folder, product, {files[s["name"]]: s for s in specs})


def build() -> list[Built]:
    return [build_product(spec) for spec in PRODUCTS]


def shop_files() -> dict[str, bytes]:
    """``shop/*.yaml`` by file name."""
    lists = {"categories": CATEGORIES, "tags": TAGS, "brands": BRANDS, "deliverydates": DELIVERYDATES}
    files = {"shop.yaml": dump_shop(SHOP)}
    files.update({f"{name}.yaml": dump_shop_list(name, items, LANGUAGES) for name, items in lists.items()})
    return files


def caption(image: dict[str, str]) -> str:
    """The caption under a drawing: its CDN name in words (``wadden-grx-zijkant``: Wadden grx zijkant)."""
    return image["name"].replace("-", " ").capitalize()


README = """\
# Sample catalog: Fietsatelier Noord

A small, made-up bike and outdoor shop in Groningen, stored in the mirror layout
(`docs/mirror-format.md`). The built-in emulator serves it as a real Lightspeed eCom shop, and
`ecomgit demo` shows it to new users. Running `ecomgit sync` against that emulator into an empty
repository must reproduce `shop/` and `products/` exactly, byte for byte.

- Two languages: **nl** (default, id 1, `nl_NL`) and **en** (id 2, `en_GB`). Currency EUR, shop id
  310744, prices include 21 % VAT.
- {products} products: road and gravel bikes, tyres and tubes, lights, tools, jerseys, merino,
  rainwear, panniers, a tent and a mug. There are {variants} variants and {images} images
  (PNG and JPEG, 1–12 KB each). The shop has {categories} nested categories (up to 3 levels),
  {tags} tags, {brands} brands and {deliverydates} delivery dates.
- The brands, EAN codes and domain are all invented. EANs use the GS1 in-store prefix `20`, so they
  cannot belong to a real product.

The catalog includes the cases a mirror has to handle:

- matrix variants (`"Kleur: Zwart","Maat: M"` / `"Color: Black","Size: M"`) and single
  "Standaard"/"Default" variants;
- all three `stockTracking` values;
- `visibility` set to `hidden` on one product and `auto` on another; three featured products;
- filter values (colour, material, use) on six products, the gravel bike with four;
- each product's position in each of its categories (the newest first);
- product types with attribute values (two bikes and a road bike, two shirts), one value left empty;
- customer reviews (`reviews.yaml`) on two products, one of them hidden spam;
- quantity discounts: tiers by price and by percentage, for every variant and for one, for one
  customer group between two dates;
- image titles: most as an upload names them (its file name), six written by the merchant;
- old prices, order limits (minimum 2, maximum 1), weights in kg and in g, volumes, and a product
  shipped as 2 colli;
- variants that point at an image, and products without a brand or without images;
- product content with CRLF line ends (as the real editor writes it), including one product that has
  CRLF in Dutch only;
- content with tabs and trailing spaces, an empty description, HTML tables, entities, non-ASCII
  characters and emoji.

## Regenerating

Do not edit the files by hand. They are generated by `tools/make_sample_catalog.py` from the
literals in `tools/sample_catalog_shop.py` (shop, categories, tags, brands, delivery dates) and
`tools/sample_catalog_products.py` (products):

```sh
.venv/bin/pip install Pillow                    # dev-time only, for drawing the images
.venv/bin/python tools/make_sample_catalog.py   # deletes products/ and writes everything again
.venv/bin/python -m pytest tests/test_sample_catalog.py -q
```

All YAML goes through `ecomgit.mirror`, so the bytes are canonical. Ids are derived from each
product's fixed id, so adding a product does not change the ids of any other product.

The images are flat illustrations drawn with Pillow (`tools/sample_catalog_images.py`). With the same
Pillow version (13.0), every run produces the same bytes. A different Pillow version can encode them
differently, so after changing only texts, commit only the YAML changes.

`tests/test_sample_catalog.py` checks the following:

- every file round-trips to identical bytes, and the YAML matches what the generator produces;
- every text exists in both languages;
- ids are unique, and every reference and image file exists;
- images are real files of 1–12 KB;
- the whole folder stays under 600 KB.
"""


def readme(built: list[Built]) -> bytes:
    """``sample-catalog/README.md``, with the counts filled in."""
    counts = {
        "products": len(built),
        "variants": sum(len(b.product["variants"]) for b in built),
        "images": sum(len(b.images) for b in built),
        "categories": len(CATEGORIES),
        "tags": len(TAGS),
        "brands": len(BRANDS),
        "deliverydates": len(DELIVERYDATES),
    }
    return README.format(**counts).encode("utf-8")


def write(target: Path) -> int:
    """Rewrite ``target``'s shop files and products; returns the number of products written."""
    from sample_catalog_images import draw  # Pillow is needed here only

    products_dir = target / "products"
    if products_dir.exists():
        shutil.rmtree(products_dir)
    for name, data in shop_files().items():
        write_bytes(target / "shop" / name, data)
    products = build()
    write_bytes(target / "README.md", readme(products))
    for built in products:
        folder = products_dir / built.folder
        write_bytes(folder / "product.yaml", dump_product(built.product, LANGUAGES))
        if built.product["id"] in REVIEWS:
            write_bytes(folder / "reviews.yaml", dump_reviews(_reviews(built.product["id"])))
        for file_name, image in built.images.items():
            write_bytes(folder / "images" / file_name, draw(image, caption(image)))
    return len(products)


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else ROOT / "ecomgit" / "sample_catalog"  # sample-catalog/ links there
    count = write(target)
    print(f"wrote {count} products to {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
