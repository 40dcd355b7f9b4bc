"""The web view in a real headless Chromium (Playwright) against ``ecomgit web`` on a real socket,
over a real mirror: what a person without git does, end to end, and the shop's hostile HTML
running nothing. Screenshots of the main pages go to docs/ (the README shows them)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from ecomgit import gitrepo
from ecomgit.shop import Repo
from tests.web.conftest import JERSEY, WADDEN
from tests.write.conftest import KUSTWEG

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip


def browser_path() -> str | None:
    given = os.environ.get("ECOMGIT_CHROMIUM")
    return given if given and Path(given).is_file() else next(filter(None, map(shutil.which, BROWSERS)), None)


@pytest.fixture
def server(story: Repo) -> Iterator[str]:
    """``ecomgit web`` serving the story's mirror on a free loopback port; its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ecomgit", "web", "--port", str(port)], cwd=story.root, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(url + "/static/style.css", timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "ecomgit web ended"
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stderr is not None:
            proc.stderr.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for this file's tests (starting Playwright and Chromium is 0.35 s); each
    test gets a context of its own, which shares no cookies, storage or cache with another."""
    found = browser_path()
    if found is None:
        pytest.skip("no Chromium found (apt-get install chromium, or set ECOMGIT_CHROMIUM): browser tests skipped")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=found, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=server, viewport={"width": 1200, "height": 900})
    yield context.new_page()
    context.close()


def shoot(page: Page, name: str) -> None:
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / f"web-{name}.png"), full_page=False)


def test_search_open_a_product_and_read_its_timeline(page: Page) -> None:
    p = page
    p.goto("/")
    shoot(p, "catalog")
    p.fill("input[name=q]", "AN-WGRX-50")
    p.click("form.search button")
    rows = p.locator("table.catalog tbody tr")
    assert rows.count() == 1
    p.click(f"a[href^='/product/{WADDEN}']")
    assert p.locator("h1").inner_text().startswith("Wadden GRX gravelbike")
    timeline = p.locator(".timeline .step")
    assert timeline.count() == 2
    assert "Copy: lighter" in timeline.first.inner_text() and "description [nl]" in timeline.first.inner_text()
    p.wait_for_load_state("load")
    images = p.locator(".images img")
    assert images.count() >= 1 and images.first.evaluate("img => img.naturalWidth > 0")
    shoot(p, "product")


def test_the_shops_script_and_onerror_run_nothing(page: Page) -> None:
    p = page
    errors: list[str] = []
    p.on("pageerror", lambda error: errors.append(str(error)))
    p.goto(f"/product/{WADDEN}")
    p.wait_for_load_state("load")
    assert p.title() != "pwned"
    html = p.locator(".html").first
    assert html.evaluate("el => el.querySelectorAll('script, [onerror]').length") == 0
    assert "lighter" in html.inner_text()
    assert p.evaluate("document.scripts.length") == 0
    assert not errors


def test_propose_a_restore_edit_copy_and_review_the_branches(page: Page, story: Repo) -> None:
    p = page
    head = gitrepo.head(story.root)
    p.goto("/lost")
    assert f"/product/{JERSEY}" in p.content()
    shoot(p, "lost")
    p.click(f"#p{KUSTWEG} form button")
    assert f"ecomgit/restore-{KUSTWEG}" in p.locator("code.branch").inner_text()
    assert f"ecomgit/restore-{KUSTWEG}" in gitrepo.run(story.root, "branch", "--list", "ecomgit/*")

    p.goto(f"/product/{WADDEN}?lang=en")
    p.click("text=Edit copy")
    p.fill("textarea[name='description:en']", "Our favourite gravel bike, in words a reviewer reads.")
    p.fill("input[name=name]", "Ada Copy")
    p.fill("input[name=message]", "Summer copy")
    p.click("form.edit button")
    branch = p.locator("code.branch").inner_text()
    assert branch == f"ecomgit/edit-{WADDEN}-1"
    assert gitrepo.run(story.root, "log", "-1", "--format=%an|%s", branch).strip() == "Ada Copy|Summer copy"
    assert gitrepo.head(story.root) == head and not gitrepo.run(story.root, "status", "--porcelain").strip()

    p.click("text=See the proposals among the branches")
    proposals = p.locator("article.branch")
    assert proposals.count() == 2
    words = p.locator("main").inner_text()
    assert "in words a reviewer reads" in words and f"ecomgit/restore-{KUSTWEG}" in words
    shoot(p, "branches")
