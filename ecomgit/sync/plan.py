"""What a sync must do: compare the catalog pass with what the last committed sync saw.

A product is read *in depth* (texts in other languages, full variants, tag links, metafields)
when it is new, its ``updatedAt`` moved, it was edited around the time the last sync read it, or
its folder is not what the shop's slug says; it is rebuilt *shallowly* (from its catalog record
and its mirror file) when only what ``/catalog.json`` shows changed; it is *held* when it has
committed edits that are not pushed yet. Unchanged products are staged as stubs only.

Two more decisions live here (docs/request-economy.md): which rows the deep reads need and the
``updated_at_min`` that still finds every one of them (:func:`deep_scope`), and which unchanged
products get their metafields re-read this sync (:func:`plan_refresh`).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ecomgit import records
from ecomgit.api.values import as_int, as_str, objects, parse_api_time
from ecomgit.errors import MirrorError
from ecomgit.mirror import layout, safety
from ecomgit.revisions import pending_products
from ecomgit.sync import assemble
from ecomgit.sync.fetch import Keyer, Row
from ecomgit.sync.state import MetafieldCheck, Seen, State

DAY = 86400.0
# ``updated_at_min`` is subtracted this much: the API does not say in which time zone it reads the
# value, and 13 hours covers every zone from UTC-12 on (the filter then returns a little more).
UPDATED_AT_MARGIN = timedelta(hours=13)


@dataclass
class Plan:
    deep: list[int] = field(default_factory=list)
    shallow: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    held: list[int] = field(default_factory=list)  # edited here and not pushed: left as they are
    refetch: list[int] = field(default_factory=list)  # staged as unchanged, but their folder is gone
    unchanged: list[int] = field(default_factory=list)  # neither deep, shallow, held nor refetched
    folders: dict[int, str] = field(default_factory=dict)  # product id → its folder in the work tree
    total: int = 0  # products in the shop
    variants: int = 0

    @property
    def mirrored(self) -> int:
        return len(self.folders)


def trusted_seen(state: State, root: Path, shape: str) -> dict[int, Seen]:
    """What the last sync saw — only while it still describes this work tree, else nothing.

    The state is trusted when the newest sync commit in history is the one it recorded and the
    mirror's shape (languages, fields) is unchanged; after a fresh clone, a reset or a config
    change every product is read again.
    """
    if state.get_meta("mirror_shape") != shape:
        return {}
    if state.get_meta("sync_commit") != (records.newest(root) or ""):
        return {}
    return state.seen()


def catalog_keyer(seen: Mapping[int, Seen], augment: Callable[[Row], Row] = lambda row: row) -> Keyer:
    """Stage catalog rows (``augment``-ed: with what the product's record holds besides the
    catalog's answer); a product exactly as last seen is staged as a small stub."""

    def key(row: Row) -> tuple[int, int | None, Any]:
        row = augment(row)
        pid = as_int(row.get("id"), 0)
        before = seen.get(pid)
        updated = as_str(row.get("updatedAt"))
        if before and before.updated_at == updated and before.catalog_hash == assemble.catalog_hash(row):
            variants = objects(row.get("variants"))
            times = [_time(v.get("updatedAt")) for v in variants]
            newest = None if None in times or not times else max(t for t in times if t is not None)
            stub = {
                "id": pid,
                "updatedAt": updated,
                "unchanged": True,
                "variantCount": len(variants),
                # what a variants list filtered by updated_at_min may return of it (deep_scope's estimate)
                "variantsUpdatedAt": newest.isoformat() if newest is not None else "",
            }
            return pid, None, stub
        return pid, None, row

    return key


def make_plan(
    state: State,
    lang: str,
    seen: Mapping[int, Seen],
    folders: Mapping[int, str],
    held: set[int],
    removed: frozenset[int] = frozenset(),
) -> Plan:
    """``removed``: products whose folder a person removed (not pushed: the shop still has them).
    While the shop leaves one alone it stays removed; once the shop changes it, it is read and
    written like a new product, so history keeps recording what the shop does with it."""
    plan = Plan(folders=dict(folders))
    catalog_ids = set()
    for pid, record in state.iter_staged("catalog", lang):
        catalog_ids.add(pid)
        plan.total += 1
        if record.get("unchanged"):
            plan.variants += as_int(record.get("variantCount"), 0)
            if pid in held or pid in removed:
                plan.held.append(pid)
            elif pid not in folders:
                plan.refetch.append(pid)
            else:
                plan.unchanged.append(pid)
            continue
        plan.variants += len(objects(record.get("variants")))
        kind = change_kind(pid, record, seen.get(pid), folders)
        if pid in held:
            plan.held.append(pid)
        elif kind == "deep":
            plan.deep.append(pid)
        elif kind == "shallow":
            plan.shallow.append(pid)
        else:
            plan.unchanged.append(pid)
    plan.deleted = sorted(pid for pid in folders if pid not in catalog_ids and pid not in held)
    plan.held += sorted(pid for pid in held if pid in folders and pid not in catalog_ids)
    return plan


def change_kind(pid: int, record: Mapping[str, Any], before: Seen | None, folders: Mapping[int, str]) -> str | None:
    if before is None or pid not in folders or not before.updated_at:
        return "deep"
    if before.updated_at != as_str(record.get("updatedAt")) or folders[pid] != assemble.folder_for(record):
        return "deep"
    if before.catalog_hash != assemble.catalog_hash(record):
        return "shallow"
    return None


def mirror_shape(languages: list[str], include_fields: tuple[str, ...], variant_metafields: bool) -> str:
    """What decides a product file's content besides the shop: languages and field choices."""
    return json.dumps([languages, sorted(include_fields), variant_metafields])


def product_folders(root: Path) -> dict[int, str]:
    """Product id → folder name, from the work tree (works in any clone).

    A link among them (or ``products/``, ``shop/`` being one) is refused before a sync writes
    anything, and so are two folders of one product id: a sync would write one and leave the other.
    """
    for top in safety.MIRRORED:
        safety.guard(root, root / top)
    base = root / layout.PRODUCTS_DIR
    out: dict[int, str] = {}
    if base.is_dir():
        for entry in sorted(os.scandir(base), key=lambda e: e.name):
            pid = layout.folder_product_id(entry.name)
            if entry.is_symlink():
                safety.guard(root, Path(entry.path))
            if pid is None or not entry.is_dir():
                continue
            if pid in out:
                first, second = sorted((out[pid], entry.name))
                raise MirrorError(
                    f"{layout.PRODUCTS_DIR}/{first} and {layout.PRODUCTS_DIR}/{second} both hold product {pid}; "
                    f"one product has one folder: remove the copy ('git rm -r {layout.PRODUCTS_DIR}/{second}'), "
                    "commit, and run the command again"
                )
            out[pid] = entry.name
    return out


def held_products(root: Path) -> tuple[set[int], frozenset[int]]:
    """Products with committed edits not yet pushed, which sync must not overwrite, and those of
    them whose folder was removed (see :func:`make_plan`).

    Those changed since the last record (sync, push, restore), plus those it held back (its
    ``Ecomgit-Held`` trailer), so an edit stays held across any number of syncs until pushed.
    """
    pending = pending_products(root)
    return {pid for pid, folder in pending.items() if folder is not None}, frozenset(
        pid for pid, folder in pending.items() if folder is None
    )


# -- which rows the deep reads need ----------------------------------------------------------------


@dataclass
class DeepScope:
    """What the deep reads must find, and the ``updated_at_min`` that still finds all of it.

    ``texts_since``: no deep product was updated before it (``None``: read the whole list), and
    ``texts_rows`` products were, by the catalog pass (what the filtered list returns).
    ``variant_products``: the deep products with a variant the mirror may not hold — any variant
    of a product the mirror holds no settled version of, else a variant updated after the
    product's ``updatedAt`` that the last sync saw (that sync, or the one before that first saw it,
    read the product's variants more than ``SETTLE_SECONDS`` after that moment, so a later edit
    has a later ``updatedAt``); ``variants_since`` and ``variants_rows`` as for texts.
    """

    texts_since: datetime | None = None
    texts_rows: int = 0
    variant_products: list[int] = field(default_factory=list)
    variants_since: datetime | None = None
    variants_rows: int = 0


def deep_scope(
    state: State, lang: str, deep: Collection[int], seen: Mapping[int, Seen], folders: Mapping[int, str]
) -> DeepScope:
    scope = DeepScope()
    product_times: list[datetime | None] = []
    variant_times: list[datetime | None] = []
    texts: list[datetime | None] = []
    needed: list[datetime | None] = []
    for pid, record in state.iter_staged("catalog", lang):
        updated = _time(record.get("updatedAt"))
        product_times.append(updated)
        if record.get("unchanged"):  # a stub: its newest variant stands for all (an upper bound)
            newest = _time(record.get("variantsUpdatedAt"))
            variant_times += [newest] * as_int(record.get("variantCount"), 0)
            continue
        times = [_time(v.get("updatedAt")) for v in objects(record.get("variants"))]
        variant_times += times
        if pid not in deep:
            continue
        texts.append(updated)
        mirrored = _mirrored_at(seen.get(pid)) if pid in folders else None
        wanted = [t for t in times if mirrored is None or t is None or t > mirrored]
        if wanted:
            scope.variant_products.append(pid)
            needed += wanted
    scope.texts_since, scope.texts_rows = _since(texts, product_times)
    scope.variants_since, scope.variants_rows = _since(needed, variant_times)
    return scope


def _time(value: Any) -> datetime | None:
    try:
        return parse_api_time(as_str(value))
    except ValueError:
        return None


def _mirrored_at(before: Seen | None) -> datetime | None:
    """The product's ``updatedAt`` as the last sync saw it, when the mirror holds that version."""
    return _time(before.updated_at) if before is not None and before.updated_at else None


def _since(wanted: list[datetime | None], everything: list[datetime | None]) -> tuple[datetime | None, int]:
    """The ``updated_at_min`` that finds every wanted row, and how many rows it finds."""
    if not wanted or any(t is None for t in wanted):
        return None, len(everything)
    since = min(t for t in wanted if t is not None) - UPDATED_AT_MARGIN
    return since, sum(1 for t in everything if t is None or t >= since)


def pages(rows: int, per_page: int = 250) -> int:
    """Requests a list of ``rows`` costs (an empty list still costs one)."""
    return max(1, math.ceil(rows / per_page))


# -- which metafields to re-read -------------------------------------------------------------------


@dataclass(frozen=True)
class Refresh:
    """The products whose metafields this sync re-reads besides the deep ones (oldest check first).

    ``credit`` is the part of a product the rotation owes, carried to the next sync; ``rate`` is
    products per second: every product is re-read within ``total / rate`` seconds (and one sync).
    """

    ids: list[int]
    credit: float
    rate: float


def refresh_rate(total: int, max_age_hours: float, share: float, daily_limit: int | None, cost: float = 1.0) -> float:
    """Products per second the rotation re-reads (``cost`` requests each: 1, or 1 + its variants
    when their metafields are mirrored too): all of them per ``max_age_hours``, but never more
    than ``share`` of the shop's daily request limit."""
    rate = total / (max_age_hours * 3600)
    if daily_limit:
        rate = min(rate, share * daily_limit / DAY / max(cost, 1.0))
    return rate


def plan_refresh(
    candidates: Iterable[int],
    checks: Mapping[int, MetafieldCheck],
    *,
    rate: float,
    credit: float,
    elapsed: float,
    affordable: int | None,
    cost: Callable[[int], int] = lambda pid: 1,
) -> Refresh:
    """Re-read ``rate`` products per second of ``elapsed`` (plus what earlier syncs owed, at most a
    day's worth), the ones checked longest ago first, costing (``cost``: requests per product) no
    more than ``affordable`` requests now."""
    credit = min(credit + rate * max(elapsed, 0.0), max(1.0, rate * DAY))
    take = math.floor(credit)
    oldest = sorted(candidates, key=lambda pid: (checks[pid].checked if pid in checks else 0.0, pid))
    chosen: list[int] = []
    spent = 0
    for pid in oldest[:take]:
        spent += cost(pid)
        if affordable is not None and spent > affordable:
            break
        chosen.append(pid)
    return Refresh(chosen, credit - len(chosen), rate)


def metafields_digest(rows: Sequence[Mapping[str, Any]]) -> str:
    """What a product's metafields are, as the mirror writes them (key, id, value)."""
    items = sorted(
        ((as_str(m.get("key")), as_int(m.get("id"), 0), as_str(m.get("value"))) for m in rows), key=lambda i: i[:2]
    )
    return hashlib.sha256(json.dumps(items, separators=(",", ":")).encode()).hexdigest()[:32]
