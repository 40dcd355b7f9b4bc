"""``ecomgit sync``: read the shop, rewrite what changed, make one commit.

The run, in order (each step resumable, see ``fetch``):

1. languages and shop;
2. ``/catalog.json`` pages in the default language (the cheapest full read);
3. the plan: which products are new, changed in depth (``updatedAt`` moved), changed only in what
   the catalog shows, deleted — compared with what the last committed sync saw;
4. deep reads for the deep-changed products only: texts in the other languages, full variant
   records, tag links, metafields — per product or as whole lists, whichever costs fewer requests;
5. the shop's categories, tags, brands and delivery dates, every language;
6. product files and images written for changed products only; deleted products' folders removed;
7. the paths it wrote staged in one ``git add``, and one commit with a readable message and the
   ``Ecomgit-Sync`` trailer.
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.api.values import as_int, as_str, link_id, objects, parse_api_time
from ecomgit.config import Config
from ecomgit.errors import GitError, MirrorError, SyncError
from ecomgit.mirror import files, layout, schema, yamlio
from ecomgit.sync import assemble
from ecomgit.sync.fetch import Fetcher, owned_by
from ecomgit.sync.images import Downloader, apply_images
from ecomgit.sync.plan import (
    Plan,
    catalog_keyer,
    held_products,
    make_plan,
    mirror_shape,
    product_folders,
    trusted_seen,
)
from ecomgit.sync.report import Change, Summary, commit_message
from ecomgit.sync.state import Seen, State

TEXT_FIELDS = "id,title,fulltitle,description,content,url"
SETTLE_SECONDS = 2
MASS_DELETE_MIN = 10  # deleting more than this and more than half the mirror needs --allow-mass-delete
Progress = Callable[[str], None]


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
    ) -> None:
        self.root = root
        self.allow_mass_delete = allow_mass_delete
        self.config = config
        self.client = client
        self.state = state
        self.progress = progress or (lambda message: None)
        self.fetcher = Fetcher(client, state, self.progress)
        self.languages = list(config.languages)
        self.default = self.languages[0]
        self.requests_before = client.requests
        self.touched: set[str] = set()  # product folders this sync wrote: only these are committed
        # A resumed run finds the work tree part-written by the interrupted one, so it compares with
        # the last commit: product id → its folder at HEAD (filled only when resuming).
        self.resumed = False
        self.committed: dict[int, str] = {}
        self.written: dict[int, tuple[str, str]] = {}  # product id → (folder, title): every product written
        self.removed: dict[int, tuple[str, str]] = {}  # product id → (folder, title): every product deleted

    # -- the run --------------------------------------------------------------------------------
    def run(self) -> Summary:
        resumed = self.resumed = self._begin()
        if resumed:
            self.committed = _product_folders_at_head(self.root)
        self._read_shop()
        seen = trusted_seen(self.state, self.root, self._shape())
        self.progress("reading the catalog")
        self.fetcher.list_into("catalog", "catalog", "products", "catalog", self.default, keyer=catalog_keyer(seen))
        plan = self._plan(seen)
        self._check_deletions(plan)
        self.progress(f"{plan.total} products: {len(plan.deep)} to read in depth, {len(plan.deleted)} deleted")
        self._fetch_deep(plan)
        self._fetch_shop_lists()
        summary = Summary(resumed=resumed, products=plan.total, held=sorted(plan.held))
        self._commit(summary, self._write(plan, summary))
        summary.requests = self.client.requests - self.requests_before
        return summary

    def _begin(self) -> bool:
        gitrepo.clear_stale_locks(self.root)  # left by a sync or push killed while git was writing
        if self.state.run_active():
            self.progress("continuing the unfinished sync")
            return True
        dirty = gitrepo.dirty_paths(self.root, [str(layout.PRODUCTS_DIR), str(layout.SHOP_DIR)])
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
        plan = make_plan(self.state, self.default, seen, folders, held_products(self.root))
        if plan.refetch:  # staged as unchanged, but the folder is missing: read the record again
            self.fetcher.per_item_into(
                "catalog-again",
                plan.refetch,
                lambda pid: [self.client.get_one(f"catalog/{pid}", "product", lang=self.default)],
                "catalog",
                self.default,
                owner_is_item=False,
            )
            plan.deep += plan.refetch
        return plan

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

    def _settle_time(self) -> datetime:
        started = self.state.run_get("started") or datetime.now(UTC).isoformat()
        return datetime.fromisoformat(started) - timedelta(seconds=SETTLE_SECONDS)

    # -- deep reads -----------------------------------------------------------------------------
    def _fetch_deep(self, plan: Plan) -> None:
        deep = plan.deep
        if not deep:
            return
        self.progress(f"reading {len(deep)} product(s) in depth")
        whole = len(deep) > max(2, math.ceil(plan.total / 250))
        whole_variants = len(deep) > max(2, math.ceil(plan.variants / 250))
        for lang in self.languages[1:]:
            self._texts(lang, deep, whole)
        self._variants(deep, whole_variants)
        self._tags(deep)
        self.fetcher.per_item_into(
            "metafields",
            deep,
            lambda pid: self.client.iter_list(f"products/{pid}/metafields", "productMetafields", lang=self.default),
            "metafield",
            self.default,
        )
        if self.config.variant_metafields:
            self._variant_metafields(deep)

    def _texts(self, lang: str, deep: Sequence[int], whole: bool) -> None:
        params = {"fields": TEXT_FIELDS}
        if whole:
            self.fetcher.list_into(f"texts:{lang}", "products", "products", "texts", lang, params)
            return
        self.fetcher.per_item_into(
            f"texts:{lang}",
            deep,
            lambda pid: [self.client.get_one(f"products/{pid}", "product", params, lang=lang)],
            "texts",
            lang,
            owner_is_item=False,
        )

    def _variants(self, deep: Sequence[int], whole: bool) -> None:
        for lang in self.languages:
            params = {} if lang == self.default else {"fields": "id,title,product"}
            if whole:
                self.fetcher.list_into(
                    f"variants:{lang}", "variants", "variants", "variant", lang, params, owned_by("product")
                )
                continue
            self.fetcher.per_item_into(
                f"variants:{lang}",
                deep,
                lambda pid, lang=lang, params=params: self.client.iter_list(  # type: ignore[misc]
                    "variants", "variants", {**params, "product": pid}, lang=lang
                ),
                "variant",
                lang,
            )

    def _tags(self, deep: Sequence[int]) -> None:
        if self.state.run_get("done:taglinks"):  # read as a whole list before an interruption
            return
        if len(deep) > 3:
            links = self.client.count("tags/products", lang=self.default)
            if math.ceil(links / 250) < len(deep):
                self.fetcher.list_into(
                    "taglinks", "tags/products", "tagsProducts", "taglink", self.default, keyer=owned_by("product")
                )
                return
        self.fetcher.per_item_into(
            "taglinks",
            deep,
            lambda pid: self.client.iter_list("tags/products", "tagsProducts", {"product": pid}, lang=self.default),
            "taglink",
            self.default,
        )

    def _variant_metafields(self, deep: Sequence[int]) -> None:
        ids = [
            as_int(v.get("id"), 0)
            for pid in deep
            for v in objects((self.state.staged("catalog", self.default, pid) or {}).get("variants"))
        ]
        self.fetcher.per_item_into(
            "variantmetafields",
            ids,
            lambda vid: self.client.iter_list(f"variants/{vid}/metafields", "variantMetafields", lang=self.default),
            "variantmetafield",
            self.default,
        )

    def _fetch_shop_lists(self) -> None:
        for name in schema.SHOP_LISTS:  # each read in every language
            for lang in self.languages:
                self.fetcher.list_into(f"{name}:{lang}", name, name, name, lang)

    # -- writing --------------------------------------------------------------------------------
    def _write(self, plan: Plan, summary: Summary) -> dict[int, Seen | None]:
        self.progress("writing the mirror")
        folders = plan.folders
        tag_titles = {rid: as_str(row.get("title")) for rid, row in self.state.iter_staged("tags", self.default)}
        seen: dict[int, Seen | None] = {}
        touched: set[str] = set()
        deep = set(plan.deep)
        with Downloader(self.client) as downloads:
            todo = sorted(deep | set(plan.shallow))
            for number, pid in enumerate(todo, start=1):
                if number % 1000 == 0:
                    self.progress(f"written {number} of {len(todo)} products")
                record = self.state.staged("catalog", self.default, pid)
                new_folder = assemble.folder_for(record)
                touched.update(_folder_path(f) for f in (folders.get(pid), new_folder, self.committed.get(pid)) if f)
                change = self._write_product(record, pid in deep, folders.get(pid), tag_titles, downloads)
                if change is not None:
                    summary.add(change)
                seen[pid] = self._seen(record)
        for pid in plan.deleted:
            change = self._remove(pid, folders[pid])
            summary.add(change)
            touched.add(_folder_path(folders[pid]))
            self.removed[pid] = (folders[pid], change.title)
            seen[pid] = None
        summary.images_fetched = downloads.count
        summary.shop_files = self._write_shop_files()
        self.touched = touched
        return seen

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
        deep: bool,
        old_folder: str | None,
        tag_titles: Mapping[int, str],
        downloads: Downloader,
    ) -> Change | None:
        pid = as_int(record.get("id"), 0)
        folder = assemble.folder_for(record)
        previous, old_images = self._previous(old_folder)
        if old_folder and old_folder != folder:
            self._move_folder(old_folder, folder)
        built = assemble.build_product(
            record,
            languages=self.languages,
            deep=self._deep_data(pid, record) if deep else None,
            previous=previous,
            tag_titles=tag_titles,
            include_fields=self.config.include_fields,
        )
        target = layout.product_dir(self.root, folder)
        images_changed = apply_images(target / layout.IMAGES_DIR, built.images, old_images, downloads)
        written = files.write_product(target / layout.PRODUCT_FILE, built.product, self.languages)
        title = built.product["title"].get(self.default, "")
        self.written[pid] = (folder, title)
        if not (written or images_changed or (old_folder and old_folder != folder)):
            return None
        if previous is None:
            return Change("new", pid, title)
        return Change("changed", pid, title, _changed_fields(previous, built.product))

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
        if target.exists():
            shutil.rmtree(target)
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
        previous, _ = self._previous(folder)
        if previous is None:  # the interrupted run removed it already
            previous = self._committed_product(folder)
        title = ""
        if previous is not None and isinstance(previous.get("title"), dict):
            title = as_str(previous["title"].get(self.default))
        shutil.rmtree(layout.product_dir(self.root, folder), ignore_errors=True)
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
            path = self.root / layout.SHOP_DIR / f"{name}.yaml"
            if files.write_bytes(path, files.dump_shop_list(name, items, self.languages)):
                changed.append(f"shop/{name}.yaml")
        shop = json.loads(self.state.run_get("shop") or "{}")
        languages = self._ordered_languages(json.loads(self.state.run_get("languages") or "[]"))
        if files.write_bytes(self.root / layout.SHOP_FILE, files.dump_shop(assemble.shop_file(shop, languages))):
            changed.append(str(layout.SHOP_FILE))
        return changed

    def _ordered_languages(self, languages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        wanted = [lang for lang in languages if as_str(lang.get("code")) in self.languages]
        return sorted(wanted, key=lambda lang: self.languages.index(as_str(lang.get("code"))))

    # -- committing -----------------------------------------------------------------------------
    def _commit(self, summary: Summary, seen: dict[int, Seen | None]) -> None:
        touched = self.touched
        gitrepo.stage_only(
            self.root,
            [str(layout.PRODUCTS_DIR), str(layout.SHOP_DIR)],
            lambda name: name.startswith(f"{layout.SHOP_DIR}/") or "/".join(name.split("/")[:2]) in touched,
        )
        summary.requests = self.client.requests - self.requests_before
        if self.resumed:
            self._describe_since_last_commit(summary)
        if gitrepo.has_staged_changes(self.root):
            summary.commit = gitrepo.commit(self.root, commit_message(summary))
        with self.state.transaction():
            if self.state.get_meta("mirror_shape") != self._shape():
                self.state.db.execute("DELETE FROM products")
                self.state.set_meta("mirror_shape", self._shape())
            self.state.record_seen(seen.items())
            self.state.set_meta("sync_commit", gitrepo.last_record_commit(self.root) or "")
        self.state.clear_run()

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


def _product_folders_at_head(root: Path) -> dict[int, str]:
    names = gitrepo.tree_names(root, "HEAD", str(layout.PRODUCTS_DIR)) if gitrepo.head(root) else []
    return {pid: name for name in names if (pid := layout.folder_product_id(name)) is not None}


def _folder_path(folder: str) -> str:
    return f"{layout.PRODUCTS_DIR}/{folder}"


def _changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Top-level fields that differ, both sides in canonical order (lists sorted alike)."""
    old, new = files.canonical_product(before), files.canonical_product(after)
    return [key for key in new if old.get(key) != new.get(key)]
