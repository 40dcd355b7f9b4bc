"""Build a :class:`Shop` from a mirror directory (docs/mirror-format.md).

Every value in the mirror is kept exactly, so that syncing the emulator reproduces the directory
byte for byte. Values the mirror leaves out (timestamps, stock levels, sold counts, purchase cost,
link ids) get deterministic plausible values derived from ids: the same directory always gives
the same API answers. A file that cannot be read raises :class:`~ecomgit.errors.MirrorFileError`
naming it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ecomgit.emulator.model import (
    BRAND_TEXTS,
    CATEGORY_TEXTS,
    DELIVERYDATE_TEXTS,
    PRODUCT_TEXTS,
    TAG_TEXTS,
    VARIANT_SCALARS,
    Attribute,
    Brand,
    Category,
    CategoryLink,
    DeliveryDate,
    Filter,
    FilterLink,
    FilterValue,
    Image,
    Language,
    Metafield,
    Option,
    OptionSet,
    OptionValue,
    Product,
    ProductType,
    QuantityDiscount,
    Relation,
    Review,
    ShopInfo,
    Supplier,
    Tag,
    TagLink,
    Texts,
    Variant,
)
from ecomgit.emulator.store import Shop
from ecomgit.emulator.text import slugify
from ecomgit.emulator.timefmt import EPOCH, parse_time, stamps
from ecomgit.errors import MirrorError, MirrorFileError
from ecomgit.mirror import read_list, read_product, read_yaml
from ecomgit.mirror.layout import REVIEWS_FILE

_IMAGE_FILE = re.compile(r"^\d+-(?P<name>.+?)(?:\.(?P<ext>[^.]+))?$")

Data = Mapping[str, Any]


def load_catalog(directory: Path, *, clock: Callable[[], float] = time.time) -> Shop:
    """The shop stored in the mirror at ``directory`` (``shop/*.yaml``, ``products/*/``)."""
    shop_file = directory / "shop" / "shop.yaml"
    shop_data: Data = _mapping(shop_file, read_yaml(shop_file)) if shop_file.exists() else {}
    product_files = sorted((directory / "products").glob("*/product.yaml"))
    products: list[tuple[Path, Data]] = [(path, read_product(path)) for path in product_files]
    shop = Shop(_info(shop_data), _languages(shop_file, shop_data, products), clock=clock)
    _load_lists(shop, directory / "shop")
    links: list[tuple[Product, Data]] = []
    for path, data in products:
        try:
            links.append((_load_product(shop, path, data), data))
        except MirrorError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise MirrorFileError(str(path), f"invalid product: {exc!r}") from None
    shop.finish_loading()
    for product, data in links:
        _link(shop, product, data)
    return shop


# -- shop-level files ----------------------------------------------------------------------------


def _mapping(path: Path, data: object) -> Data:
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise MirrorFileError(str(path), "expected a YAML mapping", line=1)
    return data


def _info(data: Data) -> ShopInfo:
    ident = int(data.get("id", 1))
    return ShopInfo(
        id=ident,
        main_domain=str(data.get("mainDomain") or "shop.emulator.test"),
        is_retail=bool(data.get("isRetail", False)),
        is_b2b=bool(data.get("isB2b", False)),
        currency=str(data.get("currency") or "EUR"),
        created=EPOCH - 365 * 86400,
    )


def _languages(path: Path, data: Data, products: list[tuple[Path, Data]]) -> list[Language]:
    rows = data.get("languages")
    if rows:
        try:
            return [
                Language(
                    int(r["id"]),
                    str(r["code"]),
                    str(r.get("locale", "")),
                    str(r.get("title", "")),
                    bool(r.get("isDefault", False)),
                )
                for r in rows
            ]
        except (KeyError, TypeError, ValueError) as exc:
            raise MirrorFileError(str(path), f"invalid languages: {exc!r}") from None
    titles = products[0][1].get("title") if products else None
    codes = list(titles) if isinstance(titles, Mapping) and titles else ["nl"]
    return [Language(i + 1, code, f"{code}_{code.upper()}", code, i == 0) for i, code in enumerate(codes)]


def _texts(data: Data, names: tuple[str, ...]) -> Texts:
    """``{lang: {field: text}}`` from the mirror's ``{field: {lang: text}}``."""
    texts: Texts = {}
    for name in names:
        values = data.get(name)
        if isinstance(values, Mapping):
            for code, value in values.items():
                texts.setdefault(str(code), {})[name] = value
    return texts


def _load_lists(shop: Shop, folder: Path) -> None:
    for path, load in (
        (folder / "categories.yaml", _category),
        (folder / "tags.yaml", _tag),
        (folder / "brands.yaml", _brand),
        (folder / "deliverydates.yaml", _deliverydate),
    ):
        for row in read_list(path):
            try:
                load(shop, row)
            except (KeyError, TypeError, ValueError) as exc:
                raise MirrorFileError(str(path), f"invalid entry {row.get('id')!r}: {exc!r}") from None


def _category(shop: Shop, row: Data) -> None:
    ident = int(row["id"])
    parent = row.get("parent")
    shop.categories[ident] = Category(
        ident,
        *stamps(ident),
        int(parent) if parent is not None else None,
        int(row.get("sortOrder", 0)),
        bool(row.get("isVisible", True)),
        _texts(row, CATEGORY_TEXTS),
    )


def _tag(shop: Shop, row: Data) -> None:
    ident = int(row["id"])
    shop.tags[ident] = Tag(ident, *stamps(ident), bool(row.get("isVisible", True)), _texts(row, TAG_TEXTS))


def _brand(shop: Shop, row: Data) -> None:
    ident = int(row["id"])
    visible = bool(row.get("isVisible", True))
    shop.brands[ident] = Brand(ident, *stamps(ident), visible, _texts(row, BRAND_TEXTS))


def _deliverydate(shop: Shop, row: Data) -> None:
    ident = int(row["id"])
    shop.deliverydates[ident] = DeliveryDate(ident, *stamps(ident), _texts(row, DELIVERYDATE_TEXTS))


# -- products ------------------------------------------------------------------------------------


def _load_product(shop: Shop, path: Path, data: Data) -> Product:
    ident = int(data["id"])
    product = Product(
        ident,
        *stamps(ident),
        str(data.get("visibility") or "visible"),
        _texts(data, PRODUCT_TEXTS),
        is_featured=data.get("isFeatured") is True,
        data01=data.get("data01", ""),
        data02=data.get("data02", ""),
        data03=data.get("data03", ""),
        brand_id=_brand_ref(shop, data.get("brand")),
        supplier_id=_supplier_ref(shop, data.get("supplier")),
        deliverydate_id=_deliverydate_ref(shop, data.get("deliverydate")),
    )
    files = _load_images(shop, product, path.parent / "images", data.get("images") or [])
    for row in data.get("variants") or []:
        _load_variant(shop, product, row, files)
    product.metafields = [_metafield(row) for row in data.get("metafields") or []]
    product.relations = [_relation(row) for row in data.get("relations") or []]
    for ref in data.get("categories") or []:
        _category_ref(shop, ref)
    for ref in data.get("tags") or []:
        _tag_ref(shop, ref)
    for entry in data.get("filters") or []:
        _filter_ref(shop, entry)
    _type_ref(shop, product, data)
    _set_ref(shop, product, data)
    for row in data.get("quantityDiscounts") or []:
        _quantity_discount(shop, product, row)
    reviews = path.parent / REVIEWS_FILE
    for row in read_list(reviews) if reviews.is_file() else []:
        created = parse_time(str(row["date"])) if row.get("date") else stamps(int(row["id"]))[0]
        shop.reviews[int(row["id"])] = Review(
            int(row["id"]), created, created, ident, score=int(row.get("score") or 5), name=str(row.get("name") or ""),
            content=str(row.get("content") or ""), language=str(row.get("language") or shop.default_language),
            is_visible=row.get("visible") is not False,
        )  # fmt: skip
    shop.products[ident] = product
    return product


def _one_text(shop: Shop, value: object) -> dict[str, str | None]:
    text = None if value is None else str(value)
    return dict.fromkeys(shop.language_codes, text)


def _brand_ref(shop: Shop, ref: Data | None) -> int | None:
    if not ref:
        return None
    ident = int(ref["id"])
    if ident not in shop.brands:  # not in brands.yaml: known from the product alone
        title = ref.get("title")
        texts = {
            code: {"title": title, "content": "", "url": slugify(str(title or ""))} for code in shop.language_codes
        }
        shop.brands[ident] = Brand(ident, *stamps(ident), True, texts)
    return ident


def _supplier_ref(shop: Shop, ref: Data | None) -> int | None:
    if not ref:
        return None
    ident = int(ref["id"])
    if ident not in shop.suppliers:
        shop.suppliers[ident] = Supplier(ident, *stamps(ident), str(ref.get("title") or ""))
    return ident


def _deliverydate_ref(shop: Shop, ref: Data | None) -> int | None:
    if not ref:
        return None
    ident = int(ref["id"])
    if ident not in shop.deliverydates:
        name = _one_text(shop, ref.get("name"))
        texts = {
            code: {"name": name[code], "inStockMessage": "", "outStockMessage": ""} for code in shop.language_codes
        }
        shop.deliverydates[ident] = DeliveryDate(ident, *stamps(ident), texts)
    return ident


def _load_images(shop: Shop, product: Product, folder: Path, rows: list[Data]) -> dict[str, int]:
    """Add the product's images (position = sortOrder); returns file name → productImage id."""
    files: dict[str, int] = {}
    for position, row in enumerate((r for r in rows if "file" in r), start=1):  # a marker has no bytes to serve
        file = str(row["file"])
        match = _IMAGE_FILE.match(file)
        if match is None or "/" in file or "\\" in file:
            raise ValueError(f"image file name {file!r} is not NN-<name>.<ext>")
        source = folder / file
        if not source.is_file():
            raise MirrorFileError(str(source), "image file missing; restore it from git or re-sync")
        ident, file_id = int(row["id"]), int(row["fileId"])
        image = Image(
            ident,
            *stamps(ident),
            product_id=product.id,
            file_id=file_id,
            name=match["name"],
            ext=match["ext"] or "",
            title=str(row["title"]) if isinstance(row.get("title"), str) else match["name"],
            sort_order=position,
            size=source.stat().st_size,
            data=source,
        )
        product.images.append(image)
        shop.images[ident] = image
        shop.files[file_id] = image
        files[file] = ident
    return files


def _load_variant(shop: Shop, product: Product, row: Data, files: dict[str, int]) -> None:
    ident = int(row["id"])
    titles = row.get("title")
    image = row.get("image")
    if image is not None and image not in files:
        raise ValueError(f"variant {ident} uses image {image!r}, which is not in images")
    variant = Variant(
        ident,
        *stamps(ident),
        product_id=product.id,
        is_default=bool(row.get("isDefault", False)),
        sort_order=int(row.get("sortOrder", 0)),
        titles=dict(titles) if isinstance(titles, Mapping) else _one_text(shop, titles),
        tax_id=_tax_ref(shop, row),
        image_id=files[image] if image is not None else None,
        stockLevel=ident % 17,
        stockSold=ident % 7,
    )
    for name in VARIANT_SCALARS:
        if name in row:
            setattr(variant, name, row[name])
    if "priceCost" not in row:
        variant.priceCost = _money(float(variant.priceExcl or 0) * 0.55)
    variant.metafields = [_metafield(m) for m in row.get("metafields") or []]
    product.variants.append(variant)
    shop.variants[ident] = variant


def _tax_ref(shop: Shop, row: Data) -> int | None:
    """The variant's tax class; a class the shop does not have yet is made at the rate its prices imply."""
    if row.get("tax") is None:
        return None
    ident = int(row["tax"])
    excl, incl = float(row.get("priceExcl") or 0), float(row.get("priceIncl") or 0)
    rate = round(incl / excl - 1, 2) if excl else 0
    shop.tax_class(ident, int(rate) if float(rate).is_integer() else rate)
    return ident


def _relation(row: Data) -> Relation:
    return Relation(int(row["id"]), int(row["product"]), int(row.get("sortOrder", 0)))


def _metafield(row: Data) -> Metafield:
    ident = int(row["id"])
    return Metafield(ident, *stamps(ident), str(row["key"]), row.get("value", ""))


def _money(value: float) -> int | float:
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def _category_ref(shop: Shop, ref: Data) -> None:
    """A category known only from a product's link (not in categories.yaml) gets a stub."""
    ident = int(ref["id"])
    if ident in shop.categories:
        return
    url = str(ref.get("url") or ident)
    title = url.rsplit("/", 1)[-1]
    texts: Texts = {
        code: {"title": title, "fulltitle": title, "description": "", "content": "", "url": url}
        for code in shop.language_codes
    }
    shop.categories[ident] = Category(ident, *stamps(ident), None, 0, True, texts)


def _tag_ref(shop: Shop, ref: Data) -> None:
    ident = int(ref["id"])
    if ident not in shop.tags:
        title = ref.get("title")
        texts = {code: {"title": title, "url": slugify(str(title or ""))} for code in shop.language_codes}
        shop.tags[ident] = Tag(ident, *stamps(ident), True, texts)


def _quantity_discount(shop: Shop, product: Product, row: Data) -> None:
    ident = int(row["id"])
    variant = row.get("variant")
    start, end = row.get("startDate"), row.get("endDate")
    shop.quantity_discounts[ident] = QuantityDiscount(
        ident,
        *stamps(ident),
        product_id=product.id,
        variant_id=int(variant) if variant is not None else None,
        quantity=int(row["quantity"]),
        price=row.get("price") or 0,
        percentage=row.get("percentage") or 0,
        is_percentage=bool(row.get("isPercentage")),
        customer_group=int(row["customerGroup"]) if row.get("customerGroup") is not None else None,
        start_date=str(start) if start is not None else None,
        end_date=str(end) if end is not None else None,
    )


def _set_ref(shop: Shop, product: Product, data: Data) -> None:
    """The product's option set, known from it and its variants' options (names: the default
    language's); each variant's option/value pairs."""
    found = data.get("set")
    if not isinstance(found, dict):
        return
    sid = int(found["id"])
    option_set = shop.sets.get(sid)
    if option_set is None:
        option_set = shop.sets[sid] = OptionSet(sid, *stamps(sid), str(found.get("name") or ""))
    product.set_id = sid
    by_id = {v.id: v for v in product.variants}
    for row in data.get("variants") or []:
        variant = by_id.get(int(row["id"]))
        if variant is None:
            continue
        for pair in row.get("options") or []:
            head, value = pair["option"], pair["value"]
            option = next((o for o in option_set.options if o.id == int(head["id"])), None)
            if option is None:
                names: Texts = {code: {"name": str(head.get("name") or "")} for code in shop.language_codes}
                option = Option(int(head["id"]), len(option_set.options) + 1, names)
                option_set.options.append(option)
            if all(v.id != int(value["id"]) for v in option.values):
                names = {code: {"name": str(value.get("name") or "")} for code in shop.language_codes}
                option.values.append(OptionValue(int(value["id"]), len(option.values) + 1, names))
            variant.options.append((option.id, int(value["id"])))


def _type_ref(shop: Shop, product: Product, data: Data) -> None:
    """The product's type and its attribute values; the type and attributes known from it (titles
    are the default language's; the type's attributes are linked in :func:`_link`)."""
    kind = data.get("type")
    if not isinstance(kind, dict):
        return
    tid = int(kind["id"])
    if tid not in shop.types:
        shop.types[tid] = ProductType(
            tid, {code: {"title": str(kind.get("title") or "")} for code in shop.language_codes}
        )
    product.type_id = tid
    for entry in data.get("attributes") or []:
        aid = int(entry["id"])
        if aid not in shop.attributes:
            titles: Texts = {code: {"title": str(entry.get("title") or "")} for code in shop.language_codes}
            shop.attributes[aid] = Attribute(aid, titles)
        product.attribute_values[aid] = str(entry.get("value") or "")


def _filter_ref(shop: Shop, entry: Data) -> None:
    """A filter and its value, known from a product's link to it (the titles are the default language's)."""
    head, value = entry["filter"], entry["value"]
    fid, vid = int(head["id"]), int(value["id"])
    found = shop.filters.get(fid)
    if found is None:
        texts: Texts = {code: {"title": str(head.get("title") or "")} for code in shop.language_codes}
        found = shop.filters[fid] = Filter(fid, texts, sort_order=len(shop.filters) + 1, created=stamps(fid)[0])
        found.updated = found.created
    if not any(v.id == vid for v in found.values):
        value_texts: Texts = {code: {"title": str(value.get("title") or "")} for code in shop.language_codes}
        created = stamps(vid)[0]
        found.values.append(FilterValue(vid, value_texts, len(found.values) + 1, created, created))


# -- links (after every id is known, so new link ids never collide) ------------------------------


def _link(shop: Shop, product: Product, data: Data) -> None:
    kind = shop.types.get(product.type_id) if product.type_id is not None else None
    if kind is not None:
        for entry in data.get("attributes") or []:
            if all(aid != int(entry["id"]) for _, aid in kind.attributes):
                kind.attributes.append((shop.new_id(), int(entry["id"])))
    for ref in data.get("categories") or []:
        link = CategoryLink(shop.new_id(), int(ref["id"]), product.id, int(ref.get("sortOrder") or 0))
        product.category_links.append(link)
        shop.category_links[link.id] = link
    for entry in data.get("filters") or []:
        product.filter_links.append(FilterLink(shop.new_id(), int(entry["filter"]["id"]), int(entry["value"]["id"])))
    for ref in data.get("tags") or []:
        tag_link = TagLink(shop.new_id(), int(ref["id"]), product.id)
        product.tag_links.append(tag_link)
        shop.tag_links[tag_link.id] = tag_link
