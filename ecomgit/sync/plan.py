"""What a sync must do: compare the catalog pass with what the last committed sync saw.

A product is read *in depth* (texts in other languages, full variants, tag links, metafields)
when it is new, its ``updatedAt`` moved, it was edited around the time the last sync read it, or
its folder is not what the shop's slug says; it is rebuilt *shallowly* (from its catalog record
and its mirror file) when only what ``/catalog.json`` shows changed; it is *held* when it has
committed edits that are not pushed yet. Unchanged products are staged as stubs only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecomgit import gitrepo
from ecomgit.api.values import as_int, as_str, objects
from ecomgit.mirror import layout
from ecomgit.revisions import pending_products
from ecomgit.sync import assemble
from ecomgit.sync.fetch import Keyer, Row
from ecomgit.sync.state import Seen, State


@dataclass
class Plan:
    deep: list[int] = field(default_factory=list)
    shallow: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    held: list[int] = field(default_factory=list)  # edited here and not pushed: left as they are
    refetch: list[int] = field(default_factory=list)  # staged as unchanged, but their folder is gone
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
    if state.get_meta("sync_commit") != (gitrepo.last_record_commit(root) or ""):
        return {}
    return state.seen()


def catalog_keyer(seen: Mapping[int, Seen]) -> Keyer:
    """Stage catalog rows; a product exactly as last seen is staged as a small stub."""

    def key(row: Row) -> tuple[int, int | None, Any]:
        pid = as_int(row.get("id"), 0)
        before = seen.get(pid)
        updated = as_str(row.get("updatedAt"))
        if before and before.updated_at == updated and before.catalog_hash == assemble.catalog_hash(row):
            stub = {
                "id": pid,
                "updatedAt": updated,
                "unchanged": True,
                "variantCount": len(objects(row.get("variants"))),
            }
            return pid, None, stub
        return pid, None, row

    return key


def make_plan(state: State, lang: str, seen: Mapping[int, Seen], folders: Mapping[int, str], held: set[int]) -> Plan:
    plan = Plan(folders=dict(folders))
    catalog_ids = set()
    for pid, record in state.iter_staged("catalog", lang):
        catalog_ids.add(pid)
        plan.total += 1
        if record.get("unchanged"):
            plan.variants += as_int(record.get("variantCount"), 0)
            if pid in held:
                plan.held.append(pid)
            elif pid not in folders:
                plan.refetch.append(pid)
            continue
        plan.variants += len(objects(record.get("variants")))
        kind = change_kind(pid, record, seen.get(pid), folders)
        if pid in held:
            plan.held.append(pid)
        elif kind == "deep":
            plan.deep.append(pid)
        elif kind == "shallow":
            plan.shallow.append(pid)
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
    """Product id → folder name, from the work tree (works in any clone)."""
    base = root / layout.PRODUCTS_DIR
    out: dict[int, str] = {}
    if base.is_dir():
        for entry in base.iterdir():
            pid = layout.folder_product_id(entry.name)
            if pid is not None and entry.is_dir():
                out[pid] = entry.name
    return out


def held_products(root: Path) -> set[int]:
    """Products with committed edits not yet pushed: sync must not overwrite them.

    Those changed since the last record (sync, push, restore), plus those it held back (its
    ``Ecomgit-Held`` trailer), so an edit stays held across any number of syncs until pushed.
    """
    return set(pending_products(root))
