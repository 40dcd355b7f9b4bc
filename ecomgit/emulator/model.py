"""The records of the emulated shop: compact slotted dataclasses, one per API resource.

Timestamps are integer Unix seconds (the API has second precision). Translatable texts are kept
per language as ``{code: {field: text}}``; a text of ``None`` is what the API calls ``false``.
Variant attributes that the API sends unchanged carry the API's own (camelCase) names, so the wire
mapping is the table :data:`VARIANT_SCALARS` instead of forty hand-written lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

Text = str | None
Texts = dict[str, dict[str, Text]]
Num = int | float

PRODUCT_TEXTS = ("title", "fulltitle", "description", "content", "url")
CATEGORY_TEXTS = ("title", "fulltitle", "description", "content", "url")
TAG_TEXTS = ("title", "url")
BRAND_TEXTS = ("title", "content", "url")
DELIVERYDATE_TEXTS = ("name", "inStockMessage", "outStockMessage")
SUPPLIER_FIELDS = (
    "attention_of",
    "street",
    "street2",
    "number",
    "extension",
    "zip_code",
    "city",
    "region",
)


@dataclass(slots=True)
class Language:
    id: int
    code: str
    locale: str
    title: str
    is_default: bool


COMPANY = {
    "phone": "050-123 45 67",
    "fax": "",
    "street": "Oosterstraat 12",
    "street2": "",
    "zipcode": "9711 NV",
    "city": "Groningen",
    "region": "Groningen",
    "vatNumber": "NL001234567B01",
    "cocNumber": "01234567",
    "industry": "sports",
}
COUNTRY = {"id": 150, "code": "nl", "code3": "nld", "title": "Nederland"}


@dataclass(slots=True)
class ShopInfo:
    id: int
    main_domain: str = "shop.emulator.test"
    is_retail: bool = False
    is_b2b: bool = False
    currency: str = "EUR"
    created: int = 0
    company: dict[str, str] = field(default_factory=lambda: dict(COMPANY))  # /shop.json's address fields


@dataclass(slots=True)
class Metafield:
    id: int
    created: int
    updated: int
    key: str
    value: str


@dataclass(slots=True)
class Relation:
    id: int
    related_id: int
    sort_order: int


@dataclass(slots=True)
class Image:
    """A product image; ``data`` is its bytes, a file to read them from, or ``None`` (generated).

    ``host``: the host its ``src`` names instead of the emulator's own CDN (a shop whose image
    URLs point elsewhere, e.g. an import that copied another shop's links).
    """

    id: int
    created: int
    updated: int
    product_id: int
    file_id: int
    name: str
    ext: str
    title: str
    sort_order: int
    size: int
    data: bytes | Path | None = None
    host: str | None = None


@dataclass(slots=True)
class Variant:
    id: int
    created: int
    updated: int
    product_id: int
    is_default: bool
    sort_order: int
    titles: dict[str, Text]
    tax_id: int | None = None
    image_id: int | None = None  # productImage id
    options: list[tuple[int, int]] = field(default_factory=list)  # (option id, value id) of its product's set
    articleCode: str = ""
    ean: str = ""
    sku: str = ""
    hs: str | None = None
    unitPrice: Num = 0
    unitUnit: str | None = None
    priceExcl: Num = 0
    priceIncl: Num = 0
    priceCost: Num = 0
    oldPriceExcl: Num = 0
    oldPriceIncl: Num = 0
    stockTracking: str = "disabled"
    stockLevel: int = 0
    stockAlert: int = 0
    stockMinimum: int = 0
    stockSold: int = 0
    stockBuyMinimum: int = 1
    stockBuyMaximum: int = 10000
    weight: Num = 0
    weightValue: str = "0.000"
    weightUnit: str = "kg"
    volume: Num = 0
    volumeValue: Num = 0
    volumeUnit: str = "ml"
    colli: Num = 0
    sizeX: Num = 0
    sizeY: Num = 0
    sizeZ: Num = 0
    sizeXValue: str = "0.000"
    sizeYValue: str = "0.000"
    sizeZValue: str = "0.000"
    sizeUnit: str = "cm"
    taxType: str | None = "auto"
    metafields: list[Metafield] = field(default_factory=list)


# Variant attributes whose API field has the same name and is sent as stored.
VARIANT_SCALARS = (
    "articleCode",
    "ean",
    "sku",
    "hs",
    "unitPrice",
    "unitUnit",
    "priceExcl",
    "priceIncl",
    "priceCost",
    "oldPriceExcl",
    "oldPriceIncl",
    "stockTracking",
    "stockLevel",
    "stockAlert",
    "stockMinimum",
    "stockSold",
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
    "taxType",
)


@dataclass(slots=True)
class CategoryLink:
    id: int
    category_id: int
    product_id: int
    sort_order: int = 0


@dataclass(slots=True)
class TagLink:
    id: int
    tag_id: int
    product_id: int


@dataclass(slots=True)
class FilterValue:
    id: int
    texts: Texts  # "title" per language
    sort_order: int = 0
    created: int = 0
    updated: int = 0


@dataclass(slots=True)
class Filter:
    """A shop's filter (Color, Size…) with its values; products link to values."""

    id: int
    texts: Texts  # "title" per language
    values: list[FilterValue] = field(default_factory=list)
    sort_order: int = 0
    created: int = 0
    updated: int = 0


@dataclass(slots=True)
class Attribute:
    """A specification a product type asks for (Frame material…), with its default value."""

    id: int
    texts: Texts  # "title" per language
    default_value: str = ""


@dataclass(slots=True)
class ProductType:
    """A product type (Bikes…): the attributes its products have a value for, in order."""

    id: int
    texts: Texts  # "title" per language
    attributes: list[tuple[int, int]] = field(default_factory=list)  # (typesAttribute id, attribute id)


@dataclass(slots=True)
class FilterLink:
    """``productFiltervalue``: a product's link to one value of one filter."""

    id: int
    filter_id: int
    value_id: int


@dataclass(slots=True)
class Product:
    id: int
    created: int
    updated: int
    visibility: str
    texts: Texts
    is_featured: bool = False
    data01: str = ""
    data02: str = ""
    data03: str = ""
    brand_id: int | None = None
    supplier_id: int | None = None
    deliverydate_id: int | None = None
    variants: list[Variant] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    category_links: list[CategoryLink] = field(default_factory=list)
    tag_links: list[TagLink] = field(default_factory=list)
    metafields: list[Metafield] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    filter_links: list[FilterLink] = field(default_factory=list)
    type_id: int | None = None
    attribute_values: dict[int, str] = field(default_factory=dict)  # attribute id → the product's value
    set_id: int | None = None  # its option set (a matrix product)


@dataclass(slots=True)
class Category:
    id: int
    created: int
    updated: int
    parent_id: int | None
    sort_order: int
    is_visible: bool
    texts: Texts
    image: Image | None = None  # set in the back office; embedded where the category is


@dataclass(slots=True)
class Tag:
    id: int
    created: int
    updated: int
    is_visible: bool
    texts: Texts


@dataclass(slots=True)
class Brand:
    id: int
    created: int
    updated: int
    is_visible: bool
    texts: Texts
    image: Image | None = None  # the brand's logo; embedded where the brand is


@dataclass(slots=True)
class DeliveryDate:
    id: int
    created: int
    updated: int
    texts: Texts


@dataclass(slots=True)
class Supplier:
    id: int
    created: int
    updated: int
    title: str
    address: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Redirect:
    """A redirect of the shop's (``/redirects.json``): ``url`` is the old path, ``target`` the new address."""

    id: int
    created: int
    updated: int
    url: str
    target: str
    is_permanent: bool = True


@dataclass(slots=True)
class QuantityDiscount:
    """A tiered price: from ``quantity`` items on, ``price`` each (or ``percentage`` off), for one
    variant or every variant of the product, for one customer group or all, between two dates."""

    id: int
    created: int
    updated: int
    product_id: int
    variant_id: int | None = None
    quantity: int = 1
    price: float | int = 0
    percentage: float | int = 0
    is_percentage: bool = False
    customer_group: int | None = None
    start_date: str | None = None  # "2026-06-01"; None: no start
    end_date: str | None = None


@dataclass(slots=True)
class Review:
    """A customer's review of a product: their words, shown when visible."""

    id: int
    created: int
    updated: int
    product_id: int
    score: int = 5
    name: str = ""
    content: str = ""
    language: str = ""  # its language code
    is_visible: bool = True


@dataclass(slots=True)
class Tax:
    """A tax class (VAT rate) variants are charged at."""

    id: int
    rate: float  # 0.21
    title: str
    is_default: bool = False


# The classes a Dutch shop has (the emulator's shops are Dutch): high, low and zero VAT.
TAXES = (Tax(4001, 0.21, "Hoog tarief", True), Tax(4002, 0.09, "Laag tarief"), Tax(4003, 0, "Nultarief"))


@dataclass(slots=True)
class OptionValue:
    id: int
    sort_order: int
    texts: Texts  # "name" per language


@dataclass(slots=True)
class Option:
    """One dimension of an option set (Size), with its values (S, M, L)."""

    id: int
    sort_order: int
    texts: Texts  # "name" per language
    values: list[OptionValue] = field(default_factory=list)


@dataclass(slots=True)
class OptionSet:
    """The options a matrix product's variants are made of (``set``: Shirts = Size × Colour)."""

    id: int
    created: int
    updated: int
    name: str
    options: list[Option] = field(default_factory=list)

    def value(self, option_id: int, value_id: int) -> tuple[Option, OptionValue] | None:
        option = next((o for o in self.options if o.id == option_id), None)
        found = next((v for v in option.values if v.id == value_id), None) if option else None
        return (option, found) if option and found else None


@dataclass(slots=True)
class Webhook:
    """A registered webhook (``/webhooks.json``). ``secret`` signs its deliveries and is never shown:
    the API secret of the key that registered it (see :mod:`ecomgit.emulator.webhooks`)."""

    id: int
    created: int
    updated: int
    is_active: bool
    item_group: str
    item_action: str
    language: str  # a language code
    format: str  # "json" or "xml"
    address: str
    secret: str = ""
