"""Over a real socket: HTTP/1.1 keep-alive, every answer framed, faults still cut connections."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import closing, contextmanager
from typing import BinaryIO
from urllib.parse import urlsplit

import httpx
import pytest

from ecomgit.emulator import EmulatorApp, Shop, running
from ecomgit.emulator.wsgi import Request, Response

from .helpers import FakeClock

GLOVE = 65626325


@contextmanager
def raw_connection(base_url: str) -> Iterator[socket.socket]:
    parts = urlsplit(base_url)
    with closing(socket.create_connection((parts.hostname, parts.port), timeout=5)) as sock:
        yield sock


def read_answer(stream: BinaryIO, head_only: bool = False) -> tuple[int, dict[str, str], bytes]:
    """One HTTP answer from a buffered socket file: status, headers (lower-case names), body."""
    status = int(stream.readline().split()[1])
    headers = {}
    while (line := stream.readline().decode("latin-1").rstrip("\r\n")) != "":
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = b"" if head_only else stream.read(int(headers["content-length"]))
    return status, headers, body


def test_requests_and_downloads_share_one_connection(tiny_shop: Shop) -> None:
    app = EmulatorApp(tiny_shop, rate_limit=None)
    with running(app) as base_url, httpx.Client(base_url=base_url) as client:
        product = client.get(f"/nl/products/{GLOVE}.json").json()["product"]
        assert client.get("/nl/catalog.json").status_code == 200
        assert client.get(product["image"]["src"]).content[:4] == b"\x89PNG"
        assert client.put(f"/nl/products/{GLOVE}.json", json={"product": {"content": "x"}}).status_code == 200
        assert client.get("/nl/nothing.json").status_code == 404
        assert app.stats.connections == 1


def test_pipelined_requests_on_a_raw_socket(tiny_shop: Shop) -> None:
    app = EmulatorApp(tiny_shop, rate_limit=None)
    with running(app) as base_url, raw_connection(base_url) as sock, sock.makefile("rb") as stream:
        host = urlsplit(base_url).netloc
        request = f"GET /nl/products/{GLOVE}.json HTTP/1.1\r\nHost: {host}\r\n\r\n"
        head = f"HEAD /nl/shop.json HTTP/1.1\r\nHost: {host}\r\n\r\n"
        sock.sendall((request + head + request).encode())
        first = read_answer(stream)
        status, headers, _ = read_answer(stream, head_only=True)
        third = read_answer(stream)
        assert first[0] == third[0] == 200 and first[2] == third[2]
        assert json.loads(first[2])["product"]["id"] == GLOVE
        assert "connection" not in first[1] and "content-length" in headers
        assert app.stats.connections == 1


def test_the_server_closes_when_asked(tiny_shop: Shop) -> None:
    app = EmulatorApp(tiny_shop, rate_limit=None)
    with running(app) as base_url:
        host = urlsplit(base_url).netloc
        for request in (
            f"GET /nl/shop.json HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
            f"GET /nl/shop.json HTTP/1.0\r\nHost: {host}\r\n\r\n",
        ):
            with raw_connection(base_url) as sock, sock.makefile("rb") as stream:
                sock.sendall(request.encode())
                status, headers, _ = read_answer(stream)
                assert status == 200 and headers["connection"] == "close"
                assert stream.read() == b""  # closed by the server


def test_a_request_body_does_not_leak_into_the_next_request(tiny_shop: Shop) -> None:
    app = EmulatorApp(tiny_shop, rate_limit=None)
    with running(app) as base_url, raw_connection(base_url) as sock, sock.makefile("rb") as stream:
        host = urlsplit(base_url).netloc
        body = json.dumps({"product": {"title": "Over one connection"}}).encode()
        post = (
            f"POST /nl/products.json HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        sock.sendall(post + f"GET /nl/products/count.json HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        assert read_answer(stream)[0] == 201
        assert json.loads(read_answer(stream)[2]) == {"count": len(tiny_shop.products)}


def test_a_dropped_answer_closes_only_its_connection(tiny_shop: Shop) -> None:
    app = EmulatorApp(tiny_shop, rate_limit=None, fail_rate=1.0, seed=4)
    outcomes: list[int | str] = []
    with running(app) as base_url, httpx.Client(base_url=base_url) as client:
        for _ in range(16):
            try:
                outcomes.append(client.get("/nl/products.json").status_code)
            except httpx.RemoteProtocolError:
                outcomes.append("dropped")
    dropped = outcomes.count("dropped")
    assert dropped and set(outcomes) - {"dropped"} <= {500, 502, 503}
    assert app.stats.connections == dropped + (outcomes[-1] != "dropped")  # a 5xx keeps its connection


def test_rate_limited_answers_keep_the_connection(tiny_shop: Shop, clock: FakeClock) -> None:
    app = EmulatorApp(tiny_shop, rate_limit=(2, 100, 1000), clock=clock)
    with running(app) as base_url, httpx.Client(base_url=base_url) as client:
        statuses = [client.get("/nl/shop.json").status_code for _ in range(4)]
        assert statuses == [200, 200, 429, 429]
        assert app.stats.connections == 1


def test_a_body_without_a_length_is_refused_and_the_connection_closed(tiny_shop: Shop) -> None:
    app, products = EmulatorApp(tiny_shop, rate_limit=None), len(tiny_shop.products)
    with running(app) as base_url, raw_connection(base_url) as sock, sock.makefile("rb") as stream:
        host = urlsplit(base_url).netloc
        head = f"POST /nl/products.json HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n"
        sock.sendall(head.encode() + b"2\r\n{}\r\n0\r\n\r\n")
        status, headers, _ = read_answer(stream)
        assert status == 411 and headers["connection"] == "close"
        assert stream.read() == b""
    assert len(tiny_shop.products) == products


class BrokenApp(EmulatorApp):
    def handle(self, request: Request) -> Response:
        if request.path == "/nl/broken.json":
            raise RuntimeError("a bug")
        return super().handle(request)


def test_a_bug_in_the_emulator_is_a_500_not_a_hang(tiny_shop: Shop, caplog: pytest.LogCaptureFixture) -> None:
    with running(BrokenApp(tiny_shop, rate_limit=None)) as base_url, httpx.Client(base_url=base_url) as client:
        assert client.get("/nl/broken.json").status_code == 500
        assert client.get("/nl/shop.json").status_code == 200
    assert "emulator failed on GET /nl/broken.json" in caplog.text
