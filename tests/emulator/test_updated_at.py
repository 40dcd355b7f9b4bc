"""``updatedAt`` of a product moves with every change to it or to anything it owns."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ecomgit.emulator import Shop

from .helpers import FakeClock

MakeClient = Callable[..., httpx.Client]
GLOVE, PUMP = 65626325, 65626326
PNG = base64.b64encode(b"\x89PNG fake").decode()

CHANGES: list[tuple[str, str, str, Any]] = [
    ("product", "PUT", f"/en/products/{GLOVE}.json", {"product": {"description": "new"}}),
    ("variant", "PUT", "/nl/variants/110095763.json", {"variant": {"oldPriceExcl": 40}}),
    ("new variant", "POST", "/nl/variants.json", {"variant": {"product": GLOVE, "title": "XL"}}),
    ("deleted variant", "DELETE", "/nl/variants/110095773.json", None),
    (
        "image upload",
        "POST",
        f"/nl/products/{GLOVE}/images.json",
        {"productImage": {"attachment": PNG, "filename": "x.png"}},
    ),
    ("image order", "PUT", f"/nl/products/{GLOVE}/images/64749655.json", {"productImage": {"sortOrder": 9}}),
    ("image delete", "DELETE", f"/nl/products/{GLOVE}/images/64749649.json", None),
    (
        "category link",
        "POST",
        "/nl/categories/products.json",
        {"categoriesProduct": {"product": GLOVE, "category": 101, "sortOrder": 1}},
    ),
    ("tag link", "POST", "/nl/tags/products.json", {"tagsProduct": {"product": GLOVE, "tag": 301}}),
    ("relation", "POST", f"/nl/products/{GLOVE}/relations.json", {"productRelation": {"relatedProduct": 1}}),
    ("metafield", "PUT", f"/nl/products/{GLOVE}/metafields/4968652.json", {"productMetafield": {"value": "v"}}),
    (
        "variant metafield",
        "POST",
        "/nl/variants/110095763/metafields.json",
        {"variantMetafield": {"key": "k", "value": "v"}},
    ),
]


@pytest.fixture
def client(tiny_shop: Shop, make_client: MakeClient) -> httpx.Client:
    return make_client(tiny_shop)


def _updated(client: httpx.Client, path: str, key: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return str(response.json()[key]["updatedAt"])


@pytest.mark.parametrize(("kind", "method", "path", "body"), CHANGES, ids=[c[0] for c in CHANGES])
def test_product_updated_at_moves(
    client: httpx.Client, clock: FakeClock, tiny_shop: Shop, kind: str, method: str, path: str, body: Any
) -> None:
    if kind == "category link":  # the tiny glove is in every category: free one first
        link = next(lk for lk in tiny_shop.products[GLOVE].category_links if lk.category_id == 101)
        tiny_shop.unlink_category(link)
    if kind == "relation":
        body = {"productRelation": {"relatedProduct": _new_product(client)}}
    before = _updated(client, f"/nl/products/{GLOVE}.json", "product")
    clock.advance(61)
    response = client.request(method, path, json=body)
    assert response.status_code in (200, 201, 204), response.text
    after = _updated(client, f"/nl/products/{GLOVE}.json", "product")
    assert after > before
    assert _updated(client, f"/nl/catalog/{GLOVE}.json", "product") == after
    assert _updated(client, f"/nl/products/{PUMP}.json", "product") < after  # others stay


def _new_product(client: httpx.Client) -> int:
    return int(client.post("/nl/products.json", json={"product": {"title": "Other"}}).json()["product"]["id"])


def test_variant_updated_at_moves_with_its_metafields(client: httpx.Client, clock: FakeClock) -> None:
    before = _updated(client, "/nl/variants/110095763.json", "variant")
    clock.advance(5)
    client.post("/nl/variants/110095763/metafields.json", json={"variantMetafield": {"key": "a", "value": "b"}})
    assert _updated(client, "/nl/variants/110095763.json", "variant") > before
    assert _updated(client, "/nl/variants/110095773.json", "variant") < _updated(
        client, "/nl/variants/110095763.json", "variant"
    )


def test_timestamps_are_the_clock_in_utc_seconds(client: httpx.Client, clock: FakeClock) -> None:
    clock.now = 1_767_225_600.75
    created = client.post("/nl/products.json", json={"product": {"title": "T"}}).json()["product"]
    assert created["createdAt"] == created["updatedAt"] == "2026-01-01T00:00:00+00:00"
