"""The web view's actions: each a commit on a new branch for review, never a write to the shop, the
work tree or the index."""

from __future__ import annotations

import html
import re

from starlette.testclient import TestClient

from ecomgit import gitrepo
from ecomgit.api import ShopClient
from ecomgit.mirror import files
from ecomgit.shop import Repo
from ecomgit.sync.run import run_sync
from ecomgit.web.app import make_app
from tests.web.conftest import WADDEN, csrf_of

LAUWERSMEER = 72418314


def untouched(repo: Repo, head: str | None) -> None:
    assert gitrepo.head(repo.root) == head
    assert not gitrepo.run(repo.root, "status", "--porcelain").strip()


def form_of(page: str) -> dict[str, str]:
    """The edit form's fields as the page fills them in (a browser sends them so)."""
    fields = dict(re.findall(r'<input type="(?:hidden|text)" name="([^"]+)" value="([^"]*)"', page))
    fields.update(
        {name: value for name, value in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S)}
    )
    return {name: html.unescape(value) for name, value in fields.items()}


def test_edit_copy_commits_on_a_new_branch_by_the_person(web: TestClient, story: Repo) -> None:
    head = gitrepo.head(story.root)
    form = form_of(web.get(f"/product/{WADDEN}/edit").text)
    assert form["content:nl"].startswith("<p>De <strong>Wadden GRX</strong>")
    form.update({"description:en": "Our favourite gravel bike.", "name": "Ada Copy", "message": "Summer copy"})
    done = web.post(f"/product/{WADDEN}/edit", data=form)
    assert done.status_code == 200, done.text
    branch = f"ecomgit/edit-{WADDEN}-1"
    assert f"git push -u origin {branch}" in done.text
    untouched(story, head)
    author = gitrepo.run(story.root, "log", "-1", "--format=%an|%s", branch).strip()
    assert author == "Ada Copy|Summer copy"
    changed = gitrepo.run(story.root, "diff", "--name-only", f"{head}..{branch}").split()
    assert changed == [next(p for p in changed if p.startswith(f"products/{WADDEN}-"))]
    text = gitrepo.blob(story.root, branch, changed[0])
    assert text is not None
    product = files.yamlio.load(text.decode(), "x")
    assert product["description"]["en"] == "Our favourite gravel bike."
    assert "\r\n" in product["content"]["nl"]  # the text area's line ends, as the text had them
    assert gitrepo.run(story.root, "diff", f"{head}..{branch}", "--stat").count("|") == 1  # only that file
    branches = web.get("/branches").text
    assert branch in branches and "Our favourite gravel bike." in branches and "Ada Copy" in branches
    again = web.post(f"/product/{WADDEN}/edit", data={**form, "description:en": "Second try."})
    assert again.status_code == 200 and f"ecomgit/edit-{WADDEN}-2" in again.text


def test_an_edit_without_csrf_or_without_changes_is_refused(web: TestClient, story: Repo) -> None:
    head = gitrepo.head(story.root)
    form = form_of(web.get(f"/product/{WADDEN}/edit").text)
    form["name"] = "Ada Copy"
    assert web.post(f"/product/{WADDEN}/edit", data={k: v for k, v in form.items() if k != "csrf"}).status_code == 403
    nothing = web.post(f"/product/{WADDEN}/edit", data=form)
    assert nothing.status_code == 409 and "nothing changed" in nothing.text
    assert not gitrepo.run(story.root, "branch", "--list", "ecomgit/*").strip()
    untouched(story, head)


def test_retail_owned_texts_are_read_only_on_a_retail_linked_shop(story: Repo) -> None:
    config = story.root / ".ecomgit" / "config.yaml"
    config.write_text(config.read_text().replace("retail: auto", "retail: 'true'"))
    with TestClient(make_app(story.root)) as web:
        page = web.get(f"/product/{WADDEN}/edit").text
        assert "owned by Lightspeed Retail" in page and "readonly" in page
        form = form_of(page)
        form.update({"title:nl": "Retail's title", "description:nl": "Nieuwe tekst.", "name": "Ada"})
        done = web.post(f"/product/{WADDEN}/edit", data=form)
    assert done.status_code == 200
    assert f"description [nl] of product {WADDEN}" in done.text and "title [nl]" not in done.text


def test_undo_this_change_proposes_a_branch(synced: Repo, client: ShopClient) -> None:
    client.put(f"products/{LAUWERSMEER}", "product", {"description": "An app rewrote this."})
    rev = run_sync(synced, client).commit
    assert rev is not None
    head = gitrepo.head(synced.root)
    with TestClient(make_app(synced.root)) as web:
        page = web.get(f"/product/{LAUWERSMEER}").text
        assert f"/product/{LAUWERSMEER}/undo/{rev}" in page and "An app rewrote this." in page
        done = web.post(f"/product/{LAUWERSMEER}/undo/{rev}", data={"csrf": csrf_of(page)})
        assert done.status_code == 200, done.text
        assert "ecomgit/undo-" in done.text
        untouched(synced, head)
        branch = gitrepo.run(synced.root, "branch", "--list", "--format=%(refname:short)", "ecomgit/undo-*").strip()
        diff = gitrepo.run(synced.root, "diff", f"{head}..{branch}")
        assert "-  nl: An app rewrote this." in diff
        assert branch in web.get("/branches").text
