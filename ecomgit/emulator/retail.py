"""Lightspeed Retail's three destructive actions, played on the emulated eCom shop.

In a shop linked to Lightspeed Retail (the point of sale), three routine actions in Retail make
eCom delete a product together with everything that exists only in eCom (descriptions, content,
SEO slugs, categories, images, tags, metafields, relations):

``delete_from_ecom``
    Retail's *Delete from eCom* on an item. Real life: the item's eCom product is deleted.
    Model: :meth:`Shop.delete_product` (variants, images, links go with it; relations pointing at
    it are dropped from other products).
``merge``
    Merging item A into item B. Real life: A's eCom product is deleted; B's survives, and Retail
    moves A's stock to B (stock moves are not mirrored). Model: A is deleted, B is only touched
    (its ``updatedAt`` moves).
``add_to_matrix``
    Adding individual items into a matrix. Real life: each item's eCom product is deleted and the
    item becomes a variant of a matrix product; usually Retail creates a *new* matrix product that
    arrives without the old content. Model: a new product (new id; ``title``/``fulltitle`` = the
    matrix title in every language; empty ``description``/``content``; a unique ``url`` slug of
    the title; visible; no images, categories, tags, metafields or relations; the first item's
    brand) or an existing one (``matrix_id``) receives one new variant per old variant, carrying
    only what Retail owns: ``sku``, ``ean``, ``articleCode``, prices, tax and stock level, and a
    title. Then the old products are deleted. ``hasMatrix`` follows from the variant count.
``publish``
    Publishing items to eCom again from Retail (after a *Delete from eCom*, say). Real life: a new
    eCom product appears with only what Retail holds of the items. Model: Retail remembers every
    item whose product one of the actions above deleted (``shop.retail_items``, by SKU); publishing
    SKUs makes one new product (new id) with the item's title and fulltitle, a unique slug, its
    brand, images and categories, and a variant per SKU with its codes, prices, tax and stock;
    no description, content, old price, weights, order limits, metafields, tags or relations.

Every function mutates the shop in place, takes ids from ``shop.new_id()`` and times from
``shop.now()``; callers hold the app's lock. The bottom of the module reads the JSON bodies of the
``/_emulator/retail/*.json`` admin endpoints.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeGuard

from ecomgit.emulator.model import PRODUCT_TEXTS, Image, Product, Text, Variant
from ecomgit.emulator.resources.variants import default_units
from ecomgit.emulator.store import Shop
from ecomgit.emulator.text import slugify
from ecomgit.emulator.wsgi import HttpError

ADMIN_PREFIX = "/_emulator/retail/"
_PLACEHOLDER_TITLE = "default"  # the title eCom gives a product's only variant ("Default")


class UnknownProductError(LookupError):
    """No product with this id exists in the shop."""

    def __init__(self, product_id: int) -> None:
        self.product_id = product_id
        super().__init__(f"Unknown product {product_id}.")


class RetailActionError(ValueError):
    """The action cannot be played with these arguments (e.g. merging a product into itself)."""


# -- the actions ----------------------------------------------------------------------------------


def delete_from_ecom(shop: Shop, product_id: int) -> None:
    """*Delete from eCom* on an item: its eCom product is deleted with all its content."""
    _delete(shop, _product(shop, product_id))


def _delete(shop: Shop, product: Product) -> None:
    """Delete an item's eCom product; Retail keeps the item (see :func:`publish`)."""
    kept = copy.deepcopy(product)
    for variant in kept.variants:
        if variant.sku:
            shop.retail_items[variant.sku] = kept
    shop.delete_product(product)


def publish(shop: Shop, skus: list[str]) -> int:
    """Publish the items with ``skus`` (of one deleted product) to eCom again; the new product's id."""
    if not skus:
        raise RetailActionError("Give at least one SKU to publish.")
    items = {sku: shop.retail_items.get(sku) for sku in skus}
    unknown = [sku for sku, item in items.items() if item is None]
    if unknown:
        raise RetailActionError(f"Retail has no deleted item with SKU {', '.join(unknown)}.")
    live = {v.sku for v in shop.variants.values()}
    if any(sku in live for sku in skus):
        raise RetailActionError(f"SKU {next(s for s in skus if s in live)} is on an eCom product already.")
    first = next(iter(items.values()))
    if first is None or any(item is not first for item in items.values()):
        raise RetailActionError("Publish the SKUs of one item at a time.")
    now = shop.now()
    product = Product(shop.new_id(), now, now, "visible", {}, brand_id=first.brand_id)
    for code in shop.language_codes:
        old = first.texts.get(code) or first.texts.get(shop.default_language, {})
        texts: dict[str, Text] = dict.fromkeys(PRODUCT_TEXTS, "")
        title = old.get("title") or _default_title(shop, first)
        texts.update(title=title, fulltitle=old.get("fulltitle") or title)
        texts.update(url=_unique_slug(shop, code, title, product.id))
        product.texts[code] = texts
    shop.add_product(product)
    for variant in sorted(first.variants, key=lambda v: (v.sort_order, v.id)):
        if variant.sku in items:
            moved = _moved_variant(shop, product, first, variant)
            moved.priceCost = variant.priceCost
            moved.titles = dict(variant.titles)
            shop.add_variant(product, moved)
    for image in sorted(first.images, key=lambda i: i.sort_order):
        shop.add_image(
            product,
            Image(
                shop.new_id(),
                now,
                now,
                product.id,
                shop.new_id(),
                image.name,
                image.ext,
                image.name,  # uploaded by Retail: titled by its file name, as any upload; the title was eCom's
                image.sort_order,
                image.size,
                image.data,
                image.host,
            ),  # fmt: skip
        )
    for link in first.category_links:  # Retail links the item's categories; its place in them is eCom's
        if link.category_id in shop.categories:
            shop.link_category(product, link.category_id)
    for sku in skus:
        del shop.retail_items[sku]
    return product.id


def merge(shop: Shop, product_id: int, into_id: int) -> None:
    """Merge item ``product_id`` into item ``into_id``: the first product is deleted, the second touched."""
    if product_id == into_id:
        raise RetailActionError(f"Cannot merge product {product_id} into itself.")
    merged, survivor = _product(shop, product_id), _product(shop, into_id)
    _delete(shop, merged)
    shop.touch_product(survivor)


def add_to_matrix(shop: Shop, product_ids: list[int], *, matrix_id: int | None = None, title: str | None = None) -> int:
    """Add the items ``product_ids`` into a matrix; returns the matrix product's id.

    ``matrix_id``: an existing product to add the variants to (``title`` is then ignored);
    ``None``: a new matrix product titled ``title`` (default: the first item's title).
    """
    items = _items(shop, product_ids, matrix_id)
    matrix = _product(shop, matrix_id) if matrix_id is not None else _new_matrix(shop, items[0], title)
    for item in items:
        for old in sorted(item.variants, key=lambda v: (v.sort_order, v.id)):
            shop.add_variant(matrix, _moved_variant(shop, matrix, item, old))
    for item in items:
        shop.delete_product(item)  # its items live on as the matrix's variants: nothing to publish again
    return matrix.id


# -- helpers --------------------------------------------------------------------------------------


def _product(shop: Shop, product_id: int) -> Product:
    product = shop.products.get(product_id)
    if product is None:
        raise UnknownProductError(product_id)
    return product


def _items(shop: Shop, product_ids: list[int], matrix_id: int | None) -> list[Product]:
    if not product_ids:
        raise RetailActionError("Give at least one product to add into a matrix.")
    if len(set(product_ids)) != len(product_ids):
        raise RetailActionError("A product can be added into a matrix only once.")
    if matrix_id is not None and matrix_id in product_ids:
        raise RetailActionError(f"Cannot add product {matrix_id} into itself.")
    items = [_product(shop, pid) for pid in product_ids]
    if matrix_id is not None:
        _product(shop, matrix_id)
    return items


def _new_matrix(shop: Shop, first: Product, title: str | None) -> Product:
    """A new product as Retail creates it: the title, a slug, the brand, and nothing else."""
    name = title.strip() if title and title.strip() else _default_title(shop, first)
    now = shop.now()
    product = Product(shop.new_id(), now, now, "visible", {}, brand_id=first.brand_id)
    for code in shop.language_codes:
        texts: dict[str, Text] = dict.fromkeys(PRODUCT_TEXTS, "")
        texts.update(title=name, fulltitle=name, url=_unique_slug(shop, code, name, product.id))
        product.texts[code] = texts
    shop.add_product(product)
    return product


def _unique_slug(shop: Shop, lang: str, title: str, product_id: int) -> str:
    """The title's slug, or ``slug-2``, ``slug-3``, … when another product uses it in ``lang``."""
    base = slugify(title) or f"product-{product_id}"
    taken = {p.texts.get(lang, {}).get("url") for p in shop.products.values()}
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _default_title(shop: Shop, product: Product) -> str:
    return product.texts.get(shop.default_language, {}).get("title") or ""


def _variant_title(shop: Shop, item: Product, variant: Variant) -> str:
    """The variant's default-language title, or the item's title when that is empty or "Default"."""
    own = (variant.titles.get(shop.default_language) or "").strip()
    placeholder = any((t or "").strip().lower() == _PLACEHOLDER_TITLE for t in variant.titles.values())
    if not own or placeholder:
        return _default_title(shop, item) or own or "Default"
    return own


def _moved_variant(shop: Shop, matrix: Product, item: Product, old: Variant) -> Variant:
    """A new variant of ``matrix`` with only what Retail owns of ``old``; the rest are new-variant defaults."""
    now = shop.now()
    weight_unit, volume_unit, size_unit = default_units(shop.info.currency)
    titles: dict[str, Text] = dict.fromkeys(shop.language_codes, _variant_title(shop, item, old))
    return Variant(
        id=shop.new_id(),
        created=now,
        updated=now,
        product_id=matrix.id,
        is_default=not matrix.variants,
        sort_order=max((v.sort_order for v in matrix.variants), default=0) + 1,
        titles=titles,
        tax_id=old.tax_id,
        articleCode=old.articleCode,
        ean=old.ean,
        sku=old.sku,
        priceExcl=old.priceExcl,
        priceIncl=old.priceIncl,
        stockLevel=old.stockLevel,
        weightUnit=weight_unit,
        volumeUnit=volume_unit,
        sizeUnit=size_unit,
    )


# -- the admin endpoints: POST /_emulator/retail/{delete,merge,matrix,publish}.json ---------------------


def admin_action(path: str) -> str | None:
    """``"delete"``, ``"merge"``, ``"matrix"`` or ``"publish"`` for a retail admin path, else ``None``."""
    if not path.startswith(ADMIN_PREFIX) or not path.endswith(".json"):
        return None
    name = path[len(ADMIN_PREFIX) : -len(".json")]
    return name if name in _HANDLERS else None


def play(shop: Shop, action: str, body: bytes) -> dict[str, object]:
    """Play ``action`` with the JSON ``body``; the answer's payload. Raises :class:`HttpError` 400/404."""
    data = _body(body)
    try:
        return _HANDLERS[action](shop, data)
    except UnknownProductError as exc:
        raise HttpError(404, str(exc)) from None
    except RetailActionError as exc:
        raise HttpError(400, str(exc)) from None


def _play_delete(shop: Shop, data: Mapping[str, Any]) -> dict[str, object]:
    product_id = _id(data, "product")
    delete_from_ecom(shop, product_id)
    return {"deleted": [product_id]}


def _play_merge(shop: Shop, data: Mapping[str, Any]) -> dict[str, object]:
    product_id, into_id = _id(data, "product"), _id(data, "into")
    merge(shop, product_id, into_id)
    return {"product": into_id, "deleted": [product_id]}


def _play_publish(shop: Shop, data: Mapping[str, Any]) -> dict[str, object]:
    skus = data.get("skus")
    if not isinstance(skus, list) or not skus or not all(isinstance(sku, str) and sku for sku in skus):
        raise HttpError(400, "Invalid skus: expected a non-empty list of SKUs.")
    return {"product": publish(shop, list(skus))}


def _play_matrix(shop: Shop, data: Mapping[str, Any]) -> dict[str, object]:
    ids = data.get("products")
    if not isinstance(ids, list) or not ids or not all(_is_id(value) for value in ids):
        raise HttpError(400, "Invalid products: expected a non-empty list of product ids.")
    matrix_id = _id(data, "matrix") if data.get("matrix") is not None else None
    title = data.get("title")
    if title is not None and (not isinstance(title, str) or not title.strip()):
        raise HttpError(400, "Invalid title: expected a non-empty text.")
    created = matrix_id is None
    product_id = add_to_matrix(shop, list(ids), matrix_id=matrix_id, title=title)
    return {"product": product_id, "created": created, "deleted": list(ids)}


_HANDLERS: dict[str, Callable[[Shop, Mapping[str, Any]], dict[str, object]]] = {
    "delete": _play_delete,
    "merge": _play_merge,
    "matrix": _play_matrix,
    "publish": _play_publish,
}


def _body(body: bytes) -> Mapping[str, Any]:
    try:
        data = json.loads(body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise HttpError(400, "Invalid JSON body.") from None
    if not isinstance(data, dict):
        raise HttpError(400, "Invalid body: expected a JSON object.")
    return data


def _id(data: Mapping[str, Any], name: str) -> int:
    value = data.get(name)
    if not _is_id(value):
        raise HttpError(400, f"Invalid {name}: expected a product id.")
    return value


def _is_id(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
