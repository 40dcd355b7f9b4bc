"""Retries: which faults, which methods, how long between attempts, what gets logged."""

from __future__ import annotations

import logging

import httpx
import pytest

from ecomgit.api import RetryPolicy
from ecomgit.errors import NotFoundError, RejectedError, ServerError, TransportError

from .fakes import FakeClock, Script, json_response, make_client

OK = json_response(200, {"product": {"id": 1}})


def test_backoff_is_exponential_with_jitter_and_capped() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=3.0, random=lambda: 1.0)
    assert [policy.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert RetryPolicy(base_delay=0.5, random=lambda: 0.0).delay(3) == 1.0  # jitter: half to full


def test_get_is_retried_on_503_with_backoff() -> None:
    clock = FakeClock()
    script = Script([json_response(503), json_response(502), OK])
    client = make_client(script, clock=clock)
    assert client.get_one("products/1", "product") == {"id": 1}
    assert clock.sleeps == [0.5, 1.0]
    assert client.requests == 3


@pytest.mark.parametrize(
    "fault",
    [
        httpx.ConnectError("[Errno 111] Connection refused"),
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadError("[Errno 104] Connection reset by peer"),
    ],
    ids=["connect-error", "read-timeout", "dropped", "reset"],
)
def test_get_is_retried_on_transport_faults(fault: Exception) -> None:
    script = Script([fault, fault, OK])
    client = make_client(script)
    assert client.get_one("products/1", "product") == {"id": 1}
    assert client.requests == 3


def test_get_gives_up_after_five_attempts() -> None:
    clock = FakeClock()
    client = make_client(lambda request: json_response(503, {"error": {"message": "Unavailable"}}), clock=clock)
    with pytest.raises(ServerError) as caught:
        client.get("products")
    assert str(caught.value).startswith("GET /nl/products.json: the shop answered 503 (Unavailable).")
    assert "run again later" in str(caught.value)
    assert client.requests == 5 and len(clock.sleeps) == 4


def test_a_timeout_message_says_what_timed_out() -> None:
    client = make_client(Script([httpx.ReadTimeout("")] * 5))
    with pytest.raises(TransportError, match=r"no answer within 30 s \(ReadTimeout\) after 5 attempts"):
        client.get("products")


def test_post_is_not_retried_once_it_may_have_reached_the_shop() -> None:
    script = Script([httpx.ReadTimeout("timed out"), OK])
    client = make_client(script)
    with pytest.raises(TransportError) as caught:
        client.post("products", "product", {"title": "T"})
    assert len(script.requests) == 1
    assert str(caught.value).startswith("POST /nl/products.json: could not reach api.webshopapp.com")
    assert "read the object back before retrying" in str(caught.value)


def test_post_is_not_retried_on_a_dropped_connection_or_5xx() -> None:
    for outcome in (httpx.RemoteProtocolError("dropped"), json_response(503)):
        script = Script([outcome, OK])
        with pytest.raises((TransportError, ServerError), match="(?i)read the object back"):
            make_client(script).post("products", "product", {})
        assert len(script.requests) == 1


@pytest.mark.parametrize("fault", [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow")])
def test_post_is_retried_when_it_never_reached_the_shop(fault: Exception) -> None:
    script = Script([fault, json_response(201, {"product": {"id": 1}})])
    assert make_client(script).post("products", "product", {}) == {"id": 1}
    assert len(script.requests) == 2
    assert script.requests[1].read() == b'{"product":{}}'


def test_put_is_retried_after_a_timeout() -> None:
    script = Script([httpx.ReadTimeout("timed out"), OK])
    assert make_client(script).put("products/1", "product", {"title": "T"}) == {"id": 1}
    assert len(script.requests) == 2


def test_delete_whose_first_answer_was_lost_is_done_when_the_retry_finds_it_gone() -> None:
    script = Script([httpx.ReadTimeout("timed out"), json_response(404)])
    make_client(script).delete("products/1")  # no NotFoundError
    assert len(script.requests) == 2


def test_delete_of_an_unknown_id_is_not_found() -> None:
    with pytest.raises(NotFoundError, match=r"DELETE /nl/products/1.json: not found"):
        make_client(Script([json_response(404)])).delete("products/1")


def test_local_protocol_errors_are_not_retried() -> None:
    script = Script([httpx.LocalProtocolError("bad header"), OK])
    with pytest.raises(TransportError, match="LocalProtocolError: bad header; check the URL"):
        make_client(script).get("products")
    assert len(script.requests) == 1


def test_4xx_is_not_retried() -> None:
    script = Script([json_response(400, {"error": {"message": "Invalid data input"}}), OK])
    with pytest.raises(RejectedError, match="Invalid data input"):
        make_client(script).put("products/1", "product", {})
    assert len(script.requests) == 1


def test_each_retry_is_logged_with_the_url(caplog: pytest.LogCaptureFixture) -> None:
    script = Script([json_response(503), httpx.ConnectError("refused"), OK])
    with caplog.at_level(logging.WARNING, logger="ecomgit.api"):
        make_client(script).get("products", {"page": 2})
    retries = [r.getMessage() for r in caplog.records if "retrying" in r.getMessage()]
    assert retries == [
        "GET /nl/products.json?page=2: answered 503 (attempt 1 of 5); retrying in 0.5 s",
        "GET /nl/products.json?page=2: ConnectError: refused (attempt 2 of 5); retrying in 1.0 s",
    ]
