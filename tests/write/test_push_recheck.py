"""One list instead of a re-read per product before writing (issue 16 item 4, ``ecomgit.write.recheck``).

A push of many product-field edits reads the first product again the usual way, then asks one
list of the products changed since the plan for each batch; a product that list names is read again
and compared field by field, the others are written as planned. The races are made at a state (at
the prompt between plan and apply, or in a transport the moment a given write is answered), and the
clocks of the shop and the client are one fake clock the test moves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode

import httpx

from ecomgit.api import RatePacer, ShopClient
from ecomgit.api.values import format_api_time, parse_api_time
from ecomgit.emulator import EmulatorApp
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo, writer
from ecomgit.write.push import PushResult, apply_push, plan_push
from ecomgit.write.recheck import MAX_AGE
from tests.conftest import EMULATOR_URL
from tests.write.conftest import edit, quiet
from tests.write.test_push_stops import edited

COLLEAGUE = "Typed in the back office while the push waited."


class Clock:
    """One clock for the shop's stamps and the client's pacer, moved by the test."""

    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


class Shop(httpx.BaseTransport):
    """The emulator, recording requests; ``after_put(n)`` runs once the n-th PUT is answered, and
    ``shift`` hours are added to every ``updated_at_min`` (a shop reading it in a zone west of UTC)."""

    def __init__(self, app: EmulatorApp, clock: Clock, shift: float = 0.0) -> None:
        self.inner = httpx.WSGITransport(app=app)
        self.clock, self.shift = clock, shift
        self.requests: list[str] = []
        self.puts = 0
        self.after_put: Callable[[int], None] = lambda n: None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        query = dict(parse_qsl(request.url.query.decode()))
        if self.shift and "updated_at_min" in query:
            moved = parse_api_time(query["updated_at_min"]) + timedelta(hours=self.shift)
            query["updated_at_min"] = format_api_time(moved)
            request = httpx.Request(request.method, request.url.copy_with(query=urlencode(query).encode()))
        self.requests.append(f"{request.method} {request.url.path}")
        self.clock.now += 1  # every request takes a second of both clocks
        answer = self.inner.handle_request(request)
        if request.method == "PUT":
            self.puts += 1
            self.after_put(self.puts)
        return answer


def client_for(app: EmulatorApp, shift: float = 0.0) -> tuple[ShopClient, Shop, Clock]:
    clock = Clock(float(int(app.shop.clock())))
    app.shop.clock = clock
    shop = Shop(app, clock, shift)
    pacer = RatePacer(clock=clock, sleep=lambda seconds: None)
    return ShopClient(EMULATOR_URL, language="nl", transport=shop, pacer=pacer), shop, clock


def colleague(app: EmulatorApp, pid: int, lang: str = "en", field: str = "description") -> None:
    product = app.shop.products[pid]
    product.texts[lang][field] = COLLEAGUE
    app.shop.touch_product(product)


def push(repo: Repo, client: ShopClient, at_prompt: Callable[[], None] = lambda: None) -> PushResult:
    with writer(repo, "push") as state:
        plan = plan_push(repo, client, state, progress=quiet)
        at_prompt()
        return apply_push(repo, client, state, plan, progress=quiet)


def rereads(shop: Shop) -> list[int]:
    """The products read again one by one (their catalog record) after the plan's list pages."""
    return [int(r.rsplit("/", 1)[1].split(".")[0]) for r in shop.requests if r.startswith("GET /nl/catalog/")]


def test_one_list_clears_the_products_the_shop_did_not_change(synced: Repo, app: EmulatorApp) -> None:
    pids = edited(synced, app, 12)
    client, shop, _ = client_for(app)
    with client:
        result = push(synced, client)
    assert result.ok and pending_products(synced.root) == {}
    assert rereads(shop) == [result.plan.jobs[0].source]  # only the first: it bounds the shop's clock
    assert shop.requests.count("GET /nl/products.json") == 1 and result.recheck and result.recheck.checks == 1
    assert len([r for r in shop.requests if r.startswith("PUT ")]) == 12
    for pid in pids:
        assert app.shop.products[pid].texts["en"]["description"] == f"Copy of {pid}, reviewed."


def test_a_product_edited_at_the_prompt_is_read_again_and_refused(synced: Repo, app: EmulatorApp) -> None:
    pids = edited(synced, app, 8)
    client, shop, _ = client_for(app)
    with client:
        result = push(synced, client, at_prompt=lambda: colleague(app, pids[5]))
    assert pids[5] in rereads(shop)  # listed by the check: compared field by field
    [refused] = result.plan.refused
    assert refused.source == pids[5] and refused.refused_at_write and not refused.written
    assert app.shop.products[pids[5]].texts["en"]["description"] == COLLEAGUE  # never overwritten
    assert list(pending_products(synced.root)) == [pids[5]]
    assert sorted(rereads(shop)) == sorted({result.plan.jobs[0].source, pids[5]})


def test_an_edit_of_another_field_is_read_again_and_the_write_goes_on(synced: Repo, app: EmulatorApp) -> None:
    pids = edited(synced, app, 8)
    client, shop, _ = client_for(app)
    with client:
        result = push(synced, client, at_prompt=lambda: colleague(app, pids[3], "nl", "content"))
    assert result.ok and pids[3] in rereads(shop)
    assert app.shop.products[pids[3]].texts["en"]["description"] == f"Copy of {pids[3]}, reviewed."
    assert app.shop.products[pids[3]].texts["nl"]["content"] == COLLEAGUE  # theirs, untouched


def test_a_check_lapses_after_its_time_and_a_new_one_sees_a_later_edit(synced: Repo, app: EmulatorApp) -> None:
    """A rate-limit wait (the clock jumps) between writes: the check that cleared the batch lapses,
    and the next one lists a product a colleague edited meanwhile."""
    edited(synced, app, 8)
    client, shop, clock = client_for(app)
    order: list[int] = []

    def meanwhile(puts: int) -> None:
        if puts == 3:  # the first product and two cleared ones are written
            clock.now += MAX_AGE + 1
            colleague(app, order[6])

    shop.after_put = meanwhile
    with client, writer(synced, "push") as state:
        plan = plan_push(synced, client, state, progress=quiet)
        order[:] = [job.source for job in plan.jobs]
        result = apply_push(synced, client, state, plan, progress=quiet)
    assert result.recheck is not None and result.recheck.checks == 2
    [refused] = result.plan.refused
    assert refused.source == order[6] and app.shop.products[order[6]].texts["en"]["description"] == COLLEAGUE


def test_a_shop_that_reads_the_filter_as_a_later_moment_gets_a_re_read_per_product(
    synced: Repo, app: EmulatorApp
) -> None:
    """The filter's time zone is not documented. A shop that reads ``updated_at_min`` five hours later
    than meant would list nothing recent: the product the push just wrote is missing from the list,
    so the check is not trusted and every product is read again on its own, as before."""
    pids = edited(synced, app, 8)
    client, shop, _ = client_for(app, shift=5)
    with client:
        result = push(synced, client, at_prompt=lambda: colleague(app, pids[5]))
    assert result.recheck is not None and result.recheck.broken
    assert sorted(rereads(shop)) == sorted(pids)  # one by one
    [refused] = result.plan.refused
    assert refused.source == pids[5] and app.shop.products[pids[5]].texts["en"]["description"] == COLLEAGUE


def test_a_small_push_keeps_the_re_read_per_product(synced: Repo, app: EmulatorApp) -> None:
    pids = edited(synced, app, 2)
    client, shop, _ = client_for(app)
    with client:
        result = push(synced, client)
    assert result.ok and sorted(rereads(shop)) == sorted(pids * 2)  # planned one by one, and read again
    assert "GET /nl/products.json" not in shop.requests


def test_a_stamp_from_before_the_plan_clears_unless_a_later_edit_could_share_it(synced: Repo, app: EmulatorApp) -> None:
    """Two products last changed just before the push began (by an earlier push, say): the list names
    both, with the stamps the plan read. Stamped 2 s before the plan, no edit after the plan's read
    can carry that stamp: cleared. Stamped 1 s before, the shop's whole seconds leave doubt: re-read."""
    pids = edited(synced, app, 8)
    client, shop, clock = client_for(app)
    older, newer = pids[4], pids[6]
    app.shop.products[older].updated = int(clock.now) - 2
    app.shop.products[newer].updated = int(clock.now) - 1
    with client:
        result = push(synced, client)
    assert result.ok and result.recheck is not None and result.recheck.checks == 1
    assert sorted(rereads(shop)) == sorted({result.plan.jobs[0].source, newer})


def priced(repo: Repo, app: EmulatorApp, count: int) -> list[int]:
    """An agency's price list: an old price on the first variant of ``count`` products."""
    pids = sorted(app.shop.products)[:count]
    for pid in pids:
        edit(repo, pid, lambda p: p["variants"][0].__setitem__("oldPriceExcl", 9999), f"Old price of {pid}")
    return pids


def test_a_price_list_is_cleared_by_the_variants_list(synced: Repo, app: EmulatorApp) -> None:
    pids = priced(synced, app, 8)
    client, shop, _ = client_for(app)
    with client:
        result = push(synced, client)
    assert result.ok and pending_products(synced.root) == {}
    assert rereads(shop) == [result.plan.jobs[0].source]
    checks = [r for r in shop.requests if r in ("GET /nl/variants.json", "GET /nl/products.json")]
    assert checks == ["GET /nl/variants.json"] * 3  # the plan's page, the first product's again, one check
    assert len([r for r in shop.requests if r.startswith("PUT /nl/variants/")]) == 8
    assert len(shop.requests) == 3 + 2 + 1 + 8  # plan (catalog, count, variants), first again, check, writes
    for pid in pids:
        assert app.shop.products[pid].variants[0].oldPriceExcl == 9999


def test_a_price_changed_at_the_prompt_refuses_that_product(synced: Repo, app: EmulatorApp) -> None:
    pids = priced(synced, app, 8)
    client, shop, _ = client_for(app)

    def colleague_prices() -> None:
        variant = app.shop.products[pids[5]].variants[0]
        variant.oldPriceExcl = 1234
        variant.updated = app.shop.now()  # the product's own updatedAt need not move: only the variant's

    with client:
        result = push(synced, client, at_prompt=colleague_prices)
    [refused] = result.plan.refused
    assert refused.source == pids[5] and refused.refused_at_write
    assert app.shop.products[pids[5]].variants[0].oldPriceExcl == 1234
    assert pids[5] in rereads(shop)
