"""The shape of mirror files: key order, translatable fields, sort keys (docs/mirror-format.md)."""

from __future__ import annotations

PRODUCT_TEXTS = ("title", "fulltitle", "description", "content", "url")
VARIANT_TEXTS = ("title",)
CATEGORY_TEXTS = ("title", "fulltitle", "description", "content", "url")
TAG_TEXTS = ("title", "url")
BRAND_TEXTS = ("title", "content", "url")
DELIVERYDATE_TEXTS = ("name", "inStockMessage", "outStockMessage")

PRODUCT_KEYS = (
    "id",
    "visibility",
    "isFeatured",
    *PRODUCT_TEXTS,
    "data01",
    "data02",
    "data03",
    "brand",
    "supplier",
    "deliverydate",
    "categories",
    "tags",
    "filters",
    "type",
    "attributes",
    "set",
    "images",
    "variants",
    "quantityDiscounts",
    "metafields",
    "relations",
)
VARIANT_KEYS = (
    "id",
    "isDefault",
    "sortOrder",
    "title",
    "articleCode",
    "ean",
    "sku",
    "hs",
    "tax",
    "taxType",
    "priceExcl",
    "priceIncl",
    "priceCost",
    "oldPriceExcl",
    "oldPriceIncl",
    "unitPrice",
    "unitUnit",
    "stockTracking",
    "stockAlert",
    "stockMinimum",
    "stockBuyMinimum",
    "stockBuyMaximum",
    "weight",
    "weightValue",
    "weightUnit",
    "volume",
    "volumeValue",
    "volumeUnit",
    "colli",
    "sizeX",
    "sizeY",
    "sizeZ",
    "sizeXValue",
    "sizeYValue",
    "sizeZValue",
    "sizeUnit",
    "image",
    "options",
    "metafields",
)
IMAGE_KEYS = ("file", "title", "id", "fileId")  # title: the image's own (alt) text in the shop
REF_KEYS = {
    "brand": ("id", "title"),
    "supplier": ("id", "title"),
    "deliverydate": ("id", "name"),
    "categories": ("id", "url", "sortOrder"),  # sortOrder: the product's position in it
    "tags": ("id", "title"),
}
METAFIELD_KEYS = ("key", "id", "value")
RELATION_KEYS = ("id", "product", "sortOrder")

# product keys added after the first mirror format: a file an older version wrote may lack them (the
# next sync adds them); a write leaves the shop's value alone while the file says nothing
LATER_PRODUCT_KEYS = ("isFeatured", "filters", "type", "attributes", "set", "quantityDiscounts")
SET_KEYS = ("id", "name")  # a matrix product's option set: {id, name} or null
OPTION_KEYS = ("option", "value")  # a variant's option/value pair: {option: {id, name}, value: {id, name}}
FILTER_KEYS = ("filter", "value")  # a product's filter value: {filter: {id, title}, value: {id, title}}
FILTER_REF_KEYS = ("id", "title")
TYPE_KEYS = ("id", "title")  # the product's type: {id, title} or null
ATTRIBUTE_KEYS = ("id", "title", "value")
# a tiered price: from `quantity` on, `price` each (or `percentage` off), for `variant` (null: every
# variant) and `customerGroup` (null: everyone), between the dates (null: open)
QUANTITY_DISCOUNT_KEYS = (
    "id",
    "variant",
    "quantity",
    "price",
    "percentage",
    "isPercentage",
    "customerGroup",
    "startDate",
    "endDate",
)  # a value of one of its type's attributes (the id is the attribute's)

# a customer's review (reviews.yaml): `date` is when it was posted, `language` its language code
REVIEW_KEYS = ("id", "date", "score", "name", "language", "visible", "content")

SHOP_KEYS = ("id", "mainDomain", "isRetail", "isB2b", "currency", "languages")
LANGUAGE_KEYS = ("id", "code", "locale", "title", "isDefault")
CATEGORY_KEYS = ("id", "parent", "sortOrder", "isVisible", *CATEGORY_TEXTS)
TAG_KEYS = ("id", "isVisible", *TAG_TEXTS)
BRAND_KEYS = ("id", "isVisible", *BRAND_TEXTS)
DELIVERYDATE_KEYS = ("id", *DELIVERYDATE_TEXTS)

# Shop-level lists: file name under shop/ (and API resource) -> key order, translatable keys.
SHOP_LISTS = {
    "categories": (CATEGORY_KEYS, CATEGORY_TEXTS),
    "tags": (TAG_KEYS, TAG_TEXTS),
    "brands": (BRAND_KEYS, BRAND_TEXTS),
    "deliverydates": (DELIVERYDATE_KEYS, DELIVERYDATE_TEXTS),
}

ENUMS = {
    "visibility": ("visible", "hidden", "auto"),
    "stockTracking": ("enabled", "indicator", "disabled"),
    "weightUnit": ("g", "kg", "oz", "lb"),
    "volumeUnit": ("ml", "fl_oz", "oz"),
    "sizeUnit": ("cm", "in"),
}

# Variant fields the sync may leave out unless the config asks for them (private to some teams).
OPTIONAL_VARIANT_FIELDS = ("priceCost",)
