"""``/sets``: the shop's option sets (read-only here: set up in the back office or by Retail)."""

from __future__ import annotations

from collections.abc import Iterable

from ecomgit.emulator import render
from ecomgit.emulator.model import OptionSet
from ecomgit.emulator.resources.base import Ctx, Obj, Owner, Resource


class Sets(Resource[OptionSet]):
    singular = "set"
    plural = "sets"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[OptionSet]:
        return ctx.shop.sets.values()

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> OptionSet | None:
        return ctx.shop.sets.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: OptionSet) -> Obj:
        return render.option_set(ctx.view, record)
