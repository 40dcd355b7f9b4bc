"""A long push at the shop's daily request limit (issue 16 item 5): it stops cleanly, records what
it wrote, says what is left and when the limit resets; the next push, the next day, writes only the
rest. A stop while planning writes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ecomgit.api import ShopClient
from ecomgit.cli.push_cmd import describe_result
from ecomgit.emulator import EmulatorApp
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo, writer
from ecomgit.write.push import apply_push, plan_push
from ecomgit.write.stop import PushStopped
from tests.conftest import EMULATOR_URL
from tests.write.conftest import edit, quiet

DAY = 86_400.0


class Day:
    """The emulator's clock, moved on by the test: the daily window resets when it passes a day."""

    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


class Recording(httpx.BaseTransport):
    def __init__(self, app: EmulatorApp) -> None:
        self.inner = httpx.WSGITransport(app=app)
        self.writes: list[str] = []
        self.reads: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        (self.reads if request.method == "GET" else self.writes).append(f"{request.method} {request.url.path}")
        return self.inner.handle_request(request)


def edited(repo: Repo, app: EmulatorApp, count: int) -> list[int]:
    pids = sorted(app.shop.products)[:count]
    for pid in pids:
        edit(repo, pid, lambda p, pid=pid: p["description"].__setitem__("en", f"Copy of {pid}, reviewed."))
    return pids


def limited(app: EmulatorApp, daily: int, day: Day) -> tuple[ShopClient, Recording]:
    shop = EmulatorApp(app.shop, rate_limit=(1000, 1000, daily), clock=day)
    transport = Recording(shop)
    return ShopClient(EMULATOR_URL, language="nl", transport=transport), transport


def push(repo: Repo, client: ShopClient) -> Any:
    with writer(repo, "push") as state:
        plan = plan_push(repo, client, state, progress=quiet)
        return apply_push(repo, client, state, plan, progress=quiet)


def test_a_push_stopped_by_the_daily_limit_is_recorded_and_continued_the_next_day(
    synced: Repo, app: EmulatorApp
) -> None:
    pids = edited(synced, app, 8)
    day = Day(app.shop.clock())
    client, seen = limited(app, 8, day)  # enough to plan 8 (2 list reads) and write a few
    with client:
        result = push(synced, client)
    assert result.stopped is not None and not result.ok
    written = [job.source for job in result.plan.jobs if job.written and not job.error]
    assert 0 < len(written) < 8 and result.commit is not None
    assert set(pending_products(synced.root)) == set(pids) - set(written)  # recorded: not pending
    stop = result.stopped
    assert stop.reason == "the shop's daily request limit (8) is used up"
    assert stop.products_left == 8 - len(written) and stop.requests_left >= stop.products_left
    assert stop.resumes_at is not None
    words = describe_result(result).splitlines()
    assert words[-3:] == stop.lines() and not any("failed: not attempted" in line for line in words)
    assert words[-1].startswith("Run 'ecomgit push' again after ") and "(the limit resets then)" in words[-1]

    day.now += DAY  # the next day: the window has reset
    client, later = limited(app, 1000, day)
    with client:
        rest = push(synced, client)
    assert rest.ok and rest.stopped is None and pending_products(synced.root) == {}
    assert sorted(job.source for job in rest.plan.jobs) == sorted(set(pids) - set(written))
    puts = [w for w in seen.writes + later.writes if w.startswith("PUT /en/products/")]
    assert sorted(puts) == sorted(f"PUT /en/products/{pid}.json" for pid in pids)  # each sent once
    for pid in pids:
        assert app.shop.products[pid].texts["en"]["description"] == f"Copy of {pid}, reviewed."


def test_a_stop_while_planning_writes_nothing_and_says_what_is_left(synced: Repo, app: EmulatorApp) -> None:
    edited(synced, app, 8)
    client, seen = limited(app, 1, Day(app.shop.clock()))  # the list reads of the plan need 2
    with client, pytest.raises(PushStopped) as caught, writer(synced, "push") as state:
        plan_push(synced, client, state, progress=quiet)
    lines = str(caught.value).splitlines()
    assert (
        lines[0] == "the push stopped while planning, after 1 API requests (0 product(s) planned); nothing was written"
    )
    assert lines[1] == "Stopped: the shop's daily request limit (1) is used up."
    assert lines[2].startswith("Left: ") and caught.value.exit_code == 1
    assert seen.writes == [] and len(pending_products(synced.root)) == 8


def test_many_products_are_planned_from_list_pages(synced: Repo, app: EmulatorApp) -> None:
    """Issue 16 item 4: 8 products of a 28-product shop are planned from one catalog page and one
    page of English texts, not 16 reads; the first is read again just before its write, one list of
    the products changed since the plan clears the other 7 (``ecomgit.write.recheck``), and each
    write's answer is its read-back: 13 requests, not 34."""
    pids = edited(synced, app, 8)
    client, seen = limited(app, 10_000, Day(app.shop.clock()))
    with client, writer(synced, "push") as state:
        plan = plan_push(synced, client, state, progress=quiet)
        assert seen.reads == ["GET /nl/catalog.json", "GET /en/products.json"]
        assert plan.requests == 2 and not plan.refused
        result = apply_push(synced, client, state, plan, progress=quiet)
    assert result.ok and pending_products(synced.root) == {}
    for pid in pids:
        assert app.shop.products[pid].texts["en"]["description"] == f"Copy of {pid}, reviewed."
    first = result.plan.jobs[0].source
    again = [f"GET /nl/catalog/{first}.json", f"GET /en/products/{first}.json"]
    assert seen.reads[2:] == [*again, "GET /nl/products.json"]
    assert len(seen.writes) == 8 and client.requests == 13


def test_a_price_list_of_many_products_reads_their_variants_from_list_pages(synced: Repo, app: EmulatorApp) -> None:
    """An agency's price list (an old price on the first variant of 8 products): the variants are
    planned from one page of /variants.json (and a count), not a read per product."""
    pids = sorted(app.shop.products)[:8]
    for pid in pids:
        edit(synced, pid, lambda p: p["variants"][0].__setitem__("oldPriceExcl", 9999), f"Old price of {pid}")
    client, seen = limited(app, 10_000, Day(app.shop.clock()))
    with client, writer(synced, "push") as state:
        plan = plan_push(synced, client, state, progress=quiet)
        assert sorted(seen.reads) == sorted(
            [
                "GET /nl/catalog.json",
                "GET /nl/variants/count.json",
                "GET /nl/variants.json",
            ]
        )
        result = apply_push(synced, client, state, plan, progress=quiet)
    assert result.ok and pending_products(synced.root) == {}
    for pid in pids:
        assert app.shop.products[pid].variants[0].oldPriceExcl == 9999


class CtrlC(Recording):
    """Ctrl-C pressed when the push is about to send its ``at``-th write (a state predicate)."""

    def __init__(self, app: EmulatorApp, at: int) -> None:
        super().__init__(app)
        self.at = at

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and len(self.writes) + 1 == self.at:
            raise KeyboardInterrupt
        return super().handle_request(request)


def test_a_push_interrupted_with_ctrl_c_continues_without_sending_anything_twice(
    synced: Repo, app: EmulatorApp
) -> None:
    pids = edited(synced, app, 8)
    interrupted = CtrlC(app, at=4)
    with (
        ShopClient(EMULATOR_URL, language="nl", transport=interrupted) as client,
        pytest.raises(KeyboardInterrupt),
    ):
        push(synced, client)
    assert len(interrupted.writes) == 3 and len(pending_products(synced.root)) == 8  # nothing recorded yet
    client, again = limited(app, 10_000, Day(app.shop.clock()))
    with client:
        result = push(synced, client)
    assert result.ok and pending_products(synced.root) == {}
    already = [job for job in result.plan.jobs if job.decision.empty]
    assert len(already) == 3  # the shop had those edits: recorded, not sent again
    puts = sorted(interrupted.writes + again.writes)
    assert puts == sorted(f"PUT /en/products/{pid}.json" for pid in pids)  # each sent exactly once
