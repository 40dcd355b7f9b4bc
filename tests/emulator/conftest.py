"""Fixtures for the emulator tests: a fake clock, a tiny mirror directory, in-process clients."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ecomgit.emulator import EmulatorApp, Shop, load_catalog

from .helpers import FakeClock, client_for, write_mirror


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_client() -> Iterator[Callable[..., httpx.Client]]:
    """``make_client(shop, **EmulatorApp options)``: an in-process client; limits off by default."""
    clients: list[httpx.Client] = []

    def make(shop: Shop, **options: Any) -> httpx.Client:
        options.setdefault("rate_limit", None)
        client = client_for(EmulatorApp(shop, **options))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def mirror_dir(tmp_path: Path) -> Path:
    return write_mirror(tmp_path / "mirror")


@pytest.fixture(scope="session")
def tiny_template(tmp_path_factory: pytest.TempPathFactory) -> Shop:
    return load_catalog(write_mirror(tmp_path_factory.mktemp("tiny")))


@pytest.fixture
def tiny_shop(tiny_template: Shop, clock: FakeClock) -> Shop:
    """The tiny mirror's shop (a fresh copy per test), on the test's clock."""
    shop = copy.deepcopy(tiny_template)
    shop.clock = clock
    return shop
