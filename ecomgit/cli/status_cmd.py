"""``ecomgit status``."""

from __future__ import annotations

from pathlib import Path

import click

from ecomgit.cli.output import print_json
from ecomgit.shop import open_repo
from ecomgit.status import status as read_status


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON on stdout.")
def status(as_json: bool) -> None:
    """Edits committed since the last sync that 'ecomgit push' would send, and any unfinished sync."""
    repo = open_repo(Path.cwd())
    result = read_status(repo.root, repo.work_dir / "sync.db", repo.config)
    if as_json:
        print_json(result.to_json())
        return
    last = f"Last sync: {result.age()}"
    if result.last_sync and not result.changed:
        last += f" (nothing changed; the last change it brought: {result.change_age()}, commit {result.last_sync[:10]})"
    elif result.last_sync:
        last += f" (commit {result.last_sync[:10]})"
    click.echo(last)
    if result.running is not None:
        click.echo(f"An ecomgit {result.running} is running in this repository now.")
    elif result.sync_unfinished:
        click.echo("A sync was interrupted and has not finished; 'ecomgit sync' completes it.")
    if result.pending:
        click.echo(f"{len(result.pending)} product(s) with edits to push ('ecomgit push --dry-run' shows them):")
        for pid, folder in result.pending.items():
            click.echo(f"    {pid}  products/{folder}" if folder else f"    {result.removed[pid]}")
    elif not result.new_folders:
        click.echo("Nothing to push.")
    for name, why in result.new_folders.items():
        click.echo(f"products/{name}/: {why}")
    if result.uncommitted:
        if result.running:
            said = (
                f"are the running {result.running.split()[0]}'s work in progress; do not commit them: it commits "
                "them when it finishes"
            )
        elif result.sync_unfinished:
            said = (
                "are the unfinished sync's work in progress; do not commit them: 'ecomgit sync' finishes and "
                "commits them"
            )
        else:
            said = "are uncommitted changes (commit them to push)"
        click.echo(f"{len(result.uncommitted)} file(s) in products/ or shop/ {said}:")
        for name in result.uncommitted[:20]:
            click.echo(f"    {name}")
    for folder, names in result.left_behind.items():
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        click.echo(
            f"{folder}/ has no product any more (deleted from the shop, or renamed) but holds files ecomgit did not "
            f"write ({shown}); ecomgit left them there: move them where you want them, then remove the folder"
        )
