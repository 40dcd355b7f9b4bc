"""``/quantity_discounts``: tiered prices, shop-wide, filtered by ``product=`` or ``variant=``
(``product`` and ``variant`` are plain numbers here, not links); full CRUD."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ecomgit.emulator.inputs import boolean, integer, reference
from ecomgit.emulator.model import QuantityDiscount
from ecomgit.emulator.query import int_param
from ecomgit.emulator.resources.base import Ctx, Obj, Owner, Resource
from ecomgit.emulator.timefmt import iso
from ecomgit.emulator.wsgi import HttpError

_NONE = (None, False, 0, "")


class QuantityDiscounts(Resource[QuantityDiscount]):
    singular = "quantityDiscount"
    plural = "quantityDiscounts"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[QuantityDiscount]:
        product, variant = int_param(ctx.query, "product"), int_param(ctx.query, "variant")
        return [
            d
            for d in ctx.shop.quantity_discounts.values()
            if (product is None or d.product_id == product) and (variant is None or d.variant_id == variant)
        ]

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> QuantityDiscount | None:
        return ctx.shop.quantity_discounts.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: QuantityDiscount) -> Obj:
        return {
            "id": record.id,
            "createdAt": iso(record.created),
            "updatedAt": iso(record.updated),
            "product": record.product_id,
            "variant": record.variant_id or False,
            "quantity": record.quantity,
            "price": record.price,
            "percentage": record.percentage,
            "isPercentage": record.is_percentage,
            "customerGroup": record.customer_group or False,
            "startDate": record.start_date or False,
            "endDate": record.end_date or False,
        }

    def create(self, ctx: Ctx, owner: Owner, data: Obj) -> QuantityDiscount:
        product = reference("product", data.get("product"), ctx.shop.products)
        if product is None:
            raise HttpError(400, "Invalid product: a quantity discount belongs to a product.")
        now = ctx.shop.now()
        record = QuantityDiscount(ctx.shop.new_id(), now, now, product)
        self.update(ctx, None, record, data)
        ctx.shop.quantity_discounts[record.id] = record
        return record

    def update(self, ctx: Ctx, owner: Owner, record: QuantityDiscount, data: Obj) -> None:
        if "variant" in data:
            vid = reference("variant", data["variant"], ctx.shop.variants)
            if vid is not None and ctx.shop.variants[vid].product_id != record.product_id:
                raise HttpError(400, f"Invalid variant: {vid} is not a variant of product {record.product_id}.")
            record.variant_id = vid
        if "quantity" in data:
            record.quantity = integer("quantity", data["quantity"])
            if record.quantity < 1:
                raise HttpError(400, "Invalid quantity: expected 1 or more.")
        for name, attr in (("price", "price"), ("percentage", "percentage")):
            if name in data:
                setattr(record, attr, _number(name, data[name]))
        if "isPercentage" in data:
            record.is_percentage = boolean("isPercentage", data["isPercentage"])
        if "customerGroup" in data:
            record.customer_group = (
                None if data["customerGroup"] in _NONE else integer("customerGroup", data["customerGroup"])
            )
        for name, attr in (("startDate", "start_date"), ("endDate", "end_date")):
            if name in data:
                setattr(record, attr, _date(name, data[name]))
        record.updated = ctx.shop.now()

    def delete(self, ctx: Ctx, owner: Owner, record: QuantityDiscount) -> None:
        del ctx.shop.quantity_discounts[record.id]


def _number(name: str, value: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise HttpError(400, f"Invalid {name}: expected a number.")
    try:
        number = float(value)
    except ValueError:
        raise HttpError(400, f"Invalid {name}: expected a number.") from None
    return int(number) if number.is_integer() else number


def _date(name: str, value: Any) -> str | None:
    if value in _NONE:
        return None
    if not isinstance(value, str) or len(value) < 10 or value[4] != "-" or value[7] != "-":
        raise HttpError(400, f"Invalid {name}: expected a date such as 2026-06-01.")
    return value[:10]
