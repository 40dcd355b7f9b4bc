"""``ecomgit lost``."""

from __future__ import annotations

from pathlib import Path

import click

from ecomgit.cli.output import print_json
from ecomgit.lost import find_lost, groups
from ecomgit.newproducts import retail_linked
from ecomgit.shop import open_repo


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON on stdout.")
@click.option("--all", "include_restored", is_flag=True, help="Also list products already restored.")
def lost(as_json: bool, include_restored: bool) -> None:
    """Products the shop deleted: when, their last revision, likely successors, how to restore.

    Reads the mirror's history only (no API request); run 'ecomgit sync' first to be current.
    """
    repo = open_repo(Path.cwd())
    retail = retail_linked(repo.root, repo.config)
    found = find_lost(repo.root, repo.config.default_language, include_restored=include_restored, retail=retail)
    if as_json:
        print_json([item.to_json() for item in found])
        return
    if not found:
        click.echo("No deleted products: every product the mirror has seen is still in the shop (or restored).")
        return
    for item in found:
        click.echo(f"{item.pid} {item.title}")
        click.echo(f"    deleted from the shop: {item.deleted_at} (commit {item.deleted_in[:10]})")
        click.echo(f"    last revision: {item.last_rev[:10]}   codes: {', '.join(item.codes) or '(none)'}")
        if item.restored_as is not None:
            click.echo(f"    restored as product {item.restored_as}")
        for succ in item.successors:
            click.echo(f"    successor? {succ.pid} {succ.title} (holds {', '.join(succ.codes)})")
        if item.waiting:
            click.echo("    waiting for Retail to publish it again (no live product holds its codes yet)")
        elif not item.successors:
            click.echo("    no live product holds its codes")
        if item.not_fetched:
            click.echo(
                f"    images not fetched in that revision (the CDN did not give them), so restore cannot bring "
                f"them back: {', '.join(item.not_fetched)}"
            )
        click.echo(f"    restore: {item.command}")
    for pid, items in groups(found).items():
        named = [item.pid for item in sorted(items, key=lambda lost: lost.pid)]
        listed = ", ".join(map(str, named[:-1])) + f" and {named[-1]}"
        click.echo(f"{pid} {items[0].successors[0].title} now holds the codes of {listed}: {items[0].command}")
