"""The work of ``ecomgit watch``: sync the products the webhooks named, and the whole shop now and then.

``step`` does one thing that is due, in this order: a full sync when its schedule says (it also
covers the queued products), else one sync of the due products (``Sync(touched=…)``: their
catalog records and deep reads, no catalog scan; one the shop no longer has is committed as
deleted: its last state is in git; a lost product whose codes a live one now holds is proposed back
onto it, on a branch: :mod:`ecomgit.heal`). Each commit is published to ``git_push`` when given: a push
the remote refuses is retried once after merging the remote's commits (a merge, never a rebase:
sync and push records keep their ids). A sync stopped by a rate limit keeps its state; the next
step continues it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from ecomgit import caches, gitrepo
from ecomgit.api import ShopClient
from ecomgit.errors import EcomgitError, GitError
from ecomgit.heal import propose_lost
from ecomgit.shop import Repo, writer
from ecomgit.sync.report import Summary, SyncStopped
from ecomgit.sync.run import run_sync
from ecomgit.watch.queue import Queue
from ecomgit.watch.receiver import Log

MOST = 60.0  # seconds: a product edited without pause is synced this long after its first event
RETRY = 60.0  # seconds to wait after a step that failed


@dataclass
class Schedule:
    debounce: float = 10.0
    full_every: float = 3600.0
    most: float = MOST


class Watcher:
    def __init__(
        self,
        repo: Repo,
        client: ShopClient,
        queue: Queue,
        *,
        clock: Callable[[], float],
        log: Log,
        schedule: Schedule | None = None,
        git_push: str | None = None,
    ) -> None:
        self.repo, self.client, self.queue, self.clock, self.log = repo, client, queue, clock, log
        self.schedule = schedule or Schedule()
        self.git_push = git_push
        self.next_full = clock() + self.schedule.full_every
        self.wait_until = 0.0  # after a failed step

    def step(self) -> Summary | None:
        """Do what is due; the sync's summary, or None when nothing was."""
        now = self.clock()
        if now < self.wait_until:
            return None
        full = now >= self.next_full
        due = self.queue.due(now, self.schedule.debounce, self.schedule.most)
        if not full and not due:
            return None
        try:
            summary = run_sync(self.repo, self.client, touched=None if full else due)
        except SyncStopped as stop:
            self.wait_until = now + RETRY
            self.log("stopped", reason=stop.summary.stopped.reason if stop.summary.stopped else str(stop))
            return None
        except EcomgitError as exc:
            self.wait_until = now + RETRY
            self.log("failed", error=str(exc))
            return None
        finally:
            caches.clear()  # weeks of syncs: the caches hold what one sync needs, no more
        if full:
            self.next_full = now + self.schedule.full_every
        # a full sync read every queued product too; an event during the sync keeps its product
        self.queue.done(self.queue.all() if full else due, now)
        self.log(
            "synced",
            full=full,
            products=len(due),
            requests=summary.requests,
            changes=summary.headline(),
            commit=summary.commit,
        )
        if summary.commit and any(change.kind in ("deleted", "new") for change in summary.changes):
            self._propose()  # a deletion, or a new product that may hold a lost one's codes
        if summary.commit and self.git_push:
            self._publish()
        return summary

    def _propose(self) -> None:
        """Propose lost content back onto its successor (``ecomgit.heal``): a branch each, pushed with
        ``git_push``; a pull request is the reviewer's to open."""
        try:
            with writer(self.repo, "restore"):
                healing = propose_lost(self.repo.root, self.repo.config)
        except EcomgitError as exc:
            self.log("not proposed", error=str(exc))
            return
        for made in healing.proposed:
            self.log("proposed", branch=made.branch, successor=made.successor, lost=made.lost, proposal=made.what)
            if self.git_push:
                pushed = gitrepo.run(self.repo.root, "push", "--quiet", str(self.git_push), made.branch, check=False)
                self.log("published", remote=self.git_push, branch=made.branch, output=pushed.strip())

    def run(self, stop: threading.Event, wake: threading.Event, tick: float = 1.0) -> None:
        """Step until ``stop`` is set; ``wake`` (set by the receiver) cuts a wait short."""
        while not stop.is_set():
            self.step()
            wake.wait(tick)
            wake.clear()

    def _publish(self) -> None:
        """Push HEAD to the remote's branch; refused (the remote moved), merge its commits and push
        again. A merge that conflicts is undone and said: the mirror stays as the sync left it."""
        remote, root = str(self.git_push), self.repo.root
        branch = gitrepo.current_branch(root)
        for attempt in (1, 2):
            try:
                gitrepo.run(root, "push", "--quiet", remote, f"HEAD:{branch}")
                self.log("published", remote=remote, branch=branch, attempt=attempt)
                return
            except GitError as exc:
                if attempt == 2:
                    self.log("not published", remote=remote, branch=branch, error=str(exc))
                    return
            try:
                gitrepo.run(root, "fetch", "--quiet", remote, branch)
                gitrepo.run(root, "merge", "--quiet", "--no-edit", "FETCH_HEAD")
            except GitError as exc:
                gitrepo.run(root, "merge", "--abort", check=False)
                self.log("not published", remote=remote, branch=branch, error=f"merging the remote's commits: {exc}")
                return
