"""Measure ``ecomgit drill`` on a mirror of the emulator's synthetic shop; prints one table.

    .venv/bin/python benchmarks/bench_drill.py --products 10000 [--sample 50]

Makes the mirror first (``init`` and a first sync from an in-process emulator of ``--synthetic N``,
linked to Retail), then measures, each as a subprocess so the numbers are the tool's own:

- the floor: one full ``ecomgit sync`` of that mirror in a fresh clone (no sync state, so it reads
  the whole shop as the drill's own first sync of its scratch clone must), against the emulator
  serving that mirror (``ecomgit emulator serve --catalog``);
- ``ecomgit drill --sample N --json``: its wall time, peak memory, and the restores' API requests
  against their minimum (one read of the product written plus the writes sent).

The target (issue 24): a 50-product sample of a 10 000-product mirror in at most 2 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from ecomgit.api import ShopClient
from ecomgit.emulator import EmulatorApp, synthetic_shop
from ecomgit.init import init_repo
from ecomgit.shop import open_repo
from ecomgit.sync.run import run_sync

ECOMGIT = [sys.executable, "-m", "ecomgit"]
TARGET_SECONDS = 120.0
URL = "http://localhost"


def make_mirror(path: Path, products: int) -> float:
    """A mirror of the synthetic shop (linked to Retail); the seconds its first sync took."""
    shop = synthetic_shop(products)
    shop.info.is_retail = True
    app = EmulatorApp(shop, rate_limit=None)
    with ShopClient(URL, language="nl", transport=httpx.WSGITransport(app=app)) as client:
        init_repo(path, URL, [], client)
        started = time.monotonic()
        run_sync(open_repo(path), client)
        return time.monotonic() - started


def timed(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """(seconds, peak MB, stdout) of one subprocess."""
    started = time.monotonic()
    proc = subprocess.run(["/usr/bin/time", "-v", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return seconds, int(peak.group(1)) / 1024 if peak else 0.0, proc.stdout


def full_sync_floor(mirror: Path, work: Path, env: dict[str, str]) -> float:
    """Seconds of one full sync of a fresh clone of ``mirror`` against the emulator serving it."""
    clone = work / "floor"
    subprocess.run(["git", "clone", "--quiet", "--shared", str(mirror), str(clone)], check=True)
    port = _free_port()
    server = subprocess.Popen(
        [*ECOMGIT, "emulator", "serve", "--catalog", str(mirror), "--port", str(port), "--rate-limit", "off"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(port)
        config = clone / ".ecomgit" / "config.yaml"
        config.write_text(config.read_text().replace(URL, f"http://127.0.0.1:{port}"))
        subprocess.run(["git", "commit", "-qam", "bench: point at the served emulator"], cwd=clone, check=True)
        seconds, _, _ = timed([*ECOMGIT, "sync", "--json"], clone, env)
        return seconds
    finally:
        server.terminate()
        server.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int) -> None:
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the emulator did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="Make (or reuse) the mirror here instead of a temporary folder.")
    options = parser.parse_args()
    env = {**os.environ, "ECOMGIT_TRUSTED_API_HOST": "127.0.0.1"}
    for name in ("ECOMGIT_API_KEY", "ECOMGIT_API_SECRET"):
        env.pop(name, None)
    with tempfile.TemporaryDirectory(prefix="bench-drill-") as tmp:
        mirror = options.keep or Path(tmp) / "mirror"
        first = make_mirror(mirror, options.products) if not (mirror / ".ecomgit").is_dir() else float("nan")
        floor = full_sync_floor(mirror, Path(tmp), env)
        args = [*ECOMGIT, "drill", "-q", "--json", "--sample", str(options.sample), "--seed", str(options.seed)]
        seconds, peak, out = timed(args, mirror, env)
    report = json.loads(out)
    spent = report["requests"]
    requests = sum(v["requests"] for v in spent.values())
    minimum = sum(v["minimum"] for v in spent.values())
    short = sorted({k for k, cells in report["kinds"].items() for c in cells.values() if c["exact"] < c["total"]})
    print(f"mirror: {options.products} products (first sync {first:.1f} s); sample {options.sample}")
    print("| measure | seconds | peak MB | requests | minimum | target | met |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    print(f"| one full sync of a fresh clone (floor) | {floor:.1f} | | | | | |")
    met = "yes" if seconds <= TARGET_SECONDS else "no"
    print(
        f"| drill, {options.sample} products × 3 actions | {seconds:.1f} | {peak:.0f} | {requests} | {minimum} "
        f"| ≤ {TARGET_SECONDS:.0f} s | {met} |"
    )
    for action, v in spent.items():
        print(f"|   restores after {report['actions'][action]} | | | {v['requests']} | {v['minimum']} | | |")
    print(f"drill / floor: {seconds / floor:.2f} ×; kinds below 100 %: {', '.join(short) or 'none'}")


if __name__ == "__main__":
    main()
