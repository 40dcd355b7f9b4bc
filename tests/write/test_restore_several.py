"""Several products into one (issue 13 item 4): Retail adds three items into one matrix; lost names
them as one group, and one restore brings each variant its own product's content, one product's
texts, and the union of images, tags and categories. A later single graft onto the same product
does not silently replace what the first wrote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ecomgit import gitrepo
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


def matrixed(root: Path, app: EmulatorApp) -> tuple[dict[int, dict[str, Any]], int]:
    """On a Retail-linked shop, the three ITEMS added into one new matrix, synced: what they were, and it."""
    app.shop.info.is_retail = True
    assert invoke("sync", "-q").exit_code == 0
    before = {pid: product(root, pid) for pid in ITEMS}
    matrix = retail.add_to_matrix(app.shop, ITEMS, title="Fietsen")
    assert invoke("sync", "-q").exit_code == 0
    return before, matrix


def test_three_items_in_one_matrix_come_back_in_one_restore(mirror: Path, app: EmulatorApp) -> None:  # noqa: F811
    before, matrix = matrixed(mirror, app)
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
    # SEO (item 5): every old address that no longer resolves redirects (301) to the matrix's final one
    redirects = {r.url: (r.target, r.is_permanent) for r in app.shop.redirects.values()}
    final = after["url"]
    for pid in (JERSEY, THIRD):  # their slugs did not win
        for lang, slug in before[pid]["url"].items():
            old_page, new_page = ("/", "/") if lang == "nl" else (f"/{lang}/", f"/{lang}/")
            assert redirects[f"{old_page}{slug}.html"] == (f"{new_page}{final[lang]}.html", True), (pid, lang)
    assert redirects["/fietsen.html"] == (f"/{final['nl']}.html", True)  # the matrix's own slug was replaced
    assert f"/{before[KUSTWEG]['url']['nl']}.html" not in redirects  # that address resolves again
    assert "redirect /fietsen.html → " in done.output
    log = gitrepo.run(mirror, "log", "-3", "--format=%B")
    assert f"redirect /{before[JERSEY]['url']['nl']}.html → /{final['nl']}.html (301)" in log


def test_a_later_single_graft_does_not_replace_the_first_without_replace(mirror: Path, app: EmulatorApp) -> None:  # noqa: F811
    before, matrix = matrixed(mirror, app)
    assert invoke("restore", str(KUSTWEG), "--onto", str(matrix), "--yes").exit_code == 0
    refused = fails("restore", str(JERSEY), "--onto", str(matrix), "--yes")
    assert f"product {matrix} already received product {KUSTWEG}'s content (commit " in refused
    assert f"'ecomgit restore {KUSTWEG} {JERSEY} --onto {matrix}'" in refused and "--replace" in refused
    assert product(mirror, matrix)["description"] == before[KUSTWEG]["description"]
    assert invoke("restore", str(JERSEY), "--onto", str(matrix), "--replace", "--yes").exit_code == 0
    assert product(mirror, matrix)["description"] == before[JERSEY]["description"]


def test_no_redirects_makes_none_and_an_address_redirected_already_is_left(mirror: Path, app: EmulatorApp) -> None:  # noqa: F811
    from ecomgit.emulator.model import Redirect

    kustweg = product(mirror, KUSTWEG)["url"]["nl"]  # the matrix's slug after the first restore
    matrix = retail.add_to_matrix(app.shop, [KUSTWEG, JERSEY], title="Fietsen")
    assert invoke("sync", "-q").exit_code == 0
    assert invoke("restore", str(KUSTWEG), "--onto", str(matrix), "--no-redirects", "--yes").exit_code == 0
    assert app.shop.redirects == {}
    app.shop.redirects[1] = Redirect(1, 0, 0, f"/{kustweg}.html", "/elders.html")  # the merchant made one
    done = invoke("restore", str(JERSEY), "--onto", str(matrix), "--replace", "--yes")
    assert done.exit_code == 0, done.output
    assert f"the shop has a redirect of /{kustweg}.html already; left as it is" in done.output
    assert [r.target for r in app.shop.redirects.values() if r.url == f"/{kustweg}.html"] == ["/elders.html"]
