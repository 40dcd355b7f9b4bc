"""``/taxes``: the shop's tax classes (read-only here: set up in the back office)."""

from __future__ import annotations

from collections.abc import Iterable

from ecomgit.emulator.model import Tax
from ecomgit.emulator.resources.base import Ctx, Obj, Owner, Resource


class Taxes(Resource[Tax]):
    singular = "tax"
    plural = "taxes"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[Tax]:
        return ctx.shop.taxes.values()

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Tax | None:
        return ctx.shop.taxes.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: Tax) -> Obj:
        return {"id": record.id, "isDefault": record.is_default, "rate": record.rate, "title": record.title}
