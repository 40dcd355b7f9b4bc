"""The live products that hold a product's codes: whom a product made anew would share its SKUs with.

Before a write makes a product, it asks which products in the shop now hold any of its SKUs,
article codes or EANs (case aside, :func:`ecomgit.mirror.duplicates.same_code`). The candidates
are the ones ``ecomgit lost`` names (mirrored products holding the codes, from the mirror alone:
:func:`ecomgit.lost.successors`) and the products the shop made since the mirror's newest one (a
matrix Retail has just made, a product another clone's restore made), which the mirror cannot
know yet. Each candidate is read live and counts only when it holds one of the codes now.

The cost: one request for the list of new products (usually empty), one per candidate.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from ecomgit.api import ShopClient
from ecomgit.api.values import as_int, as_str, objects
from ecomgit.lost import Successor, by_codes_held, shared_codes, successors
from ecomgit.mirror import layout
from ecomgit.revisions import product_folder_names
from ecomgit.text import one_line
from ecomgit.write.live import LiveReader
from ecomgit.write.sides import CODES


def live_holders(root: Path, reader: LiveReader, codes: Sequence[str]) -> list[Successor]:
    """The live products holding any of ``codes``, most shared codes first."""
    if not codes:
        return []
    candidates = {s.pid for s in successors(root, list(codes), reader.default)}
    candidates.update(made_since_mirror(root, reader.client))
    found = []
    for pid in sorted(candidates):
        live = reader.read(pid, ())
        if live is None:
            continue
        held = [as_str(v.get(name)).strip() for v in objects(live.record.get("variants")) for name in CODES]
        shared = shared_codes(codes, [code for code in held if code])
        if shared:
            found.append(Successor(pid, one_line(as_str(live.record.get("title"))), shared))
    return by_codes_held(found)


def newest_mirrored(root: Path) -> int:
    """The highest product id among the mirror's folders (0 for an empty mirror)."""
    return max((pid for pid in map(layout.folder_product_id, product_folder_names(root, None)) if pid), default=0)


def made_since_mirror(root: Path, client: ShopClient) -> Iterator[int]:
    """The ids of the products the shop made after the mirror's newest one."""
    rows = client.iter_list("products", "products", {"since_id": newest_mirrored(root), "fields": "id"})
    for row in rows:
        pid = as_int(row.get("id"), 0)
        if pid:
            yield pid


def refusal(pid: int, title: str, holders: Sequence[Successor], again: str) -> str:
    """Why ``pid`` is not made again while ``holders`` hold its codes, and the commands that go on
    (``again``: the options that chose the revision, e.g. `` --rev HEAD``)."""
    named = "; ".join(f"product {h.pid} '{h.title}' holds {', '.join(h.codes)}" for h in holders)
    return (
        f"product {pid} ({title}) was not restored (nothing was written): restored as a new product it would "
        f"share its codes with live products ({named}). Such a product is its successor (e.g. Retail moved its "
        f"variants into a matrix; 'ecomgit lost' names it too): restore onto it with 'ecomgit restore {pid}{again} "
        f"--onto {holders[0].pid}'. To make a new product anyway, whose codes the shop then holds twice, run "
        "again with --create"
    )


def warning(holders: Sequence[Successor]) -> str:
    named = "; ".join(f"product {h.pid} '{h.title}' ({', '.join(h.codes)})" for h in holders)
    return f"--create: the new product holds codes the shop already has, so it will hold them twice: {named}"
