"""Profile ``ecomgit sync`` (and the emulator serving it) with py-spy; prints the top frames.

    .venv/bin/python benchmarks/profile_sync.py --products 2000 [--out DIR] [--no-profile]

Starts ``ecomgit emulator serve --synthetic N --rate-limit off``, then runs a full first sync and a
no-op sync as subprocesses, each under ``py-spy record`` (the emulator too, for the whole run).
Prints, for each sync, the API requests, wall seconds and peak RSS, and for each profile the
functions with the most samples (own and cumulative). The raw profiles (``speedscope`` JSON) stay
in ``--out`` for a closer look. ``--no-profile`` only measures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ECOMGIT = [sys.executable, "-m", "ecomgit"]
PY_SPY = str(Path(sys.executable).with_name("py-spy"))
EXTRA: list[str] = []  # extra py-spy options


def spy(out: Path | None, argv: list[str]) -> list[str]:
    if out is None:
        return argv
    return [
        PY_SPY,
        "record",
        "--format",
        "speedscope",
        "--rate",
        "50",
        *EXTRA,
        "--subprocesses",
        "-o",
        str(out),
        "--",
        *argv,
    ]


def start_emulator(products: int, out: Path | None) -> tuple[subprocess.Popen[str], str]:
    argv = spy(out, [*ECOMGIT, "emulator", "serve", "--synthetic", str(products), "--rate-limit", "off"])
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    while line and not line.startswith("http"):  # py-spy says hello on stdout first
        line = proc.stdout.readline()
    return proc, line.strip()


def run_sync(repo: Path, out: Path | None) -> tuple[dict[str, Any], float, float]:
    started = time.perf_counter()
    argv = spy(out, [*ECOMGIT, "sync", "--json", "--quiet"])
    proc = subprocess.Popen(argv, cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    text = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"sync failed: {text}")
    summary, _ = json.JSONDecoder().raw_decode(text[text.index("{") :])
    return summary, seconds, usage.ru_maxrss / 1024


def top_frames(path: Path, count: int = 25) -> str:
    """The functions with the most samples in a speedscope profile: own and cumulative."""
    data = json.loads(path.read_text())
    frames = data["shared"]["frames"]
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for profile in data["profiles"]:
        for stack, weight in zip(profile["samples"], profile["weights"], strict=True):
            names = [
                f"{frames[i]['name']} ({Path(frames[i].get('file', '?')).name}:{frames[i].get('line', 0)})"
                for i in stack
            ]
            if not names or names[-1].startswith(("wait ", "_wait_for_tstate_lock", "select ", "acquire ")):
                continue
            samples += weight
            own[names[-1]] += weight
            for name in set(names):
                total[name] += weight
    lines = [f"{path.name}: {samples} busy samples"]
    lines += ["  own:"] + [f"    {n / samples:6.1%}  {name}" for name, n in own.most_common(count)]
    lines += ["  cumulative:"] + [f"    {n / samples:6.1%}  {name}" for name, n in total.most_common(count)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--out", type=Path, help="Folder for the profiles (default: a temporary one).")
    parser.add_argument("--no-profile", action="store_true", help="Only measure.")
    parser.add_argument("--gil", action="store_true", help="Sample only the thread holding the GIL (CPU in Python).")
    parser.add_argument("--idle", action="store_true", help="Sample waiting threads too (wall time).")
    parser.add_argument("--noop-runs", type=int, default=1, help="No-op syncs to run after the full one.")
    args = parser.parse_args()
    if args.gil:
        EXTRA.append("--gil")
    if args.idle:
        EXTRA.append("--idle")
    out = None if args.no_profile else (args.out or Path(tempfile.mkdtemp(prefix="ecomgit-profile-")))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    emulator, url = start_emulator(args.products, out and out / "emulator.json")
    tmp = Path(tempfile.mkdtemp(prefix="ecomgit-profile-repo-"))
    try:
        repo = tmp / "mirror"
        subprocess.run([*ECOMGIT, "init", str(repo), "--api-url", url], check=True, capture_output=True)
        results = [("full", *run_sync(repo, out and out / "sync-full.json"))]
        time.sleep(2.5)
        for n in range(args.noop_runs):
            results.append((f"no-op {n + 1}", *run_sync(repo, out and out / f"sync-noop-{n + 1}.json")))
    finally:
        emulator.send_signal(2)
        emulator.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{args.products} products, {os.cpu_count()} cores")
    for name, summary, seconds, peak in results:
        print(
            f"{name:<10} {summary['requests']:>7} requests {seconds:>8.1f} s {peak:>6.0f} MB  "
            f"new {summary['new']} images {summary['images_fetched']} commit {summary['commit'] or '-'}"
        )
    if out is not None:
        for path in sorted(out.glob("*.json")):
            print(top_frames(path))
        print(f"profiles in {out}")


if __name__ == "__main__":
    main()
