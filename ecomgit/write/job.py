"""One product's write, start to finish: (create,) apply, read back, verify, record in the mirror.

Shared by push and restore. The record is the live product as read back, written into the
product's folder the way a sync writes it, so the commit that follows shows exactly what the
shop now holds.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from ecomgit.api import ShopClient
from ecomgit.api.values import as_int, as_str, objects
from ecomgit.config import Config
from ecomgit.diff import FieldChange, image_changes, is_long, text_change, whole
from ecomgit.errors import ServerError, TransportError
from ecomgit.mirror import files, layout, markers, owned, safety, schema
from ecomgit.sync import assemble
from ecomgit.sync.images import Downloader, apply_images
from ecomgit.text import one_line
from ecomgit.write import reread, trace
from ecomgit.write.apply import FINISH_MOVE, MOVED_IMAGE, Applier, Outcome, keep_unfetched, limit_variant_images
from ecomgit.write.fields import (
    MISSING,
    PRODUCT_SCALARS,
    REFS,
    VARIANT_FIELDS,
    Decision,
    Path,
    Policy,
    label,
    overwrite,
    show,
)
from ecomgit.write.holders import newest_mirrored
from ecomgit.write.journal import Journal
from ecomgit.write.live import TEXT_FIELDS, Live, LiveReader, all_parts, parts_for
from ecomgit.write.sides import Known, VersionSide, live_side, remap, version_side


@dataclass
class Job:
    """What to write to one product, and, after it ran, what happened."""

    source: int  # the product id in the mirror revision
    title: str
    ours: VersionSide
    decision: Decision
    live: Live | None  # None: the product is re-created
    live_idents: list[str | None] = field(default_factory=list)
    folder: str | None = None  # the target's folder in the work tree, if mirrored
    new_folder: str | None = None  # a new product's folder (no id yet; see ecomgit.write.create)
    policy: Policy | None = None  # what a create may write (ownership, --fields): as for any other write
    refused: str | None = None  # why nothing of it is written
    refused_at_write: bool = False  # refused by the re-read just before writing, not by the plan
    notes: list[str] = field(default_factory=list)
    # results
    target: int | None = None
    written: bool = False
    mismatches: list[str] = field(default_factory=list)
    error: str | None = None
    recorded_folder: str | None = None
    catalog_fresh: bool = False  # the catalog record was read after the writes
    outcome: Outcome | None = None
    # the traces a write leaves (see ecomgit.write.trace)
    held_values: list[dict[Path, Any]] = field(default_factory=list)  # versions git holds (base, ours, HEAD)
    before_write: dict[Path, Any] | None = None  # the shop's fields as the re-read just before writing saw them
    overwritten: list[trace.Overwritten] = field(default_factory=list)  # shop values no commit held, written over
    # the live product as planned against: its fields, and its images' file names by identity (for the plan's words)
    theirs: dict[Path, Any] = field(default_factory=dict)
    theirs_images: list[tuple[str, str | None]] = field(default_factory=list)
    theirs_refs: dict[tuple[str, Any], str] = field(default_factory=dict)  # (brand, id) → its title, as the shop has it

    @property
    def shop_id(self) -> int | None:
        """The product's id in the shop: the mirror's, or, for a new product, the one the shop gave it."""
        return self.target if self.new_folder is not None else self.source

    @property
    def name(self) -> str:
        """How messages name the product: its id, or a new product's folder until it has one."""
        if self.new_folder is None:
            return str(self.source)
        made = f" → {self.target}" if self.target is not None else ""
        return f"{layout.PRODUCTS_DIR}/{self.new_folder}{made}"

    @property
    def creates(self) -> bool:
        return self.live is None and self.refused is None

    def describe_variant(self, key: Hashable) -> str:
        """A variant (or, keyed by the identity of its bytes, an image) in words."""
        if isinstance(key, str):
            return f"image {self._image_names().get(key, key[:12])}"
        variant = self.ours.variants.get(key)
        if variant is None and self.live is not None and isinstance(key, int):
            variant = self.live.variants.get(key) or next(
                (v for v in objects(self.live.record.get("variants")) if v.get("id") == key), None
            )
        code = as_str((variant or {}).get("sku")) or as_str((variant or {}).get("articleCode"))
        name = f"variant {key}" if isinstance(key, int) else "new variant"
        return f"{name} ({code})" if code else name

    def _image_names(self) -> dict[str, str]:
        version = self.ours.version
        names = (str(i.get("file")) for i in version.product.get("images") or [] if isinstance(i, Mapping))
        return {ident: name for name in names if (ident := version.image_ident(name)) is not None}

    def see_live(self, theirs: dict[Path, Any], built: assemble.Built) -> None:
        """Keep the live product's fields and image names: the plan says each change from them."""
        self.theirs = theirs
        names = [str(i.get("file")) for i in built.product.get("images") or [] if isinstance(i, Mapping)]
        self.theirs_images = list(zip(names, self.live_idents, strict=False))
        self.theirs_refs = _ref_names(built.product)

    def change_lines(self) -> list[str]:
        """The changes in words, one line each (a rewritten text's old and new, whole, on it)."""
        return [change.words for change in self.changes_in_words()]

    def record_lines(self, most: int = 240) -> list[str]:
        """The changes for a commit message: one line each, at most ``most`` characters."""
        return [line if len(line) <= most else line[: most - 1] + "…" for line in self.change_lines()]

    def plan_lines(self) -> list[str]:
        """The changes for a terminal: a rewritten text's old and new, whole, line by line."""
        return [line for change in self.changes_in_words() for line in change.lines()]

    def changes_in_words(self) -> list[FieldChange]:
        """Each change from what the shop has, as ``diff`` says it: a value ``old → new``, a long
        text word by word (rewritten: old and new, whole), each image added, removed, replaced or
        moved; a variant made or deleted on one line, a variant with many changed fields on one line."""
        out: list[FieldChange] = []
        by_variant: dict[Hashable, list[Path]] = {}
        for path in self.decision.changes:
            if path[0] == "variants":
                by_variant.setdefault(path[1], []).append(path)
        shown: set[Hashable] = set()
        for path, value in self.decision.changes.items():
            whole = self.decision.changes.get(("variants", path[1])) if path[0] == "variants" else None
            if whole is MISSING or (whole is True and self._made(path[1])):
                if path[1] not in shown:
                    shown.add(path[1])
                    out.append(_said(self._presence_line(path[1], whole)))
            elif path[0] != "variants" or len(by_variant[path[1]]) <= 3:
                out += self._field_change(path, value)
            elif path[1] not in shown:
                shown.add(path[1])
                out.append(_said(self._variant_line(path[1], by_variant[path[1]])))
        names = self._image_names()
        out += [_said(f"image {names.get(i, i[:12])}: {MOVED_IMAGE}") for i in sorted(self.decision.moves)]
        return out + [_said(f"image {names.get(i, i[:12])}: {FINISH_MOVE}") for i in sorted(self.decision.finish)]

    def _field_change(self, path: Path, value: Any) -> list[FieldChange]:
        name = label(path, self.describe_variant)
        if not self.theirs:  # a product made anew: nothing to say it from
            return [_said(f"{name}: {show(value, path=path)}")]
        if path == ("images",):
            names = dict(self._image_names()) | {ident: name for name, ident in self.theirs_images if ident}
            ours = [(names.get(ident, str(ident)[:12]), ident) for ident in value or ()]
            return image_changes(self.theirs_images, ours) or [_said("images: the same files, written again")]
        before = self.theirs.get(path, MISSING)
        if path[0] in (*REFS, "type", "set") and len(path) == 1:  # named, as diff names them
            refs = {**self.theirs_refs, **_ref_names(self.ours.version.product)}
            before, value = (
                refs.get((path[0], v), v) if v is not None and v is not MISSING else v for v in (before, value)
            )
        if before is MISSING and value is not True:  # a value the shop has no place for yet
            return [_said(f"{name}: {show(value, path=path)}")]
        if isinstance(before, str) and isinstance(value, str):
            return [text_change(name, before, value)]
        if value is True and before is MISSING and path[0] != "variants":
            return [_said(f"{name}: added")]
        if value is MISSING and before is True:
            return [_said(f"{name}: removed")]
        return [_said(f"{name}: {show(before, path=path)} → {show(value, path=path)}")]

    def created_variants(self) -> list[Mapping[str, Any]]:
        """Our variants this write creates in the shop."""
        keys = [p[1] for p, v in self.decision.changes.items() if p[0] == "variants" and len(p) == 2 and v is True]
        return [self.ours.variants[k] for k in keys if self._made(k) and k in self.ours.variants]

    def _made(self, key: Hashable) -> bool:
        """Whether the variant is created by this write (not in the live product)."""
        return self.live is None or key not in self.live.variant_ids

    def _presence_line(self, key: Hashable, value: Any) -> str:
        if value is MISSING:
            return f"delete {self.describe_variant(key)} and its stock"
        variant = self.ours.variants.get(key) or {}
        codes = ", ".join(f"{n} {as_str(variant.get(n))}" for n in ("sku", "articleCode", "ean") if variant.get(n))
        return f"create variant ({codes})" if codes else "create variant"

    def _variant_line(self, key: Hashable, paths: list[Path]) -> str:
        who = self.describe_variant(key)
        if self.decision.changes.get(("variants", key)) is True:
            return f"{who}: created with all its fields"
        names = sorted({label(p[2:]) for p in paths if len(p) > 2})
        return f"{who}: {len(paths)} fields ({', '.join(names)})"

    def conflict_lines(self) -> list[str]:
        """Each conflict: the shop's value and ours, a long text as what each changed since the
        last sync (never three prefixes that look the same)."""
        lines = []
        for c in self.decision.conflicts:
            name = label(c.path, self.describe_variant)
            if all(isinstance(v, str) for v in (c.base, c.ours, c.theirs)) and is_long(c.base, c.ours, c.theirs):
                shop, here = text_change(name, c.base, c.theirs), text_change(name, c.base, c.ours)
                said = [
                    f"{who}: {whole(side.new) if side.rewritten else side.change}"
                    for who, side in (("the shop's", shop), ("yours", here))
                ]
                was = f" (was {whole(c.base)})" if shop.rewritten or here.rewritten else " (each since the last sync)"
                lines.append(f"{name}: {'; '.join(said)}{was}")
            else:
                lines.append(
                    f"{name}: shop has {show(c.theirs, path=c.path)}, "
                    f"here {show(c.ours, path=c.path)} (was {show(c.base, path=c.path)})"
                )
        return lines

    def trace_lines(self) -> list[str]:
        """What the record commit keeps of this write beyond the files: the shop's values it wrote
        over that no commit held (in full, to recover them), and what changed meanwhile."""
        lines = [
            f"overwritten {label(o.path, self.describe_variant)}, the shop had: "
            + ("; ".join(o.before) if o.path == ("images",) else trace.exact(o.before))
            for o in self.overwritten
        ]
        return lines + [f"note: {note}" for note in self.notes if "while this write ran" in note]

    def skipped_lines(self) -> list[str]:
        return [f"{label(path, self.describe_variant)}: {why}" for path, why in self.decision.skipped]


class Executor:
    def __init__(
        self,
        root: FsPath,
        config: Config,
        client: ShopClient,
        known: Known,
        downloads: Downloader | None,
        progress: Callable[[str], None],
    ) -> None:
        self.root = root
        self.config = config
        self.client = client
        self.languages = list(config.languages)
        self.default = self.languages[0]
        self.reader = LiveReader(client, self.languages)
        self.known = known
        self.downloads = downloads
        self.progress = progress
        self.on_created: Callable[[int, int], None] = lambda source, pid: None  # journal a new product
        self.journal: Journal | None = None  # where the variant and image writes the shop performed are noted

    @functools.cached_property
    def tag_titles(self) -> dict[int, str]:
        """Tag id → title in the default language, from ``shop/tags.yaml`` (read once per run)."""
        rows = files.read_list(safety.guard(self.root, self.root / layout.SHOP_DIR / "tags.yaml"))
        return {
            row["id"]: as_str(row.get("title", {}).get(self.default)) for row in rows if isinstance(row.get("id"), int)
        }

    def build(self, live: Live, previous: Mapping[str, Any] | None) -> assemble.Built:
        return live.build(self.languages, previous, self.tag_titles, self.config.include_fields)

    # -- the run --------------------------------------------------------------------------------
    def run(self, job: Job, *, cleared: bool = False) -> None:
        """Write ``job``; ``cleared``: a list showed the product unchanged since the plan, so it is
        not read again before writing (see ``ecomgit.write.recheck``)."""
        if job.refused or job.decision.empty and job.live is not None:
            return
        if job.folder is not None:  # a link planted since the plan (at the prompt): refused before any write
            safety.guard_tree(self.root, layout.product_dir(self.root, job.folder))
        if job.live is None:
            job.live, job.decision = self._create(job)
        elif not self._unchanged_since_plan(job, cleared):
            return
        live = job.live
        job.target = live.pid
        self.progress(f"writing product {live.pid}")
        applier = Applier(
            self.client,
            self.languages,
            live,
            job.decision.changes,
            ours_variants=job.ours.variants,
            uploads=job.ours.uploads(),
            live_idents=job.live_idents,
            note=self._noter(live.pid),
            before=self._guard(job),
            moves=job.decision.moves,
            finish=job.decision.finish,
        )
        job.written = True
        try:
            outcome = job.outcome = applier.run()
        except reread.Moved as moved:
            job.decision.conflicts += moved.conflicts
            job.error = (
                f"stopped before writing its {moved.group.replace(':', ' ')}: the shop changed "
                f"{', '.join(label(c.path, job.describe_variant) for c in moved.conflicts)} while this write ran; "
                "what was written before stays, nothing after it was written. Run 'ecomgit sync' to see the "
                "shop's edit, then write again"
            )
            return
        job.notes += outcome.notes
        self._verify(job, outcome)

    def _guard(self, job: Job) -> Callable[[str], None]:
        """Before each write group's first write, read that group's fields again and stop the
        product if the shop changed one since the re-read before its first write (see
        :mod:`ecomgit.write.reread`). The first group was just read: it is not read twice."""
        done: set[str] = set()
        default = self.languages[0]

        def before(group: str) -> None:
            if group in done:
                return
            first = not done
            done.add(group)
            baseline, planned = job.before_write, job.live
            if first or baseline is None or planned is None:
                return  # a new product: nobody else knew it
            paths = {p: v for p, v in job.decision.changes.items() if reread.group_of(p, default) == group}
            if not paths:
                return
            fresh = copy.deepcopy(planned)
            parts = parts_for(list(paths), self.languages)
            catalog = any(not parts_for([p], self.languages) for p in paths)
            self.reader.refresh(fresh, parts, catalog=catalog)
            now, _ = live_side(self.build(fresh, job.ours.version.product), self.languages, self.known)
            conflicts = reread.moved(baseline, now, paths)
            if conflicts:
                raise reread.Moved(group, conflicts)

        return before

    def _noter(self, pid: int) -> Callable[[str, dict[str, Any]], None] | None:
        journal = self.journal
        return None if journal is None else lambda kind, body: journal.note(pid, kind, body)

    def _unchanged_since_plan(self, job: Job, cleared: bool = False) -> bool:
        """Read again what the write will overwrite; refuse the product if the shop changed it since
        the plan (see :mod:`ecomgit.write.reread`). Both sides are built the same way, so only the
        shop's edits differ. A ``cleared`` product is taken as planned, without a request."""
        planned = job.live
        assert planned is not None
        previous = job.ours.version.product
        before, _ = live_side(self.build(planned, previous), self.languages, self.known)
        fresh = copy.deepcopy(planned) if cleared else reread.reread(self.reader, planned, job.decision.changes)
        after, idents = live_side(self.build(fresh, previous), self.languages, self.known)
        conflicts = reread.moved(before, after, job.decision.changes)
        taken = reread.taken_codes(planned, fresh, job.created_variants())
        if conflicts or taken:
            job.decision.conflicts += conflicts
            job.refused, job.refused_at_write = "; ".join(taken) or reread.REFUSAL, True
            return False
        job.live, job.live_idents = fresh, idents  # write against the freshest link and image ids
        job.before_write = after
        images = list(zip(idents, fresh.images(), strict=False))
        job.overwritten = trace.overwritten(job.decision.changes, after, [*job.held_values, job.ours.flat], images)
        return True

    def _create(self, job: Job) -> tuple[Live, Decision]:
        """POST the product (default language), then plan the rest against what the shop made."""
        product = job.ours.version.product
        allows = job.policy.allows if job.policy is not None else lambda path, value=None: True
        body: dict[str, Any] = {
            name: product.get(name) for name in PRODUCT_SCALARS if name in product and allows((name,))
        }
        for name in schema.PRODUCT_TEXTS:  # a product has a title: it is sent whatever the policy
            if name == "title" or allows((name, self.default)):
                body[name] = as_str((product.get(name) or {}).get(self.default))
        for name in REFS:
            ref = product.get(name)
            if allows((name,)):
                body[name] = ref.get("id") if isinstance(ref, Mapping) else None
        try:
            created = self.client.post("products", "product", body, lang=self.default)
        except (TransportError, ServerError):
            # the answer was lost: the product may exist. Look before anyone posts it again.
            found = self._find_created(body)
            if found is None:
                raise
            created = found
        pid = as_int(created.get("id"), 0)
        self.on_created(job.source, pid)
        self.progress(f"created product {pid}")
        live = self.reader.read(pid, {"variants"})
        if live is None:
            raise RuntimeError(f"product {pid} vanished right after it was created")
        live.texts = {lang: {} for lang in self.languages[1:]}  # a new product: no texts there yet
        live.vtitles = {lang: {} for lang in self.languages[1:]}
        live.tag_links, live.metafields = [], []
        live.vmetafields = {vid: [] for vid in live.variant_ids} if self.config.variant_metafields else None
        return live, _reuse_default_variant(job, live, self)

    def _find_created(self, body: Mapping[str, Any]) -> dict[str, Any] | None:
        """A product made since the mirror's newest one with this slug and title, if the shop has it."""
        newest = newest_mirrored(self.root)
        rows = self.client.iter_list("products", "products", {"since_id": newest, "fields": "id,url,title"})
        for row in rows:
            if as_str(row.get("url")) == body.get("url") and as_str(row.get("title")) == body.get("title"):
                return row
        return None

    def _verify(self, job: Job, outcome: Outcome) -> None:
        """Read back what was written and compare it, path by path, with what was meant."""
        live = job.live
        assert live is not None
        parts = {p for p in outcome.parts if p != "catalog" and p != f"texts:{self.default}"}
        job.catalog_fresh = _needs_catalog(outcome, self.default)
        if _answered(job.decision.changes, outcome, self.default):
            _take_answers(live, outcome, self.default)
        else:
            self.reader.refresh(live, parts, catalog=job.catalog_fresh)
        self.known.by_file_id.update(outcome.file_idents)
        built = self.build(live, job.ours.version.product)
        flat, job.live_idents = live_side(built, self.languages, self.known)
        keys: dict[Hashable, int] = {k: v for k, v in outcome.new_variants.items()}
        extra = {v for p, v in job.decision.changes.items() if p[0] == "variants" and p[2:] == ("image",)}
        theirs_sent: dict[Path, tuple[Any, Any, Any]] = {}
        if job.before_write is not None:  # not for a product just created: nobody else knew it
            seen = self._seen_again(set(job.before_write) | set(flat), parts, job.catalog_fresh)
            theirs_sent, theirs_other = trace.meanwhile(job.decision.changes, job.before_write, flat, seen)
            for path, (was, now) in theirs_other.items():
                source = _derived_from(path, job.decision.changes)
                job.notes.append(
                    f"{label(path, job.describe_variant)}: the shop made it {show(now)} (was {show(was)}) from the "
                    f"{source} sent; the record holds it"
                    if source
                    else f"{label(path, job.describe_variant)}: changed in the shop by someone else while this write "
                    f"ran ({show(was)} → {show(now)}); the record holds the new value"
                )
        for path, meant in remap(job.decision.changes, keys).items():
            wanted = job.decision.changes[path]
            have = flat.get(meant, MISSING)
            if path == ("images",):
                have = _without_copies(have, wanted, extra)
            if have == wanted:
                continue
            if path in theirs_sent:
                _, was, now = theirs_sent[path]
                job.mismatches.append(
                    f"{label(path, job.describe_variant)}: changed in the shop by someone else while this write ran: "
                    f"sent {show(wanted)}, it had {show(was)}, now {show(now)}"
                )
            else:
                job.mismatches.append(
                    f"{label(path, job.describe_variant)}: meant {show(wanted)}, the shop has {show(flat.get(meant))}"
                )

    def _seen_again(self, paths: set[Path], parts: set[str], catalog: bool) -> list[Path]:
        """The paths whose values the read-back after the writes really read (not kept from before)."""
        out = []
        for path in paths:
            needs = parts_for([path], self.languages)
            if (needs and needs <= parts) or (not needs and catalog):
                out.append(path)
        return out

    # -- recording ------------------------------------------------------------------------------
    def record(self, job: Job, full: bool) -> str | None:
        """Write the live product into its folder; returns the folder (None: not mirrored)."""
        live = job.live
        if live is None:
            return None
        if full:
            missing = _missing_parts(live, self.languages, self.config.variant_metafields)
            self.reader.refresh(live, missing, catalog=not job.catalog_fresh)
        previous = job.ours.version.product if not full else None
        built = self.build(live, previous)
        folder = assemble.folder_for(live.record)
        old_folder = job.folder
        old_images: dict[int, str] = {}
        safety.guard_tree(self.root, layout.product_dir(self.root, folder))  # never write through a link
        if old_folder is not None:
            old_path = safety.guard_tree(self.root, layout.product_dir(self.root, old_folder))
            current = files.read_product(old_path / layout.PRODUCT_FILE) if old_path.exists() else {}
            old_images = {fid: name for name, fid in _image_ids(current).items()}
            if old_folder != folder and old_path.exists():
                target = layout.product_dir(self.root, folder)
                owned.make_room(target)
                old_path.rename(target)
        target = layout.product_dir(self.root, folder)
        assert self.downloads is not None, "recording needs a downloader"
        apply_images(target / layout.IMAGES_DIR, built.images, old_images, self.downloads)
        files.write_product(target / layout.PRODUCT_FILE, built.product, self.languages)
        job.recorded_folder = folder
        return folder


def _without_copies(have: tuple[Any, ...], wanted: tuple[Any, ...], variant_images: set[Any]) -> tuple[Any, ...]:
    """The live images minus the extra copies that uploading variant images made (the API's way)."""
    needed = list(wanted)
    out = []
    for ident in have:
        if ident in needed:
            needed.remove(ident)
            out.append(ident)
        elif ident not in variant_images:
            out.append(ident)
    return tuple(out)


def _image_ids(product: Mapping[str, Any]) -> dict[str, int]:
    return {
        str(i.get("file")): i["fileId"]
        for i in product.get("images") or []
        if isinstance(i, Mapping) and isinstance(i.get("fileId"), int) and not markers.is_marker(i)
    }


# the product fields a product PUT answers with in the shape the catalog record holds them
ANSWERED = frozenset(schema.PRODUCT_TEXTS) | frozenset(PRODUCT_SCALARS)
# the variant fields a variant PUT answers with as the variants list holds them (not its image)
VARIANT_ANSWERED = frozenset(VARIANT_FIELDS) - {"image"}


def _answered(changes: Mapping[Path, Any], outcome: Outcome, default: str) -> bool:
    """Whether the shop's answers to the PUTs show every field written: only texts and plain fields
    of the product and of its existing variants were sent (no links, type, images, new or removed
    variants, or other parts), so reading them again would ask for what the shop just answered."""
    sent = {f"texts:{lang}" for lang in outcome.answers}
    if outcome.variant_answers:
        sent |= {"variants"} | {f"vtitles:{lang}" for _, lang in outcome.variant_answers}
    if not sent or outcome.parts != sent or outcome.new_variants:
        return False
    return all(_shows(path, outcome, default) for path in changes)


def _shows(path: Path, outcome: Outcome, default: str) -> bool:
    """Whether an answer holds the value written at ``path``."""
    head = path[0]
    if head == "variants":
        if len(path) == 4 and path[2] == "title" and isinstance(path[3], str):
            return "title" in outcome.variant_answers.get((as_int(path[1], 0), path[3]), {})
        if len(path) != 3 or path[2] not in VARIANT_ANSWERED:
            return False
        return path[2] in outcome.variant_answers.get((as_int(path[1], 0), default), {})
    lang = path[1] if head in schema.PRODUCT_TEXTS and len(path) == 2 else default
    return head in ANSWERED and head in outcome.answers.get(lang if isinstance(lang, str) else default, {})


def _take_answers(live: Live, outcome: Outcome, default: str) -> None:
    """The product as the shop answered its writes: the read-back of a text or field write.

    The answer of ``PUT /{lang}/products/{id}.json`` (or ``/variants/{id}.json``) is the stored
    object in that language; its texts, plain fields and ``updatedAt`` replace what the plan read."""
    for lang, answer in outcome.answers.items():
        if lang == default:
            for key in (*ANSWERED, "updatedAt"):
                if key in answer:
                    live.record[key] = answer[key]
        else:
            live.texts[lang] = {key: answer[key] for key in TEXT_FIELDS.split(",") if key in answer}
    for (vid, lang), answer in outcome.variant_answers.items():
        if lang == default:
            live.variants[vid] = {**live.variants.get(vid, {}), **answer}
        else:
            live.vtitles.setdefault(lang, {})[vid] = as_str(answer.get("title"))


def _needs_catalog(outcome: Outcome, default: str) -> bool:
    return bool({"catalog", f"texts:{default}"} & outcome.parts) or bool(outcome.new_variants)


_DERIVED = {
    "priceIncl": "priceExcl",
    "priceExcl": "priceIncl",
    "oldPriceIncl": "oldPriceExcl",
    "oldPriceExcl": "oldPriceIncl",
}


def _derived_from(path: Path, changes: Mapping[Path, Any]) -> str | None:
    """The price sent that the shop computed ``path`` from (excl. → incl. VAT, or back), if any."""
    if path[0] != "variants" or len(path) != 3 or path[2] not in _DERIVED:
        return None
    other = _DERIVED[path[2]]
    return other if (*path[:2], other) in changes and path not in changes else None


def _missing_parts(live: Live, languages: Sequence[str], variant_metafields: bool) -> set[str]:
    return all_parts(languages, variant_metafields) - live.read


def _reuse_default_variant(job: Job, live: Live, executor: Executor) -> Decision:
    """The plan for a re-created product: the variant the API made becomes ours' default."""
    auto = live.variant_ids[0]
    ours_default = next(
        (k for k, v in job.ours.variants.items() if v.get("isDefault")), next(iter(job.ours.variants), None)
    )

    def vkey(variant: Mapping[str, Any]) -> Hashable:
        key = next((k for k, v in job.ours.variants.items() if v is variant), None)
        return auto if key == ours_default else ("new", key)

    job.ours = version_side(job.ours.version, executor.languages, vkey)
    built = executor.build(live, None)
    theirs, job.live_idents = live_side(built, executor.languages, executor.known)
    decision = overwrite(job.ours.flat, theirs)
    limit_variant_images(decision, job.live_idents, theirs)
    keep_unfetched(decision, job.live_idents, job.ours.version.product)
    for lang in executor.languages[1:]:  # the API's copies in other languages are not ours: send them all
        for name in schema.PRODUCT_TEXTS:
            decision.changes[(name, lang)] = job.ours.flat.get((name, lang), "")
    if job.policy is not None:  # ownership and --fields, as for a write to a product that exists
        decision = job.policy.apply(decision, theirs)
    return decision


def _said(words: str) -> FieldChange:
    """A change already in words (a variant made, a link added)."""
    return FieldChange(words.partition(": ")[0], None, None, words)


def _ref_names(product: Mapping[str, Any]) -> dict[tuple[str, Any], str]:
    """(brand, id) → the brand's title: each reference of ``product`` (brand, supplier, delivery
    date, type, option set) by what people call it."""
    out = {}
    for key in (*REFS, "type", "set"):
        found = product.get(key)
        if isinstance(found, Mapping) and found.get("id") is not None:
            name = one_line(as_str(found.get("title") or found.get("name")))
            if name:
                out[(key, found.get("id"))] = f"{name} ({found.get('id')})"
    return out
