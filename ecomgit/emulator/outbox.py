"""The webhook outbox: deliveries wait here and go out from one worker thread, never in a request.

``put`` queues deliveries (at most ``limit``: when full, the oldest waiting one is dropped and
counted as ``overflowed``) and returns at once; the worker, started with the first delivery, sends
them in order through ``sender`` (default :func:`post`), applying the :class:`DeliveryFaults`.
``flush`` releases the held-back deliveries and returns once everything queued has been handled,
so a test knows when to look without sleeping. ``threaded=False`` has no worker: ``flush`` sends
in the caller's thread.

Held-back (delayed) deliveries go out after ``delay_by`` later ones, at ``flush``, or, when
``idle_release`` seconds is given, once the outbox has had nothing else to do that long.
"""

from __future__ import annotations

import http.client
import logging
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ecomgit.emulator.faults import DeliveryFaults
from ecomgit.emulator.webhooks import Delivery, is_loopback

log = logging.getLogger(__name__)

Sender = Callable[[Delivery], int]  # sends one delivery; the HTTP status it was answered with
DEFAULT_LIMIT = 1000
TIMEOUT_SECONDS = 10.0


@dataclass(slots=True)
class _Held:
    to_go: int  # later deliveries still to go out before this one
    delivery: Delivery


class Outbox:
    def __init__(
        self,
        sender: Sender | None = None,
        faults: DeliveryFaults | None = None,
        *,
        limit: int = DEFAULT_LIMIT,
        threaded: bool = True,
        idle_release: float | None = None,
    ) -> None:
        self.sender = sender or post
        self.faults = faults or DeliveryFaults()
        self.limit = limit
        self.threaded = threaded
        self.idle_release = idle_release
        self._queue: deque[tuple[Delivery, bool]] = deque()  # (delivery, fresh: faults not yet applied)
        self._held: list[_Held] = []
        self._busy = False
        self._closed = False
        self._cond = threading.Condition()
        self._worker: threading.Thread | None = None
        self._counts: Counter[str] = Counter()

    def put(self, deliveries: Iterable[Delivery]) -> None:
        with self._cond:
            for delivery in deliveries:
                if len(self._queue) >= self.limit:
                    self._queue.popleft()
                    self._counts["overflowed"] += 1
                self._queue.append((delivery, True))
                self._counts["queued"] += 1
            self._cond.notify_all()
            if self.threaded and self._worker is None and self._queue:
                self._worker = threading.Thread(target=self._run, name="webhook-outbox", daemon=True)
                self._worker.start()

    def flush(self) -> None:
        """Release held-back deliveries and return when everything queued has been handled."""
        while True:
            with self._cond:
                if self.threaded and self._worker is not None:
                    self._cond.wait_for(lambda: self._closed or (not self._queue and not self._busy))
                if self._closed or (not self._queue and not self._held):
                    return
                if self._queue and not (self.threaded and self._worker is not None):
                    item = self._take()
                else:
                    self._release_all()
                    continue
            self._handle(*item)

    def counts(self) -> dict[str, int]:
        """How many were queued, delivered, failed, dropped, duplicated, delayed, overflowed."""
        with self._cond:
            return dict(sorted(self._counts.items()))

    def close(self) -> None:
        """Stop the worker (what is still queued is not sent)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            worker = self._worker
        if worker is not None:
            worker.join()

    # -- the worker ---------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._cond:
                if not self._cond.wait_for(lambda: self._queue or self._closed, timeout=self._idle_timeout()):
                    self._release_all()  # idle long enough: held-back deliveries go out now
                    continue
                if self._closed:
                    return
                item = self._take()
            self._handle(*item)

    def _idle_timeout(self) -> float | None:
        return self.idle_release if self._held else None

    def _take(self) -> tuple[Delivery, bool]:
        self._busy = True
        return self._queue.popleft()

    def _release_all(self) -> None:
        """Move every held-back delivery to the front of the queue, in the order held. Under the lock."""
        for held in reversed(self._held):
            self._queue.appendleft((held.delivery, False))
        self._held.clear()
        self._cond.notify_all()

    def _handle(self, delivery: Delivery, fresh: bool) -> None:
        try:
            kind = self.faults.pick() if fresh else "send"
            if kind == "drop":
                self._count("dropped")
            elif kind == "delay":
                with self._cond:
                    if len(self._held) >= self.limit:  # bounded too: the longest held goes out now
                        self._queue.appendleft((self._held.pop(0).delivery, False))
                    self._held.append(_Held(self.faults.delay_by, delivery))
                    self._counts["delayed"] += 1
            else:
                self._send(delivery)
                if kind == "duplicate":
                    self._count("duplicated")
                    self._send(delivery)
                self._after_one()
        finally:
            with self._cond:
                self._busy = False
                self._cond.notify_all()

    def _send(self, delivery: Delivery) -> None:
        try:
            status = self.sender(delivery)
        except Exception as exc:  # a receiver that is down or broken must not stop the outbox
            log.debug("webhook delivery to %s failed: %s", delivery.address, exc)
            self._count("failed")
            return
        self._count("delivered" if 200 <= status < 300 else "failed")

    def _after_one(self) -> None:
        """One more delivery went out: held-back ones whose turn has come go next."""
        with self._cond:
            for held in self._held:
                held.to_go -= 1
            due = [held.delivery for held in self._held if held.to_go <= 0]
            self._held = [held for held in self._held if held.to_go > 0]
            for delivery in reversed(due):
                self._queue.appendleft((delivery, False))

    def _count(self, name: str) -> None:
        with self._cond:
            self._counts[name] += 1


def post(delivery: Delivery) -> int:
    """POST a delivery to its loopback address (no proxy, no redirect); the answer's status."""
    parts = urlsplit(delivery.address)
    host = parts.hostname or ""
    if not is_loopback(host):
        raise ValueError(f"refusing to deliver a webhook off this machine ({host!r})")
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(host, parts.port, timeout=TIMEOUT_SECONDS)
    try:
        connection.connect()
        peer = connection.sock.getpeername()[0] if connection.sock is not None else ""
        if not is_loopback(peer):
            raise ValueError(f"refusing to deliver a webhook off this machine ({host!r} is {peer})")
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("POST", path, body=delivery.body, headers=dict(delivery.headers))
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()
