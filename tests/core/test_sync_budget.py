"""A sync stopped by its budget or a rate limit says what is left and when it will be done.

The end-to-end run over a daily limit is in ``tests/reliability/test_sync_budget.py``; here: the
CLI's output and exit status through ``main()``, and the estimate itself.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ecomgit.api.pacer import WindowStatus
from ecomgit.emulator import EmulatorApp, running
from ecomgit.sync.report import Stopped, eta
from tests.mainrun import run_main

DAY = 86400.0


def windows(*windows: tuple[int, int, float]) -> list[WindowStatus]:
    """The 5-minute, hourly and daily windows as (limit, remaining, seconds to reset)."""
    return [WindowStatus(name, *values) for name, values in zip(("5-minute", "hourly", "daily"), windows, strict=True)]


def test_the_estimate_lays_the_requests_left_over_the_windows() -> None:
    wide = (100_000, 100_000, 100.0)
    # the day is spent: one run after its reset (5 h), which sits out one hourly window
    spent = windows(wide, (3000, 1500, 1000.0), (12000, 0, 5 * 3600.0))
    assert eta(spent, 4300, max_wait=3900) == (5 * 3600 + 1000.0, 1)  # 3 000, an hourly reset, 1 300
    # more than a day's requests: a second run the day after
    assert eta(windows(wide, wide, (12000, 0, 5 * 3600.0)), 12_500, max_wait=3900) == (5 * 3600 + DAY, 2)
    # with room left now, it all goes at once
    assert eta(windows((300, 300, 300.0), (3000, 3000, 3600.0), (12000, 9000, 7200.0)), 250, 3900) == (0.0, 1)
    assert eta([], 10, 3900) is None


def test_the_stop_is_told_with_what_is_left_and_when() -> None:
    now = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    stopped = Stopped(
        "the shop's daily request limit (12000) is used up",
        products_left=4_211,
        products_deep=15_000,
        requests_left=4_300,
        per_run=12_000,
        period="day",
        resumes_at=datetime(2026, 11, 28, 14, 5, tzinfo=UTC),
        runs_left=1,
    )
    assert stopped.lines(11_998, now) == [
        "Stopped after 11 998 API requests: the shop's daily request limit (12000) is used up. "
        "Nothing is committed yet.",
        "Left: 4 211 of 15 000 products to read in depth; about 4 300 API requests.",
        "At 12 000 requests a day this finishes on the next run after 14:05 UTC (the limit resets then).",
    ]
    stopped.runs_left, stopped.done_at = 2, datetime(2026, 11, 29, 15, 0, tzinfo=UTC)
    assert stopped.lines(11_998, now)[-1] == (
        "At 12 000 requests a day this takes 2 more runs, the first after 14:05 UTC; done about 2026-11-29 15:00 UTC."
    )


@pytest.fixture
def served(sample_shop: bytes) -> Iterator[str]:
    with running(EmulatorApp(pickle.loads(sample_shop), rate_limit=None)) as url:
        yield url


def test_a_budget_stop_prints_the_summary_exits_1_and_the_next_run_finishes(
    served: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_main(capsys, monkeypatch, "init", str(tmp_path / "shop"), "--api-url", served).code == 0
    monkeypatch.chdir(tmp_path / "shop")
    stopped = run_main(capsys, monkeypatch, "sync", "--json", "--quiet", "--budget", "20")
    assert stopped.code == 1 and stopped.err.startswith("Error: ") and "request budget of 20" in stopped.err
    summary = json.loads(stopped.out)
    left = summary["stopped"]
    assert summary["commit"] is None and summary["requests"] == 20
    assert left["reason"] == "the request budget of 20 is used up" and left["per"] == "run"
    assert left["runsLeft"] == 7 and left["productsInDepth"] == 28 and 0 < left["productsLeft"] < 28
    words = run_main(capsys, monkeypatch, "sync", "--budget", "10")
    assert words.code == 1
    # metafields read; the image titles of the 26 products with images (read after them) still to come
    products, requests = 26, left["requestsLeft"] - 10
    assert words.out.splitlines() == [
        "Stopped after 10 API requests: the request budget of 10 is used up. Nothing is committed yet.",
        f"Left: {products} of 28 products to read in depth; about {requests} API requests.",
        "At 10 requests a run (--budget) that takes 12 more runs.",
    ]
    done = run_main(capsys, monkeypatch, "sync", "--json", "--quiet")
    assert done.code == 0
    finished = json.loads(done.out)
    assert finished["stopped"] is None and finished["resumed"] and finished["commit"]
    # a clean sync of the sample shop (74, and a metafields read per variant: 68): nothing read twice
    assert 20 + 10 + finished["requests"] == 74 + 68


def test_max_wait_takes_a_duration(
    served: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_main(capsys, monkeypatch, "init", str(tmp_path / "shop"), "--api-url", served).code == 0
    monkeypatch.chdir(tmp_path / "shop")
    wrong = run_main(capsys, monkeypatch, "sync", "--max-wait", "soon")
    assert wrong.code == 2 and "--max-wait" in wrong.err
    assert run_main(capsys, monkeypatch, "sync", "--quiet", "--max-wait", "90s").code == 0


# -- issue 23 item 21: a stop at a limit is clean, told as such, and has a time limit too ------------


def test_a_stop_at_a_limit_is_noted_as_clean_and_a_resumed_run_forgets_it(
    served: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_main(capsys, monkeypatch, "init", str(tmp_path / "shop"), "--api-url", served).code == 0
    monkeypatch.chdir(tmp_path / "shop")
    assert run_main(capsys, monkeypatch, "sync", "--quiet", "--budget", "20").code == 1
    status = json.loads(run_main(capsys, monkeypatch, "status", "--json").out)
    assert status["syncUnfinished"] and "request budget of 20" in status["syncStopped"]
    assert run_main(capsys, monkeypatch, "sync", "--quiet").code == 0
    status = json.loads(run_main(capsys, monkeypatch, "status", "--json").out)
    assert not status["syncUnfinished"] and status["syncStopped"] is None


def test_the_time_limit_stops_instead_of_sending_or_waiting_past_it() -> None:
    from ecomgit.api.pacer import RatePacer
    from ecomgit.errors import RateLimitError

    now = [1000.0]
    pacer = RatePacer(clock=lambda: now[0], sleep=lambda seconds: now.__setitem__(0, now[0] + seconds))
    pacer.limit_time(60)
    pacer.acquire()
    pacer.record(
        {"X-RateLimit-Limit": "10/100/1000", "X-RateLimit-Remaining": "0/50/500", "X-RateLimit-Reset": "100/900/9000"}
    )
    now[0] = 1010.0  # the 5-minute window resets in about 90 s: past the limit at 60 s
    with pytest.raises(RateLimitError, match=r"time limit \(--max-time\) is reached \(waiting: "):
        pacer.acquire()
    assert now[0] == 1010.0  # it did not wait
    fresh = RatePacer(clock=lambda: now[0])
    fresh.limit_time(5)
    now[0] += 5
    with pytest.raises(RateLimitError, match="time limit"):
        fresh.acquire()  # nothing to wait for, but the time is up


def test_sync_max_time_is_a_clean_stop(
    served: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_main(capsys, monkeypatch, "init", str(tmp_path / "shop"), "--api-url", served).code == 0
    monkeypatch.chdir(tmp_path / "shop")
    stopped = run_main(capsys, monkeypatch, "sync", "--quiet", "--max-time", "0s")
    assert stopped.code == 1 and "time limit (--max-time) is reached" in stopped.err
    status = json.loads(run_main(capsys, monkeypatch, "status", "--json").out)
    assert "time limit" in status["syncStopped"]
    assert run_main(capsys, monkeypatch, "sync", "--quiet").code == 0
