"""Measure the window push's re-read leaves: from the re-read's last answer to the first write's arrival.

    .venv/bin/python benchmarks/bench_reread_window.py [--runs 20]

Push reads a product again immediately before writing it (``ecomgit.write.reread``): a shop edit
that arrives after that read and before the write is the one edit it cannot see, since the eCom
API has no conditional writes. This runs the emulator over a real loopback socket in this process
and times every API request as the server sees it (arrival, answer ready), then runs
``ecomgit push --yes`` as a subprocess ``--runs`` times, each pushing one committed edit of a
product (a description and a variant's old price: the catalog, the English texts and the
variants are read again). Printed: the requests the re-read made, the requests between its last
answer and the first write (0 by design), and the window in milliseconds (median, 90th
percentile, max). Each later write group (here the variants, after the texts) is read again just
before its own first write, so the window is also given up to every write, the last included: the
time from the last read answered before it to its arrival.
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from ecomgit.emulator import EmulatorApp, load_catalog
from ecomgit.emulator.server import running
from ecomgit.emulator.wsgi import Request, Response
from ecomgit.mirror import files, layout

ROOT = Path(__file__).resolve().parent.parent
ECOMGIT = [sys.executable, "-m", "ecomgit"]
PRODUCT = 72418339  # Kustweg: 3 variants, two languages
WRITES = frozenset({"PUT", "POST", "DELETE"})


class TimedApp(EmulatorApp):
    """The emulator, noting (method, path, arrived, answered) for every API request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.log: list[tuple[str, str, float, float]] = []
        self.log_lock = threading.Lock()

    def handle(self, request: Request) -> Response:
        arrived = time.perf_counter()
        response = super().handle(request)
        if not request.path.startswith(("/_emulator/", "/cdn/")):
            with self.log_lock:
                self.log.append((request.method, request.path, arrived, time.perf_counter()))
        return response


def environment(home: Path) -> dict[str, str]:
    home.mkdir(parents=True, exist_ok=True)
    (home / ".gitconfig").write_text("[user]\n\tname = Bench\n\temail = bench@example.test\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ECOMGIT_", "GIT_"))}
    env.update(
        HOME=str(home),
        GIT_CONFIG_GLOBAL=str(home / ".gitconfig"),
        GIT_CONFIG_NOSYSTEM="1",
        ECOMGIT_API_KEY="bench-key-0123456789abcdef",
        ECOMGIT_API_SECRET="bench-secret-0123456789abcdef",
    )
    return env


def ecomgit(args: list[str], cwd: Path, env: dict[str, str]) -> None:
    result = subprocess.run([*ECOMGIT, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"ecomgit {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def edit(repo: Path, run: int, env: dict[str, str]) -> None:
    path = next((repo / layout.PRODUCTS_DIR).glob(f"{PRODUCT}-*")) / layout.PRODUCT_FILE
    product = files.read_product(path)
    product["description"]["en"] = f"Edit number {run}."
    product["variants"][0]["oldPriceExcl"] = 2000 + run
    files.write_product(path, product, ["nl", "en"])
    subprocess.run(["git", "commit", "-qam", f"Edit {run}"], cwd=repo, env=env, check=True)


def window(log: list[tuple[str, str, float, float]]) -> tuple[int, int, float, float]:
    """Of one push: the re-read's requests, the writes among them (none), and in ms the time from its
    last answer and from its first (the catalog record's) to the first write's arrival."""
    catalog = f"/catalog/{PRODUCT}.json"
    reads = [i for i, (method, path, _, _) in enumerate(log) if method == "GET" and path.endswith(catalog)]
    first_write = next(i for i, (method, *_) in enumerate(log) if method in WRITES)
    start = max(i for i in reads if i < first_write)  # the re-read starts with the catalog record again
    reread = log[start:first_write]
    between = sum(1 for method, *_ in reread if method in WRITES)  # nothing but the re-read's own reads
    last_answer = max(answered for *_, answered in reread)
    arrived = log[first_write][2]
    return len(reread), between, (arrived - last_answer) * 1000, (arrived - reread[0][3]) * 1000


def later_windows(log: list[tuple[str, str, float, float]]) -> list[float]:
    """Of one push, for every write: ms from the last read answered before it to its arrival."""
    out = []
    for i, (method, _, arrived, _) in enumerate(log):
        if method in WRITES:
            answered = max((a for m, _, _, a in log[:i] if m == "GET" and a <= arrived), default=None)
            if answered is not None:
                out.append((arrived - answered) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    app = TimedApp(pickle.loads(pickle.dumps(load_catalog(ROOT / "sample-catalog"))), rate_limit=None)
    with tempfile.TemporaryDirectory() as tmp, running(app) as url:
        env = environment(Path(tmp) / "home")
        repo = Path(tmp) / "shop"
        ecomgit(["init", str(repo), "--api-url", url], Path(tmp), env)
        ecomgit(["sync", "--quiet"], repo, env)
        rows = []
        writes: list[list[float]] = []
        for run in range(options.runs):
            edit(repo, run, env)
            with app.log_lock:
                app.log.clear()
            ecomgit(["push", "--yes", "--quiet"], repo, env)
            with app.log_lock:
                rows.append(window(list(app.log)))
                writes.append(later_windows(list(app.log)))
    print(f"runs: {len(rows)} pushes of one product (description [en] and a variant's oldPriceExcl)")
    print(f"re-read requests per product written: {sorted({row[0] for row in rows})}")
    print(f"writes between the re-read and the first write: {sorted({row[1] for row in rows})}")
    for column, what in ((2, "the re-read's last answer"), (3, "its first answer (the catalog record)")):
        ms = sorted(row[column] for row in rows)
        p90 = ms[min(len(ms) - 1, int(len(ms) * 0.9))]
        print(f"window from {what} to the first write's arrival (server clock): median "
              f"{statistics.median(ms):.2f} ms, p90 {p90:.2f} ms, max {ms[-1]:.2f} ms")  # fmt: skip
    every = sorted(ms for push in writes for ms in push)
    last = sorted(push[-1] for push in writes if push)
    print(f"writes per push: {sorted({len(push) for push in writes})}")
    for ms, what in ((every, "every write"), (last, "the last write")):
        p90 = ms[min(len(ms) - 1, int(len(ms) * 0.9))]
        print(f"window up to {what}, from the last read answered before it: median "
              f"{statistics.median(ms):.2f} ms, p90 {p90:.2f} ms, max {ms[-1]:.2f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
