"""Products as a commit holds them, checked the way push and restore will send them.

Push sends the commit, not the work tree: a file the work tree has and the commit lacks (ignored by
``.gitignore``, ``git rm --cached``, behind a link) must not look fine to the check and then be
sent as "no such image", which deletes the shop's image. So the check before a write reads the
same blobs the write will read: the product file, the image files (resolved from Git LFS) and the
tree entries themselves (a committed symbolic link is refused, never read as an image).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ecomgit import gitrepo, lfs, records
from ecomgit.config import Config
from ecomgit.errors import MirrorError, MirrorFileError
from ecomgit.mirror import layout, markers, safety, yamlio
from ecomgit.mirror.duplicates import duplicate_codes, duplicate_ids, duplicated, variant_codes
from ecomgit.mirror.imagedecode import decode_problem
from ecomgit.mirror.imagefile import image_problem
from ecomgit.mirror.validate import Problem, check_text, field_name, line_of
from ecomgit.revisions import base_version, find_by_text, versions_at

_BATCH = 200  # folders per ls-tree


@dataclass
class Entries:
    """The tree entries of one product folder at a revision."""

    product: str | None = None  # blob id of product.yaml
    images: dict[str, tuple[str, int]] = field(default_factory=dict)  # name → (blob id, size)
    links: list[Problem] = field(default_factory=list)  # symbolic links and submodules, each a problem


def product_path(folder: str) -> str:
    return f"{layout.PRODUCTS_DIR}/{folder}/{layout.PRODUCT_FILE}"


def tree_entries(root: Path, rev: str, folders: Sequence[str]) -> dict[str, Entries]:
    """Folder → its entries at ``rev`` (folders absent there are left out); links anywhere in
    ``products`` or ``shop`` themselves are listed under the key ``""``."""
    out: dict[str, Entries] = {}
    tops = gitrepo.run(root, "ls-tree", "-z", rev, "--", *(str(p) for p in safety.MIRRORED), check=False)
    top_links = [
        Problem(path, None, "", safety.FOREIGN_MODES[mode])
        for mode, path in _entries(tops)
        if mode in safety.FOREIGN_MODES
    ]
    if top_links:
        out[""] = Entries(links=top_links)
        return out
    for start in range(0, len(folders), _BATCH):
        specs = [f"{layout.PRODUCTS_DIR}/{folder}" for folder in folders[start : start + _BATCH]]
        listing = gitrepo.run(root, "ls-tree", "-z", "-r", "-l", rev, "--", *specs, check=False)
        for entry in listing.split("\0"):
            meta, _, path = entry.partition("\t")
            parts = meta.split()
            if not path or len(parts) != 4:
                continue
            mode, _kind, blob, size = parts
            steps = path.split("/")
            entries = out.setdefault(steps[1], Entries())
            if mode in safety.FOREIGN_MODES:
                entries.links.append(Problem(path, None, "", safety.FOREIGN_MODES[mode]))
            elif steps[2:] == [layout.PRODUCT_FILE]:
                entries.product = blob
            elif len(steps) == 4 and steps[2] == layout.IMAGES_DIR and size.isdigit():
                entries.images[steps[3]] = (blob, int(size))
    return out


def _entries(listing: str) -> list[tuple[str, str]]:
    return [(meta.split()[0], path) for meta, _, path in (e.partition("\t") for e in listing.split("\0")) if path]


def check_committed(
    root: Path,
    config: Config,
    rev: str,
    folders: Sequence[str],
    *,
    schema: bool = True,
) -> list[Problem]:
    """Every problem of the product ``folders`` as ``rev`` holds them; ``schema=False`` checks only
    what a write of an old revision depends on (links, listed images, image bytes, field policy)."""
    entries = tree_entries(root, rev, folders)
    if "" in entries:
        return list(entries[""].links)
    problems: list[Problem] = []
    for folder in folders:
        if folder in entries:
            problems += _check_folder(root, config, rev, folder, entries[folder], schema)
    return problems


NOT_COMMITTED = (
    "is listed but is not in the commit; add and commit the file (is it ignored by .gitignore?) or fix the name"
)
_WRITE_RELEVANT = (NOT_COMMITTED, "is not mirrored by this repository")
# where the write finds its image files: a name there that names no committed file ('../x.jpg',
# null, a list that is not one) would be written as "no such image", which deletes the shop's image
_IMAGE_FIELD = re.compile(r"^(images(\[\d+\](\.file|\.notFetched|\.fileId)?)?|variants\[\d+\]\.image)$", re.ASCII)


def _write_relevant(problem: Problem) -> bool:
    """Whether a problem of an old revision matters to writing it (``schema=False``)."""
    return any(part in problem.message for part in _WRITE_RELEVANT) or bool(_IMAGE_FIELD.match(problem.field))


def _check_folder(root: Path, config: Config, rev: str, folder: str, entries: Entries, schema: bool) -> list[Problem]:
    problems = list(entries.links)
    path = product_path(folder)
    if entries.links or entries.product is None:
        return problems
    raw = gitrepo.blobs(root, {"": entries.product}).get("", b"")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [*problems, Problem(path, line, "", "not valid UTF-8; save the file as UTF-8")]
    found = check_text(
        text,
        path,
        folder,
        languages=list(config.languages),
        image_files=set(entries.images),
        include_fields=config.include_fields,
        missing_image=NOT_COMMITTED,
    )
    if not schema:
        found = [p for p in found if _write_relevant(p)]
    else:
        found += invented_markers(root, folder, text, path)
    problems += found
    problems += _image_problems(root, config, rev, folder, entries)
    return problems


def invented_markers(root: Path, folder: str, text: str, path: str) -> list[Problem]:
    """Images listed as not fetched that the shop never had: only sync writes such an entry, for an
    image the shop listed, so one that the product's last record does not hold was made by hand
    (and would be sent as "keep shop image N"). Deleting an entry is an edit; inventing one is not."""
    try:
        data = yamlio.load(text, path)
    except MirrorFileError:
        return []  # the file's own check reports it
    images = data.get("images") if isinstance(data, dict) else None
    marked = [(index, image) for index, image in enumerate(images or []) if markers.is_marker(image)]
    if not isinstance(images, list) or not marked:
        return []
    pid = layout.folder_product_id(folder)
    base = base_version(root, pid) if pid is not None else None
    held = (
        {(i.get("id"), i.get("fileId")) for i in (base.product.get("images") or []) if isinstance(i, dict)}
        if base
        else set()
    )
    node = yamlio.compose(text)
    problems = []
    for index, image in marked:
        if (image.get("id"), image.get("fileId")) in held:
            continue
        where = ("images", index)
        message = (
            f"{image.get(markers.NOT_FETCHED)!r} is listed as not fetched, but the shop never had image "
            f"{image.get('id')} (file {image.get('fileId')}) as far as the last sync knows; only sync writes "
            "these entries: remove it (to add an image, put its file in images/ and list it with 'file:')"
        )
        problems.append(Problem(path, None if node is None else line_of(node, where), field_name(where), message))
    return problems


def _image_problems(root: Path, config: Config, rev: str, folder: str, entries: Entries) -> list[Problem]:
    """The images a write would send: the header check, and a full decode of each image a person
    changed (an image whose bytes the product's last record holds is the shop's own: it was never
    anyone's upload to judge, and push does not send it again)."""
    problems = []
    pid = layout.folder_product_id(folder)
    base = base_version(root, pid) if pid is not None else None
    shop_own = set(base.image_blobs.values()) if base is not None else set()
    wanted = {name: blob for name, (blob, _) in entries.images.items() if blob not in shop_own}
    for name, data in sorted(gitrepo.blobs(root, wanted).items()):
        rel = f"{layout.PRODUCTS_DIR}/{folder}/{layout.IMAGES_DIR}/{name}"
        try:
            data = lfs.resolve(root, data, rev, rel)
        except MirrorFileError as exc:
            problems.append(Problem(exc.path, None, "", exc.detail))
            continue
        message = image_problem(name, data, max_mb=config.image_max_mb) or decode_problem(name, data)
        if message is not None:
            problems.append(Problem(rel, None, "", message))
    return problems


def uncommitted_images(root: Path, folder: str, committed: Entries | None) -> list[Problem]:
    """Image files the work tree has in ``folder`` that the commit lacks (ignored, ``git rm --cached``):
    push would not send them, so the shop would lose what the person sees here."""
    images = layout.product_dir(root, folder) / layout.IMAGES_DIR
    safety.guard_tree(root, images)
    if not images.is_dir():
        return []
    have = set(committed.images) if committed is not None else set()
    rel = f"{layout.PRODUCTS_DIR}/{folder}/{layout.IMAGES_DIR}"
    return [
        Problem(f"{rel}/{name}", None, "", UNCOMMITTED)
        for name in sorted(p.name for p in images.iterdir() if p.is_file())
        if name not in have
    ]


def uncommitted_products(root: Path, removed: Sequence[int]) -> list[Problem]:
    """Product files the commit removed that the work tree still has (``git rm --cached``, then
    ignored): the person edits a file push never sees, and push would say "its folder was removed"."""
    problems = []
    for pid in removed:
        base = base_version(root, pid)
        if base is None:
            continue
        path = root / product_path(base.folder)
        if safety.guard(root, path).is_file():
            problems.append(Problem(product_path(base.folder), None, "", UNCOMMITTED_PRODUCT))
    return problems


UNCOMMITTED_PRODUCT = (
    "is not committed (removed with 'git rm --cached'? ignored by .gitignore?); push sends the commit, so the "
    "shop would never get its edits: add and commit it, or remove the folder"
)
UNCOMMITTED = (
    "is not committed (ignored by .gitignore?); push sends the commit, so the shop would not get it: "
    "add and commit it, or remove it"
)


def duplicate_problems(root: Path, rev: str, folders: Sequence[str]) -> list[Problem]:
    """Two folders for one product id, or one variant code on two variants, involving ``folders`` at ``rev``."""
    names = gitrepo.tree_names(root, rev, str(layout.PRODUCTS_DIR))
    problems = duplicate_ids(names, set(folders))
    try:
        ids = [pid for f in folders if (pid := layout.folder_product_id(f)) is not None]
        mine = list(versions_at(root, rev, ids).values())
        codes = sorted({code for v in mine for _, _, code in variant_codes(v.product)})
        others = {v.path: v for v in find_by_text(root, rev, codes, ignore_case=True)}
    except MirrorError:  # a file that does not parse: the check of that file says so
        return problems
    others.update({v.path: v for v in mine})
    entries = [(path, others[path].product, None) for path in sorted(others)]
    twice = duplicated(entry[1] for entry in entries)
    return problems + duplicate_codes(entries, {v.path for v in mine}, shop_duplicates(root, twice))


def shop_duplicates(root: Path, codes: Collection[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of ``codes`` the shop itself held twice at the last record (sync, push, restore): data
    that came from the shop is no edit of ours to refuse (fix it in the shop, or Retail)."""
    last = records.newest(root)
    if not codes or last is None:
        return set()
    try:
        held = find_by_text(root, last, sorted({code for _, code in codes}), ignore_case=True)
    except MirrorError:
        return set()
    return duplicated(version.product for version in held) & set(codes)
