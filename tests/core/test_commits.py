"""Products read at a revision together: a fixed number of git processes however many, and the
same answers as reading them one by one (issue 27: a push of 112 products asked git 1 052 times)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from ecomgit import gitrepo
from ecomgit.revisions import version_at, versions_at
from ecomgit.shop import Repo
from tests.write.conftest import KUSTWEG, edit


def description(text: str) -> Any:
    def change(product: dict[str, Any]) -> None:
        product["description"]["nl"] = text

    return change


def product_ids(root: Path) -> list[int]:
    return sorted(int(p.name.split("-")[0]) for p in (root / "products").iterdir())


def test_many_products_at_a_revision_cost_three_git_processes(synced: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    root = synced.root
    edit(synced, KUSTWEG, description("A commit no test has read yet."))
    pids = product_ids(root)
    processes: list[list[str]] = []
    real = subprocess.run

    def counted(args: Any, *rest: Any, **options: Any) -> Any:
        if isinstance(args, list) and args[:1] == ["git"]:
            processes.append(args)
        return real(args, *rest, **options)

    monkeypatch.setattr(subprocess, "run", counted)
    together = versions_at(root, "HEAD", [*pids, 999])  # an id the revision does not hold is left out
    assert len(processes) <= 3, processes  # rev-parse, one ls-tree, one cat-file --batch
    monkeypatch.setattr(subprocess, "run", real)
    assert sorted(together) == pids
    for pid in pids:
        alone = version_at(root, "HEAD", pid)
        assert alone is not None
        mine = together[pid]
        assert (mine.folder, mine.product, mine.image_blobs) == (alone.folder, alone.product, alone.image_blobs)
        assert mine.image_blobs == gitrepo.tree_blobs(root, "HEAD", f"products/{mine.folder}/images")
    assert together[KUSTWEG].product["description"]["nl"] == "A commit no test has read yet."


def test_a_moving_revision_is_read_anew_and_an_old_commit_stays_as_it_was(synced: Repo) -> None:
    root = synced.root
    before = gitrepo.resolve(root, "HEAD")
    old = versions_at(root, "HEAD", [KUSTWEG])[KUSTWEG].product["description"]["nl"]
    edit(synced, KUSTWEG, description("Changed after the first read."))
    assert versions_at(root, "HEAD", [KUSTWEG])[KUSTWEG].product["description"]["nl"] == (
        "Changed after the first read."
    )
    assert versions_at(root, before, [KUSTWEG])[KUSTWEG].product["description"]["nl"] == old
    assert versions_at(root, "no-such-branch", [KUSTWEG]) == {}
    # each caller gets its own copy: changing one does not change what the next caller reads
    versions_at(root, before, [KUSTWEG])[KUSTWEG].product["visibility"] = "hidden"
    assert versions_at(root, before, [KUSTWEG])[KUSTWEG].product["visibility"] == "visible"
