"""The CDN: image bytes by file id, at the original or a resized path (the same bytes)."""

from __future__ import annotations

import re

from ecomgit.emulator.faults import CdnFaults
from ecomgit.emulator.store import Shop
from ecomgit.emulator.wsgi import Response

_PATH = re.compile(r"^/cdn/shops/(?P<shop>[^/]+)/files/(?P<file>\d+)/(?:\d+x\d+x\d+/)?[^/]+$")
_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "svg": "image/svg+xml",
}


def cdn_response(shop: Shop, method: str, path: str, faults: CdnFaults | None = None) -> Response:
    """The file's bytes; the name in the URL is cosmetic, as on the real CDN. ``faults`` may
    answer for a file instead (see :class:`~ecomgit.emulator.faults.CdnFaults`)."""
    match = _PATH.match(path)
    if method not in ("GET", "HEAD"):
        return _plain(405, "Method not allowed")
    if match is None or match["shop"] != str(shop.info.id):
        return _plain(404, "Not found")
    image = shop.files.get(int(match["file"]))
    if image is None:
        return _plain(404, "Not found")
    data = shop.image_bytes(image)
    content_type = _TYPES.get(image.ext.lower(), "application/octet-stream")
    faulty = faults.pick(image.file_id, data, [("Content-Type", content_type)]) if faults is not None else None
    if faulty is not None:
        return faulty
    headers = [("Content-Type", content_type), ("Content-Length", str(len(data)))]
    return Response(200, b"" if method == "HEAD" else data, headers)


def _plain(status: int, text: str) -> Response:
    return Response(status, text.encode(), [("Content-Type", "text/plain; charset=utf-8")])
