"""``ecomgit demo [PATH]``."""

from __future__ import annotations

from pathlib import Path

import click

from ecomgit.demo import run_demo


@click.command()
@click.argument("path", type=click.Path(file_okay=False, path_type=Path), default="ecomgit-demo")
@click.option(
    "--catalog",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Serve this mirror directory instead of the bundled sample shop.",
)
def demo(path: Path, catalog: Path | None) -> None:
    """The whole story on the built-in emulator: sync, Retail deletes a product, restore brings it back.

    init, sync, a back-office edit and the sync that records it; then Lightspeed Retail adds an
    item into a matrix (eCom deletes its product), sync records it, 'lost' finds the successor and
    'restore --onto' grafts the content back. Needs no credentials and no network. Leaves the
    repository at PATH (default ./ecomgit-demo) to explore.
    """
    run_demo(path, click.echo, catalog)
