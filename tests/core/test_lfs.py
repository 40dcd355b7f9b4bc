"""Images stored as Git LFS pointers (``ecomgit init --lfs`` on a machine with git-lfs): ecomgit
reads their bytes from the clone's LFS store and gives them the identity of their bytes.

git-lfs is not needed (nor installed here): the commit is made the way git-lfs makes it — a
pointer blob in the tree, the content under ``.git/lfs/objects/<oid>``.
"""

from __future__ import annotations

import hashlib
import subprocess

import pytest

from ecomgit import gitrepo
from ecomgit.diff import diff
from ecomgit.errors import MirrorFileError
from ecomgit.mirror import layout
from ecomgit.revisions import blob_id, version_at
from ecomgit.shop import Repo
from tests.write.conftest import KUSTWEG, folder_of


def test_images_in_lfs_read_from_the_lfs_store(synced: Repo) -> None:
    root = synced.root
    folder = folder_of(synced, KUSTWEG)
    name = sorted(p.name for p in (folder / layout.IMAGES_DIR).iterdir())[0]
    content = (folder / layout.IMAGES_DIR / name).read_bytes()
    oid = hashlib.sha256(content).hexdigest()
    pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {len(content)}\n".encode()
    store = gitrepo.git_dir(root) / "lfs" / "objects" / oid[:2] / oid[2:4]
    store.mkdir(parents=True)
    (store / oid).write_bytes(content)
    blob = (
        subprocess.run(
            ["git", "hash-object", "-w", "--stdin"], cwd=root, input=pointer, capture_output=True, check=True
        )
        .stdout.decode()
        .strip()
    )
    rel = f"{layout.PRODUCTS_DIR}/{folder.name}/{layout.IMAGES_DIR}/{name}"
    gitrepo.run(root, "update-index", "--cacheinfo", f"100644,{blob},{rel}")
    gitrepo.commit(root, "Images to Git LFS")

    version = version_at(root, "HEAD", KUSTWEG)
    assert version is not None
    assert version.image_ident(name) == blob_id(content) != blob
    assert version.image_bytes(name) == content
    assert diff(root, "HEAD~1", "HEAD", ["nl", "en"]) == []  # the same bytes, stored differently

    (store / oid).unlink()  # a clone that has not run 'git lfs pull'
    version = version_at(root, "HEAD", KUSTWEG)
    assert version is not None and version.image_ident(name) == f"lfs:{oid}"
    with pytest.raises(MirrorFileError, match="git lfs pull"):
        version.image_bytes(name)
