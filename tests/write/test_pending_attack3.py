"""Attacks on which edits are pending, the way teams use git (issue 12 item 3)."""

from __future__ import annotations

import time
import types
from pathlib import Path
from typing import Any

import pytest

from ecomgit import gitrepo, records
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from tests.write.conftest import KUSTWEG, edit, push
from tests.write.test_pending_history import LAMP, clone, description, git


def skewed(monkeypatch: pytest.MonkeyPatch, offset_ms: int) -> None:
    """This clone's clock is ``offset_ms`` off: the records it makes say so."""
    real = time.time_ns
    monkeypatch.setattr(records, "time", types.SimpleNamespace(time_ns=lambda: real() + offset_ms * 1_000_000))


@pytest.mark.parametrize("offset_h", [24, -24])
def test_a_record_made_by_a_skewed_clock_neither_hides_nor_repeats_a_later_edit(
    origin: Path, client: ShopClient, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch, offset_h: int
) -> None:
    laptop = clone(origin, "laptop")
    shop_lamp = app.shop.products[LAMP]
    shop_lamp.texts["en"]["description"] = "Changed in the back office."
    app.shop.touch_product(shop_lamp)
    with monkeypatch.context() as patch:
        skewed(patch, offset_h * 3_600_000)  # the laptop's clock
        assert run_sync(laptop, client).commit is not None
        if offset_h < 0:  # the skewed clone also pushes an edit after it synced
            edit(laptop, KUSTWEG, description("From the slow laptop."))
            assert push(laptop, client).ok
    git(laptop.root, "push", "--quiet", "origin", "main")
    dev = clone(origin, "dev")  # a correct clock, after the laptop's records in history
    edit(dev, KUSTWEG, description("After the laptop's sync."))
    assert list(pending_products(dev.root)) == [KUSTWEG]
    assert push(dev, client).ok
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "After the laptop's sync."
    assert pending_products(dev.root) == {}  # the push's record is the newest: it is after the laptop's
    shop = app.shop.products[KUSTWEG]
    shop.texts["en"]["description"] = "Back office, later."
    app.shop.touch_product(shop)
    assert run_sync(dev, client).commit is not None
    assert (
        "Back office, later."
        in (
            dev.root
            / next(str(p) for p in (dev.root / "products").iterdir() if p.name.startswith(f"{KUSTWEG}-"))
            / "product.yaml"
        ).read_text()
    )
    assert pending_products(dev.root) == {}


def test_pending_asks_git_a_fixed_number_of_questions_however_many_push_records(
    synced: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A push a day for years, each settling one product, and a sync that committed nothing since:
    each record used to cost a diff against HEAD (110 s for 3 000 records of a 10 000-product
    catalog); now the questions are asked in batches."""
    root = synced.root
    pids = sorted(int(p.name.split("-")[0]) for p in (root / "products").iterdir())
    for number, pid in enumerate(pids * 3):
        edit(synced, pid, description(f"Pushed copy {number}."))
        lines = records.stamp(root, recorded=[pid], kind="push")
        gitrepo.commit(
            root,
            "Push: 1 product\n\nEcomgit-Push: 2026-01-01T00:00:00Z\n" + "".join(f"{line}\n" for line in lines),
            allow_empty=True,
        )
    edit(synced, KUSTWEG, description("Not pushed yet."))
    calls: list[tuple[str, ...]] = []
    real = gitrepo._git

    def counted(root: Path, args: Any, input: Any, *rest: Any) -> Any:
        calls.append(tuple(args))
        return real(root, args, input, *rest)

    monkeypatch.setattr(gitrepo, "_git", counted)
    assert list(pending_products(root)) == [KUSTWEG]
    assert len(records.records(root)) > len(pids) * 3
    assert len(calls) <= 12, [c[0] for c in calls]
    # then one commit edits every product (a find-and-replace): each has its own base record, and
    # whether a later commit changed it was one walk of history per record (over 10 minutes for
    # 3 000 of them); now one walk, stopped as soon as every product is answered
    with monkeypatch.context() as patch:
        patch.setattr(gitrepo, "_git", real)
        for pid in pids:
            path = next(p for p in (root / "products").iterdir() if p.name.startswith(f"{pid}-")) / "product.yaml"
            path.write_text(path.read_text().replace("Pushed copy", "Replaced copy"))
        git(root, "commit", "--quiet", "-am", "Find and replace")
    calls.clear()
    assert sorted(pending_products(root)) == pids
    assert len(calls) <= 12, [c[0] for c in calls]
