"""Options behave as people expect (issue 15 item 8): -v anywhere, what -vv and -vvv show, a path
that does not exist, a failed init that leaves nothing, --language in any case."""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from ecomgit.emulator import EmulatorApp, running
from tests.mainrun import Outcome, run_main


@pytest.fixture
def served(sample_shop: bytes) -> Iterator[str]:
    with running(EmulatorApp(pickle.loads(sample_shop), rate_limit=None)) as url:
        yield url


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    return lambda *args: run_main(capsys, monkeypatch, *args)


def test_language_in_upper_case_and_verbosity_after_the_command(  # type: ignore[no-untyped-def]
    served: str, tmp_path: Path, run, monkeypatch, caplog: pytest.LogCaptureFixture
) -> None:
    done: Outcome = run("init", str(tmp_path / "m"), "--api-url", served, "--language", "EN", "-v")
    assert done.code == 0, done.text
    assert "languages: en)" in done.out
    monkeypatch.chdir(tmp_path / "m")
    caplog.set_level(logging.NOTSET)
    quiet = run("sync", "-q", "-vv")  # -vv after the command: ecomgit's own debug lines, not httpcore's
    debug = {r.name.split(".")[0] for r in caplog.records if r.levelno == logging.DEBUG}
    assert quiet.code == 0 and "ecomgit" in debug and "httpcore" not in debug
    caplog.clear()
    assert run("sync", "-q", "-vvv").code == 0
    assert "httpcore" in {r.name.split(".")[0] for r in caplog.records if r.levelno == logging.DEBUG}


def test_check_of_a_path_that_does_not_exist_is_an_error(served: str, tmp_path: Path, run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert run("init", str(tmp_path / "m"), "--api-url", served).code == 0
    monkeypatch.chdir(tmp_path / "m")
    outcome = run("check", "products/no-such-product")
    assert outcome.code == 2 and "does not exist" in outcome.err  # before: "no problems" in nothing


def test_a_failed_init_leaves_nothing_behind(served: str, tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "new-mirror"
    outcome = run("init", str(target), "--api-url", served, "--language", "xx")
    assert outcome.code == 1 and "not active in the shop" in outcome.err
    assert not target.exists()  # before: an empty git repository was left there
