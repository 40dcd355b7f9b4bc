"""``ecomgit diff``: changes in words per product and field, by product id, across renames."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.cli.main import cli
from ecomgit.diff import ProductDiff, compare, diff, expected_counts, iter_diff, word_diff
from ecomgit.diff_markdown import markdown
from ecomgit.emulator import EmulatorApp, retail
from ecomgit.mirror import layout
from ecomgit.revisions import version_at
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from tests.write.conftest import KUSTWEG, edit, folder_of

LANGS = ["nl", "en"]


def lines(repo: Repo, old: str = "HEAD^", new: str = "HEAD") -> list[str]:
    return [line.strip() for item in diff(repo.root, old, new, LANGS) for line in item.lines()]


def test_fields_in_words(synced: Repo) -> None:
    def change(product: dict[str, Any]) -> None:
        product["description"]["en"] = product["description"]["en"].replace("disc brakes", "hydraulic disc brakes")
        product["visibility"] = "hidden"
        product["variants"][1]["oldPriceExcl"] = 1400
        product["tags"] = []

    edit(synced, KUSTWEG, change)
    assert lines(synced) == [
        f"~ {KUSTWEG} Kustweg 105 racefiets",
        "visibility: 'visible' → 'hidden'",
        "description [en]: … with Shimano 105 and {+hydraulic+} disc brakes. Ideal for …",
        "tag Bestseller removed",
        "variant 118583392 (AN-KW105-55) oldPriceExcl: 1486.78 → 1400",
    ]


def test_images_added_removed_replaced_and_reordered(synced: Repo) -> None:
    images = folder_of(synced, KUSTWEG) / layout.IMAGES_DIR
    first, second = sorted(p.name for p in images.iterdir())
    (images / second).write_bytes((images / second).read_bytes() + b"\0")  # replaced under the same name
    (images / "03-extra.png").write_bytes(b"\x89PNG new")

    def change(product: dict[str, Any]) -> None:
        a, b = product["images"]
        product["images"] = [b, a, {"file": "03-extra.png", "id": None, "fileId": None}]

    edit(synced, KUSTWEG, change, "Images")
    gitrepo.stage(synced.root, ["products"])
    gitrepo.commit(synced.root, "Image files")
    changes = lines(synced, "HEAD~2")
    assert f"image {second} replaced" in changes and "image 03-extra.png added" in changes
    assert not any(line.startswith("images reordered") for line in changes)  # one image kept: no order to change
    edit(synced, KUSTWEG, lambda p: p["images"].reverse(), "Reorder")
    assert lines(synced)[1].startswith("images reordered: 03-extra.png")


def test_new_deleted_and_renamed_products(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    matrix = retail.add_to_matrix(app.shop, [KUSTWEG], title="Kustweg")
    run_sync(synced, client)
    changes = lines(synced)
    assert f"- {KUSTWEG} Kustweg 105 racefiets (deleted)" in changes
    assert f"+ {matrix} Kustweg (new)" in changes
    product = app.shop.products[matrix]
    product.texts["nl"]["url"] = "kustweg-frame"
    app.shop.touch_product(product)
    run_sync(synced, client)  # the folder is renamed: still one product, changed
    assert lines(synced) == [f"~ {matrix} Kustweg", "url [nl]: 'kustweg' → 'kustweg-frame'"]


def test_word_diff_shows_only_what_changed() -> None:
    old = "one two three four five six seven eight nine ten eleven twelve"
    new = "one two three four five six SEVEN eight nine ten eleven twelve"
    assert word_diff(old, new) == "… three four five six [-seven-]{+SEVEN+} eight nine ten eleven …"


@pytest.fixture
def in_repo(synced: Repo, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(synced.root)
    return synced.root


def test_the_command_takes_revisions_a_product_and_json(synced: Repo, in_repo: Path) -> None:
    edit(synced, KUSTWEG, lambda p: p.__setitem__("visibility", "auto"))
    runner = CliRunner()
    text = runner.invoke(cli, ["diff"], catch_exceptions=False).output
    assert "visibility: 'visible' → 'auto'" in text
    data = json.loads(runner.invoke(cli, ["diff", "HEAD~1", "HEAD", "AN-KW105-52", "--json"]).output)
    [product] = data["products"]
    assert product["id"] == KUSTWEG and product["changes"][0] == {
        "field": "visibility",
        "old": "visible",
        "new": "auto",
        "text": "visibility: 'visible' → 'auto'",
    }
    assert "No product changed" in runner.invoke(cli, ["diff", "HEAD", "HEAD"]).output


def test_markdown_summary_for_a_pull_request(synced: Repo, in_repo: Path) -> None:
    def change(product: dict[str, Any]) -> None:
        product["title"]["nl"] = "Kustweg | <b>racefiets</b> [klik](javascript:alert(1)) @team"
        product["description"]["en"] = product["description"]["en"].replace("disc brakes", "hydraulic disc brakes")

    edit(synced, KUSTWEG, change)
    result = CliRunner().invoke(
        cli, ["diff", "HEAD~1", "--markdown", "--link-base", "https://github.com/acme/shop/blob/abc123/"]
    )
    assert result.exit_code == 0, result.output
    text = result.output
    folder = folder_of(synced, KUSTWEG).name
    link = f"(https://github.com/acme/shop/blob/abc123/products/{folder}/product.yaml)"
    title = r"Kustweg \| &lt;b&gt;racefiets&lt;/b&gt; \[klik\](javascript:alert(1)) &#64;team"
    assert f"| [{title}]{link} | {KUSTWEG} | 2 change(s) |" in text
    assert f"#### [{title}]{link} · {KUSTWEG}" in text
    assert "| description \\[en\\] | … with Shimano 105 and <ins>hydraulic</ins> disc brakes. Ideal for … |" in text
    # every table row has exactly its columns: nothing from the shop added a cell
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert all(line.replace("\\|", "").count("|") in (3, 4) for line in rows), rows
    assert "<b>" not in text and "@team" not in text


def test_markdown_stays_under_the_comment_limit(synced: Repo) -> None:
    for number, pid in enumerate(sorted(int(p.name.split("-")[0]) for p in (synced.root / "products").iterdir())):
        path = folder_of(synced, pid) / layout.PRODUCT_FILE
        path.write_text(path.read_text(encoding="utf-8").replace("visibility: visible", "visibility: hidden"))
        if number > 12:
            break
    gitrepo.stage(synced.root, ["products"])
    gitrepo.commit(synced.root, "Hide")
    found = diff(synced.root, "HEAD~1", "HEAD", LANGS)
    assert len(found) > 10
    whole = markdown(found, "a" * 40, "b" * 40)
    assert whole.count("#### ") == len(found)
    cut = markdown(found, "a" * 40, "b" * 40, limit=len(whole) // 2)
    assert len(cut) <= len(whole) // 2 + 200
    shown = cut.count("#### ")
    assert 0 < shown < len(found)
    assert f"… and {len(found) - shown} more product(s) not shown here: run `ecomgit diff aaaaaaaaaa bbbbbbbbbb`" in cut
    assert markdown([], "a" * 40, "b" * 40).endswith("No product changed.\n")


def test_markdown_and_json_are_exclusive(in_repo: Path) -> None:
    result = CliRunner().invoke(cli, ["diff", "--markdown", "--json"])
    assert result.exit_code == 2 and "not both" in result.output


# -- issue 23 item 20: uncommitted edits in words; a bad revision told from a bad product ----------


def test_uncommitted_edits_are_shown_in_words(synced: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    path = folder_of(synced, KUSTWEG) / layout.PRODUCT_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("visible", "hidden", 1), encoding="utf-8")
    monkeypatch.chdir(synced.root)
    shown = CliRunner().invoke(cli, ["diff"], catch_exceptions=False).output
    assert "to the work tree (uncommitted): 1 product(s)" in shown
    assert "visibility: 'visible' → 'hidden'" in shown
    committed = CliRunner().invoke(cli, ["diff", "HEAD^", "HEAD"], catch_exceptions=False).output
    assert "visibility" not in committed  # the last commit, as before, when asked for
    explicit = CliRunner().invoke(cli, ["diff", "--worktree", str(KUSTWEG)], catch_exceptions=False).output
    assert "visibility: 'visible' → 'hidden'" in explicit


def test_a_new_product_folder_not_yet_added_is_shown(synced: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    source = folder_of(synced, KUSTWEG)
    copy = synced.root / layout.PRODUCTS_DIR / "99999999-copy"
    copy.mkdir()
    text = (source / layout.PRODUCT_FILE).read_text(encoding="utf-8")
    (copy / layout.PRODUCT_FILE).write_text(text.replace(f"id: {KUSTWEG}", "id: 99999999", 1), encoding="utf-8")
    monkeypatch.chdir(synced.root)
    shown = CliRunner().invoke(cli, ["diff", "--worktree"], catch_exceptions=False).output
    assert "+ 99999999 Kustweg 105 racefiets (new)" in shown


@pytest.mark.parametrize("arg", ["main-typo", "HEAD~999"])
def test_a_bad_revision_is_told_as_neither_revision_nor_product(
    synced: Repo, monkeypatch: pytest.MonkeyPatch, arg: str
) -> None:
    gitrepo.run(synced.root, "branch", "-m", "master")
    monkeypatch.chdir(synced.root)
    result = CliRunner().invoke(cli, ["diff", arg])
    message = str(result.exception)
    assert f"'{arg}' is neither a revision nor a product (branches here: master;" in message
    assert "the history has" in message and "no product has the id" not in message


def test_an_image_overwritten_with_another_images_bytes_is_a_replacement(synced: Repo) -> None:
    """Issue 23 item 9: before, 'images reordered', while push deletes the first image."""
    folder = folder_of(synced, KUSTWEG)
    first, second = sorted((folder / layout.IMAGES_DIR).iterdir())[:2]
    first.write_bytes(second.read_bytes())
    gitrepo.stage(synced.root, [str(folder.relative_to(synced.root))])
    gitrepo.commit(synced.root, "Overwrite the first photo")
    shown = lines(synced)
    assert f"image {first.name} replaced (a copy of {second.name})" in shown
    assert not any("reordered" in line for line in shown)


def test_a_real_reorder_is_still_a_reorder(synced: Repo) -> None:
    def swap(product: dict[str, Any]) -> None:
        product["images"][0], product["images"][1] = product["images"][1], product["images"][0]

    edit(synced, KUSTWEG, swap)
    shown = lines(synced)
    assert [line for line in shown if line.startswith("image ")] == [] and any("reordered" in line for line in shown)


def test_new_and_deleted_products_are_said_as_a_whole_read_would_say_them(synced: Repo) -> None:
    """New and deleted products are said from a glance at their file (issue 16 item 3: a first
    sync's commit of 10 000 products within seconds); the words are those of reading it whole."""
    first = gitrepo.run(synced.root, "rev-list", "--max-parents=1", "--reverse", "HEAD").split()[1]
    found = diff(synced.root, f"{first}^", first, LANGS)
    assert len(found) == 28 and {item.kind for item in found} == {"new"}
    for item in found:
        whole = compare(None, version_at(synced.root, first, item.pid), LANGS)
        assert item.lines() == whole.lines() and item.path == whole.path, item.pid
    gone = diff(synced.root, first, f"{first}^", LANGS)
    said = [item.lines()[0].replace("+", "-", 1).replace("(new)", "(deleted)") for item in found]
    assert [item.lines()[0] for item in gone] == said


def test_a_file_not_in_the_canonical_form_is_read_whole(synced: Repo) -> None:
    path = folder_of(synced, KUSTWEG) / layout.PRODUCT_FILE
    text = path.read_text()
    assert "\nvariants:\n- id: " in text
    whole = "\ntitle:\n  nl: Kustweg 105 racefiets\n  en: Kustweg 105 road bike\n"
    assert whole in text
    path.write_text(text.replace(whole, "\ntitle: {nl: 'Kustweg, anders', en: x}\n"))
    gitrepo.stage(synced.root, ["products"])
    gitrepo.commit(synced.root, "Flow style")
    gitrepo.run(synced.root, "rm", "-r", "-q", f"products/{folder_of(synced, KUSTWEG).name}")
    gitrepo.commit(synced.root, "Gone")
    [item] = diff(synced.root, "HEAD^", "HEAD", LANGS)
    assert item.lines() == [f"- {KUSTWEG} Kustweg, anders (deleted)", "    3 variant(s), 2 image(s)"]


def test_markdown_stops_comparing_once_the_comment_is_full(synced: Repo) -> None:
    """Past the comment's size nothing more is compared (issue 16 item 3): the counts come from
    the files that differ."""
    first = gitrepo.run(synced.root, "rev-list", "--max-parents=1", "--reverse", "HEAD").split()[1]
    pulled = []

    def counted() -> Iterator[ProductDiff]:
        for item in iter_diff(synced.root, f"{first}^", first, LANGS):
            pulled.append(item.pid)
            yield item

    expected = expected_counts(synced.root, f"{first}^", first)
    assert expected == {"new": 28}
    text = markdown(counted(), "a" * 40, "b" * 40, limit=1500, expected=expected)
    assert 0 < len(pulled) < 28, pulled
    assert "**28** new (28 products)" in text and len(text) < 1500 + 300
    rows = [line for line in text.splitlines() if line.startswith("| [")]
    assert f"… and {28 - len(rows)} more product(s) not shown here" in text
