"""Loading a mirror directory: every value in it is served back, in the right place and language."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from ecomgit.emulator import catalogs, load_catalog
from ecomgit.emulator.catalogs import build_shop
from ecomgit.errors import ConfigError, MirrorFileError

from .helpers import (
    BACK,
    BRANDS,
    CATEGORIES,
    DELIVERYDATES,
    FRONT,
    GLOVE,
    PUMP,
    SHOP,
    TAGS,
    FakeClock,
    get_all,
    read_back,
    write_mirror,
    write_yaml,
)

MakeClient = Callable[..., httpx.Client]


def test_every_product_value_is_served_back(mirror_dir: Path, make_client: MakeClient) -> None:
    client = make_client(load_catalog(mirror_dir))
    served = read_back(client, ["nl", "en"])
    expected = {p["id"]: copy.deepcopy(p) for p in (GLOVE, PUMP)}
    for product in expected.values():  # written before types: none
        for variant in product["variants"]:
            variant["unitUnit"] = variant.get("unitUnit") or ""  # a string in every answer, "" when unset
            variant.setdefault("options", [])
        product.setdefault("type", None)
        product.setdefault("attributes", [])
        product.setdefault("set", None)
        product.setdefault("quantityDiscounts", [])
    for image in (i for p in expected.values() for i in p["images"] if "title" not in i):
        image["title"] = image["file"].split("-", 1)[1].rsplit(".", 1)[0]  # untitled: titled as an upload is
    for product in served.values():  # priceCost is only compared where the mirror holds it
        for variant in product["variants"]:
            wanted = next(v for v in expected[product["id"]]["variants"] if v["id"] == variant["id"])
            if "priceCost" not in wanted:
                del variant["priceCost"]
    assert served == expected


def test_shop_files_are_served_back(tiny_shop: Any, make_client: MakeClient) -> None:
    client = make_client(tiny_shop)
    shop = client.get("/nl/shop.json").json()["shop"]
    languages = client.get("/nl/languages.json").json()["languages"]
    assert (int(shop["id"]), shop["mainDomain"], shop["isRetail"], shop["isB2b"], shop["currency"]["shortcode"]) == (
        4242,
        "tiny.ecomgit.test",
        True,
        False,
        "EUR",
    )
    assert [{k: lang[k] for k in ("id", "code", "locale", "title", "isDefault")} for lang in languages] == SHOP[
        "languages"
    ]
    assert _texts_back(client, "categories", ("title", "fulltitle", "description", "content", "url")) == [
        {"id": c["id"], **{k: c[k] for k in ("title", "fulltitle", "description", "content", "url")}}
        for c in CATEGORIES
    ]
    categories = get_all(client, "/nl/categories.json", "categories")
    parents = [c["parent"]["resource"]["id"] if c["parent"] else None for c in categories]
    assert parents == [None, 100]
    assert [(c["sortOrder"], c["isVisible"]) for c in categories] == [(1, True), (2, False)]
    assert _texts_back(client, "tags", ("title", "url")) == [
        {"id": t["id"], "title": t["title"], "url": t["url"]} for t in TAGS
    ]
    assert _texts_back(client, "brands", ("title", "content", "url")) == [
        {"id": b["id"], "title": b["title"], "content": b["content"], "url": b["url"]} for b in BRANDS
    ]
    fields = ("name", "inStockMessage", "outStockMessage")
    assert _texts_back(client, "deliverydates", fields) == [
        {"id": d["id"], **{k: d[k] for k in fields}} for d in DELIVERYDATES
    ]


def _texts_back(client: httpx.Client, resource: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    by_lang = {lang: get_all(client, f"/{lang}/{resource}.json", resource) for lang in ("nl", "en")}
    return [
        {"id": row["id"], **{f: {lang: _none(by_lang[lang][i][f]) for lang in by_lang} for f in fields}}
        for i, row in enumerate(by_lang["nl"])
    ]


def _none(value: Any) -> Any:
    return None if value is False else value


def test_image_bytes_are_served_at_src(tiny_shop: Any, make_client: MakeClient) -> None:
    client = make_client(tiny_shop)
    images = client.get("/nl/products/65626325/images.json").json()["productImages"]
    assert [i["src"] for i in images] == [
        "http://emulator.test/cdn/shops/4242/files/67984977/ranger-front.jpg",
        "http://emulator.test/cdn/shops/4242/files/67984983/ranger-back.jpg",
    ]
    assert [client.get(i["src"]).content for i in images] == [FRONT, BACK]
    assert [client.get(i["thumb"]).content for i in images] == [FRONT, BACK]
    assert [(i["title"], i["extension"], i["size"]) for i in images] == [
        ("ranger-front", "jpg", len(FRONT)),
        ("ranger-back", "jpg", len(BACK)),
    ]


def test_same_directory_gives_same_answers(mirror_dir: Path, make_client: MakeClient) -> None:
    first = make_client(load_catalog(mirror_dir, clock=FakeClock()))
    second = make_client(load_catalog(mirror_dir, clock=FakeClock(2e9)))
    for path in ("/nl/catalog.json", "/en/variants.json", "/nl/categories/products.json", "/en/tags/products.json"):
        assert first.get(path).content == second.get(path).content


def test_values_not_in_the_mirror_are_plausible(tiny_shop: Any, make_client: MakeClient) -> None:
    variants = make_client(tiny_shop).get("/nl/variants.json").json()["variants"]
    glove = {v["id"]: v for v in variants}
    assert glove[110095763]["priceCost"] == round(29.95 * 0.55, 2)
    assert glove[110095773]["priceCost"] == 12.5  # kept from the mirror
    assert all(v["stockLevel"] == v["id"] % 17 for v in variants)
    assert all(v["createdAt"] <= v["updatedAt"] and v["createdAt"].endswith("+00:00") for v in variants)


def test_missing_shop_files_give_empty_defaults(tmp_path: Path, make_client: MakeClient) -> None:
    folder = tmp_path / "products" / "7-pomp"
    write_yaml(folder / "product.yaml", {**PUMP, "id": 7})
    client = make_client(load_catalog(tmp_path))
    assert [lang["code"] for lang in client.get("/nl/languages.json").json()["languages"]] == ["nl", "en"]
    assert client.get("/nl/categories.json").json() == {"categories": []}
    assert client.get("/nl/brands.json").json() == {"brands": []}
    tags = client.get("/nl/tags.json").json()["tags"]
    assert [(t["id"], t["title"]) for t in tags] == [(300, "handschoen"), (301, "winter")]  # from the product


def test_empty_directory_is_an_empty_shop(tmp_path: Path, make_client: MakeClient) -> None:
    client = make_client(load_catalog(tmp_path))
    assert client.get("/nl/products/count.json").json() == {"count": 0}
    assert client.get("/nl/catalog.json").json() == {"products": []}


def test_bad_yaml_names_the_file(mirror_dir: Path) -> None:
    bad = next(mirror_dir.glob("products/*/product.yaml"))
    bad.write_text("id: 1\ntitle: [unclosed\n")
    with pytest.raises(MirrorFileError, match="product.yaml"):
        load_catalog(mirror_dir)


def test_bad_shop_list_names_the_file(mirror_dir: Path) -> None:
    (mirror_dir / "shop" / "tags.yaml").write_text("- id: nope\n")
    with pytest.raises(MirrorFileError, match="tags.yaml"):
        load_catalog(mirror_dir)


def test_missing_image_file_names_it(mirror_dir: Path) -> None:
    next(mirror_dir.glob("products/*/images/02-ranger-back.jpg")).unlink()
    with pytest.raises(MirrorFileError, match="02-ranger-back.jpg"):
        load_catalog(mirror_dir)


def test_unknown_variant_image_names_the_product(tmp_path: Path) -> None:
    glove = copy.deepcopy(GLOVE)
    glove["variants"][0]["image"] = "09-gone.jpg"
    write_mirror(tmp_path, [glove])
    with pytest.raises(MirrorFileError, match="product.yaml"):
        load_catalog(tmp_path)


def test_new_ids_are_above_every_loaded_id(tiny_shop: Any, make_client: MakeClient) -> None:
    client = make_client(tiny_shop)
    created = client.post("/nl/tags.json", json={"tag": {"title": "new"}}).json()["tag"]
    links = get_all(client, "/nl/categories/products.json", "categoriesProducts")
    assert created["id"] > max([110095800, 67984983, 5496385, *(link["id"] for link in links)])


def test_build_shop_picks_the_source(mirror_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert sorted(build_shop(mirror_dir).products) == [GLOVE["id"], PUMP["id"]]
    assert len(build_shop(synthetic=3).products) == 3
    with pytest.raises(ConfigError):
        build_shop(mirror_dir, 3)
    monkeypatch.delenv(catalogs.ENV_SAMPLE, raising=False)
    assert (catalogs.sample_catalog_dir() / "shop" / "shop.yaml").is_file()
    monkeypatch.setenv(catalogs.ENV_SAMPLE, str(mirror_dir))
    assert build_shop().info.id == 4242
