"""A variant's id is its stock, order history and Retail link: push and restore never delete one, or
take one over, unless that is what was asked.

- A new variant (``id: null``) is matched to a variant the shop has only through the journal of the
  creates ecomgit itself made; a variant someone else made with the same SKU is refused, not updated.
- Removing a variant from the file, or setting its ``id`` to ``null``, is planned as a delete (and a
  create) and written only with ``--allow-variant-delete``; swapped ids are refused.
- A variant someone makes with a new variant's code while push or restore waits at its prompt
  (between the plan and the write) refuses the product at the re-read before its first write.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.errors import EcomgitError
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo, writer
from ecomgit.sync.run import run_sync
from ecomgit.write.push import apply_push, plan_push
from ecomgit.write.restore import apply_restore, plan_restore
from tests.write.conftest import KUSTWEG, edit, push, quiet, restore
from tests.write.test_cli import fails, invoke, mirror  # noqa: F401 - the CLI fixture
from tests.write.test_interrupted import breaking_client

FIRST, SECOND = 118583391, 118583392  # KUSTWEG's variants AN-KW105-52 (default) and AN-KW105-55


def skus(app: EmulatorApp) -> list[str]:
    return [v.sku for v in app.shop.products[KUSTWEG].variants]


def new_variant(product: dict[str, Any]) -> None:
    extra = {**product["variants"][-1], "id": None, "isDefault": False, "sortOrder": 4}
    extra.update(sku="AN-KW105-61", articleCode="AN-KW105-61", ean="2024183390046")
    extra["title"] = {"nl": '"Framemaat: 61"', "en": '"Frame size: 61"'}
    product["variants"].append(extra)


def drop_second(product: dict[str, Any]) -> None:
    product["variants"] = [v for v in product["variants"] if v["id"] != SECOND]


def second_id_null(product: dict[str, Any]) -> None:
    next(v for v in product["variants"] if v["id"] == SECOND)["id"] = None


def swap_ids(product: dict[str, Any]) -> None:
    first = next(v for v in product["variants"] if v["id"] == FIRST)
    second = next(v for v in product["variants"] if v["id"] == SECOND)
    first["id"], second["id"] = SECOND, FIRST


def refusal(repo: Repo, client: ShopClient, **options: Any) -> tuple[str, list[str]]:
    with writer(repo, "push") as state:
        plan = plan_push(repo, client, state, progress=quiet, **options)
    [job] = plan.jobs
    assert job.refused is not None, job.change_lines()
    return job.refused, job.change_lines()


def test_a_variant_someone_made_with_our_new_sku_is_refused_not_taken_over(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    edit(synced, KUSTWEG, new_variant)
    # meanwhile someone adds a variant with that SKU in the back office
    made = client.post("variants", "variant", {"product": KUSTWEG, "sku": "AN-KW105-61", "title": "Theirs 61"})
    result = push(synced, client)
    [job] = result.plan.jobs
    assert job.refused and "the shop has a variant with SKU AN-KW105-61 that ecomgit did not create" in job.refused
    assert f"variant {made['id']}" in job.refused
    assert skus(app).count("AN-KW105-61") == 1
    theirs = next(v for v in app.shop.products[KUSTWEG].variants if v.sku == "AN-KW105-61")
    assert theirs.titles["nl"] == "Theirs 61"  # not overwritten with ours
    assert list(pending_products(synced.root)) == [KUSTWEG]  # kept pending


def test_two_variants_someone_made_with_our_new_sku_are_refused_too(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    edit(synced, KUSTWEG, new_variant)
    for title in ("Theirs 61", "Theirs 61 again"):
        client.post("variants", "variant", {"product": KUSTWEG, "sku": "AN-KW105-61", "title": title})
    refused, _ = refusal(synced, client)
    assert "the shop has a variant with SKU AN-KW105-61 that ecomgit did not create" in refused
    assert not push(synced, client).ok and skus(app).count("AN-KW105-61") == 2


def test_a_lost_answer_to_a_variant_create_is_found_through_the_journal(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    edit(synced, KUSTWEG, new_variant)
    posts_variant = lambda request: request.method == "POST" and request.url.path.endswith("/variants.json")  # noqa: E731
    with breaking_client(app, posts_variant, after=True) as flaky:
        assert not push(synced, flaky).ok  # the shop made the variant; its answer was lost
    assert skus(app).count("AN-KW105-61") == 1
    with writer(synced, "push") as state:
        [noted] = state.journaled(KUSTWEG, "variant")
    assert noted == {"ours": "0|AN-KW105-61|AN-KW105-61|2024183390046", "id": None}  # sent, never answered

    result = push(synced, client)
    assert result.ok, [(job.refused, job.error, job.mismatches) for job in result.plan.jobs]
    variants = app.shop.products[KUSTWEG].variants
    assert skus(app).count("AN-KW105-61") == 1
    assert next(v for v in variants if v.sku == "AN-KW105-61").titles["en"] == '"Frame size: 61"'
    with writer(synced, "push") as state:
        assert state.journaled(KUSTWEG, "variant") == []  # the commit records the variant now


@pytest.mark.parametrize(
    ("change", "lines"),
    [
        (drop_second, [f"delete variant {SECOND} (AN-KW105-55) and its stock"]),
        (
            second_id_null,
            [
                f"delete variant {SECOND} (AN-KW105-55) and its stock",
                "create variant (sku AN-KW105-55, articleCode AN-KW105-55, ean 2024183390022)",
            ],
        ),
    ],
)
def test_a_variant_delete_is_planned_as_such_and_needs_the_flag(
    synced: Repo, client: ShopClient, app: EmulatorApp, change: Any, lines: list[str]
) -> None:
    edit(synced, KUSTWEG, change)
    before = {v.id: v.sku for v in app.shop.products[KUSTWEG].variants}
    refused, planned = refusal(synced, client)
    assert f"delete variant {SECOND} (AN-KW105-55) and its stock" in refused and "--allow-variant-delete" in refused
    assert [line for line in planned if line.startswith(("delete", "create"))] == lines
    assert all(line in refused for line in lines)  # the refusal says all of what it would do
    result = push(synced, client)
    assert not result.ok and {v.id: v.sku for v in app.shop.products[KUSTWEG].variants} == before

    result = push(synced, client, allow_variant_delete=True)
    assert result.ok, [(j.refused, j.error, j.mismatches) for j in result.plan.jobs]
    after = {v.id: v.sku for v in app.shop.products[KUSTWEG].variants}
    assert SECOND not in after
    kept = [sku for sku in before.values() if change is second_id_null or sku != "AN-KW105-55"]
    assert sorted(after.values()) == sorted(kept)


def test_swapped_variant_ids_are_refused_even_with_the_flag(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    edit(synced, KUSTWEG, swap_ids)
    before = {v.id: (v.sku, v.stockLevel) for v in app.shop.products[KUSTWEG].variants}
    refused, _ = refusal(synced, client, allow_variant_delete=True)
    assert refused.startswith("variant ids swapped: SKU AN-KW105-52 was on variant 118583391, here it is on")
    assert not push(synced, client, allow_variant_delete=True).ok
    assert {v.id: (v.sku, v.stockLevel) for v in app.shop.products[KUSTWEG].variants} == before


def test_restore_that_would_delete_a_variant_needs_the_flag(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    synced_at = gitrepo.head(synced.root)
    client.post("variants", "variant", {"product": KUSTWEG, "sku": "AN-KW105-64", "title": "64"})
    run_sync(synced, client)  # the mirror records the shop's new variant
    with pytest.raises(EcomgitError, match=r"delete variant \d+ \(AN-KW105-64\) and its stock.*--allow-variant-delete"):
        restore(synced, client, str(KUSTWEG), rev=synced_at)
    assert "AN-KW105-64" in skus(app)
    assert restore(synced, client, str(KUSTWEG), rev=synced_at, allow_variant_delete=True).ok
    assert "AN-KW105-64" not in skus(app)


def test_the_cli_flag(mirror: Path, app: EmulatorApp) -> None:  # noqa: F811
    from ecomgit.shop import open_repo

    edit(open_repo(mirror), KUSTWEG, drop_second)
    refused = invoke("push", "--yes")
    assert refused.exit_code == 1 and "--allow-variant-delete" in refused.output
    assert SECOND in {v.id for v in app.shop.products[KUSTWEG].variants}
    done = invoke("push", "--yes", "--allow-variant-delete")
    assert done.exit_code == 0, done.output
    assert SECOND not in {v.id for v in app.shop.products[KUSTWEG].variants}
    assert "--allow-variant-delete" in invoke("restore", "--help").output


# -- a colleague's variant with our new variant's code, made between the plan and the write ---------


def colleagues_variant(client: ShopClient, sku: str) -> int:
    """A colleague adds a variant with ``sku`` to Kustweg in the back office."""
    made = client.post("variants", "variant", {"product": KUSTWEG, "sku": sku, "title": "Theirs"})
    return int(made["id"])


def test_a_variant_someone_made_at_the_push_prompt_with_our_new_sku_refuses_the_product(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    edit(synced, KUSTWEG, new_variant)
    with writer(synced, "push") as state:
        plan = plan_push(synced, client, state, progress=quiet)
        [job] = plan.jobs
        assert job.refused is None and "create variant (sku AN-KW105-61" in job.change_lines()[0]
        theirs = colleagues_variant(client, "an-kw105-61")  # while the prompt waits; the same SKU, case aside
        result = apply_push(synced, client, state, plan, progress=quiet)
    assert not result.ok and job.refused_at_write and not job.written
    assert job.refused is not None
    assert f"variant {theirs}" in job.refused and "SKU an-kw105-61" in job.refused and "after the plan" in job.refused
    assert [s.lower() for s in skus(app)].count("an-kw105-61") == 1  # theirs alone: no second variant
    assert list(pending_products(synced.root)) == [KUSTWEG]  # held back, for the next push


def test_a_variant_someone_made_at_the_restore_prompt_with_the_code_it_brings_back_refuses_it(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    synced_at = gitrepo.head(synced.root) or ""
    edit(synced, KUSTWEG, drop_second)
    assert push(synced, client, allow_variant_delete=True).ok
    head = gitrepo.head(synced.root)
    with writer(synced, "restore") as state:
        plan = plan_restore(synced, client, state, str(KUSTWEG), rev=synced_at, progress=quiet)
        assert any(line.startswith("create variant (sku AN-KW105-55") for line in plan.job.change_lines())
        theirs = colleagues_variant(client, "AN-KW105-55")
        result = apply_restore(synced, client, state, plan, progress=quiet)
    job = result.plan.job
    assert not result.ok and job.refused_at_write and not job.written
    assert job.refused is not None and f"variant {theirs}" in job.refused
    assert skus(app).count("AN-KW105-55") == 1
    assert result.commit is None and gitrepo.head(synced.root) == head
