"""A mistyped field is named with its place, never given a value to add (issue 23, item 24).

The hint used to say ``add "oldPriceExcl: 0"``: followed, it would have zeroed the old price."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from click.testing import CliRunner

from ecomgit.cli.main import cli
from ecomgit.mirror import layout
from ecomgit.shop import Repo
from tests.write.conftest import folder_of

SLUIS = 72418452  # two variants, each with an oldPriceExcl


def check(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[dict[str, Any]]]:
    monkeypatch.chdir(repo.root)
    result = CliRunner().invoke(cli, ["check", "--json"], catch_exceptions=False)
    return result.exit_code, json.loads(result.output)["problems"]


def test_a_mistyped_old_price_names_the_key_and_its_line(synced: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    path = folder_of(synced, SLUIS) / layout.PRODUCT_FILE
    text = path.read_text(encoding="utf-8").replace("  oldPriceExcl:", "  oldPriceExlc:", 1)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index(next(t for t in text.splitlines() if t.startswith("  oldPriceExlc:"))) + 1

    code, problems = check(synced, monkeypatch)

    assert code == 1
    assert [(p["file"], p["line"], p["field"]) for p in problems] == [
        (f"{path.parent.relative_to(synced.root).as_posix()}/product.yaml", line, "variants[0].oldPriceExlc")
    ]
    assert "rename this key to 'oldPriceExcl' and keep its value" in problems[0]["message"]


def test_a_missing_key_is_never_given_a_value(synced: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    path = folder_of(synced, SLUIS) / layout.PRODUCT_FILE
    text = re.sub(r"\n  oldPriceExcl: [^\n]*", "", path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")

    code, problems = check(synced, monkeypatch)

    assert code == 1
    assert {p["field"] for p in problems} == {"variants[0].oldPriceExcl", "variants[1].oldPriceExcl"}
    for problem in problems:
        assert "add the key 'oldPriceExcl' here with its value" in problem["message"]
        assert not re.search(r"oldPriceExcl: ", problem["message"])  # no value to copy in
