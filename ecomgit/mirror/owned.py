"""Files ecomgit wrote: the only ones it ever deletes from a product folder.

A person keeps things beside the mirror: ``images/master.psd`` (ignored by ``.gitignore``),
``notes.txt``. Those are not ecomgit's. When the shop's images change, when the shop deletes a
product or when a folder is renamed, ecomgit removes only the files of the mirror layout that it
wrote: those git tracks, and those the product file as it stood named (``product.yaml``, its
listed images, which a sync cut short wrote but did not commit yet). Anything else stays where it
is; a deleted product's folder that still holds such files stays with them (``ecomgit status``
names it).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from ecomgit import gitrepo
from ecomgit.errors import MirrorError
from ecomgit.mirror import layout


def owned_images(images: Path, listed: Collection[str]) -> set[str]:
    """The names in ``images/`` that ecomgit wrote: tracked by git, or ``listed`` by the product file."""
    return set(listed) | {name for name in gitrepo.tracked_files(images) if "/" not in name}


def remove_product_files(folder: Path, listed: Collection[str]) -> list[Path]:
    """Remove what ecomgit wrote in a product's folder, then the folders left empty; what remains
    (files a person put there) is returned, and the folder stays for them."""
    if not folder.is_dir():
        return []
    ours = gitrepo.tracked_files(folder) | {layout.PRODUCT_FILE} | {f"{layout.IMAGES_DIR}/{n}" for n in listed}
    for name in ours:
        path = folder / name
        if path.is_file() or path.is_symlink():
            path.unlink()
    for path in sorted((p for p in folder.rglob("*") if p.is_dir() and not p.is_symlink()), reverse=True):
        if not any(path.iterdir()):
            path.rmdir()
    left = sorted(p for p in folder.rglob("*") if not p.is_dir() or p.is_symlink())
    if not left and not any(folder.iterdir()):
        folder.rmdir()
    return left


def left_behind(root: Path) -> dict[str, list[str]]:
    """Folders under ``products/`` without a product file that still hold files (folder → files):
    what a deleted or renamed product left because a person's files were in it."""
    base = root / layout.PRODUCTS_DIR
    if not base.is_dir():
        return {}
    out: dict[str, list[str]] = {}
    for folder in sorted(p for p in base.iterdir() if p.is_dir() and not p.is_symlink()):
        if (folder / layout.PRODUCT_FILE).exists():
            continue
        names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir())
        if names:
            out[f"{layout.PRODUCTS_DIR}/{folder.name}"] = names
    return out


def make_room(target: Path) -> None:
    """Clear ``target`` for a product folder renamed onto it: what ecomgit wrote there goes; a
    person's files there are never deleted, so the rename stops and names them."""
    left = remove_product_files(target, ())
    if left:
        shown = ", ".join(p.relative_to(target).as_posix() for p in left[:5])
        raise MirrorError(
            f"{target} must take a renamed product folder but holds files ecomgit did not write ({shown}); "
            "move them out of it, then run the command again"
        )
