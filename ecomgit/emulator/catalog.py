"""The ``/catalog.json`` product: everything embedded, in the shape of the real captured answers.

``images``, ``categories``, ``variants`` and ``relations`` are objects keyed by id string, or
``[]`` when empty; brand, supplier and delivery date are embedded objects or ``false``. The real
answers list keyed entries newest first, so these do too (the order carries no meaning).
"""

from __future__ import annotations

from typing import Any

from ecomgit.emulator import render
from ecomgit.emulator.model import Brand, Category, Image, Product, Variant
from ecomgit.emulator.timefmt import iso
from ecomgit.emulator.view import View

Obj = dict[str, Any]


def catalog_product(view: View, p: Product) -> Obj:
    shop = view.shop
    main = shop.main_image(p)
    brand = shop.brands.get(p.brand_id) if p.brand_id is not None else None
    deliverydate = shop.deliverydates.get(p.deliverydate_id) if p.deliverydate_id is not None else None
    supplier = shop.suppliers.get(p.supplier_id) if p.supplier_id is not None else None
    links = sorted(p.category_links, key=lambda link: -link.id)
    categories = [shop.categories[link.category_id] for link in links if link.category_id in shop.categories]
    return {
        "id": p.id,
        "createdAt": iso(p.created),
        "updatedAt": iso(p.updated),
        "isVisible": render.is_visible(p),
        "isFeatured": p.is_featured,
        "visibility": p.visibility,
        "hits": 0,
        "data01": p.data01,
        "data02": p.data02,
        "data03": p.data03,
        "url": view.text(p.texts, "url"),
        "title": view.text(p.texts, "title"),
        "fulltitle": view.text(p.texts, "fulltitle"),
        "description": view.text(p.texts, "description"),
        "content": view.text(p.texts, "content"),
        "brand": _brand(view, brand) if brand else False,
        "supplier": render.supplier(view, supplier) if supplier else False,
        "deliverydate": render.deliverydate(view, deliverydate) if deliverydate else False,
        "image": _file(view, main) if main else False,
        "images": _keyed([_image(view, i) for i in sorted(p.images, key=lambda i: -i.id)]),
        "categories": _keyed([_category(view, c) for c in categories]),
        "variants": _keyed([_variant(view, v) for v in sorted(p.variants, key=lambda v: -v.id)]),
        "relations": _keyed([render.relation(view, r) for r in sorted(p.relations, key=lambda r: -r.id)]),
        "filters": _filters(view, p),
        "reviews": [],
        "specifications": _specifications(view, p),
        "discounts": [],
    }


def _keyed(objects: list[Obj]) -> Obj | list[Any]:
    return {str(obj["id"]): obj for obj in objects} if objects else []


def _file(view: View, image: Image) -> Obj:
    return {"id": image.file_id, "thumb": view.thumb(image), "src": view.src(image)}


def _brand(view: View, brand: Brand) -> Obj:
    return {
        "id": brand.id,
        "createdAt": iso(brand.created),
        "updatedAt": iso(brand.updated),
        "image": render.file_object(view, brand.image) if brand.image else False,
        "url": view.text(brand.texts, "url"),
        "title": view.text(brand.texts, "title"),
    }


def _image(view: View, image: Image) -> Obj:
    return {
        "id": image.id,
        "createdAt": iso(image.created),
        "updatedAt": iso(image.updated),
        "sortOrder": image.sort_order,
        "thumb": view.thumb(image),
        "src": view.src(image),
    }


def _category(view: View, c: Category) -> Obj:
    return {
        "id": c.id,
        "createdAt": iso(c.created),
        "updatedAt": iso(c.updated),
        "isVisible": c.is_visible,
        "depth": len(view.shop.category_chain(c)),
        "sortOrder": c.sort_order,
        "image": render.file_object(view, c.image) if c.image else False,
        "url": view.text(c.texts, "url"),
        "title": view.text(c.texts, "title"),
    }


# /catalog.json embeds a subset of a variant's fields, in the real answers' order, with ``tax`` as
# a rate rather than a link.
CATALOG_VARIANT_KEYS = (
    "id", "createdAt", "updatedAt", "isDefault", "sortOrder", "articleCode", "ean", "sku", "hs", "tax",
    "priceExcl", "priceIncl", "priceCost", "oldPriceExcl", "oldPriceIncl", "stockTracking", "stockLevel",
    "stockAlert", "stockMinimum", "stockSold", "stockBuyMininum", "stockBuyMinimum", "stockBuyMaximum",
    "weight", "volume", "colli", "sizeX", "sizeY", "sizeZ", "matrix", "title",
)  # fmt: skip


def _variant(view: View, v: Variant) -> Obj:
    full = render.variant(view, v)
    full["tax"] = view.shop.tax_rate(v)  # the class's rate, as the real catalog gives it
    return {key: full[key] for key in CATALOG_VARIANT_KEYS}


def _specifications(view: View, p: Product) -> list[Obj]:
    """The values of the product's type attributes: ``[{id, name, value}]`` (id: the attribute's)."""
    return [
        {"id": a.id, "name": view.text(a.texts, "title"), "value": p.attribute_values.get(a.id, "")}
        for a in view.shop.type_attributes(p)
    ]


def _filters(view: View, p: Product) -> list[Obj]:
    """The product's filter values grouped by filter: ``[{id, title, values: [{id, title}]}]``."""
    out: dict[int, Obj] = {}
    for link in sorted(p.filter_links, key=lambda link: link.id):
        found = view.shop.filter_value(link.filter_id, link.value_id)
        if found is None:
            continue
        owner, value = found
        entry = out.setdefault(owner.id, {"id": owner.id, "title": view.text(owner.texts, "title"), "values": []})
        entry["values"].append({"id": value.id, "title": view.text(value.texts, "title")})
    return list(out.values())
