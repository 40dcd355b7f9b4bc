"""Starting states built once and copied per test, cheaply.

A synced mirror fresh from ``init`` and a sync holds a few hundred loose git objects; copying (and
later deleting) each of them per test was most of a test's setup. A template is packed once, so each
copy is its work tree plus a handful of files, and copied with ``cp -a`` (a third of the time of
``shutil.copytree``). Every test still gets its own full repository: nothing is shared or linked.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def git_template(path: Path) -> Path:
    """A git template directory with no sample hooks (13 files git would copy into every repository a
    test makes), only the ``info/exclude`` some tests append to."""
    (path / "info").mkdir(parents=True, exist_ok=True)
    (path / "info" / "exclude").touch()
    return path


def pack(repo: Path) -> Path:
    """Pack ``repo``'s objects (a work tree's ``.git`` or a bare repository) into one pack file, and
    drop git's sample hooks (a template may be built before a test's git config is in place)."""
    subprocess.run(["git", "repack", "-a", "-d", "-q"], cwd=repo, check=True)
    git_dir = repo / ".git" if (repo / ".git").is_dir() else repo
    for sample in (git_dir / "hooks").glob("*.sample"):
        sample.unlink()
    return repo


def copy_repo(template: Path, target: Path) -> Path:
    """A copy of ``template`` at ``target`` (which must not exist): symlinks, modes and times kept."""
    if target.exists():
        raise FileExistsError(target)
    subprocess.run(["cp", "-a", "--", str(template), str(target)], check=True)
    return target
