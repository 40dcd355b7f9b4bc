"""The JSON objects of ``/products``, ``/variants`` and the smaller resources, field for field.

Key order follows the documentation's examples (``api-samples/docs-examples``).
"""

from __future__ import annotations

from typing import Any

from ecomgit.emulator.model import (
    SUPPLIER_FIELDS,
    Attribute,
    Brand,
    Category,
    CategoryLink,
    DeliveryDate,
    Filter,
    FilterLink,
    FilterValue,
    Image,
    Language,
    Metafield,
    OptionSet,
    Product,
    ProductType,
    Redirect,
    Relation,
    Supplier,
    Tag,
    TagLink,
    Variant,
)
from ecomgit.emulator.timefmt import iso
from ecomgit.emulator.view import View

Obj = dict[str, Any]


def product(view: View, p: Product) -> Obj:
    pid = p.id
    main = view.shop.main_image(p)
    return {
        "id": pid,
        "createdAt": iso(p.created),
        "updatedAt": iso(p.updated),
        "isVisible": is_visible(p),
        "visibility": p.visibility,
        "hasMatrix": len(p.variants) > 1,
        "data01": p.data01,
        "data02": p.data02,
        "data03": p.data03,
        "url": view.text(p.texts, "url"),
        "title": view.text(p.texts, "title"),
        "fulltitle": view.text(p.texts, "fulltitle"),
        "description": view.text(p.texts, "description"),
        "content": view.text(p.texts, "content"),
        "set": option_set(view, view.shop.sets[p.set_id]) if p.set_id in view.shop.sets else False,
        "brand": view.ref("brands", p.brand_id),
        "categories": view.link(f"categories/products?product={pid}"),
        "deliverydate": view.ref("deliverydates", p.deliverydate_id),
        "image": file_object(view, main) if main else False,
        "images": view.link(f"products/{pid}/images"),  # a link also when it has none (real answers do)
        "relations": view.link(f"products/{pid}/relations"),
        "metafields": view.link(f"products/{pid}/metafields"),
        "reviews": view.link(f"reviews?product={pid}"),
        "type": view.ref("types", p.type_id),
        "attributes": view.link(f"products/{pid}/attributes"),
        "supplier": view.ref("suppliers", p.supplier_id),
        "tags": view.link(f"tags/products?product={pid}"),
        "variants": view.link(f"variants?product={pid}"),
        "movements": view.link(f"variants/movements?product={pid}"),
        "templateDataFields": {},  # an object, empty or not
    }


def is_visible(p: Product) -> bool:
    """``visible``/``hidden`` as set; ``auto`` while some variant can be sold."""
    if p.visibility != "auto":
        return p.visibility == "visible"
    return any(v.stockLevel > 0 or v.stockTracking != "enabled" for v in p.variants)


def variant(view: View, v: Variant) -> Obj:
    image = view.shop.images.get(v.image_id) if v.image_id is not None else None
    vid = v.id
    return {
        "id": vid,
        "createdAt": iso(v.created),
        "updatedAt": iso(v.updated),
        "isDefault": v.is_default,
        "sortOrder": v.sort_order,
        "articleCode": v.articleCode,
        "ean": v.ean,
        "sku": v.sku,
        "hs": v.hs,
        "unitPrice": v.unitPrice,
        "unitUnit": v.unitUnit or "",  # a string, "" when unset (never null in real answers)
        "priceExcl": v.priceExcl,
        "priceIncl": v.priceIncl,
        "priceCost": v.priceCost,
        "oldPriceExcl": v.oldPriceExcl,
        "oldPriceIncl": v.oldPriceIncl,
        "stockTracking": v.stockTracking,
        "stockLevel": v.stockLevel,
        "stockAlert": v.stockAlert,
        "stockMinimum": v.stockMinimum,
        "stockSold": v.stockSold,
        "stockBuyMininum": v.stockBuyMinimum,
        "stockBuyMinimum": v.stockBuyMinimum,
        "stockBuyMaximum": v.stockBuyMaximum,
        "weight": v.weight,
        "weightValue": v.weightValue,
        "weightUnit": v.weightUnit,
        "volume": v.volume,
        "volumeValue": v.volumeValue,
        "volumeUnit": v.volumeUnit,
        "colli": v.colli,
        "sizeX": v.sizeX,
        "sizeY": v.sizeY,
        "sizeZ": v.sizeZ,
        "sizeXValue": v.sizeXValue,
        "sizeYValue": v.sizeYValue,
        "sizeZValue": v.sizeZValue,
        "sizeUnit": v.sizeUnit,
        "matrix": False,
        "title": view.pick(v.titles),
        "taxType": v.taxType,
        "image": file_object(view, image) if image else False,
        "tax": view.ref("taxes", v.tax_id),
        "product": view.ref("products", v.product_id),
        "movements": view.link(f"variants/movements?variant={vid}"),
        "metafields": view.link(f"variants/{vid}/metafields"),
        "additionalcost": False,
        "options": variant_options(view, v),
    }


def file_object(view: View, image: Image) -> Obj:
    """The embedded file of ``product.image`` and ``variant.image``: an image without its id."""
    return {
        "createdAt": iso(image.created),
        "updatedAt": iso(image.updated),
        "extension": image.ext,
        "size": image.size,
        "title": image.title,
        "thumb": view.thumb(image),
        "src": view.src(image),
    }


def product_image(view: View, image: Image) -> Obj:
    return {"id": image.id, "sortOrder": image.sort_order, **file_object(view, image)}


def category(view: View, c: Category) -> Obj:
    chain = view.shop.category_chain(c)
    return {
        "id": c.id,
        "createdAt": iso(c.created),
        "updatedAt": iso(c.updated),
        "isVisible": c.is_visible,
        "depth": len(chain),
        "path": [str(x.id) for x in chain],
        "type": "category",
        "sortOrder": c.sort_order,
        "sorting": "popular",
        "url": view.text(c.texts, "url"),
        "title": view.text(c.texts, "title"),
        "fulltitle": view.text(c.texts, "fulltitle"),
        "description": view.text(c.texts, "description"),
        "content": view.text(c.texts, "content"),
        "image": file_object(view, c.image) if c.image else False,
        "parent": view.ref("categories", c.parent_id),
        "children": view.link(f"categories?parent={c.id}"),
        "products": view.link(f"categories/products?category={c.id}"),
    }


def category_link(view: View, link: CategoryLink) -> Obj:
    return {
        "id": link.id,
        "sortOrder": link.sort_order,
        "category": view.ref("categories", link.category_id),
        "product": view.ref("products", link.product_id),
    }


def tag(view: View, t: Tag) -> Obj:
    return {
        "id": t.id,
        "createdAt": iso(t.created),
        "updatedAt": iso(t.updated),
        "isVisible": t.is_visible,
        "url": view.text(t.texts, "url"),
        "title": view.text(t.texts, "title"),
        "products": view.link(f"tags/products?tag={t.id}"),
    }


def tag_link(view: View, link: TagLink) -> Obj:
    return {
        "id": link.id,
        "tag": view.ref("tags", link.tag_id),
        "product": view.ref("products", link.product_id),
    }


def brand(view: View, b: Brand) -> Obj:
    return {
        "id": b.id,
        "createdAt": iso(b.created),
        "updatedAt": iso(b.updated),
        "url": view.text(b.texts, "url"),
        "title": view.text(b.texts, "title"),
        "content": view.text(b.texts, "content"),
        "image": file_object(view, b.image) if b.image else False,
        "products": view.link(f"products?brand={b.id}"),
        "isVisible": b.is_visible,
    }


def deliverydate(view: View, d: DeliveryDate) -> Obj:
    return {
        "id": d.id,
        "createdAt": iso(d.created),
        "updatedAt": iso(d.updated),
        "name": view.text(d.texts, "name"),
        "inStockMessage": view.text(d.texts, "inStockMessage"),
        "outStockMessage": view.text(d.texts, "outStockMessage"),
    }


def supplier(view: View, s: Supplier) -> Obj:
    address = {name: s.address.get(name, "") for name in SUPPLIER_FIELDS}
    return {
        "id": s.id,
        "createdAt": iso(s.created),
        "updatedAt": iso(s.updated),
        "title": s.title,
        **address,
        "country_id": False,
    }


def redirect(view: View, r: Redirect) -> Obj:
    return {
        "id": r.id,
        "createdAt": iso(r.created),
        "updatedAt": iso(r.updated),
        "isPermanent": r.is_permanent,
        "url": r.url,
        "target": r.target,
    }


def metafield(view: View, m: Metafield) -> Obj:
    return {
        "id": m.id,
        "createdAt": iso(m.created),
        "updatedAt": iso(m.updated),
        "key": m.key,
        "value": m.value,
    }


def relation(view: View, r: Relation) -> Obj:
    return {"id": r.id, "sortOrder": r.sort_order, "relatedProduct": view.ref("products", r.related_id)}


def language(view: View, lang: Language) -> Obj:
    return {
        "id": lang.id,
        "isActive": True,
        "isDefault": lang.is_default,
        "code": lang.code,
        "locale": lang.locale,
        "title": lang.title,
    }


def filter_(view: View, f: Filter) -> Obj:
    return {
        "id": f.id,
        "createdAt": iso(f.created),
        "updatedAt": iso(f.updated),
        "title": view.text(f.texts, "title"),
        "position": f.sort_order,
        "isActive": True,
    }


def filter_value(view: View, value: FilterValue) -> Obj:
    return {
        "id": value.id,
        "createdAt": iso(value.created),
        "updatedAt": iso(value.updated),
        "title": view.text(value.texts, "title"),
        "position": value.sort_order,
    }


def filter_link(view: View, link: FilterLink) -> Obj:
    """``productFiltervalue``: the filter and the value, each a link to its resource."""
    return {
        "id": link.id,
        "filter": view.link(f"filters/{link.filter_id}", link.filter_id),
        "filtervalue": view.link(f"filters/{link.filter_id}/values/{link.value_id}", link.value_id),
    }


def product_type(view: View, t: ProductType) -> Obj:
    return {"id": t.id, "title": view.text(t.texts, "title"), "attributes": view.link(f"types/attributes?type={t.id}")}


def types_attribute(view: View, t: ProductType, link_id: int, attribute_id: int) -> Obj:
    order = next((n for n, (lid, _) in enumerate(t.attributes, start=1) if lid == link_id), 0)
    return {
        "id": link_id,
        "sortOrder": order,
        "type": view.ref("types", t.id),
        "attribute": view.ref("attributes", attribute_id),
    }


def attribute(view: View, a: Attribute) -> Obj:
    return {
        "id": a.id,
        "title": view.text(a.texts, "title"),
        "defaultValue": a.default_value,
        "types": view.link(f"types/attributes?attribute={a.id}"),
    }


def product_attribute(view: View, p: Product, a: Attribute) -> Obj:
    """``productAttribute``: its id is the attribute's; the attribute embedded."""
    return {"id": a.id, "value": p.attribute_values.get(a.id, ""), "attribute": attribute(view, a)}


def option_set(view: View, s: OptionSet) -> Obj:
    """A product's ``set``, embedded as the documentation's ``set.json`` has it."""
    return {
        "id": s.id,
        "createdAt": iso(s.created),
        "updatedAt": iso(s.updated),
        "name": s.name,
        "options": [
            {
                "id": o.id,
                "sortOrder": o.sort_order,
                "name": view.text(o.texts, "name"),
                "values": [
                    {"id": v.id, "sortOrder": v.sort_order, "name": view.text(v.texts, "name")} for v in o.values
                ],
            }
            for o in s.options
        ],
    }


def variant_options(view: View, v: Variant) -> list[Obj]:
    """A matrix variant's option/value pairs [I: the documentation shows only ``[]``]."""
    product = view.shop.products.get(v.product_id)
    found = view.shop.sets.get(product.set_id) if product is not None and product.set_id is not None else None
    out: list[Obj] = []
    for option_id, value_id in v.options:
        pair = found.value(option_id, value_id) if found is not None else None
        if pair is not None:
            option, value = pair
            name = view.text(option.texts, "name")
            out.append(
                {"id": option.id, "name": name, "value": {"id": value.id, "name": view.text(value.texts, "name")}}
            )
    return out
