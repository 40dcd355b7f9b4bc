"""A revision synced during a CDN outage says "not fetched", never "no images" (issue 23, item 2).

The attack: the first sync runs while the CDN refuses a product's images; a later sync fetches them;
then ``restore --rev`` of the outage revision (or of a product Retail deleted after it) is asked
for. That revision used to list no images, so the restore deleted every image the shop had (or
re-created the product without them, saying nothing). Now the revision lists each such image as a
marker (its name, shop id and file id): writes keep the shop's image, and a restore that cannot
bring one back names it.
"""

from __future__ import annotations

from typing import Any

import pytest

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.check import check
from ecomgit.committed import check_committed
from ecomgit.emulator import EmulatorApp
from ecomgit.errors import EcomgitError
from ecomgit.lost import find_lost
from ecomgit.mirror import files, layout
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from tests.write.conftest import KUSTWEG, edit, folder_of, push, restore


def shop_images(app: EmulatorApp, pid: int = KUSTWEG) -> list[tuple[int, int]]:
    return [(image.id, image.file_id) for image in app.shop.products[pid].images]


def mirrored(repo: Repo, pid: int = KUSTWEG) -> dict[str, Any]:
    return files.read_product(folder_of(repo, pid) / layout.PRODUCT_FILE)


def outage_sync(repo: Repo, client: ShopClient, app: EmulatorApp) -> str:
    """The first sync, while the CDN refuses every image of KUSTWEG; returns its commit."""
    for image in app.shop.products[KUSTWEG].images:
        app.cdn_faults.refuse(image.file_id, 404)
    summary = run_sync(repo, client)
    assert summary.commit is not None
    assert {u.product_id for u in summary.unfetched} == {KUSTWEG}
    return gitrepo.resolve(repo.root, "HEAD")


def heal(app: EmulatorApp, pid: int = KUSTWEG) -> None:
    for image in app.shop.products[pid].images:
        app.cdn_faults.heal(image.file_id)


def test_the_outage_revision_lists_the_images_it_could_not_fetch(
    repo: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    outage_sync(repo, client, app)
    images = mirrored(repo)["images"]
    assert [(i["id"], i["fileId"]) for i in images] == shop_images(app)
    assert all(set(i) - {"title"} == {"notFetched", "id", "fileId"} for i in images)  # "not fetched", not "none"
    assert not (folder_of(repo, KUSTWEG) / layout.IMAGES_DIR).exists() or not any(
        (folder_of(repo, KUSTWEG) / layout.IMAGES_DIR).iterdir()
    )
    assert check(repo.root, [], repo.config)[1] == []  # the marker form is valid

    heal(app)
    run_sync(repo, client)  # the next sync that can fetch them replaces the markers with the files
    images = mirrored(repo)["images"]
    assert [(i["id"], i["fileId"]) for i in images] == shop_images(app)
    assert all("file" in i and "notFetched" not in i for i in images)
    for image in images:
        assert (folder_of(repo, KUSTWEG) / layout.IMAGES_DIR / image["file"]).is_file()


def test_restore_rev_of_the_outage_revision_keeps_every_shop_image(
    repo: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    outage = outage_sync(repo, client, app)
    heal(app)
    run_sync(repo, client)
    before = shop_images(app)
    assert before

    result = restore(repo, client, str(KUSTWEG), rev=outage)

    assert result.ok, result.plan.job.mismatches
    assert shop_images(app) == before  # before the fix: [] (every image deleted)
    assert ("images",) not in result.plan.job.decision.changes


def test_push_of_an_edit_on_the_outage_revision_keeps_the_images(
    repo: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    outage_sync(repo, client, app)
    before = shop_images(app)
    edit(repo, KUSTWEG, lambda p: p["description"].__setitem__("en", "Reviewed copy."))
    result = push(repo, client)
    assert result.ok
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "Reviewed copy."
    assert shop_images(app) == before


def test_deleting_a_marker_in_a_pull_request_removes_that_image(
    repo: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    outage_sync(repo, client, app)
    first, *rest = shop_images(app)
    edit(repo, KUSTWEG, lambda p: p.__setitem__("images", p["images"][1:]), "Drop the first photo")
    push(repo, client)
    assert shop_images(app) == rest  # an edit: the person asked for it


def test_a_marker_for_an_image_the_shop_never_had_is_refused(repo: Repo, client: ShopClient, app: EmulatorApp) -> None:
    outage_sync(repo, client, app)
    invented = {"notFetched": "09-invented.jpg", "id": 99999991, "fileId": 99999992}
    edit(repo, KUSTWEG, lambda p: p["images"].append(invented), "Add a marker by hand")
    path = folder_of(repo, KUSTWEG) / layout.PRODUCT_FILE
    problems = check(repo.root, [], repo.config)[1]
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.path == str(path) and problem.line is not None and problem.field == "images[2]"
    assert "never had" in problem.message and "remove" in problem.message
    committed = check_committed(repo.root, repo.config, "HEAD", [path.parent.name])
    assert [p.field for p in committed] == ["images[2]"]
    before = shop_images(app)
    with pytest.raises(EcomgitError, match="never had"):
        push(repo, client)
    assert shop_images(app) == before


def test_a_deleted_product_whose_last_revision_is_the_outage_says_which_images_it_cannot_bring_back(
    repo: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    outage_sync(repo, client, app)
    names = sorted(str(i["notFetched"]) for i in mirrored(repo)["images"])
    app.shop.delete_product(app.shop.products[KUSTWEG])  # Retail deletes it
    run_sync(repo, client)

    (lost,) = [item for item in find_lost(repo.root, "nl") if item.pid == KUSTWEG]
    assert lost.not_fetched == names  # lost says so before anyone restores

    result = restore(repo, client, str(KUSTWEG))
    assert result.ok and result.plan.creates
    assert result.plan.not_fetched == names  # the plan names them
    left = "\n".join(result.plan.job.skipped_lines())
    assert all(name in left for name in names) and "not brought back" in left  # … and so does the record
    message = gitrepo.run(repo.root, "log", "-1", "--format=%B")
    assert all(name in message for name in names)


def test_restore_of_the_outage_revision_after_the_shop_replaced_an_image_names_what_it_cannot_bring_back(
    repo: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    outage = outage_sync(repo, client, app)
    heal(app)
    shop = app.shop
    product = shop.products[KUSTWEG]
    gone = product.images[0]
    shop.files.pop(gone.file_id)
    gone.file_id = shop.new_id()  # the shop replaced the first image (a new file)
    shop.files[gone.file_id] = gone
    gone.updated = shop.now()
    shop.touch_product(product)
    run_sync(repo, client)
    before = shop_images(app)

    result = restore(repo, client, str(KUSTWEG), rev=outage)

    assert result.ok, result.plan.job.mismatches
    assert before[1] in shop_images(app)  # the image it only failed to fetch is never removed
    assert any("not brought back" in line for line in result.plan.job.skipped_lines())
