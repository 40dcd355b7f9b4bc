"""The live product ("theirs"): read from the shop in parts, only the parts a write needs.

``catalog`` (``/catalog/{id}.json``: fields, default-language texts, variants in brief, images,
categories, brand, delivery date, relations) is always read; the other parts are read on demand:

- ``texts:<lang>``: the product's texts in another language;
- ``variants``: the full variant records; ``vtitles:<lang>``: variant titles in another language;
- ``tags``: the tag links (with their link ids); ``metafields``; ``vmetafields``;
- ``categorylinks``: the category links: their ids, and the product's position in each category;
- ``imagetitles``: the product images' titles (the catalog's images have none);
- ``type``: the product's type (the catalog has its attribute values, not the type);
- ``discounts``: the product's quantity discounts (``/quantity_discounts.json?product=``).

A part that was not read is taken from ``previous`` (a mirror version of the product), exactly
as a sync takes what did not change from the mirror file.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecomgit.api import ShopClient
from ecomgit.api.values import as_int, as_str, link_id, objects
from ecomgit.errors import NotFoundError
from ecomgit.sync import assemble
from ecomgit.sync.plan import pages as list_pages
from ecomgit.write.fields import Path

TEXT_FIELDS = "id,title,fulltitle,description,content,url"


@dataclass
class Live:
    pid: int
    record: dict[str, Any]
    texts: dict[str, dict[str, Any]] = field(default_factory=dict)
    variants: dict[int, dict[str, Any]] = field(default_factory=dict)
    vtitles: dict[str, dict[int, str]] = field(default_factory=dict)
    tag_links: list[dict[str, Any]] | None = None
    metafields: list[dict[str, Any]] | None = None
    vmetafields: dict[int, list[dict[str, Any]]] | None = None
    category_links: list[dict[str, Any]] | None = None
    image_titles: dict[int, str] | None = None  # productImage id → title
    discounts: list[dict[str, Any]] | None = None  # quantity discount rows, with their ids
    type_read: bool = False
    product_type: dict[str, Any] | None = None  # {id, title}; None: no type
    product_set: dict[str, Any] | None = None  # {id, name}; None: no option set
    read: set[str] = field(default_factory=set)

    @property
    def variant_ids(self) -> list[int]:
        return [as_int(v.get("id"), 0) for v in objects(self.record.get("variants"))]

    def images(self) -> list[dict[str, Any]]:
        """The product images in position order (productImage id, sortOrder, src)."""
        return sorted(
            objects(self.record.get("images")),
            key=lambda i: (as_int(i.get("sortOrder"), 0), as_int(i.get("id"), 0)),
        )

    def relations(self) -> list[dict[str, Any]]:
        return objects(self.record.get("relations"))

    def build(
        self,
        languages: Sequence[str],
        previous: Mapping[str, Any] | None,
        tag_titles: Mapping[int, str],
        include_fields: Sequence[str],
    ) -> assemble.Built:
        """The product in mirror form (parts not read come from ``previous``)."""
        deep = assemble.Deep(
            texts=dict(self.texts),
            variants=dict(self.variants),
            variant_titles={lang: dict(t) for lang, t in self.vtitles.items()},
            tag_ids=None
            if self.tag_links is None
            else [t for row in self.tag_links if (t := link_id(row.get("tag"))) is not None],
            metafields=None if self.metafields is None else list(self.metafields),
            variant_metafields=None if self.vmetafields is None else {k: list(v) for k, v in self.vmetafields.items()},
            image_titles=None if self.image_titles is None else dict(self.image_titles),
            type_read=self.type_read,
            product_type=None if self.product_type is None else dict(self.product_type),
            product_set=None if self.product_set is None else dict(self.product_set),
        )
        positions = None
        if self.category_links is not None:
            found = ((link_id(row.get("category")), as_int(row.get("sortOrder"), 0)) for row in self.category_links)
            positions = {cid: order for cid, order in found if cid is not None}
        record = self.record if self.discounts is None else {**self.record, "quantityDiscounts": self.discounts}
        return assemble.build_product(
            record,
            languages=languages,
            deep=deep,
            previous=previous,
            tag_titles=tag_titles,
            include_fields=include_fields,
            positions=positions,
        )


def all_parts(languages: Sequence[str], variant_metafields: bool) -> set[str]:
    parts = {"variants", "tags", "metafields", "categorylinks", "imagetitles", "type", "discounts"}
    parts.update(f"texts:{lang}" for lang in languages[1:])
    parts.update(f"vtitles:{lang}" for lang in languages[1:])
    if variant_metafields:
        parts.add("vmetafields")
    return parts


PAGE = 250  # rows per list page


class LiveReader:
    def __init__(self, client: ShopClient, languages: Sequence[str]) -> None:
        self.client = client
        self.languages = list(languages)
        self.default = self.languages[0]
        self.type_titles: dict[int, str] = {}  # type id → title, read once per run
        # what prefetch read through list pages, taken (once) by the first read of each product
        self._records: dict[int, dict[str, Any]] = {}
        self._texts: dict[tuple[int, str], dict[str, Any]] = {}
        self._variants: dict[int, list[dict[str, Any]]] = {}

    def prefetch(self, wanted: Mapping[int, Iterable[str]], products: int | None = None) -> None:
        """Read the catalog records of the products of ``wanted`` (product → the parts its plan
        needs), their variants, and their texts in each other language a plan needs, through the shop's list pages
        where that takes fewer requests than one read per product (issue 16 item 4: a push of many
        products plans at the price of the lists, as sync reads). Each product's first ``read``
        takes what was read here; every later read (just before writing, the read-back) asks the
        shop again. ``products``: how many products the shop has, as the mirror knows it (else
        counted: a request).

        A list costs at least two requests (a count, a page), so for two products or fewer nothing
        is read here."""
        if len(wanted) <= 2:
            return
        total = products if products is not None else self.client.count("catalog", lang=self.default)
        pages = list_pages(total, PAGE)
        if pages < len(wanted):
            rows = self.client.iter_list("catalog", "products", lang=self.default, limit=PAGE)
            self._records.update(_listed(rows, wanted))
        needing_variants = {pid for pid, parts in wanted.items() if "variants" in parts}
        if len(needing_variants) > 2:
            variant_pages = list_pages(self.client.count("variants", lang=self.default), PAGE)
            if variant_pages < len(needing_variants):
                listed: dict[int, list[dict[str, Any]]] = {}
                for row in self.client.iter_list("variants", "variants", lang=self.default, limit=PAGE):
                    if (owner := link_id(row.get("product"))) in needing_variants:
                        listed.setdefault(owner, []).append(row)
                self._variants.update(listed)  # a product none of whose variants was listed: read alone
        for lang in self.languages[1:]:
            needing = {pid for pid, parts in wanted.items() if f"texts:{lang}" in parts}
            if pages < len(needing):
                rows = self.client.iter_list("products", "products", {"fields": TEXT_FIELDS}, lang=lang, limit=PAGE)
                self._texts.update(((pid, lang), row) for pid, row in _listed(rows, needing).items())

    def read(self, pid: int, parts: Iterable[str]) -> Live | None:
        """The live product with ``parts`` read, or None when the shop has no product ``pid``."""
        record = self._records.pop(pid, None)
        if record is None:  # not prefetched (or already taken): asked for
            try:
                record = self.client.get_one(f"catalog/{pid}", "product", lang=self.default)
            except NotFoundError:
                return None
        live = Live(pid, record)
        self.refresh(live, parts, catalog=False)
        return live

    def refresh(self, live: Live, parts: Iterable[str], *, catalog: bool = True) -> None:
        """Read ``parts`` (and, unless told not to, the catalog record) again."""
        if catalog:
            live.record = self.client.get_one(f"catalog/{live.pid}", "product", lang=self.default)
        for part in sorted(set(parts)):
            self._read_part(live, part)
            live.read.add(part)

    def _read_part(self, live: Live, part: str) -> None:
        pid = live.pid
        kind, _, lang = part.partition(":")
        if kind == "texts" and lang != self.default:
            cached = self._texts.pop((pid, lang), None)
            live.texts[lang] = (
                cached
                if cached is not None
                else self.client.get_one(f"products/{pid}", "product", {"fields": TEXT_FIELDS}, lang=lang)
            )
        elif kind == "variants":
            listed = self._variants.pop(pid, None)
            rows = (
                listed
                if listed is not None
                else self.client.iter_list("variants", "variants", {"product": pid}, lang=self.default)
            )
            live.variants = {as_int(v.get("id"), 0): v for v in rows}
        elif kind == "vtitles" and lang != self.default:
            rows = self.client.iter_list(
                "variants", "variants", {"product": pid, "fields": "id,title,product"}, lang=lang
            )
            live.vtitles[lang] = {as_int(v.get("id"), 0): as_str(v.get("title")) for v in rows}
        elif kind == "tags":
            live.tag_links = list(self.client.iter_list("tags/products", "tagsProducts", {"product": pid}))
        elif kind == "metafields":
            live.metafields = list(self.client.iter_list(f"products/{pid}/metafields", "productMetafields"))
        elif kind == "vmetafields":
            live.vmetafields = {
                vid: list(self.client.iter_list(f"variants/{vid}/metafields", "variantMetafields"))
                for vid in live.variant_ids
            }
        elif kind == "imagetitles":
            live.image_titles = {}
            if objects(live.record.get("images")):  # none: no request
                rows = self.client.iter_list(f"products/{pid}/images", "productImages", {"fields": "id,title"})
                live.image_titles = {as_int(row.get("id"), 0): as_str(row.get("title")) for row in rows}
        elif kind == "discounts":
            params = {"product": pid}
            live.discounts = list(self.client.iter_list("quantity_discounts", "quantityDiscounts", params))
        elif kind == "type":
            row = self.client.get_one(f"products/{pid}", "product", {"fields": "id,type,set"}, lang=self.default)
            tid = link_id(row.get("type"))
            found = row.get("set")
            live.type_read, live.product_type = True, None
            live.product_set = (
                {"id": as_int(found.get("id")), "name": as_str(found.get("name"))}
                if isinstance(found, Mapping)
                else None
            )
            if tid is not None:
                known = self.type_titles.get(tid)
                if known is None:
                    known = as_str(self.client.get_one(f"types/{tid}", "type", lang=self.default).get("title"))
                    self.type_titles[tid] = known
                live.product_type = {"id": tid, "title": known}
        elif kind == "categorylinks":
            live.category_links = list(
                self.client.iter_list("categories/products", "categoriesProducts", {"product": pid})
            )


def _listed(rows: Iterable[dict[str, Any]], wanted: Collection[int]) -> dict[int, dict[str, Any]]:
    """The rows of ``wanted`` products; the pages after the one holding the last are not asked for."""
    found: dict[int, dict[str, Any]] = {}
    for row in rows:
        if (pid := as_int(row.get("id"), 0)) in wanted:
            found[pid] = row
            if len(found) == len(wanted):
                break
    return found


def parts_for(paths: list[Path], languages: list[str]) -> set[str]:
    """The live parts needed to see the current value of ``paths`` (the catalog is always read)."""
    default = languages[0]
    parts: set[str] = set()
    for path in paths:
        head = path[0]
        if len(path) == 2 and isinstance(path[1], str) and path[1] in languages and path[1] != default:
            parts.add(f"texts:{path[1]}")
        elif head in ("tags", "metafields"):
            parts.add(head)
        elif head == "categories" and len(path) == 3:  # a position: the links hold it
            parts.add("categorylinks")
        elif head in ("type", "set"):
            parts.add("type")
        elif head == "quantityDiscounts":
            parts.add("discounts")
        elif head == "images" and len(path) == 3:  # an image's title: the image list holds it
            parts.add("imagetitles")
        elif head == "variants":
            parts.add("variants")
            if len(path) > 3 and path[2] == "title" and path[3] != default:
                parts.add(f"vtitles:{path[3]}")
            if len(path) > 2 and path[2] == "metafields":
                parts.add("vmetafields")
            if len(path) == 2:  # a variant added or removed: all of it matters
                parts.update(f"vtitles:{lang}" for lang in languages[1:])
    return parts
