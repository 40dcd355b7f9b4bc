"""``ecomgit check`` (product files for pull requests) and ``ecomgit log PRODUCT`` (its history)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ecomgit.api import ShopClient
from ecomgit.cli.main import cli
from ecomgit.emulator import EmulatorApp
from ecomgit.mirror import layout
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from tests.write.conftest import KUSTWEG, edit, folder_of, push


@pytest.fixture
def in_repo(synced: Repo, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.chdir(synced.root)
    return synced


def test_check_passes_a_clean_mirror_and_names_file_line_and_fix(in_repo: Repo) -> None:
    runner = CliRunner()
    clean = runner.invoke(cli, ["check"])
    assert clean.exit_code == 0 and "28 product file(s) checked: no problems." in clean.output
    path = folder_of(in_repo, KUSTWEG) / layout.PRODUCT_FILE
    text = path.read_text()
    path.write_text(text.replace("  stockBuyMaximum: 10000\n", "  stockBuyMaximum: 0\n", 1))
    line = text.splitlines().index("  stockBuyMaximum: 10000") + 1
    image = next((path.parent / layout.IMAGES_DIR).iterdir())  # a pre-commit hook passes any changed file
    result = runner.invoke(cli, ["check", str(image), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["checked"] == 1
    [problem] = report["problems"]
    assert problem["line"] == line and problem["file"].endswith("product.yaml")
    assert "stockBuyMinimum" in problem["message"] or "stockBuyMaximum" in problem["field"]


def test_log_follows_a_product_through_sync_edit_push_and_rename(
    in_repo: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    edit(in_repo, KUSTWEG, lambda p: p["description"].__setitem__("en", "Reviewed."), "Copy edit (PR #3)")
    assert push(in_repo, client).ok
    shop = app.shop.products[KUSTWEG]
    shop.texts["nl"]["url"] = "kustweg-racefiets"  # the folder is renamed by the next sync
    app.shop.touch_product(shop)
    run_sync(in_repo, client)
    result = CliRunner().invoke(cli, ["log", "AN-KW105-52", "--json"])
    history = json.loads(result.output)["history"]
    assert [entry["kind"] for entry in history] == ["sync", "push", "edit", "sync"]
    assert history[0]["product"]["changes"][0]["text"] == "url [nl]: 'kustweg-105-racefiets' → 'kustweg-racefiets'"
    assert history[2]["subject"] == "Copy edit (PR #3)"
    assert history[3]["product"]["kind"] == "new"
    text = CliRunner().invoke(cli, ["log", str(KUSTWEG), "-n", "1"]).output
    assert "sync" in text and "url [nl]" in text and "push" not in text


def test_log_of_an_unknown_product(in_repo: Repo, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["log", "4194303"])
    assert "no history" in result.output
