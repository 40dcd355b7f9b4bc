"""Tolerant readers for the value quirks of the eCom API.

The API says "none" with ``false``, sends an empty collection as ``[]`` but a full one as an
object keyed by id, sends numbers as strings (``"5"``, ``"19.90"``, ``""``), links single objects
as ``{"resource": {"id": …}}`` and embeds them elsewhere. These helpers turn all of that into plain
Python values, so the code that maps API objects never has to care.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, overload
from urllib.parse import unquote, urlsplit

API_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_FILE_ID = re.compile(r"/files/(\d+)(?:/|$)", re.ASCII)
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off", ""})


def objects(value: object) -> list[dict[str, Any]]:
    """The objects of a collection: a list, an object keyed by id, or ``[]``/``{}``/``false``/``None``.

    Entries that are not objects are dropped; the order is the API's.
    """
    if isinstance(value, Mapping):
        items: list[object] = list(value.values())
    elif isinstance(value, list):
        items = value
    else:
        return []
    return [dict(item) for item in items if isinstance(item, Mapping)]


def link_id(value: object) -> int | None:
    """The id behind a link (``{"resource": {"id": 5}}``), an embedded object, or a bare id."""
    if isinstance(value, Mapping):
        resource = value.get("resource")
        if isinstance(resource, Mapping):
            return as_int(resource.get("id"))
        return as_int(value.get("id"))
    return as_int(value)


@overload
def as_int(value: object) -> int | None: ...
@overload
def as_int(value: object, default: int) -> int: ...
def as_int(value: object, default: int | None = None) -> int | None:
    """An integer from ``5``, ``"5"``, ``5.0``, ``"5.0"`` or ``True``; else ``default``.

    ``""``, ``False``, ``None`` and numbers with a fraction give ``default``.
    """
    number = _number(value)
    if number is None or isinstance(number, float):
        return default
    return number


@overload
def as_float_or_int(value: object) -> int | float | None: ...
@overload
def as_float_or_int(value: object, default: int | float) -> int | float: ...
def as_float_or_int(value: object, default: int | float | None = None) -> int | float | None:
    """A number from ``7490``, ``29.95``, ``"19.90"`` or ``"5"``; a float without fraction is an int.

    ``""``, ``False``, ``None``, non-numeric text, NaN and infinities give ``default``.
    """
    number = _number(value)
    return default if number is None else number


def _number(value: object) -> int | float | None:
    if value is None or value is False:
        return None
    if value is True:
        return 1
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return _normal_float(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            pass
        try:
            return _normal_float(float(text))
        except ValueError:
            return None
    return None


def _normal_float(number: float) -> int | float | None:
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() else number


def as_str(value: object, default: str = "") -> str:
    """Text from a string or a number; ``None``, booleans, objects and lists give ``default``."""
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, bool):
        return default
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        number = _normal_float(value)
        return default if number is None else str(number)
    return default


def as_bool(value: object, default: bool = False) -> bool:
    """A boolean from ``true``/``false``, ``1``/``0`` or ``"true"``/``"0"``/``""``; else ``default``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return default


def file_id_from_src(src: object) -> int | None:
    """The CDN file id in ``…/files/{fileId}/[WxHxM/]{name}.{ext}``, or ``None``."""
    if not isinstance(src, str):
        return None
    match = _FILE_ID.search(urlsplit(src).path)
    return int(match.group(1)) if match else None


def file_name_from_src(src: object) -> tuple[str, str]:
    """``(name, ext)`` of the file in a CDN URL: ``…/files/1/50x50x2/file.jpg`` → ``("file", "jpg")``.

    The name is URL-decoded; a name without a dot has ext ``""``; a missing src gives ``("", "")``.
    """
    if not isinstance(src, str):
        return "", ""
    last = unquote(urlsplit(src).path.rstrip("/").rpartition("/")[2])
    name, dot, ext = last.rpartition(".")
    if not dot or not name:
        return last, ""
    return name, ext


def parse_api_time(text: str) -> datetime:
    """An aware datetime from ``2025-01-14T22:36:48+00:00`` (also ``Z``, or naive text as UTC).

    Raises ``ValueError`` for text that is not a timestamp.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"not an API timestamp: {text!r}")
    moment = datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def format_api_time(moment: datetime) -> str:
    """The filter format ``YYYY-MM-DD HH:MM:SS`` in UTC (a naive datetime is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(API_TIME_FORMAT)
