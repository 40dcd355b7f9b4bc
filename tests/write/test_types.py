"""A product's type and its attribute values, the "specifications" (issue 14 item 1): the values
come with the catalog, the type with the texts of the second language (or a read of its own in a
one-language shop); shown in words, validated, pushed (type first, then the values) and brought
back by restore, made anew and onto Retail's successor."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.check import check
from ecomgit.emulator import EmulatorApp
from ecomgit.mirror import files, layout
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo, open_repo
from ecomgit.sync import assemble
from ecomgit.sync.engine import PRODUCT_TYPES
from ecomgit.sync.run import run_sync
from tests.write.conftest import (
    as_an_older_version_wrote_it,
    edit,
    folder_of,
    published_again,
    push,
    restore,
    restored_anew,
)
from tests.write.test_cli import invoke, mirror  # noqa: F401 - the CLI fixture
from tests.write.test_pending_history import LAMP

GRAVEL = 72418301  # a bike: type Fietsen, four attribute values
BIKES, CLOTHES = 7301, 7302
FRAME, WEIGHT = 7401, 7404


def mirrored(repo: Repo, pid: int) -> tuple[int | None, dict[int, str]]:
    product = files.read_product(folder_of(repo, pid) / layout.PRODUCT_FILE)
    kind = product["type"]
    return (kind["id"] if kind else None), {a["id"]: a["value"] for a in product["attributes"]}


def in_shop(app: EmulatorApp, pid: int) -> tuple[int | None, dict[int, str]]:
    product = app.shop.products[pid]
    return product.type_id, {a.id: product.attribute_values.get(a.id, "") for a in app.shop.type_attributes(product)}


def test_the_mirror_holds_them_and_a_new_value_costs_no_request_more(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    assert mirrored(synced, GRAVEL) == in_shop(app, GRAVEL) == (BIKES, mirrored(synced, GRAVEL)[1])
    assert mirrored(synced, GRAVEL)[1][FRAME] == "Aluminium 6061"
    assert mirrored(synced, LAMP) == (None, {})
    for pid in app.shop.products:
        assert mirrored(synced, pid) == in_shop(app, pid), pid
    before = app.stats.requests
    assert run_sync(synced, client).commit is None
    no_op = app.stats.requests - before
    product = app.shop.products[GRAVEL]
    product.attribute_values[WEIGHT] = "10,2 kg"  # in the back office
    app.shop.touch_product(product)
    before = app.stats.requests
    assert run_sync(synced, client).commit is not None
    assert mirrored(synced, GRAVEL)[1][WEIGHT] == "10,2 kg"
    # read in depth as any edit (one metafields read per variant too); the type comes with the English
    # texts and one read of the types
    assert app.stats.requests - before <= no_op + 8 + len(product.variants)


def test_push_sets_the_type_first_then_the_values(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    def typed(product: dict[str, Any]) -> None:
        product["type"] = {"id": CLOTHES, "title": "Kleding"}
        product["attributes"] = [{"id": 7411, "title": "Materiaal", "value": "Aluminium en glas"}]

    edit(synced, LAMP, typed)
    edit(synced, GRAVEL, lambda p: p["attributes"][0].__setitem__("value", "Staal"))
    assert sorted(pending_products(synced.root)) == sorted([LAMP, GRAVEL])
    result = push(synced, client)
    assert result.ok, [j.error or j.refused or j.mismatches for j in result.plan.jobs]
    assert in_shop(app, LAMP) == (CLOTHES, {7411: "Aluminium en glas", 7412: "", 7413: ""})
    assert in_shop(app, GRAVEL)[1][FRAME] == "Staal"
    assert pending_products(synced.root) == {}
    for pid in (LAMP, GRAVEL):  # the record: what the shop holds
        assert mirrored(synced, pid) == in_shop(app, pid)
    assert run_sync(synced, client).commit is None


def test_restore_brings_them_back_made_anew_and_onto_retails_successor(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    wanted = in_shop(app, GRAVEL)
    made = restored_anew(synced, client, app, GRAVEL)
    assert in_shop(app, made) == wanted == mirrored(synced, made)

    published = published_again(synced, client, app, made)
    assert mirrored(synced, published) == (None, {})  # Retail sends no type
    assert restore(synced, client, str(made), onto="auto").ok
    assert in_shop(app, published) == wanted == mirrored(synced, published)
    assert run_sync(synced, client).commit is None


def test_check_names_a_type_without_id_and_an_attribute_given_twice(synced: Repo) -> None:
    def broken(product: dict[str, Any]) -> None:
        product["type"] = {"title": "Fietsen"}
        product["attributes"].append(copy.deepcopy(product["attributes"][0]))

    edit(synced, GRAVEL, broken)
    problems = [str(p) for p in check(synced.root, [], synced.config)[1]]
    assert any(".yaml:" in p and "type.id: missing" in p for p in problems), problems
    assert any("give each attribute one value" in p for p in problems), problems


def test_diff_and_the_plan_say_them_in_words(mirror: Path) -> None:  # noqa: F811
    def change(product: dict[str, Any]) -> None:
        product["type"] = {"id": CLOTHES, "title": "Kleding"}
        product["attributes"][0]["value"] = "Staal"

    edit(open_repo(mirror), GRAVEL, change)
    shown = invoke("diff", "HEAD~1").output
    assert "    type: 'Fietsen' → 'Kleding'" in shown, shown
    assert "attribute Framemateriaal: " in shown and "Staal" in shown, shown
    planned = invoke("push", "--dry-run")
    assert f"type: 'Fietsen ({BIKES})' → 'Kleding ({CLOTHES})'" in planned.output, planned.output
    assert "attribute 7401: 'Aluminium 6061' → 'Staal'" in planned.output, planned.output
    assert gitrepo.head(mirror)


def test_a_mirror_from_before_types_gets_them_once_for_a_page_of_products(
    synced: Repo, client: ShopClient, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files and sync state as a version without types left them; the upgraded sync reads every
    product's type from one list (a page per 250 products) and the types' titles, then never again."""
    before = app.stats.requests
    assert run_sync(synced, client).commit is None
    no_op = app.stats.requests - before

    def without_types(path: Path) -> None:
        kept, skipping = [], False
        for line in path.read_text().splitlines(keepends=True):
            if line.startswith(("type:", "attributes:")):
                skipping = True
            elif not line.startswith((" ", "-")):
                skipping = False
            if not skipping:
                kept.append(line)
        path.write_text("".join(kept))

    as_an_older_version_wrote_it(synced, without_types, {PRODUCT_TYPES: ""})
    assert "type" not in files.read_product(folder_of(synced, GRAVEL) / layout.PRODUCT_FILE)
    monkeypatch.setattr(assemble, "MIRROR_FORMAT", assemble.MIRROR_FORMAT + 1)

    before = app.stats.requests
    assert run_sync(synced, client).commit is not None
    assert app.stats.requests - before == no_op + -(-len(app.shop.products) // 250) + 1
    for pid in app.shop.products:
        assert mirrored(synced, pid) == in_shop(app, pid), pid
    before = app.stats.requests
    assert run_sync(synced, client).commit is None
    assert app.stats.requests - before == no_op  # once
