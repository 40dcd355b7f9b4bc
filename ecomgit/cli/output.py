"""Shared output helpers: progress on stderr (optional), results on stdout."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click


def progress(quiet: bool) -> Callable[[str], None]:
    def say(message: str) -> None:
        if not quiet:
            click.echo(f"· {message}", err=True)

    return say


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
