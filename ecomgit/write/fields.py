"""Products as flat field paths, and the field-level decisions of push and restore.

A product in mirror form becomes a dict of *paths* to values, one per thing the shop stores on
its own: ``("title", "en")``, ``("variants", 118583391, "oldPriceExcl")``, ``("categories",
5231102)`` (present), ``("images",)`` (the identities of the image bytes, in order),
``("metafields", "meta_keywords")``. Comparing two products is comparing two such dicts; a path
missing from one side is :data:`MISSING` (a category not linked, a variant that does not exist).

- :func:`three_way` (push): base = last synced, ours = committed here, theirs = live. A path
  changed here is sent unless the shop changed it differently since the last sync: a conflict.
- :func:`overwrite` (restore): every path where the chosen revision differs from the live product.
- :class:`Policy` then drops what the write may not touch: fields Lightspeed Retail owns on a
  linked shop (unless ``--all-fields``), removals of images and categories there (additive),
  fields outside ``--fields``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecomgit.mirror import markers, schema

Path = tuple[Any, ...]


class _Missing:
    def __repr__(self) -> str:
        return "(none)"


MISSING: Any = _Missing()

PRODUCT_SCALARS = ("visibility", "isFeatured", "data01", "data02", "data03")
REFS = ("brand", "supplier", "deliverydate")
VARIANT_FIELDS = tuple(k for k in schema.VARIANT_KEYS if k not in ("id", "title", "image", "options", "metafields"))

RETAIL_PRODUCT = frozenset({"title", "fulltitle", "brand", "set"})  # a matrix's option set: Retail's matrix
RETAIL_VARIANT = frozenset({"priceExcl", "priceIncl", "priceCost", "articleCode", "ean", "sku"})
ADDITIVE = frozenset({"categories", "images"})  # on a Retail-linked shop: add what is missing, remove nothing

Ident = Callable[[str], str | None]  # image file name → identity of its bytes
VariantKey = Callable[[Mapping[str, Any]], Hashable]


def flatten(product: Mapping[str, Any], languages: Sequence[str], ident: Ident, vkey: VariantKey) -> dict[Path, Any]:
    out: dict[Path, Any] = {}
    for name in PRODUCT_SCALARS:
        if name in product or name not in schema.LATER_PRODUCT_KEYS:  # an older file says nothing of a later key
            out[(name,)] = product.get(name)
    for name in schema.PRODUCT_TEXTS:
        value = product.get(name)
        texts: Mapping[str, Any] = value if isinstance(value, Mapping) else {}
        for lang in languages:
            out[(name, lang)] = texts.get(lang, "")
    for name in REFS:
        ref = product.get(name)
        out[(name,)] = ref.get("id") if isinstance(ref, Mapping) else None
    for name in ("categories", "tags"):
        for item in _maps(product.get(name)):
            out[(name, item.get("id"))] = True
            if name == "categories" and "sortOrder" in item:  # the product's position in it
                out[(name, item.get("id"), "sortOrder")] = item.get("sortOrder")
    if "filters" in product:  # absent in a file of an older version: nothing said of them
        out[("filters",)] = True
    if "type" in product:
        kind = product.get("type")
        out[("type",)] = kind.get("id") if isinstance(kind, Mapping) else None
    if "set" in product:
        found = product.get("set")
        out[("set",)] = found.get("id") if isinstance(found, Mapping) else None
    if "attributes" in product:
        out[("attributes",)] = True
    for entry in _maps(product.get("attributes")):
        out[("attributes", entry.get("id"))] = entry.get("value")
    for entry in _maps(product.get("filters")):
        head, value = entry.get("filter"), entry.get("value")
        if isinstance(head, Mapping) and isinstance(value, Mapping):
            out[("filters", head.get("id"), value.get("id"))] = True
    out[("images",)] = tuple(ident(str(markers.name(image))) for image in _maps(product.get("images")))
    for image in _maps(product.get("images")):
        key = ident(str(markers.name(image)))
        # an older file has no titles: nothing said of them; an image not fetched cannot be sent
        if "title" in image and key is not None and not markers.is_marker(image):
            out.setdefault(("images", key, "title"), image["title"])
    for variant in _maps(product.get("variants")):
        _flatten_variant(out, variant, vkey(variant), languages, ident)
    if "quantityDiscounts" in product:  # absent in a file of an older version: nothing said of them
        out[("quantityDiscounts",)] = True
        keys = {v.get("id"): vkey(v) for v in _maps(product.get("variants"))}
        for tier in _maps(product.get("quantityDiscounts")):
            out[discount_path(tier, keys)] = discount_value(tier)
    for meta in _maps(product.get("metafields")):
        out[("metafields", meta.get("key"))] = meta.get("value")
    relations = sorted(_maps(product.get("relations")), key=lambda r: (r.get("sortOrder") or 0, r.get("id") or 0))
    out[("relations",)] = tuple(r.get("product") for r in relations)
    return out


def discount_path(tier: Mapping[str, Any], keys: Mapping[Any, Hashable]) -> Path:
    """A tier's path: its variant (by the key the write knows it by; None: every variant), customer
    group, quantity and start date: ``("quantityDiscounts", 118583391, None, 5, None)``."""
    vid = tier.get("variant")
    variant = None if vid is None else keys.get(vid, ("gone", vid))
    return ("quantityDiscounts", variant, tier.get("customerGroup"), tier.get("quantity"), tier.get("startDate"))


def discount_value(tier: Mapping[str, Any]) -> tuple[Any, ...]:
    """What a tier gives: (price, percentage, isPercentage, endDate)."""
    return (tier.get("price"), tier.get("percentage"), tier.get("isPercentage") is True, tier.get("endDate"))


def _flatten_variant(
    out: dict[Path, Any], variant: Mapping[str, Any], key: Hashable, languages: Sequence[str], ident: Ident
) -> None:
    out[("variants", key)] = True
    for name in VARIANT_FIELDS:
        if name in variant:
            out[("variants", key, name)] = variant[name]
    value = variant.get("title")
    titles: Mapping[str, Any] = value if isinstance(value, Mapping) else {}
    for lang in languages:
        out[("variants", key, "title", lang)] = titles.get(lang, "")
    image = variant.get("image")
    out[("variants", key, "image")] = ident(image) if isinstance(image, str) and image else None
    if "options" in variant:  # absent in a file of an older version: nothing said of them
        pairs = ((o.get("option"), o.get("value")) for o in _maps(variant.get("options")))
        out[("variants", key, "options")] = tuple(
            (h.get("id"), v.get("id")) for h, v in pairs if isinstance(h, Mapping) and isinstance(v, Mapping)
        )
    if "metafields" in variant:  # absent: not read (a mirror that does not mirror them): nothing said
        out[("variants", key, "metafields")] = True
    for meta in _maps(variant.get("metafields")):
        out[("variants", key, "metafields", meta.get("key"))] = meta.get("value")


def _maps(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in value or [] if isinstance(item, Mapping)] if isinstance(value, list) else []


@dataclass(frozen=True)
class Conflict:
    path: Path
    base: Any
    ours: Any
    theirs: Any


@dataclass
class Decision:
    changes: dict[Path, Any] = field(default_factory=dict)  # path → the value to write (MISSING: remove)
    conflicts: list[Conflict] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # path, why it is left alone
    # identities of variant images set by moving the one unused product image that holds them
    # (see ecomgit.write.apply.limit_variant_images)
    moves: set[str] = field(default_factory=set)
    # interrupted moves to finish: identity → the journal's note of the move (the old image's id, place, title)
    finish: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.changes and not self.finish


def three_way(
    base: Mapping[Path, Any], ours: Mapping[Path, Any], theirs: Mapping[Path, Any], *, prefer: str | None = None
) -> Decision:
    """Push: what changed here since the last sync, and where the shop changed it differently.

    ``prefer``: ``"ours"`` sends conflicting paths anyway, ``"theirs"`` leaves them as the shop has them.
    """
    decision = Decision()
    for path in _union(base, ours):
        b, o, t = base.get(path, MISSING), ours.get(path, MISSING), theirs.get(path, MISSING)
        if o in (b, t) or _unsaid(ours, path) or is_mark(path):
            continue
        if t != b and prefer != "ours":
            if prefer is None:
                decision.conflicts.append(Conflict(path, b, o, t))
            else:  # --theirs: ours is dropped, and the plan says so (see kept_theirs)
                kept = f"the shop's {show(t, path=path)} kept, yours {show(o, path=path)} not sent"
                decision.skipped.append((path, f"{THEIRS_KEPT}: {kept}"))
            continue
        decision.changes[path] = o
    return decision


THEIRS_KEPT = "--theirs"


def overwrite(ours: Mapping[Path, Any], theirs: Mapping[Path, Any]) -> Decision:
    """Restore: every path where the chosen revision differs from the live product."""
    decision = Decision()
    for path in _union(ours, theirs):
        o = ours.get(path, MISSING)
        if _unsaid(ours, path) or is_mark(path):
            continue  # a revision from before the key existed: the shop's value stays
        if o != theirs.get(path, MISSING):
            decision.changes[path] = o
    return decision


def _unsaid(ours: Mapping[Path, Any], path: Path) -> bool:
    """Whether ``ours`` (a file of an older version) lacks the key ``path`` belongs to: it says
    nothing of it, which is no edit (its ``(key,)`` path is the value, or the mark that it is there)."""
    if path[0] in ("categories", "images") and len(path) == 3:  # a position or image title an older file lacks
        return path not in ours
    if path[0] == "variants" and path[2:] == ("options",):  # a variant's options an older file lacks
        return path not in ours
    if path[0] == "variants" and path[2:3] == ("metafields",):  # a variant's metafields, not read
        return path[:3] not in ours
    return path[0] in schema.LATER_PRODUCT_KEYS and (path[0],) not in ours


def is_mark(path: Path) -> bool:
    """A path that only marks that a file holds a key (``metafields`` of a variant): never written."""
    return len(path) == 3 and path[0] == "variants" and path[2] == "metafields"


def _union(*sides: Mapping[Path, Any]) -> list[Path]:
    seen: dict[Path, None] = {}
    for side in sides:
        seen.update(dict.fromkeys(side))
    return list(seen)


@dataclass(frozen=True)
class Policy:
    """What a write may touch: ``retail`` (Retail owns some fields), ``all_fields``, ``fields``."""

    retail: bool = False
    all_fields: bool = False
    fields: frozenset[str] | None = None
    keep_variants: bool = False  # never create or delete variants (grafting onto a successor)
    only_add: bool = False  # a graft: add to the successor, never remove its images, links, metafields, relations

    def apply(self, decision: Decision, theirs: Mapping[Path, Any]) -> Decision:
        out = Decision(conflicts=[c for c in decision.conflicts if self._wanted(c.path)], skipped=decision.skipped)
        for path, value in decision.changes.items():
            if not self._wanted(path):
                continue
            reason = self._reason(path, value)
            if reason is None:
                out.changes[path] = value
                continue
            if path in (("images",), ("relations",)) and reason in ("additive", "graft"):
                merged = _additive(theirs.get(path, ()), value)
                if merged != theirs.get(path, ()):
                    out.changes[path] = merged
                if tuple(value) != merged:
                    why = _GRAFT if reason == "graft" else "Retail owns images: missing ones are added, none removed"
                    out.skipped.append((path, why))
                continue
            out.skipped.append((path, _REASONS[reason]))
        _drop_orphans(out, theirs)
        out.moves = {v for p, v in out.changes.items() if p[0] == "variants" and p[2:] == ("image",)} & decision.moves
        out.finish = dict(decision.finish)
        if self.keep_variants:
            _one_line_for_the_successors_variants(out)
        return out

    def allows(self, path: Path, value: Any = None) -> bool:
        """Whether this policy lets a write set ``path`` (to ``value``) at all."""
        return self._wanted(path) and self._reason(path, value) is None

    def _wanted(self, path: Path) -> bool:
        if self.fields is None:
            return True
        if path[0] in self.fields:
            return True
        if path[0] == "variants":
            name = path[2] if len(path) > 2 else None
            return f"variants.{name}" in self.fields or (name in self.fields and name not in schema.PRODUCT_KEYS)
        return False

    def _reason(self, path: Path, value: Any) -> str | None:
        if path[0] == "variants" and len(path) == 2 and self.keep_variants:
            return "successor" if value is MISSING else "not-created"
        if path[0] == "variants" and len(path) > 2 and self.keep_variants and value is MISSING:
            return "successor"
        if path[0] == "variants" and len(path) == 3 and path[2] == "isDefault" and self.keep_variants:
            return "default"
        if self.only_add and _removes(path, value):
            return "graft"
        if not self.retail or self.all_fields:
            return None
        if path[0] in RETAIL_PRODUCT:
            return "retail"
        if path[0] == "variants" and (len(path) == 2 or path[2] in RETAIL_VARIANT):
            return "retail"
        if path[0] in ADDITIVE and (path == ("images",) or value is MISSING):
            return "additive"
        return None


def _removes(path: Path, value: Any) -> bool:
    """Whether writing ``value`` at ``path`` takes something away: a link, a metafield, an image or
    relation not in ours (images and relations are lists: their union is written instead)."""
    if path[0] in ("categories", "tags", "filters", "metafields"):
        return value is MISSING
    if path[0] in REFS or path[0] == "type":
        return value is None or value is MISSING
    if path[0] in ("attributes", "quantityDiscounts"):
        return value is MISSING
    return path in (("images",), ("relations",))


def _one_line_for_the_successors_variants(decision: Decision) -> None:
    """The successor's own variants, left as they are, in one line instead of one per field."""
    own = {p[1] for p, why in decision.skipped if p[0] == "variants" and why == _REASONS["successor"]}
    if not own:
        return
    decision.skipped = [(p, why) for p, why in decision.skipped if not (p[0] == "variants" and p[1] in own)]
    decision.skipped.append((("variants",), f"the successor's own {len(own)} variant(s) are kept as they are"))


def _drop_orphans(decision: Decision, theirs: Mapping[Path, Any]) -> None:
    """Fields of a variant that will not exist (its creation was left out) cannot be written."""
    absent = {
        path[1]
        for path, _ in decision.skipped
        if path[0] == "variants" and len(path) == 2 and theirs.get(path, MISSING) is MISSING
    }
    for path in [p for p in decision.changes if p[0] == "variants" and p[1] in absent]:
        del decision.changes[path]


_REASONS = {
    "retail": "owned by Lightspeed Retail (use --all-fields to write it anyway)",
    "additive": "Retail owns categories: missing ones are added, none removed",
    "successor": "the successor's own variants are kept",
    "default": "the successor's default variant stays its default",
    "not-created": "no variant of the successor has its SKU, article code or EAN (a successor gets no new variants)",
    "graft": "the successor's own value is kept: a graft only adds (--exact to replace it)",
}
_GRAFT = "the successor's own are kept and ours added: a graft only adds (--exact to replace them)"


def _additive(theirs: Iterable[Any], ours: Iterable[Any]) -> tuple[Any, ...]:
    current = tuple(theirs)
    return current + tuple(i for i in ours if i not in current and i is not None)


# -- words ----------------------------------------------------------------------------------------


def label(path: Path, describe_variant: Callable[[Any], str] | None = None) -> str:
    """A field path in words: ``title [en]``, ``variant 118583391 (AN-52) oldPriceExcl``."""
    head = path[0]
    if head in schema.PRODUCT_TEXTS and len(path) == 2:
        return f"{head} [{path[1]}]"
    if head in ("categories", "tags") and len(path) == 2:
        return f"{'category' if head == 'categories' else 'tag'} {path[1]}"
    if head == "categories" and path[2:] == ("sortOrder",):
        return f"position in category {path[1]}"
    if head == "images" and path[2:] == ("title",):  # keyed by the bytes' identity: named by ``describe``
        return f"title of {describe_variant(path[1]) if describe_variant else f'image {str(path[1])[:12]}'}"
    if head == "metafields":
        return f"metafield {path[1]}"
    if head == "attributes" and len(path) == 2:
        return f"attribute {path[1]}"
    if head == "quantityDiscounts" and len(path) == 5:
        _, variant, group, quantity, start = path
        who = (
            describe_variant(variant)
            if describe_variant and variant is not None
            else ("every variant" if variant is None else f"variant {variant}")
        )
        extra = (f", customer group {group}" if group is not None else "") + (f", from {start}" if start else "")
        return f"quantity discount from {quantity} ({who}{extra})"
    if head == "filters" and len(path) == 3:
        return f"filter {path[1]} value {path[2]}"
    if head == "variants" and len(path) == 1:
        return "variants"
    if head == "variants":
        who = describe_variant(path[1]) if describe_variant else f"variant {path[1]}"
        rest = path[2:]
        if not rest:
            return who
        if rest[0] == "title":
            return f"{who} title [{rest[1]}]"
        if rest[0] == "metafields":
            return f"{who} metafield {rest[1]}" if len(rest) > 1 else f"{who} metafields"
        return f"{who} {rest[0]}"
    return str(head)


def show(value: Any, limit: int = 60, path: Path | None = None) -> str:
    """A value in a report: short text quoted, long text cut, missing as (none); at ``path``, a
    yes/no field's value as true or false (a link's True as present)."""
    if value is MISSING or value is None:
        return "(none)"
    if path is not None and path[0] == "quantityDiscounts" and isinstance(value, tuple):
        price, percentage, is_percentage, end = value
        given = f"{percentage} % off" if is_percentage else f"{price} each"
        return given + (f" until {end}" if end else "")
    if isinstance(value, bool) and path is not None and not _is_link(path):
        return "true" if value else "false"
    if value is True:
        return "present"
    if isinstance(value, tuple):
        return f"{len(value)} item(s)"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_link(path: Path) -> bool:
    """A path whose True says "linked" or "exists" (a category, a tag, a variant)."""
    return (path[0] in ("categories", "tags", "filters") and path[-1] != "sortOrder") or (
        path[0] == "variants" and len(path) == 2
    )
