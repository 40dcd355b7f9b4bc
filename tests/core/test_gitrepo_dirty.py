"""``gitrepo.dirty_paths``: what is uncommitted, from git's status of the whole tree (with its
untracked cache) filtered to the paths asked for — a sync, push or restore refuses to run over it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ecomgit import gitrepo


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    root = tmp_path / "mirror"
    for path in ("products/1-jas/product.yaml", "products/1-jas/images/01-a.png", "products/2-pet/product.yaml"):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(path)
    (root / "shop").mkdir()
    (root / "shop/shop.yaml").write_text("shop")
    (root / "README.md").write_text("readme")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init")
    return root


MIRROR = ["products", "shop"]


def test_a_clean_mirror_has_nothing(mirror: Path) -> None:
    assert gitrepo.dirty_paths(mirror, MIRROR) == []
    assert gitrepo.dirty_paths(mirror, ["."]) == []


def test_edits_staged_unstaged_and_untracked_are_found_only_where_asked(mirror: Path) -> None:
    (mirror / "products/1-jas/product.yaml").write_text("edited")
    (mirror / "products/1-jas/images/02-new.png").write_text("new")
    (mirror / "products/3-new").mkdir()
    (mirror / "products/3-new/product.yaml").write_text("new product")
    (mirror / "shop/shop.yaml").unlink()
    (mirror / "README.md").write_text("not the mirror")
    git(mirror, "mv", "products/2-pet", "products/2-cap")
    found = gitrepo.dirty_paths(mirror, MIRROR)
    assert sorted(found) == [
        "products/1-jas/images/02-new.png",
        "products/1-jas/product.yaml",
        "products/2-cap/product.yaml",
        "products/3-new/",
        "shop/shop.yaml",
    ]
    assert gitrepo.dirty_paths(mirror, ["shop/shop.yaml"]) == ["shop/shop.yaml"]
    assert "README.md" in gitrepo.dirty_paths(mirror, ["."])


def test_an_untracked_parent_counts_for_the_paths_inside_it(mirror: Path) -> None:
    (mirror / "extra/deep").mkdir(parents=True)
    (mirror / "extra/deep/file.txt").write_text("x")
    assert gitrepo.dirty_paths(mirror, ["extra/deep"]) == ["extra/"]
    assert gitrepo.dirty_paths(mirror, MIRROR) == []


def test_the_untracked_cache_never_hides_a_file_made_right_after_a_check(mirror: Path) -> None:
    folder = mirror / "products/1-jas/images"
    for attempt in range(20):  # each round: a check, then a new file in the same folder at once
        assert gitrepo.dirty_paths(mirror, MIRROR) == []
        stray = folder / f"stray-{attempt}.png"
        stray.write_text("x")
        assert gitrepo.dirty_paths(mirror, MIRROR) == [f"products/1-jas/images/{stray.name}"]
        stray.unlink()
