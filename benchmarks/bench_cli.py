"""Benchmark: the command line as a user feels it, whole process, start to exit.

Each command is run ``--repeat`` times (default 7) as a fresh process; the table gives
the median and best wall time, the median CPU time of the process (user + system) and
its peak resident memory, read from the operating system for that process alone.

Run from the repository root (with the package installed)::

    python benchmarks/bench_cli.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import describe

COMMANDS = [
    ["--help"],
    *([name, "--help"] for name in ("build", "explain", "report", "audit", "uncertainty")),
    ["sensitivity", "--help"],
    ["data", "add", "--help"],
    ["build"],
]


def _run(argv: list[str]) -> tuple[float, float, float]:
    """Wall time, CPU time (s) and peak resident memory (MiB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{' '.join(argv)} failed with status {status}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    program = shutil.which("readiness-index") or str(
        Path(sys.executable).parent / "readiness-index"
    )
    print("| command | median (s) | best (s) | CPU (s) | peak memory (MiB) |")
    print("|---|---:|---:|---:|---:|")
    for command in COMMANDS:
        runs = [_run([program, *command]) for _ in range(args.repeat)]
        walls, cpus, peaks = zip(*runs, strict=True)
        print(
            f"| `readiness-index {' '.join(command)}` | {statistics.median(walls):.2f} "
            f"| {min(walls):.2f} | {statistics.median(cpus):.2f} | {max(peaks):.0f} |",
            flush=True,
        )
    print()
    print(describe(runs=f"median of {args.repeat} whole-process runs"))


if __name__ == "__main__":
    main()
