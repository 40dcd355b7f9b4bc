"""Variant metafields, mirrored by default (issue 14 item 7): a new mirror reads them with each
product read in depth, the rotation keeps them fresh (tests/core/test_metafield_freshness.py),
push sends an edit of one, and restore brings them back — but never takes away the shop's from a
revision synced while the mirror did not hold them (its ``metafields: []`` said nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ecomgit import config as config_mod
from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.emulator.model import Metafield
from ecomgit.errors import MirrorError, MirrorFileError
from ecomgit.mirror import files, layout
from ecomgit.shop import Repo, open_repo
from ecomgit.sync.plan import mirror_shape
from ecomgit.sync.run import run_sync
from tests.write.conftest import as_an_older_version_wrote_it, edit, folder_of, push, restore

GRAVEL = 72418301  # the sample's bike: two of its four variants carry metafields


def variant_metafields(repo: Repo, pid: int) -> dict[int, dict[str, str]]:
    product = files.read_product(folder_of(repo, pid) / layout.PRODUCT_FILE)
    return {v["id"]: {m["key"]: m["value"] for m in v["metafields"]} for v in product["variants"]}


def in_shop(app: EmulatorApp, pid: int) -> dict[int, dict[str, str]]:
    return {v.id: {m.key: m.value for m in v.metafields} for v in app.shop.products[pid].variants}


def test_a_new_mirror_holds_every_variants_metafields(synced: Repo, app: EmulatorApp) -> None:
    assert "variantMetafields: true" in (synced.root / layout.CONFIG_FILE).read_text()  # init writes it
    mirrored = variant_metafields(synced, GRAVEL)
    assert mirrored == in_shop(app, GRAVEL)
    assert sum(bool(values) for values in mirrored.values()) == 2
    assert mirrored[118583011] == {"frame_stack_reach_mm": "548 / 378", "stock_location": "A3-10"}
    for pid in app.shop.products:
        assert variant_metafields(synced, pid) == in_shop(app, pid), pid


@pytest.mark.parametrize(
    ("deep", "expected"),
    [("", True), ("deep: {variantMetafields: true}\n", True), ("deep: {variantMetafields: false}\n", False)],
)
def test_the_setting_defaults_to_on_and_an_explicit_false_is_kept(synced: Repo, deep: str, expected: bool) -> None:
    path = synced.root / layout.CONFIG_FILE
    kept = [line for line in path.read_text().splitlines(keepends=True) if "variantMetafields" not in line]
    text = "".join(kept).replace("deep:\n", "deep_unused:\n") + deep
    path.write_text(text)
    assert config_mod.load(synced.root).variant_metafields is expected


@pytest.mark.parametrize(
    ("deep", "words"),
    [
        ("deep: {variantMetafields: 'yes'}\n", "'deep.variantMetafields' must be true or false"),
        ("deep: [variantMetafields]\n", "'deep' must be a mapping"),
    ],
)
def test_a_bad_setting_is_named_with_its_file(synced: Repo, deep: str, words: str) -> None:
    path = synced.root / layout.CONFIG_FILE
    text = path.read_text()
    start = text.index("deep:\n")
    end = text.index("retail:")
    path.write_text(text[:start] + deep + text[end:])
    with pytest.raises(MirrorFileError) as caught:
        config_mod.load(synced.root)
    assert words in str(caught.value) and "config.yaml" in str(caught.value)


def test_push_sends_an_edited_variant_metafield(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    def change(product: dict[str, Any]) -> None:
        variant = product["variants"][0]
        variant["metafields"][1]["value"] = "B1-04"  # stock_location
        variant["metafields"].append({"key": "fit_note", "id": None, "value": "valt klein"})

    edit(synced, GRAVEL, change, "Move the 50 cm frames")
    result = push(synced, client)
    assert result.ok, [job.mismatches for job in result.jobs]
    assert in_shop(app, GRAVEL)[118583011] == {
        "frame_stack_reach_mm": "548 / 378",
        "stock_location": "B1-04",
        "fit_note": "valt klein",
    }
    assert run_sync(synced, client).commit is None


def mirror_without_variant_metafields(repo: Repo) -> str:
    """The mirror as a version that did not mirror variant metafields left it: its config says
    false, every variant holds ``metafields: []``; committed as that version's sync."""
    config_path = repo.root / layout.CONFIG_FILE
    config_path.write_text(config_path.read_text().replace("variantMetafields: true", "variantMetafields: false"))
    gitrepo.stage(repo.root, [str(layout.CONFIG_FILE)])

    def emptied(path: Path) -> None:
        product = files.read_product(path)
        for variant in product["variants"]:
            variant["metafields"] = []
        files.write_product(path, product, repo.config.languages)

    shape = mirror_shape(list(repo.config.languages), repo.config.include_fields, False)
    as_an_older_version_wrote_it(repo, emptied, {"mirror_shape": shape})
    old = gitrepo.head(repo.root)
    assert old is not None
    config_path.write_text(config_path.read_text().replace("variantMetafields: false", "variantMetafields: true"))
    gitrepo.stage(repo.root, [str(layout.CONFIG_FILE)])
    gitrepo.commit(repo.root, "Mirror the variants' metafields (the new default)")
    return old


def test_restoring_a_revision_that_did_not_hold_them_keeps_the_shops(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    old = mirror_without_variant_metafields(synced)
    repo = open_repo(synced.root)
    run_sync(repo, client)  # the shape changed: every product read again, its variants' metafields too
    assert variant_metafields(repo, GRAVEL) == in_shop(app, GRAVEL)
    before = in_shop(app, GRAVEL)
    result = restore(repo, client, str(GRAVEL), rev=old)
    assert result.ok, result.plan.job.mismatches
    written = [path for path in result.plan.job.decision.changes if path[0] == "variants" and "metafields" in path]
    assert written == []  # '[]' in a revision that did not mirror them says nothing of the shop's
    assert in_shop(app, GRAVEL) == before


def test_restoring_a_revision_that_held_them_brings_them_back_exactly(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    held = gitrepo.head(synced.root)
    assert held is not None
    variant = app.shop.products[GRAVEL].variants[0]
    variant.metafields[1].value = "verkocht"  # in the back office, and one added
    now = app.shop.now()
    variant.metafields.append(Metafield(990002, now, now, "sale_note", "laatste"))
    app.shop.touch_product(app.shop.products[GRAVEL])
    run_sync(synced, client)
    result = restore(synced, client, str(GRAVEL), rev=held)
    assert result.ok, result.plan.job.mismatches
    assert in_shop(app, GRAVEL)[variant.id] == {"frame_stack_reach_mm": "548 / 378", "stock_location": "A3-10"}
    assert variant_metafields(synced, GRAVEL) == in_shop(app, GRAVEL)


def test_a_variant_without_the_key_is_refused_and_an_empty_list_removes_them(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    """A file that lacks a variant's ``metafields`` is named by check (nothing written);
    ``metafields: []`` removes that variant's, and only that variant's."""
    before = in_shop(app, GRAVEL)

    def unsaid(product: dict[str, Any]) -> None:
        del product["variants"][0]["metafields"]

    edit(synced, GRAVEL, unsaid, "A hand-written variant")
    with pytest.raises(MirrorError, match=r"product\.yaml:\d+: variants\[0\]\.metafields: missing; add the key"):
        push(synced, client)
    assert in_shop(app, GRAVEL) == before
    gitrepo.run(synced.root, "revert", "--no-edit", "HEAD")

    def emptied(product: dict[str, Any]) -> None:
        product["variants"][0]["metafields"] = []

    edit(synced, GRAVEL, emptied, "No metafields on the 50 cm frame")
    assert push(synced, client).ok
    assert in_shop(app, GRAVEL)[118583011] == {}
    assert in_shop(app, GRAVEL)[118583013] == before[118583013]
