"""Shared output helpers: progress on stderr (optional), results on stdout."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from ecomgit.errors import EcomgitError


def progress(quiet: bool) -> Callable[[str], None]:
    def say(message: str) -> None:
        if not quiet:
            click.echo(f"· {message}", err=True)

    return say


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def confirm_write(yes: bool, question: str) -> bool:
    """Whether to write: ``--yes``, or a person at a terminal who says yes. Never silently."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise EcomgitError("nothing was written: there is no terminal to confirm on; run it again with --yes")
    return click.confirm(question, default=False, err=True)
