"""Measure ``ecomgit diff`` against the floor of parsing the files it compares; prints one table.

    .venv/bin/python benchmarks/bench_diff.py --products 10000 --changed 1000

A mirror of the emulator's synthetic shop is synced once (its first-sync commit adds every
product); then ``--changed`` products get a new English description in the shop and a second sync
commits them. Each ``ecomgit diff`` runs as a subprocess (wall seconds, peak RSS):

- the commit touching ``--changed`` products, as text and ``--markdown``;
- the first-sync commit (every product new), as text and ``--markdown`` (which stops at GitHub's
  comment size).

The floor, measured in the same run: reading the changed products' ``product.yaml`` at both
revisions from git in one ``git cat-file --batch`` and parsing each with a C YAML loader: ruamel's
``typ="safe"`` (libyaml's parser, the loader ecomgit reads with) and PyYAML's ``CSafeLoader``
(libyaml's parser with a leaner constructor, about twice as fast). Issue 16 item 3: the diff of
1 000 products within 2 × that floor, the 10 000-product first-sync commit within 15 s.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from benchmarks.bench_sync import ECOMGIT, SETTLE, change_products, emulator, run


def parse_floor(repo: Path, old: str, new: str, parse: Callable[[str], Any]) -> tuple[float, int]:
    """Seconds to read and ``parse`` every product.yaml that differs between ``old`` and ``new``, at
    both revisions (a file only one side has: that side); and how many files that was."""
    started = time.perf_counter()
    names = subprocess.run(
        ["git", "diff", "--name-only", "-z", old, new, "--", "products"],
        cwd=repo,
        capture_output=True,
        check=True,
        text=True,
    ).stdout.split("\0")
    paths = sorted({name for name in names if name.endswith("/product.yaml")})
    specs = "".join(f"{rev}:{path}\n" for rev in (old, new) for path in paths)
    out = subprocess.run(
        ["git", "cat-file", "--batch"], cwd=repo, input=specs.encode(), capture_output=True, check=True
    ).stdout
    parsed, at = 0, 0
    while at < len(out):
        header_end = out.index(b"\n", at)
        header = out[at:header_end].split()
        if header[-1] == b"missing":
            at = header_end + 1
            continue
        size = int(header[2])
        body = out[header_end + 1 : header_end + 1 + size]
        parse(body.decode("utf-8"))
        parsed += 1
        at = header_end + 1 + size + 1
    return time.perf_counter() - started, parsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--changed", type=int, default=1_000)
    args = parser.parse_args()
    with emulator(args.products) as url, tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        repo = Path(tmp) / "mirror"
        subprocess.run([*ECOMGIT, "init", str(repo), "--api-url", url], check=True, capture_output=True)
        run(["sync", "--quiet"], repo)
        first = git(repo, "rev-parse", "HEAD")
        ids = sorted(int(p.name.split("-", 1)[0]) for p in (repo / "products").iterdir())
        changed = ids[:: max(1, len(ids) // args.changed)][: args.changed]
        time.sleep(SETTLE)
        change_products(url, changed)
        time.sleep(SETTLE)
        run(["sync", "--quiet"], repo)
        head = git(repo, "rev-parse", "HEAD")
        floors = {name: parse_floor(repo, f"{head}~1", head, parse) for name, parse in loaders().items()}
        floor, files = floors["ruamel"]
        rows = []
        for label, old, new in (
            (f"{len(changed)} changed products", f"{head}~1", head),
            (f"first sync ({len(ids)} new)", f"{first}~1", first),
        ):
            for extra in ((), ("--markdown",)):
                done = run(["diff", old, new, *extra], repo)
                rows.append((f"{label}{' --markdown' if extra else ''}", done.seconds, done.peak_mb, len(done.out)))
    print(f"Synthetic shop: {args.products} products; {len(changed)} descriptions changed in one sync commit")
    for name, (seconds, files) in floors.items():
        print(f"floor ({name}): {files} product files read from git and parsed in {seconds:.2f} s")
    fast = floors.get("PyYAML", (floor, files))[0]
    print(f"{'diff':<40}{'seconds':>9}{'× ruamel':>10}{'× PyYAML':>10}{'peak MB':>9}{'output chars':>14}")
    for name, seconds, peak, chars in rows:
        ratios = (f"{seconds / floor:.2f}", f"{seconds / fast:.2f}") if "changed" in name else ("-", "-")
        print(f"{name:<40}{seconds:>9.2f}{ratios[0]:>10}{ratios[1]:>10}{peak:>9.0f}{chars:>14}")


def loaders() -> dict[str, Callable[[str], Any]]:
    """The C YAML loaders: ruamel's ``typ="safe"`` (libyaml's parser; ecomgit reads with it) and,
    when installed, PyYAML's ``CSafeLoader`` (libyaml's parser and a leaner constructor)."""
    ruamel = YAML(typ="safe")
    found: dict[str, Callable[[str], Any]] = {"ruamel": ruamel.load}
    try:
        import yaml
    except ImportError:  # pragma: no cover - a dev dependency
        return found

    class Loader(yaml.CSafeLoader):  # type: ignore[misc]
        pass

    Loader.add_constructor("!crlf", lambda loader, node: loader.construct_scalar(node).replace("\n", "\r\n"))
    found["PyYAML"] = lambda text: yaml.load(text, Loader=Loader)  # noqa: S506 - a safe loader
    return found


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, check=True, text=True).stdout.strip()


if __name__ == "__main__":
    main()
