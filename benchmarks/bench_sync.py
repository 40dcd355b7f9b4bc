"""Measure ``ecomgit sync`` and ``ecomgit push`` against the emulator's synthetic shop; prints one table.

    .venv/bin/python benchmarks/bench_sync.py --products 10000 [--capped]

The emulator runs as its own process (``ecomgit emulator serve --synthetic N --rate-limit off``);
each command runs as a subprocess (``ecomgit sync --json``, ``ecomgit -vv push --yes --json``), so
the wall time, the API requests (from the command's own summary; a push's reads and writes from its
request log) and the peak memory (the process's max RSS) are the tool's alone. Columns beside the
measurements: the fewest requests the API allows for that shop, what a naive per-product mirror
would spend, and the targets of issue 6 with whether each was met.

``--capped`` adds a first sync over a daily request limit: a fresh mirror of the same shop synced
against an emulator allowing only 2/5 of a clean first sync's requests a day (one emulator per
"day", so each run starts with a full day's budget); it prints the runs needed, the requests in all
and how well each stopped run's estimate of the requests left matched.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from ecomgit.mirror import files

ECOMGIT = [sys.executable, "-m", "ecomgit"]
SETTLE = 2.5  # seconds: a sync reads again what was edited around its start; let edits settle first
PUSH_SETTLE = 4.0  # seconds between pushes: see bench()
REQUEST_LINE = re.compile(r"ecomgit\.api\.client: (GET|PUT|POST|DELETE) /")


@dataclass
class Row:
    name: str
    requests: int
    seconds: float
    peak_mb: float
    minimum: int | str
    naive: int | str
    target: str = ""
    met: bool | None = None
    note: str = ""


@dataclass
class Run:
    """One finished ``ecomgit`` subprocess."""

    code: int
    out: str
    err: str
    seconds: float
    peak_mb: float

    def json(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(self.out)
        except ValueError:
            raise SystemExit(
                f"no JSON on stdout (exit code {self.code}):\n{self.out[-1000:]}{self.err[-2000:]}"
            ) from None
        return data


@contextmanager
def emulator(products: int, *options: str) -> Iterator[str]:
    proc = subprocess.Popen(
        [*ECOMGIT, "emulator", "serve", "--synthetic", str(products), *(options or ("--rate-limit", "off"))],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    try:
        yield proc.stdout.readline().strip()
    finally:
        proc.terminate()
        proc.wait()


def run(args: list[str], repo: Path, ok: tuple[int, ...] = (0,)) -> Run:
    """``ecomgit ARGS`` in ``repo``: its output, wall seconds and peak RSS in MB (its own, by ``wait4``)."""
    started = time.perf_counter()
    proc = subprocess.Popen([*ECOMGIT, *args], cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    errors: list[str] = []
    reader = threading.Thread(target=lambda: errors.append(proc.stderr.read() if proc.stderr else ""))
    reader.start()
    out = proc.stdout.read()
    reader.join()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    err = "".join(errors)
    if code not in ok:
        raise SystemExit(f"ecomgit {' '.join(args)} failed with exit code {code}:\n{err[-2000:]}")
    return Run(code, out, err, seconds, usage.ru_maxrss / 1024)


def sync(repo: Path, *extra: str, ok: tuple[int, ...] = (0,)) -> tuple[dict[str, Any], Run]:
    done = run(["sync", "--json", "--quiet", *extra], repo, ok)
    return done.json(), done


def shop_shape(url: str) -> dict[str, int]:
    with httpx.Client(base_url=url, timeout=60) as http:

        def count(path: str, lang: str = "nl") -> int:
            return int(http.get(f"/{lang}/{path}/count.json").json()["count"])

        with_images, page = 0, 1
        while rows := http.get("/nl/catalog.json", params={"limit": 250, "page": page}).json()["products"]:
            with_images += sum(1 for row in rows if row.get("images"))
            page += 1
        return {
            "products": count("products"),
            "with_images": with_images,
            "variants": count("variants"),
            "tag_links": count("tags/products"),
            "category_links": count("categories/products"),
            "quantity_discounts": count("quantity_discounts"),
            "reviews": count("reviews"),
            "categories": count("categories"),
            "tags": count("tags"),
            "brands": count("brands"),
            "deliverydates": count("deliverydates"),
            "languages": 2,
        }


def pages(rows: int) -> int:
    return max(1, math.ceil(rows / 250))


def minimum_requests(shape: dict[str, int]) -> int:
    """The API's floor for a full mirror: bulk lists at limit=250, one metafields call per product and
    one image-list call per product with images (image titles: no bulk endpoint)."""
    lang = shape["languages"]
    return (
        2
        + pages(shape["quantity_discounts"])  # the shop's tiered prices
        + pages(shape["reviews"])  # the shop's customer reviews
        + pages(shape["category_links"])  # the products' positions in their categories
        + shape["with_images"]  # image titles: /products/{id}/images per product
        + pages(shape["products"])  # /catalog.json in the default language
        + pages(shape["products"]) * (lang - 1)  # texts in the other languages
        + pages(shape["variants"]) * lang  # full variants, titles per language
        + pages(shape["tag_links"])
        + sum(pages(shape[k]) * lang for k in ("categories", "tags", "brands", "deliverydates"))
        + shape["products"]  # metafields: no bulk endpoint
        + shape["variants"]  # variant metafields (mirrored by default): no bulk endpoint either
    )


def noop_floor(shape: dict[str, int]) -> int:
    """Shop and languages, the tiers and the reviews (every sync: a change there moves no
    ``updatedAt``), the catalog, the shop lists in each language."""
    return (
        2
        + pages(shape["quantity_discounts"])
        + pages(shape["reviews"])
        + pages(shape["products"])
        + 4 * shape["languages"]
    )


def changed_floor(shape: dict[str, int], changed: int, variants: int) -> int:
    """A no-op, plus for ``changed`` products whose texts changed: their texts through an
    ``updated_at_min`` list per other language, tag links (per product or the whole list),
    one metafields request each and one per their ``variants`` (variant metafields)."""
    return (
        noop_floor(shape)
        + pages(changed) * (shape["languages"] - 1)
        + min(changed, pages(shape["tag_links"]))
        + min(changed, pages(shape["category_links"]))  # their positions in their categories
        + changed  # metafields
        + changed  # image titles (every synthetic product has images)
        + variants  # their variants' metafields
    )


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
    parser.add_argument("--capped", action="store_true", help="Also sync a fresh mirror over a daily request limit.")
    args = parser.parse_args()
    # git may still be packing in the background (gc --auto) when the mirror is removed
    with emulator(args.products) as url, tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        shape = shop_shape(url)
        rows = bench(url, shape, Path(tmp))
        if args.capped:
            rows.append(capped(args.products, rows[0].requests, Path(tmp)))
        print_table(args.products, shape, rows)


def bench(url: str, shape: dict[str, int], tmp: Path) -> list[Row]:
    repo = tmp / "mirror"
    subprocess.run([*ECOMGIT, "init", str(repo), "--api-url", url], check=True, capture_output=True)
    rows = [full_sync(repo, shape)]
    time.sleep(SETTLE)  # let every product settle (a sync re-reads products edited while it ran)
    rows.append(noop_sync(repo, shape))
    rows.append(quick_noop_sync(repo))
    rows.append(changed_sync(repo, url, shape))
    time.sleep(SETTLE)
    run(["sync", "--quiet"], repo)  # the products changed just before the last sync are read once more
    rows.append(push_one(repo))
    one = rows[-1].requests
    for share in (0.01, 0.10):
        # a push re-reads the products stamped within 2 s of its start (an edit after its plan could
        # share their whole-second stamp: ecomgit.write.recheck); the 10 % push holds the 1 %'s products
        time.sleep(PUSH_SETTLE)
        rows.append(push_many(repo, shape, share, one))
    return rows


def full_sync(repo: Path, shape: dict[str, int]) -> Row:
    full, done = sync(repo)
    minimum = minimum_requests(shape)
    met = done.seconds <= 300 and done.peak_mb <= 400 and full["requests"] <= 1.1 * minimum
    note = f"{full['new']} products, {full['imagesFetched']} images"
    target = f"≤ 300 s, ≤ 400 MB, ≤ {math.floor(1.1 * minimum)} req"
    return Row(
        "full first sync",
        full["requests"],
        done.seconds,
        done.peak_mb,
        minimum,
        naive_requests(shape),
        target,
        met,
        note,
    )


def quick_noop_sync(repo: Path) -> Row:
    """``sync --quick`` with nothing changed (issue 17 item 2): languages, shop, discounts, reviews,
    the two filtered lists and a product count, plus the metafield rotation's share."""
    quick, done = sync(repo, "--quick")
    rotation = quick["metafields"]["refreshed"]
    return Row(
        "quick no-op sync",
        quick["requests"],
        done.seconds,
        done.peak_mb,
        7,
        "-",
        "≤ 7 req + rotation",
        quick["quick"] and quick["requests"] <= 7 + rotation * 5,
        f"commit: {quick['commit'] or 'none'}; metafield rotation: {rotation}",
    )


def noop_sync(repo: Path, shape: dict[str, int]) -> Row:
    noop, done = sync(repo)
    limit = 2 * pages(shape["products"]) + 10
    rotation = noop["metafields"]["refreshed"]
    return Row(
        "no-op sync",
        noop["requests"],
        done.seconds,
        done.peak_mb,
        noop_floor(shape),
        naive_requests(shape),
        f"≤ 5 s, ≤ {limit} req",
        done.seconds <= 5 and noop["requests"] <= limit,
        f"commit: {noop['commit'] or 'none'}; metafield rotation: {rotation}",
    )


def changed_sync(repo: Path, url: str, shape: dict[str, int]) -> Row:
    ids = sorted(int(p.name.split("-", 1)[0]) for p in (repo / "products").iterdir())
    count = max(1, len(ids) // 100)
    changed = ids[:: max(1, len(ids) // count)][:count]
    change_products(url, changed)
    by_id = {int(p.name.split("-", 1)[0]): p for p in (repo / "products").iterdir()}
    variants = sum(len(files.read_product(by_id[pid] / "product.yaml")["variants"]) for pid in changed)
    time.sleep(SETTLE)
    one, done = sync(repo)
    return Row(
        "sync after 1 % changed",
        one["requests"],
        done.seconds,
        done.peak_mb,
        changed_floor(shape, len(changed), variants),
        naive_requests(shape),
        "≤ 15 s",
        done.seconds <= 15,
        f"{one['changed']} changed; metafield rotation: {one['metafields']['refreshed']}",
    )


def push_one(repo: Path) -> Row:
    """Edit one product's English description in the mirror, commit, push; count reads and writes."""
    folder = sorted((repo / "products").iterdir())[len(list((repo / "products").iterdir())) // 2]
    path = folder / "product.yaml"
    product = files.read_product(path)
    product["description"]["en"] = f"{product['description']['en']} Pushed by the benchmark."
    files.write_product(path, product)
    subprocess.run(["git", "commit", "-qam", "Edit one description"], cwd=repo, check=True)
    done = run(["-vv", "push", "--yes", "--json"], repo)
    methods = REQUEST_LINE.findall(done.err)
    reads = sum(1 for method in methods if method == "GET")
    writes = len(methods) - reads
    requests = done.json()["requests"]
    return Row(
        "push of one product",
        requests,
        done.seconds,
        done.peak_mb,
        reads + 1,  # a description edit needs one PUT
        "-",
        f"≤ reads + 5 = {reads + 5} req",
        requests <= reads + 5,
        f"{reads} reads, {writes} write(s): description [en] of {folder.name.split('-', 1)[0]}",
    )


def push_many(repo: Path, shape: dict[str, int], share: float, one: int) -> Row:
    """Edit the English description of ``share`` of the products, commit, push: the requests against
    issue 16 item 4's target, 1.1 × the writes + 2 × the list pages a list-based plan and read-back
    need (the English texts of every product: one list, read to plan and again to verify), and
    against the per-product way (``one``, the requests of a one-product push in this run, per product;
    in the "naive" column)."""
    folders = sorted((repo / "products").iterdir())
    chosen = folders[:: max(1, round(1 / share))][: max(1, round(len(folders) * share))]
    for folder in chosen:
        path = folder / "product.yaml"
        product = files.read_product(path)
        product["description"]["en"] = f"{product['description']['en']} Edited in bulk."
        files.write_product(path, product)
    subprocess.run(["git", "commit", "-qam", f"Edit {len(chosen)} descriptions"], cwd=repo, check=True)
    done = run(["-vv", "push", "--yes", "--json"], repo)
    methods = REQUEST_LINE.findall(done.err)
    writes = sum(1 for method in methods if method != "GET")
    requests = done.json()["requests"]
    target = math.floor(1.1 * writes + 2 * pages(shape["products"]))
    return Row(
        f"push of {share:.0%} ({len(chosen)} products)",
        requests,
        done.seconds,
        done.peak_mb,
        target,
        one * len(chosen),
        f"≤ 1.1 × writes + 2 × list pages = {target} req",
        requests <= target,
        f"{requests - writes} reads ({(requests - writes) / len(chosen):.1f} a product), {writes} writes",
    )


def capped(products: int, clean: int, tmp: Path) -> Row:
    """A first sync over a daily limit of 2/5 of a clean sync's requests: runs, requests, estimates."""
    daily = max(20, clean * 2 // 5)
    limits = ("--rate-limit", f"{daily}/{daily}/{daily}")
    repo = tmp / "capped"
    spent, runs, seconds, peak, estimates = 0, 0, 0.0, 0.0, []
    expected: int | None = None
    with ExitStack() as days:  # every day's emulator stays up: a resumed run downloads images staged earlier
        while True:
            url = days.enter_context(emulator(products, *limits))  # a new day: counters start at zero
            if runs == 0:
                subprocess.run([*ECOMGIT, "init", str(repo), "--api-url", url], check=True, capture_output=True)
            else:
                _repoint(repo, url)
            summary, done = sync(repo, ok=(0, 1))
            runs += 1
            spent += summary["requests"]
            seconds += done.seconds
            peak = max(peak, done.peak_mb)
            if expected is not None:
                estimates.append(f"{expected}→{summary['requests'] if done.code == 0 else '(stopped)'}")
            if done.code == 0:
                break
            expected = summary["stopped"]["requests_left"]
            if runs > 20:
                raise SystemExit("the capped sync did not finish in 20 runs")
    note = f"{runs} runs at {daily}/day; estimated→made in the next run: {', '.join(estimates) or '-'}"
    return Row(
        "first sync over a daily cap",
        spent,
        seconds,
        peak,
        clean,
        "-",
        f"≈ {clean} req",
        spent <= clean + 2 * runs,
        note,
    )


def _repoint(repo: Path, url: str) -> None:
    config = repo / ".ecomgit" / "config.yaml"
    lines = config.read_text().splitlines(keepends=True)
    config.write_text("".join(f"api_url: {url}\n" if line.startswith("api_url:") else line for line in lines))
    subprocess.run(["git", "commit", "-qam", f"Mirror the shop at {url}"], cwd=repo, check=True)


def print_table(products: int, shape: dict[str, int], rows: list[Row]) -> None:
    print(
        f"Synthetic shop: {products} products, {shape['variants']} variants, {shape['tag_links']} tag links, "
        f"{shape['languages']} languages; emulator rate limits off; {os.cpu_count()} cores"
    )
    print(
        f"{'scenario':<28} {'requests':>9} {'minimum':>9} {'naive':>9} {'seconds':>9} {'peak MB':>9}  "
        f"{'target':<34} {'met':<4} note"
    )
    for row in rows:
        met = "-" if row.met is None else ("yes" if row.met else "NO")
        print(
            f"{row.name:<28} {row.requests:>9} {row.minimum!s:>9} {row.naive!s:>9} {row.seconds:>9.1f} "
            f"{row.peak_mb:>9.0f}  {row.target:<34} {met:<4} {row.note}"
        )


if __name__ == "__main__":
    main()
