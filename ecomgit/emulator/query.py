"""List parameters shared by every collection: paging, ``since_id``, dates and ``fields``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

from ecomgit.emulator.timefmt import parse_time
from ecomgit.emulator.wsgi import HttpError

DEFAULT_LIMIT = 50
MAX_LIMIT = 250
_DATE_PARAMS = ("created_at_min", "created_at_max", "updated_at_min", "updated_at_max")


@dataclass(frozen=True, slots=True)
class ListQuery:
    page: int = 1
    limit: int = DEFAULT_LIMIT
    since_id: int | None = None
    dates: tuple[int | None, int | None, int | None, int | None] = (None, None, None, None)
    fields: tuple[str, ...] | None = None

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> ListQuery:
        limit = int_param(query, "limit")
        dates = tuple(_date_param(query, name) for name in _DATE_PARAMS)
        fields = query.get("fields")
        return cls(
            page=max(1, int_param(query, "page") or 1),
            limit=DEFAULT_LIMIT if limit is None else min(max(limit, 1), MAX_LIMIT),
            since_id=int_param(query, "since_id"),
            dates=(dates[0], dates[1], dates[2], dates[3]),
            fields=tuple(f.strip() for f in fields.split(",") if f.strip()) if fields else None,
        )

    def matching(self, rows: Iterable[Any]) -> Iterator[Any]:
        """The rows after ``since_id`` and inside the date bounds (rows come in id order)."""
        for row in rows:
            if self.since_id is not None and row.id <= self.since_id:
                continue
            if self._in_dates(row):
                yield row

    def page_of(self, rows: Iterable[Any]) -> list[Any]:
        start = (self.page - 1) * self.limit
        return list(islice(self.matching(rows), start, start + self.limit))

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        if self.fields is None:
            return obj
        return {key: value for key, value in obj.items() if key in self.fields}

    def _in_dates(self, row: Any) -> bool:
        created_min, created_max, updated_min, updated_max = self.dates
        if created_min is None and created_max is None and updated_min is None and updated_max is None:
            return True
        created = getattr(row, "created", None)
        updated = getattr(row, "updated", None)
        return _within(created, created_min, created_max) and _within(updated, updated_min, updated_max)


def int_param(query: Mapping[str, str], name: str) -> int | None:
    value = query.get(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise HttpError(400, f"Invalid value for '{name}': {value!r}.") from None


def _date_param(query: Mapping[str, str], name: str) -> int | None:
    value = query.get(name)
    if not value:
        return None
    try:
        return parse_time(value)
    except ValueError:
        raise HttpError(400, f"Invalid date for '{name}': {value!r} (use YYYY-MM-DD HH:MM:SS).") from None


def _within(value: int | None, low: int | None, high: int | None) -> bool:
    if value is None:
        return low is None and high is None
    return (low is None or value >= low) and (high is None or value <= high)
