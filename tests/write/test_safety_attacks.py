"""Attacks on the write path after issue 12 (a second look): a link planted while a push runs,
an old revision whose image names are not plain file names, a committed link in a clone that
checks links out as plain files. Each is injected for real (real links, real git, the emulator's
shop checked afterwards)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.errors import MirrorError
from ecomgit.mirror import layout
from ecomgit.shop import Repo, writer
from ecomgit.sync.run import run_sync
from ecomgit.write.push import apply_push, plan_push
from ecomgit.write.restore import apply_restore, plan_restore
from tests.mainrun import run_main
from tests.write.conftest import KUSTWEG, edit, folder_of, push, quiet, restore
from tests.write.test_safety_tree import BARE, LAMP, commit_all, describe, outside_dir, shop_images


def link_images(repo: Repo, pid: int, target: Path) -> Path:
    """``images/`` moved to ``target`` and replaced by a link to it, as someone at the prompt might."""
    images = folder_of(repo, pid) / layout.IMAGES_DIR
    for path in images.iterdir():
        shutil.copyfile(path, target / path.name)
    shutil.rmtree(images)
    images.symlink_to(target, target_is_directory=True)
    return images


def committed_links(repo: Repo) -> list[str]:
    listing = gitrepo.run(repo.root, "ls-tree", "-r", "-z", "HEAD", "--", "products", "shop")
    return [entry.partition("\t")[2] for entry in listing.split("\0") if entry.startswith("120000")]


def test_a_link_planted_while_push_waits_at_its_prompt_refuses_before_any_write(
    synced: Repo, client: ShopClient, app: EmulatorApp, tmp_path: Path
) -> None:
    target, _ = outside_dir(tmp_path)
    edit(synced, LAMP, describe("Edited."))
    with writer(synced, "push") as state:
        plan = plan_push(synced, client, state, progress=quiet)
        assert plan.writes  # the plan was fine
        link_images(synced, LAMP, target)  # while the prompt waits
        files = {p.name: p.read_bytes() for p in target.iterdir()}
        result = apply_push(synced, client, state, plan, progress=quiet)
    assert not result.ok
    [job] = plan.jobs
    assert job.error is not None and "images: this is a symbolic link" in job.error
    assert app.shop.products[LAMP].texts["en"]["description"] != "Edited."  # nothing written
    assert {p.name: p.read_bytes() for p in target.iterdir()} == files
    assert committed_links(synced) == []


def test_a_link_planted_during_the_write_is_never_committed(
    synced: Repo, client: ShopClient, app: EmulatorApp, tmp_path: Path
) -> None:
    target, _ = outside_dir(tmp_path)
    edit(synced, LAMP, describe("Edited."))
    images = folder_of(synced, LAMP) / layout.IMAGES_DIR
    names = sorted(p.name for p in images.iterdir())

    def plant(message: str) -> None:
        if message.startswith("writing product"):  # after every check, before the record
            link_images(synced, LAMP, target)

    with writer(synced, "push") as state:
        plan = plan_push(synced, client, state, progress=quiet)
        result = apply_push(synced, client, state, plan, progress=plant)
    assert not result.ok and result.commit is not None  # written, so recorded (the product held back)
    assert committed_links(synced) == []
    rel = f"{layout.PRODUCTS_DIR}/{images.parent.name}/{layout.IMAGES_DIR}"
    assert gitrepo.tree_names(synced.root, "HEAD", rel) == names  # the images are still in the mirror
    assert sorted(p.name for p in target.iterdir()) == sorted([*names, "holiday.jpg", "passport.jpg"])


@pytest.mark.parametrize("name", ["../01-x.jpg", "sub/01-x.jpg", None, 7])
def test_restore_refuses_a_revision_whose_image_name_is_not_a_file_name(
    synced: Repo, client: ShopClient, app: EmulatorApp, name: Any
) -> None:
    before = shop_images(app, LAMP)

    def rename(product: dict[str, Any]) -> None:
        product["images"][0]["file"] = name

    edit(synced, LAMP, rename)  # committed past the check (no hook)
    with pytest.raises(MirrorError, match=r"images\[0\]\.file") as caught:
        restore(synced, client, str(LAMP), rev="HEAD")
    assert "nothing was written" in str(caught.value)
    assert shop_images(app, LAMP) == before  # before: the shop's first image was deleted


def test_restore_refuses_a_revision_whose_images_are_not_a_list(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    before = shop_images(app, LAMP)
    edit(synced, LAMP, lambda p: p.__setitem__("images", "01-dijk-80-koplamp.jpg"))
    with pytest.raises(MirrorError, match="images: "):
        restore(synced, client, str(LAMP), rev="HEAD")
    assert shop_images(app, LAMP) == before


# -- committed links and submodules the work tree does not show ------------------------------------


def test_check_finds_a_committed_link_in_a_clone_without_symlinks(
    synced: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target, _ = outside_dir(tmp_path)
    images = folder_of(synced, BARE) / layout.IMAGES_DIR
    images.symlink_to(target, target_is_directory=True)
    commit_all(synced, "Images from the shared drive")
    gitrepo.run(synced.root, "config", "core.symlinks", "false")  # a Windows clone, say
    images.unlink()
    gitrepo.run(synced.root, "checkout", "--", str(images.relative_to(synced.root)))
    assert images.is_file() and not images.is_symlink()  # the link is a plain file holding its target
    monkeypatch.chdir(synced.root)
    outcome = run_main(capsys, monkeypatch, "check")
    assert outcome.code == 1, outcome.text  # before: "no problems" (push refuses it)
    [line] = [line for line in outcome.text.splitlines() if "symbolic link" in line]
    assert images.relative_to(synced.root).as_posix() in line and "remove the link" in line
    one = run_main(capsys, monkeypatch, "check", str(images.parent))
    assert one.code == 1 and "symbolic link" in one.text


def test_a_submodule_for_a_product_file_is_named_as_one(
    synced: Repo,
    client: ShopClient,
    app: EmulatorApp,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rel = f"{layout.PRODUCTS_DIR}/{folder_of(synced, LAMP).name}/{layout.PRODUCT_FILE}"
    gitrepo.run(synced.root, "rm", "-q", "--cached", rel)
    gitrepo.run(synced.root, "update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},{rel}")
    gitrepo.commit(synced.root, "A submodule where the product file was")
    (synced.root / rel).unlink()
    (synced.root / rel).mkdir()  # as a clone checks a submodule out
    monkeypatch.chdir(synced.root)
    for args in (("push", "--yes"), ("check",)):  # before: "the file holds null, not a product"; check: nothing
        outcome = run_main(capsys, monkeypatch, *args)
        assert outcome.code == 1 and "Traceback" not in outcome.text, outcome.text
        assert f"{rel}: this is a git submodule" in outcome.text, (args, outcome.text)
    outcome = run_main(capsys, monkeypatch, "restore", str(LAMP), "--rev", "HEAD", "--yes")
    assert outcome.code == 1 and f"product {LAMP} is not in revision" in outcome.text
    assert app.shop.products[LAMP].texts["en"]["title"]  # nothing written


# -- 10. one code, one variant, whatever its case -------------------------------------------------


def test_a_code_copied_in_another_case_is_one_code(
    synced: Repo,
    client: ShopClient,
    app: EmulatorApp,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    other = app.shop.products[LAMP].variants[0].sku
    copied = f" {other.lower()}\u00a0"  # pasted from a spreadsheet
    edit(synced, KUSTWEG, lambda p: p["variants"][0].__setitem__("sku", copied))
    with pytest.raises(MirrorError, match="is also on") as caught:
        push(synced, client)
    assert folder_of(synced, LAMP).name in str(caught.value)
    assert app.shop.products[KUSTWEG].variants[0].sku != copied  # before: pushed, two variants, one SKU
    monkeypatch.chdir(synced.root)
    for args in (("check",), ("check", str(folder_of(synced, KUSTWEG)))):
        outcome = run_main(capsys, monkeypatch, *args)
        assert outcome.code == 1 and folder_of(synced, LAMP).name in outcome.text, outcome.text


def test_codes_the_shop_holds_in_two_cases_are_accepted(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    sku = app.shop.products[LAMP].variants[0].sku
    app.shop.products[KUSTWEG].variants[0].sku = sku.lower()
    app.shop.touch_product(app.shop.products[KUSTWEG])
    run_sync(synced, client)
    edit(synced, KUSTWEG, describe("Edited."))
    assert push(synced, client).ok  # the shop's own data is not a person's edit


def test_a_variant_someone_made_with_our_new_sku_in_lower_case_is_refused(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    def add(product: dict[str, Any]) -> None:
        extra = {**product["variants"][-1], "id": None, "isDefault": False, "sortOrder": 4}
        extra.update(sku="AN-KW105-61", articleCode="AN-KW105-61", ean="2024183390046")
        product["variants"].append(extra)

    edit(synced, KUSTWEG, add)
    made = client.post("variants", "variant", {"product": KUSTWEG, "sku": "an-kw105-61 ", "title": "Theirs 61"})
    result = push(synced, client)
    [job] = result.plan.jobs
    assert job.refused and f"that ecomgit did not create (variant {made['id']}" in job.refused
    assert [v.sku.strip().lower() for v in app.shop.products[KUSTWEG].variants].count("an-kw105-61") == 1


# -- 8. an image cut short ------------------------------------------------------------------------


def webp(payload: bytes, declared: int | None = None) -> bytes:
    body = b"WEBP" + b"VP8L" + len(payload).to_bytes(4, "little") + payload
    return b"RIFF" + (len(body) if declared is None else declared).to_bytes(4, "little") + body


def test_a_webp_cut_short_is_refused_by_check_and_push(
    synced: Repo,
    client: ShopClient,
    app: EmulatorApp,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = shop_images(app, LAMP)
    whole = webp(b"\x2f" + b"\x00" * 499)
    images = folder_of(synced, LAMP) / layout.IMAGES_DIR
    new = images / "01-new.webp"
    new.write_bytes(whole[:200])  # a download or copy cut off: the header still says WEBP

    def replace(product: dict[str, Any]) -> None:
        product["images"][0] = {"file": new.name, "id": None, "fileId": None}

    commit_all(synced, "New photo")
    edit(synced, LAMP, replace)
    monkeypatch.chdir(synced.root)
    outcome = run_main(capsys, monkeypatch, "check")
    assert outcome.code == 1, outcome.text  # before: "no problems"
    [line] = [line for line in outcome.text.splitlines() if new.name in line]
    assert f"is cut short: its WebP header says {len(whole)} bytes, the file has 200" in line
    with pytest.raises(MirrorError, match="is cut short"):
        push(synced, client)
    assert shop_images(app, LAMP) == before  # the old images kept
    new.write_bytes(whole)
    commit_all(synced, "The whole photo")
    assert run_main(capsys, monkeypatch, "check").code == 0


# -- 2. a product file the commit lacks -----------------------------------------------------------


def test_an_ignored_product_file_is_reported_not_called_removed(
    synced: Repo,
    client: ShopClient,
    app: EmulatorApp,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = folder_of(synced, BARE) / layout.PRODUCT_FILE
    rel = path.relative_to(synced.root).as_posix()
    gitrepo.run(synced.root, "rm", "-q", "--cached", rel)
    (synced.root / ".gitignore").write_text(f"{rel}\n")
    commit_all(synced, "Keep my working copy out of git")
    path.write_text(path.read_text().replace("  en: ", "  en: Edited ", 1))  # the edit push never sees
    assert gitrepo.dirty_paths(synced.root, ["products"]) == []
    monkeypatch.chdir(synced.root)
    for args in (("check",), ("check", str(path.parent)), ("push", "--yes")):
        outcome = run_main(capsys, monkeypatch, *args)
        assert outcome.code == 1, (args, outcome.text)  # before: check passed, push "its folder was removed", 0
        [line] = [line for line in outcome.text.splitlines() if "is not committed" in line]
        assert rel in line and "push sends the commit" in line
    assert not any("Edited" in text for text in app.shop.products[BARE].texts["en"].values())


# -- 1. the configuration through a link ----------------------------------------------------------


def test_a_linked_configuration_is_refused_not_read(
    synced: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = synced.root / layout.CONFIG_FILE
    elsewhere = tmp_path / "ci-runner-settings.yaml"
    elsewhere.write_text(config.read_text().replace("api_url: http://localhost", "api_url: http://127.0.0.2"))
    config.unlink()
    config.symlink_to(elsewhere)
    commit_all(synced, "Share the settings")
    monkeypatch.chdir(synced.root)
    for args in (("check",), ("status",), ("push", "--dry-run")):
        outcome = run_main(capsys, monkeypatch, *args)
        assert outcome.code == 1 and "Traceback" not in outcome.text, (args, outcome.text)  # before: read, exit 0
        [line] = outcome.text.splitlines()
        assert ".ecomgit/config.yaml: this is a symbolic link" in line and "remove the link" in line


# -- 1. hard links: ecomgit writes new files, never into existing ones ---------------------------


def test_sync_never_writes_into_a_hard_link(synced: Repo, client: ShopClient, app: EmulatorApp, tmp_path: Path) -> None:
    folder = folder_of(synced, BARE)
    precious = tmp_path / "notes.txt"  # on the same file system: a hard link can reach it
    precious.write_bytes(b"my notes\n")
    leftover = folder / f".{layout.PRODUCT_FILE}.tmp"  # as an interrupted write leaves it, or planted
    leftover.hardlink_to(precious)
    with (gitrepo.git_dir(synced.root) / "info" / "exclude").open("a") as exclude:
        exclude.write(f"/{leftover.relative_to(synced.root).as_posix()}\n")
    app.shop.products[BARE].texts["en"]["description"] = "Changed in the shop."
    app.shop.touch_product(app.shop.products[BARE])
    run_sync(synced, client)
    assert "Changed in the shop." in (folder / layout.PRODUCT_FILE).read_text()
    assert precious.read_bytes() == b"my notes\n"  # before: the product file's text was written into it


def test_a_link_planted_while_restore_waits_at_its_prompt_refuses_before_any_write(
    synced: Repo, client: ShopClient, app: EmulatorApp, tmp_path: Path
) -> None:
    target, _ = outside_dir(tmp_path)
    app.shop.products[LAMP].texts["en"]["description"] = "Changed in the shop."
    app.shop.touch_product(app.shop.products[LAMP])
    with writer(synced, "restore") as state:
        plan = plan_restore(synced, client, state, str(LAMP), rev="HEAD", progress=quiet)
        link_images(synced, LAMP, target)  # while the prompt waits
        with pytest.raises(MirrorError, match="images: this is a symbolic link"):
            apply_restore(synced, client, state, plan, progress=quiet)
    assert app.shop.products[LAMP].texts["en"]["description"] == "Changed in the shop."  # nothing written
    assert committed_links(synced) == []
