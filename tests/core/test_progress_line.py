"""Long work shows progress: a line with done/total, the requests left and when it will be done,
in place on a terminal and now and then in a CI log, and a rate-limit wait that counts down
(issue 15 item 9). Before: 'texts:en: 500 of 10000' every 500 products, and silent waits."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from ecomgit.api import RatePacer, ShopClient
from ecomgit.cli.output import ProgressLine
from ecomgit.emulator import EmulatorApp
from ecomgit.emulator.synthetic import synthetic_shop
from ecomgit.init import init_repo
from ecomgit.shop import open_repo
from ecomgit.sync.run import run_sync
from tests.api.fakes import FakeClock
from tests.conftest import EMULATOR_URL

LINE = re.compile(
    r"reading (?P<read>[\w ]+): (?P<done>\d+) of (?P<of>\d+) products · about (?P<left>\d+) requests left"
    r"(?: · done in about (?P<eta>.+))?$"
)


def test_a_first_sync_ticks_with_done_total_requests_left_and_eta(tmp_path: Path) -> None:
    app = EmulatorApp(synthetic_shop(60), rate_limit=(1000, 3000, 12000))  # no wait: about 330 requests
    ticks: list[str] = []
    with ShopClient(EMULATOR_URL, language="nl", transport=httpx.WSGITransport(app=app)) as client:
        init_repo(tmp_path / "m", EMULATOR_URL, [], client)
        run_sync(open_repo(tmp_path / "m"), client, ticker=ticks.append)
    parsed = [LINE.match(tick) for tick in ticks]
    assert ticks and all(parsed), ticks
    done = [(m["read"], int(m["done"])) for m in parsed if m]
    assert ("metafields", 60) in done and ("metafields", 25) in done  # every 25 products, and the last
    left = [int(m["left"]) for m in parsed if m]
    assert left == sorted(left, reverse=True) and left[-1] < left[0]  # the requests left only go down
    assert all(m["eta"] for m in parsed if m)  # the shop's windows are known from its first answer


def test_on_a_terminal_the_line_is_rewritten_in_place(capsys: pytest.CaptureFixture[str]) -> None:
    line = ProgressLine(False, terminal=True)
    line.update("reading texts: 25 of 60 products")
    line.update("reading texts: 50 of 60 products")
    line.say("writing the mirror")
    line.close()
    err = capsys.readouterr().err
    assert err == (
        "\r\x1b[K· reading texts: 25 of 60 products\r\x1b[K· reading texts: 50 of 60 products"
        "\r\x1b[K· writing the mirror\n"
    )


def test_in_a_log_the_line_is_printed_now_and_then(capsys: pytest.CaptureFixture[str]) -> None:
    clock = FakeClock(start=0.0)
    line = ProgressLine(False, terminal=False, every=60.0, clock=clock)
    for number in range(10):
        line.update(f"tick {number}")
        clock.sleep(20.0)
    assert capsys.readouterr().err.splitlines() == ["· tick 0", "· tick 3", "· tick 6", "· tick 9"]
    quiet = ProgressLine(True, terminal=True)
    quiet.update("x")
    quiet.say("y")
    assert capsys.readouterr().err == ""


def test_a_wait_counts_down_a_second_at_a_time_and_is_said_once() -> None:
    clock, notes, shown = FakeClock(), [], []
    pacer = RatePacer(clock=clock, sleep=clock.sleep, notify=notes.append, margin=0.0)
    pacer.countdown = shown.append
    pacer.acquire()
    pacer.record({"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "3"})
    pacer.acquire()
    assert notes == ["waiting 3 s: the shop's 5-minute request limit (300) is used up"]
    assert [s.split(":")[0] for s in shown] == ["waiting 3 s", "waiting 2 s", "waiting 1 s"]
    assert clock.sleeps == [1.0, 1.0, 1.0]
