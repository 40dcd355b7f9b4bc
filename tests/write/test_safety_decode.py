"""Images are decoded whole before any upload (issue 23 item 8): a truncated JPEG, or the JPEG magic
bytes followed by an HTML page, passed the magic-byte check and replaced a good shop image. Images
the shop already holds are not judged again (issue 23 item 14, for writes): an odd shop image must
not block a text edit of its product."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.emulator.model import Image
from ecomgit.errors import MirrorError
from ecomgit.mirror import layout
from ecomgit.mirror.imagedecode import decode_problem
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from tests.images import renamed_jpeg
from tests.write.conftest import edit, folder_of, push

LAMP = 72418448  # 3 images, JPEGs


def shop_image_bytes(app: EmulatorApp, pid: int) -> list[bytes]:
    return [app.shop.image_bytes(image) for image in app.shop.products[pid].images]


def first_image(repo: Repo) -> Path:
    images = folder_of(repo, LAMP) / layout.IMAGES_DIR
    return images / sorted(p.name for p in images.iterdir())[0]


@pytest.mark.parametrize(
    ("broken", "said"),
    [
        (lambda good: good[: len(good) // 2], "cannot be decoded"),  # a download or copy cut off half-way
        (lambda good: good[:-40], "cannot be decoded"),  # the last rows and the end marker missing
        (lambda good: b"\xff\xd8\xff\xe0<html><body>502 Bad Gateway</body></html>", "cannot be decoded"),
    ],
    ids=["half", "no-end-marker", "html-behind-magic"],
)
def test_a_broken_jpeg_is_refused_before_any_write(
    synced: Repo, client: ShopClient, app: EmulatorApp, broken: object, said: str
) -> None:
    path = first_image(synced)
    good, before = path.read_bytes(), shop_image_bytes(app, LAMP)
    path.write_bytes(broken(good))  # type: ignore[operator]
    gitrepo.run(synced.root, "commit", "-qam", "A new photo")
    with pytest.raises(MirrorError, match=f"{path.name}: image file {path.name} {said}"):
        push(synced, client)
    assert shop_image_bytes(app, LAMP) == before  # the good shop image is still there


def test_a_whole_new_jpeg_is_sent(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    path = first_image(synced)
    path.write_bytes(renamed_jpeg(path.read_bytes(), b"retouched"))
    gitrepo.run(synced.root, "commit", "-qam", "A retouched photo")
    result = push(synced, client)
    assert result.ok, [j.error or j.mismatches for j in result.plan.jobs]
    assert path.read_bytes() in shop_image_bytes(app, LAMP)


def test_an_odd_image_the_shop_holds_does_not_block_a_text_edit(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    odd = b"\xff\xd8\xff\xe0 a JPEG the shop's own tool cut short"
    shop, now = app.shop, app.shop.now()
    shop.add_image(
        shop.products[LAMP], Image(shop.new_id(), now, now, LAMP, shop.new_id(), "odd", "jpg", "", 9, len(odd), odd)
    )
    run_sync(synced, client)
    stored = [p for p in (folder_of(synced, LAMP) / layout.IMAGES_DIR).iterdir() if p.read_bytes() == odd]
    assert stored and decode_problem(stored[0].name, odd)  # the shop's bytes really are broken, and mirrored

    def describe(product: dict[str, object]) -> None:
        product["description"] = {"nl": "Nieuwe tekst.", "en": "New text."}

    edit(synced, LAMP, describe)
    result = push(synced, client)
    assert result.ok, [j.error or j.mismatches for j in result.plan.jobs]
    assert app.shop.products[LAMP].texts["nl"]["description"] == "Nieuwe tekst."


def test_what_decodes_and_what_does_not() -> None:
    sample = next((Path(__file__).resolve().parents[2] / "ecomgit" / "sample_catalog" / "products").glob("*/images"))
    for image in sorted(sample.iterdir()):
        assert decode_problem(image.name, image.read_bytes()) is None, image.name
        data = image.read_bytes()
        assert decode_problem(image.name, data[: len(data) - 20]) is not None, image.name
