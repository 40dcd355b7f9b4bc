"""Fetching from the shop into the staging tables, resumably.

Every list is read page by page and each page is stored together with its cursor in one
transaction, so a sync stopped by Ctrl-C, a dropped connection or a spent request budget continues
from the last stored page on the next run. Per-product reads (metafields, tag links, …) are marked
done one by one for the same reason: up to ``WORKERS`` run at once, and each id's rows are
stored with its "done" mark in one transaction as its read completes.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from queue import SimpleQueue
from typing import Any

from ecomgit.api import ShopClient
from ecomgit.api.values import as_int, link_id
from ecomgit.sync.state import State

PAGE = 250
Row = Mapping[str, Any]
Keyer = Callable[[Row], tuple[int, int | None, Any]]


def by_id(row: Row) -> tuple[int, int | None, Any]:
    return as_int(row.get("id"), 0), None, row


def owned_by(link: str) -> Keyer:
    """Stage a row under the product it belongs to (``row[link]`` is a link or id)."""

    def key(row: Row) -> tuple[int, int | None, Any]:
        return as_int(row.get("id"), 0), link_id(row.get(link)), row

    return key


PROGRESS_EVERY = 500  # items between progress lines
TICK_EVERY = 25  # items between ticks of the progress line (done/total, requests left, ETA)
WORKERS = 4  # per-item reads at once: enough to keep a local shop busy, few enough for any shop


class Fetcher:
    def __init__(
        self,
        client: ShopClient,
        state: State,
        progress: Callable[[str], None] | None = None,
        strip: Callable[[Any], Any] | None = None,
        tick: Callable[[str, int, int], None] | None = None,
    ) -> None:
        self.client = client
        self.state = state
        self.progress = progress or (lambda message: None)
        self.tick = tick  # (read, done, of): a per-item read's progress, every TICK_EVERY items
        self.strip = strip or (lambda row: row)  # what the state must never hold, taken out first

    def list_into(
        self,
        name: str,
        path: str,
        envelope: str,
        kind: str,
        lang: str,
        params: Mapping[str, Any] | None = None,
        keyer: Keyer = by_id,
    ) -> None:
        """Stage every row of a list endpoint under ``kind``/``lang``; resumes at its cursor.

        The next page is read while this one is stored (see :func:`read_ahead`).
        """
        if self.state.run_get(f"done:{name}"):
            return
        query = dict(params or {})
        cursor = self.state.run_get(f"cursor:{name}")
        if cursor:
            query["since_id"] = int(cursor)
        for page in read_ahead(self.client.iter_list(path, envelope, query, lang=lang, limit=PAGE), PAGE):
            self._store(name, kind, lang, [keyer(self.strip(row)) for row in page])
        self.state.run_set(f"done:{name}", "1")

    def _store(self, name: str, kind: str, lang: str, batch: list[tuple[int, int | None, Any]]) -> None:
        if not batch:
            return
        with self.state.transaction():
            self.state.stage(kind, lang, batch)
            self.state.run_set(f"cursor:{name}", str(max(rid for rid, _, _ in batch)))

    def per_item_into(
        self,
        name: str,
        ids: Iterable[int],
        fetch: Callable[[int], Iterable[Row]],
        kind: str,
        lang: str,
        owner_is_item: bool = True,
    ) -> None:
        """For each id not yet done: fetch its rows, stage them and mark the id done, atomically.

        Rows are staged by their own id, owned by the item they were fetched for. Up to
        ``WORKERS`` fetches run at once (one at a time when the rate limit or the request budget,
        not the wait for answers, decides the pace); their rows are stored here, on the calling
        thread, as fetches complete (those that complete together in one transaction, each with
        its done mark). When a fetch fails (or Ctrl-C), no new one starts: those running are
        finished and stored, then the first error is raised.
        """
        items = list(ids)
        todo = [item for item in items if self.state.staged("done", name, item) is None]
        stored = len(items) - len(todo)

        def store(fetched: list[tuple[int, list[Row]]]) -> None:
            nonlocal stored
            if not fetched:
                return
            with self.state.transaction():
                for item_id, rows in fetched:
                    owner = item_id if owner_is_item else None
                    staged = [(as_int(row.get("id"), 0), owner, self.strip(row)) for row in rows]
                    self.state.stage(kind, lang, staged)
                    self.state.stage("done", name, [(item_id, None, 1)])
            for _ in fetched:
                stored += 1
                if self.tick is not None and (stored % TICK_EVERY == 0 or stored == len(items)):
                    self.tick(name, stored, len(items))
                elif self.tick is None and stored % PROGRESS_EVERY == 0:
                    self.progress(f"{name}: {stored} of {len(items)}")

        for_each_fetched(todo, lambda item_id: list(fetch(item_id)), store, self.workers(len(todo)))

    def workers(self, requests: int) -> int:
        """How many reads to run at once for ``requests`` more: ``WORKERS``, or 1 when a rate-limit
        window or the request budget would run out during them or just after.

        Then the limit, not the wait for answers, decides the pace, and one at a time spends the
        last requests exactly: while reads overlap, the pacer cannot tell which of them the shop
        had counted when it answered, so it assumes none and may stop a few requests early.
        """
        left = self.client.requests_left()
        return 1 if left is not None and left < requests + WORKERS else WORKERS


def read_ahead(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    """``rows`` in lists of ``size``; the next list is read on a thread while the caller handles
    this one, so a list's next page is on its way (and the shop preparing it) meanwhile.

    Never more than one list ahead. A failure of the reading is raised after the rows read
    before it. When the caller stops early, nothing more is read.
    """
    handoff: SimpleQueue[tuple[list[Row] | None, BaseException | None]] = SimpleQueue()
    wanted = threading.Semaphore(1)  # the caller took the last list: read the next one
    stop = threading.Event()

    def read() -> None:
        try:
            while True:
                while not wanted.acquire(timeout=0.05):
                    if stop.is_set():
                        return
                chunk = list(itertools.islice(rows, size))
                handoff.put((chunk or None, None))
                if not chunk:
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            handoff.put((None, exc))

    threading.Thread(target=read, name="ecomgit-read-ahead", daemon=True).start()
    try:
        while True:
            chunk, error = handoff.get()
            wanted.release()
            if error is not None:
                raise error
            if chunk is None:
                return
            yield chunk
    finally:
        stop.set()


Fetched = list[tuple[int, list[Row]]]


def for_each_fetched(
    items: Sequence[int],
    fetch: Callable[[int], list[Row]],
    store: Callable[[Fetched], None],
    workers: int,
) -> None:
    """``fetch(item)`` for every item on up to ``workers`` threads; ``store([(item, rows), …])`` on
    this thread with the fetches that completed since the last store. After the first failure (a
    fetch, a store, or Ctrl-C while waiting) nothing new is fetched; what is running is finished
    and stored, then the error is raised: Ctrl-C or a failed store, else the failure of the first
    item (in ``items``' order) whose fetch failed, whichever thread finished first. A second
    Ctrl-C stops waiting for them."""
    if workers <= 1:
        for item in items:
            store([(item, fetch(item))])
        return
    queue = enumerate(items)
    pool = ThreadPoolExecutor(workers, thread_name_prefix="ecomgit-fetch")
    running: dict[Future[list[Row]], tuple[int, int]] = {}  # → (place in items, item)
    failures: dict[int, BaseException] = {}  # place in items → what its fetch raised
    stopped: BaseException | None = None  # Ctrl-C, or a store that failed
    try:
        while True:
            if stopped is None and not failures:
                for place, item in itertools.islice(queue, workers - len(running)):
                    running[pool.submit(fetch, item)] = (place, item)
            if not running:
                break
            try:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
            except KeyboardInterrupt as exc:
                if stopped is not None or failures:
                    raise
                stopped = exc
                continue
            fetched = [(running.pop(future), future) for future in finished]
            failures.update((place, problem) for (place, _), future in fetched if (problem := future.exception()))
            try:
                store([(item, future.result()) for (_, item), future in fetched if future.exception() is None])
            except BaseException as exc:  # noqa: BLE001 - kept, and raised once the rest is stored
                stopped = stopped or exc
    finally:
        pool.shutdown(wait=stopped is None and not failures, cancel_futures=True)
    if stopped is not None:
        raise stopped
    if failures:  # the failure of the first item that failed, in the order given: the same every run
        raise failures[min(failures)]
