"""Customer reviews in a restore: the customers' words, never edited; re-posted only when asked
(``restore … --fields reviews``), and then the shop dates them today (the API takes no date)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ecomgit.api import ShopClient
from ecomgit.api.values import as_str
from ecomgit.mirror import layout, safety
from ecomgit.revisions import Version
from ecomgit.sync.assemble import review_entries
from ecomgit.sync.engine import write_reviews

FIELD = "reviews"  # the --fields name that asks for them


def planned(
    version: Version, client: ShopClient, target: int | None, fields: Sequence[str]
) -> tuple[list[dict[str, Any]], list[str]]:
    """The revision's reviews to post (those the target has not got: same name and words), and what
    to tell the user."""
    ours = version.reviews()
    if not ours:
        return [], []
    if FIELD not in fields:
        return [], [
            f"{len(ours)} customer review(s) in this revision are not re-posted: they are customers' words "
            f"('--fields {FIELD}' posts them again, dated today by the shop)"
        ]
    live = [] if target is None else list(client.iter_list("reviews", "reviews", {"product": target}))
    have = {(as_str(r.get("name")), as_str(r.get("content"))) for r in live}
    todo = [r for r in ours if (as_str(r.get("name")), as_str(r.get("content"))) not in have]
    if not todo:
        return [], [f"the shop has this revision's {len(ours)} customer review(s) already"]
    first = min(as_str(r.get("date")) for r in todo)[:10]
    return todo, [f"{len(todo)} customer review(s) are posted again: the shop dates them today (the first was {first})"]


def post(client: ShopClient, target: int, reviews: Sequence[Mapping[str, Any]]) -> int:
    """Post ``reviews`` to product ``target``, each in its own language; how many were posted."""
    for review in reviews:
        body = {
            "product": target,
            "score": review.get("score"),
            "name": as_str(review.get("name")),
            "content": as_str(review.get("content")),
            "isVisible": review.get("visible") is not False,
        }
        client.post("reviews", "review", body, lang=as_str(review.get("language")) or None)
    return len(reviews)


def record(root: Path, folder: str, client: ShopClient, target: int) -> None:
    """Write the target's reviews.yaml as the shop now holds it (the restore's record)."""
    rows = list(client.iter_list("reviews", "reviews", {"product": target}))
    write_reviews(safety.guard_tree(root, layout.product_dir(root, folder)), review_entries(rows))
