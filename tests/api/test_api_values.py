"""values.py: the API's quirks, checked against real /catalog.json answers and doc examples."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from ecomgit.api.values import (
    as_bool,
    as_float_or_int,
    as_int,
    as_str,
    file_id_from_src,
    file_name_from_src,
    format_api_time,
    link_id,
    objects,
    parse_api_time,
)

SAMPLES = Path("/work/shared/api-samples")
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared API samples not present")


def sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def glove() -> dict[str, Any]:
    products = objects(sample("real-catalog/catalog_65626325_fox-ranger-glove.json").get("products"))
    assert len(products) == 1
    return products[0]


@pytest.fixture(scope="module")
def bike() -> dict[str, Any]:
    return objects(sample("real-catalog/catalog_65725829_yeti-cycles-160E-C2.json")["products"])[0]


@needs_samples
def test_real_catalog_glove(glove: dict[str, Any]) -> None:
    assert as_int(glove["id"]) == 65626325
    variants = objects(glove["variants"])  # an object keyed by id
    assert len(variants) == 7
    assert all(as_int(v["id"]) for v in variants)
    assert [as_str(v["hs"], "-") for v in variants] == ["-"] * 7  # hs: null
    assert {as_float_or_int(v["priceExcl"]) for v in variants} == {29.95}
    assert sum(as_bool(v["isDefault"]) for v in variants) == 1
    assert link_id(glove["brand"]) == 3681186  # embedded, not a link
    assert link_id(glove["supplier"]) is None and link_id(glove["deliverydate"]) is None  # false
    assert {link_id(c) for c in objects(glove["categories"])} == {4568213, 4701199, 4701200}
    for empty in ("relations", "filters", "reviews", "specifications", "discounts"):
        assert objects(glove[empty]) == []  # []


@needs_samples
def test_real_catalog_images_file_ids(glove: dict[str, Any], bike: dict[str, Any]) -> None:
    for product, count in ((glove, 4), (bike, 2)):
        images = objects(product["images"])
        assert len(images) == count
        for image in images:
            file_id = file_id_from_src(image["src"])
            assert file_id is not None and f"/files/{file_id}/" in image["src"]
            assert file_id_from_src(image["thumb"]) == file_id  # the size segment is skipped
            assert file_id != image["id"]  # productImage id, not the file id
            assert file_name_from_src(image["src"]) == ("file", "jpg")
        # In /catalog.json the main image's id IS the file id, and it is the first by sortOrder
        # (the keyed object itself lists the images in reverse).
        assert file_id_from_src(product["image"]["src"]) == product["image"]["id"]
        by_position = sorted(images, key=lambda i: as_int(i["sortOrder"], 0))
        assert by_position != images
        assert file_id_from_src(by_position[0]["src"]) == product["image"]["id"]
    assert {file_id_from_src(i["src"]) for i in objects(bike["images"])} == {68082119, 68082601}


@needs_samples
def test_real_catalog_bike(bike: dict[str, Any]) -> None:
    variants = objects(bike["variants"])
    assert len(variants) == 8
    assert {as_float_or_int(v["priceExcl"]) for v in variants} == {7490, 7650}
    assert all(type(as_float_or_int(v["priceExcl"])) is int for v in variants)
    assert sorted(as_str(v["hs"], "-") for v in variants) == [""] + ["-"] * 7  # "" once, null 7 times
    assert link_id(bike["deliverydate"]) == 17565
    assert len(objects(bike["categories"])) == 5
    assert parse_api_time(bike["createdAt"]).tzinfo is not None


@needs_samples
def test_doc_example_links() -> None:
    product = sample("docs-examples/product.json")["product"]
    assert link_id(product["brand"]) == 1171202
    assert link_id(product["categories"]) is None  # {"resource": {"id": false}}
    assert link_id(product["type"]) is None  # false
    assert file_id_from_src(product["image"]["src"]) == 14119398
    name, ext = file_name_from_src(product["image"]["src"])
    assert (name, ext) == ("17x35x-jcfk-88na-udwd-5hck-z63u-img-16-e0aa4f57-f4", "jpg")
    variant = sample("docs-examples/variant.json")["variant"]
    assert link_id(variant["product"]) == 21881217
    assert link_id(variant["tax"]) is None
    assert as_str(variant["weightValue"]) == "0.000"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([{"id": 1}, 5, {"id": 2}], [{"id": 1}, {"id": 2}]),
        ({"7": {"id": 7}, "3": {"id": 3}}, [{"id": 7}, {"id": 3}]),
        ([], []),
        ({}, []),
        (False, []),
        (None, []),
        ("", []),
    ],
)
def test_objects(value: object, expected: list[dict[str, int]]) -> None:
    assert objects(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"resource": {"id": 5, "url": "brands/5"}}, 5),
        ({"resource": {"id": False}}, None),
        ({"resource": {"id": "12"}}, 12),
        ({"id": 9, "title": "x"}, 9),
        (17, 17),
        ("17", 17),
        (False, None),
        (None, None),
        ("", None),
        ({}, None),
    ],
)
def test_link_id(value: object, expected: int | None) -> None:
    assert link_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5, 5),
        ("5", 5),
        (" 5 ", 5),
        (5.0, 5),
        ("5.0", 5),
        (True, 1),
        ("", None),
        (False, None),
        (None, None),
        (5.5, None),
        ("abc", None),
        ([1], None),
        ("nan", None),
    ],
)
def test_as_int(value: object, expected: int | None) -> None:
    assert as_int(value) == expected
    assert as_int(value, -1) == (-1 if expected is None else expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7490, 7490),
        (29.95, 29.95),
        ("19.90", 19.9),
        ("5", 5),
        ("0.000", 0),
        (7490.0, 7490),
        ("", None),
        (False, None),
        (None, None),
        ("inf", None),
        ("1e3", 1000),
        ("x", None),
    ],
)
def test_as_float_or_int(value: object, expected: float | None) -> None:
    result = as_float_or_int(value)
    assert result == expected
    assert type(result) is type(expected)
    assert as_float_or_int(value, 0) == (0 if expected is None else expected)


def test_as_str_and_as_bool() -> None:
    assert [as_str(v) for v in ("x", 5, 2.0, 2.5, None, False, True, {"a": 1})] == [
        "x",
        "5",
        "2",
        "2.5",
        "",
        "",
        "",
        "",
    ]
    assert as_str(None, "n/a") == "n/a"
    truthy = [True, 1, "true", "1", "Yes", 2.5]
    falsy = [False, 0, "false", "0", "", "off"]
    assert [as_bool(v) for v in truthy] == [True] * len(truthy)
    assert [as_bool(v, True) for v in falsy] == [False] * len(falsy)
    assert as_bool(None, True) is True and as_bool("maybe") is False


def test_file_helpers_on_odd_urls() -> None:
    assert file_id_from_src("https://cdn.x/shops/1/files/55/300x200x1/my%20shirt.png?v=3") == 55
    assert file_name_from_src("https://cdn.x/shops/1/files/55/300x200x1/my%20shirt.png?v=3") == (
        "my shirt",
        "png",
    )
    assert file_name_from_src("https://cdn.x/files/55/archive.tar.gz") == ("archive.tar", "gz")
    assert file_name_from_src("https://cdn.x/files/55/README") == ("README", "")
    assert file_id_from_src("https://cdn.x/profiles/55/a.jpg") is None
    assert file_id_from_src(False) is None and file_name_from_src(None) == ("", "")


def test_api_time_roundtrip() -> None:
    moment = parse_api_time("2025-01-14T22:36:48+01:00")
    assert moment == datetime(2025, 1, 14, 21, 36, 48, tzinfo=UTC)
    assert format_api_time(moment) == "2025-01-14 21:36:48"
    assert parse_api_time("2025-01-14T22:36:48Z") == datetime(2025, 1, 14, 22, 36, 48, tzinfo=UTC)
    assert parse_api_time("2025-01-14 22:36:48") == datetime(2025, 1, 14, 22, 36, 48, tzinfo=UTC)
    assert format_api_time(datetime(2025, 1, 1, 23, 30, tzinfo=timezone(timedelta(hours=-2)))) == "2025-01-02 01:30:00"
    assert format_api_time(datetime(2025, 1, 1, 12, 0)) == "2025-01-01 12:00:00"
    with pytest.raises(ValueError):
        parse_api_time("yesterday")
