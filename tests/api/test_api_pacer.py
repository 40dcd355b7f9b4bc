"""RatePacer and the client's pacing: never over a window, sleep until reset, 429, max_wait."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from ecomgit.api import RatePacer
from ecomgit.api.pacer import WindowReading, human_duration, parse_rate_headers
from ecomgit.errors import RateLimitError

from .fakes import FakeClock, Script, WindowedShop, json_response, make_client


def limits(remaining: str, reset: str, limit: str = "300/3000/12000") -> dict[str, str]:
    return {"X-RateLimit-Limit": limit, "X-RateLimit-Remaining": remaining, "X-RateLimit-Reset": reset}


def test_parses_the_three_windows() -> None:
    assert parse_rate_headers(limits("299/-1/11999", "263/2063/23663")) == [
        WindowReading(300, 299, 263),
        WindowReading(3000, -1, 2063),
        WindowReading(12000, 11999, 23663),
    ]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, []),
        ({"X-RateLimit-Limit": "300/3000/12000"}, []),
        (
            limits("x/5", "10"),
            [WindowReading(300, None, 10), WindowReading(3000, 5, None), WindowReading(12000, None, None)],
        ),
        ({"x-ratelimit-remaining": " 7 ", "x-ratelimit-reset": ""}, [WindowReading(None, 7, None)]),
    ],
)
def test_tolerates_missing_and_malformed_headers(headers: dict[str, str], expected: list[WindowReading]) -> None:
    assert parse_rate_headers(headers) == expected


def test_missing_or_malformed_headers_never_make_the_client_wait() -> None:
    answers = [
        json_response(200, headers={"X-RateLimit-Remaining": "garbage", "X-RateLimit-Reset": "1/2"}),
        json_response(200, headers={}),
        json_response(200, headers={"X-RateLimit-Remaining": "5/5", "X-RateLimit-Reset": "x/y/z"}),
        json_response(200),
    ]
    clock = FakeClock()
    client = make_client(Script(answers), clock=clock)
    for _ in answers:
        client.get("products")
    assert clock.sleeps == []


def test_a_used_up_window_without_a_readable_reset_waits_the_fallback_once() -> None:
    clock = FakeClock()
    answers = [json_response(200, headers=limits("0", "soon", "5")), json_response(200), json_response(200)]
    client = make_client(
        Script(answers), clock=clock, pacer=RatePacer(fallback_wait=60, clock=clock, sleep=clock.sleep)
    )
    for _ in answers:
        client.get("products")
    assert clock.sleeps == [60.0]


def test_sleeps_until_the_used_up_window_resets_before_sending() -> None:
    clock = FakeClock()
    script = Script([json_response(200, headers=limits("0/2000/9000", "30/2000/50000")), json_response(200)])
    client = make_client(script, clock=clock)
    client.get("products")
    client.get("products")
    assert clock.sleeps == [31.0]  # the reset plus one second, as resets are whole seconds
    assert len(script.requests) == 2


def test_a_window_too_long_to_wait_for_raises_without_sending() -> None:
    clock = FakeClock()
    script = Script([json_response(200, headers=limits("200/2000/0", "30/2000/50000"))])
    client = make_client(script, clock=clock)
    client.get("products")
    with pytest.raises(RateLimitError) as caught:
        client.get("products/5")
    assert caught.value.reset_seconds == pytest.approx(50001)
    message = str(caught.value)
    assert message.startswith("GET /nl/products/5.json: the shop's daily request limit (12000) is used up")
    assert "resets in 13 h 53 min" in message and "Run again" in message
    assert clock.sleeps == [] and len(script.requests) == 1 and client.requests == 1


def test_never_exceeds_any_window() -> None:
    clock = FakeClock(start=1000.5)  # off the window boundaries: the shop rounds resets down
    shop = WindowedShop(clock, windows=((3, 10), (5, 60), (1000, 86400)))
    client = make_client(shop, clock=clock)
    for _ in range(12):
        client.get("products")
    assert shop.statuses == [200] * 12
    assert shop.max_used(0) == 3 and shop.max_used(1) == 5
    assert clock.sleeps  # it had to wait
    assert clock.now < 1000.5 + 3 * 60 + 3  # ... but no longer than the windows require


def test_a_reserve_is_left_unused() -> None:
    clock = FakeClock()
    shop = WindowedShop(clock, windows=((4, 10),))
    client = make_client(shop, clock=clock, pacer=RatePacer(reserve=2, clock=clock, sleep=clock.sleep))
    for _ in range(4):
        client.get("products")
    assert shop.max_used(0) == 2


def test_concurrent_requests_stay_under_the_windows() -> None:
    clock = FakeClock(start=1000.5)
    shop = WindowedShop(clock, windows=((5, 10), (12, 60)))
    client = make_client(shop, clock=clock)
    client.get("products")  # learn the windows first; before that nothing is known
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda _: client.get("products"), range(30)))
    assert 429 not in shop.statuses
    assert shop.max_used(0) <= 5 and shop.max_used(1) <= 12
    assert client.requests == 31


def test_429_waits_for_the_exhausted_window_then_succeeds() -> None:
    clock = FakeClock()
    script = Script(
        [
            json_response(429, {"error": {"code": 429}}, limits("-1/2900/11000", "120/2000/50000")),
            json_response(200, {"product": {"id": 5}}, limits("299/2899/10999", "300/1880/49880")),
        ]
    )
    client = make_client(script, clock=clock)
    assert client.get_one("products/5", "product") == {"id": 5}
    assert clock.sleeps == [121.0]  # the 5-minute window, not the latest reset
    assert client.requests == 2


def test_429_without_an_exhausted_window_waits_for_the_latest_reset() -> None:
    clock = FakeClock()
    script = Script([json_response(429, headers=limits("0/5/5", "20/40/60")), json_response(200)])
    make_client(script, clock=clock, pacer=RatePacer(max_wait=100, clock=clock, sleep=clock.sleep)).get("x")
    assert clock.sleeps == [61.0]


def test_429_without_headers_uses_retry_after_or_a_fallback() -> None:
    clock = FakeClock()
    script = Script([json_response(429, headers={"Retry-After": "7"}), json_response(429), json_response(200)])
    pacer = RatePacer(fallback_wait=45, clock=clock, sleep=clock.sleep)
    make_client(script, clock=clock, pacer=pacer).get("products")
    assert clock.sleeps == [8.0, 46.0]


def test_429_whose_wait_exceeds_max_wait_raises_with_reset_seconds() -> None:
    clock = FakeClock()
    script = Script([json_response(429, headers=limits("100/900/-1", "120/2000/50000"))])
    client = make_client(script, clock=clock)
    with pytest.raises(RateLimitError, match="daily request limit") as caught:
        client.get("products")
    assert caught.value.reset_seconds == pytest.approx(50001)
    assert clock.sleeps == [] and client.requests == 1


def test_persistent_429_gives_up_with_rate_limit_error() -> None:
    clock = FakeClock()
    client = make_client(lambda request: json_response(429, headers=limits("-1/1/1", "5/9/9")), clock=clock)
    with pytest.raises(RateLimitError, match="still answers 429") as caught:
        client.get("products")
    assert caught.value.status == 429
    assert client.requests == 5 and len(clock.sleeps) == 4


def test_a_new_window_period_replaces_the_old_estimate() -> None:
    clock = FakeClock()
    pacer = RatePacer(clock=clock, sleep=clock.sleep)
    pacer.acquire()
    pacer.record(limits("1/100/100", "10/100/100"))
    pacer.acquire()  # takes the last one
    clock.now += 11  # the 5-minute window has reset
    pacer.acquire()
    assert pacer.windows()[0].remaining == 300 - 2  # a fresh period, less what is in flight
    pacer.record(limits("299/98/98", "299/89/89"))
    assert [w.remaining for w in pacer.windows()] == [299 - 1, 98 - 1, 98 - 1]  # one still in flight
    assert clock.sleeps == []


def test_a_late_answer_from_the_same_period_cannot_raise_the_estimate() -> None:
    clock = FakeClock()
    pacer = RatePacer(clock=clock, sleep=clock.sleep)
    pacer.acquire()
    pacer.acquire()
    pacer.record(limits("3/30/300", "100/1000/10000"))  # the second request's answer came first
    pacer.record(limits("4/31/301", "100/1000/10000"))  # the first one's, counted earlier
    assert [w.remaining for w in pacer.windows()] == [2, 29, 299]


def test_threads_waiting_on_a_used_up_window_all_wait_for_its_reset() -> None:
    clock = FakeClock()
    pacer = RatePacer(clock=clock, sleep=clock.sleep)
    pacer.acquire()
    pacer.record(limits("0/10/10", "5/100/100"))
    started = threading.Barrier(4)

    def take() -> None:
        started.wait()
        pacer.acquire()
        pacer.record(None)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert clock.now >= 1000 + 6  # nobody went before the reset
    assert [w.remaining for w in pacer.windows()][1:] == [6, 6]  # no update lost between threads


def test_human_duration() -> None:
    assert [human_duration(s) for s in (0, 12.2, 250, 23663)] == ["0 s", "13 s", "4 min 10 s", "6 h 34 min"]


def test_a_request_that_got_no_answer_still_counts_in_the_estimate() -> None:
    clock = FakeClock()
    pacer = RatePacer(max_wait=10, clock=clock, sleep=clock.sleep)
    pacer.acquire()
    pacer.record(limits("1/10/10", "50/100/100"))
    pacer.acquire()
    pacer.record(None)  # e.g. a read timeout: the shop may well have counted it
    with pytest.raises(RateLimitError, match="5-minute request limit") as caught:
        pacer.acquire()
    assert caught.value.reset_seconds == pytest.approx(51)
    assert clock.sleeps == []
