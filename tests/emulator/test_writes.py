"""Writes: creates, partial updates per language, deletes, uploads, links and their errors."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ecomgit.emulator import Shop
from ecomgit.emulator.pngs import tiny_png

MakeClient = Callable[..., httpx.Client]
GLOVE, PUMP = 65626325, 65626326


@pytest.fixture
def client(tiny_shop: Shop, make_client: MakeClient) -> httpx.Client:
    return make_client(tiny_shop)


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def test_create_product_makes_default_variant_and_copies_texts(client: httpx.Client) -> None:
    body = {
        "product": {
            "title": "Nieuwe Fiets!",
            "content": "<p>Nieuw</p>",
            "visibility": "hidden",
            "brand": 200,
            "deliverydate": 400,
        }
    }
    created = _ok(client.post("/nl/products.json", json=body), 201)["product"]
    pid = created["id"]
    assert (created["url"], created["fulltitle"], created["visibility"]) == ("nieuwe-fiets", "Nieuwe Fiets!", "hidden")
    english = _ok(client.get(f"/en/products/{pid}.json"))["product"]
    assert (english["title"], english["content"], english["url"]) == ("Nieuwe Fiets!", "<p>Nieuw</p>", "nieuwe-fiets")
    variants = _ok(client.get(f"/nl/variants.json?product={pid}"))["variants"]
    assert [(v["title"], v["isDefault"], v["sortOrder"]) for v in variants] == [("Default", True, 1)]
    assert english["brand"]["resource"]["id"] == 200 and english["image"] is False


def test_put_is_partial_and_per_language(client: httpx.Client) -> None:
    before = _ok(client.get(f"/nl/products/{GLOVE}.json"))["product"]
    answer = _ok(client.put(f"/en/products/{GLOVE}.json", json={"product": {"title": "Ranger Glove 2"}}))
    assert answer["product"]["title"] == "Ranger Glove 2"
    after_nl = _ok(client.get(f"/nl/products/{GLOVE}.json"))["product"]
    after_en = _ok(client.get(f"/en/products/{GLOVE}.json"))["product"]
    assert after_nl["title"] == before["title"] == "Ranger handschoen"
    assert after_en["title"] == "Ranger Glove 2" and after_en["url"] == "ranger-glove"  # slug stays
    assert after_en["fulltitle"] == "Fox Ranger Glove" and after_nl["visibility"] == "auto"


def test_variant_create_update_delete(client: httpx.Client) -> None:
    body = {
        "variant": {
            "product": PUMP,
            "title": "Groot",
            "priceExcl": 10,
            "sku": "P-XL",
            "weightValue": 1.5,
            "stockTracking": "indicator",
        }
    }
    created = _ok(client.post("/nl/variants.json", json=body), 201)["variant"]
    assert (created["sortOrder"], created["isDefault"], created["weightValue"]) == (2, False, "1.500")
    assert created["priceIncl"] == 12.1  # derived at the rate of the shop's default tax class (21 %)
    vid = created["id"]
    assert _ok(client.get(f"/en/variants/{vid}.json"))["variant"]["title"] == "Groot"
    _ok(client.put(f"/en/variants/{vid}.json", json={"variant": {"title": "Large", "isDefault": True}}))
    variants = {v["id"]: v for v in _ok(client.get(f"/nl/variants.json?product={PUMP}"))["variants"]}
    assert variants[vid]["isDefault"] and not variants[110095800]["isDefault"]
    assert variants[vid]["title"] == "Groot"
    assert _ok(client.get("/nl/variants.json?sku=P-XL"))["variants"][0]["id"] == vid
    response = client.delete(f"/nl/variants/{vid}.json")
    assert (response.status_code, response.content) == (204, b"")
    remaining = _ok(client.get(f"/nl/variants.json?product={PUMP}"))["variants"]
    assert [(v["id"], v["isDefault"]) for v in remaining] == [(110095800, True)]
    assert client.delete("/nl/variants/110095800.json").status_code == 400  # the last one


def test_price_pair_follows_the_rate(client: httpx.Client) -> None:
    variant = _ok(client.put("/nl/variants/110095763.json", json={"variant": {"priceExcl": 100}}))["variant"]
    assert (variant["priceExcl"], variant["priceIncl"]) == (100, 121)


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/nl/variants/110095763.json", {"variant": {"title": ""}}, "Invalid variant title"),
        ("/nl/variants.json", {"variant": {"product": PUMP, "title": "  "}}, "Invalid variant title"),
        ("/nl/variants.json", {"variant": {"title": "X"}}, "product"),
        ("/nl/variants/110095763.json", {"variant": {"weightUnit": "stone"}}, "weightUnit"),
        ("/nl/variants/110095763.json", {"variant": {"stockTracking": "maybe"}}, "stockTracking"),
        ("/nl/variants/110095763.json", {"variant": {"sizeUnit": "ft"}}, "sizeUnit"),
        ("/nl/variants/110095763.json", {"variant": {"priceExcl": "cheap"}}, "priceExcl"),
        (f"/nl/products/{GLOVE}.json", {"product": {"visibility": "sometimes"}}, "visibility"),
        (f"/nl/products/{GLOVE}.json", {"product": {"brand": 999}}, "brand"),
        (f"/nl/products/{GLOVE}.json", {"variant": {"title": "x"}}, "Invalid data input"),
        ("/nl/products.json", {"products": [{"title": "x"}]}, "Invalid data input"),
        (f"/nl/products/{GLOVE}/images.json", {"productImage": {"attachment": "!!", "filename": "a.png"}}, "base64"),
        (
            f"/nl/products/{GLOVE}/images.json",
            {"productImage": {"attachment": "AAAA", "filename": "noext"}},
            "filename",
        ),
        (
            f"/nl/products/{GLOVE}/metafields.json",
            {"productMetafield": {"key": "meta_keywords_en", "value": "x"}},
            "exists",
        ),
        (f"/nl/products/{GLOVE}/relations.json", {"productRelation": {"relatedProduct": GLOVE}}, "relatedProduct"),
        ("/nl/categories/products.json", {"categoriesProduct": {"product": GLOVE, "category": 100}}, "already"),
    ],
)
def test_bad_input_is_400_with_a_message(client: httpx.Client, path: str, body: Any, message: str) -> None:
    method = "PUT" if path.split("/")[-1][0].isdigit() else "POST"
    response = client.request(method, path, json=body)
    assert response.status_code == 400, response.text
    assert message in response.json()["error"]["message"]


def test_invalid_json_is_400(client: httpx.Client) -> None:
    response = client.post("/nl/products.json", content=b"{nope", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Invalid data input"


def test_form_encoded_put(client: httpx.Client) -> None:
    response = client.put(f"/nl/products/{GLOVE}.json", data={"product[data01]": "uit formulier"})
    assert _ok(response)["product"]["data01"] == "uit formulier"


def test_image_upload_is_served_back(client: httpx.Client) -> None:
    data = tiny_png(99)
    body = {"productImage": {"attachment": base64.b64encode(data).decode(), "filename": "zij kant.PNG"}}
    image = _ok(client.post(f"/nl/products/{PUMP}/images.json", json=body), 201)["productImage"]
    assert image["title"] == "zij kant" and image["extension"] == "PNG" and image["size"] == len(data)
    assert image["src"].endswith("/zij-kant.PNG")
    assert client.get(image["src"]).content == data
    assert client.get(image["thumb"]).content == data
    file_id = int(image["src"].split("/")[-2])
    assert file_id not in (image["id"], 67984977, 67984983)
    again = _ok(client.get(f"/nl/products/{PUMP}/images/{image['id']}.json"))["productImage"]
    assert again == image  # the file id is stable
    product = _ok(client.get(f"/nl/products/{PUMP}.json"))["product"]
    assert product["image"]["src"] == image["src"] and product["images"] is not False


def test_image_sort_order_sets_main_image_and_delete_clears_variants(client: httpx.Client) -> None:
    _ok(client.put(f"/nl/products/{GLOVE}/images/64749655.json", json={"productImage": {"sortOrder": 0}}))
    main = _ok(client.get(f"/nl/products/{GLOVE}.json"))["product"]["image"]
    assert "/67984983/" in main["src"]
    response = client.delete(f"/nl/products/{GLOVE}/images/64749655.json")
    assert (response.status_code, response.content) == (204, b"")
    assert _ok(client.get("/nl/variants/110095763.json"))["variant"]["image"] is False
    assert client.get(main["src"]).status_code == 404
    assert _ok(client.get(f"/nl/products/{GLOVE}/images/count.json")) == {"count": 1}


def test_variant_image_upload_adds_a_product_image(client: httpx.Client) -> None:
    data = tiny_png(7)
    body = {"variant": {"image": {"attachment": base64.b64encode(data).decode(), "filename": "blauw.png"}}}
    variant = _ok(client.put("/nl/variants/110095773.json", json=body))["variant"]
    assert client.get(variant["image"]["src"]).content == data
    assert _ok(client.get(f"/nl/products/{GLOVE}/images/count.json")) == {"count": 3}
    cleared = _ok(client.put("/nl/variants/110095773.json", json={"variant": {"image": None}}))["variant"]
    assert cleared["image"] is False


def test_delete_product_removes_everything_it_owns(client: httpx.Client) -> None:
    response = client.delete(f"/nl/products/{PUMP}.json")
    assert (response.status_code, response.content) == (204, b"")
    assert client.get(f"/nl/products/{PUMP}.json").status_code == 404
    assert _ok(client.get(f"/nl/variants.json?product={PUMP}")) == {"variants": []}
    assert _ok(client.get(f"/nl/tags/products.json?product={PUMP}")) == {"tagsProducts": []}
    assert _ok(client.get(f"/nl/products/{GLOVE}/relations.json")) == {"productRelations": []}
    created = _ok(client.post("/nl/products.json", json={"product": {"title": "Pomp"}}), 201)["product"]
    assert created["id"] > PUMP  # ids are never reused


def test_category_links_single_and_bulk(client: httpx.Client) -> None:
    link = _ok(
        client.post("/nl/categories/products.json", json={"categoriesProduct": {"product": PUMP, "category": 101}}), 201
    )
    link_id = link["categoriesProduct"]["id"]
    bulk = {"categoriesProduct": {"product": PUMP, "categories": [100, 101]}}
    answer = _ok(client.post("/nl/categories/products/bulk.json", json=bulk), 201)["categoriesProducts"]
    assert [row["category"]["resource"]["id"] for row in answer] == [100, 101]
    assert answer[1]["id"] == link_id  # an existing link is kept, not doubled
    rows = _ok(client.get(f"/nl/categories/products.json?product={PUMP}"))["categoriesProducts"]
    assert sorted(row["category"]["resource"]["id"] for row in rows) == [100, 101]
    assert client.delete(f"/nl/categories/products/{link_id}.json").status_code == 204
    assert _ok(client.get(f"/nl/categories/products/count.json?product={PUMP}")) == {"count": 1}
    catalog = _ok(client.get(f"/nl/catalog/{PUMP}.json"))["product"]
    assert list(catalog["categories"]) == ["100"]


def test_tags_and_tag_links(client: httpx.Client) -> None:
    tag = _ok(client.post("/en/tags.json", json={"tag": {"title": "Rain Proof"}}), 201)["tag"]
    assert (tag["url"], _ok(client.get(f"/nl/tags/{tag['id']}.json"))["tag"]["title"]) == ("rain-proof", "Rain Proof")
    link = _ok(client.post("/nl/tags/products.json", json={"tagsProduct": {"tag": tag["id"], "product": GLOVE}}), 201)[
        "tagsProduct"
    ]
    assert set(link) == {"id", "tag", "product"}
    assert _ok(client.get(f"/nl/tags/products/count.json?tag={tag['id']}")) == {"count": 1}
    assert client.delete(f"/nl/tags/{tag['id']}.json").status_code == 204
    assert client.get(f"/nl/tags/products/{link['id']}.json").status_code == 404


def test_metafields_crud(client: httpx.Client) -> None:
    base = f"/nl/products/{GLOVE}/metafields"
    created = _ok(client.post(f"{base}.json", json={"productMetafield": {"key": "k", "value": 5}}), 201)
    mid = created["productMetafield"]["id"]
    assert created["productMetafield"]["value"] == "5"
    updated = _ok(client.put(f"{base}/{mid}.json", json={"productMetafield": {"value": "six"}}))
    assert updated["productMetafield"]["value"] == "six" and updated["productMetafield"]["key"] == "k"
    assert client.delete(f"{base}/{mid}.json").status_code == 204
    assert _ok(client.get(f"{base}/count.json")) == {"count": 2}
    vbase = "/nl/variants/110095773/metafields"
    _ok(client.post(f"{vbase}.json", json={"variantMetafield": {"key": "a", "value": "b"}}), 201)
    assert [m["key"] for m in _ok(client.get(f"{vbase}.json"))["variantMetafields"]] == ["a"]


def test_relations_crud(client: httpx.Client) -> None:
    base = f"/nl/products/{PUMP}/relations"
    created = _ok(client.post(f"{base}.json", json={"productRelation": {"relatedProduct": GLOVE}}), 201)
    rid = created["productRelation"]["id"]
    assert created["productRelation"]["relatedProduct"]["resource"]["id"] == GLOVE
    updated = _ok(client.put(f"{base}/{rid}.json", json={"productRelation": {"sortOrder": 4}}))
    assert updated["productRelation"]["sortOrder"] == 4
    assert client.delete(f"{base}/{rid}.json").status_code == 204
    assert _ok(client.get(f"{base}.json")) == {"productRelations": []}


def test_taxonomy_crud(client: httpx.Client) -> None:
    category = _ok(
        client.post("/en/categories.json", json={"category": {"title": "Winter Gloves", "parent": 101}}), 201
    )["category"]
    assert (category["url"], category["depth"], category["path"]) == (
        "men/gloves/winter-gloves",
        3,
        [str(category["id"]), "101", "100"],
    )
    in_dutch = _ok(client.get(f"/nl/categories/{category['id']}.json"))["category"]
    assert (in_dutch["url"], in_dutch["title"]) == ("heren/handschoenen/winter-gloves", "Winter Gloves")
    assert [c["id"] for c in _ok(client.get("/nl/categories.json?parent=101"))["categories"]] == [category["id"]]
    assert client.put("/nl/categories/100.json", json={"category": {"parent": category["id"]}}).status_code == 400
    assert client.delete("/nl/categories/100.json").status_code == 204
    assert _ok(client.get("/nl/categories/count.json")) == {"count": 0}  # the whole subtree
    assert _ok(client.get(f"/nl/catalog/{GLOVE}.json"))["product"]["categories"] == []
    brand = _ok(client.post("/nl/brands.json", json={"brand": {"title": "Giro"}}), 201)["brand"]
    _ok(client.put(f"/nl/products/{GLOVE}.json", json={"product": {"brand": brand["id"]}}))
    assert client.delete(f"/nl/brands/{brand['id']}.json").status_code == 204
    assert _ok(client.get(f"/nl/products/{GLOVE}.json"))["product"]["brand"] is False
    date = _ok(client.post("/nl/deliverydates.json", json={"deliverydate": {"name": "Morgen"}}), 201)
    assert _ok(client.get(f"/en/deliverydates/{date['deliverydate']['id']}.json"))["deliverydate"]["name"] == "Morgen"
    supplier = _ok(client.post("/nl/suppliers.json", json={"supplier": {"title": "S", "city": "Gent"}}), 201)
    assert supplier["supplier"]["city"] == "Gent"
    assert client.delete("/nl/suppliers/500.json").status_code == 204
    assert _ok(client.get(f"/nl/products/{PUMP}.json"))["product"]["supplier"] is False


@pytest.mark.parametrize(
    ("path", "body", "key"),
    [
        (f"/nl/products/{GLOVE}.json", {"product": {"title": "Nieuw", "data01": "x", "brand": 999}}, "product"),
        ("/nl/variants/110095763.json", {"variant": {"sku": "NEW", "priceExcl": 1, "weightUnit": "stone"}}, "variant"),
        (
            "/nl/variants/110095763.json",
            {"variant": {"sku": "NEW", "image": {"attachment": "!", "filename": "a.png"}}},
            "variant",
        ),
        ("/nl/categories/101.json", {"category": {"title": "Nieuw", "sortOrder": "first"}}, "category"),
        (
            f"/nl/products/{GLOVE}/metafields/4968652.json",
            {"productMetafield": {"value": "v", "key": "meta_keywords_nl"}},
            "productMetafield",
        ),
    ],
)
def test_a_refused_write_changes_nothing(client: httpx.Client, path: str, body: Any, key: str) -> None:
    before = client.get(path).json()
    assert client.put(path, json=body).status_code == 400
    assert client.get(path).json() == before
    assert _ok(client.get(f"/nl/products/{GLOVE}/images/count.json")) == {"count": 2}
