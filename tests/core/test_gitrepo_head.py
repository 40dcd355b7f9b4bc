"""``gitrepo.head`` and ``gitrepo.git_dir`` read ``.git``'s files where they can, and say what ``git
rev-parse --verify HEAD`` and ``git rev-parse --absolute-git-dir`` say in every state a repository
can be in (git answers where the files are not the plain kind)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ecomgit import gitrepo


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout.strip()


def git_says(root: Path) -> str | None:
    out = subprocess.run(["git", "rev-parse", "--verify", "--quiet", "HEAD"], cwd=root, capture_output=True, text=True)
    return out.stdout.strip() or None


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "--initial-branch=main")
    return root


def commit(root: Path, message: str) -> str:
    git(root, "commit", "-q", "--allow-empty", "-m", message)
    return git(root, "rev-parse", "HEAD")


def test_before_the_first_commit_there_is_none(repo: Path) -> None:
    assert gitrepo.head(repo) is None and git_says(repo) is None


def test_a_loose_a_packed_and_a_detached_head(repo: Path) -> None:
    first = commit(repo, "one")
    assert gitrepo._head_from_files(repo) == gitrepo.head(repo) == git_says(repo) == first
    git(repo, "pack-refs", "--all")
    assert not (repo / ".git" / "refs" / "heads" / "main").exists()
    assert gitrepo._head_from_files(repo) == gitrepo.head(repo) == git_says(repo) == first
    second = commit(repo, "two")  # loose again, the packed one stale: the loose one counts
    assert gitrepo._head_from_files(repo) == gitrepo.head(repo) == git_says(repo) == second
    git(repo, "checkout", "-q", "--detach", first)
    assert gitrepo._head_from_files(repo) == gitrepo.head(repo) == git_says(repo) == first
    git(repo, "checkout", "-q", "-b", "feature/deep")
    assert gitrepo._head_from_files(repo) == gitrepo.head(repo) == git_says(repo) == first


def test_a_linked_work_tree_and_a_symbolic_branch_are_left_to_git(repo: Path, tmp_path: Path) -> None:
    first = commit(repo, "one")
    linked = tmp_path / "linked"
    git(repo, "worktree", "add", "-q", "-b", "other", str(linked))
    second = commit(linked, "two")
    assert gitrepo._head_from_files(linked) is None  # .git is a file there
    assert gitrepo.git_dir(linked) == Path(git(linked, "rev-parse", "--absolute-git-dir"))
    assert gitrepo.head(linked) == git_says(linked) == second
    git(repo, "symbolic-ref", "refs/heads/alias", "refs/heads/main")
    git(repo, "symbolic-ref", "HEAD", "refs/heads/alias")
    assert gitrepo._head_from_files(repo) is None
    assert gitrepo.head(repo) == git_says(repo) == first


def test_an_unborn_branch_and_a_damaged_ref_file_are_left_to_git(repo: Path) -> None:
    commit(repo, "one")
    git(repo, "checkout", "-q", "--orphan", "fresh")
    assert gitrepo._head_from_files(repo) is None and gitrepo.head(repo) is None and git_says(repo) is None
    git(repo, "checkout", "-q", "main")
    (repo / ".git" / "refs" / "heads" / "main").write_text("not an id\n")
    assert gitrepo._head_from_files(repo) is None
    assert gitrepo.head(repo) == git_says(repo)


def test_git_dir_in_the_environment_is_left_to_git(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commit(repo, "one")
    monkeypatch.setenv("GIT_DIR", str(repo / ".git"))
    assert gitrepo._head_from_files(repo) is None
    assert gitrepo.head(repo) == git_says(repo)


def test_the_git_dir_is_canonical_as_git_says_it(repo: Path, tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(repo)
    for root in (repo, link):
        assert gitrepo._plain_git_dir(root) is not None
        assert gitrepo.git_dir(root) == Path(git(root, "rev-parse", "--absolute-git-dir")) == repo.resolve() / ".git"


def test_a_git_folder_git_would_not_take_is_left_to_git(repo: Path, tmp_path: Path) -> None:
    commit(repo, "one")
    inner = repo / "inner"
    (inner / ".git").mkdir(parents=True)
    (inner / ".git" / "HEAD").write_text("ref: refs/heads/main\n")  # no objects/, refs/: git looks up
    assert gitrepo._plain_git_dir(inner) is None
    assert gitrepo.git_dir(inner) == Path(git(inner, "rev-parse", "--absolute-git-dir")) == repo.resolve() / ".git"
    assert gitrepo.head(inner) == git_says(inner)
