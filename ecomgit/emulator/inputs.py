"""Request bodies: JSON or form-encoded, the envelope check, and typed field readers.

Every reader raises :class:`HttpError` 400 with a message naming the field, as the real API
refuses bad values instead of storing them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl

from ecomgit.emulator.model import Num
from ecomgit.emulator.wsgi import HttpError

INVALID_INPUT = "Invalid data input"
_FORM_KEY = re.compile(r"^(\w+)\[(\w+)\]$")
_NONE = (None, False, 0, "", "0")


def payload(body: bytes, content_type: str) -> dict[str, Any]:
    """The decoded body: a JSON object, or a form (``product[title]=…``) as nested dicts."""
    if "application/x-www-form-urlencoded" in content_type:
        return _form(body.decode("utf-8", "replace"))
    try:
        data = json.loads(body or b"null")
    except ValueError as exc:
        raise HttpError(400, INVALID_INPUT) from exc
    if not isinstance(data, dict):
        raise HttpError(400, INVALID_INPUT)
    return data


def envelope(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    """The object under the singular envelope key; anything else is "Invalid data input"."""
    inner = data.get(key)
    if not isinstance(inner, dict):
        raise HttpError(400, INVALID_INPUT)
    return inner


def _form(text: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        match = _FORM_KEY.match(key)
        if match:
            result.setdefault(match[1], {})[match[2]] = value
        else:
            result[key] = value
    return result


def bad(name: str, value: object, expected: str) -> HttpError:
    return HttpError(400, f"Invalid value for '{name}': {value!r} ({expected}).")


def text(name: str, value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise bad(name, value, "a string")


def optional_text(name: str, value: object) -> str | None:
    return None if value is None or value is False else text(name, value)


def integer(name: str, value: object) -> int:
    number = number_of(name, value)
    if isinstance(number, float):
        if not number.is_integer():
            raise bad(name, value, "a whole number")
        return int(number)
    return number


def number_of(name: str, value: object) -> Num:
    if isinstance(value, bool):
        raise bad(name, value, "a number")
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            parsed = float(value)
        except ValueError:
            raise bad(name, value, "a number") from None
        return int(parsed) if parsed.is_integer() and "." not in value else parsed
    raise bad(name, value, "a number")


def boolean(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if value in (0, 1, "0", "1", "true", "false"):
        return value in (1, "1", "true")
    raise bad(name, value, "true or false")


def choice(name: str, value: object, allowed: Collection[str | None]) -> Any:
    if value not in allowed:
        shown = ", ".join("null" if a is None else a for a in allowed)
        raise bad(name, value, f"one of {shown}")
    return value


def decimal_text(name: str, value: object) -> str:
    """A decimal the API sends as a string (``weightValue``): numbers become ``"0.250"``."""
    if isinstance(value, bool):
        raise bad(name, value, "a decimal")
    if isinstance(value, int | float):
        return f"{value:.3f}"
    if isinstance(value, str):
        try:
            Decimal(value)
        except InvalidOperation:
            raise bad(name, value, "a decimal") from None
        return value
    raise bad(name, value, "a decimal")


def reference(name: str, value: object, known: Collection[int]) -> int | None:
    """An id of an existing object, or ``None`` for ``null``/``false``/``0``/``""``."""
    if value in _NONE:
        return None
    if isinstance(value, Mapping):  # a link or an embedded object, as GET returns it
        value = value.get("resource", value).get("id")
        if value in _NONE:
            return None
    ident = integer(name, value)
    if ident not in known:
        raise HttpError(400, f"Invalid {name}: {ident} does not exist.")
    return ident
