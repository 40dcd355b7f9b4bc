"""Config changes are reviewed (issue 12, item 12): ``ecomgit diff`` and ``diff --markdown`` say what a
pull request changes in ``.ecomgit/`` and in ``.gitattributes``, in words, escaped."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ecomgit import gitrepo
from ecomgit.mirror import layout
from ecomgit.shop import Repo
from tests.mainrun import Outcome, Run, run_main


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    def call(*args: str) -> Outcome:
        return run_main(capsys, monkeypatch, *args)

    return call


def commit_edit(root: Path, path: str, change: str | None, message: str = "Settings\n") -> None:
    """Append ``change`` to ``path`` (None: delete it) and commit, as a pull request would."""
    file = root / path
    if change is None:
        file.unlink()
    else:
        file.write_text((file.read_text(encoding="utf-8") if file.exists() else "") + change, encoding="utf-8")
    gitrepo.run(root, "add", "-A", path)
    gitrepo.commit(root, message)


def edit_config(root: Path, old: str, new: str) -> None:
    path = root / layout.CONFIG_FILE
    text = path.read_text(encoding="utf-8")
    assert old in text, text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_config_change_is_shown_in_words(synced: Repo, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    root = synced.root
    edit_config(root, "api_url: http://localhost", "api_url: https://api.webshopapp.com.evil.test")
    edit_config(root, "- en\n", "- de\n")
    edit_config(root, "include: []", "include: [priceCost]")
    edit_config(root, "metafieldsMaxAge: 24\n", "metafieldsMaxAge: 2\n")
    commit_edit(root, str(layout.CONFIG_FILE), "watch: true\n")
    monkeypatch.chdir(root)
    out = run("diff")
    assert out.code == 0, out.text
    lines = [line.strip() for line in out.out.splitlines()]
    config = ".ecomgit/config.yaml"
    assert f"{config}: api_url: http://localhost → https://api.webshopapp.com.evil.test" in lines
    assert f"{config}: languages: + de, − en" in lines
    assert f"{config}: fields.include: + priceCost" in lines
    assert f"{config}: deep.metafieldsMaxAge: 24 → 2" in lines
    assert f"{config}: watch: (not set) → true" in lines
    assert "No product changed" in out.out
    data = json.loads(run("diff", "--json").out)
    assert {"file": config, "text": "fields.include: + priceCost"} in data["settings"]


def test_the_order_of_languages_is_a_change_too(synced: Repo, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    edit_config(synced.root, "- nl\n- en\n", "- en\n- nl\n")
    commit_edit(synced.root, str(layout.CONFIG_FILE), "")
    monkeypatch.chdir(synced.root)
    assert ".ecomgit/config.yaml: languages: order nl, en → en, nl" in run("diff").out  # the default language


def test_gitattributes_and_other_settings_files_line_by_line(
    synced: Repo, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = synced.root
    attributes = (root / ".gitattributes").read_text(encoding="utf-8").splitlines()
    commit_edit(root, ".gitattributes", "products/** filter=steal\n")
    commit_edit(root, "products/.gitattributes", "* -diff\n")
    commit_edit(root, ".ecomgit/hooks.sh", "curl evil.test\n")
    monkeypatch.chdir(root)
    out = run("diff", "HEAD~3", "HEAD").out
    assert ".gitattributes: + products/** filter=steal" in out
    assert "products/.gitattributes: the file was added" in out and "products/.gitattributes: + * -diff" in out
    assert ".ecomgit/hooks.sh: + curl evil.test" in out
    commit_edit(root, ".gitattributes", None)
    assert f".gitattributes: − {attributes[-1]}" in run("diff").out


def test_the_markdown_summary_shows_settings_first_and_escaped(
    synced: Repo, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = synced.root
    hostile = "https://evil.test/<img src=x onerror=alert(1)>[click](https://phish.test)|@acme/owners"
    edit_config(root, "api_url: http://localhost", f"api_url: '{hostile}'")
    commit_edit(root, str(layout.CONFIG_FILE), "")
    commit_edit(root, ".gitattributes", "* filter=x <script>|`@here`\n")
    monkeypatch.chdir(root)
    out = run("diff", "HEAD~2", "HEAD", "--markdown").out
    assert "settings changed" in out and "api\\_url: http://localhost → https://evil.test/" in out
    assert "No product changed." in out
    table = [line for line in out.splitlines() if line.startswith("| .")]
    assert len(table) == 2
    for line in table:
        cells = re.split(r"(?<!\\)\|", line)
        assert len(cells) == 4, line  # no cell broken out of its table
        assert "<" not in line and "@" not in line and "[click](" not in line


def test_a_config_with_aliases_is_shown_by_lines_and_never_expanded(
    synced: Repo, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
        for i in range(9)
    )
    commit_edit(synced.root, str(layout.CONFIG_FILE), bomb)
    monkeypatch.chdir(synced.root)
    out = run("diff")
    assert out.code == 0
    assert ".ecomgit/config.yaml: cannot be compared key by key (it uses YAML aliases)" in out.out
    assert ".ecomgit/config.yaml: + j: &j [*i,*i,*i,*i,*i,*i,*i,*i,*i]" in out.out


# -- a comment GitHub would refuse (attack round 2) ---------------------------------------------------------
#
# GitHub refuses a comment over 65 536 characters; the review workflow's PATCH then fails and the pull
# request keeps its older comment, written before the harmful commit. The settings table was not cut
# at all, and one long title or value filled a table row on its own.

GITHUB_MOST = 65_536


def test_a_huge_setting_cannot_push_the_comment_past_githubs_limit(
    synced: Repo, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = synced.root
    edit_config(root, "api_url: http://localhost", "api_url: https://api.webshopapp.com.evil.test")
    commit_edit(root, str(layout.CONFIG_FILE), "note: '" + "A" * 200_000 + "'\n")
    monkeypatch.chdir(root)
    out = run("diff", "HEAD~1", "HEAD", "--markdown")
    assert out.code == 0, out.text
    assert len(out.out) < GITHUB_MOST, len(out.out)
    assert "api\\_url: http://localhost → https://api.webshopapp.com.evil.test" in out.out
    assert re.search(r"A… \(1995\d\d more characters\) \|", out.out)


def test_many_setting_lines_are_cut_with_a_pointer_to_the_rest(
    synced: Repo, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    commit_edit(synced.root, ".ecomgit/notes.txt", "".join(f"line {n} {'x' * 80}\n" for n in range(5000)))
    monkeypatch.chdir(synced.root)
    out = run("diff", "HEAD~1", "HEAD", "--markdown")
    assert out.code == 0 and len(out.out) < GITHUB_MOST, len(out.out)
    assert re.search(r"and \d+ more change\(s\) to the settings not shown here", out.out)


def test_a_huge_product_title_cannot_either(synced: Repo, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    root = synced.root
    path = sorted((root / layout.PRODUCTS_DIR).glob("*/product.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    start = text.index("title:\n  nl: ") + len("title:\n  nl: ")
    end = text.index("\n", start)
    path.write_text(text[:start] + "'" + "T" * 100_000 + "'" + text[end:], encoding="utf-8")
    gitrepo.run(root, "add", "-A")
    gitrepo.commit(root, "Retitle\n")
    monkeypatch.chdir(root)
    out = run("diff", "HEAD~1", "HEAD", "--markdown")
    assert out.code == 0 and len(out.out) < GITHUB_MOST, len(out.out)
