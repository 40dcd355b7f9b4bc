"""The synthetic shop: deterministic, realistic in its proportions, and fast at 10 000 products."""

from __future__ import annotations

import struct
import time
import zlib
from collections import Counter

from ecomgit.emulator import EmulatorApp, synthetic_shop
from ecomgit.emulator.pngs import tiny_png, tiny_png_size

from .helpers import client_for


def _all_bytes(app: EmulatorApp, paths: list[str]) -> list[bytes]:
    client = client_for(app)
    return [client.get(path).content for path in paths]


def test_same_seed_same_bytes() -> None:
    paths = [
        "/nl/catalog.json?limit=250",
        "/en/catalog.json?limit=250",
        "/en/variants.json?limit=250",
        "/nl/categories.json?limit=250",
        "/nl/tags/products.json?limit=250",
    ]
    first = _all_bytes(EmulatorApp(synthetic_shop(40, seed=1), rate_limit=None), paths)
    again = _all_bytes(EmulatorApp(synthetic_shop(40, seed=1), rate_limit=None), paths)
    other = _all_bytes(EmulatorApp(synthetic_shop(40, seed=2), rate_limit=None), paths)
    assert first == again
    assert first[0] != other[0]


def test_proportions() -> None:
    shop = synthetic_shop(400, seed=0)
    assert [lang.code for lang in shop.languages] == ["nl", "en"] and shop.default_language == "nl"
    assert 2.6 < len(shop.variants) / 400 < 3.4
    assert 3.5 < len(shop.images) / 400 < 4.5
    assert any(not p.images for p in shop.products.values())
    assert (len(shop.categories), len(shop.tags), len(shop.brands), len(shop.deliverydates)) == (40, 30, 10, 3)
    assert max(len(shop.category_chain(c)) for c in shop.categories.values()) == 3
    assert Counter(len(p.tag_links) for p in shop.products.values()) == {2: 400}
    assert {len(p.metafields) for p in shop.products.values()} == {1, 2, 3}
    assert 0 < sum(1 for p in shop.products.values() if p.relations) < 200
    assert all(sum(v.is_default for v in p.variants) == 1 for p in shop.products.values())
    assert any("\r\n" in str(p.texts["en"]["content"]) for p in shop.products.values())


def test_images_are_tiny_distinct_valid_pngs() -> None:
    shop = synthetic_shop(20)
    blobs = {image.file_id: shop.image_bytes(image) for image in shop.images.values()}
    assert len(set(blobs.values())) == len(blobs)
    for file_id, data in blobs.items():
        assert 100 <= len(data) <= 300 and len(data) == tiny_png_size(file_id) == shop.files[file_id].size
        assert data == tiny_png(file_id)
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])
        raw = zlib.decompress(data[41 : -12 - 4])  # IDAT payload, after signature and IHDR
        assert len(raw) == height * (1 + 3 * width)


def test_ten_thousand_products() -> None:
    start = time.perf_counter()
    shop = synthetic_shop(10_000)
    built = time.perf_counter() - start
    assert len(shop.products) == 10_000
    assert 27_000 < len(shop.variants) < 33_000 and 36_000 < len(shop.images) < 44_000
    client = client_for(EmulatorApp(shop, rate_limit=None))
    start = time.perf_counter()
    response = client.get("/nl/catalog.json?limit=250&page=40")
    served = time.perf_counter() - start
    assert response.status_code == 200 and len(response.json()["products"]) == 250
    print(f"synthetic 10 000: built in {built:.2f} s, catalog page of 250 in {served * 1000:.0f} ms")
    assert built < 30 and served < 5  # generous: a measurement, not a benchmark
