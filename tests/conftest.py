"""Fixtures for every test: an isolated environment, the emulator in-process, mirror repos."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp, load_catalog
from ecomgit.init import init_repo
from ecomgit.shop import Repo, open_repo

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample-catalog"
EMULATOR_URL = "http://emulator.test"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real $HOME, git config or credentials."""
    home = tmp_path_factory.mktemp("home")
    gitconfig = home / ".gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = Test Merchant\n\temail = merchant@example.test\n[init]\n\tdefaultBranch = main\n"
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("ECOMGIT_API_KEY", "ECOMGIT_API_SECRET", "ECOMGIT_CREDENTIALS_FILE", "GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture
def app(sample_dir: Path) -> EmulatorApp:
    """The emulator serving sample-catalog/, rate limits off (tests that need them set their own)."""
    return EmulatorApp(load_catalog(sample_dir), rate_limit=None)


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
