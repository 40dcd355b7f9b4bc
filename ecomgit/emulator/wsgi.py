"""The few HTTP pieces the emulator needs on top of WSGI: a request, a response, an error."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

from ecomgit import jsonfast

REASONS = {status.value: status.phrase for status in HTTPStatus}
JSON_TYPE = "application/json; charset=utf-8"


class HttpError(Exception):
    """An API error answer: ``{"error": {"code", "method", "request", "message"}}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(slots=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes
    root: str  # scheme://host of the request, for absolute URLs in answers
    over_socket: bool = False

    @classmethod
    def from_environ(cls, environ: Mapping[str, Any]) -> Request:
        headers = {
            key[5:].replace("_", "-").lower(): str(value) for key, value in environ.items() if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = str(environ["CONTENT_TYPE"])
        return cls(
            method=str(environ.get("REQUEST_METHOD", "GET")).upper(),
            path=str(environ.get("PATH_INFO", "/")) or "/",
            query=dict(parse_qsl(str(environ.get("QUERY_STRING", "")), keep_blank_values=True)),
            headers=headers,
            body=_read_body(environ),
            root=_root(environ, headers),
            over_socket=bool(environ.get("ecomgit.emulator.socket")),
        )


@dataclass(slots=True)
class Response:
    """An answer. ``framing`` is how the socket server sends it: ``length`` (a ``Content-Length``),
    ``close`` (no length: the body ends when the connection closes) or ``reset`` (no answer at
    all: the connection is reset). In-process (WSGI) every answer is sent whole."""

    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    framing: str = "length"

    @property
    def status_line(self) -> str:
        return f"{self.status} {REASONS.get(self.status, 'Unknown')}"

    def header_list(self) -> list[tuple[str, str]]:
        names = {name.lower() for name, _ in self.headers}
        if "content-length" in names:
            return list(self.headers)
        return [*self.headers, ("Content-Length", str(len(self.body)))]


def json_response(status: int, payload: object) -> Response:
    return Response(status, jsonfast.dumps(payload), [("Content-Type", JSON_TYPE)])


def error_response(request: Request, status: int, message: str) -> Response:
    error = {"code": status, "method": request.method, "request": request.path, "message": message}
    return json_response(status, {"error": error})


def _read_body(environ: Mapping[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    stream = environ.get("wsgi.input")
    if length <= 0 or stream is None:
        return b""
    data: bytes = stream.read(length)
    return data


def _root(environ: Mapping[str, Any], headers: dict[str, str]) -> str:
    scheme = str(environ.get("wsgi.url_scheme", "http"))
    host = headers.get("host")
    if not host:
        host = f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '80')}"
    return f"{scheme}://{host}"
