"""Over a real socket: the threaded server, absolute URLs from the Host header, dropped connections."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from ecomgit.emulator import EmulatorApp, Shop, running


def test_serves_over_a_socket(tiny_shop: Shop) -> None:
    with running(EmulatorApp(tiny_shop, rate_limit=None)) as base_url, httpx.Client(base_url=base_url) as client:
        assert base_url.startswith("http://127.0.0.1:")
        response = client.get("/nl/products/65626325.json")
        assert response.status_code == 200 and "X-RateLimit-Remaining" in response.headers
        src = response.json()["product"]["image"]["src"]
        assert src.startswith(f"{base_url}/cdn/shops/4242/files/")
        assert client.get(src).content[:4] == b"\x89PNG"
        created = client.post("/nl/products.json", json={"product": {"title": "Over TCP"}})
        assert created.status_code == 201


def test_dropped_connections(tiny_shop: Shop) -> None:
    app = EmulatorApp(tiny_shop, rate_limit=None, fail_rate=1.0, seed=4)
    outcomes = []
    with running(app) as base_url, httpx.Client(base_url=base_url) as client:
        for _ in range(16):
            try:
                outcomes.append(client.get("/nl/products.json").status_code)
            except httpx.TransportError as exc:
                outcomes.append(type(exc).__name__)
    assert "RemoteProtocolError" in outcomes
    assert set(outcomes) - {"RemoteProtocolError"} <= {500, 502, 503}


@pytest.mark.e2e
def test_serve_is_quiet_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    script = (  # Ctrl-C as a terminal sends it, even when this suite runs where SIGINT is ignored (a background job)
        "import signal; signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "from ecomgit.emulator import EmulatorApp, serve, synthetic_shop\n"
        "serve(EmulatorApp(synthetic_shop(3)), ready=lambda url: print(url, flush=True))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    with subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        url = process.stdout.readline().strip()
        assert httpx.get(f"{url}/nl/products/count.json").json() == {"count": 3}
        assert httpx.get(f"{url}/nl/nothing.json").status_code == 404
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        assert process.stderr.read() == ""
