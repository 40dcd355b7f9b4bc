"""The generated sync workflow, its own ``run:`` steps executed, when a pull request is merged while
it runs: the edit reaches the shop in that run, and no later run reverts it.

GitHub is stood in for as in ``test_ci_workflows``: a bare origin, fresh clones for each run, the
emulator over a real socket.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ecomgit.emulator import EmulatorApp
from ecomgit.mirror import files, layout
from tests.core.test_ci_workflows import (
    KUSTWEG,
    WORKFLOWS,
    Runner,
    context,
    git,
    load,
    published_mirror,
    shop_url,
    tools,
)

__all__ = ["shop_url", "tools"]  # fixtures

pytestmark = pytest.mark.e2e

LAMP = 72418448


def product_file(repo: Path, pid: int) -> Path:
    [folder] = [p for p in (repo / layout.PRODUCTS_DIR).iterdir() if p.name.startswith(f"{pid}-")]
    return folder / layout.PRODUCT_FILE


def test_a_pull_request_merged_while_the_sync_workflow_runs_is_pushed_and_kept(
    tmp_path: Path, shop_url: tuple[str, EmulatorApp], tools: Path
) -> None:
    url, app = shop_url
    origin, admin = published_mirror(tmp_path, tools, url)
    flows = {name: load(admin / ".github/workflows" / name) for name in WORKFLOWS}
    sync_flow = flows["ecomgit-sync.yml"]
    runs = iter(range(1, 100))

    def run_sync_workflow(**after: object) -> dict[str, int | str]:
        number = next(runs)
        checkout = tmp_path / f"run-{number}"
        git(tmp_path, "clone", "--quiet", str(origin), str(checkout))
        ctx = context(**{"github.run_id": str(number), "github.event.schedule": ""})
        return Runner(tools, tmp_path, ctx).run(sync_flow, checkout, after)  # type: ignore[arg-type]

    first = run_sync_workflow()
    assert first["Sync"] == 0 and first["Publish the commits"] == 0

    # the shop changes (the sync will commit it) and, while that sync runs, a pull request is merged
    lamp = app.shop.products[LAMP]
    lamp.texts["en"]["description"] = "Changed in the back office."
    app.shop.touch_product(lamp)
    dev = tmp_path / "dev"
    git(tmp_path, "clone", "--quiet", str(origin), str(dev))
    path = product_file(dev, KUSTWEG)
    product = files.read_product(path)
    product["description"]["en"] = "Merged while the sync ran."
    files.write_product(path, product, ["nl", "en"])
    git(dev, "commit", "--quiet", "-am", "Merge pull request #12")

    def merge_the_pull_request() -> None:
        git(dev, "push", "--quiet", "origin", "main")

    second = run_sync_workflow(Sync=merge_the_pull_request)
    steps = {name: code for name, code in second.items() if isinstance(code, int)}
    assert steps == {
        "Sync": 0,
        "Publish the commits": 0,
        "Push edits still pending": 0,
        "Propose lost content back": 0,
    }, steps
    subjects = git(origin, "log", "--format=%s", "main").splitlines()
    assert "Merge pull request #12" in subjects and "Sync: 0 new, 1 changed, 0 deleted" in subjects
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "Merged while the sync ran."  # this run
    assert lamp.texts["en"]["description"] == "Changed in the back office."  # not sent back over

    # later runs keep both and have nothing to do
    for _ in range(2):
        later = run_sync_workflow()
        assert later["Sync"] == 0 and later["Push edits still pending"] == 0
        assert "Nothing to push" in (tmp_path / "Push edits still pending.log").read_text()
    final = tmp_path / "final"
    git(tmp_path, "clone", "--quiet", str(origin), str(final))
    assert "Merged while the sync ran." in product_file(final, KUSTWEG).read_text()
    assert "Changed in the back office." in product_file(final, LAMP).read_text()
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "Merged while the sync ran."
