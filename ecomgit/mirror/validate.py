"""Check a product file a person edited against the mirror format, before anything is pushed.

Every problem names the file, the line and the field, and says what is wrong and how to fix it
(``products/1-x/product.yaml:93: variants[1].stockTracking: 'maybe' is not one of enabled, indicator,
disabled``). All problems are collected; checking never stops at the first.

The checks are table-driven: one ``_Field`` per key (its check, whether it is required), in
``schema`` key order. A missing key is named with its place, never given a value to add: a made-up
value (an old price of 0) would be pushed over the shop's. Line numbers come from the YAML node
tree, composed only when there are problems to place, so a clean file costs one pass over plain
values.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import math
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ecomgit.errors import MirrorFileError
from ecomgit.mirror import layout, markers, schema, yamlio
from ecomgit.mirror.safety import LINK

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One problem in a file: where it is, which field, and what to do about it."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class _Ctx:
    languages: Sequence[str]
    image_files: Collection[str] | None
    include_fields: Collection[str] | None = None  # None: do not check the field policy
    missing_image: str = "is not in images/; add the file there or fix the name"
    not_fetched: Collection[str] = ()  # names of the product's images that were not fetched (markers)
    found: list[tuple[FieldPath, str]] = field(default_factory=list)

    def add(self, where: FieldPath, message: str) -> None:
        self.found.append((where, message))


Check = Callable[[Any, FieldPath, _Ctx], None]
Test = Callable[[Any], str | None]


@dataclass(frozen=True)
class _Field:
    check: Check
    required: bool = True
    texts: bool = False  # a translatable map: one line per language


# --- showing values and field paths -------------------------------------------------------------


def _show(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def field_name(where: FieldPath) -> str:
    """``("variants", 2, "title", "en")`` → ``variants[2].title.en``."""
    out = ""
    for step in where:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


# --- value tests: a message saying what is wrong and how to fix it, or None ---------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _int(minimum: int | None = None) -> Test:
    def test(value: Any) -> str | None:
        if not _is_int(value):
            return f"{_show(value)} is not a whole number; write digits only, without quotes"
        if minimum is not None and value < minimum:
            return f"{value} is too small; it must be {minimum} or more"
        return None

    return test


def _id(nullable: bool = False) -> Test:
    """An object id: a positive whole number (null where the object is new)."""

    def test(value: Any) -> str | None:
        if value is None and nullable:
            return None
        new = "; use null for a new one" if nullable else ""
        if not _is_int(value) or value < 1:
            return f"{_show(value)} is not an id; ids are positive whole numbers without quotes{new}"
        return None

    return test


def _number(value: Any) -> str | None:
    if not _is_number(value) or not math.isfinite(value):
        return f"{_show(value)} is not a number; write a plain number such as 29.95 (no quotes, no currency sign)"
    if value < 0:
        return f"{value} is negative; it must be 0 or more"
    return None


def _text(nullable: bool = False) -> Test:
    def test(value: Any) -> str | None:
        if isinstance(value, str) or (value is None and nullable):
            return None
        if value is None:
            return "null is not allowed here; write '' for no text"
        if _is_number(value) or isinstance(value, bool):
            return f"{_show(value)} is not text; put it in quotes: '{_show(value)}'"
        return f"{_show(value)} is not text; write a single line of text"

    return test


def _not_blank(fix: str) -> Test:
    def test(value: Any) -> str | None:
        return f"empty; {fix}" if isinstance(value, str) and not value.strip() else None

    return test


def _bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"{_show(value)} is not true or false; write true or false"


def _choice(allowed: Sequence[str | None]) -> Test:
    shown = ", ".join("null" if a is None else a for a in allowed)

    def test(value: Any) -> str | None:
        ok = (value is None or isinstance(value, str)) and value in allowed
        return None if ok else f"{_show(value)} is not one of {shown}"

    return test


_DECIMAL = re.compile(r"^\d+(\.\d+)?$", re.ASCII)


def _decimal_text(value: Any) -> str | None:
    if isinstance(value, str) and _DECIMAL.match(value):
        return None
    if _is_number(value) and math.isfinite(value) and value >= 0:
        return None  # the API sends these as text ('0.250'), but a number means the same
    return f"{_show(value)} is not a decimal; write it in quotes, like '0.250'"


def _number_or_decimal(value: Any) -> str | None:
    if isinstance(value, str):
        return None if _DECIMAL.match(value) else f"{_show(value)} is not a number; write a number such as 500"
    return _number(value)


_BAD_FILE_CHARS = re.compile(r"[/\\\x00-\x1f\x7f]")


def _file_name(nullable: bool = False) -> Test:
    def test(value: Any) -> str | None:
        if value is None and nullable:
            return None
        if not isinstance(value, str) or not value.strip():
            none = " or null" if nullable else ""
            return f"{_show(value)} is not a file name; write the name of a file in images/{none}"
        if _BAD_FILE_CHARS.search(value) or ".." in value or value.strip(".") == "":
            return f"{value!r} is not a plain file name; name a file in images/ without '/', '\\' or '..'"
        return None

    return test


def _slug(value: str) -> str | None:
    if not value.strip():
        return "empty; every language needs a URL slug such as 'ranger-glove'"
    reason = _slug_flaw(value)
    if reason is None:
        return None
    suggestion = _suggest_slug(value)
    fix = f", e.g. {suggestion!r}" if suggestion else ""
    return f"{value!r} is not a valid URL slug ({reason}); use lowercase letters, digits, '-' and '_'{fix}"


def _slug_flaw(value: str) -> str | None:
    if any(c.isspace() for c in value):
        return "it contains spaces"
    if any(c.isupper() for c in value):
        return "it contains capitals"
    if value.startswith("/"):
        return "it starts with '/'"
    if value.endswith("/") or "//" in value:
        return "it has an empty part between '/'"
    if ".." in value:
        return "it contains '..'"
    bad = sorted({c for c in value if not (c.isalnum() or c in "-_/")})
    return f"it contains {' '.join(repr(c) for c in bad)}" if bad else None


def _suggest_slug(value: str) -> str:
    slug = re.sub(r"[^\w/-]+", "-", value.lower())
    slug = re.sub(r"[-/]*/[-/]*", "/", re.sub(r"-{2,}", "-", slug))
    return slug.strip("-/")


# --- structure: records, lists, translatable maps -----------------------------------------------


def _value(test: Test) -> Check:
    def check(value: Any, where: FieldPath, ctx: _Ctx) -> None:
        message = test(value)
        if message is not None:
            ctx.add(where, message)

    return check


def _record(value: Any, where: FieldPath, ctx: _Ctx, fields: Mapping[str, _Field], what: str) -> bool:
    """Check a mapping's keys and values; False when it is not a mapping at all."""
    if not isinstance(value, Mapping):
        ctx.add(where, f"{_show(value)} is not {what}; write it as 'key: value' lines")
        return False
    for key, spec in fields.items():
        if key in value:
            spec.check(value[key], (*where, key), ctx)
    missing = [key for key, spec in fields.items() if spec.required and key not in value]
    mistyped = _mistyped([str(key) for key in value if key not in fields], missing)
    for key in value:
        if key not in fields:
            ctx.add((*where, str(key)), _unknown(str(key), fields, mistyped.get(str(key))))
    for key in missing:
        if key not in mistyped.values():
            ctx.add((*where, key), _missing(key, fields[key], ctx))
    return True


def _mistyped(unknown: Sequence[str], missing: Sequence[str]) -> dict[str, str]:
    """Unknown keys that look like a missing one mistyped (``stockTraking`` → ``stockTracking``)."""
    pairs: dict[str, str] = {}
    for key in unknown:
        close = difflib.get_close_matches(key, [k for k in missing if k not in pairs.values()], n=1)
        if close:
            pairs[key] = close[0]
    return pairs


def _missing(key: str, spec: _Field, ctx: _Ctx) -> str:
    """Never a value: a made-up one (a price of 0) would be pushed over the shop's."""
    if spec.texts:
        return f"missing; add the key '{key}' here with one line per language ({', '.join(ctx.languages)})"
    return f"missing; add the key '{key}' here with its value (git log -p shows the value it last had)"


def _unknown(key: str, fields: Mapping[str, _Field], mistyped: str | None) -> str:
    if mistyped is not None:
        return f"unknown key; '{mistyped}' is missing: rename this key to '{mistyped}' and keep its value"
    close = difflib.get_close_matches(key, list(fields), n=1)
    if close:
        return f"unknown key; did you mean '{close[0]}'?"
    return f"unknown key; remove it (known keys: {', '.join(fields)})"


def _records(fields: Mapping[str, _Field], what: str, after: Check | None = None) -> Check:
    """A list of mappings of ``fields``; ``after`` checks the list as a whole."""

    def check(value: Any, where: FieldPath, ctx: _Ctx) -> None:
        if not isinstance(value, list):
            ctx.add(where, f"{_show(value)} is not a list; write [] for none, or one '- ' entry per {what}")
            return
        for index, item in enumerate(value):
            _record(item, (*where, index), ctx, fields, f"a {what}")
        if after is not None:
            after(value, where, ctx)

    return check


def _ref(name: str, what: str) -> Check:
    """A link to a shop-level object: ``{id, <its name>}`` or null."""
    fields = _ref_fields(name)
    shape = f"a {what} ({' and '.join(fields)}) or null"

    def check(value: Any, where: FieldPath, ctx: _Ctx) -> None:
        if value is not None:
            _record(value, where, ctx, fields, shape)

    return check


def _texts(nonempty: str | None = None, slug: bool = False) -> Check:
    """A translatable field: exactly one string per configured language."""

    def check(value: Any, where: FieldPath, ctx: _Ctx) -> None:
        langs = ", ".join(ctx.languages)
        if not isinstance(value, Mapping):
            ctx.add(where, f"{_show(value)} is not a map of languages; write one line per language ({langs})")
            return
        for lang in ctx.languages:
            if lang not in value:
                ctx.add((*where, lang), f'missing; add a line "{lang}: ..." (every language needs a text)')
        for lang, text in value.items():
            _text_value(text, (*where, str(lang)), ctx, nonempty, slug)

    return check


def _text_value(text: Any, where: FieldPath, ctx: _Ctx, nonempty: str | None, slug: bool) -> None:
    if where[-1] not in ctx.languages:
        ctx.add(where, f"'{where[-1]}' is not a language of this shop; use only {', '.join(ctx.languages)}")
        return
    message = _text()(text)
    if message is None and nonempty is not None and not text.strip():
        message = nonempty
    if message is None and slug:
        message = _slug(text)
    if message is not None:
        ctx.add(where, message)


def _unique(key: str, what: str) -> Check:
    """No two entries of a list share ``key`` (the later one is reported)."""

    def check(items: list[Any], where: FieldPath, ctx: _Ctx) -> None:
        seen: dict[object, int] = {}
        for index, item in enumerate(items):
            value = item.get(key) if isinstance(item, Mapping) else None
            if value is None or isinstance(value, list | Mapping):
                continue
            if value in seen:
                first = field_name((*where, seen[value]))
                ctx.add((*where, index, key), f"{_show(value)} is already used by {first}; {what}")
            else:
                seen[value] = index

    return check


def _all(*checks: Check) -> Check:
    def check(value: Any, where: FieldPath, ctx: _Ctx) -> None:
        for one in checks:
            one(value, where, ctx)

    return check


# --- images ------------------------------------------------------------------------------------


def _image_present(value: Any, where: FieldPath, ctx: _Ctx) -> None:
    if ctx.image_files is None or not isinstance(value, str) or _file_name()(value) is not None:
        return
    if value not in ctx.image_files and value not in ctx.not_fetched:
        ctx.add(where, f"{value!r} {ctx.missing_image}")


def _image_file(nullable: bool) -> Check:
    return _all(_value(_file_name(nullable)), _image_present)


# --- variants ----------------------------------------------------------------------------------


def _variant_rules(variant: dict[str, Any], where: FieldPath, ctx: _Ctx) -> None:
    """Rules across a variant's fields: old price above price, order minimum within maximum."""
    for old, price in (("oldPriceExcl", "priceExcl"), ("oldPriceIncl", "priceIncl")):
        old_value: Any = variant.get(old)
        price_value: Any = variant.get(price)
        if _number(old_value) is None and _number(price_value) is None and 0 < old_value <= price_value:
            ctx.add(
                (*where, old),
                f"old price {old_value} is not above {price} {price_value}; raise it, or write 0 for no old price",
            )
    low: Any = variant.get("stockBuyMinimum")
    high: Any = variant.get("stockBuyMaximum")
    if _is_int(low) and _is_int(high) and 1 <= high < low:
        ctx.add(
            (*where, "stockBuyMinimum"),
            f"{low} is above stockBuyMaximum {high}; lower it or raise stockBuyMaximum",
        )


def _variant(value: Any, where: FieldPath, ctx: _Ctx) -> None:
    if _record(value, where, ctx, _VARIANT_FIELDS, "a variant"):
        _variant_rules(value, where, ctx)
        _field_policy(value, where, ctx)


def _field_policy(variant: Mapping[str, Any], where: FieldPath, ctx: _Ctx) -> None:
    """A field the mirror leaves out (``priceCost`` unless configured in) is never pushed blind:
    whoever wrote it here did not get it from the shop, and the repository is not meant to hold it."""
    if ctx.include_fields is None:
        return
    for name in schema.OPTIONAL_VARIANT_FIELDS:
        if name in variant and name not in ctx.include_fields:
            ctx.add(
                (*where, name),
                f"{name} is not mirrored by this repository (fields.include in .ecomgit/config.yaml); remove it",
            )


def _variants_rules(items: list[Any], where: FieldPath, ctx: _Ctx) -> None:
    if not items:
        ctx.add(where, "a product needs at least one variant; add one (copy a variant of another product)")
        return
    defaults = [i for i, v in enumerate(items) if isinstance(v, Mapping) and v.get("isDefault") is True]
    if not defaults and all(isinstance(v, Mapping) and isinstance(v.get("isDefault"), bool) for v in items):
        ctx.add(where, "no variant has 'isDefault: true'; set it on exactly one variant")
    for index in defaults[1:]:
        first = field_name((*where, defaults[0]))
        ctx.add((*where, index, "isDefault"), f"{first} is already the default; set isDefault: false here")


def _variants_check(value: Any, where: FieldPath, ctx: _Ctx) -> None:
    if not isinstance(value, list):
        ctx.add(where, f"{_show(value)} is not a list; write one '- ' entry per variant")
        return
    for index, item in enumerate(value):
        _variant(item, (*where, index), ctx)
    _variants_rules(value, where, ctx)
    _unique("id", "variant ids must be unique; use null for a new variant")(value, where, ctx)


# --- the tables --------------------------------------------------------------------------------


def _in_order(keys: Sequence[str], specs: Mapping[str, _Field]) -> dict[str, _Field]:
    """``specs`` in schema key order; every key in ``keys`` must have a spec (checked at import)."""
    missing = [k for k in keys if k not in specs]
    extra = [k for k in specs if k not in keys]
    if missing or extra:
        raise AssertionError(f"validate tables out of step with schema: missing {missing}, extra {extra}")
    return {k: specs[k] for k in keys}


_NAME = _Field(_value(_text()), required=False)  # a reader's aid next to an id

_METAFIELD_FIELDS = _in_order(
    schema.METAFIELD_KEYS,
    {
        "key": _Field(_all(_value(_text()), _value(_not_blank("give the metafield a key")))),
        "id": _Field(_value(_id(nullable=True))),
        "value": _Field(_value(_text())),
    },
)
_METAFIELDS = _Field(_records(_METAFIELD_FIELDS, "metafield", _unique("key", "metafield keys must be unique")))

_FILTER_REF = {"id": _Field(_value(_id())), "title": _NAME}


def _filter_ref(what: str) -> Check:
    def check(value: Any, where: FieldPath, ctx: _Ctx) -> None:
        _record(value, where, ctx, _FILTER_REF, f"a {what} (id and title)")

    return check


def _one_value_each(items: list[Any], where: FieldPath, ctx: _Ctx) -> None:
    """A filter value is linked once."""
    seen: dict[object, int] = {}
    for index, item in enumerate(items):
        value = item.get("value") if isinstance(item, Mapping) else None
        vid = value.get("id") if isinstance(value, Mapping) else None
        if not isinstance(vid, int) or isinstance(vid, bool):
            continue
        if vid in seen:
            ctx.add(
                (*where, index, "value", "id"),
                f"{vid} is already used by {field_name((*where, seen[vid]))}; link a filter value once",
            )
        else:
            seen[vid] = index


_FILTER_FIELDS = _in_order(
    schema.FILTER_KEYS,
    {"filter": _Field(_filter_ref("filter")), "value": _Field(_filter_ref("filter value"))},
)
# a file of an older version lacks it: optional
_FILTERS = _Field(_records(_FILTER_FIELDS, "filter value", _one_value_each), required=False)

_NAMED = {"id": _Field(_value(_id())), "name": _NAME}


def _named(what: str) -> Check:
    def check(value: Any, where: FieldPath, ctx: _Ctx) -> None:
        _record(value, where, ctx, _NAMED, f"{what} (id and name)")

    return check


_OPTION_FIELDS = _in_order(
    schema.OPTION_KEYS, {"option": _Field(_named("an option")), "value": _Field(_named("an option value"))}
)
# files of an older version lack them: optional
_OPTIONS = _Field(_records(_OPTION_FIELDS, "option and its value"), required=False)


def _set(value: Any, where: FieldPath, ctx: _Ctx) -> None:
    if value is not None:
        _record(value, where, ctx, _in_order(schema.SET_KEYS, _NAMED), "an option set (id and name) or null")


_SET = _Field(_set, required=False)

_TYPE_FIELDS = _in_order(schema.TYPE_KEYS, {"id": _Field(_value(_id())), "title": _NAME})


def _type(value: Any, where: FieldPath, ctx: _Ctx) -> None:
    if value is not None:
        _record(value, where, ctx, _TYPE_FIELDS, "a product type (id and title) or null")


_ATTRIBUTE_FIELDS = _in_order(
    schema.ATTRIBUTE_KEYS,
    {"id": _Field(_value(_id())), "title": _NAME, "value": _Field(_value(_text()))},
)
# files of an older version lack them: optional
_TYPE = _Field(_type, required=False)
_ATTRIBUTES = _Field(
    _records(_ATTRIBUTE_FIELDS, "attribute value", _unique("id", "give each attribute one value")), required=False
)


def _date(value: Any) -> str | None:
    """A day (``'2026-06-01'``, quoted) or null."""
    if value is None:
        return None
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            datetime.date.fromisoformat(value)
            return None
        except ValueError:
            return f"{value} is no day of the calendar; write a date such as '2026-06-01'"
    return f"{_show(value)} is not a date; write it in quotes as '2026-06-01', or null for none"


def _one_tier_each(items: list[Any], where: FieldPath, ctx: _Ctx) -> None:
    """One tier per variant, customer group and quantity."""
    seen: dict[object, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            continue
        key = (item.get("variant"), item.get("customerGroup"), item.get("quantity"), item.get("startDate"))
        if key in seen:
            first = field_name((*where, seen[key]))
            ctx.add((*where, index, "quantity"), f"the same tier as {first}; give each quantity one price")
        else:
            seen[key] = index


_DISCOUNT_FIELDS = _in_order(
    schema.QUANTITY_DISCOUNT_KEYS,
    {
        "id": _Field(_value(_id(nullable=True))),
        "variant": _Field(_value(_id(nullable=True))),
        "quantity": _Field(_value(_int(minimum=1))),
        "price": _Field(_value(_number)),
        "percentage": _Field(_value(_number)),
        "isPercentage": _Field(_value(_bool)),
        "customerGroup": _Field(_value(_id(nullable=True))),
        "startDate": _Field(_value(_date)),
        "endDate": _Field(_value(_date)),
    },
)
_DISCOUNTS = _Field(_records(_DISCOUNT_FIELDS, "quantity discount", _one_tier_each), required=False)

_MONEY = _Field(_value(_number))
_COUNT = _Field(_value(_int(minimum=0)))
_DECIMAL_TEXT = _Field(_value(_decimal_text))


def _enum(name: str) -> _Field:
    return _Field(_value(_choice(schema.ENUMS[name])))


_VARIANT_FIELDS = _in_order(
    schema.VARIANT_KEYS,
    {
        "id": _Field(_value(_id(nullable=True))),
        "isDefault": _Field(_value(_bool)),
        "sortOrder": _Field(_value(_int())),
        "title": _Field(
            _texts(nonempty="empty; write a title (the shop rejects an empty one: 'Invalid variant title')"), texts=True
        ),
        "articleCode": _Field(_value(_text())),
        "ean": _Field(_value(_text())),
        "sku": _Field(_value(_text())),
        "hs": _Field(_value(_text(nullable=True))),
        "tax": _Field(_value(_id(nullable=True))),
        "taxType": _Field(_value(_choice(("auto", None)))),
        "priceExcl": _MONEY,
        "priceIncl": _MONEY,
        "priceCost": _Field(_value(_number), required=False),
        "oldPriceExcl": _MONEY,
        "oldPriceIncl": _MONEY,
        "unitPrice": _MONEY,
        "unitUnit": _Field(_value(_text(nullable=True))),
        "stockTracking": _enum("stockTracking"),
        "stockAlert": _Field(_value(_int())),
        "stockMinimum": _Field(_value(_int())),
        "stockBuyMinimum": _Field(_value(_int(minimum=1))),
        "stockBuyMaximum": _Field(_value(_int(minimum=1))),
        "weight": _COUNT,
        "weightValue": _DECIMAL_TEXT,
        "weightUnit": _enum("weightUnit"),
        "volume": _COUNT,
        "volumeValue": _Field(_value(_number_or_decimal)),
        "volumeUnit": _enum("volumeUnit"),
        "colli": _COUNT,
        "sizeX": _COUNT,
        "sizeY": _COUNT,
        "sizeZ": _COUNT,
        "sizeXValue": _DECIMAL_TEXT,
        "sizeYValue": _DECIMAL_TEXT,
        "sizeZValue": _DECIMAL_TEXT,
        "sizeUnit": _enum("sizeUnit"),
        "image": _Field(_image_file(nullable=True)),
        "options": _OPTIONS,
        "metafields": _METAFIELDS,
    },
)

_IMAGE_FIELDS = _in_order(
    schema.IMAGE_KEYS,
    {
        "file": _Field(_image_file(nullable=False)),
        "title": _Field(_value(_text()), required=False),  # absent in a file of an older version
        "id": _Field(_value(_id(nullable=True))),
        "fileId": _Field(_value(_id(nullable=True))),
    },
)
_MARKER_FIELDS = _in_order(
    markers.KEYS,
    {
        "notFetched": _Field(_value(_file_name())),
        "title": _Field(_value(_text()), required=False),
        "id": _Field(_value(_id())),
        "fileId": _Field(_value(_id())),
    },
)


def _images(value: Any, where: FieldPath, ctx: _Ctx) -> None:
    """Image files, and markers of shop images not fetched; each name once."""
    if not isinstance(value, list):
        ctx.add(where, f"{_show(value)} is not a list; write [] for none, or one '- ' entry per image")
        return
    seen: dict[str, int] = {}
    for index, item in enumerate(value):
        if markers.is_marker(item):
            _record(item, (*where, index), ctx, _MARKER_FIELDS, "an image not fetched")
        else:
            _record(item, (*where, index), ctx, _IMAGE_FIELDS, "an image")
        name = markers.name(item)
        if name is None:
            continue
        if name in seen:
            key = markers.NOT_FETCHED if markers.is_marker(item) else "file"
            first = field_name((*where, seen[name]))
            ctx.add((*where, index, key), f"{_show(name)} is already used by {first}; list each image file once")
        else:
            seen[name] = index


_RELATION_FIELDS = _in_order(
    schema.RELATION_KEYS,
    {
        "id": _Field(_value(_id(nullable=True))),
        "product": _Field(_value(_id())),
        "sortOrder": _Field(_value(_int())),
    },
)


def _ref_fields(name: str) -> dict[str, _Field]:
    id_key, label, *rest = schema.REF_KEYS[name]
    fields = {id_key: _Field(_value(_id())), label: _NAME}
    if rest:  # a category's sortOrder: the product's position in it (a file of an older version lacks it)
        fields[rest[0]] = _Field(_value(_int(minimum=0)), required=False)
    return fields


def _ref_list(name: str, what: str) -> _Field:
    unique = _unique("id", f"list each {what} once")
    return _Field(_records(_ref_fields(name), what, unique))


_PRODUCT_FIELDS = _in_order(
    schema.PRODUCT_KEYS,
    {
        "id": _Field(_value(_id(nullable=True))),
        "visibility": _enum("visibility"),
        "isFeatured": _Field(_value(_bool), required=False),  # a file of an older version lacks it
        "title": _Field(_texts(), texts=True),
        "fulltitle": _Field(_texts(), texts=True),
        "description": _Field(_texts(), texts=True),
        "content": _Field(_texts(), texts=True),
        "url": _Field(
            _texts(nonempty="empty; every language needs a URL slug such as 'ranger-glove'", slug=True), texts=True
        ),
        "data01": _Field(_value(_text())),
        "data02": _Field(_value(_text())),
        "data03": _Field(_value(_text())),
        "brand": _Field(_ref("brand", "brand")),
        "supplier": _Field(_ref("supplier", "supplier")),
        "deliverydate": _Field(_ref("deliverydate", "delivery date")),
        "categories": _ref_list("categories", "category"),
        "tags": _ref_list("tags", "tag"),
        "filters": _FILTERS,
        "type": _TYPE,
        "attributes": _ATTRIBUTES,
        "set": _SET,
        "images": _Field(_images),
        "variants": _Field(_variants_check),
        "quantityDiscounts": _DISCOUNTS,
        "metafields": _METAFIELDS,
        "relations": _Field(_records(_RELATION_FIELDS, "relation", _unique("product", "relate a product only once"))),
    },
)


# --- line numbers ------------------------------------------------------------------------------


def _child(node: Node, step: str | int) -> tuple[int, Node] | None:
    """The line of ``step`` in ``node`` (its key's line, or a list item's first line) and its node."""
    if isinstance(node, MappingNode) and isinstance(step, str):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == step:
                return int(key.start_mark.line) + 1, value
    if isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        item = node.value[step]
        return int(item.start_mark.line) + 1, item
    return None


def line_of(root: Node, where: FieldPath) -> int:
    """The 1-based line of the value at ``where``; for a missing key, the line of its parent."""
    node, line = root, int(root.start_mark.line) + 1
    for step in where:
        found = _child(node, step)
        if found is None:
            break
        line, node = found
    return line


# --- entry points ------------------------------------------------------------------------------


def _discounts_of_its_variants(product: Mapping[str, Any], ctx: _Ctx) -> None:
    """A quantity discount for one variant names one of the product's own variants."""
    variants = product.get("variants")
    ids = {v.get("id") for v in variants if isinstance(v, Mapping)} if isinstance(variants, list) else set()
    discounts = product.get("quantityDiscounts")
    for index, item in enumerate(discounts if isinstance(discounts, list) else []):
        vid = item.get("variant") if isinstance(item, Mapping) else None
        if _is_int(vid) and vid not in ids:
            where = ("quantityDiscounts", index, "variant")
            ctx.add(where, f"{vid} is not one of this product's variants; use one of their ids, or null for all")


def validate_product(
    data: object,
    *,
    path: str,
    languages: Sequence[str],
    image_files: Collection[str] | None,
    text: str | None = None,
    include_fields: Collection[str] | None = None,
    missing_image: str | None = None,
) -> list[Problem]:
    """Every problem of a loaded product (``read_product``'s dict), in file order when ``text`` is given.

    ``image_files``: the names in the product folder's ``images/`` (None: do not check presence).
    ``text``: the file's YAML source, to give each problem its line.
    ``include_fields``: the optional fields the mirror holds (None: do not check the field policy).
    ``missing_image``: what to say about a listed image that ``image_files`` lacks.
    """
    ctx = _Ctx(languages, image_files, include_fields)
    if isinstance(data, Mapping) and isinstance(data.get("images"), list):
        ctx.not_fetched = set(markers.idents(data["images"]))
    if missing_image is not None:
        ctx.missing_image = missing_image
    if isinstance(data, Mapping):
        _record(data, (), ctx, _PRODUCT_FIELDS, "a product")
        _discounts_of_its_variants(data, ctx)
    else:
        ctx.add((), f"the file holds {_show(data)}, not a product; restore it from git or fix its layout")
    if not ctx.found:
        return []
    root = yamlio.compose(text) if text is not None else None
    problems = [
        Problem(path, None if root is None else line_of(root, where), field_name(where), message)
        for where, message in ctx.found
    ]
    return sorted(problems, key=lambda p: p.line or 0)


def read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise MirrorFileError(str(path), "not valid UTF-8; save the file as UTF-8", line=line) from None


def image_names(folder: Path) -> set[str]:
    images = folder / layout.IMAGES_DIR
    if images.is_symlink() or not images.is_dir():  # a link is refused elsewhere, never listed through
        return set()
    return {p.name for p in images.iterdir() if p.is_file() or p.is_symlink()}


def _folder_id_problem(data: object, path: str, folder: str, text: str) -> list[Problem]:
    """A product whose id is not the one its folder is named after (a copied folder, a mistyped id)."""
    folder_id = layout.folder_product_id(folder)
    product_id = data.get("id") if isinstance(data, Mapping) else None
    if not _is_int(product_id) or product_id == folder_id:
        return []
    root = yamlio.compose(text)
    line = None if root is None else line_of(root, ("id",))
    message = (
        f"{product_id} is not the id in the folder name ({folder_id}); restore the id, or use null for a new product"
        if folder_id is not None
        else f"product {product_id} in a folder not named '{product_id}-…' (ids are written in 0-9); a copy of "
        "that product's folder: remove it; a new product: set id: null"
    )
    return [Problem(path, line, "id", message)]


def _score(value: Any) -> str | None:
    return None if _is_int(value) and 1 <= value <= 5 else f"{_show(value)} is not a score; write a whole number 1 to 5"


_REVIEW_FIELDS = _in_order(
    schema.REVIEW_KEYS,
    {
        "id": _Field(_value(_id())),
        "date": _Field(_value(_text())),
        "score": _Field(_value(_score)),
        "name": _Field(_value(_text())),
        "language": _Field(_value(_text())),
        "visible": _Field(_value(_bool)),
        "content": _Field(_value(_text())),
    },
)
_REVIEWS = _records(_REVIEW_FIELDS, "review", _unique("id", "list each review once"))


def load_file(path: Path, parse: bool = True) -> tuple[str, Any] | Problem:
    """A mirror file's text and (``parse``) what it holds, or the problem that keeps it from being read."""
    try:
        text = read_text(path)
        return text, (yamlio.load(text, str(path)) if parse else None)
    except MirrorFileError as exc:
        return Problem(str(path), exc.line, "", exc.detail)
    except OSError as exc:
        return Problem(str(path), None, "", f"cannot read the file ({exc.strerror or exc}); restore it from git")


def check_reviews(path: Path) -> list[Problem]:
    """The problems of a product folder's ``reviews.yaml`` (a record sync writes: customers' words)."""
    loaded = load_file(path)
    if isinstance(loaded, Problem):
        return [loaded]
    text, data = loaded
    ctx = _Ctx([], None, None)
    _REVIEWS(data, (), ctx)
    root = yamlio.compose(text) if ctx.found else None
    problems = [
        Problem(str(path), None if root is None else line_of(root, where), field_name(where), message)
        for where, message in ctx.found
    ]
    return sorted(problems, key=lambda p: p.line or 0)


def check_file(path: Path, *, languages: Sequence[str], include_fields: Collection[str] | None = None) -> list[Problem]:
    """Read ``products/<id>-<slug>/product.yaml`` and return its problems (none: the file is fine)."""
    if path.is_symlink():
        return [Problem(str(path), None, "", LINK)]
    loaded = load_file(path, parse=False)
    if isinstance(loaded, Problem):
        return [loaded]
    text, _ = loaded
    return check_text(
        text,
        str(path),
        path.parent.name,
        languages=languages,
        image_files=image_names(path.parent),
        include_fields=include_fields,
    )


def check_text(
    text: str,
    path: str,
    folder: str,
    *,
    languages: Sequence[str],
    image_files: Collection[str] | None,
    include_fields: Collection[str] | None = None,
    missing_image: str | None = None,
) -> list[Problem]:
    """The problems of a product file's text (from the work tree or a commit), shown as ``path``."""
    try:
        data = yamlio.load(text, path)
    except MirrorFileError as exc:
        return [Problem(path, exc.line, "", exc.detail)]
    return check_loaded(
        data,
        text,
        path,
        folder,
        languages=languages,
        image_files=image_files,
        include_fields=include_fields,
        missing_image=missing_image,
    )


def check_loaded(
    data: object,
    text: str,
    path: str,
    folder: str,
    *,
    languages: Sequence[str],
    image_files: Collection[str] | None,
    include_fields: Collection[str] | None = None,
    missing_image: str | None = None,
) -> list[Problem]:
    """``check_text`` for a file already loaded (``data``) from ``text``."""
    problems = validate_product(
        data,
        path=path,
        languages=languages,
        image_files=image_files,
        text=text,
        include_fields=include_fields,
        missing_image=missing_image,
    )
    problems += _folder_id_problem(data, path, folder, text) + comment_problems(text, path)
    return sorted(problems, key=lambda p: p.line or 0)


def comment_problems(text: str, path: str) -> list[Problem]:
    """Comments in a product file: ecomgit never writes one, so each is most likely a value cut
    short by an unquoted `` #`` (``en: Sale #1`` reads as ``Sale``). Parsed only when a ``#`` is there."""
    if "#" not in text:
        return []
    return [
        Problem(
            path,
            line,
            "",
            "a '#' after a space starts a YAML comment, so the text after it is not part of the value; "
            "put the whole value in quotes (e.g. 'Sale #1') or remove the comment",
        )
        for line in _comment_lines(text)
    ]


@functools.lru_cache(maxsize=256)
def _comment_lines(text: str) -> tuple[int, ...]:
    """The lines of ``text`` with a comment, remembered: a round-trip parse is pure Python (25 ms for
    a product with a CSS colour in its description), and one command checks the same text several
    times (the plan, the push's validation, the record)."""
    try:
        data = YAML(typ="rt").load(text)
    except YAMLError:
        return ()
    return tuple(sorted({line for token in _comment_tokens(data) if (line := _token_line(token)) is not None}))


def _comment_tokens(node: Any) -> Iterator[Any]:
    comments = getattr(node, "ca", None)
    if comments is not None:
        yield from _tokens(comments.comment)
        for entry in comments.items.values():
            yield from _tokens(entry)
    children = node.values() if isinstance(node, Mapping) else node if isinstance(node, list) else []
    for child in children:
        yield from _comment_tokens(child)


def _tokens(value: Any) -> Iterator[Any]:
    if isinstance(value, list):
        for item in value:
            yield from _tokens(item)
    elif value is not None and hasattr(value, "value") and hasattr(value, "start_mark"):
        yield value


def _token_line(token: Any) -> int | None:
    text = str(token.value)
    if "#" not in text:
        return None
    return int(token.start_mark.line) + text[: text.index("#")].count("\n") + 1
