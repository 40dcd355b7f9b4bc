"""``ecomgit``: the command group, and the one place where exceptions become exit codes.

0 ok · 1 expected failure (EcomgitError: the message says what to do) · 2 usage (click) ·
3 unexpected (traceback written to a log file) · 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

import click

from ecomgit import __version__, credentials
from ecomgit.api.redact import redact
from ecomgit.cli import output
from ecomgit.errors import EcomgitError

# Each command's module is imported when that command runs (a sync needs no emulator): ~0.3 s less
# start-up for every command. Order = the order of ``ecomgit --help``.
COMMANDS = {
    "init": "ecomgit.cli.init_cmd:init",
    "sync": "ecomgit.cli.sync_cmd:sync",
    "status": "ecomgit.cli.status_cmd:status",
    "diff": "ecomgit.cli.diff_cmd:diff",
    "log": "ecomgit.cli.log_cmd:log",
    "check": "ecomgit.cli.check_cmd:check",
    "push": "ecomgit.cli.push_cmd:push",
    "restore": "ecomgit.cli.restore_cmd:restore",
    "lost": "ecomgit.cli.lost_cmd:lost",
    "undo": "ecomgit.cli.undo_cmd:undo",
    "drill": "ecomgit.cli.drill_cmd:drill",
    "watch": "ecomgit.cli.watch_cmd:watch",
    "prices": "ecomgit.cli.prices_cmd:prices",
    "web": "ecomgit.cli.web_cmd:web",
    "emulator": "ecomgit.cli.emulator_cmd:emulator",
    "demo": "ecomgit.cli.demo_cmd:demo",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (``COMMANDS``: name → ``module:attribute``)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, _, attribute = COMMANDS[cmd_name].partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ecomgit")
@click.option(
    "-v",
    "--verbose",
    count=True,
    help="More detail on stderr: -v what it does, -vv every request (ecomgit's own), -vvv the libraries' too. "
    "Before or after the command.",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Print nothing; a failure prints its one-line error (the exit code tells the rest). Writing to the shop "
    "then needs --yes. Before or after the command.",
)
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Keep a Lightspeed eCom (C-Series) catalog in git: sync, review, restore, push."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger().setLevel(level)  # also when logging was configured before (an embedding program)
    for name in _LIBRARIES:  # httpx, httpcore and GitPython's debug lines only when asked for (-vvv)
        quieter = max(level, logging.INFO if verbose else logging.WARNING)
        logging.getLogger(name).setLevel(logging.NOTSET if verbose >= 3 else quieter)
    if quiet:
        ctx.with_resource(output.silenced(logs=verbose > 0))


_LIBRARIES = ("httpx", "httpcore", "git", "urllib3", "hpack")


_GLOBAL_FLAGS = ("--verbose", "--quiet", "-q")


def _global_first(argv: list[str]) -> list[str]:
    """``-v``/``-vv``/``--verbose`` and ``-q``/``--quiet`` wherever they are given (``ecomgit sync
    -vv``, ``ecomgit status -q``) are the group's options: moved before the command. Nothing after
    ``--`` is touched."""
    cut = argv.index("--") if "--" in argv else len(argv)
    flags = [a for a in argv[:cut] if a in _GLOBAL_FLAGS or (len(a) > 1 and a[0] == "-" and set(a[1:]) == {"v"})]
    rest = [a for a in argv[:cut] if a not in flags]
    return [*flags, *rest, *argv[cut:]]


def main() -> None:
    """Console entry point: run the CLI and map every outcome to an exit code."""
    args = _global_first(sys.argv[1:])
    quiet = any(a in ("-q", "--quiet") for a in args[: args.index("--") if "--" in args else len(args)])
    try:
        cli.main(args=args, prog_name="ecomgit", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("Interrupted; nothing half-written is committed. Run the command again to continue.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        if quiet:
            click.echo(f"Error: {exc.format_message()}", err=True)  # one line, no usage
        else:
            exc.show()
        sys.exit(exc.exit_code)
    except EcomgitError as exc:
        click.echo(f"Error: {_redact(str(exc))}", err=True)
        sys.exit(exc.exit_code)
    except Exception:  # noqa: BLE001 - the last line of defence: log it, say where
        log = _write_crash_log()
        click.echo(f"Unexpected error (a bug in ecomgit). Details were written to {log}", err=True)
        sys.exit(3)
    sys.exit(0)


def _write_crash_log() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = Path(tempfile.gettempdir()) / f"ecomgit-crash-{stamp}.log"
    path.write_text(_redact(traceback.format_exc()), encoding="utf-8")
    path.chmod(0o600)
    return path


def _redact(text: str) -> str:
    """``text`` without the credentials of this environment or any credentials file this process read
    (a last guard; the client redacts too)."""
    pairs = [(os.environ.get(credentials.ENV_KEY), os.environ.get(credentials.ENV_SECRET))]
    pairs += [(creds.key, creds.secret) for creds in credentials.loaded()]
    for key, secret in pairs:
        text = redact(text, key, secret)
    return text
