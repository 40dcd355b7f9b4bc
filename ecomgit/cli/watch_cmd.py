"""``ecomgit watch``."""

from __future__ import annotations

import json
import signal
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from ecomgit import credentials, gitrepo
from ecomgit.cli.sync_cmd import _duration
from ecomgit.shop import make_client, open_repo
from ecomgit.watch import webhooks
from ecomgit.watch.queue import Queue
from ecomgit.watch.receiver import Receiver
from ecomgit.watch.runner import Schedule, Watcher


def log(event: str, **fields: Any) -> None:
    """One JSON line on stderr: when, what, and its details."""
    line = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "event": event, **fields}
    click.echo(json.dumps(line, ensure_ascii=False), err=True)


@click.command()
@click.option(
    "--public-url",
    metavar="URL",
    help="The https address the shop delivers webhooks to (your reverse proxy, forwarding to --port); "
    "registered for products/* and variants/* when missing.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8787, show_default=True, help="Local port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Local address to listen on.")
@click.option("--debounce", default="10s", show_default=True, callback=_duration, help="Quiet time before a sync.")
@click.option(
    "--full-every", default="1h", show_default=True, callback=_duration, help="A full sync this often (missed events)."
)
@click.option("--git-push", "remote", metavar="REMOTE", help="Push each commit to this remote.")
@click.option("--unregister", is_flag=True, help="Remove the webhooks at --public-url and stop.")
def watch(
    public_url: str | None,
    port: int,
    host: str,
    debounce: float,
    full_every: float,
    remote: str | None,
    unregister: bool,
) -> None:
    """Keep the mirror current from the shop's webhooks: a sync of each product within seconds of its change.

    Runs until stopped (Ctrl-C or SIGTERM). Deliveries are checked (X-Signature with the API
    secret), queued in .git/ecomgit/watch.db and synced after --debounce; a full sync every
    --full-every catches anything a lost delivery missed. Log lines are JSON on stderr.
    """
    repo = open_repo(Path.cwd())
    if public_url is None:
        raise click.UsageError("give --public-url: the address the shop delivers webhooks to")
    if not public_url.startswith(("https://", "http://")):
        raise click.BadParameter("an http(s) address", param_hint="--public-url")
    config = repo.config
    with make_client(config.api_url, config.default_language, root=repo.root) as client:
        if unregister:
            for line in webhooks.unregister(client, public_url):
                log("webhook", said=line)
            return
        creds = credentials.load(config.api_url, repo.root)
        queue = Queue(gitrepo.git_dir(repo.root) / "ecomgit" / "watch.db")
        # wall-clock seconds: the queue's times outlive the process (a monotonic clock restarts at boot)
        receiver = Receiver(host, port, creds.secret if creds else "", queue, time.time, log)
        receiver.start()
        log("listening", host=host, port=receiver.port, queued=len(queue))
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
        try:
            for line in webhooks.register(client, public_url, config.default_language):
                log("webhook", said=line)
            schedule = Schedule(debounce=debounce, full_every=full_every)
            watcher = Watcher(repo, client, queue, clock=time.time, log=log, schedule=schedule, git_push=remote)
            watcher.run(stop, receiver.received)
        finally:
            receiver.stop()
            left = len(queue)
            queue.close()
            log("stopped", queued=left)  # kept for the next start
