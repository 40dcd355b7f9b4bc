"""Write an undo to the shop, or propose it as a branch.

The edits go through push (:func:`ecomgit.write.push.plan_push` on the plan's commit, for the
products it takes back): the same three-way check against the live product (a field the shop
changed since the last sync refuses that product), Retail's field ownership, the mass-change
guard, a re-read before each write, read-back and verify. Its record commit carries
``Ecomgit-Undo: <sha>`` for each commit taken back, so an undo can itself be undone. Products the
commits deleted come back through restore, each in its record (with the same trailer): onto the one
live product holding their codes when there is one; else made anew, except on a Retail-linked shop
(restore's rules).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ecomgit import branches, gitrepo
from ecomgit.api import ShopClient
from ecomgit.committed import check_committed
from ecomgit.errors import EcomgitError, MirrorError
from ecomgit.lost import Successor, successors
from ecomgit.mirror import layout
from ecomgit.revisions import codes_of, version_at
from ecomgit.shop import Repo
from ecomgit.sync.state import State
from ecomgit.undo.plan import Gone, UndoPlan, plan_commit
from ecomgit.undo.units import words
from ecomgit.write import propose as proposal
from ecomgit.write.delete import apply_delete, plan_delete
from ecomgit.write.push import PushResult, apply_push, check_ready, plan_push
from ecomgit.write.restore import RestoreResult, apply_restore, plan_restore

Progress = Callable[[str], None]


@dataclass
class Restored:
    gone: Gone
    result: RestoreResult | None = None
    refused: str | None = None  # why it was not restored


@dataclass
class UndoResult:
    plan: UndoPlan
    push: PushResult | None = None
    restored: list[Restored] = field(default_factory=list)
    deleted: str | None = None  # the record of --delete-created

    @property
    def commits(self) -> list[str]:
        made = [self.push.commit] if self.push is not None and self.push.commit else []
        made += [r.result.commit for r in self.restored if r.result is not None and r.result.commit]
        return made + ([self.deleted] if self.deleted else [])

    @property
    def ok(self) -> bool:
        pushed = self.push is None or self.push.ok
        return pushed and all(r.result is not None and r.result.ok for r in self.restored)

    @property
    def requests(self) -> int:
        spent = self.push.requests if self.push is not None else 0
        return spent + sum(r.result.requests for r in self.restored if r.result is not None)


def message(plan: UndoPlan) -> str:
    """The plan commit's message: what it takes back, with the ``Ecomgit-Undo`` trailers."""
    lines = [plan.headline(), ""]
    for item in plan.changing:
        lines.append(f"  {item.pid} {item.title}")
        lines += [f"    {words(step.unit, item.describe)}" for step in item.steps[:40]]
    return "\n".join([*lines, "", *plan.trailers()]) + "\n"


@dataclass
class Proposed:
    branch: str
    commit: str
    what: str


def propose(root: Path, repo: Repo, plan: UndoPlan) -> list[Proposed]:
    """The undo as branches for review, nothing sent to the shop: the edits as one commit on a new
    branch ``ecomgit/undo-<sha>``; each deleted product as ``restore --propose`` proposes it (onto
    its one successor, else as a new product), on its branch ``ecomgit/restore-<id>``."""
    made = []
    if plan.changing:
        branch, sha = _propose_edits(root, repo, plan)
        made.append(Proposed(branch, sha, f"the undo of {len(plan.changing)} product(s)' edits"))
    for gone in plan.deleted:
        rev = gone.commit.parent
        assert rev is not None
        found = _successors(repo, gone)
        if len(found) == 1:
            onto = proposal.propose_onto(root, repo.config, [(gone.pid, rev)], found[0].pid)
            made.append(Proposed(onto.branch, onto.commit, f"restore {onto.what}"))
        elif not found:
            branch, sha, what = proposal.propose(root, repo.config, gone.pid, rev)
            made.append(Proposed(branch, sha, f"restore {what}"))
        else:
            held = ", ".join(str(s.pid) for s in found)
            raise EcomgitError(
                f"product {gone.pid}: several products hold its codes ({held}); propose it with "
                f"'ecomgit restore {gone.pid} --onto ID --propose', the right one, and undo naming the other products"
            )
    return made


def _successors(repo: Repo, gone: Gone) -> list[Successor]:
    """The live products holding the codes a deleted product had before the commit deleted it."""
    version = version_at(repo.root, gone.commit.parent, gone.pid) if gone.commit.parent else None
    codes = sorted(codes_of(version.product)) if version is not None else []
    return successors(repo.root, codes, repo.config.default_language)


def _propose_edits(root: Path, repo: Repo, plan: UndoPlan) -> tuple[str, str]:
    sha = plan_commit(root, repo.config, plan, message(plan))
    base = f"ecomgit/undo-{plan.commits[0].short}"
    branch, n = base, 1
    while gitrepo.run(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", check=False).strip():
        n += 1
        branch = f"{base}-{n}"
    gitrepo.run(root, "branch", branch, sha)
    return branch, sha


def apply_undo(
    repo: Repo,
    client: ShopClient,
    state: State,
    plan: UndoPlan,
    *,
    allow_mass_change: bool = False,
    all_fields: bool = False,
    from_branch: bool = False,
    fields: Sequence[str] = (),
    progress: Progress,
) -> UndoResult:
    result = UndoResult(plan)
    if plan.changing:
        sha = plan_commit(repo.root, repo.config, plan, message(plan))
        products = {item.pid: item.folder for item in plan.changing}
        try:
            pushed = plan_push(
                repo, client, state, rev=sha, products=products, allow_mass_change=allow_mass_change,
                all_fields=all_fields, progress=progress, prefer="theirs",
            )  # fmt: skip
        except MirrorError as exc:  # the values put back do not make a valid product together
            raise MirrorError(
                f"the undo would leave product files the shop would refuse; nothing was written:\n{_problems(exc)}\n"
                "Leave those products out (name the others) or those fields (--fields), or fix the value in a "
                "commit and push it"
            ) from None
        result.push = apply_push(
            repo, client, state, pushed, progress=progress, from_branch=from_branch, headline=plan.headline(),
            trailers=plan.trailers(), what="undo",
        )  # fmt: skip
    for gone in plan.deleted:
        result.restored.append(_restore(repo, client, state, plan, gone, fields, progress))
    return result


def problems(repo: Repo, plan: UndoPlan) -> list[str]:
    """What the shop would refuse in the products as the undo leaves them (checked before writing;
    a dry run shows it)."""
    if not plan.changing:
        return []
    sha = plan_commit(repo.root, repo.config, plan, message(plan))
    return [str(p) for p in check_committed(repo.root, repo.config, sha, [item.folder for item in plan.changing])]


def _problems(exc: MirrorError) -> str:
    lines = str(exc).splitlines()
    return "\n".join(line for line in lines if line.startswith("  "))


def delete_created(
    repo: Repo,
    client: ShopClient,
    state: State,
    plan: UndoPlan,
    *,
    allow_mass_change: bool = False,
    from_branch: bool = False,
    progress: Progress,
) -> str | None:
    """``--delete-created``: the products the commits created and nobody changed since, deleted in the
    shop as ``push --delete`` does it (their folders removed in a commit, then each deleted and the
    deletion recorded); the record's id. Nothing stays behind when the plan refuses (a mass change)."""
    doomed = [gone for gone in plan.created if not gone.why]
    if not doomed:
        return None
    check_ready(repo, state)
    branches.check_write_branch(repo.root, "undo --delete-created", from_branch)
    root = repo.root
    paths = [f"{layout.PRODUCTS_DIR}/{gone.folder}" for gone in doomed]
    gitrepo.run(root, "rm", "-r", "-q", "--", *paths)
    words = [f"{plan.headline()}: remove the {len(doomed)} product(s) it created", ""]
    words += [f"  {gone.pid} {gone.title}" for gone in doomed]
    removal = gitrepo.commit(root, "\n".join([*words, "", *plan.trailers()]) + "\n")
    try:
        deletion = plan_delete(repo, client, [gone.pid for gone in doomed], allow_mass_change=allow_mass_change)
    except BaseException:
        if gitrepo.head(root) == removal:  # put the folders back: nothing was deleted
            gitrepo.run(root, "reset", "--quiet", "--keep", "HEAD^")
        raise
    return apply_delete(repo, client, state, deletion, progress=progress, from_branch=from_branch)


def _restore(
    repo: Repo, client: ShopClient, state: State, plan: UndoPlan, gone: Gone, fields: Sequence[str], progress: Progress
) -> Restored:
    """Bring back a product a commit deleted, as 'ecomgit lost' advises."""
    done = Restored(gone)
    rev = gone.commit.parent
    assert rev is not None  # plan_undo refuses a root commit
    found = _successors(repo, gone)
    if len(found) > 1:
        held = ", ".join(str(s.pid) for s in found)
        done.refused = (
            f"several products hold its codes ({held}): 'ecomgit restore {gone.pid} --onto ID' with the right one"
        )
        return done
    onto = found[0].pid if found else None
    try:
        restore = plan_restore(repo, client, state, str(gone.pid), rev=rev, onto=onto, fields=fields, progress=progress)
        done.result = apply_restore(repo, client, state, restore, progress=progress, trailers=plan.trailers())
    except EcomgitError as exc:
        done.refused = str(exc)
    return done
