"""Naming a product on the command line, and who owns which fields."""

from __future__ import annotations

import dataclasses

import pytest

from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp, retail
from ecomgit.errors import EcomgitError
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from ecomgit.write.lookup import resolve_product
from ecomgit.write.shopinfo import retail_owned
from tests.write.conftest import KUSTWEG, folder_of


@pytest.mark.parametrize(
    "spec",
    [
        str(KUSTWEG),
        "72418339-kustweg-105-racefiets",
        "products/72418339-kustweg-105-racefiets/",
        "AN-KW105-55",  # a SKU
        "2024183390022",  # an EAN
        "kustweg-105-road-bike",  # the English slug
    ],
)
def test_a_product_is_named_by_id_folder_code_or_slug(synced: Repo, spec: str) -> None:
    assert folder_of(synced, KUSTWEG).name == "72418339-kustweg-105-racefiets"
    assert resolve_product(synced.root, spec) == KUSTWEG


def test_a_code_held_by_a_deleted_product_and_its_successor_is_ambiguous(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    matrix = retail.add_to_matrix(app.shop, [KUSTWEG])
    run_sync(synced, client)
    with pytest.raises(EcomgitError, match=rf"{KUSTWEG} \(deleted from the shop on .*\), {matrix} \(in the mirror\)"):
        resolve_product(synced.root, "AN-KW105-55")
    assert resolve_product(synced.root, "kustweg-105-road-bike") == KUSTWEG  # a slug only the lost one had


def test_retail_ownership_comes_from_the_config_or_the_shop(synced: Repo, client: ShopClient) -> None:
    assert retail_owned(synced, client) is False  # the sample shop's isRetail
    forced = dataclasses.replace(synced, config=dataclasses.replace(synced.config, retail="true"))
    assert retail_owned(forced, client) is True
