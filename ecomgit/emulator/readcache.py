"""Rendered list pages kept between writes, so re-reading an unchanged catalog costs no rendering.

A ``/catalog.json`` page of 250 products is about 1 MB of JSON and 0.1–0.2 s to render; a no-op
sync of a 10 000-product shop reads 40 of them. The real API answers an unchanged catalog the same
way every time, so the emulator may too: :class:`ReadCache` keeps the answers to ``GET`` list
requests (status 200, keyed by path, query and base URL) and forgets them all at any write, by the
API or a Retail action. It is meant for a shop that changes only through requests (``ecomgit
emulator serve``); code that edits a :class:`~ecomgit.emulator.store.Shop` in place must not turn it on.
"""

from __future__ import annotations

from collections import OrderedDict

from ecomgit.emulator.wsgi import Request, Response

Key = tuple[str, tuple[tuple[str, str], ...], str]
MAX_BYTES = 256 * 1024 * 1024


class ReadCache:
    """Answers by request, least recently used dropped first beyond ``max_bytes``; not
    thread-safe (the emulator calls it under its store lock)."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._answers: OrderedDict[Key, Response] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._answers)

    @staticmethod
    def key(request: Request) -> Key:
        return request.path, tuple(sorted(request.query.items())), request.root

    def get(self, key: Key) -> Response | None:
        """A copy of the stored answer (its headers are extended per request), or ``None``."""
        found = self._answers.get(key)
        if found is None:
            return None
        self._answers.move_to_end(key)
        return Response(found.status, found.body, list(found.headers))

    def put(self, key: Key, response: Response) -> None:
        if response.status != 200 or len(response.body) > self.max_bytes:
            return
        self._drop(key)
        self._answers[key] = Response(response.status, response.body, list(response.headers))
        self._bytes += len(response.body)
        while self._bytes > self.max_bytes:
            self._drop(next(iter(self._answers)))

    def clear(self) -> None:
        self._answers.clear()
        self._bytes = 0

    def _drop(self, key: Key) -> None:
        old = self._answers.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)
