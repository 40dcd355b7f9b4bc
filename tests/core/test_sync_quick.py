"""``ecomgit sync --quick`` (issue 17 item 2): the products and variants changed since the last sync,
found by two filtered lists and a count instead of the catalog pages; deletions from the id list
only when the count changed. Each test ends with a full sync that finds nothing left to commit: the
quick one recorded what a full one would have."""

from __future__ import annotations

import httpx

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.shop import Repo, writer
from ecomgit.sync.engine import LAST_STARTED
from ecomgit.sync.report import Summary
from ecomgit.sync.run import run_sync
from tests.conftest import EMULATOR_URL


class Recording(httpx.BaseTransport):
    def __init__(self, app: EmulatorApp) -> None:
        self.inner = httpx.WSGITransport(app=app)
        self.paths: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(f"{request.method} {request.url.path}")
        return self.inner.handle_request(request)


def quick(repo: Repo, app: EmulatorApp) -> tuple[Summary, list[str]]:
    transport = Recording(app)
    with ShopClient(EMULATOR_URL, language="nl", transport=transport) as client:
        summary = run_sync(repo, client, quick=True)
    return summary, transport.paths


def nothing_left(repo: Repo, client: ShopClient) -> None:
    """A full sync after the quick one finds the mirror as the shop is."""
    assert run_sync(repo, client).commit is None


def test_nothing_changed_costs_a_handful_of_requests(synced: Repo, app: EmulatorApp, client: ShopClient) -> None:
    summary, paths = quick(synced, app)
    assert summary.commit is None and summary.quick is not None
    assert "GET /nl/catalog.json" not in paths
    asked = [p for p in paths if "metafields" not in p]  # the rotation runs as in any sync
    assert asked == [
        "GET /nl/languages.json",
        "GET /nl/shop.json",
        "GET /nl/quantity_discounts.json",
        "GET /nl/reviews.json",
        "GET /nl/products.json",
        "GET /nl/variants.json",
        "GET /nl/products/count.json",
    ]
    nothing_left(synced, client)


def test_a_back_office_edit_is_committed(synced: Repo, app: EmulatorApp, client: ShopClient) -> None:
    pid = sorted(app.shop.products)[3]
    product = app.shop.products[pid]
    product.texts["en"]["description"] = "Rewritten in the back office."
    app.shop.touch_product(product)
    summary, paths = quick(synced, app)
    assert summary.commit is not None and [c.product_id for c in summary.changes] == [pid]
    assert f"GET /nl/catalog/{pid}.json" in paths and "GET /nl/catalog.json" not in paths
    assert "Rewritten in the back office." in gitrepo.run(synced.root, "show", "HEAD")
    nothing_left(synced, client)


def test_a_variant_edit_that_leaves_the_product_stamp_is_found(
    synced: Repo, app: EmulatorApp, client: ShopClient
) -> None:
    pid = sorted(app.shop.products)[5]
    variant = app.shop.products[pid].variants[0]
    variant.oldPriceExcl = 4321
    variant.updated = app.shop.now()  # the product's own updatedAt stays
    summary, _ = quick(synced, app)
    assert [c.product_id for c in summary.changes] == [pid]
    assert "4321" in gitrepo.run(synced.root, "show", "HEAD")
    nothing_left(synced, client)


def test_a_deleted_product_is_found_by_the_count_and_the_id_list(
    synced: Repo, app: EmulatorApp, client: ShopClient
) -> None:
    pid = sorted(app.shop.products)[7]
    client.delete(f"products/{pid}")
    summary, paths = quick(synced, app)
    assert [(c.kind, c.product_id) for c in summary.changes] == [("deleted", pid)]
    assert paths.count("GET /nl/products.json") == 2  # the filtered list, then the id list
    nothing_left(synced, client)


def test_a_new_product_is_listed_and_mirrored(synced: Repo, app: EmulatorApp, client: ShopClient) -> None:
    made = client.post("products", "product", {"title": "Bidonhouder", "visibility": "visible"})
    summary, paths = quick(synced, app)
    assert [(c.kind, c.product_id) for c in summary.changes] == [("new", made["id"])]
    assert paths.count("GET /nl/products.json") == 1  # the count matched the mirror plus the new one
    nothing_left(synced, client)


def test_the_shops_lists_are_left_to_the_full_sync(synced: Repo, app: EmulatorApp, client: ShopClient) -> None:
    category = next(iter(app.shop.categories.values()))
    category.texts["nl"]["title"] = "Hernoemd"
    summary, _ = quick(synced, app)
    assert summary.commit is None and summary.shop_files == []
    full = run_sync(synced, client)
    assert full.commit is not None and any(name.startswith("shop/categories") for name in full.shop_files)


def test_without_a_committed_sync_to_start_from_it_is_a_full_sync(
    synced: Repo, app: EmulatorApp, client: ShopClient
) -> None:
    with writer(synced, "sync") as state:
        state.db.execute("DELETE FROM meta WHERE key=?", (LAST_STARTED,))
    summary, paths = quick(synced, app)
    assert summary.quick is None and "GET /nl/catalog.json" in paths


def test_many_changes_read_the_catalog_pages_instead(synced: Repo, app: EmulatorApp, client: ShopClient) -> None:
    pids = sorted(app.shop.products)[:3]
    for pid in pids:
        product = app.shop.products[pid]
        product.texts["nl"]["title"] = f"Nieuwe titel {pid}"
        app.shop.touch_product(product)
    summary, paths = quick(synced, app)
    assert sorted(c.product_id for c in summary.changes) == pids
    assert "GET /nl/catalog.json" in paths and not any(p.startswith("GET /nl/catalog/") for p in paths)
    nothing_left(synced, client)
