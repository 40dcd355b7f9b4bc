"""The metafield rotation: every product's metafields re-read within a bound, at a bounded cost.

Metafields have no bulk endpoint and an edit of one may not move the product's ``updatedAt``, so
each sync also re-reads the metafields of the products checked longest ago (docs/request-economy.md).
"""

from __future__ import annotations

import dataclasses
import time
import types
from collections.abc import Callable

import pytest

from ecomgit import config as config_mod
from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.emulator.model import Metafield
from ecomgit.mirror import read_product
from ecomgit.shop import Repo, open_repo
from ecomgit.sync import engine
from ecomgit.sync.plan import DAY, plan_refresh, refresh_rate
from ecomgit.sync.run import run_sync
from ecomgit.sync.state import MetafieldCheck


def checks(times: dict[int, float]) -> dict[int, MetafieldCheck]:
    return {pid: MetafieldCheck(at, "") for pid, at in times.items()}


def test_the_rotation_takes_the_products_checked_longest_ago_in_proportion_to_the_time_passed() -> None:
    rate = refresh_rate(100, max_age_hours=24, share=0.5, daily_limit=None)
    assert rate == 100 / DAY
    checked = checks({pid: 1000.0 + (pid * 37) % 100 for pid in range(100)})
    quarter = plan_refresh(range(100), checked, rate=rate, credit=0.0, elapsed=DAY / 4, affordable=None)
    assert len(quarter.ids) == 25 and quarter.credit == pytest.approx(0.0, abs=1e-6)
    assert sorted(checked[pid].checked for pid in quarter.ids) == sorted(c.checked for c in checked.values())[:25]
    never = plan_refresh([7, 3, 5], checks({7: 5.0}), rate=rate, credit=0.0, elapsed=DAY, affordable=None)
    assert never.ids == [3, 5, 7]  # never checked (a state from before the rotation) come first


def test_the_part_of_a_product_owed_is_carried_and_a_long_pause_catches_up_at_most_a_day() -> None:
    rate = 96 / DAY  # one product per 15 minutes
    credit = 0.0
    taken = []
    for _ in range(8):  # eight syncs 5 minutes apart: a product every third sync
        step = plan_refresh(range(96), {}, rate=rate, credit=credit, elapsed=300, affordable=None)
        taken.append(len(step.ids))
        credit = step.credit
    assert taken == [0, 0, 1, 0, 0, 1, 0, 0]
    week = plan_refresh(range(500), {}, rate=rate, credit=0.0, elapsed=7 * DAY, affordable=None)
    assert len(week.ids) == 96  # a day's worth, not a week's
    broke = plan_refresh(range(500), {}, rate=rate, credit=0.0, elapsed=DAY, affordable=10)
    assert len(broke.ids) == 10 and broke.credit == pytest.approx(86)  # owed to the next syncs


def test_the_share_of_the_daily_limit_caps_the_rotation_and_stretches_the_bound() -> None:
    # 10 000 products, 12 000 requests a day, half of it for the rotation: 6 000 a day, not 10 000
    rate = refresh_rate(10_000, max_age_hours=24, share=0.5, daily_limit=12_000)
    assert rate * DAY == pytest.approx(6_000)
    assert 10_000 / rate / 3600 == pytest.approx(40)  # every product within 40 hours
    assert refresh_rate(2_000, 24, 0.5, 12_000) * DAY == pytest.approx(2_000)  # small shops: the age bound


class RotationClock:
    """The sync's clock for the metafield rotation, moved by the test instead of by waiting."""

    def __init__(self) -> None:
        self.now = time.time()

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> RotationClock:
    fake = RotationClock()
    monkeypatch.setattr(engine, "time", types.SimpleNamespace(time=fake.time, monotonic=time.monotonic))
    return fake


@pytest.fixture
def fast_rotation(synced: Repo) -> Repo:
    """The synced sample shop with every product's metafields due within 3.6 seconds."""
    config = dataclasses.replace(synced.config, metafields_max_age=0.001)
    config_mod.save(synced.root, config)
    return open_repo(synced.root)


def test_a_metafield_edit_that_leaves_updated_at_alone_is_committed_within_one_rotation(
    fast_rotation: Repo, client: ShopClient, app: EmulatorApp, clock: RotationClock
) -> None:
    repo = fast_rotation
    run_sync(repo, client)  # starts the rotation's clock
    product = next(p for p in app.shop.products.values() if p.metafields)
    updated = product.updated
    product.metafields[0].value = "edited where updatedAt does not see it"
    refreshed, found = [], None
    for _ in range(12):
        clock.advance(0.4)
        summary = run_sync(repo, client)
        refreshed.append(summary.metafields.refreshed)
        found = next((c for c in summary.changes if c.product_id == product.id), None)
        if found is not None:
            break
    assert product.updated == updated
    assert found is not None and found.fields == ["metafields"], refreshed
    total = len(app.shop.products)
    assert sum(refreshed) <= total  # within one rotation: no product was re-read twice before it
    assert summary.metafields.changed == 1 and summary.metafields.bound_hours == pytest.approx(0.001)
    assert [(c.kind, c.product_id) for c in summary.changes] == [("changed", product.id)]
    [folder] = [p for p in (repo.root / "products").iterdir() if p.name.startswith(f"{product.id}-")]
    values = {m["key"]: m["value"] for m in read_product(folder / "product.yaml")["metafields"]}
    assert values[product.metafields[0].key] == "edited where updatedAt does not see it"
    message = gitrepo.run(repo.root, "log", "-1", "--format=%B")
    assert f"~ {product.id} " in message and "(metafields)" in message


def test_the_rotation_never_stops_a_sync_at_its_budget(
    fast_rotation: Repo, client_factory: Callable[..., ShopClient], clock: RotationClock
) -> None:
    repo = fast_rotation
    run_sync(repo, client_factory())
    clock.advance(1.0)  # about 8 products due
    summary = run_sync(repo, client_factory(budget=18))  # a no-op costs 13; 5 are kept in reserve
    assert summary.metafields.refreshed == 0 and summary.requests == 13
    clock.advance(1.0)
    summary = run_sync(repo, client_factory(budget=26))
    # 13 left of the budget, 5 kept in reserve: 8 for the rotation, each product costing 1 + its
    # variants' metafield reads (mirrored by default)
    refreshed = summary.metafields.refreshed
    assert refreshed >= 1 and 13 + 2 * refreshed <= summary.requests <= 21 and summary.stopped is None


def test_the_rotation_counts_what_each_product_costs_against_what_the_sync_can_afford() -> None:
    variants = {pid: pid % 4 for pid in range(20)}  # 0 to 3 variants: 1 to 4 requests each
    step = plan_refresh(
        range(20), {}, rate=1.0, credit=0.0, elapsed=10, affordable=7, cost=lambda pid: 1 + variants[pid]
    )
    assert step.ids == [0, 1, 2]  # 1 + 2 + 3 = 6; the fourth would make 10
    assert step.credit == pytest.approx(7.0)  # the 7 not taken are owed to the next syncs


def test_the_summary_says_how_fresh_the_metafields_are(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    summary = run_sync(synced, client)
    data = summary.to_json()["metafields"]
    assert data["unchecked"] == 0 and data["maxAgeHours"] == 24
    assert 0 <= data["oldestCheckHours"] < 1


def test_with_variant_metafields_mirrored_the_rotation_keeps_them_fresh_too(
    synced: Repo, client: ShopClient, app: EmulatorApp, clock: RotationClock
) -> None:
    """Issue 14 item 7, in part: a variant's metafield edited where no ``updatedAt`` sees it is found
    by the same bounded rotation (each product re-read with its variants' metafields)."""
    config = dataclasses.replace(synced.config, metafields_max_age=0.001, variant_metafields=True)
    config_mod.save(synced.root, config)
    gitrepo.stage(synced.root, [".ecomgit"])
    gitrepo.commit(synced.root, "Mirror the variants' metafields too")
    repo = open_repo(synced.root)
    run_sync(repo, client)  # the mirror's shape changed: every product read again, its variants' metafields too
    assert run_sync(repo, client).commit is None
    product = next(p for p in app.shop.products.values() if len(p.variants) > 1)
    variant = product.variants[1]
    now = app.shop.now()
    variant.metafields.append(Metafield(990001, now, now, "fit_note", "valt klein"))  # no updatedAt moves
    found = None
    for _ in range(12):
        clock.advance(0.4)
        summary = run_sync(repo, client)
        found = next((c for c in summary.changes if c.product_id == product.id), None)
        if found is not None:
            break
    assert found is not None and found.fields == ["variants"], found
    [folder] = [p for p in (repo.root / "products").iterdir() if p.name.startswith(f"{product.id}-")]
    mirrored = next(v for v in read_product(folder / "product.yaml")["variants"] if v["id"] == variant.id)
    assert mirrored["metafields"] == [{"key": "fit_note", "id": 990001, "value": "valt klein"}]
    clock.advance(0.4)
    assert run_sync(repo, client).commit is None  # read again by the rotation: the same, no commit


def test_the_rotation_rate_counts_a_products_variants_against_the_daily_share() -> None:
    # 10 000 products with 3 variants each, variant metafields on: 4 requests a product re-read
    rate = refresh_rate(10_000, max_age_hours=24, share=0.5, daily_limit=12_000, cost=4.0)
    assert rate * DAY * 4 == pytest.approx(6_000)  # still half the day's requests
