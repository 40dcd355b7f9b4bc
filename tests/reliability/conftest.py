"""Fixtures for the reliability tests: a shared emulator of the sample shop and a clean reference."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.trees import pack

from .harness import Cli, Emulator, Reference, copy_repo, emulator, history, isolated_env, message, mirror_tree

SAMPLE = Path(__file__).resolve().parents[2] / "sample-catalog"


@pytest.fixture(scope="session")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    return Cli(isolated_env(tmp_path_factory.mktemp("reliability-home")))


@pytest.fixture(scope="module")
def shop(cli: Cli, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """The sample shop without faults or rate limits, shared by the tests that only read it."""
    with emulator(cli.env, tmp_path_factory.mktemp("shop") / "emulator.log", "--rate-limit", "off") as server:
        yield server


@pytest.fixture(scope="module")
def template(cli: Cli, shop: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ``ecomgit init`` of ``shop``, copied by ``fresh_repo`` (an init is a process start)."""
    return cli.init(shop.url, tmp_path_factory.mktemp("template") / "shop")


@pytest.fixture
def fresh_repo(template: Path, tmp_path: Path) -> Path:
    """A new mirror of ``shop``: initialised, never synced."""
    return copy_repo(template, tmp_path / "shop")


@pytest.fixture(scope="module")
def reference(cli: Cli, template: Path, tmp_path_factory: pytest.TempPathFactory) -> Reference:
    repo = copy_repo(template, tmp_path_factory.mktemp("reference") / "shop")
    started = time.monotonic()
    result = cli.run(["sync", "--json"], repo)
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    tree = mirror_tree(repo)
    assert tree == mirror_tree(SAMPLE)  # the emulator serves sample-catalog/; a clean sync gives it back
    newest = history(cli, repo)[0]
    requests = json.loads(result.stdout)["requests"]
    return Reference(tree, requests, seconds, newest.subject, message(cli, repo), pack(repo))
