""" "Push to shop" (``ecomgit web --allow-push``), for teams without CI: the plan ``ecomgit push``
prints, with the same guards, then, confirmed, the same push.

The plan is made again when the person confirms, under the same lock as the write, and written
only if it says what the page showed (a fingerprint of HEAD and the plan's lines travels in the
form): the shop or the mirror that moved in between is shown again, never written unseen. Writes
come only from the mirror's default branch, and a plan that empties or removes things from many
products is refused (``ecomgit push --allow-mass-change`` on the command line is the way round).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from ecomgit import branches, gitrepo
from ecomgit.api import ShopClient
from ecomgit.errors import EcomgitError
from ecomgit.shop import Repo, writer
from ecomgit.write.push import PushPlan, apply_push, plan_push
from ecomgit.write.push_words import describe_plan, describe_result

ShopFactory = Callable[[], ShopClient]


@dataclass
class PushPage:
    """A push plan as the page shows it."""

    head: str
    lines: list[str]
    fingerprint: str  # of HEAD and the plan: what a confirmation confirms
    blocked: str | None = None  # why it may not be written from here
    refused: int = 0  # products the plan refuses (the rest is written)
    writes: int = 0
    result: list[str] = field(default_factory=list)  # after the write: what happened
    changed: bool = False  # the plan differs from the one confirmed: nothing written


def plan(repo: Repo, shop: ShopFactory) -> PushPage:
    """The plan of a push of the default branch's pending edits, as ``ecomgit push --dry-run`` prints it."""
    with shop() as client, writer(repo, "push") as state:
        return _page(repo, plan_push(repo, client, state, progress=_quiet))


def push(repo: Repo, shop: ShopFactory, fingerprint: str) -> PushPage:
    """Plan again and, if the plan is the one confirmed (``fingerprint``) and nothing blocks it, write it."""
    with shop() as client, writer(repo, "push") as state:
        planned = plan_push(repo, client, state, progress=_quiet)
        page = _page(repo, planned)
        if page.fingerprint != fingerprint:
            page.changed = True
            return page
        if page.blocked is not None:
            raise EcomgitError(f"{page.blocked}; nothing was written")
        result = apply_push(repo, client, state, planned, progress=_quiet)
    page.result = describe_result(result).splitlines()
    return page


def _page(repo: Repo, planned: PushPlan) -> PushPage:
    head = gitrepo.resolve(repo.root, "HEAD")
    lines = describe_plan(planned).splitlines()
    shown = [line for line in lines if not line.startswith("Planning used ")]  # the same plan may cost more or less
    fingerprint = hashlib.sha256("\n".join([head, *shown]).encode()).hexdigest()
    page = PushPage(head, lines, fingerprint, refused=len(planned.refused), writes=len(planned.writes))
    page.blocked = _blocked(repo, planned)
    return page


def _blocked(repo: Repo, planned: PushPlan) -> str | None:
    try:
        branches.check_write_branch(repo.root, "push", False)
    except EcomgitError:
        here = gitrepo.run(repo.root, "symbolic-ref", "--quiet", "--short", "HEAD", check=False).strip()
        where = f"branch '{here}'" if here else "a detached HEAD"
        default = branches.default_branch(repo.root)
        return (
            f"this is {where}, not the mirror's default branch '{default}': the shop gets what was reviewed and "
            f"merged there. Merge it into '{default}' (a pull request), then push from there"
        )
    if planned.mass_change:
        why = planned.mass_change.split("; nothing was written")[0]
        return f"{why}: the web view never writes that ('ecomgit push --allow-mass-change' does)"
    if not planned.writes:
        return "nothing to write to the shop"
    return None


def _quiet(_: str) -> None:
    """Progress goes nowhere: the page shows the plan when it is made."""
