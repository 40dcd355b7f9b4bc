"""``/products``: list, count, get, create (with its default variant), partial update, delete."""

from __future__ import annotations

from collections.abc import Iterable

from ecomgit.emulator import render
from ecomgit.emulator.inputs import boolean, choice, reference, text
from ecomgit.emulator.model import PRODUCT_TEXTS, Product
from ecomgit.emulator.resources.base import (
    Ctx,
    Obj,
    Owner,
    Resource,
    blank_texts,
    filter_by,
    read_texts,
    write_texts,
)
from ecomgit.emulator.resources.variants import new_variant
from ecomgit.emulator.text import slugify
from ecomgit.emulator.wsgi import HttpError

VISIBILITIES = ("visible", "hidden", "auto")
_FILTERS = {"brand": "brand_id", "supplier": "supplier_id", "deliverydate": "deliverydate_id"}


class Products(Resource[Product]):
    singular = "product"
    plural = "products"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[Product]:
        return visible_only(ctx, filter_by(ctx, ctx.shop.products.values(), _FILTERS))

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Product | None:
        return ctx.shop.products.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: Product) -> Obj:
        return render.product(ctx.view, record)

    def create(self, ctx: Ctx, owner: Owner, data: Obj) -> Product:
        shop = ctx.shop
        now = shop.now()
        product = Product(shop.new_id(), now, now, "visible", blank_texts(ctx, PRODUCT_TEXTS))
        apply_product(ctx, product, data, everywhere=True)
        for texts in product.texts.values():
            if "fulltitle" not in data:
                texts["fulltitle"] = texts["title"]
            if "url" not in data:
                texts["url"] = slugify(texts["title"] or "") or f"product-{product.id}"
        shop.add_product(product)
        titles: dict[str, str | None] = dict.fromkeys(shop.language_codes, "Default")
        shop.add_variant(product, new_variant(ctx, product, titles, is_default=True, sort_order=1))
        return product

    def update(self, ctx: Ctx, owner: Owner, record: Product, data: Obj) -> None:
        apply_product(ctx, record, data, everywhere=False)
        ctx.shop.touch_product(record)

    def delete(self, ctx: Ctx, owner: Owner, record: Product) -> None:
        ctx.shop.delete_product(record)


def visible_only(ctx: Ctx, rows: Iterable[Product]) -> Iterable[Product]:
    """``isVisible=true|false``: the products shown (or not) in the shop, as ``isVisible`` says."""
    wanted = ctx.query.get("isVisible")
    if wanted is None:
        return rows
    if wanted not in ("true", "false", "1", "0"):
        raise HttpError(400, f"Invalid value for 'isVisible': {wanted!r}.")
    return [p for p in rows if render.is_visible(p) == (wanted in ("true", "1"))]


def apply_product(ctx: Ctx, product: Product, data: Obj, *, everywhere: bool) -> None:
    """Write the product fields present in ``data`` (a PUT is partial); all or nothing."""
    changes = _product_changes(ctx, data)
    write_texts(ctx, product.texts, PRODUCT_TEXTS, data, everywhere=everywhere)
    for name, value in changes.items():
        if name == "type":
            if value != product.type_id:
                ctx.shop.set_type(product, value if isinstance(value, int) else None)
            continue
        setattr(product, name, value)


def _product_changes(ctx: Ctx, data: Obj) -> dict[str, object]:
    """The checked new values of the product's attributes; raises 400 before anything changes."""
    shop = ctx.shop
    changes: dict[str, object] = {}
    if "visibility" in data:
        changes["visibility"] = choice("visibility", data["visibility"], VISIBILITIES)
    elif "isVisible" in data:
        changes["visibility"] = "visible" if boolean("isVisible", data["isVisible"]) else "hidden"
    if "isFeatured" in data:
        changes["is_featured"] = boolean("isFeatured", data["isFeatured"])
    for name in ("data01", "data02", "data03"):
        if name in data:
            changes[name] = text(name, data[name])
    for name, table in (("brand", shop.brands), ("supplier", shop.suppliers), ("deliverydate", shop.deliverydates)):
        if name in data:
            changes[f"{name}_id"] = reference(name, data[name], table)
    if "type" in data:
        changes["type"] = reference("type", data["type"], shop.types)
    if "set" in data:
        changes["set_id"] = reference("set", data["set"], shop.sets)
    read_texts(PRODUCT_TEXTS, data)
    return changes
