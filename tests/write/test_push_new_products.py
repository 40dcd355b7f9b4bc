"""A new product folder (no id, ``id: null``) is created by push on a shop not linked to Retail,
moved into a folder named after its id in the push's record, and never made twice (issue 15
item 5, issue 23 item 18). On a Retail-linked shop push refuses with the reason (test_cli.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.check import check
from ecomgit.emulator import EmulatorApp
from ecomgit.errors import EcomgitError
from ecomgit.mirror import files, layout
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo
from ecomgit.status import status
from ecomgit.sync.run import run_sync
from tests.write.conftest import KUSTWEG, folder_of, push
from tests.write.test_interrupted import breaking_client, posts_to

TITLE = "Kustweg 2 gravelfiets"


def new_folder(repo: Repo, name: str = "new-bike", sku_prefix: str = "GRAVEL") -> Path:
    """A copy of a product's folder as a person would make a new product from it: id null, its own
    title, slug and codes, its images kept."""
    new = repo.root / layout.PRODUCTS_DIR / name
    shutil.copytree(folder_of(repo, KUSTWEG), new)
    data = files.read_product(new / layout.PRODUCT_FILE)
    data["id"] = None
    data["title"] = {lang: TITLE for lang in data["title"]}
    data["url"] = {lang: "kustweg-2-gravelfiets" for lang in data.get("url") or {}} or data.get("url")
    for number, variant in enumerate(data.get("variants") or []):
        variant["id"] = None
        for code in ("sku", "articleCode", "ean"):
            if variant.get(code):
                variant[code] = f"{sku_prefix}-{number}-{code}"
    files.write_product(new / layout.PRODUCT_FILE, data, repo.config.languages)
    gitrepo.stage(repo.root, [f"{layout.PRODUCTS_DIR}/{name}"])
    gitrepo.commit(repo.root, "A new gravel bike")
    return new


def titled(app: EmulatorApp, title: str) -> list[int]:
    return [p.id for p in app.shop.products.values() if p.texts["nl"]["title"] == title]


def test_push_creates_a_new_folder_and_moves_it_into_its_own(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    new = new_folder(synced)
    assert check(synced.root, [], synced.config)[1] == []  # not a problem: push creates it
    state = gitrepo.git_dir(synced.root) / "ecomgit" / "sync.db"
    assert "'ecomgit push' creates it" in status(synced.root, state, synced.config).new_folders["new-bike"]
    before = set(app.shop.products)
    result = push(synced, client)
    assert result.ok and result.commit, [j.error or j.refused or j.mismatches for j in result.plan.jobs]
    [made] = set(app.shop.products) - before
    assert titled(app, TITLE) == [made]
    shop = app.shop.products[made]
    assert sorted(v.sku for v in shop.variants) == sorted(f"GRAVEL-{n}-sku" for n in range(len(shop.variants)))
    assert len(shop.images) == len(list((folder_of(synced, KUSTWEG) / "images").iterdir()))
    assert not new.exists()  # moved: the product now lives in a folder named after its id
    folder = folder_of(synced, made)
    recorded = files.read_product(folder / layout.PRODUCT_FILE)
    assert recorded["id"] == made and recorded["title"]["nl"] == TITLE
    assert gitrepo.dirty_paths(synced.root, ["."]) == []
    message = gitrepo.run(synced.root, "log", "-1", "--format=%B")
    assert f"products/new-bike → {made} {TITLE}" in message
    assert pending_products(synced.root) == {}
    assert run_sync(synced, client).commit is None  # the mirror is what the shop holds
    assert push(synced, client).plan.jobs == []  # nothing made twice


def test_a_new_folder_whose_codes_a_live_product_holds_is_refused_and_named(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    new = new_folder(synced)
    data = files.read_yaml(new / layout.PRODUCT_FILE)
    assert isinstance(data, dict)
    live_sku = app.shop.products[KUSTWEG].variants[0].sku
    data["variants"][0]["sku"] = live_sku
    files.write_product(new / layout.PRODUCT_FILE, data, synced.config.languages)
    gitrepo.run(synced.root, "commit", "-qam", "Same SKU as a live product")
    before = set(app.shop.products)
    result = push(synced, client)
    [job] = result.plan.jobs
    assert job.refused and f"{KUSTWEG}" in job.refused and live_sku in job.refused
    assert set(app.shop.products) == before and new.exists()


def test_a_push_cut_short_after_the_create_continues_onto_that_product(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    new_folder(synced)
    with breaking_client(app, posts_to("/images.json")) as interrupted, pytest.raises(KeyboardInterrupt):
        push(synced, interrupted)
    [made] = titled(app, TITLE)  # made, half-way
    result = push(synced, client)
    assert result.ok, [j.error or j.refused or j.mismatches for j in result.plan.jobs]
    assert titled(app, TITLE) == [made]  # not made again
    assert result.plan.jobs[0].target == made
    assert len(app.shop.products[made].images) == 2 and folder_of(synced, made).is_dir()


def test_an_invalid_new_folder_refuses_the_whole_push(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    new = new_folder(synced)
    text = (new / layout.PRODUCT_FILE).read_text(encoding="utf-8").replace("visibility: visible", "visibility: 7")
    (new / layout.PRODUCT_FILE).write_text(text, encoding="utf-8")
    gitrepo.run(synced.root, "commit", "-qam", "A typo")
    before = set(app.shop.products)
    refused = r"(?s)problem\(s\) in the product files to push.*new-bike/product.yaml:2: visibility"
    with pytest.raises(EcomgitError, match=refused):
        push(synced, client)
    assert set(app.shop.products) == before
