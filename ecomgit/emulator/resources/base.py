"""What every API resource provides, and the request context handed to it.

A resource is a small class: how to list, find, render, create, update and delete its records.
The generic parts (envelopes, paging, counts, status codes) live in :mod:`.dispatch`; a method a
resource does not support answers 405, like the real API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from ecomgit.emulator.inputs import optional_text
from ecomgit.emulator.model import Filter, Product, Texts, Variant
from ecomgit.emulator.query import int_param
from ecomgit.emulator.store import Shop
from ecomgit.emulator.view import View
from ecomgit.emulator.wsgi import HttpError

R = TypeVar("R")
Owner = Product | Variant | Filter | None
Obj = dict[str, Any]


@dataclass(slots=True)
class Ctx:
    shop: Shop
    view: View
    query: Mapping[str, str]
    rate_status: Callable[[], list[tuple[int, int, int, int]]] | None = None
    secret: str = ""  # the API secret the request was made with (a new webhook signs with it)

    @property
    def lang(self) -> str:
        return self.view.lang


def not_allowed() -> HttpError:
    return HttpError(405, "Method not allowed.")


class Resource(Generic[R]):
    singular: ClassVar[str] = ""
    plural: ClassVar[str] = ""
    parent: ClassVar[str | None] = None  # "products" or "variants" for nested resources
    singleton: ClassVar[bool] = False

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[R]:
        raise not_allowed()

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> R | None:
        raise not_allowed()

    def render(self, ctx: Ctx, record: R) -> Obj:
        raise not_allowed()

    def create(self, ctx: Ctx, owner: Owner, data: Obj) -> R:
        raise not_allowed()

    def update(self, ctx: Ctx, owner: Owner, record: R, data: Obj) -> None:
        raise not_allowed()

    def delete(self, ctx: Ctx, owner: Owner, record: R) -> None:
        raise not_allowed()

    def bulk(self, ctx: Ctx, owner: Owner, data: Obj) -> tuple[int, Obj]:
        raise not_allowed()


def supports(resource: Resource[Any], operation: str) -> bool:
    """Whether the resource implements ``operation`` ("create", "update", "delete", "bulk")."""
    return getattr(type(resource), operation) is not getattr(Resource, operation)


def filter_by(ctx: Ctx, rows: Iterable[R], params: Mapping[str, str]) -> Iterable[R]:
    """Keep rows whose attribute equals the integer query parameter (``brand=5`` → ``brand_id``)."""
    wanted = {attr: int_param(ctx.query, name) for name, attr in params.items() if name in ctx.query}
    if not wanted:
        return rows
    return [row for row in rows if all(getattr(row, a) == v for a, v in wanted.items())]


def write_texts(ctx: Ctx, texts: Texts, names: Iterable[str], data: Obj, *, everywhere: bool) -> None:
    """Store the translatable fields in ``data``: in the request's language, or in all of them."""
    values = read_texts(names, data)
    for code in ctx.shop.language_codes if everywhere else [ctx.lang]:
        texts.setdefault(code, {}).update(values)


def read_texts(names: Iterable[str], data: Obj) -> dict[str, str | None]:
    """The translatable fields present in ``data``, checked (``null``/``false`` mean none)."""
    return {name: optional_text(name, data[name]) for name in names if name in data}


def blank_texts(ctx: Ctx, names: Iterable[str]) -> Texts:
    return {code: {name: "" for name in names} for code in ctx.shop.language_codes}


def owner_product(owner: Owner) -> Product:
    assert isinstance(owner, Product)
    return owner


def owner_variant(owner: Owner) -> Variant:
    assert isinstance(owner, Variant)
    return owner


def by_id(rows: Iterable[R], item_id: int | None) -> R | None:
    return next((row for row in rows if getattr(row, "id", None) == item_id), None)
