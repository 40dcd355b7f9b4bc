"""Serve the emulator over a real socket: a quiet, threaded ``wsgiref`` server.

Each connection carries one request (HTTP/1.0, as ``wsgiref`` speaks it), so a dropped
connection fault can close the socket mid-answer.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from ecomgit.emulator.app import EmulatorApp


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up is not worth a traceback on stderr."""


class _Handler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No per-request log lines."""

    def get_stderr(self) -> io.StringIO:
        return io.StringIO()

    def get_environ(self) -> dict[str, Any]:
        environ = super().get_environ()
        environ["ecomgit.emulator.socket"] = True
        return environ


def make(app: EmulatorApp, host: str = "127.0.0.1", port: int = 0) -> WSGIServer:
    return make_server(host, port, app, server_class=_Server, handler_class=_Handler)


def base_url(server: WSGIServer) -> str:
    host = server.server_address[0]
    host = host.decode() if isinstance(host, bytes) else host
    return f"http://{host}:{server.server_port}"


def serve(
    app: EmulatorApp,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve ``app`` until interrupted; ``ready(base_url)`` is called once it listens."""
    with make(app, host, port) as server:
        if ready is not None:
            ready(base_url(server))
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            return


@contextmanager
def running(app: EmulatorApp) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a background thread; yields its base URL."""
    with make(app) as server:
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield base_url(server)
        finally:
            server.shutdown()
            thread.join()
