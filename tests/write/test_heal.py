"""Lost content proposed back (issue 17 item 3): ``ecomgit lost --propose`` makes one proposal branch
per successor that now holds a lost product's codes; nothing is sent to the shop, a product is
proposed once, and merging the proposal and pushing brings the content back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp, retail
from ecomgit.errors import EcomgitError
from ecomgit.heal import propose_lost
from ecomgit.mirror import layout
from ecomgit.shop import Repo, open_repo
from ecomgit.sync.run import run_sync
from tests.write.conftest import KUSTWEG
from tests.write.test_cli import invoke, mirror  # noqa: F401 - the CLI fixture


def published_again(app: EmulatorApp, pid: int) -> int:
    """Retail: Delete from eCom, then publish the item again (a new eCom product, the same codes)."""
    app.shop.info.is_retail = True
    skus = [v.sku for v in app.shop.products[pid].variants]
    retail.delete_from_ecom(app.shop, pid)
    return retail.publish(app.shop, skus)


def test_a_lost_product_is_proposed_back_onto_its_successor_once(mirror: Path, app: EmulatorApp) -> None:  # noqa: F811
    description = app.shop.products[KUSTWEG].texts["nl"]["description"]
    assert invoke("sync", "-q").exit_code == 0  # the shop is now Retail-linked: the mirror knows
    successor = published_again(app, KUSTWEG)
    assert invoke("sync", "-q").exit_code == 0
    head, shop = gitrepo.head(mirror), {pid: p.texts["nl"]["description"] for pid, p in app.shop.products.items()}

    made = json.loads(invoke("lost", "--propose", "--json").output)
    [proposed] = made["proposed"]
    assert proposed["successor"] == successor and proposed["lost"] == [KUSTWEG]
    assert proposed["branch"] == f"ecomgit/restore-{KUSTWEG}"
    assert gitrepo.head(mirror) == head and gitrepo.dirty_paths(mirror, ["."]) == []  # a branch, nothing else
    assert {pid: p.texts["nl"]["description"] for pid, p in app.shop.products.items()} == shop  # nothing sent
    body = gitrepo.run(mirror, "log", "-1", "--format=%B", proposed["branch"])
    assert f"Ecomgit-Restored: {KUSTWEG} -> {successor}" in body

    again = json.loads(invoke("lost", "--propose", "--json").output)
    assert again["proposed"] == [] and any("proposed already" in why for why in again["skipped"])

    gitrepo.run(mirror, "merge", "--quiet", "--no-edit", proposed["branch"])  # the pull request, merged
    assert invoke("push", "--yes").exit_code == 0
    assert app.shop.products[successor].texts["nl"]["description"] == description
    gitrepo.run(mirror, "branch", "-D", proposed["branch"])
    after = json.loads(invoke("lost", "--propose", "--json").output)
    assert after == {"proposed": [], "skipped": []}  # restored: nothing left to propose


def test_a_branch_on_the_remote_counts_as_proposed(mirror: Path, app: EmulatorApp, tmp_path: Path) -> None:  # noqa: F811
    """In CI every run is a fresh clone: the proposal pushed by an earlier run is a remote branch."""
    assert invoke("sync", "-q").exit_code == 0
    published_again(app, KUSTWEG)
    assert invoke("sync", "-q").exit_code == 0
    origin = tmp_path / "origin.git"
    gitrepo.run(tmp_path, "init", "--quiet", "--bare", str(origin))
    gitrepo.run(mirror, "remote", "add", "origin", str(origin))
    invoke("lost", "--propose")
    gitrepo.run(mirror, "push", "--quiet", "origin", f"ecomgit/restore-{KUSTWEG}")
    gitrepo.run(mirror, "fetch", "--quiet", "origin")
    gitrepo.run(mirror, "branch", "-D", f"ecomgit/restore-{KUSTWEG}")
    text = invoke("lost", "--propose").output
    assert f"Not proposed: {KUSTWEG} " in text and "proposed already" in text


def test_nothing_to_propose_says_so(mirror: Path) -> None:  # noqa: F811
    assert invoke("lost", "--propose").output.strip() == (
        "Nothing to propose: no lost product's codes live in another product."
    )


def test_heal_auto_restores_onto_the_successor_in_the_sync_that_finds_it(
    synced: Repo, app: EmulatorApp, client: ShopClient
) -> None:
    """With ``heal: auto`` the sync that records the deletion restores the content onto the product
    that now holds its codes, with restore's plan and guards: no proposal is left to review."""
    config = synced.root / layout.CONFIG_FILE
    config.write_text(config.read_text(encoding="utf-8").replace("heal: review", "heal: auto"), encoding="utf-8")
    gitrepo.stage(synced.root, [layout.CONFIG_FILE.as_posix()])
    gitrepo.commit(synced.root, "Heal lost content without review")
    repo = open_repo(synced.root)
    assert repo.config.heal == "auto"
    description = app.shop.products[KUSTWEG].texts["nl"]["description"]
    app.shop.info.is_retail = True
    run_sync(repo, client)
    successor = published_again(app, KUSTWEG)
    summary = run_sync(repo, client)
    assert summary.healed == [f"restored {KUSTWEG} onto {successor} (heal: auto)"]
    assert app.shop.products[successor].texts["nl"]["description"] == description
    assert f"Ecomgit-Restored: {KUSTWEG} -> {successor}" in gitrepo.run(synced.root, "log", "-1", "--format=%B")
    assert propose_lost(synced.root, repo.config).proposed == []


def test_a_bad_heal_setting_is_refused_with_the_file_named(synced: Repo) -> None:
    config = synced.root / layout.CONFIG_FILE
    config.write_text(config.read_text(encoding="utf-8").replace("heal: review", "heal: sometimes"), encoding="utf-8")
    with pytest.raises(EcomgitError, match=r"config\.yaml.*'heal' must be review"):
        open_repo(synced.root)
