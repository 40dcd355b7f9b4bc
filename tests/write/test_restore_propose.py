"""restore --propose (issue 13 item 7): the restore as a commit on a branch for a pull request,
nothing written to the shop; merged and pushed, it gives the shop what a direct restore gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ecomgit import gitrepo
from ecomgit.emulator import EmulatorApp, retail
from ecomgit.mirror import files, layout
from ecomgit.shop import open_repo
from tests.write.conftest import KUSTWEG, folder_of
from tests.write.test_cli import fails, invoke, mirror  # noqa: F401 - the CLI fixture
from tests.write.test_restore_several import ITEMS, matrixed

ECOM = ("description", "content", "fulltitle", "tags", "categories", "deliverydate", "data01")


def product(root: Path, pid: int) -> dict[str, Any]:
    return files.read_product(folder_of(open_repo(root), pid) / layout.PRODUCT_FILE)


def test_a_proposed_re_creation_merged_and_pushed_is_the_product_again(mirror: Path, app: EmulatorApp) -> None:  # noqa: F811
    before = product(mirror, KUSTWEG)
    images = [p.read_bytes() for p in sorted((folder_of(open_repo(mirror), KUSTWEG) / "images").iterdir())]
    retail.delete_from_ecom(app.shop, KUSTWEG)
    assert invoke("sync", "-q").exit_code == 0
    head, shop_before = gitrepo.head(mirror), set(app.shop.products)
    proposed = invoke("restore", str(KUSTWEG), "--propose", "--json")
    assert proposed.exit_code == 0, proposed.output
    answer = json.loads(proposed.output)
    assert answer["branch"] == f"ecomgit/restore-{KUSTWEG}"
    assert set(app.shop.products) == shop_before and gitrepo.head(mirror) == head  # nothing written anywhere
    assert gitrepo.dirty_paths(mirror, ["."]) == []
    shown = gitrepo.run(mirror, "show", "--name-only", "--format=%s", answer["branch"])
    assert "products/restored-kustweg-105-racefiets/product.yaml" in shown
    again = fails("restore", str(KUSTWEG), "--propose")
    assert f"branch ecomgit/restore-{KUSTWEG} exists already" in again

    gitrepo.run(mirror, "merge", "--quiet", "--no-edit", answer["branch"])  # the pull request, merged
    pushed = invoke("push", "--yes")
    assert pushed.exit_code == 0, pushed.output
    [made] = set(app.shop.products) - shop_before
    after = product(mirror, made)
    for name in ECOM:
        assert after[name] == before[name], name
    assert [v["sku"] for v in after["variants"]] == [v["sku"] for v in before["variants"]]
    assert [v["oldPriceExcl"] for v in after["variants"]] == [v["oldPriceExcl"] for v in before["variants"]]
    restored = sorted((folder_of(open_repo(mirror), made) / "images").iterdir())
    assert [p.read_bytes() for p in restored] == images
    assert not (mirror / "products" / "restored-kustweg-105-racefiets").exists()


def test_a_proposed_in_place_restore_is_an_edit_push_sends(mirror: Path, app: EmulatorApp) -> None:  # noqa: F811
    old = product(mirror, KUSTWEG)["description"]["nl"]
    app.shop.products[KUSTWEG].texts["nl"]["description"] = "Door iemand ingekort."
    app.shop.touch_product(app.shop.products[KUSTWEG])
    assert invoke("sync", "-q").exit_code == 0
    proposed = invoke("restore", str(KUSTWEG), "--rev", "HEAD~1", "--propose")
    assert proposed.exit_code == 0, proposed.output
    assert app.shop.products[KUSTWEG].texts["nl"]["description"] == "Door iemand ingekort."
    gitrepo.run(mirror, "merge", "--quiet", "--no-edit", f"ecomgit/restore-{KUSTWEG}")
    assert invoke("push", "--yes").exit_code == 0
    assert app.shop.products[KUSTWEG].texts["nl"]["description"] == old


def test_propose_is_refused_on_a_retail_shop_for_a_re_creation(mirror: Path, app: EmulatorApp) -> None:  # noqa: F811
    app.shop.info.is_retail = True
    retail.delete_from_ecom(app.shop, KUSTWEG)
    assert invoke("sync", "-q").exit_code == 0
    refused = fails("restore", str(KUSTWEG), "--propose")
    assert "linked to Lightspeed Retail" in refused and "--onto auto" in refused
    assert gitrepo.run(mirror, "branch", "--list", "ecomgit/*").strip() == ""


def test_a_proposed_graft_of_a_matrix_merged_and_pushed_gives_what_a_direct_restore_gives(
    mirror: Path,  # noqa: F811
    app: EmulatorApp,
) -> None:
    before, matrix = matrixed(mirror, app)
    head, shop_before = gitrepo.head(mirror), app.shop.products[matrix].texts["nl"]["description"]
    proposed = invoke("restore", *map(str, ITEMS), "--onto", "auto", "--propose", "--json")
    assert proposed.exit_code == 0, proposed.output
    answer = json.loads(proposed.output)
    assert answer["branch"] == f"ecomgit/restore-{KUSTWEG}"
    assert gitrepo.head(mirror) == head and gitrepo.dirty_paths(mirror, ["."]) == []  # nothing written here…
    assert app.shop.products[matrix].texts["nl"]["description"] == shop_before  # …nor in the shop
    proposed = [note for note in answer["notes"] if "made by the push that sends product" in note]
    assert len(proposed) == 6 and app.shop.redirects == {}  # the redirects: proposed, made by the push
    message = gitrepo.run(mirror, "log", "-1", "--format=%B", answer["branch"])
    for pid in ITEMS:
        assert f"Ecomgit-Restored: {pid} -> {matrix}" in message
    again = fails("restore", str(KUSTWEG), "--onto", str(matrix), "--propose")
    assert f"branch ecomgit/restore-{KUSTWEG} exists already" in again

    gitrepo.run(mirror, "merge", "--quiet", "--no-edit", answer["branch"])  # the pull request, merged
    checked = invoke("check")
    assert checked.exit_code == 0, checked.output
    pushed = invoke("push", "--yes")
    assert pushed.exit_code == 0, pushed.output
    assert pushed.output.count("(301)") == 6, pushed.output
    assert json.loads(invoke("status", "--json").output)["pending"] == []
    after = product(mirror, matrix)  # the push's record: what the shop holds now
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
    assert {m["key"] for m in after["metafields"]} == {m["key"] for pid in ITEMS for m in before[pid]["metafields"]}
    assert after["title"]["nl"] == "Fietsen"  # Retail's field, left to Retail
    assert [v["isDefault"] for v in after["variants"]].count(True) == 1
    shop = app.shop.products[matrix]
    assert shop.texts["nl"]["description"] == before[KUSTWEG]["description"]["nl"]
    assert json.loads(invoke("lost", "--json").output) == []  # restored: no longer lost
    # SEO: the addresses that lost (the other two products', the matrix's own) redirect as a direct restore's do
    made = {r.url: (r.target, r.is_permanent) for r in app.shop.redirects.values()}
    final = after["url"]
    for pid in ITEMS[1:]:
        for lang, slug in before[pid]["url"].items():
            prefix = "/" if lang == "nl" else f"/{lang}/"
            assert made[f"{prefix}{slug}.html"] == (f"{prefix}{final[lang]}.html", True), (pid, lang)
    assert made["/fietsen.html"] == (f"/{final['nl']}.html", True)
    assert made["/en/fietsen.html"] == (f"/en/{final['en']}.html", True)
    assert len(made) == 6
    assert "Redirects:" in gitrepo.run(mirror, "log", "-1", "--format=%B")
    again = invoke("push", "--yes")  # a later push makes none twice
    assert again.exit_code == 0 and "(301)" not in again.output and len(app.shop.redirects) == 6
