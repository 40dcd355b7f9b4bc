"""Helpers for push/restore tests: a synced mirror, edits committed like a pull request."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ecomgit import gitrepo, records
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp, retail
from ecomgit.mirror import files, layout
from ecomgit.shop import Repo, writer
from ecomgit.sync.run import run_sync
from ecomgit.sync.state import State
from ecomgit.write.push import PushResult, apply_push, plan_push
from ecomgit.write.restore import RestoreResult, apply_restore, plan_restore

KUSTWEG = 72418339  # sample product: 3 variants, 2 images, relations, a category and a tag


def quiet(message: str) -> None:
    pass


def folder_of(repo: Repo, pid: int) -> Path:
    return next(p for p in (repo.root / layout.PRODUCTS_DIR).iterdir() if p.name.startswith(f"{pid}-"))


def edit(repo: Repo, pid: int, change: Callable[[dict[str, Any]], None], message: str = "Edit copy") -> None:
    """Edit a product file and commit it, as a merged pull request would."""
    path = folder_of(repo, pid) / layout.PRODUCT_FILE
    data = files.read_product(path)
    change(data)
    files.write_product(path, data, repo.config.languages)
    gitrepo.stage(repo.root, [str(path.relative_to(repo.root))])
    gitrepo.commit(repo.root, message)


def push(repo: Repo, client: ShopClient, **options: Any) -> PushResult:
    with writer(repo, "push") as state:
        plan = plan_push(repo, client, state, progress=quiet, **options)
        return apply_push(repo, client, state, plan, progress=quiet)


def restore(repo: Repo, client: ShopClient, spec: str, **options: Any) -> RestoreResult:
    with writer(repo, "restore") as state:
        plan = plan_restore(repo, client, state, spec, progress=quiet, **options)
        return apply_restore(repo, client, state, plan, progress=quiet)


def restored_anew(repo: Repo, client: ShopClient, app: EmulatorApp, pid: int) -> int:
    """Delete from eCom, sync, restore (a new product is made); the new product's id."""
    retail.delete_from_ecom(app.shop, pid)
    run_sync(repo, client)
    result = restore(repo, client, str(pid))
    assert result.ok and result.plan.job.target is not None, result.plan.job.error or result.plan.job.mismatches
    return result.plan.job.target


def published_again(repo: Repo, client: ShopClient, app: EmulatorApp, pid: int) -> int:
    """On a shop now linked to Retail: Delete from eCom, Retail publishes the item again, sync; the
    successor's id (restore onto it is the test's)."""
    app.shop.info.is_retail = True
    run_sync(repo, client)
    skus = [v.sku for v in app.shop.products[pid].variants]
    retail.delete_from_ecom(app.shop, pid)
    published = retail.publish(app.shop, skus)
    run_sync(repo, client)
    return published


def as_an_older_version_wrote_it(
    repo: Repo, rewrite: Callable[[Path], None], meta: Mapping[str, str] = MappingProxyType({})
) -> None:
    """Every product file rewritten by ``rewrite`` (to what a version without some key wrote),
    committed as that version's sync, and the sync state pointed at it (with ``meta`` set)."""
    for path in (repo.root / layout.PRODUCTS_DIR).glob(f"*/{layout.PRODUCT_FILE}"):
        rewrite(path)
    gitrepo.stage(repo.root, [layout.PRODUCTS_DIR.as_posix()])
    stamp = "".join(f"{line}\n" for line in records.stamp(repo.root, kind="sync"))
    sha = gitrepo.commit(repo.root, f"Sync: as ecomgit 0.1 wrote it\n\nEcomgit-Sync: 2026-01-01T00:00:00Z\n{stamp}")
    state = State(repo.work_dir / "sync.db")
    with state.transaction():
        state.set_meta("sync_commit", sha)
        for key, value in meta.items():
            state.set_meta(key, value)
    state.close()


def without_lines(*marks: str) -> Callable[[Path], None]:
    """A rewrite that drops each line containing one of ``marks``."""

    def rewrite(path: Path) -> None:
        kept = (line for line in path.read_text().splitlines(keepends=True) if not any(m in line for m in marks))
        path.write_text("".join(kept))

    return rewrite
