"""A rewritten text reads as old → new (issue 16 item 1): when a text keeps less than half of its
words, ``diff``, ``diff --markdown``, ``diff --json`` and ``log`` show the old text and the new
text whole instead of a word diff that interleaves them; a small edit keeps the word diff."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ecomgit.cli.main import cli
from ecomgit.diff import diff, is_rewrite, opcodes
from ecomgit.diff_markdown import markdown
from ecomgit.shop import Repo
from tests.write.conftest import KUSTWEG, edit

LANGS = ["nl", "en"]
OLD_EN = "Comfortable endurance road bike with Shimano 105 and disc brakes. Ideal for your first sportive."


def lines(repo: Repo) -> list[str]:
    return [line for item in diff(repo.root, "HEAD^", "HEAD", LANGS) for line in item.lines()]


def test_a_rewritten_description_is_shown_old_and_new_whole(synced: Repo) -> None:
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "A sharper description"))
    assert lines(synced) == [
        f"~ {KUSTWEG} Kustweg 105 racefiets",
        "    description [en] (rewritten):",
        f"      old: {OLD_EN}",
        "      new: A sharper description",
    ]


def test_a_small_edit_keeps_the_word_diff(synced: Repo) -> None:
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", OLD_EN.replace("disc", "hydraulic disc")))
    assert lines(synced)[1:] == ["    description [en]: … with Shimano 105 and {+hydraulic+} disc brakes. Ideal for …"]


def test_html_content_rewritten_keeps_its_lines_and_shows_no_control_character(synced: Repo) -> None:
    new = "<h3>Nieuw</h3>\n<p>Een \x1b[31mheel\x1b[0m andere tekst.</p>\n<p>Met twee alinea's.</p>"
    edit(synced, KUSTWEG, lambda p: p["content"].__setitem__("en", new))
    shown = lines(synced)
    start = shown.index("    content [en] (rewritten):")
    new_lines = shown[shown.index("      new: <h3>Nieuw</h3>") :]
    assert new_lines == [
        "      new: <h3>Nieuw</h3>",
        "           <p>Een \\x1b[31mheel\\x1b[0m andere tekst.</p>",
        "           <p>Met twee alinea's.</p>",
    ]
    assert shown[start + 1].startswith("      old: <p>The <strong>Kustweg</strong> sits") and "\x1b" not in "".join(
        shown
    )


def test_text_added_to_an_empty_field_is_shown_whole(synced: Repo) -> None:
    text = " ".join(f"word{n}" for n in range(40))  # longer than a word diff's 16 words
    edit(synced, KUSTWEG, lambda p: p["content"].__setitem__("nl", ""), "Empty it")
    edit(synced, KUSTWEG, lambda p: p["content"].__setitem__("nl", text), "Write it")
    assert lines(synced)[1:] == ["    content [nl] (rewritten):", "      old: (empty)", f"      new: {text}"]


@pytest.mark.parametrize(
    ("old", "new", "rewritten"),
    [
        (OLD_EN, "A sharper description", True),
        (OLD_EN, OLD_EN.replace("first sportive", "first long ride"), False),
        ("", "Something new here", True),
        ("Something old here", "", True),
        ("a b c d e f g h i j", "a b c d V W X Y Z Q", True),  # 4 of 10 words kept
        ("a b c d e f g h i j", "a b c d e V W X Y Z", False),  # half kept: still a word diff
    ],
)
def test_the_rewrite_rule(old: str, new: str, rewritten: bool) -> None:
    assert is_rewrite(old, new) is rewritten


@pytest.fixture
def in_repo(synced: Repo, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(synced.root)
    return synced.root


def test_json_markdown_and_log_show_it_whole(synced: Repo, in_repo: Path) -> None:
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "A sharper description"))
    runner = CliRunner()
    data = json.loads(runner.invoke(cli, ["diff", "HEAD~1", "HEAD", "--json"], catch_exceptions=False).output)
    [change] = data["products"][0]["changes"]
    assert change == {
        "field": "description [en]",
        "old": OLD_EN,
        "new": "A sharper description",
        "text": f"description [en]: {OLD_EN!r} → 'A sharper description'",
        "rewritten": True,
    }
    text = markdown(diff(in_repo, "HEAD~1", "HEAD", LANGS), "a" * 40, "b" * 40)
    assert (
        f"| description \\[en\\] | **old:** <del>{OLD_EN}</del><br>**new:** <ins>A sharper description</ins> |" in text
    )
    log = runner.invoke(cli, ["log", str(KUSTWEG)], catch_exceptions=False).output.splitlines()
    at = log.index("    description [en] (rewritten):")
    assert log[at + 1 : at + 3] == [f"      old: {OLD_EN}", "      new: A sharper description"]


def test_a_huge_rewrite_in_markdown_is_cut_and_says_so(synced: Repo) -> None:
    big = "lorem ipsum " * 1000  # 12 000 characters

    def change(product: dict[str, Any]) -> None:
        product["content"]["en"] = big

    edit(synced, KUSTWEG, change)
    text = markdown(diff(synced.root, "HEAD~1", "HEAD", LANGS), "a" * 40, "b" * 40)
    assert "more characters)</ins>" in text and len(text) < 12_000


def test_a_short_text_of_sixty_characters_is_shown_whole(synced: Repo) -> None:
    title = "Kustweg 105 road bike, now with hydraulic disc brakes: sale!"
    assert len(title) == 60
    edit(synced, KUSTWEG, lambda p: p["title"].__setitem__("en", title))
    assert lines(synced)[1:] == [f"    title [en]: 'Kustweg 105 road bike' → {title!r}"]


def test_word_opcodes_take_off_the_common_start_and_end_and_still_rebuild_the_text() -> None:
    rng = random.Random(25)
    words = ["een", "twee", "drie", "vier", " ", "\n"]
    for _ in range(300):
        a = tuple(rng.choice(words) for _ in range(rng.randrange(12)))
        b = list(a)
        for _ in range(rng.randrange(4)):
            b.insert(rng.randrange(len(b) + 1), rng.choice(words))
            if b and rng.random() < 0.5:
                del b[rng.randrange(len(b))]
        rebuilt: list[str] = []
        for tag, i1, i2, j1, j2 in opcodes(a, tuple(b)):
            assert tag != "equal" or a[i1:i2] == tuple(b[j1:j2])
            rebuilt += b[j1:j2]
        assert rebuilt == b
    long = ("word " * 5000).split()
    changed = (*long[:2500], "other", *long[2501:])
    assert opcodes(tuple(long), changed) == (
        ("equal", 0, 2500, 0, 2500), ("replace", 2500, 2501, 2500, 2501), ("equal", 2501, 5000, 2501, 5000),
    )  # fmt: skip
