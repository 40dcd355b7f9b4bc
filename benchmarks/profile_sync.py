"""Profile ``ecomgit sync`` (and the emulator serving it) with py-spy; prints where the time goes.

    .venv/bin/python benchmarks/profile_sync.py --products 2000 [--gil | --idle] [--out DIR]
    .venv/bin/python benchmarks/profile_sync.py --products 10000 --no-profile --noop-runs 3

Starts ``ecomgit emulator serve --synthetic N --rate-limit off``, then runs a full first sync and
``--noop-runs`` no-op syncs as subprocesses, each under ``py-spy record`` (the emulator too, for
the whole run). Prints, for each sync, the API requests, wall seconds and peak RSS, and for each
profile the functions with the most seconds (own and cumulative, every thread together).

``--gil`` samples only the thread holding the interpreter lock (where the CPU goes in Python);
``--idle`` samples waiting threads too (where the wall time goes; read the main thread's share).
The raw profiles (speedscope JSON, open them at https://www.speedscope.app) stay in ``--out``.
``--no-profile`` only measures.
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


def spy(out: Path | None, options: list[str], argv: list[str]) -> list[str]:
    if out is None:
        return argv
    record = [PY_SPY, "record", "--format", "speedscope", "--rate", "50", "--subprocesses", *options]
    return [*record, "-o", str(out), "--", *argv]


def start_emulator(products: int, out: Path | None, options: list[str]) -> tuple[subprocess.Popen[str], str]:
    argv = spy(out, options, [*ECOMGIT, "emulator", "serve", "--synthetic", str(products), "--rate-limit", "off"])
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    while line and not line.startswith("http"):  # py-spy says hello on stdout first
        line = proc.stdout.readline()
    return proc, line.strip()


def run_sync(repo: Path, out: Path | None, options: list[str]) -> tuple[dict[str, Any], float, float]:
    """One ``ecomgit sync --json``: its summary, wall seconds and peak RSS in MB."""
    started = time.perf_counter()
    argv = spy(out, options, [*ECOMGIT, "sync", "--json", "--quiet"])
    proc = subprocess.Popen(argv, cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    text = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"sync failed: {text}")
    summary, _ = json.JSONDecoder().raw_decode(text[text.index("{") :])  # py-spy prints around it
    return summary, seconds, usage.ru_maxrss / 1024


def top_frames(path: Path, count: int = 25) -> str:
    """The functions with the most seconds in a speedscope profile: own and cumulative."""
    data = json.loads(path.read_text())
    frames = data["shared"]["frames"]
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    seconds = 0.0
    for profile in data["profiles"]:
        for stack, weight in zip(profile["samples"], profile["weights"], strict=True):
            names = [
                f"{frames[i]['name']} ({Path(frames[i].get('file', '?')).name}:{frames[i].get('line', 0)})"
                for i in stack
            ]
            if not names:
                continue
            seconds += weight
            own[names[-1]] += weight
            for name in {name.rsplit(":", 1)[0] for name in names}:
                total[name] += weight
    lines = [f"{path.name}: {seconds:.1f} s sampled"]
    lines += ["  own:"] + [f"    {n:7.2f} s {n / seconds:6.1%}  {name}" for name, n in own.most_common(count)]
    lines += ["  cumulative:"] + [f"    {n:7.2f} s {n / seconds:6.1%}  {name})" for name, n in total.most_common(count)]
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
    options = ["--gil"] * args.gil + ["--idle"] * args.idle
    out = None if args.no_profile else (args.out or Path(tempfile.mkdtemp(prefix="ecomgit-profile-")))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    emulator, url = start_emulator(args.products, out and out / "emulator.json", options)
    tmp = Path(tempfile.mkdtemp(prefix="ecomgit-profile-repo-"))
    try:
        repo = tmp / "mirror"
        subprocess.run([*ECOMGIT, "init", str(repo), "--api-url", url], check=True, capture_output=True)
        results = [("full", *run_sync(repo, out and out / "sync-full.json", options))]
        time.sleep(2.5)  # let every product settle (a sync re-reads products edited while it ran)
        for n in range(args.noop_runs):
            results.append((f"no-op {n + 1}", *run_sync(repo, out and out / f"sync-noop-{n + 1}.json", options)))
    finally:
        emulator.send_signal(2)
        emulator.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{args.products} products, {os.cpu_count()} cores")
    for name, summary, seconds, peak in results:
        print(
            f"{name:<10} {summary['requests']:>7} requests {seconds:>8.1f} s {peak:>6.0f} MB  "
            f"new {summary['new']} images {summary['imagesFetched']} commit {summary['commit'] or '-'}"
        )
    if out is not None:
        for path in sorted(out.glob("*.json")):
            print(top_frames(path))
        print(f"profiles in {out}")


if __name__ == "__main__":
    main()
