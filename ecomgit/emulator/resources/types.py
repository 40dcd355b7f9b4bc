"""Product types and their attributes (set up in the back office: read-only here), and a product's
attribute values (``/products/{id}/attributes``: list, get and update by attribute id; POST is not
allowed: a product has the attributes its ``type`` gives it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ecomgit.emulator import render
from ecomgit.emulator.inputs import text
from ecomgit.emulator.model import Attribute, Product, ProductType
from ecomgit.emulator.query import int_param
from ecomgit.emulator.resources.base import Ctx, Obj, Owner, Resource, owner_product


class Types(Resource[ProductType]):
    singular = "type"
    plural = "types"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[ProductType]:
        return ctx.shop.types.values()

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> ProductType | None:
        return ctx.shop.types.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: ProductType) -> Obj:
        return render.product_type(ctx.view, record)


@dataclass(frozen=True, slots=True)
class TypeLink:
    """``typesAttribute``: one attribute of one type."""

    id: int
    type: ProductType
    attribute_id: int


class TypesAttributes(Resource[TypeLink]):
    """``/types/attributes``, filtered by ``type=`` or ``attribute=``."""

    singular = "typesAttribute"
    plural = "typesAttributes"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[TypeLink]:
        kind, attribute = int_param(ctx.query, "type"), int_param(ctx.query, "attribute")
        return [
            link
            for link in _links(ctx)
            if (kind is None or link.type.id == kind) and (attribute is None or link.attribute_id == attribute)
        ]

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> TypeLink | None:
        return next((link for link in _links(ctx) if link.id == item_id), None)

    def render(self, ctx: Ctx, record: TypeLink) -> Obj:
        return render.types_attribute(ctx.view, record.type, record.id, record.attribute_id)


class Attributes(Resource[Attribute]):
    singular = "attribute"
    plural = "attributes"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[Attribute]:
        return ctx.shop.attributes.values()

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Attribute | None:
        return ctx.shop.attributes.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: Attribute) -> Obj:
        return render.attribute(ctx.view, record)


@dataclass(frozen=True, slots=True)
class Value:
    product: Product
    attribute: Attribute


class ProductAttributes(Resource[Value]):
    singular = "productAttribute"
    plural = "productAttributes"
    parent = "products"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[Value]:
        product = owner_product(owner)
        return [Value(product, a) for a in ctx.shop.type_attributes(product)]

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Value | None:
        product = owner_product(owner)
        return next((Value(product, a) for a in ctx.shop.type_attributes(product) if a.id == item_id), None)

    def render(self, ctx: Ctx, record: Value) -> Obj:
        return render.product_attribute(ctx.view, record.product, record.attribute)

    def update(self, ctx: Ctx, owner: Owner, record: Value, data: Obj) -> None:
        if "value" in data:
            record.product.attribute_values[record.attribute.id] = text("value", data["value"])
        ctx.shop.touch_product(record.product)


def _links(ctx: Ctx) -> list[TypeLink]:
    return [TypeLink(lid, kind, aid) for kind in ctx.shop.types.values() for lid, aid in kind.attributes]
