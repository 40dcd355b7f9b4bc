"""Where image bytes may come from, and how many of them.

An image's ``src`` is data the shop returns, and anyone who can edit the shop (an import, an app,
a compromised integration) can point it anywhere: at a host inside the user's network, at a
server that answers with gigabytes. So bytes are fetched only from

- the CDN hosts of Lightspeed eCom (``cdn.webshopapp.com`` for the eu1 cluster,
  ``cdn.shoplightspeed.com`` for us1: shared/ecom-api.md §1 and every sample payload);
- the API's own host (the emulator serves its CDN there; a real API host serves no images);
- any loopback host, only when the API itself is on loopback (the emulator and tests);

each redirect is judged the same way, downloads never carry the API credentials (the client sends
them only with API requests), and a body is read in chunks and abandoned as soon as it passes the
cap, whatever its ``Content-Length`` said, or once the whole download has taken longer than
:data:`DOWNLOAD_SECONDS` (the read timeout is per chunk: a body that trickles in a byte at a time
would otherwise hold a sync for days).
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Iterable

import httpx

from ecomgit.ids import parse_id

CDN_HOSTS = frozenset({"cdn.webshopapp.com", "cdn.shoplightspeed.com"})
DEFAULT_LIMIT = 50 * 1024 * 1024  # bytes: far above any product photo the shop accepts
DOWNLOAD_SECONDS = 120.0  # for one image, redirects included: 50 MB at 3 Mbit/s
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


class ImageHosts:
    """The hosts image bytes may be fetched from, for a shop whose API is at ``api_url``."""

    def __init__(self, api_url: str) -> None:
        api = httpx.URL(api_url)
        self.api_host = (api.host or "").lower()
        self.loopback = is_loopback(self.api_host)

    def refusal(self, url: httpx.URL) -> str | None:
        """Why bytes are not fetched from ``url``, or ``None`` when they may be."""
        host = (url.host or "").lower()
        if url.scheme not in ("http", "https"):
            return f"its address is not http(s) ({url.scheme or 'no scheme'})"
        if host in CDN_HOSTS or host == self.api_host or (self.loopback and is_loopback(host)):
            return None
        return f"host {host or '(none)'} is not the shop's CDN ({', '.join(sorted(CDN_HOSTS))})"


def is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class TooLarge(Exception):
    """The body passed the cap: its declared length said so, or the bytes read passed it."""

    def __init__(self, size: int, declared: bool) -> None:
        super().__init__(size)
        self.size = size
        self.declared = declared

    def detail(self, limit: int) -> str:
        said = f"its Content-Length is {megabytes(self.size)}" if self.declared else "more was sent"
        return f"larger than the {megabytes(limit)} limit ({said})"


class TooSlow(Exception):
    """The download was still arriving at its deadline."""

    def __init__(self, size: int, seconds: float) -> None:
        super().__init__(size)
        self.size = size
        self.seconds = seconds

    def detail(self) -> str:
        return f"still arriving after {self.seconds:g} s ({megabytes(self.size)} read)"


def read_capped(
    response: httpx.Response,
    limit: int,
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> bytes:
    """The body of a streamed ``response``, refused (:class:`TooLarge`) past ``limit`` bytes:
    at once when its ``Content-Length`` says so, else when the bytes read pass it; and
    (:class:`TooSlow`) when a chunk arrives after ``deadline`` (a ``clock()`` time)."""
    declared = response.headers.get("Content-Length", "")
    size = parse_id(declared)
    if size is not None and size > limit:
        raise TooLarge(size, True)
    return _collect(response.iter_bytes(), limit, deadline, clock)


def _collect(
    chunks: Iterable[bytes], limit: int, deadline: float | None = None, clock: Callable[[], float] = time.monotonic
) -> bytes:
    parts: list[bytes] = []
    size = 0
    started = clock()
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise TooLarge(size, False)
        if deadline is not None and clock() > deadline:
            raise TooSlow(size, round(clock() - started, 1))
        parts.append(chunk)
    return b"".join(parts)


def megabytes(size: int) -> str:
    """``size`` bytes in words: ``52.4 MB``, ``10.2 KB``, ``146 bytes``."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{size / 1024:.1f} KB" if size >= 1024 else f"{size} bytes"
