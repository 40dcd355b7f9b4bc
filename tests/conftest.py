"""Fixtures for every test: an isolated environment, the emulator in-process, mirror repos."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp, load_catalog
from ecomgit.init import init_repo
from ecomgit.shop import Repo, open_repo
from ecomgit.sync.run import run_sync
from tests.trees import copy_repo, git_template, pack

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample-catalog"
EMULATOR_URL = "http://localhost"


RAM_DISK = Path("/dev/shm")
RAM_DISK_FREE = 4 * 1024**3  # bytes free on it before the tests use it: a run peaks far below


def pytest_configure(config: pytest.Config) -> None:
    _cache_bytecode_of_child_processes()
    _temp_on_ram_disk(config)


def _cache_bytecode_of_child_processes() -> None:
    """Python processes the tests start (``ecomgit`` on a socket, its emulator, a workflow's steps:
    several hundred a run) keep their compiled bytecode in a cache outside the project when the
    environment says not to write it beside the sources (PYTHONDONTWRITEBYTECODE, set on this
    project's machines): otherwise each one compiled every module it imports anew, 0.2 s of its
    0.4 s start. The processes and their code are the same; only the compiling is done once.
    This process and each xdist worker do the same from here on: the test modules pytest rewrites
    and compiles as it collects them (2.7 s a worker without a cache, 0.8 s with one)."""
    if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None or sys.dont_write_bytecode:
        cache = Path(tempfile.gettempdir()) / f"ecomgit-tests-pycache-{os.getuid()}"  # the harness's too
        os.environ.setdefault("PYTHONPYCACHEPREFIX", str(cache))
        sys.pycache_prefix = sys.pycache_prefix or os.environ["PYTHONPYCACHEPREFIX"]
        sys.dont_write_bytecode = False


def _temp_on_ram_disk(config: pytest.Config) -> None:
    """Tests' repositories on the machine's RAM disk when it has a roomy one and nobody chose a
    place (--basetemp, PYTEST_DEBUG_TEMPROOT or TMPDIR). Each test makes and removes hundreds of
    small files (copies of git repositories, git's own locks and objects): on this project's ext4
    disk a copy of the synced mirror costs 0.1 to 0.26 s of kernel time, on tmpfs 0.01 s. The files
    are as real either way; only where they live changes."""
    if config.option.basetemp or os.environ.get("PYTEST_DEBUG_TEMPROOT") or os.environ.get("TMPDIR"):
        return
    try:
        stats = os.statvfs(RAM_DISK)
    except OSError:
        return
    if stats.f_bavail * stats.f_frsize >= RAM_DISK_FREE and os.access(RAM_DISK, os.W_OK | os.X_OK):
        os.environ["PYTEST_DEBUG_TEMPROOT"] = str(RAM_DISK)  # pytest's documented root for tmp_path


@pytest.fixture(scope="session")
def git_template_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return git_template(tmp_path_factory.mktemp("git-template"))


@pytest.fixture(autouse=True)
def isolated_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, git_template_dir: Path
) -> None:
    """No test reads or writes the real $HOME, git config or credentials."""
    home = tmp_path_factory.mktemp("home")
    gitconfig = home / ".gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = Test Merchant\n\temail = merchant@example.test\n"
        f"[init]\n\tdefaultBranch = main\n\ttemplateDir = {git_template_dir}\n"
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    secrets = ("ECOMGIT_API_KEY", "ECOMGIT_API_SECRET", "ECOMGIT_CREDENTIALS_FILE", "ECOMGIT_SEAL_KEY")
    for name in (*secrets, "GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(name, raising=False)
    # the emulators tests start with --api-key/--api-secret listen on 127.0.0.1, and ecomgit sends
    # credentials to loopback only when the environment trusts it (tests of that rule unset this)
    monkeypatch.setenv("ECOMGIT_TRUSTED_API_HOST", "127.0.0.1")


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_shop(sample_dir: Path) -> bytes:
    """The sample shop, loaded once (0.2 s) and pickled: each test unpickles its own copy (3 ms)."""
    return pickle.dumps(load_catalog(sample_dir))


@pytest.fixture
def app(sample_shop: bytes) -> EmulatorApp:
    """The emulator serving sample-catalog/, rate limits off (tests that need them set their own)."""
    return EmulatorApp(pickle.loads(sample_shop), rate_limit=None)


def client_for(app: EmulatorApp, **options: object) -> ShopClient:
    return ShopClient(EMULATOR_URL, language="nl", transport=httpx.WSGITransport(app=app), **options)  # type: ignore[arg-type]


@pytest.fixture
def client_factory(app: EmulatorApp) -> Iterator[Callable[..., ShopClient]]:
    """``client_factory(budget=…)``: more clients of the same emulator, closed after the test."""
    made: list[ShopClient] = []

    def make(**options: object) -> ShopClient:
        made.append(client_for(app, **options))
        return made[-1]

    yield make
    for shop_client in made:
        shop_client.close()


@pytest.fixture
def client(app: EmulatorApp) -> Iterator[ShopClient]:
    with client_for(app) as shop_client:
        yield shop_client


@pytest.fixture
def repo(tmp_path: Path, client: ShopClient) -> Repo:
    """A freshly initialised mirror of the emulator's shop (not yet synced)."""
    path = tmp_path / "mirror"
    init_repo(path, EMULATOR_URL, [], client)
    return open_repo(path)


@pytest.fixture(scope="session")
def synced_template(tmp_path_factory: pytest.TempPathFactory, sample_shop: bytes) -> Path:
    """One mirror of the sample shop, synced once per test session (a sync costs about a second)."""
    path = tmp_path_factory.mktemp("template") / "mirror"
    with client_for(EmulatorApp(pickle.loads(sample_shop), rate_limit=None)) as client:
        init_repo(path, EMULATOR_URL, [], client)
        run_sync(open_repo(path), client)
    return pack(path)


@pytest.fixture
def synced(synced_template: Path, tmp_path: Path, app: EmulatorApp) -> Repo:
    """A mirror of ``app`` (a fresh emulator of the sample shop) as a first sync leaves it: a copy of
    the session's template, git state and sync state included (the emulator's shop is deterministic)."""
    path = tmp_path / "mirror"
    return open_repo(copy_repo(synced_template, path))


@pytest.fixture(scope="session")
def origin_template(synced_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bare repository holding the synced mirror's history, made once per test session."""
    path = tmp_path_factory.mktemp("origin-template") / "origin.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", str(synced_template), str(path)], check=True)
    subprocess.run(["git", "remote", "remove", "origin"], cwd=path, check=True)  # a hub has no upstream
    return path


@pytest.fixture
def origin(origin_template: Path, tmp_path: Path) -> Path:
    """This test's own bare origin (a copy of the session's) holding the synced mirror's history:
    clone it for each colleague or CI runner the test needs."""
    path = tmp_path / "origin.git"
    return copy_repo(origin_template, path)
