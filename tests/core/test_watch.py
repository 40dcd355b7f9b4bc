"""``ecomgit watch`` (issue 17 item 1): webhooks registered once, deliveries checked and queued over a
real socket, the due products synced without a catalog scan, a deletion committed at once.

The emulator delivers to the receiver's loopback port from its outbox thread; ``outbox.flush()``
returns once every delivery was answered, and one fake clock drives the debounce: no sleeps."""

from __future__ import annotations

import hashlib
import http.client
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ecomgit import commits, gitrepo, records
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.mirror import yamlio
from ecomgit.shop import Repo
from ecomgit.watch import webhooks
from ecomgit.watch.queue import Queue
from ecomgit.watch.receiver import Receiver
from ecomgit.watch.runner import Schedule, Watcher
from tests.conftest import EMULATOR_URL
from tests.core.test_sync_quick import Recording


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def lines() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def receiver(tmp_path: Path, lines: list[dict[str, Any]]) -> Iterator[Receiver]:
    clock = Clock()
    queue = Queue(tmp_path / "watch.db")
    made = Receiver("127.0.0.1", 0, "s3cret", queue, clock, lambda event, **f: lines.append({"event": event, **f}))
    made.start()
    yield made
    made.stop()
    queue.close()


def post(port: int, body: bytes, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", "/hook", body=body, headers={"Content-Type": "application/json", **headers})
        return connection.getresponse().status
    finally:
        connection.close()


def signature(body: bytes, secret: str) -> str:
    return hashlib.md5(body + secret.encode(), usedforsecurity=False).hexdigest()


def test_the_queue_debounces_and_keeps_what_came_during_a_sync(tmp_path: Path) -> None:
    queue = Queue(tmp_path / "watch.db")
    queue.add(7, 100.0)
    queue.add(7, 105.0)  # a burst: one product
    queue.add(8, 104.0)
    assert queue.due(110.0, debounce=10, most=60) == []
    assert queue.due(114.0, debounce=10, most=60) == [8]
    assert queue.due(160.0, debounce=100, most=60) == [7]  # edited without pause: synced 60 s after its first
    queue.add(7, 161.0)  # an event while the sync of 7 ran (it started at 160)
    queue.done([7, 8], since=160.0)
    queue.close()
    again = Queue(tmp_path / "watch.db")  # a restart keeps it
    assert len(again) == 1 and again.due(200.0, debounce=10, most=60) == [7]


def test_a_signed_delivery_is_queued_and_a_wrong_one_is_refused(
    receiver: Receiver, lines: list[dict[str, Any]]
) -> None:
    body = json.dumps({"product": {"id": 42, "title": "x"}}).encode()
    assert post(receiver.port, body, {"X-Event": "products/updated", "X-Signature": signature(body, "s3cret")}) == 200
    assert post(receiver.port, body, {"X-Event": "products/updated", "X-Signature": signature(body, "guess")}) == 401
    assert post(receiver.port, body, {"X-Event": "products/updated"}) == 401
    other = json.dumps({"product": {"id": 43}}).encode()
    assert post(receiver.port, other, {"X-Signature": signature(body, "s3cret")}) == 401  # another body's
    variant = json.dumps({"variant": {"id": 9, "product": {"resource": {"id": 44}}}}).encode()
    assert post(receiver.port, variant, {"X-Signature": signature(variant, "s3cret")}) == 200
    assert post(receiver.port, b"[1]", {"X-Signature": signature(b"[1]", "s3cret")}) == 400
    assert sorted(receiver.queue.due(10_000.0, 0, 0)) == [42, 44]  # nothing of the refused ones
    assert [line["status"] for line in lines] == [200, 401, 401, 401, 200, 400]


def test_watch_registers_once_syncs_what_the_webhooks_name_and_commits_a_deletion(
    synced: Repo, app: EmulatorApp, client: ShopClient, tmp_path: Path
) -> None:
    clock = Clock()
    said: list[dict[str, Any]] = []
    queue = Queue(tmp_path / "watch.db")
    receiver = Receiver("127.0.0.1", 0, "", queue, clock, lambda event, **f: said.append({"event": event, **f}))
    receiver.start()
    address = f"http://127.0.0.1:{receiver.port}/hook"
    try:
        made = webhooks.register(client, address, "nl")
        assert len(made) == 2 and webhooks.register(client, address, "nl") == [
            f"webhooks for products, variants at {address}: there already"
        ]
        transport = Recording(app)
        with ShopClient(EMULATOR_URL, language="nl", transport=transport) as watching:
            watcher = Watcher(synced, watching, queue, clock=clock, log=lambda e, **f: said.append({"event": e, **f}),
                              schedule=Schedule(debounce=10, full_every=3600))  # fmt: skip
            pid, gone = sorted(app.shop.products)[2], sorted(app.shop.products)[4]
            client.put(f"products/{pid}", "product", {"description": "Net bijgewerkt."}, lang="nl")
            app.outbox.flush()
            assert queue.due(clock.now + 10, 10, 60) == [pid]
            assert watcher.step() is None  # not due yet: the debounce
            clock.now += 11
            summary = watcher.step()
            assert summary is not None and [c.product_id for c in summary.changes] == [pid]
            assert "Net bijgewerkt." in gitrepo.run(synced.root, "show", "HEAD")
            assert "GET /nl/catalog.json" not in transport.paths and f"GET /nl/catalog/{pid}.json" in transport.paths
            assert len(queue) == 0
            # weeks of steps: the process keeps none of a sync's parsed files or tree listings
            assert not yamlio._LOADED and not commits._LISTINGS and records._records.cache_info().currsize == 0

            client.delete(f"products/{gone}")
            app.outbox.flush()
            clock.now += 11
            deleted = watcher.step()
            assert deleted is not None and [(c.kind, c.product_id) for c in deleted.changes] == [("deleted", gone)]
        assert len(webhooks.unregister(client, address)) == 2 and webhooks.ours(client, address) == []
    finally:
        receiver.stop()
        queue.close()


def test_a_batch_that_records_a_deletion_proposes_the_lost_content_back(
    synced: Repo, app: EmulatorApp, client: ShopClient, tmp_path: Path
) -> None:
    """Retail deletes the product and publishes the item again: the batch that records both proposes
    the restore onto the successor, on a branch (issue 17 item 3); nothing is written to the shop."""
    from ecomgit.emulator import retail
    from ecomgit.sync.run import run_sync
    from tests.write.conftest import KUSTWEG

    app.shop.info.is_retail = True
    run_sync(synced, client)
    skus = [v.sku for v in app.shop.products[KUSTWEG].variants]
    retail.delete_from_ecom(app.shop, KUSTWEG)
    successor = retail.publish(app.shop, skus)
    clock, said = Clock(), []
    queue = Queue(tmp_path / "watch.db")
    for pid in (KUSTWEG, successor):  # as their deliveries queue them (the receiver is tested above)
        queue.add(pid, clock.now)
    clock.now += 11
    log = lambda event, **f: said.append({"event": event, **f})  # noqa: E731
    summary = Watcher(synced, client, queue, clock=clock, log=log).step()
    assert summary is not None
    assert sorted((c.kind, c.product_id) for c in summary.changes) == [("deleted", KUSTWEG), ("new", successor)]
    [proposed] = [line for line in said if line["event"] == "proposed"]
    assert proposed["branch"] == f"ecomgit/restore-{KUSTWEG}" and proposed["successor"] == successor
    assert app.shop.products[successor].texts["nl"]["description"] == ""  # nothing written before the review
    queue.close()


def test_git_push_merges_what_the_remote_got_meanwhile_and_keeps_both(
    synced: Repo, app: EmulatorApp, client: ShopClient, origin: Path, tmp_path: Path
) -> None:
    """A pull request merged on the remote while watch synced: the push is refused, the remote's
    commit is merged in (never rebased: the sync record keeps its id) and the push goes through."""
    gitrepo.run(synced.root, "remote", "add", "hub", str(origin))
    colleague = tmp_path / "colleague"
    gitrepo.run(tmp_path, "clone", "--quiet", str(origin), str(colleague))
    (colleague / "NOTES.md").write_text("A colleague's note, merged meanwhile.\n")
    gitrepo.run(colleague, "add", "NOTES.md")
    gitrepo.run(colleague, "commit", "--quiet", "-m", "Notes")
    gitrepo.run(colleague, "push", "--quiet", "origin", "HEAD:main")

    pid = sorted(app.shop.products)[2]
    client.put(f"products/{pid}", "product", {"description": "Net bijgewerkt."}, lang="nl")
    clock, said = Clock(), []
    queue = Queue(tmp_path / "watch.db")
    queue.add(pid, clock.now)
    clock.now += 11
    log = lambda event, **f: said.append({"event": event, **f})  # noqa: E731
    summary = Watcher(synced, client, queue, clock=clock, log=log, git_push="hub").step()
    assert summary is not None and summary.commit is not None
    assert [line for line in said if line["event"] == "published"] == [
        {"event": "published", "remote": "hub", "branch": "main", "attempt": 2}
    ]
    remote = gitrepo.run(origin, "log", "--format=%H", "main").split()
    assert summary.commit in remote  # the sync commit itself, not a rewritten copy
    assert "NOTES.md" in gitrepo.run(origin, "ls-tree", "--name-only", "main")
    queue.close()


@pytest.mark.parametrize(
    "faults",
    [
        {"duplicate_rate": 1.0},  # every delivery twice
        {"delay_rate": 0.5, "delay_by": 2, "seed": 3},  # held back: out of order (a delete before updates)
        {"drop_rate": 1.0},  # all lost: the full sync on its schedule catches what they told of
    ],
    ids=["duplicated", "reordered", "dropped"],
)
def test_duplicated_reordered_or_lost_deliveries_end_in_the_shops_state(
    synced: Repo, sample_shop: bytes, tmp_path: Path, faults: dict[str, Any]
) -> None:
    import pickle

    from ecomgit.emulator.faults import DeliveryFaults
    from ecomgit.emulator.outbox import Outbox
    from ecomgit.sync.run import run_sync

    app = EmulatorApp(pickle.loads(sample_shop), rate_limit=None, outbox=Outbox(faults=DeliveryFaults(**faults)))
    clock, said = Clock(), []
    queue = Queue(tmp_path / "watch.db")
    receiver = Receiver("127.0.0.1", 0, "", queue, clock, lambda event, **f: None)
    receiver.start()
    try:
        with ShopClient(EMULATOR_URL, language="nl", transport=httpx.WSGITransport(app=app)) as client:
            webhooks.register(client, f"http://127.0.0.1:{receiver.port}/hook", "nl")
            watcher = Watcher(synced, client, queue, clock=clock, log=lambda e, **f: said.append(e),
                              schedule=Schedule(debounce=10, full_every=3600))  # fmt: skip
            pids = sorted(app.shop.products)
            for number, pid in enumerate(pids[:6]):
                client.put(f"products/{pid}", "product", {"description": f"Versie {number}."}, lang="nl")
            client.put(f"products/{pids[0]}", "product", {"description": "Nog eens."}, lang="nl")
            client.delete(f"products/{pids[7]}")
            app.outbox.flush()
            clock.now += 11
            watcher.step()
            if "drop_rate" in faults:
                assert len(queue) == 0 and watcher.step() is None  # nothing arrived, nothing due
                clock.now += 3600  # the full sync's turn
                assert watcher.step() is not None
            assert run_sync(synced, client).commit is None  # the mirror is the shop: nothing left to commit
    finally:
        receiver.stop()
        queue.close()


def test_a_full_sync_empties_the_queue_of_what_it_read(
    synced: Repo, app: EmulatorApp, client: ShopClient, tmp_path: Path
) -> None:
    clock = Clock()
    queue = Queue(tmp_path / "watch.db")
    pid = sorted(app.shop.products)[1]
    client.put(f"products/{pid}", "product", {"description": "Tijdens de wachttijd."}, lang="nl")
    queue.add(pid, clock.now)  # not due for a long while: a long debounce
    watcher = Watcher(synced, client, queue, clock=clock, log=lambda e, **f: None,
                      schedule=Schedule(debounce=10_000, full_every=60, most=10_000))  # fmt: skip
    clock.now += 61  # the full sync's turn
    summary = watcher.step()
    assert summary is not None and [c.product_id for c in summary.changes] == [pid] and len(queue) == 0
    queue.close()


def test_a_body_that_never_arrives_frees_its_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines: list[dict[str, Any]]
) -> None:
    """A sender that announces 10 bytes and sends 3 (slowloris) is dropped after the read timeout,
    logged, and nothing is queued; the server still answers the next delivery."""
    import socket

    from ecomgit.watch import receiver as module

    monkeypatch.setattr(module, "READ_SECONDS", 0.5)
    queue = Queue(tmp_path / "watch.db")
    made = Receiver("127.0.0.1", 0, "s3cret", queue, Clock(), lambda event, **f: lines.append({"event": event, **f}))
    made.start()
    try:
        with socket.create_connection(("127.0.0.1", made.port)) as slow:
            slow.sendall(b"POST /hook HTTP/1.1\r\nHost: x\r\nX-Signature: 0\r\nContent-Length: 10\r\n\r\nabc")
            slow.settimeout(30)
            assert slow.recv(100) == b""  # the server closed it: never answered, never queued
        body = json.dumps({"product": {"id": 5}}).encode()
        assert post(made.port, body, {"X-Signature": signature(body, "s3cret")}) == 200
        assert queue.due(10_000.0, 0, 0) == [5]
        assert lines[0]["event"] == "rejected" and "timed out" in lines[0]["reason"]
    finally:
        made.stop()
        queue.close()
