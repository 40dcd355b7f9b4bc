"""Which branch a mirror's writes come from: its default branch, where reviewed edits land.

``push`` sends the commit checked out. A copywriter's branch that was never reviewed or merged
must not reach the shop by someone running ``ecomgit push`` on it, so push refuses to write from
any other branch unless asked (``--from-branch``). The default branch is the one the mirror's
origin names (``refs/remotes/origin/HEAD``, set by ``git clone``); in a repository without one,
the only local branch, or ``main`` or ``master`` when it exists.
"""

from __future__ import annotations

from pathlib import Path

from ecomgit import gitrepo
from ecomgit.errors import EcomgitError


def default_branch(root: Path) -> str | None:
    """The mirror's default branch, or None when the repository does not say."""
    origin = gitrepo.run(root, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD", check=False).strip()
    if origin:
        return origin.split("/", 1)[1] if "/" in origin else origin
    local = gitrepo.run(root, "for-each-ref", "--format=%(refname:short)", "refs/heads/").split()
    if len(local) == 1:
        return local[0]
    return next((name for name in ("main", "master") if name in local), None)


def check_write_branch(root: Path, what: str, allowed: bool) -> None:
    """Refuse a write from a branch other than the default one unless ``allowed``."""
    if allowed:
        return
    here = gitrepo.run(root, "symbolic-ref", "--quiet", "--short", "HEAD", check=False).strip()
    default = default_branch(root)
    if default is None or here == default:
        return
    where = f"branch '{here}'" if here else "a detached HEAD"
    raise EcomgitError(
        f"this is {where}, not the mirror's default branch '{default}': {what} sends what was reviewed and "
        f"merged there. Merge it into '{default}' (a pull request) and {what} from there, or run again with "
        f"--from-branch to send this branch's commit anyway; nothing was written"
    )
