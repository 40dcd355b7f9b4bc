"""Images a run could not download: left out of their product files, read again by the next run.

One image the CDN refuses or no longer serves must not hold back the mirror of everything else,
and must not keep the run unfinished (which blocks every later push and restore). So the product
is written with what is known: every image that could be fetched as its file; the one that could
not as a marker (:mod:`ecomgit.mirror.markers`: its name, shop id and file id, no file), so the
revision still says the shop has it and a write of that revision keeps it. The product is recorded
as not fully seen, so the next sync reads its current images again (its ``src`` may have changed
by then) and fetches it, or marks it again and says so again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ecomgit.errors import ApiError, MirrorError, NotFoundError, PermissionDeniedError, ServerError
from ecomgit.mirror import files, layout, markers
from ecomgit.text import one_line


@dataclass(frozen=True)
class Unfetched:
    """One image file that could not be downloaded, and why (in words for a merchant)."""

    path: Path  # products/<folder>/images/<file>
    file_id: int | None
    reason: str

    @property
    def file(self) -> str:
        return self.path.name

    @property
    def folder(self) -> Path:
        return self.path.parent.parent

    @property
    def product_id(self) -> int | None:
        return layout.folder_product_id(self.folder.name)

    def line(self, title: str = "") -> str:
        named = f" ({one_line(title)})" if title else ""
        return (
            f"  ! image {one_line(self.file)} of product {self.product_id}{named} not fetched: {self.reason}; "
            "marked as not fetched in the mirror, read again next sync"
        )


def unfetched(path: Path, file_id: int | None, error: ApiError) -> Unfetched:
    """The failed download of ``path`` as an :class:`Unfetched`, its reason without the URL."""
    if isinstance(error, NotFoundError | PermissionDeniedError | ServerError) and error.status is not None:
        reason = f"the CDN answered {error.status}"
    else:
        reason = str(error).split(": ", 1)[-1].removeprefix("not fetched: ").rstrip(".")
    return Unfetched(path, file_id, one_line(reason))


def leave_out(failed: Iterable[Unfetched], languages: Sequence[str]) -> dict[int, list[Unfetched]]:
    """Mark the images that could not be fetched as not fetched in their product files; product id → them."""
    by_folder: dict[Path, list[Unfetched]] = {}
    for item in failed:
        by_folder.setdefault(item.folder, []).append(item)
    out: dict[int, list[Unfetched]] = {}
    for folder, items in by_folder.items():
        path = folder / layout.PRODUCT_FILE
        try:
            product = files.read_product(path)
        except MirrorError:  # not written (the product failed on its own): nothing to take out
            continue
        names = {item.file for item in items}
        product["images"] = [markers.marker(i) if _named(i, names) else i for i in product.get("images") or []]
        listed = {markers.name(i) for i in product["images"]}
        for variant in product.get("variants") or []:  # a variant's own image (not a product image): none
            if isinstance(variant, dict) and variant.get("image") in names - listed:
                variant["image"] = None
        files.write_product(path, product, languages)
        pid = items[0].product_id
        if pid is not None:
            out[pid] = items
    return out


def _named(image: object, names: set[str]) -> bool:
    return isinstance(image, dict) and not markers.is_marker(image) and image.get("file") in names
