"""What the web view's buttons do: each makes a commit on a new branch for review (the same
proposals as ``restore --propose`` and ``undo --propose``, or a person's copy edit); nothing is
written to the shop, the work tree or the index. And the open ``ecomgit/*`` branches, in words."""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ecomgit import gitrepo
from ecomgit.api.values import as_str
from ecomgit.diff import FieldChange, ProductDiff, diff
from ecomgit.errors import EcomgitError
from ecomgit.lost import Lost
from ecomgit.mirror import files, layout
from ecomgit.newproducts import retail_linked
from ecomgit.pullrequests import GitHub, PullRequest, PullRequestError
from ecomgit.revisions import new_versions, version_at
from ecomgit.shop import Repo, writer
from ecomgit.undo import run as undo_run
from ecomgit.undo.plan import plan_undo, read_commits
from ecomgit.write import propose
from ecomgit.write.fields import RETAIL_PRODUCT

BRANCH_PREFIX = "ecomgit/"


@dataclass
class Made:
    """A proposal made: its branch and commit, what it does in words, and what to do next."""

    branch: str
    commit: str
    what: str
    notes: list[str] = field(default_factory=list)
    pull: PullRequest | None = None  # opened for it (GITHUB_TOKEN set)
    pull_problem: str | None = None  # why it could not be opened

    @property
    def next_steps(self) -> list[str]:
        if self.pull is not None:
            return [f"review and merge pull request #{self.pull.number}", "once it is merged: ecomgit push"]
        return [
            f"git push -u origin {self.branch}",
            f"open a pull request from {self.branch} (GitHub: gh pr create --head {self.branch} --fill)",
            "once it is merged: ecomgit push",
        ]


def open_pull_request(repo: Repo, made: Made, github: GitHub) -> None:
    """Push ``made``'s branch and open its pull request; a failure is said on the page (the branch
    is made either way, and the steps to do it by hand are shown)."""
    title = made.what[:1].upper() + made.what[1:]
    notes = "".join(f"- {note}\n" for note in made.notes)
    body = f"Proposed in `ecomgit web`: {made.what}.\n\n{notes}\nOnce merged, `ecomgit push` sends it to the shop.\n"
    try:
        made.pull = github.open(repo.root, made.branch, title, body)
    except PullRequestError as exc:
        made.pull_problem = str(exc)


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


def propose_undo(repo: Repo, pid: int, sha: str) -> list[Made]:
    """What commit ``sha`` changed in product ``pid``, taken back as ``undo --propose`` does: branches."""
    with writer(repo, "undo"):
        targets = read_commits(repo.root, [gitrepo.resolve(repo.root, sha)])
        plan = plan_undo(repo.root, repo.config, targets, [pid])
        if plan.empty:
            raise EcomgitError(
                f"nothing to take back: what commit {sha[:10]} changed in product {pid} was changed again since, "
                "or it changed nothing the shop holds"
            )
        return [Made(made.branch, made.commit, made.what) for made in undo_run.propose(repo.root, repo, plan)]


@dataclass
class Edit:
    """A person's copy edit from the form: the texts (field, language) → value, who and why."""

    base: str  # the commit the form was opened at
    texts: dict[tuple[str, str], str]
    name: str
    email: str
    message: str


EDITABLE = ("title", "fulltitle", "description", "content", "url")


def editable(repo: Repo) -> dict[str, bool]:
    """The texts the edit form shows, and whether each can be edited (Retail owns some on a linked shop)."""
    retail = retail_linked(repo.root, repo.config)
    return {name: not (retail and name in RETAIL_PRODUCT) for name in EDITABLE}


def propose_edit(repo: Repo, pid: int, edit: Edit) -> Made:
    """The edit as a commit by the person on a new branch ``ecomgit/edit-<id>-<n>``, made through a
    private index on top of HEAD (the work tree and the index are not touched)."""
    if not edit.name.strip():
        raise EcomgitError("say who you are: your name goes into the commit")
    with writer(repo, "edit"):
        head = gitrepo.resolve(repo.root, "HEAD")
        version = version_at(repo.root, head, pid)
        if version is None:
            raise EcomgitError(f"product {pid} is not in the mirror any more: nothing to edit")
        if head != edit.base and gitrepo.blob(repo.root, edit.base, version.path) != gitrepo.blob(
            repo.root, head, version.path
        ):
            raise EcomgitError(f"product {pid} changed since you opened the form: open it again, then make your edit")
        product = version.product
        allowed = editable(repo)
        changed = []
        for (name, language), value in edit.texts.items():
            values = product.get(name)
            if not allowed.get(name) or not isinstance(values, dict) or language not in repo.config.languages:
                continue
            old = as_str(values.get(language))
            new = _line_ends(old, value)
            if new != old:
                values[language] = new
                changed.append(f"{name} [{language}]")
        if not changed:
            raise EcomgitError("nothing changed: the texts are as the mirror has them")
        blob = gitrepo.run(
            repo.root, "hash-object", "-w", "--stdin", input=files.dump_product(product, repo.config.languages)
        ).strip()
        subject = (
            edit.message.strip().splitlines()[0]
            if edit.message.strip()
            else f"Edit {', '.join(changed)} of product {pid}"
        )
        body = f"{subject}\n\nEdited in ecomgit web by {edit.name.strip()}: {', '.join(changed)}.\n"
        sha = _commit_as(
            repo, head, {version.path: blob}, body, edit.name.strip(), edit.email.strip() or "web@ecomgit.invalid"
        )
        branch = _free(repo, f"{BRANCH_PREFIX}edit-{pid}")
        gitrepo.run(repo.root, "branch", branch, sha)
        return Made(branch, sha, f"{', '.join(changed)} of product {pid} edited by {edit.name.strip()}")


def _line_ends(old: str, new: str) -> str:
    """A browser sends a text area's lines ending in CRLF: kept as the text had them."""
    new = new.replace("\r\n", "\n")
    return new.replace("\n", "\r\n") if "\r\n" in old else new


def _free(repo: Repo, base: str) -> str:
    n = 1
    while gitrepo.run(repo.root, "rev-parse", "--verify", "--quiet", f"refs/heads/{base}-{n}", check=False).strip():
        n += 1
    return f"{base}-{n}"


def _commit_as(repo: Repo, head: str, blobs: dict[str, str], message: str, name: str, email: str) -> str:
    """A commit on ``head`` with ``blobs`` (path → blob id) written, authored and committed by the person."""
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(scratch) / "index")}
        person = {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
        }
        entries = "".join(f"100644 {blob}\t{path}\n" for path, blob in blobs.items()).encode()
        for args, data in ((["read-tree", head], None), (["update-index", "--index-info"], entries)):
            subprocess.run(["git", *args], cwd=repo.root, input=data, env=env, check=True, capture_output=True)
        tree = subprocess.run(["git", "write-tree"], cwd=repo.root, env=env, check=True, capture_output=True, text=True)
        made = subprocess.run(
            ["git", "commit-tree", tree.stdout.strip(), "-p", head, "-m", message],
            cwd=repo.root, env={**env, **person}, check=True, capture_output=True, text=True,
        )  # fmt: skip
    return made.stdout.strip()


@dataclass
class Branch:
    name: str
    commit: str
    date: str
    author: str
    subject: str
    ahead: int
    changes: list[ProductDiff]
    base: str  # where it left HEAD's history: the images before


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
        found.append(Branch(name, sha, date, author, subject, ahead, changes, base))
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
