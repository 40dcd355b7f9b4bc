"""API paths below the language segment (``products/5/images/7.json``) as routes."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NESTED = {
    "products": ("images", "metafields", "relations", "filtervalues", "attributes"),
    "variants": ("metafields", "image"),
    "filters": ("values",),
}
_TWO_SEGMENTS = ("categories/products", "tags/products", "types/attributes", "shop/limits", "account/ratelimit")
_DIGITS = re.compile(r"/\d+(?=/|\.json$)")


@dataclass(frozen=True, slots=True)
class Route:
    name: str  # registry key: "products", "products/images", "categories/products", …
    parent_id: int | None = None
    item_id: int | None = None
    count: bool = False
    bulk: bool = False


def parse_route(rest: str) -> Route | None:
    """The route for ``rest`` (the path after ``/{lang}/``), or ``None`` when there is none."""
    if not rest.endswith(".json"):
        return None
    segments = rest[: -len(".json")].split("/")
    parent_id = None
    if len(segments) >= 3 and segments[1].isdigit() and segments[2] in _NESTED.get(segments[0], ()):
        name, parent_id, tail = f"{segments[0]}/{segments[2]}", int(segments[1]), segments[3:]
    elif "/".join(segments[:2]) in _TWO_SEGMENTS:
        name, tail = "/".join(segments[:2]), segments[2:]
    else:
        name, tail = segments[0], segments[1:]
    if not tail:
        return Route(name, parent_id)
    if len(tail) > 1:
        return None
    if tail[0] == "count":
        return Route(name, parent_id, count=True)
    if tail[0] == "bulk":
        return Route(name, parent_id, bulk=True)
    if tail[0].isdigit():
        return Route(name, parent_id, item_id=int(tail[0]))
    return None


def path_pattern(path: str) -> str:
    """``/nl/products/5/images.json`` → ``/nl/products/{id}/images.json``, for statistics."""
    return _DIGITS.sub("/{id}", path)
