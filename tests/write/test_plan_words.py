"""Plans show the change, not the start of the value (issue 16 item 2): a long text's edited words
with a little context (a rewrite old and new, whole), each value from what the shop has, each
image added, removed, replaced or moved by its file name, and a conflict as what differs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.mirror import layout
from ecomgit.shop import Repo, writer
from ecomgit.write.push import plan_push
from ecomgit.write.restore import plan_restore
from tests.images import renamed_jpeg
from tests.write.conftest import KUSTWEG, edit, folder_of, quiet

CONTENT_EN_START = "<p>The <strong>Kustweg</strong> sits slightly more upright"


def plan_lines(repo: Repo, client: ShopClient, **options: Any) -> list[str]:
    with writer(repo, "push") as state:
        plan = plan_push(repo, client, state, progress=quiet, **options)
    return [line for job in plan.jobs for line in [*job.plan_lines(), *job.conflict_lines()]]


def test_an_edit_deep_in_a_long_text_shows_the_edited_words(synced: Repo, client: ShopClient) -> None:
    def change(product: dict[str, Any]) -> None:
        product["content"]["en"] = product["content"]["en"].replace("mudguards", "full-length mudguards")

    edit(synced, KUSTWEG, change)
    [line] = plan_lines(synced, client)
    assert line.startswith("content [en]: … ") and "{+full-length+} mudguards" in line, line
    assert CONTENT_EN_START not in line  # not the start of the value


def test_a_rewrite_shows_old_and_new_whole(synced: Repo, client: ShopClient) -> None:
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "A sharper description"))
    assert plan_lines(synced, client) == [
        "description [en] (rewritten):",
        "  old: Comfortable endurance road bike with Shimano 105 and disc brakes. Ideal for your first sportive.",
        "  new: A sharper description",
    ]


def test_values_are_said_from_what_the_shop_has(synced: Repo, client: ShopClient) -> None:
    def change(product: dict[str, Any]) -> None:
        product["visibility"] = "hidden"
        product["variants"][0]["stockBuyMaximum"] = 4

    edit(synced, KUSTWEG, change)
    lines = plan_lines(synced, client)
    assert "visibility: 'visible' → 'hidden'" in lines, lines
    assert any(line.endswith("stockBuyMaximum: 10000 → 4") for line in lines), lines


def test_each_image_added_removed_replaced_or_moved_is_named(synced: Repo, client: ShopClient) -> None:
    images = folder_of(synced, KUSTWEG) / layout.IMAGES_DIR
    first, second = sorted(p.name for p in images.iterdir())

    def changed(files: Callable[[], None], product_change: Callable[[dict[str, Any]], None], message: str) -> None:
        files()
        gitrepo.stage(synced.root, [layout.PRODUCTS_DIR.as_posix()])
        edit(synced, KUSTWEG, product_change, message)

    def added(product: dict[str, Any]) -> None:
        product["images"].append({"file": "03-bidonhouder.jpg", "id": None, "fileId": None, "title": "Bidon"})

    new_image = images / "03-bidonhouder.jpg"
    changed(lambda: new_image.write_bytes(renamed_jpeg((images / first).read_bytes(), b"bidon")), added, "Add an image")
    assert plan_lines(synced, client) == [
        "image 03-bidonhouder.jpg added",
        "title of image 03-bidonhouder.jpg: 'Bidon'",
    ]

    def swapped(product: dict[str, Any]) -> None:
        product["images"] = [product["images"][1], product["images"][0]]

    changed(new_image.unlink, swapped, "Drop the new one, swap the others")
    assert plan_lines(synced, client) == [f"images reordered: {second}, {first}"]
    replaced = images / first
    changed(lambda: replaced.write_bytes(renamed_jpeg(replaced.read_bytes(), b"v2")), lambda p: None, "New bytes")
    assert plan_lines(synced, client) == [  # uploaded anew, with its title
        f"image {first} replaced",
        f"title of image {first}: 'Kustweg 105 racefiets in kustrood'",
    ]


def test_a_conflict_in_a_long_text_shows_what_each_side_changed(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    def ours(product: dict[str, Any]) -> None:
        product["content"]["en"] = product["content"]["en"].replace("mudguards", "fenders")

    edit(synced, KUSTWEG, ours)
    shop = app.shop.products[KUSTWEG]
    shop.texts["en"]["content"] = shop.texts["en"]["content"].replace("all seasons", "every season")
    app.shop.touch_product(shop)
    [line] = [line for line in plan_lines(synced, client) if line.startswith("content [en]:")]
    theirs, _, yours = line.partition("; yours: ")
    assert theirs.startswith("content [en]: the shop's: … ") and "every" in theirs and "fenders" not in theirs, line
    assert "[-mudguards,-]{+fenders,+}" in yours and "every" not in yours, line
    assert line.endswith("(each since the last sync)") and CONTENT_EN_START not in line  # no prefixes alike


def test_a_restore_plan_says_it_the_same_way(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    shop = app.shop.products[KUSTWEG]
    shop.texts["en"]["description"] = "Overwritten by an import."
    app.shop.touch_product(shop)
    with writer(synced, "restore") as state:
        plan = plan_restore(synced, client, state, str(KUSTWEG), rev="HEAD", progress=quiet)
    assert plan.job.plan_lines() == [
        "description [en] (rewritten):",
        "  old: Overwritten by an import.",
        "  new: Comfortable endurance road bike with Shimano 105 and disc brakes. Ideal for your first sportive.",
    ]
