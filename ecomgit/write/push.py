"""``ecomgit push``: send every product edit committed since the last sync to the shop.

Plan (no writes): for each product with committed edits, base = its version at the last record
that did not hold it, ours = HEAD, theirs = the live product (only the parts the edit touches);
a three-way decision per field path. A product whose edit collides with a newer shop edit is
refused whole. Any invalid product file refuses the whole push before anything is written.

Apply: each product in turn (apply, read back, verify, record); one commit records them all,
holding back (``Ecomgit-Held``) whatever was refused or failed, so the next push tries again.

A committed new product folder (no id, ``id: null``) is created, on a shop not linked to Retail
(:mod:`ecomgit.write.create`).
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ecomgit import branches, commits, gitrepo, lock, newproducts, records, unfinished
from ecomgit.api import ShopClient
from ecomgit.api.pacer import human_duration
from ecomgit.api.values import as_str
from ecomgit.committed import (
    check_committed,
    duplicate_problems,
    tree_entries,
    uncommitted_images,
    uncommitted_products,
)
from ecomgit.errors import (
    ApiError,
    AuthError,
    EcomgitError,
    MirrorError,
    PermissionDeniedError,
    RateLimitError,
    TransportError,
)
from ecomgit.mirror import layout
from ecomgit.revisions import Version, base_versions, versions_at
from ecomgit.shop import Repo
from ecomgit.sync.images import Downloader
from ecomgit.sync.report import eta
from ecomgit.sync.state import State
from ecomgit.sync.unfetched import leave_out
from ecomgit.text import one_line
from ecomgit.write import create, redirects
from ecomgit.write.apply import finish_moves, keep_unfetched, limit_variant_images
from ecomgit.write.delete import removed_hint
from ecomgit.write.edits import brought_back
from ecomgit.write.fields import THEIRS_KEPT, Decision, Path, Policy, is_mark, three_way
from ecomgit.write.guards import mass_change, variant_refusal
from ecomgit.write.job import Executor, Job
from ecomgit.write.journal import Journal, variant_identities
from ecomgit.write.live import LiveReader, parts_for
from ecomgit.write.recheck import Recheck
from ecomgit.write.record import commit_record, put_back_unless_committed
from ecomgit.write.shopinfo import retail_owned
from ecomgit.write.sides import CODE_NAMES, Known, VersionSide, by_id, live_side, shared_code, version_side
from ecomgit.write.stop import FIRST_GUESS_EXTRA, PushStop, PushStopped, stopped_at

Progress = Callable[[str], None]


@dataclass
class PushPlan:
    jobs: list[Job] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # product, why push leaves it
    stale: list[int] = field(default_factory=list)  # files a merge took from before a newer record
    retail: bool = False
    requests: int = 0  # spent on planning
    held: list[int] = field(default_factory=list)  # pending products push cannot send, kept pending
    known: Known | None = None  # image identities learnt while planning
    mass_change: str | None = None  # why nothing may be written without --allow-mass-change
    started: float | None = None  # the client's pacer clock before the plan's first request

    def check_mass_change(self) -> None:
        """Stop before the first write when the plan removes things from many products unasked."""
        if self.mass_change:
            raise EcomgitError(self.mass_change)

    @property
    def writes(self) -> list[Job]:
        """The jobs that write to the shop: changes to send, or a new product to create."""
        return [job for job in self.jobs if not job.refused and (not job.decision.empty or job.new_folder is not None)]

    @property
    def refused(self) -> list[Job]:
        return [job for job in self.jobs if job.refused]


@dataclass
class PushResult:
    plan: PushPlan
    commit: str | None = None
    requests: int = 0
    redirected: list[str] = field(default_factory=list)  # what became of the redirects merged proposals asked for
    carried: list[tuple[int, redirects.Redirect]] = field(default_factory=list)  # theirs when their product is held
    stopped: PushStop | None = None  # a rate limit it will not wait for stopped it: what is left
    recheck: Recheck | None = None  # the list checks that cleared products for writing (None: none ran)

    @property
    def failed(self) -> list[Job]:
        return [job for job in self.plan.jobs if job.error or job.mismatches]

    @property
    def ok(self) -> bool:
        return not self.plan.refused and not self.failed


def plan_push(
    repo: Repo,
    client: ShopClient,
    state: State,
    *,
    prefer: str | None = None,
    all_fields: bool = False,
    allow_variant_delete: bool = False,
    allow_mass_change: bool = False,
    progress: Progress,
    rev: str = "HEAD",
    products: Mapping[int, str] | None = None,
) -> PushPlan:
    """Plan the push of HEAD's pending edits; or, with ``products`` (id → folder), of those products
    as revision ``rev`` (a commit on top of HEAD: an undo's) holds them, against their last record."""
    root, config = repo.root, repo.config
    check_ready(repo, state)
    fresh = newproducts.new_folders(root) if products is None else []
    if fresh and newproducts.retail_linked(root, config):  # before any request; check says the same
        why = newproducts.advice(root, config)
        listed = "\n".join(f"  {layout.PRODUCTS_DIR}/{name}/{layout.PRODUCT_FILE}: {why}" for name in fresh)
        raise MirrorError(f"{len(fresh)} product folder(s) without a product id; nothing was written:\n{listed}")
    languages = list(config.languages)
    before, started = client.requests, client.pacer.now()
    found = records.pending(root) if products is None else records.Pending(dict(products), {})
    pending: dict[int, str | None] = dict(found.folders)
    plan = PushPlan(retail=retail_owned(repo, client), started=started)
    for pid, record in found.stale.items():
        plan.stale.append(pid)
        plan.skipped.append(
            (
                pid,
                f"its file is the shop's state from before {record.kind} {record.sha[:10]}, which recorded a newer "
                "one (a merge kept the older side); nothing sent. 'ecomgit sync' brings the newer state into the "
                "file; to send the older one, change the file back after that and commit",
            )
        )
    _validate(repo, pending, fresh, rev)
    reader = LiveReader(client, languages)
    known = plan.known = Known(client)
    policy = Policy(retail=plan.retail, all_fields=all_fields)
    executor = Executor(root, config, client, known, None, progress)
    executor.journal = Journal(state)
    present = [pid for pid, folder in pending.items() if folder is not None]
    head, bases = versions_at(root, rev, present), base_versions(root, present)  # read together
    sides = {  # each product as the record and as HEAD hold it, in field paths
        pid: (version_side(bases[pid], languages), version_side(head[pid], languages))
        for pid in present
        if pid in head and pid in bases
    }
    try:
        size = len(commits.products(root, commit)) if (commit := commits.commit_id(root, "HEAD")) else None
        _prefetch(reader, sides, languages, size)
    except RateLimitError as exc:
        spent = client.requests - before
        raise PushStopped(exc, stopped_at(exc, client, len(pending), FIRST_GUESS_EXTRA + 2), 0, spent) from None
    for number, (pid, folder) in enumerate(pending.items(), 1):
        if folder is None:
            plan.skipped.append((pid, removed_hint(root, pid, found.bases.get(pid)).split(": ", 1)[1]))
            continue
        ours, base = head.get(pid), bases.get(pid)
        if ours is None:
            continue
        if base is None:
            plan.skipped.append((pid, "it was never synced; create products in the shop, then sync"))
            plan.held.append(pid)  # a person's new folder: never let a sync delete it unseen
            continue
        progress(f"planning product {pid} ({number} of {len(pending)})")
        try:
            job = _plan_product(pid, folder, base, ours, sides[pid], reader, known, executor, policy, prefer, languages)
        except RateLimitError as exc:  # nothing is written: the next push plans them all again
            spent = client.requests - before
            each = spent / max(1, len(plan.jobs)) + FIRST_GUESS_EXTRA
            stop = stopped_at(exc, client, len(pending) - len(plan.jobs), each)
            raise PushStopped(exc, stop, len(plan.jobs), spent) from None
        if not job.refused and job.live is not None:
            job.refused = variant_refusal(job, base.product, allow_delete=allow_variant_delete)
        plan.jobs.append(job)
    if products is None:
        plan.jobs += create.plan_new(root, config, state, reader, known, executor, retail=plan.retail, policy=policy)
    plan.requests = client.requests - before
    if not allow_mass_change:
        plan.mass_change = mass_change(plan.writes, len(pending))
    return plan


def _plan_product(
    pid: int,
    folder: str,
    base: Version,
    ours: Version,
    sides: tuple[VersionSide, VersionSide],
    reader: LiveReader,
    known: Known,
    executor: Executor,
    policy: Policy,
    prefer: str | None,
    languages: list[str],
) -> Job:
    known.learn(base)
    known.learn(ours)
    base_side, ours_side = sides
    title = one_line(as_str((ours.product.get("title") or {}).get(languages[0])))
    changed = _changed(base_side.flat, ours_side.flat)
    job = Job(pid, title, ours_side, Decision(), None, folder=folder, held_values=[base_side.flat])
    back = brought_back(base, ours, changed, languages) if prefer != "ours" else {}
    if not changed or not set(changed) - set(back):  # nothing edited: no longer pending once recorded
        job.decision.skipped += [(path, why.why()) for path, why in back.items()]
        return job
    live = reader.read(pid, parts_for(changed, languages))
    if live is None:
        job.refused = f"the shop has no product {pid} any more; bring it back with 'ecomgit restore {pid}'"
        return job
    job.live, job.target = live, pid
    journal = executor.journal
    if journal is not None:
        known.by_file_id.update(journal.uploaded_idents(pid))
    built = executor.build(live, base.product)
    theirs, job.live_idents = live_side(built, languages, known)
    job.see_live(theirs, built)
    if journal is not None and journal.images_ours(pid, live.images(), job.live_idents):
        base_side.flat[("images",)] = theirs.get(("images",), ())  # what our interrupted writes left
    made = journal.made_variants(pid) if journal is not None else {}
    unanswered = journal.unanswered_variants(pid) if journal is not None else set()
    arrived, foreign = _arrived_variants(base.product, ours.product, built.product, made, unanswered)
    if foreign:
        job.refused = foreign
        return job
    if arrived:  # new variants an interrupted push already made: update them, never make them twice
        ours_side = version_side(ours, languages, lambda v: arrived.get(id(v), by_id(v)))
        job.ours = ours_side
        ids = set(arrived.values())  # their base is what that push left, not a shop edit
        base_side.flat.update({p: v for p, v in theirs.items() if p[0] == "variants" and p[1] in ids})
    for path in back:  # the shop's older value, not an edit: as if unchanged here
        ours_side.flat.pop(path, None)
        if path in base_side.flat:
            ours_side.flat[path] = base_side.flat[path]
    decision = policy.apply(three_way(base_side.flat, ours_side.flat, theirs, prefer=prefer), theirs)
    decision.skipped += [(path, why.why()) for path, why in back.items()]
    if any(why.startswith(THEIRS_KEPT) for _, why in decision.skipped):
        _say_where_ours_stays(decision, ours)
    limit_variant_images(decision, job.live_idents, theirs)
    if journal is not None:
        finish_moves(decision, journal.unfinished_moves(pid), live, job.live_idents)
    keep_unfetched(decision, job.live_idents, ours.product)
    job.decision = decision
    if decision.conflicts:
        job.refused = "the shop changed the same field(s) since the last sync (use --ours or --theirs to choose)"
    return job


def _changed(base: Mapping[Path, Any], ours: Mapping[Path, Any]) -> list[Path]:
    """The field paths edited here since the record (``base``)."""
    return [p for p in set(base) | set(ours) if base.get(p) != ours.get(p) and not is_mark(p)]


def _prefetch(
    reader: LiveReader,
    sides: Mapping[int, tuple[VersionSide, VersionSide]],
    languages: list[str],
    products: int | None,
) -> None:
    """Let the reader read the products to plan through list pages where that is cheaper
    (``products``: how many the mirror holds, the shop's size as the last sync saw it)."""
    wanted = {}
    for pid, (base, ours) in sides.items():
        edited = _changed(base.flat, ours.flat)
        if edited:
            wanted[pid] = parts_for(edited, languages)
    reader.prefetch(wanted, products)


def _say_where_ours_stays(decision: Decision, ours: Version) -> None:
    """--theirs drops our value of a conflicting field: say which commit keeps it (none for an undo's
    plan, a commit no branch holds: the value it would have put back is the undone commit's)."""
    rev = gitrepo.resolve(ours.root, ours.rev or "HEAD")
    if gitrepo.run(ours.root, "rev-list", "--count", f"HEAD..{rev}").strip() != "0":
        return
    rev = rev[:10]
    decision.skipped = [
        (path, f"{why}; it stays in history at commit {rev}" if why.startswith(THEIRS_KEPT) else why)
        for path, why in decision.skipped
    ]


def _arrived_variants(
    base: dict[str, Any], ours: dict[str, Any], live: dict[str, Any], made: dict[str, int], unanswered: set[str]
) -> tuple[dict[int, int], str | None]:
    """Our new variants (no id yet) that an earlier, interrupted push already made: ``id(variant)`` →
    live variant id, known only from the journal of the variants ecomgit made (``made``, or, for a
    create whose answer was lost, ``unanswered``: then the one new live variant with its codes); and
    why the product is refused when the shop has a variant with one of their codes that ecomgit did
    not make (a person's variant in the back office is not ours to take over)."""
    variants = [v for v in ours.get("variants") or [] if isinstance(v, dict)]
    identities = variant_identities(variants)
    live_variants = [v for v in live.get("variants") or [] if isinstance(v, dict)]
    live_ids = {v.get("id") for v in live_variants}
    arrived = {key: made[name] for key, name in identities.items() if made.get(name) in live_ids}
    seen = {v.get("id") for v in base.get("variants") or [] if isinstance(v, dict)}
    said = []
    for variant in variants:
        key = id(variant)
        if key not in identities or key in arrived:
            continue
        taken = seen | set(arrived.values())
        hits = [v for v in live_variants if v.get("id") not in taken and shared_code(variant, v)]
        if len(hits) == 1 and identities[key] in unanswered:
            arrived[key] = hits[0]["id"]
        elif hits:
            said.append(_clash(variant, hits[0]))
    return arrived, "; ".join(said) or None


def _clash(ours: dict[str, Any], theirs: dict[str, Any]) -> str:
    name = shared_code(ours, theirs) or "sku"
    label = CODE_NAMES[name]
    vid = theirs.get("id")
    return (
        f"the shop has a variant with {label} {as_str(ours.get(name))} that ecomgit did not create (variant {vid}, "
        f"added since the last sync): to update it, give yours 'id: {vid}'; to add yours beside it, give it another "
        f"{label}"
    )


def apply_push(
    repo: Repo,
    client: ShopClient,
    state: State,
    plan: PushPlan,
    *,
    progress: Progress,
    from_branch: bool = False,
    headline: str | None = None,
    trailers: Sequence[str] = (),
    what: str = "push",
) -> PushResult:
    """Write each planned product, verify, record; one commit for the whole push (only from the
    mirror's default branch unless ``from_branch``: see ``ecomgit.branches``). ``headline`` and
    ``trailers``: the record's first line and extra trailers (an undo's)."""
    branches.check_write_branch(repo.root, what, from_branch)
    plan.check_mass_change()
    result = PushResult(plan)
    before = client.requests
    folders = lambda: [f for job in plan.jobs for f in (job.folder, job.recorded_folder, job.new_folder) if f]  # noqa: E731
    unfinished.begin(state, "push", [pid for job in plan.jobs for pid in (job.source, job.target) if pid])
    with put_back_unless_committed(repo.root, folders), Downloader(client, limit=repo.config.image_limit) as downloads:
        executor = Executor(repo.root, repo.config, client, plan.known or Known(client), downloads, progress)
        journal = executor.journal = Journal(state)
        stop: str | None = None
        writes = [job for job in plan.jobs if not (job.refused or (job.live is None and job.new_folder is None))]
        started, first = time.monotonic(), client.requests
        recheck = result.recheck = Recheck(client, executor.default, client.pacer.now, plan.started)
        recheck.plan(writes)
        planned_each = plan.requests / max(1, len(plan.jobs)) + FIRST_GUESS_EXTRA

        def each(done: int) -> float:  # the requests a product costs to write, from the ``done`` so far
            return (client.requests - first) / done if done else planned_each

        for number, job in enumerate(writes, 1):
            left = _left(started, number, len(writes), client, each(number - 1))
            progress(f"product {number} of {len(writes)}: {job.name} {job.title}{left}")
            if stop:
                job.error = stop
                continue
            if job.new_folder is not None:  # the id is noted the moment the shop makes the product
                executor.on_created = functools.partial(_made, state, job.new_folder)
            try:
                executor.run(job, cleared=recheck.clears(job, writes[number - 1 :]))
                recheck.wrote(job, client.pacer.now())
                if not (job.refused or job.error or job.mismatches):  # a failed product keeps its edit
                    executor.record(job, full=job.new_folder is not None)
                    if job.new_folder is not None:
                        create.retire(repo.root, job)
            except EcomgitError as exc:
                job.error = str(exc)
                if isinstance(exc, RateLimitError):  # said once, with what is left, not per product
                    result.stopped = stopped_at(exc, client, len(writes) - number + 1, each(number))
                    stop = NOT_ATTEMPTED
                elif isinstance(exc, _FATAL) or not isinstance(exc, ApiError):  # the next product would fail too
                    stop = f"not attempted: the push stopped at product {job.name} ({exc})"
        downloads.wait()
        leave_out(downloads.failed, repo.config.languages)  # the next sync reads them again
        if what == "push":  # an undo sends only its own products
            _proposed_redirects(repo, client, result)
        result.requests = plan.requests + client.requests - before
        settled = [job for job in plan.jobs if not (job.refused or job.error or job.mismatches)]
        if settled or any(job.written for job in plan.jobs):  # else the shop and the mirror are as they were
            result.commit = _commit(repo, state, result, headline, trailers)
            journal.forget(job.target for job in _settled(plan) if job.target is not None)  # recorded now
            create.forget(state, _settled(plan))
    return result


def _proposed_redirects(repo: Repo, client: ShopClient, result: PushResult) -> None:
    """Make the redirects merged restore proposals ask for (``Ecomgit-Redirect``), once their
    product is in the shop as proposed; those of a product held back are carried to the record."""
    wanted = redirects.proposed(repo.root)
    if not wanted:
        return
    plan = result.plan
    held = {job.shop_id for job in plan.jobs if job.refused or job.error or job.mismatches} | set(plan.held)
    result.carried = [(pid, r) for pid, r in wanted if pid in held]
    try:
        result.redirected = redirects.create(client, [r for pid, r in wanted if pid not in held])
    except ApiError as exc:  # the products are written; the addresses can be redirected by hand
        result.redirected = [f"the proposed redirects were not made ({exc}); make them in the back office"]


NOT_ATTEMPTED = "not attempted: the push stopped at a rate limit"


def _left(started: float, number: int, total: int, client: ShopClient, per_product: float) -> str:
    """`` (about 4 min 10 s left)``: the time the products so far took each, for the rest, plus
    the waits the shop's rate-limit windows impose on the requests they need (as sync's line)."""
    products = total - number + 1
    windows = eta(client.pacer.status(), math.ceil(products * per_product), math.inf)
    waits = windows[0] if windows is not None else 0.0
    if number < 2:
        return f" (about {human_duration(waits)} left: the rate limits)" if waits >= 60 else ""
    each = (time.monotonic() - started) / (number - 1)
    return f" (about {human_duration(waits + each * products)} left)"


def _made(state: State, folder: str, source: int, pid: int) -> None:
    create.made(state, folder, pid)


def _settled(plan: PushPlan) -> list[Job]:
    return [job for job in plan.jobs if job.live is not None and not (job.refused or job.error or job.mismatches)]


def _done(plan: PushPlan) -> list[Job]:
    return [job for job in plan.jobs if job.written and not job.error and not job.mismatches]


_FATAL = (TransportError, RateLimitError, AuthError, PermissionDeniedError)


def _commit(
    repo: Repo, state: State, result: PushResult, headline: str | None = None, extra: Sequence[str] = ()
) -> str:
    plan = result.plan
    done = _done(plan)
    failed = [job for job in plan.jobs if job.refused or job.error or job.mismatches]
    held = [pid for job in failed if (pid := job.shop_id)] + plan.held
    counts = f"{len(done)} product(s) written, {len(held)} held back"
    lines = [f"{headline}: {counts}" if headline else f"Push: {counts}", ""]
    untouched = [j for j in plan.jobs if j not in done and j not in failed and j.decision.skipped]
    for heading, jobs in (
        ("Pushed", done),
        ("Nothing sent", untouched),
        ("Held back", failed),
    ):
        if jobs:
            lines.append(f"{heading}:")
            for job in jobs:
                lines.append(f"  {job.name} {job.title}")
                lines += [f"    {line}" for line in job.record_lines()[:40]]
                lines += [f"    (left alone) {line}" for line in job.skipped_lines()[:20]]
                lines += [f"    ! {line}" for line in job.conflict_lines() + job.mismatches]
                lines += [f"    {line}" for line in job.trace_lines()]  # whole: it is there to recover from
                if job.error:
                    lines.append(f"    ! {job.error}")
            lines.append("")
    if result.redirected:
        lines += ["Redirects:", *[f"  {line}" for line in result.redirected], ""]
    folders = {f for job in plan.jobs for f in (job.folder, job.recorded_folder, job.new_folder) if f}
    return commit_record(
        repo.root,
        state,
        trailer=gitrepo.PUSH_TRAILER,
        message=lines[:-1] if lines[-1] == "" else lines,
        requests=result.requests,
        folders=folders,
        written=[job.target for job in done if job.target is not None],
        held=held,
        # settled: written and read back, or nothing to send; a removed folder is left to the next sync
        recorded=[
            pid for job in plan.jobs if job not in failed and (pid := job.target if job.new_folder else job.source)
        ]
        + [pid for pid, _ in plan.skipped if pid not in held and pid not in plan.stale],
        trailers=[redirects.trailer(pid, r) for pid, r in result.carried] + list(extra),  # made by a later push
    )


def check_ready(repo: Repo, state: State) -> None:
    """Writes start from a clean, fully synced work tree: no uncommitted edits, no half-done sync."""
    if state.run_active() and not state.run_fetched():
        state.clear_run()  # a sync that stopped before it read anything: nothing to finish
    if state.run_active():
        raise EcomgitError(
            "a sync was interrupted and has not finished; run 'ecomgit sync' to complete it, then try again"
        )
    _check_clean(repo, unfinished.put_aside(repo.root, state))


def _check_clean(repo: Repo, dirty: list[str]) -> None:
    killed = lock.taken_over_inside(repo.work_dir)
    if dirty and killed is not None and killed.what in ("push", "restore"):
        raise EcomgitError(
            f"an ecomgit {killed.what} was killed while it wrote its result into the mirror, so {len(dirty)} "
            f"file(s) are half-written (e.g. {dirty[0]}). What it sent is in the shop and will not be sent "
            "twice: discard the files with 'git checkout -- products && git clean -fd products', then run "
            f"'ecomgit {killed.what}' again"
        )
    if dirty:
        raise EcomgitError(
            f"{len(dirty)} uncommitted change(s) in the mirror (e.g. {dirty[0]}); push sends committed edits "
            "only: commit them (or discard them with 'git checkout -- products shop') and push again"
        )


def _validate(repo: Repo, pending: dict[int, str | None], new: Sequence[str] = (), rev: str = "HEAD") -> None:
    """The products as HEAD (or ``rev``) holds them (what push sends), checked before anything is
    written: the files, their images' bytes, links, duplicate ids and codes, and image files the
    commit lacks (``new``: new product folders, which push creates)."""
    folders = [folder for folder in pending.values() if folder is not None] + list(new)
    problems = check_committed(repo.root, repo.config, rev, folders)
    if rev == "HEAD":
        problems += uncommitted_products(repo.root, [pid for pid, folder in pending.items() if folder is None])
        entries = tree_entries(repo.root, "HEAD", folders)
        for folder in folders:
            problems += uncommitted_images(repo.root, folder, entries.get(folder))
    problems += duplicate_problems(repo.root, rev, folders)
    if rev == "HEAD":  # HEAD's files are the work tree's
        problems = [replace(p, path=str(repo.root / p.path)) for p in problems]
    if problems:
        shown = "\n".join(f"  {p}" for p in problems[:30])
        more = f"\n  … and {len(problems) - 30} more" if len(problems) > 30 else ""
        raise MirrorError(
            f"{len(problems)} problem(s) in the product files to push; nothing was written:\n{shown}{more}\n"
            "Fix them, commit, and push again."
        )
