"""Clear many products for writing with one list request instead of a re-read each (issue 16 item 4).

The guard of :mod:`ecomgit.write.reread` reads each product again just before its first write, so
a push of a thousand descriptions pays a thousand reads for it. For a product whose write sends
only product fields (texts in any language, plain fields, links: all of them one ``PUT`` of the
product, which moves its ``updatedAt``), one list answers the same question for a whole batch:
``/products.json?fields=id,updatedAt&updated_at_min=W`` names every product changed since ``W``.
A product of the batch that no check listed as changed (with a stamp other than the one the plan
read, or that one when it is so recent that a later edit could share it: the shop stamps whole
seconds) has not changed since the plan read it, and is written without its own re-read; one that
was is re-read and compared field by field, as before (an edit of a field the push does not write
is no conflict).

``W`` must not be later than the shop's clock at the moment the plan began (for the first check)
or the previous check was answered (for each later one: the checks are incremental, each covers
the time since the last, and a product any of them lists as changed is never cleared). The shop's clock
is not the local one, so it is bounded from below by the shop's own stamps: the answer to each
product ``PUT`` carries the product's new ``updatedAt``, stamped before the answer arrived, which
gives ``shop time - local time >= updatedAt - arrival`` (:attr:`Recheck.offset`). Until one write
has been answered nothing is cleared (the first product is re-read the usual way). Two seconds
more are taken off ``W`` for the whole seconds the shop stamps in.

In which time zone the shop reads ``updated_at_min`` is not documented (``ecomgit.sync.plan``
subtracts 13 hours for it). Here it is checked instead: every product this push wrote after ``W``
must be in the list (the first check always has one); when one is missing, the shop read ``W`` as a
later moment than meant, the check proves nothing, and every product left is re-read on its own.

The window this leaves: a colleague's edit between a check and the write of a product it cleared
is not seen. A check clears :data:`BATCH` products per list page it read (the lists grow with the
push's own writes of the last seconds: a fast shop lists hundreds; :data:`MOST` at most) and lapses
:data:`MAX_AGE` seconds after it was sent (a rate-limit wait in between makes a new check), so the
window is at most ``MOST`` writes and ``MAX_AGE`` seconds, against one compare for the per-product
re-read; the check's requests stay 5 % of the writes. Pushes of fewer than :data:`MIN_PRODUCTS` such
products keep the per-product re-read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ecomgit.api import ShopClient
from ecomgit.api.values import as_int, as_str, format_api_time, link_id, objects, parse_api_time
from ecomgit.write import reread
from ecomgit.write.fields import VARIANT_FIELDS
from ecomgit.write.job import Job

BATCH = 20  # products a check clears per page it read: its requests are 5 % of their writes
MOST = 100  # products one check clears at most
MAX_AGE = 30.0  # seconds after which a check clears nothing more
MIN_PRODUCTS = 3  # fewer products: one re-read each costs no more than the checks
ROUNDING = timedelta(seconds=2)  # the shop stamps whole seconds; its filter may be exclusive
PRODUCTS, VARIANTS = "products", "variants"


@dataclass
class Listing:
    """One list the checks read (products, or variants with their product), and what it knows."""

    name: str
    fields: str
    planned: dict[int, datetime | None] = field(default_factory=dict)  # row id → updatedAt the plan read
    owner: dict[int, int] = field(default_factory=dict)  # row id → its product
    written: dict[int, datetime] = field(default_factory=dict)  # rows this push wrote → their updatedAt
    covered_to: float | None = None  # local time the next check's W must reach back to
    trusted: bool = False  # a check found every row written after its W: the shop reads W as meant


@dataclass
class Check:
    sent: float  # local clock when the lists were asked for
    cleared: set[int] = field(default_factory=set)


class Recheck:
    """The list checks of one push (``clock``: the client's pacer clock, seconds)."""

    def __init__(
        self, client: ShopClient, default: str, clock: Callable[[], float], plan_started: float | None
    ) -> None:
        self.client = client
        self.default = default
        self.clock = clock
        self.plan_started = plan_started
        self.offset: datetime | None = None  # a lower bound of shop time − local time (as shop time at local 0)
        self.lists = {PRODUCTS: Listing(PRODUCTS, "id,updatedAt"), VARIANTS: Listing(VARIANTS, "id,product,updatedAt")}
        self.needs: dict[int, set[str]] = {}  # product → the lists that must clear it
        self.moved: set[int] = set()  # products a check listed as changed since the plan: re-read
        self.last: Check | None = None
        self.broken = False  # the shop read a W as a later moment: no check is trusted
        self.checks = 0
        self.batch = BATCH  # products the next check clears: BATCH a page the last one read (at most MOST)

    def plan(self, jobs: Sequence[Job]) -> None:
        """Note what the plan read of each product a check may clear: its ``updatedAt``, and its
        variants' when the write sets variant fields. Fewer than :data:`MIN_PRODUCTS` of them: no
        check at all (each is re-read on its own)."""
        if sum(1 for job in jobs if self.lists_for(job, self.default)) < MIN_PRODUCTS:
            self.plan_started = None
            return
        products, variants = self.lists[PRODUCTS], self.lists[VARIANTS]
        for job in jobs:
            needs = self.lists_for(job, self.default)
            if job.live is None or not needs:
                continue
            self.needs[job.source] = needs
            products.planned[job.source], products.owner[job.source] = _stamp(job.live.record), job.source
            if VARIANTS in needs:
                rows = list(job.live.variants.values()) or objects(job.live.record.get("variants"))
                for row in rows:
                    vid = as_int(row.get("id"), 0)
                    variants.planned[vid], variants.owner[vid] = _stamp(row), job.source

    @staticmethod
    def lists_for(job: Job, default: str) -> set[str]:
        """The lists that can clear ``job`` (none: it cannot be cleared): an existing product whose
        write sends product fields (the products list) and plain fields or titles of its existing
        variants (the variants list: a variant's edit may not move its product's ``updatedAt``)."""
        if job.refused or job.new_folder is not None or job.live is None or job.created_variants():
            return set()
        needs: set[str] = set()
        existing = set(job.live.variant_ids)
        for path in job.decision.changes:
            group = reread.group_of(path, default)
            if group.startswith("product:"):
                needs.add(PRODUCTS)
            elif group == VARIANTS and len(path) >= 3 and path[1] in existing and _plain_variant_field(path):
                needs.add(VARIANTS)
            else:
                return set()
        return needs

    def clears(self, job: Job, upcoming: Sequence[Job]) -> bool:
        """Whether ``job`` may be written without its own re-read; checks the shop for the batch
        of eligible products starting at ``job`` (``upcoming``: the writes from it on) when needed."""
        needs = self.needs.get(job.source)
        if self.broken or self.plan_started is None or not needs or job.source in self.moved:
            return False
        last = self.last
        if last is None or job.source not in last.cleared or self.clock() - last.sent > MAX_AGE:
            if self.offset is None:
                return False  # no write answered yet: nothing bounds the shop's clock
            batch = [j.source for j in upcoming if j.source in self.needs and j.source not in self.moved]
            last = self._check(batch[: self.batch])
        return job.source in last.cleared

    def wrote(self, job: Job, answered: float) -> None:
        """A product's writes were answered by local time ``answered``: learn from their stamps."""
        outcome = job.outcome
        if outcome is None or job.live is None:
            return
        stamped = [(PRODUCTS, job.live.pid, a) for a in outcome.answers.values()]
        stamped += [(VARIANTS, vid, a) for (vid, _), a in outcome.variant_answers.items()]
        for name, rid, answer in stamped:
            stamp = _stamp(answer)
            if stamp is None:
                continue
            written = self.lists[name].written
            written[rid] = max(stamp, written.get(rid, stamp))
            bound = stamp - _local(answered)
            self.offset = bound if self.offset is None else max(self.offset, bound)

    def _check(self, batch: list[int]) -> Check:
        sent = self.clock()
        needed = {name for pid in batch for name in self.needs[pid]}
        before = self.client.requests
        for name in sorted(needed):
            self._read(self.lists[name], sent)
            if self.broken:
                self.last = Check(sent)
                return self.last
        self.checks += 1
        self.batch = min(MOST, BATCH * max(1, self.client.requests - before))
        cleared = {
            pid for pid in batch if pid not in self.moved and all(self.lists[name].trusted for name in self.needs[pid])
        }
        self.last = Check(sent, cleared)
        return self.last

    def _read(self, listing: Listing, sent: float) -> None:
        """Read ``listing`` since its last read (since the plan at first) and note what moved."""
        assert self.offset is not None and self.plan_started is not None
        start = listing.covered_to if listing.covered_to is not None else self.plan_started
        since = _local(start) + self.offset - ROUNDING
        params = {"fields": listing.fields, "updated_at_min": format_api_time(since)}
        found: dict[int, datetime | None] = {}
        for row in self.client.iter_list(listing.name, listing.name, params, lang=self.default, limit=250):
            rid = as_int(row.get("id"), 0)
            found[rid] = _stamp(row)
            owner = link_id(row.get("product")) if listing.name == VARIANTS else rid
            if rid not in listing.planned and owner in self.needs:  # a variant made since the plan
                self.moved.add(owner)
        listing.covered_to = sent
        anchors = {rid: stamp for rid, stamp in listing.written.items() if stamp > since}
        if any(not _shows(found, rid, stamp) for rid, stamp in anchors.items()):
            self.broken = True  # a row written after W is not listed: W was not read as meant
            return
        listing.trusted = listing.trusted or bool(anchors)
        self.moved.update(
            listing.owner[rid]
            for rid, stamp in found.items()
            if rid in listing.planned and self._moved(listing, rid, stamp)
        )

    def _moved(self, listing: Listing, rid: int, stamp: datetime | None) -> bool:
        """Whether a listed row may have changed since the plan read it: its stamp differs, or is the
        plan's but so recent that an edit after the plan's read could carry it too (the shop stamps
        whole seconds)."""
        was = listing.planned.get(rid)
        if was is None or stamp is None or stamp != was:
            return True
        assert self.offset is not None and self.plan_started is not None
        return was > _local(self.plan_started) + self.offset - ROUNDING


def _plain_variant_field(path: tuple[object, ...]) -> bool:
    """A variant's plain field or its title in a language (not its image, metafields or options)."""
    name = path[2]
    if name == "title":
        return len(path) == 4
    return len(path) == 3 and name in VARIANT_FIELDS and name != "image"


def _stamp(row: Mapping[str, Any]) -> datetime | None:
    try:
        return parse_api_time(as_str(row.get("updatedAt")))
    except ValueError:
        return None


def _shows(found: dict[int, datetime | None], pid: int, stamp: datetime) -> bool:
    """Whether the list holds ``pid`` as stamped ``stamp`` or later."""
    if pid not in found:
        return False
    seen = found[pid]
    return seen is None or seen >= stamp


def _local(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)
