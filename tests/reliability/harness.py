"""Real processes for the reliability tests: the emulator on a socket, the CLI as a subprocess,
SIGKILL at a chosen moment, and what a mirror repository holds (files, history, git's health).

Every process gets an explicit environment (its own HOME and git config, the test credentials), so
module-scoped fixtures, which run before the per-test ``isolated_env``, are isolated too.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests import trees

KEY = "reliability-key-0123456789abcdef0123"
SECRET = "reliability-secret-do-not-leak-0123456789"
ECOMGIT = [sys.executable, "-m", "ecomgit"]
MIRROR_DIRS = ("products", "shop")
SYNC_TRAILER = "Ecomgit-Sync"
PUSH_TRAILER = "Ecomgit-Push"


LOOPBACK = "127.0.0.1"  # where the test emulators listen


def isolated_env(home: Path) -> dict[str, str]:
    """The environment of every process these tests start."""
    home.mkdir(parents=True, exist_ok=True)
    gitconfig = home / ".gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = Test Merchant\n\temail = merchant@example.test\n[init]\n\tdefaultBranch = main\n"
    )
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("ECOMGIT_", "GIT_"))
        and name not in ("HOME", "XDG_CONFIG_HOME", "PYTHONDONTWRITEBYTECODE")
    }
    env.update(
        # bytecode compiled once, not at every process start (nothing is written into the project)
        PYTHONPYCACHEPREFIX=str(Path(tempfile.gettempdir()) / f"ecomgit-tests-pycache-{os.getuid()}"),
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        ECOMGIT_API_KEY=KEY,
        ECOMGIT_API_SECRET=SECRET,
        ECOMGIT_TRUSTED_API_HOST=LOOPBACK,  # the emulators here ask for KEY/SECRET, on 127.0.0.1
    )
    return env


@dataclass(frozen=True)
class Cli:
    """Runs ``python -m ecomgit`` and git in a given environment."""

    env: Mapping[str, str]

    def run(self, args: list[str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*ECOMGIT, *args], cwd=cwd, env=dict(self.env), capture_output=True, text=True, timeout=timeout, check=False
        )

    def start(self, args: list[str], cwd: Path, stdout: int = subprocess.PIPE) -> subprocess.Popen[str]:
        """``ecomgit ARGS`` in a session of its own (``killpg`` then kills it and its git children)."""
        return subprocess.Popen(
            [*ECOMGIT, *args],
            cwd=cwd,
            env=dict(self.env),
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )

    def git(self, repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            ["git", *args], cwd=repo, env=dict(self.env), capture_output=True, text=True, check=False
        )
        if check:
            assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
        return result

    def init(self, url: str, repo: Path) -> Path:
        result = self.run(["init", str(repo), "--api-url", url], repo.parent)
        assert result.returncode == 0, result.stderr
        return repo

    def repoint(self, repo: Path, url: str) -> Path:
        """Point ``repo`` at the shop at ``url``, committed: a copy of a mirror of one emulator
        becomes a mirror of another one serving the same catalog (cheaper than an init and a sync)."""
        config = repo / ".ecomgit" / "config.yaml"
        lines = config.read_text().splitlines(keepends=True)
        config.write_text("".join(f"api_url: {url}\n" if line.startswith("api_url:") else line for line in lines))
        self.git(repo, "commit", "-qam", f"Mirror the shop at {url}")
        return repo


class Emulator:
    """``ecomgit emulator serve`` on a free port, as a child process; ``stats()`` reads its counters."""

    def __init__(self, env: Mapping[str, str], log: Path, *options: str) -> None:
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            [*ECOMGIT, "emulator", "serve", "--port", "0", "--api-key", KEY, "--api-secret", SECRET, *options],
            env=dict(env),
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.close()
            raise RuntimeError(f"the emulator did not start: {log.read_text()}")

    def stats(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.url}/_emulator/stats.json", timeout=10) as answer:
            data: dict[str, Any] = json.load(answer)
        return data

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
        self.proc.communicate(timeout=10)  # reaps it and closes its pipes
        self.log.close()


@contextmanager
def emulator(env: Mapping[str, str], log: Path, *options: str) -> Iterator[Emulator]:
    server = Emulator(env, log, *options)
    try:
        yield server
    finally:
        server.close()


# -- SIGKILL at a chosen moment --------------------------------------------------------------------


@dataclass(frozen=True)
class KillPoint:
    """When to SIGKILL a sync: once its stderr shows ``line`` (a progress message), at the first
    moment ``ready(repo)`` holds (polled every millisecond; the sync is frozen with SIGSTOP and
    ``ready`` asked again, so what it saw still holds when SIGKILL lands). Without ``ready``, the
    sync is frozen as soon as the line is read."""

    line: str
    ready: Callable[[Path], bool] | None = None


@dataclass(frozen=True)
class Killed:
    returncode: int
    seconds: float  # from the start of the process to the kill
    last_line: str  # the last progress line it printed


def sigkill_sync(cli: Cli, repo: Path, point: KillPoint, timeout: float = 60) -> Killed:
    """Start ``ecomgit sync`` and SIGKILL its whole process group (git children too) at ``point``."""
    proc = cli.start(["sync"], repo, stdout=subprocess.DEVNULL)
    lines: list[str] = []
    seen = threading.Event()

    def pump() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line.rstrip("\n"))
            if point.line in line and not seen.is_set():
                if point.ready is None:  # the line is the moment: freeze it there, before it goes on
                    os.killpg(proc.pid, signal.SIGSTOP)
                seen.set()

    reader = threading.Thread(target=pump, daemon=True)
    started = time.monotonic()
    reader.start()
    killed_at = None
    try:
        armed = None
        while proc.poll() is None and time.monotonic() - started < timeout:
            now = time.monotonic()
            if armed is None and seen.is_set():
                armed = now
            if armed is not None and _holds(proc, repo, point):
                os.killpg(proc.pid, signal.SIGKILL)
                killed_at = now
                break
            time.sleep(0.001)
    finally:
        if proc.poll() is None and killed_at is None:  # timed out, or the test failed: leave nothing running
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        reader.join(timeout=30)
        assert proc.stderr is not None
        proc.stderr.close()
    seconds = (killed_at or time.monotonic()) - started
    return Killed(proc.returncode, seconds, lines[-1] if lines else "")


def _holds(proc: subprocess.Popen[str], repo: Path, point: KillPoint) -> bool:
    if point.ready is None:
        return True
    if not point.ready(repo):
        return False
    os.killpg(proc.pid, signal.SIGSTOP)  # freeze it (and its git) and look again: the moment is still there
    if point.ready(repo):
        return True
    os.killpg(proc.pid, signal.SIGCONT)
    return False


def products_written(repo: Path) -> bool:
    """The sync has written product files into the work tree (and is not done with the mirror yet:
    the kill lands while it still is, or, if it is quicker than one poll, no later than its end)."""
    products = repo / "products"
    return products.is_dir() and any(products.glob("*/product.yaml"))


def index_locked(repo: Path) -> bool:
    """git holds ``.git/index.lock`` (inside ``git add``, ``git reset`` or ``git commit``)."""
    return (repo / ".git" / "index.lock").exists()


def head_moved_from(start: str) -> Callable[[Path], bool]:
    """A new commit is on ``main`` (read from the ref file, as cheap as a poll must be)."""

    def moved(repo: Path) -> bool:
        try:
            return (repo / ".git" / "refs" / "heads" / "main").read_text().strip() != start
        except FileNotFoundError:
            return False

    return moved


# -- what a repository holds -----------------------------------------------------------------------


def mirror_tree(repo: Path) -> dict[str, bytes]:
    """Every file under ``products/`` and ``shop/``: relative path → bytes."""
    return {
        path.relative_to(repo).as_posix(): path.read_bytes()
        for folder in MIRROR_DIRS
        for path in sorted((repo / folder).rglob("*"))
        if path.is_file()
    }


def tree_difference(actual: Mapping[str, bytes], expected: Mapping[str, bytes]) -> list[str]:
    """What differs, one line per path (empty when equal byte for byte)."""
    problems = [f"missing {path}" for path in sorted(expected.keys() - actual.keys())]
    problems += [f"unexpected {path}" for path in sorted(actual.keys() - expected.keys())]
    problems += [
        f"differs {path}" for path in sorted(expected.keys() & actual.keys()) if actual[path] != expected[path]
    ]
    return problems


@dataclass(frozen=True)
class Commit:
    sha: str
    subject: str
    trailers: frozenset[str]  # trailer keys
    tree: str


def history(cli: Cli, repo: Path) -> list[Commit]:
    """The commits on HEAD, newest first."""
    out = cli.git(repo, "log", "--format=%H%x1f%s%x1f%T%x1f%(trailers:only,unfold)%x1e").stdout
    commits = []
    for entry in out.split("\x1e"):
        if not entry.strip():
            continue
        sha, subject, tree, trailers = entry.strip("\n").split("\x1f")
        keys = frozenset(line.split(":", 1)[0] for line in trailers.splitlines() if ":" in line)
        commits.append(Commit(sha, subject, keys, tree))
    return commits


@dataclass(frozen=True)
class Reference:
    """What a clean first sync of the sample shop makes."""

    tree: dict[str, bytes]  # products/ and shop/, path → bytes
    requests: int  # the API requests it made
    seconds: float  # its wall time, process start to exit
    subject: str  # its commit's subject
    message: str  # its commit's message, without the time and request count
    repo: Path  # the synced repository (copy it, never change it)


def copy_repo(template: Path, target: Path) -> Path:
    return trees.copy_repo(template, target)


def message(cli: Cli, repo: Path, rev: str = "HEAD") -> str:
    """A commit's message without the lines that differ between equal syncs (time, request count,
    and the seal, which signs the time)."""
    text = cli.git(repo, "log", "-1", "--format=%B", rev).stdout
    text = re.sub(r"^(Ecomgit-Record: tree=\w+) at=\d+$", r"\1", text, flags=re.M)  # the tree must be equal
    return "".join(
        line
        for line in text.splitlines(keepends=True)
        if not line.startswith(("Ecomgit-Sync:", "Ecomgit-Requests:", "Ecomgit-Seal:"))
    )


def assert_sound(cli: Cli, repo: Path, expected: Mapping[str, bytes]) -> None:
    """The mirror holds ``expected`` byte for byte, all of it committed, and git finds nothing wrong."""
    difference = tree_difference(mirror_tree(repo), expected)
    assert not difference, "the mirror is not the clean one:\n" + "\n".join(difference[:20])
    status = cli.git(repo, "status", "--porcelain", "--untracked-files=all").stdout
    assert status == "", f"uncommitted or stray files:\n{status}"
    fsck = cli.git(repo, "fsck", "--strict", "--no-progress", check=False)
    assert fsck.returncode == 0, f"git fsck: {fsck.stdout}{fsck.stderr}"
    assert not git_locks(repo), f"lock files left behind: {git_locks(repo)}"


def git_locks(repo: Path) -> list[str]:
    """The lock files in ``.git`` (git's own: ``index.lock``, ``HEAD.lock``, a ref's ``.lock``)."""
    return sorted(p.relative_to(repo).as_posix() for p in (repo / ".git").rglob("*.lock"))
