"""``ecomgit sync``."""

from __future__ import annotations

from pathlib import Path

import click

from ecomgit.cli.output import print_json, progress
from ecomgit.shop import make_client, open_repo
from ecomgit.sync.report import Summary
from ecomgit.sync.run import run_sync


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the summary as a JSON object on stdout.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@click.option("--budget", type=click.IntRange(min=1), help="Stop after this many API requests (resume next run).")
@click.option(
    "--allow-mass-delete", is_flag=True, help="Allow a sync that deletes more than half of the mirrored products."
)
def sync(as_json: bool, quiet: bool, budget: int | None, allow_mass_delete: bool) -> None:
    """Read the shop and commit what changed (one commit per sync that changed anything)."""
    repo = open_repo(Path.cwd())
    with make_client(repo.config.api_url, repo.config.default_language, root=repo.root, budget=budget) as client:
        summary = run_sync(repo, client, progress(quiet or as_json), allow_mass_delete=allow_mass_delete)
    if as_json:
        print_json(summary.to_json())
    elif not quiet:
        click.echo(describe(summary))


def describe(summary: Summary) -> str:
    lines = [
        f"Synced {summary.products} products: {summary.headline()}, "
        f"{summary.images_fetched} images fetched, {summary.requests} API requests."
    ]
    lines += [change.line() for change in summary.changes[:50]]
    if len(summary.changes) > 50:
        lines.append(f"  … and {len(summary.changes) - 50} more")
    if summary.held:
        lines.append(
            f"Kept {len(summary.held)} product(s) with unpushed edits as they are: "
            + ", ".join(map(str, summary.held[:20]))
            + " (run 'ecomgit push')."
        )
    lines.append(f"Committed {summary.commit[:10]}." if summary.commit else "Nothing changed; no commit.")
    return "\n".join(lines)
