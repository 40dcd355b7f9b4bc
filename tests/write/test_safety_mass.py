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
from ecomgit.emulator import EmulatorApp, synthetic_shop
from ecomgit.errors import EcomgitError
from ecomgit.init import init_repo
from ecomgit.mirror import files, layout
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo, open_repo
from ecomgit.sync.run import run_sync
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


# -- round two: texts wiped, and a guard that a big commit cannot dilute (issue 23, items 6 and 7) --


def wipe_descriptions(repo: Repo, count: int) -> list[int]:
    """One commit that empties the description of ``count`` products in every language."""
    folders = sorted((repo.root / layout.PRODUCTS_DIR).iterdir())
    wiped = []
    for folder in folders:
        data = files.read_product(folder / layout.PRODUCT_FILE)
        if not any((data.get("description") or {}).values()):
            continue
        data["description"] = {lang: "" for lang in repo.config.languages}
        files.write_product(folder / layout.PRODUCT_FILE, data, repo.config.languages)
        wiped.append(int(folder.name.split("-")[0]))
        if len(wiped) == count:
            break
    assert len(wiped) == count
    gitrepo.stage(repo.root, ["products"])
    gitrepo.commit(repo.root, "Clear the descriptions")
    return wiped


def descriptions(app: EmulatorApp, pids: list[int]) -> list[str]:
    return [app.shop.products[pid].texts["nl"]["description"] for pid in pids]


def test_wiping_the_descriptions_of_11_products_needs_the_flag(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    pids = wipe_descriptions(synced, 11)
    before = descriptions(app, pids)
    assert all(before)
    watched = Watching(app)
    refused = pytest.raises(EcomgitError, match=r"would remove text from 11 products \(11 of the 11 pending")
    with ShopClient(EMULATOR_URL, language="nl", transport=watched) as watching, refused as caught:
        push(synced, watching)
    assert set(watched.methods) == {"GET"} and descriptions(app, pids) == before
    assert all(str(pid) in str(caught.value) for pid in pids)  # each product named
    assert push(synced, client, allow_mass_change=True).ok
    assert descriptions(app, pids) == [""] * 11


def test_wiping_ten_is_below_the_guard(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    pids = wipe_descriptions(synced, 10)
    assert push(synced, client).ok
    assert descriptions(app, pids) == [""] * 10


@pytest.fixture
def big_shop(tmp_path: Path) -> tuple[Repo, EmulatorApp]:
    """A synced mirror of a 112-product shop (the sample shop has too few to dilute anything)."""
    app = EmulatorApp(synthetic_shop(112), rate_limit=None)
    with ShopClient(EMULATOR_URL, language="nl", transport=httpx.WSGITransport(app=app)) as client:
        init_repo(tmp_path / "big", EMULATOR_URL, [], client)
        repo = open_repo(tmp_path / "big")
        run_sync(repo, client)
    return repo, app


def test_a_commit_touching_every_product_cannot_dilute_the_guard(big_shop: tuple[Repo, EmulatorApp]) -> None:
    """112 products edited, 11 of them also stripped of their tags: 11 × 10 is below 112, which the
    old share rule let through; the guard counts the stripped products whatever else is pushed."""
    repo, app = big_shop
    stripped: list[int] = []
    for folder in sorted((repo.root / layout.PRODUCTS_DIR).iterdir()):
        data = files.read_product(folder / layout.PRODUCT_FILE)
        data["data01"] = "season 2027"
        if data.get("tags") and len(stripped) < 11:
            data["tags"] = []
            stripped.append(int(folder.name.split("-")[0]))
        files.write_product(folder / layout.PRODUCT_FILE, data, repo.config.languages)
    assert len(stripped) == 11
    gitrepo.stage(repo.root, ["products"])
    gitrepo.commit(repo.root, "Season label on everything (and, by mistake, no tags on a few)")
    tags = [len(app.shop.products[pid].tag_links) for pid in stripped]
    watched = Watching(app)
    refused = pytest.raises(EcomgitError, match=r"would remove tags from 11 products \(11 of the 112 pending")
    with ShopClient(EMULATOR_URL, language="nl", transport=watched) as watching, refused as caught:
        push(repo, watching)
    assert set(watched.methods) == {"GET"}
    assert [len(app.shop.products[pid].tag_links) for pid in stripped] == tags
    assert f"tags: {', '.join(map(str, sorted(stripped)))}" in str(caught.value)
