"""Receive the shop's webhook deliveries: check, queue, answer at once.

Each ``POST`` is checked before anything in it is used: ``X-Signature`` must be the md5 hex
digest of the raw body followed by the API secret (compared in constant time). A wrong or missing
signature, a body that is no JSON object or names no product, one over 2 MB, or one that does not
arrive within 10 s is answered with an error status (or dropped) and logged, never acted on. A
good one puts its product in the queue (a variant's event: its product) and is answered 200 before
any sync: the work is done by the runner.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ecomgit.api.values import as_int, link_id
from ecomgit.watch.queue import Queue

MAX_BODY = 2 * 1024 * 1024
READ_SECONDS = 10.0  # a delivery's headers and body must arrive within this
Log = Callable[..., None]  # log(event, **fields): one structured line


def signed(body: bytes, secret: str, given: str | None) -> bool:
    if not given:
        return False
    wanted = hashlib.md5(body + secret.encode(), usedforsecurity=False).hexdigest()
    return hmac.compare_digest(wanted, given.strip().lower())


def product_of(payload: Any, header: str | None) -> int | None:
    """The product a delivery tells of (a variant's: its product)."""
    if header and header.strip().isdigit():
        return int(header.strip())
    if not isinstance(payload, dict):
        return None
    if isinstance(payload.get("product"), dict):
        return as_int(payload["product"].get("id"))
    if isinstance(payload.get("variant"), dict):
        return link_id(payload["variant"].get("product"))
    return None


class Receiver:
    """An HTTP server on ``host:port`` (port 0: any free one) feeding ``queue``."""

    def __init__(self, host: str, port: int, secret: str, queue: Queue, clock: Callable[[], float], log: Log) -> None:
        self.queue, self.secret, self.clock, self.log = queue, secret, clock, log
        self.received = threading.Event()  # set at each queued delivery (the runner need not poll)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            timeout = READ_SECONDS  # a body that never arrives (slowloris) frees its thread

            def do_POST(self) -> None:  # noqa: N802 - the standard library's name
                try:
                    receiver.handle(self)
                except OSError as exc:  # the timeout, or the sender gone
                    receiver.log("rejected", xEvent=self.headers.get("X-Event") or "", reason=f"reading it: {exc}")
                    self.close_connection = True

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet: we log ourselves
                return

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def start(self) -> None:
        self._thread = threading.Thread(target=self.server.serve_forever, name="ecomgit-watch-receiver", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        event = request.headers.get("X-Event") or ""
        length = as_int(request.headers.get("Content-Length"))
        if length is None or length < 0 or length > MAX_BODY:
            self._answer(request, 413, "rejected", event, reason="no or too large Content-Length")
            return
        body = request.rfile.read(length)
        if not signed(body, self.secret, request.headers.get("X-Signature")):
            self._answer(request, 401, "rejected", event, reason="wrong or missing X-Signature")
            return
        try:
            payload = json.loads(body)
        except ValueError:
            self._answer(request, 400, "rejected", event, reason="the body is no JSON")
            return
        product = product_of(payload, request.headers.get("X-Product-Id"))
        if product is None:
            self._answer(request, 400, "rejected", event, reason="names no product")
            return
        self.queue.add(product, self.clock())
        self.received.set()
        self._answer(request, 200, "queued", event, product=product)

    def _answer(self, request: BaseHTTPRequestHandler, status: int, what: str, event: str, **fields: Any) -> None:
        self.log(what, status=status, xEvent=event, **fields)
        body = b"ok\n" if status == 200 else b"refused\n"
        request.send_response(status)
        request.send_header("Content-Type", "text/plain")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)
