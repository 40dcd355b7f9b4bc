"""Turn the shop's answers into JSON bodies or into errors of the project's tree.

Every message names the request (``GET /nl/products/5.json``) and says what to do next. The caller
applies its redactor to the finished message, so nothing here needs to know the credentials.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from ecomgit import jsonfast
from ecomgit.errors import (
    ApiError,
    AuthError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RejectedError,
    ServerError,
)

_SNIPPET = 120


@dataclass(frozen=True)
class RequestInfo:
    """What a message needs to know about a request (``path`` is redacted, with its query)."""

    method: str
    path: str
    host: str
    lang: str
    resource: str

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


def decode_body(response: httpx.Response, info: RequestInfo) -> dict[str, Any]:
    """The JSON object of a 2xx answer; ``{}`` for 204 or an empty body."""
    if response.status_code == 204 or not response.content.strip():
        return {}
    try:
        data = jsonfast.loads(response.content)
    except ValueError:
        raise ServerError(
            f"{info.label}: the shop answered {response.status_code} but the body is not valid JSON "
            f"({_snippet(response)!r}). Check that the shop URL points at the API "
            "(https://api.webshopapp.com or https://api.shoplightspeed.com) and run again.",
            status=response.status_code,
            method=info.method,
            path=info.path,
        ) from None
    if not isinstance(data, dict):
        raise ServerError(
            f"{info.label}: the shop answered with JSON that is not an object "
            f"({type(data).__name__}); this client cannot read it. Run again; if it persists, "
            "report it with this message.",
            status=response.status_code,
            method=info.method,
            path=info.path,
        )
    return data


def embedded_error(body: Mapping[str, Any]) -> tuple[int | None, Mapping[str, Any]] | None:
    """``(code, error)`` if a 2xx body carries an ``error`` key (the official client fails then)."""
    error = body.get("error")
    if isinstance(error, Mapping) and error:
        code = error.get("code")
        return (code if isinstance(code, int) and not isinstance(code, bool) else None), error
    if isinstance(error, str) and error:
        return None, {"message": error}
    return None


def error_for_status(status: int, body: Mapping[str, Any], reason: str, info: RequestInfo) -> ApiError:
    """The exception for a failed answer; ``body`` is its JSON object (``{}`` if none)."""
    said = _shop_message(body) or reason
    kw: dict[str, Any] = {"status": status, "method": info.method, "path": info.path}
    if status == 401:
        return AuthError(
            f"{info.label}: The shop refused the API key (401 Access denied). "
            "Check ECOMGIT_API_KEY and ECOMGIT_API_SECRET.",
            **kw,
        )
    if status == 403:
        access = "read" if info.method == "GET" else "write"
        return PermissionDeniedError(
            f"{info.label}: the API key lacks the {access} permission for '{info.resource}' "
            f"(403 {said}). Give the key {access} access to {info.resource} in the shop's back "
            "office (Settings > Developers) and run again.",
            **kw,
        )
    if status == 404:
        return NotFoundError(
            f"{info.label}: not found (404 {said}). Either the id does not exist (any more) or "
            f"the language '{info.lang}' is not active in the shop; check the id and the "
            "configured languages.",
            **kw,
        )
    if status == 429:
        return RateLimitError(
            f"{info.label}: the shop's rate limit is exceeded (429 {said}). Wait a few minutes and "
            "run again (a sync or push continues where it stopped).",
            **kw,
        )
    if 400 <= status < 500:
        fields = _field_errors(body)
        detail = f"; {fields}" if fields else ""
        return RejectedError(
            f"{info.label}: the shop rejected the request ({status} {said}{detail}). "
            "Fix the data it names and run again.",
            **kw,
        )
    if status >= 500:
        return ServerError(
            f"{info.label}: the shop answered {status} ({said}). Lightspeed is having trouble; run again later.",
            **kw,
        )
    return ApiError(
        f"{info.label}: unexpected answer {status} ({said}). Check that the shop URL is the API's "
        "base URL and run again.",
        **kw,
    )


def _shop_message(body: Mapping[str, Any]) -> str:
    error = body.get("error")
    if isinstance(error, Mapping):
        message = error.get("message")
        return message.strip() if isinstance(message, str) else ""
    if isinstance(error, str):
        return error.strip()
    message = body.get("message")
    return message.strip() if isinstance(message, str) else ""


def _field_errors(body: Mapping[str, Any]) -> str:
    """``"title: is empty; price: not a number"`` from an ``errors`` map or list, if any."""
    error = body.get("error")
    errors = error.get("errors") if isinstance(error, Mapping) else None
    if errors is None:
        errors = body.get("errors")
    if isinstance(errors, Mapping):
        return "; ".join(f"{field}: {_text(problem)}" for field, problem in errors.items())
    if isinstance(errors, list):
        return "; ".join(_text(problem) for problem in errors)
    return ""


def _text(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, Mapping):
        message = value.get("message")
        field = value.get("field")
        if isinstance(message, str):
            return f"{field}: {message}" if isinstance(field, str) else message
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _snippet(response: httpx.Response) -> str:
    text = response.content[:_SNIPPET].decode("utf-8", errors="replace")
    return " ".join(text.split())


def shop_body(response: httpx.Response) -> dict[str, Any]:
    """The JSON object of an error answer, or ``{}`` when its body is not one."""
    try:
        data = json.loads(response.content)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
