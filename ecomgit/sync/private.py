"""Fields the mirror leaves out never reach the sync state either.

``.git/ecomgit/sync.db`` is not committed, but it travels: the generated workflows keep it in
GitHub's cache, which any workflow of the repository can restore (a pull request's too). So the
rows a sync stages there are stripped, before staging, of what the repository's readers must not
see: purchase cost (``priceCost``) unless the config includes it, and stock levels and sales
(never mirrored). Nested objects are stripped too (a catalog row embeds its variants).

A state written before this rule, or under a config that mirrored a field it now leaves out, may
still hold such values, in staged rows or in the free pages that deleted rows leave behind:
:func:`forget_older` then drops the unfinished run (it starts over, at the cost of its requests)
and rewrites the database file without free pages.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from typing import Any

from ecomgit.mirror import schema
from ecomgit.sync.state import State

NEVER = frozenset({"stockLevel", "stockSold"})  # change with every sale; no team reviews them
_META = "stripped_fields"

Strip = Callable[[Any], Any]


def left_out(include_fields: Collection[str]) -> frozenset[str]:
    """The fields stripped from what is staged, for a mirror that includes ``include_fields``."""
    optional = {name for name in schema.OPTIONAL_VARIANT_FIELDS if name not in include_fields}
    return NEVER | optional


def stripper(fields: frozenset[str]) -> Strip:
    """A function that returns a row without ``fields``, at any depth."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in fields}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip


def forget_older(state: State, fields: frozenset[str]) -> None:
    """Purge what the state may hold of ``fields`` from before they were stripped."""
    recorded = state.get_meta(_META)
    if recorded is not None and fields <= set(json.loads(recorded)):
        return
    state.clear_run()
    state.db.execute("VACUUM")  # deleted rows' bytes stay in free pages until the file is rewritten
    state.set_meta(_META, json.dumps(sorted(fields)))
