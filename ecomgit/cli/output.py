"""Shared output helpers: progress on stderr (optional), results on stdout."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from ecomgit.errors import EcomgitError
from ecomgit.ids import parse_id

_SURROGATE = re.compile("[\ud800-\udfff]")


_quiet = False  # --quiet: nothing on stdout or stderr but the one-line error of a failure
_stdout: Any = None  # while quiet: the real stdout, for the --json answer the caller asked for


@contextmanager
def silenced(logs: bool = False) -> Iterator[None]:
    """Everything a command prints, and every log line below ERROR, goes nowhere until it ends; the
    error of a failure is printed after, by ``main``, as one line. Asked-for answers still come: the
    ``--json`` document on stdout, and with ``logs`` (``-q -v``) the log lines on stderr."""
    global _quiet, _stdout
    sink = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    streams, level, _quiet, _stdout = (sys.stdout, sys.stderr), logging.getLogger().level, True, sys.stdout
    sys.stdout = sys.stderr = sink
    if not logs:
        logging.getLogger().setLevel(logging.ERROR)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = streams
        logging.getLogger().setLevel(level)
        _quiet, _stdout = False, None
        sink.close()


def is_quiet() -> bool:
    return _quiet


def progress(quiet: bool) -> Callable[[str], None]:
    def say(message: str) -> None:
        if not quiet:
            click.echo(f"· {message}", err=True)

    return say


class ProgressLine:
    """Progress on stderr: messages as lines, and one line of long work that changes as it goes.

    On a terminal the changing line is rewritten in place (a message clears it first, and it comes
    back with the next update); elsewhere (a CI log) it is printed as a line of its own at most once
    per ``every`` seconds, so a log shows where a six-hour sync is without a line per product.
    Nothing at all when ``quiet``.
    """

    def __init__(
        self,
        quiet: bool,
        *,
        terminal: bool | None = None,
        every: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.quiet = quiet
        self.terminal = sys.stderr.isatty() if terminal is None else terminal
        self.every = every
        self._clock = clock
        self._shown = False  # the in-place line is on the screen
        self._last: float | None = None  # when the last update line was printed (not on a terminal)

    def say(self, message: str) -> None:
        if self.quiet:
            return
        self._clear()
        click.echo(f"· {message}", err=True)

    def update(self, line: str) -> None:
        if self.quiet:
            return
        if self.terminal:  # written as it is: click.echo would strip the erase code off a non-tty
            sys.stderr.write(f"\r\x1b[K· {line}")
            sys.stderr.flush()
            self._shown = True
            return
        now = self._clock()
        if self._last is None or now - self._last >= self.every:
            self._last = now
            click.echo(f"· {line}", err=True)

    def close(self) -> None:
        self._clear()

    def _clear(self) -> None:
        if self._shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self._shown = False


def print_json(data: Any) -> None:
    """``data`` as JSON, non-ASCII text as it is, except lone surrogates (shop text may hold one):
    those have no UTF-8 form, so they are written as their JSON escape (``\\ud800``)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    click.echo(_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text), file=_stdout)  # None: sys.stdout


def confirm_write(yes: bool, question: str) -> bool:
    """Whether to write: ``--yes``, or a person at a terminal who says yes. Never silently."""
    if yes:
        return True
    if _quiet:
        raise EcomgitError(
            "nothing was written: --quiet shows no plan to confirm; run it again with --yes, or without --quiet"
        )
    if not sys.stdin.isatty():
        raise EcomgitError("nothing was written: there is no terminal to confirm on; run it again with --yes")
    return click.confirm(question, default=False, err=True)


class ProductIdType(click.ParamType[int]):
    """A product id on the command line: ASCII digits only (click's INT also takes '７２' or '+72')."""

    name = "id"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        pid = parse_id(str(value).strip())
        if pid is None or pid < 1:
            self.fail(f"{value!r} is not a product id; write it in the digits 0-9", param, ctx)
        return pid


PRODUCT_ID = ProductIdType()


class OntoType(click.ParamType[int | str]):
    """``--onto``: a product id, or ``auto`` (the one live product holding the lost product's codes)."""

    name = "ID|auto"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int | str:
        if isinstance(value, str) and value.strip().lower() == "auto":
            return "auto"
        return PRODUCT_ID.convert(value, param, ctx)


ONTO = OntoType()
