"""Any string the API returns can be mirrored, committed, shown and pushed back unchanged.

JSON carries text UTF-8 cannot: a lone surrogate (``"\\ud800"``). The shop's own JSON holds it when
an integration wrote it; the mirror stores it as an ``!escaped`` scalar, the terminal and commit
messages show it written out, and a push sends it back as the same escape. The shop is the
emulator on a real loopback socket; the commands run through ``main()``.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp, Shop, running, synthetic_shop
from ecomgit.emulator.model import Metafield
from ecomgit.init import init_repo
from ecomgit.mirror import files, layout, yamlio
from ecomgit.mirror.validate import check_file
from tests.mainrun import Run, run_main

TITLE = "Fiets \ud800 met\x00nul\x07"  # a lone surrogate, a NUL, a bell
TEXT = "<p>lang\r\n\udfffverhaal \\ud800 (letterlijk)</p>\n"  # a surrogate, CRLF, a literal backslash-u
TAG = "tag\ud83d"  # half an emoji
METAFIELD = "waarde\ud800\x1b[31m"
PIECES = st.characters(exclude_categories=()) | st.sampled_from(["\ud800", "\\ud800", "\\", "'", "\r\n"])


@dataclass
class World:
    app: EmulatorApp
    url: str
    root: Path
    pid: int


def hostile_texts(shop: Shop) -> int:
    """Put surrogates, NUL and control characters in every kind of text of one product."""
    pid = min(shop.products)
    product = shop.products[pid]
    product.texts["nl"]["title"] = TITLE
    product.texts["nl"]["content"] = TEXT
    product.texts["en"]["description"] = TITLE
    for image in product.images:
        image.title = TITLE
    shop.add_metafield(product, Metafield(id=shop.new_id(), created=0, updated=0, key="k\ud800", value=METAFIELD))
    tag = next(iter(shop.tags.values()))
    tag.texts["nl"]["title"] = TAG
    shop.link_tag(product, tag.id)
    shop.touch_product(product)
    return pid


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    return lambda *args: run_main(capsys, monkeypatch, *args)


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    shop = synthetic_shop(3)
    pid = hostile_texts(shop)
    app = EmulatorApp(shop, rate_limit=None)
    with running(app) as url:
        root = tmp_path / "mirror"
        with ShopClient(url, language="nl") as client:
            init_repo(root, url, [], client)
        monkeypatch.chdir(root)
        yield World(app, url, root, pid)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def product_file(world: World) -> Path:
    folder = next(p for p in (world.root / layout.PRODUCTS_DIR).iterdir() if p.name.startswith(f"{world.pid}-"))
    return folder / layout.PRODUCT_FILE


def test_a_lone_surrogate_nul_and_control_characters_are_mirrored_exactly(world: World, run: Run) -> None:
    result = run("sync")
    assert result.code == 0, result.text
    path = product_file(world)
    product = files.read_product(path)
    assert product["title"]["nl"] == TITLE
    assert product["content"]["nl"] == TEXT
    assert product["description"]["en"] == TITLE
    assert [m["value"] for m in product["metafields"] if m["key"] == "k\ud800"] == [METAFIELD]
    assert {"title": TAG} in [{"title": t["title"]} for t in product["tags"]]
    assert "!escaped" in path.read_text(encoding="utf-8")  # plain UTF-8 on disk
    assert check_file(path, languages=["nl", "en"]) == []
    assert run("check").code == 0
    message = git(world.root, "log", "-1", "--format=%B")
    for shown in (result.out, message):
        assert "\\ud800" in shown  # the title, written out
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]", shown), repr(shown)
    again = run("sync")
    assert again.code == 0, again.text
    assert "Nothing changed" in again.out  # stable: the escaped form reads back as the same text
    world.app.shop.products[world.pid].texts["nl"]["content"] = TEXT + "\ud801"
    world.app.shop.touch_product(world.app.shop.products[world.pid])
    as_json = run("sync", "--json")
    assert as_json.code == 0, as_json.text
    assert [c["title"] for c in json.loads(as_json.out)["changes"]] == [TITLE]


def test_pushing_keeps_and_sends_surrogate_text_exactly(world: World, run: Run) -> None:
    assert run("sync").code == 0
    path = product_file(world)
    product = files.read_product(path)
    product["content"]["nl"] = TEXT + "\ud801 nieuw"
    product["url"]["nl"] = "nieuwe-url"  # an unrelated field: the title must not change in the shop
    files.write_product(path, product, ["nl", "en"])
    git(world.root, "commit", "-qam", "Edit copy")
    result = run("push", "--yes")
    assert result.code == 0, result.text
    live = world.app.shop.products[world.pid]
    assert live.texts["nl"]["content"] == TEXT + "\ud801 nieuw"
    assert live.texts["nl"]["title"] == TITLE
    assert live.texts["en"]["description"] == TITLE
    assert live.texts["nl"]["url"] == "nieuwe-url"
    assert files.read_product(product_file(world))["content"]["nl"] == TEXT + "\ud801 nieuw"
    assert git(world.root, "status", "--porcelain") == ""
    for command in (("diff", "HEAD~2", "HEAD"), ("diff", "--markdown", "HEAD~2", "HEAD"), ("log", str(world.pid))):
        shown = run(*command)
        assert shown.code == 0, (command, shown.text)
        assert not re.search(r"[\ud800-\udfff]", shown.text), (command, shown.text)


@given(st.lists(PIECES, max_size=60).map("".join))
@settings(max_examples=300, deadline=None)
def test_any_text_with_lone_surrogates_round_trips_through_the_yaml_exactly(text: str) -> None:
    data = {"title": {"nl": text}, "tags": [text], text: 1}
    assert yamlio.load(yamlio.dump(data), "t.yaml") == data
    yamlio.dump(data).encode("utf-8")  # the file itself is plain UTF-8
