"""The key and secret never show up in a message, a log record, a repr or a URL."""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
import pytest

from ecomgit.api import ShopClient, redact
from ecomgit.errors import ApiError

from .fakes import BASE_URL, BASIC_TOKEN, KEY, SECRET, SECRETS, PagedShop, json_response, make_client


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def echo(status: int) -> Callable[[httpx.Request], httpx.Response]:
    """A shop that quotes the credentials back in its error message (worst case)."""

    def handler(request: httpx.Request) -> httpx.Response:
        said = f"bad key {KEY}:{SECRET} ({request.headers.get('Authorization')})"
        return json_response(status, {"error": {"message": said, "errors": {"key": said}}})

    return handler


def fail_transport(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError(f"cannot connect to {KEY}:{SECRET}@api.webshopapp.com")


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 422, 429, 500, 503, 302])
def test_no_error_message_holds_a_secret(status: int, caplog: pytest.LogCaptureFixture) -> None:
    client = make_client(echo(status))
    with caplog.at_level(logging.DEBUG), pytest.raises(ApiError) as caught:
        client.put(f"products/1?api_key={KEY}", "product", {"title": SECRET})
    error = caught.value
    shown = [str(error), repr(error), error.path or "", *map(str, error.args)]
    assert leaks(" ".join(shown)) == []
    assert "***" in str(error) or status in (401, 429)
    assert leaks(caplog.text) == []


def test_transport_errors_and_retry_logs_hold_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    client = make_client(fail_transport)
    with caplog.at_level(logging.DEBUG), pytest.raises(ApiError) as caught:
        client.get("products")
    assert leaks(str(caught.value)) == []
    assert "retrying" in caplog.text
    assert leaks(caplog.text) == []
    with caplog.at_level(logging.DEBUG), pytest.raises(ApiError) as caught:
        client.download(f"https://{KEY}:{SECRET}@cdn.webshopapp.com/files/1/a.jpg")
    assert leaks(str(caught.value) + caplog.text) == []


def test_a_malformed_answer_that_echoes_a_secret_is_redacted() -> None:
    client = make_client(lambda request: json_response(200, {f"note {SECRET}": 1}))
    with pytest.raises(ApiError) as caught:
        client.get_one("products/1", "product")
    assert "note ***" in str(caught.value) and leaks(str(caught.value)) == []


def test_a_whole_paged_walk_at_debug_logs_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    shop = PagedShop(range(1, 9), honour_since_id=False)
    with caplog.at_level(logging.DEBUG):
        rows = list(make_client(shop).iter_list("catalog", "products", limit=3))
    assert len(rows) == 8
    assert caplog.records  # something was logged, at DEBUG and WARNING
    assert leaks(caplog.text) == []
    assert all(leaks(str(record.args)) == [] for record in caplog.records)


def test_repr_hides_the_credentials() -> None:
    client = make_client(echo(200))
    assert repr(client) == "ShopClient('https://api.webshopapp.com', language='nl', key='***')"
    assert leaks(repr(client) + repr(client.pacer)) == []


def test_credentials_in_the_base_url_are_moved_into_the_header() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return json_response(200)

    client = make_client(handler, base_url=f"https://{KEY}:{SECRET}@api.webshopapp.com/", key=None, secret=None)
    client.get("shop")
    assert str(seen[0].url) == f"{BASE_URL}/nl/shop.json"
    assert seen[0].headers["Authorization"] == f"Basic {BASIC_TOKEN}"
    assert leaks(repr(client)) == []


def test_without_credentials_no_auth_header_is_sent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return json_response(200)

    client = ShopClient(BASE_URL, language="nl", transport=httpx.MockTransport(handler))
    client.get("shop")
    assert "Authorization" not in seen[0].headers
    assert repr(client).endswith("key=None)")


def test_redact() -> None:
    assert redact(f"x {KEY} y {SECRET} z {BASIC_TOKEN}", KEY, SECRET) == "x *** y *** z ***"
    assert redact("https://user:pw@host/path") == "https://***@host/path"
    assert redact("a b c", "", None, "b") == "a b c"  # empty or tiny 'secrets' mask nothing
    assert redact("https://h/?k=s%2Fx%3Ay", "s/x:y") == "https://h/?k=***"  # also URL-encoded
