"""``push``: committed edits reach the shop, field by field, three-way safe, verified, recorded."""

from __future__ import annotations

from typing import Any

import pytest

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.errors import EcomgitError, MirrorError
from ecomgit.mirror import files, layout
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo, writer
from ecomgit.sync.run import run_sync
from ecomgit.write.push import plan_push
from tests.images import renamed_jpeg
from tests.write.conftest import KUSTWEG, edit, folder_of, push, quiet

LAMP = 72418448  # 3 images, metafields, tags


def test_a_merged_edit_reaches_the_shop_and_nothing_stays_pending(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    def change(product: dict[str, Any]) -> None:
        product["description"]["en"] = "Endurance geometry, 32 mm tyres."
        product["variants"][0]["oldPriceExcl"] = 1500

    edit(synced, KUSTWEG, change)
    before = client.requests
    result = push(synced, client)
    shop = app.shop.products[KUSTWEG]
    assert result.ok
    assert shop.texts["en"]["description"] == "Endurance geometry, 32 mm tyres."
    assert shop.texts["nl"]["description"].startswith("Comfortabele")  # other language untouched
    assert shop.variants[0].oldPriceExcl == 1500
    # reads: catalog, en texts, variants, read again just before writing; writes: one PUT each, the
    # variants read once more just before theirs (a colleague's edit meanwhile stops it there);
    # the read-back is the two PUTs' answers
    assert client.requests - before == 9
    assert pending_products(synced.root) == {}
    assert gitrepo.trailers(synced.root, "HEAD", gitrepo.PUSH_TRAILER)
    after = run_sync(synced, client)
    assert after.commit is None  # the mirror already says what the shop has


def test_a_one_field_push_costs_five_requests(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    edit(synced, KUSTWEG, lambda p: p["content"].__setitem__("en", "<p>New.</p>"))
    before = client.requests
    assert push(synced, client).ok
    assert client.requests - before == 5  # catalog + en texts, both again, one PUT (answer = read-back)
    assert app.shop.products[KUSTWEG].texts["en"]["content"] == "<p>New.</p>"


def test_dry_run_plans_and_writes_nothing(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    edit(synced, KUSTWEG, lambda p: p["title"].__setitem__("en", "Kustweg road bike"))
    head = gitrepo.head(synced.root)
    with writer(synced, "push") as state:
        plan = plan_push(synced, client, state, progress=quiet)
    assert [line.split(":")[0] for line in plan.jobs[0].change_lines()] == ["title [en]"]
    assert app.shop.products[KUSTWEG].texts["en"]["title"] == "Kustweg 105 road bike"
    assert gitrepo.head(synced.root) == head
    assert list(pending_products(synced.root)) == [KUSTWEG]


def test_a_newer_shop_edit_of_the_same_field_refuses_that_product_only(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "Ours."))
    edit(synced, LAMP, lambda p: p["description"].__setitem__("en", "Lamp copy."))
    shop = app.shop.products[KUSTWEG]
    shop.texts["en"]["description"] = "Theirs, edited in the back office."
    shop.variants[0].oldPriceExcl = 1400
    app.shop.touch_product(shop)
    result = push(synced, client)
    assert not result.ok
    [refused] = result.plan.refused
    assert refused.source == KUSTWEG
    assert refused.conflict_lines() == [  # the differing texts whole, never three prefixes alike
        "description [en]: the shop's: 'Theirs, edited in the back office.'; yours: 'Ours.' "
        "(was 'Comfortable endurance road bike with Shimano 105 and disc brakes. Ideal for your first sportive.')"
    ]
    assert shop.texts["en"]["description"] == "Theirs, edited in the back office."
    assert app.shop.products[LAMP].texts["en"]["description"] == "Lamp copy."
    assert list(pending_products(synced.root)) == [KUSTWEG]  # still held, for the next push
    assert gitrepo.trailers(synced.root, "HEAD", gitrepo.HELD_TRAILER) == [str(KUSTWEG)]


def test_a_shop_edit_of_another_field_is_no_conflict(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "Ours."))
    shop = app.shop.products[KUSTWEG]
    shop.texts["en"]["content"] = "<p>Theirs.</p>"
    app.shop.touch_product(shop)
    assert push(synced, client).ok
    assert shop.texts["en"] == {**shop.texts["en"], "description": "Ours.", "content": "<p>Theirs.</p>"}


@pytest.mark.parametrize(("prefer", "expected"), [("ours", "Ours."), ("theirs", "Theirs.")])
def test_ours_and_theirs_resolve_a_conflict(
    synced: Repo, client: ShopClient, app: EmulatorApp, prefer: str, expected: str
) -> None:
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "Ours."))
    shop = app.shop.products[KUSTWEG]
    shop.texts["en"]["description"] = "Theirs."
    app.shop.touch_product(shop)
    result = push(synced, client, prefer=prefer)
    assert result.ok
    assert shop.texts["en"]["description"] == expected
    assert pending_products(synced.root) == {}


def test_an_invalid_file_refuses_the_whole_push_with_file_and_line(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    edit(synced, LAMP, lambda p: p["description"].__setitem__("en", "Fine edit."))
    edit(synced, KUSTWEG, lambda p: p["variants"][0].__setitem__("stockTracking", "sometimes"))
    requests = client.requests
    with pytest.raises(MirrorError) as caught, writer(synced, "push") as state:
        plan_push(synced, client, state, progress=quiet)
    message = str(caught.value)
    path = folder_of(synced, KUSTWEG) / layout.PRODUCT_FILE
    line = path.read_text().splitlines().index("  stockTracking: sometimes") + 1
    assert f"{path}:{line}:" in message and "nothing was written" in message
    assert client.requests - requests <= 1  # at most the shop's isRetail when the mirror lacks it
    assert app.shop.products[LAMP].texts["en"]["description"] != "Fine edit."


def test_malformed_yaml_refuses_the_push(synced: Repo, client: ShopClient) -> None:
    path = folder_of(synced, KUSTWEG) / layout.PRODUCT_FILE
    path.write_text(path.read_text().replace("visibility: visible", "visibility: [visible"))
    gitrepo.stage(synced.root, ["products"])
    gitrepo.commit(synced.root, "Broken edit")
    with pytest.raises(MirrorError, match=r"product\.yaml:\d+"), writer(synced, "push") as state:
        plan_push(synced, client, state, progress=quiet)


def test_uncommitted_edits_are_not_pushed(synced: Repo, client: ShopClient) -> None:
    path = folder_of(synced, KUSTWEG) / layout.PRODUCT_FILE
    path.write_text(path.read_text().replace("visibility: visible", "visibility: hidden"))
    with pytest.raises(Exception, match="uncommitted"), writer(synced, "push") as state:
        plan_push(synced, client, state, progress=quiet)


def test_images_added_removed_and_reordered(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    images = folder_of(synced, LAMP) / layout.IMAGES_DIR
    old = [(images / name).read_bytes() for name in sorted(p.name for p in images.iterdir())]
    new_photo = renamed_jpeg(old[0], b"new photo")  # bytes the shop has never seen
    (images / "04-new-photo.jpg").write_bytes(new_photo)

    def change(product: dict[str, Any]) -> None:
        first, _, third = product["images"]
        product["images"] = [third, first, {"file": "04-new-photo.jpg", "id": None, "fileId": None}]

    edit(synced, LAMP, change)
    gitrepo.stage(synced.root, ["products"])
    gitrepo.commit(synced.root, "Add the photo")
    result = push(synced, client)
    assert result.ok, [job.mismatches for job in result.plan.jobs]
    ordered = sorted(app.shop.products[LAMP].images, key=lambda image: image.sort_order)
    assert [app.shop.image_bytes(image) for image in ordered] == [old[2], old[0], new_photo]
    recorded = files.read_product(folder_of(synced, LAMP) / layout.PRODUCT_FILE)
    folder = folder_of(synced, LAMP) / layout.IMAGES_DIR
    assert [(folder / image["file"]).read_bytes() for image in recorded["images"]] == [old[2], old[0], new_photo]
    assert run_sync(synced, client).commit is None


def test_push_adds_and_removes_links_and_metafields(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    categories = [c["id"] for c in files.read_list(synced.root / "shop" / "categories.yaml")]
    tags = [t["id"] for t in files.read_list(synced.root / "shop" / "tags.yaml")]
    product = files.read_product(folder_of(synced, LAMP) / layout.PRODUCT_FILE)
    new_category = next(c for c in categories if c not in [c["id"] for c in product["categories"]])
    new_tag = next(t for t in tags if t not in [t["id"] for t in product["tags"]])

    def change(p: dict[str, Any]) -> None:
        p["categories"] = [{"id": new_category, "url": ""}]
        p["tags"] = [*p["tags"][1:], {"id": new_tag, "title": ""}]
        p["metafields"] = [{"key": "care", "id": None, "value": "Wipe clean."}, *p["metafields"][1:]]

    edit(synced, LAMP, change)
    result = push(synced, client)
    assert result.ok, [j.mismatches for j in result.plan.jobs]
    shop = app.shop.products[LAMP]
    assert [link.category_id for link in shop.category_links] == [new_category]
    assert sorted(link.tag_id for link in shop.tag_links) == sorted([t["id"] for t in product["tags"][1:]] + [new_tag])
    assert {m.key: m.value for m in shop.metafields} == {
        "care": "Wipe clean.",
        **{m["key"]: m["value"] for m in product["metafields"][1:]},
    }
    assert run_sync(synced, client).commit is None


def test_a_push_that_the_shop_refuses_is_reported_and_held(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    edit(synced, KUSTWEG, lambda p: p.__setitem__("brand", {"id": 999, "title": "Gone"}))  # no such brand
    result = push(synced, client)
    assert not result.ok
    [job] = result.failed
    assert job.error is not None and "brand" in job.error
    assert list(pending_products(synced.root)) == [KUSTWEG]


def test_a_failed_product_keeps_its_edit_for_the_next_push(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    edit(synced, KUSTWEG, lambda p: p.__setitem__("brand", {"id": 999, "title": "Gone"}))
    assert not push(synced, client).ok
    assert files.read_product(folder_of(synced, KUSTWEG) / layout.PRODUCT_FILE)["brand"]["id"] == 999
    edit(synced, KUSTWEG, lambda p: p.__setitem__("brand", None))  # the fix, in a new commit
    assert push(synced, client).ok
    assert app.shop.products[KUSTWEG].brand_id is None
    assert pending_products(synced.root) == {}


def test_on_a_retail_shop_retail_fields_are_left_and_the_mirror_says_so(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    app.shop.info.is_retail = True
    run_sync(synced, client)
    shop = app.shop.products[KUSTWEG]
    title = shop.texts["en"]["title"]

    def change(product: dict[str, Any]) -> None:
        product["title"]["en"] = "Renamed here"
        product["variants"][0]["priceExcl"] = 1
        product["description"]["en"] = "Pushed."

    edit(synced, KUSTWEG, change)
    result = push(synced, client)
    assert result.ok
    assert shop.texts["en"]["title"] == title and shop.variants[0].priceExcl != 1
    assert shop.texts["en"]["description"] == "Pushed."
    recorded = files.read_product(folder_of(synced, KUSTWEG) / layout.PRODUCT_FILE)
    assert recorded["title"]["en"] == title  # the mirror shows what the shop has, not a lost edit
    message = gitrepo.run(synced.root, "log", "-1", "--format=%B")
    assert "(left alone) title [en]: owned by Lightspeed Retail" in message
    assert pending_products(synced.root) == {}


def test_a_sync_that_read_nothing_does_not_block_a_push(synced: Repo, client: ShopClient) -> None:
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "Now."))
    with writer(synced, "push") as state:
        state.run_set("started", "2026-11-28T00:00:00+00:00")  # e.g. refused at once with a 401
        assert plan_push(synced, client, state, progress=quiet).jobs
        assert not state.run_active()


def test_push_waits_for_an_unfinished_sync(synced: Repo, client: ShopClient) -> None:
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "Later."))
    with writer(synced, "push") as state:
        state.run_set("started", "2026-11-28T00:00:00+00:00")
        state.run_set("shop", "{}")  # it had read something: finishing it is the sync's job
        with pytest.raises(EcomgitError, match="run 'ecomgit sync' to complete it"):
            plan_push(synced, client, state, progress=quiet)


def test_an_edit_held_by_syncs_pushes_against_its_last_synced_version(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "Held edit."))
    shop = app.shop.products[KUSTWEG]
    shop.texts["en"]["content"] = "<p>Shop edit after our edit.</p>"
    app.shop.touch_product(shop)
    for _ in range(2):  # syncs keep the unpushed edit (and leave the product as it is)
        summary = run_sync(synced, client)
        assert summary.held == [KUSTWEG]
    result = push(synced, client)
    assert result.ok, [job.conflict_lines() for job in result.plan.jobs]
    assert shop.texts["en"]["description"] == "Held edit."
    assert shop.texts["en"]["content"] == "<p>Shop edit after our edit.</p>"  # not overwritten by the old file
    run_sync(synced, client)
    recorded = files.read_product(folder_of(synced, KUSTWEG) / layout.PRODUCT_FILE)
    assert recorded["content"]["en"] == "<p>Shop edit after our edit.</p>"
    assert recorded["description"]["en"] == "Held edit."


def test_a_price_the_shop_derives_from_the_one_sent_is_not_someone_elses_edit(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    """The shop computes oldPriceIncl from the oldPriceExcl sent: said as such, not as a meanwhile edit."""
    edit(synced, KUSTWEG, lambda p: p["variants"][0].__setitem__("oldPriceExcl", 1404.13))
    result = push(synced, client)
    assert result.ok
    [job] = result.plan.jobs
    assert any("oldPriceIncl: the shop made it 1699 (was 1799) from the oldPriceExcl sent" in n for n in job.notes)
    assert not any("someone else" in note for note in job.notes), job.notes
