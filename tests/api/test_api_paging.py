"""iter_list: since_id paging, its fallback to page numbers, envelopes."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomgit.errors import ServerError

from .fakes import PagedShop, Script, json_response, make_client


def ids_of(rows: list[dict[str, Any]]) -> list[int]:
    return [int(row["id"]) for row in rows]


def test_walks_with_since_id_and_stops_on_a_short_page() -> None:
    shop = PagedShop(range(1, 8))
    rows = list(make_client(shop).iter_list("products", "products", {"brand": 4}, limit=3))
    assert ids_of(rows) == list(range(1, 8))
    assert shop.queries == [
        {"brand": "4", "limit": "3"},
        {"brand": "4", "limit": "3", "since_id": "3"},
        {"brand": "4", "limit": "3", "since_id": "6"},
    ]


def test_an_exactly_full_last_page_costs_one_empty_request() -> None:
    shop = PagedShop(range(1, 7))
    assert ids_of(list(make_client(shop).iter_list("products", "products", limit=3))) == list(range(1, 7))
    assert len(shop.queries) == 3


def test_a_row_created_mid_walk_is_read_once_and_none_is_missed() -> None:
    def create_during_the_walk(shop: PagedShop, answered: int) -> None:
        if answered == 1:
            shop.insert(100)
            del shop.rows[2]  # a deletion must not shift anything either

    shop = PagedShop(range(1, 8), between=create_during_the_walk)
    rows = list(make_client(shop).iter_list("products", "products", limit=3))
    assert ids_of(rows) == [1, 2, 3, 4, 5, 6, 7, 100]


def test_rows_are_streamed_page_by_page() -> None:
    shop = PagedShop(range(1, 10))
    rows = make_client(shop).iter_list("products", "products", limit=3)
    assert next(rows)["id"] == 1
    assert len(shop.queries) == 1


def test_since_id_in_params_is_the_start() -> None:
    shop = PagedShop(range(1, 8))
    rows = list(make_client(shop).iter_list("products", "products", {"since_id": 4, "page": 9}, limit=3))
    assert ids_of(rows) == [5, 6, 7]
    assert shop.queries[0] == {"limit": "3", "since_id": "4"}


def test_falls_back_to_page_numbers_when_since_id_is_ignored(caplog: pytest.LogCaptureFixture) -> None:
    shop = PagedShop(range(1, 9), honour_since_id=False)
    with caplog.at_level(logging.WARNING, logger="ecomgit.api"):
        rows = list(make_client(shop).iter_list("catalog", "products", limit=3))
    assert ids_of(rows) == list(range(1, 9))
    # The second answer repeats page 1, so it is used as page 1 and the walk goes on with page 2.
    assert [q.get("page") for q in shop.queries] == [None, None, "2", "3"]
    assert "GET /nl/catalog.json" in caplog.text and "since_id" in caplog.text


def test_fallback_drops_rows_shifted_into_a_later_page() -> None:
    def create_during_the_walk(shop: PagedShop, answered: int) -> None:
        if answered == 3:  # while reading by page number: a new row with a low sort position
            shop.insert(0)

    shop = PagedShop(range(1, 9), honour_since_id=False, between=create_during_the_walk)
    rows = list(make_client(shop).iter_list("catalog", "products", limit=3))
    assert sorted(ids_of(rows)) == list(range(1, 9))  # 0 came too late; nothing repeated
    assert len(rows) == len(set(ids_of(rows)))


def test_a_first_page_out_of_order_is_used_as_page_one() -> None:
    rows_page1 = [{"id": 5}, {"id": 3}, {"id": 4}]
    script = Script([json_response(200, {"products": rows_page1}), json_response(200, {"products": [{"id": 1}]})])
    rows = list(make_client(script).iter_list("catalog", "products", limit=3))
    assert ids_of(rows) == [5, 3, 4, 1]
    assert [dict(r.url.params).get("page") for r in script.requests] == [None, "2"]


def test_a_shop_that_ignores_page_too_is_an_error_not_a_short_list() -> None:
    script = Script([json_response(200, {"products": [{"id": 3}, {"id": 1}]}) for _ in range(3)])
    with pytest.raises(ServerError, match="ignores both since_id and page"):
        list(make_client(script).iter_list("catalog", "products", limit=2))
    assert [dict(r.url.params).get("page") for r in script.requests] == [None, "2"]


def test_a_since_id_answer_out_of_order_restarts_at_page_one() -> None:
    answers = [
        [{"id": 1}, {"id": 2}],
        [{"id": 9}, {"id": 8}],
        [{"id": 1}, {"id": 2}],
        [{"id": 9}, {"id": 8}],
        [],
    ]
    script = Script([json_response(200, {"products": rows}) for rows in answers])
    rows = list(make_client(script).iter_list("catalog", "products", limit=2))
    assert ids_of(rows) == [1, 2, 9, 8]
    assert [dict(r.url.params).get("page") for r in script.requests] == [None, None, "1", "2", "3"]


def test_objects_keyed_by_id_are_read_like_a_list() -> None:
    shop = PagedShop(range(1, 6), keyed=True)
    assert ids_of(list(make_client(shop).iter_list("catalog", "products", limit=2))) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("body", [{"products": []}, {"products": {}}, {"products": False}, {}, {"count": 0}])
def test_empty_or_missing_envelopes_are_empty(body: dict[str, object]) -> None:
    script = Script([json_response(200, body)])
    assert list(make_client(script).iter_list("products", "products")) == []
    assert len(script.requests) == 1


def test_limit_must_be_what_the_api_allows() -> None:
    with pytest.raises(ValueError, match="between 1 and 250"):
        list(make_client(PagedShop([])).iter_list("products", "products", limit=251))


@settings(max_examples=60, deadline=None)
@given(
    initial=st.sets(st.integers(1, 60), max_size=40),
    limit=st.integers(1, 7),
    honour=st.booleans(),
    events=st.lists(st.tuples(st.integers(0, 12), st.booleans(), st.integers(0, 80)), max_size=6),
)
def test_no_row_is_repeated_or_missed_while_the_shop_changes(
    initial: set[int], limit: int, honour: bool, events: list[tuple[int, bool, int]]
) -> None:
    """Rows that exist throughout the walk are read exactly once; new rows get higher ids.

    Page-number paging (the fallback) cannot survive deletions, so it only sees insertions.
    """
    deleted: set[int] = set()
    next_id = [max(initial, default=0) + 1]

    def change(shop: PagedShop, answered: int) -> None:
        for at, delete, pick in events:
            if at != answered:
                continue
            if delete and honour and shop.rows:
                victim = sorted(shop.rows)[pick % len(shop.rows)]
                deleted.add(victim)
                del shop.rows[victim]
            else:
                shop.insert(next_id[0])
                next_id[0] += 1

    shop = PagedShop(initial, honour_since_id=honour, between=change)
    rows = ids_of(list(make_client(shop).iter_list("products", "products", limit=limit)))
    assert len(rows) == len(set(rows))
    assert set(initial) - deleted <= set(rows)
    assert set(rows) <= set(initial) | set(range(1, next_id[0]))
