"""A local stand-in for the Lightspeed eCom (C-Series) API, served in-process or on a socket.

    shop = load_catalog(Path("sample-catalog"))      # or synthetic_shop(10_000)
    app = EmulatorApp(shop, rate_limit=None)         # a WSGI callable
    httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://emulator.test")
    with running(app) as base_url: ...               # or serve(app, port=8123)

See ``/work/shared/ecom-api.md`` for the API it imitates and ``docs/mirror-format.md`` for the
directories it loads.
"""

from __future__ import annotations

from ecomgit.emulator.app import EmulatorApp
from ecomgit.emulator.loader import load_catalog
from ecomgit.emulator.server import running, serve
from ecomgit.emulator.store import Shop
from ecomgit.emulator.synthetic import synthetic_shop

__all__ = ["EmulatorApp", "Shop", "load_catalog", "running", "serve", "synthetic_shop"]
