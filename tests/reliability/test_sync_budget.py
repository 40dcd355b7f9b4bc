"""A first sync that needs more than a day's requests, under the emulator's real (scaled) rate limits.

It is paced through the short windows, stops cleanly when the daily window is spent (not waiting
for its reset), says what is left and when it will be done, and the next run — the next "day": a
new emulator of the same shop, its counters at zero — continues without reading anything twice.
"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from .harness import Cli, assert_sound, emulator, history, mirror_tree

pytestmark = pytest.mark.e2e

PRODUCTS = "8"  # a first sync of it takes about 58 requests (metafields, image titles: a read per product, and a
# metafields read per variant): more than a day's 45; the rest fits in one 5-minute window of the next day
LIMITS = "15/30/45"  # per 5 minutes, hour, day (scaled): the 5-minute and hourly windows are sat out
MAX_WAIT = "5"  # seconds: longer than the scaled hourly window, shorter than the scaled day


def time_scale(day_left: float = 30.0) -> float:
    """A ``--time-scale`` near 0.0005 (5 minutes → 0.15 s, an hour → 1.8 s, a day → 43 s) at which the
    emulator's current day (aligned to the clock) has more than ``day_left`` seconds to run."""
    for step in range(400):
        scale = 0.0005 + step * 0.000002
        day = 86400 * scale
        if day - time.time() % day > day_left:
            return scale
    raise AssertionError("no scale found")  # pragma: no cover - most scales work


def test_a_first_sync_over_the_daily_limit_stops_says_what_is_left_and_the_next_day_finishes_it(
    cli: Cli, tmp_path: Path
) -> None:
    with emulator(cli.env, tmp_path / "clean.log", "--synthetic", PRODUCTS, "--rate-limit", "off") as clean:
        reference = cli.init(clean.url, tmp_path / "reference")
        done = cli.run(["sync", "--json"], reference)
        assert done.returncode == 0, done.stderr
        needed = json.loads(done.stdout)["requests"]
    limited = ("--synthetic", PRODUCTS, "--rate-limit", LIMITS, "--time-scale")
    with emulator(cli.env, tmp_path / "day1.log", *limited, str(time_scale())) as day1:
        repo = cli.init(day1.url, tmp_path / "shop")
        start = history(cli, repo)[0]
        stopped = cli.run(["sync", "--json", "--max-wait", MAX_WAIT], repo)
        assert stopped.returncode == 1, stopped.stderr  # a budget stop is an expected failure, as before
        assert "daily request limit (45) is used up" in stopped.stderr and "Traceback" not in stopped.stderr
        assert day1.stats()["by_status"].get("429", 0) == 0  # paced through the short windows
        summary = json.loads(stopped.stdout)
        left = summary["stopped"]
        assert summary["commit"] is None and history(cli, repo)[0] == start  # nothing committed half-way
        assert left["per"] == "day" and left["limit"] == 45 and left["runsLeft"] == 1
        assert 0 < left["productsLeft"] <= left["productsInDepth"] == int(PRODUCTS)
        assert abs(left["requestsLeft"] - (needed - summary["requests"])) <= 2  # the estimate
        assert datetime.fromisoformat(left["resumesAt"]) > datetime.now(UTC)

        with emulator(cli.env, tmp_path / "day2.log", *limited, str(time_scale())) as day2:
            cli.repoint(repo, day2.url)  # day1 stays up: the images its catalog named are fetched now
            resumed = cli.run(["sync", "--json", "--max-wait", MAX_WAIT], repo)
    assert resumed.returncode == 0, resumed.stderr
    rest = json.loads(resumed.stdout)
    print(
        f"daily limit 45: stopped after {summary['requests']} requests, {left['requestsLeft']} left (estimated); "
        f"the next run made {rest['requests']} (a clean sync: {needed})"
    )
    assert rest["resumed"] and abs(rest["requests"] - left["requestsLeft"]) <= 2  # the estimate held
    assert summary["requests"] + rest["requests"] <= needed + 2  # nothing read twice
    assert_sound(cli, repo, mirror_tree(reference))


def test_the_stop_is_told_in_words(cli: Cli, tmp_path: Path) -> None:
    limited = ("--synthetic", "10", "--rate-limit", "1000/1000/40", "--time-scale", str(time_scale()))
    with emulator(cli.env, tmp_path / "day.log", *limited) as day:
        repo = cli.init(day.url, tmp_path / "shop")
        stopped = cli.run(["sync", "--max-wait", MAX_WAIT], repo)
    assert stopped.returncode == 1
    lines = stopped.stdout.splitlines()
    # 39 at most: the init before it read the shop's languages (a first sync of it takes about 68)
    stop = (
        r"Stopped after 3\d API requests: the shop's daily request limit \(40\) is used up\. Nothing is committed yet\."
    )
    assert re.fullmatch(stop, lines[0]), lines[0]
    assert lines[1].startswith("Left: ") and "products to read in depth; about " in lines[1]
    assert "At 40 requests a day this finishes on the next run after " in lines[2]
    assert stopped.stderr.splitlines()[-1].startswith("Error: ")
