"""A matrix product's option set and its variants' options (issue 14 item 3): mirrored with the
type's read (no request more) and the full variant records; shown in words and validated; the
set written where the API takes it (not on a Retail-linked shop: Retail's matrix), a variant's
options never (the API documents no way: restore says so)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ecomgit.api import ShopClient
from ecomgit.check import check
from ecomgit.emulator import EmulatorApp, retail
from ecomgit.mirror import files, layout
from ecomgit.shop import Repo, open_repo
from ecomgit.sync.run import run_sync
from tests.write.conftest import edit, folder_of, published_again, restore
from tests.write.test_cli import invoke, mirror  # noqa: F401 - the CLI fixture

SHIRT = 72418518  # Kleur × Maat


def mirrored(repo: Repo, pid: int) -> tuple[Any, list[list[tuple[str, str]]]]:
    product = files.read_product(folder_of(repo, pid) / layout.PRODUCT_FILE)
    options = [[(o["option"]["name"], o["value"]["name"]) for o in v["options"]] for v in product["variants"]]
    return product["set"], options


def in_shop(app: EmulatorApp, pid: int) -> tuple[Any, list[list[tuple[str, str]]]]:
    product = app.shop.products[pid]
    found = app.shop.sets.get(product.set_id) if product.set_id is not None else None
    options = []
    for variant in sorted(product.variants, key=lambda v: (v.sort_order, v.id)):
        pairs = [found.value(o, v) for o, v in variant.options] if found else []
        options.append([(o.texts["nl"]["name"], v.texts["nl"]["name"]) for o, v in (p for p in pairs if p)])
    return ({"id": found.id, "name": found.name} if found else None), options


def test_the_mirror_holds_the_set_and_each_variants_options(synced: Repo, app: EmulatorApp) -> None:
    option_set, options = mirrored(synced, SHIRT)
    assert option_set["name"] == "Kleur × Maat" and options[0] == [("Kleur", "Zwart"), ("Maat", "S")]
    for pid in app.shop.products:
        assert mirrored(synced, pid) == in_shop(app, pid), pid


def test_a_variants_new_option_value_is_synced_and_said_in_words(mirror: Path, app: EmulatorApp) -> None:  # noqa: F811
    variant = sorted(app.shop.products[SHIRT].variants, key=lambda v: (v.sort_order, v.id))[0]
    size = variant.options[1]
    variant.options[1] = (size[0], size[1] + 1)  # S → M, in the back office
    app.shop.touch_variant(variant)
    assert invoke("sync").exit_code == 0
    shown = invoke("diff", "HEAD~1").output
    assert "options: 'Kleur: Zwart, Maat: S' → 'Kleur: Zwart, Maat: M'" in shown, shown
    assert mirrored(open_repo(mirror), SHIRT) == in_shop(app, SHIRT)


def test_restore_writes_the_set_says_the_options_are_not_and_leaves_retails_matrix_alone(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    wanted_set, _ = in_shop(app, SHIRT)
    retail.delete_from_ecom(app.shop, SHIRT)
    run_sync(synced, client)
    first = restore(synced, client, str(SHIRT))
    assert first.ok and first.plan.job.target is not None
    assert any("variant(s)" in w and "are not written" in w for w in first.plan.warnings), first.plan.warnings
    made = first.plan.job.target
    assert in_shop(app, made)[0] == wanted_set == mirrored(synced, made)[0]  # the set: written
    assert all(pairs == [] for pairs in in_shop(app, made)[1])  # the options: the API takes none

    published = published_again(synced, client, app, made)
    result = restore(synced, client, str(made), onto="auto")
    assert result.ok, result.plan.job.error or result.plan.job.mismatches
    assert in_shop(app, published)[0] is None  # Retail's matrix: its set is Retail's to make
    assert any(line.startswith("set: owned by Lightspeed Retail") for line in result.plan.job.skipped_lines())


def test_check_names_a_set_without_id_and_an_option_without_its_value(synced: Repo) -> None:
    def broken(product: dict[str, Any]) -> None:
        product["set"] = {"name": "Kleur × Maat"}
        del product["variants"][0]["options"][0]["value"]

    edit(synced, SHIRT, broken)
    problems = [str(p) for p in check(synced.root, [], synced.config)[1]]
    assert any(".yaml:" in p and "set.id: missing" in p for p in problems), problems
    assert any("variants[0].options[0].value: missing" in p for p in problems), problems


def test_run_sync_after_a_first_one_commits_nothing(synced: Repo, client: ShopClient) -> None:
    assert run_sync(synced, client).commit is None
