"""A key without write permission: every API write is answered 403 and changes nothing."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from ecomgit.cli import emulator_cmd
from ecomgit.cli.main import cli
from ecomgit.emulator import EmulatorApp, Shop
from ecomgit.emulator.pngs import tiny_png

MakeClient = Callable[..., httpx.Client]
GLOVE = 65626325
KEY, SECRET = "k" * 32, "s" * 32
IMAGE = {"productImage": {"attachment": base64.b64encode(tiny_png(9)).decode(), "filename": "new.png"}}


def _everything(client: httpx.Client) -> list[Any]:
    """What the shop holds, as a reader sees it (both languages)."""
    paths = ("catalog.json", "products.json", "variants.json", "tags.json", "categories/products.json")
    return [client.get(f"/{lang}/{path}").json() for lang in ("nl", "en") for path in paths]


@pytest.mark.parametrize(
    ("method", "path", "body", "resource"),
    [
        ("PUT", f"/nl/products/{GLOVE}.json", {"product": {"title": "Nope"}}, "products"),
        ("POST", "/nl/products.json", {"product": {"title": "Nope"}}, "products"),
        ("DELETE", f"/nl/products/{GLOVE}.json", None, "products"),
        ("POST", f"/en/products/{GLOVE}/images.json", IMAGE, "products"),
        ("POST", "/nl/tags.json", {"tag": {"title": "nope"}}, "tags"),
        ("PUT", "/nl/variants/1.json", {"variant": {"priceExcl": 1}}, "variants"),  # 403 before 404
    ],
)
def test_a_read_only_key_gets_403_for_every_write(
    tiny_shop: Shop, make_client: MakeClient, method: str, path: str, body: Any, resource: str
) -> None:
    client = make_client(tiny_shop, read_only=True)
    before = _everything(client)
    response = client.request(method, path, json=body)
    assert response.status_code == 403
    assert response.json() == {
        "error": {
            "code": 403,
            "method": method,
            "request": path,
            "message": f"This API key has no write permission for {resource}.",
        }
    }
    assert "X-RateLimit-Remaining" in response.headers  # a refused request still counts
    assert _everything(client) == before


def test_a_read_only_key_reads_and_the_cdn_and_retail_still_work(tiny_shop: Shop) -> None:
    app = EmulatorApp(tiny_shop, rate_limit=None, read_only=True)
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://emulator.test") as client:
        assert client.get(f"/nl/products/{GLOVE}.json").status_code == 200
        assert client.get("/en/catalog.json").status_code == 200
        assert client.get("/cdn/shops/4242/files/67984977/ranger-front.jpg").status_code == 200
        # Retail's actions are not API requests by this key
        assert client.post("/_emulator/retail/delete.json", json={"product": GLOVE}).status_code == 200
        assert GLOVE not in tiny_shop.products
        assert client.put(f"/nl/products/{GLOVE}.json", json={"product": {}}).status_code == 403
    assert app.stats.by_status[403] == 1


def test_wrong_credentials_are_still_401_before_403(tiny_shop: Shop, make_client: MakeClient) -> None:
    client = make_client(tiny_shop, read_only=True, api_key=KEY, api_secret=SECRET)
    assert client.put(f"/nl/products/{GLOVE}.json", json={"product": {}}).status_code == 401
    right = {"Authorization": "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()}
    assert client.put(f"/nl/products/{GLOVE}.json", json={"product": {}}, headers=right).status_code == 403
    assert client.get(f"/nl/products/{GLOVE}.json", headers=right).status_code == 200


def test_writes_are_allowed_by_default(tiny_shop: Shop, make_client: MakeClient) -> None:
    client = make_client(tiny_shop)
    assert client.put(f"/nl/products/{GLOVE}.json", json={"product": {"title": "Yes"}}).status_code == 200


@pytest.mark.parametrize(("flags", "read_only"), [(["--read-only"], True), ([], False)])
def test_serve_read_only_flag(monkeypatch: pytest.MonkeyPatch, flags: list[str], read_only: bool) -> None:
    served: list[EmulatorApp] = []

    def fake_serve(app: EmulatorApp, host: str, port: int, *, ready: Callable[[str], None]) -> None:
        served.append(app)

    monkeypatch.setattr(emulator_cmd, "serve", fake_serve)
    result = CliRunner().invoke(cli, ["emulator", "serve", "--synthetic", "2", *flags], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    [app] = served
    assert app.read_only is read_only
    help_text = CliRunner().invoke(cli, ["emulator", "serve", "--help"]).output
    assert "--read-only" in help_text and "403" in help_text
