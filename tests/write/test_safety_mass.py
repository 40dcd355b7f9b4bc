"""A push that would remove images, variants, links, metafields or relations from many products at
once (a bad merge, a script gone wrong) stops before its first write and asks for
``--allow-mass-change``, the way sync's ``--allow-mass-delete`` guards the mirror."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.errors import EcomgitError
from ecomgit.mirror import files, layout
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo, open_repo
from tests.conftest import EMULATOR_URL
from tests.write.conftest import push
from tests.write.test_cli import fails, invoke, mirror  # noqa: F401 - the CLI fixture


class Watching(httpx.BaseTransport):
    """The emulator, noting the method of every request."""

    def __init__(self, app: EmulatorApp) -> None:
        self.inner = httpx.WSGITransport(app=app)
        self.methods: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.methods.append(request.method)
        return self.inner.handle_request(request)


def with_images(repo: Repo) -> list[Path]:
    folders = sorted(p for p in (repo.root / layout.PRODUCTS_DIR).iterdir() if (p / layout.IMAGES_DIR).is_dir())
    return [p for p in folders if files.read_product(p / layout.PRODUCT_FILE).get("images")]


def empty_images(repo: Repo, count: int, *, untag: int = 0) -> list[int]:
    """One commit that removes every image of ``count`` products (and the tags of ``untag`` of them)."""
    folders = with_images(repo)[:count]
    assert len(folders) == count
    for n, folder in enumerate(folders):
        data = files.read_product(folder / layout.PRODUCT_FILE)
        data["images"] = []
        if n < untag:
            data["tags"] = []
        for variant in data.get("variants") or []:
            variant["image"] = None
        files.write_product(folder / layout.PRODUCT_FILE, data, repo.config.languages)
        shutil.rmtree(folder / layout.IMAGES_DIR)
    gitrepo.stage(repo.root, ["products"])
    gitrepo.commit(repo.root, "Remove the photos")
    return [int(folder.name.split("-")[0]) for folder in folders]


def image_counts(app: EmulatorApp, pids: list[int]) -> list[int]:
    return [len(app.shop.products[pid].images) for pid in pids]


def test_emptying_the_images_of_12_products_needs_the_flag(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    pids = empty_images(synced, 12)
    before = image_counts(app, pids)
    head = gitrepo.head(synced.root)
    watched = Watching(app)
    refused = pytest.raises(EcomgitError, match=r"would remove images from 12 products \(12 of the 12 pending")
    with ShopClient(EMULATOR_URL, language="nl", transport=watched) as watching, refused:
        push(synced, watching)
    assert watched.methods and set(watched.methods) == {"GET"}  # planned, and not one write sent
    assert image_counts(app, pids) == before
    assert gitrepo.head(synced.root) == head and sorted(pending_products(synced.root)) == sorted(pids)

    result = push(synced, client, allow_mass_change=True)
    assert result.ok, [(j.source, j.refused, j.error, j.mismatches) for j in result.plan.jobs]
    assert image_counts(app, pids) == [0] * 12
    assert pending_products(synced.root) == {}


def test_the_cli_lists_the_counts_and_writes_nothing(mirror: Path, app: EmulatorApp) -> None:  # noqa: F811
    pids = empty_images(open_repo(mirror), 12, untag=11)
    before = image_counts(app, pids)
    tags = [len(app.shop.products[pid].tag_links) for pid in pids]
    refused = fails("push", "--yes")
    assert "would remove images from 12 products, tags from 9 products (12 of the 12 pending" in refused
    assert image_counts(app, pids) == before and [len(app.shop.products[pid].tag_links) for pid in pids] == tags
    done = invoke("push", "--yes", "--allow-mass-change")
    assert done.exit_code == 0, done.output
    assert image_counts(app, pids) == [0] * 12
