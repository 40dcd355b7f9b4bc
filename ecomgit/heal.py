"""Lost content proposed back (issue 17 item 3).

After a sync records a deletion whose codes now live in another product (Lightspeed Retail deleted
the eCom product and published the item again, merged it into another, or added it into a matrix),
the restore onto that successor is prepared as a reviewed change: one proposal branch per successor
(``restore --propose --onto``, :mod:`ecomgit.write.propose`), holding every lost product whose codes
only it holds. Nothing is sent to the shop; the generated sync workflow pushes each new branch and
opens a pull request with the ``diff --markdown`` summary, and merging it lets the push workflow
write the content back.

With ``heal: auto`` in the config the sync (or watch batch) that records such a deletion restores
it onto its successor itself (:func:`restore_lost`: restore's plan, three-way check and guards,
one restore commit each) instead of proposing it.

A lost product is proposed once: not when a branch for it exists here or on the remote (an open
or a closed pull request keeps its branch until someone deletes it), not when it was restored, and
not when several live products hold its codes (a person chooses: ``ecomgit lost`` names them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.config import Config
from ecomgit.errors import EcomgitError
from ecomgit.lost import Lost, find_lost
from ecomgit.newproducts import retail_linked
from ecomgit.shop import Repo, writer
from ecomgit.write import propose
from ecomgit.write.restore import apply_restore, plan_restore


@dataclass
class Proposed:
    successor: int
    lost: list[int]
    branch: str
    commit: str
    what: str
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "successor": self.successor,
            "lost": self.lost,
            "branch": self.branch,
            "commit": self.commit,
            "proposal": self.what,
            "notes": self.notes,
        }


@dataclass
class Healing:
    proposed: list[Proposed] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # why a lost product was not proposed, in words


def candidates(root: Path, config: Config, out: Healing) -> dict[int, list[Lost]]:
    """Successor → the lost products whose codes it alone holds (the first gives the product-level
    content); a lost product several live products hold the codes of is said in ``out.skipped``."""
    found = find_lost(root, config.default_language, retail=retail_linked(root, config))
    by_successor: dict[int, list[Lost]] = {}
    for item in found:
        if len(item.successors) > 1:
            out.skipped.append(
                f"{item.pid} {item.title}: several live products hold its codes "
                f"({', '.join(str(s.pid) for s in item.successors)}); choose with 'ecomgit restore --onto'"
            )
        elif item.successors:
            by_successor.setdefault(item.successors[0].pid, []).append(item)
    for items in by_successor.values():
        items.sort(key=lambda lost: lost.pid)
    return dict(sorted(by_successor.items()))


def propose_lost(root: Path, config: Config) -> Healing:
    """Make a proposal branch for each successor holding the codes of products the shop lost."""
    out = Healing()
    for successor, items in candidates(root, config, out).items():
        branch = propose.branch_name(items[0].pid)
        if _branch_exists(root, branch):
            out.skipped.append(f"{items[0].pid} {items[0].title}: proposed already on {branch}")
            continue
        try:
            made = propose.propose_onto(root, config, [(item.pid, item.last_rev) for item in items], successor)
        except EcomgitError as exc:
            out.skipped.append(f"{items[0].pid} {items[0].title}: {exc}")
            continue
        out.proposed.append(
            Proposed(successor, [item.pid for item in items], made.branch, made.commit, made.what, made.notes)
        )
    return out


def _branch_exists(root: Path, branch: str) -> bool:
    """A branch of that name here, or on any remote as the last fetch saw it."""
    refs = gitrepo.run(root, "for-each-ref", "--format=%(refname)", "refs/heads", "refs/remotes", check=False)
    return any(ref == f"refs/heads/{branch}" or ref.endswith(f"/{branch}") for ref in refs.splitlines())


def restore_lost(repo: Repo, client: ShopClient, progress: Callable[[str], None]) -> list[str]:
    """``heal: auto``: restore each lost product onto the live product that alone holds its codes,
    with the plan, three-way check and guards of ``restore --onto`` (one restore commit each); what
    was done, in words. A restore refused or failed is said and the next successor is tried."""
    out = Healing()
    said: list[str] = []
    for successor, items in candidates(repo.root, repo.config, out).items():
        done: list[int] = []
        with writer(repo, "restore") as state:
            for item in items:
                primary = None if item is items[0] else items[0].pid  # the first gives the product-level content
                spec = str(item.pid)
                plan = plan_restore(repo, client, state, spec, onto=successor, primary=primary, progress=progress)
                if plan.job.refused:
                    said.append(f"not restored {item.pid} onto {successor}: {plan.job.refused}")
                    break
                result = apply_restore(repo, client, state, plan, progress=progress)
                if not result.ok:
                    job = result.plan.job
                    why = job.error or "; ".join(job.mismatches) or "refused"
                    said.append(f"restore of {item.pid} onto {successor} failed: {why}")
                    break
                done.append(item.pid)
        if done:
            said.append(f"restored {', '.join(map(str, done))} onto {successor} (heal: auto)")
    return said + [f"not restored: {why}" for why in out.skipped]
