"""Docs that cannot go stale: every command has help and is in the README; the README's commands are real."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ecomgit.cli.main import cli

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    ctx = click.Context(group)
    for name in sorted(group.list_commands(ctx)):
        command = group.get_command(ctx, name)
        assert command is not None, f"ecomgit {prefix}{name} is listed but cannot be loaded"
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += commands(command, f"{prefix}{name} ")
    return found


@pytest.mark.parametrize(("name", "command"), commands(cli))
def test_every_command_has_help_and_is_documented(name: str, command: click.Command) -> None:
    assert command.help and len(command.help.strip()) > 20, f"ecomgit {name} needs a help text"
    result = CliRunner().invoke(cli, [*name.split(), "--help"], catch_exceptions=False)
    assert result.exit_code == 0 and "Usage:" in result.output
    assert f"ecomgit {name}" in README, f"the README does not mention 'ecomgit {name}'"


def test_the_readme_starts_with_the_two_commands_a_new_user_runs() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    assert blocks[0].strip().endswith("ecomgit demo")
    assert "-m pytest" in blocks[1]
    assert README.index(blocks[0]) < README.index(blocks[1]) < README.index("## ")
