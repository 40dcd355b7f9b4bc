"""Restore never makes a second product with the codes a live product already holds (issue 23, item 5).

Before it creates, restore asks which live products hold the product's SKUs, article codes or EANs
(the candidates ``lost`` names, and the products the shop made since the mirror's newest one). A
product an earlier restore made (this clone's journal, or an ``Ecomgit-Restored`` record in any
clone's history that reached this one) is continued into; any other holder is a successor: restore
refuses, names it and offers ``--onto ID``, or ``--create`` to make the product anyway.

Driven the real way: Retail's matrix in the emulator, clones of a bare origin, a restore cut short
by Ctrl-C in one clone and run again from another.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp, retail
from ecomgit.errors import EcomgitError
from ecomgit.lost import find_lost
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from tests.write.conftest import KUSTWEG, restore
from tests.write.test_cli import fails, mirror  # noqa: F401 - the CLI fixture
from tests.write.test_interrupted import breaking_client, posts_to, products_titled
from tests.write.test_pending_history import clone, git

CODES = ("AN-KW105-52", "AN-KW105-55", "AN-KW105-58")
TITLE = "Kustweg 105 racefiets"


def holding(app: EmulatorApp, code: str) -> list[int]:
    """The shop's variants holding ``code`` (as a SKU, case aside)."""
    return [v.id for p in app.shop.products.values() for v in p.variants if v.sku.lower() == code.lower()]


@pytest.fixture
def matrixed(synced: Repo, client: ShopClient, app: EmulatorApp) -> int:
    """Retail put Kustweg's item into a new matrix product; returns the matrix's id (not yet synced)."""
    app.shop.info.is_retail = True
    run_sync(synced, client)
    return retail.add_to_matrix(app.shop, [KUSTWEG], title="Kustweg")


def refusal(repo: Repo, client: ShopClient, app: EmulatorApp, **options: object) -> str:
    """The message of a restore of Kustweg that must write nothing."""
    products, head = len(app.shop.products), gitrepo.head(repo.root)
    with pytest.raises(EcomgitError) as refused:
        restore(repo, client, str(KUSTWEG), **options)
    assert refused.value.exit_code == 1
    assert len(app.shop.products) == products and gitrepo.head(repo.root) == head
    return str(refused.value)


@pytest.mark.parametrize("case", ["same", "lower"])
def test_restore_after_a_matrix_names_the_matrix_and_makes_no_second_product(
    synced: Repo, client: ShopClient, app: EmulatorApp, matrixed: int, case: str
) -> None:
    if case == "lower":  # the shop's codes in other case are the same codes
        for variant in app.shop.products[matrixed].variants:
            variant.sku = variant.sku.lower()
            app.shop.touch_variant(variant)
    run_sync(synced, client)
    [lost] = find_lost(synced.root, "nl")
    assert [s.pid for s in lost.successors] == [matrixed]
    message = refusal(synced, client, app)  # the plain command, as an old 'lost' output said
    assert f"product {matrixed} 'Kustweg'" in message
    assert all(code.lower() in message.lower() for code in CODES)
    assert f"ecomgit restore {KUSTWEG} --onto {matrixed}" in message and "--create" in message
    assert all(len(holding(app, code)) == 1 for code in CODES)


def test_restore_rev_right_after_the_matrix_before_a_sync_finds_it_too(
    synced: Repo, client: ShopClient, app: EmulatorApp, matrixed: int
) -> None:
    message = refusal(synced, client, app, rev="HEAD")  # the mirror does not know the matrix yet
    assert f"product {matrixed} 'Kustweg'" in message and f"--onto {matrixed}" in message
    assert all(len(holding(app, code)) == 1 for code in CODES)


def test_create_makes_it_anyway_and_says_what_that_means(
    synced: Repo, client: ShopClient, app: EmulatorApp, matrixed: int
) -> None:
    run_sync(synced, client)
    result = restore(synced, client, str(KUSTWEG), create=True)
    assert result.ok, result.plan.job.mismatches
    # the shop is Retail-linked: that is said too (and that the variants' options are not written)
    codes_twice, retail_unknown = [w for w in result.plan.warnings if "options of" not in w]
    assert f"product {matrixed}" in codes_twice and "twice" in codes_twice
    assert "Lightspeed Retail, which will not know this product" in retail_unknown
    assert all(len(holding(app, code)) == 2 for code in CODES)  # what was asked for


def test_the_cli_dry_run_refuses_the_same_way(mirror: Path, app: EmulatorApp) -> None:  # noqa: F811
    app.shop.info.is_retail = True
    matrix = retail.add_to_matrix(app.shop, [KUSTWEG], title="Kustweg")
    head = gitrepo.head(mirror)
    message = fails("restore", str(KUSTWEG), "--rev", "HEAD", "--dry-run")
    assert f"--onto {matrix}" in message and "--create" in message
    assert gitrepo.head(mirror) == head
    assert all(len(holding(app, code)) == 1 for code in CODES)


@pytest.fixture
def clones(origin: Path, client: ShopClient, app: EmulatorApp) -> tuple[Repo, Repo]:
    """Anna and Bob, each with a clone; the shop deleted Kustweg and Anna's sync recorded it for both."""
    anna, bob = clone(origin, "anna"), clone(origin, "bob")
    retail.delete_from_ecom(app.shop, KUSTWEG)
    run_sync(anna, client)
    git(anna.root, "push", "--quiet", "origin", "main")
    git(bob.root, "pull", "--quiet")
    return anna, bob


def test_a_restore_cut_short_in_one_clone_is_not_made_again_from_another(
    clones: tuple[Repo, Repo], client: ShopClient, app: EmulatorApp
) -> None:
    anna, bob = clones
    with breaking_client(app, posts_to("/images.json")) as interrupted, pytest.raises(KeyboardInterrupt):
        restore(anna, interrupted, str(KUSTWEG))
    [made] = products_titled(app, TITLE)  # half-made; its journal is in Anna's .git only
    message = refusal(bob, client, app)
    assert f"product {made} '{TITLE}'" in message and f"--onto {made}" in message
    assert products_titled(app, TITLE) == [made]
    assert restore(anna, client, str(KUSTWEG)).plan.job.target == made  # Anna's journal finishes it


def test_a_restore_another_clone_recorded_is_continued_not_made_again(
    clones: tuple[Repo, Repo], client: ShopClient, app: EmulatorApp
) -> None:
    anna, bob = clones
    first = restore(anna, client, str(KUSTWEG))
    assert first.ok
    git(anna.root, "push", "--quiet", "origin", "main")
    git(bob.root, "fetch", "--quiet")  # Bob has Anna's record commit, not yet merged
    again = restore(bob, client, str(KUSTWEG))
    assert again.ok and again.plan.job.target == first.plan.job.target
    assert products_titled(app, TITLE) == [first.plan.job.target]
