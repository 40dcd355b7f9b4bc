"""Images are decoded whole before any upload (issue 23 item 8): a truncated JPEG, or the JPEG magic
bytes followed by an HTML page, passed the magic-byte check and replaced a good shop image. Images
the shop already holds are not judged again (issue 23 item 14, for writes): an odd shop image must
not block a text edit of its product."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecomgit import gitrepo, records
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.emulator.model import Image
from ecomgit.errors import MirrorError
from ecomgit.mirror import files, layout
from ecomgit.mirror.imagedecode import decode_problem
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from ecomgit.sync.state import State
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


def add_image(app: EmulatorApp, data: bytes, ext: str = "jpg") -> Image:
    shop, now = app.shop, app.shop.now()
    image = Image(shop.new_id(), now, now, LAMP, shop.new_id(), "extra", ext, "", 9, len(data), data)
    shop.add_image(shop.products[LAMP], image)
    return image


def png_bytes() -> bytes:
    sample = Path(__file__).resolve().parents[2] / "ecomgit" / "sample_catalog" / "products"
    return next(sample.glob("*/images/*.png")).read_bytes()


def test_an_odd_image_the_shop_holds_does_not_block_a_text_edit(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    odd = png_bytes()  # a PNG the shop serves as .jpg: an image, but not what its name says
    add_image(app, odd)
    run_sync(synced, client)
    stored = [p for p in (folder_of(synced, LAMP) / layout.IMAGES_DIR).iterdir() if p.read_bytes() == odd]
    assert stored and stored[0].suffix == ".jpg"  # the shop's bytes, mirrored

    def describe(product: dict[str, object]) -> None:
        product["description"] = {"nl": "Nieuwe tekst.", "en": "New text."}

    edit(synced, LAMP, describe)
    result = push(synced, client)
    assert result.ok, [j.error or j.mismatches for j in result.plan.jobs]
    assert app.shop.products[LAMP].texts["nl"]["description"] == "Nieuwe tekst."


def test_a_cdn_answering_200_with_a_page_is_not_stored_and_is_fetched_again(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    """Issue 23 item 13: the bytes of an error page were stored as the image for good."""
    image = add_image(app, b"<html><body>Service unavailable</body></html>")
    summary = run_sync(synced, client)
    product = files.read_product(folder_of(synced, LAMP) / layout.PRODUCT_FILE)
    [marker] = [i for i in product["images"] if "notFetched" in i]  # not fetched, so no write deletes it
    assert not (folder_of(synced, LAMP) / layout.IMAGES_DIR / marker["notFetched"]).exists()
    assert [u.reason for u in summary.unfetched] == ["the CDN answered with bytes that are not an image"]
    good = png_bytes()
    image.data, image.ext, image.size = good, "png", len(good)  # the CDN is well again
    run_sync(synced, client)
    product = files.read_product(folder_of(synced, LAMP) / layout.PRODUCT_FILE)
    assert not [i for i in product["images"] if "notFetched" in i]
    assert good in [p.read_bytes() for p in (folder_of(synced, LAMP) / layout.IMAGES_DIR).iterdir()]


@pytest.mark.parametrize("shop", ["changes the product", "never changes it"])
def test_a_stored_file_that_is_no_image_is_fetched_again(
    synced: Repo, client: ShopClient, app: EmulatorApp, shop: str
) -> None:
    path = first_image(synced)
    good = path.read_bytes()
    path.write_bytes(b"<html>stored by an older version</html>")  # in a sync's own record, as it did
    gitrepo.stage(synced.root, ["products"])
    stamp = "".join(f"{line}\n" for line in records.stamp(synced.root, kind="sync"))
    sha = gitrepo.commit(synced.root, f"Sync: an older version\n\nEcomgit-Sync: 2026-01-01T00:00:00Z\n{stamp}")
    state = State(synced.work_dir / "sync.db")
    with state.transaction():
        state.set_meta("sync_commit", sha)  # that version's sync: its state describes this commit
        state.db.execute("DELETE FROM checked_images")  # an older version kept no such list
    state.close()
    assert pending_products(synced.root) == {}  # the shop's state, not a person's edit
    if shop == "changes the product":
        app.shop.touch_product(app.shop.products[LAMP])
    before = app.stats.requests
    summary = run_sync(synced, client)
    assert path.read_bytes() == good
    assert summary.commit is not None
    assert app.stats.requests - before < 25  # that product read in depth, not the whole shop (about 75)
    assert run_sync(synced, client).commit is None  # and not again: nothing more to fetch
    state = State(synced.work_dir / "sync.db")
    try:
        stored = (synced.root / layout.PRODUCTS_DIR).glob(f"*/{layout.IMAGES_DIR}/*")
        blobs = {gitrepo.run(synced.root, "hash-object", str(p)).strip() for p in stored}
        assert blobs <= state.checked_images()  # each file looked at once in its life
    finally:
        state.close()


def test_what_decodes_and_what_does_not() -> None:
    sample = next((Path(__file__).resolve().parents[2] / "ecomgit" / "sample_catalog" / "products").glob("*/images"))
    for image in sorted(sample.iterdir()):
        assert decode_problem(image.name, image.read_bytes()) is None, image.name
        data = image.read_bytes()
        assert decode_problem(image.name, data[: len(data) - 20]) is not None, image.name


def test_check_accepts_the_shops_own_odd_image_and_refuses_a_persons(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    """Issue 23 item 14: a PNG the shop serves as .jpg failed 'check' for the whole mirror (and CI)."""
    from ecomgit.check import check

    odd = png_bytes()
    add_image(app, odd)
    run_sync(synced, client)
    assert check(synced.root, [], synced.config)[1] == []  # the shop's own: accepted
    path = first_image(synced)
    path.write_bytes(odd)  # a person puts a PNG into a .jpg: refused, as before
    gitrepo.run(synced.root, "commit", "-qam", "A PNG named .jpg")
    problems = check(synced.root, [], synced.config)[1]
    assert [p.path for p in problems] == [str(path)] and "holds PNG data, not JPEG" in problems[0].message
