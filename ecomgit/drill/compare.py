"""The drill's yardstick: a product file cut into data kinds, and the differences between two of them.

A *kind* is one thing a merchant would miss (``description``, ``image files``, ``image titles``,
``category positions``, ``variants``, ``metafields``, …). Every top-level key of the mirror's file
is a kind of its own, except those split for a clearer table (images into files and titles,
categories into links and positions, variants into their content, metafields and images) and
those that are not content: the product's id, and each image's and variant's shop id (a product
that comes back is a new one). On a shop linked to Retail, what Retail owns (``RETAIL_PRODUCT``,
``RETAIL_VARIANT`` and the variants' order) is Retail's on the successor and is left out of the
comparison: restore does not promise it. Anything else the mirror holds is compared.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ecomgit.revisions import Version
from ecomgit.write.fields import RETAIL_PRODUCT, RETAIL_VARIANT

NOT_CONTENT = frozenset({"id"})
IMAGE_IDS = frozenset({"id", "fileId", "file", "title"})  # file and title have kinds of their own
VARIANT_IDS = frozenset({"id"})
# a successor's variants are Retail's: their order and their options (the matrix's option set)
RETAIL_VARIANT_MATRIX = frozenset({"isDefault", "sortOrder", "options"})
OWN_RECORDS = frozenset({"metafields", "relations", "quantityDiscounts", "reviews"})  # a new product's own ids
MISSING = "(missing)"


@dataclass(frozen=True)
class Difference:
    pid: int
    kind: str
    field: str
    expected: Any
    got: Any

    def line(self) -> str:
        return f"{self.pid} {self.field}: expected {_short(self.expected)}, got {_short(self.got)}"

    def to_json(self) -> dict[str, Any]:
        return {
            "product": self.pid,
            "kind": self.kind,
            "field": self.field,
            "expected": _plain(self.expected),
            "got": _plain(self.got),
        }


def kinds(version: Version, languages: Sequence[str], *, retail: bool) -> dict[str, dict[str, Any]]:
    """Kind → {field: value} for everything the file holds that a restore must bring back."""
    product = version.product
    out: dict[str, dict[str, Any]] = {}
    for key, value in product.items():
        if key in NOT_CONTENT or (retail and key in RETAIL_PRODUCT):
            continue
        if key == "images":
            _images(out, version, value or [])
        elif key == "categories":
            _categories(out, value or [])
        elif key == "variants":
            _variants(out, value or [], retail, languages)
        elif key == "quantityDiscounts":
            out[key] = _fields(key, _by_variant_code(value or [], product.get("variants") or []), languages)
        else:
            out[key] = _fields(key, value, languages)
    reviews = version.reviews()
    if reviews:
        out["reviews"] = _fields("reviews", reviews, languages)
    return out


def _fields(key: str, value: Any, languages: Sequence[str]) -> dict[str, Any]:
    """A kind's fields; the ids of records the product owns (a metafield's, a relation's) left out."""
    fields = dict(_flat(key, value, languages))
    if key in OWN_RECORDS:
        fields = {name: v for name, v in fields.items() if not (name.startswith(f"{key}[") and name.endswith("].id"))}
    return fields or {key: value}


def _by_variant_code(discounts: list[Any], variants: list[Any]) -> list[Any]:
    """Quantity discounts with the variant they are for named by its code, not its id (a new one's differs)."""
    codes = {v.get("id"): v.get("sku") or v.get("articleCode") or v.get("ean") for v in variants if isinstance(v, dict)}
    return [
        {**d, "variant": codes.get(d.get("variant"), d.get("variant"))}
        if isinstance(d, dict) and d.get("variant")
        else d
        for d in discounts
    ]


def renamed(fields: Mapping[str, Mapping[str, Any]], old_ids: Mapping[int, int]) -> dict[str, dict[str, Any]]:
    """``fields`` with each related product's id put back to the id it had before the drill (``old_ids``:
    new → old), for a relation to another product that came back under a new id in the same round."""
    out = {kind: dict(values) for kind, values in fields.items()}
    for name, value in out.get("relations", {}).items():
        if name.endswith(".product") and value in old_ids:
            out["relations"][name] = old_ids[value]
    return out


def retail_left_out(product: Mapping[str, Any], retail: bool) -> list[str]:
    """The kinds of ``product`` Retail owns on a successor (listed in the report, not compared)."""
    return sorted(key for key in product if retail and key in RETAIL_PRODUCT)


def differences(
    pid: int, expected: Mapping[str, Mapping[str, Any]], got: Mapping[str, Mapping[str, Any]]
) -> list[Difference]:
    """Every field of ``expected`` that ``got`` does not hold the same, and every field ``got`` adds."""
    found = []
    for kind, fields in expected.items():
        theirs = got.get(kind, {})
        for name in sorted(set(fields) | set(theirs)):
            mine, other = fields.get(name, MISSING), theirs.get(name, MISSING)
            if mine != other and not _said_twice(mine, other):
                found.append(Difference(pid, kind, name, mine, other))
    return found


def related(product: Mapping[str, Any]) -> set[int]:
    """The products ``product`` relates to."""
    relations = product.get("relations") or []
    return {r["product"] for r in relations if isinstance(r, dict) and isinstance(r.get("product"), int)}


def _said_twice(mine: Any, other: Any) -> bool:
    """An emptied list or map beside its missing items: the items' own differences say it."""
    return (mine == MISSING and other in ([], {})) or (other == MISSING and mine in ([], {}))


def _images(out: dict[str, dict[str, Any]], version: Version, images: list[Any]) -> None:
    files, titles, other = out.setdefault("image files", {}), out.setdefault("image titles", {}), {}
    for position, image in enumerate(images, 1):
        if not isinstance(image, dict):
            continue
        name = str(image.get("file"))
        files[f"image {position} ({name})"] = version.image_ident(name) or f"{name} (no file)"
        titles[f"image {position} title"] = image.get("title")
        for key, value in image.items():
            if key not in IMAGE_IDS:
                other[f"image {position} {key}"] = value
    if other:
        out["images (other)"] = other


def _categories(out: dict[str, dict[str, Any]], categories: list[Any]) -> None:
    links, positions = out.setdefault("categories", {}), out.setdefault("category positions", {})
    for category in categories:
        if not isinstance(category, dict):
            continue
        name = f"category {category.get('url') or category.get('id')}"
        links[name] = category.get("id")
        positions[f"{name} position"] = category.get("sortOrder")


def _variants(out: dict[str, dict[str, Any]], variants: list[Any], retail: bool, languages: Sequence[str]) -> None:
    content = out.setdefault("variants", {})
    metafields: dict[str, Any] = {}
    images: dict[str, Any] = {}
    skip = VARIANT_IDS | (RETAIL_VARIANT | RETAIL_VARIANT_MATRIX if retail else frozenset())
    for position, variant in enumerate(variants, 1):
        if not isinstance(variant, dict):
            continue
        label = f"variant {variant.get('sku') or variant.get('articleCode') or variant.get('ean') or position}"
        for key, value in variant.items():
            if key in skip:
                continue
            target = metafields if key == "metafields" else images if key == "image" else content
            target.update(_flat(f"{label} {key}", value, languages))
    if metafields:
        out["variant metafields"] = {name: v for name, v in metafields.items() if not name.endswith("].id")}
    if images:
        out["variant images"] = images


def _flat(prefix: str, value: Any, languages: Sequence[str]) -> Iterator[tuple[str, Any]]:
    """Leaves of ``value``, named by their path (a text per language as ``prefix [en]``)."""
    if isinstance(value, dict) and value:
        for key, inner in value.items():
            name = f"{prefix} [{key}]" if key in languages else f"{prefix}.{key}"
            yield from _flat(name, inner, languages)
    elif isinstance(value, list) and value:
        for index, inner in enumerate(value):
            yield from _flat(f"{prefix}[{index}]", inner, languages)
    else:
        yield prefix, value


def _plain(value: Any) -> Any:
    """``value`` as JSON has it (a date the YAML loader made, say, as its text)."""
    return value if isinstance(value, (str, int, float, bool, list, dict)) or value is None else str(value)


def _short(value: Any, most: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= most else text[: most - 1] + "…"
