"""What a write may not do to variants unless asked: delete one (and its stock), or take another's id.

A variant's id is what the shop hangs its stock, order history and Retail link on. So a variant
removed from the file, or whose ``id`` was set to ``null`` (a delete, then a create), is planned and
shown as what it is and written only with ``--allow-variant-delete``. Ids swapped between variants
(a code that was on variant A is now on variant B) are refused even then: written as they stand they
would move each variant's stock under the other's SKU, which no one means; the way to re-make a
variant on purpose is ``id: null`` plus the flag.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ecomgit.api.values import as_str
from ecomgit.write.fields import MISSING
from ecomgit.write.job import Job
from ecomgit.write.sides import CODES

FLAG = "--allow-variant-delete"
CODE_NAMES = {"sku": "SKU", "articleCode": "article code", "ean": "EAN"}


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
        what = "; ".join(f"delete {job.describe_variant(key)} and its stock" for key in deleted)
        return f"it would {what}. Run again with {FLAG} if that is what you want"
    return None


def swapped_ids(base: Mapping[str, Any], ours: Mapping[str, Any]) -> list[str]:
    """Codes that moved from one existing variant id to another: ``"SKU X: variant A → B"``."""
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
