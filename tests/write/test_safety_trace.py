"""Nothing a write destroys goes without a trace in git (issue 23, item 3).

A value ecomgit writes over that no commit holds (a shop edit since the last sync, overwritten by
``push --ours`` or a restore) is kept, whole, in the record commit; a colleague's edit that lands
while ecomgit writes the same product is told apart from a write that did not take. Races are made
at a state (a WSGI wrapper that edits the shop the moment a given write was answered), never with a
sleep.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from typing import Any

import httpx

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.emulator.pngs import tiny_png
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from tests.conftest import EMULATOR_URL
from tests.write.conftest import KUSTWEG, edit, push, restore

BACK_OFFICE = 'Typed in the back office,\nnever synced: "keep me" ✓'


def shop_edit(app: EmulatorApp, lang: str, field: str, text: str) -> None:
    product = app.shop.products[KUSTWEG]
    product.texts[lang][field] = text
    app.shop.touch_product(product)


def message(repo: Repo) -> str:
    return gitrepo.run(repo.root, "log", "-1", "--format=%B")


def test_push_ours_keeps_the_shop_text_it_writes_over_in_the_record(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "Ours."))
    shop_edit(app, "en", "description", BACK_OFFICE)  # no sync since: no commit holds it
    result = push(synced, client, prefer="ours")
    assert result.ok and app.shop.products[KUSTWEG].texts["en"]["description"] == "Ours."
    body = message(synced)
    assert (
        'overwritten description [en], the shop had: "Typed in the back office,\\nnever synced: \\"keep me\\" ✓"'
        in body
    )


def test_a_plain_push_keeps_nothing_git_already_holds(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "Ours."))
    assert push(synced, client).ok
    assert "overwritten" not in message(synced)  # the old text is the base: in git already


def test_restore_keeps_an_unsynced_shop_edit_it_writes_over(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    shop_edit(app, "nl", "content", BACK_OFFICE)
    result = restore(synced, client, str(KUSTWEG), rev="HEAD")
    assert result.ok
    body = message(synced)
    assert "Kept from the shop:" in body and "overwritten content [nl], the shop had: " in body
    assert '"Typed in the back office,\\nnever synced: \\"keep me\\" ✓"' in body


class AfterWrite:
    """The emulator, edited by ``then()`` the moment the first PUT whose path holds ``marker`` is
    answered: a colleague working on the same product while ecomgit writes it."""

    def __init__(self, app: EmulatorApp, marker: str, then: Callable[[], None]) -> None:
        self.app, self.marker, self.then, self.done = app, marker, then, False

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        answer = self.app(environ, start_response)
        if environ["REQUEST_METHOD"] == "PUT" and self.marker in environ["PATH_INFO"] and not self.done:
            self.done = True
            self.then()
        return answer


def test_a_colleague_writing_the_same_field_meanwhile_is_named_as_such(synced: Repo, app: EmulatorApp) -> None:
    """A write that is read back (a tag besides the texts: no PUT answer shows a tag link) sees a
    colleague's text typed after ours was answered."""

    def ours(product: dict[str, Any]) -> None:
        product["description"].update(nl="Onze tekst.", en="Our text.")
        product["tags"] = []

    edit(synced, KUSTWEG, ours)
    hook = AfterWrite(app, "/en/products/", lambda: shop_edit(app, "en", "description", "The colleague's text."))
    with ShopClient(EMULATOR_URL, language="nl", transport=httpx.WSGITransport(app=hook)) as client:  # type: ignore[arg-type]
        result = push(synced, client)
    assert hook.done and not result.ok
    [job] = result.plan.jobs
    [line] = job.mismatches
    assert line.startswith("description [en]: changed in the shop by someone else while this write ran: ")
    assert "sent 'Our text.'" in line and "The colleague's text." in line.split("now ")[-1]
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "The colleague's text."  # not written over


def test_a_text_push_verifies_by_the_shops_answer_and_the_next_sync_records_a_later_edit(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    """Texts alone are verified by the PUT's answer (the stored product): no read-back request. A
    colleague's edit after that answer is a later edit like any other: the record holds what the shop
    answered, and the next sync brings the colleague's text, ours kept in history."""
    edit(synced, KUSTWEG, lambda p: p["description"].update(nl="Onze tekst.", en="Our text."))
    hook = AfterWrite(app, "/en/products/", lambda: shop_edit(app, "en", "description", "The colleague's text."))
    with ShopClient(EMULATOR_URL, language="nl", transport=httpx.WSGITransport(app=hook)) as other:  # type: ignore[arg-type]
        result = push(synced, other)
    assert hook.done and result.ok
    pushed = gitrepo.head(synced.root)
    assert "Our text." in (synced.root / _file(synced)).read_text(encoding="utf-8")
    assert run_sync(synced, client).commit is not None
    assert "The colleague's text." in (synced.root / _file(synced)).read_text(encoding="utf-8")
    assert "Our text." in gitrepo.run(synced.root, "show", f"{pushed}:{_file(synced)}")


def test_a_colleague_editing_another_field_meanwhile_is_recorded(synced: Repo, app: EmulatorApp) -> None:
    edit(synced, KUSTWEG, lambda p: p["description"].update(nl="Onze tekst.", en="Our text."))
    hook = AfterWrite(app, "/nl/products/", lambda: shop_edit(app, "en", "content", "The colleague's content."))
    with ShopClient(EMULATOR_URL, language="nl", transport=httpx.WSGITransport(app=hook)) as client:  # type: ignore[arg-type]
        result = push(synced, client)
    assert hook.done and result.ok  # what we sent holds; the colleague's field is theirs
    body = message(synced)
    assert "note: content [en]: changed in the shop by someone else while this write ran" in body
    assert "The colleague's content." in (synced.root / _file(synced)).read_text(encoding="utf-8")


def _file(repo: Repo) -> str:
    [name] = [n for n in gitrepo.tree_names(repo.root, "HEAD", "products") if n.startswith(f"{KUSTWEG}-")]
    return f"products/{name}/product.yaml"


def test_restore_keeps_the_address_of_a_shop_image_it_removes(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    """An image added in the back office since the last sync: no commit holds its bytes, so the
    record names where the CDN served it."""
    body = {"attachment": base64.b64encode(tiny_png(7)).decode("ascii"), "filename": "from-the-back-office.png"}
    added = client.post(f"products/{KUSTWEG}/images", "productImage", body)
    src = str(added["src"])
    result = restore(synced, client, str(KUSTWEG), rev="HEAD")
    assert result.ok and added["id"] not in [image.id for image in app.shop.products[KUSTWEG].images]
    assert f"overwritten images, the shop had: {src} (image {added['id']})" in message(synced)


# -- each write group is read again just before its own first write --------------------------------


def test_a_colleague_edit_to_a_later_part_stops_the_write_there(synced: Repo, app: EmulatorApp) -> None:
    """Push writes the texts first, then the variants: a colleague's price edit that lands after
    the texts were written is found before the variants are, and is not written over."""
    edit(
        synced,
        KUSTWEG,
        lambda p: (p["description"].__setitem__("en", "Our text."), p["variants"][0].__setitem__("oldPriceExcl", 1500)),
    )
    variant = app.shop.products[KUSTWEG].variants[0]

    def colleague() -> None:
        variant.oldPriceExcl = 1399
        app.shop.touch_product(app.shop.products[KUSTWEG])

    hook = AfterWrite(app, "/en/products/", colleague)
    with ShopClient(EMULATOR_URL, language="nl", transport=httpx.WSGITransport(app=hook)) as client:  # type: ignore[arg-type]
        result = push(synced, client)
    assert hook.done and not result.ok
    assert variant.oldPriceExcl == 1399  # the colleague's price stays
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "Our text."  # written before it
    [job] = result.plan.jobs
    assert job.error is not None and job.error.startswith("stopped before writing its variants: the shop changed ")
    assert "oldPriceExcl" in job.error
    [conflict] = job.conflict_lines()
    assert "shop has 1399" in conflict and "here 1500" in conflict
