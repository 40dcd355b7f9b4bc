"""The one guard in front of every file ecomgit reads, writes or deletes in the mirror's work tree.

A symbolic link anywhere under ``products/`` or ``shop/`` (``products`` itself, a product folder,
``images/``, an image file) would make a write or a delete land outside the repository: a linked
``images/`` made sync and push delete the link target's files as "stale images". ecomgit never
writes links, so any link there was put there by someone else; the guard refuses it, naming the
path, before anything is touched. Each component between the repository root and the path is
looked at with ``lstat`` (links are never followed), and the path must stay inside the root.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from ecomgit.errors import MirrorFileError
from ecomgit.mirror import layout

MIRRORED = (layout.PRODUCTS_DIR, layout.SHOP_DIR)


LINK = (
    "this is a symbolic link; ecomgit never reads, writes or deletes through links (they can point outside "
    "the repository): remove the link ('git rm' it if committed) and put the real files there"
)


SUBMODULE = (
    "this is a git submodule (another repository's commit), not a file of the mirror: remove it ('git rm' it) "
    "and put the real files there"
)
# tree entries git can commit that are no file of the mirror: what each is, in words
FOREIGN_MODES = {"120000": LINK, "160000": SUBMODULE}


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def guard(root: Path, path: Path) -> Path:
    """``path`` itself, once no existing component of it below ``root`` is a link and it stays inside
    ``root``; else MirrorFileError naming the path. Components that do not exist yet are fine."""
    absolute = Path(os.path.abspath(path))
    base = Path(os.path.abspath(root))
    if not absolute.is_relative_to(base):
        raise MirrorFileError(str(path), "is outside the repository; ecomgit only touches files inside it")
    current = base
    for part in absolute.relative_to(base).parts:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return path
        if stat.S_ISLNK(mode):
            raise MirrorFileError(_rel(base, current), LINK)
    return path


def not_links(*paths: Path) -> None:
    """The last line of defence where the repository root is not known: none of ``paths`` is a link."""
    for path in paths:
        if path.is_symlink():
            raise MirrorFileError(str(path), LINK)


def guard_tree(root: Path, path: Path) -> Path:
    """``guard`` for ``path`` and everything below it (a product folder about to be rewritten or removed)."""
    guard(root, path)
    for found in links_below(path):
        raise MirrorFileError(_rel(Path(os.path.abspath(root)), found), LINK)
    return path


def links_below(path: Path) -> Iterator[Path]:
    """The links inside the directory ``path`` (not following any), depth first."""
    try:
        entries = list(os.scandir(path))
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in sorted(entries, key=lambda e: e.name):
        if entry.is_symlink():
            yield Path(entry.path)
        elif entry.is_dir(follow_symlinks=False):
            yield from links_below(Path(entry.path))


def mirror_links(root: Path, tops: Iterable[Path] = MIRRORED) -> list[str]:
    """Every link at or under ``products/`` and ``shop/`` of the work tree, as repository paths."""
    found: list[str] = []
    for top in tops:
        path = root / top
        if path.is_symlink():
            found.append(top.as_posix())
        else:
            found += [_rel(root, link) for link in links_below(path)]
    return found
