"""List parameters: page, limit, since_id, date filters, fields and the per-resource filters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ecomgit.emulator import Shop, synthetic_shop

from .helpers import FakeClock

MakeClient = Callable[..., httpx.Client]


@pytest.fixture(scope="module")
def shop100() -> Shop:
    return synthetic_shop(100, seed=3)


@pytest.fixture
def client(shop100: Shop, make_client: MakeClient) -> httpx.Client:
    return make_client(shop100)


def _ids(client: httpx.Client, path: str, key: str) -> list[int]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()[key]]


@pytest.mark.parametrize(
    ("resource", "key"),
    [
        ("products", "products"),
        ("catalog", "products"),
        ("variants", "variants"),
        ("categories/products", "categoriesProducts"),
        ("tags/products", "tagsProducts"),
    ],
)
def test_pages_cover_everything_once(client: httpx.Client, resource: str, key: str) -> None:
    total = client.get(f"/nl/{resource}/count.json").json()["count"]
    by_page: list[int] = []
    for page in range(1, 100):
        ids = _ids(client, f"/nl/{resource}.json?limit=37&page={page}", key)
        by_page += ids
        if len(ids) < 37:
            break
    by_since: list[int] = []
    while True:
        ids = _ids(client, f"/nl/{resource}.json?limit=41&since_id={by_since[-1] if by_since else 0}", key)
        by_since += ids
        if len(ids) < 41:
            break
    assert len(by_page) == total > 37
    assert by_page == by_since == sorted(set(by_page))


def test_limit_default_and_maximum(client: httpx.Client, shop100: Shop) -> None:
    assert len(_ids(client, "/nl/variants.json", "variants")) == 50
    assert len(shop100.variants) > 260
    assert len(_ids(client, "/nl/variants.json?limit=1000", "variants")) == 250
    assert _ids(client, "/nl/variants.json?page=999&limit=250", "variants") == []


def test_since_id_and_page_combine(client: httpx.Client, shop100: Shop) -> None:
    ids = list(shop100.products)
    assert _ids(client, f"/nl/products.json?since_id={ids[9]}&limit=5&page=2", "products") == ids[15:20]


@pytest.mark.parametrize("query", ["page=x", "limit=ten", "since_id=1.5", "updated_at_min=yesterday"])
def test_bad_parameters_are_400(client: httpx.Client, query: str) -> None:
    response = client.get(f"/nl/products.json?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()["error"]["message"]


def test_updated_and_created_filters(make_client: MakeClient) -> None:
    clock = FakeClock(1_767_225_600)
    shop = synthetic_shop(30, clock=clock)
    client = make_client(shop)
    target = list(shop.products)[7]
    client.put(f"/nl/products/{target}.json", json={"product": {"data03": "x"}})
    for since in ("2026-01-01 00:00:00", "2026-01-01T00:00:00+00:00", "2026-01-01T01:00:00+01:00"):
        for resource in ("products", "catalog"):
            rows = client.get(f"/nl/{resource}.json", params={"updated_at_min": since}).json()["products"]
            assert [row["id"] for row in rows] == [target]
    assert target not in _ids(client, "/nl/products.json?updated_at_max=2025-12-31 23:59:59&limit=250", "products")
    assert client.get("/nl/products/count.json?updated_at_min=2026-01-01 00:00:00").json() == {"count": 1}
    clock.advance(3600)
    new = client.post("/nl/products.json", json={"product": {"title": "New"}}).json()["product"]["id"]
    assert _ids(client, "/nl/products.json?created_at_min=2026-01-01 00:30:00", "products") == [new]
    assert _ids(client, "/nl/variants.json?created_at_min=2026-01-01 00:30:00", "variants") != []


def test_fields_whitelist(client: httpx.Client) -> None:
    rows = client.get("/en/products.json?fields=id,title,url&limit=3").json()["products"]
    assert [list(row) for row in rows] == [["id", "url", "title"]] * 3
    one = client.get(f"/nl/catalog/{rows[0]['id']}.json?fields=id,variants").json()["product"]
    assert set(one) == {"id", "variants"}
    images = client.get(f"/nl/products/{rows[0]['id']}/images.json?fields=id,sortOrder,src").json()
    assert all(set(image) == {"id", "sortOrder", "src"} for image in images["productImages"])


def _every(client: httpx.Client, path: str, key: str) -> list[dict[str, Any]]:
    return client.get(f"{path}{'&' if '?' in path else '?'}limit=250").json()[key]  # type: ignore[no-any-return]


def test_filters(client: httpx.Client, shop100: Shop) -> None:
    product = next(p for p in shop100.products.values() if len(p.variants) > 1 and p.brand_id)
    variants = _every(client, f"/nl/variants.json?product={product.id}", "variants")
    assert [v["id"] for v in variants] == sorted(v.id for v in product.variants)
    branded = _every(client, f"/nl/products.json?brand={product.brand_id}", "products")
    assert product.id in [p["id"] for p in branded]
    assert {p["brand"]["resource"]["id"] for p in branded} == {product.brand_id}
    catalog = _every(client, f"/nl/catalog.json?brand={product.brand_id}", "products")
    assert [p["id"] for p in catalog] == [p["id"] for p in branded]
    category = product.category_links[0].category_id
    links = _every(client, f"/nl/categories/products.json?category={category}", "categoriesProducts")
    assert product.id in [link["product"]["resource"]["id"] for link in links]
    assert {link["category"]["resource"]["id"] for link in links} == {category}
    tag = product.tag_links[0].tag_id
    tagged = _every(client, f"/nl/tags/products.json?tag={tag}", "tagsProducts")
    assert {link["tag"]["resource"]["id"] for link in tagged} == {tag}
    top = _every(client, "/nl/categories.json?parent=0", "categories")
    children = _every(client, f"/nl/categories.json?parent={top[0]['id']}", "categories")
    assert all(c["parent"] is False for c in top) and len(top) == 5
    assert {c["parent"]["resource"]["id"] for c in children} == {top[0]["id"]}
