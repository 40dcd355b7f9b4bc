"""An image write cut short (Ctrl-C, a kill) converges on the next push: the uploads, deletes and
reorders the shop performed are journaled, so the next run continues from them instead of seeing a
shop edit of the same field and refusing forever; no image is uploaded twice, none is lost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.mirror import layout
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo, writer
from ecomgit.write.push import plan_push
from tests.conftest import EMULATOR_URL
from tests.images import renamed_jpeg
from tests.write.conftest import edit, folder_of, push, quiet
from tests.write.test_interrupted import breaking_client

LAMP = 72418448  # 3 images


def image_write(request: httpx.Request) -> bool:
    return request.method in ("POST", "PUT", "DELETE") and f"/products/{LAMP}/images" in request.url.path


def shop_images(app: EmulatorApp) -> list[bytes]:
    ordered = sorted(app.shop.products[LAMP].images, key=lambda image: (image.sort_order, image.id))
    return [app.shop.image_bytes(image) for image in ordered]


def replace_and_reorder(repo: Repo) -> list[bytes]:
    """Commit: the second image replaced by new bytes, the first and third swapped: [C, A, N]."""
    images = folder_of(repo, LAMP) / layout.IMAGES_DIR
    old = [(images / name).read_bytes() for name in sorted(p.name for p in images.iterdir())]
    new_photo = renamed_jpeg(old[1], b"new photo")  # bytes the shop has never seen
    (images / "04-new-photo.jpg").write_bytes(new_photo)

    def change(product: dict[str, Any]) -> None:
        first, _, third = product["images"]
        product["images"] = [third, first, {"file": "04-new-photo.jpg", "id": None, "fileId": None}]

    edit(repo, LAMP, change)
    gitrepo.stage(repo.root, ["products"])
    gitrepo.commit(repo.root, "Replace the second photo, swap the others")
    return [old[2], old[0], new_photo]


@pytest.mark.parametrize("nth", [2, 3, 4])
def test_ctrl_c_during_an_image_replacement_then_push_again_converges(
    synced: Repo, client: ShopClient, app: EmulatorApp, nth: int
) -> None:
    wanted = replace_and_reorder(synced)
    with breaking_client(app, image_write, nth) as interrupted, pytest.raises(KeyboardInterrupt):
        push(synced, interrupted)  # stopped before its nth image write: the earlier ones happened
    assert shop_images(app) != wanted

    result = push(synced, client)
    assert result.ok, [(job.refused, job.conflict_lines(), job.mismatches) for job in result.plan.jobs]
    assert shop_images(app) == wanted  # the bytes, in the commit's order: none twice, none lost
    assert pending_products(synced.root) == {}
    with writer(synced, "push") as state:
        assert plan_push(synced, client, state, progress=quiet).jobs == []  # a third push: nothing to do


def test_a_lost_answer_to_an_image_upload_is_not_uploaded_twice(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    wanted = replace_and_reorder(synced)
    uploads = lambda request: image_write(request) and request.method == "POST"  # noqa: E731
    with breaking_client(app, uploads, after=True) as flaky:
        first = push(synced, flaky)  # the shop stored the upload; the answer never came
    assert not first.ok
    result = push(synced, client)
    assert result.ok, [(job.refused, job.conflict_lines(), job.mismatches) for job in result.plan.jobs]
    assert shop_images(app) == wanted


class KilledAfter(httpx.BaseTransport):
    """The emulator, except that the first request ``match``ing is performed by the shop and then the
    process is stopped (Ctrl-C) before its answer is read: the write happened, nothing noted it."""

    def __init__(self, app: EmulatorApp, match: Callable[[httpx.Request], bool]) -> None:
        self.inner = httpx.WSGITransport(app=app)
        self.match, self.done = match, False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if not self.done and self.match(request):
            self.done = True
            raise KeyboardInterrupt
        return response


@pytest.mark.parametrize("method", ["POST", "DELETE", "PUT"])
def test_killed_right_after_the_shop_performed_an_image_write_converges(
    synced: Repo, client: ShopClient, app: EmulatorApp, method: str
) -> None:
    wanted = replace_and_reorder(synced)
    performed = lambda request: image_write(request) and request.method == method  # noqa: E731
    with (
        ShopClient(EMULATOR_URL, language="nl", transport=KilledAfter(app, performed)) as killed,
        pytest.raises(KeyboardInterrupt),
    ):
        push(synced, killed)
    result = push(synced, client)
    assert result.ok, [(job.refused, job.conflict_lines(), job.mismatches) for job in result.plan.jobs]
    assert shop_images(app) == wanted


def test_interrupted_twice_then_push_again_converges(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    wanted = replace_and_reorder(synced)
    for _ in range(2):  # each run gets one image write further before it is stopped
        with breaking_client(app, image_write, 2) as interrupted, pytest.raises(KeyboardInterrupt):
            push(synced, interrupted)
    result = push(synced, client)
    assert result.ok, [(job.refused, job.conflict_lines(), job.mismatches) for job in result.plan.jobs]
    assert shop_images(app) == wanted and len(app.shop.products[LAMP].images) == 3


def test_a_shop_edit_of_the_images_after_an_interrupted_push_is_still_a_conflict(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    replace_and_reorder(synced)
    with breaking_client(app, image_write, 2) as interrupted, pytest.raises(KeyboardInterrupt):
        push(synced, interrupted)
    shop = app.shop
    image = min(shop.products[LAMP].images, key=lambda i: i.sort_order)
    shop.delete_image(image)  # meanwhile someone removes an image in the back office
    shop.touch_product(shop.products[LAMP])
    [job] = push(synced, client).plan.jobs
    assert job.refused and "images" in " ".join(job.conflict_lines())  # the journal hides no one's edit
    with writer(synced, "push") as state:
        assert state.journaled(LAMP, "images")  # and it is kept for the run that resolves the conflict
