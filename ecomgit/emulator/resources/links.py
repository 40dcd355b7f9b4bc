"""``/categories/products`` and ``/tags/products``: product links, addressed by link id."""

from __future__ import annotations

from collections.abc import Iterable

from ecomgit.emulator import render
from ecomgit.emulator.inputs import integer, reference
from ecomgit.emulator.model import CategoryLink, Product, TagLink
from ecomgit.emulator.resources.base import Ctx, Obj, Owner, Resource, filter_by
from ecomgit.emulator.wsgi import HttpError

_CATEGORY_FILTERS = {"product": "product_id", "category": "category_id"}
_TAG_FILTERS = {"product": "product_id", "tag": "tag_id"}


class CategoryLinks(Resource[CategoryLink]):
    singular = "categoriesProduct"
    plural = "categoriesProducts"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[CategoryLink]:
        return filter_by(ctx, ctx.shop.category_links.values(), _CATEGORY_FILTERS)

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> CategoryLink | None:
        return ctx.shop.category_links.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: CategoryLink) -> Obj:
        return render.category_link(ctx.view, record)

    def create(self, ctx: Ctx, owner: Owner, data: Obj) -> CategoryLink:
        product = _product(ctx, data)
        category_id = _required(reference("category", data.get("category"), ctx.shop.categories), "category")
        if any(link.category_id == category_id for link in product.category_links):
            raise HttpError(400, f"Product {product.id} is already in category {category_id}.")
        sort_order = integer("sortOrder", data["sortOrder"]) if "sortOrder" in data else 0
        return ctx.shop.link_category(product, category_id, sort_order)

    def update(self, ctx: Ctx, owner: Owner, record: CategoryLink, data: Obj) -> None:
        """The product's position in the category (``sortOrder``); the link itself does not move."""
        if "sortOrder" in data:
            record.sort_order = integer("sortOrder", data["sortOrder"])
        ctx.shop.touch_product(ctx.shop.products[record.product_id])

    def delete(self, ctx: Ctx, owner: Owner, record: CategoryLink) -> None:
        ctx.shop.unlink_category(record)

    def bulk(self, ctx: Ctx, owner: Owner, data: Obj) -> tuple[int, Obj]:
        """Link a product to several categories at once; answers every link to those categories."""
        product = _product(ctx, data)
        wanted = data.get("categories")
        if not isinstance(wanted, list):
            raise HttpError(400, "Invalid categories: expected a list of category ids.")
        ids = [_required(reference("categories", c, ctx.shop.categories), "categories") for c in wanted]
        existing = {link.category_id: link for link in product.category_links}
        links = [existing.get(cid) or ctx.shop.link_category(product, cid) for cid in dict.fromkeys(ids)]
        return 201, {self.plural: [self.render(ctx, link) for link in links]}


class TagLinks(Resource[TagLink]):
    singular = "tagsProduct"
    plural = "tagsProducts"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[TagLink]:
        return filter_by(ctx, ctx.shop.tag_links.values(), _TAG_FILTERS)

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> TagLink | None:
        return ctx.shop.tag_links.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: TagLink) -> Obj:
        return render.tag_link(ctx.view, record)

    def create(self, ctx: Ctx, owner: Owner, data: Obj) -> TagLink:
        product = _product(ctx, data)
        tag_id = _required(reference("tag", data.get("tag"), ctx.shop.tags), "tag")
        if any(link.tag_id == tag_id for link in product.tag_links):
            raise HttpError(400, f"Product {product.id} already has tag {tag_id}.")
        return ctx.shop.link_tag(product, tag_id)

    def delete(self, ctx: Ctx, owner: Owner, record: TagLink) -> None:
        ctx.shop.unlink_tag(record)


def _product(ctx: Ctx, data: Obj) -> Product:
    product_id = _required(reference("product", data.get("product"), ctx.shop.products), "product")
    return ctx.shop.products[product_id]


def _required(value: int | None, name: str) -> int:
    if value is None:
        raise HttpError(400, f"Invalid {name}: an id is required.")
    return value
