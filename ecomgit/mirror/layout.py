"""Where things live in a mirror, and file names that can never escape their folder."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ecomgit.ids import DIGITS, parse_id

CONFIG_FILE = Path(".ecomgit/config.yaml")
PRODUCTS_DIR = Path("products")
SHOP_DIR = Path("shop")
PRODUCT_FILE = "product.yaml"
REVIEWS_FILE = "reviews.yaml"  # the product's customer reviews: a record, never written to the shop
IMAGES_DIR = "images"
SHOP_FILE = SHOP_DIR / "shop.yaml"

_MAX_NAME = 60
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}
_FOLDER = re.compile(f"({DIGITS}+)(?:-.*)?", re.DOTALL)


def safe_name(text: str, fallback: str = "item") -> str:
    """A lowercase ASCII name of [a-z0-9-] only, at most 60 characters, never empty or reserved.

    Whatever the shop sends (``..``, slashes, control characters, emoji, Windows device names),
    the result is one plain path component.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:_MAX_NAME].strip("-")
    if not name or name in _RESERVED:
        return fallback if not name else f"{name}-{fallback}"
    return name


def safe_ext(ext: str) -> str:
    """A file extension of at most 5 lowercase alphanumerics; ``bin`` when there is none."""
    clean = re.sub(r"[^a-z0-9]", "", ext.lower())[:5]
    return clean or "bin"


def product_folder(product_id: int, slug: str) -> str:
    return f"{int(product_id)}-{safe_name(slug, 'product')}"


def product_dir(root: Path, folder: str) -> Path:
    return root / PRODUCTS_DIR / folder


def folder_product_id(folder: str) -> int | None:
    """The product id a folder name starts with (ASCII digits), or None for a folder that is not a product's."""
    match = _FOLDER.fullmatch(folder)
    return parse_id(match.group(1)) if match else None


def image_file_name(position: int, total: int, name: str, ext: str) -> str:
    """``NN-<name>.<ext>``: NN is the 1-based position, zero-padded to at least two digits."""
    width = max(2, len(str(total)))
    return f"{position:0{width}d}-{safe_name(name, 'image')}.{safe_ext(ext)}"
