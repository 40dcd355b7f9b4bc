"""An undo plan and its result in words (the readable form of ``ecomgit diff``) and as JSON."""

from __future__ import annotations

from typing import Any

from ecomgit.diff import ProductDiff, compare
from ecomgit.revisions import Version
from ecomgit.undo.plan import ProductUndo, UndoPlan
from ecomgit.undo.run import UndoResult
from ecomgit.undo.units import words


def after(item: ProductUndo) -> Version:
    """The product as the undo leaves it, as a version (for the diff's words)."""
    now = item.now
    images = item.images()
    return Version(
        now.pid, now.folder, item.product(), now.rev, now.root, images if images is not None else now.image_blobs
    )


def product_diff(item: ProductUndo, languages: list[str]) -> ProductDiff:
    return compare(item.now, after(item), languages)


def plan_lines(plan: UndoPlan, languages: list[str]) -> list[str]:
    lines = [f"{plan.headline()}"]
    if len(plan.commits) > 1:
        lines += [f"  takes back {commit.words()}: {commit.subject}" for commit in plan.commits]
    changing = plan.changing
    if changing:
        lines += ["", f"Back to the values before, in {len(changing)} product(s):"]
        for item in changing:
            diff = product_diff(item, languages)
            lines += diff.lines()
            forced = [s for s in item.steps if s.forced]
            lines += [f"    (--force-field) {words(s.unit, item.describe)}: changed again since" for s in forced]
    left = [(item, left) for item in plan.products for left in item.left]
    if left:
        lines += ["", "Left alone:"]
        lines += [f"  {item.pid} {item.title}: {words(x.unit, item.describe)}: {x.why}" for item, x in left]
    if plan.deleted:
        lines += ["", "Restored (the commit deleted them from the shop):"]
        lines += [
            f"  {g.pid} {g.title}: deleted by {g.commit.words()}; restored from {(g.commit.parent or '')[:10]}"
            for g in plan.deleted
        ]
    if plan.created:
        lines += ["", "Created by the commit (left in the shop unless --delete-created):"]
        lines += [f"  {g.pid} {g.title}" + (f": {g.why}" if g.why else "") for g in plan.created]
    if plan.untouched:
        lines += ["", "Not undone:"]
        lines += [f"  {g.pid} {g.title}: {g.why}" for g in plan.untouched]
    if plan.empty:
        lines += ["", "Nothing to take back: the mirror holds none of the values those commits set."]
    return lines


def result_lines(result: UndoResult) -> list[str]:
    lines = []
    push = result.push
    if push is not None:
        done = [job for job in push.plan.jobs if job.written and not (job.error or job.mismatches)]
        lines.append(
            f"Undone in {len(done)} product(s), {push.requests} API requests"
            + (f", commit {push.commit[:10]}" if push.commit else "")
        )
        for job in push.plan.jobs:
            if job.refused:
                lines.append(
                    f"  ! {job.name} {job.title}: not written: {job.refused} (run 'ecomgit sync', then undo again)"
                )
            elif job.error:
                lines.append(f"  ! {job.name} {job.title}: {job.error}")
            for mismatch in job.mismatches:
                lines.append(f"  ! {job.name} {job.title}: {mismatch}")
            lines += [f"  (left alone) {job.name} {line}" for line in job.skipped_lines()]
    if result.deleted:
        lines.append(f"Deleted the products it created in the shop; recorded as commit {result.deleted[:10]}")
    for item in result.restored:
        if item.result is not None:
            job = item.result.plan.job
            state = "restored" if item.result.ok else "restored in part"
            lines.append(
                f"{item.gone.pid} {item.gone.title}: {state} {item.result.plan.mode} ({item.result.requests} API "
                f"requests, commit {(item.result.commit or '')[:10]})"
            )
            lines += [f"  ! {m}" for m in job.mismatches + ([job.error] if job.error else [])]
        else:
            lines.append(f"! {item.gone.pid} {item.gone.title}: not restored: {item.refused}")
    return lines


def plan_json(plan: UndoPlan, languages: list[str]) -> dict[str, Any]:
    return {
        "commits": [{"commit": c.sha, "kind": c.kind, "date": c.date, "subject": c.subject} for c in plan.commits],
        "products": [
            {
                **product_diff(item, languages).to_json(),
                "left": [{"field": words(x.unit, item.describe), "why": x.why} for x in item.left],
            }
            for item in plan.products
        ],
        "restore": [{"id": g.pid, "title": g.title, "deletedIn": g.commit.sha} for g in plan.deleted],
        "created": [
            {"id": g.pid, "title": g.title, "createdIn": g.commit.sha, "kept": g.why or None} for g in plan.created
        ],
        "notUndone": [{"id": g.pid, "title": g.title, "why": g.why} for g in plan.untouched],
    }


def result_json(result: UndoResult) -> dict[str, Any]:
    return {
        "ok": result.ok,
        "commits": result.commits,
        "requests": result.requests,
        "refused": [
            {"id": job.source, "why": job.refused or job.error}
            for job in (result.push.plan.jobs if result.push else [])
            if job.refused or job.error
        ],
        "notRestored": [{"id": r.gone.pid, "why": r.refused} for r in result.restored if r.refused],
    }
