"""``ecomgit sync`` against the emulator in-process: byte-exact mirror, incremental, one commit."""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from ecomgit import gitrepo, records
from ecomgit.api import ShopClient
from ecomgit.api.values import file_id_from_src, objects
from ecomgit.emulator import EmulatorApp
from ecomgit.errors import GitError, RateLimitError, SyncError
from ecomgit.init import init_repo
from ecomgit.lock import exclusive
from ecomgit.mirror import read_product
from ecomgit.shop import Repo, open_repo
from ecomgit.sync.run import run_sync


def tree_files(base: Path) -> dict[str, bytes]:
    return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


def commit_paths(root: Path, rev: str = "HEAD") -> list[str]:
    return [p for p in gitrepo.run(root, "show", "--name-only", "--format=", rev).splitlines() if p]


def commit_count(root: Path) -> int:
    return int(gitrepo.run(root, "rev-list", "--count", "HEAD").strip())


def first_product(client: ShopClient) -> dict[str, Any]:
    return next(client.iter_list("catalog", "products", {"limit": 1}, limit=1))


def folder_of(repo: Repo, pid: int) -> Path:
    [folder] = [p for p in (repo.root / "products").iterdir() if p.name.startswith(f"{pid}-")]
    return folder


def test_first_sync_reproduces_the_sample_catalog_byte_for_byte(
    repo: Repo, client: ShopClient, sample_dir: Path
) -> None:
    summary = run_sync(repo, client)
    assert summary.commit is not None
    for part in ("products", "shop"):
        assert tree_files(repo.root / part) == tree_files(sample_dir / part)
    assert summary.count("new") == len(list((sample_dir / "products").iterdir()))
    assert gitrepo.dirty_paths(repo.root, ["."]) == []


def test_a_second_sync_changes_nothing_and_commits_nothing(synced: Repo, client: ShopClient) -> None:
    repo = synced
    head = gitrepo.head(repo.root)
    again = run_sync(repo, client)
    assert again.commit is None and again.changes == [] and again.images_fetched == 0
    assert gitrepo.head(repo.root) == head
    # languages, shop, the quantity discounts and the reviews, one catalog page, and the four shop
    # lists in two languages
    assert again.requests <= 2 + 2 + 1 + 8


def test_the_sync_commit_says_what_happened_with_a_trailer(repo: Repo, client: ShopClient) -> None:
    summary = run_sync(repo, client)
    message = gitrepo.run(repo.root, "log", "-1", "--format=%B")
    assert message.startswith(f"Sync: {summary.count('new')} new, 0 changed, 0 deleted")
    assert "Ecomgit-Sync: " in message
    product = first_product(client)
    assert f"+ {product['id']} {product['title']}" in message
    assert records.newest(repo.root, "sync") == summary.commit


def test_changing_one_product_touches_only_its_folder(synced: Repo, client: ShopClient) -> None:
    repo = synced
    product = first_product(client)
    client.put(f"products/{product['id']}", "product", {"description": "Nieuw: gratis verzending."}, lang="en")
    before = commit_count(repo.root)
    summary = run_sync(repo, client)
    assert commit_count(repo.root) == before + 1
    folder = folder_of(repo, product["id"])
    assert all(p.startswith(f"products/{folder.name}/") for p in commit_paths(repo.root))
    assert read_product(folder / "product.yaml")["description"]["en"] == "Nieuw: gratis verzending."
    assert [(c.kind, c.product_id) for c in summary.changes] == [("changed", product["id"])]
    assert "description" in summary.changes[0].fields


def test_variant_fields_reach_the_mirror(synced: Repo, client: ShopClient) -> None:
    repo = synced
    product = first_product(client)
    variant = objects(product["variants"])[0]
    client.put(
        f"variants/{variant['id']}",
        "variant",
        {"oldPriceExcl": 99.5, "stockBuyMaximum": 3, "weightValue": "2.500", "weight": 2500},
    )
    run_sync(repo, client)
    data = read_product(folder_of(repo, product["id"]) / "product.yaml")
    [mirrored] = [v for v in data["variants"] if v["id"] == variant["id"]]
    assert (mirrored["oldPriceExcl"], mirrored["stockBuyMaximum"]) == (99.5, 3)
    assert (mirrored["weightValue"], mirrored["weight"]) == ("2.500", 2500)


def test_deleting_a_product_removes_its_folder_in_a_commit_that_names_it(synced: Repo, client: ShopClient) -> None:
    repo = synced
    product = first_product(client)
    folder = folder_of(repo, product["id"])
    client.delete(f"products/{product['id']}")
    summary = run_sync(repo, client)
    assert not folder.exists()
    assert [(c.kind, c.product_id) for c in summary.changes] == [("deleted", product["id"])]
    message = gitrepo.run(repo.root, "log", "-1", "--format=%B")
    assert f"- {product['id']} {product['title']}" in message
    assert all(p.startswith(f"products/{folder.name}/") for p in commit_paths(repo.root))


def test_every_image_file_is_byte_identical_to_the_shop(synced: Repo, client: ShopClient) -> None:
    repo = synced
    checked = 0
    for record in client.iter_list("catalog", "products"):
        data = read_product(folder_of(repo, record["id"]) / "product.yaml")
        by_file_id = {i["fileId"]: i["file"] for i in data["images"]}
        for image in objects(record["images"]):
            name = by_file_id[file_id_from_src(image["src"])]
            assert (folder_of(repo, record["id"]) / "images" / name).read_bytes() == client.download(image["src"])
            checked += 1
    assert checked > 20


def test_image_upload_and_reorder_rename_files_without_downloading_again(synced: Repo, client: ShopClient) -> None:
    repo = synced
    record = max(client.iter_list("catalog", "products"), key=lambda r: len(objects(r["images"])))
    images = sorted(objects(record["images"]), key=lambda i: i["sortOrder"])
    assert len(images) >= 2
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    client.post(
        f"products/{record['id']}/images",
        "productImage",
        {"attachment": base64.b64encode(png).decode(), "filename": "new-detail.png"},
    )
    first, second = images[0], images[1]
    client.put(f"products/{record['id']}/images/{first['id']}", "productImage", {"sortOrder": second["sortOrder"] + 1})
    summary = run_sync(repo, client)
    assert summary.images_fetched == 1
    folder = folder_of(repo, record["id"])
    data = read_product(folder / "product.yaml")
    assert sorted(p.name for p in (folder / "images").iterdir()) == sorted(i["file"] for i in data["images"])
    assert any(i["file"].endswith("new-detail.png") for i in data["images"])
    assert (folder / "images" / data["images"][-1]["file"]).read_bytes() == png


def test_a_new_product_in_the_shop_appears_with_its_default_variant(synced: Repo, client: ShopClient) -> None:
    repo = synced
    created = client.post("products", "product", {"title": "Bidonhouder", "visibility": "visible"})
    summary = run_sync(repo, client)
    assert [(c.kind, c.product_id) for c in summary.changes] == [("new", created["id"])]
    data = read_product(folder_of(repo, created["id"]) / "product.yaml")
    assert data["title"] == {"nl": "Bidonhouder", "en": "Bidonhouder"}
    assert len(data["variants"]) == 1 and data["variants"][0]["isDefault"] is True


def test_a_new_slug_renames_the_folder(synced: Repo, client: ShopClient) -> None:
    repo = synced
    product = first_product(client)
    old = folder_of(repo, product["id"])
    client.put(f"products/{product['id']}", "product", {"url": "een-nieuwe-naam"})
    run_sync(repo, client)
    assert not old.exists()
    assert folder_of(repo, product["id"]).name == f"{product['id']}-een-nieuwe-naam"
    statuses = gitrepo.run(repo.root, "show", "--name-status", "-M", "--format=", "HEAD").splitlines()
    assert statuses and all(line.startswith("R") for line in statuses)  # git sees renames


def test_unpushed_local_edits_are_not_overwritten_by_any_later_sync(synced: Repo, client: ShopClient) -> None:
    repo = synced
    product, other = list(client.iter_list("catalog", "products", {"limit": 2}, limit=2))[:2]
    path = folder_of(repo, product["id"]) / "product.yaml"
    path.write_text(path.read_text().replace("visibility: visible", "visibility: hidden", 1))
    gitrepo.stage(repo.root, ["products"])
    gitrepo.commit(repo.root, "Hide a product (to be pushed)\n")
    edited = path.read_bytes()
    client.put(f"products/{other['id']}", "product", {"description": "another product changed"})
    second = run_sync(repo, client)  # commits the other product, records the held one
    assert second.commit is not None and second.held == [product["id"]]
    assert f"Ecomgit-Held: {product['id']}" in gitrepo.run(repo.root, "log", "-1", "--format=%B")
    client.put(f"products/{product['id']}", "product", {"description": "shop edit"})
    third = run_sync(repo, client)
    assert third.held == [product["id"]] and third.changes == []
    assert path.read_bytes() == edited


def test_sync_refuses_to_run_over_uncommitted_edits(synced: Repo, client: ShopClient) -> None:
    repo = synced
    product = first_product(client)
    path = folder_of(repo, product["id"]) / "product.yaml"
    path.write_text(path.read_text() + "# my note\n")
    with pytest.raises(GitError, match="uncommitted change"):
        run_sync(repo, client)
    assert path.read_text().endswith("# my note\n")


def test_two_syncs_never_run_at_once(repo: Repo, client: ShopClient) -> None:
    with exclusive(repo.work_dir / "lock", "sync"), pytest.raises(GitError, match="another ecomgit sync is running"):
        run_sync(repo, client)


def test_an_interrupted_sync_continues_where_it_stopped(
    repo: Repo, client_factory: Callable[..., ShopClient], tmp_path: Path
) -> None:
    head = gitrepo.head(repo.root)
    with pytest.raises(RateLimitError):
        run_sync(repo, client_factory(budget=12))
    assert gitrepo.head(repo.root) == head  # no half commit
    resumed = run_sync(repo, client_factory())
    assert resumed.resumed and resumed.commit is not None
    assert gitrepo.dirty_paths(repo.root, ["."]) == []
    # the resumed run fetched only what the first run had not
    fresh_client = client_factory()
    other_path = tmp_path / "clean"
    init_repo(other_path, "http://localhost", [], fresh_client)
    clean = run_sync(open_repo(other_path), fresh_client)
    assert resumed.requests + 12 - clean.requests <= 2
    assert tree_files(repo.root / "products") == tree_files(other_path / "products")


def test_the_sync_summary_is_json_serialisable(repo: Repo, client: ShopClient) -> None:
    data = json.loads(json.dumps(run_sync(repo, client).to_json()))
    assert {"requests", "new", "changed", "deleted", "commit", "imagesFetched"} <= set(data)
    assert data["requests"] > 0 and data["new"] > 0


class Interrupting(httpx.BaseTransport):
    """Passes requests to the emulator, then raises KeyboardInterrupt (Ctrl-C) at request ``at``."""

    def __init__(self, app: EmulatorApp, at: int) -> None:
        self.inner = httpx.WSGITransport(app=app)
        self.at = at
        self.seen = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen += 1
        if self.seen == self.at:
            raise KeyboardInterrupt
        return self.inner.handle_request(request)


@pytest.mark.parametrize("at", [3, 20, 60])
def test_ctrl_c_mid_sync_loses_nothing_and_the_next_sync_finishes(
    repo: Repo, app: EmulatorApp, client: ShopClient, sample_dir: Path, at: int
) -> None:
    head = gitrepo.head(repo.root)
    interrupted = ShopClient("http://localhost", language="nl", transport=Interrupting(app, at))
    with interrupted, pytest.raises(KeyboardInterrupt):
        run_sync(repo, interrupted)
    assert gitrepo.head(repo.root) == head
    summary = run_sync(repo, client)
    assert summary.commit is not None
    for part in ("products", "shop"):
        assert tree_files(repo.root / part) == tree_files(sample_dir / part)
    assert gitrepo.dirty_paths(repo.root, ["."]) == []


def test_an_image_replaced_under_the_same_name_is_downloaded_again(synced: Repo, client: ShopClient) -> None:
    repo = synced
    record = max(client.iter_list("catalog", "products"), key=lambda r: len(objects(r["images"])))
    first = min(objects(record["images"]), key=lambda i: i["sortOrder"])
    folder = folder_of(repo, record["id"])
    [entry] = [i for i in read_product(folder / "product.yaml")["images"] if i["id"] == first["id"]]
    name = entry["file"].split("-", 1)[1].rsplit(".", 1)[0]
    new_bytes = client.download(objects(first_product(client)["images"])[0]["src"]) + b"\0"
    client.delete(f"products/{record['id']}/images/{first['id']}")
    uploaded = client.post(
        f"products/{record['id']}/images",
        "productImage",
        {"attachment": base64.b64encode(new_bytes).decode(), "filename": f"{name}.{entry['file'].rsplit('.', 1)[1]}"},
    )
    client.put(f"products/{record['id']}/images/{uploaded['id']}", "productImage", {"sortOrder": 0})
    run_sync(repo, client)
    [now] = [i for i in read_product(folder / "product.yaml")["images"] if i["id"] == uploaded["id"]]
    assert now["file"] == entry["file"] and now["fileId"] != entry["fileId"]
    assert (folder / "images" / now["file"]).read_bytes() == new_bytes


def test_a_reset_of_a_sync_commit_is_noticed_and_repaired(synced: Repo, client: ShopClient) -> None:
    repo = synced
    product = first_product(client)
    client.put(f"products/{product['id']}", "product", {"description": "after the reset"})
    run_sync(repo, client)
    gitrepo.run(repo.root, "reset", "--quiet", "--hard", "HEAD~1")
    summary = run_sync(repo, client)  # the state no longer describes the tree: read everything again
    assert [(c.kind, c.product_id) for c in summary.changes] == [("changed", product["id"])]
    assert read_product(folder_of(repo, product["id"]) / "product.yaml")["description"]["nl"] == "after the reset"


def test_a_fresh_clone_syncs_to_the_same_bytes_without_a_commit(
    synced: Repo, client: ShopClient, tmp_path: Path
) -> None:
    repo = synced
    clone = tmp_path / "clone"
    gitrepo.run(tmp_path, "clone", "--quiet", str(repo.root), str(clone))
    summary = run_sync(open_repo(clone), client)
    assert summary.commit is None and summary.changes == []
    assert gitrepo.dirty_paths(clone, ["."]) == []


def test_a_shop_that_suddenly_lists_almost_nothing_does_not_empty_the_mirror(synced: Repo, client: ShopClient) -> None:
    repo = synced
    products = list(client.iter_list("catalog", "products"))
    for record in products[:-3]:
        client.delete(f"products/{record['id']}")
    head = gitrepo.head(repo.root)
    with pytest.raises(SyncError, match="--allow-mass-delete"):
        run_sync(repo, client)
    assert gitrepo.head(repo.root) == head and len(list((repo.root / "products").iterdir())) == len(products)
    summary = run_sync(repo, client, allow_mass_delete=True)
    assert summary.count("deleted") == len(products) - 3
    assert len(list((repo.root / "products").iterdir())) == 3


def test_a_state_of_another_schema_version_is_rebuilt(synced: Repo, client: ShopClient) -> None:
    repo = synced
    db = sqlite3.connect(repo.work_dir / "sync.db")
    db.execute("DROP TABLE products")
    db.execute("CREATE TABLE products (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c TEXT, d TEXT)")
    db.execute("UPDATE meta SET value='0' WHERE key='schema'")
    db.commit()
    db.close()
    summary = run_sync(repo, client)  # the state is a cache: rebuilt, nothing changes
    assert summary.commit is None and summary.changes == []
    assert run_sync(repo, client).requests <= 13


def test_an_uncommitted_edit_made_while_a_sync_was_interrupted_is_never_committed_by_it(
    synced: Repo, app: EmulatorApp, client: ShopClient
) -> None:
    repo = synced
    product, other = list(client.iter_list("catalog", "products", {"limit": 2}, limit=2))[:2]
    client.put(f"products/{product['id']}", "product", {"description": "changed in the shop"})
    interrupted = ShopClient("http://localhost", language="nl", transport=Interrupting(app, 6))
    with interrupted, pytest.raises(KeyboardInterrupt):
        run_sync(repo, interrupted)
    note = folder_of(repo, other["id"]) / "product.yaml"
    note.write_text(note.read_text() + "# a note, not committed yet\n")
    summary = run_sync(repo, client)  # resumes; commits the shop's change only
    assert [c.product_id for c in summary.changes] == [product["id"]]
    assert all(p.startswith(f"products/{folder_of(repo, product['id']).name}/") for p in commit_paths(repo.root))
    assert gitrepo.dirty_paths(repo.root, ["products"]) == [str(note.relative_to(repo.root))]
