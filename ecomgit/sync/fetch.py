"""Fetching from the shop into the staging tables, resumably.

Every list is read page by page and each page is stored together with its cursor in one
transaction, so a sync stopped by Ctrl-C, a dropped connection or a spent request budget continues
from the last stored page on the next run. Per-product reads (metafields, tag links, …) are marked
done one by one for the same reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ecomgit.api import ShopClient
from ecomgit.api.values import as_int, link_id
from ecomgit.sync.state import State

PAGE = 250
Row = Mapping[str, Any]
Keyer = Callable[[Row], tuple[int, int | None, Any]]


def by_id(row: Row) -> tuple[int, int | None, Any]:
    return as_int(row.get("id"), 0), None, row


def owned_by(link: str) -> Keyer:
    """Stage a row under the product it belongs to (``row[link]`` is a link or id)."""

    def key(row: Row) -> tuple[int, int | None, Any]:
        return as_int(row.get("id"), 0), link_id(row.get(link)), row

    return key


PROGRESS_EVERY = 500


class Fetcher:
    def __init__(self, client: ShopClient, state: State, progress: Callable[[str], None] | None = None) -> None:
        self.client = client
        self.state = state
        self.progress = progress or (lambda message: None)

    def list_into(
        self,
        name: str,
        path: str,
        envelope: str,
        kind: str,
        lang: str,
        params: Mapping[str, Any] | None = None,
        keyer: Keyer = by_id,
    ) -> None:
        """Stage every row of a list endpoint under ``kind``/``lang``; resumes at its cursor."""
        if self.state.run_get(f"done:{name}"):
            return
        query = dict(params or {})
        cursor = self.state.run_get(f"cursor:{name}")
        if cursor:
            query["since_id"] = int(cursor)
        batch: list[tuple[int, int | None, Any]] = []
        for row in self.client.iter_list(path, envelope, query, lang=lang, limit=PAGE):
            batch.append(keyer(row))
            if len(batch) >= PAGE:
                self._store(name, kind, lang, batch)
                batch = []
        self._store(name, kind, lang, batch)
        self.state.run_set(f"done:{name}", "1")

    def _store(self, name: str, kind: str, lang: str, batch: list[tuple[int, int | None, Any]]) -> None:
        if not batch:
            return
        with self.state.transaction():
            self.state.stage(kind, lang, batch)
            self.state.run_set(f"cursor:{name}", str(max(rid for rid, _, _ in batch)))

    def per_item_into(
        self,
        name: str,
        ids: Iterable[int],
        fetch: Callable[[int], Iterable[Row]],
        kind: str,
        lang: str,
        owner_is_item: bool = True,
    ) -> None:
        """For each id not yet done: fetch its rows, stage them and mark the id done, atomically.

        Rows are staged by their own id, owned by the item they were fetched for.
        """
        items = list(ids)
        for number, item_id in enumerate(items, start=1):
            if number % PROGRESS_EVERY == 0:
                self.progress(f"{name}: {number} of {len(items)}")
            if self.state.staged("done", name, item_id) is not None:
                continue
            rows = [(as_int(row.get("id"), 0), item_id if owner_is_item else None, row) for row in fetch(item_id)]
            with self.state.transaction():
                self.state.stage(kind, lang, rows)
                self.state.stage("done", name, [(item_id, None, 1)])
