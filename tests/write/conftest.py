"""Helpers for push/restore tests: a synced mirror, edits committed like a pull request."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.mirror import files, layout
from ecomgit.shop import Repo, writer
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
