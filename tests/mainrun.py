"""Run ``ecomgit`` through ``main()``, the one place that maps exceptions to exit codes."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from ecomgit.cli.main import main


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


Run = Callable[..., Outcome]  # the ``run`` fixture: ``run(*args) -> Outcome``


def run_main(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> Outcome:
    """``ecomgit ARGS`` through ``main()``; the exit status is the one ``main`` decides."""
    capsys.readouterr()
    root_logger = logging.getLogger()
    handlers = list(root_logger.handlers)
    monkeypatch.setattr(sys, "argv", ["ecomgit", *args])
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    else:
        raise AssertionError("main() must end with sys.exit")
    finally:
        for handler in root_logger.handlers[:]:  # the CLI's logging.basicConfig must not outlive the call
            if handler not in handlers:
                root_logger.removeHandler(handler)
    captured = capsys.readouterr()
    assert isinstance(code, int), code
    return Outcome(code, captured.out, captured.err)
