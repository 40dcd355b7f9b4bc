"""``ecomgit push --delete ID…``: delete in the shop products whose folder was removed from the mirror.

Removing a product's folder in git (a reviewed pull request) is not enough to delete it in the
shop, and nothing else ever deletes a product: a deletion takes its variants, their stock and
order history with it. This is the one way, asked for by id, confirmed, and only for products
whose folder is gone at HEAD while the shop still has them. Each is read first (it must still
exist), deleted, and the deletion recorded in a commit of its own (``Ecomgit-Push``, the products
in ``Ecomgit-Recorded``), after which the mirror and the shop agree and nothing is pending.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ecomgit import branches, gitrepo, records
from ecomgit.api import ShopClient
from ecomgit.api.values import as_str
from ecomgit.errors import EcomgitError, NotFoundError
from ecomgit.mirror import layout
from ecomgit.revisions import folder_at
from ecomgit.shop import Repo
from ecomgit.sync.state import State
from ecomgit.text import one_line
from ecomgit.write.guards import MASS_CHANGE_MIN
from ecomgit.write.record import commit_record

Progress = Callable[[str], None]


@dataclass
class Deletion:
    pid: int
    title: str
    variants: int


@dataclass
class DeletePlan:
    deletions: list[Deletion] = field(default_factory=list)
    gone: list[int] = field(default_factory=list)  # already not in the shop: only recorded

    def lines(self) -> list[str]:
        lines = [
            f"- {d.pid} {d.title}: delete it in the shop, with its {d.variants} variant(s), their stock and images"
            for d in self.deletions
        ]
        return lines + [f"= {pid}: already gone from the shop; the mirror records that" for pid in self.gone]


def removed_hint(root: Path, pid: int, record: records.Record | None) -> str:
    """What a product whose folder was removed (and is still in the shop) leaves the user to do."""
    folder = folder_at(root, record.sha, pid) if record is not None else None
    back = (
        f"'git checkout {record.sha[:10]} -- {layout.PRODUCTS_DIR}/{folder}' brings the folder back"
        if record is not None and folder is not None
        else "restoring its folder from history brings it back"
    )
    return (
        f"{pid} was removed from the mirror but is still in the shop: 'ecomgit push --delete {pid}' deletes "
        f"it in the shop, {back}"
    )


def plan_delete(repo: Repo, client: ShopClient, ids: Sequence[int], *, allow_mass_change: bool) -> DeletePlan:
    """Check each id is a product whose folder was removed at HEAD, and read it from the shop."""
    root = repo.root
    found = records.pending(root)
    plan = DeletePlan()
    for pid in dict.fromkeys(ids):
        if folder_at(root, "HEAD", pid) is not None:
            raise EcomgitError(
                f"product {pid} still has its folder in the mirror; remove the folder in a commit (reviewed like "
                f"any edit), then run 'ecomgit push --delete {pid}'; nothing was written"
            )
        if pid not in found.folders:
            raise EcomgitError(
                f"product {pid} is not a product whose folder was removed since the last sync (see 'ecomgit status'); "
                "nothing was written"
            )
        try:
            record = client.get_one(f"catalog/{pid}", "product", lang=repo.config.default_language)
        except NotFoundError:
            plan.gone.append(pid)
            continue
        title = one_line(as_str(record.get("title"))) or f"product {pid}"
        variants = record.get("variants")
        plan.deletions.append(Deletion(pid, title, len(variants) if isinstance(variants, list | dict) else 0))
    if len(plan.deletions) > MASS_CHANGE_MIN and not allow_mass_change:
        raise EcomgitError(
            f"this would delete {len(plan.deletions)} products in the shop; nothing was written. Run again with "
            "--allow-mass-change if that is what you want"
        )
    return plan


def apply_delete(
    repo: Repo, client: ShopClient, state: State, plan: DeletePlan, *, progress: Progress, from_branch: bool = False
) -> str:
    """Delete, then record; the record commit's id."""
    branches.check_write_branch(repo.root, "push --delete", from_branch)
    before = client.requests
    deleted = []
    for item in plan.deletions:
        progress(f"deleting product {item.pid}")
        with contextlib.suppress(NotFoundError):  # gone meanwhile: what was asked
            client.delete(f"products/{item.pid}")
        deleted.append(item)
    lines = [f"Push: {len(deleted)} product(s) deleted in the shop", ""]
    lines += [f"  {d.pid} {d.title} ({d.variants} variant(s))" for d in deleted]
    lines += [f"  {pid} (already gone)" for pid in plan.gone]
    return commit_record(
        repo.root,
        state,
        trailer=gitrepo.PUSH_TRAILER,
        message=lines,
        requests=client.requests - before,
        folders=[],
        written=[d.pid for d in deleted],
        recorded=[d.pid for d in deleted] + plan.gone,
    )
