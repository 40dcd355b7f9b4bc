"""``ecomgit check``."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from ecomgit.check import check as check_products
from ecomgit.cli.output import print_json
from ecomgit.cli.price_review import show_review
from ecomgit.prices.review import review
from ecomgit.shop import open_repo


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON on stdout.")
@click.option(
    "--prices",
    "prices",
    is_flag=True,
    help="Instead: flag each old price the work tree (a branch, a pull request) sets or raises above the lowest "
    "price of the window (prices.windowDays) on the base, with the figures; exit 1 when there is one.",
)
@click.option(
    "--base", metavar="REV", help="With --prices: the branch or commit to compare with (default: the default branch)."
)
@click.option(
    "--markdown", "as_markdown", is_flag=True, help="With --prices: a section for the pull request's comment."
)
def check(paths: tuple[Path, ...], as_json: bool, prices: bool, base: str | None, as_markdown: bool) -> None:
    """Validate product files: YAML, field types and values, languages, prices, order limits, images.

    Also: image bytes (format, size), duplicate product ids and variant codes, symbolic links
    (refused), and image files git does not track (push sends the commit, not the work tree).
    PATHS are product files, product folders or image files (default: every product). Each problem
    is printed with its file, line and what to fix; exit status 1 when there is any. Works as a
    pre-commit hook and as a CI check for pull requests. Reads no API.

    With --prices: each old price the work tree (a branch, uncommitted edits) sets or raises compared
    with the default branch (--base REV), against the lowest price of the window before the
    reduction on that branch's history (the EU's 30-day rule; docs/prices.md); exit 1 when one is
    above it.
    """
    if prices and paths:
        raise click.UsageError("--prices compares every product file the change touches; give it no PATHS")
    if as_json and as_markdown:
        raise click.UsageError("give --json or --markdown, not both")
    repo = open_repo(Path.cwd())
    if prices:
        found = review(repo.root, repo.config.prices, base, int(time.time()))
        show_review(found, repo.config.prices, as_json, as_markdown)
        if found.flagged:
            sys.exit(1)
        return
    if base or as_markdown:
        raise click.UsageError("--base and --markdown go with --prices")
    checked, problems = check_products(repo.root, paths, repo.config)
    if as_json:
        print_json(
            {
                "checked": len(checked),
                "problems": [
                    {"file": _rel(p.path), "line": p.line, "field": p.field, "message": _strip(p.message, repo.root)}
                    for p in problems
                ],
            }
        )
    else:
        for problem in problems:
            click.echo(str(problem).replace(str(repo.root) + os.sep, ""))
        files = len({p.path for p in problems})
        summary = f"{len(problems)} problem(s) in {files} of {len(checked)} product file(s)"
        click.echo(summary if problems else f"{len(checked)} product file(s) checked: no problems.", err=bool(problems))
    if problems:
        sys.exit(1)


def _strip(message: str, root: Path) -> str:
    """Other files a message names (the second folder of a duplicate), as repository paths."""
    return message.replace(str(root) + os.sep, "")


def _rel(path: str) -> str:
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path
