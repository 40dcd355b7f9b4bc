"""YAML anchors and aliases are refused in mirror files before anything expands them.

ecomgit never writes ``&anchor`` or ``*alias``; nine lines of nested aliases ("billion laughs")
stand for 9**9 values, so a product file holding them would hang ``check``, ``push`` and CI. The
commands run through ``main()`` against the emulator on a real loopback socket; each test asserts
on the refusal (file, line, what to do), which today never comes: the commands hang expanding it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp, running, synthetic_shop
from ecomgit.init import init_repo
from ecomgit.mirror import layout
from tests.mainrun import Outcome, Run, run_main

BOMB = 'lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"lol{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]\n" for n in range(1, 10)
)


@dataclass
class World:
    app: EmulatorApp
    root: Path
    file: Path

    @property
    def relative(self) -> str:
        return str(self.file.relative_to(self.root))


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    return lambda *args: run_main(capsys, monkeypatch, *args)


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run) -> Iterator[World]:
    app = EmulatorApp(synthetic_shop(3), rate_limit=None)
    with running(app) as url:
        root = tmp_path / "mirror"
        with ShopClient(url, language="nl") as client:
            init_repo(root, url, [], client)
        monkeypatch.chdir(root)
        assert run("sync").code == 0
        folder = sorted((root / layout.PRODUCTS_DIR).iterdir())[0]
        yield World(app, root, folder / layout.PRODUCT_FILE)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def refused(outcome: Outcome, where: str, what: str) -> None:
    assert outcome.code == 1, outcome
    assert "Traceback" not in outcome.text, outcome.text
    assert where in outcome.text, outcome.text
    assert what in outcome.text and "aliases are not allowed" in outcome.text, outcome.text
    assert "write the value out in full" in outcome.text


def append(world: World, text: str) -> int:
    """Append ``text`` to the product file and commit it; the 1-based line it starts on."""
    before = world.file.read_text(encoding="utf-8")
    world.file.write_text(before + text, encoding="utf-8")
    git(world.root, "commit", "-qam", "Edit (merged pull request)")
    return before.count("\n") + 1


def test_an_alias_bomb_is_refused_by_check_and_push_with_file_and_line(world: World, run: Run) -> None:
    text = world.file.read_text(encoding="utf-8")
    assert "\ndata01: " in text
    bombed = BOMB + text.replace("\ndata01: ", "\ndata01: *a9\nxx: ", 1)  # data01 (a text): 9**9 strings
    world.file.write_text(bombed, encoding="utf-8")
    git(world.root, "commit", "-qam", "Edit (merged pull request)")
    line = 1
    shop_before = world.app.shop.products[min(world.app.shop.products)].texts
    refused(run("check"), f"{world.relative}:{line}:", "an anchor (&a0)")
    refused(run("push", "--yes"), f"{world.relative}:{line}:", "an anchor (&a0)")
    assert world.app.shop.products[min(world.app.shop.products)].texts == shop_before


def test_a_single_alias_is_refused_at_its_line(world: World, run: Run) -> None:
    text = world.file.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("  ean:"))  # the first variant's EAN
    lines[at] = "  ean: *code\n"
    world.file.write_text("".join(lines), encoding="utf-8")
    git(world.root, "commit", "-qam", "Edit")
    refused(run("check"), f"{world.relative}:{at + 1}:", "an alias (*code)")
    refused(run("push", "--yes"), f"{world.relative}:{at + 1}:", "an alias (*code)")


def test_an_anchor_alone_is_refused_too(world: World, run: Run) -> None:
    text = world.file.read_text(encoding="utf-8")
    text = text.replace("\nvisibility: ", "\nnote: 'R&D *x &y'\nvisibility: ", 1)  # text, not an anchor
    world.file.write_text(text.replace("\nvisibility: ", "\nvisibility: &v ", 1), encoding="utf-8")
    git(world.root, "commit", "-qam", "Edit")
    line = text[: text.index("\nvisibility: ")].count("\n") + 2
    refused(run("check"), f"{world.relative}:{line}:", "an anchor (&v)")


# -- nesting: ``[[[[…]]]]`` is refused before a parser recurses into it (attack round 2) ----------------
#
# A few hundred kilobytes of nested brackets made libyaml's parser quadratic and crashed its recursive
# composer (signal 11: no message, no exit code ecomgit chose); a thousand levels passed the loader
# and crashed the comment check's pure-Python reader (RecursionError, exit 3).


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_deep_nesting_is_refused_by_check_and_push_with_file_and_line(world: World, run: Run) -> None:
    text = world.file.read_text(encoding="utf-8")
    line = text[: text.index("\ndata01: ")].count("\n") + 2
    world.file.write_text(text.replace("\ndata01: ", f"\ndata01: {deep(1000)} # a comment\nxx: ", 1), encoding="utf-8")
    git(world.root, "commit", "-qam", "Edit (merged pull request)")
    shop_before = world.app.shop.products[min(world.app.shop.products)].texts
    for args in (("check",), ("push", "--yes")):
        outcome = run(*args)
        assert outcome.code == 1 and "Traceback" not in outcome.text, outcome.text
        assert f"{world.relative}:{line}:" in outcome.text and "nested more than 64 levels" in outcome.text
    assert world.app.shop.products[min(world.app.shop.products)].texts == shop_before


@pytest.mark.e2e
def test_a_bracket_bomb_cannot_crash_the_process(world: World) -> None:
    """Run as a real process: the old code died of signal 11 here (which would take pytest with it)."""
    text = world.file.read_text(encoding="utf-8")
    world.file.write_text(text.replace("\ndata01: ", f"\ndata01: {deep(100_000)}\nxx: ", 1), encoding="utf-8")
    git(world.root, "commit", "-qam", "Edit (merged pull request)")
    done = subprocess.run(
        [sys.executable, "-m", "ecomgit", "check"], cwd=world.root, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1, (done.returncode, done.stderr[-500:])
    assert "nested more than 64 levels" in done.stdout + done.stderr


def test_a_deep_config_is_named_as_such_by_diff(world: World, run: Run) -> None:
    config = world.root / layout.CONFIG_FILE
    config.write_text(config.read_text(encoding="utf-8") + f"extra: {deep(1000)}\n", encoding="utf-8")
    git(world.root, "commit", "-qam", "Tune the mirror")
    outcome = run("diff", "HEAD~1", "HEAD")
    assert outcome.code == 0 and "cannot be compared key by key (it nests values too deeply)" in outcome.out
    outcome = run("sync")
    assert outcome.code == 1 and "config.yaml:" in outcome.err and "nested more than 64 levels" in outcome.err


def test_log_reads_past_a_refused_file_that_was_reverted(world: World, run: Run) -> None:
    """Issue 23 item 15: before, 'ecomgit log' failed for ever once history held the bomb."""
    good = world.file.read_text(encoding="utf-8")
    world.file.write_text(good + BOMB, encoding="utf-8")
    git(world.root, "commit", "-qam", "A bad merge")
    world.file.write_text(good.replace("data01: ''", "data01: 'fixed'"), encoding="utf-8")
    git(world.root, "commit", "-qam", "Revert the bad merge, and a real edit")
    pid = world.relative.split("/")[1].split("-")[0]
    outcome = run("log", pid)
    assert outcome.code == 0, outcome.text
    assert outcome.out.count("(not compared: a file there cannot be read:") == 2  # the bomb, and its revert
    assert "anchors" in outcome.out or "alias" in outcome.out
    assert "A bad merge" in outcome.out and "Sync:" in outcome.out  # the log goes on past it
