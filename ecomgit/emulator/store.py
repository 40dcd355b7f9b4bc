"""The in-memory shop the emulator serves.

:class:`Shop` holds every record in dicts keyed by id, kept in ascending id order (ids only grow,
so appending keeps the order; :meth:`Shop.finish_loading` sorts once after a bulk load). The
mutating methods here are the only ones that add or remove children, and each of them moves the
owning product's ``updated`` (and a variant's own) so that ``updatedAt`` behaves the same whatever
kind of change was made. Callers that change scalar fields call :meth:`Shop.touch_product` or
:meth:`Shop.touch_variant` themselves.

The same methods note each change to a product or variant in :attr:`Shop.changes` (while any
webhook is registered), which the app turns into webhook deliveries after each request.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from ecomgit.emulator.changes import Changes, Record
from ecomgit.emulator.model import (
    TAXES,
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
    OptionSet,
    Product,
    ProductType,
    QuantityDiscount,
    Redirect,
    Relation,
    Review,
    ShopInfo,
    Supplier,
    Tag,
    TagLink,
    Tax,
    Variant,
    Webhook,
)

V = TypeVar("V")


class IdAllocator:
    """Hands out ids above every id seen so far; an id is never handed out twice."""

    __slots__ = ("_next",)

    def __init__(self, start: int = 1) -> None:
        self._next = start

    def next(self) -> int:
        value = self._next
        self._next += 1
        return value

    def seen(self, value: int) -> None:
        """Record an id that exists already, so it is never handed out."""
        if value >= self._next:
            self._next = value + 1


class Shop:
    """One shop: languages, catalog, taxonomy, an id allocator and a clock."""

    def __init__(
        self,
        info: ShopInfo,
        languages: list[Language],
        *,
        clock: Callable[[], float] = time.time,
        image_source: Callable[[int], bytes] | None = None,
    ) -> None:
        if not languages:
            raise ValueError("a shop needs at least one language")
        self.info = info
        self.languages = languages
        self.clock = clock
        self.image_source = image_source
        self.ids = IdAllocator()
        self.products: dict[int, Product] = {}
        self.variants: dict[int, Variant] = {}
        self.images: dict[int, Image] = {}
        self.files: dict[int, Image] = {}
        self.categories: dict[int, Category] = {}
        self.category_links: dict[int, CategoryLink] = {}
        self.tags: dict[int, Tag] = {}
        self.tag_links: dict[int, TagLink] = {}
        self.brands: dict[int, Brand] = {}
        self.deliverydates: dict[int, DeliveryDate] = {}
        self.suppliers: dict[int, Supplier] = {}
        self.redirects: dict[int, Redirect] = {}
        self.filters: dict[int, Filter] = {}
        self.types: dict[int, ProductType] = {}
        self.sets: dict[int, OptionSet] = {}
        self.quantity_discounts: dict[int, QuantityDiscount] = {}
        self.reviews: dict[int, Review] = {}
        self.taxes: dict[int, Tax] = {tax.id: copy.copy(tax) for tax in TAXES}
        self.attributes: dict[int, Attribute] = {}
        # Retail's own record of the items whose eCom product a Retail action deleted: SKU → that
        # product as it was (Retail keeps its items; publishing one to eCom again makes a new product)
        self.retail_items: dict[str, Product] = {}
        self.webhooks: dict[int, Webhook] = {}
        self.changes = Changes()  # what changed since the app last took it, for the webhooks

    # -- basics -------------------------------------------------------------------------------

    def now(self) -> int:
        return int(self.clock())

    def new_id(self) -> int:
        return self.ids.next()

    @property
    def default_language(self) -> str:
        return next((lang.code for lang in self.languages if lang.is_default), self.languages[0].code)

    @property
    def language_codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

    def language(self, code: str) -> Language | None:
        return next((lang for lang in self.languages if lang.code == code), None)

    def note(self, group: str, action: str, record: Record) -> None:
        """Note a change for the webhooks (``"products"``, ``"updated"``); nothing while none is registered."""
        if self.webhooks:
            self.changes.note(group, action, record)

    def touch_product(self, product: Product) -> None:
        product.updated = max(product.updated, self.now())
        self.note("products", "updated", product)

    def touch_variant(self, variant: Variant) -> None:
        variant.updated = max(variant.updated, self.now())
        self.note("variants", "updated", variant)
        product = self.products.get(variant.product_id)
        if product is not None:
            self.touch_product(product)

    def image_bytes(self, image: Image) -> bytes:
        if isinstance(image.data, bytes):
            return image.data
        if isinstance(image.data, Path):
            return image.data.read_bytes()
        if self.image_source is None:
            raise LookupError(f"no bytes for file {image.file_id}")
        return self.image_source(image.file_id)

    def finish_loading(self) -> None:
        """Sort every table and child list by id and make the allocator skip all known ids."""
        for name in _TABLES:
            table: dict[int, object] = getattr(self, name)
            setattr(self, name, _sorted_by_key(table))
            for key in table:
                self.ids.seen(key)
        for image in self.images.values():
            self.ids.seen(image.file_id)
        for kind in self.types.values():
            for link_id, _ in kind.attributes:
                self.ids.seen(link_id)
        for found_set in self.sets.values():
            for option in found_set.options:
                self.ids.seen(option.id)
                for option_value in option.values:
                    self.ids.seen(option_value.id)
        for found in self.filters.values():
            found.values.sort(key=lambda value: (value.sort_order, value.id))
            for value in found.values:
                self.ids.seen(value.id)
        for product in self.products.values():
            _sort_children(product)
            settle_updated(product)
            links = [link.id for link in product.filter_links]
            for ident in [m.id for m in product.metafields] + [r.id for r in product.relations] + links:
                self.ids.seen(ident)
            for variant in product.variants:
                variant.metafields.sort(key=_id_of)
                for metafield in variant.metafields:
                    self.ids.seen(metafield.id)

    # -- products and variants ------------------------------------------------------------------

    def add_product(self, product: Product) -> None:
        self.products[product.id] = product
        self.note("products", "created", product)

    def delete_product(self, product: Product) -> None:
        self.note("products", "deleted", product)
        for variant in list(product.variants):
            self.note("variants", "deleted", variant)
            del self.variants[variant.id]
        for image in product.images:
            del self.images[image.id]
            self.files.pop(image.file_id, None)
        for clink in product.category_links:
            del self.category_links[clink.id]
        for tlink in product.tag_links:
            del self.tag_links[tlink.id]
        for discount in [d for d in self.quantity_discounts.values() if d.product_id == product.id]:
            del self.quantity_discounts[discount.id]
        for review in [r for r in self.reviews.values() if r.product_id == product.id]:
            del self.reviews[review.id]
        del self.products[product.id]
        for other in self.products.values():
            kept = [rel for rel in other.relations if rel.related_id != product.id]
            if len(kept) != len(other.relations):
                other.relations = kept
                self.touch_product(other)

    def add_variant(self, product: Product, variant: Variant) -> None:
        product.variants.append(variant)
        self.variants[variant.id] = variant
        self.note("variants", "created", variant)
        if variant.is_default:
            self.make_default(variant)
        self.touch_product(product)

    def delete_variant(self, variant: Variant) -> None:
        product = self.products[variant.product_id]
        product.variants.remove(variant)
        del self.variants[variant.id]
        self.note("variants", "deleted", variant)
        for discount in [d for d in self.quantity_discounts.values() if d.variant_id == variant.id]:
            del self.quantity_discounts[discount.id]
        if variant.is_default and product.variants:
            successor = min(product.variants, key=lambda v: (v.sort_order, v.id))
            successor.is_default = True
            self.touch_variant(successor)
        self.touch_product(product)

    def make_default(self, variant: Variant) -> None:
        """Make ``variant`` its product's default and clear the flag on the others."""
        variant.is_default = True
        for other in self.products[variant.product_id].variants:
            if other is not variant and other.is_default:
                other.is_default = False
                self.touch_variant(other)

    # -- images ---------------------------------------------------------------------------------

    def add_image(self, product: Product, image: Image) -> None:
        product.images.append(image)
        self.images[image.id] = image
        self.files[image.file_id] = image
        self.touch_product(product)

    def delete_image(self, image: Image) -> None:
        product = self.products[image.product_id]
        product.images.remove(image)
        del self.images[image.id]
        self.files.pop(image.file_id, None)
        for variant in product.variants:
            if variant.image_id == image.id:
                variant.image_id = None
                self.touch_variant(variant)
        self.touch_product(product)

    # -- taxonomy links -------------------------------------------------------------------------

    def link_category(self, product: Product, category_id: int, sort_order: int = 0) -> CategoryLink:
        link = CategoryLink(self.new_id(), category_id, product.id, sort_order)
        product.category_links.append(link)
        self.category_links[link.id] = link
        self.touch_product(product)
        return link

    def unlink_category(self, link: CategoryLink) -> None:
        product = self.products[link.product_id]
        product.category_links.remove(link)
        del self.category_links[link.id]
        self.touch_product(product)

    def link_tag(self, product: Product, tag_id: int) -> TagLink:
        link = TagLink(self.new_id(), tag_id, product.id)
        product.tag_links.append(link)
        self.tag_links[link.id] = link
        self.touch_product(product)
        return link

    def unlink_tag(self, link: TagLink) -> None:
        product = self.products[link.product_id]
        product.tag_links.remove(link)
        del self.tag_links[link.id]
        self.touch_product(product)

    def delete_category(self, category: Category) -> None:
        """Delete a category, its sub-categories and every product link to them."""
        doomed = {
            other.id
            for other in self.categories.values()
            if any(c.id == category.id for c in self.category_chain(other))
        }
        for link in [lk for lk in self.category_links.values() if lk.category_id in doomed]:
            self.unlink_category(link)
        for cid in doomed:
            del self.categories[cid]

    def delete_tag(self, tag: Tag) -> None:
        for link in [lk for lk in self.tag_links.values() if lk.tag_id == tag.id]:
            self.unlink_tag(link)
        del self.tags[tag.id]

    def delete_brand(self, brand: Brand) -> None:
        self._clear_references("brand_id", brand.id)
        del self.brands[brand.id]

    def delete_deliverydate(self, deliverydate: DeliveryDate) -> None:
        self._clear_references("deliverydate_id", deliverydate.id)
        del self.deliverydates[deliverydate.id]

    def delete_supplier(self, supplier: Supplier) -> None:
        self._clear_references("supplier_id", supplier.id)
        del self.suppliers[supplier.id]

    def _clear_references(self, attribute: str, value: int) -> None:
        for product in self.products.values():
            if getattr(product, attribute) == value:
                setattr(product, attribute, None)
                self.touch_product(product)

    # -- metafields and relations ---------------------------------------------------------------

    def add_metafield(self, owner: Product | Variant, metafield: Metafield) -> None:
        owner.metafields.append(metafield)
        self.touch_owner(owner)

    def delete_metafield(self, owner: Product | Variant, metafield: Metafield) -> None:
        owner.metafields.remove(metafield)
        self.touch_owner(owner)

    def touch_owner(self, owner: Product | Variant) -> None:
        if isinstance(owner, Variant):
            self.touch_variant(owner)
        else:
            self.touch_product(owner)

    def filter_value(self, filter_id: int, value_id: int) -> tuple[Filter, FilterValue] | None:
        found = self.filters.get(filter_id)
        value = next((v for v in found.values if v.id == value_id), None) if found is not None else None
        return (found, value) if found is not None and value is not None else None

    def default_tax(self) -> Tax | None:
        """The shop's default tax class (the one a new variant is charged at)."""
        return next((t for t in self.taxes.values() if t.is_default), None)

    def tax_class(self, ident: int, rate: float | int) -> Tax:
        """The tax class ``ident``; one at ``rate`` when the shop has none of that id yet."""
        if ident not in self.taxes:
            percent = f"{rate * 100:g}"
            self.taxes[ident] = Tax(ident, rate, f"{percent} %")
        return self.taxes[ident]

    def tax_rate(self, variant: Variant) -> float | int:
        """The rate of the variant's tax class (the shop's default class when it names none)."""
        found = self.taxes.get(variant.tax_id) if variant.tax_id is not None else None
        found = found or self.default_tax()
        rate = found.rate if found is not None else 0
        return int(rate) if float(rate).is_integer() else rate

    # -- product types and their attributes ------------------------------------------------------
    def type_attributes(self, product: Product) -> list[Attribute]:
        """The attributes the product's type asks a value for, in the type's order."""
        kind = self.types.get(product.type_id) if product.type_id is not None else None
        return [self.attributes[aid] for _, aid in (kind.attributes if kind else []) if aid in self.attributes]

    def set_type(self, product: Product, type_id: int | None) -> None:
        """Give the product a type (or none): values of attributes the new type lacks are dropped."""
        product.type_id = type_id
        kept = {a.id for a in self.type_attributes(product)}
        product.attribute_values = {aid: v for aid, v in product.attribute_values.items() if aid in kept}
        self.touch_product(product)

    def link_filter_value(self, product: Product, filter_id: int, value_id: int) -> FilterLink:
        link = FilterLink(self.new_id(), filter_id, value_id)
        product.filter_links.append(link)
        self.touch_product(product)
        return link

    def unlink_filter_value(self, product: Product, link: FilterLink) -> None:
        product.filter_links.remove(link)
        self.touch_product(product)

    def add_relation(self, product: Product, relation: Relation) -> None:
        product.relations.append(relation)
        self.touch_product(product)

    def delete_relation(self, product: Product, relation: Relation) -> None:
        product.relations.remove(relation)
        self.touch_product(product)

    # -- derived values -------------------------------------------------------------------------

    def category_chain(self, category: Category) -> list[Category]:
        """The category and its ancestors, the category first."""
        chain = [category]
        seen = {category.id}
        parent = self.categories.get(category.parent_id) if category.parent_id else None
        while parent is not None and parent.id not in seen:
            chain.append(parent)
            seen.add(parent.id)
            parent = self.categories.get(parent.parent_id) if parent.parent_id else None
        return chain

    def main_image(self, product: Product) -> Image | None:
        if not product.images:
            return None
        return min(product.images, key=lambda image: (image.sort_order, image.id))


_TABLES = (
    "products",
    "variants",
    "images",
    "files",
    "categories",
    "category_links",
    "tags",
    "tag_links",
    "brands",
    "deliverydates",
    "suppliers",
    "redirects",
    "filters",
    "types",
    "attributes",
    "quantity_discounts",
    "reviews",
    "sets",
)


def _sorted_by_key(table: dict[int, V]) -> dict[int, V]:
    return dict(sorted(table.items(), key=lambda item: item[0]))


def _id_of(record: Metafield | Relation | Variant | Image | CategoryLink | TagLink) -> int:
    return record.id


def _sort_children(product: Product) -> None:
    lists: Iterable[
        list[Variant] | list[Image] | list[CategoryLink] | list[TagLink] | list[Metafield] | list[Relation]
    ] = (
        product.variants,
        product.images,
        product.category_links,
        product.tag_links,
        product.metafields,
        product.relations,
    )
    for children in lists:
        children.sort(key=_id_of)


def settle_updated(product: Product) -> None:
    """A product's ``updated`` is never older than its variants' (a variant edit moves it, as here)."""
    product.updated = max([product.updated, *(variant.updated for variant in product.variants)])
