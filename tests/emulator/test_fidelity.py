"""What real clients of the API expect and the emulator once got wrong (issue 14, fidelity): each
item as the emulator serves it now, and ecomgit's own client accepting it. (templateDataFields,
the images link, /shop.json, /shop/limits.json and the catalog's tax rate are in test_shapes.py.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ecomgit.api import ShopClient
from ecomgit.check import check
from ecomgit.emulator import EmulatorApp, Shop, synthetic_shop
from ecomgit.emulator.model import Image
from ecomgit.mirror import files, layout
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from tests.write.conftest import edit, folder_of, push

from .helpers import sample

MakeClient = Callable[..., httpx.Client]
GLOVE, PUMP = 65626325, 65626326
GRAVEL = 72418301


@pytest.fixture
def http(tiny_shop: Shop, make_client: MakeClient) -> httpx.Client:
    return make_client(tiny_shop)


def test_the_isvisible_filter_keeps_the_products_shown_or_not(http: httpx.Client) -> None:
    shown = {p["id"] for p in http.get("/nl/products.json", params={"isVisible": "true"}).json()["products"]}
    hidden = {p["id"] for p in http.get("/nl/products.json", params={"isVisible": "false"}).json()["products"]}
    assert shown == {GLOVE} and hidden == {PUMP}  # the pump is hidden
    listed = http.get("/nl/catalog.json", params={"isVisible": "false"}).json()["products"]
    assert [p["id"] for p in listed] == [PUMP]
    for path in ("/nl/products/count.json", "/nl/catalog/count.json"):  # counted as listed
        assert [http.get(path, params={"isVisible": shown}).json()["count"] for shown in ("true", "false")] == [1, 1]
    assert http.get("/nl/products.json", params={"isVisible": "maybe"}).status_code == 400


def test_taxes_answer_and_a_variant_links_its_class(http: httpx.Client) -> None:
    taxes = http.get("/nl/taxes.json").json()["taxes"]
    assert [list(t) for t in taxes] == [list(sample("tax.json")["tax"])] * len(taxes)  # docs' tax.json
    assert [t["rate"] for t in taxes if t["isDefault"]] == [0.21]
    http.put("/nl/variants/110095763.json", json={"variant": {"tax": taxes[1]["id"]}})
    variant = http.get("/nl/variants/110095763.json").json()["variant"]
    assert variant["tax"]["resource"] == {
        "id": taxes[1]["id"],
        "url": f"taxes/{taxes[1]['id']}",
        "link": f"http://emulator.test/nl/taxes/{taxes[1]['id']}.json",
    }
    assert variant["unitUnit"] == ""  # a string, "" when unset
    catalog = http.get(f"/nl/catalog/{GLOVE}.json").json()["product"]
    assert catalog["variants"]["110095763"]["tax"] == taxes[1]["rate"]  # the class's rate


def test_every_variant_is_charged_at_one_of_the_shops_tax_classes(
    app: EmulatorApp, http: httpx.Client, make_client: MakeClient
) -> None:
    def classes(client: httpx.Client) -> dict[int, float]:
        return {t["id"]: t["rate"] for t in client.get("/nl/taxes.json").json()["taxes"]}

    for client in (make_client(app.shop), make_client(synthetic_shop(5))):  # the sample shop, a synthetic one
        rates = classes(client)
        for v in client.get("/nl/variants.json", params={"limit": 250}).json()["variants"]:
            tax = v["tax"]["resource"]
            assert tax["url"] == f"taxes/{tax['id']}" and rates[tax["id"]] == 0.21, v["id"]
            assert client.get(f"/nl/{tax['url']}.json").json()["tax"]["rate"] == 0.21
    # a class the mirror names that the emulator did not know is one of the shop's, at its prices' rate
    assert classes(http)[31] == 0
    made = http.post("/nl/variants.json", json={"variant": {"product": GLOVE, "title": "Rood, S"}}).json()
    default = next(t["id"] for t in http.get("/nl/taxes.json").json()["taxes"] if t["isDefault"])
    assert made["variant"]["tax"]["resource"]["id"] == default  # a new variant: the default class


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("types", "types"),
        ("types/attributes", "typesAttributes"),
        ("attributes", "attributes"),
        (f"products/{GLOVE}/attributes", "productAttributes"),
        (f"products/{GLOVE}/filtervalues", "productFiltervalue"),
        (f"quantity_discounts.json?product={GLOVE}", "quantityDiscounts"),
        (f"reviews.json?product={GLOVE}", "reviews"),
        ("taxes", "taxes"),
        ("filters", "filters"),
    ],
)
def test_the_endpoints_real_clients_call_answer(http: httpx.Client, path: str, key: str) -> None:
    url = f"/nl/{path}" if ".json" in path else f"/nl/{path}.json"
    answer = http.get(url)
    assert answer.status_code == 200, (path, answer.text)
    assert isinstance(answer.json()[key], list)


def test_four_decimal_prices_are_mirrored_and_pushed_as_they_are(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    variant = app.shop.products[GRAVEL].variants[0]
    variant.oldPriceExcl = 2899.9917  # in the back office
    app.shop.touch_product(app.shop.products[GRAVEL])
    assert run_sync(synced, client).commit is not None

    def mirrored() -> Any:
        product = files.read_product(folder_of(synced, GRAVEL) / layout.PRODUCT_FILE)
        return next(v for v in product["variants"] if v["id"] == variant.id)["oldPriceExcl"]

    assert mirrored() == 2899.9917

    def old_price(product: dict[str, Any]) -> None:
        next(v for v in product["variants"] if v["id"] == variant.id)["oldPriceExcl"] = 1999.1234

    edit(synced, GRAVEL, old_price)
    assert push(synced, client).ok
    assert variant.oldPriceExcl == 1999.1234 and mirrored() == 1999.1234


def test_a_variant_priced_to_four_decimals_round_trips_shop_mirror_push(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    variant = app.shop.products[GRAVEL].variants[0]
    variant.priceExcl, variant.priceIncl = 2.8843, 3.49  # in the back office
    app.shop.touch_variant(variant)
    assert run_sync(synced, client).commit is not None

    def mirrored() -> tuple[Any, Any]:
        product = files.read_product(folder_of(synced, GRAVEL) / layout.PRODUCT_FILE)
        found = next(v for v in product["variants"] if v["id"] == variant.id)
        return found["priceExcl"], found["priceIncl"]

    assert mirrored() == (2.8843, 3.49)
    served = client.get_one(f"variants/{variant.id}", "variant")
    assert (served["priceExcl"], served["priceIncl"]) == (2.8843, 3.49)  # unrounded on the wire

    def price(excl: float, incl: float) -> Callable[[dict[str, Any]], None]:
        def change(product: dict[str, Any]) -> None:
            found = next(v for v in product["variants"] if v["id"] == variant.id)
            found["priceExcl"], found["priceIncl"] = excl, incl

        return change

    edit(synced, GRAVEL, price(3.1017, 3.75))
    assert push(synced, client).ok and (variant.priceExcl, variant.priceIncl) == (3.1017, 3.75)
    edit(synced, GRAVEL, price(2.8843, 3.49))  # back as it was
    assert push(synced, client).ok and (variant.priceExcl, variant.priceIncl) == (2.8843, 3.49)
    run_sync(synced, client)
    assert mirrored() == (2.8843, 3.49)
    assert check(synced.root, [], synced.config)[1] == []


def test_a_variant_with_tax_type_null_and_no_unit_is_mirrored_and_checks_clean(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    variant, other = app.shop.products[GRAVEL].variants[:2]
    variant.taxType = None  # real answers have it so
    variant.unitUnit = None  # no unit: served as "", never null
    other.unitUnit = "kilogram"
    app.shop.touch_variant(variant)
    app.shop.touch_variant(other)
    listed = {v["id"]: v for v in client.iter_list("variants", "variants", {"product": GRAVEL})}
    assert (listed[variant.id]["unitUnit"], listed[variant.id]["taxType"]) == ("", None)
    assert client.get_one(f"variants/{variant.id}", "variant")["unitUnit"] == ""
    assert listed[other.id]["unitUnit"] == "kilogram"
    assert run_sync(synced, client).commit is not None
    product = files.read_product(folder_of(synced, GRAVEL) / layout.PRODUCT_FILE)
    mirrored = {v["id"]: v for v in product["variants"]}
    assert (mirrored[variant.id]["taxType"], mirrored[variant.id]["unitUnit"]) == (None, "")
    assert mirrored[other.id]["unitUnit"] == "kilogram"
    assert check(synced.root, [], synced.config)[1] == []


def test_a_brand_logo_and_a_category_image_are_embedded_and_a_sync_takes_them_in_its_stride(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    product = app.shop.products[GRAVEL]
    assert product.brand_id is not None and product.category_links
    brand, category = app.shop.brands[product.brand_id], app.shop.categories[product.category_links[0].category_id]
    now = app.shop.now()
    brand.image = Image(0, now, now, 0, 880001, "logo", "png", "logo", 0, 8016)  # in the back office
    category.image = Image(0, now, now, 0, 880002, "gravel", "jpg", "gravel", 0, 12001)
    with ShopClient("http://localhost", language="nl", transport=httpx.WSGITransport(app=app)) as http:
        record = http.get_one(f"catalog/{GRAVEL}", "product")
        listed = next(b for b in http.iter_list("brands", "brands") if b["id"] == brand.id)
    assert record["brand"]["image"]["src"].endswith("/files/880001/logo.png")
    assert record["categories"][str(category.id)]["image"]["src"].endswith("/files/880002/gravel.jpg")
    assert list(listed["image"]) == list(sample("brandImage.json")["brandImage"])  # the documented shape
    with ShopClient("http://localhost", language="nl", transport=httpx.WSGITransport(app=app)) as http:
        one = http.get_one(f"categories/{category.id}", "category")
        shown = {c["id"]: c for c in http.iter_list("categories", "categories")}
    assert list(one["image"]) == list(sample("categoryImage.json")["categoryImage"])
    assert shown[category.id]["image"] == one["image"] and one["image"]["size"] == 12001
    assert all(c["image"] is False for c in shown.values() if c["id"] != category.id)  # unset: false

    def mirror_files() -> dict[str, bytes]:
        folder = folder_of(synced, GRAVEL)
        paths = [folder / layout.PRODUCT_FILE, *(synced.root / layout.SHOP_DIR).glob("*.yaml")]
        return {str(path.relative_to(synced.root)): path.read_bytes() for path in paths}

    before = mirror_files()
    assert any(name.endswith("brands.yaml") for name in before)
    brand.updated = category.updated = now
    app.shop.touch_product(product)  # read again, brand and categories embedded
    run_sync(synced, client)  # a shop with them: the mirror and its checks are unaffected
    assert mirror_files() == before
    assert check(synced.root, [], synced.config)[1] == []
