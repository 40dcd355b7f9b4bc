"""``ecomgit restore``."""

from __future__ import annotations

import difflib
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from ecomgit.api import ShopClient
from ecomgit.cli.output import ONTO, confirm_write, print_json, progress
from ecomgit.mirror import schema
from ecomgit.shop import Repo, make_client, open_repo, writer
from ecomgit.sync.state import State
from ecomgit.write import propose as proposal
from ecomgit.write import reviews
from ecomgit.write.lookup import resolve_product
from ecomgit.write.restore import (
    RestorePlan,
    RestoreResult,
    apply_restore,
    plan_restore,
    resolve_onto,
    restore_revision,
)


@click.command()
@click.argument("products", metavar="PRODUCT...", nargs=-1, required=True)
@click.option("--rev", help="The git revision to restore from (any commit, tag, HEAD~3, …).")
@click.option(
    "--at",
    callback=lambda ctx, param, value: _moment(value),
    help="Restore the product as it was at this date/time (e.g. 2026-11-01 or '2026-11-01 12:00').",
)
@click.option(
    "--onto",
    type=ONTO,
    help="Graft the content onto this (successor) product instead; 'auto': the one live product holding its codes.",
)
@click.option(
    "--fields",
    callback=lambda ctx, param, value: _fields(value),
    help="Only these fields, comma-separated (e.g. description,content,oldPriceExcl).",
)
@click.option("--all-fields", is_flag=True, help="Also write the fields Lightspeed Retail owns on a linked shop.")
@click.option(
    "--allow-variant-delete",
    is_flag=True,
    help="Allow deleting the shop's variants (and their stock) that the revision does not have.",
)
@click.option(
    "--create",
    is_flag=True,
    help="Make a deleted product anew even though live products hold its codes (the shop then holds them twice).",
)
@click.option(
    "--exact",
    is_flag=True,
    help="With --onto: make the successor's images, categories, tags, metafields and relations exactly the "
    "revision's (by default a graft only adds to them).",
)
@click.option(
    "--primary",
    help="With several products --onto one: the one whose product-level content (texts, SEO, data) the "
    "successor gets (default: the first named).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Let a restore --onto replace the product-level content an earlier restore onto the same product wrote.",
)
@click.option(
    "--no-redirects",
    is_flag=True,
    help="With --onto: make no 301 redirects from the restored product's old addresses to the successor's.",
)
@click.option(
    "--propose",
    is_flag=True,
    help="Write nothing to the shop: make the restore (also --onto) a commit on a new branch ecomgit/restore-ID, "
    "for a pull request; once merged, 'ecomgit push' applies it (and makes the redirects it proposes).",
)
@click.option("--dry-run", is_flag=True, help="Print the plan and write nothing.")
@click.option("-y", "--yes", is_flag=True, help="Write without asking.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan and result as JSON on stdout.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
def restore(
    products: tuple[str, ...],
    rev: str | None,
    at: str | None,
    onto: int | str | None,
    fields: str | None,
    all_fields: bool,
    allow_variant_delete: bool,
    create: bool,
    exact: bool,
    primary: str | None,
    replace: bool,
    no_redirects: bool,
    propose: bool,
    dry_run: bool,
    yes: bool,
    as_json: bool,
    quiet: bool,
) -> None:
    """Make the shop's PRODUCT match a revision of the mirror; a deleted product comes back.

    PRODUCT is an id, a SKU or article code, a slug or the product's folder. A product the shop
    deleted is restored from its last mirrored version, as a new product or --onto its successor.
    A product whose codes a live product holds is not made anew unless --create: that product is
    named as its successor. Several products --onto one successor (a matrix of several items): each
    matched variant gets its own product's content, the successor's product-level content comes
    from the first named (or --primary), images, links, metafields and relations are the union.
    """
    if len(products) > 1 and onto is None:
        raise click.UsageError("several products are restored --onto one successor (give --onto ID or --onto auto)")
    if primary is not None:
        if primary not in products:
            raise click.BadParameter(f"{primary!r} is not one of the products named", param_hint="--primary")
        products = (primary, *[p for p in products if p != primary])
    repo = open_repo(Path.cwd())
    if propose:
        wanted = [name.strip() for name in (fields or "").split(",") if name.strip()]
        if onto is None and (len(products) > 1 or wanted or all_fields or exact or replace):
            raise click.UsageError("--fields, --all-fields, --exact and --replace go with --onto when proposing")
        graft = {
            "exact": exact, "fields": wanted, "all_fields": all_fields, "replace": replace, "redirect": not no_redirects
        }  # fmt: skip
        _propose(repo, products, rev, at, onto, as_json, **graft)
        return
    say = progress(quiet or as_json)
    wanted = [name.strip() for name in (fields or "").split(",") if name.strip()]  # checked by _fields
    client = make_client(repo.config.api_url, repo.config.default_language, root=repo.root)
    client.pacer.notify = progress(quiet)  # a rate-limit wait is said, with its length and reason
    options = dict(
        rev=rev, at=at, fields=wanted, all_fields=all_fields, allow_variant_delete=allow_variant_delete,
        create=create, exact=exact, replace=replace, redirect=not no_redirects, progress=say,
    )  # fmt: skip
    with client, writer(repo, "restore") as state:
        plan = plan_restore(repo, client, state, products[0], onto=onto, **options)  # type: ignore[arg-type]
        if len(products) > 1:
            _several(repo, client, state, plan, products[1:], options, dry_run, yes, as_json)
            return
        if not as_json:
            click.echo(describe_plan(plan))
        if dry_run or (plan.job.live is not None and plan.job.decision.empty):
            _finish(plan, None, as_json, dry_run)
            return
        if not confirm_write(yes, "Write this to the shop?"):
            click.echo("Nothing written.")
            return
        result = apply_restore(repo, client, state, plan, progress=say)
    _finish(plan, result, as_json, dry_run)


def _propose(
    repo: Repo,
    products: tuple[str, ...],
    rev: str | None,
    at: str | None,
    onto: int | str | None,
    as_json: bool,
    **graft: Any,
) -> None:
    with writer(repo, "restore"):  # no other writer moves HEAD meanwhile
        pids = [resolve_product(repo.root, name) for name in products]
        revisions = [(pid, restore_revision(repo.root, pid, rev, at)) for pid in pids]
        if onto is None:
            branch, sha, what = proposal.propose(repo.root, repo.config, pids[0], revisions[0][1])
            notes: list[str] = []
        else:
            target = (
                onto
                if isinstance(onto, int)
                else resolve_onto(repo.root, None, pids[0], str(onto), revisions[0][1], repo.config.default_language)
            )
            made = proposal.propose_onto(repo.root, repo.config, revisions, target, **graft)
            branch, sha, what, notes = made.branch, made.commit, made.what, made.notes
    if as_json:
        print_json({"branch": branch, "commit": sha, "proposal": what, "notes": notes})
        return
    click.echo(f"Proposed on branch {branch} (commit {sha[:10]}): restore {what}.")
    for note in notes:
        click.echo(f"  {note}")
    click.echo(
        f"Nothing was written to the shop. Push the branch and open a pull request (git push -u origin {branch}); "
        "once it is merged, 'ecomgit push' writes it to the shop."
    )


def _several(
    repo: Repo,
    client: ShopClient,
    state: State,
    first: RestorePlan,
    rest: tuple[str, ...],
    options: dict[str, Any],
    dry_run: bool,
    yes: bool,
    as_json: bool,
) -> None:
    """Several lost products onto one successor: one plan shown and confirmed; each written in turn,
    the ones after the first planned again just before their write (the first changed the successor)."""
    target, primary = first.job.target, first.job.source
    assert target is not None  # --onto: the successor exists (plan_restore refused otherwise)

    def plan_rest(spec: str) -> RestorePlan:
        return plan_restore(repo, client, state, spec, onto=target, primary=primary, **options)

    plans = [first, *[plan_rest(spec) for spec in rest]]
    if not as_json:
        click.echo("\n\n".join(describe_plan(plan) for plan in plans))
    if dry_run:
        _finish_all(plans, [], as_json, dry_run)
        return
    if not confirm_write(yes, f"Write these {len(plans)} restores to product {target}?"):
        click.echo("Nothing written.")
        return
    results = [apply_restore(repo, client, state, first, progress=options["progress"])]
    for spec in rest:
        if not results[-1].ok:
            break  # the rest would build on a successor half as meant
        results.append(apply_restore(repo, client, state, plan_rest(spec), progress=options["progress"]))
    _finish_all(plans, results, as_json, dry_run)


def _finish_all(plans: list[RestorePlan], results: list[RestoreResult], as_json: bool, dry_run: bool) -> None:
    if as_json:
        done: list[RestoreResult | None] = [*results, *[None] * (len(plans) - len(results))]
        print_json([_json(plan, result, dry_run) for plan, result in zip(plans, done, strict=True)])
    elif dry_run:
        click.echo("Dry run: nothing was written.")
    else:
        for result in results:
            click.echo(_result_lines(result.plan, result))
    if (len(results) < len(plans) or not all(result.ok for result in results)) and not dry_run:
        sys.exit(1)


def describe_plan(plan: RestorePlan) -> str:
    job = plan.job
    lines = [f"Restore {job.source} {job.title} from {plan.rev[:10]} {plan.mode}:"]
    if plan.creates:
        lines.append("    every field, variant, image, category, tag, metafield and relation of that revision")
        if plan.not_fetched:
            lines.append(
                f"    except images {', '.join(plan.not_fetched)}: the CDN did not give their files when that "
                "revision was synced, so no revision holds their bytes"
            )
    elif job.decision.empty:
        lines.append("    nothing to do: the shop already matches that revision")
    lines += [f"    {line}" for line in job.plan_lines()]
    lines += [f"    (left alone) {line}" for line in job.skipped_lines()]
    lines += [f"    {r.line()}" for r in plan.redirects]
    lines += [
        f"    relate {other} {title} to it again (the shop dropped that relation)" for other, title, _ in plan.incoming
    ]
    lines += [f"    warning: {warning}" for warning in plan.warnings]
    if plan.retail and plan.creates:
        lines.append("    note: the shop is linked to Lightspeed Retail; a product made here is not known to Retail")
    lines.append(f"Planning used {plan.requests} API request(s).")
    return "\n".join(lines)


def _finish(plan: RestorePlan, result: RestoreResult | None, as_json: bool, dry_run: bool) -> None:
    if as_json:
        print_json(_json(plan, result, dry_run))
    elif result is not None:
        click.echo(_result_lines(plan, result))
    elif dry_run:
        click.echo("Dry run: nothing was written.")
    if result is not None and not result.ok:
        sys.exit(1)


def _json(plan: RestorePlan, result: RestoreResult | None, dry_run: bool) -> dict[str, Any]:
    job = plan.job
    return {
        "dryRun": dry_run,
        "product": job.source,
        "revision": plan.rev,
        "target": job.target,
        "mode": plan.mode,
        "changes": job.change_lines(),
        "leftAlone": job.skipped_lines(),
        "commit": result.commit if result else None,
        "requests": result.requests if result else plan.requests,
        "error": job.error,
        "mismatches": job.mismatches,
        "refused": job.refused,
        "conflicts": job.conflict_lines(),
        "warnings": plan.warnings,
        "redirects": [{"url": r.url, "target": r.target} for r in plan.redirects],
        "redirected": result.redirected if result else [],
        "relatedAgain": result.related if result else [item.pid for item in plan.incoming],
    }


def _result_lines(plan: RestorePlan, result: RestoreResult) -> str:
    job = plan.job
    lines = [f"  note: {note}" for note in job.notes] + [f"  {line}" for line in result.redirected]
    if plan.creates:  # planned only now, against the product the shop made
        lines += [f"  (left alone) {line}" for line in job.skipped_lines()]
    if job.refused:
        lines += [f"! refused: {job.refused}", *[f"    {c}" for c in job.conflict_lines()]]
    lines += [f"! not as meant after writing: {m}" for m in job.mismatches]
    if job.error:
        lines.append(f"! failed: {job.error}")
    if (job.error or job.mismatches) and job.target not in (None, job.source):
        lines.append(
            f"  Product {job.target} holds what was written; "
            f"finish with: ecomgit restore {job.source} --onto {job.target}"
        )
    target = f" as product {job.target}" if job.target not in (None, job.source) else ""
    if job.refused or (job.error and not job.written):
        done = "Nothing restored"
    elif job.error or job.mismatches:
        done = f"Restored {job.source}{target} in part (see above)"
    else:
        done = f"Restored {job.source}{target}"
    lines.append(f"{done} with {result.requests} API request(s).")
    if result.commit:
        lines.append(f"Recorded as commit {result.commit[:10]} (undo it with 'ecomgit restore --rev').")
    return "\n".join(lines)


def _field_names() -> list[str]:
    product = [k for k in schema.PRODUCT_KEYS if k != "id"]
    variant = [k for k in schema.VARIANT_KEYS if k != "id"]
    extra = [reviews.FIELD]  # not in product.yaml: the product folder's reviews.yaml
    return [*product, *(k for k in variant if k not in product), *(f"variants.{k}" for k in variant), *extra]


def _fields(value: str | None) -> str | None:
    """``--fields``: each name one the mirror has (exit 2 otherwise, with the closest and the list)."""
    if value is None:
        return None
    valid = _field_names()
    for name in (part.strip() for part in value.split(",")):
        if name and name not in valid:
            close = difflib.get_close_matches(name, valid, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise click.BadParameter(f"unknown field '{name}'{hint}; the fields are: {', '.join(valid)}")
    return value


_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})?)?", re.ASCII)


def _moment(value: str | None) -> str | None:
    """``--at``: a date or date-time git and people read alike (exit 2 otherwise, saying the format)."""
    if value is None:
        return None
    text = value.strip()
    try:
        if not _MOMENT.fullmatch(text):
            raise ValueError(text)
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(
            f"'{value}' is not a date or date-time; write 2026-11-01, '2026-11-01 12:00' or 2026-11-01T12:00:00Z"
        ) from None
    return text
