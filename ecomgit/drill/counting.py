"""A WSGI wrapper around the emulator that counts the API's write requests (the drill's floor)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict[str, Any], Any], Iterable[bytes]]
WRITES = frozenset({"POST", "PUT", "DELETE"})
NOT_API = ("/cdn/", "/_emulator/")  # image bytes and the emulator's own admin endpoints


class CountingApp:
    """Passes every request to ``app``; ``writes`` counts the API requests that change the shop."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self.writes = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO", ""))
        if environ.get("REQUEST_METHOD") in WRITES and not path.startswith(NOT_API):
            self.writes += 1
        return self.app(environ, start_response)
