"""``ecomgit lost``."""

from __future__ import annotations

from pathlib import Path

import click

from ecomgit.cli.output import print_json
from ecomgit.heal import propose_lost
from ecomgit.lost import find_lost, groups
from ecomgit.newproducts import retail_linked
from ecomgit.shop import Repo, open_repo, writer


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON on stdout.")
@click.option("--all", "include_restored", is_flag=True, help="Also list products already restored.")
@click.option(
    "--propose",
    is_flag=True,
    help="Propose each lost product whose codes one live product now holds back onto it, as 'restore --propose "
    "--onto' does: one branch per successor, nothing sent to the shop. Skips those proposed already (a branch "
    "here or on the remote). The sync workflow opens a pull request for each.",
)
def lost(as_json: bool, include_restored: bool, propose: bool) -> None:
    """Products the shop deleted: when, their last revision, likely successors, how to restore.

    Reads the mirror's history only (no API request); run 'ecomgit sync' first to be current.
    """
    repo = open_repo(Path.cwd())
    if propose:
        _propose(repo, as_json)
        return
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


def _propose(repo: Repo, as_json: bool) -> None:
    with writer(repo, "restore"):  # no other writer moves HEAD meanwhile
        healing = propose_lost(repo.root, repo.config)
    if as_json:
        print_json({"proposed": [p.to_json() for p in healing.proposed], "skipped": healing.skipped})
        return
    for made in healing.proposed:
        click.echo(f"Proposed on branch {made.branch} (commit {made.commit[:10]}): restore {made.what}.")
        for note in made.notes:
            click.echo(f"  {note}")
    for why in healing.skipped:
        click.echo(f"Not proposed: {why}")
    if not healing.proposed and not healing.skipped:
        click.echo("Nothing to propose: no lost product's codes live in another product.")
    elif healing.proposed:
        click.echo(
            "Nothing was written to the shop. Push each branch and open a pull request; once merged, "
            "'ecomgit push' writes it to the shop."
        )
