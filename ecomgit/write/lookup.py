"""``PRODUCT`` on the command line: an id, a folder, a SKU or article code (or EAN), or a slug.

Digits are an id when the mirror knows that id (live or deleted), else a code such as an EAN.
"""

from __future__ import annotations

from pathlib import Path

from ecomgit.errors import EcomgitError
from ecomgit.ids import parse_id
from ecomgit.mirror import layout
from ecomgit.revisions import codes_of, deletions, find_by_text, folder_at, read_at, slugs_of


def resolve_product(root: Path, spec: str) -> int:
    """The product id ``spec`` names, in the mirror or among the products the shop deleted."""
    text = spec.strip().rstrip("/")
    as_id = parse_id(text)
    if as_id is not None and _known_id(root, as_id):
        return as_id
    parts = Path(text).parts
    if parts and parts[0] == str(layout.PRODUCTS_DIR) and len(parts) > 1:
        text = parts[1]
    pid = layout.folder_product_id(text)
    if pid is not None and "-" in text:
        return pid
    matches = {pid: "in the mirror" for pid in _matching(root, text)}
    for deletion in deletions(root):
        version, _ = read_at(root, deletion.last_rev, deletion.pid)  # an unreadable old file: not a match
        if version is not None and (text in codes_of(version.product) or text in slugs_of(version.product)):
            matches.setdefault(deletion.pid, f"deleted from the shop on {deletion.date[:10]}")
    if len(matches) == 1:
        return next(iter(matches))
    if not matches and as_id is not None:
        return as_id  # an id the mirror has not seen (a product added since the last sync)
    if not matches:
        raise EcomgitError(
            f"no product has the id, SKU, article code, EAN or slug {spec!r}; check the spelling, or use the "
            "product's id ('ecomgit lost' lists deleted products)"
        )
    listed = ", ".join(f"{pid} ({where})" for pid, where in sorted(matches.items()))
    raise EcomgitError(f"{spec!r} names more than one product: {listed}; use the product's id")


def _known_id(root: Path, pid: int) -> bool:
    return folder_at(root, "HEAD", pid) is not None or any(d.pid == pid for d in deletions(root))


def _matching(root: Path, text: str) -> list[int]:
    found = find_by_text(root, "HEAD", [text])
    return [v.pid for v in found if text in codes_of(v.product) or text in slugs_of(v.product)]
