"""The web view's access rules: loopback by default, a token everywhere else, on every request."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from ecomgit.cli.main import cli
from ecomgit.errors import EcomgitError
from ecomgit.shop import Repo
from ecomgit.web.app import make_app
from ecomgit.web.security import TOKEN_ENV, required_token

TOKEN = "t0ken-for-tests-0123456789abcdef"


def test_a_non_loopback_host_without_a_token_refuses_to_start_and_says_how_to_make_one(
    synced: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(synced.root)
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    with pytest.raises(EcomgitError) as refused:
        CliRunner().invoke(cli, ["web", "--host", "0.0.0.0", "--port", "0"], catch_exceptions=False)
    assert TOKEN_ENV in str(refused.value) and "secrets.token_urlsafe(32)" in str(refused.value)
    assert required_token("127.0.0.1", None) is None and required_token("::1", None) is None
    assert required_token("192.168.1.5", TOKEN) == TOKEN
    with pytest.raises(EcomgitError):
        required_token("192.168.1.5", "short")


def test_with_a_token_every_request_must_carry_it(synced: Repo) -> None:
    with TestClient(make_app(synced.root, token=TOKEN)) as web:
        for url in ("/", "/lost", "/branches", "/product/72418301", "/static/style.css"):
            assert web.get(url).status_code == 401, url
        assert web.get("/", params={"token": "wrong" * 8}).status_code == 401
        assert web.get("/", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        opened = web.get("/", params={"token": TOKEN}, follow_redirects=False)  # the printed URL
        assert opened.status_code == 303 and "token" not in opened.headers["location"]
        assert web.get("/lost").status_code == 200  # the cookie it set carries it from then on
        assert TOKEN not in web.get("/").text


def test_credentials_never_reach_the_page(synced: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECOMGIT_API_KEY", "key-that-must-not-show")
    monkeypatch.setenv("ECOMGIT_API_SECRET", "secret-that-must-not-show")
    with TestClient(make_app(synced.root)) as web:
        for url in ("/", "/lost", "/branches", "/product/72418301"):
            page = web.get(url).text
            assert "must-not-show" not in page, url
    assert os.environ["ECOMGIT_API_KEY"]  # still set: nothing here unset it to pass


def test_a_foreign_host_header_is_refused_on_loopback(synced: Repo) -> None:
    app = make_app(synced.root, allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://evil.example") as web:
        assert web.get("/").status_code == 400  # DNS rebinding: a page elsewhere cannot read this one
