"""No silent overwrite between plan and apply: a shop edit made after the plan read a product (at
the confirmation prompt, or while a push writes the products before it) refuses that product.

The races are made at a state, never with a sleep: between ``plan_*`` and ``apply_*`` (where the
CLI waits at its prompt), and in a WSGI wrapper that edits the shop the moment the first write
of another product has been answered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import httpx

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo, writer
from ecomgit.sync.run import run_sync
from ecomgit.write.push import apply_push, plan_push
from ecomgit.write.restore import apply_restore, plan_restore
from tests.conftest import EMULATOR_URL
from tests.write.conftest import KUSTWEG, edit, push, quiet

LAMP = 72418448
SEALANT = 72418421
COLLEAGUE = "Typed in the back office while the push ran."


def set_description(app: EmulatorApp, pid: int, text: str) -> None:
    """A colleague edits the product's English description in the back office."""
    product = app.shop.products[pid]
    product.texts["en"]["description"] = text
    app.shop.touch_product(product)


class AfterFirstWrite:
    """The emulator, edited by ``edit(pid)`` the moment the first PUT to a product is answered
    (``pid`` is that product): a stand-in for a colleague working during a long push."""

    def __init__(self, app: EmulatorApp, edit: Callable[[int], None]) -> None:
        self.app = app
        self.edit = edit
        self.first: int | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        answer = self.app(environ, start_response)
        path = environ["PATH_INFO"]
        if environ["REQUEST_METHOD"] == "PUT" and "/products/" in path and self.first is None:
            self.first = int(path.rsplit("/", 1)[1].split(".")[0])
            self.edit(self.first)
        return answer


def test_a_shop_edit_during_a_push_refuses_that_product_and_writes_the_others(synced: Repo, app: EmulatorApp) -> None:
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "Kustweg, ours."))
    edit(synced, LAMP, lambda p: p["description"].__setitem__("en", "Lamp, ours."))
    other = {KUSTWEG: LAMP, LAMP: KUSTWEG}
    hook = AfterFirstWrite(app, lambda first: set_description(app, other[first], COLLEAGUE))
    with ShopClient(EMULATOR_URL, language="nl", transport=httpx.WSGITransport(app=hook)) as client:  # type: ignore[arg-type]
        result = push(synced, client)
    first = hook.first
    assert first is not None
    second = other[first]
    assert not result.ok
    shop = app.shop.products
    assert shop[first].texts["en"]["description"] == ("Kustweg, ours." if first == KUSTWEG else "Lamp, ours.")
    assert shop[second].texts["en"]["description"] == COLLEAGUE  # never overwritten
    [refused] = result.plan.refused
    assert refused.source == second and refused.refused_at_write and not refused.written
    [line] = refused.conflict_lines()
    assert line.startswith("description [en]: the shop's: ") and COLLEAGUE[:40] in line and "ours." in line
    assert list(pending_products(synced.root)) == [second]  # held back, for the next push
    assert gitrepo.trailers(synced.root, "HEAD", gitrepo.HELD_TRAILER) == [str(second)]


def test_after_a_sync_the_refused_product_is_a_plain_conflict_the_user_resolves(
    synced: Repo, app: EmulatorApp, client: ShopClient
) -> None:
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "Kustweg, ours."))
    edit(synced, LAMP, lambda p: p["description"].__setitem__("en", "Lamp, ours."))
    other = {KUSTWEG: LAMP, LAMP: KUSTWEG}
    hook = AfterFirstWrite(app, lambda first: set_description(app, other[first], COLLEAGUE))
    with ShopClient(EMULATOR_URL, language="nl", transport=httpx.WSGITransport(app=hook)) as racing:  # type: ignore[arg-type]
        push(synced, racing)
    assert hook.first is not None
    second = other[hook.first]
    run_sync(synced, client)
    again = push(synced, client)  # the plan now sees the colleague's edit: the usual conflict
    [job] = again.plan.refused
    assert job.source == second and not job.refused_at_write and COLLEAGUE[:40] in job.conflict_lines()[0]
    assert app.shop.products[second].texts["en"]["description"] == COLLEAGUE
    assert push(synced, client, prefer="ours").ok
    assert app.shop.products[second].texts["en"]["description"].endswith("ours.")
    assert pending_products(synced.root) == {}


def test_a_shop_edit_at_the_push_prompt_refuses_that_product_only(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "Ours."))
    edit(synced, LAMP, lambda p: p["description"].__setitem__("en", "Lamp, ours."))
    with writer(synced, "push") as state:
        plan = plan_push(synced, client, state, progress=quiet)
        set_description(app, KUSTWEG, COLLEAGUE)  # while the prompt waits: a field the push writes
        lamp = app.shop.products[LAMP]
        lamp.texts["en"]["content"] = "<p>Theirs.</p>"  # and one it does not write: no reason to refuse
        app.shop.touch_product(lamp)
        result = apply_push(synced, client, state, plan, progress=quiet)
    assert not result.ok
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == COLLEAGUE
    assert [job.source for job in result.plan.refused] == [KUSTWEG]
    assert lamp.texts["en"]["description"] == "Lamp, ours." and lamp.texts["en"]["content"] == "<p>Theirs.</p>"
    assert list(pending_products(synced.root)) == [KUSTWEG]


def test_restore_onto_refuses_when_the_successor_changed_after_the_plan(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    head = gitrepo.head(synced.root)
    with writer(synced, "restore") as state:
        plan = plan_restore(synced, client, state, str(KUSTWEG), rev="HEAD", onto=SEALANT, progress=quiet)
        assert ("description", "en") in plan.job.decision.changes
        set_description(app, SEALANT, COLLEAGUE)  # while the prompt waits
        result = apply_restore(synced, client, state, plan, progress=quiet)
    job = result.plan.job
    assert not result.ok and job.refused_at_write and not job.written
    assert app.shop.products[SEALANT].texts["en"]["description"] == COLLEAGUE
    assert any(line.startswith("description [en]: the shop's: ") for line in job.conflict_lines())
    assert result.commit is None and gitrepo.head(synced.root) == head


def test_restore_in_place_refuses_when_the_product_changed_after_the_plan(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    synced_at = gitrepo.head(synced.root) or ""
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "Pushed."))
    assert push(synced, client).ok
    with writer(synced, "restore") as state:
        plan = plan_restore(synced, client, state, str(KUSTWEG), rev=synced_at, progress=quiet)
        set_description(app, KUSTWEG, COLLEAGUE)
        result = apply_restore(synced, client, state, plan, progress=quiet)
    assert not result.ok and result.plan.job.refused_at_write
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == COLLEAGUE
