"""``ecomgit init [PATH]``."""

from __future__ import annotations

from pathlib import Path

import click

from ecomgit.config import CLUSTERS, holds_credentials
from ecomgit.errors import ConfigError
from ecomgit.init import init_repo
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
def init(path: Path, api_url: str | None, cluster: str | None, languages: tuple[str, ...]) -> None:
    """Create (or adopt) a git repository at PATH that mirrors one shop.

    Writes .ecomgit/config.yaml (never secrets). Credentials come from ECOMGIT_API_KEY and
    ECOMGIT_API_SECRET; a local emulator needs none.
    """
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
    with make_client(url, languages[0] if languages else "en", root=path) as client:
        config = init_repo(path, url, languages, client)
    click.echo(f"Initialised {path.resolve()} for {config.api_url} (languages: {', '.join(config.languages)}).")
    click.echo("Next: ecomgit sync")
