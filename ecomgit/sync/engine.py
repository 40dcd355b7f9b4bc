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
7. ``git add -A`` and one commit with a readable message and the ``Ecomgit-Sync`` trailer.
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.api.values import as_int, as_str, link_id, objects, parse_api_time
from ecomgit.config import Config
from ecomgit.errors import GitError, MirrorError, SyncError
from ecomgit.mirror import files, layout
from ecomgit.sync import assemble
from ecomgit.sync.fetch import Fetcher, owned_by
from ecomgit.sync.report import Change, Summary, commit_message
from ecomgit.sync.state import Seen, State

TEXT_FIELDS = "id,title,fulltitle,description,content,url"
SHOP_LISTS = {"categories": "categories", "tags": "tags", "brands": "brands", "deliverydates": "deliverydates"}
SETTLE_SECONDS = 2
DOWNLOAD_WORKERS = 8
Progress = Callable[[str], None]


@dataclass
class Plan:
    deep: list[int] = field(default_factory=list)
    shallow: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    held: list[int] = field(default_factory=list)  # changed in the shop, but edited here and not pushed
    total: int = 0


class Sync:
    def __init__(
        self, root: Path, config: Config, client: ShopClient, state: State, *, progress: Progress | None = None
    ) -> None:
        self.root = root
        self.config = config
        self.client = client
        self.state = state
        self.fetcher = Fetcher(client, state)
        self.progress = progress or (lambda message: None)
        self.languages = list(config.languages)
        self.default = self.languages[0]
        self.requests_before = client.requests

    # -- the run --------------------------------------------------------------------------------
    def run(self) -> Summary:
        resumed = self._begin()
        self._read_shop()
        self.progress("reading the catalog")
        self.fetcher.list_into("catalog", "catalog", "products", "catalog", self.default)
        plan = self._plan()
        self.progress(f"{plan.total} products: {len(plan.deep)} to read in depth, {len(plan.deleted)} deleted")
        self._fetch_deep(plan.deep)
        self._fetch_shop_lists()
        summary = Summary(resumed=resumed, products=plan.total, held=sorted(plan.held))
        seen = self._write(plan, summary)
        self._commit(summary, seen)
        summary.requests = self.client.requests - self.requests_before
        return summary

    def _begin(self) -> bool:
        if self.state.run_active():
            self.progress("continuing the unfinished sync")
            return True
        dirty = gitrepo.dirty_paths(self.root, [str(layout.PRODUCTS_DIR), str(layout.SHOP_DIR)])
        if dirty:
            raise GitError(
                f"{len(dirty)} uncommitted change(s) in the mirror (e.g. {dirty[0]}); commit them "
                "(then 'ecomgit push') or discard them with 'git checkout -- products shop', then sync"
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
    def _plan(self) -> Plan:
        # A mirror written with other languages or fields must be read again in full.
        seen = self.state.seen() if self.state.get_meta("mirror_shape") == self._shape() else {}
        folders = self._folders()
        held = self._held_products()
        plan = Plan()
        for pid, record in self.state.iter_staged("catalog", self.default):
            plan.total += 1
            before = seen.get(pid)
            updated = as_str(record.get("updatedAt"))
            kind = self._change_kind(pid, record, before, updated, folders)
            if pid in held:
                plan.held.append(pid)
            elif kind == "deep":
                plan.deep.append(pid)
            elif kind == "shallow":
                plan.shallow.append(pid)
        catalog_ids = set(self.state.staged_ids("catalog", self.default))
        plan.deleted = sorted(pid for pid in folders if pid not in catalog_ids and pid not in held)
        plan.held += sorted(pid for pid in held if pid in folders and pid not in catalog_ids)
        return plan

    def _change_kind(
        self,
        pid: int,
        record: Mapping[str, Any],
        before: Seen | None,
        updated: str,
        folders: Mapping[int, str],
    ) -> str | None:
        if before is None or pid not in folders or not before.updated_at:
            return "deep"
        if before.updated_at != updated or folders[pid] != assemble.folder_for(record):
            return "deep"
        if before.catalog_hash != assemble.catalog_hash(record):
            return "shallow"
        return None

    def _shape(self) -> str:
        """What decides a product file's content besides the shop: languages and field choices."""
        config = self.config
        return json.dumps([self.languages, sorted(config.include_fields), config.variant_metafields])

    def _settle_time(self) -> datetime:
        started = self.state.run_get("started") or datetime.now(UTC).isoformat()
        return datetime.fromisoformat(started) - timedelta(seconds=SETTLE_SECONDS)

    def _folders(self) -> dict[int, str]:
        """Product id → folder name, from the work tree (works in any clone)."""
        base = self.root / layout.PRODUCTS_DIR
        out: dict[int, str] = {}
        if base.is_dir():
            for entry in base.iterdir():
                pid = layout.folder_product_id(entry.name)
                if pid is not None and entry.is_dir():
                    out[pid] = entry.name
        return out

    def _held_products(self) -> set[int]:
        """Products with committed edits not yet pushed: sync must not overwrite them.

        Those changed since the last sync commit, plus those that sync itself held back (its
        ``Ecomgit-Held`` trailer), so an edit stays held across any number of syncs until pushed.
        """
        last = gitrepo.last_sync_commit(self.root)
        if last is None:
            return set()
        names = gitrepo.changed_since(self.root, last, [str(layout.PRODUCTS_DIR)])
        ids = {layout.folder_product_id(Path(name).parts[1]) for name in names if len(Path(name).parts) > 1}
        for value in gitrepo.trailers(self.root, last, gitrepo.HELD_TRAILER):
            ids.update(int(part) for part in value.split() if part.isdigit())
        return {pid for pid in ids if pid is not None}

    # -- deep reads -----------------------------------------------------------------------------
    def _fetch_deep(self, deep: Sequence[int]) -> None:
        if not deep:
            return
        self.progress(f"reading {len(deep)} product(s) in depth")
        total = sum(1 for _ in self.state.staged_ids("catalog", self.default))
        variants = self._variant_owner_count(deep)
        whole = len(deep) > max(2, math.ceil(total / 250))
        whole_variants = len(deep) > max(2, math.ceil(variants["all"] / 250))
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

    def _variant_owner_count(self, deep: Sequence[int]) -> dict[str, int]:
        count = 0
        for _, record in self.state.iter_staged("catalog", self.default):
            count += len(objects(record.get("variants")))
        return {"all": count}

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
        for name, path in SHOP_LISTS.items():
            for lang in self.languages:
                self.fetcher.list_into(f"{name}:{lang}", path, name, name, lang)

    # -- writing --------------------------------------------------------------------------------
    def _write(self, plan: Plan, summary: Summary) -> dict[int, Seen | None]:
        self.progress("writing the mirror")
        folders = self._folders()
        tag_titles = {rid: as_str(row.get("title")) for rid, row in self.state.iter_staged("tags", self.default)}
        seen: dict[int, Seen | None] = {}
        deep = set(plan.deep)
        with Downloader(self.client) as downloads:
            for pid in sorted(deep | set(plan.shallow)):
                record = self.state.staged("catalog", self.default, pid)
                change = self._write_product(record, pid in deep, folders.get(pid), tag_titles, downloads)
                if change is not None:
                    summary.add(change)
                seen[pid] = self._seen(record)
        for pid in plan.deleted:
            summary.add(self._remove(pid, folders[pid]))
            seen[pid] = None
        summary.images_fetched = downloads.count
        summary.shop_files = self._write_shop_files()
        return seen

    def _seen(self, record: Mapping[str, Any]) -> Seen:
        updated = as_str(record.get("updatedAt"))
        try:
            if parse_api_time(updated) >= self._settle_time():
                updated = ""  # edited around the time we read it: look again next time
        except ValueError:
            updated = ""
        return Seen(updated, assemble.catalog_hash(record), assemble.variant_times(record))

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
        images_changed = _apply_images(target / layout.IMAGES_DIR, built.images, old_images, downloads)
        written = files.write_product(target / layout.PRODUCT_FILE, built.product, self.languages)
        if not (written or images_changed or (old_folder and old_folder != folder)):
            return None
        title = built.product["title"].get(self.default, "")
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
        title = ""
        if previous is not None and isinstance(previous.get("title"), dict):
            title = as_str(previous["title"].get(self.default))
        shutil.rmtree(layout.product_dir(self.root, folder))
        return Change("deleted", pid, title)

    def _write_shop_files(self) -> list[str]:
        rows = {
            name: {lang: [row for _, row in self.state.iter_staged(name, lang)] for lang in self.languages}
            for name in SHOP_LISTS
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
        gitrepo.stage(self.root, [str(layout.PRODUCTS_DIR), str(layout.SHOP_DIR)])
        summary.requests = self.client.requests - self.requests_before
        if gitrepo.has_staged_changes(self.root):
            summary.commit = gitrepo.commit(self.root, commit_message(summary))
        with self.state.transaction():
            if self.state.get_meta("mirror_shape") != self._shape():
                self.state.db.execute("DELETE FROM products")
                self.state.set_meta("mirror_shape", self._shape())
            self.state.record_seen(seen.items())
        self.state.clear_run()


def _changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Top-level fields that differ, both sides in canonical order (lists sorted alike)."""
    old, new = files.canonical_product(before), files.canonical_product(after)
    return [key for key in new if old.get(key) != new.get(key)]


def _apply_images(
    folder: Path, plans: Sequence[assemble.ImagePlan], old: Mapping[int, str], downloads: Downloader
) -> bool:
    """Make ``folder`` hold exactly the planned files: keep, rename or download. True if changed."""
    existing = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    moves: dict[str, str] = {}
    fetches = []
    for plan in plans:
        old_name = old.get(plan.file_id) if plan.file_id is not None else None
        if plan.file in existing and old_name in (plan.file, None):
            continue  # already there (a file without a known id is kept by name)
        if old_name is not None and old_name in existing:
            moves[plan.file] = old_name
        else:
            fetches.append(plan)
    if moves:
        staging = folder / ".moving"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        for old_name in set(moves.values()):
            (folder / old_name).rename(staging / old_name)
        for new_name, old_name in moves.items():
            shutil.copyfile(staging / old_name, folder / new_name)
        shutil.rmtree(staging)
    for plan in fetches:
        downloads.fetch(plan.src, folder / plan.file, plan.file_id)
    wanted = {plan.file for plan in plans}
    stale = [name for name in existing - wanted if (folder / name).exists()]
    for name in stale:
        path = folder / name
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return bool(moves or fetches or stale)


class Downloader:
    """Image bytes from the CDN: concurrent (bounded), each file id fetched once per batch."""

    def __init__(self, client: ShopClient) -> None:
        self.client = client
        self.pool = ThreadPoolExecutor(DOWNLOAD_WORKERS, thread_name_prefix="ecomgit-image")
        self.futures: list[Future[None]] = []
        self.first: dict[int, Path] = {}
        self.copies: list[tuple[Path, Path]] = []
        self.count = 0

    def __enter__(self) -> Downloader:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                self.wait()
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def fetch(self, url: str, path: Path, file_id: int | None) -> None:
        """Download ``url`` to ``path`` (or copy it from this batch's download of the same file)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        if file_id is not None and file_id in self.first:
            self.copies.append((self.first[file_id], path))
            return
        if file_id is not None:
            self.first[file_id] = path
        self.count += 1
        self.futures.append(self.pool.submit(self._download, url, path))
        if len(self.futures) >= 256:
            self.wait()

    def _download(self, url: str, path: Path) -> None:
        files.write_bytes(path, self.client.download(url))

    def wait(self) -> None:
        futures, self.futures = self.futures, []
        for future in futures:
            future.result()
        for source, target in self.copies:
            shutil.copyfile(source, target)
        self.copies.clear()
        self.first.clear()
