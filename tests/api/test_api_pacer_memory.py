"""A new process starts from the rate-limit windows the last one saw, and every wait is said
(issue 15 item 9): before, each process began blind, so its first requests ran into a window an
earlier process had used up (429), and waits were silent unless -v."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import httpx
import pytest

from ecomgit import gitrepo
from ecomgit.api import RatePacer
from ecomgit.emulator import EmulatorApp
from ecomgit.errors import RateLimitError
from ecomgit.shop import RATE_LIMIT_FILE, make_client
from tests.conftest import EMULATOR_URL

from .fakes import FakeClock


def limits(remaining: str, reset: str, limit: str = "300/3000/12000") -> dict[str, str]:
    return {"X-RateLimit-Limit": limit, "X-RateLimit-Remaining": remaining, "X-RateLimit-Reset": reset}


def used_up(clock: FakeClock, notes: list[str] | None = None) -> RatePacer:
    pacer = RatePacer(clock=clock, sleep=clock.sleep, notify=None if notes is None else notes.append)
    pacer.acquire()
    pacer.record(limits("0/2000/11000", "100/2000/40000"))
    return pacer


def test_a_snapshot_taken_back_later_keeps_the_used_up_window_until_it_resets() -> None:
    snapshot = used_up(FakeClock()).snapshot(wall=1_000_000.0)
    assert json.loads(json.dumps(snapshot)) == snapshot  # what the file holds
    later = FakeClock(start=5.0)  # another process: another monotonic clock
    resumed = RatePacer(clock=later, sleep=later.sleep)
    resumed.resume(snapshot, wall=1_000_040.0)  # 40 s later
    resumed.acquire()
    assert later.sleeps == [pytest.approx(61.0)]  # the rest of the 100 s, and the 1 s margin
    fresh_clock = FakeClock()
    fresh = RatePacer(clock=fresh_clock, sleep=fresh_clock.sleep)
    fresh.resume(snapshot, wall=1_000_500.0)  # after the reset: a fresh window, no wait
    fresh.acquire()
    assert fresh_clock.sleeps == []
    assert [w.remaining for w in fresh.windows()] == [299, 1999, 10999]  # the others are still counted


@pytest.mark.parametrize("damaged", [{}, {"windows": "x"}, {"windows": [1, 2]}, {"windows": [{"limit": "300"}]}])
def test_a_damaged_snapshot_is_ignored(damaged: dict[str, object]) -> None:
    clock = FakeClock()
    pacer = RatePacer(clock=clock, sleep=clock.sleep)
    pacer.resume(damaged, wall=0.0)
    pacer.acquire()
    assert clock.sleeps == []


def test_every_wait_is_said_once_with_its_length_and_reason() -> None:
    clock, notes = FakeClock(), []
    pacer = used_up(clock, notes)
    pacer.acquire()
    assert notes == ["waiting 1 min 41 s: the shop's 5-minute request limit (300) is used up"]
    pacer.record(limits("-1/1990/10990", "30/1990/39900"), rate_limited=True)
    assert notes[1].startswith("the shop answered 429 Too Many Requests (another program, or another run")
    assert notes[1].endswith("waiting 31 s")


class Counting(httpx.WSGITransport):
    """The emulator, counting the answers by status."""

    def __init__(self, app: EmulatorApp) -> None:
        super().__init__(app=app)
        self.statuses: list[int] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        self.statuses.append(response.status_code)
        return response


def test_the_next_process_of_a_clone_starts_where_the_last_one_stopped(
    synced_template: Path, sample_shop: bytes, tmp_path: Path
) -> None:
    """Two clients made the way every command makes them, one after the other, on a shop whose
    5-minute window allows 12 requests: the second one's first request waits instead of a 429."""
    root = tmp_path / "mirror"
    gitrepo.run(synced_template, "clone", "--quiet", str(synced_template), str(root))
    (gitrepo.git_dir(root) / "ecomgit").mkdir(exist_ok=True)
    transport = Counting(EmulatorApp(pickle.loads(sample_shop), rate_limit=(12, 1000, 10000)))
    with make_client(EMULATOR_URL, "nl", root=root, transport=transport) as first:
        for _ in range(12):
            first.count("products")
    kept = json.loads((gitrepo.git_dir(root) / "ecomgit" / RATE_LIMIT_FILE).read_text())
    assert kept["apiUrl"] == EMULATOR_URL and kept["windows"][0]["remaining"] == 0
    with make_client(EMULATOR_URL, "nl", root=root, transport=transport) as second:
        second.pacer.max_wait = 0  # stop instead of sleeping: the test sees the decision
        with pytest.raises(RateLimitError, match=r"5-minute request limit \(12\) is used up"):
            second.count("products")
    assert transport.statuses == [200] * 12  # nothing sent into the used-up window, no 429
