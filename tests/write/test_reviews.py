"""Customer reviews (issue 14 item 8): a record in the product folder (``reviews.yaml``), read from
one shop-wide list each sync, validated and shown in words; never edited, and re-posted by restore
only with ``--fields reviews``, which says the shop dates them today."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.check import check
from ecomgit.emulator import EmulatorApp, retail
from ecomgit.emulator.model import Review
from ecomgit.mirror import files, layout
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from tests.write.conftest import folder_of, restore
from tests.write.test_cli import invoke, mirror  # noqa: F401 - the CLI fixture

GRAVEL = 72418301  # three reviews, one hidden
SPAM = 4083013


def mirrored(repo: Repo, pid: int) -> list[tuple[Any, ...]]:
    path = folder_of(repo, pid) / layout.REVIEWS_FILE
    rows = files.read_list(path) if path.is_file() else []
    return [(r["score"], r["name"], r["language"], r["visible"], r["content"]) for r in rows]


def in_shop(app: EmulatorApp, pid: int) -> list[tuple[Any, ...]]:
    rows = sorted((r for r in app.shop.reviews.values() if r.product_id == pid), key=lambda r: r.id)
    return [(r.score, r.name, r.language, r.is_visible, r.content) for r in rows]


def test_the_mirror_holds_them_and_a_new_review_costs_no_request_more(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    assert len(mirrored(synced, GRAVEL)) == 3 and mirrored(synced, GRAVEL) == in_shop(app, GRAVEL)
    for pid in app.shop.products:
        assert mirrored(synced, pid) == in_shop(app, pid), pid
    before = app.stats.requests
    assert run_sync(synced, client).commit is None
    no_op = app.stats.requests - before
    now = app.shop.now()  # a customer writes one; the product's updatedAt does not move
    app.shop.reviews[990001] = Review(990001, now, now, GRAVEL, 5, "Sanne", "Top!", "nl")
    before = app.stats.requests
    summary = run_sync(synced, client)
    assert summary.commit is not None and (5, "Sanne", "nl", True, "Top!") in mirrored(synced, GRAVEL)
    assert app.stats.requests - before == no_op  # the shop-wide list is read by every sync anyway
    assert any("reviews" in change.fields for change in summary.changes)


def test_diff_says_a_hidden_review_in_words(mirror: Path, app: EmulatorApp) -> None:  # noqa: F811
    app.shop.reviews[SPAM].is_visible = False
    app.shop.reviews[4083012].is_visible = False  # hidden by the merchant in the back office
    assert invoke("sync").exit_code == 0
    shown = invoke("diff", "HEAD~1").output
    assert "review 4083012 (Tom B., 4/5) visible: true → false" in shown, shown


def test_check_names_a_score_out_of_range_with_its_line(synced: Repo) -> None:
    path = folder_of(synced, GRAVEL) / layout.REVIEWS_FILE
    path.write_text(path.read_text().replace("score: 5", "score: 7", 1))
    problems = [str(p) for p in check(synced.root, [], synced.config)[1]]
    assert any("reviews.yaml:3:" in p and "7 is not a score" in p for p in problems), problems


def test_restore_posts_them_only_when_asked_and_says_the_shop_dates_them_today(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    wanted = in_shop(app, GRAVEL)
    retail.delete_from_ecom(app.shop, GRAVEL)
    run_sync(synced, client)
    result = restore(synced, client, str(GRAVEL))
    assert result.ok and any("3 customer review(s)" in w and "not re-posted" in w for w in result.plan.warnings)
    made = result.plan.job.target
    assert made is not None and in_shop(app, made) == []  # customers' words: not without asking

    again = restore(synced, client, str(GRAVEL), fields=["reviews"])
    assert again.ok and again.plan.job.target == made and again.reviews == 3
    assert any("dates them today" in w for w in again.plan.warnings), again.plan.warnings
    assert in_shop(app, made) == wanted == mirrored(synced, made)  # the record holds them
    message = gitrepo.run(synced.root, "log", "-1", "--format=%B")
    assert "3 customer review(s) posted again (dated today by the shop)" in message
    assert run_sync(synced, client).commit is None
    twice = restore(synced, client, str(GRAVEL), fields=["reviews"])  # nothing posted twice
    assert twice.reviews == 0 and len(in_shop(app, made)) == 3


def test_fields_reviews_is_a_field_name_the_cli_knows(mirror: Path) -> None:  # noqa: F811
    wrong = invoke("restore", str(GRAVEL), "--fields", "reveiws", "--dry-run")
    assert wrong.exit_code == 2 and "did you mean 'reviews'" in wrong.output, wrong.output


def test_a_key_that_may_not_read_reviews_or_tiers_syncs_the_rest_and_says_so(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    """Merchants give a key the permissions they think of: one without reviews or quantity
    discounts still mirrors everything else; the mirror's reviews and tiers stand, the sync says why."""
    app.unreadable.update({"reviews", "quantity_discounts"})
    before = mirrored(synced, GRAVEL)
    app.shop.products[GRAVEL].texts["en"]["description"] = "Changed in the back office."
    app.shop.touch_product(app.shop.products[GRAVEL])
    summary = run_sync(synced, client)
    assert summary.commit is not None and [c.product_id for c in summary.changes] == [GRAVEL]
    assert files.read_product(folder_of(synced, GRAVEL) / layout.PRODUCT_FILE)["quantityDiscounts"]  # kept
    assert mirrored(synced, GRAVEL) == before  # the reviews.yaml kept
    assert any("may not read the shop's customer reviews" in w for w in summary.warnings), summary.warnings
    assert any("quantity discounts" in w for w in summary.warnings)
    app.unreadable.clear()
    assert run_sync(synced, client).commit is None  # once it may, nothing had changed
