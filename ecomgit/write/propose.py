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

- grafted onto a successor (``--onto``, one or several lost products): the successor's folder gets
  what ``restore --onto`` would write (:mod:`ecomgit.write.graftfile`), the products that were
  related to a lost one get a relation to the successor, and the commit says
  ``Ecomgit-Restored: <old> -> <successor>`` for each, as a direct restore's record does. The 301
  redirects a direct restore would make (:mod:`ecomgit.write.redirects`) are proposed as
  ``Ecomgit-Redirect: <successor> <old path> -> <new path>`` trailers: the push that sends the
  successor makes them.
"""

from __future__ import annotations

import copy
import os
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecomgit import commits, gitrepo, newproducts
from ecomgit.config import Config
from ecomgit.errors import EcomgitError, GitError
from ecomgit.mirror import files, layout
from ecomgit.revisions import Version, folder_at, version_at
from ecomgit.text import one_line
from ecomgit.write import redirects
from ecomgit.write.fields import Policy
from ecomgit.write.graftfile import Graft
from ecomgit.write.restore import Incoming, _drop_dangling, _incoming, in_order, placed


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


@dataclass
class Proposal:
    branch: str
    commit: str
    what: str  # what it does, in words
    notes: list[str]  # what it leaves out or as it is, in words


def propose_onto(
    root: Path,
    config: Config,
    lost: Sequence[tuple[int, str]],
    target: int,
    *,
    exact: bool = False,
    fields: Sequence[str] = (),
    all_fields: bool = False,
    replace: bool = False,
    redirect: bool = True,
) -> Proposal:
    """Propose grafting the lost products (id, revision to restore from; the first gives the
    product-level content) onto product ``target``, as the mirror holds it at HEAD."""
    successor = version_at(root, "HEAD", target)
    if successor is None:
        raise EcomgitError(
            f"the mirror has no product {target} to restore onto: run 'ecomgit sync' first "
            "('ecomgit lost' names the successors)"
        )
    branch = _free_branch(root, lost[0][0])
    retail = newproducts.retail_linked(root, config)
    policy = Policy(
        retail=retail, all_fields=all_fields, fields=frozenset(fields) or None, keep_variants=True, only_add=not exact
    )
    graft = Graft.of(successor)
    incoming: dict[int, Incoming] = {}
    into = {pid: target for pid, _ in lost}
    for number, (pid, commit) in enumerate(lost):
        version = version_at(root, commit, pid)
        if version is None:
            raise EcomgitError(f"product {pid} is not in revision {commit[:10]}")
        graft.left += [f"product {pid}: {note}" for note in _drop_dangling(root, version, None, into)]
        graft.add(root, version, target, config.languages, policy, lost[0][0] if number else None, replace)
        if not fields or "relations" in fields:
            incoming.update((item.pid, item) for item in _incoming(root, commit, pid, target))
    files_at: dict[str, str] = {}
    head = gitrepo.resolve(root, "HEAD")
    listing = commits.products(root, head)
    folder = successor.folder
    files_at[f"{layout.PRODUCTS_DIR}/{folder}/{layout.PRODUCT_FILE}"] = _blob(root, graft.product, config)
    for name, (blob, _) in listing[folder].images.items():
        files_at[f"{layout.PRODUCTS_DIR}/{folder}/{layout.IMAGES_DIR}/{name}"] = blob
    for name, blob in graft.added.items():
        files_at[f"{layout.PRODUCTS_DIR}/{folder}/{layout.IMAGES_DIR}/{name}"] = blob
    for other in sorted(incoming):
        now = version_at(root, "HEAD", other)
        if now is None:
            continue
        product = copy.deepcopy(now.product)
        relations = in_order(product.get("relations") or [])
        place = next((n for n, r in enumerate(relations) if r.get("product") in incoming[other].after), len(relations))
        product["relations"] = placed(relations, {"id": None, "product": target}, place)
        files_at[f"{layout.PRODUCTS_DIR}/{now.folder}/{layout.PRODUCT_FILE}"] = _blob(root, product, config)
    title = one_line(str((successor.product.get("title") or {}).get(config.default_language) or target))
    names = ", ".join(str(pid) for pid, _ in lost)
    what = f"product(s) {names} onto product {target} {title} in {layout.PRODUCTS_DIR}/{folder}/"
    notes = [*graft.left, *graft.skipped]
    if incoming:
        notes.append(f"related to {target} again: {', '.join(map(str, sorted(incoming)))}")
    moved: list[redirects.Redirect] = []
    if redirect:  # the old addresses of the lost products, and the successor's own if the graft changed it
        olds = [_urls(version_at(root, commit, pid)) for pid, commit in lost]
        moved = redirects.between([*olds, _urls(successor)], graft.product.get("url") or {}, config.languages)
    notes += [f"{r.line()}: made by the push that sends product {target}" for r in moved]
    body = "\n".join(f"- {note}" for note in notes)
    trailers = "\n".join(
        [f"{gitrepo.RESTORED_TRAILER}: {pid} -> {target}" for pid, _ in lost]
        + [redirects.trailer(target, r) for r in moved]
    )
    message = f"Propose: restore {what}\n\n{body}\n\n{trailers}\n"
    sha = commit_files(root, [f"{layout.PRODUCTS_DIR}/{folder}"], files_at, message)
    gitrepo.run(root, "branch", branch, sha)
    return Proposal(branch, sha, what, notes)


def _urls(version: Version | None) -> dict[str, Any]:
    urls = version.product.get("url") if version is not None else None
    return dict(urls) if isinstance(urls, dict) else {}


def _free_branch(root: Path, pid: int) -> str:
    branch = branch_name(pid)
    if gitrepo.run(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", check=False).strip():
        raise EcomgitError(f"branch {branch} exists already: merge or delete it ('git branch -D {branch}'), then again")
    return branch


def _blob(root: Path, product: dict[str, Any], config: Config) -> str:
    data = files.dump_product(product, config.languages)
    return gitrepo.run(root, "hash-object", "-w", "--stdin", input=data).strip()


def commit_files(root: Path, replaced: Sequence[str], files_at: dict[str, str], message: str) -> str:
    """A commit on top of HEAD with the folders ``replaced`` emptied and then ``files_at`` (path →
    blob id) written, made through a private index (the work tree and the index are not touched)."""
    with tempfile.TemporaryDirectory() as scratch:
        index = Path(scratch) / "index"
        _git(root, index, "read-tree", "HEAD")
        for prefix in replaced:
            _git(root, index, "rm", "-r", "-q", "--cached", "--ignore-unmatch", "--", prefix)
        entries = [f"100644 {blob}\t{path}" for path, blob in files_at.items()]
        _git(root, index, "update-index", "--index-info", data=("\n".join(entries) + "\n").encode())
        tree = _git(root, index, "write-tree").strip()
    head = gitrepo.resolve(root, "HEAD")
    return gitrepo.run(root, *gitrepo.identity_args(root), "commit-tree", tree, "-p", head, "-m", message).strip()


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
