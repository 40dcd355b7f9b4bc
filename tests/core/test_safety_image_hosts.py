"""Image bytes come only from the shop's CDN, never more than the cap, and never stop the mirror.

An image ``src`` is shop data anyone with access to the shop can set: a host inside the user's
network, a server that answers gigabytes. The sync refuses such an image (one line naming the
product, the image and the host, before any connection) and goes on, as for an image the CDN
refuses (tests/core/test_safety_images.py). The cap holds while the body streams in.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from ecomgit.api import ShopClient, cdn
from ecomgit.emulator import EmulatorApp, running, synthetic_shop
from ecomgit.errors import ImageRefusedError
from ecomgit.init import init_repo
from ecomgit.mirror import files, layout
from ecomgit.shop import open_repo
from ecomgit.sync.run import run_sync
from tests.mainrun import Outcome, Run, run_main

FOREIGN = "images.attacker.test"


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    return lambda *args: run_main(capsys, monkeypatch, *args)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def first_image_ids(root: Path, pid: int) -> list[int]:
    path = next(root.glob(f"{layout.PRODUCTS_DIR}/{pid}-*/{layout.PRODUCT_FILE}"))
    return [image["fileId"] for image in files.read_product(path)["images"] if "file" in image]  # fetched ones


def one_refusal(outcome: Outcome, *needles: str) -> str:
    assert outcome.code == 0, outcome.text
    lines = [line for line in outcome.out.splitlines() if "not fetched" in line]
    assert len(lines) == 1, outcome.text
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


# -- a src on another host ---------------------------------------------------------------------------


class Recording(httpx.BaseTransport):
    """The in-process emulator, noting the host of every request it is sent."""

    def __init__(self, app: EmulatorApp) -> None:
        self.inner = httpx.WSGITransport(app=app)
        self.hosts: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.hosts.append(request.url.host)
        return self.inner.handle_request(request)


def test_an_image_on_a_foreign_host_is_refused_before_any_connection(tmp_path: Path) -> None:
    shop = synthetic_shop(3)
    pid = min(shop.products)
    image = shop.products[pid].images[0]
    image.host = FOREIGN  # the API lists its src on another host
    transport = Recording(EmulatorApp(shop, rate_limit=None))
    root = tmp_path / "mirror"
    with ShopClient("http://localhost", language="nl", transport=transport) as client:
        init_repo(root, "http://localhost", [], client)
        summary = run_sync(open_repo(root), client)
    assert FOREIGN not in transport.hosts  # the transport would have answered it: it was never asked
    assert summary.commit is not None and summary.products == 3
    assert [(u.product_id, u.file_id) for u in summary.unfetched] == [(pid, image.file_id)]
    assert f"host {FOREIGN} is not the shop's CDN" in summary.unfetched_lines[0]
    assert image.file_id not in first_image_ids(root, pid)
    assert len(first_image_ids(root, pid)) == len(shop.products[pid].images) - 1  # the others are there


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[EmulatorApp, Path]]:
    app = EmulatorApp(synthetic_shop(3), rate_limit=None)
    with running(app) as url:
        root = tmp_path / "mirror"
        with ShopClient(url, language="nl") as client:
            init_repo(root, url, [], client)
        monkeypatch.chdir(root)
        yield app, root


def test_the_cli_names_product_image_and_host_and_goes_on(served: tuple[EmulatorApp, Path], run: Run) -> None:
    app, root = served
    pid = min(app.shop.products)
    app.shop.products[pid].images[0].host = FOREIGN
    line = one_refusal(run("sync"), f"product {pid}", "01-", f"host {FOREIGN}", "next sync")
    assert "Traceback" not in line
    assert git(root, "status", "--porcelain") == ""
    assert run("push", "--dry-run").code == 0  # nothing left unfinished


# -- the size cap ------------------------------------------------------------------------------------


def lower_the_cap(root: Path, megabytes: float) -> None:
    config = root / ".ecomgit" / "config.yaml"
    text = config.read_text()
    assert "  maxDownloadMB: 50\n" in text  # init writes the default
    config.write_text(text.replace("  maxDownloadMB: 50\n", f"  maxDownloadMB: {megabytes}\n"))
    git(root, "commit", "-qam", "Images: a lower download limit")


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "no-length"])
def test_an_oversized_image_is_refused_while_it_streams(
    served: tuple[EmulatorApp, Path], run: Run, declared: bool
) -> None:
    app, root = served
    lower_the_cap(root, 0.01)  # 10 KB; the shop's images are a few hundred bytes
    pid = min(app.shop.products)
    image = app.shop.products[pid].images[0]
    app.cdn_faults.inflate(image.file_id, 3 * 1024 * 1024, declared=declared)
    said = "its Content-Length is 3.0 MB" if declared else "more was sent"
    one_refusal(run("sync"), f"product {pid}", "larger than the 10.2 KB limit", said)
    assert image.file_id not in first_image_ids(root, pid)
    app.cdn_faults.heal(image.file_id)
    assert "not fetched" not in run("sync").out
    assert image.file_id in first_image_ids(root, pid)


def test_the_cap_stops_reading_a_body_without_a_length() -> None:
    sent: list[int] = []

    def body() -> Iterator[bytes]:
        for number in range(1000):  # 64 MB in all, if anyone read it
            sent.append(number)
            yield b"\0" * 65536

    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body()))
    client = ShopClient("https://api.webshopapp.com", language="nl", transport=transport)
    with client, pytest.raises(ImageRefusedError, match=r"larger than the 1.0 MB limit \(more was sent\)"):
        client.download("https://cdn.webshopapp.com/shops/1/files/2/a.jpg", limit=1024 * 1024)
    assert len(sent) <= 17  # 1 MB and one chunk past it


# -- which hosts ---------------------------------------------------------------------------------------


REAL_SHOP = {  # the API on a Lightspeed host: only the Lightspeed CDN hosts
    "https://cdn.webshopapp.com/shops/1/files/2/a.jpg": True,
    "https://cdn.shoplightspeed.com/shops/1/files/2/a.jpg": True,
    "//cdn.shoplightspeed.com/shops/1/files/2/a.jpg": True,
    "http://169.254.169.254/latest/meta-data/": False,  # cloud metadata
    "http://127.0.0.1:8080/a.jpg": False,
    "http://localhost/a.jpg": False,
    "https://cdn.webshopapp.com.attacker.test/a.jpg": False,
    "file:///etc/passwd": False,
}
EMULATOR = {  # the API on loopback: loopback CDNs too
    "http://127.0.0.1:6000/cdn/a.jpg": True,
    "http://localhost:6000/cdn/a.jpg": True,
    "https://cdn.webshopapp.com/shops/1/files/2/a.jpg": True,
    f"http://{FOREIGN}/a.jpg": False,
    "http://10.0.0.1/a.jpg": False,
}


@pytest.mark.parametrize(
    ("api", "cases"), [("https://api.webshopapp.com", REAL_SHOP), ("http://127.0.0.1:5000", EMULATOR)]
)
def test_only_the_shops_cdn_hosts_are_asked_for_image_bytes(api: str, cases: dict[str, bool]) -> None:
    asked: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        return httpx.Response(200, content=b"img")

    with ShopClient(api, language="nl", key="k", secret="s", transport=httpx.MockTransport(answer)) as client:
        for src, allowed in cases.items():
            asked.clear()
            if allowed:
                assert client.download(src) == b"img", src
                assert len(asked) == 1 and "Authorization" not in asked[0].headers, src
            else:
                with pytest.raises(ImageRefusedError, match="not fetched: "):
                    client.download(src)
                assert asked == [], src


def test_a_redirect_off_the_cdn_is_refused_without_following_it() -> None:
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        if request.url.host == "cdn.webshopapp.com":
            return httpx.Response(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
        return httpx.Response(200, content=b"secret metadata")

    client = ShopClient("https://api.webshopapp.com", language="nl", transport=httpx.MockTransport(answer))
    with client, pytest.raises(ImageRefusedError, match=r"host 169\.254\.169\.254 is not the shop's CDN"):
        client.download("https://cdn.webshopapp.com/shops/1/files/2/a.jpg")
    assert asked == ["https://cdn.webshopapp.com/shops/1/files/2/a.jpg"]


def test_a_cap_that_is_not_a_positive_number_is_a_config_error(served: tuple[EmulatorApp, Path], run: Run) -> None:
    _, root = served
    lower_the_cap(root, -1)
    result = run("sync")
    assert result.code == 1 and "Traceback" not in result.text
    assert "'images.maxDownloadMB' must be a number above 0" in result.err and "config.yaml" in result.err


# -- a body that never ends (attack round 2) -------------------------------------------------------------


class _Trickle(BaseHTTPRequestHandler):
    """A chunked answer that sends a byte every 50 ms, for ever: each read is well within the read
    timeout, so only a deadline for the whole download stops it."""

    protocol_version = "HTTP/1.1"
    abandoned = threading.Event()

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for _ in range(100_000):
                self.wfile.write(b"1\r\n\0\r\n")
                self.wfile.flush()
                time.sleep(0.05)
        except OSError:
            _Trickle.abandoned.set()  # the client gave up: what the test wants

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_a_body_that_trickles_for_ever_is_abandoned_at_the_deadline() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        _Trickle.abandoned.clear()
        refused = pytest.raises(ImageRefusedError, match=r"not fetched: still arriving after 1(\.\d)? s")
        with ShopClient(base, language="nl", timeout=5.0, download_seconds=1.0) as client, refused:
            client.download(f"{base}/cdn/a.jpg")  # the body lasts 83 minutes: only the deadline ends it
        # the connection was dropped, not left open (no timing asserted: a busy machine may be slow)
        assert _Trickle.abandoned.wait(timeout=60)
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def test_the_deadline_is_reported_like_any_refused_image_by_sync(
    served: tuple[EmulatorApp, Path], run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, root = served
    monkeypatch.setattr(cdn, "DOWNLOAD_SECONDS", 0.0)  # every download is past its deadline at once
    pid = min(app.shop.products)
    outcome = run("sync")
    assert outcome.code == 0, outcome.text
    assert "not fetched: still arriving after" in outcome.out and "Traceback" not in outcome.text
    assert str(pid) in outcome.out
