"""How ``ecomgit check --prices`` shows its findings: lines, JSON, or a section of the review comment."""

from __future__ import annotations

import click

from ecomgit.cli.output import print_json
from ecomgit.config import PriceRules
from ecomgit.diff_markdown import cell
from ecomgit.prices.review import Finding, Review

_VERDICT = {"ok": "at or below the low", "above": "**above the low**", "unknown": "no earlier price known"}


def show_review(found: Review, rules: PriceRules, as_json: bool, as_markdown: bool) -> None:
    if as_json:
        print_json(
            {
                "base": found.base,
                "fork": found.fork,
                "compare": rules.basis,
                "windowDays": rules.window_days,
                "flagged": len(found.flagged),
                "changes": [finding.to_json() for finding in found.findings],
            }
        )
    elif as_markdown:
        click.echo("\n".join(markdown(found, rules)))
    else:
        for finding in found.findings:
            click.echo(_line(finding, rules))
        flagged = len(found.flagged)
        summary = f"{len(found.findings)} old price(s) set or raised, {flagged} above the {rules.window_days}-day low."
        click.echo(summary, err=bool(flagged))


def _line(finding: Finding, rules: PriceRules) -> str:
    row = finding.row
    where = f"{finding.file}:{finding.line}" if finding.line else finding.file
    was = f"{finding.before} → " if finding.before is not None else "set to "
    field = "oldPriceIncl" if rules.basis == "incl" else "oldPriceExcl"
    low = (
        f"lowest {row.lowest} on {row.lowest_at.date[:10]} ({row.lowest_at.kind} {row.lowest_at.commit[:10]})"
        if row.lowest is not None and row.lowest_at is not None
        else "no earlier price in the mirror"
    )
    verdict = {"above": "ABOVE the low", "ok": "ok", "unknown": "no prior price"}[row.status]
    gap = f"; {row.gap_note}" if row.gap else ""
    return (
        f"{where}: variant {row.vid} {field} {was}{row.old} (price {row.price}): {verdict}; {low} in the "
        f"{rules.window_days} days before {row.started.date[:10]}{gap}"
    )


def markdown(found: Review, rules: PriceRules) -> list[str]:
    """A section for the pull request's comment (appended to ``diff --markdown``'s)."""
    lines = ["", f"### Old prices and the {rules.window_days}-day low"]
    if not found.findings:
        return [*lines, "", "This change sets or raises no old price."]
    basis = "incl. VAT" if rules.basis == "incl" else "excl. VAT"
    lines += [
        "",
        f"{len(found.flagged)} of {len(found.findings)} old price(s) set or raised here are above the lowest price "
        f"the shop applied in the {rules.window_days} days before the reduction ({basis}; `ecomgit prices --history "
        "SKU` shows the timeline). A tool, not legal advice.",
        "",
        "| Product file | Variant | Old price | Price | Lowest | Since | Verdict |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for finding in found.findings:
        row = finding.row
        was = f"{finding.before} → {row.old}" if finding.before is not None else str(row.old)
        low = "-" if row.lowest is None or row.lowest_at is None else f"{row.lowest} ({row.lowest_at.date[:10]})"
        verdict = _VERDICT[row.status] + (" · capture gap" if row.gap else "")  # our own words: not escaped
        cells = [finding.file, f"{row.vid} {' '.join(dict.fromkeys(row.codes))}", was, str(row.price), low]
        lines.append("| " + " | ".join([*(cell(text) for text in [*cells, row.started.date[:10]]), verdict]) + " |")
    return lines
