"""Every bad input: exit 1, a message that says what, where and what to do, no traceback, nothing written.

The commands run through ``ecomgit.cli.main.main`` (the one place that maps exceptions to exit
codes), in-process for speed, against the emulator on a real loopback socket; one test runs the
real processes against ``ecomgit emulator serve --read-only``. Each test starts from a copy of one
synced mirror and a fresh copy of the sample shop, and checks the shop (its catalog in every
language, read over HTTP) is unchanged afterwards.
"""

from __future__ import annotations

import copy
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from ecomgit.api import ShopClient
from ecomgit.api.retry import RetryPolicy
from ecomgit.emulator import EmulatorApp, Shop, load_catalog, running
from ecomgit.init import init_repo
from ecomgit.shop import open_repo
from ecomgit.sync.run import run_sync
from tests.mainrun import Outcome, Run, run_main
from tests.trees import copy_repo, pack

KEY = "bad-input-key-0123456789abcdef"
SECRET = "bad-input-secret-do-not-print-0123456789"
WRONG = "wrong-secret-never-printed-42"
CREDS = {"ECOMGIT_API_KEY": KEY, "ECOMGIT_API_SECRET": SECRET}
KUSTWEG = 72418339  # a sample product with 3 variants, a brand, images
KUSTWEG_DIR = "products/72418339-kustweg-105-racefiets"
KUSTWEG_FILE = f"{KUSTWEG_DIR}/product.yaml"


# -- the world: one synced mirror and one served shop per module, fresh copies per test ------------


@pytest.fixture(scope="module")
def template_shop(sample_dir: Path) -> Shop:
    return load_catalog(sample_dir)


@pytest.fixture(scope="module")
def served(template_shop: Shop) -> Iterator[tuple[EmulatorApp, str]]:
    app = EmulatorApp(copy.deepcopy(template_shop), api_key=KEY, api_secret=SECRET, rate_limit=None)
    with running(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def template_repo(served: tuple[EmulatorApp, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample shop, initialised and synced once (with the environment isolated like every test's)."""
    _, url = served
    base = tmp_path_factory.mktemp("bad-input")
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


@dataclass
class World:
    app: EmulatorApp
    url: str
    root: Path


@pytest.fixture
def world(
    served: tuple[EmulatorApp, str],
    template_shop: Shop,
    template_repo: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> World:
    """A copy of the synced mirror (the working directory) and a fresh copy of the shop it mirrors."""
    app, url = served
    app.shop = copy.deepcopy(template_shop)
    app.read_only = False
    root = tmp_path / "mirror"
    copy_repo(template_repo, root)
    monkeypatch.chdir(root)
    for name, value in CREDS.items():
        monkeypatch.setenv(name, value)
    return World(app, url, root)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def commit_all(root: Path, message: str = "Edit (merged pull request)") -> None:
    git(root, "commit", "-qam", message)


def edit(root: Path, relative: str, old: str, new: str, *, count: int = 1) -> int:
    """Replace ``old`` by ``new`` in a file; returns the 1-based line of the first replacement."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {relative}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def shop_state(url: str) -> list[Any]:
    """Everything a reader sees of the shop's products, in both languages (updatedAt included)."""
    with httpx.Client(base_url=url, auth=(KEY, SECRET)) as client:
        return [client.get(f"/{lang}/catalog.json", params={"limit": 250}).json() for lang in ("nl", "en")]


def failed(outcome: Outcome, *needles: str) -> None:
    """Exit 1, no traceback, every needle in what the user sees, no secret."""
    assert outcome.code == 1, outcome
    assert "Traceback" not in outcome.text, outcome.text
    for needle in needles:
        assert needle in outcome.text, f"{needle!r} not in {outcome.text!r}"
    assert SECRET not in outcome.text and WRONG not in outcome.text and KEY not in outcome.text


def unchanged_repo(root: Path, head: str) -> None:
    assert git(root, "rev-parse", "HEAD").strip() == head
    assert git(root, "status", "--porcelain") == ""


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    def call(*args: str) -> Outcome:
        return run_main(capsys, monkeypatch, *args)

    return call


# -- 1, 2: invalid product files stop push before anything is written ------------------------------


def test_malformed_yaml_names_the_file_and_line(world: World, run: Run) -> None:
    line = edit(world.root, KUSTWEG_FILE, "data01: ''", "data01: a: b")
    commit_all(world.root)
    before = shop_state(world.url)
    result = run("push", "--yes")
    failed(result, f"{KUSTWEG_FILE}:{line}: ", "mapping values are not allowed", "fix the YAML syntax there")
    assert "nothing was written" in result.err
    assert shop_state(world.url) == before


def test_a_wrong_type_and_a_wrong_enum_name_file_line_and_field(world: World, run: Run) -> None:
    price = edit(world.root, KUSTWEG_FILE, "  priceExcl: 1362.81", "  priceExcl: cheap")
    tracking = edit(world.root, KUSTWEG_FILE, "  stockTracking: indicator", "  stockTracking: sometimes")
    commit_all(world.root)
    before = shop_state(world.url)
    result = run("push", "--yes")
    failed(
        result,
        f"{KUSTWEG_FILE}:{price}: variants[0].priceExcl: 'cheap' is not a number",
        "write a plain number",
        f"{KUSTWEG_FILE}:{tracking}: variants[0].stockTracking: 'sometimes' is not one of enabled, indicator, disabled",
        "2 problem(s)",
    )
    assert shop_state(world.url) == before


# -- 3: an unknown language in the config ------------------------------------------------------------


def test_an_unknown_language_in_the_config_names_it_and_the_fix(world: World, run: Run) -> None:
    edit(world.root, ".ecomgit/config.yaml", "languages:\n- nl\n- en\n", "languages: [nl, xx]\n")
    commit_all(world.root, "Configure a language")
    head = git(world.root, "rev-parse", "HEAD").strip()
    before = shop_state(world.url)
    result = run("sync")
    failed(result, "language(s) xx in .ecomgit/config.yaml are not active in the shop", "(active: en, nl)")
    assert "fix 'languages' in the config" in result.err
    unchanged_repo(world.root, head)
    assert shop_state(world.url) == before


# -- 4: wrong credentials ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["sync"], ["push", "--yes"], ["restore", str(KUSTWEG), "--rev", "HEAD", "--yes"]], ids=str
)
def test_wrong_credentials_advise_the_environment_and_print_no_secret(
    world: World, run: Run, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    edit(world.root, KUSTWEG_FILE, "Ideal for your first sportive.", "Reviewed in pull request 7.")
    commit_all(world.root)
    head = git(world.root, "rev-parse", "HEAD").strip()
    before = shop_state(world.url)
    monkeypatch.setenv("ECOMGIT_API_SECRET", WRONG)
    result = run(*command)
    failed(result, "401 Access denied", "ECOMGIT_API_KEY", "ECOMGIT_API_SECRET")
    assert shop_state(world.url) == before
    if command[0] != "push":  # push may record its attempt (see the module docstring of this task)
        unchanged_repo(world.root, head)


# -- 5: a key without write permission ---------------------------------------------------------------


def test_a_key_without_write_permission_says_which_permission_and_where_to_give_it(world: World, run: Run) -> None:
    edit(world.root, KUSTWEG_FILE, "Ideal for your first sportive.", "Reviewed in pull request 8.")
    commit_all(world.root)
    world.app.read_only = True
    before = shop_state(world.url)
    result = run("push", "--yes")
    failed(
        result,
        f"{KUSTWEG} Kustweg 105 racefiets: failed: PUT /en/products/{KUSTWEG}.json",
        "the API key lacks the write permission for 'products'",
        "Give the key write access to products in the shop's back office (Settings > Developers)",
    )
    assert shop_state(world.url) == before


# -- 6: restore of a product that does not exist -----------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("999999", "product 999999 was never in this mirror; see 'ecomgit lost'"),
        ("NO-SUCH-SKU", "no product has the id, SKU, article code, EAN or slug 'NO-SUCH-SKU'; check the spelling"),
    ],
)
def test_restore_of_an_unknown_product(world: World, run: Run, spec: str, message: str) -> None:
    head = git(world.root, "rev-parse", "HEAD").strip()
    before = shop_state(world.url)
    failed(run("restore", spec, "--yes"), message)
    unchanged_repo(world.root, head)
    assert shop_state(world.url) == before


# -- 7: the shop refuses a write ---------------------------------------------------------------------


def test_a_write_the_shop_refuses_names_the_product_and_quotes_the_shop(world: World, run: Run) -> None:
    edit(world.root, KUSTWEG_FILE, "brand:\n  id: 3712401\n  title: Atelier Noord", "brand:\n  id: 999\n  title: X")
    commit_all(world.root)
    before = shop_state(world.url)
    result = run("push", "--yes")
    failed(
        result,
        f"{KUSTWEG} Kustweg 105 racefiets: failed: PUT /nl/products/{KUSTWEG}.json",
        "400 Invalid brand: 999 does not exist.",
        "Fix the data it names and run again.",
    )
    assert shop_state(world.url) == before


# -- 8: the shop cannot be reached -------------------------------------------------------------------


@pytest.mark.parametrize("command", [["sync"], ["push", "--yes"]], ids=str)
def test_an_unreachable_shop_is_a_clear_error(
    world: World, run: Run, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.setattr(RetryPolicy, "delay", lambda self, failed_attempt: 0.0)  # the five attempts, at once
    port = closed_port()
    edit(world.root, KUSTWEG_FILE, "Ideal for your first sportive.", "Reviewed in pull request 9.")
    edit(world.root, ".ecomgit/config.yaml", f"api_url: {world.url}", f"api_url: http://127.0.0.1:{port}")
    commit_all(world.root)
    head = git(world.root, "rev-parse", "HEAD").strip()
    before = shop_state(world.url)
    result = run(*command)
    failed(
        result,
        f"could not reach 127.0.0.1:{port}: ConnectError",
        "after 5 attempts; check the URL/network and run again.",
    )
    assert shop_state(world.url) == before
    if command[0] == "sync":
        unchanged_repo(world.root, head)


def test_init_of_an_unreachable_shop_is_a_clear_error(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A refused connection on a real socket, retried at once (the backoff's waits are the retry
    tests' business): one line naming the address, exit 1, and no mirror left half-made."""
    monkeypatch.setattr(RetryPolicy, "delay", lambda self, failed_attempt: 0.0)
    port = closed_port()
    result = run("init", str(tmp_path / "x"), "--api-url", f"http://127.0.0.1:{port}")
    failed(result, f"127.0.0.1:{port}")
    assert not (tmp_path / "x" / ".ecomgit").exists()


# -- a failed sync must not block the next push -----------------------------------------------------


def test_a_sync_refused_before_it_read_anything_leaves_no_unfinished_sync(
    world: World, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(world.root, KUSTWEG_FILE, "Ideal for your first sportive.", "Reviewed in pull request 10.")
    commit_all(world.root)
    monkeypatch.setenv("ECOMGIT_API_SECRET", WRONG)
    failed(run("sync"), "401 Access denied")
    monkeypatch.setenv("ECOMGIT_API_SECRET", SECRET)  # the user fixes the secret and pushes
    result = run("push", "--yes")
    assert "a sync was interrupted" not in result.text
    assert result.code == 0, result.text


# -- the real processes ------------------------------------------------------------------------------


@pytest.mark.e2e
def test_real_processes_against_a_read_only_key(tmp_path: Path) -> None:
    """``ecomgit emulator serve --read-only`` and ``ecomgit push`` as processes: 401, then 403."""
    ecomgit_cmd = [sys.executable, "-m", "ecomgit"]
    with subprocess.Popen(
        [*ecomgit_cmd, "emulator", "serve", "--read-only", "--api-key", KEY, "--api-secret", SECRET],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as server:
        assert server.stdout is not None
        try:
            url = server.stdout.readline().strip()
            assert url.startswith("http://127.0.0.1:")
            root = tmp_path / "mirror"
            with ShopClient(url, language="nl", key=KEY, secret=SECRET) as client:  # reading needs no write
                init_repo(root, url, [], client)
                run_sync(open_repo(root), client)
            edit(root, KUSTWEG_FILE, "Ideal for your first sportive.", "Reviewed in pull request 11.")
            commit_all(root)
            before = shop_state(url)

            def push(secret: str) -> Outcome:
                env = {**os.environ, "ECOMGIT_API_KEY": KEY, "ECOMGIT_API_SECRET": secret}
                done = subprocess.run(
                    [*ecomgit_cmd, "push", "--yes"], cwd=root, env=env, capture_output=True, text=True, timeout=60
                )
                return Outcome(done.returncode, done.stdout, done.stderr)

            failed(push(WRONG), "401 Access denied", "Check ECOMGIT_API_KEY and ECOMGIT_API_SECRET")
            failed(push(SECRET), "lacks the write permission for 'products'", "Settings > Developers")
            assert shop_state(url) == before
        finally:
            server.terminate()
            server.communicate(timeout=10)
