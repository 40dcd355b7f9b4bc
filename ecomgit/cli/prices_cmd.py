"""``ecomgit prices``."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click

from ecomgit.cli.output import print_json
from ecomgit.prices.query import catalog, parse_when, variant_timeline
from ecomgit.prices.rule import Report, Row, timeline
from ecomgit.shop import open_repo
from ecomgit.write.lookup import resolve_product

_VERDICT = {"ok": "ok", "above": "ABOVE LOW", "unknown": "no prior price"}


@click.command()
@click.argument("products", nargs=-1)
@click.option("--at", "at", metavar="DATE", help="As the mirror knew it at the end of DATE (2026-01-31), not now.")
@click.option("--history", "history", metavar="PRODUCT|SKU", help="One variant's price and old-price timeline.")
@click.option("--json", "as_json", is_flag=True, help="Print the rows (with every piece of evidence) as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the rows as CSV.")
def prices(products: tuple[str, ...], at: str | None, history: str | None, as_json: bool, as_csv: bool) -> None:
    """Old prices against the lowest price of the window before the reduction (the EU's 30-day rule).

    For each variant that shows an old price (PRODUCTS: ids, SKUs, slugs or folders; default: all):
    when the reduction started, the lowest price applied in the 'prices.windowDays' (30) days
    before it, and whether the old price is above it, with the commits, dates and prices as
    evidence. Exact to the capture interval (a price is known from the sync that first saw it):
    rows where a gap between syncs could hide a lower price are marked. Reads history only, no
    API. A tool, not legal advice: see docs/prices.md.
    """
    if as_json and as_csv:
        raise click.UsageError("give --json or --csv, not both")
    if history is not None and products:
        raise click.UsageError("--history shows one product or SKU; give no PRODUCTS with it")
    repo = open_repo(Path.cwd())
    until = parse_when(at) if at else None
    if history is not None:
        _history(repo.root, history, until, as_json, as_csv)
        return
    pids = {resolve_product(repo.root, spec) for spec in products} or None
    report = catalog(repo.root, repo.config.prices, pids, until)
    if as_json:
        print_json(report.to_json())
    elif as_csv:
        _csv(report)
    else:
        _table(report)


def _table(report: Report) -> None:
    rules = report.rules
    basis = "priceIncl with oldPriceIncl" if rules.basis == "incl" else "priceExcl with oldPriceExcl"
    click.echo(f"Compared: {basis}; window {rules.window_days} days; tolerance {rules.tolerance}.")
    if report.captures:
        click.echo(
            f"Captures: {report.captures} from {report.first_capture[:10] if report.first_capture else '-'} to "
            f"{report.last_capture[:10] if report.last_capture else '-'}; median interval "
            f"{report.median_interval_hours or 0:.1f} h, longest {report.longest_interval_days or 0:.1f} days. "
            f"A price is known from the capture that first saw it: answers are exact to that interval."
        )
    if not report.rows:
        click.echo("No variant shows an old price." + _excluded(report))
        return
    header = ("PRODUCT", "VARIANT", "CODE", "PRICE", "OLD", "REDUCED SINCE", "LOWEST", "VERDICT", "CAPTURE")
    lines = [header, *(_cells(row) for row in report.rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    click.echo("  ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True)).rstrip())
    for row, cells in zip(report.rows, lines[1:], strict=True):
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip())
        click.echo(f"    {_evidence_line(row)}")
    flagged = sum(row.flagged for row in report.rows)
    gaps = sum(row.gap for row in report.rows)
    click.echo(
        f"{len(report.rows)} variant(s) show an old price: {flagged} above the {rules.window_days}-day low, "
        f"{gaps} with a capture gap that could hide a lower price.{_excluded(report)}"
    )


def _excluded(report: Report) -> str:
    return f" {report.excluded} left out by prices.exclude." if report.excluded else ""


def _cells(row: Row) -> tuple[str, ...]:
    young_mirror = row.gap and row.gap_note.startswith("the mirror's history")
    capture = f"{row.longest_gap_days:.1f} d" + (" MIRROR YOUNGER" if young_mirror else " GAP" if row.gap else "")
    return (
        f"{row.pid} {row.title}"[:40],
        str(row.vid),
        ",".join(dict.fromkeys(row.codes)) or "-",
        str(row.price),
        str(row.old),
        row.started.date[:10],
        "-" if row.lowest is None else str(row.lowest),
        _VERDICT[row.status],
        capture,
    )


def _evidence_line(row: Row) -> str:
    since = f"after {row.started_after[:10]}, " if row.started_after else ""
    parts = [f"reduction first seen {row.started.date[:10]} ({since}{row.started.kind} {row.started.commit[:10]})"]
    if row.lowest_at is not None:
        parts.append(
            f"lowest {row.lowest} from {row.lowest_at.date[:10]} ({row.lowest_at.kind} {row.lowest_at.commit[:10]})"
        )
    if row.young:
        parts.append(f"on sale {row.days_known:.0f} days before the reduction, fewer than the window")
    if row.gap_note:
        parts.append(row.gap_note)
    return "; ".join(parts)


def _csv(report: Report) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(
        [
            "product",
            "variant",
            "codes",
            "compare",
            "price",
            "oldPrice",
            "reductionStarted",
            "startedCommit",
            "windowFrom",
            "lowest",
            "lowestDate",
            "lowestCommit",
            "status",
            "youngerThanWindow",
            "longestCaptureGapDays",
            "captureGap",
            "evidence",
        ]
    )
    for row in report.rows:
        evidence = "; ".join(f"{e.date} {e.commit[:10]} {e.price}" for e in row.evidence)
        writer.writerow(
            [
                row.pid,
                row.vid,
                " ".join(row.codes),
                row.basis,
                row.price,
                row.old,
                row.started.date,
                row.started.commit,
                row.window_from,
                row.lowest if row.lowest is not None else "",
                row.lowest_at.date if row.lowest_at else "",
                row.lowest_at.commit if row.lowest_at else "",
                row.status,
                str(row.young).lower(),
                f"{row.longest_gap_days:.2f}",
                str(row.gap).lower(),
                evidence,
            ]
        )


def _history(root: Path, spec: str, until: int | None, as_json: bool, as_csv: bool) -> None:
    pid = resolve_product(root, spec)
    found = variant_timeline(root, pid, spec.strip(), until)
    data = [(v.pid, v.vid, v.codes, timeline(v, found.captures)) for v in found.variants]
    if as_json:
        print_json([{"product": p, "variant": v, "codes": list(c), "timeline": t} for p, v, c, t in data])
        return
    keys = ("priceIncl", "priceExcl", "oldPriceIncl", "oldPriceExcl")
    if as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(["product", "variant", "date", "commit", "kind", "present", *keys])
        for product, variant, _, points in data:
            for p in points:
                cells = [p[key] or "" for key in keys]
                writer.writerow(
                    [product, variant, p["date"], p["commit"], p["kind"], str(p["present"]).lower(), *cells]
                )
        return
    if not data:
        click.echo(f"Product {pid} has no price history in this mirror.")
    for product, variant, codes, points in data:
        click.echo(f"Product {product} variant {variant} ({', '.join(dict.fromkeys(codes)) or 'no code'})")
        click.echo("  DATE              COMMIT      KIND     PRICE INCL  PRICE EXCL  OLD INCL  OLD EXCL")
        for p in points:
            when = f"  {p['date'][:16].replace('T', ' ')}  {p['commit'][:10]}  {p['kind']:<7}"
            if not p["present"]:
                click.echo(f"{when}  (gone)")
                continue
            widths = (10, 10, 8, 8)
            click.echo(when + "".join(f"  {p[key] or '-':>{width}}" for key, width in zip(keys, widths, strict=True)))
