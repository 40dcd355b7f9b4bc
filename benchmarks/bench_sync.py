"""Measure ``ecomgit sync`` against the emulator's synthetic shop; prints one table.

    .venv/bin/python benchmarks/bench_sync.py --products 10000

The emulator runs as its own process (``ecomgit emulator serve --synthetic N --rate-limit off``);
each sync runs as ``ecomgit sync --json`` in a subprocess, so the wall time, the API requests (from
the sync's own summary) and the peak memory (the sync process's max RSS) are the tool's alone.
Columns beside the measurements: the fewest requests the API allows for that shop, and what a
naive per-product mirror would spend.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ECOMGIT = [sys.executable, "-m", "ecomgit"]


@dataclass
class Row:
    name: str
    requests: int
    seconds: float
    peak_mb: float
    minimum: int | str
    naive: int | str
    note: str = ""


def start_emulator(products: int) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [*ECOMGIT, "emulator", "serve", "--synthetic", str(products), "--rate-limit", "off"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def run_sync(repo: Path) -> tuple[dict[str, Any], float, float]:
    """One ``ecomgit sync --json``: its summary, wall seconds and peak RSS in MB."""
    started = time.perf_counter()
    proc = subprocess.Popen([*ECOMGIT, "sync", "--json", "--quiet"], cwd=repo, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"sync failed with exit code {proc.returncode}")
    return json.loads(out), seconds, usage.ru_maxrss / 1024


def shop_shape(url: str) -> dict[str, int]:
    with httpx.Client(base_url=url, timeout=60) as http:

        def count(path: str, lang: str = "nl") -> int:
            return int(http.get(f"/{lang}/{path}/count.json").json()["count"])

        return {
            "products": count("products"),
            "variants": count("variants"),
            "tag_links": count("tags/products"),
            "categories": count("categories"),
            "tags": count("tags"),
            "brands": count("brands"),
            "deliverydates": count("deliverydates"),
            "languages": 2,
        }


def minimum_requests(shape: dict[str, int]) -> int:
    """The API's floor for a full mirror: bulk lists at limit=250 + one metafields call per product."""
    pages = lambda n: max(1, math.ceil(n / 250))  # noqa: E731
    lang = shape["languages"]
    return (
        2
        + pages(shape["products"])  # /catalog.json in the default language
        + pages(shape["products"]) * (lang - 1)  # texts in the other languages
        + pages(shape["variants"]) * lang  # full variants, titles per language
        + pages(shape["tag_links"])
        + sum(pages(shape[k]) * lang for k in ("categories", "tags", "brands", "deliverydates"))
        + shape["products"]  # metafields: no bulk endpoint
    )


def noop_floor(shape: dict[str, int]) -> int:
    pages = max(1, math.ceil(shape["products"] / 250))
    return 2 + pages + 4 * shape["languages"]


def naive_requests(shape: dict[str, int]) -> int:
    """Per product: the product and its variants in each language, images, category and tag links, metafields."""
    return 2 + shape["products"] * (2 * shape["languages"] + 4)


def change_products(url: str, ids: list[int]) -> None:
    with httpx.Client(base_url=url, timeout=60) as http:
        for pid in ids:
            http.put(f"/en/products/{pid}.json", json={"product": {"description": f"Changed for the benchmark {pid}"}})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=10_000)
    args = parser.parse_args()
    emulator, url = start_emulator(args.products)
    try:
        shape = shop_shape(url)
        rows = bench(url, shape)
    finally:
        emulator.terminate()
        emulator.wait()
    print_table(args.products, shape, rows)


def bench(url: str, shape: dict[str, int]) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="ecomgit-bench-") as tmp:
        repo = Path(tmp) / "mirror"
        subprocess.run([*ECOMGIT, "init", str(repo), "--api-url", url], check=True, capture_output=True)
        full, seconds, peak = run_sync(repo)
        rows = [
            Row(
                "full first sync",
                full["requests"],
                seconds,
                peak,
                minimum_requests(shape),
                naive_requests(shape),
                f"{full['new']} products, {full['images_fetched']} images",
            )
        ]
        time.sleep(2.5)  # let every product settle (a sync re-reads products edited while it ran)
        noop, seconds, peak = run_sync(repo)
        rows.append(
            Row(
                "no-op sync",
                noop["requests"],
                seconds,
                peak,
                noop_floor(shape),
                naive_requests(shape),
                f"commit: {noop['commit'] or 'none'}",
            )
        )
        ids = sorted(int(p.name.split("-", 1)[0]) for p in (repo / "products").iterdir())
        changed = ids[:: max(1, len(ids) // max(1, len(ids) // 100))][: max(1, len(ids) // 100)]
        change_products(url, changed)
        time.sleep(2.5)
        one, seconds, peak = run_sync(repo)
        rows.append(
            Row(
                "sync after 1 % changed",
                one["requests"],
                seconds,
                peak,
                noop_floor(shape) + len(changed) * (2 * shape["languages"] + 1),
                naive_requests(shape),
                f"{one['changed']} changed",
            )
        )
    return rows


def print_table(products: int, shape: dict[str, int], rows: list[Row]) -> None:
    print(
        f"Synthetic shop: {products} products, {shape['variants']} variants, {shape['tag_links']} tag links, "
        f"{shape['languages']} languages; emulator rate limits off; {os.cpu_count()} cores"
    )
    print(f"{'scenario':<24} {'requests':>9} {'minimum':>9} {'naive':>9} {'seconds':>9} {'peak MB':>9}  note")
    for row in rows:
        print(
            f"{row.name:<24} {row.requests:>9} {row.minimum!s:>9} {row.naive!s:>9} {row.seconds:>9.1f} "
            f"{row.peak_mb:>9.0f}  {row.note}"
        )


if __name__ == "__main__":
    main()
