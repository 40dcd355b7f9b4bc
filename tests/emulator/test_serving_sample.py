"""``sample-catalog/`` served by the emulator: every file's values come back from the API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from ecomgit.emulator import EmulatorApp, load_catalog
from ecomgit.mirror import read_list, read_product, read_yaml

from .helpers import client_for, get_all, read_back

SAMPLE = Path(__file__).resolve().parents[2] / "sample-catalog"
LIST_TEXTS = {
    "categories": ("title", "fulltitle", "description", "content", "url"),
    "tags": ("title", "url"),
    "brands": ("title", "content", "url"),
    "deliverydates": ("name", "inStockMessage", "outStockMessage"),
}


@pytest.fixture(scope="module")
def client() -> httpx.Client:
    if not any(SAMPLE.glob("products/*/product.yaml")):
        pytest.skip("sample-catalog/ has no products yet")
    return client_for(EmulatorApp(load_catalog(SAMPLE), rate_limit=None))


@pytest.fixture(scope="module")
def products(client: httpx.Client) -> dict[Path, dict[str, Any]]:
    return {path: read_product(path) for path in sorted(SAMPLE.glob("products/*/product.yaml"))}


def test_every_product_comes_back(client: httpx.Client, products: dict[Path, dict[str, Any]]) -> None:
    languages = [lang["code"] for lang in read_yaml(SAMPLE / "shop" / "shop.yaml")["languages"]]
    served = read_back(client, languages)
    assert sorted(served) == sorted(product["id"] for product in products.values())
    for path, expected in products.items():
        product = served[expected["id"]]
        for variant in product["variants"]:
            wanted = next(v for v in expected["variants"] if v["id"] == variant["id"])
            if "priceCost" not in wanted:
                del variant["priceCost"]
        assert product == expected, path


def test_images_come_back_byte_for_byte(client: httpx.Client, products: dict[Path, dict[str, Any]]) -> None:
    for path, product in products.items():
        answer = client.get(f"/nl/products/{product['id']}/images.json").json()["productImages"]
        assert len(answer) == len(product["images"])
        for image, served in zip(product["images"], sorted(answer, key=lambda i: i["sortOrder"]), strict=True):
            assert client.get(served["src"]).content == (path.parent / "images" / image["file"]).read_bytes()


@pytest.mark.parametrize("name", sorted(LIST_TEXTS))
def test_shop_lists_come_back(client: httpx.Client, name: str) -> None:
    expected = read_list(SAMPLE / "shop" / f"{name}.yaml")
    by_lang = {lang: get_all(client, f"/{lang}/{name}.json", name) for lang in ("nl", "en")}
    for i, row in enumerate(expected):
        for field in LIST_TEXTS[name]:
            served = {lang: _none(by_lang[lang][i][field]) for lang in by_lang}
            assert (by_lang["nl"][i]["id"], served) == (row["id"], row[field])
        if name == "categories":
            parent = by_lang["nl"][i]["parent"]
            assert (parent["resource"]["id"] if parent else None) == row["parent"]
            served_order = (by_lang["nl"][i]["sortOrder"], by_lang["nl"][i]["isVisible"])
            assert served_order == (row["sortOrder"], row["isVisible"])


def _none(value: Any) -> Any:
    return None if value is False else value
