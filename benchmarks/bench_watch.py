"""``ecomgit watch`` over time: memory stays flat, and each product a webhook names costs its reads.

Starts ``ecomgit emulator serve --synthetic N`` (its webhooks deliver to loopback), makes and syncs
a mirror, starts ``ecomgit watch`` on a local port, then edits ``--per-round`` products through the
API in each of ``--rounds`` rounds and waits for the watch's ``synced`` log line. After each round
it samples the watch process's resident memory (``VmRSS``); the floor is the first round's.

    python benchmarks/bench_watch.py --products 2000 --rounds 20 --per-round 50
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.bench_sync import ECOMGIT, emulator  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def synced_lines(log: Path) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("event") == "synced"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--per-round", type=int, default=50)
    args = parser.parse_args()
    with emulator(args.products) as url, tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        repo = Path(tmp) / "mirror"
        subprocess.run([*ECOMGIT, "init", str(repo), "--api-url", url], check=True, capture_output=True)
        subprocess.run([*ECOMGIT, "sync", "--quiet"], cwd=repo, check=True)
        ids = sorted(int(p.name.split("-", 1)[0]) for p in (repo / "products").iterdir())
        port = free_port()
        log = Path(tmp) / "watch.log"
        with log.open("w") as out:
            watch = subprocess.Popen(
                [*ECOMGIT, "watch", "--public-url", f"http://127.0.0.1:{port}/hook", "--port", str(port),
                 "--debounce", "1s", "--full-every", "24h"],
                cwd=repo, stderr=out,
            )  # fmt: skip
        try:
            rows = []
            with httpx.Client(base_url=url, timeout=60) as http:
                while "listening" not in log.read_text() or "registered" not in log.read_text():
                    time.sleep(0.1)
                for number in range(args.rounds):
                    chosen = ids[number * args.per_round % len(ids) :][: args.per_round]
                    for pid in chosen:
                        body = {"product": {"description": f"Round {number} of the watch benchmark."}}
                        http.put(f"/nl/products/{pid}.json", json=body)
                    http.post("/_emulator/webhooks/flush.json")
                    started, before = time.monotonic(), len(synced_lines(log))
                    while sum(int(str(s["products"])) for s in synced_lines(log)[before:]) < len(chosen):
                        time.sleep(0.2)
                    done = synced_lines(log)[before:]
                    requests = sum(int(str(s["requests"])) for s in done)
                    rows.append((number + 1, len(chosen), requests, time.monotonic() - started, rss_mb(watch.pid)))
            print(f"ecomgit watch, {args.products}-product synthetic shop, {args.per_round} products edited a round")
            print(f"{'round':>5} {'products':>8} {'requests':>8} {'seconds':>8} {'RSS MB':>7}")
            for row in rows:
                print(f"{row[0]:>5} {row[1]:>8} {row[2]:>8} {row[3]:>8.1f} {row[4]:>7.1f}")
            floor, last, peak = rows[0][4], rows[-1][4], max(row[4] for row in rows)
            growth = last - floor
            print(f"memory: first round {floor:.1f} MB, last {last:.1f} MB, peak {peak:.1f} MB, grew {growth:+.1f} MB")
            per = sum(r[2] for r in rows) / sum(r[1] for r in rows)
            print(f"requests per product synced: {per:.1f}")
        finally:
            watch.terminate()
            watch.wait(timeout=60)


if __name__ == "__main__":
    main()
