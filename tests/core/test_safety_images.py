"""An image the CDN will not give never blocks the mirror; image bytes come only from the shop's CDN.

The emulator serves the shop on a real loopback socket, and its CDN misbehaves for chosen files
(:class:`ecomgit.emulator.faults.CdnFaults`): 403/404/410, a reset connection, a cut-off body, an
oversized body. A sync lists that image as not fetched (its ids, no file), says so in one line,
commits, and reads the product's current images again on the next run; push and restore go on as
usual and keep the shop's image.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp, running, synthetic_shop
from ecomgit.emulator.model import Image, Product
from ecomgit.init import init_repo
from ecomgit.mirror import files, layout
from ecomgit.shop import open_repo
from ecomgit.sync.run import run_sync
from tests.mainrun import Outcome, Run, run_main


@dataclass
class World:
    app: EmulatorApp
    url: str
    root: Path

    @property
    def pid(self) -> int:
        return min(self.app.shop.products)

    @property
    def product(self) -> Product:
        return self.app.shop.products[self.pid]

    def folder(self, pid: int | None = None) -> Path:
        pid = self.pid if pid is None else pid
        return next(p for p in (self.root / layout.PRODUCTS_DIR).iterdir() if p.name.startswith(f"{pid}-"))

    def mirrored(self, pid: int | None = None) -> dict[str, Any]:
        return files.read_product(self.folder(pid) / layout.PRODUCT_FILE)

    def file_ids(self, pid: int | None = None) -> list[int]:
        """The file ids of the images the mirror holds the file of."""
        return [image["fileId"] for image in self.mirrored(pid)["images"] if "file" in image]

    def marked_ids(self, pid: int | None = None) -> list[int]:
        """The file ids of the images listed as not fetched (no file)."""
        return [image["fileId"] for image in self.mirrored(pid)["images"] if "notFetched" in image]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    return lambda *args: run_main(capsys, monkeypatch, *args)


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run) -> Iterator[World]:
    """A 4-product shop on a socket, mirrored by a first sync through the CLI."""
    app = EmulatorApp(synthetic_shop(4), rate_limit=None)
    with running(app) as url:
        root = tmp_path / "mirror"
        with ShopClient(url, language="nl") as client:
            init_repo(root, url, [], client)
        monkeypatch.chdir(root)
        world = World(app, url, root)
        assert run("sync").code == 0
        assert world.product.images, "the first product needs images"
        yield world


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def replace_image(world: World, *, touch: bool = True) -> Image:
    """The shop replaces the first product's first image (a new file, so a new ``src``)."""
    shop = world.app.shop
    image = world.product.images[0]
    shop.files.pop(image.file_id)
    image.file_id = shop.new_id()
    shop.files[image.file_id] = image
    if touch:
        image.updated = shop.now()
        shop.touch_product(world.product)
    return image


def ok(outcome: Outcome) -> Outcome:
    assert outcome.code == 0, outcome.text
    assert "Traceback" not in outcome.text
    return outcome


def assert_left_out(world: World, outcome: Outcome, image: Image, what: str) -> None:
    """One line names the image, the product and why; the mirror lists it as not fetched, without a file."""
    lines = [line for line in outcome.out.splitlines() if "not fetched" in line]
    assert len(lines) == 1, outcome.text
    assert f"product {world.pid}" in lines[0] and what in lines[0] and "next sync" in lines[0], lines[0]
    assert image.file_id not in world.file_ids() and image.file_id in world.marked_ids()
    on_disk = sorted(p.name for p in (world.folder() / layout.IMAGES_DIR).iterdir())
    assert on_disk == sorted(i["file"] for i in world.mirrored()["images"] if "file" in i)
    assert git(world.root, "status", "--porcelain") == ""


def edit_and_push(world: World, run: Run, pid: int) -> None:
    path = world.folder(pid) / layout.PRODUCT_FILE
    product = files.read_product(path)
    product["content"]["nl"] = "<p>Nieuw verhaal.</p>"
    files.write_product(path, product, ["nl", "en"])
    git(world.root, "commit", "-qam", "Edit copy (merged pull request)")
    ok(run("push", "--yes"))
    assert world.app.shop.products[pid].texts["nl"]["content"] == "<p>Nieuw verhaal.</p>"


@pytest.mark.parametrize("status", [403, 404, 410])
def test_an_image_the_cdn_refuses_never_blocks_sync_push_or_restore(world: World, run: Run, status: int) -> None:
    image = replace_image(world)
    world.app.cdn_faults.refuse(image.file_id, status)
    head = git(world.root, "rev-parse", "HEAD")
    out = ok(run("sync"))
    assert_left_out(world, out, image, f"the CDN answered {status}")
    assert git(world.root, "rev-parse", "HEAD") != head  # the rest of the change is committed

    again = ok(run("sync"))  # still refused: said again, and nothing else to commit
    assert "not fetched" in again.out and f"~ {world.pid}" not in again.out and "Nothing changed" in again.out
    others = sorted(world.app.shop.products)[1:]
    edit_and_push(world, run, others[0])  # push is not blocked
    lost = others[1]
    lost_title = _title(world, lost)
    world.app.shop.delete_product(world.app.shop.products[lost])  # Retail deletes a product
    ok(run("sync"))  # the refused image is tried again (still refused) and the deletion recorded
    ok(run("restore", str(lost), "--yes"))  # … and the lost product can be restored
    assert sum(1 for p in world.app.shop.products.values() if p.texts["nl"]["title"] == lost_title) == 1

    world.app.cdn_faults.heal(image.file_id)  # the CDN serves it again; the product itself is unchanged
    result = ok(run("sync"))
    assert "not fetched" not in result.out
    assert image.file_id in world.file_ids()
    name = next(i["file"] for i in world.mirrored()["images"] if i["fileId"] == image.file_id)
    assert (world.folder() / layout.IMAGES_DIR / name).read_bytes() == world.app.shop.image_bytes(image)
    assert "Nothing changed" in ok(run("sync")).out  # and then it is settled


def _title(world: World, pid: int) -> str:
    return str(files.read_product(next(world.root.glob(f"products/{pid}-*/product.yaml")))["title"]["nl"])


def test_an_image_whose_src_changed_since_the_failed_run_is_read_from_the_new_src(world: World, run: Run) -> None:
    image = replace_image(world)
    first = image.file_id
    world.app.cdn_faults.refuse(first, 404)
    assert_left_out(world, ok(run("sync")), image, "the CDN answered 404")
    second = replace_image(world).file_id  # the shop has a new file for it by the next run; the old stays refused
    assert second != first
    assert "not fetched" not in ok(run("sync")).out
    assert second in world.file_ids() and first not in world.file_ids() + world.marked_ids()


def no_sleep_client(world: World) -> ShopClient:
    return ShopClient(world.url, language="nl", sleep=lambda seconds: None)


@pytest.mark.parametrize("fault", ["reset", "truncate"])
def test_a_reset_or_cut_off_download_never_blocks(world: World, run: Run, fault: str) -> None:
    image = replace_image(world)
    getattr(world.app.cdn_faults, fault)(image.file_id)
    with no_sleep_client(world) as client:  # the retries back off without waiting
        summary = run_sync(open_repo(world.root), client)
    assert summary.commit is not None
    assert [(u.product_id, u.file_id) for u in summary.unfetched] == [(world.pid, image.file_id)]
    assert image.file_id not in world.file_ids() and image.file_id in world.marked_ids()
    assert git(world.root, "status", "--porcelain") == ""
    world.app.cdn_faults.heal(image.file_id)
    assert "not fetched" not in ok(run("sync")).out
    assert image.file_id in world.file_ids()


def test_the_product_itself_can_be_pushed_and_its_unfetched_image_stays_in_the_shop(world: World, run: Run) -> None:
    image = replace_image(world)
    world.app.cdn_faults.refuse(image.file_id, 404)
    ok(run("sync"))
    images_before = [(i.id, i.file_id) for i in world.product.images]
    edit_and_push(world, run, world.pid)  # the live image it cannot read is not "ours" to delete
    assert [(i.id, i.file_id) for i in world.product.images] == images_before
    assert image.file_id in world.marked_ids()  # the record of the push lists it as not fetched too
    assert git(world.root, "status", "--porcelain") == ""
    world.app.cdn_faults.heal(image.file_id)
    ok(run("sync"))
    assert image.file_id in world.file_ids()
