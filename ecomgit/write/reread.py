"""Read again, immediately before a product's first write, what that write is about to overwrite
or duplicate.

The plan read the live product, but a person may edit it in the back office while the
confirmation prompt waits, or while a long push writes the products before it. The eCom API has
no conditional writes (no ETag, no If-Match, no version to send with a PUT), so the only guard
is to read once more, just before writing, the parts that hold the fields the write will set,
and to refuse the product when any of those fields no longer holds what the plan saw: a
conflict like one the plan finds, and nothing of that product is written. A variant the write
creates overwrites nothing, but its SKU, article code or EAN must still be free: a variant someone
made since the plan (or gave that code since) refuses the product too, or the shop would hold two
variants with one code (:func:`taken_codes`).

The re-read costs one read of those parts per product written (the catalog record plus each
part). No request is made between its answers and the product's first write: what remains is
the time the client takes to compare (measured in ``benchmarks/bench_reread_window.py``). A push
of many products whose writes send product fields only asks one list per batch instead, and re-reads
only the products it names (:mod:`ecomgit.write.recheck`, with the wider window that costs).

A product is written in groups, in a fixed order (its texts per language, variants, images,
categories, tags, metafields, relations: :func:`group_of`). Each group after the first is read
again just before its own first write, so a colleague's edit that lands while the earlier groups
are written is found too: the product's write stops there (:class:`Moved`), what was written stays
(the shop has our values there), nothing after it is written, and the product is held back with
the conflict. Each further group costs one more read.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ecomgit.api.values import as_int, as_str, objects
from ecomgit.mirror import schema
from ecomgit.mirror.duplicates import same_code
from ecomgit.write.fields import MISSING, Conflict, Path
from ecomgit.write.live import Live, LiveReader, parts_for
from ecomgit.write.sides import CODE_NAMES, CODES, shared_code

Flatten = Callable[[Live], dict[Path, Any]]  # a live product → its field paths

REFUSAL = (
    "the shop changed field(s) this write would overwrite after the plan read them; nothing of this "
    "product was written (run 'ecomgit sync' to see the shop's edit, then write again)"
)


def reread(reader: LiveReader, planned: Live, changes: Mapping[Path, Any]) -> Live:
    """A copy of ``planned`` with the catalog record and the parts holding ``changes`` read again.

    Only parts the plan read are read again; the others stay as the plan had them, so comparing
    the two sides shows the shop's edits since the plan and nothing else."""
    fresh = copy.deepcopy(planned)
    reader.refresh(fresh, parts_for(list(changes), reader.languages) & planned.read)
    return fresh


def moved(planned: Mapping[Path, Any], fresh: Mapping[Path, Any], changes: Mapping[Path, Any]) -> list[Conflict]:
    """The paths to be written whose live value changed since the plan: (what the plan saw, ours, now)."""
    return [
        Conflict(path, planned.get(path, MISSING), ours, fresh.get(path, MISSING))
        for path, ours in changes.items()
        if fresh.get(path, MISSING) != planned.get(path, MISSING)
    ]


def group_of(path: Path, default: str) -> str:
    """The write group that sends ``path`` (the order of ``ecomgit.write.apply.Applier.run``)."""
    head = path[0]
    if head in schema.PRODUCT_TEXTS and len(path) == 2:
        return f"product:{path[1]}"
    if head == "variants":
        return "vmetafields" if path[2:3] == ("metafields",) else "variants"
    if head in (
        "images",
        "categories",
        "tags",
        "filters",
        "attributes",
        "quantityDiscounts",
        "metafields",
        "relations",
    ):
        return str(head)
    return f"product:{default}"  # visibility, data01-03, brand, supplier, delivery date


class Moved(Exception):
    """The shop changed fields of a group after the product's write began: stop writing it."""

    def __init__(self, group: str, conflicts: list[Conflict]) -> None:
        super().__init__(group)
        self.group = group
        self.conflicts = conflicts


def taken_codes(planned: Live, fresh: Live, created: Iterable[Mapping[str, Any]]) -> list[str]:
    """Why each variant the write creates (``created``) cannot be made now: a live variant holds one
    of its codes that it did not hold when the plan read the product (a variant made at the prompt,
    or a code given to one). A code a variant held at the plan (one the write deletes, say) is the
    plan's business, not news."""
    before = {as_int(v.get("id"), 0): _codes(v) for v in objects(planned.record.get("variants"))}
    out = []
    for ours in created:
        for theirs in objects(fresh.record.get("variants")):
            name = shared_code(ours, theirs)
            vid = as_int(theirs.get("id"), 0)
            if name is not None and (name, same_code(as_str(theirs.get(name)).strip())) not in before.get(vid, set()):
                out.append(_taken(name, as_str(theirs.get(name)).strip(), vid))
                break
    return out


def _codes(variant: Mapping[str, Any]) -> set[tuple[str, str]]:
    return {(name, same_code(as_str(variant.get(name)).strip())) for name in CODES}


def _taken(name: str, code: str, vid: int) -> str:
    label = CODE_NAMES[name]
    return (
        f"the shop got a variant with {label} {code} after the plan read the product (variant {vid}, made or "
        f"changed by someone else while this waited); creating ours would make two variants with one {label}, so "
        f"nothing of this product was written. Run 'ecomgit sync' to see it; then, to update it, give yours "
        f"'id: {vid}'; to add yours beside it, give it another {label}"
    )
