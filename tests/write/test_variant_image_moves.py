"""Variant images onto an item Retail published again: Retail's publish uploaded the item's images
itself, so each variant image's bytes are on the product already, in an image no variant uses. The
API cannot point a variant at it (ecom-api.md 4.5), so restore moves it: the variant's upload adds a
copy, then the old one is deleted and the copy takes its place and title. Stopped in between, the
product holds the bytes twice (never none), and the next restore finishes the move."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import pytest

from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.emulator.model import Image
from ecomgit.mirror import files, layout
from ecomgit.shop import Repo
from ecomgit.write.apply import MOVED_IMAGE, SHARED_IMAGE
from tests.write.conftest import KUSTWEG, edit, folder_of, published_again, push, restore
from tests.write.test_interrupted import breaking_client

DUINPAD = 72418377  # 4 variants; two pairs share one image each


def images(app: EmulatorApp, pid: int) -> list[tuple[str, str]]:
    """The product's images in order: a digest of the bytes, the title."""
    rows = sorted(app.shop.products[pid].images, key=lambda i: (i.sort_order, i.id))
    return [(digest(app, i), i.title) for i in rows]


def digest(app: EmulatorApp, image: Image) -> str:
    return hashlib.sha1(app.shop.image_bytes(image)).hexdigest()


def variant_images(app: EmulatorApp, pid: int) -> dict[str, str | None]:
    """SKU → the digest of the variant's image bytes (None: no image)."""
    shop = app.shop
    return {
        v.sku: digest(app, shop.images[v.image_id]) if v.image_id is not None else None
        for v in shop.products[pid].variants
    }


def deletes_an_image(request: httpx.Request) -> bool:
    return request.method == "DELETE" and "/images/" in request.url.path


def test_restore_onto_a_republished_item_moves_each_variant_image_onto_its_variant(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    before, wanted = images(app, DUINPAD), variant_images(app, DUINPAD)
    published = published_again(synced, client, app, DUINPAD)
    assert images(app, published) == before and not any(variant_images(app, published).values())

    result = restore(synced, client, str(DUINPAD), onto=published)
    job = result.plan.job
    assert result.ok, job.error or job.mismatches
    assert images(app, published) == before  # the same bytes, order and titles; none twice
    now = variant_images(app, published)
    set_ = {sku for sku, digest in now.items() if digest is not None}
    assert len(set_) == 2 and all(now[sku] == wanted[sku] for sku in set_)  # one variant of each pair
    left = [why for path, why in job.decision.skipped if path[2:] == ("image",)]
    assert len(left) == 2 and all(why.startswith(SHARED_IMAGE) for why in left)  # the API cannot share one
    assert any(MOVED_IMAGE in line for line in job.plan_lines())  # the plan says the image is moved
    variants = files.read_product(folder_of(synced, published) / layout.PRODUCT_FILE)["variants"]
    assert sum(1 for v in variants if v["image"]) == 2


def test_an_image_another_variant_uses_is_not_moved(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    published = published_again(synced, client, app, DUINPAD)
    shop = app.shop
    first, *others = sorted(shop.products[published].variants, key=lambda v: v.id)
    taken = sorted(shop.products[published].images, key=lambda i: i.sort_order)
    for variant, image in zip([first, *others], taken, strict=False):  # a person set them in the back office
        variant.image_id = image.id
    used = {v.sku: v.image_id for v in shop.products[published].variants}
    before = images(app, published)

    result = restore(synced, client, str(DUINPAD), onto=published)
    assert result.ok, result.plan.job.error or result.plan.job.mismatches
    assert images(app, published) == before
    assert {v.sku: v.image_id for v in shop.products[published].variants} == used  # none touched


def test_killed_between_the_upload_and_the_delete_the_next_restore_finishes_the_move(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    before = images(app, DUINPAD)
    published = published_again(synced, client, app, DUINPAD)
    with breaking_client(app, deletes_an_image) as killed, pytest.raises(KeyboardInterrupt):
        restore(synced, killed, str(DUINPAD), onto=published)
    digests = [digest for digest, _ in images(app, published)]
    moved = {sku: d for sku, d in variant_images(app, published).items() if d is not None}  # the variant's copy came
    assert moved and len(digests) == len(before) + len(set(moved.values()))  # each moved image twice
    assert set(digests) == {d for d, _ in before}  # never a loss

    result = restore(synced, client, str(DUINPAD), onto=published)
    assert result.ok, result.plan.job.error or result.plan.job.mismatches
    assert len(result.plan.job.decision.finish) == len(set(moved.values()))  # known from the journal
    assert images(app, published) == before  # finished: no third copy, the old place and title
    now = variant_images(app, published)
    assert sum(1 for digest in now.values() if digest is not None) == 2
    assert all(now[sku] == d for sku, d in moved.items())


def test_push_of_a_variant_image_the_product_holds_moves_it(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    """A person gives a variant one of the product's images (no variant uses it): push moves it."""
    before = images(app, KUSTWEG)

    def give_image(product: dict[str, Any]) -> None:
        product["variants"][0]["image"] = "01-kustweg-105-zijkant.jpg"

    edit(synced, KUSTWEG, give_image)
    result = push(synced, client)
    [job] = result.plan.jobs
    assert result.commit and not result.failed and not job.decision.skipped, (job.error, job.mismatches)
    assert any(MOVED_IMAGE in line for line in job.plan_lines())
    assert images(app, KUSTWEG) == before
    shop = app.shop
    first = min(shop.products[KUSTWEG].variants, key=lambda v: v.sort_order)
    assert first.image_id is not None and digest(app, shop.images[first.image_id]) == before[0][0]


def test_a_push_killed_before_the_delete_is_finished_by_the_next_push(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    before = images(app, KUSTWEG)
    edit(synced, KUSTWEG, lambda product: product["variants"][0].update(image="01-kustweg-105-zijkant.jpg"))
    with breaking_client(app, deletes_an_image) as killed, pytest.raises(KeyboardInterrupt):
        push(synced, killed)
    assert [d for d, _ in images(app, KUSTWEG)].count(before[0][0]) == 2  # a copy, never a loss

    result = push(synced, client)
    [job] = result.plan.jobs
    assert result.commit and not result.failed, (job.error, job.mismatches, job.decision.conflicts)
    assert len(job.decision.finish) == 1
    assert images(app, KUSTWEG) == before
