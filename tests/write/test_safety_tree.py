"""Writes that cannot harm (issue 12, items 1, 2, 7, 8, 10): push, restore and sync read and write
only the repository's own files, send exactly the commit, and refuse invalid images, fields the
mirror leaves out, and one product (or one variant code) in two places, before anything is written.

Every attack is real: real symbolic links (committed, or planted and ignored), real ``.gitignore``
and ``git rm --cached``, real image bytes; the outcome is checked on the link target's files and on
the emulator's shop.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp, running
from ecomgit.errors import MirrorError
from ecomgit.mirror import layout
from ecomgit.shop import Repo, open_repo, writer
from ecomgit.sync.run import run_sync
from ecomgit.write.push import plan_push
from tests.mainrun import run_main
from tests.write.conftest import KUSTWEG, edit, folder_of, push, quiet, restore

LAMP = 72418448  # 3 images
BARE = 72418406  # no images
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60


def shop_images(app: EmulatorApp, pid: int) -> list[tuple[int, bytes]]:
    return [(image.id, app.shop.image_bytes(image)) for image in app.shop.products[pid].images]


def outside_dir(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A folder outside the repository with files a link could reach (someone's photos)."""
    target = tmp_path / "photos"
    target.mkdir()
    files = {"holiday.jpg": JPEG + b"holiday", "passport.jpg": JPEG + b"passport"}
    for name, data in files.items():
        (target / name).write_bytes(data)
    return target, files


def assert_untouched(target: Path, files: dict[str, bytes]) -> None:
    assert {p.name: p.read_bytes() for p in target.iterdir()} == files


def commit_all(repo: Repo, message: str) -> None:
    gitrepo.run(repo.root, "add", "-A")
    gitrepo.commit(repo.root, message)


def describe(text: str) -> Any:
    return lambda p: p["description"].__setitem__("en", text)


# -- 1. links -------------------------------------------------------------------------------------


def plant_ignored_images_link(repo: Repo, pid: int, target: Path) -> Path:
    """``images`` of a product that has none, replaced by a link git ignores: the status stays clean."""
    images = folder_of(repo, pid) / layout.IMAGES_DIR
    assert not images.exists()
    images.symlink_to(target, target_is_directory=True)
    rel = images.relative_to(repo.root).as_posix()
    with (gitrepo.git_dir(repo.root) / "info" / "exclude").open("a") as exclude:
        exclude.write(f"/{rel}\n")
    assert gitrepo.dirty_paths(repo.root, ["products"]) == []
    return images


def test_push_never_deletes_through_an_ignored_images_link(
    synced: Repo, client: ShopClient, app: EmulatorApp, tmp_path: Path
) -> None:
    target, files = outside_dir(tmp_path)
    plant_ignored_images_link(synced, BARE, target)
    edit(synced, BARE, describe("Edited."))
    with pytest.raises(MirrorError, match="is a symbolic link") as caught:
        push(synced, client)
    assert f"products/{folder_of(synced, BARE).name}/images" in str(caught.value)
    assert_untouched(target, files)
    assert app.shop.products[BARE].texts["en"]["description"] != "Edited."  # refused before any write


def test_push_refuses_a_committed_images_link(
    synced: Repo, client: ShopClient, app: EmulatorApp, tmp_path: Path
) -> None:
    target, files = outside_dir(tmp_path)
    before = shop_images(app, LAMP)
    images = folder_of(synced, LAMP) / layout.IMAGES_DIR
    for path in images.iterdir():
        shutil.copyfile(path, target / path.name)
    files.update({p.name: p.read_bytes() for p in images.iterdir()})
    shutil.rmtree(images)
    images.symlink_to(target, target_is_directory=True)  # committed as a link (mode 120000)
    commit_all(synced, "Images from the shared drive")
    edit(synced, LAMP, describe("Edited."))
    with pytest.raises(MirrorError, match="is a symbolic link"):
        push(synced, client)
    assert_untouched(target, files)
    assert shop_images(app, LAMP) == before


def test_sync_refuses_a_planted_link_before_writing_anything(
    synced: Repo, client: ShopClient, app: EmulatorApp, tmp_path: Path
) -> None:
    target, files = outside_dir(tmp_path)
    plant_ignored_images_link(synced, BARE, target)
    app.shop.products[BARE].texts["en"]["description"] = "Changed in the shop."
    app.shop.touch_product(app.shop.products[BARE])
    head = gitrepo.head(synced.root)
    with pytest.raises(MirrorError, match="is a symbolic link") as caught:
        run_sync(synced, client)
    assert "remove the link" in str(caught.value)
    assert_untouched(target, files)
    assert gitrepo.head(synced.root) == head
    product = (folder_of(synced, BARE) / layout.PRODUCT_FILE).read_text()
    assert "Changed in the shop." not in product  # nothing written


def test_sync_refuses_a_linked_product_folder_before_any_request(
    synced: Repo, client: ShopClient, tmp_path: Path
) -> None:
    folder = folder_of(synced, BARE)
    moved = tmp_path / "elsewhere"
    shutil.move(folder, moved)
    folder.symlink_to(moved, target_is_directory=True)
    gitrepo.run(synced.root, "add", "-A")
    gitrepo.commit(synced.root, "A product kept elsewhere")
    requests = client.requests
    with pytest.raises(MirrorError, match="is a symbolic link"):
        run_sync(synced, client)
    assert client.requests == requests
    assert (moved / layout.PRODUCT_FILE).exists()


def test_restore_refuses_a_committed_image_link(
    synced: Repo, client: ShopClient, app: EmulatorApp, tmp_path: Path
) -> None:
    secret = tmp_path / "id_rsa"
    secret.write_bytes(b"-----BEGIN OPENSSH PRIVATE KEY-----\n")
    image = sorted((folder_of(synced, LAMP) / layout.IMAGES_DIR).iterdir())[0]
    image.unlink()
    image.symlink_to(secret)
    commit_all(synced, "A link where an image was")
    before = shop_images(app, LAMP)
    with pytest.raises(MirrorError, match="is a symbolic link"):
        restore(synced, client, str(LAMP), rev="HEAD")
    assert shop_images(app, LAMP) == before
    assert all(b"PRIVATE KEY" not in data for _, data in shop_images(app, LAMP))


def test_restore_never_deletes_through_an_ignored_images_link(
    synced: Repo, client: ShopClient, app: EmulatorApp, tmp_path: Path
) -> None:
    target, files = outside_dir(tmp_path)
    plant_ignored_images_link(synced, BARE, target)
    app.shop.products[BARE].texts["en"]["description"] = "Changed in the shop."
    app.shop.touch_product(app.shop.products[BARE])
    with pytest.raises(MirrorError, match="is a symbolic link"):
        restore(synced, client, str(BARE), rev="HEAD")
    assert_untouched(target, files)
    assert app.shop.products[BARE].texts["en"]["description"] == "Changed in the shop."  # nothing written


# -- 2. push sends the commit ---------------------------------------------------------------------


def untrack_images(repo: Repo, pid: int, how: str) -> None:
    images = folder_of(repo, pid) / layout.IMAGES_DIR
    rel = images.relative_to(repo.root).as_posix()
    if how == "rm --cached":
        gitrepo.run(repo.root, "rm", "-r", "-q", "--cached", rel)
    (repo.root / ".gitignore").write_text(f"{rel}/\n")  # else the files show as untracked, and push says so
    commit_all(repo, "Images out of git")
    assert all(p.exists() for p in images.iterdir())  # the person still sees them


@pytest.mark.parametrize("how", ["rm --cached", "ignored"])
def test_push_refuses_images_the_commit_lacks_and_keeps_the_shops(
    synced: Repo, client: ShopClient, app: EmulatorApp, how: str
) -> None:
    before = shop_images(app, LAMP)
    if how == "rm --cached":
        untrack_images(synced, LAMP, how)
    else:  # a new image file the .gitignore hides, listed in product.yaml
        images = folder_of(synced, LAMP) / layout.IMAGES_DIR
        (synced.root / ".gitignore").write_text("*.jpeg\n")
        (images / "04-new.jpeg").write_bytes(JPEG)
        commit_all(synced, "Ignore jpeg")

        def add(product: dict[str, Any]) -> None:
            product["images"].append({"file": "04-new.jpeg", "id": None, "fileId": None})

        edit(synced, LAMP, add)
    edit(synced, LAMP, describe("Edited."))
    with pytest.raises(MirrorError, match="not in the commit|not committed") as caught:
        push(synced, client)
    assert "nothing was written" in str(caught.value)
    assert shop_images(app, LAMP) == before
    assert app.shop.products[LAMP].texts["en"]["description"] != "Edited."


# -- 8. image files are validated -----------------------------------------------------------------

BAD_IMAGES = {
    "empty": b"",
    "text": b"<html>not found</html>",
    "png bytes in a .jpg": b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
}


@pytest.mark.parametrize("bad", list(BAD_IMAGES))
def test_push_refuses_an_invalid_image_before_the_old_ones_are_removed(
    synced: Repo, client: ShopClient, app: EmulatorApp, bad: str
) -> None:
    before = shop_images(app, LAMP)
    images = folder_of(synced, LAMP) / layout.IMAGES_DIR
    first = sorted(images.iterdir())[0]
    first.with_name("01-new.jpg").write_bytes(BAD_IMAGES[bad])

    def replace(product: dict[str, Any]) -> None:
        product["images"][0] = {"file": "01-new.jpg", "id": None, "fileId": None}

    commit_all(synced, "New photo")
    edit(synced, LAMP, replace)
    with pytest.raises(MirrorError, match="01-new.jpg"):
        push(synced, client)
    assert shop_images(app, LAMP) == before


def test_an_image_above_the_configured_size_is_refused(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    config = synced.root / layout.CONFIG_FILE
    config.write_text(re.sub(r"  maxFileMB: .*\n", "  maxFileMB: 0.001\n", config.read_text()))
    assert "maxFileMB: 0.001" in config.read_text()
    commit_all(synced, "Images at most 1 kB")
    repo = open_repo(synced.root)
    before = shop_images(app, LAMP)
    images = folder_of(repo, LAMP) / layout.IMAGES_DIR
    (images / "04-big.jpg").write_bytes(JPEG + b"\x00" * 2000)
    commit_all(repo, "A big photo")

    def add(product: dict[str, Any]) -> None:
        product["images"].append({"file": "04-big.jpg", "id": None, "fileId": None})

    edit(repo, LAMP, add)
    with pytest.raises(MirrorError, match="above the limit of 0.001 MB"):
        push(repo, client)
    assert shop_images(app, LAMP) == before


def test_restore_refuses_a_revision_with_an_invalid_image(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    before = shop_images(app, LAMP)
    image = sorted((folder_of(synced, LAMP) / layout.IMAGES_DIR).iterdir())[0]
    image.write_bytes(b"")  # committed past the check (no hook)
    commit_all(synced, "Truncated photo")
    with pytest.raises(MirrorError, match="is empty"):
        restore(synced, client, str(LAMP), rev="HEAD")
    assert shop_images(app, LAMP) == before


def lfs_image(repo: Repo, pid: int, content: bytes, stored: bool) -> None:
    """Replace a product's first image by a Git LFS pointer to ``content`` (in the LFS store or not)."""
    images = folder_of(repo, pid) / layout.IMAGES_DIR
    name = sorted(p.name for p in images.iterdir())[0]
    oid = hashlib.sha256(content).hexdigest()
    pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {len(content)}\n".encode()
    if stored:
        store = gitrepo.git_dir(repo.root) / "lfs" / "objects" / oid[:2] / oid[2:4]
        store.mkdir(parents=True)
        (store / oid).write_bytes(content)
    blob = subprocess.run(
        ["git", "hash-object", "-w", "--stdin"], cwd=repo.root, input=pointer, capture_output=True, check=True
    ).stdout.decode()
    rel = f"{layout.PRODUCTS_DIR}/{images.parent.name}/{layout.IMAGES_DIR}/{name}"
    gitrepo.run(repo.root, "update-index", "--cacheinfo", f"100644,{blob.strip()},{rel}")
    gitrepo.commit(repo.root, "Image to Git LFS")
    gitrepo.run(repo.root, "checkout", "--", rel)  # the work tree as a clone without git-lfs has it


@pytest.mark.parametrize("stored", [True, False], ids=["resolved bytes invalid", "object missing"])
def test_lfs_images_are_validated_on_their_resolved_bytes(
    synced: Repo, client: ShopClient, app: EmulatorApp, stored: bool
) -> None:
    before = shop_images(app, LAMP)
    lfs_image(synced, LAMP, b"GIF89a but named .jpg" if stored else JPEG + b"new", stored)
    edit(synced, LAMP, describe("Edited."))
    expected = "holds GIF data, not JPEG" if stored else "git lfs fetch"
    with pytest.raises(MirrorError, match=expected):
        push(synced, client)
    assert shop_images(app, LAMP) == before


# -- 7. only mirrored fields ----------------------------------------------------------------------


def test_push_refuses_a_price_cost_the_mirror_does_not_hold(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    cost = app.shop.products[KUSTWEG].variants[0].priceCost
    edit(synced, KUSTWEG, lambda p: p["variants"][0].__setitem__("priceCost", 1.0))
    requests = client.requests
    with pytest.raises(MirrorError, match="priceCost is not mirrored by this repository") as caught:
        push(synced, client)
    assert "fields.include in .ecomgit/config.yaml" in str(caught.value)
    assert client.requests - requests <= 1
    assert app.shop.products[KUSTWEG].variants[0].priceCost == cost


def test_restore_refuses_a_revision_with_a_price_cost_the_mirror_does_not_hold(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    cost = app.shop.products[KUSTWEG].variants[0].priceCost
    edit(synced, KUSTWEG, lambda p: p["variants"][0].__setitem__("priceCost", 1.0))
    with pytest.raises(MirrorError, match="priceCost is not mirrored by this repository"):
        restore(synced, client, str(KUSTWEG), rev="HEAD")
    assert app.shop.products[KUSTWEG].variants[0].priceCost == cost


# -- 10. one product, one folder; one code, one variant -------------------------------------------


def test_push_refuses_two_folders_with_one_product_id(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    folder = folder_of(synced, KUSTWEG)
    copy = folder.with_name(f"{KUSTWEG}-copy")
    shutil.copytree(folder, copy)
    commit_all(synced, "A copy to try things on")
    edit(synced, KUSTWEG, describe("Edited."))
    with pytest.raises(MirrorError) as caught:
        push(synced, client)
    assert f"{folder.name}" in str(caught.value) and f"{copy.name}" in str(caught.value)
    assert app.shop.products[KUSTWEG].texts["en"]["description"] != "Edited."


def test_sync_refuses_two_folders_with_one_product_id(synced: Repo, client: ShopClient) -> None:
    folder = folder_of(synced, KUSTWEG)
    copy = folder.with_name(f"{KUSTWEG}-copy")
    shutil.copytree(folder, copy)
    commit_all(synced, "A copy to try things on")
    with pytest.raises(MirrorError, match="both hold product") as caught:
        run_sync(synced, client)
    assert folder.name in str(caught.value) and copy.name in str(caught.value)


def test_push_refuses_one_sku_on_two_products(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    other = app.shop.products[LAMP].variants[0].sku
    edit(synced, KUSTWEG, lambda p: p["variants"][0].__setitem__("sku", other))
    with writer(synced, "push") as state, pytest.raises(MirrorError, match=f"sku '{other}' is also on") as caught:
        plan_push(synced, client, state, progress=quiet)
    assert folder_of(synced, LAMP).name in str(caught.value)
    assert app.shop.products[KUSTWEG].variants[0].sku != other


# -- through the command line: one line, file and reason, exit 1 ----------------------------------


def test_the_cli_refuses_a_link_in_one_line_with_the_path(
    app: EmulatorApp,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target, files = outside_dir(tmp_path)
    with running(app) as url:
        path = tmp_path / "mirror"
        assert run_main(capsys, monkeypatch, "init", str(path), "--api-url", url).code == 0
        monkeypatch.chdir(path)
        assert run_main(capsys, monkeypatch, "sync", "-q").code == 0
        repo = open_repo(path)
        images = plant_ignored_images_link(repo, BARE, target)
        app.shop.products[BARE].texts["en"]["description"] = "Changed in the shop."
        app.shop.touch_product(app.shop.products[BARE])
        for args in (("sync",), ("check",)):
            outcome = run_main(capsys, monkeypatch, *args)
            assert outcome.code == 1 and "Traceback" not in outcome.text
            [line] = [line for line in outcome.text.splitlines() if "symbolic link" in line]
            assert images.relative_to(path).as_posix() in line and "remove the link" in line
    assert_untouched(target, files)


def test_push_accepts_a_code_the_shop_itself_holds_twice_but_not_a_new_one(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    shared = app.shop.products[LAMP].variants[0].ean
    app.shop.products[KUSTWEG].variants[0].ean = shared
    app.shop.touch_product(app.shop.products[KUSTWEG])
    run_sync(synced, client)
    edit(synced, KUSTWEG, describe("Edited."))
    assert push(synced, client).ok
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "Edited."
    sku = app.shop.products[LAMP].variants[0].sku
    edit(synced, KUSTWEG, lambda p: p["variants"][1].__setitem__("sku", sku))
    with pytest.raises(MirrorError, match=f"sku '{sku}' is also on"):
        push(synced, client)
    assert app.shop.products[KUSTWEG].variants[1].sku != sku
