"""``ecomgit sync``: read the shop, rewrite what changed, make one commit.

The run, in order (each step resumable, see ``fetch``):

1. languages and shop;
2. ``/catalog.json`` pages in the default language (the cheapest full read);
3. the plan: which products are new, changed in depth (``updatedAt`` moved), changed only in what
   the catalog shows, deleted — compared with what the last committed sync saw;
4. deep reads for the deep-changed products only: texts in the other languages, full variant
   records (only of the products with a variant the mirror may not hold), tag links, metafields —
   per product or as lists filtered by ``updated_at_min``, whichever costs fewer requests;
5. the shop's categories, tags, brands and delivery dates, every language;
6. the metafield rotation: the metafields of the unchanged products checked longest ago, as many
   as the configured share allows (an edit of a metafield may not move ``updatedAt``);
7. product files and images written for changed products only; deleted products' folders removed;
8. the paths it wrote staged in one ``git add``, and one commit with a readable message and the
   ``Ecomgit-Sync`` trailer.

A rate limit that resets later than the pacer waits, or a spent ``--budget``, stops the run before
its commit with :class:`~ecomgit.sync.report.SyncStopped`: what was read is kept, and its summary
says what is left and when it will be done. docs/request-economy.md has the numbers.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ecomgit import gitrepo, records, unfinished
from ecomgit.api import ShopClient
from ecomgit.api.pacer import human_duration
from ecomgit.api.values import as_int, as_str, format_api_time, link_id, objects, parse_api_time
from ecomgit.config import Config
from ecomgit.errors import GitError, MirrorError, NotFoundError, PermissionDeniedError, RateLimitError, SyncError
from ecomgit.mirror import files, layout, owned, safety, schema, yamlio
from ecomgit.sync import assemble, imagecheck, private
from ecomgit.sync import quick as quick_sync
from ecomgit.sync.fetch import PAGE, TICK_EVERY, Fetcher, Keyer, Row, by_id, owned_by
from ecomgit.sync.images import Downloader, apply_images
from ecomgit.sync.plan import (
    DeepScope,
    Plan,
    Refresh,
    catalog_keyer,
    deep_scope,
    held_products,
    make_plan,
    metafields_digest,
    mirror_shape,
    pages,
    plan_refresh,
    product_folders,
    refresh_rate,
    trusted_seen,
)
from ecomgit.sync.report import (
    Change,
    Freshness,
    Stopped,
    Summary,
    SyncStopped,
    after,
    blocking_window,
    commit_message,
    eta,
    limit_reason,
    thousands,
)
from ecomgit.sync.state import FINISHED, STOPPED, MetafieldCheck, Seen, State
from ecomgit.sync.unfetched import leave_out

TEXT_FIELDS = "id,title,fulltitle,description,content,url"
POSITIONS = "category_positions"  # meta: "1" once every product's positions in its categories were read
PRODUCT_TYPES = "product_types_and_sets"  # meta: "1" once every product's type and option set were read
RESTYLED = "standard_yaml"  # meta: "1" once no product file holds the !crlf tag earlier versions wrote
LAST_STARTED = "last_sync_started"  # meta: when the last committed sync began (a quick sync asks from there)
SETTLE_SECONDS = 2
MASS_DELETE_MIN = 10  # deleting more than this and more than half the mirror needs --allow-mass-delete
REFRESH_RESERVE = 5  # requests the metafield rotation leaves for re-reading what it finds changed
_READS = {"imagetitles": "image titles", "taglinks": "tag links", "catlinks": "category links"}  # in words
_UNREADABLE = (
    "the API key may not read the shop's {what}: they are not mirrored this time, the mirror's stand "
    "(give the key the read permission for {permission} in the back office)"
)
PERIODS = {"5-minute": "5 minutes", "hourly": "hour", "daily": "day"}
Progress = Callable[[str], None]


@dataclass
class Step:
    """One resumable read of the deep phase: the requests it still needs (an estimate), and the read."""

    left: Callable[[], int]
    run: Callable[[], None]


class Sync:
    def __init__(
        self,
        root: Path,
        config: Config,
        client: ShopClient,
        state: State,
        *,
        progress: Progress | None = None,
        allow_mass_delete: bool = False,
        ticker: Progress | None = None,
        quick: bool = False,
        touched: Sequence[int] | None = None,
    ) -> None:
        self.root = root
        self.quick = quick or touched is not None  # a quick sync (ecomgit.sync.quick); False when one cannot be
        self.touched_ids = None if touched is None else sorted(set(touched))  # watch: read these, ask nothing
        self.allow_mass_delete = allow_mass_delete
        self.config = config
        self.client = client
        self.state = state
        self.progress = progress or (lambda message: None)
        left_out = private.left_out(config.include_fields)  # never staged: see ecomgit.sync.private
        private.forget_older(state, left_out)
        self.ticker = ticker  # the progress line: done/total, requests left and when it will be done
        tick = self._tick if ticker is not None else None
        self.fetcher = Fetcher(client, state, self.progress, strip=private.stripper(left_out), tick=tick)
        self._steps: list[Step] = []
        self._pace: tuple[float, int] | None = None  # (monotonic time, requests) when the deep reads began
        self.languages = list(config.languages)
        self.default = self.languages[0]
        self.requests_before = client.requests
        self.touched: set[str] = set()  # product folders this sync wrote: only these are committed
        self.link_products: list[int] = []  # products whose category links this sync reads
        self._linked: set[int] = set()
        self._titled: set[int] = set()
        self.title_products: list[int] = []  # products whose image titles this sync reads
        self._links_counted: tuple[int, int | None] | None = None  # (catalog records, their category links)
        self.restyle_left = False  # a file with the !crlf tag was left as it is (held, or not readable)
        # product id → its quantity discounts / customer reviews, read this run (None: the key may not read them)
        self.discounts: dict[int, list[Row]] | None = {}
        self.reviews: dict[int, list[Row]] | None = {}
        self.warnings: list[str] = []  # said after the summary
        self.types_known = True  # every product's type was read by an earlier sync
        self.types_everywhere = False  # this sync reads every product's type (after an upgrade)
        # A resumed run finds the work tree part-written by the interrupted one, so it compares with
        # the last commit: product id → its folder at HEAD (filled only when resuming).
        self.resumed = False
        self.committed: dict[int, str] = {}
        self.written: dict[int, tuple[str, str]] = {}  # product id → (folder, title): every product written
        self.removed: dict[int, tuple[str, str]] = {}  # product id → (folder, title): every product deleted
        self.refresh = Refresh([], 0.0, 0.0)  # the metafield rotation of this run
        self.refresh_changed: list[int] = []  # … the products it found changed
        self.digests: dict[int, str] = {}  # product id → its metafields, for every product read this run
        self._started_at: datetime | None = None  # when the run (or the one it continues) began
        self.scan: quick_sync.Scan | None = None  # what a quick sync asked the shop

    # -- the run --------------------------------------------------------------------------------
    def run(self) -> Summary:
        resumed = self.resumed = self._begin()
        if resumed:
            self.committed = _product_folders_at_head(self.root)
        plan = self._read()
        summary = Summary(resumed=resumed, products=plan.total, held=sorted(plan.held), warnings=list(self.warnings))
        if self.scan is not None:
            summary.quick = quick_sync.describe(self.scan)
        self._commit(summary, self._write(plan, summary), plan)
        summary.requests = self.client.requests - self.requests_before
        return summary

    def _read(self) -> Plan:
        """Everything this sync reads; stopped by a rate limit or the budget, it says what is left."""
        plan: Plan | None = None
        steps: list[Step] = []
        try:
            self._read_shop()
            bad = imagecheck.recheck(self.root, self.state)
            if bad:
                self.progress(f"{len(bad)} product(s) hold an image file that is no image: fetching their images again")
            seen = trusted_seen(self.state, self.root, self._shape())
            last = self._quick_from(seen)
            if last is not None:
                self._quick_catalog(seen, last)
            else:
                self.progress("reading the catalog")
                self._read_discounts()
                self._read_reviews()
                keyer = catalog_keyer(seen, self._with_discounts)
                self.fetcher.list_into("catalog", "catalog", "products", "catalog", self.default, keyer=keyer)
            plan = self._plan(seen)
            self._check_deletions(plan)
            self.progress(f"{plan.total} products: {len(plan.deep)} to read in depth, {len(plan.deleted)} deleted")
            self.link_products = self._link_products(plan)
            self.title_products = self._title_products(plan, seen)
            self.types_known = self.state.get_meta(PRODUCT_TYPES) == "1"
            # after an upgrade, when not every product is read in depth anyway
            self.types_everywhere = not self.types_known and bool(plan.shallow or plan.unchanged)
            steps = [
                *self._deep_steps(plan, seen),
                *self._type_steps(plan, seen),
                *self._category_link_steps(),
                *self._image_title_steps(),
                *([] if self.scan is not None else self._shop_list_steps()),
                self._refresh_step(plan),
            ]
            if self.ticker is not None:
                self._steps, self._pace = steps, (time.monotonic(), self.client.requests)
            for step in steps:
                step.run()
        except RateLimitError as exc:  # a clean stop (the budget, a rate limit, the time limit): noted as such
            self.state.run_set(STOPPED, str(exc))
            raise SyncStopped(exc, self._stopped_summary(exc, plan, steps)) from None
        return plan

    def _quick_from(self, seen: Mapping[int, Seen]) -> datetime | None:
        """When the last committed sync began, if this run can be a quick one (else None: a full one)."""
        if not self.quick:
            return None
        started = self.state.get_meta(LAST_STARTED)
        if self.touched_ids is not None and started is None and seen:
            started = self._started().isoformat()  # the products are named: no list asks since when
        why = None
        if self.resumed and self.state.run_get("quick") is None:
            why = "it continues a full sync"
        elif not seen or not started:
            why = "no committed sync of this mirror to start from"
        elif self.state.get_meta(PRODUCT_TYPES) != "1" or self.state.get_meta(POSITIONS) != "1":
            why = "a full sync must first read what this version mirrors besides (types, category positions)"
        if why is not None or started is None:
            self.quick = False
            self.progress(f"a full sync instead of a quick one: {why}")
            return None
        return datetime.fromisoformat(started)

    def _quick_catalog(self, seen: Mapping[int, Seen], last: datetime) -> None:
        """The catalog of a quick sync: the changed products' records read whole, every other one
        staged as the last sync saw it (a stub, as the catalog pass stages an unchanged product)."""
        self._read_discounts()  # whole lists (a page each, mostly): a product's record holds them
        self._read_reviews()
        found = json.loads(self.state.run_get("quick") or "null")
        if found is None:
            if self.touched_ids is not None:  # named by the shop's webhooks: read them, nothing else
                scan = quick_sync.Scan(last, changed=list(self.touched_ids), touched=True)
            else:
                self.progress("asking the shop what changed since the last sync")
                scan = quick_sync.scan(self.client, self.default, seen, last)
            gone = set(scan.deleted) | set(scan.changed)
            stubs = [(pid, None, quick_sync.stub(pid, before)) for pid, before in seen.items() if pid not in gone]
            with self.state.transaction():
                self.state.stage("catalog", self.default, stubs)
                self.state.run_set("quick", json.dumps(quick_sync.to_json(scan)))
        else:
            scan = quick_sync.from_json(found)
        self.scan = scan
        if pages(len(seen) + len(scan.changed)) < len(scan.changed):  # many changed: the pages cost less
            self.progress(f"{len(scan.changed)} products changed: reading the catalog pages")
            keyer = catalog_keyer(seen, self._with_discounts)
            self.fetcher.list_into("catalog", "catalog", "products", "catalog", self.default, keyer=keyer)
        else:
            self._catalog_again("catalog-quick", scan.changed)

    def _begin(self) -> bool:
        gitrepo.clear_stale_locks(self.root)  # left by a sync or push killed while git was writing
        product_folders(self.root)  # links, one product in two folders: refused before any request
        for link in safety.links_below(self.root / layout.SHOP_DIR):
            safety.guard(self.root, link)
        if self.state.run_active():
            self.progress("continuing the unfinished sync")
            self.state.db.execute("DELETE FROM run WHERE key=?", (STOPPED,))  # until this run stops again
            return True
        dirty = unfinished.put_aside(self.root, self.state)  # a killed push's half-written files first
        if dirty:
            raise GitError(
                f"{len(dirty)} uncommitted change(s) in the mirror (e.g. {dirty[0]}); commit them, or "
                "discard them with 'git checkout -- products shop' (and 'git clean' for new files), then sync"
            )
        with self.state.transaction():
            self.state.run_set("started", datetime.now(UTC).isoformat(timespec="seconds"))
        return False

    def _read_shop(self) -> None:
        if self.state.run_get("shop") is None:
            languages = list(self.client.iter_list("languages", "languages", lang=self.default))
            shop = self.client.get_one("shop", "shop", lang=self.default)
            self._check_languages(languages)
            self.state.run_set("languages", json.dumps(languages))
            self.state.run_set("shop", json.dumps(shop))

    def _check_languages(self, languages: list[dict[str, Any]]) -> None:
        active = {as_str(lang.get("code")) for lang in languages if lang.get("isActive", True) is not False}
        missing = [code for code in self.languages if code not in active]
        if missing:
            raise SyncError(
                f"language(s) {', '.join(missing)} in .ecomgit/config.yaml are not active in the shop "
                f"(active: {', '.join(sorted(active))}); fix 'languages' in the config"
            )

    # -- planning -------------------------------------------------------------------------------
    def _plan(self, seen: dict[int, Seen]) -> Plan:
        # products the interrupted run removed or renamed are still at HEAD: deleted or moved by this run
        folders = {**self.committed, **product_folders(self.root)}
        held, removed = held_products(self.root)
        plan = make_plan(self.state, self.default, seen, folders, held, removed)
        if plan.refetch:  # staged as unchanged, but the folder is missing: read the record again
            self._catalog_again("catalog-again", plan.refetch)
            plan.deep += plan.refetch
        return plan

    def _read_discounts(self) -> None:
        """Every quantity discount of the shop, one paged list (not a read per product), before the
        catalog: each product's tiers are part of its record, so a changed tier changes the record."""
        self.progress("reading the quantity discounts")
        try:
            self.fetcher.list_into("qdiscounts", "quantity_discounts", "quantityDiscounts", "qdiscount", self.default)
        except PermissionDeniedError:
            self.discounts = None
            self.warnings.append(_UNREADABLE.format(what="quantity discounts", permission="quantity discounts"))
            return
        self.discounts = {}
        for _, row in self.state.iter_staged("qdiscount", self.default):
            self.discounts.setdefault(as_int(row.get("product"), 0), []).append(row)

    def _read_reviews(self) -> None:
        """Every customer review of the shop, one paged list: a product's reviews are part of its
        record (``productReviews``), as its quantity discounts are."""
        self.progress("reading the reviews")
        try:
            self.fetcher.list_into("reviews", "reviews", "reviews", "review", self.default)
        except PermissionDeniedError:
            self.reviews = None
            self.warnings.append(_UNREADABLE.format(what="customer reviews", permission="reviews"))
            return
        self.reviews = {}
        for _, row in self.state.iter_staged("review", self.default):
            self.reviews.setdefault(link_id(row.get("product")) or 0, []).append(row)

    def _with_discounts(self, row: Row) -> Row:
        """The record with the product's tiers and reviews (each left out when the key may not read
        them: the mirror's then stand)."""
        pid, out = as_int(row.get("id"), 0), dict(row)
        if self.discounts is not None:
            out["quantityDiscounts"] = self.discounts.get(pid, [])
        if self.reviews is not None:
            out["productReviews"] = self.reviews.get(pid, [])
        return out

    def _catalog_again(self, name: str, ids: Sequence[int]) -> None:
        """Stage the full catalog records of ``ids`` (the catalog pass staged them as stubs)."""
        self.fetcher.per_item_into(name, ids, self._catalog_record, "catalog", self.default, owner_is_item=False)

    def _catalog_record(self, pid: int) -> list[Row]:
        """The product's catalog record; none when the shop no longer has it (the plan then sees a
        product of the mirror missing from the catalog: deleted)."""
        try:
            return [self._with_discounts(self.client.get_one(f"catalog/{pid}", "product", lang=self.default))]
        except NotFoundError:
            return []

    def _check_deletions(self, plan: Plan) -> None:
        """Refuse to delete most of the mirror at once unless asked: a glitch must not empty it."""
        if self.allow_mass_delete or len(plan.deleted) <= max(MASS_DELETE_MIN, plan.mirrored // 2):
            return
        self.state.clear_run()  # read the shop afresh next time
        raise SyncError(
            f"the shop lists {plan.total} products, so {len(plan.deleted)} of the mirror's products would be "
            "deleted. If that is right (e.g. a clean-up in Lightspeed Retail), run 'ecomgit sync "
            "--allow-mass-delete'; if not, check the shop and the API key's language and permissions"
        )

    def _shape(self) -> str:
        return mirror_shape(self.languages, self.config.include_fields, self.config.variant_metafields)

    def _started(self) -> datetime:
        if self._started_at is None:
            started = self.state.run_get("started")
            self._started_at = datetime.fromisoformat(started) if started else datetime.now(UTC)
        return self._started_at

    def _settle_time(self) -> datetime:
        return self._started() - timedelta(seconds=SETTLE_SECONDS)

    # -- deep reads -----------------------------------------------------------------------------
    def _deep_steps(self, plan: Plan, seen: Mapping[int, Seen]) -> list[Step]:
        deep = plan.deep
        if not deep:
            return []
        scope = deep_scope(self.state, self.default, set(deep), seen, plan.folders)
        steps = [Step(lambda: 0, lambda: self.progress(f"reading {len(deep)} product(s) in depth"))]
        steps += [self._texts(lang, deep, scope) for lang in self.languages[1:]]
        steps += [self._variants(lang, scope) for lang in self.languages if scope.variant_products]
        steps.append(self._tags(deep))
        steps.append(self._per_item("metafields", deep, self._metafields, "metafield"))
        if self.config.variant_metafields:
            steps.append(self._variant_metafields(deep))
        return steps

    def _texts(self, lang: str, deep: Sequence[int], scope: DeepScope, fields: str | None = None) -> Step:
        """The texts of ``deep`` in ``lang`` (another language than the default; the first of those
        also brings each product's ``type``, a link the catalog lacks), by list or per product."""
        if fields is None:
            fields = TEXT_FIELDS + (",type,set" if lang == self.languages[1] else "")
        params: dict[str, Any] = {"fields": fields}
        kind = "texts" if lang != self.default else "ptype"
        if pages(scope.texts_rows) < len(deep):
            if scope.texts_since is not None:
                params["updated_at_min"] = format_api_time(scope.texts_since)
            return self._list(f"{kind}:{lang}", "products", "products", kind, lang, scope.texts_rows, params)
        return self._per_item(
            f"{kind}:{lang}",
            deep,
            lambda pid: [self.client.get_one(f"products/{pid}", "product", params, lang=lang)],
            kind,
            lang,
            owner_is_item=False,
        )

    def _variants(self, lang: str, scope: DeepScope) -> Step:
        params: dict[str, Any] = {} if lang == self.default else {"fields": "id,title,product"}
        products = scope.variant_products
        if pages(scope.variants_rows) < len(products):
            if scope.variants_since is not None:
                params["updated_at_min"] = format_api_time(scope.variants_since)
            keyer = owned_by("product")
            return self._list(
                f"variants:{lang}", "variants", "variants", "variant", lang, scope.variants_rows, params, keyer
            )
        return self._per_item(
            f"variants:{lang}",
            products,
            lambda pid: self.client.iter_list("variants", "variants", {**params, "product": pid}, lang=lang),
            "variant",
            lang,
        )

    def _tags(self, deep: Sequence[int]) -> Step:
        return self._links("taglinks", "tags/products", "tagsProducts", "taglink", deep, self._tag_links)

    def _links(
        self,
        name: str,
        path: str,
        key: str,
        kind: str,
        products: Sequence[int],
        per_product: Callable[[int], Iterable[Row]],
        known: Callable[[], int | None] = lambda: None,
    ) -> Step:
        """The links (tag or category) of ``products``: one read per product, or the shop's whole
        list when that is fewer pages (its size from ``known()``, else one count request)."""
        counted = f"{name}:count"

        def size() -> int | None:
            value = self.state.run_get(counted)
            return int(value) if value is not None else known()

        def whole() -> bool:
            links = size()
            return links is not None and math.ceil(links / PAGE) < len(products)

        def run() -> None:
            if len(products) > 3 and self.state.run_get(counted) is None:
                found = known()
                self.state.run_set(
                    counted, str(found if found is not None else self.client.count(path, lang=self.default))
                )
            if whole():
                self.fetcher.list_into(name, path, key, kind, self.default, keyer=owned_by("product"))
                return
            self.fetcher.per_item_into(name, products, per_product, kind, self.default)

        def left() -> int:
            if self.state.run_get(f"done:{name}"):
                return 0
            if whole():
                return self._pages_left(name, kind, self.default, size() or 0)
            return len(products) - self.state.count_staged("done", name)

        return Step(left, run)

    # -- the product's position in each of its categories ---------------------------------------
    def _link_products(self, plan: Plan) -> list[int]:
        """The products whose category links (with their positions) this sync reads: those read in
        depth; and once, after an upgrade to a version that mirrors positions, every product (the
        whole list of links: a page per 250 links)."""
        if self.state.get_meta(POSITIONS) == "1":
            return list(plan.deep)
        return sorted(set(plan.deep) | set(plan.shallow) | set(plan.unchanged) | set(plan.refetch))

    def _category_link_steps(self) -> list[Step]:
        products = self.link_products
        if not products:
            return []
        # every product (after an upgrade): the catalog records staged this run tell the list's size
        known = self._all_links if len(products) == self._catalog_size() else (lambda: None)
        return [self._links("catlinks", "categories/products", "categoriesProducts", "catlink", products,
                            self._category_links, known)]  # fmt: skip

    def _catalog_size(self) -> int:
        return self.state.count_staged("catalog", self.default)

    def _all_links(self) -> int | None:
        """How many category links the shop has, from the catalog records staged this run (each
        lists its categories); None when one is a stub (an unchanged product: not listed). Counted
        once per set of records: the progress line asks for it every few reads."""
        records = self._catalog_size()
        if self._links_counted is not None and self._links_counted[0] == records:
            return self._links_counted[1]
        total: int | None = 0
        for _, record in self.state.iter_staged("catalog", self.default):
            if record.get("unchanged"):
                total = None
                break
            total = (total or 0) + len(objects(record.get("categories")))
        self._links_counted = (records, total)
        return total

    def _category_links(self, pid: int) -> Iterable[Row]:
        params = {"product": pid}
        return self.client.iter_list("categories/products", "categoriesProducts", params, lang=self.default)

    def _positions(self, pid: int) -> dict[int, int] | None:
        """Category id → the product's position in it, read this run (None: not read)."""
        if pid not in self._linked:
            return None
        rows = self.state.staged_by_owner("catlink", self.default, pid)
        return {
            cid: as_int(row.get("sortOrder"), 0) for row in rows if (cid := link_id(row.get("category"))) is not None
        }

    # -- the product's type (not in the catalog; its attribute values are) -----------------------
    def _type_steps(self, plan: Plan, seen: Mapping[int, Seen]) -> list[Step]:
        """Each product's ``type``: with the texts of the first other language (no request more);
        in a one-language shop by a read of its own; once, after an upgrade to a version that
        mirrors types, every product's (``/products.json?fields=id,type``: a page per 250). Then
        the titles of the types found (``/types.json``: one page, only when some product has one)."""
        steps = []
        if self.types_everywhere:
            fields = {"fields": "id,type,set"}
            steps.append(self._list("ptype:all", "products", "products", "ptype", self.default, plan.total, fields))
        elif len(self.languages) == 1 and plan.deep:
            scope = deep_scope(self.state, self.default, set(plan.deep), seen, plan.folders)
            steps.append(self._texts(self.default, plan.deep, scope, fields="id,type,set"))
        done = "done:types"

        def run() -> None:
            if not self.state.run_get(done) and self._type_ids(plan):
                self.fetcher.list_into("types", "types", "types", "ptypetitle", self.default)
            self.state.run_set(done, "1")

        steps.append(Step(lambda: 0 if self.state.run_get(done) else 1, run))
        return steps

    def _type_row(self, pid: int) -> Mapping[str, Any] | None:
        """The product's row that says its type, read this run (None: not read)."""
        for kind, lang in (("ptype", self.default), ("texts", self.languages[1] if len(self.languages) > 1 else "")):
            row = self.state.staged(kind, lang, pid) if lang else None
            if isinstance(row, Mapping) and "type" in row:
                return dict(row)
        return None

    def _type_ids(self, plan: Plan) -> set[int]:
        rows = (self._type_row(pid) for pid in {*plan.deep, *plan.shallow})
        return {tid for row in rows if row is not None and (tid := link_id(row.get("type"))) is not None}

    def _product_set(self, pid: int) -> dict[str, Any] | None:
        """The product's option set (``{id, name}``), read with its type; None: none."""
        found = (self._type_row(pid) or {}).get("set")
        return (
            {"id": as_int(found.get("id")), "name": as_str(found.get("name"))} if isinstance(found, Mapping) else None
        )

    def _product_type(self, pid: int) -> tuple[bool, dict[str, Any] | None]:
        """Whether the product's type was read this run, and it (``{id, title}``; None: no type)."""
        row = self._type_row(pid)
        if row is None:
            return False, None
        tid = link_id(row.get("type"))
        if tid is None:
            return True, None
        listed = self.state.staged("ptypetitle", self.default, tid) or {}
        return True, {"id": tid, "title": as_str(listed.get("title"))}

    # -- image titles ---------------------------------------------------------------------------
    def _title_products(self, plan: Plan, seen: Mapping[int, Seen]) -> list[int]:
        """The products whose image titles (not in the catalog) this sync reads, one request each,
        among those with images: the products read in depth, and those whose images changed in the
        catalog (an image's ``updatedAt`` moves when it is retitled; and a sync of a version before
        titles recorded no images digest, so the upgrade reads every product's titles once)."""
        out = []
        for pid in sorted({*plan.deep, *plan.shallow}):
            record = self.state.staged("catalog", self.default, pid) or {}
            before = seen.get(pid)
            changed = pid in plan.deep or before is None or assemble.images_changed(before.catalog_hash, record)
            if changed and objects(record.get("images")):
                out.append(pid)
        return out

    def _image_title_steps(self) -> list[Step]:
        if not self.title_products:
            return []
        return [self._per_item("imagetitles", self.title_products, self._image_titles, "imagetitle")]

    def _image_titles(self, pid: int) -> Iterable[Row]:
        params = {"fields": "id,title"}
        return self.client.iter_list(f"products/{pid}/images", "productImages", params, lang=self.default)

    def _titles(self, pid: int) -> dict[int, str] | None:
        """productImage id → title, read this run (None: not read)."""
        if pid not in self._titled:
            return None
        rows = self.state.staged_by_owner("imagetitle", self.default, pid)
        return {as_int(row.get("id"), 0): as_str(row.get("title")) for row in rows}

    def _tag_links(self, pid: int) -> Iterable[Row]:
        return self.client.iter_list("tags/products", "tagsProducts", {"product": pid}, lang=self.default)

    def _metafields(self, pid: int) -> Iterable[Row]:
        return self.client.iter_list(f"products/{pid}/metafields", "productMetafields", lang=self.default)

    def _variant_metafields(self, deep: Sequence[int]) -> Step:
        ids = [
            as_int(v.get("id"), 0)
            for pid in deep
            for v in objects((self.state.staged("catalog", self.default, pid) or {}).get("variants"))
        ]
        return self._per_item(
            "variantmetafields",
            ids,
            lambda vid: self.client.iter_list(f"variants/{vid}/metafields", "variantMetafields", lang=self.default),
            "variantmetafield",
        )

    def _shop_list_steps(self) -> list[Step]:
        return [  # each read in every language
            self._list(f"{name}:{lang}", name, name, name, lang, 0)
            for name in schema.SHOP_LISTS
            for lang in self.languages
        ]

    def _list(
        self,
        name: str,
        path: str,
        envelope: str,
        kind: str,
        lang: str,
        rows: int,
        params: Mapping[str, Any] | None = None,
        keyer: Keyer = by_id,
    ) -> Step:
        """A whole list (``rows``: how many it is expected to hold) read page by page."""
        return Step(
            lambda: self._pages_left(name, kind, lang, rows),
            lambda: self.fetcher.list_into(name, path, envelope, kind, lang, params, keyer),
        )

    def _pages_left(self, name: str, kind: str, lang: str, rows: int) -> int:
        if self.state.run_get(f"done:{name}"):
            return 0
        return pages(max(0, rows - self.state.count_staged(kind, lang)))

    def _per_item(
        self,
        name: str,
        ids: Sequence[int],
        fetch: Callable[[int], Iterable[Row]],
        kind: str,
        lang: str | None = None,
        owner_is_item: bool = True,
    ) -> Step:
        """One read per id; the ids already done (by an interrupted run too) are skipped."""
        lang = lang or self.default
        return Step(
            lambda: max(0, len(ids) - self.state.count_staged("done", name)),
            lambda: self.fetcher.per_item_into(name, ids, fetch, kind, lang, owner_is_item=owner_is_item),
        )

    # -- the metafield rotation -----------------------------------------------------------------
    def _refresh_step(self, plan: Plan) -> Step:
        def left() -> int:
            chosen = self.state.run_get("refresh")
            ids = json.loads(chosen)["ids"] if chosen else []
            return max(0, len(ids) - self.state.count_staged("done", "metafields-refresh"))

        return Step(left, lambda: self._refresh(plan))

    def _refresh(self, plan: Plan) -> None:
        """Re-read the metafields of the unchanged products checked longest ago (docs/request-economy.md)."""
        checks = self.state.metafield_checks()
        self.refresh = self._choose_refresh(plan, checks)
        ids = self.refresh.ids
        if not ids:
            return
        self.progress(f"re-reading the metafields of {len(ids)} product(s) checked longest ago")
        self.fetcher.per_item_into("metafields-refresh", ids, self._metafields, "metafield", self.default)
        vids: dict[int, list[int]] = {}
        if self.config.variant_metafields:  # and their variants' (a variant's edit may move no updatedAt)
            vids = {pid: self._variant_ids(pid, plan.folders.get(pid)) for pid in ids}
            every = [vid for pid in ids for vid in vids[pid]]
            self.fetcher.per_item_into(
                "vmetafields-refresh", every, self._variant_metafield_rows, "variantmetafield", self.default
            )
        changed = []
        for pid in ids:
            digest = self._digest(
                self.state.staged_by_owner("metafield", self.default, pid),
                {vid: self.state.staged_by_owner("variantmetafield", self.default, vid) for vid in vids.get(pid, [])},
            )
            self.digests[pid] = digest
            before = checks[pid].digest if pid in checks else self._file_digest(plan.folders.get(pid))
            if digest != before:
                changed.append(pid)
        stubs = [pid for pid in changed if (self.state.staged("catalog", self.default, pid) or {}).get("unchanged")]
        self._catalog_again("catalog-refresh", stubs)  # the record to rebuild the product file from
        self.refresh_changed = changed

    def _choose_refresh(self, plan: Plan, checks: Mapping[int, MetafieldCheck]) -> Refresh:
        """This run's choice (kept in the run, so a resumed run re-reads the same products)."""
        stored = self.state.run_get("refresh")
        if stored is not None:
            data = json.loads(stored)
            return Refresh([int(pid) for pid in data["ids"]], float(data["credit"]), float(data["rate"]))
        now = time.time()
        vmeta = self.config.variant_metafields
        last = self.state.get_meta("refresh_clock")
        refresh = plan_refresh(
            [*plan.unchanged, *plan.shallow],
            checks,
            rate=self._refresh_rate(plan.total, plan.variants),
            credit=float(self.state.get_meta("refresh_credit") or 0.0),
            elapsed=0.0 if last is None else now - float(last),
            affordable=self._affordable(),
            cost=lambda pid: 1 + len(self._variant_ids(pid, plan.folders.get(pid))) if vmeta else 1,
        )
        chosen = {"ids": refresh.ids, "credit": refresh.credit, "rate": refresh.rate, "clock": now}
        self.state.run_set("refresh", json.dumps(chosen))
        return refresh

    def _refresh_rate(self, total: int, variants: int = 0) -> float:
        cost = 1 + variants / total if self.config.variant_metafields and total else 1.0
        return refresh_rate(
            total, self.config.metafields_max_age, self.config.metafields_share, self._daily(), cost=cost
        )

    def _digest(self, rows: Sequence[Mapping[str, Any]], variants: Mapping[int, Sequence[Mapping[str, Any]]]) -> str:
        """What a product's metafields are, its variants' included when the mirror holds them."""
        tagged = [
            {"key": f"{vid}/{as_str(m.get('key'))}", "id": m.get("id"), "value": m.get("value")}
            for vid, found in sorted(variants.items())
            for m in found
        ]
        return metafields_digest([*rows, *tagged] if self.config.variant_metafields else list(rows))

    def _variant_ids(self, pid: int, folder: str | None) -> list[int]:
        """The product's variant ids: from its catalog record, or (a stub) from its mirror file."""
        record = self.state.staged("catalog", self.default, pid) or {}
        if not record.get("unchanged"):
            return [as_int(v.get("id"), 0) for v in objects(record.get("variants"))]
        product = self._file(folder)
        return [
            v["id"]
            for v in (product or {}).get("variants") or []
            if isinstance(v, Mapping) and isinstance(v.get("id"), int)
        ]

    def _variant_metafield_rows(self, vid: int) -> Iterable[Row]:
        return self.client.iter_list(f"variants/{vid}/metafields", "variantMetafields", lang=self.default)

    def _file(self, folder: str | None) -> dict[str, Any] | None:
        if folder is None:
            return None
        try:
            path = layout.product_dir(self.root, folder) / layout.PRODUCT_FILE
            return files.read_product(safety.guard(self.root, path))  # a link: not read, the write refuses it
        except MirrorError:
            return None

    def _daily(self) -> int | None:
        """The shop's daily request limit, once an answer has said it."""
        windows = self.client.pacer.status()
        return windows[-1].limit if len(windows) >= 3 else None

    def _affordable(self) -> int | None:
        """Requests this run can still make without a wait or a stop (``None``: no limit known)."""
        left = self.client.requests_left()
        return None if left is None else max(0, left - REFRESH_RESERVE)

    def _file_digest(self, folder: str | None) -> str | None:
        """The metafields of a product's mirror file (when no sync has recorded them yet)."""
        product = self._file(folder)
        if product is None:
            return None
        variants = {
            v["id"]: [m for m in v.get("metafields") or [] if isinstance(m, Mapping)]
            for v in product.get("variants") or []
            if isinstance(v, Mapping) and isinstance(v.get("id"), int)
        }
        return self._digest([m for m in product.get("metafields") or [] if isinstance(m, Mapping)], variants)

    # -- the progress line ------------------------------------------------------------------------
    def _tick(self, read: str, done: int, of: int) -> None:
        """``texts:en 1 200 of 10 000 products · about 48 300 requests left · done in about 2 days
        3 h`` (the rate-limit windows' waits plus the pace so far)."""
        assert self.ticker is not None
        left = sum(step.left() for step in self._steps)
        words = _READS.get(read.partition(":")[0])
        line = f"reading {words or read.replace(':', ' ')}: {thousands(done)} of {thousands(of)} products"
        line += f" · about {thousands(left)} requests left"
        when = self._eta(left)
        if when is not None:
            line += f" · done in about {human_duration(when)}"
        self.ticker(line)

    def _eta(self, left: int) -> float | None:
        """Seconds until ``left`` more requests are sent: the rate limits' waits (``eta``) plus the
        time the requests so far took each, once some were sent."""
        windows = eta(self.client.pacer.status(), left, math.inf)
        waits = windows[0] if windows is not None else 0.0
        if self._pace is None:
            return waits if windows is not None else None
        began, before = self._pace
        sent = self.client.requests - before
        if sent < TICK_EVERY and windows is None:
            return None
        each = (time.monotonic() - began) / sent if sent else 0.0
        return waits + left * each

    # -- a stop before the end ------------------------------------------------------------------
    def _stopped_summary(self, error: RateLimitError, plan: Plan | None, steps: Sequence[Step]) -> Summary:
        summary = Summary(resumed=self.resumed, products=plan.total if plan else 0)
        summary.requests = self.client.requests - self.requests_before
        windows = self.client.pacer.status()
        budget = self.client.budget
        spent = error.reset_seconds is None and budget is not None and self.client.requests >= budget
        stopped = Stopped(reason=f"the request budget of {budget} is used up" if spent else limit_reason(str(error)))
        if plan is not None:
            stopped.products_deep = len(plan.deep)
            stopped.products_left = max(  # one read per product each: its metafields, its image titles
                len(plan.deep) - self.state.count_staged("done", "metafields"),
                len(self.title_products) - self.state.count_staged("done", "imagetitles"),
                0,
            )
            stopped.requests_left = sum(step.left() for step in steps)
        blocking = blocking_window(windows) if error.reset_seconds is not None else None
        if blocking is not None:
            stopped.reason = f"the shop's {blocking.name} request limit ({thousands(blocking.limit or 0)}) is used up"
            stopped.per_run, stopped.period = blocking.limit, PERIODS.get(blocking.name, blocking.name)
            stopped.resumes_at = after(error.reset_seconds or blocking.reset_in or 0.0)
        elif self.client.budget is not None:
            stopped.per_run = self.client.budget
        if stopped.requests_left is not None:
            if blocking is not None:
                timing = eta(windows, stopped.requests_left, self.client.pacer.max_wait)
                if timing is not None:
                    stopped.done_at, stopped.runs_left = after(timing[0]), timing[1]
            elif stopped.per_run:
                stopped.runs_left = math.ceil(stopped.requests_left / stopped.per_run)
        summary.stopped = stopped
        return summary

    # -- writing --------------------------------------------------------------------------------
    def _write(self, plan: Plan, summary: Summary) -> dict[int, Seen | None]:
        self.progress("writing the mirror")
        folders = plan.folders
        tag_titles = self._tag_titles()
        seen: dict[int, Seen | None] = {}
        touched: set[str] = set()
        deep = set(plan.deep)
        self._linked = set(self.link_products)
        self._titled = set(self.title_products)
        metafields_only = set(self.refresh_changed) - deep  # changed metafields the rotation found
        todo = sorted(deep | set(plan.shallow) | metafields_only)
        for pid in [*todo, *plan.deleted]:  # every folder this sync rewrites or removes, before any write
            if pid in folders:
                safety.guard_tree(self.root, layout.product_dir(self.root, folders[pid]))
        with Downloader(self.client, limit=self.config.image_limit) as downloads:
            for number, pid in enumerate(todo, start=1):
                if number % 1000 == 0:
                    self.progress(f"written {number} of {len(todo)} products")
                record = self.state.staged("catalog", self.default, pid)
                new_folder = assemble.folder_for(record)
                touched.update(_folder_path(f) for f in (folders.get(pid), new_folder, self.committed.get(pid)) if f)
                if pid in deep:
                    data = self._deep_data(pid, record)
                    self.digests[pid] = self._digest(data.metafields or [], data.variant_metafields or {})
                elif pid in metafields_only:
                    data = assemble.Deep(metafields=self.state.staged_by_owner("metafield", self.default, pid))
                    if self.config.variant_metafields:
                        data.variant_metafields = {
                            vid: self.state.staged_by_owner("variantmetafield", self.default, vid)
                            for vid in self._variant_ids(pid, folders.get(pid))
                        }
                else:
                    data = None
                if (titles := self._titles(pid)) is not None:
                    data = data or assemble.Deep()
                    data.image_titles = titles
                read, kind = self._product_type(pid)
                if read:
                    data = data or assemble.Deep()
                    data.type_read, data.product_type = True, kind
                    data.product_set = self._product_set(pid)
                positions = self._positions(pid)
                change = self._write_product(record, data, folders.get(pid), tag_titles, downloads, positions)
                if change is not None:
                    summary.add(change)
                seen[pid] = self._seen(record)
        for pid in plan.deleted:
            change = self._remove(pid, folders[pid])
            summary.add(change)
            touched.add(_folder_path(folders[pid]))
            self.removed[pid] = (folders[pid], change.title)
            seen[pid] = None
        summary.images_fetched = downloads.fetched
        self._leave_out(downloads, seen, summary)
        if self.scan is None:  # a quick sync leaves the shop's lists to the full one
            summary.shop_files = self._write_shop_files()
        if not self.state.get_meta(RESTYLED):
            summary.restyled = self._restyle(touched, set(plan.held))
        self.touched = touched
        return seen

    def _tag_titles(self) -> dict[int, str]:
        """Tag id → title in the default language: as read by this sync, or, in a quick one (which
        leaves the shop's lists to the full sync), as ``shop/tags.yaml`` holds them."""
        if self.scan is None:
            return {rid: as_str(row.get("title")) for rid, row in self.state.iter_staged("tags", self.default)}
        rows = files.read_list(safety.guard(self.root, self.root / layout.SHOP_DIR / "tags.yaml"))
        return {
            row["id"]: as_str(row.get("title", {}).get(self.default)) for row in rows if isinstance(row.get("id"), int)
        }

    def _leave_out(self, downloads: Downloader, seen: dict[int, Seen | None], summary: Summary) -> None:
        """Images that could not be fetched: out of their product files, read again next sync."""
        left_out = leave_out(downloads.failed, self.languages)
        for pid, items in left_out.items():
            before = seen.get(pid)
            if before is not None:  # its catalog record then differs from this: the next sync rewrites it
                seen[pid] = Seen(before.updated_at, "")
            title = self.written.get(pid, ("", ""))[1]
            summary.unfetched += items
            summary.unfetched_lines += [item.line(title) for item in items]
        if left_out:  # left out again, as the last commit has it: not a change after all
            folders = {pid: _folder_path(self.written[pid][0]) for pid in left_out if pid in self.written}
            dirty = {"/".join(path.split("/")[:2]) for path in gitrepo.dirty_paths(self.root, list(folders.values()))}
            same = {pid for pid, folder in folders.items() if folder not in dirty}
            summary.changes = [c for c in summary.changes if not (c.kind == "changed" and c.product_id in same)]

    def _seen(self, record: Mapping[str, Any]) -> Seen:
        updated = as_str(record.get("updatedAt"))
        try:
            if parse_api_time(updated) >= self._settle_time():
                updated = ""  # edited around the time we read it: look again next time
        except ValueError:
            updated = ""
        return Seen(updated, assemble.catalog_hash(record))

    def _write_product(
        self,
        record: Mapping[str, Any],
        deep: assemble.Deep | None,
        old_folder: str | None,
        tag_titles: Mapping[int, str],
        downloads: Downloader,
        positions: Mapping[int, int] | None = None,
    ) -> Change | None:
        pid = as_int(record.get("id"), 0)
        folder = assemble.folder_for(record)
        previous, old_images = self._previous(old_folder)
        if old_folder and old_folder != folder:
            self._move_folder(old_folder, folder)
        built = assemble.build_product(
            record,
            languages=self.languages,
            deep=deep,
            previous=previous,
            tag_titles=tag_titles,
            include_fields=self.config.include_fields,
            positions=positions,
        )
        target = safety.guard_tree(self.root, layout.product_dir(self.root, folder))
        images_changed = apply_images(target / layout.IMAGES_DIR, built.images, old_images, downloads)
        written = files.write_product(target / layout.PRODUCT_FILE, built.product, self.languages)
        reviews_changed = built.reviews is not None and write_reviews(target, built.reviews)
        written = written or reviews_changed
        title = built.product["title"].get(self.default, "")
        self.written[pid] = (folder, title)
        if not (written or images_changed or (old_folder and old_folder != folder)):
            return None
        if previous is None:
            return Change("new", pid, title)
        return Change("changed", pid, title, _changed_fields(previous, built.product) + ["reviews"] * reviews_changed)

    def _previous(self, folder: str | None) -> tuple[dict[str, Any] | None, dict[int, str]]:
        if folder is None:
            return None, {}
        path = layout.product_dir(self.root, folder) / layout.PRODUCT_FILE
        try:
            previous = files.read_product(path)
        except MirrorError:
            return None, {}
        old_images = {
            image["fileId"]: image["file"]
            for image in previous.get("images") or []
            if isinstance(image, dict) and isinstance(image.get("fileId"), int) and isinstance(image.get("file"), str)
        }
        return previous, old_images

    def _move_folder(self, old: str, new: str) -> None:
        source, target = layout.product_dir(self.root, old), layout.product_dir(self.root, new)
        safety.guard_tree(self.root, source)
        safety.guard_tree(self.root, target)
        owned.make_room(target)
        source.rename(target)

    def _deep_data(self, pid: int, record: Mapping[str, Any]) -> assemble.Deep:
        deep = assemble.Deep()
        for lang in self.languages[1:]:
            texts = self.state.staged("texts", lang, pid)
            if texts is not None:
                deep.texts[lang] = texts
        vids = {as_int(v.get("id"), 0) for v in objects(record.get("variants"))}
        for vid in vids:
            full = self.state.staged("variant", self.default, vid)
            if full is not None:
                deep.variants[vid] = full
        for lang in self.languages[1:]:
            titles = {
                vid: as_str(row.get("title"))
                for vid in vids
                if (row := self.state.staged("variant", lang, vid)) is not None
            }
            deep.variant_titles[lang] = titles
        links = self.state.staged_by_owner("taglink", self.default, pid)
        deep.tag_ids = [tag for row in links if (tag := link_id(row.get("tag"))) is not None]
        deep.metafields = self.state.staged_by_owner("metafield", self.default, pid)
        if self.config.variant_metafields:
            deep.variant_metafields = {
                vid: self.state.staged_by_owner("variantmetafield", self.default, vid) for vid in vids
            }
        return deep

    def _remove(self, pid: int, folder: str) -> Change:
        previous, old_images = self._previous(folder)
        if previous is None:  # the interrupted run removed it already
            previous = self._committed_product(folder)
        title = ""
        if previous is not None and isinstance(previous.get("title"), dict):
            title = as_str(previous["title"].get(self.default))
        path = safety.guard_tree(self.root, layout.product_dir(self.root, folder))
        owned.remove_product_files(path, old_images.values())  # a person's files stay, and the folder with them
        return Change("deleted", pid, title)

    def _committed_product(self, folder: str) -> dict[str, Any] | None:
        """The product file of ``folder`` at HEAD, or None."""
        rel = f"{layout.PRODUCTS_DIR}/{folder}/{layout.PRODUCT_FILE}"
        raw = gitrepo.blob(self.root, "HEAD", rel)
        try:
            data = yamlio.load(raw.decode("utf-8"), rel) if raw is not None else None
        except (MirrorError, UnicodeDecodeError):
            return None
        return data if isinstance(data, dict) else None

    def _write_shop_files(self) -> list[str]:
        rows = {
            name: {lang: [row for _, row in self.state.iter_staged(name, lang)] for lang in self.languages}
            for name in schema.SHOP_LISTS
        }
        lists = assemble.shop_lists(rows, self.languages)
        changed = []
        for name, items in lists.items():
            path = safety.guard(self.root, self.root / layout.SHOP_DIR / f"{name}.yaml")
            if files.write_bytes(path, files.dump_shop_list(name, items, self.languages)):
                changed.append(f"shop/{name}.yaml")
        shop = json.loads(self.state.run_get("shop") or "{}")
        languages = self._ordered_languages(json.loads(self.state.run_get("languages") or "[]"))
        shop_path = safety.guard(self.root, self.root / layout.SHOP_FILE)
        if files.write_bytes(shop_path, files.dump_shop(assemble.shop_file(shop, languages))):
            changed.append(str(layout.SHOP_FILE))
        return changed

    def _restyle(self, touched: set[str], held: set[int]) -> int:
        """Write again, in standard YAML, the product files and reviews an earlier version wrote with
        its ``!crlf`` tag (which other YAML readers refuse): the same content, a CRLF text now a
        double-quoted scalar in lines. Once; a product with unpushed edits keeps its file."""
        pattern = f"{yamlio.CRLF_TAG} |"
        found = gitrepo.run(
            self.root, "grep", "-l", "-z", "-F", "-e", pattern, "--", str(layout.PRODUCTS_DIR), check=False
        )
        count = 0
        for rel in filter(None, found.split("\0")):
            parts = rel.split("/")
            folder = "/".join(parts[:2])
            pid = layout.folder_product_id(parts[1]) if len(parts) == 3 else None
            if pid is None or pid in held or folder in touched:
                self.restyle_left = self.restyle_left or pid in held
                continue
            path = safety.guard(self.root, self.root / rel)
            try:
                if parts[2] == layout.PRODUCT_FILE:
                    written = files.write_product(path, files.read_product(path), self.languages)
                elif parts[2] == layout.REVIEWS_FILE:
                    written = files.write_bytes(path, files.dump_reviews(files.read_list(path)))
                else:
                    continue
            except MirrorError:  # a file that does not read: left as it is ('ecomgit check' names it)
                self.restyle_left = True
                continue
            if written:
                touched.add(folder)
                count += 1
        return count

    def _ordered_languages(self, languages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        wanted = [lang for lang in languages if as_str(lang.get("code")) in self.languages]
        return sorted(wanted, key=lambda lang: self.languages.index(as_str(lang.get("code"))))

    # -- committing -----------------------------------------------------------------------------
    def _commit(self, summary: Summary, seen: dict[int, Seen | None], plan: Plan) -> None:
        touched = self.touched
        summary.requests = self.client.requests - self.requests_before
        # The mirror was clean when the run began: when this run wrote nothing (a no-op), there is
        # nothing to stage, and git need not look at 50 000 files (half a second at 10 000 products).
        if self.resumed or touched or summary.shop_files:
            gitrepo.stage_only(
                self.root,
                [str(layout.PRODUCTS_DIR), str(layout.SHOP_DIR)],
                lambda name: name.startswith(f"{layout.SHOP_DIR}/") or "/".join(name.split("/")[:2]) in touched,
            )
            if self.resumed:
                self._describe_since_last_commit(summary)
            if gitrepo.has_staged_changes(self.root):
                summary.commit = gitrepo.commit(
                    self.root,
                    commit_message(summary)
                    + "".join(f"{line}\n" for line in records.stamp(self.root, kind="sync", held=summary.held)),
                )
            if touched:  # now, not in the next sync's check for edits (10 000 new folders: 0.8 s)
                gitrepo.refresh_status_cache(self.root)
        with self.state.transaction():
            if self.state.get_meta("mirror_shape") != self._shape():
                self.state.db.execute("DELETE FROM products")
                self.state.set_meta("mirror_shape", self._shape())
            self.state.record_seen(seen.items())
            if self.link_products and not self.state.run_get(STOPPED):
                self.state.set_meta(POSITIONS, "1")  # every product's positions are in the mirror
            if not self.types_known and not self.state.run_get(STOPPED):
                self.state.set_meta(PRODUCT_TYPES, "1")  # every product was rewritten with its type
            if not self.restyle_left:  # no file was left with the tag it had
                self.state.set_meta(RESTYLED, "1")
            imagecheck.note_written(self.root, self.state, touched)
            self._record_metafield_checks()
            self.state.set_meta("sync_commit", records.newest(self.root) or "")
            self.state.set_meta(LAST_STARTED, self._started().isoformat())
            finished = datetime.now(UTC).isoformat(timespec="seconds")  # also when nothing changed
            self.state.set_meta(FINISHED, f"{finished} {summary.commit or '-'}")
        self.state.clear_run()
        summary.metafields = self._freshness(plan)

    def _record_metafield_checks(self) -> None:
        checked = self._started().timestamp()  # read at or after the run's start: never later than claimed
        self.state.record_metafield_checks((pid, MetafieldCheck(checked, d)) for pid, d in self.digests.items())
        chosen = self.state.run_get("refresh")
        if chosen is not None:
            data = json.loads(chosen)
            self.state.set_meta("refresh_credit", repr(float(data["credit"])))
            self.state.set_meta("refresh_clock", repr(float(data["clock"])))

    def _freshness(self, plan: Plan) -> Freshness:
        checks = self.state.metafield_checks()
        oldest = min((check.checked for check in checks.values()), default=None)
        rate = self.refresh.rate or self._refresh_rate(plan.total, plan.variants)
        return Freshness(
            refreshed=len(self.refresh.ids),
            changed=len(self.refresh_changed),
            oldest_hours=None if oldest is None else max(0.0, time.time() - oldest) / 3600,
            unchecked=max(0, plan.total - len(checks)),
            bound_hours=plan.total / rate / 3600 if rate > 0 else None,
        )

    def _describe_since_last_commit(self, summary: Summary) -> None:
        """On a resumed run, say what the commit changes against the last commit.

        ``_write`` compares with the work tree, where the interrupted run already wrote part of
        the mirror: it would call those products unchanged and miss the folders already removed.
        """
        staged = gitrepo.run(self.root, "diff", "--cached", "--name-only", "-z", "--no-renames").split("\0")
        shop_files = [f"{layout.SHOP_DIR}/{name}.yaml" for name in schema.SHOP_LISTS] + [str(layout.SHOP_FILE)]
        summary.shop_files = [name for name in shop_files if name in staged]
        products = f"{layout.PRODUCTS_DIR}/"
        changed = {name.split("/")[1] for name in staged if name.startswith(products) and name.count("/") > 1}
        changes = []
        for pid, (folder, title) in self.written.items():
            before = self.committed.get(pid)
            if folder not in changed and before not in changed:
                continue
            if before is None:
                changes.append(Change("new", pid, title))
                continue
            old = self._committed_product(before)
            try:
                new = files.read_product(layout.product_dir(self.root, folder) / layout.PRODUCT_FILE)
            except MirrorError:
                new = None
            fields = _changed_fields(old, new) if old is not None and new is not None else []
            changes.append(Change("changed", pid, title, fields))
        changes += [Change("deleted", pid, title) for pid, (folder, title) in self.removed.items() if folder in changed]
        summary.changes = changes


def write_reviews(folder: Path, reviews: Sequence[Mapping[str, Any]]) -> bool:
    """Write (or, with none, remove) the folder's reviews.yaml; whether it changed."""
    path = folder / layout.REVIEWS_FILE
    if reviews:
        return files.write_bytes(path, files.dump_reviews(reviews))
    if path.is_file() or path.is_symlink():
        path.unlink()
        return True
    return False


def _product_folders_at_head(root: Path) -> dict[int, str]:
    names = gitrepo.tree_names(root, "HEAD", str(layout.PRODUCTS_DIR)) if gitrepo.head(root) else []
    return {pid: name for name in names if (pid := layout.folder_product_id(name)) is not None}


def _folder_path(folder: str) -> str:
    return f"{layout.PRODUCTS_DIR}/{folder}"


def _changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Top-level fields that differ, both sides in canonical order (lists sorted alike)."""
    old, new = files.canonical_product(before), files.canonical_product(after)
    return [key for key in new if old.get(key) != new.get(key)]
