"""``ecomgit diff``."""

from __future__ import annotations

from pathlib import Path

import click

from ecomgit import config as config_mod
from ecomgit import gitrepo
from ecomgit.cli.output import print_json
from ecomgit.diff import diff as product_diff
from ecomgit.diff import expected_counts, iter_diff
from ecomgit.diff_markdown import markdown
from ecomgit.diff_settings import settings_diff
from ecomgit.errors import EcomgitError
from ecomgit.ids import parse_id
from ecomgit.mirror import layout
from ecomgit.write.lookup import resolve_product


@click.command()
@click.argument("args", nargs=-1, metavar="[REV [REV]] [PRODUCT]")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON on stdout.")
@click.option("--markdown", "as_markdown", is_flag=True, help="Print a summary to post on a pull request.")
@click.option(
    "--link-base",
    default="",
    metavar="URL",
    help="With --markdown: put URL before each product file's path in links (e.g. "
    "https://github.com/OWNER/REPO/blob/SHA/); default: links relative to the repository.",
)
@click.option(
    "--worktree",
    is_flag=True,
    help="Compare with the work tree (uncommitted edits) instead of HEAD; the default when no REV is "
    "given and products/ has uncommitted edits.",
)
def diff(args: tuple[str, ...], as_json: bool, as_markdown: bool, link_base: str, worktree: bool) -> None:
    """What changed between two revisions, per product and field, in words.

    Changes to the mirror's settings (.ecomgit/, .gitattributes) come first, in words too.
    No REV: the uncommitted edits in products/ if there are any (as 'git diff' shows them), else
    what the last commit changed (a sync, push, restore or an edit). One REV: from REV to HEAD (e.g.
    'ecomgit diff main' on a pull request's branch), or to the work tree with --worktree. PRODUCT
    (an id, SKU, slug or folder) limits it to one product.
    """
    if as_json and as_markdown:
        raise click.UsageError("give --json or --markdown, not both")
    root = gitrepo.find_root(Path.cwd())
    revs: list[str] = []
    product: int | None = None
    for arg in args:
        if parse_id(arg) is None and len(revs) < 2 and _is_commit(root, arg):
            revs.append(gitrepo.resolve(root, arg))
        elif product is None:
            product = _product(root, arg)
        else:
            raise EcomgitError(f"'{arg}' is neither a revision nor the only product; see 'ecomgit diff --help'")
    if worktree and len(revs) == 2:
        raise click.UsageError("--worktree compares one revision (default HEAD) with the work tree; give at most one")
    if not revs and not worktree and gitrepo.dirty_paths(root, [str(layout.PRODUCTS_DIR)]):
        worktree = True  # uncommitted edits: those are what the person wants to see
    if worktree:
        old, new = (revs[0] if revs else gitrepo.resolve(root, "HEAD")), None
    else:
        old, new = _range(root, revs)
    settings = settings_diff(root, old, new) if product is None and new is not None else []
    if as_markdown:  # compared only as far as a comment can show
        lazily = iter_diff(root, old, new, _languages(root, old), product)
        expected = expected_counts(root, old, new) if product is None else None
        text = markdown(lazily, old, new or "worktree", link_base=link_base, settings=settings, expected=expected)
        click.echo(text, nl=False)
        return
    found = product_diff(root, old, new, _languages(root, old), product)
    if as_json:
        products = [item.to_json() for item in found]
        print_json({"from": old, "to": new, "settings": [s.to_json() for s in settings], "products": products})
        return
    to = new[:10] if new is not None else "the work tree (uncommitted)"
    if settings:
        click.echo(f"Settings changed from {old[:10]} to {to}:")
        click.echo("\n".join(f"    {change.line()}" for change in settings))
    if not found:
        click.echo(f"No product changed from {old[:10]} to {to}.")
        return
    click.echo(f"From {old[:10]} to {to}: {len(found)} product(s)")
    for item in found:
        click.echo("\n".join(item.lines()))


def _languages(root: Path, old: str) -> list[str]:
    """The mirror's languages, from its config; when a change under review broke the config (the
    review must still describe it), from the config at ``old``."""
    try:
        return list(config_mod.load(root).languages)
    except EcomgitError:
        found = (config_mod.raw_at(root, old) or {}).get("languages")
        return [code for code in found if isinstance(code, str)] if isinstance(found, list) else []


def _product(root: Path, arg: str) -> int:
    """The product ``arg`` names; when it names none and is no id either, say that it is neither a
    revision nor a product, with the branches there are (``diff main`` where the branch is master)."""
    try:
        return resolve_product(root, arg)
    except EcomgitError:
        if parse_id(arg) is not None:
            raise
    branches = gitrepo.run(root, "for-each-ref", "--format=%(refname:short)", "refs/heads/").split()
    count = gitrepo.run(root, "rev-list", "--count", "HEAD", check=False).strip() or "0"
    raise EcomgitError(
        f"'{arg}' is neither a revision nor a product (branches here: {', '.join(branches) or 'none'}; the "
        f"history has {count} commit(s)); give a branch, tag or commit (see 'git log --oneline'), or a product's "
        "id, SKU, article code, EAN or slug"
    )


def _is_commit(root: Path, rev: str) -> bool:
    try:
        gitrepo.resolve(root, rev)
    except EcomgitError:
        return False
    return True


def _range(root: Path, revs: list[str]) -> tuple[str, str]:
    if len(revs) == 2:
        return revs[0], revs[1]
    head = gitrepo.resolve(root, "HEAD")
    if revs:
        return revs[0], head
    parent = gitrepo.run(root, "rev-parse", "--verify", "--quiet", "HEAD^", check=False).strip()
    return (parent or _EMPTY_TREE), head


_EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's empty tree: the first commit against nothing
