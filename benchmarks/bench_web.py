"""Measure ``ecomgit web`` on a large mirror: the first index, the catalog page, a long timeline.

    .venv/bin/python benchmarks/bench_web.py --products 10000 --commits 500 --timeline 200

Builds a mirror with ``git fast-import`` (the product files of ``bench_prices``: two languages, a
description, two variants): one commit adding every product, then ``--commits`` - 1 ``Ecomgit-Sync``
commits each changing 20 products' prices and descriptions; product 1 changes in ``--timeline`` of
them. Then, in one process, through Starlette's in-process client (server time plus the client's
small overhead):

- the first index (``.git/ecomgit/web.sqlite``), and its update after one more commit;
- the catalog page: the first request after the index (lost, pending and restored products worked
  out once per HEAD), then the median of 5 (all products, a search, page 100);
- product 1's page with its whole timeline: the first time (every step compared), then from the index.

Issue 25: the catalog of 10 000 products in at most 300 ms (also the first request after HEAD
moved), a timeline of 200 commits in at most 500 ms (also the first time, nothing compared before),
the first index of 10 000 products / 500 commits in at most 60 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.bench_prices import CONFIG, DAY, START, product


def build(repo: Path, products: int, commits: int, timeline: int) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    rng = random.Random(25)
    proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=repo, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    out = proc.stdin

    def commit(n: int, files: dict[str, bytes]) -> None:
        moment = START + n * DAY
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))
        message = f"Sync: {stamp}\n\nEcomgit-Sync: {stamp}\n".encode()
        out.write(f"commit refs/heads/main\ncommitter ecomgit <ecomgit@localhost> {moment} +0000\n".encode())
        out.write(b"data %d\n%s\n" % (len(message), message))
        for path, data in files.items():
            out.write(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))

    def folder(pid: int) -> str:
        return f"products/{pid}-product-{pid}"

    def text(pid: int, version: int) -> bytes:
        data = product(pid, 2, [(1000 + version * 10, 0), (2000 + version, 0)])
        return data.replace(b"getest op de", f"getest (versie {version}) op de".encode(), 1)

    files = {f"{folder(pid)}/product.yaml": text(pid, 0) for pid in range(1, products + 1)}
    files.update({f"{folder(pid)}/images/01-photo.png": b"PNG %d" % pid for pid in range(1, products + 1)})
    files[".ecomgit/config.yaml"] = CONFIG
    commit(0, files)
    touching = set(rng.sample(range(1, commits), timeline - 1))
    for n in range(1, commits):
        pids = rng.sample(range(2, products + 1), 20) + ([1] if n in touching else [])
        commit(n, {f"{folder(pid)}/product.yaml": text(pid, n) for pid in pids})
    out.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo, check=True)


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--timeline", type=int, default=200)
    args = parser.parse_args()
    from starlette.testclient import TestClient

    from ecomgit.web.app import make_app
    from ecomgit.web.index import Index

    with tempfile.TemporaryDirectory() as scratch:
        repo = Path(scratch) / "mirror"
        built = timed(lambda: build(repo, args.products, args.commits, args.timeline))
        rows = [("build the mirror (fast-import, not ecomgit)", built, None)]
        index = Index(repo)
        rows.append((f"first index: {args.products} products, {args.commits} commits", timed(index.refresh), 60.0))
        subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "one more"], cwd=repo, check=True)
        rows.append(("index update after one more commit", timed(index.refresh), None))
        index.close()
        with TestClient(make_app(repo)) as web:

            def get(url: str) -> Callable[[], object]:
                return lambda: web.get(url).raise_for_status()

            rows.append(("catalog page, first request at this HEAD", timed(get("/")), 0.3))
            for name, url in (
                ("catalog page", "/"),
                ("catalog search", "/?q=product+4242"),
                ("catalog page 100", "/?page=100"),
            ):
                rows.append((f"{name} (median of 5)", statistics.median(timed(get(url)) for _ in range(5)), 0.3))
            page = f"/product/1?history={args.timeline}"
            rows.append((f"product 1, timeline of {args.timeline} commits, first time", timed(get(page)), 0.5))
            rows.append((f"product 1, timeline of {args.timeline} commits, from the index (median of 5)",
                         statistics.median(timed(get(page)) for _ in range(5)), 0.5))  # fmt: skip
            assert web.get(page).text.count('class="step ') == args.timeline
            assert web.get("/").text.count("<tr>") == 51  # the header and a full page of 50 products
    print("| measurement | seconds | limit |")
    print("| --- | ---: | ---: |")
    for name, seconds, limit in rows:
        verdict = "" if limit is None else (f"{limit:g} ✓" if seconds <= limit else f"{limit:g} ✗")
        print(f"| {name} | {seconds:.3f} | {verdict} |")


if __name__ == "__main__":
    main()
