"""Opening a repository's shop: config + credentials → a ready API client and sync state."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import httpx

from ecomgit import config as config_mod
from ecomgit import credentials, gitrepo, lock
from ecomgit.api import ShopClient, hosts
from ecomgit.config import Config
from ecomgit.sync import state as state_db
from ecomgit.sync.state import State


@dataclass
class Repo:
    root: Path
    config: Config

    @cached_property
    def work_dir(self) -> Path:
        """Where ecomgit keeps its local state and lock: inside .git, never committed (asked of git
        once per Repo: a repository's git folder does not move while a command runs)."""
        return gitrepo.git_dir(self.root) / "ecomgit"


def open_repo(path: Path) -> Repo:
    root = gitrepo.find_root(path)
    return Repo(root, config_mod.load(root))


def make_client(
    api_url: str,
    language: str,
    *,
    root: Path | None = None,
    transport: httpx.BaseTransport | None = None,
    budget: int | None = None,
) -> ShopClient:
    hosts.checked_base_url(api_url)  # a refused host is the error, before any credential is read
    creds = credentials.load(api_url, root)
    return ShopClient(
        api_url,
        language=language,
        key=creds.key if creds else None,
        secret=creds.secret if creds else None,
        transport=transport,
        budget=budget,
    )


@contextmanager
def writer(repo: Repo, what: str) -> Iterator[State]:
    """The repository locked for one writer, with its sync state open."""
    with lock.exclusive(repo.work_dir / "lock", what), state_db.opened(repo.work_dir / "sync.db") as state:
        yield state
