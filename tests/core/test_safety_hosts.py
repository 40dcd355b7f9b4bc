"""Credentials go only to the host they belong to (issue 12, item 11).

An attacker who can change ``api_url`` (a pull request editing ``.ecomgit/config.yaml``, a pasted
``--api-url``) must not receive the key and secret. The hostile names below are made to resolve to
a real listening socket on this machine that records every connection and ``Authorization``
header, so a test fails the moment a command would really have connected.
"""

from __future__ import annotations

import base64
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.api.hosts import TRUST_ENV
from ecomgit.emulator import EmulatorApp, running, synthetic_shop
from ecomgit.errors import ApiError, ConfigError
from ecomgit.mirror import files, layout
from ecomgit.shop import Repo
from tests.mainrun import Outcome, Run, run_main
from tests.write.conftest import KUSTWEG, edit

KEY = "hosts-key-0123456789abcdef012345"
SECRET = "hosts-secret-never-sent-0123456789"
TOKEN = base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
HOSTILE_NAMES = {"api.webshopapp.com.evil.test", "evil.test", "127.0.0.1.nip.io", "api.webshopapp.com", "0.0.0.0"}


@dataclass
class Listener:
    """A socket on loopback that every hostile name resolves to; it records what reached it."""

    port: int
    resolved: list[str] = field(default_factory=list)  # hostile names a connection was attempted to
    connections: list[str] = field(default_factory=list)
    authorizations: list[str] = field(default_factory=list)


class _Recording(HTTPServer):
    listener: Listener

    def process_request(self, request: Any, client_address: Any) -> None:
        self.listener.connections.append(str(client_address))
        super().process_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a TLS hello to a plain HTTP socket: the connection itself is what counts


class _Handler(BaseHTTPRequestHandler):
    server: _Recording

    def _answer(self) -> None:
        self.server.listener.authorizations.append(self.headers.get("Authorization", ""))
        body = b'{"error": {"code": 401, "message": "no"}}'
        self.send_response(401)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def listener(monkeypatch: pytest.MonkeyPatch) -> Iterator[Listener]:
    server = _Recording(("127.0.0.1", 0), _Handler)
    found = Listener(int(server.server_address[1]))
    server.listener = found
    real = socket.getaddrinfo

    def resolve(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.lower().rstrip(".") in HOSTILE_NAMES:
            found.resolved.append(name)
            return real("127.0.0.1", found.port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("ECOMGIT_API_KEY", KEY)
    monkeypatch.setenv("ECOMGIT_API_SECRET", SECRET)

    def call(*args: str) -> Outcome:
        return run_main(capsys, monkeypatch, *args)

    return call


def point_config_at(repo: Repo, url: str) -> None:
    """What a pull request that edits ``.ecomgit/config.yaml`` leaves on the default branch."""
    path = repo.root / layout.CONFIG_FILE
    text = path.read_text(encoding="utf-8")
    data = files.read_yaml(path)
    assert isinstance(data, dict)
    path.write_text(text.replace(f"api_url: {data['api_url']}", f"api_url: {url}"), encoding="utf-8")
    gitrepo.stage(repo.root, [layout.CONFIG_FILE])
    gitrepo.commit(repo.root, "Point the mirror at a faster API\n")


def assert_refused(outcome: Outcome, host: str, listener: Listener) -> None:
    assert outcome.code == 1, outcome.text
    [line] = outcome.err.strip().splitlines()
    assert host in line and TRUST_ENV in line and "Traceback" not in outcome.text
    assert KEY not in outcome.text and SECRET not in outcome.text
    assert listener.resolved == [] and listener.connections == [] and listener.authorizations == []


HOSTILE_URLS = [
    ("https://api.webshopapp.com.evil.test", "api.webshopapp.com.evil.test"),
    ("http://127.0.0.1.nip.io:8123", "127.0.0.1.nip.io"),
    ("http://api.webshopapp.com", "api.webshopapp.com"),  # the real host, but in clear text
    ("http://0.0.0.0:8123", "0.0.0.0"),
    ("https://evil.test#api.webshopapp.com", "evil.test"),
]


# -- through the CLI: sync, push, restore, init -------------------------------------------------------


@pytest.mark.parametrize(("url", "host"), HOSTILE_URLS)
def test_sync_refuses_a_config_that_points_elsewhere_before_connecting(
    synced: Repo, listener: Listener, run: Run, monkeypatch: pytest.MonkeyPatch, url: str, host: str
) -> None:
    point_config_at(synced, url)
    monkeypatch.chdir(synced.root)
    assert_refused(run("sync"), host, listener)


def test_push_and_restore_refuse_it_too(
    synced: Repo, listener: Listener, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(synced, KUSTWEG, lambda data: data["title"].update(nl="Kustweg, herschreven"))
    point_config_at(synced, "https://api.webshopapp.com.evil.test")
    monkeypatch.chdir(synced.root)
    assert_refused(run("push", "--yes"), "api.webshopapp.com.evil.test", listener)
    assert_refused(run("restore", str(KUSTWEG), "--rev", "HEAD~2", "--yes"), "api.webshopapp.com.evil.test", listener)


def test_init_refuses_an_api_url_elsewhere_and_creates_nothing(tmp_path: Path, listener: Listener, run: Run) -> None:
    target = tmp_path / "new-mirror"
    assert_refused(run("init", str(target), "--api-url", "https://evil.test"), "evil.test", listener)
    assert not target.exists()


def test_only_the_exact_host_in_the_environment_is_trusted(
    synced: Repo, listener: Listener, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_config_at(synced, f"http://evil.test:{listener.port}")
    monkeypatch.chdir(synced.root)
    monkeypatch.setenv(TRUST_ENV, "other.evil.test")  # a different (parent-looking) name trusts nothing
    assert_refused(run("sync"), "evil.test", listener)
    monkeypatch.setenv(TRUST_ENV, "EVIL.test")  # the user's explicit choice: now it is used
    outcome = run("sync")
    assert (
        outcome.code == 1
        and listener.resolved
        and listener.authorizations == [f"Basic {TOKEN}"] * len(listener.authorizations)
    )


def test_a_trusted_host_named_in_the_repository_is_not_trusted(
    synced: Repo, listener: Listener, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The environment is the only source: not the config, not a dotenv file in the repository."""
    point_config_at(synced, "https://evil.test")
    config = synced.root / layout.CONFIG_FILE
    config.write_text(config.read_text(encoding="utf-8") + "trusted_api_host: evil.test\n", encoding="utf-8")
    (synced.root / ".env").write_text(f"{TRUST_ENV}=evil.test\n", encoding="utf-8")
    gitrepo.stage(synced.root, [layout.CONFIG_FILE, ".env"])
    gitrepo.commit(synced.root, "Trust my host\n")
    monkeypatch.chdir(synced.root)
    assert_refused(run("sync"), "evil.test", listener)


# -- the client itself: every construction passes the check -------------------------------------------

REFUSED = [
    "https://api.webshopapp.com.evil.test",
    "https://api.shoplightspeed.com.evil.test",
    "https://evil.test#api.webshopapp.com",
    "https://evil.test/?api.webshopapp.com",
    "https://api.webshopapp.com@evil.test",
    "https://user:password@evil.test",
    "https://api.webshopapp.com%2F@evil.test",
    "https://api.webshopapp.com:8443",
    "http://api.webshopapp.com",
    "http://api.shoplightspeed.com:443",
    "https://api.webshopapp.com.",  # a trailing dot is another name to TLS and to proxies
    "https://api.webshop\u0430pp.com",  # Cyrillic 'а'
    "http://127.0.0.1.nip.io",
    "http://localhost.evil.test",
    "http://0.0.0.0:8123",
    "http://10.0.0.1",
    "ftp://api.webshopapp.com",
    "https://api%2Ewebshopapp.com",
    "https://api.webshopapp.com:443@evil.test",
    "https://evil.test#@api.webshopapp.com",
    "http://2130706433",  # 127.0.0.1 to some resolvers, a name to others
    "http://[::ffff:127.0.0.1]",
]


@pytest.mark.parametrize("url", REFUSED)
def test_a_client_for_any_other_host_cannot_be_made(url: str) -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"languages": []})

    transport = httpx.MockTransport(record)
    with pytest.raises(ConfigError) as caught, ShopClient(url, language="nl", key=KEY, transport=transport) as client:
        client.get("languages")
    assert sent == []
    message = str(caught.value)
    assert KEY not in message and SECRET not in message and "password" not in message


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("https://API.WebShopApp.COM:443/", "https://api.webshopapp.com"),
        ("https://api.shoplightspeed.com", "https://api.shoplightspeed.com"),
        ("http://127.0.0.1:8123/", "http://127.0.0.1:8123"),
        ("http://127.9.8.7:1", "http://127.9.8.7:1"),
        ("http://[::1]:8123", "http://[::1]:8123"),
        ("http://LOCALHOST:8123", "http://localhost:8123"),
        ("https://127.0.0.1:8443", "https://127.0.0.1:8443"),
    ],
)
def test_lightspeed_hosts_and_loopback_are_used_as_parsed(url: str, base: str) -> None:
    """The base the client keeps is rebuilt from the parsed URL: what was checked is what is sent."""
    with ShopClient(url, language="nl", transport=httpx.MockTransport(lambda r: httpx.Response(200))) as client:
        assert client.base_url == base


def test_the_refusal_names_the_host_and_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError) as caught:
        ShopClient("https://api.webshopapp.com.evil.test:8443/x", language="nl")
    assert "api.webshopapp.com.evil.test:8443" in str(caught.value) and f"{TRUST_ENV}=" in str(caught.value)
    monkeypatch.setenv(TRUST_ENV, "api.webshopapp.com.evil.test")
    ShopClient("https://api.webshopapp.com.evil.test:8443/x", language="nl").close()


def test_a_redirect_is_never_followed_with_the_credentials() -> None:
    """Guard (httpx's ``follow_redirects=False``, kept on purpose): a 3xx to another host is an error."""
    sent: list[httpx.Request] = []

    def shop(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(302, headers={"Location": "https://evil.test/nl/languages.json"})

    with (
        ShopClient(
            "https://api.webshopapp.com", language="nl", key=KEY, secret=SECRET, transport=httpx.MockTransport(shop)
        ) as client,
        pytest.raises(ApiError),
    ):
        client.get("languages")
    assert [r.url.host for r in sent] == ["api.webshopapp.com"]


# -- a proxy from the environment never sees the emulator's credentials --------------------------------


def test_loopback_requests_bypass_an_http_proxy(listener: Listener, monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``HTTP_PROXY`` set, plain-http requests to the emulator would otherwise go to the proxy, with
    the Basic header in clear text."""
    monkeypatch.setenv("HTTP_PROXY", f"http://evil.test:{listener.port}")
    monkeypatch.setenv("NO_PROXY", "")
    app = EmulatorApp(synthetic_shop(1), api_key=KEY, api_secret=SECRET, rate_limit=None)
    with running(app) as url, ShopClient(url, language="nl", key=KEY, secret=SECRET) as client:
        assert client.count("products") == 1
    assert listener.connections == [] and listener.authorizations == []


# -- proxy settings: never a way around the host check, never a crash (attack round 2) ----------------
#
# A plain-http API host (loopback, or one the user trusts with ECOMGIT_TRUSTED_API_HOST) reached
# through ``HTTP_PROXY`` hands that proxy the Basic header in clear text; a proxy URL httpx cannot use
# (SOCKS without ``socksio``, ``ftp://``, a bad port) crashed every command that talks to the shop.


PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def test_a_trusted_plain_http_host_bypasses_the_proxy(
    listener: Listener, monkeypatch: pytest.MonkeyPatch, no_proxy_env: None
) -> None:
    """The user trusts the API host, not whoever runs the proxy: the Basic header in clear text
    never goes to the proxy (an ``https://`` host goes through it as a CONNECT tunnel, which is fine)."""
    app = EmulatorApp(synthetic_shop(1), api_key=KEY, api_secret=SECRET, rate_limit=None)
    with running(app) as url:
        port = url.rsplit(":", 1)[1]
        monkeypatch.setenv("HTTP_PROXY", f"http://evil.test:{listener.port}")
        monkeypatch.setenv(TRUST_ENV, "trusted.internal")
        real = __import__("socket").getaddrinfo

        def resolve(host: object, *args: object, **kwargs: object) -> object:
            name = host.decode() if isinstance(host, bytes) else str(host)
            return real("127.0.0.1" if name == "trusted.internal" else host, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr("socket.getaddrinfo", resolve)
        with ShopClient(f"http://trusted.internal:{port}", language="nl", key=KEY, secret=SECRET) as client:
            assert client.count("products") == 1
    assert listener.connections == [] and listener.authorizations == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ALL_PROXY", "socks5://127.0.0.1:9"),  # socksio is not installed
        ("HTTPS_PROXY", "ftp://proxy.example:21"),
        ("https_proxy", "socks4://127.0.0.1:9"),
        ("HTTPS_PROXY", "http://proxy.example:notaport"),
    ],
)
def test_an_unusable_proxy_setting_is_one_line_not_a_crash(
    synced: Repo, run: Run, monkeypatch: pytest.MonkeyPatch, no_proxy_env: None, name: str, value: str
) -> None:
    point_config_at(synced, "https://api.webshopapp.com")
    monkeypatch.chdir(synced.root)
    monkeypatch.setenv(name, value)
    for args in (("sync",), ("push", "--yes")):
        outcome = run(*args)
        assert outcome.code == 1, outcome.text
        [line] = outcome.err.strip().splitlines()
        assert name in line and "proxy" in line and "Traceback" not in outcome.text, line
        assert KEY not in outcome.text and SECRET not in outcome.text


def test_the_client_refuses_it_with_a_config_error(monkeypatch: pytest.MonkeyPatch, no_proxy_env: None) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://user:proxy-pass@proxy.example:notaport")
    with pytest.raises(ConfigError) as caught:
        ShopClient("https://api.webshopapp.com", language="nl", key=KEY, secret=SECRET)
    assert "HTTPS_PROXY" in str(caught.value) and "proxy-pass" not in str(caught.value)


# -- round two, item 11: a loopback api_url gets no credentials unless the environment names it ---------


@pytest.mark.parametrize("command", [["sync"], ["push", "--yes"], ["restore", str(KUSTWEG), "--rev", "HEAD", "--yes"]])
def test_a_committed_loopback_url_gets_no_credentials(
    synced: Repo, listener: Listener, run: Run, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """A pull request points api_url at a local port where something else listens (another user's
    process, a forwarded port): the real key in the environment must not reach it."""
    monkeypatch.delenv(TRUST_ENV)
    edit(synced, KUSTWEG, lambda data: data["description"].update(en="Reviewed."))
    point_config_at(synced, f"http://127.0.0.1:{listener.port}")
    monkeypatch.chdir(synced.root)
    outcome = run(*command)
    assert listener.connections, "the loopback address is still asked (without credentials)"
    assert set(listener.authorizations) == {""}, listener.authorizations
    assert outcome.code == 1 and KEY not in outcome.text and SECRET not in outcome.text
    assert f"{TRUST_ENV}=127.0.0.1:{listener.port}" in outcome.err  # what to set, if it is the user's emulator


def test_a_loopback_port_the_environment_names_gets_them(
    synced: Repo, listener: Listener, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_config_at(synced, f"http://127.0.0.1:{listener.port}")
    monkeypatch.chdir(synced.root)
    monkeypatch.setenv(TRUST_ENV, f"127.0.0.1:{listener.port + 1}")  # another port: not this one
    run("sync")
    assert listener.authorizations and set(listener.authorizations) == {""}
    listener.authorizations.clear()
    monkeypatch.setenv(TRUST_ENV, f"127.0.0.1:{listener.port}")
    outcome = run("sync")
    assert outcome.code == 1 and listener.authorizations == [f"Basic {TOKEN}"] * len(listener.authorizations)
    assert "The shop refused the API key" in outcome.err  # credentials were sent, and refused


def test_the_demo_emulator_needs_no_trust(
    synced: Repo, run: Run, monkeypatch: pytest.MonkeyPatch, app: EmulatorApp
) -> None:
    """The README's emulator flows (no --api-key) work as before, with real keys in the environment."""
    monkeypatch.delenv(TRUST_ENV)
    with running(app) as url:
        point_config_at(synced, url)
        monkeypatch.chdir(synced.root)
        outcome = run("sync")
    assert outcome.code == 0, outcome.text
