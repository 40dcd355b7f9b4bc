"""``ecomgit check`` sees what push would send (issue 12, items 1, 2, 7, 8, 10): links (never
followed), image files git does not track, image bytes, fields the mirror leaves out, one product
in two folders, one variant code on two variants. Each problem names the file (and line)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.cli.main import cli
from ecomgit.emulator import EmulatorApp
from ecomgit.mirror import files, layout
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from tests.images import renamed_jpeg
from tests.write.conftest import KUSTWEG, folder_of

LAMP = 72418448  # 3 images
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60


@pytest.fixture
def in_repo(synced: Repo, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.chdir(synced.root)
    return synced


def check(*args: str) -> tuple[int, list[dict[str, Any]]]:
    result = CliRunner().invoke(cli, ["check", "--json", *args], catch_exceptions=False)
    return result.exit_code, json.loads(result.output)["problems"]


def rel(repo: Repo, path: Path) -> str:
    return path.relative_to(repo.root).as_posix()


def change(repo: Repo, pid: int, edit: Any) -> Path:
    path = folder_of(repo, pid) / layout.PRODUCT_FILE
    data = files.read_product(path)
    edit(data)
    files.write_product(path, data, repo.config.languages)
    return path


# -- 1. links -------------------------------------------------------------------------------------


def make_link(repo: Repo, where: str, tmp_path: Path) -> tuple[str, Path]:
    """Replace a mirror path by a link to a copy of it outside the repository."""
    folder = folder_of(repo, LAMP)
    path = {
        "images": folder / layout.IMAGES_DIR,
        "image file": sorted((folder / layout.IMAGES_DIR).iterdir())[0],
        "product.yaml": folder / layout.PRODUCT_FILE,
        "product folder": folder,
        "products": repo.root / layout.PRODUCTS_DIR,
        "shop": repo.root / layout.SHOP_DIR,
    }[where]
    outside = tmp_path / "outside" / path.name
    outside.parent.mkdir()
    shutil.move(path, outside)
    path.symlink_to(outside, target_is_directory=outside.is_dir())
    return rel(repo, path), outside


@pytest.mark.parametrize("where", ["images", "image file", "product.yaml", "product folder", "products", "shop"])
def test_check_refuses_a_link_anywhere_in_the_mirror(in_repo: Repo, tmp_path: Path, where: str) -> None:
    link, outside = make_link(in_repo, where, tmp_path)
    code, problems = check()
    assert code == 1
    [problem] = [p for p in problems if "symbolic link" in p["message"]]
    assert problem["file"] == link and "remove the link" in problem["message"]
    assert outside.exists()


def test_check_of_one_product_refuses_its_linked_images(in_repo: Repo, tmp_path: Path) -> None:
    link, _ = make_link(in_repo, "images", tmp_path)
    code, problems = check(str(folder_of(in_repo, LAMP)))
    assert code == 1 and [p["file"] for p in problems if "symbolic link" in p["message"]] == [link]


# -- 2. what the commit would not carry ----------------------------------------------------------


@pytest.mark.parametrize("how", ["ignored", "rm --cached"])
def test_check_reports_an_image_git_does_not_track(in_repo: Repo, how: str) -> None:
    images = folder_of(in_repo, LAMP) / layout.IMAGES_DIR
    image = sorted(images.iterdir())[0]
    if how == "ignored":  # a new photo the .gitignore hides
        image = images / "04-new.jpg"
        image.write_bytes(JPEG)
        (in_repo.root / ".gitignore").write_text("04-new.jpg\n")
    else:
        gitrepo.run(in_repo.root, "rm", "-q", "--cached", rel(in_repo, image))
    code, problems = check()
    assert code == 1
    [problem] = problems
    assert problem["file"] == rel(in_repo, image)
    assert "not committed (ignored by .gitignore?)" in problem["message"]
    assert "push sends the commit" in problem["message"]


def test_a_staged_new_image_is_fine_for_a_pre_commit_hook(in_repo: Repo) -> None:
    images = folder_of(in_repo, LAMP) / layout.IMAGES_DIR
    (images / "04-new.jpg").write_bytes(JPEG)
    code, problems = check(str(images / "04-new.jpg"))
    assert code == 1 and problems[0]["file"] == rel(in_repo, images / "04-new.jpg")  # not yet added
    gitrepo.run(in_repo.root, "add", rel(in_repo, images / "04-new.jpg"))
    assert check(str(images / "04-new.jpg")) == (0, [])


# -- 8. image bytes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "is empty"),
        (b"<html>404</html>", "does not hold image data, not JPEG"),
        (b"GIF89a" + b"\x00" * 20, "holds GIF data, not JPEG"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "holds WebP data, not JPEG"),
    ],
    ids=["empty", "text", "gif", "webp"],
)
def test_check_reads_image_bytes(in_repo: Repo, data: bytes, expected: str) -> None:
    image = sorted((folder_of(in_repo, KUSTWEG) / layout.IMAGES_DIR).iterdir())[0]
    image.write_bytes(data)
    code, problems = check()
    assert code == 1
    [problem] = problems
    assert problem["file"] == rel(in_repo, image) and expected in problem["message"]


def test_check_applies_the_configured_image_size(in_repo: Repo) -> None:
    config = in_repo.root / layout.CONFIG_FILE
    config.write_text(re.sub(r"  maxFileMB: .*\n", "  maxFileMB: 0.01\n", config.read_text()))
    assert "maxFileMB: 0.01" in config.read_text()
    assert check() == (0, [])  # the shop's own images are what it holds: the limit is for what people add
    jpegs = sorted((in_repo.root / "products").glob("*/images/*.jpg"), key=lambda p: -p.stat().st_size)
    first = jpegs[0]  # the largest: over 0.01 MB
    first.write_bytes(renamed_jpeg(first.read_bytes(), b"retouched"))  # a person's image, over the limit
    code, problems = check()
    assert code == 1 and [p["file"] for p in problems] == [rel(in_repo, first)]
    assert "above the limit of 0.01 MB (images.maxFileMB in .ecomgit/config.yaml)" in problems[0]["message"]


# -- 7. fields the mirror leaves out -------------------------------------------------------------


def test_check_refuses_a_price_cost_the_mirror_does_not_hold(in_repo: Repo) -> None:
    path = change(in_repo, KUSTWEG, lambda p: p["variants"][1].__setitem__("priceCost", 12.5))
    line = path.read_text().splitlines().index("  priceCost: 12.5") + 1
    code, problems = check()
    assert code == 1
    [problem] = problems
    assert (problem["file"], problem["line"], problem["field"]) == (rel(in_repo, path), line, "variants[1].priceCost")
    assert problem["message"] == (
        "priceCost is not mirrored by this repository (fields.include in .ecomgit/config.yaml); remove it"
    )
    config = in_repo.root / layout.CONFIG_FILE  # a mirror configured to hold it: fine
    config.write_text(config.read_text().replace("include: []", "include: [priceCost]"))
    assert check() == (0, [])


# -- 10. duplicates ------------------------------------------------------------------------------


def test_check_reports_two_folders_with_one_product_id(in_repo: Repo) -> None:
    folder = folder_of(in_repo, KUSTWEG)
    copy = folder.with_name(f"{KUSTWEG}-copy")
    shutil.copytree(folder, copy)
    for args in ((), (str(copy),)):
        code, problems = check(*args)
        assert code == 1
        [problem] = [p for p in problems if p["field"] == "id"]
        assert problem["file"] == rel(in_repo, folder / layout.PRODUCT_FILE) or copy.name in problem["file"]
        assert folder.name in problem["file"] + problem["message"] and copy.name in problem["file"] + problem["message"]


def test_check_reports_one_code_on_two_products_with_both_paths(in_repo: Repo) -> None:
    ean = files.read_product(folder_of(in_repo, LAMP) / layout.PRODUCT_FILE)["variants"][0]["ean"]
    path = change(in_repo, KUSTWEG, lambda p: p["variants"][0].__setitem__("ean", ean))
    lamp = rel(in_repo, folder_of(in_repo, LAMP) / layout.PRODUCT_FILE)
    for args in ((), (str(path),)):  # the whole mirror, and a pre-commit hook's one changed file
        code, problems = check(*args)
        assert code == 1
        [problem] = problems
        files_named = {problem["file"], *[word for word in problem["message"].split() if "/" in word]}
        assert rel(in_repo, path) in files_named and lamp in files_named
        assert f"ean '{ean}' is also on" in problem["message"]


def test_check_reports_one_sku_twice_in_one_product(in_repo: Repo) -> None:
    def same(product: dict[str, Any]) -> None:
        product["variants"][1]["sku"] = product["variants"][0]["sku"]

    path = change(in_repo, KUSTWEG, same)
    code, problems = check()
    assert code == 1
    [problem] = problems
    assert problem["file"] == rel(in_repo, path) and problem["field"] == "variants[1].sku"
    assert "is also on variants[0].sku" in problem["message"]


def test_codes_the_shop_itself_holds_twice_are_not_a_persons_edit(
    in_repo: Repo, app: EmulatorApp, client: ShopClient
) -> None:
    """A shop (or Retail) may hold one EAN on two products; the mirror records it as it is. Only a
    duplicate a person made is refused: check must not fail every pull request over shop data."""
    shared = app.shop.products[LAMP].variants[0].ean
    app.shop.products[KUSTWEG].variants[0].ean = shared
    app.shop.touch_product(app.shop.products[KUSTWEG])
    run_sync(in_repo, client)
    synced_ean = files.read_product(folder_of(in_repo, KUSTWEG) / layout.PRODUCT_FILE)["variants"][0]["ean"]
    assert synced_ean == shared != ""  # the mirror holds the shop's duplicate
    assert check() == (0, [])
    sku = files.read_product(folder_of(in_repo, LAMP) / layout.PRODUCT_FILE)["variants"][0]["sku"]
    path = change(in_repo, KUSTWEG, lambda p: p["variants"][1].__setitem__("sku", sku))
    code, problems = check()
    assert code == 1
    [problem] = problems
    named = problem["file"] + " " + problem["message"]
    assert rel(in_repo, path) in named and rel(in_repo, folder_of(in_repo, LAMP) / layout.PRODUCT_FILE) in named
    assert f"sku '{sku}' is also on" in problem["message"]
