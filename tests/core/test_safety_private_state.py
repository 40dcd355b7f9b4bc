"""``.git/ecomgit/sync.db`` never holds what the mirror leaves out (issue 12, item 13).

The generated workflows keep that file in GitHub's cache, where the repository's other workflows
can read it: purchase costs and stock levels must not be in it, in a staged row, a free page or the
write-ahead log. The shop gets values that occur nowhere else, and the files' bytes are searched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from ecomgit.api import ShopClient
from ecomgit.config import load, save
from ecomgit.emulator import EmulatorApp
from ecomgit.mirror import layout
from ecomgit.shop import Repo, open_repo
from ecomgit.sync.report import SyncStopped
from ecomgit.sync.run import run_sync
from ecomgit.sync.state import State

COST, LEVEL, SOLD = 7345.19, 918273, 564738
PRIVATE = (b"7345.19", b"918273", b"564738")


@pytest.fixture(autouse=True)
def sqlite_without_secure_delete(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite as python.org's macOS and Windows builds ship it: a deleted row's bytes stay in the file
    (Debian's build zeroes them by default, which would hide a leak here)."""
    real = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        db = real(*args, **kwargs)
        db.execute("PRAGMA secure_delete=OFF")
        return db

    monkeypatch.setattr(sqlite3, "connect", connect)


@pytest.fixture
def private_shop(app: EmulatorApp) -> EmulatorApp:
    """Every variant of the sample shop with a purchase cost, a stock level and sales no other value has."""
    for product in app.shop.products.values():
        for variant in product.variants:
            variant.priceCost, variant.stockLevel, variant.stockSold = COST, LEVEL, SOLD
    return app


def found_in_state(repo: Repo) -> list[str]:
    """Which private values any ``sync.db*`` file (database, -wal, -journal) holds, by its raw bytes."""
    hits = []
    for path in sorted((repo.work_dir).glob("sync.db*")):
        data = path.read_bytes()
        hits += [f"{path.name}: {value.decode()}" for value in PRIVATE if value in data]
    return hits


def found_in_mirror(repo: Repo) -> set[bytes]:
    return {
        value
        for path in (repo.root / layout.PRODUCTS_DIR).rglob("product.yaml")
        for value in PRIVATE
        if value in path.read_bytes()
    }


def test_a_sync_stores_no_cost_or_stock_in_its_state(
    synced: Repo, private_shop: EmulatorApp, client: ShopClient
) -> None:
    run_sync(synced, client)
    assert found_in_mirror(synced) == set()
    assert found_in_state(synced) == []


def test_an_interrupted_sync_stages_none_either(
    repo: Repo, private_shop: EmulatorApp, client_factory: Callable[..., ShopClient]
) -> None:
    with pytest.raises(SyncStopped):
        run_sync(repo, client_factory(budget=6))  # the catalog is staged, the deep reads are not done
    state = State(repo.work_dir / "sync.db")
    try:
        assert state.count_staged("catalog", "nl") > 0
    finally:
        state.close()
    assert found_in_state(repo) == []


def test_a_cost_the_config_stops_mirroring_leaves_the_state(
    synced: Repo, private_shop: EmulatorApp, client: ShopClient
) -> None:
    config = load(synced.root)
    save(synced.root, replace(config, include_fields=("priceCost",)))
    run_sync(open_repo(synced.root), client)
    assert b"7345.19" in found_in_mirror(synced)  # mirrored while asked for
    save(synced.root, config)
    run_sync(open_repo(synced.root), client)
    assert found_in_mirror(synced) == set() and found_in_state(synced) == []


def test_a_state_written_before_the_rule_is_purged(synced: Repo, private_shop: EmulatorApp, client: ShopClient) -> None:
    state = State(synced.work_dir / "sync.db")
    state.stage("catalog", "nl", [(1, None, {"variants": [{"priceCost": COST, "stockLevel": LEVEL}]})])
    state.db.execute("DELETE FROM stage_rows")  # deleted: its bytes remain in a free page
    state.stage("variants", "nl", [(2, 1, {"priceCost": COST, "stockSold": SOLD})])  # an unfinished run's
    state.db.execute("DELETE FROM meta WHERE key='stripped_fields'")  # as an older ecomgit left it
    state.close()
    assert found_in_state(synced) != []
    run_sync(synced, client)
    assert found_in_state(synced) == []
