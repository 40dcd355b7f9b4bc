"""The API resources the emulator serves, by their path below the language segment."""

from __future__ import annotations

from typing import Any

from ecomgit.emulator.resources.base import Ctx, Resource
from ecomgit.emulator.resources.children import (
    ProductMetafields,
    Relations,
    VariantImage,
    VariantMetafields,
)
from ecomgit.emulator.resources.discounts import QuantityDiscounts
from ecomgit.emulator.resources.filters import Filters, FilterValues, ProductFilterValues
from ecomgit.emulator.resources.images import ProductImages
from ecomgit.emulator.resources.links import CategoryLinks, TagLinks
from ecomgit.emulator.resources.products import Products
from ecomgit.emulator.resources.reviews import Reviews
from ecomgit.emulator.resources.sets import Sets
from ecomgit.emulator.resources.shopinfo import (
    AccountRatelimit,
    Catalog,
    Languages,
    ShopLimits,
    ShopResource,
)
from ecomgit.emulator.resources.taxes import Taxes
from ecomgit.emulator.resources.taxonomy import Brands, Categories, DeliveryDates, Redirects, Suppliers, Tags
from ecomgit.emulator.resources.types import Attributes, ProductAttributes, Types, TypesAttributes
from ecomgit.emulator.resources.variants import Variants
from ecomgit.emulator.resources.webhooks import Webhooks

REGISTRY: dict[str, Resource[Any]] = {
    "languages": Languages(),
    "shop": ShopResource(),
    "shop/limits": ShopLimits(),
    "account/ratelimit": AccountRatelimit(),
    "catalog": Catalog(),
    "products": Products(),
    "products/images": ProductImages(),
    "products/metafields": ProductMetafields(),
    "products/relations": Relations(),
    "products/filtervalues": ProductFilterValues(),
    "products/attributes": ProductAttributes(),
    "types": Types(),
    "types/attributes": TypesAttributes(),
    "attributes": Attributes(),
    "filters": Filters(),
    "filters/values": FilterValues(),
    "variants": Variants(),
    "variants/metafields": VariantMetafields(),
    "variants/image": VariantImage(),
    "categories": Categories(),
    "categories/products": CategoryLinks(),
    "tags": Tags(),
    "tags/products": TagLinks(),
    "brands": Brands(),
    "deliverydates": DeliveryDates(),
    "suppliers": Suppliers(),
    "redirects": Redirects(),
    "quantity_discounts": QuantityDiscounts(),
    "reviews": Reviews(),
    "taxes": Taxes(),
    "sets": Sets(),
    "webhooks": Webhooks(),
}

__all__ = ["REGISTRY", "Ctx", "Resource"]
