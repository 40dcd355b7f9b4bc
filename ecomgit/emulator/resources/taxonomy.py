"""Categories, tags, brands, delivery dates and suppliers: texts per language, full CRUD."""

from __future__ import annotations

from collections.abc import Iterable

from ecomgit.emulator import render
from ecomgit.emulator.inputs import boolean, integer, reference, text
from ecomgit.emulator.model import (
    BRAND_TEXTS,
    CATEGORY_TEXTS,
    DELIVERYDATE_TEXTS,
    SUPPLIER_FIELDS,
    TAG_TEXTS,
    Brand,
    Category,
    DeliveryDate,
    Redirect,
    Supplier,
    Tag,
)
from ecomgit.emulator.query import int_param
from ecomgit.emulator.resources.base import Ctx, Obj, Owner, Resource, blank_texts, write_texts
from ecomgit.emulator.text import slugify
from ecomgit.emulator.view import View
from ecomgit.emulator.wsgi import HttpError


class Categories(Resource[Category]):
    singular = "category"
    plural = "categories"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[Category]:
        rows = ctx.shop.categories.values()
        if "parent" not in ctx.query:
            return rows
        parent = int_param(ctx.query, "parent") or None  # parent=0: the top level
        return [c for c in rows if c.parent_id == parent]

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Category | None:
        return ctx.shop.categories.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: Category) -> Obj:
        return render.category(ctx.view, record)

    def create(self, ctx: Ctx, owner: Owner, data: Obj) -> Category:
        shop = ctx.shop
        now = shop.now()
        parent = reference("parent", data.get("parent"), shop.categories)
        siblings = [c.sort_order for c in shop.categories.values() if c.parent_id == parent]
        category = Category(
            shop.new_id(),
            now,
            now,
            parent,
            max(siblings, default=0) + 1,
            True,
            blank_texts(ctx, CATEGORY_TEXTS),
        )
        self.apply(ctx, category, {**data, "parent": parent}, everywhere=True)
        for code, texts in category.texts.items():
            if "fulltitle" not in data:
                texts["fulltitle"] = texts["title"]
            if "url" not in data:
                texts["url"] = _child_url(ctx, parent, code, texts["title"] or f"category-{category.id}")
        shop.categories[category.id] = category
        return category

    def update(self, ctx: Ctx, owner: Owner, record: Category, data: Obj) -> None:
        self.apply(ctx, record, data, everywhere=False)

    def apply(self, ctx: Ctx, record: Category, data: Obj, *, everywhere: bool) -> None:
        parent = record.parent_id
        if "parent" in data:
            parent = reference("parent", data["parent"], ctx.shop.categories)
            if parent is not None and record in ctx.shop.category_chain(ctx.shop.categories[parent]):
                raise HttpError(400, "Invalid parent: a category cannot be inside itself.")
        sort_order = integer("sortOrder", data["sortOrder"]) if "sortOrder" in data else record.sort_order
        visible = boolean("isVisible", data["isVisible"]) if "isVisible" in data else record.is_visible
        write_texts(ctx, record.texts, CATEGORY_TEXTS, data, everywhere=everywhere)
        record.parent_id, record.sort_order, record.is_visible = parent, sort_order, visible
        record.updated = ctx.shop.now()

    def delete(self, ctx: Ctx, owner: Owner, record: Category) -> None:
        ctx.shop.delete_category(record)


def _child_url(ctx: Ctx, parent_id: int | None, code: str, title: str) -> str:
    """A new category's path: its parent's path in that language, then its own slug."""
    slug = slugify(title) or "category"
    parent = ctx.shop.categories.get(parent_id) if parent_id is not None else None
    if parent is None:
        return slug
    view = View(ctx.shop, code, ctx.view.root)
    return f"{view.text(parent.texts, 'url')}/{slug}"


class Tags(Resource[Tag]):
    singular = "tag"
    plural = "tags"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[Tag]:
        return ctx.shop.tags.values()

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Tag | None:
        return ctx.shop.tags.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: Tag) -> Obj:
        return render.tag(ctx.view, record)

    def create(self, ctx: Ctx, owner: Owner, data: Obj) -> Tag:
        now = ctx.shop.now()
        tag = Tag(ctx.shop.new_id(), now, now, True, blank_texts(ctx, TAG_TEXTS))
        self.apply(ctx, tag, data, everywhere=True)
        _default_urls(tag.texts, data, f"tag-{tag.id}")
        ctx.shop.tags[tag.id] = tag
        return tag

    def update(self, ctx: Ctx, owner: Owner, record: Tag, data: Obj) -> None:
        self.apply(ctx, record, data, everywhere=False)

    def apply(self, ctx: Ctx, record: Tag, data: Obj, *, everywhere: bool) -> None:
        visible = boolean("isVisible", data["isVisible"]) if "isVisible" in data else record.is_visible
        write_texts(ctx, record.texts, TAG_TEXTS, data, everywhere=everywhere)
        record.is_visible = visible
        record.updated = ctx.shop.now()

    def delete(self, ctx: Ctx, owner: Owner, record: Tag) -> None:
        ctx.shop.delete_tag(record)


class Brands(Resource[Brand]):
    singular = "brand"
    plural = "brands"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[Brand]:
        return ctx.shop.brands.values()

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Brand | None:
        return ctx.shop.brands.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: Brand) -> Obj:
        return render.brand(ctx.view, record)

    def create(self, ctx: Ctx, owner: Owner, data: Obj) -> Brand:
        now = ctx.shop.now()
        brand = Brand(ctx.shop.new_id(), now, now, True, blank_texts(ctx, BRAND_TEXTS))
        self.apply(ctx, brand, data, everywhere=True)
        _default_urls(brand.texts, data, f"brand-{brand.id}")
        ctx.shop.brands[brand.id] = brand
        return brand

    def update(self, ctx: Ctx, owner: Owner, record: Brand, data: Obj) -> None:
        self.apply(ctx, record, data, everywhere=False)

    def apply(self, ctx: Ctx, record: Brand, data: Obj, *, everywhere: bool) -> None:
        visible = boolean("isVisible", data["isVisible"]) if "isVisible" in data else record.is_visible
        write_texts(ctx, record.texts, BRAND_TEXTS, data, everywhere=everywhere)
        record.is_visible = visible
        record.updated = ctx.shop.now()

    def delete(self, ctx: Ctx, owner: Owner, record: Brand) -> None:
        ctx.shop.delete_brand(record)


class DeliveryDates(Resource[DeliveryDate]):
    singular = "deliverydate"
    plural = "deliverydates"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[DeliveryDate]:
        return ctx.shop.deliverydates.values()

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> DeliveryDate | None:
        return ctx.shop.deliverydates.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: DeliveryDate) -> Obj:
        return render.deliverydate(ctx.view, record)

    def create(self, ctx: Ctx, owner: Owner, data: Obj) -> DeliveryDate:
        now = ctx.shop.now()
        record = DeliveryDate(ctx.shop.new_id(), now, now, blank_texts(ctx, DELIVERYDATE_TEXTS))
        self.apply(ctx, record, data, everywhere=True)
        ctx.shop.deliverydates[record.id] = record
        return record

    def update(self, ctx: Ctx, owner: Owner, record: DeliveryDate, data: Obj) -> None:
        self.apply(ctx, record, data, everywhere=False)

    def apply(self, ctx: Ctx, record: DeliveryDate, data: Obj, *, everywhere: bool) -> None:
        write_texts(ctx, record.texts, DELIVERYDATE_TEXTS, data, everywhere=everywhere)
        record.updated = ctx.shop.now()

    def delete(self, ctx: Ctx, owner: Owner, record: DeliveryDate) -> None:
        ctx.shop.delete_deliverydate(record)


class Suppliers(Resource[Supplier]):
    singular = "supplier"
    plural = "suppliers"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[Supplier]:
        return ctx.shop.suppliers.values()

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Supplier | None:
        return ctx.shop.suppliers.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: Supplier) -> Obj:
        return render.supplier(ctx.view, record)

    def create(self, ctx: Ctx, owner: Owner, data: Obj) -> Supplier:
        now = ctx.shop.now()
        record = Supplier(ctx.shop.new_id(), now, now, "")
        self.update(ctx, None, record, data)
        ctx.shop.suppliers[record.id] = record
        return record

    def update(self, ctx: Ctx, owner: Owner, record: Supplier, data: Obj) -> None:
        title = text("title", data["title"]) if "title" in data else record.title
        address = {name: text(name, data[name]) for name in SUPPLIER_FIELDS if name in data}
        record.title = title
        record.address.update(address)
        record.updated = ctx.shop.now()

    def delete(self, ctx: Ctx, owner: Owner, record: Supplier) -> None:
        ctx.shop.delete_supplier(record)


class Redirects(Resource[Redirect]):
    """``/redirects.json``: ``url`` the old path (``/fiets.html``), ``target`` where it goes now."""

    singular = "redirect"
    plural = "redirects"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[Redirect]:
        return ctx.shop.redirects.values()

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Redirect | None:
        return ctx.shop.redirects.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: Redirect) -> Obj:
        return render.redirect(ctx.view, record)

    def create(self, ctx: Ctx, owner: Owner, data: Obj) -> Redirect:
        now = ctx.shop.now()
        record = Redirect(ctx.shop.new_id(), now, now, "", "")
        self.update(ctx, None, record, {"isPermanent": True, **data})
        if not record.url or not record.target:
            raise HttpError(400, "Invalid redirect: url and target are required.")
        if any(other.url == record.url for other in ctx.shop.redirects.values()):
            raise HttpError(400, f"Invalid url: a redirect of {record.url} exists already.")
        ctx.shop.redirects[record.id] = record
        return record

    def update(self, ctx: Ctx, owner: Owner, record: Redirect, data: Obj) -> None:
        if "url" in data:
            url = text("url", data["url"])
            if not url.startswith("/"):
                raise HttpError(400, "Invalid url: expected a path that starts with /.")
            record.url = url
        if "target" in data:
            record.target = text("target", data["target"])
        if "isPermanent" in data:
            record.is_permanent = boolean("isPermanent", data["isPermanent"])
        record.updated = ctx.shop.now()

    def delete(self, ctx: Ctx, owner: Owner, record: Redirect) -> None:
        del ctx.shop.redirects[record.id]


def _default_urls(texts: dict[str, dict[str, str | None]], data: Obj, fallback: str) -> None:
    if "url" in data:
        return
    for lang_texts in texts.values():
        lang_texts["url"] = slugify(lang_texts.get("title") or "") or fallback
