"""A tiny client for the emulator's admin endpoints (``/_emulator/...``), used by ``ecomgit emulator retail``.

Admin requests are not API requests: no credentials, no rate limit. Every failure becomes an
:class:`~ecomgit.errors.EcomgitError`, so the CLI prints one line instead of a traceback.
"""

from __future__ import annotations

from typing import Any

import httpx

from ecomgit.emulator.retail import ADMIN_PREFIX
from ecomgit.errors import ApiError, NotFoundError, RejectedError, TransportError

TIMEOUT = 30.0


def retail(base_url: str, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """POST ``payload`` to ``{base_url}/_emulator/retail/{action}.json``; the JSON answer."""
    path = f"{ADMIN_PREFIX}{action}.json"
    url = base_url.rstrip("/") + path
    try:
        response = httpx.post(url, json=payload, timeout=TIMEOUT)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise TransportError(
            f"cannot reach the emulator at {base_url} ({exc}); is `ecomgit emulator serve` running there?",
            method="POST",
            path=path,
        ) from None
    answer = _json(response)
    if response.status_code != 200:
        raise _error(response.status_code, _message(answer), path)
    if not isinstance(answer, dict):
        raise ApiError(f"{url} did not answer like the ecomgit emulator", status=response.status_code, path=path)
    return answer


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _message(answer: Any) -> str:
    error = answer.get("error") if isinstance(answer, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    return str(message) if message else "no error message"


def _error(status: int, message: str, path: str) -> ApiError:
    kind: type[ApiError] = ApiError
    if status == 404:
        kind = NotFoundError
    elif status in (400, 405):
        kind = RejectedError
    return kind(f"the emulator refused POST {path} ({status}): {message}", status=status, method="POST", path=path)
