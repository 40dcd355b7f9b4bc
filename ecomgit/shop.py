"""Opening a repository's shop: config + credentials → a ready API client and sync state."""

from __future__ import annotations

import json
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
    client = ShopClient(
        api_url,
        language=language,
        key=creds.key if creds else None,
        secret=creds.secret if creds else None,
        transport=transport,
        budget=budget,
    )
    if root is not None and gitrepo.is_repo(root):  # (init asks before the repository exists)
        windows = gitrepo.git_dir(root) / "ecomgit" / RATE_LIMIT_FILE
        resume_windows(client, windows)
        client.on_close = lambda: keep_windows(client, windows)
    return client


RATE_LIMIT_FILE = "ratelimit.json"  # the rate-limit windows the last process saw (see RatePacer.snapshot)


def resume_windows(client: ShopClient, path: Path) -> None:
    """Start the client's pacer from the windows an earlier process of this clone saw: its first
    request then does not run into a window that process used up (a damaged file is ignored)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(data, dict) and data.get("apiUrl") == client.base_url:
        client.pacer.resume(data)


def keep_windows(client: ShopClient, path: Path) -> None:
    """Write what the pacer knows of the windows for the next process (when it learnt anything)."""
    snapshot = client.pacer.snapshot()
    if not snapshot["windows"] or not path.parent.is_dir():
        return
    temporary = path.with_suffix(".tmp")
    try:
        temporary.write_text(json.dumps({"apiUrl": client.base_url, **snapshot}), encoding="utf-8")
        temporary.replace(path)
    except OSError:  # a read-only clone: the next process learns the windows from its first answer
        temporary.unlink(missing_ok=True)


@contextmanager
def writer(repo: Repo, what: str) -> Iterator[State]:
    """The repository locked for one writer, with its sync state open."""
    with lock.exclusive(repo.work_dir / "lock", what), state_db.opened(repo.work_dir / "sync.db") as state:
        yield state
