"""Writes that cannot half-happen: an interrupted push or restore, run again, finishes the job
without making a second product, variant, image or link; a lost answer is looked for, not re-sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp, retail
from ecomgit.errors import EcomgitError
from ecomgit.mirror import files, layout
from ecomgit.revisions import pending_products
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from tests.conftest import EMULATOR_URL
from tests.write.conftest import KUSTWEG, edit, folder_of, push, restore

Match = Callable[[httpx.Request], bool]


class Breaking(httpx.BaseTransport):
    """The emulator, except at the ``nth`` request that ``match``es: Ctrl-C before it is sent
    (``after=False``), or the answer lost after the shop handled it (``after=True``)."""

    def __init__(self, app: EmulatorApp, match: Match, nth: int = 1, *, after: bool = False) -> None:
        self.inner = httpx.WSGITransport(app=app)
        self.match, self.nth, self.after = match, nth, after
        self.hits = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.match(request):
            self.hits += 1
            if self.hits == self.nth:
                if not self.after:
                    raise KeyboardInterrupt
                self.inner.handle_request(request)
                raise httpx.ReadError("connection dropped before the answer", request=request)
        return self.inner.handle_request(request)


def posts_to(suffix: str) -> Match:
    return lambda request: request.method == "POST" and request.url.path.endswith(suffix)


def breaking_client(app: EmulatorApp, match: Match, nth: int = 1, *, after: bool = False) -> ShopClient:
    return ShopClient(EMULATOR_URL, language="nl", transport=Breaking(app, match, nth, after=after))


def products_titled(app: EmulatorApp, title: str) -> list[int]:
    return [p.id for p in app.shop.products.values() if p.texts["nl"]["title"] == title]


@pytest.fixture
def deleted(synced: Repo, client: ShopClient, app: EmulatorApp) -> dict[str, Any]:
    before = files.read_product(folder_of(synced, KUSTWEG) / layout.PRODUCT_FILE)
    retail.delete_from_ecom(app.shop, KUSTWEG)
    run_sync(synced, client)
    return before


@pytest.mark.parametrize("suffix", ["/images.json", "/relations.json", "tags/products.json"])
def test_ctrl_c_during_a_recreation_then_restore_again_makes_no_second_product(
    synced: Repo, client: ShopClient, app: EmulatorApp, deleted: dict[str, Any], suffix: str
) -> None:
    title = deleted["title"]["nl"]
    with breaking_client(app, posts_to(suffix)) as interrupted, pytest.raises(KeyboardInterrupt):
        restore(synced, interrupted, str(KUSTWEG))
    [made] = products_titled(app, title)  # the product exists, half-way
    assert gitrepo.dirty_paths(synced.root, ["products"]) == []  # nothing half-written in the mirror

    result = restore(synced, client, str(KUSTWEG))
    assert result.ok, result.plan.job.mismatches
    assert result.plan.job.target == made
    assert products_titled(app, title) == [made]
    shop = app.shop.products[made]
    assert len(shop.images) == len(deleted["images"])
    assert len(shop.variants) == len(deleted["variants"])
    assert len(shop.tag_links) == len(deleted["tags"]) and len(shop.relations) == len(deleted["relations"])
    assert gitrepo.trailers(synced.root, "HEAD", gitrepo.RESTORED_TRAILER) == [f"{KUSTWEG} -> {made}"]


def test_a_lost_answer_to_the_create_is_found_not_sent_again(
    synced: Repo, client: ShopClient, app: EmulatorApp, deleted: dict[str, Any]
) -> None:
    with breaking_client(app, posts_to("/nl/products.json"), after=True) as flaky:
        result = restore(synced, flaky, str(KUSTWEG))
    assert result.ok, (result.plan.job.error, result.plan.job.mismatches)
    assert len(products_titled(app, deleted["title"]["nl"])) == 1


def test_restoring_a_restored_product_again_goes_to_the_same_copy(
    synced: Repo, client: ShopClient, app: EmulatorApp, deleted: dict[str, Any]
) -> None:
    first = restore(synced, client, str(KUSTWEG))
    again = restore(synced, client, str(KUSTWEG))
    assert again.ok and again.plan.job.target == first.plan.job.target
    assert again.plan.mode.startswith(f"into product {first.plan.job.target}")
    assert len(products_titled(app, deleted["title"]["nl"])) == 1


def test_ctrl_c_after_a_new_variant_was_made_then_push_again_makes_no_second(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    def add_variant(product: dict[str, Any]) -> None:
        extra = {**product["variants"][-1], "id": None, "isDefault": False, "sortOrder": 4}
        extra.update(sku="AN-KW105-61", articleCode="AN-KW105-61", ean="2024183390046")
        extra["title"] = {"nl": '"Framemaat: 61"', "en": '"Frame size: 61"'}
        product["variants"].append(extra)

    edit(synced, KUSTWEG, add_variant)
    is_english_title = lambda request: request.method == "PUT" and request.url.path.startswith("/en/variants/")  # noqa: E731
    with breaking_client(app, is_english_title) as interrupted, pytest.raises(KeyboardInterrupt):
        push(synced, interrupted)
    assert len(app.shop.products[KUSTWEG].variants) == 4  # made, its English title not yet sent

    result = push(synced, client)
    assert result.ok, [(job.refused, job.error, job.conflict_lines()) for job in result.plan.jobs]
    variants = app.shop.products[KUSTWEG].variants
    assert [v.sku for v in variants].count("AN-KW105-61") == 1
    assert next(v for v in variants if v.sku == "AN-KW105-61").titles["en"] == '"Frame size: 61"'
    assert pending_products(synced.root) == {}


def test_a_push_that_writes_nothing_makes_no_commit(synced: Repo, client: ShopClient, app: EmulatorApp) -> None:
    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "Ours."))
    app.shop.products[KUSTWEG].texts["en"]["description"] = "Theirs."
    app.shop.touch_product(app.shop.products[KUSTWEG])
    head = gitrepo.head(synced.root)
    assert not push(synced, client).ok
    assert gitrepo.head(synced.root) == head
    assert list(pending_products(synced.root)) == [KUSTWEG]


def test_ctrl_c_while_recording_leaves_the_mirror_as_it_was(
    synced: Repo, client: ShopClient, app: EmulatorApp, deleted: dict[str, Any]
) -> None:
    head = gitrepo.head(synced.root)
    downloads = lambda request: request.url.path.startswith("/cdn/")  # noqa: E731 - the record's image downloads
    with breaking_client(app, downloads) as interrupted, pytest.raises(KeyboardInterrupt):
        restore(synced, interrupted, str(KUSTWEG))
    assert gitrepo.head(synced.root) == head
    assert gitrepo.dirty_paths(synced.root, ["products", "shop"]) == []
    result = restore(synced, client, str(KUSTWEG))  # run again: finishes into the same product
    assert result.ok and products_titled(app, deleted["title"]["nl"]) == [result.plan.job.target]


def test_after_a_killed_push_the_half_written_files_are_named_as_such(synced: Repo, client: ShopClient) -> None:
    lock_file = synced.work_dir / "lock"
    lock_file.write_text("4194303 push\n")  # what a push killed with -9 leaves: its pid and command
    path = folder_of(synced, KUSTWEG) / layout.PRODUCT_FILE
    path.write_text(path.read_text().replace("visibility: visible", "visibility: hidden"))
    with pytest.raises(EcomgitError, match="ecomgit push was killed while it wrote its result"):
        push(synced, client)


# -- issue 23 item 17: after a killed push, the advice is always to run the command again ----------


@pytest.fixture
def killed_while_recording(synced: Repo, client: ShopClient, app: EmulatorApp, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """A push of an edit whose process died (kill -9) after it wrote the record's files into the
    mirror and before it committed them: no clean-up ran, the lock file was emptied since (a
    command run in between, e.g. the first retry that gave advice), the files are half-written."""
    import contextlib

    from ecomgit.write import push as push_module

    edit(synced, KUSTWEG, lambda p: p["description"].__setitem__("en", "Pushed, then killed."))
    product = app.shop.products[KUSTWEG]  # a back-office edit of another field: the record differs from HEAD
    product.texts["nl"]["content"] = "In de backoffice bewerkt."
    app.shop.touch_product(product)
    head = gitrepo.head(synced.root)

    def killed(*args: Any, **kwargs: Any) -> str:
        raise SystemExit(137)  # the process is gone: nothing after this runs

    with monkeypatch.context() as patch:
        patch.setattr(push_module, "put_back_unless_committed", lambda *a: contextlib.nullcontext())
        patch.setattr(push_module, "commit_record", killed)
        with pytest.raises(SystemExit):
            push(synced, client)
    assert gitrepo.head(synced.root) == head
    assert gitrepo.dirty_paths(synced.root, ["products"]), "the record's files are half-written"
    return synced


def test_push_again_after_a_kill_puts_the_half_written_files_aside_and_finishes(
    killed_while_recording: Repo, client: ShopClient, app: EmulatorApp, caplog: pytest.LogCaptureFixture
) -> None:
    repo = killed_while_recording
    result = push(repo, client)  # before: "uncommitted change(s) in the mirror …; commit them"
    assert result.ok and result.commit is not None
    assert app.shop.products[KUSTWEG].texts["en"]["description"] == "Pushed, then killed."
    assert gitrepo.dirty_paths(repo.root, ["products", "shop"]) == []
    assert pending_products(repo.root) == {}
    assert "put aside ('git stash list')" in caplog.text
    assert "files a killed push half-wrote" in gitrepo.run(repo.root, "stash", "list")


def test_sync_after_a_killed_push_goes_on_and_a_persons_edit_is_still_theirs(
    killed_while_recording: Repo, client: ShopClient
) -> None:
    repo = killed_while_recording
    notes = repo.root / "products" / "notes.txt"
    notes.write_text("a person's file\n")
    with pytest.raises(EcomgitError, match=r"1 uncommitted change\(s\) in the mirror \(e\.g\. products/notes\.txt\)"):
        run_sync(repo, client)
    assert notes.exists()
    notes.unlink()
    run_sync(repo, client)  # the half-written files were put aside at the first try
    assert gitrepo.dirty_paths(repo.root, ["products", "shop"]) == []
