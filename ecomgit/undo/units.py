"""A product file as the units an undo takes back one by one: a field per language, one link, one
metafield, one variant field, the images as a whole.

``units`` splits a product (as a mirror version holds it) into unit → value; ``rebuild`` sets some
units of a product to other values (or removes them: :data:`ABSENT`) and gives the new product
file. A unit is what a person would call one field: ``description [nl]``, ``category 5231103``,
``variant 118583011 priceExcl``, ``metafield warranty``. The images are one unit (their files by
the identity of their bytes, their order and titles, and which image each variant shows): an image
list half of one revision and half of another is no one's.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

from ecomgit.mirror import schema
from ecomgit.revisions import Version
from ecomgit.write.fields import MISSING, Policy

Unit = tuple[Hashable, ...]


class _Absent:
    """The unit is not there (a link not made, a metafield not set, a variant that does not exist)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()

_KEYED: dict[str, Callable[[Mapping[str, Any]], Hashable]] = {
    "categories": lambda item: item.get("id"),
    "tags": lambda item: item.get("id"),
    "attributes": lambda item: item.get("id"),
    "metafields": lambda item: item.get("key"),
    "filters": lambda item: (_ref_id(item.get("filter")), _ref_id(item.get("value"))),
}
_VARIANT_OWN = ("id", "title", "image", "metafields")  # split apart, or part of the images unit


def _ref_id(value: Any) -> Any:
    return value.get("id") if isinstance(value, Mapping) else None


def _frozen(value: Any) -> Hashable:
    """A value made comparable and hashable (lists and maps as tuples), for the images unit."""
    if isinstance(value, Mapping):
        return tuple((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value  # type: ignore[no-any-return]


def _maps(items: Any) -> list[Mapping[str, Any]]:
    return [item for item in items if isinstance(item, Mapping)] if isinstance(items, list) else []


def units(version: Version) -> dict[Unit, Any]:
    """Unit → value for one product version (values are the file's own: a link's whole entry)."""
    product = version.product
    out: dict[Unit, Any] = {}
    for key, value in product.items():
        if key in ("id", "images", "variants"):
            continue
        if key in schema.PRODUCT_TEXTS and isinstance(value, Mapping):
            for lang, text in value.items():
                out[(key, lang)] = text
        elif key in _KEYED:
            for item in _maps(value):
                out[(key, _KEYED[key](item))] = copy.deepcopy(dict(item))
        else:
            out[(key,)] = copy.deepcopy(value)
    out[("images",)] = images_value(version)
    for variant in _maps(product.get("variants")):
        vid = variant.get("id")
        out[("variants", vid)] = True
        for name, value in variant.items():
            if name in _VARIANT_OWN:
                continue
            out[("variants", vid, name)] = copy.deepcopy(value)
        titles = variant.get("title")
        if isinstance(titles, Mapping):
            for lang, text in titles.items():
                out[("variants", vid, "title", lang)] = text
        for meta in _maps(variant.get("metafields")):
            out[("variants", vid, "metafields", meta.get("key"))] = copy.deepcopy(dict(meta))
    return out


def images_value(version: Version) -> Hashable:
    """The images unit: the image list (file, title, ids), each variant's image, and the files'
    bytes by git blob id."""
    entries = tuple(tuple((k, _frozen(v)) for k, v in image.items()) for image in _maps(version.product.get("images")))
    shown = tuple(sorted((str(v.get("id")), v.get("image")) for v in _maps(version.product.get("variants"))))
    names = [str(image.get("file")) for image in _maps(version.product.get("images"))]
    names += [str(name) for _, name in shown if isinstance(name, str)]
    files = tuple(sorted((name, version.image_blobs.get(name)) for name in set(names)))
    return (entries, shown, files)


def image_files(value: Any) -> dict[str, str]:
    """Image file name → blob id, from an images unit's value."""
    return {name: blob for name, blob in value[2] if blob is not None} if value is not ABSENT else {}


def rebuild(product: Mapping[str, Any], changes: Mapping[Unit, Any]) -> dict[str, Any]:
    """``product`` with each unit of ``changes`` set to its value (:data:`ABSENT`: removed)."""
    out = copy.deepcopy(dict(product))
    variants_made: dict[Hashable, dict[str, Any]] = {}
    for unit, value in changes.items():
        head = str(unit[0])
        if head == "images":
            _set_images(out, value)
        elif head == "variants":
            _set_variant(out, unit, value, variants_made)
        elif head in schema.PRODUCT_TEXTS and len(unit) == 2:
            texts = out.setdefault(head, {})
            if isinstance(texts, dict):
                if value is ABSENT:
                    texts.pop(str(unit[1]), None)
                else:
                    texts[str(unit[1])] = value
        elif head in _KEYED:
            out[head] = _set_item(_maps(out.get(head)), _KEYED[head], unit[1], value)
        elif value is ABSENT:
            out.pop(head, None)
        else:
            out[head] = copy.deepcopy(value)
    return out


def _set_item(
    items: list[Mapping[str, Any]], key: Callable[[Mapping[str, Any]], Hashable], wanted: Hashable, value: Any
) -> list[Any]:
    kept = [dict(item) for item in items if key(item) != wanted]
    if value is ABSENT:
        return kept
    at = next((n for n, item in enumerate(items) if key(item) == wanted), len(kept))
    return [*kept[:at], copy.deepcopy(value), *kept[at:]]


def _set_images(product: dict[str, Any], value: Any) -> None:
    entries, shown, _ = value
    product["images"] = [{key: value for key, value in entry} for entry in entries]  # scalars only
    by_variant = dict(shown)
    for variant in product.get("variants") or []:
        if isinstance(variant, dict) and str(variant.get("id")) in by_variant:
            variant["image"] = by_variant[str(variant.get("id"))]


def _set_variant(product: dict[str, Any], unit: Unit, value: Any, made: dict[Hashable, dict[str, Any]]) -> None:
    variants = product.setdefault("variants", [])
    vid = unit[1]
    variant = next((v for v in variants if isinstance(v, dict) and v.get("id") == vid), None)
    if len(unit) == 2:  # the variant itself: brought back whole (``value``: its file entry), or removed
        if value is ABSENT:
            product["variants"] = [v for v in variants if not (isinstance(v, dict) and v.get("id") == vid)]
        elif variant is None:
            variants.append(copy.deepcopy(value) if isinstance(value, dict) else {"id": vid})
        return
    if variant is None:
        return
    name = str(unit[2])
    if name == "title" and len(unit) == 4:
        titles = variant.setdefault("title", {})
        if isinstance(titles, dict):
            if value is ABSENT:
                titles.pop(str(unit[3]), None)
            else:
                titles[str(unit[3])] = value
    elif name == "metafields" and len(unit) == 4:
        variant["metafields"] = _set_item(_maps(variant.get("metafields")), _KEYED["metafields"], unit[3], value)
    elif value is ABSENT:
        variant.pop(name, None)
    else:
        variant[name] = copy.deepcopy(value)


def field_name(unit: Unit) -> str:
    """The field a unit belongs to, as ``--fields`` and ``--force-field`` name it: ``description``,
    ``categories``, ``priceExcl`` (a variant's), ``images``."""
    if unit[0] == "variants":
        return str(unit[2]) if len(unit) > 2 else "variants"
    return str(unit[0])


def wanted(unit: Unit, names: Sequence[str]) -> bool:
    """Whether ``--fields``/``--force-field`` ``names`` cover ``unit`` (``variants.priceExcl`` or
    ``priceExcl`` for a variant's field, ``variants`` for whole variants)."""
    if not names:
        return True
    return Policy(fields=frozenset(names)).allows(unit) or field_name(unit) in names


def words(unit: Unit, describe: Callable[[Hashable], str] | None = None) -> str:
    """A unit in words: ``description [nl]``, ``category 5231103``, ``variant 118583011 priceExcl``."""
    head = str(unit[0])
    if head == "variants":
        name = describe(unit[1]) if describe else f"variant {unit[1]}"
        if len(unit) == 2:
            return name
        if len(unit) == 4 and unit[2] == "title":
            return f"{name} title [{unit[3]}]"
        if len(unit) == 4:
            return f"{name} metafield {unit[3]}"
        return f"{name} {unit[2]}"
    if head in schema.PRODUCT_TEXTS and len(unit) == 2:
        return f"{head} [{unit[1]}]"
    singular = {"categories": "category", "tags": "tag", "attributes": "attribute", "metafields": "metafield"}
    if head in singular:
        return f"{singular[head]} {unit[1]}"
    if head == "filters":
        return f"filter value {unit[1][1] if isinstance(unit[1], tuple) else unit[1]}"
    return head


def retail_owned(unit: Unit, removes: bool) -> bool:
    """Whether Lightspeed Retail owns ``unit`` on a linked shop, so that an undo leaves it to Retail
    (``removes``: the undo would take the unit away; Retail's categories are only ever added to)."""
    if unit[0] == "images":
        return False  # additive there: the write adds missing images and removes none
    path = unit if unit[0] != "variants" or len(unit) == 2 else unit[:3]
    return not Policy(retail=True).allows(path, MISSING if removes else True)
