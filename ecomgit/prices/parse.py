"""A product file's prices, read line by line (no YAML parser: a year of history is tens of
thousands of files). The mirror's writer fixes the layout: top-level keys at column 0, each
variant a list item ``- id: …`` under ``variants:``, its own fields indented by two spaces."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

_VARIANT_LINE = re.compile(
    r"^(- id|  sku|  articleCode|  priceIncl|  priceExcl|  oldPriceIncl|  oldPriceExcl): ?(.*)$", re.M
)
_CATEGORY_LINE = re.compile(r"^(- id|  url): ?(.*)$", re.M)
_TITLE = re.compile(r"^title:\n  [A-Za-z_-]+: (.*)$", re.M)
_TOP_KEY = re.compile(r"^[A-Za-z_]", re.M)


@dataclass(frozen=True)
class VariantPrices:
    vid: int
    sku: str = ""
    article_code: str = ""
    price_incl: Decimal | None = None
    price_excl: Decimal | None = None
    old_incl: Decimal | None = None
    old_excl: Decimal | None = None

    def prices(self) -> tuple[Decimal | None, ...]:
        return (self.price_incl, self.price_excl, self.old_incl, self.old_excl)

    def codes(self) -> tuple[str, ...]:
        return tuple(code for code in (self.sku, self.article_code) if code)


@dataclass(frozen=True)
class ProductPrices:
    title: str
    categories: tuple[str, ...]  # each category's id and url, as text
    variants: tuple[VariantPrices, ...]


def parse_product(text: str) -> ProductPrices:
    """The title, categories and variant prices of a product file's text."""
    title = _TITLE.search(text)
    categories = [_unquote(value) for _, value in _CATEGORY_LINE.findall(_section(text, "categories"))]
    return ProductPrices(
        _unquote(title.group(1)) if title else "",
        tuple(categories),
        tuple(_variants(_section(text, "variants"))),
    )


def _section(text: str, key: str) -> str:
    start = text.find(f"\n{key}:\n")
    if start < 0:
        return ""
    start += len(key) + 3
    end = _TOP_KEY.search(text, start)
    return text[start : end.start() if end else len(text)]


_FIELDS = {
    "  sku": "sku",
    "  articleCode": "article_code",
    "  priceIncl": "price_incl",
    "  priceExcl": "price_excl",
    "  oldPriceIncl": "old_incl",
    "  oldPriceExcl": "old_excl",
}


def _variants(section: str) -> list[VariantPrices]:
    found: list[VariantPrices] = []
    fields: dict[str, object] | None = None
    for key, value in _VARIANT_LINE.findall(section):
        if key == "- id":
            if fields is not None:
                found.append(VariantPrices(**fields))  # type: ignore[arg-type]
            fields = {"vid": int(value)} if value.isascii() and value.isdigit() else None
        elif fields is not None:
            name = _FIELDS[key]
            fields[name] = _unquote(value) if name in ("sku", "article_code") else money(value)
    if fields is not None:
        found.append(VariantPrices(**fields))  # type: ignore[arg-type]
    return found


def money(value: object) -> Decimal | None:
    """A price as written (``19.90`` stays 19.90), None for no value."""
    if value is None or isinstance(value, bool):
        return None
    return _decimal(str(value))


@lru_cache(maxsize=1 << 16)
def _decimal(value: str) -> Decimal | None:
    """(A catalog repeats its prices: each text is converted once.)"""
    text = _unquote(value)
    if text in ("", "null", "~"):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _unquote(value: str) -> str:
    if not value or value[0] not in "'\"":
        return value.strip()
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value
