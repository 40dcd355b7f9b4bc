"""A deterministic synthetic shop of any size, for tests and benchmarks.

``synthetic_shop(n, seed)`` gives n products with about 3 variants and 4 images each, two
languages (nl default, en), 40 nested categories, 30 tags (2 per product), 10 brands, 3 delivery
dates, 2 suppliers, 1–3 metafields per product and some relations. The same ``(n, seed)`` always
gives the same shop. Image bytes are not stored: each file id serves a tiny PNG made on demand.
"""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from ecomgit.emulator.model import (
    Brand,
    Category,
    CategoryLink,
    DeliveryDate,
    Image,
    Language,
    Metafield,
    Product,
    Relation,
    ShopInfo,
    Supplier,
    Tag,
    TagLink,
    Texts,
    Variant,
)
from ecomgit.emulator.pngs import tiny_png, tiny_png_size
from ecomgit.emulator.store import Shop, settle_updated
from ecomgit.emulator.text import slugify
from ecomgit.emulator.timefmt import EPOCH, stamps

T = TypeVar("T")
FIRST_ID = 1_000_001
NOUNS = (
    ("Handschoen", "Glove"),
    ("Jas", "Jacket"),
    ("Broek", "Trousers"),
    ("Helm", "Helmet"),
    ("Bidon", "Bottle"),
    ("Rugzak", "Backpack"),
    ("Sokken", "Socks"),
    ("Bril", "Glasses"),
    ("Pomp", "Pump"),
    ("Zadel", "Saddle"),
    ("Lamp", "Light"),
    ("Slot", "Lock"),
    ("Shirt", "Shirt"),
    ("Muts", "Beanie"),
    ("Tas", "Bag"),
    ("Band", "Tyre"),
)
ADJECTIVES = (
    ("Lichte", "Light"),
    ("Warme", "Warm"),
    ("Stevige", "Sturdy"),
    ("Waterdichte", "Waterproof"),
    ("Compacte", "Compact"),
    ("Klassieke", "Classic"),
    ("Snelle", "Fast"),
    ("Zachte", "Soft"),
)
MODELS = ("Ranger", "Trail", "Summit", "Metro", "Nova", "Apex", "Drift", "Pulse", "Ridge", "Café")
COLOURS = (("Zwart", "Black"), ("Rood", "Red"), ("Blauw", "Blue"), ("Groen", "Green"), ("Grijs", "Grey"))
SIZES = ("S", "M", "L", "XL", "XXL")
BRANDS = ("Fox", "Yeti", "Shimano", "Gazelle", "Batavus", "Sram", "Giro", "Abus", "Topeak", "Vaude")
SECTIONS = (("Heren", "Men"), ("Dames", "Women"), ("Kinderen", "Kids"), ("Fietsen", "Bikes"), ("Onderdelen", "Parts"))
GROUPS = (
    ("Kleding", "Clothing"),
    ("Schoenen", "Shoes"),
    ("Accessoires", "Accessories"),
    ("Bescherming", "Protection"),
    ("Outlet", "Outlet"),
)
LEAVES = (("Zomer", "Summer"), ("Winter", "Winter"))
TAGS = (
    "gloves",
    "rain",
    "winter",
    "summer",
    "sale",
    "new",
    "eco",
    "kids",
    "race",
    "commute",
    "mtb",
    "gravel",
    "city",
    "touring",
    "reflective",
    "merino",
    "carbon",
    "aluminium",
    "led",
    "usb",
    "compact",
    "pro",
    "classic",
    "gift",
    "bestseller",
    "limited",
    "vegan",
    "recycled",
    "wide",
    "slim",
)
METAFIELD_KEYS = ("care_instructions", "external_id", "material", "meta_keywords_en", "meta_keywords_nl")
IMAGE_COUNTS = (0, 3, 4, 4, 5, 5, 6, 5)
VARIANT_COUNTS = (1, 2, 3, 3, 4, 5)
IMAGE_VIEWS = ("front", "back", "side", "detail", "worn", "pack")


def synthetic_shop(n: int, seed: int = 0, *, clock: Callable[[], float] = time.time) -> Shop:
    """A deterministic shop of ``n`` products (see the module docstring)."""
    with _gc_paused():  # half a million new objects: cycle collection would only slow this down
        return _build(n, seed, clock)


@contextmanager
def _gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(n: int, seed: int, clock: Callable[[], float]) -> Shop:
    languages = [Language(1, "nl", "nl_NL", "Nederlands", True), Language(2, "en", "en_GB", "English", False)]
    info = ShopInfo(1001, "synthetic.emulator.test", False, False, "EUR", EPOCH - 365 * 86400)
    shop = Shop(info, languages, clock=clock, image_source=tiny_png)
    shop.ids.seen(FIRST_ID - 1)
    rng = Rand(seed)
    _taxonomy(shop)
    parents = {c.parent_id for c in shop.categories.values()}
    pools = Pools(
        chains=[shop.category_chain(c) for c in shop.categories.values() if c.id not in parents],
        tag_ids=list(shop.tags),
        deliverydate_ids=list(shop.deliverydates),
        supplier_ids=list(shop.suppliers),
    )
    for index in range(n):
        _product(shop, rng, index, pools)
    _relations(shop, rng)  # every table was filled in ascending id order: nothing to sort
    return shop


@dataclass(frozen=True, slots=True)
class Pools:
    """What products are linked to; ``chains`` are leaf categories with their ancestors."""

    chains: list[list[Category]]
    tag_ids: list[int]
    deliverydate_ids: list[int]
    supplier_ids: list[int]


class Rand:
    """The few random choices the generator makes, on ``random.random`` (fast and seeded)."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed).random

    def below(self, n: int) -> int:
        return int(self._random() * n)

    def chance(self, p: float) -> bool:
        return self._random() < p

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self._random() * len(items))]

    def two(self, items: Sequence[T]) -> list[T]:
        """Two different items."""
        first = self.below(len(items))
        return [items[first], items[(first + 1 + self.below(len(items) - 1)) % len(items)]]

    def some(self, items: Sequence[T], count: int) -> list[T]:
        """``count`` different items."""
        pool = list(items)
        return [pool.pop(self.below(len(pool))) for _ in range(count)]


def _pair_texts(nl: str, en: str, **extra: tuple[str, str]) -> Texts:
    texts: Texts = {"nl": {"title": nl}, "en": {"title": en}}
    for name, (nl_value, en_value) in extra.items():
        texts["nl"][name] = nl_value
        texts["en"][name] = en_value
    return texts


# -- shop-level records --------------------------------------------------------------------------


def _taxonomy(shop: Shop) -> None:
    for name in BRANDS:
        ident = shop.new_id()
        content = (f"<p>{name}: kwaliteit sinds jaar en dag.</p>", f"<p>{name}: quality for years.</p>")
        shop.brands[ident] = Brand(
            ident, *stamps(ident), True, _pair_texts(name, name, content=content, url=(slugify(name), slugify(name)))
        )
    for days, (nl, en) in zip(
        (1, 3, 14), (("Snel", "Fast"), ("Normaal", "Normal"), ("Besteld", "Ordered")), strict=True
    ):
        ident = shop.new_id()
        shop.deliverydates[ident] = DeliveryDate(
            ident,
            *stamps(ident),
            {
                "nl": {"name": nl, "inStockMessage": f"{days} werkdag(en)", "outStockMessage": "2-3 weken"},
                "en": {"name": en, "inStockMessage": f"{days} business day(s)", "outStockMessage": "2-3 weeks"},
            },
        )
    for title in ("Bike Parts BV", "Outdoor Supply"):
        ident = shop.new_id()
        shop.suppliers[ident] = Supplier(ident, *stamps(ident), title, {"city": "Amsterdam"})
    for title in TAGS:
        ident = shop.new_id()
        shop.tags[ident] = Tag(ident, *stamps(ident), True, _pair_texts(title, title, url=(title, title)))
    _categories(shop)


def _categories(shop: Shop) -> None:
    """5 sections × 5 groups (30 categories) plus 2 seasons under two groups of each section."""
    for s_order, section in enumerate(SECTIONS, start=1):
        top = _category(shop, None, s_order, section, ("", ""))
        for g_order, group in enumerate(GROUPS, start=1):
            middle = _category(shop, top, g_order, group, _urls(top))
            if g_order <= 1:
                for l_order, leaf in enumerate(LEAVES, start=1):
                    _category(shop, middle, l_order, leaf, _urls(middle))


def _urls(category: Category) -> tuple[str, str]:
    return str(category.texts["nl"]["url"]), str(category.texts["en"]["url"])


def _category(
    shop: Shop, parent: Category | None, order: int, titles: tuple[str, str], prefix: tuple[str, str]
) -> Category:
    ident = shop.new_id()
    nl, en = titles
    urls = tuple(f"{p}/{slugify(t)}" if p else slugify(t) for p, t in zip(prefix, titles, strict=True))
    texts = _pair_texts(
        nl,
        en,
        fulltitle=(nl, en),
        description=(f"Alles voor {nl.lower()}.", f"All {en.lower()}."),
        content=(f"<p>{nl}</p>", f"<p>{en}</p>"),
        url=(urls[0], urls[1]),
    )
    category = Category(ident, *stamps(ident), parent.id if parent else None, order, True, texts)
    shop.categories[ident] = category
    return category


# -- products ------------------------------------------------------------------------------------


def _product(shop: Shop, rng: Rand, index: int, pools: Pools) -> None:
    ident = shop.new_id()
    adjective, noun, model = rng.pick(ADJECTIVES), rng.pick(NOUNS), rng.pick(MODELS)
    brand_id = FIRST_ID + rng.below(len(BRANDS))
    brand = shop.brands[brand_id].texts["nl"]["title"]
    product = Product(
        ident,
        *stamps(ident),
        rng.pick(("visible", "visible", "visible", "auto", "hidden")),
        _product_texts(rng, index, adjective, noun, model, str(brand)),
        data01="",
        data02=f"{index}" if index % 10 == 0 else "",
        data03="",
        brand_id=brand_id,
        supplier_id=pools.supplier_ids[index // 4 % 2] if index % 4 == 0 else None,
        deliverydate_id=pools.deliverydate_ids[index % 3] if index % 5 else None,
    )
    shop.products[ident] = product
    _images(shop, rng, product)
    _variants(shop, rng, product)
    _links(shop, rng, product, pools)
    for key in sorted(rng.some(METAFIELD_KEYS, 1 + rng.below(3))):
        product.metafields.append(_metafield(shop, key, f"{key.replace('_', ' ')} {index}"))


def _product_texts(
    rng: Rand, index: int, adjective: tuple[str, str], noun: tuple[str, str], model: str, brand: str
) -> Texts:
    titles = [f"{adjective[i]} {noun[i].lower()} {model} {index + 1}" for i in (0, 1)]
    features = [
        ("Maat S–XXL", "Sizes S–XXL"),
        ("Ademend materiaal", "Breathable fabric"),
        ("Reflecterende details", "Reflective details"),
        ("Machinewasbaar op 30°", "Machine washable at 30°"),
    ]
    chosen = rng.two(features)
    texts: Texts = {}
    for i, code in enumerate(("nl", "en")):
        items = "".join(f"<li>{f[i]}</li>" for f in chosen)
        lines = [
            f"<p>{titles[i]} van <strong>{brand}</strong>.</p>"
            if i == 0
            else f"<p>The {titles[i]} by <strong>{brand}</strong>.</p>",
            f"<ul>{items}</ul>",
        ]
        newline = "\r\n" if code == "en" and index % 7 == 3 else "\n"
        texts[code] = {
            "title": titles[i],
            "fulltitle": f"{brand} {titles[i]}",
            "description": f"{titles[i]}, {'per stuk' if i == 0 else 'sold per piece'}.",
            "content": newline.join(lines),
            "url": slugify(titles[i]),
        }
    return texts


def _images(shop: Shop, rng: Rand, product: Product) -> None:
    slug = str(product.texts["nl"]["url"])
    for position in range(1, rng.pick(IMAGE_COUNTS) + 1):
        ident, file_id = shop.new_id(), shop.new_id()
        name = f"{slug}-{IMAGE_VIEWS[position - 1]}"
        image = Image(
            ident,
            *stamps(ident),
            product_id=product.id,
            file_id=file_id,
            name=name,
            ext="png",
            title=name,
            sort_order=position,
            size=tiny_png_size(file_id),
        )
        product.images.append(image)
        shop.images[ident] = image
        shop.files[file_id] = image


def _variants(shop: Shop, rng: Rand, product: Product) -> None:
    count = rng.pick(VARIANT_COUNTS)
    colour = rng.below(len(COLOURS))
    price = 5 + rng.below(295) + 0.95
    tax = shop.default_tax()  # prices are made at 21 %, the default class's rate
    for position in range(1, count + 1):
        ident = shop.new_id()
        if count == 1:
            titles: dict[str, str | None] = {"nl": "Standaard", "en": "Default"}
        else:
            nl, en = COLOURS[(colour + position // len(SIZES)) % len(COLOURS)]
            size = SIZES[position % len(SIZES)]
            titles = {"nl": f"{nl}, {size}", "en": f"{en}, {size}"}
        variant = _variant(rng, product, ident, position, titles, price)
        variant.tax_id = tax.id if tax is not None else None
        if product.images and rng.chance(0.3):
            variant.image_id = rng.pick(product.images).id
        if rng.chance(0.05):
            variant.metafields.append(_metafield(shop, "supplier_code", f"SUP-{ident}"))
        product.variants.append(variant)
        shop.variants[ident] = variant
    settle_updated(product)


def _variant(
    rng: Rand, product: Product, ident: int, position: int, titles: dict[str, str | None], price: float
) -> Variant:
    grams = 50 * (1 + rng.below(49))
    size_x, size_y, size_z = 5 + rng.below(55), 5 + rng.below(35), 1 + rng.below(19)
    discounted = rng.chance(0.2)
    return Variant(
        ident,
        *stamps(ident),
        product_id=product.id,
        is_default=position == 1,
        sort_order=position,
        titles=titles,
        articleCode=f"SYN-{product.id}-{position}",
        ean=f"{8710000000000 + ident}",
        sku=f"SYN{ident}",
        hs="6116" if position % 3 == 0 else None,
        priceExcl=price,
        priceIncl=round(price * 1.21, 2),
        priceCost=round(price * 0.55, 2),
        oldPriceExcl=round(price * 1.2, 2) if discounted else 0,
        oldPriceIncl=round(price * 1.2 * 1.21, 2) if discounted else 0,
        stockTracking=rng.pick(("enabled", "enabled", "indicator", "disabled")),
        stockLevel=ident % 17,
        stockAlert=5,
        stockSold=ident % 7,
        stockBuyMaximum=100,
        weight=grams,
        weightValue=f"{grams / 1000:.3f}",
        colli=1,
        sizeX=size_x,
        sizeY=size_y,
        sizeZ=size_z,
        sizeXValue=f"{size_x:.3f}",
        sizeYValue=f"{size_y:.3f}",
        sizeZValue=f"{size_z:.3f}",
    )


def _links(shop: Shop, rng: Rand, product: Product, pools: Pools) -> None:
    chain = rng.pick(pools.chains)[: 1 + rng.below(3)]
    for category in sorted(chain, key=lambda c: c.id):
        link = CategoryLink(shop.new_id(), category.id, product.id, 0)
        product.category_links.append(link)
        shop.category_links[link.id] = link
    for tag_id in sorted(rng.two(pools.tag_ids)):
        tag_link = TagLink(shop.new_id(), tag_id, product.id)
        product.tag_links.append(tag_link)
        shop.tag_links[tag_link.id] = tag_link


def _metafield(shop: Shop, key: str, value: str) -> Metafield:
    ident = shop.new_id()
    return Metafield(ident, *stamps(ident), key, value)


def _relations(shop: Shop, rng: Rand) -> None:
    ids = list(shop.products)
    if len(ids) < 2:
        return
    for product in shop.products.values():
        if not rng.chance(0.2):
            continue
        for order, related in enumerate(rng.two(ids)[: 1 + rng.below(2)]):
            if related != product.id:
                product.relations.append(Relation(shop.new_id(), related, order))
