"""Running the web view: checks, the URL to open, uvicorn."""

from __future__ import annotations

import os
import webbrowser
from collections.abc import Callable
from pathlib import Path

from ecomgit.pullrequests import TOKEN_ENV as GITHUB_TOKEN
from ecomgit.pullrequests import GitHub
from ecomgit.web.security import TOKEN_ENV, is_loopback, required_token


def url_of(host: str, port: int, token: str | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def serve(
    root: Path,
    host: str,
    port: int,
    *,
    open_browser: bool = False,
    allow_push: bool = False,
    say: Callable[[str], None] = print,
) -> None:
    """Serve the mirror at ``root`` until interrupted; off loopback only with ``ECOMGIT_WEB_TOKEN`` set;
    ``allow_push``: with "Push to shop"."""
    import uvicorn

    from ecomgit.web.app import make_app

    token = required_token(host, os.environ.get(TOKEN_ENV) or None)
    hosts = ["127.0.0.1", "localhost", "::1", "[::1]"] if is_loopback(host) else None  # no DNS rebinding
    github = GitHub(os.environ[GITHUB_TOKEN]) if os.environ.get(GITHUB_TOKEN, "").strip() else None
    app = make_app(root, token=token, allowed_hosts=hosts, github=github, allow_push=allow_push)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", server_header=False)
    server = uvicorn.Server(config)
    url = url_of(host, port, token)
    say(f"ecomgit web: serving {root} at {url}  (Ctrl-C to stop)")
    if allow_push:
        say("ecomgit web: --allow-push: the page can write the default branch's edits to the shop (Push to shop)")
    if github is not None:
        say(f"ecomgit web: {GITHUB_TOKEN} is set: each proposal is pushed to origin and its pull request opened")
    if open_browser:
        webbrowser.open(url)
    server.run()
