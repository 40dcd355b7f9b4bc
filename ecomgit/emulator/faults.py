"""Injected failures: random 5xx answers and dropped connections, from a seeded generator."""

from __future__ import annotations

import json
import random
import threading

from ecomgit.emulator.wsgi import JSON_TYPE, Request, Response, error_response

_STATUSES = (500, 502, 503)
_MESSAGES = {500: "Internal server error.", 502: "Bad gateway.", 503: "Service unavailable."}


class Faults:
    def __init__(self, fail_rate: float, seed: int = 0) -> None:
        if not 0.0 <= fail_rate <= 1.0:
            raise ValueError("fail_rate must be between 0 and 1")
        self.fail_rate = fail_rate
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def pick(self, request: Request) -> Response | None:
        """A failure to answer with instead of the real answer, or ``None``."""
        if self.fail_rate <= 0:
            return None
        with self._lock:
            if self._random.random() >= self.fail_rate:
                return None
            kind = self._random.randrange(len(_STATUSES) + 1)
        if kind == len(_STATUSES):
            return dropped() if request.over_socket else error_response(request, 503, _MESSAGES[503])
        status = _STATUSES[kind]
        return error_response(request, status, _MESSAGES[status])


def dropped() -> Response:
    """A 200 that promises more bytes than it sends: the server then closes the connection."""
    body = json.dumps({"products": [{"id": 1, "title": "trunc"}]}).encode()
    return Response(
        200,
        body[: len(body) // 2],
        [
            ("Content-Type", JSON_TYPE),
            ("Content-Length", str(len(body))),
        ],
    )
