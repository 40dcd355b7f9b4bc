"""Per-owner collections: product and variant metafields, product relations, the variant image."""

from __future__ import annotations

from collections.abc import Iterable

from ecomgit.emulator import render
from ecomgit.emulator.inputs import integer, reference, text
from ecomgit.emulator.model import Metafield, Product, Relation, Variant
from ecomgit.emulator.resources.base import (
    Ctx,
    Obj,
    Owner,
    Resource,
    by_id,
    owner_product,
    owner_variant,
)
from ecomgit.emulator.resources.images import upload_image
from ecomgit.emulator.wsgi import HttpError


class ProductMetafields(Resource[Metafield]):
    singular = "productMetafield"
    plural = "productMetafields"
    parent = "products"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[Metafield]:
        return _owned(owner)

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Metafield | None:
        return by_id(_owned(owner), item_id)

    def render(self, ctx: Ctx, record: Metafield) -> Obj:
        return render.metafield(ctx.view, record)

    def create(self, ctx: Ctx, owner: Owner, data: Obj) -> Metafield:
        assert isinstance(owner, Product | Variant)
        key = _key(data.get("key"))
        if any(m.key == key for m in owner.metafields):
            raise HttpError(400, f"Invalid key: metafield {key!r} exists already.")
        now = ctx.shop.now()
        metafield = Metafield(ctx.shop.new_id(), now, now, key, _value(data.get("value")))
        ctx.shop.add_metafield(owner, metafield)
        return metafield

    def update(self, ctx: Ctx, owner: Owner, record: Metafield, data: Obj) -> None:
        assert isinstance(owner, Product | Variant)
        key = _key(data["key"]) if "key" in data else record.key
        if any(m.key == key and m is not record for m in owner.metafields):
            raise HttpError(400, f"Invalid key: metafield {key!r} exists already.")
        record.value = _value(data["value"]) if "value" in data else record.value
        record.key = key
        record.updated = ctx.shop.now()
        ctx.shop.touch_owner(owner)

    def delete(self, ctx: Ctx, owner: Owner, record: Metafield) -> None:
        assert isinstance(owner, Product | Variant)
        ctx.shop.delete_metafield(owner, record)


class VariantMetafields(ProductMetafields):
    singular = "variantMetafield"
    plural = "variantMetafields"
    parent = "variants"


def _owned(owner: Owner) -> list[Metafield]:
    assert isinstance(owner, Product | Variant)
    return owner.metafields


def _value(value: object) -> str:
    return "" if value is None else text("value", value)


def _key(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise HttpError(400, "Invalid key: a metafield needs a non-empty key.")
    return value


class Relations(Resource[Relation]):
    singular = "productRelation"
    plural = "productRelations"
    parent = "products"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[Relation]:
        return owner_product(owner).relations

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Relation | None:
        return by_id(owner_product(owner).relations, item_id)

    def render(self, ctx: Ctx, record: Relation) -> Obj:
        return render.relation(ctx.view, record)

    def create(self, ctx: Ctx, owner: Owner, data: Obj) -> Relation:
        product = owner_product(owner)
        related = reference("relatedProduct", data.get("relatedProduct"), ctx.shop.products)
        if related is None or related == product.id:
            raise HttpError(400, "Invalid relatedProduct: the id of another product is required.")
        if any(r.related_id == related for r in product.relations):
            raise HttpError(400, f"Invalid relatedProduct: {related} is related already.")
        default_order = max((r.sort_order for r in product.relations), default=-1) + 1
        sort_order = integer("sortOrder", data["sortOrder"]) if "sortOrder" in data else default_order
        relation = Relation(ctx.shop.new_id(), related, sort_order)
        ctx.shop.add_relation(product, relation)
        return relation

    def update(self, ctx: Ctx, owner: Owner, record: Relation, data: Obj) -> None:
        if "sortOrder" in data:
            record.sort_order = integer("sortOrder", data["sortOrder"])
        ctx.shop.touch_product(owner_product(owner))

    def delete(self, ctx: Ctx, owner: Owner, record: Relation) -> None:
        ctx.shop.delete_relation(owner_product(owner), record)


class VariantImage(Resource[Variant]):
    """``/variants/{id}/image``: the variant's image; POST uploads a new product image for it."""

    singular = "variantImage"
    plural = "variantImages"
    parent = "variants"
    singleton = True

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Variant | None:
        variant = owner_variant(owner)
        return variant if variant.image_id in ctx.shop.images else None

    def render(self, ctx: Ctx, record: Variant) -> Obj:
        assert record.image_id is not None
        return render.file_object(ctx.view, ctx.shop.images[record.image_id])

    def create(self, ctx: Ctx, owner: Owner, data: Obj) -> Variant:
        variant = owner_variant(owner)
        variant.image_id = upload_image(ctx, ctx.shop.products[variant.product_id], data).id
        ctx.shop.touch_variant(variant)
        return variant

    def delete(self, ctx: Ctx, owner: Owner, record: Variant) -> None:
        record.image_id = None
        ctx.shop.touch_variant(record)
