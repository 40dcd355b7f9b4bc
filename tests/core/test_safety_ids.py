"""Ids are written in ASCII digits, everywhere (issue 23, item 16).

Python's ``isdigit()``, ``int()`` and ``re``'s ``\\d`` also take other scripts' digits: a folder
``products/７２４１８３３９-copy`` read as product 72418339 in some places and as no product in others."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.cli.main import cli
from ecomgit.emulator import EmulatorApp
from ecomgit.errors import EcomgitError, MirrorError
from ecomgit.ids import parse_id
from ecomgit.mirror import layout
from ecomgit.shop import Repo
from ecomgit.write.lookup import resolve_product
from tests.write.conftest import KUSTWEG, edit, folder_of, push

WIDE = "７２４１８３３９"  # KUSTWEG in full-width digits
ARABIC = "٧٢٤١٨٣٣٩"  # and in Arabic-Indic ones


def copy_folder(repo: Repo, name: str) -> Path:
    source = folder_of(repo, KUSTWEG)
    target = source.parent / name
    shutil.copytree(source, target)
    gitrepo.stage(repo.root, [str(layout.PRODUCTS_DIR)])
    gitrepo.commit(repo.root, "A copy of a folder")
    return target


@pytest.mark.parametrize("text", [WIDE, ARABIC, "72418339\n", " 72418339", "+72418339", "7_2", "²"])
def test_only_ascii_digits_are_an_id(text: str) -> None:
    assert parse_id(text) is None
    assert layout.folder_product_id(f"{text}-copy") is None
    assert parse_id("72418339") == 72418339 and layout.folder_product_id("72418339-kustweg") == 72418339


@pytest.mark.parametrize("digits", [WIDE, ARABIC])
def test_check_names_a_folder_in_foreign_digits(synced: Repo, digits: str, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = copy_folder(synced, f"{digits}-copy")
    monkeypatch.chdir(synced.root)

    result = CliRunner().invoke(cli, ["check", "--json"], catch_exceptions=False)

    assert result.exit_code == 1
    problems = json.loads(result.output)["problems"]
    path = f"{copy.relative_to(synced.root).as_posix()}/product.yaml"
    mine = [p["message"] for p in problems if p["file"] == path]
    assert any("digits other than 0-9" in m for m in mine), mine
    assert any(f"product {KUSTWEG} in a folder not named" in m for m in mine), mine


def test_push_refuses_while_such_a_folder_is_there(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    copy = copy_folder(synced, f"{WIDE}-copy")
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "Edited here."))

    with pytest.raises(MirrorError, match="digits other than 0-9") as caught:
        push(synced, client)
    assert copy.name in str(caught.value)
    assert app.shop.products[KUSTWEG].texts["en"]["description"] != "Edited here."


def test_a_product_argument_in_foreign_digits_is_no_id(synced: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_product(synced.root, str(KUSTWEG)) == KUSTWEG
    with pytest.raises(EcomgitError, match="no product has the id"):
        resolve_product(synced.root, WIDE)
    monkeypatch.chdir(synced.root)
    result = CliRunner().invoke(cli, ["restore", str(KUSTWEG), "--onto", WIDE, "--dry-run"])
    assert result.exit_code == 2 and "digits 0-9" in result.output
