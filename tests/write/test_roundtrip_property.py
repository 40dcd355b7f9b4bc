"""Property: any text goes from the shop into the mirror and from the mirror back to the shop exactly."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.mirror import files, layout
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from tests.write.conftest import KUSTWEG, edit, folder_of, push

# Any text the API can carry in JSON: lone surrogates ("\ud800", legal in JSON), NUL, CRLF, tabs,
# control characters, trailing spaces and newlines, YAML syntax ("#", ": ", "- ", quotes), emoji,
# RTL marks, a literal backslash-u (the mirror's escape for surrogates).
PIECES = st.characters(exclude_categories=()) | st.sampled_from(["\ud800", "\\ud800", "\x00", "\r\n"])
TEXTS = st.lists(PIECES, max_size=60).map("".join)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(from_shop=TEXTS, from_mirror=TEXTS)
def test_any_text_round_trips_shop_to_mirror_to_shop(
    synced: Repo, client: ShopClient, app: EmulatorApp, from_shop: str, from_mirror: str
) -> None:
    shop = app.shop.products[KUSTWEG]
    shop.texts["en"]["content"] = from_shop
    app.shop.touch_product(shop)
    run_sync(synced, client)
    path = folder_of(synced, KUSTWEG) / layout.PRODUCT_FILE
    assert files.read_product(path)["content"]["en"] == from_shop

    def change(product: dict[str, Any]) -> None:
        product["content"]["en"] = from_mirror

    if from_mirror == from_shop:
        return
    edit(synced, KUSTWEG, change)
    result = push(synced, client)
    assert result.ok, [(job.refused, job.error, job.mismatches) for job in result.plan.jobs]
    assert shop.texts["en"]["content"] == from_mirror
    assert files.read_product(path)["content"]["en"] == from_mirror
