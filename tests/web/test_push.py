"""``ecomgit web --allow-push``: "Push to shop" with the plan and the guards of ``ecomgit push``,
against the in-process emulator."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from starlette.testclient import TestClient

from ecomgit import gitrepo
from ecomgit.emulator import EmulatorApp
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo
from ecomgit.web import pushing
from ecomgit.web.app import make_app
from tests.conftest import client_for
from tests.web.conftest import WADDEN, csrf_of
from tests.write.conftest import edit
from tests.write.test_safety_mass import empty_images


@contextmanager
def serving(story: Repo, app: EmulatorApp, *, allow_push: bool = True) -> Iterator[TestClient]:
    web = make_app(story.root, allow_push=allow_push, shop=lambda: client_for(app))
    with TestClient(web) as client:
        yield client


def plan_of(page: str) -> str:
    found = re.search(r'name="plan" value="([0-9a-f]{64})"', page)
    assert found is not None, page
    return found[1]


def test_push_to_shop_shows_the_plan_then_writes_it_once_confirmed(story: Repo, app: EmulatorApp) -> None:
    with serving(story, app) as web:
        page = web.get("/push").text
        assert 'href="/push?' in page  # in the navigation
        assert f"~ {WADDEN}" in page and "description [nl]" in page and "Write this to the shop" in page
        assert "lighter" not in app.shop.products[WADDEN].texts["nl"]["description"]
        form = {"plan": plan_of(page)}
        assert web.post("/push", data=form).status_code == 403  # no CSRF token: refused, nothing written
        assert "lighter" not in app.shop.products[WADDEN].texts["nl"]["description"]
        done = web.post("/push", data={**form, "csrf": csrf_of(page)})
    assert done.status_code == 200 and "Pushed 1 product(s)" in done.text and "Recorded as commit" in done.text
    assert "<b>lighter</b>" in app.shop.products[WADDEN].texts["nl"]["description"]
    assert not pending_products(story.root)
    assert "Ecomgit-Push" in gitrepo.run(story.root, "log", "-1", "--format=%B")


def test_a_plan_that_changed_since_it_was_shown_is_shown_again_not_written(story: Repo, app: EmulatorApp) -> None:
    with serving(story, app) as web:
        page = web.get("/push").text
        edit(story, WADDEN, lambda p: p["description"].update({"en": "Changed after the plan was read."}), "Later")
        again = web.post("/push", data={"plan": plan_of(page), "csrf": csrf_of(page)})
    assert again.status_code == 200 and "not the one you confirmed" in again.text
    assert "lighter" not in app.shop.products[WADDEN].texts["nl"]["description"]  # nothing written
    assert plan_of(again.text) != plan_of(page)


def test_push_to_shop_writes_only_from_the_default_branch(story: Repo, app: EmulatorApp) -> None:
    gitrepo.run(story.root, "checkout", "-q", "-b", "copy-review")
    with serving(story, app) as web:
        page = web.get("/push").text
        assert "not the mirror&#39;s default branch &#39;main&#39;" in page and "Write this to the shop" not in page
        csrf = csrf_of(web.get(f"/product/{WADDEN}/edit").text)
        forced = web.post("/push", data={"plan": "0" * 64, "csrf": csrf})
        assert "not the one you confirmed" in forced.text
        head = gitrepo.head(story.root)
        # even with the plan's own fingerprint, a write from another branch is refused
        refused = web.post("/push", data={"plan": _fingerprint_of(story, app), "csrf": csrf})
    assert refused.status_code == 409 and "nothing was written" in refused.text
    assert "lighter" not in app.shop.products[WADDEN].texts["nl"]["description"]
    assert gitrepo.head(story.root) == head


def test_without_allow_push_there_is_no_push_to_shop(story: Repo, app: EmulatorApp) -> None:
    with serving(story, app, allow_push=False) as web:
        assert 'href="/push' not in web.get("/").text
        assert web.get("/push").status_code in (404, 405)
        csrf = csrf_of(web.get(f"/product/{WADDEN}/edit").text)
        assert web.post("/push", data={"csrf": csrf}).status_code in (404, 405)


def _fingerprint_of(story: Repo, app: EmulatorApp) -> str:
    return pushing.plan(story, lambda: client_for(app)).fingerprint


def test_a_push_that_strips_many_products_is_not_offered(synced: Repo, app: EmulatorApp) -> None:
    pids = empty_images(synced, 12)
    with serving(synced, app) as web:
        page = web.get("/push").text
        assert "the web view never writes that" in page and "--allow-mass-change" in page
        assert "Write this to the shop" not in page
        # even confirmed with the plan's own fingerprint, it is refused
        form = {"plan": _fingerprint_of(synced, app), "csrf": csrf_of(web.get(f"/product/{WADDEN}/edit").text)}
        refused = web.post("/push", data=form)
    assert refused.status_code == 409 and "nothing was written" in refused.text
    assert all(app.shop.products[pid].images for pid in pids)
