"""Deep reads through lists filtered by ``updated_at_min``: fewer pages, and no change ever missed."""

from __future__ import annotations

import math
import pickle
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ecomgit.api import ShopClient
from ecomgit.api.values import format_api_time, parse_api_time
from ecomgit.emulator import EmulatorApp, Shop
from ecomgit.emulator.synthetic import synthetic_shop
from ecomgit.emulator.timefmt import iso
from ecomgit.init import init_repo
from ecomgit.shop import Repo, open_repo
from ecomgit.sync.plan import UPDATED_AT_MARGIN, deep_scope
from ecomgit.sync.run import run_sync
from ecomgit.sync.state import Seen, State
from tests.trees import copy_repo, pack

URL = "http://localhost"
PRODUCTS = 260  # two pages of 250


class Recording(httpx.BaseTransport):
    """The emulator in-process, remembering every API request's path and query."""

    def __init__(self, app: EmulatorApp) -> None:
        self.inner = httpx.WSGITransport(app=app)
        self.requests: list[httpx.URL] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if "/cdn/" not in request.url.path:
            self.requests.append(request.url)
        return self.inner.handle_request(request)

    def to(self, path: str) -> list[httpx.URL]:
        return [url for url in self.requests if url.path == path]


def lean_shop() -> Shop:
    """The synthetic shop without images (faster) and with every product updated no earlier than its
    variants, as the API's own writes leave them."""
    shop = synthetic_shop(PRODUCTS)
    for product in shop.products.values():
        product.images.clear()
        for variant in product.variants:
            variant.image_id = None
        product.updated = max([product.updated, *(v.updated for v in product.variants)])
    shop.images.clear()
    shop.files.clear()
    return shop


@pytest.fixture(scope="module")
def shop_bytes() -> bytes:
    return pickle.dumps(lean_shop())


@pytest.fixture(scope="module")
def template(shop_bytes: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lean") / "mirror"
    with ShopClient(URL, language="nl", transport=httpx.WSGITransport(app=app_of(shop_bytes))) as client:
        init_repo(path, URL, [], client)
        run_sync(open_repo(path), client)
    return pack(path)


def app_of(shop_bytes: bytes) -> EmulatorApp:
    return EmulatorApp(pickle.loads(shop_bytes), rate_limit=None)


@pytest.fixture
def app(shop_bytes: bytes) -> EmulatorApp:
    return app_of(shop_bytes)


@pytest.fixture
def recording(app: EmulatorApp) -> Recording:
    return Recording(app)


@pytest.fixture
def client(recording: Recording) -> Iterator[ShopClient]:
    with ShopClient(URL, language="nl", transport=recording) as shop_client:
        yield shop_client


@pytest.fixture
def mirror(template: Path, tmp_path: Path) -> Repo:
    path = tmp_path / "mirror"
    return open_repo(copy_repo(template, path))


def clean_mirror(app: EmulatorApp, path: Path) -> dict[str, bytes]:
    """What a first sync of the shop as it is now writes: path → bytes."""
    with ShopClient(URL, language="nl", transport=httpx.WSGITransport(app=app)) as client:
        init_repo(path, URL, [], client)
        run_sync(open_repo(path), client)
    return tree(path)


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "products").rglob("*")) if p.is_file()}


def test_changed_products_are_read_through_filtered_lists_and_unchanged_variants_not_at_all(
    mirror: Repo, client: ShopClient, recording: Recording, app: EmulatorApp, tmp_path: Path
) -> None:
    ids = sorted(app.shop.products)
    texts_only = ids[10:250:48]  # five products, on both pages of the list
    titled, priced = ids[252], ids[257]
    for pid in texts_only:
        client.put(f"products/{pid}", "product", {"description": f"new text {pid}"}, lang="en")
    client.put(f"variants/{app.shop.products[titled].variants[0].id}", "variant", {"title": "Nieuw"}, lang="en")
    client.put(f"variants/{app.shop.products[priced].variants[-1].id}", "variant", {"oldPriceExcl": 12.5})
    recording.requests.clear()

    summary = run_sync(mirror, client)

    assert sorted(c.product_id for c in summary.changes) == sorted([*texts_only, titled, priced])
    [texts] = recording.to("/en/products.json")  # one page instead of two, none per product
    assert "updated_at_min" in texts.params
    for lang in ("nl", "en"):  # only the two products whose variants changed: one filtered page
        [variants] = recording.to(f"/{lang}/variants.json")
        assert "updated_at_min" in variants.params and "product" not in variants.params
    # shop, catalog, texts, variants, tag links (a count and 3 pages), metafields, shop lists, category
    # links (a count and 2 pages: the positions of the changed products in their categories), the
    # quantity discounts and the reviews (a page each), the variant metafields of the changed products
    vmetafields = sum(len(app.shop.products[pid].variants) for pid in [*texts_only, titled, priced])
    assert (
        len([url for url in recording.requests if url.path.endswith("/metafields.json") and "/variants/" in url.path])
        == vmetafields
    )
    assert summary.requests == 2 + 2 + 1 + 2 + 4 + 7 + 8 + 3 + 2 + vmetafields
    assert len(recording.to("/nl/categories/products.json")) == 2
    assert tree(mirror.root) == clean_mirror(app, tmp_path / "clean")


def test_a_mirror_without_sync_state_reads_everything_and_finds_nothing_changed(
    mirror: Repo, client: ShopClient, recording: Recording, app: EmulatorApp
) -> None:
    (mirror.work_dir / "sync.db").unlink()  # a fresh clone: every product is read in depth
    for leftover in mirror.work_dir.glob("sync.db-*"):
        leftover.unlink()
    summary = run_sync(mirror, client)
    assert summary.commit is None and summary.changes == []
    assert len(recording.to("/en/products.json")) == 2  # the whole list
    assert all(len(recording.to(f"/nl/products/{pid}/metafields.json")) == 1 for pid in app.shop.products)
    whole = math.ceil(len(app.shop.variants) / 250)
    assert {len(recording.to(f"/{lang}/variants.json")) for lang in ("nl", "en")} == {whole}


def stage(state: State, records: dict[int, dict[str, object]]) -> None:
    state.stage("catalog", "nl", [(pid, None, {"id": pid, **record}) for pid, record in records.items()])


def at(seconds: int) -> str:
    return iso(1_767_225_600 + seconds)


def test_the_filter_reaches_back_to_every_product_read_in_depth(tmp_path: Path) -> None:
    state = State(tmp_path / "sync.db")
    day = 86400
    stage(
        state,
        {
            1: {"updatedAt": at(9 * day), "variants": {"11": {"id": 11, "updatedAt": at(day)}}},  # texts edited
            2: {"updatedAt": at(3 * day), "variants": {"21": {"id": 21, "updatedAt": at(3 * day)}}},  # new here
            3: {"updatedAt": at(9 * day), "variants": {"31": {"id": 31, "updatedAt": at(8 * day)}}},  # variant edited
            4: {"updatedAt": at(0), "unchanged": True, "variantCount": 2, "variantsUpdatedAt": at(0)},
            5: {"updatedAt": at(0), "unchanged": True, "variantCount": 3, "variantsUpdatedAt": at(5 * day)},
        },
    )
    seen = {1: Seen(at(2 * day), "h"), 3: Seen(at(7 * day), "h"), 4: Seen(at(0), "h"), 5: Seen(at(0), "h")}
    scope = deep_scope(state, "nl", {1, 2, 3}, seen, {1: "1-a", 3: "3-c", 4: "4-d", 5: "5-e"})
    since = parse_api_time(at(3 * day)) - UPDATED_AT_MARGIN
    assert scope.texts_since == since  # product 2's older updatedAt is not cut off
    assert scope.texts_rows == 3  # 1, 2 and 3 (the unchanged ones were updated before)
    assert scope.variant_products == [2, 3]  # product 1's variant predates what the mirror holds
    assert scope.variants_since == since
    assert scope.variants_rows == 2 + 3  # 21, 31 and (at most) product 5's three
    assert format_api_time(since).count(":") == 2  # the API's YYYY-MM-DD HH:MM:SS


def test_an_unreadable_time_reads_the_whole_list(tmp_path: Path) -> None:
    state = State(tmp_path / "sync.db")
    stage(state, {1: {"updatedAt": "", "variants": []}, 2: {"updatedAt": at(10), "variants": []}})
    scope = deep_scope(state, "nl", {1, 2}, {}, {})
    assert scope.texts_since is None and scope.texts_rows == 2 and scope.variant_products == []
