"""Field paths and decisions: the three-way rule, restore's overwrite, the field policy."""

from __future__ import annotations

from typing import Any

from ecomgit.write.fields import MISSING, Policy, flatten, label, overwrite, three_way

LANGS = ["nl", "en"]


def product(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": 1,
        "visibility": "visible",
        "title": {"nl": "Fiets", "en": "Bike"},
        "description": {"nl": "", "en": ""},
        "brand": {"id": 5, "title": "X"},
        "categories": [{"id": 10, "url": "a"}],
        "tags": [],
        "images": [{"file": "01-a.jpg", "id": 1, "fileId": 2}],
        "variants": [{"id": 7, "isDefault": True, "sortOrder": 1, "title": {"nl": "S", "en": "S"}, "priceExcl": 10}],
        "metafields": [{"key": "k", "id": 3, "value": "v"}],
        "relations": [],
    }
    base.update(changes)
    return base


def flat(data: dict[str, Any]) -> dict[Any, Any]:
    return flatten(data, LANGS, lambda name: f"blob:{name}", lambda v: v["id"])


def test_flatten_names_every_field_by_path() -> None:
    paths = flat(product())
    assert paths[("title", "en")] == "Bike"
    assert paths[("brand",)] == 5
    assert paths[("categories", 10)] is True
    assert paths[("images",)] == ("blob:01-a.jpg",)
    assert paths[("variants", 7, "priceExcl")] == 10
    assert paths[("variants", 7, "title", "nl")] == "S"
    assert paths[("metafields", "k")] == "v"


def test_three_way_sends_our_changes_and_ignores_theirs() -> None:
    base = flat(product())
    ours = flat(product(description={"nl": "Nieuw", "en": ""}))
    theirs = flat(product(visibility="hidden"))
    decision = three_way(base, ours, theirs)
    assert decision.changes == {("description", "nl"): "Nieuw"}
    assert decision.conflicts == []


def test_three_way_reports_a_conflict_and_prefer_resolves_it() -> None:
    base = flat(product())
    ours = flat(product(title={"nl": "Ons", "en": "Bike"}))
    theirs = flat(product(title={"nl": "Hun", "en": "Bike"}))
    [conflict] = three_way(base, ours, theirs).conflicts
    assert (conflict.path, conflict.base, conflict.ours, conflict.theirs) == (("title", "nl"), "Fiets", "Ons", "Hun")
    assert three_way(base, ours, theirs, prefer="ours").changes == {("title", "nl"): "Ons"}
    assert three_way(base, ours, theirs, prefer="theirs").changes == {}


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    base = flat(product())
    both = flat(product(title={"nl": "Zelfde", "en": "Bike"}))
    decision = three_way(base, both, both)
    assert decision.changes == {} and decision.conflicts == []


def test_removed_links_are_missing_values() -> None:
    base = flat(product())
    ours = flat(product(categories=[], tags=[{"id": 4, "title": ""}]))
    decision = three_way(base, ours, base)
    assert decision.changes == {("categories", 10): MISSING, ("tags", 4): True}


def test_overwrite_is_every_difference() -> None:
    ours = flat(product(metafields=[]))
    theirs = flat(product(visibility="hidden"))
    assert overwrite(ours, theirs).changes == {("visibility",): "visible", ("metafields", "k"): MISSING}


def test_retail_policy_keeps_owned_fields_and_adds_images_and_categories() -> None:
    ours = flat(product(title={"nl": "Oud", "en": "Old"}, categories=[], images=[{"file": "02-b.jpg"}]))
    theirs = flat(product())
    ours[("variants", 7, "oldPriceExcl")] = 12
    ours[("variants", 7, "priceExcl")] = 9
    decision = Policy(retail=True).apply(overwrite(ours, theirs), theirs)
    assert decision.changes == {("images",): ("blob:01-a.jpg", "blob:02-b.jpg"), ("variants", 7, "oldPriceExcl"): 12}
    skipped = {path for path, _ in decision.skipped}
    assert {("title", "nl"), ("categories", 10), ("variants", 7, "priceExcl")} <= skipped
    everything = Policy(retail=True, all_fields=True).apply(overwrite(ours, theirs), theirs)
    assert everything.changes[("title", "nl")] == "Oud" and everything.changes[("categories", 10)] is MISSING


def test_fields_policy_selects_product_and_variant_fields() -> None:
    ours = flat(product(title={"nl": "Oud", "en": "Bike"}, description={"nl": "x", "en": ""}))
    ours[("variants", 7, "priceExcl")] = 9
    theirs = flat(product())
    picked = Policy(fields=frozenset({"description", "priceExcl"})).apply(overwrite(ours, theirs), theirs)
    assert set(picked.changes) == {("description", "nl"), ("variants", 7, "priceExcl")}


def test_labels_read_as_words() -> None:
    assert label(("title", "en")) == "title [en]"
    assert label(("categories", 10)) == "category 10"
    assert label(("variants", 7, "title", "nl")) == "variant 7 title [nl]"
    assert (
        label(("variants", 7, "oldPriceExcl"), lambda key: f"variant {key} (SKU-1)") == "variant 7 (SKU-1) oldPriceExcl"
    )
