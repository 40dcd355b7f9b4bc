"""``restore --propose``: the restore as a reviewed change, on a branch, instead of a write.

Nothing is sent to the shop and the work tree is not touched: the proposal is one commit on a new
branch ``ecomgit/restore-<id>`` made from HEAD with git's plumbing (a private index), ready to be
pushed and reviewed as a pull request. Merging it and running ``ecomgit push`` (the push workflow)
applies it with the usual three-way check and field ownership:

- a product the mirror still holds: its folder gets the revision's product file and images, which
  push then sends as an edit;
- a product the shop deleted: a new folder (``products/restored-<slug>/``) with the revision's
  product as a new one (``id: null``, no shop ids), which push creates and moves into a folder of
  its own (:mod:`ecomgit.write.create`; refused on a Retail-linked shop, as push is).

Grafting onto a successor (``--onto``) is not proposed yet: ``restore --onto`` writes it directly.
"""

from __future__ import annotations

import copy
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from ecomgit import commits, gitrepo, newproducts
from ecomgit.config import Config
from ecomgit.errors import EcomgitError, GitError
from ecomgit.mirror import files, layout
from ecomgit.revisions import Version, folder_at, version_at
from ecomgit.text import one_line


def branch_name(pid: int) -> str:
    return f"ecomgit/restore-{pid}"


def propose(root: Path, config: Config, pid: int, commit: str) -> tuple[str, str, str]:
    """Make the proposal of restoring product ``pid`` as revision ``commit`` holds it; returns
    (branch, commit id, what it does in words)."""
    version = version_at(root, commit, pid)
    if version is None:
        raise EcomgitError(f"product {pid} is not in revision {commit[:10]}")
    branch = branch_name(pid)
    if gitrepo.run(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", check=False).strip():
        raise EcomgitError(f"branch {branch} exists already: merge or delete it ('git branch -D {branch}'), then again")
    live = folder_at(root, "HEAD", pid)
    title = one_line(str((version.product.get("title") or {}).get(config.default_language) or pid))
    if live is not None:
        folder, product, what = live, version.product, f"product {pid} {title} in {layout.PRODUCTS_DIR}/{live}/"
    else:
        if newproducts.retail_linked(root, config):
            raise EcomgitError(
                f"product {pid} is not in the shop, and the shop is linked to Lightspeed Retail: push does not create "
                "products there, so a proposal could not be applied. Publish the item to eCom again from Retail, run "
                f"'ecomgit sync', then 'ecomgit restore {pid} --onto auto'"
            )
        folder, product = _new_folder(root, version), _as_new(version.product)
        what = f"product {pid} {title} as a new product in {layout.PRODUCTS_DIR}/{folder}/ (push creates it)"
    sha = _commit(root, config, version, folder, product, f"Propose: restore {what} from {commit[:10]}")
    gitrepo.run(root, "branch", branch, sha)
    return branch, sha, what


def _git(root: Path, index: Path, *args: str, data: bytes | None = None) -> str:
    """``git ARGS`` on a private index (the work tree and the real index are not touched)."""
    proc = subprocess.run(
        ["git", *args], cwd=root, input=data, capture_output=True, env={**os.environ, "GIT_INDEX_FILE": str(index)},
        check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        raise GitError(f"git {args[0]} failed in {root}: {proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout.decode("utf-8", "replace")


def _new_folder(root: Path, version: Version) -> str:
    urls = version.product.get("url") if isinstance(version.product.get("url"), dict) else {}
    slug = next((str(url) for url in (urls or {}).values() if url), f"product-{version.pid}")
    taken = set(commits.products(root, gitrepo.resolve(root, "HEAD")))
    name, number = f"restored-{slug}", 1
    while name in taken:
        number += 1
        name = f"restored-{slug}-{number}"
    return name


def _as_new(product: dict[str, Any]) -> dict[str, Any]:
    """The product as a new one: none of the ids the shop gave it (links to others are kept)."""
    new = copy.deepcopy(product)
    new["id"] = None
    for name in ("images", "metafields", "relations"):
        for item in new.get(name) or []:
            if isinstance(item, dict):
                item["id"] = None
                if "fileId" in item:
                    item["fileId"] = None
    for variant in new.get("variants") or []:
        if isinstance(variant, dict):
            variant["id"] = None
            for meta in variant.get("metafields") or []:
                if isinstance(meta, dict):
                    meta["id"] = None
    return new


def _commit(root: Path, config: Config, version: Version, folder: str, product: dict[str, Any], message: str) -> str:
    """A commit on top of HEAD whose ``products/<folder>/`` is the product file and the revision's
    images (by their blob ids: no bytes are copied), made through a private index."""
    source = commits.products(root, gitrepo.resolve(root, version.rev or "HEAD"))[version.folder]
    blob = gitrepo.run(
        root, "hash-object", "-w", "--stdin", input=files.dump_product(product, config.languages)
    ).strip()
    prefix = f"{layout.PRODUCTS_DIR}/{folder}"
    with tempfile.TemporaryDirectory() as scratch:
        index = Path(scratch) / "index"
        _git(root, index, "read-tree", "HEAD")
        _git(root, index, "rm", "-r", "-q", "--cached", "--ignore-unmatch", "--", prefix)
        entries = [f"100644 {blob}\t{prefix}/{layout.PRODUCT_FILE}"]
        entries += [f"100644 {b}\t{prefix}/{layout.IMAGES_DIR}/{name}" for name, (b, _) in source.images.items()]
        _git(root, index, "update-index", "--index-info", data=("\n".join(entries) + "\n").encode())
        tree = _git(root, index, "write-tree").strip()
    head = gitrepo.resolve(root, "HEAD")
    return gitrepo.run(root, *gitrepo.identity_args(root), "commit-tree", tree, "-p", head, "-m", message).strip()
