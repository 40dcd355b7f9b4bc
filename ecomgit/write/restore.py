"""``ecomgit restore``: make a shop product match a chosen revision of a mirrored product.

The revision is ``--rev``, ``--at`` or, for a product the shop deleted, its last mirrored version.
The target is the same product when the shop still has it, the successor named by ``--onto``
(variants matched by id, then SKU, article code or EAN), or else a new product: the API creates
it with a default variant, which becomes the revision's default variant. Then every field path
where the revision differs from the target is written, within the field policy (Retail-owned
fields, additive images and categories, ``--fields``), read back, verified and recorded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ecomgit import config as config_mod
from ecomgit import gitrepo, unfinished
from ecomgit.api import ShopClient
from ecomgit.api.values import as_int, as_str, link_id
from ecomgit.committed import check_committed
from ecomgit.errors import ApiError, EcomgitError, MirrorError, NotFoundError
from ecomgit.ids import parse_id
from ecomgit.lost import successors
from ecomgit.mirror import files, layout, markers, safety, schema
from ecomgit.revisions import (
    Version,
    codes_of,
    current_id,
    deletions,
    find_by_text,
    folder_at,
    grafts_onto,
    pending_products,
    product_folder_names,
    restored_ids,
    version_at,
)
from ecomgit.shop import Repo
from ecomgit.sync.images import Downloader
from ecomgit.sync.state import State
from ecomgit.sync.unfetched import leave_out
from ecomgit.text import one_line
from ecomgit.write import holders, redirects, reviews
from ecomgit.write.apply import finish_moves, keep_unfetched, limit_variant_images
from ecomgit.write.fields import PRODUCT_SCALARS, Decision, Policy, label, overwrite
from ecomgit.write.guards import variant_refusal
from ecomgit.write.job import Executor, Job
from ecomgit.write.journal import Journal
from ecomgit.write.live import LiveReader, all_parts
from ecomgit.write.lookup import resolve_product
from ecomgit.write.push import check_ready
from ecomgit.write.record import commit_record, put_back_unless_committed
from ecomgit.write.redirects import Redirect
from ecomgit.write.shopinfo import retail_owned
from ecomgit.write.sides import Known, live_side, match_by_code, version_side

Progress = Callable[[str], None]


class Incoming(NamedTuple):
    """A product related to the restored one before the shop dropped that relation: its id now,
    title, and the products (ids now) its relations listed after the restored one: the relation
    goes back before the first of them it still has."""

    pid: int
    title: str
    after: frozenset[int]


@dataclass
class RestorePlan:
    job: Job
    rev: str
    onto: int | None
    retail: bool
    requests: int = 0
    creates: bool = False  # the shop has no product to restore into: a new one is made
    into: int | None = None  # the product written when it is not the one restored (--onto, an earlier copy)
    warnings: list[str] = field(default_factory=list)  # what the user should know before saying yes
    redirects: list[Redirect] = field(default_factory=list)  # old addresses sent to the product's new one
    incoming: list[Incoming] = field(default_factory=list)  # the products related to it before
    reviews: list[dict[str, Any]] = field(default_factory=list)  # customer reviews to post again (--fields reviews)

    @property
    def not_fetched(self) -> list[str]:
        """Images the revision lists as not fetched: kept where the shop has them, else not brought back."""
        return sorted(markers.idents(self.job.ours.version.product.get("images") or []))

    @property
    def mode(self) -> str:
        if self.creates:
            return "as a new product"
        if self.onto is not None:
            return f"onto product {self.onto}"
        if self.into is not None:
            return f"into product {self.into}, made by an earlier restore"
        return "in place"


@dataclass
class RestoreResult:
    plan: RestorePlan
    commit: str | None = None
    requests: int = 0
    redirected: list[str] = field(default_factory=list)  # what became of each planned redirect
    related: list[int] = field(default_factory=list)  # products related to the restored one again
    reviews: int = 0  # customer reviews posted again

    @property
    def ok(self) -> bool:
        return not (self.plan.job.refused or self.plan.job.error or self.plan.job.mismatches)


def plan_restore(
    repo: Repo,
    client: ShopClient,
    state: State,
    spec: str,
    *,
    rev: str | None = None,
    at: str | None = None,
    onto: int | str | None = None,
    fields: Sequence[str] = (),
    all_fields: bool = False,
    allow_variant_delete: bool = False,
    create: bool = False,
    exact: bool = False,
    primary: int | None = None,
    replace: bool = False,
    redirect: bool = True,
    progress: Progress,
) -> RestorePlan:
    root, config = repo.root, repo.config
    check_ready(repo, state)
    before = client.requests
    languages = list(config.languages)
    pid = resolve_product(root, spec)
    commit = restore_revision(root, pid, rev, at)
    ours_version = version_at(root, commit, pid)
    if ours_version is None:
        raise EcomgitError(
            f"product {pid} is not in revision {commit[:10]}; see 'git log --oneline -- products/{pid}-*' "
            "for the revisions that have it"
        )
    _refuse_invalid(repo, commit, ours_version.folder)
    ours_version = said_variant_metafields(root, ours_version)
    retail = retail_owned(repo, client)
    reader = LiveReader(client, languages)
    if isinstance(onto, str):  # --onto auto: the successor lost would name
        onto = resolve_onto(root, reader, pid, onto, commit)
    target = onto if onto is not None else pid
    progress(f"reading product {target} from the shop")
    live = reader.read(target, all_parts(languages, config.variant_metafields))
    again = earlier_copy(root, state, pid) if live is None and onto is None else None
    if again is not None:
        live = reader.read(again, all_parts(languages, config.variant_metafields))
        target = again if live is not None else target
    if live is None and onto is not None:
        raise NotFoundError(
            f"the shop has no product {onto} to restore onto; check the id ('ecomgit lost' lists candidates)"
        )
    dropped = _drop_dangling(root, ours_version, client) + _options_unwritten(ours_version)
    known = Known(client)
    known.learn(ours_version)
    executor = Executor(root, config, client, known, None, progress)
    title = one_line(as_str((ours_version.product.get("title") or {}).get(languages[0])))
    folder = folder_at(root, None, target) if live is not None else None
    if folder is not None:  # the record is written there: a link is refused before the shop is written
        safety.guard_tree(root, layout.product_dir(root, folder))
    if live is None:
        warnings = dropped + _before_create(root, reader, ours_version, title, create, _options(rev, at))
        if retail and not create:
            raise EcomgitError(retail_refusal(pid, title, _options(rev, at)))
        if retail:
            warnings.append(RETAIL_WARNING)
        job = Job(pid, title, version_side(ours_version, languages), Decision(), None, folder=None)
        # --fields as for any restore; Retail's ownership is not applied: Retail will not know this product,
        # so it writes none of its fields, and a product made without them would have no prices or codes
        job.policy = Policy(fields=frozenset(fields) if fields else None)
        plan = RestorePlan(job, commit, None, retail, client.requests - before, creates=True, warnings=warnings)
        plan.incoming = _incoming(root, commit, pid, None) if not fields else []
        plan.reviews, said = reviews.planned(ours_version, client, None, fields)
        plan.warnings += said
        return plan
    built = executor.build(live, None)
    theirs, live_idents = live_side(built, languages, known)
    matches = match_variants(ours_version.product, built.product)
    ours = version_side(ours_version, languages, lambda v: matches.get(_vid(v), ("new", _vid(v))))
    policy = Policy(
        retail=retail,
        all_fields=all_fields,
        fields=frozenset(fields) if fields else None,
        keep_variants=onto is not None,
        only_add=onto is not None and not exact,  # a graft adds to the successor; --exact replaces
    )
    decision = policy.apply(overwrite(ours.flat, theirs), theirs)
    if onto is not None:  # several products into one: the product-level content comes from one of them
        _one_primary(root, decision, theirs, pid, live.pid, primary, replace)
    limit_variant_images(decision, live_idents, theirs)
    finish_moves(decision, Journal(state).unfinished_moves(live.pid), live, live_idents)
    keep_unfetched(decision, live_idents, ours_version.product)
    job = Job(pid, title, ours, decision, live, live_idents, folder=folder, target=live.pid)
    job.see_live(theirs, built)
    mirrored = version_at(root, "HEAD", target)  # what git holds of the product now: not lost if written over
    job.held_values = [version_side(mirrored, languages).flat] if mirrored is not None else []
    # the product an unfinished restore made has only variants that restore made: none is anyone's stock
    ours_alone = again is not None and target == again and state.get_meta(_journal_key(pid)) is not None
    refusal = variant_refusal(job, None, allow_delete=allow_variant_delete or ours_alone)
    if refusal:
        raise EcomgitError(f"product {pid} was not restored (nothing was written): {refusal}")
    into = target if target != pid else None
    plan = RestorePlan(job, commit, onto, retail, client.requests - before, into=into, warnings=dropped)
    if onto is not None and redirect:  # the old addresses of a product grafted onto another
        plan.redirects = redirects.planned(ours_version.product, decision, theirs, languages)
    if target != pid and (not fields or "relations" in fields):
        plan.incoming = _incoming(root, commit, pid, target)
    plan.reviews, said = reviews.planned(ours_version, client, live.pid, fields)
    plan.warnings += said
    plan.requests = client.requests - before
    return plan


def _relate_again(
    root: Path,
    languages: Sequence[str],
    client: ShopClient,
    incoming: Sequence[Incoming],
    target: int,
    notes: list[str],
) -> list[int]:
    """Give each product its relation to the restored product back at its place then (the later
    relations move down one), in the shop and in its mirror file (the restore's record holds what
    the shop now has)."""
    done = []
    for pid, title, after in incoming:
        try:
            rows = list(client.iter_list(f"products/{pid}/relations", "productRelations"))
            rows.sort(key=lambda row: (as_int(row.get("sortOrder"), 0), as_int(row.get("id"), 0)))
            if any(link_id(row.get("relatedProduct")) == target for row in rows):
                continue
            place = next((n for n, row in enumerate(rows) if link_id(row.get("relatedProduct")) in after), len(rows))
            made = client.post(
                f"products/{pid}/relations", "productRelation", {"relatedProduct": target, "sortOrder": place}
            )
            for position, row in enumerate(rows[place:], place + 1):
                if as_int(row.get("sortOrder"), 0) != position:
                    client.put(
                        f"products/{pid}/relations/{as_int(row.get('id'), 0)}",
                        "productRelation",
                        {"sortOrder": position},
                    )
            done.append(pid)
            _mirror_relation(root, languages, pid, {"id": made.get("id"), "product": target}, place)
        except ApiError as exc:
            notes.append(f"product {pid} {title} was not related to {target} again ({exc}); relate it by hand")
    return done


def _mirror_relation(root: Path, languages: Sequence[str], pid: int, relation: dict[str, Any], place: int) -> None:
    """Put the relation the shop just made into the product's file at ``place`` (the later ones move
    down one), unless the file holds a person's edit not pushed yet (then the next sync brings it in)."""
    folder = folder_at(root, None, pid)
    if folder is None or pid in pending_products(root):
        return
    path = safety.guard(root, layout.product_dir(root, folder) / layout.PRODUCT_FILE)
    product = files.read_product(path)
    product["relations"] = placed(product.get("relations") or [], relation, place)
    files.write_product(path, product, languages)


def placed(relations: Sequence[Any], relation: Mapping[str, Any], place: int) -> list[Any]:
    """``relations`` (a file's, in its order) with ``relation`` at ``place`` and those from there on
    one place down, each ``sortOrder`` its position from ``place`` on."""
    rows = in_order(relations)
    rows.insert(min(place, len(rows)), relation)
    return [{**r, "sortOrder": n} if n >= place else r for n, r in enumerate(rows)]


def _incoming(root: Path, rev: str, pid: int, target: int | None) -> list[Incoming]:
    """The products that were related to ``pid`` at ``rev`` and are not related to ``target`` now
    (the shop dropped their relation when it deleted ``pid``): each gets it back. A product the shop
    deleted too is found where a restore put it since (a new id, or its successor), so related
    products deleted together get both relations back whichever is restored first."""
    found: list[Incoming] = []
    mirrored = _mirrored_ids(root)
    moved: dict[int, int] = {}
    for version in find_by_text(root, rev, [str(pid)]):
        order = [r.get("product") for r in _relations(version.product)]
        if version.pid == pid or pid not in order:
            continue
        if not moved and not mirrored.issuperset(p for p in [version.pid, *order] if isinstance(p, int)):
            moved = restored_ids(root)
        other = current_id(version.pid, mirrored, moved)
        now = version_at(root, "HEAD", other) if other is not None and other != target else None
        if now is None or (target is not None and any(r.get("product") == target for r in _relations(now.product))):
            continue
        later = order[order.index(pid) + 1 :]
        after = frozenset(p for r in later if isinstance(r, int) and (p := current_id(r, mirrored, moved)) is not None)
        title = now.product.get("title") or {}
        name = one_line(as_str(next(iter(title.values()), "") if isinstance(title, dict) else ""))
        found.append(Incoming(now.pid, name, after))
    return found


def _mirrored_ids(root: Path) -> set[int]:
    return {pid for name in product_folder_names(root, None) if (pid := layout.folder_product_id(name)) is not None}


def _relations(product: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return in_order(product.get("relations") or [])


def in_order(relations: Sequence[Any]) -> list[Mapping[str, Any]]:
    """A file's relations in their order: ``sortOrder``, then id."""
    rows = [r for r in relations if isinstance(r, Mapping)]
    return sorted(rows, key=lambda r: (as_int(r.get("sortOrder"), 0), as_int(r.get("id"), 0)))


def apply_restore(
    repo: Repo, client: ShopClient, state: State, plan: RestorePlan, *, progress: Progress, trailers: Sequence[str] = ()
) -> RestoreResult:
    result = RestoreResult(plan)
    before = client.requests
    job = plan.job
    folders = lambda: [job.folder, job.recorded_folder, *(folder_at(repo.root, None, p) for p in result.related)]  # noqa: E731
    unfinished.begin(state, "restore", [pid for pid in (job.source, job.target) if pid])
    with put_back_unless_committed(repo.root, folders), Downloader(client, limit=repo.config.image_limit) as downloads:
        known = Known(client)
        known.learn(job.ours.version)
        executor = Executor(repo.root, repo.config, client, known, downloads, progress)
        executor.on_created = lambda source, pid: state.set_meta(_journal_key(source), str(pid))
        journal = executor.journal = Journal(state)
        try:
            executor.run(job)
        except EcomgitError as exc:
            job.error = str(exc)
        if job.refused:  # the shop changed what it would overwrite: nothing written, nothing to record
            result.requests = plan.requests + client.requests - before
            return result
        if job.live is not None:
            executor.record(job, full=True)
        if plan.reviews and job.target is not None and not job.error:
            result.reviews = reviews.post(client, job.target, plan.reviews)
            folder = job.recorded_folder or job.folder or folder_at(repo.root, None, job.target)
            if folder:
                reviews.record(repo.root, folder, client, job.target)
        if plan.incoming and job.target is not None and not (job.error or job.mismatches):
            languages = repo.config.languages
            result.related = _relate_again(repo.root, languages, client, plan.incoming, job.target, job.notes)
        if plan.redirects and not (job.error or job.mismatches):
            try:
                result.redirected = redirects.create(client, plan.redirects)
            except ApiError as exc:  # the product is restored; its old addresses can be redirected by hand
                job.notes.append(f"the redirects were not made ({exc}); make them in the back office")
        downloads.wait()
        leave_out(downloads.failed, repo.config.languages)  # the next sync reads them again
        result.requests = plan.requests + client.requests - before
        result.commit = _commit(repo, state, result, trailers)
    state.db.execute("DELETE FROM meta WHERE key=?", (_journal_key(job.source),))  # the commit maps it now
    if job.target is not None and result.commit is not None:
        journal.forget([job.target])
    return result


RETAIL_WARNING = (
    "the shop is linked to Lightspeed Retail, which will not know this product: its stock stays 0, Retail's "
    "price changes never reach it, and publishing the item from Retail later makes a second product with the "
    "same codes"
)


# the type and its attribute values are the product's: one type, from one product
PRODUCT_LEVEL = (
    *schema.PRODUCT_TEXTS,
    *PRODUCT_SCALARS,
    "brand",
    "supplier",
    "deliverydate",
    "type",
    "attributes",
    "set",
)


def said_variant_metafields(root: Path, version: Version) -> Version:
    """``version`` without its variants' ``metafields`` when the revision's config did not mirror
    them: its ``metafields: []`` then says nothing of the shop's, and a restore must remove none."""
    if version.rev is None or mirrored_variant_metafields(root, version.rev):
        return version
    product = dict(version.product)
    product["variants"] = [
        {k: v for k, v in variant.items() if k != "metafields"} if isinstance(variant, Mapping) else variant
        for variant in product.get("variants") or []
    ]
    return dataclasses.replace(version, product=product)


def mirrored_variant_metafields(root: Path, rev: str) -> bool:
    """Whether the config at ``rev`` says ``deep.variantMetafields: true`` (a config without the key
    was written before they were mirrored by default)."""
    deep = (config_mod.raw_at(root, rev) or {}).get("deep")
    return isinstance(deep, dict) and deep.get("variantMetafields") is True


def _options_unwritten(version: Version) -> list[str]:
    """What to say when the revision's variants have options: the API documents no write of them."""
    variants = [v for v in version.product.get("variants") or [] if isinstance(v, Mapping) and v.get("options")]
    if not variants:
        return []
    return [
        f"the options of {len(variants)} variant(s) (e.g. {as_str(variants[0].get('sku')) or variants[0].get('id')}) "
        "are not written: the API documents no way; the back office (or Retail, for a Retail matrix) sets them"
    ]


def _one_primary(
    root: Path, decision: Decision, theirs: Mapping[Any, Any], pid: int, target: int, primary: int | None, replace: bool
) -> None:
    """Several lost products grafted onto one successor: product-level content (texts, SEO, data,
    links to a brand…) and metafields the successor already has come from the primary product only.

    ``primary``: this restore is one of several in one command, and that product's came first: the
    fields are left alone. Otherwise an earlier restore onto the same successor (its record names it)
    wrote them: refused, naming that commit, unless ``replace``."""
    level = [p for p in decision.changes if p[0] in PRODUCT_LEVEL or (p[0] == "metafields" and p in theirs)]
    if not level:
        return
    if primary is not None:
        for path in level:
            del decision.changes[path]
        decision.skipped.append((("product",), f"product-level content and shared metafields come from {primary}"))
        return
    earlier = [(old, sha) for old, sha in grafts_onto(root, target) if old != pid]
    if earlier and not replace:
        old, sha = earlier[0]
        names = ", ".join(sorted({label(p) for p in level}))
        raise EcomgitError(
            f"product {target} already received product {old}'s content (commit {sha[:10]}); restoring {pid} onto it "
            f"would replace its {names}. Restore both in one go, the first named giving the product's content "
            f"('ecomgit restore {old} {pid} --onto {target}'), or run again with --replace; nothing was written"
        )


def retail_refusal(pid: int, title: str, options: str = "") -> str:
    """Why a deleted product is not re-created through the API on a Retail-linked shop, and what to do."""
    return (
        f"product {pid} {title} is not in the shop, and the shop is linked to Lightspeed Retail: a product made "
        "through the API is one Retail does not know (its stock stays 0, Retail's prices never reach it, and "
        "publishing the item again later makes a second product with its codes). Publish the item to eCom "
        f"again from Retail, run 'ecomgit sync', then 'ecomgit restore {pid}{options} --onto auto' to bring its "
        f"eCom content back onto it. To create it through the API anyway: 'ecomgit restore {pid}{options} "
        "--create'; nothing was written"
    )


def resolve_onto(root: Path, reader: LiveReader | None, pid: int, spec: str, rev: str, language: str = "") -> int:
    """``--onto auto``: the one live product holding the lost product's codes (as ``lost`` names
    it); without a ``reader`` (a proposal: no request), the one the mirror holds at HEAD."""
    version = version_at(root, rev, pid)
    codes = sorted(codes_of(version.product)) if version is not None else []
    if not codes:
        found = []
    elif reader is not None:
        found = holders.live_holders(root, reader, codes)
    else:
        found = [s for s in successors(root, codes, language) if s.pid != pid]
    where = "live" if reader is not None else "mirrored"
    if len(found) == 1:
        return found[0].pid
    if not found:
        first = (
            "on a shop linked to Lightspeed Retail, publish the item to eCom again from Retail and run "
            "'ecomgit sync' first"
            if reader is not None
            else "run 'ecomgit sync' first, or give the successor's id"
        )
        raise EcomgitError(
            f"--onto {spec}: no {where} product holds the codes of product {pid} "
            f"({', '.join(codes) or 'it has none'}); {first}; nothing was written"
        )
    listed = ", ".join(f"{h.pid} ({h.title})" for h in found)
    raise EcomgitError(
        f"--onto {spec}: more than one {where} product holds codes of product {pid}: {listed}; give the id with "
        "--onto ID; nothing was written"
    )


def _before_create(root: Path, reader: LiveReader, version: Version, title: str, create: bool, again: str) -> list[str]:
    """Refuse to make a product whose codes live products hold (its successors), unless ``create``;
    then the warnings that say so. An earlier restore's own product was found before this (see
    :func:`earlier_copy`): what holds the codes now is someone else's product."""
    found = holders.live_holders(root, reader, sorted(codes_of(version.product)))
    if found and not create:
        raise EcomgitError(holders.refusal(version.pid, title, found, again))
    return [holders.warning(found)] if found else []


def _options(rev: str | None, at: str | None) -> str:
    """The options that chose the revision, as the user gave them (for a command to run next)."""
    if rev is not None:
        return f" --rev {rev}"
    return f" --at '{at}'" if at is not None else ""


def _journal_key(source: int) -> str:
    """Where a re-creation is noted the moment the shop makes the product, until a commit maps it."""
    return f"restore:{source}"


def earlier_copy(root: Path, state: State, pid: int) -> int | None:
    """The product a deleted ``pid`` was already re-created as: by an unfinished restore (journal) or
    a committed one (``Ecomgit-Restored``, in any clone's record that reached this one, merged or only
    fetched). Restoring again goes there instead of making another."""
    noted = state.get_meta(_journal_key(pid))
    if noted and (copy := parse_id(noted)) is not None:
        return copy
    return restored_ids(root, every_ref=True).get(pid)


def _commit(repo: Repo, state: State, result: RestoreResult, trailers: Sequence[str] = ()) -> str:
    plan, job = result.plan, result.plan.job
    target = job.target if job.target is not None else job.source
    mode = f"as new product {target}" if plan.creates else plan.mode
    headline = f"Restore {job.source} {job.title} from {plan.rev[:10]} {mode}"
    lines = [headline, ""]
    sections = (
        (
            "Written",
            job.record_lines()
            + result.redirected
            + [f"product {p} related to it again" for p in result.related]
            + (
                [f"{result.reviews} customer review(s) posted again (dated today by the shop)"]
                if result.reviews
                else []
            ),
        ),
        ("Left alone", job.skipped_lines()),
        ("Not as meant", job.mismatches + ([job.error] if job.error else [])),
        ("Kept from the shop", job.trace_lines()),
    )
    for heading, items in sections:
        if items:
            lines += [f"{heading}:", *[f"  {item}" for item in items[:60]], ""]
    held = [pid for pid in pending_products(repo.root) if pid not in (job.source, target)]
    return commit_record(
        repo.root,
        state,
        trailer=gitrepo.RESTORE_TRAILER,
        message=lines[:-1] if lines[-1] == "" else lines,
        requests=result.requests,
        folders={f for f in (job.folder, job.recorded_folder) if f}
        | {f for pid in result.related if (f := folder_at(repo.root, None, pid))},
        written=([target] if job.written else []) + result.related,  # the next sync reads them in depth
        held=held,
        restored=[(job.source, target)] if job.target is not None and job.target != job.source else [],
        recorded=([target] if job.recorded_folder else []) + [p for p in result.related if p not in held],
        trailers=trailers,
    )


def _refuse_invalid(repo: Repo, rev: str, folder: str) -> None:
    """The revision as the restore will send it: its images (bytes, size, format; never a link) and
    no field the mirror leaves out. An invalid image refuses the product before any image is removed."""
    problems = check_committed(repo.root, repo.config, rev, [folder], schema=False)
    if problems:
        shown = "\n".join(f"  {rev[:10]}:{p}" for p in problems[:30])
        raise MirrorError(
            f"{len(problems)} problem(s) in the revision to restore; nothing was written:\n{shown}\n"
            "Restore another revision (see 'git log'), or fix the product, commit, and restore that commit."
        )


def restore_revision(root: Any, pid: int, rev: str | None, at: str | None) -> str:
    """The revision a restore of ``pid`` reads: ``--rev``, ``--at``, or a deleted product's last one."""
    if rev is not None and at is not None:
        raise EcomgitError("give --rev or --at, not both")
    if rev is not None:
        return gitrepo.resolve(root, rev)
    if at is not None:
        return gitrepo.commit_before(root, at)
    if folder_at(root, "HEAD", pid) is not None:
        raise EcomgitError(
            f"product {pid} is still in the mirror; say which revision to restore with --rev REV or --at DATE "
            f"(see 'git log --oneline -- products/{pid}-*')"
        )
    for deletion in deletions(root):
        if deletion.pid == pid:
            return deletion.last_rev
    raise EcomgitError(f"product {pid} was never in this mirror; see 'ecomgit lost' for deleted products")


def _vid(variant: Mapping[str, Any]) -> Hashable:
    return variant.get("id") if isinstance(variant.get("id"), int) else ("new", id(variant))


def match_variants(ours: Mapping[str, Any], theirs: Mapping[str, Any]) -> dict[Hashable, int]:
    """Our variants → live variant ids: same id, else the same SKU, article code or EAN."""
    live = [v for v in theirs.get("variants") or [] if isinstance(v, Mapping) and isinstance(v.get("id"), int)]
    mine = [v for v in ours.get("variants") or [] if isinstance(v, Mapping)]
    ids = {v["id"] for v in live}
    out: dict[Hashable, int] = {_vid(v): v["id"] for v in mine if v.get("id") in ids}
    rest = [(_vid(v), v) for v in mine if _vid(v) not in out]
    out.update(match_by_code(rest, live, set(out.values())))
    return out


def _drop_dangling(
    root: Any, version: Version, client: ShopClient | None, onto: Mapping[int, int] | None = None
) -> list[str]:
    """Leave out links to categories, tags, brands, suppliers, delivery dates and products the shop
    no longer has (a create or write naming one would fail); each in a note of the plan. Brands and
    delivery dates are known from the mirror; suppliers, which it does not mirror, are asked."""
    product = version.product
    shop = root / layout.SHOP_DIR
    notes: list[str] = []
    present = {
        name: {row.get("id") for row in files.read_list(safety.guard(root, shop / f"{name}.yaml"))}
        for name in ("categories", "tags", "brands", "deliverydates")
    }
    for name, one in (("categories", "category"), ("tags", "tag")):
        if present[name]:
            gone = [item.get("id") for item in product.get(name) or [] if item.get("id") not in present[name]]
            product[name] = [item for item in product.get(name) or [] if item.get("id") in present[name]]
            notes += [f"{one} {gid} is no longer in the shop: left out" for gid in gone]
    for name, table in (("brand", "brands"), ("deliverydate", "deliverydates")):
        ref = product.get(name)
        if isinstance(ref, Mapping) and present[table] and ref.get("id") not in present[table]:
            notes.append(f"{name} {ref.get('id')} is no longer in the shop: left out")
            product[name] = None
    supplier = product.get("supplier")
    if client is not None and isinstance(supplier, Mapping) and isinstance(supplier.get("id"), int):
        try:
            client.get_one(f"suppliers/{supplier['id']}", "supplier")
        except NotFoundError:
            notes.append(f"supplier {supplier['id']} is no longer in the shop: left out")
            product["supplier"] = None
    mirrored = _mirrored_ids(root)
    moved = restored_ids(root) if any(r.get("product") not in mirrored for r in product.get("relations") or []) else {}
    moved.update(onto or {})
    relations, linked = [], set()
    for relation in product.get("relations") or []:
        related = relation.get("product")
        now = current_id(related, mirrored, moved) if isinstance(related, int) else None
        if onto is not None and now in onto.values():
            notes.append(f"related product {related} goes into {now} too: a product is not related to itself")
        elif now is None:
            notes.append(f"related product {related} is no longer in the shop: left out")
        elif now in linked:
            continue  # two related products restored onto one: linked once
        else:
            if now != related:  # restored under a new id, or grafted onto its successor
                notes.append(f"related product {related} was restored as {now}: related to {now} instead")
            relations.append({**relation, "product": now})
            linked.add(now)
    product["relations"] = relations
    return notes
