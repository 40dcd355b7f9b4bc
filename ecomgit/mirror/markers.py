"""Images the shop has but the mirror could not fetch: "not fetched" is not "none".

When the CDN will not give an image, sync still lists it in ``images:``, as a *marker* instead of a
file: ``{notFetched: <the file name it will have>, title: <its title>, id: <productImage id>, fileId: <CDN
file id>}``.
So a revision synced during a CDN outage still says which images the shop had, and a write of that
revision keeps them (it knows them by their shop file id, never by bytes it does not hold). The
next sync that can fetch the image replaces the marker with the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

NOT_FETCHED = "notFetched"
KEYS = (NOT_FETCHED, "title", "id", "fileId")
_IDENT = "fileId:"  # the identity of an image known only by its shop file id


def is_marker(image: object) -> bool:
    return isinstance(image, Mapping) and NOT_FETCHED in image and "file" not in image


def name(image: object) -> str | None:
    """The name an image entry goes by: its file, or the file a marker will have once fetched."""
    if not isinstance(image, Mapping):
        return None
    value = image.get(NOT_FETCHED) if is_marker(image) else image.get("file")
    return value if isinstance(value, str) else None


def marker(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The marker for a listed image whose file could not be fetched."""
    out = {NOT_FETCHED: entry.get("file"), "id": entry.get("id"), "fileId": entry.get("fileId")}
    return {**out, "title": entry["title"]} if "title" in entry else out


def ident(file_id: int) -> str:
    """The identity of an image the mirror holds no bytes of: its shop file id."""
    return f"{_IDENT}{file_id}"


def is_ident(value: object) -> bool:
    return isinstance(value, str) and value.startswith(_IDENT)


def idents(images: Iterable[object]) -> dict[str, str]:
    """Marker name → identity, for the markers among ``images``."""
    return {
        str(image[NOT_FETCHED]): ident(image["fileId"])
        for image in images
        if is_marker(image) and isinstance(image, Mapping) and isinstance(image.get("fileId"), int)
    }


def keys(image: object) -> tuple[str, ...]:
    """The key order of an image entry."""
    return KEYS if is_marker(image) else ("file", "title", "id", "fileId")
