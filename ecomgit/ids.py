"""Ids are written in ASCII digits (0-9), everywhere: folder names, trailers, arguments.

Python's ``str.isdigit()``, ``int()`` and ``re``'s ``\\d`` also accept other scripts' digits
(``７２４１８３３９``, ``٧٢``), so a folder ``products/７２４１８３３９-copy`` would read as product
72418339 in one place and as no product in another. Every id ecomgit reads from text goes through
:func:`parse_id`; patterns use :data:`DIGITS`.
"""

from __future__ import annotations

import re

DIGITS = "[0-9]"  # for patterns: ``\d`` matches any script's digits
_ID = re.compile(f"{DIGITS}+")


def parse_id(text: str) -> int | None:
    """The number ``text`` writes in ASCII digits only (no sign, no spaces), else None."""
    return int(text) if _ID.fullmatch(text) else None


def foreign_digits(text: str) -> bool:
    """Whether ``text`` starts with a digit of another script (a look-alike of an id)."""
    return bool(text) and text[0].isdecimal() and not text[0].isascii()
