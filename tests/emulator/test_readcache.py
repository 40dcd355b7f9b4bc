"""The read cache: list pages kept between writes, forgotten at any write or Retail action."""

from __future__ import annotations

import httpx

from ecomgit.emulator import EmulatorApp, Shop
from ecomgit.emulator.readcache import ReadCache
from ecomgit.emulator.wsgi import Request, Response

from .helpers import client_for

GLOVE = 65626325


def cached_app(shop: Shop) -> tuple[EmulatorApp, httpx.Client]:
    app = EmulatorApp(shop, rate_limit=(100, 1000, 10000), read_cache=ReadCache())
    return app, client_for(app)


def catalog_title(client: httpx.Client, lang: str = "nl") -> str:
    products = client.get(f"/{lang}/catalog.json").json()["products"]
    return str(next(p["title"] for p in products if p["id"] == GLOVE))


def test_a_list_page_is_rendered_once_until_a_write(tiny_shop: Shop) -> None:
    app, client = cached_app(tiny_shop)
    before = catalog_title(client)
    tiny_shop.products[GLOVE].texts["nl"]["title"] = "Changed behind the API's back"
    assert catalog_title(client) == before  # served from the cache
    put = client.put(f"/nl/products/{GLOVE}.json", json={"product": {"content": "<p>x</p>"}})
    assert put.status_code == 200
    assert catalog_title(client) == "Changed behind the API's back"


def test_a_retail_action_forgets_the_kept_pages(tiny_shop: Shop) -> None:
    app, client = cached_app(tiny_shop)
    assert GLOVE in {p["id"] for p in client.get("/nl/catalog.json").json()["products"]}
    answer = client.post("/_emulator/retail/delete.json", json={"product": GLOVE})
    assert answer.status_code == 200, answer.text
    assert GLOVE not in {p["id"] for p in client.get("/nl/catalog.json").json()["products"]}


def test_kept_pages_still_count_and_carry_fresh_rate_limit_headers(tiny_shop: Shop) -> None:
    app, client = cached_app(tiny_shop)
    first = client.get("/nl/products.json", params={"limit": 2})
    second = client.get("/nl/products.json", params={"limit": 2})
    assert first.content == second.content
    assert first.headers["X-RateLimit-Remaining"].split("/")[0] == "99"
    assert second.headers["X-RateLimit-Remaining"].split("/")[0] == "98"
    assert len(second.headers.get_list("X-RateLimit-Remaining")) == 1
    assert app.stats.requests == 2


def test_only_list_pages_are_kept(tiny_shop: Shop) -> None:
    app, client = cached_app(tiny_shop)
    client.get("/nl/account/ratelimit.json")
    client.get(f"/nl/products/{GLOVE}.json")
    client.get("/nl/products/count.json")
    client.get("/nl/nothing.json")
    client.get("/xx/catalog.json")
    assert app.read_cache is not None and len(app.read_cache) == 0
    first = client.get("/nl/account/ratelimit.json").json()["accountRatelimit"]
    second = client.get("/nl/account/ratelimit.json").json()["accountRatelimit"]
    assert first != second  # counts move: never kept


def test_the_cache_keeps_to_its_size() -> None:
    cache = ReadCache(max_bytes=10)

    def request(path: str) -> Request:
        return Request("GET", path, {}, {}, b"", "http://x")

    for name in ("a", "b", "c"):
        cache.put(ReadCache.key(request(name)), Response(200, b"1234"))
    assert cache.get(ReadCache.key(request("a"))) is None
    assert cache.get(ReadCache.key(request("c"))) == Response(200, b"1234")
    cache.put(ReadCache.key(request("big")), Response(200, b"x" * 11))
    cache.put(ReadCache.key(request("error")), Response(404, b"no"))
    assert cache.get(ReadCache.key(request("big"))) is None
    assert cache.get(ReadCache.key(request("error"))) is None
