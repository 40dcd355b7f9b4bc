"""Text from the shop shown to people (terminal, commit messages): one safe line."""

from __future__ import annotations

import unicodedata

_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})  # control, format, lone surrogates, line/paragraph separators


def one_line(text: str) -> str:
    """``text`` with every control or invisible formatting character written out (``\\x1b``,
    ``\\u202e``): a title from the shop can neither drive the terminal nor forge a line in a
    commit message (a trailer), nor stop git (a NUL)."""
    if text.isprintable():
        return text
    return "".join(_visible(ch) if unicodedata.category(ch) in _HIDDEN else ch for ch in text)


def _visible(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
