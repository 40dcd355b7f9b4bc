"""Read a whole list endpoint page by page without missing or repeating a row.

The shop gives no paging metadata: a page shorter than ``limit`` is the last one. Pages are walked
with ``since_id`` (the highest id seen so far), which keeps working while the shop is edited: a row
created during the walk has a higher id and turns up on a later page, a deleted row shifts nothing.

If the shop turns out to ignore ``since_id`` (a page comes back with ids not above it, or not in
ascending order), the walk falls back to ``page=`` numbers and drops rows whose id was already
yielded. Page numbers can still skip a row that moves to an earlier page when another row is
deleted mid-walk; that is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ecomgit.api.values import as_int
from ecomgit.errors import ServerError

log = logging.getLogger(__name__)

Row = dict[str, Any]
Query = dict[str, Any]
FetchPage = Callable[[Query], list[Row]]


def iter_rows(fetch: FetchPage, params: Mapping[str, Any], *, limit: int, where: object) -> Iterator[Row]:
    """Yield every row of a list endpoint; ``fetch(query)`` returns one page's rows.

    ``params`` are the caller's filters; a ``since_id`` among them is where the walk starts, a
    ``page`` is ignored. ``str(where)`` names the request in log records and errors.
    """
    if not 1 <= limit <= 250:
        raise ValueError(f"limit must be between 1 and 250, not {limit}")
    base: Query = {k: v for k, v in params.items() if k not in ("page", "since_id", "limit")}
    base["limit"] = limit
    start = as_int(params.get("since_id"))
    since = start
    seen: set[int] = set()
    rows = fetch(_with(base, since_id=since))
    page_one: list[int | None] | None = None
    while True:
        ids = [as_int(row.get("id")) for row in rows]
        if page_one is None and start is None:
            page_one = ids
        if not _ascending_above(ids, since):
            break
        seen.update(i for i in ids if i is not None)
        yield from rows
        if len(rows) < limit:
            return
        since = ids[-1]
        rows = fetch(_with(base, since_id=since))
    log.warning(
        "%s: the shop does not honour since_id (ids not ascending above %s); falling back to page= "
        "paging, which can miss a row if another is deleted during the sync",
        where,
        since,
    )
    # An answer to a request without since_id and page, or one that repeats that answer, is page 1.
    first = rows if since is None or ids == page_one else None
    yield from _by_page_number(fetch, base, limit=limit, where=where, seen=seen, floor=start, first=first)


def _by_page_number(
    fetch: FetchPage,
    base: Query,
    *,
    limit: int,
    where: object,
    seen: set[int],
    floor: int | None,
    first: list[Row] | None,
) -> Iterator[Row]:
    page = 1
    rows = first if first is not None else fetch(_with(base, page=1))
    previous: list[int | None] | None = None
    while True:
        ids = [as_int(row.get("id")) for row in rows]
        if ids == previous and len(rows) >= limit:
            raise ServerError(
                f"{where}: page {page} repeats page {page - 1}, so the shop ignores both since_id and "
                "page and the list cannot be read completely. Report this to the shop's API support.",
            )
        for row, row_id in zip(rows, ids, strict=True):
            if row_id is not None:
                if row_id in seen or (floor is not None and row_id <= floor):
                    continue
                seen.add(row_id)
            yield row
        if len(rows) < limit:
            return
        previous = ids
        page += 1
        rows = fetch(_with(base, page=page))


def _ascending_above(ids: list[int | None], since: int | None) -> bool:
    """True if every id is known, strictly ascending and above ``since``."""
    last = since
    for row_id in ids:
        if row_id is None or (last is not None and row_id <= last):
            return False
        last = row_id
    return True


def _with(base: Query, **extra: Any) -> Query:
    return {**base, **{k: v for k, v in extra.items() if v is not None}}
