"""What a write may not do unless asked: delete a variant (and its stock), take another variant's
id, or empty the texts of, or remove images, variants, links, metafields or relations from, many
products at once.

A variant's id is what the shop hangs its stock, order history and Retail link on. So a variant
removed from the file, or whose ``id`` was set to ``null`` (a delete, then a create), is planned and
shown as what it is and written only with ``--allow-variant-delete``. Ids swapped between variants
(a code that was on variant A is now on variant B) are refused even then: written as they stand they
would move each variant's stock under the other's SKU, which no one means; the way to re-make a
variant on purpose is ``id: null`` plus the flag.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from ecomgit.api.values import as_str, link_id
from ecomgit.mirror.schema import PRODUCT_TEXTS
from ecomgit.write.fields import MISSING
from ecomgit.write.job import Job
from ecomgit.write.sides import CODE_NAMES, CODES

FLAG = "--allow-variant-delete"


def deleted_variants(job: Job) -> list[Any]:
    """The keys of the variants the job's decision deletes in the shop."""
    return [
        path[1]
        for path, value in job.decision.changes.items()
        if path[0] == "variants" and len(path) == 2 and value is MISSING
    ]


def variant_refusal(job: Job, base: Mapping[str, Any] | None, *, allow_delete: bool) -> str | None:
    """Why the job may not be written as planned (None: it may). ``base``: the version the ids of
    ours were edited from (push); None where no one edited ids (restore)."""
    if base is not None:
        swapped = swapped_ids(base, job.ours.version.product)
        if swapped:
            return (
                f"variant ids swapped: {'; '.join(swapped)}. Written as it stands, each variant would keep its "
                "stock under the other's code. Give each variant back its own id, or set 'id: null' on the "
                f"variant to make anew and push with {FLAG}"
            )
    deleted = deleted_variants(job)
    if deleted and not allow_delete:
        what = "; ".join(line for line in job.change_lines() if line.startswith(("delete variant", "create variant")))
        return f"it would {what}. Run again with {FLAG} if that is what you want"
    return None


def swapped_ids(base: Mapping[str, Any], ours: Mapping[str, Any]) -> list[str]:
    """Codes that moved from one existing variant id to another (a swap, or one code moved onto
    another variant that was already there), in words."""
    base_ids = {v.get("id") for v in _variants(base)}
    out = []
    for name in CODES:
        before, now = _by_code(base, name), _by_code(ours, name)
        for code, vid in now.items():
            was = before.get(code)
            if was is not None and was != vid and vid in base_ids:
                out.append(f"{CODE_NAMES[name]} {code} was on variant {was}, here it is on variant {vid}")
        if out:
            return out
    return out


def _by_code(product: Mapping[str, Any], name: str) -> dict[str, int]:
    """Code → variant id, for the codes exactly one variant with an id holds."""
    seen: dict[str, list[int]] = {}
    for variant in _variants(product):
        code = as_str(variant.get(name)).strip()
        if code and isinstance(variant.get("id"), int):
            seen.setdefault(code, []).append(variant["id"])
    return {code: ids[0] for code, ids in seen.items() if len(ids) == 1}


def _variants(product: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [v for v in product.get("variants") or [] if isinstance(v, Mapping)]


# -- many products losing things at once ---------------------------------------------------------

MASS_CHANGE_MIN = 10  # more products than this losing one kind of thing needs the flag, whatever else is pushed
KINDS = ("texts", "images", "variants", "categories", "tags", "metafields", "relations")
KIND_WORDS = {"texts": "text"}  # "remove text from 12 products"
NAMED = 20  # product ids listed per kind


def removals(job: Job) -> set[str]:
    """What kinds of thing the job's write removes from its product (a text emptied, an image, a
    variant, a link…)."""
    out: set[str] = set()
    live = job.live
    for path, value in job.decision.changes.items():
        head = path[0]
        if head == "images":
            if Counter(i for i in job.live_idents) - Counter(value if isinstance(value, tuple) else ()):
                out.add("images")
        elif head == "relations" and live is not None:
            related = {link_id(row.get("relatedProduct")) for row in live.relations()}
            if related - set(value if isinstance(value, tuple) else ()):
                out.add("relations")
        elif _wipes_text(path, value):
            out.add("texts")  # a change to an empty text: the shop's text there is not empty
        elif value is MISSING and head == "variants" and len(path) == 2:
            out.add("variants")
        elif value is MISSING and head == "variants" and path[2:3] == ("metafields",):
            out.add("metafields")  # a variant's metafield
        elif value is MISSING and head in ("categories", "tags", "metafields"):
            out.add(head)
    return out


def _wipes_text(path: tuple[Any, ...], value: Any) -> bool:
    translatable = (len(path) == 2 and path[0] in PRODUCT_TEXTS) or (
        len(path) == 4 and path[0] == "variants" and path[2] == "title"
    )
    return translatable and (value is MISSING or (isinstance(value, str) and not value.strip()))


def mass_change(jobs: Sequence[Job], pending: int) -> str | None:
    """Why a write that removes things from many products at once stops before its first request
    (None: it may go on). A bad merge or a script gone wrong must not empty the shop's products the
    way sync's ``--allow-mass-delete`` keeps a glitch from emptying the mirror.

    Counted per kind and as an absolute number: a commit that also touches every other product
    cannot dilute twenty stripped products into an acceptable share."""
    by_kind: dict[str, list[int]] = {}
    losing = 0
    for job in jobs:
        kinds = removals(job)
        losing += bool(kinds)
        for kind in kinds:
            by_kind.setdefault(kind, []).append(job.source)
    over = [kind for kind in KINDS if len(by_kind.get(kind, ())) > MASS_CHANGE_MIN]
    if not over:
        return None
    counts = ", ".join(
        f"{KIND_WORDS.get(kind, kind)} from {len(by_kind[kind])} products" for kind in KINDS if kind in by_kind
    )
    named = "; ".join(f"{KIND_WORDS.get(kind, kind)}: {_ids(by_kind[kind])}" for kind in over)
    return (
        f"this would remove {counts} ({losing} of the {pending} pending products lose something; {named}); "
        "nothing was written. Run again with --allow-mass-change if that is what you want"
    )


def _ids(pids: Sequence[int]) -> str:
    shown = ", ".join(str(pid) for pid in sorted(pids)[:NAMED])
    return shown + (f" and {len(pids) - NAMED} more" if len(pids) > NAMED else "")
