"""The write commands through the CLI: plan, confirmation, exit codes, JSON; over a real socket."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ecomgit import gitrepo, records
from ecomgit.cli.main import cli
from ecomgit.emulator import EmulatorApp, retail, running
from ecomgit.errors import EcomgitError
from ecomgit.mirror import files, layout
from ecomgit.shop import Repo, open_repo
from tests.write.conftest import KUSTWEG, edit, folder_of


@pytest.fixture
def mirror(synced: Repo, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A synced mirror of the emulator on a loopback socket; the working directory is the mirror.

    (A copy of the session's synced mirror, pointed at this test's socket in a commit of its own,
    as a merchant moving a mirror to another address would: the shop it serves is the same.)
    """
    with running(app) as url:
        config = synced.root / layout.CONFIG_FILE
        lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
        config.write_text("".join(f"api_url: {url}\n" if line.startswith("api_url:") else line for line in lines))
        gitrepo.stage(synced.root, [layout.CONFIG_FILE])
        moved = gitrepo.commit(synced.root, f"Mirror the shop at {url}")
        monkeypatch.chdir(synced.root)
        assert invoke("sync", "-q").exit_code == 0  # over the socket: the shop is the mirror's,
        assert gitrepo.head(synced.root) == moved  # so the sync finds nothing to commit
        yield synced.root


def invoke(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def fails(*args: str) -> str:
    """The message of the expected failure (exit 1 once ``main`` maps it) a command raises."""
    result = CliRunner().invoke(cli, list(args))
    assert isinstance(result.exception, EcomgitError), result.output
    assert result.exception.exit_code == 1
    return str(result.exception)


def test_push_dry_run_then_yes(mirror: Path, app: EmulatorApp) -> None:
    repo = open_repo(mirror)
    edit(repo, KUSTWEG, lambda p: p["description"].__setitem__("en", "Reviewed copy."))
    status = json.loads(invoke("status", "--json").output)
    assert [p["id"] for p in status["pending"]] == [KUSTWEG]

    dry = invoke("push", "--dry-run")
    assert dry.exit_code == 0
    assert "description [en] (rewritten):" in dry.output and "      new: Reviewed copy.\n" in dry.output
    assert "nothing was written" in dry.output
    assert app.shop.products[KUSTWEG].texts["en"]["description"] != "Reviewed copy."

    done = invoke("push", "--yes")
    assert done.exit_code == 0, done.output
    assert "Pushed 1 product(s)" in done.output
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "Reviewed copy."
    assert "Nothing to push." in invoke("status").output


def test_push_without_a_terminal_and_without_yes_refuses(mirror: Path, app: EmulatorApp) -> None:
    edit(open_repo(mirror), KUSTWEG, lambda p: p["description"].__setitem__("en", "Unconfirmed."))
    assert "run it again with --yes" in fails("push")  # CliRunner's stdin is not a terminal
    assert app.shop.products[KUSTWEG].texts["en"]["description"] != "Unconfirmed."


def test_push_conflict_exits_1_and_json_reports_it(mirror: Path, app: EmulatorApp) -> None:
    edit(open_repo(mirror), KUSTWEG, lambda p: p["description"].__setitem__("en", "Ours."))
    app.shop.products[KUSTWEG].texts["en"]["description"] = "Theirs."
    app.shop.touch_product(app.shop.products[KUSTWEG])
    result = invoke("push", "--yes", "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    [product] = report["products"]
    assert product["refused"] and product["conflicts"][0].startswith(
        "description [en]: the shop's: 'Theirs.'; yours: 'Ours.' (was 'Comfortable"
    )


def test_push_theirs_says_what_it_dropped_and_where_it_stays(mirror: Path, app: EmulatorApp) -> None:
    """Issue 23 item 23: before, '= … the shop already has these edits', although ours was dropped."""
    repo = open_repo(mirror)
    edit(repo, KUSTWEG, lambda p: p["description"].__setitem__("en", "Ours."))
    edited = gitrepo.head(repo.root) or ""
    app.shop.products[KUSTWEG].texts["en"]["description"] = "Theirs."
    app.shop.touch_product(app.shop.products[KUSTWEG])
    result = invoke("push", "--yes", "--theirs")
    assert result.exit_code == 0, result.output
    assert "already has these edits" not in result.output
    assert (
        "(left alone) description [en]: --theirs: the shop's 'Theirs.' kept, yours 'Ours.' not sent; it stays "
        f"in history at commit {edited[:10]}"
    ) in result.output
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "Theirs."
    assert "Ours." in gitrepo.run(repo.root, "show", f"{edited}:{_file(repo)}")


def _file(repo: Any) -> str:
    return f"products/{folder_of(repo, KUSTWEG).name}/product.yaml"


def test_lost_and_restore_onto_the_successor(mirror: Path, app: EmulatorApp) -> None:
    matrix = retail.add_to_matrix(app.shop, [KUSTWEG], title="Kustweg")
    assert invoke("sync", "-q").exit_code == 0
    lost = json.loads(invoke("lost", "--json").output)
    assert [(item["id"], item["command"]) for item in lost] == [(KUSTWEG, f"ecomgit restore {KUSTWEG} --onto {matrix}")]
    text = invoke("lost").output
    assert f"successor? {matrix} Kustweg" in text

    dry = invoke("restore", str(KUSTWEG), "--onto", str(matrix), "--dry-run")
    assert dry.exit_code == 0 and "description [nl]" in dry.output
    assert app.shop.products[matrix].texts["nl"]["description"] == ""

    done = invoke("restore", str(KUSTWEG), "--onto", str(matrix), "--yes")
    assert done.exit_code == 0, done.output
    assert app.shop.products[matrix].texts["nl"]["description"].startswith("Comfortabele")
    restored = files.read_product(folder_of(open_repo(mirror), matrix) / layout.PRODUCT_FILE)
    assert restored["description"]["en"].startswith("Comfortable")
    assert invoke("lost", "--json").output.strip() == "[]"
    assert gitrepo.trailers(mirror, "HEAD", gitrepo.RESTORED_TRAILER) == [f"{KUSTWEG} -> {matrix}"]


def test_restore_errors_exit_1(mirror: Path) -> None:
    assert "--rev REV or --at DATE" in fails("restore", str(KUSTWEG))  # still in the shop
    assert "no product has the id" in fails("restore", "nope-nothing")
    assert "'no-such-rev' is not a commit" in fails("restore", str(KUSTWEG), "--rev", "no-such-rev")


def test_push_from_an_unmerged_branch_needs_from_branch(mirror: Path, app: EmulatorApp) -> None:
    """Issue 15 item 6: a copywriter's branch nobody reviewed or merged does not reach the shop."""
    repo = open_repo(mirror)
    gitrepo.run(repo.root, "checkout", "--quiet", "-b", "copy-edits")
    edit(repo, KUSTWEG, lambda p: p["description"].__setitem__("en", "Unreviewed."))
    before = app.shop.products[KUSTWEG].texts["en"]["description"]
    assert "Unreviewed." in invoke("push", "--dry-run").output  # a preview is harmless
    refused = fails("push", "--yes")
    assert "this is branch 'copy-edits', not the mirror's default branch 'main'" in refused
    assert "--from-branch" in refused and app.shop.products[KUSTWEG].texts["en"]["description"] == before
    gitrepo.run(repo.root, "checkout", "--quiet", "--detach")
    assert "this is a detached HEAD" in fails("push", "--yes")
    gitrepo.run(repo.root, "checkout", "--quiet", "copy-edits")
    done = invoke("push", "--yes", "--from-branch")
    assert done.exit_code == 0 and app.shop.products[KUSTWEG].texts["en"]["description"] == "Unreviewed."


def test_a_removed_folder_is_no_dead_end(mirror: Path, app: EmulatorApp) -> None:
    """Issue 15 item 4 (issue 23 item 18): status and push say what to do, push --delete deletes it
    in the shop, sync keeps recording the shop's changes meanwhile, lost never lists it."""
    repo = open_repo(mirror)
    folder = folder_of(repo, KUSTWEG).name
    synced_at = records.newest(repo.root, "sync") or ""
    gitrepo.run(repo.root, "rm", "-r", "--quiet", f"products/{folder}")
    gitrepo.commit(repo.root, "Remove the Kustweg")
    hint = (
        f"{KUSTWEG} was removed from the mirror but is still in the shop: 'ecomgit push --delete {KUSTWEG}' deletes "
        f"it in the shop, 'git checkout {synced_at[:10]} -- products/{folder}' brings the folder back"
    )
    assert hint in invoke("status").output  # before: "(folder removed)", cleared only by git revert
    pushed = invoke("push", "--yes")
    assert pushed.exit_code == 0 and hint.split(": ", 1)[1] in pushed.output and KUSTWEG in app.shop.products
    assert str(KUSTWEG) not in invoke("lost").output  # the shop still has it: not lost
    # while the shop leaves it alone it stays removed; a change there is recorded (before: never)
    assert invoke("sync", "-q").exit_code == 0 and not (repo.root / "products" / folder).exists()
    product = app.shop.products[KUSTWEG]
    product.texts["en"]["description"] = "Changed in the back office meanwhile."
    app.shop.touch_product(product)
    assert invoke("sync", "-q").exit_code == 0
    assert "Changed in the back office meanwhile." in (repo.root / "products" / folder / "product.yaml").read_text()
    # removed again, then deleted in the shop on purpose
    gitrepo.run(repo.root, "rm", "-r", "--quiet", f"products/{folder}")
    gitrepo.commit(repo.root, "Remove the Kustweg, for good")
    assert (
        f"delete it in the shop, with its {len(product.variants)} variant(s)"
        in invoke("push", "--delete", str(KUSTWEG), "--dry-run").output
    )
    assert KUSTWEG in app.shop.products
    done = invoke("push", "--delete", str(KUSTWEG), "--yes")
    assert done.exit_code == 0, done.output
    assert KUSTWEG not in app.shop.products and "Deleted 1 product(s) in the shop" in done.output
    assert "Nothing to push." in invoke("status").output
    assert str(KUSTWEG) not in invoke("lost").output
    head = gitrepo.head(repo.root)
    assert invoke("sync", "-q").exit_code == 0 and gitrepo.head(repo.root) == head  # mirror and shop agree


def test_push_delete_refuses_a_product_whose_folder_is_still_there(mirror: Path, app: EmulatorApp) -> None:
    refused = fails("push", "--delete", str(KUSTWEG), "--yes")
    assert "still has its folder in the mirror; remove the folder in a commit" in refused
    assert KUSTWEG in app.shop.products


@pytest.mark.parametrize("retail", [True])
def test_a_new_product_folder_is_named_by_check_status_and_push_alike(
    mirror: Path, app: EmulatorApp, retail: bool
) -> None:
    """Issue 15 item 5 / issue 23 item 18: a hand-made folder with 'id: null' was ignored without a
    word ('Nothing to push'). On a Retail-linked shop push does not create it: all three say why and
    what to do. (Elsewhere push creates it: tests/write/test_push_new_products.py.)"""
    import shutil

    repo = open_repo(mirror)
    source = folder_of(repo, KUSTWEG)
    new = repo.root / "products" / "new-bike"
    shutil.copytree(source, new)
    text = (new / "product.yaml").read_text(encoding="utf-8").replace(f"id: {KUSTWEG}", "id: null", 1)
    (new / "product.yaml").write_text(text, encoding="utf-8")
    if retail:
        shop = repo.root / "shop" / "shop.yaml"
        shop.write_text(shop.read_text(encoding="utf-8").replace("isRetail: false", "isRetail: true"))
    gitrepo.stage(repo.root, ["products", "shop"])
    gitrepo.commit(repo.root, "A new bike")
    words = "create the item in Retail and publish it to eCom" if retail else "push does not create products yet"
    checked = invoke("check")
    assert (
        checked.exit_code == 1
        and "products/new-bike/product.yaml:1: id: a new product (no product id)" in checked.output
    )
    assert words in checked.output
    shown = invoke("status").output
    assert "products/new-bike/: a new product (no product id): " in shown and words in shown
    assert "Nothing to push." not in shown
    before = len(app.shop.products)
    refused = fails("push", "--yes")
    assert "product folder(s) without a product id; nothing was written" in refused and words in refused
    assert len(app.shop.products) == before


def test_restore_fields_and_at_are_checked_before_anything_is_read(mirror: Path) -> None:
    """Issue 13 item 2 (in part): an unknown --fields name or an --at that is no date is a usage
    error (exit 2) that says what is valid; before, 'descripton' restored nothing without a word."""
    wrong = invoke("restore", str(KUSTWEG), "--rev", "HEAD", "--fields", "descripton,oldPriceExcl", "--dry-run")
    assert wrong.exit_code == 2 and "unknown field 'descripton' (did you mean 'description'?)" in wrong.output
    assert "variants.oldPriceExcl" in wrong.output  # the valid names are listed
    vague = invoke("restore", str(KUSTWEG), "--at", "last tuesday", "--dry-run")
    assert vague.exit_code == 2 and "'last tuesday' is not a date or date-time; write 2026-11-01" in vague.output
    fine = invoke("restore", str(KUSTWEG), "--at", "2099-01-01 12:00", "--fields", "description", "--dry-run")
    assert fine.exit_code == 0, fine.output


def test_a_new_product_is_shown_as_a_create_and_never_made_without_a_yes(mirror: Path, app: EmulatorApp) -> None:
    """A create is a write: the plan names it with what it makes, and it needs --yes or a person's
    yes like any other (before the fix, a push holding only creates asked nobody)."""
    from tests.write.test_push_new_products import TITLE, new_folder, titled

    new_folder(open_repo(mirror))
    planned = invoke("push", "--dry-run")
    assert planned.exit_code == 0
    assert f"+ products/new-bike {TITLE}: create it in the shop (3 variant(s) (GRAVEL-0-sku" in planned.output
    assert "2 image(s))" in planned.output
    assert "no terminal to confirm on" in fails("push")
    assert titled(app, TITLE) == []
    done = invoke("push", "--yes")
    assert done.exit_code == 0 and "Pushed 1 product(s)" in done.output
    assert len(titled(app, TITLE)) == 1 and not (mirror / "products" / "new-bike").exists()


def test_sync_quick_says_what_it_asked(mirror: Path, app: EmulatorApp) -> None:
    product = app.shop.products[KUSTWEG]
    product.texts["nl"]["description"] = "Nieuw, in de backoffice."
    app.shop.touch_product(product)
    done = json.loads(invoke("sync", "--quick", "--json").output)
    assert done["quick"] is True and done["changed"] == 1
    text = invoke("sync", "--quick").output
    assert "\nQuick sync: the products and variants changed since " in text and "Nothing changed" in text
