"""The web view's pages over a real mirror, through Starlette's in-process client."""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.testclient import TestClient

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp
from ecomgit.errors import MirrorFileError
from ecomgit.history import product_log
from ecomgit.mirror import yamlio
from ecomgit.revisions import deletions
from ecomgit.shop import Repo
from ecomgit.web.index import Index
from ecomgit.web.timeline import timeline
from tests.web.conftest import JERSEY, WADDEN, csrf_of, tell_story
from tests.write.conftest import KUSTWEG, folder_of


def test_the_catalog_lists_every_product_with_a_thumbnail_from_git(web: TestClient, story: Repo) -> None:
    page = web.get("/").text
    assert "Wadden GRX gravelbike" in page and "AN-WGRX-50" in page
    thumb = re.search(r'src="(/image/\d+/[0-9a-f]{40}/[^"]+)"', page)
    assert thumb is not None
    image = web.get(thumb[1])
    assert image.status_code == 200 and image.headers["content-type"].startswith("image/")
    assert 'class="badge lost"' in page and str(KUSTWEG) in page  # the lost product, with its badge


def test_search_by_title_id_sku_ean_and_slug(web: TestClient) -> None:
    assert f"/product/{WADDEN}?" in web.get("/", params={"q": "GRX gravelbike"}).text
    for query in (str(WADDEN), "AN-WGRX-50", "2024183010012", "wadden-grx-gravelbike"):
        page = web.get("/", params={"q": query}).text
        assert f"/product/{WADDEN}?" in page, query
        assert "1 product" in page, query
    english = web.get("/", params={"q": "gravel bike", "lang": "en"}).text
    assert "Wadden GRX gravel bike" in english
    assert "0 products" in web.get("/", params={"q": "no-such-thing-anywhere"}).text


def test_filters_pending_lost_and_changed_since(web: TestClient) -> None:
    pending = web.get("/", params={"show": "pending"}).text
    assert f"/product/{WADDEN}?" in pending and "1 product" in pending  # the edit the shop has not received
    lost = web.get("/", params={"show": "lost"}).text
    assert f"/product/{KUSTWEG}?" in lost and f"/product/{WADDEN}?" not in lost
    assert "0 products" in web.get("/", params={"since": "2999-01-01"}).text


def test_the_product_page_shows_content_and_a_timeline_in_words(web: TestClient) -> None:
    page = web.get(f"/product/{WADDEN}").text
    assert "Shimano GRX" in page  # the content, rendered
    assert "&lt;table" in page  # … and as source
    assert "AN-WGRX-50" in page and "2199" in page  # variants with prices
    assert "Copy: lighter" in page and 'badge kind">edit' in page and 'badge kind">sync' in page
    assert "description [nl]" in page  # the field-level change
    images = re.findall(r'<img src="(/image/[^"]+)" alt="([^"]*)"', page)
    assert len(images) == 4 and "Terschelling" in images[0][1]  # with their titles
    assert all(web.get(src).status_code == 200 for src, _ in images)


def test_shop_html_is_never_rendered_executable(web: TestClient) -> None:
    response = web.get(f"/product/{WADDEN}")
    rendered = response.text.split("<details>")[0]
    assert "<script>" not in response.text and "onerror=" not in rendered
    assert "&lt;script&gt;" in response.text  # the source is shown, escaped
    assert "<b>lighter</b>" in rendered  # harmless formatting stays
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp


def test_the_lost_page_says_when_by_which_action_the_successor_and_the_plan(web: TestClient) -> None:
    page = web.get("/lost").text
    assert f"#{KUSTWEG}" in page and f"/product/{JERSEY}?" in page
    assert "merged it or added it into a matrix" in page and "Graft its content" in page
    assert f"ecomgit restore {KUSTWEG} --onto {JERSEY}" in page
    assert web.get(f"/product/{KUSTWEG}").status_code == 200  # its last version, marked lost


def test_propose_restore_makes_a_branch_and_a_post_without_csrf_is_refused(web: TestClient, story: Repo) -> None:
    head = gitrepo.head(story.root)
    refused = web.post(f"/lost/{KUSTWEG}/propose", data={})
    assert refused.status_code == 403
    forged = web.post(f"/lost/{KUSTWEG}/propose", data={"csrf": "x" * 32})
    assert forged.status_code == 403
    assert not gitrepo.run(story.root, "branch", "--list", "ecomgit/*").strip()
    page = web.get("/lost").text
    done = web.post(f"/lost/{KUSTWEG}/propose", data={"csrf": csrf_of(page)})
    assert done.status_code == 200
    assert f"git push -u origin ecomgit/restore-{KUSTWEG}" in done.text
    assert f"ecomgit/restore-{KUSTWEG}" in gitrepo.run(story.root, "branch", "--list", "ecomgit/*")
    assert gitrepo.head(story.root) == head  # HEAD, the index and the work tree untouched
    assert not gitrepo.run(story.root, "status", "--porcelain").strip()
    branches = web.get("/branches").text
    assert f"ecomgit/restore-{KUSTWEG}" in branches and "description [nl]" in branches
    added = re.findall(rf'<img src="(/image/{JERSEY}/[0-9a-f]{{40}}/[^"]+)" alt="after: ', branches)
    assert added and all(web.get(src).status_code == 200 for src in added)  # the images it brings back


def test_no_url_reaches_outside_the_repository(web: TestClient, story: Repo) -> None:
    head = gitrepo.head(story.root)
    for url in (
        f"/image/{WADDEN}/{head}/..%2F..%2Fproduct.yaml",
        f"/image/{WADDEN}/{head}/../../../../etc/passwd",
        f"/image/{WADDEN}/HEAD/01-wadden-grx-zijkant.jpg",
        f"/image/{WADDEN}/{head}/product.yaml",
        f"/image/{JERSEY}/{head}/01-wadden-grx-zijkant.jpg",  # another product's image name
        "/static/../index.py",
        "/product/..%2F..%2Fetc",
    ):
        response = web.get(url)
        assert response.status_code == 404, url
        assert b"root:" not in response.content and b"id: " not in response.content


def test_the_index_is_updated_incrementally(story: Repo) -> None:
    index = Index(story.root)
    first = index.refresh()
    assert index.search("wadden")[1] >= 1
    gitrepo.run(story.root, "commit", "--allow-empty", "-m", "nothing")
    assert index.refresh() != first
    assert index.touches(WADDEN)[1] == 2


def test_the_timeline_matches_ecomgit_log_and_reads_the_same_from_its_cache(web: TestClient, story: Repo) -> None:
    languages = list(story.config.languages)
    fresh = timeline(story.root, WADDEN, languages)
    logged = product_log(story.root, WADDEN, languages)
    assert [s.commit for s in fresh] == [e.commit for e in logged]
    for step, entry in zip(fresh, logged, strict=True):
        words = [c.words for c in entry.change.changes] if entry.change else []
        assert [c.words for c in step.changes] == words
    first = web.get(f"/product/{WADDEN}").text
    assert Index(story.root).steps(WADDEN)  # kept
    assert web.get(f"/product/{WADDEN}").text == first


def test_the_index_is_rebuilt_when_head_moves_elsewhere(story: Repo) -> None:
    index = Index(story.root)
    index.refresh()
    assert index.touches(WADDEN)[1] == 2
    gitrepo.run(story.root, "reset", "--hard", "-q", "HEAD~2")  # back before the edit and the deletion
    index.refresh()
    assert index.touches(WADDEN)[1] == 1 and index.product(KUSTWEG) is not None


def test_an_index_built_before_the_story_follows_it_incrementally(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    index = Index(synced.root)
    index.refresh()
    assert index.product(KUSTWEG) is not None
    tell_story(synced, client, app)  # an edit, then a sync that sees a deletion
    index.refresh()
    assert index.product(KUSTWEG) is None and index.touches(WADDEN)[1] == 2
    assert index.search("AN-WGRX-50")[1] == 1


def test_the_index_knows_the_deletions_as_history_does_also_incrementally(
    synced: Repo, client: ShopClient, app: EmulatorApp
) -> None:
    index = Index(synced.root)
    index.refresh()
    assert index.deletions() == deletions(synced.root) == []
    tell_story(synced, client, app)  # a sync that sees a deletion
    index.refresh()
    assert [d.pid for d in index.deletions()] == [KUSTWEG]
    assert index.deletions() == deletions(synced.root)
    gitrepo.run(synced.root, "rm", "-q", "-r", str(folder_of(synced, JERSEY)))
    gitrepo.run(synced.root, "commit", "-q", "-m", "a person removes a folder")
    index.refresh()
    assert index.deletions() == deletions(synced.root) and len(index.deletions()) == 2
    assert Index(synced.root).deletions() == deletions(synced.root)  # kept in the file


def test_the_timeline_reads_each_version_key_by_key_with_the_same_values(story: Repo) -> None:
    for folder in sorted((story.root / "products").iterdir()):
        text = (folder / "product.yaml").read_text(encoding="utf-8")
        loaded, by_key = yamlio.load(text, "x"), yamlio.load_by_key(text, "x")
        assert by_key == loaded and list(by_key) == list(loaded)
    odd = (
        "id: 1\n'title': x\n",
        "id: 1\nid: 2\n",
        "# note\nid: 1\n",
        "id: 1\r\ntitle: x\r\n",
        "- 1\n",
        "id: 1\nt: [\n",
    )
    for text in odd:  # not split, or failing: the whole file's values, or its error with its line
        assert _outcome(yamlio.load_by_key, text) == _outcome(yamlio.load, text), text
    assert "x:3" in _outcome(yamlio.load_by_key, odd[-1])


def _outcome(load: Callable[[str, str], object], text: str) -> object:
    try:
        return load(text, "x")
    except MirrorFileError as exc:
        return str(exc)
