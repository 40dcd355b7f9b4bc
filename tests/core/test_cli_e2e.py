"""End to end: the real CLI as a subprocess against ``ecomgit emulator serve`` on a real socket."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

KEY = "e2e-key-0123456789abcdef0123456789"
SECRET = "e2e-secret-do-not-leak-0123456789abcdef"
ECOMGIT = [sys.executable, "-m", "ecomgit"]


def run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ECOMGIT, *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[str]:
    """``ecomgit emulator serve`` on a free port, requiring KEY/SECRET; yields its base URL."""
    extra = getattr(request, "param", [])
    proc = subprocess.Popen(
        [
            *ECOMGIT,
            "emulator",
            "serve",
            "--port",
            "0",
            "--api-key",
            KEY,
            "--api-secret",
            SECRET,
            "--rate-limit",
            "off",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), proc.stderr.read() if proc.stderr else url
    yield url
    proc.terminate()
    proc.communicate(timeout=10)  # reaps the process and closes its pipes


CREDS = {"ECOMGIT_API_KEY": KEY, "ECOMGIT_API_SECRET": SECRET}


def test_init_and_sync_over_a_socket(server: str, tmp_path: Path, sample_dir: Path) -> None:
    repo = tmp_path / "shop"
    init = run(["init", str(repo), "--api-url", server], tmp_path, CREDS)
    assert init.returncode == 0, init.stderr
    first = run(["sync", "--json"], repo, CREDS)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    products = len(list((sample_dir / "products").iterdir()))
    assert (summary["new"], summary["changed"], summary["deleted"]) == (products, 0, 0)
    assert summary["requests"] > 0 and summary["commit"]
    second = run(["sync", "--json", "--quiet"], repo, CREDS)
    assert json.loads(second.stdout)["commit"] is None
    quiet = run(["sync", "--quiet"], repo, CREDS)
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    # the secret is nowhere: not in the repository, its history, or any output
    history = subprocess.run(["git", "log", "-p", "--all"], cwd=repo, capture_output=True, text=True, check=True)
    everything = history.stdout + "".join(
        p.read_text(errors="replace") for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts
    )
    for output in (init, first, second, quiet):
        everything += output.stdout + output.stderr
    assert SECRET not in everything and KEY not in everything


def test_wrong_credentials_exit_1_with_advice_and_no_secret(server: str, tmp_path: Path) -> None:
    repo = tmp_path / "shop"
    assert run(["init", str(repo), "--api-url", server], tmp_path, CREDS).returncode == 0
    wrong = {"ECOMGIT_API_KEY": KEY, "ECOMGIT_API_SECRET": "wrong-secret-value-123"}
    result = run(["sync"], repo, wrong)
    assert result.returncode == 1
    assert "ECOMGIT_API_KEY" in result.stderr and "Traceback" not in result.stderr
    assert "wrong-secret-value-123" not in result.stderr + result.stdout
    assert run(["sync", "--quiet"], repo, CREDS).returncode == 0


def test_sync_outside_a_repository_says_what_to_do(tmp_path: Path) -> None:
    result = run(["sync"], tmp_path)
    assert result.returncode == 1
    assert "ecomgit init" in result.stderr and "Traceback" not in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run(["init", str(tmp_path / "x")], tmp_path).returncode == 2
    assert run(["no-such-command"], tmp_path).returncode == 2


def test_demo_runs_the_whole_loop(tmp_path: Path) -> None:
    result = run(["demo", "my-demo"], tmp_path)
    assert result.returncode == 0, result.stderr
    repo = tmp_path / "my-demo"
    assert str(repo.resolve()) in result.stdout
    log = subprocess.run(["git", "log", "--format=%s"], cwd=repo, capture_output=True, text=True, check=True)
    subjects = log.stdout.splitlines()
    # newest first: the Delete-from-eCom story (restore onto the published product, the sync that saw
    # Retail publish it, the sync that saw the deletion), then the matrix story (the restore, the sync
    # that saw Retail's matrix), the back-office edit, the first sync
    assert subjects[0].startswith("Restore ") and " onto product " in subjects[0]
    assert subjects[1].startswith("Sync: 1 new, 0 changed, 0 deleted")
    assert subjects[2].startswith("Sync: 0 new") and subjects[2].endswith("1 deleted")
    assert subjects[3].startswith("Restore ") and " onto product " in subjects[3]
    assert subjects[4].startswith("Sync: 1 new, 1 changed, 1 deleted")
    assert subjects[5].startswith("Sync: 0 new, 1 changed, 0 deleted")
    assert subjects[6].startswith("Sync: 28 new")
    assert "refused: product " in result.stdout and "is published to eCom again" in result.stdout
    assert "successor? " in result.stdout and "--onto" in result.stdout
    assert "description [en]" in result.stdout  # the restore, in words
    [last_sync] = [line for line in result.stdout.splitlines() if line.startswith("10. ecomgit sync")]
    assert last_sync.endswith("no commit (nothing changed)")  # the mirror already held what the shop has


def test_pull_request_push_then_retail_matrix_lost_and_restore(server: str, tmp_path: Path) -> None:
    """The write loop as a merchant runs it, each command a process, the shop on a socket."""
    repo = tmp_path / "shop"
    assert run(["init", str(repo), "--api-url", server], tmp_path, CREDS).returncode == 0
    assert run(["sync", "-q"], repo, CREDS).returncode == 0
    path = next((repo / "products").glob("72418339-*")) / "product.yaml"
    path.write_text(path.read_text().replace("Ideal for your first sportive.", "Reviewed in pull request 12."))
    subprocess.run(["git", "commit", "-qam", "Copy edit (PR #12)"], cwd=repo, check=True)

    refused = run(["push"], repo, CREDS)  # no terminal, no --yes
    assert refused.returncode == 1 and "--yes" in refused.stderr
    pushed = run(["push", "--yes", "--json"], repo, CREDS)
    assert pushed.returncode == 0, pushed.stderr
    report = json.loads(pushed.stdout)
    assert report["products"][0]["written"] and report["requests"] == 5  # read 2, again 2, write 1 (answer = read-back)
    assert json.loads(run(["status", "--json"], repo, CREDS).stdout)["pending"] == []

    moved = run(["emulator", "retail", "matrix", "72418339", "--title", "Kustweg", "--url", server], repo)
    assert moved.returncode == 0, moved.stderr
    assert run(["sync", "-q"], repo, CREDS).returncode == 0
    [lost] = json.loads(run(["lost", "--json"], repo, CREDS).stdout)
    assert lost["id"] == 72418339 and len(lost["successors"]) == 1
    onto = str(lost["successors"][0]["id"])
    restored = run(["restore", "72418339", "--onto", onto, "--yes", "--json"], repo, CREDS)
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["target"] == int(onto)
    graft = next((repo / "products").glob(f"{onto}-*")) / "product.yaml"
    assert "Reviewed in pull request 12." in graft.read_text()
    assert json.loads(run(["lost", "--json"], repo, CREDS).stdout) == []
    again = run(["sync", "--json", "-q"], repo, CREDS)
    assert json.loads(again.stdout)["commit"] is None
    log = subprocess.run(["git", "log", "-p"], cwd=repo, capture_output=True, text=True, check=True).stdout
    assert SECRET not in log and KEY not in log
