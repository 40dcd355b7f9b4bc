"""The JSON of the hot paths: same values as the standard library, and its fallback."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecomgit import jsonfast
from ecomgit.sync.assemble import catalog_hash

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


@given(JSON_VALUES)
def test_round_trip_matches_the_standard_library(value: object) -> None:
    written = jsonfast.dumps(value, sort_keys=True)
    assert jsonfast.loads(written) == json.loads(written.decode("utf-8"))
    assert json.loads(written.decode("utf-8")) == json.loads(json.dumps(value, sort_keys=True))


def test_compact_utf8_with_sorted_keys() -> None:
    assert jsonfast.dumps({"b": 1, "a": "Café"}, sort_keys=True) == '{"a":"Café","b":1}'.encode()
    assert jsonfast.dumps({"b": 1, "a": 2}) == b'{"b":1,"a":2}'


def test_what_orjson_refuses_is_written_by_the_standard_library() -> None:
    assert jsonfast.dumps({"big": 2**70}) == b'{"big":1180591620717411303424}'
    assert jsonfast.dumps({1: "a"}) == b'{"1":"a"}'


def test_a_lone_surrogate_from_the_shop_survives_the_round_trip() -> None:
    value = jsonfast.loads(b'{"title": "broken \\ud800 escape", "more": "caf\xc3\xa9"}')
    assert value == {"title": "broken \ud800 escape", "more": "café"}
    assert jsonfast.loads(jsonfast.dumps(value)) == value


@pytest.mark.parametrize("text", [b"", b"{", b"<html>502 Bad Gateway</html>", b'{"a": 1,}'])
def test_not_json_is_a_value_error(text: bytes) -> None:
    with pytest.raises(ValueError):
        jsonfast.loads(text)


def test_catalog_hash_ignores_volatile_values_and_key_order() -> None:
    record = {
        "id": 1,
        "title": "Jas",
        "updatedAt": "2026-01-01T00:00:00+00:00",
        "variants": {"7": {"id": 7, "stockLevel": 3}},
    }
    moved = {
        "variants": {"7": {"stockLevel": 9, "id": 7}},
        "updatedAt": "2026-02-01T00:00:00+00:00",
        "title": "Jas",
        "id": 1,
    }
    assert catalog_hash(record) == catalog_hash(moved)
    assert catalog_hash(record) != catalog_hash({**record, "title": "Jas 2"})
