"""``ecomgit check``: validate product files before they are pushed (pull requests, pre-commit)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ecomgit.mirror import layout
from ecomgit.mirror.validate import Problem, check_file


def product_files(root: Path, paths: Iterable[Path]) -> list[Path]:
    """The ``product.yaml`` files ``paths`` name: files, product folders, image files (their product),
    ``products/`` itself; every product when ``paths`` is empty."""
    wanted: set[Path] = set()
    given = list(paths)
    base = root / layout.PRODUCTS_DIR
    for path in given or [base]:
        path = path if path.is_absolute() else Path.cwd() / path
        if path.is_dir() and path.resolve() == base.resolve():
            wanted.update(base.glob(f"*/{layout.PRODUCT_FILE}"))
            continue
        folder = _product_folder(path.resolve(), base.resolve())
        if folder is not None:
            wanted.add(folder / layout.PRODUCT_FILE)
    return sorted(wanted)


def _product_folder(path: Path, base: Path) -> Path | None:
    if not path.is_relative_to(base) or path == base:
        return None
    return base / path.relative_to(base).parts[0]


def check(root: Path, paths: Sequence[Path], languages: Sequence[str]) -> tuple[list[Path], list[Problem]]:
    """The product files checked and every problem found in them (with file, line and fix)."""
    targets = product_files(root, paths)
    problems: list[Problem] = []
    for path in targets:
        if path.exists():
            problems += check_file(path, languages=languages)
    return targets, problems
