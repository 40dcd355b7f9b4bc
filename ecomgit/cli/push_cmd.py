"""``ecomgit push``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from ecomgit import branches
from ecomgit.api import ShopClient
from ecomgit.cli.output import ProductIdType, confirm_write, print_json, progress
from ecomgit.shop import Repo, make_client, open_repo, writer
from ecomgit.sync.state import State
from ecomgit.write.delete import apply_delete, plan_delete
from ecomgit.write.push import PushPlan, PushResult, apply_push, check_ready, plan_push
from ecomgit.write.push_words import describe_plan, describe_result


@click.command()
@click.option("--dry-run", is_flag=True, help="Print the plan and write nothing.")
@click.option("-y", "--yes", is_flag=True, help="Write without asking.")
@click.option("--ours", "prefer", flag_value="ours", help="On a conflict, send the edit here anyway.")
@click.option("--theirs", "prefer", flag_value="theirs", help="On a conflict, keep the shop's value for that field.")
@click.option("--all-fields", is_flag=True, help="Also write the fields Lightspeed Retail owns on a linked shop.")
@click.option(
    "--allow-variant-delete",
    is_flag=True,
    help="Allow deleting variants (and their stock): removed from a file, or given 'id: null' to make anew.",
)
@click.option(
    "--allow-mass-change",
    is_flag=True,
    help="Allow emptying texts, or removing images, variants, categories, tags, metafields or relations,"
    " of more than 10 products.",
)
@click.option(
    "--delete",
    "delete_ids",
    multiple=True,
    type=ProductIdType(),
    metavar="ID",
    help="Delete in the shop a product whose folder was removed from the mirror (repeatable); only that runs.",
)
@click.option(
    "--from-branch",
    is_flag=True,
    help="Write from a branch other than the mirror's default branch (where reviewed edits are merged).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the plan and result as JSON on stdout.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
def push(
    dry_run: bool,
    yes: bool,
    prefer: str | None,
    all_fields: bool,
    allow_variant_delete: bool,
    allow_mass_change: bool,
    delete_ids: tuple[int, ...],
    from_branch: bool,
    as_json: bool,
    quiet: bool,
) -> None:
    """Send every product edit committed since the last sync to the shop.

    Plans field by field against the live shop, refuses a product whose fields the shop changed
    differently since the last sync, writes the rest, reads back to verify and records the result
    as a commit. Exit status 1 when anything was refused or failed.
    """
    repo = open_repo(Path.cwd())
    say = progress(quiet or as_json)
    client = make_client(repo.config.api_url, repo.config.default_language, root=repo.root)
    client.pacer.notify = progress(quiet)  # a rate-limit wait is said, with its length and reason
    if delete_ids:
        with client, writer(repo, "push") as state:
            _delete(repo, client, state, delete_ids, dry_run, yes, allow_mass_change, from_branch, say)
        return
    with client, writer(repo, "push") as state:
        plan = plan_push(
            repo,
            client,
            state,
            prefer=prefer,
            all_fields=all_fields,
            allow_variant_delete=allow_variant_delete,
            allow_mass_change=allow_mass_change,
            progress=say,
        )
        if not as_json:
            click.echo(describe_plan(plan))
        if not dry_run:
            branches.check_write_branch(repo.root, "push", from_branch)  # before the prompt
            plan.check_mass_change()
        if dry_run or not plan.jobs:
            _finish(plan, None, as_json, dry_run)
            return
        if plan.writes and not confirm_write(yes, "Write this to the shop?"):
            click.echo("Nothing written.")
            return
        result = apply_push(repo, client, state, plan, progress=say, from_branch=from_branch)
    _finish(plan, result, as_json, dry_run)


def _delete(
    repo: Repo,
    client: ShopClient,
    state: State,
    ids: tuple[int, ...],
    dry_run: bool,
    yes: bool,
    allow_mass_change: bool,
    from_branch: bool,
    say: Callable[[str], None],
) -> None:
    check_ready(repo, state)
    plan = plan_delete(repo, client, ids, allow_mass_change=allow_mass_change)
    click.echo("\n".join(plan.lines()))
    if dry_run:
        click.echo("Dry run: nothing was written.")
        return
    branches.check_write_branch(repo.root, "push --delete", from_branch)
    if plan.deletions and not confirm_write(yes, f"Delete {len(plan.deletions)} product(s) in the shop?"):
        click.echo("Nothing written.")
        return
    commit = apply_delete(repo, client, state, plan, progress=say, from_branch=from_branch)
    click.echo(f"Deleted {len(plan.deletions)} product(s) in the shop; recorded as commit {commit[:10]}.")


def _finish(plan: PushPlan, result: PushResult | None, as_json: bool, dry_run: bool) -> None:
    if as_json:
        print_json(_json(plan, result, dry_run))
    elif result is not None:
        click.echo(describe_result(result))
    elif dry_run:
        click.echo("Dry run: nothing was written.")
    failed = plan.refused or (result is not None and not result.ok)
    if failed:
        sys.exit(1)


def _json(plan: PushPlan, result: PushResult | None, dry_run: bool) -> dict[str, object]:
    return {
        "dryRun": dry_run,
        "commit": result.commit if result else None,
        "requests": result.requests if result else plan.requests,
        "redirected": result.redirected if result else [],
        "stopped": result.stopped.to_json() if result and result.stopped else None,
        "products": [
            {
                "id": job.shop_id,
                "newFolder": job.new_folder,
                "title": job.title,
                "refused": job.refused,
                "changes": job.change_lines(),
                "conflicts": job.conflict_lines(),
                "leftAlone": job.skipped_lines(),
                "written": job.written,
                "error": job.error,
                "mismatches": job.mismatches,
            }
            for job in plan.jobs
        ],
        "skipped": [{"id": pid, "why": why} for pid, why in plan.skipped],
        "massChange": plan.mass_change,
    }
