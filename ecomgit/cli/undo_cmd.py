"""``ecomgit undo``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ecomgit import gitrepo
from ecomgit.cli.output import confirm_write, print_json, progress
from ecomgit.cli.restore_cmd import _fields, _moment
from ecomgit.errors import EcomgitError
from ecomgit.shop import make_client, open_repo, writer
from ecomgit.undo import run, show
from ecomgit.undo.plan import plan_undo, read_commits, sync_commits
from ecomgit.write.lookup import resolve_product


@click.command()
@click.argument("args", metavar="[REV] [PRODUCT...]", nargs=-1)
@click.option(
    "--since", callback=lambda ctx, param, value: _moment(value), help="Undo every sync commit from this date."
)
@click.option("--until", callback=lambda ctx, param, value: _moment(value), help="… up to this date (default: now).")
@click.option(
    "--fields",
    callback=lambda ctx, param, value: _fields(value),
    help="Only these fields, comma-separated (e.g. description,content,oldPriceExcl).",
)
@click.option(
    "--force-field",
    "force",
    multiple=True,
    callback=lambda ctx, param, value: tuple(n for v in value for n in (_fields(v) or "").split(",") if n),
    help="Take this field back even where it was changed again since (repeatable).",
)
@click.option("--all-fields", is_flag=True, help="Also write the fields Lightspeed Retail owns on a linked shop.")
@click.option("--allow-mass-change", is_flag=True, help="Allow an undo that removes things from many products.")
@click.option(
    "--delete-created",
    is_flag=True,
    help="Also delete in the shop the products REV created (and nobody changed since), after a confirmation.",
)
@click.option("--from-branch", is_flag=True, help="Write from a branch other than the mirror's default one.")
@click.option(
    "--propose",
    is_flag=True,
    help="Write nothing to the shop: make the undo a commit on a new branch ecomgit/undo-SHA, for a pull request.",
)
@click.option("--dry-run", is_flag=True, help="Print the plan and write nothing (no request is made).")
@click.option("-y", "--yes", is_flag=True, help="Write without asking.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan and result as JSON on stdout.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
def undo(
    args: tuple[str, ...],
    since: str | None,
    until: str | None,
    fields: str | None,
    force: tuple[str, ...],
    all_fields: bool,
    allow_mass_change: bool,
    delete_created: bool,
    from_branch: bool,
    propose: bool,
    dry_run: bool,
    yes: bool,
    as_json: bool,
    quiet: bool,
) -> None:
    """Take back in the shop what commit REV changed, whatever made it.

    REV is any commit: a sync (a change made in the back office, by Retail, an app or an import), a
    push, a restore or an earlier undo. Each field REV changed goes back to its value before REV,
    in each product it touched (or the PRODUCTs named: id, SKU, slug or folder), where the mirror
    still holds the value REV set; a field changed again since is left as it is and named
    (--force-field NAME takes it back anyway). Products REV deleted are restored; products it
    created are listed. --since/--until: every sync commit in that window, newest first, as one
    plan. Run 'ecomgit log --shop' to find the change to undo.
    """
    repo = open_repo(Path.cwd())
    root = repo.root
    names = list(args)
    if since or until:
        targets = sync_commits(root, since, until)
        if not targets:
            raise EcomgitError("no sync commit in that window; 'ecomgit log --shop' lists them with their dates")
    else:
        if not names:
            raise click.UsageError("say which commit to undo (REV), or a window with --since/--until")
        targets = read_commits(root, [gitrepo.resolve(root, names.pop(0))])
    products = [resolve_product(root, name) for name in names]
    wanted = [n.strip() for n in (fields or "").split(",") if n.strip()]
    languages = list(repo.config.languages)
    with writer(repo, "undo") as state:
        plan = plan_undo(root, repo.config, targets, products, fields=wanted, force=force)
        if not as_json:
            click.echo("\n".join(show.plan_lines(plan, languages)))
        if propose:
            if plan.empty:
                raise EcomgitError("nothing to propose: the plan takes nothing back")
            made = run.propose(root, repo, plan)
            if as_json:
                branches = [{"branch": p.branch, "commit": p.commit, "proposal": p.what} for p in made]
                print_json({**show.plan_json(plan, languages), "proposals": branches})
                return
            click.echo("")
            for p in made:
                click.echo(f"Proposed on branch {p.branch} (commit {p.commit[:10]}): {p.what}.")
            click.echo(
                "Nothing was written to the shop. Push each branch and open a pull request (git push -u origin "
                "BRANCH); once merged, 'ecomgit push' writes it."
            )
            return
        doomed = [g for g in plan.created if not g.why] if delete_created else []
        if dry_run or (plan.empty and not doomed):
            if as_json:
                print_json(show.plan_json(plan, languages))
            elif dry_run:
                refused = run.problems(repo, plan)
                if refused:
                    click.echo(
                        "\nThe shop would refuse the products as the undo leaves them (the undo writes nothing then):"
                    )
                    click.echo("\n".join(f"  {line}" for line in refused))
                click.echo("\nDry run: nothing was written.")
            return
        if not confirm_write(yes, "Write this undo to the shop?"):
            click.echo("Nothing written.")
            return
        say = progress(quiet or as_json)
        client = make_client(repo.config.api_url, repo.config.default_language, root=root)
        client.pacer.notify = progress(quiet)
        with client:
            result = run.apply_undo(
                repo, client, state, plan, allow_mass_change=allow_mass_change, all_fields=all_fields,
                from_branch=from_branch, fields=wanted, progress=say,
            )  # fmt: skip
            question = f"Delete the {len(doomed)} product(s) it created in the shop, with their variants and stock?"
            if doomed and confirm_write(yes, question):
                result.deleted = run.delete_created(
                    repo, client, state, plan, allow_mass_change=allow_mass_change, from_branch=from_branch,
                    progress=say,
                )  # fmt: skip
    if as_json:
        print_json({**show.plan_json(plan, languages), "result": show.result_json(result)})
    else:
        click.echo("")
        click.echo("\n".join(show.result_lines(result)))
    if not result.ok:
        sys.exit(1)
