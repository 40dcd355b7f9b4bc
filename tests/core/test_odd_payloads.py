"""Property: odd but legal API shapes of the same product give the same mirror file.

The API says "none" with ``false`` (or ``null``), "empty" with ``[]`` where an object is expected,
embeds collections as objects keyed by id or as lists, and sometimes sends numbers and ids as
strings. Whatever mix of these a real answer has, the mirror must read the same product.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ecomgit.mirror import dump_product
from ecomgit.sync.assemble import build_product

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "real-catalog"
RECORDS = [json.loads(path.read_text())["products"][0] for path in sorted(SAMPLES.glob("catalog_*.json"))]
NUMERIC = ("priceExcl", "priceIncl", "oldPriceExcl", "oldPriceIncl", "stockBuyMinimum", "stockBuyMaximum", "weight")


def canonical(record: dict[str, Any]) -> bytes:
    built = build_product(record, languages=["us"], deep=None, previous=None, tag_titles={})
    return dump_product(built.product, ["us"])


@st.composite
def odd(draw: st.DrawFn, record: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(record)
    for name in ("images", "categories", "variants"):  # keyed by id ↔ a list
        value = out.get(name)
        if isinstance(value, dict) and draw(st.booleans()):
            out[name] = list(value.values())
    for name in ("relations", "filters", "reviews", "specifications", "discounts"):  # [] ↔ {}
        if out.get(name) == [] and draw(st.booleans()):
            out[name] = {}
    for name in ("supplier", "deliverydate", "brand"):  # none: false ↔ null
        if out.get(name) is False and draw(st.booleans()):
            out[name] = None
    variants = out["variants"].values() if isinstance(out["variants"], dict) else out["variants"]
    for variant in variants:
        for name in NUMERIC:  # numbers as strings
            if isinstance(variant.get(name), int | float) and draw(st.booleans()):
                variant[name] = str(variant[name])
        if draw(st.booleans()):
            variant["id"] = str(variant["id"])
    return out


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_odd_but_legal_shapes_read_as_the_same_product(data: st.DataObject) -> None:
    record = data.draw(st.sampled_from(RECORDS))
    assert canonical(data.draw(odd(record))) == canonical(record)
