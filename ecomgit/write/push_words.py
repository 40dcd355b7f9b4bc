"""A push plan and its result in the words ``ecomgit push`` prints (and the web view shows): one
line a product, ``~`` to change, ``+`` to create, ``=`` nothing to send, ``!`` refused or failed."""

from __future__ import annotations

from ecomgit.write import create
from ecomgit.write.job import Job
from ecomgit.write.push import NOT_ATTEMPTED, PushPlan, PushResult


def describe_plan(plan: PushPlan) -> str:
    if not plan.jobs and not plan.skipped:
        return "Nothing to push: no product edits since the last sync."
    lines = []
    for job in plan.jobs:
        lines += _job_lines(job)
    for pid, why in plan.skipped:
        lines.append(f"- {pid}: left alone: {why}")
    lines.append(f"Planning used {plan.requests} API request(s).")
    if plan.mass_change:
        lines.append(f"! {plan.mass_change}")
    return "\n".join(lines)


def _job_lines(job: Job) -> list[str]:
    if job.new_folder is not None and job.live is None and not job.refused:
        return [f"+ {job.name} {job.title}: create it in the shop ({create.summary(job)})"]
    if job.refused:
        return [f"! {job.name} {job.title}: refused: {job.refused}", *[f"    {c}" for c in job.conflict_lines()]]
    if job.decision.empty and job.decision.skipped:
        return [
            f"= {job.name} {job.title}: nothing to send",
            *[f"    (left alone) {line}" for line in job.skipped_lines()],
        ]
    if job.decision.empty:
        return [f"= {job.name} {job.title}: the shop already has these edits"]
    lines = [f"~ {job.name} {job.title}:"]
    lines += [f"    {line}" for line in job.plan_lines()]
    lines += [f"    (left alone) {line}" for line in job.skipped_lines()]
    return lines


def describe_result(result: PushResult) -> str:
    lines = []
    for job in result.plan.jobs:
        if job.refused_at_write:
            lines += _job_lines(job)
        if job.error and job.error != NOT_ATTEMPTED:
            lines.append(f"! {job.name} {job.title}: failed: {job.error}")
        for mismatch in job.mismatches:
            lines.append(f"! {job.name} {job.title}: not as meant after writing: {mismatch}")
        lines += [f"  {job.name}: {note}" for note in job.notes]
    written = sum(1 for job in result.plan.jobs if job.written and not job.error and not job.mismatches)
    lines.append(f"Pushed {written} product(s) with {result.requests} API request(s).")
    lines += [f"  {line}" for line in result.redirected]
    lines += [f"  {r.line()}: waits for product {pid}, held back" for pid, r in result.carried]
    if result.commit:
        lines.append(f"Recorded as commit {result.commit[:10]}.")
    if result.stopped is not None:
        lines += result.stopped.lines()
    elif not result.ok:
        lines.append("Products held back stay pending: fix what is reported and run 'ecomgit push' again.")
    return "\n".join(lines)
