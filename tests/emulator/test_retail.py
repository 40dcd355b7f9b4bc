"""Lightspeed Retail's destructive actions played on the emulator: delete, merge, add into a matrix."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from ecomgit.cli.main import cli, main
from ecomgit.emulator import EmulatorApp, Shop, load_catalog, running
from ecomgit.emulator.catalogs import sample_catalog_dir
from ecomgit.emulator.retail import RetailActionError, UnknownProductError, add_to_matrix, merge
from ecomgit.errors import NotFoundError, TransportError

from .helpers import FakeClock, client_for, get_all

LAUWERSMEER = 72418314  # 1 variant, 3 images
FRAMESET = 72418352  # 1 variant ("Standaard"/"Default")
GRAVELBIKE = 72418301  # 4 variants
SEALANT = 72418421  # 1 variant ("Standaard"/"Default"), brand Kustlijn
TYRE = 72418377  # 4 variants, brand Kustlijn
KUSTLIJN = 3712403
UNKNOWN = 999_999_999


@pytest.fixture(scope="session")
def sample_template() -> Shop:
    return load_catalog(sample_catalog_dir())


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def shop(sample_template: Shop, clock: FakeClock) -> Shop:
    shop = copy.deepcopy(sample_template)
    shop.clock = clock
    return shop


@pytest.fixture
def client(shop: Shop) -> Iterator[httpx.Client]:
    with client_for(EmulatorApp(shop, rate_limit=None)) as client:
        yield client


def _post(client: httpx.Client, action: str, body: Any) -> httpx.Response:
    return client.post(f"/_emulator/retail/{action}.json", json=body)


def _product(client: httpx.Client, product_id: int, lang: str = "nl") -> dict[str, Any]:
    response = client.get(f"/{lang}/products/{product_id}.json")
    assert response.status_code == 200, response.text
    product: dict[str, Any] = response.json()["product"]
    return product


def _variants(client: httpx.Client, product_id: int, lang: str = "nl") -> list[dict[str, Any]]:
    rows = client.get(f"/{lang}/variants.json?product={product_id}").json()["variants"]
    return sorted(rows, key=lambda v: (v["sortOrder"], v["id"]))


def _catalog_ids(client: httpx.Client) -> set[int]:
    return {p["id"] for p in get_all(client, "/nl/catalog.json", "products")}


def _assert_gone(client: httpx.Client, *product_ids: int) -> None:
    for product_id in product_ids:
        assert client.get(f"/nl/products/{product_id}.json").status_code == 404
    assert not set(product_ids) & _catalog_ids(client)


def _retail_fields(variant: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(variant[name] for name in ("sku", "ean", "articleCode", "priceExcl", "priceIncl"))


# -- delete from eCom ---------------------------------------------------------------------------------


def test_delete_from_ecom_deletes_the_product(client: httpx.Client) -> None:
    requests_before = client.get("/_emulator/stats.json").json()["requests"]
    response = _post(client, "delete", {"product": LAUWERSMEER})
    assert response.status_code == 200 and response.json() == {"deleted": [LAUWERSMEER]}
    _assert_gone(client, LAUWERSMEER)
    assert client.get("/_emulator/stats.json").json()["requests"] == requests_before + 2  # the two reads above


# -- merge ----------------------------------------------------------------------------------------------


def test_merge_deletes_the_merged_product_and_touches_the_survivor(client: httpx.Client, clock: FakeClock) -> None:
    before = _product(client, GRAVELBIKE)
    variants_before = _variants(client, GRAVELBIKE)
    clock.advance(60)
    response = _post(client, "merge", {"product": FRAMESET, "into": GRAVELBIKE})
    assert response.status_code == 200 and response.json() == {"product": GRAVELBIKE, "deleted": [FRAMESET]}
    _assert_gone(client, FRAMESET)
    after = _product(client, GRAVELBIKE)
    assert after["updatedAt"] > before["updatedAt"]
    assert {**after, "updatedAt": None} == {**before, "updatedAt": None}
    assert [_retail_fields(v) for v in _variants(client, GRAVELBIKE)] == [_retail_fields(v) for v in variants_before]


def test_merge_into_itself_is_refused(shop: Shop) -> None:
    with pytest.raises(RetailActionError):
        merge(shop, GRAVELBIKE, GRAVELBIKE)
    assert GRAVELBIKE in shop.products


# -- add into a matrix ------------------------------------------------------------------------------------


def test_matrix_creates_a_new_product_without_the_old_content(client: httpx.Client, shop: Shop) -> None:
    old = [*_variants(client, SEALANT), *_variants(client, TYRE)]
    sealant_title = _product(client, SEALANT)["title"]
    old_ids = set(shop.products) | set(shop.variants)
    response = _post(client, "matrix", {"products": [SEALANT, TYRE]})
    assert response.status_code == 200, response.text
    matrix_id = response.json()["product"]
    assert response.json() == {"product": matrix_id, "created": True, "deleted": [SEALANT, TYRE]}
    _assert_gone(client, SEALANT, TYRE)
    assert matrix_id in _catalog_ids(client) and matrix_id > max(old_ids)

    matrix = _product(client, matrix_id)
    assert (matrix["title"], matrix["fulltitle"]) == (sealant_title, sealant_title)
    assert (matrix["description"], matrix["content"], matrix["image"]) == ("", "", False)  # no images
    assert matrix["visibility"] == "visible" and matrix["hasMatrix"] is True
    assert matrix["brand"]["resource"]["id"] == KUSTLIJN
    assert matrix["url"] not in {
        p["url"] for p in get_all(client, "/nl/products.json", "products") if p["id"] != matrix_id
    }
    assert _product(client, matrix_id, "en")["title"] == sealant_title
    assert client.get(f"/nl/products/{matrix_id}/metafields.json").json()["productMetafields"] == []
    assert client.get(f"/nl/products/{matrix_id}/relations.json").json()["productRelations"] == []
    assert client.get(f"/nl/tags/products.json?product={matrix_id}").json()["tagsProducts"] == []
    assert client.get(f"/nl/categories/products.json?product={matrix_id}").json()["categoriesProducts"] == []

    moved = _variants(client, matrix_id)
    assert [_retail_fields(v) for v in moved] == [_retail_fields(v) for v in old]
    assert not {v["id"] for v in moved} & old_ids
    assert [v["isDefault"] for v in moved] == [True] + [False] * (len(moved) - 1)
    assert moved[0]["title"] == sealant_title  # its old title was the placeholder "Standaard"
    assert [v["title"] for v in moved[1:]] == [v["title"] for v in old[1:]]
    assert all(v["oldPriceExcl"] == 0 and v["weight"] == 0 and v["image"] is False for v in moved)


def test_matrix_with_a_title(client: httpx.Client) -> None:
    response = _post(client, "matrix", {"products": [FRAMESET], "title": "Wadden onderdelen"})
    matrix = _product(client, response.json()["product"], "en")
    assert (matrix["title"], matrix["url"]) == ("Wadden onderdelen", "wadden-onderdelen")
    assert matrix["hasMatrix"] is False  # a matrix of one variant


def test_matrix_into_an_existing_product(client: httpx.Client, clock: FakeClock) -> None:
    before = _product(client, TYRE)
    tyre_variants = _variants(client, TYRE)
    sealant = _variants(client, SEALANT)
    clock.advance(60)
    response = _post(client, "matrix", {"products": [SEALANT], "matrix": TYRE})
    assert response.status_code == 200 and response.json()["product"] == TYRE
    assert response.json()["created"] is False
    _assert_gone(client, SEALANT)
    after = _product(client, TYRE)
    assert after["updatedAt"] > before["updatedAt"] and after["description"] == before["description"]
    variants = _variants(client, TYRE)
    assert variants[: len(tyre_variants)] == tyre_variants
    assert [_retail_fields(v) for v in variants[len(tyre_variants) :]] == [_retail_fields(v) for v in sealant]
    assert variants[-1]["isDefault"] is False and variants[-1]["id"] != sealant[0]["id"]


def test_matrix_refuses_bad_arguments(shop: Shop) -> None:
    with pytest.raises(RetailActionError):
        add_to_matrix(shop, [])
    with pytest.raises(RetailActionError):
        add_to_matrix(shop, [SEALANT, SEALANT])
    with pytest.raises(RetailActionError):
        add_to_matrix(shop, [SEALANT], matrix_id=SEALANT)
    with pytest.raises(UnknownProductError, match=str(UNKNOWN)):
        add_to_matrix(shop, [SEALANT], matrix_id=UNKNOWN)
    assert SEALANT in shop.products


# -- errors ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("delete", {"product": UNKNOWN}),
        ("merge", {"product": UNKNOWN, "into": GRAVELBIKE}),
        ("merge", {"product": FRAMESET, "into": UNKNOWN}),
        ("matrix", {"products": [SEALANT, UNKNOWN]}),
        ("matrix", {"products": [SEALANT], "matrix": UNKNOWN}),
    ],
)
def test_unknown_products_give_404_and_change_nothing(client: httpx.Client, action: str, body: Any) -> None:
    before = _catalog_ids(client)
    response = _post(client, action, body)
    assert response.status_code == 404
    assert str(UNKNOWN) in response.json()["error"]["message"]
    assert _catalog_ids(client) == before


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("delete", None),
        ("delete", [LAUWERSMEER]),
        ("delete", {"product": "72418314"}),
        ("delete", {"product": True}),
        ("merge", {"product": FRAMESET}),
        ("merge", {"product": FRAMESET, "into": FRAMESET}),
        ("matrix", {"products": []}),
        ("matrix", {"products": SEALANT}),
        ("matrix", {"products": [SEALANT], "title": ""}),
        ("matrix", {"products": [SEALANT, SEALANT]}),
    ],
)
def test_malformed_bodies_give_400(client: httpx.Client, action: str, body: Any) -> None:
    response = _post(client, action, body)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == 400


def test_invalid_json_and_unknown_admin_paths(client: httpx.Client) -> None:
    assert client.post("/_emulator/retail/delete.json", content=b"{not json").status_code == 400
    assert client.get("/_emulator/retail/delete.json").status_code == 405
    assert client.post("/_emulator/retail/explode.json", json={}).status_code == 404


# -- the command line ---------------------------------------------------------------------------------------


def test_cli_plays_the_actions_over_a_socket(shop: Shop) -> None:
    runner = CliRunner()
    with running(EmulatorApp(shop, rate_limit=None)) as url:
        matrix = runner.invoke(cli, ["emulator", "retail", "matrix", str(SEALANT), str(TYRE), "--url", url])
        assert matrix.exit_code == 0, matrix.output
        new_id = max(shop.products)
        assert matrix.output == f"Retail added products {SEALANT}, {TYRE} into new matrix product {new_id}\n"
        merged = runner.invoke(
            cli, ["emulator", "retail", "merge", str(FRAMESET), "--into", str(GRAVELBIKE), "--url", url]
        )
        assert merged.exit_code == 0 and f"merged product {FRAMESET} into product {GRAVELBIKE}" in merged.output
        deleted = runner.invoke(cli, ["emulator", "retail", "delete", str(LAUWERSMEER), "--url", url])
        assert deleted.output == f"Retail deleted product {LAUWERSMEER} from eCom\n"
        assert not {SEALANT, TYRE, FRAMESET, LAUWERSMEER} & set(shop.products)
        missing = runner.invoke(cli, ["emulator", "retail", "delete", str(UNKNOWN), "--url", url])
        assert isinstance(missing.exception, NotFoundError) and str(UNKNOWN) in str(missing.exception)
    gone = runner.invoke(cli, ["emulator", "retail", "delete", str(LAUWERSMEER), "--url", url])
    assert isinstance(gone.exception, TransportError)


def test_cli_errors_exit_1_with_a_message(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.argv", ["ecomgit", "emulator", "retail", "delete", "1", "--url", "http://127.0.0.1:9"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: cannot reach the emulator at http://127.0.0.1:9") and "Traceback" not in err
