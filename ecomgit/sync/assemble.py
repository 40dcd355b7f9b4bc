"""API rows → mirror dicts (docs/mirror-format.md).

Pure functions: every input is already fetched. A product is built from its ``/catalog.json``
record (default language), plus — when its deep data was fetched this run — its texts in the other
languages, full variant records, tag links and metafields; anything not fetched this run comes from
the product's previous mirror file (it did not change in the shop).
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecomgit import jsonfast
from ecomgit.api.values import (
    as_bool,
    as_float_or_int,
    as_int,
    as_str,
    file_id_from_src,
    file_name_from_src,
    link_id,
    objects,
)
from ecomgit.mirror import layout, markers, schema

# Catalog fields that change without any edit (stock, counters, computed visibility).
VOLATILE = frozenset({"createdAt", "updatedAt", "hits", "isVisible", "stockLevel", "stockSold"})

_INT_FIELDS = frozenset(
    {
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
    }
)
_NUMBER_FIELDS = frozenset({"priceExcl", "priceIncl", "priceCost", "oldPriceExcl", "oldPriceIncl", "unitPrice"})
_TEXT_FIELDS = frozenset({"articleCode", "ean", "sku", "stockTracking", "weightUnit", "volumeUnit", "sizeUnit"})
_NULLABLE_TEXT = frozenset({"hs", "unitUnit", "taxType"})
_DECIMAL_FIELDS = frozenset({"weightValue", "volumeValue", "sizeXValue", "sizeYValue", "sizeZValue"})
_DEFAULTS: dict[str, Any] = {
    "stockTracking": "disabled",
    "weightUnit": "kg",
    "volumeUnit": "ml",
    "sizeUnit": "cm",
    "weightValue": "0.000",
    "volumeValue": 0,
    "sizeXValue": "0.000",
    "sizeYValue": "0.000",
    "sizeZValue": "0.000",
}


@dataclass
class ImagePlan:
    """One image file the product folder must hold: reuse the old file or download ``src``.

    ``named_by_id``: the file name itself carries the file id (a variant's own image), so a file
    of that name is the right one.
    """

    file: str
    file_id: int | None
    src: str
    named_by_id: bool = False


@dataclass
class Built:
    product: dict[str, Any]
    images: list[ImagePlan] = field(default_factory=list)
    reviews: list[dict[str, Any]] | None = None  # reviews.yaml's entries; None: not read (leave the file)


@dataclass
class Deep:
    """Deep data fetched this run; ``None`` fields mean "unchanged, take it from the mirror"."""

    texts: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    variants: dict[int, Mapping[str, Any]] = field(default_factory=dict)
    variant_titles: dict[str, dict[int, str]] = field(default_factory=dict)
    tag_ids: list[int] | None = None
    metafields: list[Mapping[str, Any]] | None = None
    variant_metafields: dict[int, list[Mapping[str, Any]]] | None = None
    image_titles: dict[int, str] | None = None  # productImage id → title
    type_read: bool = False  # product_type and product_set were read this run (else the mirror's stand)
    product_type: dict[str, Any] | None = None  # {id, title}, or None: no type
    product_set: dict[str, Any] | None = None  # {id, name}, or None: no option set


# Raised when product files gain a key (2: isFeatured, 3: filters, 4: positions in categories, 5: image
# titles, 6: type and attribute values, 7: quantity discounts, 8: reviews, 9: option sets): every record's digest
# changes, so the next sync rebuilds each product from its catalog record and its file (a shallow
# rebuild: no request more than the catalog pass it makes anyway) and the key is in every file.
MIRROR_FORMAT = 9


def catalog_hash(record: Mapping[str, Any]) -> str:
    """A digest of a catalog record without its volatile values (on it and its embedded objects),
    followed by :func:`images_digest` (the last :data:`IMAGES_DIGEST` characters)."""
    kept: dict[str, Any] = {"\0format": MIRROR_FORMAT}
    for key, value in record.items():
        if key in VOLATILE:
            continue
        if key == "productReviews":  # a review's isVisible is the merchant's choice, not a computed flag
            value = [{k: v for k, v in item.items() if k != "updatedAt"} for item in objects(value)]
        elif key in _KEYED:
            value = [_stable(item) for item in objects(value)]
        elif isinstance(value, Mapping):
            value = _stable(value)
        kept[key] = value
    return hashlib.sha256(jsonfast.dumps(kept, sort_keys=True)).hexdigest()[:32] + images_digest(record)


IMAGES_DIGEST = 12


def images_digest(record: Mapping[str, Any]) -> str:
    """A digest of the record's images with their ``updatedAt``: it moves when an image is
    retitled, and the title is not in the catalog (so it says when titles must be read again)."""
    rows = [(item.get("id"), item.get("updatedAt"), item.get("src")) for item in objects(record.get("images"))]
    return hashlib.sha256(jsonfast.dumps(sorted(rows, key=str))).hexdigest()[:IMAGES_DIGEST]


def images_changed(before: str, record: Mapping[str, Any]) -> bool:
    """Whether the record's images differ from those of the digest ``before`` (an older digest has none)."""
    return len(before) <= IMAGES_DIGEST or before[-IMAGES_DIGEST:] != images_digest(record)


_KEYED = frozenset({"variants", "images", "categories", "relations", "quantityDiscounts", "productReviews"})


def _stable(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in VOLATILE}


def build_product(
    record: Mapping[str, Any],
    *,
    languages: Sequence[str],
    deep: Deep | None,
    previous: Mapping[str, Any] | None,
    tag_titles: Mapping[int, str],
    include_fields: Sequence[str] = (),
    positions: Mapping[int, int] | None = None,
) -> Built:
    """The mirror dict of one product, and the image files its folder must hold."""
    prev = previous or {}
    deep = deep or Deep()
    default = languages[0]
    product: dict[str, Any] = {
        "id": as_int(record.get("id")),
        "visibility": as_str(record.get("visibility")),
        "isFeatured": record.get("isFeatured") is True,
    }
    for name in schema.PRODUCT_TEXTS:
        product[name] = _texts(name, record, deep.texts, prev.get(name), languages, default)
    for name in ("data01", "data02", "data03"):
        product[name] = as_str(record.get(name))
    product["brand"] = _ref(record.get("brand"), "title")
    product["supplier"] = _ref(record.get("supplier"), "title")
    product["deliverydate"] = _ref(record.get("deliverydate"), "name")
    product["categories"] = _categories(record, prev.get("categories"), positions)
    product["tags"] = _tags(deep.tag_ids, prev.get("tags"), tag_titles)
    product["filters"] = _filters(record.get("filters"))
    kind = deep.product_type if deep.type_read else prev.get("type")
    if deep.type_read or "type" in prev:  # an older file says nothing of it until a sync reads it
        product["type"] = {"id": kind.get("id"), "title": kind.get("title")} if isinstance(kind, Mapping) else None
    if deep.type_read or "set" in prev:  # read with the type
        found = deep.product_set if deep.type_read else prev.get("set")
        product["set"] = {"id": found.get("id"), "name": found.get("name")} if isinstance(found, Mapping) else None
    product["attributes"] = [
        {"id": as_int(item.get("id")), "title": as_str(item.get("name")), "value": as_str(item.get("value"))}
        for item in objects(record.get("specifications"))
    ]
    images, plans, by_file_id = _images(record, prev.get("images"), deep.image_titles)
    product["images"] = images
    prev_variants = {v.get("id"): v for v in prev.get("variants") or [] if isinstance(v, Mapping)}
    old_files = {markers.name(i): i.get("fileId") for i in prev.get("images") or [] if isinstance(i, Mapping)}
    product["variants"] = [
        _variant(
            cv, deep, prev_variants.get(as_int(cv.get("id"))), languages, include_fields, by_file_id, old_files, plans
        )
        for cv in objects(record.get("variants"))
    ]
    if "quantityDiscounts" in record:  # the shop-wide list's rows of the product (a sync always reads them)
        product["quantityDiscounts"] = quantity_discounts(record["quantityDiscounts"])
    elif "quantityDiscounts" in prev:
        product["quantityDiscounts"] = copy.deepcopy(prev["quantityDiscounts"])
    product["metafields"] = _metafields(deep.metafields, prev.get("metafields"))
    product["relations"] = [
        {
            "id": as_int(r.get("id")),
            "product": link_id(r.get("relatedProduct")),
            "sortOrder": as_int(r.get("sortOrder"), 0),
        }
        for r in objects(record.get("relations"))
    ]
    reviews = review_entries(record["productReviews"]) if "productReviews" in record else None
    return Built(product, plans, reviews)


def review_entries(rows: Any) -> list[dict[str, Any]]:
    """``/reviews`` rows as reviews.yaml entries (the customer's words as they are)."""
    out = []
    for row in objects(rows):
        language = row.get("language")
        out.append(
            {
                "id": as_int(row.get("id")),
                "date": as_str(row.get("createdAt")),
                "score": as_int(row.get("score"), 0),
                "name": as_str(row.get("name")),
                "language": as_str(language.get("code")) if isinstance(language, Mapping) else as_str(language),
                "visible": as_bool(row.get("isVisible"), True),
                "content": as_str(row.get("content")),
            }
        )
    return sorted(out, key=lambda r: r["id"] or 0)


def _categories(record: Mapping[str, Any], previous: Any, positions: Mapping[int, int] | None) -> list[dict[str, Any]]:
    """The catalog's categories with the product's position in each: read this run (``positions``),
    else as the mirror had it (an older file has none: 0 until read)."""
    known = {
        c.get("id"): c.get("sortOrder")
        for c in (previous if isinstance(previous, list) else [])
        if isinstance(c, Mapping) and isinstance(c.get("sortOrder"), int)
    }
    out = []
    for item in objects(record.get("categories")):
        cid = as_int(item.get("id"))
        order = positions.get(cid, 0) if positions is not None and cid is not None else known.get(cid, 0)
        out.append({"id": cid, "url": as_str(item.get("url")), "sortOrder": order})
    return out


def quantity_discounts(rows: Any) -> list[dict[str, Any]]:
    """``/quantity_discounts`` rows as mirror entries (false/0 for none: null), in a stable order."""

    def none(value: Any) -> Any:
        return None if value in (None, False, 0, "") else value

    out = [
        {
            "id": as_int(row.get("id")),
            "variant": as_int(none(row.get("variant"))),
            "quantity": as_int(row.get("quantity"), 1),
            "price": as_float_or_int(row.get("price"), 0),
            "percentage": as_float_or_int(row.get("percentage"), 0),
            "isPercentage": as_bool(row.get("isPercentage")),
            "customerGroup": as_int(none(row.get("customerGroup"))),
            "startDate": as_str(none(row.get("startDate")))[:10] or None,
            "endDate": as_str(none(row.get("endDate")))[:10] or None,
        }
        for row in objects(rows)
    ]
    return sorted(out, key=lambda d: (d["variant"] or 0, d["customerGroup"] or 0, d["quantity"], d["id"] or 0))


def _filters(value: Any) -> list[dict[str, Any]]:
    """The catalog's ``filters`` (``[{id, title, values: [{id, title}]}]``, the default language) as
    one entry per filter value: ``{filter: {id, title}, value: {id, title}}``."""
    out = []
    for head in objects(value):
        ref = {"id": as_int(head.get("id")), "title": as_str(head.get("title"))}
        for item in objects(head.get("values")):
            out.append(
                {"filter": dict(ref), "value": {"id": as_int(item.get("id")), "title": as_str(item.get("title"))}}
            )
    return sorted(out, key=lambda entry: (entry["filter"]["id"] or 0, entry["value"]["id"] or 0))


def folder_for(record: Mapping[str, Any]) -> str:
    return layout.product_folder(as_int(record.get("id"), 0), as_str(record.get("url")))


def _texts(
    name: str,
    record: Mapping[str, Any],
    texts: Mapping[str, Mapping[str, Any]],
    previous: Any,
    languages: Sequence[str],
    default: str,
) -> dict[str, str]:
    out = {}
    prev = previous if isinstance(previous, Mapping) else {}
    for lang in languages:
        if lang == default:
            out[lang] = as_str(record.get(name))
        elif lang in texts:
            out[lang] = as_str(texts[lang].get(name))
        else:
            out[lang] = as_str(prev.get(lang))
    return out


def _ref(value: Any, label: str) -> dict[str, Any] | None:
    ref_id = link_id(value)
    if ref_id is None:
        return None
    text = as_str(value.get(label)) if isinstance(value, Mapping) else ""
    return {"id": ref_id, label: text}


def _tags(tag_ids: list[int] | None, previous: Any, titles: Mapping[int, str]) -> list[dict[str, Any]]:
    if tag_ids is None:
        return [dict(t) for t in previous or [] if isinstance(t, Mapping)]
    return [{"id": tid, "title": titles.get(tid, "")} for tid in sorted(set(tag_ids))]


def _metafields(fetched: list[Mapping[str, Any]] | None, previous: Any) -> list[dict[str, Any]]:
    if fetched is None:
        return [dict(m) for m in previous or [] if isinstance(m, Mapping)]
    return [{"key": as_str(m.get("key")), "id": as_int(m.get("id")), "value": as_str(m.get("value"))} for m in fetched]


def _images(
    record: Mapping[str, Any], previous: Any, titles: Mapping[int, str] | None
) -> tuple[list[dict[str, Any]], list[ImagePlan], dict[int, str]]:
    """The images in position order, each with its title: read this run (``titles``), else as the
    mirror had it for the same productImage id (an older file has none: left out until read)."""
    if titles is None:
        titles = {
            image["id"]: image["title"]
            for image in (previous if isinstance(previous, list) else [])
            if isinstance(image, Mapping) and isinstance(image.get("id"), int) and isinstance(image.get("title"), str)
        }
    rows = sorted(
        objects(record.get("images")),
        key=lambda i: (as_int(i.get("sortOrder"), 0), as_int(i.get("id"), 0)),
    )
    entries: list[dict[str, Any]] = []
    plans: list[ImagePlan] = []
    by_file_id: dict[int, str] = {}
    for position, image in enumerate(rows, start=1):
        src = as_str(image.get("src"))
        name, ext = file_name_from_src(src)
        file_name = layout.image_file_name(position, len(rows), name, ext)
        file_id = file_id_from_src(src)
        entry: dict[str, Any] = {"file": file_name}
        if (title := titles.get(as_int(image.get("id"), 0))) is not None:
            entry["title"] = title
        entries.append({**entry, "id": as_int(image.get("id")), "fileId": file_id})
        plans.append(ImagePlan(file_name, file_id, src))
        if file_id is not None:
            by_file_id.setdefault(file_id, file_name)
    return entries, plans, by_file_id


def _variant(
    cv: Mapping[str, Any],
    deep: Deep,
    pv: Mapping[str, Any] | None,
    languages: Sequence[str],
    include_fields: Sequence[str],
    by_file_id: dict[int, str],
    old_files: Mapping[Any, Any],
    plans: list[ImagePlan],
) -> dict[str, Any]:
    vid = as_int(cv.get("id"), 0)
    full = deep.variants.get(vid)
    source: Mapping[str, Any] = full if full is not None else cv
    prev = pv or {}
    out: dict[str, Any] = {"id": vid, "isDefault": as_bool(source.get("isDefault"))}
    for key in schema.VARIANT_KEYS[2:]:
        if key in ("title", "image", "options", "metafields"):
            continue
        if key in schema.OPTIONAL_VARIANT_FIELDS and key not in include_fields:
            continue
        if key == "tax":
            out[key] = link_id(full.get("tax")) if full is not None else prev.get("tax")
            continue
        out[key] = _variant_value(key, source, prev)
    out["title"] = _variant_title(vid, source, deep, prev.get("title"), languages)
    out["image"] = _variant_image(vid, full, prev.get("image"), by_file_id, old_files, plans)
    if full is not None:  # the full record's option/value pairs; else the mirror's (an older file: none said)
        out["options"] = _options(full.get("options"))
    elif "options" in prev:
        out["options"] = copy.deepcopy(prev["options"])
    out["metafields"] = _metafields(
        None if deep.variant_metafields is None else deep.variant_metafields.get(vid, []),
        prev.get("metafields"),
    )
    return out


def _options(value: Any) -> list[dict[str, Any]]:
    """A variant's ``options`` as ``[{option: {id, name}, value: {id, name}}]``."""
    out = []
    for item in objects(value):
        head = {"id": as_int(item.get("id")), "name": as_str(item.get("name"))}
        found = item.get("value")
        if isinstance(found, Mapping):
            out.append({"option": head, "value": {"id": as_int(found.get("id")), "name": as_str(found.get("name"))}})
    return out


def _variant_value(key: str, source: Mapping[str, Any], prev: Mapping[str, Any]) -> Any:
    if key not in source:
        return prev.get(key, _DEFAULTS.get(key, 0 if key in _INT_FIELDS | _NUMBER_FIELDS else None))
    value = source.get(key)
    if key in _INT_FIELDS:
        return as_int(value, 0)
    if key in _NUMBER_FIELDS:
        return as_float_or_int(value, 0)
    if key in _TEXT_FIELDS:
        return as_str(value, _DEFAULTS.get(key, ""))
    if key in _NULLABLE_TEXT:
        return None if value is None or value is False else as_str(value)
    if key in _DECIMAL_FIELDS:
        return value if isinstance(value, str) else as_float_or_int(value, 0)
    return value


def _variant_title(
    vid: int, source: Mapping[str, Any], deep: Deep, previous: Any, languages: Sequence[str]
) -> dict[str, str]:
    prev = previous if isinstance(previous, Mapping) else {}
    out = {languages[0]: as_str(source.get("title"))}
    for lang in languages[1:]:
        titles = deep.variant_titles.get(lang)
        out[lang] = titles[vid] if titles is not None and vid in titles else as_str(prev.get(lang))
    return out


def _variant_image(
    vid: int,
    full: Mapping[str, Any] | None,
    previous: Any,
    by_file_id: dict[int, str],
    old_files: Mapping[Any, Any],
    plans: list[ImagePlan],
) -> str | None:
    if full is None:  # unchanged variant: follow its old file to the image's new name
        old_id = old_files.get(previous)
        if isinstance(old_id, int) and old_id in by_file_id:
            return by_file_id[old_id]
        return previous if isinstance(previous, str) else None
    image = full.get("image")
    if not isinstance(image, Mapping):
        return None
    src = as_str(image.get("src"))
    file_id = file_id_from_src(src)
    if file_id is not None and file_id in by_file_id:
        return by_file_id[file_id]
    name, ext = file_name_from_src(src)
    file_name = f"variant-{vid}-{file_id or 0}-{layout.safe_name(name, 'image')}.{layout.safe_ext(ext)}"
    plans.append(ImagePlan(file_name, file_id, src, named_by_id=file_id is not None))
    return file_name


def shop_lists(
    rows: Mapping[str, Mapping[str, list[Mapping[str, Any]]]], languages: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    """shop/*.yaml lists from the per-language list answers: ``rows[name][lang] = [...]``."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name, (keys, texts) in schema.SHOP_LISTS.items():
        per_lang = {lang: {as_int(r.get("id")): r for r in rows.get(name, {}).get(lang, [])} for lang in languages}
        items = []
        for rid, row in per_lang[languages[0]].items():
            item: dict[str, Any] = {"id": rid}
            for key in keys[1:]:
                if key in texts:
                    item[key] = {lang: as_str(per_lang[lang].get(rid, row).get(key)) for lang in languages}
                elif key == "parent":
                    item[key] = link_id(row.get("parent"))
                elif key == "isVisible":
                    item[key] = as_bool(row.get("isVisible"), True)
                else:
                    item[key] = as_int(row.get(key), 0)
            items.append(item)
        out[name] = items
    return out


def shop_file(shop: Mapping[str, Any], languages: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    currency = shop.get("currency")
    return {
        "id": shop_id if (shop_id := as_int(shop.get("id"))) is not None else as_str(shop.get("id")),
        "mainDomain": as_str(shop.get("mainDomain")),
        "isRetail": as_bool(shop.get("isRetail")),
        "isB2b": as_bool(shop.get("isB2b")),
        "currency": as_str(currency.get("shortcode")) if isinstance(currency, Mapping) else as_str(currency),
        "languages": [
            {
                "id": as_int(lang.get("id")),
                "code": as_str(lang.get("code")),
                "locale": as_str(lang.get("locale")),
                "title": as_str(lang.get("title")),
                "isDefault": as_bool(lang.get("isDefault")),
            }
            for lang in languages
        ],
    }
