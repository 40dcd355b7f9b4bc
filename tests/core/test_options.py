"""Options behave as people expect (issue 15 item 8): -v anywhere, what -vv and -vvv show, a path
that does not exist, a failed init that leaves nothing, --language in any case."""

from __future__ import annotations

import json
import logging
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from ecomgit import gitrepo
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


def test_quiet_before_or_after_the_command_prints_nothing_but_the_error(  # type: ignore[no-untyped-def]
    served: str, tmp_path: Path, run, monkeypatch
) -> None:
    """-q is the group's option wherever it is given (before: 'No such option' for every command
    but sync, push and restore); a success prints nothing, a failure its one-line error."""
    assert run("-q", "init", str(tmp_path / "m"), "--api-url", served) == Outcome(0, "", "")
    monkeypatch.chdir(tmp_path / "m")
    for args in (("-q", "sync"), ("sync", "--quiet"), ("status", "-q"), ("-q", "check"), ("log", "72418339", "-q")):
        assert run(*args) == Outcome(0, "", ""), args
    answer = run("status", "--json", "-q")  # the document asked for still comes, nothing else
    assert answer.code == 0 and answer.err == "" and json.loads(answer.out)["pending"] == []
    failed = run("diff", "no-such-revision", "-q")
    assert failed.code == 1 and failed.out == ""
    assert failed.err.count("\n") == 1 and failed.err.startswith("Error: 'no-such-revision' is neither")
    usage = run("check", "-q", "products/no-such-product")
    assert usage.code == 2 and usage.err.count("\n") == 1 and "does not exist" in usage.err
    assert "Usage:" not in usage.err
    loud = run("check", "products/no-such-product")
    assert "Usage:" in loud.err  # without -q, click's usage hint as before


def test_quiet_never_writes_to_the_shop_on_a_prompt_it_cannot_show(  # type: ignore[no-untyped-def]
    served: str, tmp_path: Path, run, monkeypatch
) -> None:
    assert run("init", str(tmp_path / "m"), "--api-url", served).code == 0
    monkeypatch.chdir(tmp_path / "m")
    assert run("sync", "-q").code == 0
    product = next((tmp_path / "m" / "products").glob("72418339-*")) / "product.yaml"
    product.write_text(product.read_text().replace("Kustweg 105 racefiets", "Kustweg 105 racefiets (nieuw)", 1))
    gitrepo.run(tmp_path / "m", "commit", "--quiet", "-am", "New title")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)  # a person at a terminal
    refused = run("push", "-q")
    assert refused.code == 1 and "--quiet shows no plan to confirm" in refused.err and refused.out == ""
    assert run("status", "--json").out.count("72418339") >= 1  # still pending: nothing was written
    assert run("-q", "push", "--yes") == Outcome(0, "", "")
    assert "72418339" not in run("status", "--json").out
