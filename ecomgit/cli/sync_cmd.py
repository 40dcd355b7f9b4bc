"""``ecomgit sync``."""

from __future__ import annotations

import re
from pathlib import Path

import click

from ecomgit.api.pacer import DEFAULT_MAX_WAIT, human_duration
from ecomgit.cli.output import ProgressLine, print_json
from ecomgit.shop import make_client, open_repo
from ecomgit.sync.report import Summary, SyncStopped
from ecomgit.sync.run import run_sync

_UNITS = {"": 1, "s": 1, "m": 60, "min": 60, "h": 3600}


def _duration(ctx: click.Context, param: click.Parameter, value: str) -> float:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(s|m|min|h)?\s*", value, re.ASCII)
    if match is None:
        raise click.BadParameter("use seconds or a number with s, m or h (e.g. 90s, 10m, 2h)")
    return float(match[1]) * _UNITS[match[2] or ""]


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the summary as a JSON object on stdout.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@click.option("--budget", type=click.IntRange(min=1), help="Stop after this many API requests (resume next run).")
@click.option(
    "--max-wait",
    default=f"{int(DEFAULT_MAX_WAIT // 60)}m",
    show_default=True,
    callback=_duration,
    help="Wait at most this long for a used-up rate-limit window (e.g. 90s, 10m, 2h); a window that resets "
    "later stops the sync, which says what is left and when it will be done (the next run continues).",
)
@click.option(
    "--max-time",
    callback=lambda ctx, param, value: None if value is None else _duration(ctx, param, value),
    help="Stop cleanly after this long (e.g. 40m), as at a spent budget: what was read is kept and the next "
    "run continues. For a scheduler whose job has a time limit.",
)
@click.option(
    "--allow-mass-delete", is_flag=True, help="Allow a sync that deletes more than half of the mirrored products."
)
@click.option(
    "--quick",
    is_flag=True,
    help="Ask the shop which products and variants changed since the last sync instead of reading its whole "
    "catalog: a handful of requests when nothing changed. Images, links and the shop's lists that do not move "
    "a product's updatedAt are left to a full sync, to be run every few hours.",
)
def sync(
    as_json: bool,
    quiet: bool,
    budget: int | None,
    max_wait: float,
    max_time: float | None,
    allow_mass_delete: bool,
    quick: bool,
) -> None:
    """Read the shop and commit what changed (one commit per sync that changed anything)."""
    repo = open_repo(Path.cwd())
    with make_client(repo.config.api_url, repo.config.default_language, root=repo.root, budget=budget) as client:
        line = ProgressLine(quiet or as_json)
        client.pacer.max_wait = max_wait
        client.pacer.notify = line.say  # a rate-limit wait is said, with its length and reason
        if line.terminal:
            client.pacer.countdown = line.update
        if max_time is not None:
            client.pacer.limit_time(max_time)
        try:
            summary = run_sync(
                repo, client, line.say, allow_mass_delete=allow_mass_delete, ticker=line.update, quick=quick
            )
        except SyncStopped as stop:  # say what is left; the error itself (exit code 1) is main's
            line.close()
            _show(stop.summary, as_json, quiet)
            raise
        finally:
            line.close()
    _show(summary, as_json, quiet)


def _show(summary: Summary, as_json: bool, quiet: bool) -> None:
    if as_json:
        print_json(summary.to_json())
    elif not quiet:
        click.echo(describe(summary))


def describe(summary: Summary) -> str:
    if summary.stopped is not None:
        return "\n".join(summary.stopped.lines(summary.requests))
    lines = [f"{summary.quick}."] if summary.quick else []
    lines.append(
        f"Synced {summary.products} products: {summary.headline()}, "
        f"{summary.images_fetched} images fetched, {summary.requests} API requests."
    )
    lines += [change.line() for change in summary.changes[:50]]
    if len(summary.changes) > 50:
        lines.append(f"  … and {len(summary.changes) - 50} more")
    lines += [f"Warning: {warning}" for warning in summary.warnings]
    lines += summary.unfetched_lines[:20]
    if len(summary.unfetched_lines) > 20:
        lines.append(f"  … and {len(summary.unfetched_lines) - 20} more images not fetched")
    if summary.held:
        lines.append(
            f"Kept {len(summary.held)} product(s) with unpushed edits as they are: "
            + ", ".join(map(str, summary.held[:20]))
            + " (run 'ecomgit push')."
        )
    lines += _freshness(summary)
    lines.append(f"Committed {summary.commit[:10]}." if summary.commit else "Nothing changed; no commit.")
    lines += [f"Heal: {line}." for line in summary.healed]
    return "\n".join(lines)


def _freshness(summary: Summary) -> list[str]:
    fresh = summary.metafields
    if not fresh.refreshed:
        return []
    oldest = (
        ""
        if fresh.oldest_hours is None
        else f"; the oldest check is now {human_duration(fresh.oldest_hours * 3600)} old"
    )
    bound = (
        ""
        if fresh.bound_hours is None
        else f" (each product is re-read within {human_duration(fresh.bound_hours * 3600)})"
    )
    return [f"Metafields re-read: {fresh.refreshed} product(s), {fresh.changed} changed{oldest}{bound}."]
