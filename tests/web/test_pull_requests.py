"""With GITHUB_TOKEN set, a proposal's branch is pushed to origin and its pull request opened: against a
bare origin (git's ``insteadOf`` maps the GitHub URL to it) and a fake GitHub (an httpx MockTransport)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from ecomgit import gitrepo
from ecomgit.pullrequests import GitHub, github_repo
from ecomgit.shop import Repo
from ecomgit.web.app import make_app
from tests.web.conftest import WADDEN, csrf_of
from tests.write.conftest import KUSTWEG

TOKEN = "ghp_FakeTokenForTheTests0123456789"
GITHUB_URL = "https://github.com/acme/shop.git"


class FakeGitHub:
    """GitHub's pulls endpoint: records each request, answers ``status`` with ``reply``."""

    def __init__(self, status: int = 201, reply: dict[str, object] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.status = status
        self.reply = reply

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        number = len(self.requests)
        reply = self.reply or {"number": number, "html_url": f"https://github.com/acme/shop/pull/{number}"}
        return httpx.Response(self.status, json=reply)


@pytest.fixture
def bare(story: Repo, tmp_path: Path) -> Path:
    """A bare origin holding the story's history, reached through the GitHub URL."""
    path = tmp_path / "github" / "shop.git"
    gitrepo.run(tmp_path, "clone", "--quiet", "--bare", str(story.root), str(path))
    gitrepo.run(story.root, "remote", "add", "origin", GITHUB_URL)
    gitrepo.run(story.root, "config", f"url.{path}.insteadOf", GITHUB_URL)
    return path


@contextmanager
def serving(story: Repo, fake: FakeGitHub) -> Iterator[TestClient]:
    github = GitHub(TOKEN, transport=httpx.MockTransport(fake))
    with TestClient(make_app(story.root, github=github)) as client:
        yield client


def test_a_proposal_is_pushed_and_its_pull_request_opened(
    story: Repo, bare: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    hook = Path(gitrepo.run(story.root, "rev-parse", "--git-path", "hooks").strip())
    hook = hook if hook.is_absolute() else story.root / hook
    hook.mkdir(parents=True, exist_ok=True)
    (hook / "pre-push").write_text('#!/bin/sh\necho "${GITHUB_TOKEN:-unset}" >> .git/pushed-with\n')
    (hook / "pre-push").chmod(0o755)
    fake = FakeGitHub()
    with serving(story, fake) as web:
        done = web.post(f"/lost/{KUSTWEG}/propose", data={"csrf": csrf_of(web.get("/lost").text)})
        assert done.status_code == 200
        assert 'href="https://github.com/acme/shop/pull/1"' in done.text
        assert "review and merge pull request #1" in done.text
        edit = web.get(f"/product/{WADDEN}/edit").text
        form = {"csrf": csrf_of(edit), "base": gitrepo.head(story.root) or "", "name": "Anna", "message": "Shorter"}
        edited = web.post(f"/product/{WADDEN}/edit", data={**form, "description:en": "A gravel bike."})
        assert 'href="https://github.com/acme/shop/pull/2"' in edited.text
        assert TOKEN not in done.text + edited.text
    branch = f"ecomgit/restore-{KUSTWEG}"
    assert gitrepo.run(bare, "rev-parse", branch).strip() == gitrepo.run(story.root, "rev-parse", branch).strip()
    assert gitrepo.run(bare, "rev-parse", f"ecomgit/edit-{WADDEN}-1").strip()
    first = fake.requests[0]
    assert (first.method, first.url.host, first.url.path) == ("POST", "api.github.com", "/repos/acme/shop/pulls")
    assert first.headers["authorization"] == f"Bearer {TOKEN}"
    sent = json.loads(first.content)
    assert (sent["head"], sent["base"]) == (branch, "main") and str(KUSTWEG) in sent["title"]
    assert TOKEN not in first.content.decode() and all(TOKEN not in str(r.url) for r in fake.requests)
    assert (story.root / ".git" / "pushed-with").read_text().split() == ["unset", "unset"]  # git never saw the token


def test_a_refused_pull_request_is_said_without_the_token_and_the_steps_by_hand_shown(story: Repo, bare: Path) -> None:
    fake = FakeGitHub(422, {"message": f"Validation Failed for {TOKEN}", "errors": [{"message": "No commits"}]})
    with serving(story, fake) as web:
        done = web.post(f"/lost/{KUSTWEG}/propose", data={"csrf": csrf_of(web.get("/lost").text)})
    assert done.status_code == 200 and "could not be opened" in done.text
    assert "GitHub answered 422: Validation Failed for ***; No commits" in done.text
    assert TOKEN not in done.text
    assert f"git push -u origin ecomgit/restore-{KUSTWEG}" in done.text  # what to do by hand
    assert gitrepo.run(story.root, "branch", "--list", f"ecomgit/restore-{KUSTWEG}").strip()


def test_an_origin_that_is_not_on_github_gets_no_request(story: Repo, tmp_path: Path) -> None:
    gitrepo.run(story.root, "remote", "add", "origin", str(tmp_path / "elsewhere.git"))
    fake = FakeGitHub()
    with serving(story, fake) as web:
        done = web.post(f"/lost/{KUSTWEG}/propose", data={"csrf": csrf_of(web.get("/lost").text)})
    assert "is not a GitHub repository" in done.text and not fake.requests


def test_github_remote_urls() -> None:
    for url in (
        "https://github.com/acme/shop.git",
        "https://github.com/acme/shop",
        "git@github.com:acme/shop.git",
        "ssh://git@github.com/acme/shop.git",
        "https://x-access-token:abc@github.com/acme/shop.git",
    ):
        assert github_repo(url) == ("acme", "shop"), url
    for url in ("https://gitlab.com/acme/shop.git", "/srv/git/shop.git", "https://github.com.evil.example/a/b"):
        assert github_repo(url) is None, url
    assert "abc" not in repr(GitHub("abcdefgh"))
