"""Read-only resources: languages, the shop, its limits, the rate-limit account and the catalog."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ecomgit.emulator import render
from ecomgit.emulator.catalog import catalog_product
from ecomgit.emulator.model import COMPANY, COUNTRY, Language, Product
from ecomgit.emulator.resources.base import Ctx, Obj, Owner, Resource, by_id, filter_by
from ecomgit.emulator.resources.products import visible_only
from ecomgit.emulator.store import Shop
from ecomgit.emulator.timefmt import iso

_CURRENCIES = {
    "EUR": ("€", "Euro"),
    "USD": ("$", "United States Dollar"),
    "GBP": ("£", "British Pound"),
}
SHOP_LIMITS = {  # the documented fields (shopLimits.json); maxProducts raised for the 10 000-product benchmark
    "maxAttributes": 200,
    "maxBrands": 1000,
    "maxCategories": 2000,
    "maxCurrencies": 10,
    "maxDeliverydates": 50,
    "maxDomainNames": 10,
    "maxDomainForwards": 10,
    "maxEmailAccounts": 10,
    "maxEmailForwards": 10,
    "maxFiles": 250,
    "maxFilesSize": 50,
    "maxFilters": 5,
    "maxFiltersValues": 15,
    "maxGroups": 50,
    "maxGroupsCustomers": 1000,
    "maxLanguages": 10,
    "maxProducts": 100000,
    "maxProductsCategories": 25,
    "maxProductsFiltersValues": 15,
    "maxProductsImages": 10,
    "maxProductsRelations": 5,
    "maxProductsTags": 25,
    "maxProductsVariants": 50,
    "maxRedirects": 500,
    "maxReviews": 100,
    "maxSuppliers": 10,
    "maxUserAccounts": 0,
    "maxTags": 1000,
    "maxTaxes": 10,
    "maxTextpages": 20,
    "maxTypes": 50,
    "maxTypesAttributes": 100,
    "maxWebhooks": 10,
    "hasB2b": False,
    "hasCopyright": True,
    "hasFilters": True,
    "hasMultishop": False,
    "hasTemplateEditor": True,
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
            "id": info.id,  # a number (the documentation's example shows a string; real answers do not)
            "createdAt": iso(info.created),
            "status": "live",
            "isB2b": info.is_b2b,
            "isRetail": info.is_retail,
            "subDomain": info.main_domain.split(".")[0],
            "mainDomain": info.main_domain,
            "email": f"info@{info.main_domain}",
            **{key: info.company.get(key, "") for key in COMPANY},
            "country": dict(COUNTRY),
            "currency": {
                "shortcode": info.currency,
                "symbol": symbol,
                "title": title,
                "isDefault": True,
                "currencyRate": "1.000000",
            },
            "company": ctx.view.link("shop/company"),
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
        return visible_only(ctx, filter_by(ctx, ctx.shop.products.values(), {"brand": "brand_id"}))

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Product | None:
        return ctx.shop.products.get(item_id) if item_id is not None else None

    def render(self, ctx: Ctx, record: Product) -> Obj:
        return catalog_product(ctx.view, record)
