"""ShopClient: URLs, auth, envelopes, writes, error mapping, downloads."""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from ecomgit.api import RatePacer, RetryPolicy, ShopClient
from ecomgit.errors import (
    ApiError,
    AuthError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RejectedError,
    ServerError,
    TransportError,
)

from .fakes import BASIC_TOKEN, FakeClock, Script, json_response, make_client


def test_basic_auth_header_user_agent_and_no_credentials_in_url() -> None:
    script = Script([json_response(200, {"shop": {"id": 1}})])
    make_client(script).get("shop")
    request = script.requests[0]
    assert request.headers["Authorization"] == f"Basic {BASIC_TOKEN}"
    assert request.headers["User-Agent"].startswith("ecomgit/")
    assert request.url.userinfo == b""


def test_url_has_the_language_segment_and_lang_overrides_it() -> None:
    script = Script([json_response(200), json_response(200), json_response(200)])
    client = make_client(script, base_url="http://127.0.0.1:8123/")
    client.get("products/5")
    client.get("/products/5.json", lang="en")
    client.get("catalog", {"page": 2, "fields": ("id", "title"), "brand": None})
    urls = [str(r.url) for r in script.requests]
    assert urls[0] == "http://127.0.0.1:8123/nl/products/5.json"
    assert urls[1] == "http://127.0.0.1:8123/en/products/5.json"
    assert script.requests[2].url.path == "/nl/catalog.json"
    assert dict(script.requests[2].url.params) == {"page": "2", "fields": "id,title"}


def test_datetime_params_are_sent_in_the_filter_format_in_utc() -> None:
    script = Script([json_response(200, {"products": []})])
    since = datetime(2025, 1, 2, 4, 4, 5, tzinfo=timezone(timedelta(hours=1)))
    make_client(script).get("products", {"updated_at_min": since})
    assert script.requests[0].url.params["updated_at_min"] == "2025-01-02 03:04:05"


def test_get_one_unwraps_and_count_reads_count() -> None:
    script = Script([json_response(200, {"product": {"id": 5}}), json_response(200, {"count": 42})])
    client = make_client(script)
    assert client.get_one("products/5", "product") == {"id": 5}
    assert client.count("products", {"brand": 3}) == 42
    assert script.requests[1].url.path == "/nl/products/count.json"
    assert script.requests[1].url.params["brand"] == "3"


def test_get_one_without_the_envelope_is_a_server_error() -> None:
    client = make_client(Script([json_response(200, {"products": []})]))
    with pytest.raises(ServerError, match=r"GET /nl/products/5.json: the answer holds no 'product'"):
        client.get_one("products/5", "product")


def test_post_and_put_wrap_the_body_and_unwrap_the_answer() -> None:
    script = Script([json_response(201, {"product": {"id": 9}}), json_response(200, {"product": {"id": 9}})])
    client = make_client(script)
    assert client.post("products", "product", {"title": "T"}) == {"id": 9}
    assert client.put("products/9", "product", {"title": "U"}, lang="de") == {"id": 9}
    assert [r.method for r in script.requests] == ["POST", "PUT"]
    assert script.requests[0].read() == b'{"product":{"title":"T"}}'
    assert script.requests[0].headers["Content-Type"] == "application/json"
    assert script.requests[1].url.path == "/de/products/9.json"


def test_delete_accepts_204_with_empty_body() -> None:
    script = Script([httpx.Response(204)])
    make_client(script).delete("products/9")
    assert script.requests[0].method == "DELETE"


def test_empty_2xx_body_reads_as_empty_object() -> None:
    assert make_client(Script([httpx.Response(200, content=b"")])).get("products") == {}


def test_invalid_json_on_2xx_is_a_server_error_that_says_so() -> None:
    client = make_client(Script([httpx.Response(200, content=b"<html>Shop offline</html>")]))
    with pytest.raises(ServerError, match="not valid JSON") as caught:
        client.get("products")
    assert "GET /nl/products.json" in str(caught.value)
    assert "Shop offline" in str(caught.value)


@pytest.mark.parametrize(
    ("status", "body", "kind", "fragments"),
    [
        (
            401,
            {"error": {"code": 401, "message": "Access denied."}},
            AuthError,
            ["The shop refused the API key (401 Access denied). Check ECOMGIT_API_KEY and ECOMGIT_API_SECRET."],
        ),
        (403, {"error": {"message": "Forbidden"}}, PermissionDeniedError, ["'products'", "read access"]),
        (
            404,
            {"error": {"message": "Unknown or inactive language."}},
            NotFoundError,
            ["language 'nl'", "check"],
        ),
        (400, {"error": {"message": "Invalid data input"}}, RejectedError, ["Invalid data input", "Fix"]),
        (405, {"error": {"message": "Method not allowed"}}, RejectedError, ["405 Method not allowed"]),
        (
            422,
            {"error": {"message": "Validation failed", "errors": {"title": ["is empty"], "price": "NaN"}}},
            RejectedError,
            ["Validation failed", "title: is empty", "price: NaN"],
        ),
        (500, {"error": {"message": "Internal"}}, ServerError, ["500", "run again later"]),
        (409, "not json", RejectedError, ["409 Conflict"]),
    ],
)
def test_error_statuses_map_to_the_error_tree(
    status: int, body: Any, kind: type[ApiError], fragments: list[str]
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(body, str):
            return httpx.Response(status, content=body.encode())
        return json_response(status, body)

    client = make_client(handler)
    with pytest.raises(ApiError) as caught:
        client.get("products/5", {"fields": "id"})
    error = caught.value
    assert type(error) is kind
    assert str(error).startswith("GET /nl/products/5.json?fields=id: ")
    for fragment in fragments:
        assert fragment in str(error)
    assert (error.status, error.method, error.path) == (status, "GET", "/nl/products/5.json?fields=id")


def test_403_names_write_access_for_writes() -> None:
    client = make_client(lambda request: json_response(403, {"error": {"message": "Forbidden"}}))
    with pytest.raises(PermissionDeniedError, match=r"PUT /nl/variants/7.json: .*write permission for 'variants'"):
        client.put("variants/7", "variant", {"stockLevel": 1})


def test_a_2xx_answer_with_an_error_key_is_an_error() -> None:
    client = make_client(lambda request: json_response(200, {"error": {"code": 404, "message": "Gone"}}))
    with pytest.raises(NotFoundError, match="Gone"):
        client.get("products/5")
    client = make_client(lambda request: json_response(200, {"error": "Something broke"}))
    with pytest.raises(RejectedError, match="Something broke"):
        client.post("products", "product", {})


def test_transport_failure_names_the_host_and_gives_advice() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused")

    client = make_client(refuse)
    with pytest.raises(TransportError) as caught:
        client.get("products")
    message = str(caught.value)
    assert message.startswith("GET /nl/products.json: could not reach api.webshopapp.com: ")
    assert "Connection refused" in message and "after 5 attempts" in message
    assert message.endswith("check the URL/network and run again.")
    with pytest.raises(TransportError, match=r"could not reach 127\.0\.0\.1:9: "):
        make_client(refuse, base_url="http://127.0.0.1:9").get("products")


def test_requests_counts_every_attempt_and_budget_stops_the_next() -> None:
    script = Script([json_response(503), json_response(200), json_response(200), json_response(200)])
    client = make_client(script, budget=3)
    client.get("products")
    client.get("products")
    assert client.requests == 3
    with pytest.raises(RateLimitError, match="request budget of 3 used up") as caught:
        client.get("products")
    assert caught.value.reset_seconds is None
    assert "GET /nl/products.json" in str(caught.value)
    assert len(script.requests) == 3 and client.requests == 3


def test_budget_ends_a_retry_loop_too() -> None:
    client = make_client(lambda request: json_response(503), budget=2)
    with pytest.raises(RateLimitError, match="budget of 2"):
        client.get("products")
    assert client.requests == 2


class GatheringPacer(RatePacer):
    """Lets no request through until ``parties`` threads are all about to send."""

    def __init__(self, parties: int) -> None:
        super().__init__()
        self.gate = threading.Barrier(parties, timeout=5)

    def acquire(self) -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            self.gate.wait()
        super().acquire()


def test_budget_holds_when_threads_race_for_the_last_requests() -> None:
    script = Script([json_response(200) for _ in range(8)])
    client = make_client(script, pacer=GatheringPacer(8), budget=3)

    def call(_: int) -> str:
        try:
            client.get("shop")
        except RateLimitError as exc:
            return str(exc)
        return "ok"

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(call, range(8)))
    assert results.count("ok") == 3 and len(script.requests) == 3 and client.requests == 3
    assert all("request budget of 3 used up" in r for r in results if r != "ok")


def test_download_sends_no_auth_and_is_not_counted() -> None:
    script = Script([httpx.Response(200, content=b"\x89PNG")])
    client = make_client(script)
    url = "https://cdn.shoplightspeed.com/shops/1/files/68082119/file.jpg"
    assert client.download(url) == b"\x89PNG"
    assert "Authorization" not in script.requests[0].headers
    assert str(script.requests[0].url) == url
    assert client.requests == 0
    script.outcomes.append(httpx.Response(200, content=b"x"))
    assert client.download("//cdn.webshopapp.com/files/1/a.jpg") == b"x"
    assert str(script.requests[1].url) == "https://cdn.webshopapp.com/files/1/a.jpg"


def test_download_is_not_paced_even_when_the_api_window_is_used_up() -> None:
    clock = FakeClock()
    pacer = RatePacer(clock=clock, sleep=clock.sleep)
    pacer.acquire()
    pacer.record({"X-RateLimit-Remaining": "0/0/0", "X-RateLimit-Reset": "300/3600/86400"})
    client = make_client(lambda request: httpx.Response(200, content=b"img"), clock=clock, pacer=pacer)
    assert client.download("https://cdn.webshopapp.com/files/1/a.jpg") == b"img"
    with pytest.raises(RateLimitError):
        client.get("products")
    assert clock.sleeps == []


def test_download_is_retried_on_transient_faults() -> None:
    script = Script([httpx.ConnectError("reset"), httpx.Response(503), httpx.Response(200, content=b"ok")])
    clock = FakeClock()
    client = make_client(script, clock=clock)
    assert client.download("https://cdn.webshopapp.com/files/1/a.jpg") == b"ok"
    assert len(script.requests) == 3 and len(clock.sleeps) == 2 and client.requests == 0


def test_download_of_a_missing_image_is_not_found() -> None:
    client = make_client(lambda request: httpx.Response(404))
    with pytest.raises(NotFoundError, match=r"GET https://cdn.webshopapp.com/files/1/a.jpg: the image is not"):
        client.download("https://cdn.webshopapp.com/files/1/a.jpg")


def test_concurrent_downloads_are_thread_safe() -> None:
    in_flight = threading.Barrier(4, timeout=5)  # the first four must be in flight at once
    calls = iter(range(64))
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        with lock:
            call = next(calls)
        if call < 4:
            with contextlib.suppress(threading.BrokenBarrierError):
                in_flight.wait()
        return httpx.Response(200, content=request.url.path.encode())

    client = make_client(handler)
    urls = [f"https://cdn.webshopapp.com/files/{i}/file.jpg" for i in range(64)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(client.download, urls))
    assert results == [f"/files/{i}/file.jpg".encode() for i in range(64)]
    assert client.requests == 0
    assert not in_flight.broken


def test_concurrent_api_calls_count_exactly() -> None:
    client = make_client(lambda request: json_response(200, {"count": 1}))
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: client.count("products"), range(100)))
    assert client.requests == 100


def test_client_is_a_context_manager_that_closes_its_transport() -> None:
    closed: list[bool] = []

    class Transport(httpx.MockTransport):
        def close(self) -> None:
            closed.append(True)

    with ShopClient(
        "https://api.webshopapp.com",
        language="nl",
        transport=Transport(lambda request: json_response(200)),
        retry=RetryPolicy(attempts=1),
    ) as client:
        assert client.get("shop") == {}
    assert closed == [True]
