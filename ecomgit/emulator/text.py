"""Small text helpers: URL slugs and CDN file names."""

from __future__ import annotations

import re
import unicodedata

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """``"Lookin' Sharp T-Shirt"`` → ``"lookin-sharp-t-shirt"``; empty for text without letters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")


def file_name(stem: str) -> str:
    """The CDN name for an uploaded file's stem (``Zij kant`` → ``zij-kant``), ``file`` if nothing is left."""
    return slugify(stem) or "file"
