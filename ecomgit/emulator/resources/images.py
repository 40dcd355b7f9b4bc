"""``/products/{id}/images``: base64 uploads, ``sortOrder`` and ``title`` updates, deletes."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from ecomgit.emulator import render
from ecomgit.emulator.inputs import integer, text
from ecomgit.emulator.model import Image, Product
from ecomgit.emulator.resources.base import Ctx, Obj, Owner, Resource, by_id, owner_product
from ecomgit.emulator.text import file_name
from ecomgit.emulator.wsgi import HttpError


class ProductImages(Resource[Image]):
    singular = "productImage"
    plural = "productImages"
    parent = "products"

    def rows(self, ctx: Ctx, owner: Owner) -> Iterable[Image]:
        return owner_product(owner).images

    def find(self, ctx: Ctx, owner: Owner, item_id: int | None) -> Image | None:
        return by_id(owner_product(owner).images, item_id)

    def render(self, ctx: Ctx, record: Image) -> Obj:
        return render.product_image(ctx.view, record)

    def create(self, ctx: Ctx, owner: Owner, data: Obj) -> Image:
        return upload_image(ctx, owner_product(owner), data)

    def update(self, ctx: Ctx, owner: Owner, record: Image, data: Obj) -> None:
        if "sortOrder" in data:
            record.sort_order = integer("sortOrder", data["sortOrder"])
        if "title" in data:
            record.title = text("title", data["title"])
        record.updated = ctx.shop.now()
        ctx.shop.touch_product(ctx.shop.products[record.product_id])

    def delete(self, ctx: Ctx, owner: Owner, record: Image) -> None:
        ctx.shop.delete_image(record)


@dataclass(frozen=True, slots=True)
class Upload:
    """A checked image upload: ``attachment`` (base64) + ``filename`` [+ ``sortOrder``]."""

    content: bytes
    stem: str
    ext: str
    sort_order: int | None

    @classmethod
    def parse(cls, data: Obj) -> Upload:
        content = _decode(data.get("attachment"))
        filename = PurePosixPath(text("filename", data.get("filename", ""))).name
        stem, dot, ext = filename.rpartition(".")
        if not dot or not stem or not ext:
            raise HttpError(400, f"Invalid filename: {filename!r} (expected name.ext).")
        sort_order = integer("sortOrder", data["sortOrder"]) if "sortOrder" in data else None
        return cls(content, stem, ext, sort_order)


def upload_image(ctx: Ctx, product: Product, data: Obj) -> Image:
    return store_upload(ctx, product, Upload.parse(data))


def store_upload(ctx: Ctx, product: Product, upload: Upload) -> Image:
    """Store an upload as a new product image: a new productImage id and a new file id.

    Its title is the file name without the extension; without a ``sortOrder`` it goes last.
    """
    shop = ctx.shop
    sort_order = upload.sort_order
    if sort_order is None:
        sort_order = max((i.sort_order for i in product.images), default=0) + 1
    now = shop.now()
    image = Image(
        id=shop.new_id(),
        created=now,
        updated=now,
        product_id=product.id,
        file_id=shop.new_id(),
        name=file_name(upload.stem),
        ext=upload.ext,
        title=upload.stem,
        sort_order=sort_order,
        size=len(upload.content),
        data=upload.content,
    )
    shop.add_image(product, image)
    return image


def _decode(attachment: object) -> bytes:
    if not isinstance(attachment, str) or not attachment:
        raise HttpError(400, "Invalid attachment: expected the file's bytes in base64.")
    if attachment.startswith(("http://", "https://")):
        raise HttpError(400, "Invalid attachment: the emulator does not fetch remote URLs.")
    try:
        content = base64.b64decode("".join(attachment.split()), validate=True)
    except (binascii.Error, ValueError):
        raise HttpError(400, "Invalid attachment: not valid base64.") from None
    if not content:
        raise HttpError(400, "Invalid attachment: the file is empty.")
    return content
