"""Image titles (issue 14 item 4): the catalog's images have none, so a sync reads them per product
(``/products/{id}/images.json``) only for products it reads in depth or whose images changed;
they are shown in words, validated, pushed, and brought back by restore, made anew and onto
Retail's successor (whose images Retail titled by their file names)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ecomgit.api import ShopClient
from ecomgit.check import check
from ecomgit.emulator import EmulatorApp
from ecomgit.mirror import files, layout
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo, open_repo
from ecomgit.sync import assemble
from ecomgit.sync.run import run_sync
from ecomgit.sync.state import Seen, State
from tests.write.conftest import (
    as_an_older_version_wrote_it,
    edit,
    folder_of,
    published_again,
    push,
    restore,
    restored_anew,
    without_lines,
)
from tests.write.test_cli import invoke, mirror  # noqa: F401 - the CLI fixture

GRAVEL = 72418301  # four images, each with a title the merchant wrote
BEACH = "Wadden GRX gravelbike op het strand van Terschelling"


def titles(repo: Repo, pid: int) -> list[str]:
    product = files.read_product(folder_of(repo, pid) / layout.PRODUCT_FILE)
    return [image["title"] for image in product["images"]]


def shop_titles(app: EmulatorApp, pid: int) -> list[str]:
    return [image.title for image in sorted(app.shop.products[pid].images, key=lambda i: (i.sort_order, i.id))]


def retitle(product: dict[str, Any]) -> None:
    product["images"][1]["title"] = "Het stuur, van boven"


def test_the_mirror_holds_them_and_a_retitle_is_read_at_one_request(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    assert titles(synced, GRAVEL)[0] == BEACH and titles(synced, GRAVEL) == shop_titles(app, GRAVEL)
    for pid in app.shop.products:
        if app.shop.products[pid].images:
            assert titles(synced, pid) == shop_titles(app, pid), pid
    before = app.stats.requests
    assert run_sync(synced, client).commit is None
    no_op = app.stats.requests - before
    image = app.shop.products[GRAVEL].images[2]
    image.title, image.updated = "Bepakt, bij de Waddendijk", app.shop.now()  # the product's updatedAt stays
    before = app.stats.requests
    summary = run_sync(synced, client)
    assert summary.commit is not None and titles(synced, GRAVEL)[2] == "Bepakt, bij de Waddendijk"
    assert app.stats.requests - before == no_op + 1  # the product's image list; nothing else read in depth


def test_push_sends_a_retitle_and_the_record_holds_what_the_shop_has(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    edit(synced, GRAVEL, retitle)
    assert list(pending_products(synced.root)) == [GRAVEL]
    result = push(synced, client)
    assert result.ok, [j.error or j.refused or j.mismatches for j in result.plan.jobs]
    assert shop_titles(app, GRAVEL)[1] == "Het stuur, van boven"
    assert [image.file_id for image in app.shop.products[GRAVEL].images] == [73233011, 73233012, 73233013, 73233014]
    assert pending_products(synced.root) == {} and titles(synced, GRAVEL) == shop_titles(app, GRAVEL)
    assert run_sync(synced, client).commit is None


def test_restore_brings_them_back_made_anew_and_onto_retails_successor(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    wanted = shop_titles(app, GRAVEL)
    made = restored_anew(synced, client, app, GRAVEL)
    assert shop_titles(app, made) == wanted == titles(synced, made)

    published = published_again(synced, client, app, made)
    assert titles(synced, published)[0] == "wadden-grx-zijkant"  # Retail's upload: titled by its file name
    assert restore(synced, client, str(made), onto="auto").ok
    assert shop_titles(app, published) == wanted == titles(synced, published)
    assert run_sync(synced, client).commit is None


def test_check_names_a_title_that_is_no_text(synced: Repo) -> None:
    edit(synced, GRAVEL, lambda p: p["images"][0].__setitem__("title", ["a", "list"]))
    problems = [str(p) for p in check(synced.root, [], synced.config)[1]]
    assert any(".yaml:" in p and "images[0].title" in p for p in problems), problems


def test_diff_and_the_plan_say_it_in_words(mirror: Path) -> None:  # noqa: F811
    edit(open_repo(mirror), GRAVEL, retitle)
    shown = invoke("diff", "HEAD~1").output
    assert "title of image 02-wadden-grx-cockpit.jpg:" in shown and "Het stuur, van boven" in shown, shown
    planned = invoke("push", "--dry-run")
    assert (
        "title of image 02-wadden-grx-cockpit.jpg: "
        "'Cockpit met Shimano GRX-remgrepen en stuurtas' → 'Het stuur, van boven'" in planned.output
    ), planned.output


def test_a_mirror_from_before_titles_gets_them_once(
    synced: Repo, client: ShopClient, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files and sync state as a version without titles left them (no titles, digests without the
    images part); the upgraded sync reads every product's titles once, then never again."""
    before = app.stats.requests
    assert run_sync(synced, client).commit is None
    no_op = app.stats.requests - before
    as_an_older_version_wrote_it(synced, without_lines("  title: "))
    assert "title" not in files.read_product(folder_of(synced, GRAVEL) / layout.PRODUCT_FILE)["images"][0]
    state = State(synced.work_dir / "sync.db")  # digests without their images part, as it recorded them
    old = {pid: Seen(seen.updated_at, seen.catalog_hash[:32]) for pid, seen in state.seen().items()}
    with state.transaction():
        state.record_seen(old.items())
    state.close()
    monkeypatch.setattr(assemble, "MIRROR_FORMAT", assemble.MIRROR_FORMAT + 1)

    before = app.stats.requests
    assert run_sync(synced, client).commit is not None
    with_images = sum(1 for p in app.shop.products.values() if p.images)
    assert app.stats.requests - before == no_op + with_images
    for pid in app.shop.products:
        if app.shop.products[pid].images:
            assert titles(synced, pid) == shop_titles(app, pid), pid
    before = app.stats.requests
    assert run_sync(synced, client).commit is None
    assert app.stats.requests - before == no_op  # once
