"""What the web view's buttons do: each makes a commit on a new branch for review (the same
proposals as ``restore --propose`` and ``undo --propose``, or a person's copy edit); nothing is
written to the shop, the work tree or the index. And the open ``ecomgit/*`` branches, in words."""

from __future__ import annotations

from dataclasses import dataclass, field

from ecomgit import gitrepo
from ecomgit.api.values import as_str
from ecomgit.diff import FieldChange, ProductDiff, diff
from ecomgit.errors import EcomgitError
from ecomgit.lost import Lost
from ecomgit.mirror import layout
from ecomgit.revisions import new_versions
from ecomgit.shop import Repo, writer
from ecomgit.write import propose

BRANCH_PREFIX = "ecomgit/"


@dataclass
class Made:
    """A proposal made: its branch and commit, what it does in words, and what to do next."""

    branch: str
    commit: str
    what: str
    notes: list[str] = field(default_factory=list)

    @property
    def next_steps(self) -> list[str]:
        return [
            f"git push -u origin {self.branch}",
            f"open a pull request from {self.branch} (GitHub: gh pr create --head {self.branch} --fill)",
            "once it is merged: ecomgit push",
        ]


def propose_restore(repo: Repo, item: Lost) -> Made:
    """A lost product's restore as a branch, as ``restore --propose`` makes it: onto its one successor
    (with the lost products restored together with it), else as a new product."""
    if item.restored_as is not None:
        raise EcomgitError(f"product {item.pid} was restored already, as product {item.restored_as}")
    with writer(repo, "restore"):
        branch = propose.branch_name(item.pid)
        if gitrepo.run(repo.root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", check=False).strip():
            raise EcomgitError(f"a proposal for product {item.pid} exists already: branch {branch} (see Branches)")
        if len(item.successors) == 1:
            lost = [(pid, item.last_rev) for pid in (item.together or [item.pid])]
            lost.sort(key=lambda pair: pair[0] != item.pid)  # this one gives the product-level content
            made = propose.propose_onto(repo.root, repo.config, lost, item.successors[0].pid)
            return Made(made.branch, made.commit, made.what, made.notes)
        if len(item.successors) > 1:
            held = ", ".join(str(s.pid) for s in item.successors)
            raise EcomgitError(
                f"several products hold the codes of product {item.pid} ({held}): choose one with "
                f"'ecomgit restore {item.pid} --onto ID --propose'"
            )
        branch, sha, what = propose.propose(repo.root, repo.config, item.pid, item.last_rev)
        return Made(branch, sha, what)


@dataclass
class Branch:
    name: str
    commit: str
    date: str
    author: str
    subject: str
    ahead: int
    changes: list[ProductDiff]


def open_branches(repo: Repo) -> list[Branch]:
    """The ``ecomgit/*`` branches with commits HEAD does not have, newest first, each with its change
    against where it left HEAD's history, in words."""
    fmt = "%(refname:short)%1f%(objectname)%1f%(committerdate:iso-strict)%1f%(authorname)%1f%(contents:subject)"
    out = gitrepo.run(
        repo.root, "for-each-ref", "--sort=-committerdate", f"--format={fmt}", f"refs/heads/{BRANCH_PREFIX}"
    )
    found = []
    for line in out.splitlines():
        name, sha, date, author, subject = line.split("\x1f")
        ahead = int(gitrepo.run(repo.root, "rev-list", "--count", f"HEAD..{sha}").strip() or 0)
        if not ahead:
            continue  # merged
        base = gitrepo.run(repo.root, "merge-base", "HEAD", sha).strip()
        changes = diff(repo.root, base, sha, list(repo.config.languages)) + _new_products(repo, base, sha)
        found.append(Branch(name, sha, date, author, subject, ahead, changes))
    return found


def _new_products(repo: Repo, base: str, sha: str) -> list[ProductDiff]:
    """The product folders without an id (products push will create) a branch adds, in words."""
    out = gitrepo.run(repo.root, "diff", "--name-only", "--no-renames", "--diff-filter=A", base, sha, "--", "products/")
    folders = sorted({name.split("/")[1] for name in out.splitlines() if name.count("/") >= 2})
    new = [f for f in folders if layout.folder_product_id(f) is None]
    found = []
    for folder, version in new_versions(repo.root, sha, new).items():
        title = version.product.get("title")
        name = as_str(title.get(repo.config.default_language)) if isinstance(title, dict) else folder
        images = len(version.image_blobs)
        variants = len(version.product.get("variants") or [])
        words = f"a new product in {layout.PRODUCTS_DIR}/{folder}/: {variants} variant(s), {images} image(s)"
        found.append(ProductDiff(0, name, "new", [FieldChange("product", None, folder, words)]))
    return found
