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


class CdnFaults:
    """What the CDN does wrong for particular files, so a sync meets each failure for real.

    ``refuse(file_id, 404)`` answers that status (403, 404, 410: an image the CDN no longer
    serves, or refuses); ``reset`` resets the connection without an answer; ``truncate`` promises
    the whole file and sends half of it before closing; ``inflate(file_id, size)`` serves ``size``
    bytes (an oversized image), with its length declared, or (``declared=False``) without one, the
    body ending when the connection closes. Over a socket only, ``reset``, ``truncate`` and
    undeclared lengths are what they say; in-process an answer is always whole. ``heal`` forgets a
    file's fault.
    """

    def __init__(self) -> None:
        self._faults: dict[int, tuple[str, int, bool]] = {}
        self._lock = threading.Lock()

    def refuse(self, file_id: int, status: int = 404) -> None:
        self._set(file_id, ("status", status, True))

    def reset(self, file_id: int) -> None:
        self._set(file_id, ("reset", 0, True))

    def truncate(self, file_id: int) -> None:
        self._set(file_id, ("truncate", 0, True))

    def inflate(self, file_id: int, size: int, *, declared: bool = True) -> None:
        self._set(file_id, ("inflate", size, declared))

    def heal(self, file_id: int) -> None:
        with self._lock:
            self._faults.pop(file_id, None)

    def _set(self, file_id: int, fault: tuple[str, int, bool]) -> None:
        with self._lock:
            self._faults[file_id] = fault

    def pick(self, file_id: int, data: bytes, headers: list[tuple[str, str]]) -> Response | None:
        """The faulty answer for ``file_id`` (whose real bytes are ``data``), or ``None``."""
        with self._lock:
            fault = self._faults.get(file_id)
        if fault is None:
            return None
        kind, number, declared = fault
        if kind == "status":
            return Response(number, b"Not available", [("Content-Type", "text/plain")])
        if kind == "reset":
            return Response(502, b"", [], framing="reset")
        if kind == "truncate":
            return Response(200, data[: len(data) // 2], [*headers, ("Content-Length", str(len(data)))])
        body = (data * (number // max(1, len(data)) + 1))[:number]
        return Response(
            200, body, [*headers, ("Content-Length", str(number))], framing="length" if declared else "close"
        )


class DeliveryFaults:
    """What goes wrong with webhook deliveries, decided per delivery by a seeded generator.

    A delivery is dropped (``drop_rate``: never sent), sent twice (``duplicate_rate``: the same
    body, headers and ``X-Request-Id``), or held back (``delay_rate``) until ``delay_by`` later
    deliveries have gone out, so it arrives out of order. One draw per delivery, in queue order:
    the same seed and the same changes give the same faults.
    """

    def __init__(
        self,
        drop_rate: float = 0.0,
        duplicate_rate: float = 0.0,
        delay_rate: float = 0.0,
        *,
        delay_by: int = 2,
        seed: int = 0,
    ) -> None:
        rates = (drop_rate, duplicate_rate, delay_rate)
        if any(not 0.0 <= rate <= 1.0 for rate in rates) or sum(rates) > 1.0:
            raise ValueError("the webhook fault rates must each be between 0 and 1, and add up to at most 1")
        if delay_by < 1:
            raise ValueError("delay_by must be at least 1")
        self.drop_rate, self.duplicate_rate, self.delay_rate = rates
        self.delay_by = delay_by
        self._random = random.Random(seed)

    def pick(self) -> str:
        """``"drop"``, ``"duplicate"``, ``"delay"`` or ``"send"`` for the next delivery."""
        if not (self.drop_rate or self.duplicate_rate or self.delay_rate):
            return "send"
        draw = self._random.random()
        for kind, bound in (
            ("drop", self.drop_rate),
            ("duplicate", self.drop_rate + self.duplicate_rate),
            ("delay", self.drop_rate + self.duplicate_rate + self.delay_rate),
        ):
            if draw < bound:
                return kind
        return "send"
