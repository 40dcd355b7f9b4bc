"""``ecomgit undo``: a commit's change taken back in the shop, field by field, whatever made it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ecomgit import gitrepo, records
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp, retail, running, synthetic_shop
from ecomgit.errors import EcomgitError
from ecomgit.init import init_repo
from ecomgit.lost import find_lost
from ecomgit.mirror import layout, yamlio
from ecomgit.revisions import folder_at, version_at
from ecomgit.shop import Repo, open_repo, writer
from ecomgit.sync.run import run_sync
from ecomgit.undo import run, show
from ecomgit.undo.plan import UNDO_TRAILER, UndoPlan, plan_undo, read_commits, sync_commits
from tests.conftest import EMULATOR_URL, client_for
from tests.write.conftest import KUSTWEG, edit, folder_of, push, quiet
from tests.write.test_cli import invoke


def _plan(repo: Repo, rev: str, *products: int, **options: Any) -> UndoPlan:
    return plan_undo(
        repo.root, repo.config, read_commits(repo.root, [gitrepo.resolve(repo.root, rev)]), products, **options
    )


def _undo(repo: Repo, client: ShopClient, plan: UndoPlan, **options: Any) -> run.UndoResult:
    with writer(repo, "undo") as state:
        return run.apply_undo(repo, client, state, plan, progress=quiet, **options)


def _description(client: ShopClient, pid: int, lang: str = "nl") -> str:
    return str(client.get_one(f"products/{pid}", "product", {"fields": "description"}, lang=lang)["description"])


def _title(client: ShopClient, pid: int, lang: str = "nl") -> str:
    return str(client.get_one(f"products/{pid}", "product", {"fields": "title"}, lang=lang)["title"])


def _shop_texts(client: ShopClient, pid: int) -> list[dict[str, Any]]:
    fields = {"fields": "title,fulltitle,description,content,url"}
    return [client.get_one(f"products/{pid}", "product", fields, lang=lang) for lang in ("nl", "en")]


def test_a_back_office_change_to_30_products_is_undone_except_where_edited_again(tmp_path: Path) -> None:
    app = EmulatorApp(synthetic_shop(36), rate_limit=None)
    with client_for(app) as client:
        init_repo(tmp_path / "m", EMULATOR_URL, [], client)
        repo = open_repo(tmp_path / "m")
        run_sync(repo, client)
        pids = sorted(app.shop.products)[:30]
        before = {pid: _description(client, pid) for pid in pids}
        for pid in pids:  # a bulk import rewrites thirty descriptions
            client.put(f"products/{pid}", "product", {"description": f"IMPORTED {pid}"})
        bulk = run_sync(repo, client).commit
        assert bulk is not None
        again = pids[3:6]
        for pid in again:  # a colleague then fixes three of them by hand
            client.put(f"products/{pid}", "product", {"description": f"Fixed by hand {pid}"})
        run_sync(repo, client)

        plan = _plan(repo, bulk)
        assert sorted(p.pid for p in plan.changing) == sorted(set(pids) - set(again))
        left = {item.pid: item.left for item in plan.products if item.left}
        assert sorted(left) == sorted(again)
        for pid in again:
            (only,) = left[pid]
            assert only.unit == ("description", "nl")
            assert "changed again by sync" in only.why and "--force-field description" in only.why
        lines = "\n".join(show.plan_lines(plan, list(repo.config.languages)))
        assert f"{again[0]}" in lines and "changed again by sync" in lines

        result = _undo(repo, client, plan)
        assert result.ok, show.result_lines(result)
        for pid in pids:
            expected = f"Fixed by hand {pid}" if pid in again else before[pid]
            assert _description(client, pid) == expected
        head = gitrepo.run(repo.root, "log", "-1", "--format=%B")
        assert f"{UNDO_TRAILER}: {bulk}" in head
        assert not records.pending(repo.root).folders  # the record holds what the shop holds now
        assert run_sync(repo, client).commit is None  # and a sync finds nothing new


def test_force_field_takes_back_a_field_changed_again(synced: Repo, client: ShopClient) -> None:
    old = _description(client, KUSTWEG)
    client.put(f"products/{KUSTWEG}", "product", {"description": "Import A"})
    rev = run_sync(synced, client).commit
    client.put(f"products/{KUSTWEG}", "product", {"description": "Hand edit B"})
    run_sync(synced, client)
    assert rev is not None
    assert not _plan(synced, rev).changing
    plan = _plan(synced, rev, force=["description"])
    assert [s.forced for s in plan.changing[0].steps] == [True]
    assert _undo(synced, client, plan).ok
    assert _description(client, KUSTWEG) == old


def test_undo_of_an_undo_returns_to_the_first_state(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    pid = KUSTWEG
    variant = sorted(app.shop.products[pid].variants, key=lambda v: v.id)[0]
    client.put(f"products/{pid}", "product", {"description": "Changed by an app"}, lang="en")
    client.put(f"variants/{variant.id}", "variant", {"oldPriceExcl": 9999})
    rev = run_sync(synced, client).commit
    assert rev is not None
    changed = (_shop_texts(client, pid), variant.oldPriceExcl)

    first = _undo(synced, client, _plan(synced, rev))
    assert first.ok and first.push is not None and first.push.commit is not None
    assert _description(client, pid, "en") != "Changed by an app"
    assert variant.oldPriceExcl != 9999

    second = _undo(synced, client, _plan(synced, first.push.commit))
    assert second.ok
    assert (_shop_texts(client, pid), variant.oldPriceExcl) == changed
    trailers = gitrepo.run(synced.root, "log", "-1", "--format=%B")
    assert f"{UNDO_TRAILER}: {first.push.commit}" in trailers


def test_undo_of_a_sync_that_recorded_deletions_restores_them(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    title = _title(client, KUSTWEG)
    retail.delete_from_ecom(app.shop, KUSTWEG)
    rev = run_sync(synced, client).commit
    assert rev is not None and folder_at(synced.root, "HEAD", KUSTWEG) is None
    plan = _plan(synced, rev)
    assert [g.pid for g in plan.deleted] == [KUSTWEG]

    result = _undo(synced, client, plan)
    assert result.ok, show.result_lines(result)
    (restored,) = result.restored
    assert restored.result is not None and restored.result.commit is not None
    new = restored.result.plan.job.target
    assert new is not None and _title(client, new) == title
    assert f"{UNDO_TRAILER}: {rev}" in gitrepo.run(synced.root, "log", "-1", "--format=%B")
    assert not find_lost(synced.root, "nl")


def test_undo_on_a_retail_linked_shop_never_touches_retail_owned_fields(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    app.shop.info.is_retail = True
    run_sync(synced, client)  # shop/shop.yaml now says so
    product = app.shop.products[KUSTWEG]
    variant = sorted(product.variants, key=lambda v: v.id)[0]
    old_description = _description(client, KUSTWEG)
    client.put(f"products/{KUSTWEG}", "product", {"title": "Retail's new title", "description": "An app's text"})
    client.put(f"variants/{variant.id}", "variant", {"priceExcl": 777, "oldPriceExcl": 999})
    rev = run_sync(synced, client).commit
    assert rev is not None

    plan = _plan(synced, rev)
    (item,) = plan.changing
    taken = {step.unit for step in item.steps}
    assert ("description", "nl") in taken and ("variants", variant.id, "oldPriceExcl") in taken
    assert ("title", "nl") not in taken and ("variants", variant.id, "priceExcl") not in taken
    assert all("Lightspeed Retail" in left.why for left in item.left)
    assert {left.unit for left in item.left} >= {("title", "nl"), ("variants", variant.id, "priceExcl")}

    assert _undo(synced, client, plan).ok
    assert _description(client, KUSTWEG) == old_description and variant.oldPriceExcl != 999
    assert _title(client, KUSTWEG) == "Retail's new title" and variant.priceExcl == 777


def test_a_product_with_unpushed_edits_is_left_whole(synced: Repo, client: ShopClient) -> None:
    client.put(f"products/{KUSTWEG}", "product", {"description": "Import"})
    rev = run_sync(synced, client).commit
    assert rev is not None
    edit(synced, KUSTWEG, lambda p: p["content"].__setitem__("nl", "A reviewed edit, not pushed"))
    plan = _plan(synced, rev)
    assert not plan.changing and [g.pid for g in plan.untouched] == [KUSTWEG]
    assert "not pushed" in plan.untouched[0].why


def test_a_window_takes_each_sync_back_newest_first(
    synced: Repo, client: ShopClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = _description(client, KUSTWEG)
    for day, text in ((1, "Step one"), (2, "Step two")):
        monkeypatch.setenv("GIT_COMMITTER_DATE", f"2030-01-0{day}T10:00:00+00:00")
        client.put(f"products/{KUSTWEG}", "product", {"description": text})
        run_sync(synced, client)
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    window = sync_commits(synced.root, "2030-01-01", "2030-01-03")
    assert [(c.kind, c.date[:10]) for c in window] == [("sync", "2030-01-02"), ("sync", "2030-01-01")]
    assert sync_commits(synced.root, "2030-01-02", None) == window[:1]
    plan = plan_undo(synced.root, synced.config, window)
    (item,) = plan.changing
    (step,) = [s for s in item.steps if s.unit == ("description", "nl")]
    assert (step.now, step.back) == ("Step two", old)
    assert _undo(synced, client, plan).ok
    assert _description(client, KUSTWEG) == old


def test_images_a_sync_recorded_come_back(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    product = app.shop.products[KUSTWEG]
    before = version_at(synced.root, "HEAD", KUSTWEG)
    assert before is not None
    client.delete(f"products/{KUSTWEG}/images/{product.images[0].id}")
    rev = run_sync(synced, client).commit
    assert rev is not None
    result = _undo(synced, client, _plan(synced, rev))
    assert result.ok, show.result_lines(result)
    after = version_at(synced.root, "HEAD", KUSTWEG)
    assert after is not None
    assert sorted(after.image_blobs.values()) == sorted(before.image_blobs.values())
    assert len(app.shop.products[KUSTWEG].images) == len(before.product["images"])


def test_propose_makes_a_branch_and_writes_nothing(synced: Repo, client: ShopClient) -> None:
    client.put(f"products/{KUSTWEG}", "product", {"description": "Import"})
    rev = run_sync(synced, client).commit
    assert rev is not None
    head = gitrepo.head(synced.root)
    (made,) = run.propose(synced.root, synced, _plan(synced, rev))
    branch, sha = made.branch, made.commit
    assert branch == f"ecomgit/undo-{rev[:10]}" and gitrepo.head(synced.root) == head
    body = gitrepo.run(synced.root, "log", "-1", "--format=%B", sha)
    assert f"{UNDO_TRAILER}: {rev}" in body
    path = f"{layout.PRODUCTS_DIR}/{folder_of(synced, KUSTWEG).name}/{layout.PRODUCT_FILE}"
    proposed = yamlio.load(gitrepo.run(synced.root, "show", f"{sha}:{path}"), path)
    assert proposed["description"]["nl"] != "Import"
    assert _description(client, KUSTWEG) == "Import"


def test_the_cli_dry_run_then_yes(synced: Repo, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch) -> None:
    with running(app) as url:
        config = synced.root / layout.CONFIG_FILE
        lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
        config.write_text("".join(f"api_url: {url}\n" if line.startswith("api_url:") else line for line in lines))
        gitrepo.stage(synced.root, [layout.CONFIG_FILE])
        gitrepo.commit(synced.root, f"Mirror the shop at {url}")
        monkeypatch.chdir(synced.root)
        with client_for(app) as client:
            client.put(f"products/{KUSTWEG}", "product", {"description": "Import"})
        assert invoke("sync", "-q").exit_code == 0
        rev = gitrepo.head(synced.root)
        assert rev is not None

        log = invoke("log", "--shop")
        assert log.exit_code == 0 and rev[:10] in log.output and "description" in log.output

        dry = invoke("undo", rev[:10], "--dry-run")
        assert dry.exit_code == 0, dry.output
        assert "description [nl]" in dry.output and "Dry run: nothing was written." in dry.output
        assert gitrepo.head(synced.root) == rev

        done = invoke("undo", rev[:10], "--yes", "--json")
        assert done.exit_code == 0, done.output
        answer = json.loads(done.output)
        assert answer["result"]["ok"] and answer["products"][0]["id"] == KUSTWEG
        with client_for(app) as client:
            assert _description(client, KUSTWEG) != "Import"


def test_a_field_the_shop_changed_since_the_last_sync_is_left_as_the_shop_has_it(
    synced: Repo, client: ShopClient
) -> None:
    content = client.get_one(f"products/{KUSTWEG}", "product", {"fields": "content"})["content"]
    client.put(f"products/{KUSTWEG}", "product", {"description": "Import", "content": "<p>Import</p>"})
    rev = run_sync(synced, client).commit
    assert rev is not None
    client.put(f"products/{KUSTWEG}", "product", {"description": "Typed in the back office just now"})
    result = _undo(synced, client, _plan(synced, rev))
    assert result.ok and result.push is not None
    (job,) = result.push.plan.jobs
    assert _description(client, KUSTWEG) == "Typed in the back office just now"  # not overwritten
    assert client.get_one(f"products/{KUSTWEG}", "product", {"fields": "content"})["content"] == content
    said = "\n".join(show.result_lines(result))
    assert "(left alone)" in said and "description [nl]" in said and "Typed in the back office" in said
    assert "stays in history at commit" not in said  # the plan's commit is on no branch


def test_products_a_commit_created_are_listed_and_deleted_only_when_asked(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    made = client.post("products", "product", {"title": "Imported by mistake", "visibility": "visible"})
    kept = client.post("products", "product", {"title": "Imported, then kept", "visibility": "visible"})
    rev = run_sync(synced, client).commit
    assert rev is not None
    client.put(f"products/{kept['id']}", "product", {"description": "Someone wrote copy for it"})
    run_sync(synced, client)
    plan = _plan(synced, rev)
    created = {g.pid: g.why for g in plan.created}
    assert created[made["id"]] == "" and "changed since" in created[kept["id"]]
    assert _undo(synced, client, plan).ok and made["id"] in app.shop.products  # not without asking

    with writer(synced, "undo") as state:
        record = run.delete_created(synced, client, state, plan, progress=quiet)
    assert record is not None and gitrepo.head(synced.root) == record
    assert made["id"] not in app.shop.products and kept["id"] in app.shop.products
    assert folder_at(synced.root, "HEAD", made["id"]) is None
    assert not records.pending(synced.root).folders
    assert run_sync(synced, client).commit is None


def test_deleting_many_created_products_needs_the_flag_and_leaves_nothing_behind(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    made = [client.post("products", "product", {"title": f"Import {n}"})["id"] for n in range(11)]
    rev = run_sync(synced, client).commit
    assert rev is not None
    plan = _plan(synced, rev)
    head = gitrepo.head(synced.root)
    with writer(synced, "undo") as state, pytest.raises(EcomgitError, match="--allow-mass-change"):
        run.delete_created(synced, client, state, plan, progress=quiet)
    assert gitrepo.head(synced.root) == head and all(pid in app.shop.products for pid in made)
    assert not gitrepo.run(synced.root, "status", "--porcelain")  # the folders are back


def test_propose_of_a_sync_that_recorded_a_deletion_proposes_its_restore(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    retail.delete_from_ecom(app.shop, KUSTWEG)
    client.put(f"products/{sorted(app.shop.products)[0]}", "product", {"description": "Import"})
    rev = run_sync(synced, client).commit
    assert rev is not None
    made = run.propose(synced.root, synced, _plan(synced, rev))
    assert [p.branch for p in made] == [f"ecomgit/undo-{rev[:10]}", f"ecomgit/restore-{KUSTWEG}"]
    assert KUSTWEG not in app.shop.products
    files = gitrepo.run(synced.root, "show", "--name-only", "--format=", made[1].commit)
    assert "products/restored-kustweg-105-racefiets/product.yaml" in files.splitlines()


def test_the_first_sync_is_a_record_not_a_change(synced: Repo) -> None:
    first = gitrepo.run(synced.root, "log", "-1", "--format=%H", "--grep=^Ecomgit-Sync: ").strip()
    with pytest.raises(EcomgitError, match="first sync"):
        _plan(synced, first)
    assert sync_commits(synced.root, "2000-01-01", None) == []  # a window leaves it out


def test_undo_of_a_push_takes_back_what_it_sent(synced: Repo, client: ShopClient) -> None:
    old = _description(client, KUSTWEG, "en")
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "A reviewed rewrite."))
    pushed = push(synced, client)
    assert pushed.ok and pushed.commit is not None and _description(client, KUSTWEG, "en") == "A reviewed rewrite."
    plan = _plan(synced, pushed.commit)  # the record: its parent already holds the edit
    (item,) = plan.changing
    assert [(s.unit, s.back) for s in item.steps] == [(("description", "en"), old)]
    assert _undo(synced, client, plan).ok
    assert _description(client, KUSTWEG, "en") == old


def test_undo_of_a_pushed_edit_commit_takes_it_back_too(synced: Repo, client: ShopClient) -> None:
    old = _description(client, KUSTWEG, "en")
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "A reviewed rewrite."))
    edited = gitrepo.head(synced.root)
    assert edited is not None and push(synced, client).ok
    assert _undo(synced, client, _plan(synced, edited)).ok
    assert _description(client, KUSTWEG, "en") == old


def test_fields_and_products_limit_the_undo(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    other = next(pid for pid in sorted(app.shop.products) if pid != KUSTWEG)
    old = _description(client, KUSTWEG)
    for pid in (KUSTWEG, other):
        client.put(f"products/{pid}", "product", {"description": "Import", "content": "<p>Import</p>"})
    rev = run_sync(synced, client).commit
    assert rev is not None
    plan = _plan(synced, rev, KUSTWEG, fields=["description"])
    assert [(p.pid, [s.unit for s in p.steps]) for p in plan.changing] == [(KUSTWEG, [("description", "nl")])]
    assert _undo(synced, client, plan).ok
    assert _description(client, KUSTWEG) == old and _description(client, other) == "Import"
    assert client.get_one(f"products/{KUSTWEG}", "product", {"fields": "content"})["content"] == "<p>Import</p>"


def test_on_a_retail_linked_shop_a_deleted_product_comes_back_onto_its_successor(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    app.shop.info.is_retail = True
    run_sync(synced, client)
    old = _description(client, KUSTWEG)
    skus = [v.sku for v in app.shop.products[KUSTWEG].variants]
    retail.delete_from_ecom(app.shop, KUSTWEG)
    published = retail.publish(app.shop, skus)  # Retail publishes the item again: no eCom content
    rev = run_sync(synced, client).commit
    assert rev is not None
    plan = _plan(synced, rev)
    assert [g.pid for g in plan.deleted] == [KUSTWEG] and [g.pid for g in plan.created] == [published]
    result = _undo(synced, client, plan)
    assert result.ok, show.result_lines(result)
    (restored,) = result.restored
    assert restored.result is not None and restored.result.plan.onto == published
    assert _description(client, published) == old and KUSTWEG not in app.shop.products


def test_on_a_retail_linked_shop_a_deleted_product_without_successor_is_not_made_anew(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    app.shop.info.is_retail = True
    run_sync(synced, client)
    retail.delete_from_ecom(app.shop, KUSTWEG)
    rev = run_sync(synced, client).commit
    assert rev is not None
    count = len(app.shop.products)
    result = _undo(synced, client, _plan(synced, rev))
    assert not result.ok and result.restored[0].refused and "Retail" in result.restored[0].refused
    assert len(app.shop.products) == count


def test_an_undo_that_would_leave_an_invalid_product_writes_nothing_and_says_why(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    app.shop.info.is_retail = True
    run_sync(synced, client)
    variant = sorted(app.shop.products[KUSTWEG].variants, key=lambda v: v.id)[0]
    before = variant.priceExcl
    # a sale ends: Retail raises the price (Retail's field), an app clears the old price (eCom's)
    client.put(f"variants/{variant.id}", "variant", {"oldPriceExcl": before * 3})
    run_sync(synced, client)
    client.put(f"variants/{variant.id}", "variant", {"priceExcl": before * 4, "oldPriceExcl": 0})
    rev = run_sync(synced, client).commit
    assert rev is not None
    head = gitrepo.head(synced.root)
    found = run.problems(synced, _plan(synced, rev))  # what a dry run shows
    assert found and any("oldPriceExcl" in line for line in found)
    with pytest.raises(EcomgitError, match="the shop would refuse") as said:
        _undo(synced, client, _plan(synced, rev))  # the old price comes back under Retail's new price
    assert "oldPriceExcl" in str(said.value) and "--fields" in str(said.value)
    assert variant.oldPriceExcl == 0 and gitrepo.head(synced.root) == head


def test_a_commit_not_in_this_branchs_history_is_refused(synced: Repo, client: ShopClient) -> None:
    client.put(f"products/{KUSTWEG}", "product", {"description": "Import"})
    rev = run_sync(synced, client).commit
    assert rev is not None
    (made,) = run.propose(synced.root, synced, _plan(synced, rev))  # a branch main never merged
    with pytest.raises(EcomgitError, match="not in this branch's history"):
        _plan(synced, made.commit)
