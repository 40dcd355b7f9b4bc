"""``ecomgit check``: validate product files before they are pushed (pull requests, pre-commit).

It checks the work tree (what is about to be committed): each product file, the bytes of its images,
links, duplicate product ids and variant codes. Push sends the commit, so anything the work tree
shows that a commit of it would not carry is reported too: an image file git does not track
(ignored by ``.gitignore``, ``git rm --cached``) would not reach the shop. Nothing is read through a
symbolic link: a link under ``products/`` or ``shop/`` is itself the problem.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ecomgit import gitrepo, lfs, newproducts
from ecomgit.committed import UNCOMMITTED, UNCOMMITTED_PRODUCT, invented_markers, shop_duplicates
from ecomgit.config import Config
from ecomgit.errors import MirrorFileError
from ecomgit.mirror import layout, safety, yamlio
from ecomgit.mirror.duplicates import Entry, duplicate_codes, duplicate_ids, duplicated, variant_codes
from ecomgit.mirror.imagefile import HEAD, image_problem
from ecomgit.mirror.validate import Problem, check_loaded, check_reviews, image_names, load_file, read_text
from ecomgit.revisions import base_version, blob_id


def product_files(root: Path, paths: Iterable[Path]) -> list[Path]:
    """The ``product.yaml`` files ``paths`` name: files, product folders, image files (their product),
    ``products/`` itself; every product when ``paths`` is empty. Paths are taken as written (links
    are not resolved: a linked folder is reported, never followed)."""
    wanted: set[Path] = set()
    given = list(paths)
    base = Path(os.path.abspath(root / layout.PRODUCTS_DIR))
    for path in given or [base]:
        path = Path(os.path.abspath(path))
        if path == base:
            if base.is_dir() and not base.is_symlink():
                wanted.update(Path(entry.path) / layout.PRODUCT_FILE for entry in os.scandir(base) if entry.is_dir())
            continue
        folder = _product_folder(path, base)
        if folder is not None:
            wanted.add(folder / layout.PRODUCT_FILE)
    return sorted(wanted)


def _product_folder(path: Path, base: Path) -> Path | None:
    if not path.is_relative_to(base) or path == base:
        return None
    return base / path.relative_to(base).parts[0]


def check(root: Path, paths: Sequence[Path], config: Config) -> tuple[list[Path], list[Problem]]:
    """The product files checked and every problem found in them (with file, line and fix)."""
    root = Path(os.path.abspath(root))
    targets = product_files(root, paths)
    links = _links(root, targets, whole=not paths)
    problems = [Problem(str(root / rel), None, "", safety.LINK) for rel in links]
    problems += [
        Problem(str(root / rel), None, "", message)
        for rel, message in _committed_links(root, targets, whole=not paths)
        if rel not in links
    ]
    linked = {root / rel for rel in links}
    entries: list[Entry] = []
    for path in targets:
        if any(path == link or path.is_relative_to(link) for link in linked):
            continue  # never read through a link
        if path.exists():
            problems += _check_product(root, path, config, entries)
        reviews = path.parent / layout.REVIEWS_FILE
        if reviews.is_file() and not reviews.is_symlink():
            problems += check_reviews(reviews)
    folders = [path.parent.name for path in targets if not any(path.is_relative_to(link) for link in linked)]
    problems += _untracked_images(root, folders, whole=not paths)
    problems += _duplicates(root, targets, entries, whole=not paths)
    # a new product folder: push creates it, except on a Retail-linked shop, where check says why not
    fresh = set(newproducts.new_folders(root))
    fresh = fresh if fresh and newproducts.retail_linked(root, config) else set()
    problems += [
        Problem(str(path), 1, "id", newproducts.advice(root, config))
        for path in targets
        if path.parent.name in fresh and path.parent.parent == root / layout.PRODUCTS_DIR
    ]
    return targets, problems


def _links(root: Path, targets: Sequence[Path], whole: bool) -> list[str]:
    if whole:
        return safety.mirror_links(root)
    found: list[str] = []
    for path in targets:
        try:
            safety.guard(root, path)
        except MirrorFileError as exc:
            found.append(exc.path)
            continue
        found += [link.relative_to(root).as_posix() for link in safety.links_below(path.parent)]
    return sorted(set(found))


def _committed_links(root: Path, targets: Sequence[Path], whole: bool) -> list[tuple[str, str]]:
    """Links and submodules in the index (staged or committed): push refuses them, also in a clone
    that checks links out as plain files (``core.symlinks=false``, where the work tree shows none)."""
    specs = [str(top) for top in safety.MIRRORED]
    if not whole:
        specs = [path.parent.relative_to(root).as_posix() for path in targets if path.parent.is_relative_to(root)]
    found = []
    for start in range(0, len(specs), 200):
        out = gitrepo.run(root, "ls-files", "-s", "-z", "--", *specs[start : start + 200], check=False)
        for entry in out.split("\0"):
            meta, _, name = entry.partition("\t")
            mode = meta.split(" ")[0]
            if name and mode in safety.FOREIGN_MODES:
                found.append((name, safety.FOREIGN_MODES[mode]))
    return found


def _check_product(root: Path, path: Path, config: Config, entries: list[Entry]) -> list[Problem]:
    loaded = load_file(path)
    if isinstance(loaded, Problem):
        return [loaded]
    text, data = loaded
    if isinstance(data, dict):
        entries.append((str(path), data, text))
    problems = check_loaded(
        data,
        text,
        str(path),
        path.parent.name,
        languages=list(config.languages),
        image_files=image_names(path.parent),
        include_fields=config.include_fields,
    )
    problems += invented_markers(root, path.parent.name, text, str(path))
    return problems + _image_problems(root, path.parent / layout.IMAGES_DIR, config.image_max_mb)


def _image_problems(root: Path, images: Path, max_mb: float) -> list[Problem]:
    """Each image file's size and format, from its first bytes (an LFS pointer: from its object)."""
    if images.is_symlink() or not images.is_dir():
        return []
    problems = []
    for entry in sorted(os.scandir(images), key=lambda e: e.name):
        if entry.is_symlink() or not entry.is_file():
            continue
        size = entry.stat().st_size
        with open(entry.path, "rb") as handle:
            head = handle.read(max(HEAD, lfs.POINTER_MAX + 1) if size <= lfs.POINTER_MAX else HEAD)
        if lfs.pointer_oid(head) is not None:
            rel = Path(entry.path).relative_to(root).as_posix()
            try:
                head = lfs.resolve(root, head, "HEAD", rel)
            except MirrorFileError as exc:
                problems.append(Problem(entry.path, None, "", exc.detail))
                continue
            size = len(head)
        message = image_problem(entry.name, head, size, max_mb)
        if message is not None and not _shop_own(root, images.parent.name, Path(entry.path)):
            problems.append(Problem(entry.path, None, "", message))
    return problems


def _shop_own(root: Path, folder: str, path: Path) -> bool:
    """Whether an image file's bytes are the shop's own, as the product's last record holds them (a
    PNG the shop serves as .jpg, say): not a person's change, so not one to refuse. Asked only of a
    file that fails the header check."""
    pid = layout.folder_product_id(folder)
    base = base_version(root, pid) if pid is not None else None
    if base is None or path.name not in base.image_blobs:
        return False
    try:
        return blob_id(path.read_bytes()) == base.image_blobs[path.name]
    except OSError:
        return False


def _untracked_images(root: Path, folders: Sequence[str], whole: bool) -> list[Problem]:
    """Image files in the work tree that git does not track (ignored ones too): push would not send them."""
    if not folders:
        return []
    specs = [str(layout.PRODUCTS_DIR)] if whole else [f"{layout.PRODUCTS_DIR}/{f}/{layout.IMAGES_DIR}" for f in folders]
    problems = []
    for start in range(0, len(specs), 200):
        out = gitrepo.run(root, "ls-files", "-z", "--others", "--", *specs[start : start + 200], check=False)
        for name in out.split("\0"):
            parts = name.split("/")
            if len(parts) == 4 and parts[2] == layout.IMAGES_DIR:
                problems.append(Problem(str(root / name), None, "", UNCOMMITTED))
    files = [f"{layout.PRODUCTS_DIR}/{f}/{layout.PRODUCT_FILE}" for f in (["*"] if whole else folders)]
    for start in range(0, len(files), 200):  # an ignored product file: its edits never reach a commit
        out = gitrepo.run(
            root,
            "ls-files",
            "-z",
            "--others",
            "--ignored",
            "--exclude-standard",
            "--",
            *files[start : start + 200],
            check=False,
        )
        ignored = [name for name in out.split("\0") if len(name.split("/")) == 3]
        problems += [Problem(str(root / name), None, "", UNCOMMITTED_PRODUCT) for name in ignored]
    return problems


def _duplicates(root: Path, targets: Sequence[Path], entries: list[Entry], whole: bool) -> list[Problem]:
    base = root / layout.PRODUCTS_DIR
    names = [e.name for e in os.scandir(base) if e.is_dir(follow_symlinks=False)] if base.is_dir() else []
    wanted = None if whole else {path.parent.name for path in targets}
    problems = [Problem(str(root / p.path), p.line, p.field, p.message) for p in duplicate_ids(names, wanted)]
    mine = {path for path, _, _ in entries}
    others = [] if whole else _others_with_codes(root, entries, mine)
    everything = sorted([*entries, *others], key=lambda entry: entry[0])
    accepted = shop_duplicates(root, duplicated(entry[1] for entry in everything))
    return problems + duplicate_codes(everything, None if whole else mine, accepted)


def _others_with_codes(root: Path, entries: list[Entry], mine: set[str]) -> list[Entry]:
    """The other product files of the work tree that mention one of ``entries``' codes (one ``git grep``)."""
    codes = sorted({code for _, product, _ in entries for _, _, code in variant_codes(product)})
    if not codes:
        return []
    patterns = [arg for code in codes for arg in ("-e", code)]
    pathspec = f"{layout.PRODUCTS_DIR}/*/{layout.PRODUCT_FILE}"
    out = gitrepo.run(root, "grep", "-l", "-F", "-i", "-z", "--untracked", *patterns, "--", pathspec, check=False)
    found: list[Entry] = []
    for name in out.split("\0"):
        path = root / name
        if not name or str(path) in mine or path.parent.is_symlink() or path.is_symlink():
            continue
        try:
            text = read_text(path)
            data: Any = yamlio.load(text, str(path))
        except (MirrorFileError, OSError):
            continue  # checking that file reports it
        if isinstance(data, dict):
            found.append((str(path), data, text))
    return found
