"""Measure ``ecomgit prices`` on a year of daily syncs against reading that history once.

    .venv/bin/python benchmarks/bench_prices.py --products 10000 --days 365

Builds a mirror with ``git fast-import`` (seconds, not an hour of syncs): ``--products`` products of
``--variants`` variants each (a realistic ``product.yaml`` of about 3 kB: two languages, a
description, the variant fields), one commit on day 0 and one ``Ecomgit-Sync`` commit a day after
it, each changing the prices of ``--changed`` products (a reduction with an old price shown, a
price back to normal, a quiet price change). Then, in the same run:

- the floor: one ``git log --first-parent --raw`` of that history and one ``git cat-file --batch``
  of every product file it names at a sync (read, not parsed): reading the history once;
- ``ecomgit prices --json`` for the whole catalog, and ``prices --history SKU`` for one variant, as
  subprocesses (wall seconds, peak RSS by ``wait4``).

Issue 26 item 5: the whole catalog in at most 10 s.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ECOMGIT = [sys.executable, "-m", "ecomgit"]
DAY = 86400
START = 1_733_011_200  # 2024-12-01 00:00 UTC
CONFIG = b"api_url: https://api.webshopapp.com\nlanguages:\n- nl\n- en\n"
DESCRIPTION = "Een degelijk product voor dagelijks gebruik, getest op de Waddeneilanden. " * 6


def product(pid: int, variants: int, prices: list[tuple[int, int]]) -> bytes:
    """``prices``: (price, old price) in cents, one per variant."""
    lines = [
        f"id: {pid}",
        "visibility: visible",
        "isFeatured: false",
        f"title:\n  nl: Product {pid}\n  en: Product {pid}",
        f"fulltitle:\n  nl: Product {pid} van de testwinkel\n  en: Product {pid} from the test shop",
        f"description:\n  nl: {DESCRIPTION}\n  en: {DESCRIPTION}",
        f"url:\n  nl: product-{pid}\n  en: product-{pid}",
        "brand: null",
        f"categories:\n- id: {5231100 + pid % 40}\n  url: categorie-{pid % 40}\n  sortOrder: 1",
        "tags: []",
        "variants:",
    ]
    for n in range(variants):
        price, old = prices[n]
        lines += [
            f"- id: {pid * 10 + n}\n  isDefault: {'true' if n == 0 else 'false'}\n  sortOrder: {n + 1}",
            f"  title:\n    nl: Maat {n}\n    en: Size {n}",
            f"  articleCode: P{pid}-{n}\n  ean: '20{pid:09d}{n}'\n  sku: P{pid}-{n}\n  tax: 4001\n  taxType: auto",
            f"  priceExcl: {_money(price * 100 // 121)}\n  priceIncl: {_money(price)}",
            f"  oldPriceExcl: {_money(old * 100 // 121)}\n  oldPriceIncl: {_money(old)}",
            "  unitPrice: 0\n  stockTracking: enabled\n  stockBuyMinimum: 1\n  stockBuyMaximum: 10000",
            "  weight: 1450\n  sizeUnit: cm\n  image: null\n  options: []\n  metafields: []",
        ]
    lines += ["quantityDiscounts: []", "metafields: []", "relations: []", ""]
    return "\n".join(lines).encode()


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}" if cents % 100 else str(cents // 100)


def build(repo: Path, products: int, variants: int, days: int, changed: int) -> int:
    """The mirror's history through ``git fast-import``; the number of product files written."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    rng = random.Random(26)
    state = {pid: [(rng.randrange(1000, 50000), 0) for _ in range(variants)] for pid in range(1, products + 1)}
    proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=repo, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    out = proc.stdin
    written = 0

    def commit(day: int, files: dict[str, bytes]) -> None:
        """The next commit on main (fast-import continues a branch from its tip)."""
        moment = START + day * DAY
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))
        message = f"Sync: {stamp}\n\nEcomgit-Sync: {stamp}\n".encode()
        out.write(f"commit refs/heads/main\ncommitter ecomgit <ecomgit@localhost> {moment} +0000\n".encode())
        out.write(b"data %d\n%s\n" % (len(message), message))
        for path, data in files.items():
            out.write(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))

    files = {f"products/{pid}-product-{pid}/product.yaml": product(pid, variants, state[pid]) for pid in state}
    files[".ecomgit/config.yaml"] = CONFIG
    commit(0, files)
    written += products
    for day in range(1, days + 1):
        files = {}
        for pid in rng.sample(range(1, products + 1), changed):
            prices = state[pid]
            n = rng.randrange(variants)
            price, old = prices[n]
            if old:  # the sale ends
                prices[n] = (old, 0)
            elif rng.random() < 0.6:  # a reduction, the old price shown
                prices[n] = (price * rng.choice((70, 80, 90)) // 100, price)
            else:  # a quiet price change
                prices[n] = (price * rng.choice((95, 105, 110)) // 100, 0)
            files[f"products/{pid}-product-{pid}/product.yaml"] = product(pid, variants, prices)
        commit(day, files)
        written += len(files)
    out.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo, check=True)
    return written


def floor(repo: Path) -> float:
    """Seconds to read the history once: the log with its raw changes, and every product file it names."""
    started = time.perf_counter()
    log = subprocess.run(
        ["git", "log", "--first-parent", "--reverse", "--raw", "--no-renames", "--no-abbrev", "--format=%H %ct%n%B"],
        cwd=repo,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    blobs = [line.split()[3] for line in log.splitlines() if line.startswith(":") and line.endswith("/product.yaml")]
    with tempfile.TemporaryFile() as ids:
        ids.write("".join(f"{blob}\n" for blob in dict.fromkeys(blobs)).encode())
        ids.seek(0)
        subprocess.run(["git", "cat-file", "--batch"], cwd=repo, stdin=ids, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def timed(args: list[str], repo: Path) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB (its own, by ``wait4``), and stdout of ``ecomgit ARGS``."""
    started = time.perf_counter()
    proc = subprocess.Popen([*ECOMGIT, *args], cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    text = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"ecomgit {' '.join(args)} failed")
    return time.perf_counter() - started, usage.ru_maxrss / 1024, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=10000)
    parser.add_argument("--variants", type=int, default=3)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--changed", type=int, default=100, help="products whose prices change each day")
    parser.add_argument("--keep", type=Path, help="build the mirror here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-prices-") as temp:
        repo = args.keep or Path(temp) / "mirror"
        started = time.perf_counter()
        files = build(repo, args.products, args.variants, args.days, args.changed)
        built = time.perf_counter() - started
        print(
            f"built {args.products} products × {args.variants} variants, {args.days + 1} commits, "
            f"{files} product files in {built:.1f} s (git fast-import)"
        )
        floors = [floor(repo) for _ in range(3)]
        whole, whole_mb, out = timed(["prices", "--json"], repo)
        again, _, _ = timed(["prices", "--json"], repo)
        one, one_mb, _ = timed(["prices", "--history", "P1-0"], repo)
        rows = out.count('"variant":')
        print("| measure | seconds | peak memory |\n| --- | ---: | ---: |")
        print(f"| floor: git log --raw + cat-file --batch of every product file (best of 3) | {min(floors):.2f} | — |")
        print(f"| ecomgit prices --json, whole catalog ({rows} rows) | {whole:.2f}, {again:.2f} | {whole_mb:.0f} MB |")
        print(f"| ecomgit prices --history P1-0 | {one:.2f} | {one_mb:.0f} MB |")
        print(
            f"whole catalog / floor: {min(whole, again) / min(floors):.1f} ×; target ≤ 10 s: "
            f"{'met' if max(whole, again) <= 10 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
