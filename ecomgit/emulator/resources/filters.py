"""Filters and their values (read-only here: set up in the back office), and a product's links to
filter values (``/products/{id}/filtervalues``: list, create, delete; there is no update)."""

from __future__ import annotations

from collections.abc import Iterable

from ecomgit.emulator import render
from ecomgit.emulator.inputs import integer
from ecomgit.emulator.model import Filter, FilterLink, FilterValue
from ecomgit.emulator.resources.base import Ctx, Obj, Owner, Resource, by_id, owner_product
from ecomgit.emulator.wsgi import HttpError


class Filters(Resource[Filter]):
    singular = "filter"
    plural = "filters"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[Filter]:
        return ctx.shop.filters.values()

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Filter | None:
        return ctx.shop.filters.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: Filter) -> Obj:
        return render.filter_(ctx.view, record)


class FilterValues(Resource[FilterValue]):
    """``/filters/{id}/values``: the values of one filter."""

    singular = "filterValue"
    plural = "filterValues"
    parent = "filters"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[FilterValue]:
        return _filter(owner).values

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> FilterValue | None:
        return by_id(_filter(owner).values, item_id)

    def render(self, ctx: Ctx, record: FilterValue) -> Obj:
        return render.filter_value(ctx.view, record)


class ProductFilterValues(Resource[FilterLink]):
    # the real API names the envelope ``productFiltervalue`` (sic), for one and for a list alike
    singular = "productFiltervalue"
    plural = "productFiltervalue"
    parent = "products"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[FilterLink]:
        return owner_product(owner).filter_links

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> FilterLink | None:
        return by_id(owner_product(owner).filter_links, item_id)

    def render(self, ctx: Ctx, record: FilterLink) -> Obj:
        return render.filter_link(ctx.view, record)

    def create(self, ctx: Ctx, owner: Owner, data: Obj) -> FilterLink:
        product = owner_product(owner)
        filter_id = integer("filter", data.get("filter"))
        value_id = integer("filtervalue", data.get("filtervalue"))
        if ctx.shop.filter_value(filter_id, value_id) is None:
            raise HttpError(400, f"Invalid filtervalue: filter {filter_id} has no value {value_id}.")
        if any(link.value_id == value_id and link.filter_id == filter_id for link in product.filter_links):
            raise HttpError(400, f"Invalid filtervalue: product {product.id} has value {value_id} already.")
        return ctx.shop.link_filter_value(product, filter_id, value_id)

    def delete(self, ctx: Ctx, owner: Owner, record: FilterLink) -> None:
        ctx.shop.unlink_filter_value(owner_product(owner), record)


def _filter(owner: Owner) -> Filter:
    assert isinstance(owner, Filter)
    return owner
