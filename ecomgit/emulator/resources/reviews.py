"""``/reviews``: customers' reviews, shop-wide, filtered by ``product=``; a review is posted (the
shop dates it now), shown or hidden, deleted; its words are the customer's."""

from __future__ import annotations

from collections.abc import Iterable

from ecomgit.emulator.inputs import boolean, integer, reference, text
from ecomgit.emulator.model import Review
from ecomgit.emulator.query import int_param
from ecomgit.emulator.resources.base import Ctx, Obj, Owner, Resource
from ecomgit.emulator.timefmt import iso
from ecomgit.emulator.wsgi import HttpError


class Reviews(Resource[Review]):
    singular = "review"
    plural = "reviews"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[Review]:
        product = int_param(ctx.query, "product")
        return [r for r in ctx.shop.reviews.values() if product is None or r.product_id == product]

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Review | None:
        return ctx.shop.reviews.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: Review) -> Obj:
        language = next((lang for lang in ctx.shop.languages if lang.code == record.language), None)
        return {
            "id": record.id,
            "createdAt": iso(record.created),
            "updatedAt": iso(record.updated),
            "isVisible": record.is_visible,
            "score": record.score,
            "name": record.name,
            "content": record.content,
            "customer": False,
            "language": (
                {"id": language.id, "code": language.code, "locale": language.locale, "title": language.title}
                if language
                else False
            ),
            "product": ctx.view.ref("products", record.product_id),
        }

    def create(self, ctx: Ctx, owner: Owner, data: Obj) -> Review:
        product = reference("product", data.get("product"), ctx.shop.products)
        if product is None:
            raise HttpError(400, "Invalid product: a review is of a product.")
        now = ctx.shop.now()
        record = Review(ctx.shop.new_id(), now, now, product, language=ctx.lang)
        self.update(ctx, None, record, data)
        ctx.shop.reviews[record.id] = record
        return record

    def update(self, ctx: Ctx, owner: Owner, record: Review, data: Obj) -> None:
        if "score" in data:
            record.score = integer("score", data["score"])
            if not 1 <= record.score <= 5:
                raise HttpError(400, "Invalid score: expected 1 to 5.")
        for name in ("name", "content"):
            if name in data:
                setattr(record, name, text(name, data[name]))
        if "isVisible" in data:
            record.is_visible = boolean("isVisible", data["isVisible"])
        if "language" in data:
            code = text("language", data["language"])
            if code not in ctx.shop.language_codes:
                raise HttpError(400, f"Invalid language: {code!r} is not a language of the shop.")
            record.language = code
        record.updated = ctx.shop.now()

    def delete(self, ctx: Ctx, owner: Owner, record: Review) -> None:
        del ctx.shop.reviews[record.id]
