"""``ecomgit sync --quick``: what changed since the last sync, without reading the whole catalog
(issue 17 item 2).

A full sync reads every ``/catalog.json`` page (41 for 10 000 products) to find what changed. A
quick one asks the shop instead:

- ``/products.json?fields=id,updatedAt&updated_at_min=S`` and ``/variants.json?fields=id,product,
  updatedAt&updated_at_min=S``, where ``S`` is the start of the last sync minus 13 hours (the
  API does not say in which time zone it reads the filter: ``ecomgit.sync.plan.UPDATED_AT_MARGIN``);
  a product listed with another ``updatedAt`` than the last sync saw, or with a variant stamped after
  it, is read whole (its catalog record), as a full sync reads a changed one;
- ``/products/count.json``: when the shop holds another number of products than the mirror plus
  the new ones listed, the id list (``/products.json?fields=id``) names the deleted ones.

The quantity discounts and reviews are read as in a full sync (whole lists, a page each in most
shops: a product's record holds them). Every other product is taken as the last sync saw it. What
does not move a product's or a variant's ``updatedAt`` (whether an image, a category link or a tag
does is not documented; a discount or review of an unchanged product), and the shop's categories,
tags and brands are left to the full sync, which the generated workflow runs every few hours; the
metafield rotation runs in both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ecomgit.api import ShopClient
from ecomgit.api.values import as_int, as_str, format_api_time, link_id, parse_api_time
from ecomgit.sync.plan import UPDATED_AT_MARGIN
from ecomgit.sync.state import Seen

PAGE = 250


@dataclass
class Scan:
    """What a quick sync found: the products to read whole, and those the shop no longer has."""

    since: datetime
    changed: list[int] = field(default_factory=list)  # new, or changed since the last sync saw them
    deleted: list[int] = field(default_factory=list)
    listed: int = 0  # rows the two filtered lists returned
    ids_read: bool = False  # the id list was read (the count differed)
    touched: bool = False  # the products were named (by webhooks: ecomgit watch), not asked for


def scan(client: ShopClient, lang: str, seen: Mapping[int, Seen], last_started: datetime) -> Scan:
    """Ask the shop what changed since ``last_started`` (the start of the last committed sync)."""
    since = last_started - UPDATED_AT_MARGIN
    found = Scan(since)
    filtered = {"updated_at_min": format_api_time(since)}
    changed: set[int] = set()
    new: set[int] = set()
    for row in client.iter_list("products", "products", {**filtered, "fields": "id,updatedAt"}, lang=lang, limit=PAGE):
        found.listed += 1
        pid = as_int(row.get("id"), 0)
        before = seen.get(pid)
        if before is None:
            new.add(pid)
        elif not before.updated_at or before.updated_at != as_str(row.get("updatedAt")):
            changed.add(pid)
    params = {**filtered, "fields": "id,product,updatedAt"}
    for row in client.iter_list("variants", "variants", params, lang=lang, limit=PAGE):
        found.listed += 1
        owner = link_id(row.get("product"))
        if owner is None or owner in changed or owner in new:
            continue
        before = seen.get(owner)
        if before is None or _after(as_str(row.get("updatedAt")), before.updated_at):
            changed.add(owner)  # a variant edited after the product as last seen (it may not move the product)
    changed |= {pid for pid, before in seen.items() if not before.updated_at}  # edited while the last sync read it
    if client.count("products", lang=lang) != len(seen) + len(new):
        found.ids_read = True
        ids = {as_int(r.get("id"), 0) for r in client.iter_list("products", "products", {"fields": "id"}, lang=lang)}
        found.deleted = sorted(pid for pid in seen if pid not in ids)
        new |= ids - set(seen)
    found.changed = sorted((changed | new) - set(found.deleted))
    return found


def _after(stamp: str, than: str) -> bool:
    """Whether ``stamp`` is later than ``than`` (an unreadable one counts as later: read it)."""
    try:
        return parse_api_time(stamp) > parse_api_time(than)
    except ValueError:
        return True


def stub(pid: int, before: Seen) -> dict[str, Any]:
    """A product the shop did not change, staged as the catalog pass stages an unchanged one."""
    return {"id": pid, "updatedAt": before.updated_at, "unchanged": True, "variantCount": 0, "variantsUpdatedAt": ""}


def describe(found: Scan) -> str:
    """What a quick sync asked, in words (its summary's first line)."""
    if found.touched:
        return f"Sync of {len(found.changed)} product(s) the shop's webhooks named"
    deleted = "; the id list, as the product count changed" if found.ids_read else ""
    return (
        f"Quick sync: the products and variants changed since {found.since:%Y-%m-%d %H:%M} UTC "
        f"(the last sync's start, less 13 h for the API's time zone): {found.listed} listed, "
        f"{len(found.changed)} to read{deleted}"
    )


def to_json(found: Scan) -> dict[str, Any]:
    return {
        "since": found.since.isoformat(),
        "changed": found.changed,
        "deleted": found.deleted,
        "listed": found.listed,
        "idsRead": found.ids_read,
        "touched": found.touched,
    }


def from_json(data: Mapping[str, Any]) -> Scan:
    return Scan(
        datetime.fromisoformat(str(data["since"])),
        [int(pid) for pid in data["changed"]],
        [int(pid) for pid in data["deleted"]],
        int(data["listed"]),
        bool(data["idsRead"]),
        bool(data.get("touched")),
    )
