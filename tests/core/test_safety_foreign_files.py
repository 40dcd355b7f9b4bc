"""ecomgit deletes only files it wrote (issue 23, item 4).

A person keeps ``images/master.psd`` (ignored) or ``notes.txt`` in a product's folder. When the
shop's images change, when the shop deletes the product, when its folder is renamed, or when a
push records its own image changes, those files stay where they are; a deleted product's folder
stays for them, and ``ecomgit status`` names it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.cli.main import cli
from ecomgit.emulator import EmulatorApp
from ecomgit.mirror import files, layout
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from tests.write.conftest import folder_of, restore

LAMP = 72418448  # 3 images
PSD = b"8BPS" + b"\x00" * 60


def keep_beside(repo: Repo, pid: int) -> tuple[Path, Path]:
    """A person's files in the product folder, ignored by a committed .gitignore."""
    (repo.root / ".gitignore").write_text("*.psd\nnotes.txt\n", encoding="utf-8")
    gitrepo.stage(repo.root, [".gitignore"])
    gitrepo.commit(repo.root, "Ignore our working files")
    folder = folder_of(repo, pid)
    psd, notes = folder / layout.IMAGES_DIR / "master.psd", folder / "notes.txt"
    psd.write_bytes(PSD)
    notes.write_text("Ask the supplier for the 2027 photos.\n", encoding="utf-8")
    return psd, notes


def status(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    monkeypatch.chdir(repo.root)
    result = CliRunner().invoke(cli, ["status", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert isinstance(data, dict)
    return data


def test_a_changed_image_list_keeps_a_persons_files(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    psd, notes = keep_beside(synced, LAMP)
    product = app.shop.products[LAMP]
    app.shop.delete_image(product.images[0])

    run_sync(synced, client)

    data = files.read_product(folder_of(synced, LAMP) / layout.PRODUCT_FILE)
    assert len(data["images"]) == 2
    assert sorted(p.name for p in psd.parent.iterdir()) == sorted([*(i["file"] for i in data["images"]), psd.name])
    assert psd.read_bytes() == PSD and notes.exists()


def test_a_deleted_product_leaves_its_folder_to_a_persons_files(
    synced: Repo, client: ShopClient, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    psd, notes = keep_beside(synced, LAMP)
    folder = psd.parent.parent
    app.shop.delete_product(app.shop.products[LAMP])

    run_sync(synced, client)

    assert psd.read_bytes() == PSD and notes.exists()
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "images/master.psd",
        "notes.txt",
    ]
    assert gitrepo.tree_names(synced.root, "HEAD", f"products/{folder.name}") == []  # the product is gone
    left = status(synced, monkeypatch)["leftBehind"]
    assert left == [{"folder": f"products/{folder.name}", "files": ["images/master.psd", "notes.txt"]}]
    said = CliRunner().invoke(cli, ["status"], catch_exceptions=False).output
    [line] = [line for line in said.splitlines() if folder.name in line]
    assert "notes.txt" in line and "move them" in line


def test_a_deleted_product_without_a_persons_files_leaves_no_folder(
    synced: Repo, client: ShopClient, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = folder_of(synced, LAMP)
    app.shop.delete_product(app.shop.products[LAMP])
    run_sync(synced, client)
    assert not folder.exists()
    assert status(synced, monkeypatch)["leftBehind"] == []


def test_a_renamed_folder_takes_a_persons_files_along(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    psd, notes = keep_beside(synced, LAMP)
    product = app.shop.products[LAMP]
    product.texts["nl"]["url"] = "nieuwe-naam"
    app.shop.touch_product(product)

    run_sync(synced, client)

    folder = folder_of(synced, LAMP)
    assert folder.name == f"{LAMP}-nieuwe-naam"
    assert (folder / layout.IMAGES_DIR / "master.psd").read_bytes() == PSD
    assert (folder / "notes.txt").exists()
    assert not psd.parent.parent.exists()


def test_a_restore_that_brings_an_image_back_keeps_a_persons_files(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    first_sync = gitrepo.run(synced.root, "rev-parse", "HEAD").strip()
    psd, notes = keep_beside(synced, LAMP)
    app.shop.delete_image(app.shop.products[LAMP].images[0])
    run_sync(synced, client)

    result = restore(synced, client, str(LAMP), rev=first_sync)

    assert result.ok and result.commit is not None
    assert len(app.shop.products[LAMP].images) == 3
    assert len(files.read_product(folder_of(synced, LAMP) / layout.PRODUCT_FILE)["images"]) == 3
    assert psd.read_bytes() == PSD and notes.exists()
