"""Security: where credentials come from, that they never leak, that the shop's names cannot escape
the mirror, TLS verification, safe YAML, and no shell anywhere."""

from __future__ import annotations

import ast
import base64
import copy
import functools
import inspect
import logging
import re
import shutil
import ssl
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import click
import httpx
import pytest

import ecomgit
from ecomgit import credentials
from ecomgit.api import ShopClient
from ecomgit.api.client import tls_context
from ecomgit.api.retry import RetryPolicy
from ecomgit.cli import main as cli_main
from ecomgit.cli.main import cli
from ecomgit.emulator import EmulatorApp, Shop, running, synthetic_shop
from ecomgit.emulator import cdn as emulator_cdn
from ecomgit.emulator.faults import Faults
from ecomgit.emulator.model import Image
from ecomgit.emulator.view import View
from ecomgit.errors import ApiError, CredentialsError, MirrorFileError
from ecomgit.init import init_repo
from ecomgit.mirror import files
from ecomgit.mirror.validate import check_file
from ecomgit.shop import open_repo
from ecomgit.sync.run import run_sync
from tests.mainrun import Outcome, Run, run_main
from tests.trees import copy_repo, pack

KEY = "sec-key-0123456789abcdef0123"
SECRET = "sec-secret-never-shown-9876543210"
TOKEN = base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()  # the Basic auth header's value
LEAKS = (KEY, SECRET, TOKEN)
PACKAGE = Path(ecomgit.__file__).resolve().parent


def leaks(text: str) -> list[str]:
    return [secret for secret in LEAKS if secret in text]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    def call(*args: str) -> Outcome:
        return run_main(capsys, monkeypatch, *args)

    return call


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


@dataclass
class Tiny:
    app: EmulatorApp
    url: str
    root: Path


@pytest.fixture(scope="module")
def tiny_server() -> Iterator[tuple[EmulatorApp, str]]:
    app = EmulatorApp(synthetic_shop(2), api_key=KEY, api_secret=SECRET, rate_limit=None)
    with running(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def tiny_template(tiny_server: tuple[EmulatorApp, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny shop's mirror, synced once (with the environment isolated like every test's)."""
    _, url = tiny_server
    base = tmp_path_factory.mktemp("security")
    with pytest.MonkeyPatch.context() as patch:
        gitconfig = base / "gitconfig"
        gitconfig.write_text("[user]\n\tname = Test\n\temail = test@example.test\n[init]\n\tdefaultBranch = main\n")
        patch.setenv("HOME", str(base))
        patch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        with ShopClient(url, language="nl", key=KEY, secret=SECRET) as client:
            init_repo(base / "mirror", url, [], client)
            run_sync(open_repo(base / "mirror"), client)
    return pack(base / "mirror")


@pytest.fixture
def tiny(tiny_server: tuple[EmulatorApp, str], tiny_template: Path, tmp_path: Path) -> Tiny:
    """A 2-product shop requiring KEY/SECRET on a loopback socket (fresh), and a copy of its synced mirror."""
    app, url = tiny_server
    app.shop = synthetic_shop(2)  # deterministic: the shop the template mirrors
    app.api_secret = SECRET
    app.faults = Faults(0.0)
    root = tmp_path / "mirror"
    copy_repo(tiny_template, root)
    return Tiny(app, url, root)


def write_credentials(path: Path, mode: int, key: str = KEY, secret: str = SECRET) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"key: {key}\nsecret: {secret}\n", encoding="utf-8")
    path.chmod(mode)
    return path


# -- 1. credentials: the environment, or a 0600 file outside the repository ---------------------------


def test_a_credentials_file_readable_by_others_is_refused(
    tiny: Tiny, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    head = git(tiny.root, "rev-parse", "HEAD")
    path = write_credentials(tmp_path / "outside" / "credentials", 0o644)
    monkeypatch.setenv(credentials.ENV_FILE, str(path))
    monkeypatch.chdir(tiny.root)
    result = run("sync")
    assert result.code == 1 and "Traceback" not in result.text
    assert f"Error: {path} is readable by others (mode 644); run 'chmod 600 {path}'" in result.err
    assert leaks(result.text) == []
    path.chmod(0o640)  # group-readable is refused too
    assert "(mode 640)" in run("sync").err
    path.chmod(0o600)
    assert run("sync", "-q").code == 0  # the same file, private: used (the shop requires KEY/SECRET)
    assert git(tiny.root, "rev-parse", "HEAD") == head


@pytest.mark.parametrize("kind", ["directory", "not utf-8"])
def test_a_credentials_path_that_cannot_be_read_is_one_line_not_a_crash(
    tiny: Tiny, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run, kind: str
) -> None:
    """A directory (mode 0700) or a file in another encoding was exit 3 with a crash log (attack round 2)."""
    path = tmp_path / "outside" / "credentials"
    if kind == "directory":
        path.mkdir(parents=True)
        path.chmod(0o700)
    else:
        write_credentials(path, 0o600)
        path.write_bytes(f"key: {KEY}\nsecret: \xff{SECRET}\n".encode("latin-1"))
    monkeypatch.setenv(credentials.ENV_FILE, str(path))
    monkeypatch.chdir(tiny.root)
    result = run("sync")
    assert result.code == 1 and "Traceback" not in result.text and "Unexpected error" not in result.text, result.text
    [line] = result.err.strip().splitlines()
    assert str(path) in line and leaks(result.text) == []


def test_the_default_credentials_file_must_be_private_too(
    tiny: Tiny, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path = write_credentials(tmp_path / "config" / "ecomgit" / "credentials", 0o604)
    monkeypatch.chdir(tiny.root)
    result = run("sync")
    assert result.code == 1 and f"{path} is readable by others (mode 604)" in result.err


def test_a_credentials_file_inside_the_repository_is_refused(
    tiny: Tiny, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    head = git(tiny.root, "rev-parse", "HEAD")
    inside = write_credentials(tiny.root / "shop" / "credentials", 0o600)
    monkeypatch.setenv(credentials.ENV_FILE, str(inside))
    monkeypatch.chdir(tiny.root / "products")  # a subfolder: the repository is still found
    for command in (["sync"], ["push", "--yes"], ["restore", "1", "--yes"]):
        result = run(*command)
        assert result.code == 1 and "Traceback" not in result.text
        assert f"{inside} is inside the repository; move it out (it must never be committed)" in result.err
        assert leaks(result.text) == []
    inside.unlink()
    assert git(tiny.root, "rev-parse", "HEAD") == head and git(tiny.root, "status", "--porcelain") == ""


def test_init_refuses_a_credentials_file_inside_the_new_repository(
    tiny: Tiny, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    target = tmp_path / "new-mirror"
    inside = write_credentials(target / "credentials", 0o600)
    monkeypatch.setenv(credentials.ENV_FILE, str(inside))
    monkeypatch.chdir(tmp_path)
    result = run("init", str(target), "--api-url", tiny.url)
    assert result.code == 1 and "is inside the repository; move it out" in result.err
    assert not (target / ".git").exists() and not (target / ".ecomgit").exists()


def test_credentials_never_go_into_the_config(
    tiny: Tiny, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    monkeypatch.chdir(tmp_path)
    with_userinfo = tiny.url.replace("http://", f"http://{KEY}:{SECRET}@")
    result = run("init", "other", "--api-url", with_userinfo)
    assert result.code == 1 and "--api-url must not hold credentials" in result.err and leaks(result.text) == []
    assert not (tmp_path / "other").exists()
    # a config edited by hand to hold them is refused, and the message does not repeat them
    config = tiny.root / ".ecomgit" / "config.yaml"
    config.write_text(config.read_text().replace(tiny.url, with_userinfo))
    monkeypatch.chdir(tiny.root)
    result = run("sync")
    assert result.code == 1 and "'api_url' holds credentials" in result.err and "ECOMGIT_API_KEY" in result.err
    assert leaks(result.text) == []


def test_a_private_file_outside_the_repository_is_used_and_never_copied_into_it(
    tiny: Tiny, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    monkeypatch.setenv(credentials.ENV_FILE, str(write_credentials(tmp_path / "creds", 0o600)))
    tiny.app.shop.products[min(tiny.app.shop.products)].texts["en"]["description"] = "Changed in the back office."
    tiny.app.shop.touch_product(tiny.app.shop.products[min(tiny.app.shop.products)])
    monkeypatch.chdir(tiny.root)
    result = run("-vv", "sync")
    assert result.code == 0, result.text
    history = git(tiny.root, "log", "-p", "--all") + git(tiny.root, "show", "HEAD", "--stat")
    stored = "".join(
        p.read_text(errors="replace") for p in tiny.root.rglob("*") if p.is_file() and ".git" not in p.parts
    )
    assert leaks(history + stored + result.text) == []


def test_the_environment_needs_both_values() -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(credentials.ENV_KEY, KEY)
        with pytest.raises(CredentialsError, match="set both ECOMGIT_API_KEY and ECOMGIT_API_SECRET"):
            credentials.load("https://api.webshopapp.com")


# -- 2. redaction: messages, reprs, log records, crash logs ------------------------------------------


def echoing(status: int) -> Callable[[httpx.Request], httpx.Response]:
    """A shop that quotes the request's credentials back (the worst case)."""

    def handler(request: httpx.Request) -> httpx.Response:
        said = f"denied {KEY}:{SECRET} {request.headers.get('Authorization')} {request.url}"
        return httpx.Response(status, json={"error": {"code": status, "message": said, "errors": {"key": said}}})

    return handler


def refusing(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError(f"cannot connect to https://{KEY}:{SECRET}@shop.test ({request.headers['Authorization']})")


@pytest.mark.parametrize(
    ("handler", "kind"),
    [(echoing(401), "AuthError"), (echoing(500), "ServerError"), (refusing, "TransportError")],
    ids=["401", "500-after-retries", "transport"],
)
@pytest.mark.parametrize("where", ["userinfo", "arguments"])
def test_no_error_repr_log_record_or_crash_log_holds_a_secret(
    handler: Callable[[httpx.Request], httpx.Response],
    kind: str,
    where: str,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    options: dict[str, Any] = {"key": KEY, "secret": SECRET}
    base = "https://api.webshopapp.com"
    if where == "userinfo":
        options = {}
        base = f"https://{KEY}:{SECRET}@api.webshopapp.com"
    client = ShopClient(
        base,
        language="nl",
        transport=httpx.MockTransport(handler),
        retry=RetryPolicy(attempts=3, base_delay=0.0),
        sleep=lambda seconds: None,
        **options,
    )
    caplog.set_level(logging.DEBUG)  # what -vv shows
    with client, pytest.raises(ApiError) as caught:
        client.get(f"products?key={KEY}&secret={SECRET}")
    error = caught.value
    assert type(error).__name__ == kind
    assert caplog.text.count("retrying") == (0 if kind == "AuthError" else 2)  # 500s and refusals: 3 attempts
    shown = [str(error), repr(error), *map(str, error.args), error.path or "", repr(client)]
    records = [f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records]
    assert leaks(" ".join(shown + records) + caplog.text) == []
    # the error escaping as an unexpected one: the crash log holds the traceback, no secret
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    try:
        raise RuntimeError(f"unexpected after {error!r} with {SECRET} and {TOKEN}")
    except RuntimeError:
        with monkeypatch.context() as env:
            env.setenv(credentials.ENV_KEY, KEY)
            env.setenv(credentials.ENV_SECRET, SECRET)
            log = cli_main._write_crash_log()
    text = log.read_text()
    assert "RuntimeError: unexpected after" in text and leaks(text) == []


@pytest.mark.parametrize("source", ["environment", "file"])
def test_a_crash_inside_a_command_logs_no_secret(
    tiny: Tiny, source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    """An unexpected exception (a bug) whose message quotes the Authorization header: exit 3, a
    crash log without the secret, also when the credentials came from a file."""
    if source == "environment":
        monkeypatch.setenv(credentials.ENV_KEY, KEY)
        monkeypatch.setenv(credentials.ENV_SECRET, SECRET)
    else:
        monkeypatch.setenv(credentials.ENV_FILE, str(write_credentials(tmp_path / "creds", 0o600)))

    def explode(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        raise RuntimeError(f"bug: {request.headers['Authorization']} for {KEY}:{SECRET}")

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", explode)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.chdir(tiny.root)
    result = run("-vv", "sync")
    assert result.code == 3 and "Unexpected error (a bug in ecomgit)" in result.err
    [log] = tmp_path.glob("ecomgit-crash-*.log")
    assert str(log) in result.err
    text = log.read_text()
    assert "RuntimeError: bug: Basic ***" in text and "Traceback" in text
    assert leaks(text + result.text) == []


@pytest.mark.parametrize("fault", ["401", "500", "unreachable"])
def test_the_cli_at_vv_logs_no_secret(
    tiny: Tiny,
    fault: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    run: Run,
) -> None:
    monkeypatch.setattr(RetryPolicy, "delay", lambda self, failed_attempt: 0.0)
    monkeypatch.setenv(credentials.ENV_FILE, str(write_credentials(tmp_path / "creds", 0o600)))
    if fault == "401":
        tiny.app.api_secret = "another-secret-entirely"
    elif fault == "500":
        tiny.app.faults.fail_rate = 1.0
    else:
        config = tiny.root / ".ecomgit" / "config.yaml"
        config.write_text(config.read_text().replace(tiny.url, "http://127.0.0.1:9"))
        git(tiny.root, "commit", "-qam", "Point at a closed port")
    caplog.set_level(logging.DEBUG)
    monkeypatch.chdir(tiny.root)
    result = run("-vv", "sync")
    assert result.code == 1 and "Traceback" not in result.text, result.text
    records = [f"{r.getMessage()} {r.args!r}" for r in caplog.records]
    assert caplog.records and leaks(caplog.text + " ".join(records) + result.text) == []


# -- 3. names from the shop never leave their product's folder ---------------------------------------

HOSTILE = [
    "../../../../../../x",
    "/etc/passwd",
    "a/b",
    "..",
    ".",
    "",
    "\x00\x1b[31mred\x1b[0m",
    "n" * 300,
    "CON",
    "nul.txt",
    "com1",
    "\u202eexe.png",
    "ａｂｃ／．．／ｄ",  # fullwidth letters and solidus
    "C:\\Windows\\system32",
    "~/.ssh/authorized_keys",
    ".git/hooks/post-commit",
    "%2e%2e%2f%2e%2e%2fx",
    "-rf --no-preserve-root",
    "$(touch pwned)`touch pwned`",
    "name\nwith\nnewlines",
]
FOLDER = re.compile(r"^\d+-[a-z0-9]+(-[a-z0-9]+)*$")
IMAGE_FILE = re.compile(r"^\d{2,}-[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]{1,5}$")
SHOP_FILES = {"shop.yaml", "categories.yaml", "tags.yaml", "brands.yaml", "deliverydates.yaml"}


def hostile_shop(target: Path) -> Shop:
    """A shop whose slugs, image names, image extensions and titles are all hostile."""
    shop = synthetic_shop(len(HOSTILE))
    names = [*HOSTILE, f"{target}/escaped"]  # an absolute path we can look for afterwards
    for index, product in enumerate(shop.products.values()):
        for lang in ("nl", "en"):
            product.texts[lang]["url"] = names[index]
            product.texts[lang]["title"] = names[-1 - index].replace("\x00", "") or "untitled"  # NUL: see below
        for offset, image in enumerate(product.images):
            image.name = names[(index + offset) % len(names)]
            image.title = names[(index + offset + 1) % len(names)]
            image.ext = ["png", "../../sh", "", "p/n\x00g", "exe.lnk"][offset % 5]
    for index, category in enumerate(shop.categories.values()):
        category.texts["nl"]["title"] = names[index % len(names)]
    return shop


@pytest.fixture
def percent_encoding_cdn(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real CDN percent-encodes file names; make the emulator's do so (the name is cosmetic)."""

    def encode(text: str) -> str:
        return quote(text, safe="").replace(".", "%2E")  # dots too, so '..' stays a name, not a step up

    def src(self: View, image: Image) -> str:
        ext = f".{encode(image.ext)}" if image.ext else ""
        return f"{self.root}/cdn/shops/{self.shop.info.id}/files/{image.file_id}/{encode(image.name)}{ext}"

    monkeypatch.setattr(View, "src", src)
    monkeypatch.setattr(View, "thumb", src)
    monkeypatch.setattr(emulator_cdn, "_PATH", re.compile(r"^/cdn/shops/(?P<shop>[^/]+)/files/(?P<file>\d+)/"))


@pytest.mark.usefixtures("percent_encoding_cdn")
def test_names_from_the_shop_never_write_outside_the_product_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    root = tmp_path / "a" / "b" / "mirror"  # deep enough for ../../.. to land inside tmp_path
    app = EmulatorApp(hostile_shop(outside), rate_limit=None)
    with ShopClient("http://localhost", language="nl", transport=httpx.WSGITransport(app=app)) as client:
        init_repo(root, "http://localhost", [], client)
        summary = run_sync(open_repo(root), client)
        assert summary.products == len(HOSTILE) and summary.images_fetched > len(HOSTILE)
        assert run_sync(open_repo(root), client).commit is None  # stable: a second sync changes nothing

    written = sorted(p for p in tmp_path.rglob("*") if not p.is_dir())
    assert written, "the sync wrote nothing"
    for path in written:
        assert not path.is_symlink(), path
        relative = path.relative_to(root).parts  # raises for anything outside the mirror
        if relative[0] == ".git":
            continue
        if relative[0] == "products":
            assert FOLDER.match(relative[1]) and len(relative[1]) <= 80, relative
            assert relative[2:] == ("product.yaml",) or (
                relative[2] == "images" and len(relative) == 4 and IMAGE_FILE.match(relative[3])
            ), relative
        else:
            assert relative in {(".gitignore",), (".gitattributes",), (".ecomgit", "config.yaml")} or (
                relative[0] == "shop" and len(relative) == 2 and relative[1] in SHOP_FILES
            ), relative
    assert not outside.exists() and not (tmp_path / "x").exists() and not Path("pwned").exists()
    tracked = git(root, "ls-files").splitlines()
    assert sorted(tracked) == sorted(
        str(p.relative_to(root)) for p in written if ".git" not in p.relative_to(root).parts
    )
    hooks = root / ".git" / "hooks"
    assert not hooks.exists() or all(p.name.endswith(".sample") for p in hooks.iterdir())
    folders = sorted(p.name for p in (root / "products").iterdir())
    assert len(folders) == len(HOSTILE) and all(len(name) <= 80 for name in folders)
    for folder in (root / "products").iterdir():  # every image the shop has is there, under a safe name
        product = files.read_product(folder / "product.yaml")
        images = folder / "images"
        on_disk = sorted(p.name for p in images.iterdir()) if images.exists() else []
        assert sorted(image["file"] for image in product["images"]) == on_disk


def synced_with_title(root: Path, title: str, run: Run, monkeypatch: pytest.MonkeyPatch) -> Outcome:
    """``ecomgit sync`` of a 2-product shop whose first product's title is ``title``."""
    shop = synthetic_shop(2)
    first = shop.products[min(shop.products)]
    first.texts["nl"]["title"] = title
    with running(EmulatorApp(shop, rate_limit=None)) as url:
        with ShopClient(url, language="nl") as client:
            init_repo(root, url, [], client)
        monkeypatch.chdir(root)
        return run("sync")


def test_a_title_with_a_nul_byte_does_not_stop_the_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    result = synced_with_title(tmp_path / "mirror", "Nul\x00title", run, monkeypatch)
    assert result.code == 0, result.text


def test_control_characters_in_shop_titles_never_reach_the_terminal_or_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    title = "Evil\x1b]0;owned\x07\x1b[2J title\r\nEcomgit-Held: 1"
    result = synced_with_title(tmp_path / "mirror", title, run, monkeypatch)
    assert result.code == 0, result.text
    message = git(tmp_path / "mirror", "log", "-1", "--format=%B")
    for text in (result.out, message):
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text), repr(text)
        assert "\nEcomgit-Held" not in text


# -- 4. TLS verification is always on for a real shop ------------------------------------------------


def test_a_shop_client_verifies_tls_and_has_no_way_to_turn_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.test:3128")  # proxies get their own transports
    with ShopClient("https://api.webshopapp.com", language="nl", key=KEY, secret=SECRET) as client:
        transports = [client._http._transport, *(t for t in client._http._mounts.values() if t is not None)]
        assert len(transports) >= 2
        for transport in transports:
            assert isinstance(transport, httpx.HTTPTransport)
            context = transport._pool._ssl_context
            assert context is not None
            assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
            assert context is tls_context()  # the one context every client shares (see below)
    parameters = inspect.signature(ShopClient.__init__).parameters
    assert not {"verify", "cert", "ssl_context", "insecure"} & set(parameters)
    assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())


def shared_context(path: Path, value: ast.expr) -> bool:
    """``verify=tls_context()`` in ``ecomgit/api/client.py``: httpx's default context, built once."""
    called = isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "tls_context"
    return called and path.as_posix().endswith("ecomgit/api/client.py") and not value.args and not value.keywords


def test_no_option_or_call_turns_tls_verification_off() -> None:
    context = tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname

    def options(command: click.Command) -> Iterator[str]:
        for param in command.params:
            yield from getattr(param, "opts", [])
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                yield from options(sub)

    every = list(options(cli))
    assert "--api-url" in every and "--fail-rate" in every  # it does walk every command
    words = ("verify", "insecure", "ssl", "tls", "cert")
    assert [opt for opt in every if any(word in opt for word in words)] == []
    for path, tree in package_trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    assert keyword.arg != "cert", f"{path}:{node.lineno}"
                    # one verify= only: the shared context, which verifies (asserted here and above)
                    assert keyword.arg != "verify" or shared_context(path, keyword.value), f"{path}:{node.lineno}"
            if isinstance(node, ast.Attribute):
                assert node.attr not in ("_create_unverified_context", "CERT_NONE"), f"{path}:{node.lineno}"


@pytest.fixture
def self_signed_https(tmp_path: Path) -> Iterator[str]:
    """An HTTPS server on loopback with a self-signed certificate (a man in the middle)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b'{"languages": []}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Server(HTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # the client hangs up on the certificate: expected

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with Server(("127.0.0.1", 0), Handler) as server:
        server.socket = context.wrap_socket(server.socket, server_side=True)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield f"https://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            thread.join()


def test_a_certificate_the_system_does_not_trust_is_refused(self_signed_https: str) -> None:
    client = ShopClient(self_signed_https, language="nl", key=KEY, secret=SECRET, retry=RetryPolicy(attempts=1))
    with client, pytest.raises(ApiError) as caught:
        client.get("languages")
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value) and leaks(str(caught.value)) == []


# -- 5. YAML is loaded safely ------------------------------------------------------------------------

PAYLOADS = [
    '!!python/object/apply:os.system ["touch {marker}"]',
    "!!python/object/apply:subprocess.check_call [[touch, {marker}]]",
    "!!python/object/new:os.system [touch {marker}]  # a comment, so the comment check parses it too",
    "!!python/name:os.system",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_python_tag_in_a_product_file_is_refused_and_nothing_runs(
    tiny: Tiny, payload: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    marker = tmp_path / "pwned"
    folder = next((tiny.root / "products").iterdir())
    path = folder / "product.yaml"
    path.write_text(path.read_text().replace("data01: ''", f"data01: {payload.format(marker=marker)}"))
    git(tiny.root, "commit", "-qam", "A hostile pull request")
    monkeypatch.setenv(credentials.ENV_KEY, KEY)
    monkeypatch.setenv(credentials.ENV_SECRET, SECRET)
    monkeypatch.chdir(tiny.root)
    before = copy.deepcopy(tiny.app.shop.products)
    result = run("push", "--yes")
    assert result.code == 1 and "Traceback" not in result.text
    assert f"{path}:" in result.err and "could not determine a constructor for the tag" in result.err
    with pytest.raises(MirrorFileError, match="could not determine a constructor"):
        files.read_product(path)
    [problem] = [p for p in check_file(path, languages=["nl", "en"]) if "constructor" in p.message]
    assert problem.line is not None
    assert not marker.exists()
    assert tiny.app.shop.products == before


def test_a_python_tag_in_the_config_is_refused(
    tiny: Tiny, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    marker = tmp_path / "pwned"
    config = tiny.root / ".ecomgit" / "config.yaml"
    config.write_text(config.read_text() + f'extra: !!python/object/apply:os.system ["touch {marker}"]\n')
    monkeypatch.chdir(tiny.root)
    for command in ("sync", "status", "push"):
        result = run(command)
        assert result.code == 1 and "could not determine a constructor" in result.err, result.text
    assert not marker.exists()


# -- 6. nothing from the shop reaches a shell --------------------------------------------------------


@functools.cache
def package_trees() -> tuple[tuple[Path, ast.Module], ...]:
    """Every module of the package, parsed once."""
    return tuple(
        (path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        for path in sorted(PACKAGE.rglob("*.py"))
    )


def dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    return ""


SHELLS = {
    "os.system",
    "os.popen",
    "os.execl",
    "os.execlp",
    "os.execle",
    "os.execv",
    "os.execvp",
    "os.execvpe",
    "os.spawnl",
    "os.spawnlp",
    "os.spawnv",
    "os.spawnvp",
    "os.posix_spawn",
    "os.posix_spawnp",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "eval",
    "exec",
    "pickle.loads",
    "pickle.load",
    "marshal.loads",
}
SUBPROCESS = {
    "subprocess.run",
    "subprocess.Popen",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
}


def test_no_shell_and_subprocess_only_with_argument_lists() -> None:
    calls = 0
    for path, tree in package_trees():
        imported = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                    if node.module in ("os", "subprocess", "pickle") for alias in node.names}  # fmt: skip
        assert not imported & {"system", "popen", "getoutput", "getstatusoutput", "Popen", "run", "loads"}, path
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = dotted(node.func)
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
            assert name not in SHELLS, f"{where}: {name}"
            for keyword in node.keywords:
                if keyword.arg == "shell":
                    assert isinstance(keyword.value, ast.Constant) and keyword.value.value is False, where
            if name in SUBPROCESS:
                calls += 1
                command = node.args[0] if node.args else next(k.value for k in node.keywords if k.arg == "args")
                assert isinstance(command, ast.List | ast.Tuple), f"{where}: the command must be an argument list"
                assert not (isinstance(command.elts[0], ast.Constant) and " " in str(command.elts[0].value)), where
    assert calls >= 1  # the git wrapper is found, so the walk looks where it should


def test_yaml_loaders_are_safe() -> None:
    for path, tree in package_trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and dotted(node.func) in ("YAML", "ruamel.yaml.YAML"):
                typ = next((k.value for k in node.keywords if k.arg == "typ"), None)
                assert isinstance(typ, ast.Constant) and typ.value in ("safe", "rt"), f"{path}:{node.lineno}"
            if isinstance(node, ast.Attribute):
                assert node.attr not in ("unsafe_load", "full_load", "UnsafeLoader", "FullLoader"), path
