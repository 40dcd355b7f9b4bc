"""init, config and credentials: what a new user meets first."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ecomgit import config, credentials, gitrepo
from ecomgit.api import ShopClient
from ecomgit.errors import ConfigError, CredentialsError, GitError, MirrorFileError
from ecomgit.init import init_repo
from ecomgit.shop import open_repo

URL = "http://localhost"


def test_init_discovers_the_languages_default_first(tmp_path: Path, client: ShopClient) -> None:
    cfg = init_repo(tmp_path / "m", URL, [], client)
    assert cfg.languages == ("nl", "en")
    assert (tmp_path / "m" / ".ecomgit" / "config.yaml").exists()
    assert gitrepo.run(tmp_path / "m", "log", "--format=%s").startswith("ecomgit init:")
    assert open_repo(tmp_path / "m" / ".ecomgit").config == cfg  # found from a subfolder too


def test_init_with_chosen_languages_and_unknown_ones(tmp_path: Path, client: ShopClient) -> None:
    assert init_repo(tmp_path / "a", URL, ["en"], client).languages == ("en",)
    with pytest.raises(ConfigError, match="not active in the shop"):
        init_repo(tmp_path / "b", URL, ["nl", "xx"], client)


def test_init_adopts_an_existing_repository_but_never_twice(tmp_path: Path, client: ShopClient) -> None:
    path = tmp_path / "existing"
    gitrepo.init(path)
    (path / "README.md").write_text("my notes\n")
    gitrepo.stage(path, ["README.md"])
    gitrepo.commit(path, "my first commit\n")
    init_repo(path, URL, [], client)
    assert (path / "README.md").read_text() == "my notes\n"
    with pytest.raises(ConfigError, match="already an ecomgit repository"):
        init_repo(path, URL, [], client)


def test_the_config_never_holds_secrets(tmp_path: Path, client: ShopClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECOMGIT_API_KEY", "key-123")
    monkeypatch.setenv("ECOMGIT_API_SECRET", "secret-456")
    init_repo(tmp_path / "m", URL, [], client)
    text = (tmp_path / "m" / ".ecomgit" / "config.yaml").read_text()
    assert "key-123" not in text and "secret-456" not in text


def test_a_broken_config_names_file_and_problem(tmp_path: Path, client: ShopClient) -> None:
    init_repo(tmp_path / "m", URL, [], client)
    path = tmp_path / "m" / ".ecomgit" / "config.yaml"
    path.write_text("api_url: ftp://x\nlanguages: [nl]\n")
    with pytest.raises(MirrorFileError, match="api_url"):
        config.load(tmp_path / "m")
    path.write_text("api_url: http://x\nlanguages: [nl\n")
    with pytest.raises(MirrorFileError) as caught:
        config.load(tmp_path / "m")
    assert caught.value.line is not None and str(path) in str(caught.value)


def test_outside_a_repository_the_error_says_run_init(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="ecomgit init"):
        open_repo(tmp_path)
    gitrepo.init(tmp_path / "plain")
    with pytest.raises(ConfigError, match="ecomgit init"):
        open_repo(tmp_path / "plain")


def test_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECOMGIT_API_KEY", "k")
    monkeypatch.setenv("ECOMGIT_API_SECRET", "s")
    creds = credentials.load("https://api.webshopapp.com")
    assert creds is not None and (creds.key, creds.secret) == ("k", "s")
    assert "k" not in repr(creds).replace("key", "") and "s" not in repr(creds).replace("secret", "").replace(
        "Credentials", ""
    )
    monkeypatch.delenv("ECOMGIT_API_SECRET")
    with pytest.raises(CredentialsError, match="both"):
        credentials.load("https://api.webshopapp.com")


def test_a_real_shop_needs_credentials_a_local_emulator_does_not() -> None:
    assert credentials.load("http://127.0.0.1:8123") is None
    assert credentials.load("http://localhost:8123") is None
    with pytest.raises(CredentialsError, match="ECOMGIT_API_KEY"):
        credentials.load("https://api.webshopapp.com")


def test_the_credentials_file_must_be_private_and_outside_the_repo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "creds"
    path.write_text("key: abc\nsecret: 'def'\n")
    monkeypatch.setenv("ECOMGIT_CREDENTIALS_FILE", str(path))
    os.chmod(path, 0o644)
    with pytest.raises(CredentialsError, match="chmod 600"):
        credentials.load("https://api.webshopapp.com")
    os.chmod(path, 0o600)
    creds = credentials.load("https://api.webshopapp.com")
    assert creds is not None and (creds.key, creds.secret) == ("abc", "def")
    with pytest.raises(CredentialsError, match="inside the repository"):
        credentials.load("https://api.webshopapp.com", repo_root=tmp_path)


def test_the_default_credentials_file_lives_in_the_user_config_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    path = tmp_path / "ecomgit" / "credentials"
    path.parent.mkdir()
    path.write_text("key: a\nsecret: b\n")
    path.chmod(0o600)
    assert credentials.default_file() == path
    creds = credentials.load("https://api.shoplightspeed.com")
    assert creds is not None and creds.key == "a"


def test_a_crash_log_holds_the_traceback_but_no_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from ecomgit.cli import main as cli_main

    monkeypatch.setenv("ECOMGIT_API_KEY", "k3y-value-123")
    monkeypatch.setenv("ECOMGIT_API_SECRET", "s3cr3t-value-456")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    try:
        raise RuntimeError("boom while talking to https://k3y-value-123:s3cr3t-value-456@shop with s3cr3t-value-456")
    except RuntimeError:
        log = cli_main._write_crash_log()
    text = log.read_text()
    assert "RuntimeError: boom" in text and "Traceback" in text
    assert "s3cr3t-value-456" not in text and "k3y-value-123" not in text
    assert log.stat().st_mode & 0o777 == 0o600
