"""``ecomgit log``."""

from __future__ import annotations

from pathlib import Path

import click

from ecomgit.cli.output import print_json
from ecomgit.history import product_log
from ecomgit.shop import open_repo
from ecomgit.undo.plan import shop_changes
from ecomgit.write.lookup import resolve_product


@click.command()
@click.argument("product", required=False)
@click.option(
    "--shop",
    is_flag=True,
    help="The shop-side changes instead: one line per sync commit (default the newest 20), with how many "
    "products and which fields it changed: the change to 'ecomgit undo'.",
)
@click.option("-n", "--max-count", type=click.IntRange(min=1), help="Only the newest N changes.")
@click.option("--json", "as_json", is_flag=True, help="Print the history as JSON on stdout.")
def log(product: str | None, shop: bool, max_count: int | None, as_json: bool) -> None:
    """The history of one PRODUCT (id, SKU, slug or folder), across renames of its folder.

    Each commit that changed it, newest first: when, whether a sync, a push, a restore or an edit
    made it, and the fields it changed, in words. With --shop: every change the shop made (the
    sync commits), newest first.
    """
    repo = open_repo(Path.cwd())
    if shop:
        if product is not None:
            raise click.UsageError("--shop lists the whole shop's changes; leave PRODUCT out")
        _shop_log(repo.root, max_count or 20, as_json)
        return
    if product is None:
        raise click.UsageError("say which PRODUCT (id, SKU, slug or folder), or --shop for the shop's changes")
    pid = resolve_product(repo.root, product)
    entries = product_log(repo.root, pid, list(repo.config.languages), max_count)
    if as_json:
        print_json({"id": pid, "history": [entry.to_json() for entry in entries]})
        return
    if not entries:
        click.echo(f"Product {pid} has no history in this mirror.")
        return
    for entry in entries:
        click.echo(f"{entry.date[:16].replace('T', ' ')}  {entry.commit[:10]}  {entry.kind:<7}  {entry.subject}")
        if entry.problem is not None:
            click.echo(f"    (not compared: a file there cannot be read: {entry.problem})")
        if entry.change is not None and entry.change.kind == "changed":
            changes = entry.change.changes
            click.echo("\n".join(f"    {line}" for change in changes[:12] for line in change.lines()))
            if len(changes) > 12:
                click.echo(
                    f"    … and {len(changes) - 12} more (ecomgit diff {entry.commit[:10]}^ {entry.commit[:10]} {pid})"
                )
        elif entry.change is not None:
            lines = entry.change.lines()
            click.echo("\n".join(f"    {line.strip()}" for line in [lines[0].split(" ", 2)[-1], *lines[1:2]]))


def _shop_log(root: Path, limit: int, as_json: bool) -> None:
    changes = shop_changes(root, limit)
    if as_json:
        print_json([change.to_json() for change in changes])
        return
    if not changes:
        click.echo("No sync commit yet: run 'ecomgit sync'.")
        return
    for change in changes:
        click.echo(change.line())
    click.echo(f"Undo one: ecomgit undo {changes[0].commit.short} --dry-run")
