"""One product in two folders, one SKU on two variants: each is a problem with both places named.

Two folders ``products/123-a/`` and ``products/123-b/`` (a copied folder) would both be pushed to
product 123, the later one undoing the earlier; a SKU, article code or EAN held by two variants
makes every lookup by code (``ecomgit lost``, restoring onto a successor, matching an interrupted
create) ambiguous, and in a Retail-linked shop it is two items fighting over one code.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from ecomgit.ids import foreign_digits
from ecomgit.mirror import layout, yamlio
from ecomgit.mirror.validate import FieldPath, Problem, field_name, line_of

CODES = ("sku", "articleCode", "ean")
FOREIGN_DIGITS = (
    "the folder name starts with digits other than 0-9, so it names no product (ids are written in 0-9); "
    "a copy of a product's folder: remove it; a new product: name its folder without a number and set id: null"
)


def _product_path(folder: str) -> str:
    return f"{layout.PRODUCTS_DIR}/{folder}/{layout.PRODUCT_FILE}"


def duplicate_ids(folders: Iterable[str], wanted: set[str] | None = None) -> list[Problem]:
    """A problem for each folder whose product id another folder also names (``wanted``: report
    only groups that include one of these folders)."""
    by_id: dict[int, list[str]] = {}
    problems = []
    for name in folders:
        pid = layout.folder_product_id(name)
        if pid is not None:
            by_id.setdefault(pid, []).append(name)
        elif foreign_digits(name):  # never a product's folder, whatever ``wanted`` says
            problems.append(Problem(_product_path(name), None, "", FOREIGN_DIGITS))
    for pid, names in sorted(by_id.items()):
        if len(names) < 2 or (wanted is not None and not wanted & set(names)):
            continue
        names.sort()
        for name in names[1:]:
            problems.append(
                Problem(
                    _product_path(name),
                    None,
                    "id",
                    f"product {pid} is also in {layout.PRODUCTS_DIR}/{names[0]}/; one product has one folder: "
                    "remove the copy (for a new product, set id: null and name its folder without a number)",
                )
            )
    return problems


def variant_codes(product: Mapping[str, Any]) -> Iterable[tuple[FieldPath, str, str]]:
    """(field path, code kind, code) of every non-empty SKU, article code and EAN of the product."""
    for index, variant in enumerate(product.get("variants") or []):
        if not isinstance(variant, Mapping):
            continue
        for key in CODES:
            value = variant.get(key)
            if isinstance(value, str) and value.strip():
                yield ("variants", index, key), key, value.strip()


Entry = tuple[str, Mapping[str, Any], str | None]  # file, product, its YAML text (for line numbers)


def same_code(code: str) -> str:
    """What makes two codes one: ``ab-1`` and `` AB-1`` are one SKU to a person, to a lookup in the
    back office and to Retail, so they are one here (edge whitespace is stripped before)."""
    return code.lower()


def duplicated(products: Iterable[Mapping[str, Any]]) -> set[tuple[str, str]]:
    """The (code kind, ``same_code`` of the code) pairs that more than one variant of ``products`` holds."""
    seen: set[tuple[str, str]] = set()
    twice: set[tuple[str, str]] = set()
    for product in products:
        for _, key, code in variant_codes(product):
            pair = (key, same_code(code))
            (twice if pair in seen else seen).add(pair)
    return twice


def duplicate_codes(
    products: Sequence[Entry],
    wanted: set[str] | None = None,
    accepted: Collection[tuple[str, str]] = (),
) -> list[Problem]:
    """A problem for each variant code already held by an earlier variant (of the same or another
    product). ``wanted``: report only pairs that involve one of these files. ``accepted``: codes the
    shop itself holds twice (as the last sync recorded it): not a person's edit, not refused here."""
    first: dict[tuple[str, str], tuple[str, str]] = {}
    problems = []
    for path, product, text in products:
        for where, key, code in variant_codes(product):
            pair = (key, same_code(code))
            seen = first.get(pair)
            if seen is None:
                first[pair] = (path, field_name(where))
                continue
            if wanted is not None and path not in wanted and seen[0] not in wanted or pair in accepted:
                continue
            other = seen[1] if seen[0] == path else f"{seen[0]} ({seen[1]})"
            message = f"{key} {code!r} is also on {other}; give each variant its own {key}"
            problems.append(Problem(path, _line(text, where), field_name(where), message))
    return problems


def _line(text: str | None, where: FieldPath) -> int | None:
    root = yamlio.compose(text) if text is not None else None
    return None if root is None else line_of(root, where)
