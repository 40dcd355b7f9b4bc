"""``ecomgit init [PATH]``."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from ecomgit import ci
from ecomgit.config import CLUSTERS, holds_credentials
from ecomgit.errors import ConfigError
from ecomgit.init import init_repo, set_up_existing
from ecomgit.install_spec import package_spec
from ecomgit.mirror import layout
from ecomgit.shop import make_client


@click.command()
@click.argument("path", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--api-url", help="The shop's API URL, e.g. http://127.0.0.1:8123 for the emulator.")
@click.option("--cluster", type=click.Choice(sorted(CLUSTERS)), help="The shop's cluster instead of --api-url.")
@click.option(
    "--language",
    "languages",
    multiple=True,
    metavar="CODE",
    help="A language to mirror (repeatable; default: all active, default language first).",
)
@click.option(
    "--ci",
    "ci_name",
    type=click.Choice(["github"]),
    help="Add GitHub Actions workflows: scheduled sync, push on merge, review of pull requests, a weekly "
    "restore drill.",
)
@click.option("--lfs", is_flag=True, help="Keep images in Git LFS (.gitattributes; the workflows fetch them).")
@click.option(
    "--package",
    metavar="SPEC",
    help="With --ci: the pip requirement the workflows install (default: how this ecomgit was installed, "
    "e.g. 'git+https://github.com/OWNER/ecomgit@COMMIT').",
)
@click.option(
    "--quick-every",
    default="10m",
    show_default=True,
    metavar="MINUTES",
    help="With --ci: run a quick sync (ecomgit sync --quick) this often, 5m to 59m, or 'off'.",
)
@click.option(
    "--full-every",
    default="6h",
    show_default=True,
    metavar="HOURS",
    help="With --ci: run a full sync this often (1h, 2h, 3h, 4h, 6h, 8h, 12h or 24h).",
)
def init(
    path: Path,
    api_url: str | None,
    cluster: str | None,
    languages: tuple[str, ...],
    ci_name: str | None,
    lfs: bool,
    package: str | None,
    quick_every: str,
    full_every: str,
) -> None:
    """Create (or adopt) a git repository at PATH that mirrors one shop.

    Writes .ecomgit/config.yaml (never secrets) and .gitattributes (readable diffs of product
    files). Credentials come from ECOMGIT_API_KEY and ECOMGIT_API_SECRET; a local emulator needs
    none. In an existing mirror (e.g. a fresh clone) without --api-url or --cluster, it sets the
    clone up (the diff driver) and adds what --ci and --lfs ask for, in a commit.
    """
    if package is not None and ci_name is None:
        raise click.UsageError("--package is for the workflows: give it with --ci github")
    if lfs and not ci.lfs_installed():
        raise ConfigError(
            "--lfs needs git-lfs, which is not on PATH here: install it (apt install git-lfs, brew install git-lfs, "
            "or https://git-lfs.com), run 'git lfs install', then run this again; nothing was changed"
        )
    spec = package_spec(package) if ci_name == "github" else None  # before anything is made: it may stop here
    schedule = _schedule(quick_every, full_every)
    if (path / layout.CONFIG_FILE).exists() and not (api_url or cluster):
        _set_up_existing(path, ci_name, lfs, spec, schedule)
        return
    if bool(api_url) == bool(cluster):
        raise click.UsageError("give exactly one of --api-url or --cluster")
    url = api_url or CLUSTERS[str(cluster)]
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"--api-url must start with http:// or https:// (got {url!r})")
    if holds_credentials(url):
        raise ConfigError(
            "--api-url must not hold credentials (key:secret@): it is written to .ecomgit/config.yaml; "
            "set ECOMGIT_API_KEY and ECOMGIT_API_SECRET instead"
        )
    languages = tuple(code.strip().lower() for code in languages)  # --language EN is en
    made = not path.exists()
    try:
        with make_client(url, languages[0] if languages else "en", root=path) as client:
            config = init_repo(path, url, languages, client, ci_name=ci_name, lfs=lfs, package=spec, schedule=schedule)
    except BaseException:
        if made:  # a failed init leaves nothing behind (no empty repository to trip over)
            shutil.rmtree(path, ignore_errors=True)
        raise
    click.echo(f"Initialised {path.resolve()} for {config.api_url} (languages: {', '.join(config.languages)}).")
    _after_extras(ci_name, lfs, spec)
    click.echo("Next: ecomgit sync")


def _schedule(quick_every: str, full_every: str) -> ci.Schedule:
    """The workflow's schedule from ``--quick-every 10m`` (or ``off``) and ``--full-every 6h``."""
    quick = quick_every.strip().lower()
    full = full_every.strip().lower()
    minutes = None if quick == "off" else quick.removesuffix("m").removesuffix("min")
    hours = full.removesuffix("h")
    if (minutes is not None and not minutes.isdigit()) or not hours.isdigit():
        raise click.UsageError("give --quick-every as minutes (e.g. 10m, or off) and --full-every as hours (e.g. 6h)")
    return ci.Schedule(None if minutes is None else int(minutes), int(hours))


def _set_up_existing(path: Path, ci_name: str | None, lfs: bool, spec: str | None, schedule: ci.Schedule) -> None:
    written = set_up_existing(path, ci_name, lfs, spec, schedule)
    click.echo(f"{path.resolve()} is set up: product diffs name their field (git config diff.{ci.DIFF_DRIVER}).")
    for item in written:
        if item.changes:
            click.echo(f"  updated {item.path}: {'; '.join(item.changes)} (the rest of it kept as it is)")
        else:
            click.echo(f"  {'wrote' if item.created else 'kept (already there)'} {item.path}")
    _after_extras(ci_name, lfs, spec)


def _after_extras(ci_name: str | None, lfs: bool, spec: str | None) -> None:
    if ci_name == "github":
        click.echo(f"The workflows install ecomgit as: {spec}")
        click.echo(
            "GitHub workflows are in .github/workflows. On GitHub add the repository secrets "
            "ECOMGIT_API_KEY and ECOMGIT_API_SECRET (Settings → Secrets and variables → Actions), "
            "then push this repository."
        )
