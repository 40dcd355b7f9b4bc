"""Per-item reads run concurrently, store on the calling thread, stop cleanly and resume."""

from __future__ import annotations

import pickle
import signal
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ecomgit.api import RatePacer, ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.errors import RateLimitError, TransportError
from ecomgit.sync import fetch
from ecomgit.sync.fetch import Fetcher, Row
from ecomgit.sync.state import State

EMULATOR_URL = "http://localhost"


class ThreadNotingState(State):
    """The real state, noting which threads write to it."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.writers: set[int] = set()

    def stage(self, kind: str, lang: str, rows: Any) -> None:
        self.writers.add(threading.get_ident())
        super().stage(kind, lang, rows)


class Reads:
    """A fetch function: ``rows`` rows per item, a short wait, counting how many run at once."""

    def __init__(
        self, fail: dict[int, BaseException] | None = None, rows: int = 2, meet: threading.Barrier | None = None
    ) -> None:
        self.fail = fail or {}
        self.rows = rows
        self.meet = meet  # items 1 and 2 wait for each other: proof that two reads run at once
        self.started: list[int] = []
        self.running = self.most = 0
        self.lock = threading.Lock()

    def __call__(self, item: int) -> list[Row]:
        with self.lock:
            self.started.append(item)
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            if self.meet is not None and item in (1, 2):
                self.meet.wait(timeout=60)  # broken (an error) if the reads ran one after the other
            if item in self.fail:
                raise self.fail[item]
            return [{"id": item * 10 + n, "item": item} for n in range(self.rows)]
        finally:
            with self.lock:
                self.running -= 1


@pytest.fixture
def state(tmp_path: Path) -> Iterator[ThreadNotingState]:
    state = ThreadNotingState(tmp_path / "sync.db")
    yield state
    state.close()


def done(state: State, items: Iterable[int]) -> set[int]:
    return {item for item in items if state.staged("done", "reads", item) is not None}


def test_reads_run_concurrently_and_are_stored_by_the_calling_thread(
    client: ShopClient, state: ThreadNotingState
) -> None:
    reads, messages = Reads(meet=threading.Barrier(2)), []
    fetch.PROGRESS_EVERY, saved = 10, fetch.PROGRESS_EVERY
    try:
        Fetcher(client, state, messages.append).per_item_into("reads", range(1, 31), reads, "read", "nl")
    finally:
        fetch.PROGRESS_EVERY = saved
    assert 1 < reads.most <= fetch.WORKERS
    assert done(state, range(1, 31)) == set(range(1, 31))
    assert [row["item"] for row in state.staged_by_owner("read", "nl", 7)] == [7, 7]
    assert state.writers == {threading.get_ident()}
    assert messages == ["reads: 10 of 30", "reads: 20 of 30", "reads: 30 of 30"]


def test_a_failed_read_stops_new_ones_keeps_the_finished_and_the_next_run_continues(
    client: ShopClient, state: ThreadNotingState
) -> None:
    items = range(1, 41)
    first = TransportError("could not reach the shop")
    reads = Reads(fail={12: first, 13: RateLimitError("later")})
    with pytest.raises(TransportError) as raised:
        Fetcher(client, state).per_item_into("reads", items, reads, "read", "nl")
    assert raised.value is first
    stored = done(state, items)
    assert len(reads.started) <= 13 + fetch.WORKERS  # nothing new started after the failure
    assert stored == set(reads.started) - {12, 13}  # everything that finished was kept
    for item in stored:  # each with its rows, in the same transaction as its done mark
        assert len(state.staged_by_owner("read", "nl", item)) == 2

    again = Reads()
    Fetcher(client, state).per_item_into("reads", items, again, "read", "nl")
    assert sorted(again.started) == sorted(set(items) - stored)  # done work is not read again
    assert done(state, items) == set(items)


@pytest.fixture
def python_ctrl_c() -> Iterator[None]:
    """Python's own Ctrl-C handler for the test, also where the suite runs with SIGINT ignored (a
    shell's ``&`` job, as ``nohup … &`` makes): there ``interrupt_main()`` does nothing at all."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("python_ctrl_c")
def test_ctrl_c_keeps_what_finished(client: ShopClient, state: ThreadNotingState) -> None:
    """Ctrl-C arrives once some reads are stored, while later ones wait: made at states, not times."""
    items = range(1, 41)
    reads = Reads()
    later = threading.Event()  # reads after 9 wait for it: none finishes before the interrupt is made

    def store_then_interrupt(item: int) -> list[Row]:
        if item == 9:
            while not done(state, range(1, 9)):  # a read stored by the calling thread: a state, not a time
                threading.Event().wait(0.001)
            _interrupt_main()  # raised in the calling thread when this read's answer wakes it
            later.set()
        elif item > 9:
            later.wait(timeout=60)
        return reads(item)

    try:
        with pytest.raises(KeyboardInterrupt):
            Fetcher(client, state).per_item_into("reads", items, store_then_interrupt, "read", "nl")
    finally:
        later.set()
    stored = done(state, items)
    assert stored and len(reads.started) < len(items)
    assert stored <= set(reads.started)
    for item in stored:
        assert len(state.staged_by_owner("read", "nl", item)) == 2


def _interrupt_main() -> None:
    import _thread

    _thread.interrupt_main()


def test_one_at_a_time_when_the_budget_is_tighter_than_the_work(client_factory: Any, state: ThreadNotingState) -> None:
    shop_client = client_factory(budget=10)
    fetcher = Fetcher(shop_client, state)
    assert fetcher.workers(10 - fetch.WORKERS) == fetch.WORKERS
    assert fetcher.workers(11 - fetch.WORKERS) == 1
    products = [p["id"] for p in shop_client.iter_list("products", "products", {"fields": "id"})]
    assert len(products) > 10

    def metafields(pid: int) -> list[Row]:
        return list(shop_client.iter_list(f"products/{pid}/metafields", "productMetafields"))

    with pytest.raises(RateLimitError, match="budget of 10"):
        fetcher.per_item_into("reads", products, metafields, "metafield", "nl")
    assert shop_client.requests == 10
    assert len(done(state, products)) == 9  # the list of products took one request


class SharedClock:
    """One fake clock for the emulator and the pacer: sleeping moves it (no real waiting)."""

    def __init__(self) -> None:
        self.now = 1_767_225_600.0
        self.lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.now += seconds


def test_concurrent_reads_never_get_a_429(sample_shop: bytes, state: ThreadNotingState) -> None:
    clock = SharedClock()
    app = EmulatorApp(pickle.loads(sample_shop), rate_limit=(7, 1000, 10000), clock=clock)
    pacer = RatePacer(clock=clock, sleep=clock.sleep)
    transport = httpx.WSGITransport(app=app)  # type: ignore[arg-type]
    with ShopClient(EMULATOR_URL, language="nl", transport=transport, pacer=pacer, sleep=clock.sleep) as shop_client:
        products = [p["id"] for p in shop_client.iter_list("products", "products", {"fields": "id"})]

        def metafields(pid: int) -> list[Row]:
            return list(shop_client.iter_list(f"products/{pid}/metafields", "productMetafields"))

        fetch.for_each_fetched(products, metafields, lambda fetched: None, fetch.WORKERS)
    assert app.stats.by_status.get(429, 0) == 0
    assert app.stats.requests == len(products) + 1
    assert clock.now > 1_767_225_600.0 + 4 * 300  # it waited for the 5-minute window, several times


class Pages:
    """Rows, noting how far the reading got; reading row ``fail_at`` fails."""

    def __init__(self, rows: int, fail_at: int | None = None) -> None:
        self.rows, self.fail_at = rows, fail_at
        self.read = 0

    def __iter__(self) -> Iterator[Row]:
        for n in range(self.rows):
            if n == self.fail_at:
                raise TransportError("dropped")
            self.read = n + 1
            yield {"id": n}


def test_read_ahead_reads_one_page_ahead_in_order() -> None:
    pages = Pages(rows=10)
    seen: list[list[int]] = []
    for chunk in fetch.read_ahead(iter(pages), 3):
        ahead = min(10, (len(seen) + 2) * 3)  # the next list is read meanwhile, and no further
        while pages.read < ahead:  # a state, not a time: the reader got there
            threading.Event().wait(0.001)
        assert pages.read == ahead
        seen.append([row["id"] for row in chunk])
    assert seen == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]


def test_read_ahead_raises_after_the_rows_before_the_failure() -> None:
    got: list[int] = []
    with pytest.raises(TransportError):
        for chunk in fetch.read_ahead(iter(Pages(rows=10, fail_at=7)), 3):
            got += [row["id"] for row in chunk]
    assert got == [0, 1, 2, 3, 4, 5]


def test_read_ahead_stops_reading_when_the_caller_stops() -> None:
    pages = Pages(rows=100)
    before = set(threading.enumerate())
    reading = fetch.read_ahead(iter(pages), 5)
    next(reading)
    (reader,) = [t for t in threading.enumerate() if t not in before and t.name == "ecomgit-read-ahead"]
    reading.close()
    reader.join(timeout=60)  # it ends once it sees the caller stopped
    assert not reader.is_alive()
    assert pages.read <= 10
