"""Authentication, rate limits, injected faults, latency, statistics and the CDN."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable

import httpx
import pytest

from ecomgit.emulator import EmulatorApp, Shop

from .helpers import FakeClock, client_for

MakeClient = Callable[..., httpx.Client]
GLOVE = 65626325
KEY, SECRET = "k" * 32, "s" * 32


def _basic(key: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()}


def _rate(response: httpx.Response) -> tuple[str, str, str]:
    headers = response.headers
    return headers["X-RateLimit-Limit"], headers["X-RateLimit-Remaining"], headers["X-RateLimit-Reset"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        _basic(KEY, "wrong"),
        _basic("wrong", SECRET),
        _basic(KEY, "sécret"),
        {"Authorization": "Basic %%"},
        {"Authorization": f"Bearer {KEY}"},
    ],
)
def test_wrong_credentials_are_401(tiny_shop: Shop, make_client: MakeClient, headers: dict[str, str]) -> None:
    client = make_client(tiny_shop, api_key=KEY, api_secret=SECRET)
    response = client.get("/nl/products.json", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": 401,
        "method": "GET",
        "request": "/nl/products.json",
        "message": "Access denied.",
    }
    assert "X-RateLimit-Remaining" in response.headers


def test_right_credentials_pass(tiny_shop: Shop, make_client: MakeClient) -> None:
    client = make_client(tiny_shop, api_key=KEY, api_secret=SECRET)
    assert client.get("/nl/products.json", headers=_basic(KEY, SECRET)).status_code == 200
    open_client = make_client(tiny_shop)
    assert open_client.get("/nl/products.json", headers=_basic("any", "thing")).status_code == 200
    assert open_client.get("/nl/products.json").status_code == 200


def test_rate_limit_windows(tiny_shop: Shop, make_client: MakeClient, clock: FakeClock) -> None:
    client = make_client(tiny_shop, rate_limit=(3, 5, 100), time_scale=0.01, clock=clock)
    answers = [_rate(client.get("/nl/products/count.json")) for _ in range(3)]
    assert answers == [
        ("3/5/100", "2/4/99", "3/36/864"),
        ("3/5/100", "1/3/98", "3/36/864"),
        ("3/5/100", "0/2/97", "3/36/864"),
    ]
    refused = client.get("/nl/products.json")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == 429
    assert _rate(refused) == ("3/5/100", "-1/2/97", "3/36/864")
    clock.advance(1)
    assert _rate(client.get("/nl/products.json"))[2] == "2/35/863"
    clock.advance(2)  # a new 5-minute window (3 s at this time scale)
    assert _rate(client.get("/nl/products.json"))[1] == "2/1/96"
    assert _rate(client.get("/nl/products.json"))[1] == "1/0/95"
    assert _rate(client.get("/nl/products.json")) == ("3/5/100", "1/-1/95", "3/33/861")
    clock.advance(33)
    assert client.get("/nl/products.json").status_code == 200


def test_no_limits_still_sends_headers(tiny_shop: Shop, make_client: MakeClient) -> None:
    client = make_client(tiny_shop, rate_limit=None)
    first, second = (_rate(client.get("/nl/products.json")) for _ in range(2))
    limits = [int(x) for x in first[0].split("/")]
    assert limits[0] >= 300_000 and limits == sorted(limits)
    assert [int(x) for x in second[1].split("/")] == [int(x) - 1 for x in first[1].split("/")]
    assert all(client.get("/nl/shop.json").status_code == 200 for _ in range(20))


def test_cdn_is_free_and_public(tiny_shop: Shop, clock: FakeClock) -> None:
    app = EmulatorApp(tiny_shop, rate_limit=(1, 10, 10), api_key=KEY, api_secret=SECRET, clock=clock)
    client = client_for(app)
    src = "/cdn/shops/4242/files/67984977/ranger-front.jpg"
    responses = [client.get(src) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert all("X-RateLimit-Limit" not in r.headers for r in responses)
    assert responses[0].headers["Content-Type"] == "image/jpeg"
    assert client.get("/cdn/shops/4242/files/67984977/60x60x1/any-name.jpg").content == responses[0].content
    assert client.get("/cdn/shops/9/files/67984977/ranger-front.jpg").status_code == 404
    assert client.get("/cdn/shops/4242/files/64749649/ranger-front.jpg").status_code == 404  # an image id
    assert (app.stats.requests, app.stats.cdn) == (0, 6)
    assert client.get("/nl/shop.json", headers=_basic(KEY, SECRET)).status_code == 200


def test_faults_are_seeded(tiny_shop: Shop) -> None:
    def statuses(seed: int) -> list[int]:
        client = client_for(EmulatorApp(tiny_shop, rate_limit=None, fail_rate=0.5, seed=seed))
        return [client.get("/nl/shop.json").status_code for _ in range(40)]

    first = statuses(1)
    assert first == statuses(1) != statuses(2)
    assert set(first) - {200} <= {500, 502, 503} and 200 in first and len(set(first)) > 2


def test_every_request_fails_at_rate_one(tiny_shop: Shop) -> None:
    client = client_for(EmulatorApp(tiny_shop, rate_limit=None, fail_rate=1.0))
    responses = [client.get("/nl/products.json") for _ in range(10)]
    assert all(r.status_code in (500, 502, 503) for r in responses)
    assert all(r.json()["error"]["code"] == r.status_code for r in responses)
    assert all("X-RateLimit-Remaining" in r.headers for r in responses)
    assert client.get("/cdn/shops/4242/files/67984977/ranger-front.jpg").status_code == 200


def test_latency(tiny_shop: Shop) -> None:
    client = client_for(EmulatorApp(tiny_shop, rate_limit=None, latency_ms=40))
    start = time.perf_counter()
    client.get("/nl/shop.json")
    assert time.perf_counter() - start >= 0.035


def test_stats(tiny_shop: Shop) -> None:
    app = EmulatorApp(tiny_shop, rate_limit=None)
    client = client_for(app)
    client.get(f"/nl/products/{GLOVE}/metafields.json")
    client.get("/nl/products/65626326/metafields.json")
    client.get("/en/catalog.json")
    client.get("/xx/catalog.json")
    stats = client.get("/_emulator/stats.json").json()
    assert stats["requests"] == app.stats.requests == 4
    assert stats["by_path"] == {"/nl/products/{id}/metafields.json": 2, "/en/catalog.json": 1, "/xx/catalog.json": 1}
    assert stats["by_status"] == {"200": 3, "404": 1}
    assert client.post("/_emulator/reset-stats.json").status_code == 204
    assert client.get("/_emulator/stats.json").json()["requests"] == 0
