"""A mirror with a story for the web view: a person's copy edit with hostile HTML in it, and a
product Retail added into a matrix (lost, with a successor)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp, retail
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from ecomgit.web.app import make_app
from tests.write.conftest import KUSTWEG, edit

JERSEY = 72418518  # the matrix Retail adds KUSTWEG's item into: its successor
WADDEN = 72418301  # the product whose description a person edits
HOSTILE = (
    '<p>Now <b>lighter</b>.</p><script>document.title="pwned"</script><img src="x" onerror="document.title=\'pwned\'">'
)


@pytest.fixture
def story(synced: Repo, client: ShopClient, app: EmulatorApp) -> Repo:
    tell_story(synced, client, app)
    return synced


def tell_story(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    """A person's copy edit (hostile HTML in it), then Retail adds a product into a matrix and a sync sees it."""

    def change(product: dict[str, object]) -> None:
        product["description"] = {"nl": HOSTILE, "en": "Versatile gravel bike, now lighter."}

    edit(synced, WADDEN, change, "Copy: lighter")
    retail.add_to_matrix(app.shop, [KUSTWEG], matrix_id=JERSEY)
    assert run_sync(synced, client).count("deleted") == 1


@pytest.fixture
def web(story: Repo) -> Iterator[TestClient]:
    with TestClient(make_app(story.root)) as test_client:
        yield test_client


def csrf_of(page: str) -> str:
    marker = 'name="csrf" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]
