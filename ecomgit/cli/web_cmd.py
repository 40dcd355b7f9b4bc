"""``ecomgit web``."""

from __future__ import annotations

from pathlib import Path

import click

from ecomgit.shop import open_repo


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on. Anything but loopback "
              "needs ECOMGIT_WEB_TOKEN set (every request must carry it).")  # fmt: skip
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a browser.")
@click.option("--allow-push", is_flag=True, help="Add \"Push to shop\": the default branch's pending edits, with "
              "the plan and the guards of 'ecomgit push', after a confirmation (for teams without CI).")  # fmt: skip
def web(host: str, port: int, open_browser: bool, allow_push: bool) -> None:
    """A local web view of this mirror for people who don't use git.

    The catalog with search, each product's content and timeline of readable changes, the lost
    products with their restore plans; restores, undos and copy edits are proposed as branches for
    review, never written to the shop (unless --allow-push). With GITHUB_TOKEN set, each proposal is
    pushed to origin and its pull request opened. Listens on loopback unless --host says otherwise.
    """
    from ecomgit.web.serve import serve

    repo = open_repo(Path.cwd())
    say = lambda line: click.echo(line, err=True)  # noqa: E731
    serve(repo.root, host, port, open_browser=open_browser, allow_push=allow_push, say=say)
