"""Read-only resources: languages, the shop, its limits, the rate-limit account and the catalog."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ecomgit.emulator import render
from ecomgit.emulator.catalog import catalog_product
from ecomgit.emulator.model import Language, Product
from ecomgit.emulator.resources.base import Ctx, Obj, Owner, Resource, by_id, filter_by
from ecomgit.emulator.store import Shop
from ecomgit.emulator.timefmt import iso

_CURRENCIES = {
    "EUR": ("€", "Euro"),
    "USD": ("$", "United States Dollar"),
    "GBP": ("£", "British Pound"),
}
SHOP_LIMITS = {
    "maxBrands": 1000,
    "maxCategories": 2000,
    "maxDeliverydates": 50,
    "maxLanguages": 10,
    "maxProducts": 100000,
    "maxProductsCategories": 25,
    "maxProductsImages": 10,
    "maxProductsRelations": 5,
    "maxProductsTags": 25,
    "maxProductsVariants": 50,
    "maxSuppliers": 10,
    "maxTags": 1000,
    "maxWebhooks": 10,
    "hasTranslations": True,
}
_WINDOW_KEYS = ("limit5Min", "limitHour", "limitDay")


class Languages(Resource[Language]):
    singular = "language"
    plural = "languages"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[Language]:
        return sorted(ctx.shop.languages, key=lambda lang: lang.id)

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Language | None:
        return by_id(ctx.shop.languages, item_id)

    def render(self, ctx: Ctx, record: Language) -> Obj:
        return render.language(ctx.view, record)


class ShopResource(Resource[Shop]):
    singular = "shop"
    singleton = True

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Shop | None:
        return ctx.shop

    def render(self, ctx: Ctx, record: Shop) -> Obj:
        info = record.info
        symbol, title = _CURRENCIES.get(info.currency, (info.currency, info.currency))
        return {
            "id": str(info.id),
            "createdAt": iso(info.created),
            "status": "live",
            "isB2b": info.is_b2b,
            "isRetail": info.is_retail,
            "subDomain": info.main_domain.split(".")[0],
            "mainDomain": info.main_domain,
            "email": f"info@{info.main_domain}",
            "currency": {
                "shortcode": info.currency,
                "symbol": symbol,
                "title": title,
                "isDefault": True,
                "currencyRate": "1.000000",
            },
            "limits": ctx.view.link("shop/limits"),
            "metafields": ctx.view.link("shop/metafields"),
        }


class ShopLimits(Resource[Shop]):
    singular = "shopLimits"
    singleton = True

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Shop | None:
        return ctx.shop

    def render(self, ctx: Ctx, record: Shop) -> Obj:
        return dict(SHOP_LIMITS)


class AccountRatelimit(Resource[Shop]):
    singular = "accountRatelimit"
    singleton = True

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Shop | None:
        return ctx.shop

    def render(self, ctx: Ctx, record: Shop) -> Obj:
        windows = ctx.rate_status() if ctx.rate_status else []
        result: dict[str, Any] = {}
        for key, (limit, remaining, reset, reset_at) in zip(_WINDOW_KEYS, windows, strict=False):
            result[key] = {"limit": limit, "remaining": remaining, "reset": reset, "resetTime": iso(reset_at)}
        return result


class Catalog(Resource[Product]):
    """``/catalog.json``: products with variants, images, categories, brand etc. embedded."""

    singular = "product"
    plural = "products"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[Product]:
        return filter_by(ctx, ctx.shop.products.values(), {"brand": "brand_id"})

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Product | None:
        return ctx.shop.products.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: Product) -> Obj:
        return catalog_product(ctx.view, record)
