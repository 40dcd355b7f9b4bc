"""Serve the emulator over a real socket: a quiet, threaded HTTP/1.1 server with keep-alive.

Standard library only: :class:`http.server.BaseHTTPRequestHandler` reads each request, the
emulator answers it (:meth:`EmulatorApp.handle`), and the answer goes out in one write with its
``Content-Length``, so a client sends request after request on one connection (a thread per
connection). The connection is closed after an answer when the client asks for it
(``Connection: close``, HTTP/1.0), when a request body cannot be framed, when the connection has
been idle for ``IDLE_SECONDS``, and after a dropped-connection fault: an answer that promises more
bytes than it carries (:func:`ecomgit.emulator.faults.dropped`) is cut off there, mid-answer.
"""

from __future__ import annotations

import logging
import socket
import struct
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn
from typing import Any

from ecomgit.emulator.app import EmulatorApp
from ecomgit.emulator.readcache import ReadCache
from ecomgit.emulator.wsgi import Request, Response, json_response

IDLE_SECONDS = 60.0  # an idle keep-alive connection is closed after this
MAX_LINE = 65536
log = logging.getLogger(__name__)


class _Server(ThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], app: EmulatorApp) -> None:
        self.app = app
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up is not worth a traceback on stderr."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ecomgit-emulator"
    timeout = IDLE_SECONDS
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.app.stats.count_connection()

    def log_message(self, format: str, *args: Any) -> None:
        """No per-request log lines."""

    def handle_one_request(self) -> None:
        """Read one request (any method), answer it; sets ``close_connection`` when it must end."""
        try:
            self.raw_requestline = self.rfile.readline(MAX_LINE + 1)
        except OSError:  # idle too long, or reset by the client
            self.close_connection = True
            return
        if not self.raw_requestline or len(self.raw_requestline) > MAX_LINE:
            self.close_connection = True
            return
        if not self.parse_request():  # it answered the error itself
            return
        try:
            response = self._answer()
        except Exception:  # a bug in the emulator: answer 500 and start afresh, as wsgiref did
            log.exception("emulator failed on %s %s", self.command, self.path)
            self.close_connection = True
            response = _error(500, "Internal server error.")
        self._send(response)

    def _answer(self) -> Response:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True  # the body is not read, so the connection cannot go on
            return _error(411, "Length required.")
        try:
            length = max(0, int(self.headers.get("Content-Length") or 0))
        except ValueError:
            self.close_connection = True
            return _error(400, "Bad Content-Length.")
        return self.server.app.handle(self._request(length))

    def _request(self, length: int) -> Request:
        """The request as the emulator reads it (the environ a WSGI server would build)."""
        path, _, query = self.path.partition("?")
        environ: dict[str, Any] = {
            f"HTTP_{name.upper().replace('-', '_')}": value
            for name, value in self.headers.items()
            if name.lower() not in ("content-type", "content-length")
        }
        environ.update(
            REQUEST_METHOD=self.command,
            PATH_INFO=urllib.parse.unquote(path, "iso-8859-1"),
            QUERY_STRING=query,
            CONTENT_TYPE=self.headers.get("Content-Type", ""),
            CONTENT_LENGTH=str(length),
            SERVER_NAME=self.server.server_address[0],
            SERVER_PORT=str(self.server.server_address[1]),
        )
        environ["wsgi.input"] = self.rfile
        environ["wsgi.url_scheme"] = "http"
        environ["ecomgit.emulator.socket"] = True
        return Request.from_environ(environ)

    def _send(self, response: Response) -> None:
        if response.framing == "reset":  # close with a TCP reset: the client reads no answer at all
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        headers = response.header_list()
        if response.framing == "close":
            headers = [(name, value) for name, value in headers if name.lower() != "content-length"]
            self.close_connection = True
        declared = next((value for name, value in headers if name.lower() == "content-length"), None)
        cut_off = self.command != "HEAD" and declared is not None and declared != str(len(response.body))
        lines = [f"{self.protocol_version} {response.status_line}", f"Server: {self.server_version}"]
        lines.append(f"Date: {self.date_time_string()}")
        lines += [f"{name}: {value}" for name, value in headers]
        if self.close_connection and not cut_off:
            lines.append("Connection: close")
        elif self.request_version == "HTTP/1.0" and not self.close_connection:
            lines.append("Connection: keep-alive")  # asked for by an HTTP/1.0 client
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head if self.command == "HEAD" else head + response.body)
        if cut_off:  # a dropped-connection fault: the rest of the answer never comes
            self.close_connection = True


def _error(status: int, message: str) -> Response:
    """An error answer for a request the emulator never saw (it could not be read, or it broke)."""
    return json_response(status, {"error": {"code": status, "message": message}})


def make(app: EmulatorApp, host: str = "127.0.0.1", port: int = 0) -> HTTPServer:
    return _Server((host, port), app)


def base_url(server: HTTPServer) -> str:
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
    """Serve ``app`` until interrupted; ``ready(base_url)`` is called once it listens.

    Its shop then changes through requests only, so list pages are kept between writes (a
    :class:`~ecomgit.emulator.readcache.ReadCache`) unless the app has a cache already.
    """
    if app.read_cache is None:
        app.read_cache = ReadCache()
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
