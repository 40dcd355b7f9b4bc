"""Several products into one (issue 13 item 4): Retail adds three items into one matrix; lost names
them as one group, and one restore brings each variant its own product's content, one product's
texts, and the union of images, tags and categories. A later single graft onto the same product
does not silently replace what the first wrote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ecomgit.emulator import EmulatorApp, retail
from ecomgit.mirror import files, layout
from ecomgit.shop import open_repo
from tests.write.conftest import KUSTWEG, folder_of
from tests.write.test_cli import fails, invoke, mirror  # noqa: F401 - the fixture

JERSEY = 72418518
THIRD = 72418504
ITEMS = [KUSTWEG, JERSEY, THIRD]


def product(root: Path, pid: int) -> dict[str, Any]:
    return files.read_product(folder_of(open_repo(root), pid) / layout.PRODUCT_FILE)


def test_three_items_in_one_matrix_come_back_in_one_restore(mirror: Path, app: EmulatorApp) -> None:  # noqa: F811
    app.shop.info.is_retail = True
    assert invoke("sync", "-q").exit_code == 0
    before = {pid: product(mirror, pid) for pid in ITEMS}
    matrix = retail.add_to_matrix(app.shop, ITEMS, title="Fietsen")
    assert invoke("sync", "-q").exit_code == 0
    listed = invoke("lost")
    assert f"{matrix} Fietsen now holds the codes of {KUSTWEG}, {THIRD} and {JERSEY}" in listed.output
    [group] = {tuple(item["restoreWith"]) for item in json.loads(invoke("lost", "--json").output)}
    assert sorted(group) == sorted(ITEMS)

    done = invoke("restore", str(KUSTWEG), str(JERSEY), str(THIRD), "--onto", "auto", "--yes")
    assert done.exit_code == 0, done.output
    after = product(mirror, matrix)
    assert after["description"] == before[KUSTWEG]["description"]  # the first named gives the texts
    assert after["content"] == before[KUSTWEG]["content"]
    for name in ("tags", "categories"):
        assert {i["id"] for i in after[name]} == {i["id"] for pid in ITEMS for i in before[pid][name]}, name
    assert len(after["images"]) == sum(len(before[pid]["images"]) for pid in ITEMS)
    by_sku = {v["sku"]: v for v in after["variants"]}
    for pid in ITEMS:  # every variant its own product's content
        for variant in before[pid]["variants"]:
            got = by_sku[variant["sku"]]
            assert (got["oldPriceExcl"], got["weight"]) == (variant["oldPriceExcl"], variant["weight"]), variant["sku"]
    keys = {m["key"] for m in after["metafields"]}
    assert keys == {m["key"] for pid in ITEMS for m in before[pid]["metafields"]}


def test_a_later_single_graft_does_not_replace_the_first_without_replace(mirror: Path, app: EmulatorApp) -> None:  # noqa: F811
    app.shop.info.is_retail = True
    assert invoke("sync", "-q").exit_code == 0
    before = {pid: product(mirror, pid) for pid in ITEMS}
    matrix = retail.add_to_matrix(app.shop, ITEMS, title="Fietsen")
    assert invoke("sync", "-q").exit_code == 0
    assert invoke("restore", str(KUSTWEG), "--onto", str(matrix), "--yes").exit_code == 0
    refused = fails("restore", str(JERSEY), "--onto", str(matrix), "--yes")
    assert f"product {matrix} already received product {KUSTWEG}'s content (commit " in refused
    assert f"'ecomgit restore {KUSTWEG} {JERSEY} --onto {matrix}'" in refused and "--replace" in refused
    assert product(mirror, matrix)["description"] == before[KUSTWEG]["description"]
    assert invoke("restore", str(JERSEY), "--onto", str(matrix), "--replace", "--yes").exit_code == 0
    assert product(mirror, matrix)["description"] == before[JERSEY]["description"]
