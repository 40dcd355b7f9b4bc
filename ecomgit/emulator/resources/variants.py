"""``/variants``: the full variant record, per-language titles, defaults, images, prices."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from ecomgit.emulator import render
from ecomgit.emulator.inputs import (
    boolean,
    choice,
    decimal_text,
    integer,
    number_of,
    optional_text,
    reference,
    text,
)
from ecomgit.emulator.model import Num, Product, Variant
from ecomgit.emulator.resources.base import Ctx, Obj, Owner, Resource, filter_by
from ecomgit.emulator.resources.images import Upload, store_upload
from ecomgit.emulator.wsgi import HttpError

INVALID_TITLE = "Invalid variant title"
_FILTERS = {"product": "product_id"}
_TEXT_FILTERS = {"sku": "sku", "ean": "ean", "articleCode": "articleCode", "article_code": "articleCode"}

Reader = Callable[[str, object], Any]
FIELDS: dict[str, Reader] = {
    "articleCode": text,
    "ean": text,
    "sku": text,
    "hs": optional_text,
    "unitPrice": number_of,
    "unitUnit": optional_text,
    "priceExcl": number_of,
    "priceIncl": number_of,
    "priceCost": number_of,
    "oldPriceExcl": number_of,
    "oldPriceIncl": number_of,
    "stockTracking": partial(choice, allowed=("enabled", "indicator", "disabled")),
    "stockLevel": integer,
    "stockAlert": integer,
    "stockMinimum": integer,
    "stockBuyMinimum": integer,
    "stockBuyMaximum": integer,
    "weight": number_of,
    "weightValue": decimal_text,
    "weightUnit": partial(choice, allowed=("g", "kg", "oz", "lb")),
    "volume": number_of,
    "volumeValue": number_of,
    "volumeUnit": partial(choice, allowed=("ml", "fl_oz", "oz")),
    "colli": number_of,
    "sizeX": number_of,
    "sizeY": number_of,
    "sizeZ": number_of,
    "sizeXValue": decimal_text,
    "sizeYValue": decimal_text,
    "sizeZValue": decimal_text,
    "sizeUnit": partial(choice, allowed=("cm", "in")),
    "taxType": partial(choice, allowed=("auto", None)),
}


class Variants(Resource[Variant]):
    singular = "variant"
    plural = "variants"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[Variant]:
        shop = ctx.shop
        product_id = ctx.query.get("product")
        rows: Iterable[Variant] = shop.variants.values()
        if product_id and product_id.isdigit():
            product = shop.products.get(int(product_id))
            rows = sorted(product.variants, key=lambda v: v.id) if product else []
        rows = filter_by(ctx, rows, _FILTERS)
        for param, attr in _TEXT_FILTERS.items():
            if param in ctx.query:
                rows = [v for v in rows if getattr(v, attr) == ctx.query[param]]
        return rows

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Variant | None:
        return ctx.shop.variants.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: Variant) -> Obj:
        return render.variant(ctx.view, record)

    def create(self, ctx: Ctx, owner: Owner, data: Obj) -> Variant:
        shop = ctx.shop
        if data.get("product") in (None, False, 0, ""):
            raise HttpError(400, "Invalid product: a new variant needs its product id.")
        product = shop.products[reference("product", data["product"], shop.products) or 0]
        title = _title(data.get("title"))
        sort_order = max((v.sort_order for v in product.variants), default=0) + 1
        variant = new_variant(
            ctx,
            product,
            dict.fromkeys(shop.language_codes, title),
            is_default=not product.variants,
            sort_order=sort_order,
        )
        apply_variant(ctx, variant, {k: v for k, v in data.items() if k != "title"})
        shop.add_variant(product, variant)
        return variant

    def update(self, ctx: Ctx, owner: Owner, record: Variant, data: Obj) -> None:
        apply_variant(ctx, record, data)
        ctx.shop.touch_variant(record)

    def delete(self, ctx: Ctx, owner: Owner, record: Variant) -> None:
        if len(ctx.shop.products[record.product_id].variants) == 1:
            raise HttpError(400, "A product needs at least one variant; delete the product instead.")
        ctx.shop.delete_variant(record)


def new_variant(
    ctx: Ctx, product: Product, titles: dict[str, str | None], *, is_default: bool, sort_order: int
) -> Variant:
    """A variant with the values a new variant gets: no price, no stock, the shop's units and tax class."""
    shop = ctx.shop
    now = shop.now()
    weight_unit, volume_unit, size_unit = default_units(shop.info.currency)
    tax = shop.default_tax()
    return Variant(
        id=shop.new_id(),
        created=now,
        updated=now,
        product_id=product.id,
        is_default=is_default,
        sort_order=sort_order,
        titles=titles,
        tax_id=tax.id if tax is not None else None,  # charged at the shop's default class
        weightUnit=weight_unit,
        volumeUnit=volume_unit,
        sizeUnit=size_unit,
    )


def default_units(currency: str) -> tuple[str, str, str]:
    return ("lb", "fl_oz", "in") if currency == "USD" else ("kg", "ml", "cm")


def _implied_rate(v: Variant) -> float | int:
    """The VAT rate the variant's prices imply (``0.21``): what a price sent alone is derived with."""
    rate = round(float(v.priceIncl) / float(v.priceExcl) - 1, 4)
    return int(rate) if rate == int(rate) else rate


def apply_variant(ctx: Ctx, variant: Variant, data: Obj) -> None:
    """Write the variant fields present in ``data``; unknown and read-only fields are ignored.

    Every value is checked before anything changes, so a refused write changes nothing.
    """
    values = {name: reader(name, data[name]) for name, reader in FIELDS.items() if name in data}
    title = _title(data["title"]) if "title" in data else None
    if "sortOrder" in data:
        values["sort_order"] = integer("sortOrder", data["sortOrder"])
    if "tax" in data:
        values["tax_id"] = None if data["tax"] in (None, False, 0, "") else integer("tax", data["tax"])
    image = _image(data["image"]) if "image" in data else _KEEP
    make_default = "isDefault" in data and boolean("isDefault", data["isDefault"])
    implied = _implied_rate(variant) if variant.priceExcl else None  # the rate its prices were made with
    for name, value in values.items():
        setattr(variant, name, value)
    rate = ctx.shop.tax_rate(variant) if "tax" in data or implied is None else implied
    _derive_prices(variant, data, rate)
    if title is not None:
        variant.titles[ctx.lang] = title
    if image is not _KEEP:
        product = ctx.shop.products[variant.product_id]
        variant.image_id = store_upload(ctx, product, image).id if isinstance(image, Upload) else None
    if make_default:  # clearing the flag is not possible: another variant must be made the default
        variant.is_default = True
        if variant.id in ctx.shop.variants:
            ctx.shop.make_default(variant)


_KEEP = object()


def _image(value: object) -> Upload | None:
    if value is None or value is False:
        return None
    if not isinstance(value, dict):
        raise HttpError(400, "Invalid image: expected {attachment, filename} or null.")
    return Upload.parse(value)


def _title(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise HttpError(400, INVALID_TITLE)
    return value


def _derive_prices(variant: Variant, data: Obj, rate: float) -> None:
    """One price of a pair sent alone: the other follows at the variant's current VAT rate."""
    rate = max(rate, 0.0)
    for excl, incl in (("priceExcl", "priceIncl"), ("oldPriceExcl", "oldPriceIncl")):
        if excl in data and incl not in data:
            setattr(variant, incl, _money(getattr(variant, excl) * (1 + rate)))
        elif incl in data and excl not in data:
            setattr(variant, excl, _money(getattr(variant, incl) / (1 + rate)))


def _money(value: float) -> Num:
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded
