"""A sync cannot be hurt: real faults against real processes (issue 4, item 2).

The emulator runs as a subprocess on a real socket and every ``ecomgit`` command is a subprocess
too: failing answers and dropped connections come over the wire, ``kill -9`` is a real SIGKILL of
the sync's whole process group (its git children die with it), concurrent commands are concurrent
processes, rate limits are the emulator's windows (shrunk with ``--time-scale``). After each fault
the mirror must equal what a sync of the unfaulted shop makes, byte for byte, with git healthy
(``git status`` clean, ``git fsck --strict`` passing, no lock file left) and one sync commit that
says what a clean one says. Run with ``-rP`` to see the numbers each test prints.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from ecomgit import lock, seal
from ecomgit.credentials import Credentials

from .harness import (
    KEY,
    PUSH_TRAILER,
    SECRET,
    SYNC_TRAILER,
    Cli,
    Emulator,
    KillPoint,
    Reference,
    assert_sound,
    copy_repo,
    emulator,
    git_locks,
    head_moved_from,
    history,
    index_locked,
    message,
    products_written,
    sigkill_sync,
)

pytestmark = pytest.mark.e2e

KUSTWEG = 72418339  # a sample product with an English description to edit


def test_a_flaky_shop_is_retried_until_the_mirror_is_the_clean_one(
    cli: Cli, template: Path, reference: Reference, tmp_path: Path
) -> None:
    with emulator(cli.env, tmp_path / "emulator.log", "--rate-limit", "off", "--fail-rate", "0.2") as flaky:
        repo = cli.repoint(copy_repo(template, tmp_path / "shop"), flaky.url)
        before = flaky.stats()
        result = cli.run(["sync", "--json"], repo)
        after = flaky.stats()
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    sent = after["requests"] - before["requests"]
    answered_5xx = sum(n - before["by_status"].get(s, 0) for s, n in after["by_status"].items() if s.startswith("5"))
    retried = sent - reference.requests
    assert json.loads(result.stdout)["requests"] == sent  # every attempt counted, as the shop counts them
    report = (
        f"fail-rate 0.2: {sent} requests for a clean sync's {reference.requests}: {retried} retried "
        f"({answered_5xx} answered 5xx, {retried - answered_5xx} dropped mid-answer)"
    )
    print(report)
    assert retried > 0 and answered_5xx > 0, f"no fault was injected, the test proves nothing: {report}"
    assert_sound(cli, repo, reference.tree)
    syncs = [c for c in history(cli, repo) if SYNC_TRAILER in c.trailers]
    assert len(syncs) == 1 and message(cli, repo) == reference.message


# -- kill -9 at any moment --------------------------------------------------------------------------

# Where the SIGKILL lands, by the sync's progress lines and what git is doing:
KILL_POINTS = {
    "catalog": "as the catalog pages are requested",
    "deep-reads": "among the per-product reads (texts, variants, tag links, metafields)",
    "writing": "half way through writing product files and downloading images",
    "git-index-lock": "while git holds .git/index.lock (git add, reset or commit)",
    "after-commit": "the instant the commit is on main, before the sync state records it",
}


def kill_point(name: str, start: str) -> KillPoint:
    return {
        "catalog": KillPoint("reading the catalog"),
        "deep-reads": KillPoint("products · about"),  # the first per-product read stored 25 of them
        "writing": KillPoint("writing the mirror", ready=products_written),
        "git-index-lock": KillPoint("writing the mirror", ready=index_locked),
        "after-commit": KillPoint("writing the mirror", ready=head_moved_from(start)),
    }[name]


@pytest.mark.parametrize("name", list(KILL_POINTS))
def test_sigkill_at_any_moment_then_sync_again_gives_the_clean_mirror(
    cli: Cli, fresh_repo: Path, reference: Reference, name: str
) -> None:
    repo = fresh_repo
    [init] = history(cli, repo)
    killed = sigkill_sync(cli, repo, kill_point(name, init.sha))
    assert killed.returncode == -signal.SIGKILL, f"the sync ended before the kill point {KILL_POINTS[name]!r}"
    wait_for_detached_gc(repo)  # outside the killed group, it may hold a lock a while
    stale_locks = git_locks(repo)
    assert ".git/index.lock" in stale_locks or name != "git-index-lock"  # git died holding it

    started = time.monotonic()
    resumed = cli.run(["sync", "--json"], repo)
    seconds = time.monotonic() - started
    assert resumed.returncode == 0, resumed.stderr
    assert "Traceback" not in resumed.stderr
    for stale in stale_locks:  # cleared by the sync itself: no "remove the file manually" for the merchant
        assert f"{stale}, left behind by an ecomgit sync" in resumed.stderr, resumed.stderr
    again = cli.run(["sync", "--json"], repo)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["commit"] is None  # nothing left to do: no further commit

    assert_sound(cli, repo, reference.tree)
    commits = history(cli, repo)
    assert [c.sha for c in commits[1:]] == [init.sha]  # exactly one commit since init ...
    assert SYNC_TRAILER in commits[0].trailers  # ... the whole sync, described as a clean one describes it
    assert message(cli, repo) == reference.message
    print(
        f"kill -9 {name}: after {killed.seconds:.2f} s (last progress: {killed.last_line!r}, left {stale_locks}); "
        "the next sync "
        f"took {seconds:.2f} s and {json.loads(resumed.stdout)['requests']} requests "
        f"(a clean sync: {reference.seconds:.2f} s, {reference.requests} requests)"
    )


def test_sigkill_after_folders_were_removed_and_renamed_the_next_sync_commits_it_all(
    cli: Cli, reference: Reference, tmp_path: Path
) -> None:
    """The last sync recorded a product the shop has deleted since and another under an old slug:
    the sync renames the one, removes the other, and is killed before its commit."""
    repo = copy_repo(reference.repo, tmp_path / "shop")
    products = repo / "products"
    moved = next(products.glob(f"{KUSTWEG}-*"))
    cli.git(repo, "mv", f"products/{moved.name}", f"products/{KUSTWEG}-old-slug")
    retired = products / "99999901-retired-bike"
    shutil.copytree(next(products.glob("72418301-*")), retired)
    (retired / "product.yaml").write_text(
        (retired / "product.yaml").read_text().replace("id: 72418301", "id: 99999901")
    )
    cli.git(repo, "add", "-A")
    tree = cli.git(repo, "write-tree", "--prefix=products/").stdout.strip()  # a record names what it holds
    at = time.time_ns() // 1_000_000  # made after the reference sync, as a later sync would be
    sealed = seal.trailer(seal.from_credentials(Credentials(KEY, SECRET)), seal.claim("sync", tree, at, None, ()))
    stamp = f"Ecomgit-Sync: 2020-01-01T00:00:00Z\nEcomgit-Record: tree={tree} at={at}\n{sealed}\n"
    cli.git(repo, "commit", "-qm", f"Sync: 1 new, 1 changed, 0 deleted\n\n{stamp}")
    last = history(cli, repo)[0]

    killed = sigkill_sync(cli, repo, KillPoint("writing the mirror", ready=lambda _: not retired.exists()))
    assert killed.returncode == -signal.SIGKILL, "the sync ended before it was killed"
    assert (products / moved.name).is_dir()  # renamed before the kill
    resumed = cli.run(["sync", "--json"], repo)
    assert resumed.returncode == 0, resumed.stderr
    changes = [(c["kind"], c["id"]) for c in json.loads(resumed.stdout)["changes"]]
    assert changes == [("changed", KUSTWEG), ("deleted", 99999901)]
    again = cli.run(["sync", "--json"], repo)
    assert again.returncode == 0, again.stderr  # (a deletion left unstaged would stop it: uncommitted changes)
    assert json.loads(again.stdout)["commit"] is None

    assert_sound(cli, repo, reference.tree)
    commits = history(cli, repo)
    assert commits[1].sha == last.sha and commits[0].subject == "Sync: 0 new, 1 changed, 1 deleted"


# -- two commands at once ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    args: list[str]
    pid: int
    returncode: int
    stdout: str
    stderr: str


def wait_for_detached_gc(repo: Path) -> None:
    """Until no ``git gc`` that git started in the background is running in ``repo`` (it names
    itself in ``.git/gc.pid``): a state, not a time."""
    deadline = time.monotonic() + 60
    while (pid := _gc_pid(repo)) is not None and _alive(pid):
        assert time.monotonic() < deadline, "git gc did not end in 60 s"
        time.sleep(0.001)


def _gc_pid(repo: Path) -> int | None:
    try:
        return int((repo / ".git" / "gc.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_together(cli: Cli, repo: Path, first: list[str], second: list[str]) -> list[Outcome]:
    """``first`` holds the repository's lock while ``second`` runs, whatever the machine's load: the
    test waits until ``first`` holds the lock (a state predicate, polled every millisecond), freezes
    it there (SIGSTOP; the lock is asked again), runs ``second`` to its end, then lets ``first`` go
    on. Before, both were started at once and a busy machine could let one finish before the other
    began (both exit 0: the test failed without anything being wrong)."""
    lock_file = repo / ".git" / "ecomgit" / "lock"
    holder = cli.start(first, repo)
    deadline = time.monotonic() + 60
    while (lock.running(lock_file) or (None, ""))[0] != holder.pid:
        assert holder.poll() is None, f"{first} ended before it took the lock: {holder.communicate()}"
        assert time.monotonic() < deadline, f"{first} never took the lock"
        time.sleep(0.001)
    os.kill(holder.pid, signal.SIGSTOP)
    try:
        assert (lock.running(lock_file) or (None, ""))[0] == holder.pid  # still held: frozen with it
        other = cli.start(second, repo)
        out, err = other.communicate(timeout=120)
    finally:
        os.kill(holder.pid, signal.SIGCONT)
    stdout, stderr = holder.communicate(timeout=120)
    return [
        Outcome(first, holder.pid, holder.returncode, stdout, stderr),
        Outcome(second, other.pid, other.returncode, out, err),
    ]


def winner_and_loser(outcomes: list[Outcome]) -> tuple[Outcome, Outcome]:
    codes = sorted(o.returncode for o in outcomes)
    assert codes == [0, 1], "expected one to finish and one to refuse:\n" + "\n".join(
        f"{o.args}: exit {o.returncode}\n{o.stderr}" for o in outcomes
    )
    [winner] = [o for o in outcomes if o.returncode == 0]
    [loser] = [o for o in outcomes if o.returncode == 1]
    return winner, loser


def assert_refused_because_of(loser: Outcome, winner: Outcome) -> None:
    command = winner.args[0]
    assert f"another ecomgit {command} " in loser.stderr and f"pid {winner.pid}" in loser.stderr, loser.stderr
    assert "Traceback" not in loser.stderr and "Unexpected error" not in loser.stderr


def test_two_syncs_at_once_one_does_the_work_and_the_other_says_why_not(
    cli: Cli, fresh_repo: Path, reference: Reference
) -> None:
    winner, loser = winner_and_loser(run_together(cli, fresh_repo, ["sync", "--json"], ["sync", "--json"]))
    assert_refused_because_of(loser, winner)
    assert loser.stdout == ""
    print(f"two syncs at once: {loser.stderr.strip().splitlines()[-1]!r}")
    assert json.loads(winner.stdout)["new"] == len(
        {p.split("/")[1] for p in reference.tree if p.startswith("products/")}
    )
    assert_sound(cli, fresh_repo, reference.tree)
    commits = history(cli, fresh_repo)
    assert len(commits) == 2 and commits[0].subject == reference.subject


@pytest.mark.parametrize("push_first", [False, True], ids=["sync-holds", "push-holds"])
def test_sync_and_push_at_once_never_interleave(
    cli: Cli, reference: Reference, tmp_path: Path, push_first: bool
) -> None:
    with emulator(cli.env, tmp_path / "emulator.log", "--rate-limit", "off") as own:  # push changes the shop
        repo = cli.repoint(copy_repo(reference.repo, tmp_path / "shop"), own.url)  # synced
        path = next((repo / "products").glob(f"{KUSTWEG}-*")) / "product.yaml"
        path.write_text(path.read_text().replace("Ideal for your first sportive.", "Reviewed in pull request 12."))
        cli.git(repo, "commit", "-qam", "Copy edit (PR #12)")
        edit = history(cli, repo)[0]
        expected = {**reference.tree, path.relative_to(repo).as_posix(): path.read_bytes()}

        commands = (["push", "--yes"], ["sync", "--json"]) if push_first else (["sync", "--json"], ["push", "--yes"])
        winner, loser = winner_and_loser(run_together(cli, repo, *commands))
        assert_refused_because_of(loser, winner)
        rerun = cli.run(loser.args, repo)  # the refused command, run again once the other is done
        assert rerun.returncode == 0, rerun.stderr
        final = rerun if loser.args[0] == "sync" else cli.run(["sync", "--json"], repo)
        assert final.returncode == 0, final.stderr
        assert json.loads(final.stdout)["commit"] is None  # the shop holds the edit, the mirror too

    assert_sound(cli, repo, expected)
    commits = history(cli, repo)
    since_edit = commits[: [c.sha for c in commits].index(edit.sha)]
    assert [PUSH_TRAILER in c.trailers for c in since_edit].count(True) == 1, [c.subject for c in since_edit]
    for commit, parent in zip(commits, commits[1:], strict=False):  # no sync commit that changes nothing
        assert SYNC_TRAILER not in commit.trailers or commit.tree != parent.tree, commit.subject
    refusal = loser.stderr.strip().splitlines()[-1]
    print(f"sync + push at once: {winner.args[0]} ran; {refusal!r}; since the edit: {[c.subject for c in since_edit]}")


# -- rate limits and budgets ------------------------------------------------------------------------


def test_tight_rate_limits_are_paced_without_a_single_429(
    cli: Cli, template: Path, reference: Reference, tmp_path: Path
) -> None:
    # 60 requests per 3-second window (and 300 per 36 s): a sync of the sample shop (142) needs three
    options = ("--rate-limit", "60/300/2000", "--time-scale", "0.01")
    with emulator(cli.env, tmp_path / "emulator.log", *options) as tight:
        repo = cli.repoint(copy_repo(template, tmp_path / "shop"), tight.url)
        started = time.monotonic()
        result = cli.run(["-v", "sync", "--json"], repo)  # -v: the pacer's waits are logged
        seconds = time.monotonic() - started
        stats = tight.stats()
    assert result.returncode == 0, result.stderr
    assert stats["requests"] == reference.requests > 2 * 60  # more than two windows' worth
    assert stats["by_status"].get("429", 0) == 0, stats["by_status"]
    assert_sound(cli, repo, reference.tree)
    waits = [line for line in result.stderr.splitlines() if "rate limit: " in line]
    print(f"rate limit 60/3 s: {stats['requests']} requests, 0 answered 429, {len(waits)} wait(s), {seconds:.2f} s")


def daily_time_scale(beyond: float = 3 * 3600) -> float:
    """A ``--time-scale`` at which the emulator's daily window (86 400 s × scale, aligned to the
    clock) resets more than ``beyond`` seconds from now: longer than the client ever waits (65 min)."""
    for tenths in range(100, 1000):
        window = 86400 * tenths / 10
        if window - time.time() % window > beyond:
            return tenths / 10
    raise AssertionError("no scale found")  # pragma: no cover - one of any two consecutive scales works


def test_a_daily_limit_longer_than_the_longest_wait_stops_cleanly_and_the_next_run_continues(
    cli: Cli, shop: Emulator, template: Path, reference: Reference, tmp_path: Path
) -> None:
    options = ("--rate-limit", "1000/1000/20", "--time-scale", str(daily_time_scale()))
    with emulator(cli.env, tmp_path / "emulator.log", *options) as limited:
        repo = cli.repoint(copy_repo(template, tmp_path / "shop"), limited.url)
        start = history(cli, repo)[0]
        before = limited.stats()["requests"]
        stopped = cli.run(["sync"], repo)
        stats = limited.stats()
        assert stopped.returncode == 1, stopped.stderr
        assert "daily request limit (20) is used up" in stopped.stderr and "resets in " in stopped.stderr
        assert "continues where it stopped" in stopped.stderr and "Traceback" not in stopped.stderr
        assert stats["by_status"].get("429", 0) == 0, stats["by_status"]
        assert history(cli, repo)[0] == start  # nothing committed half-way
        spent = stats["requests"] - before

        # the limit is lifted (here: the same shop served without one); the next run picks up the rest
        cli.repoint(repo, shop.url)
        resumed = cli.run(["sync", "--json"], repo)
    assert resumed.returncode == 0, resumed.stderr
    rest = json.loads(resumed.stdout)["requests"]
    print(f"daily limit: stopped after {spent} requests; the next run made {rest} (a clean sync: {reference.requests})")
    assert spent + rest <= reference.requests + 2
    assert_sound(cli, repo, reference.tree)


def test_a_spent_budget_stops_cleanly_and_the_next_runs_continue(
    cli: Cli, shop: Emulator, fresh_repo: Path, reference: Reference
) -> None:
    sent = []
    for budget in ("20", None):
        before = shop.stats()["requests"]
        result = cli.run(["sync", "--json", *(["--budget", budget] if budget else [])], fresh_repo)
        sent.append(shop.stats()["requests"] - before)
        if budget is None:
            assert result.returncode == 0, result.stderr
            break
        assert result.returncode == 1, result.stderr
        assert "request budget of 20 used up" in result.stderr and "Run again to continue" in result.stderr
        assert "Traceback" not in result.stderr
        stopped = json.loads(result.stdout)["stopped"]  # the summary says what is left
        assert stopped["reason"] == "the request budget of 20 is used up" and stopped["requestsLeft"] > 0
        assert sent[-1] == 20
        assert len(history(cli, fresh_repo)) == 1  # nothing committed half-way
    print(f"budget 20: requests per run {sent}, {sum(sent)} in all (a clean sync: {reference.requests})")
    assert sum(sent) <= reference.requests + 2  # done work is not fetched again
    assert_sound(cli, fresh_repo, reference.tree)
    assert len(history(cli, fresh_repo)) == 2
