"""Benchmark: reading and validating one million long data rows.

Run from the repository root::

    python benchmarks/bench_read.py [--rows 1000000] [--repeat 3]

Writes a long CSV (and the same rows as Parquet) of ``--rows`` rows (1,000 units x 50
indicators x 20 years for one million) in a temporary folder, then reads each with
``read_data`` (every row validated against the framework) in a fresh process, so that
the process's peak resident memory is that of the read alone. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

INDICATORS = 50
YEARS = 20


def framework_yaml(indicators: int) -> str:
    lines = ["aggregates:", "  - {code: idx, name: Index}", "indicators:"]
    lines += [f"  - {{code: i{n:02d}, name: I{n}, parent: idx}}" for n in range(indicators)]
    return "\n".join(lines) + "\n"


def rows(count: int) -> pd.DataFrame:
    units = max(1, count // (INDICATORS * YEARS))
    grid = pd.MultiIndex.from_product(
        [[f"U{u:05d}" for u in range(units)], range(2001, 2001 + YEARS),
         [f"i{n:02d}" for n in range(INDICATORS)]],
        names=["country", "year", "indicator"],
    ).to_frame(index=False)  # fmt: skip
    values = np.random.default_rng(1).normal(50, 15, len(grid)).round(3)
    return grid.assign(value=values, flag="", source="benchmark")


def child(path: str, framework: str) -> None:
    """Read in this process and print seconds and peak resident MiB."""
    from readiness_index.io.files import load_framework, read_data

    fw = load_framework(framework)
    start = time.perf_counter()
    data = read_data(path, framework=fw)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{seconds:.3f} {peak:.0f} {len(data.long)}")


def measure(path: Path, framework: Path, repeat: int) -> tuple[list[float], float, int]:
    times, peaks, count = [], [], 0
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(path), str(framework)],
            check=True, capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        times.append(float(out[0]))
        peaks.append(float(out[1]))
        count = int(out[2])
    return times, max(peaks), count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        table = rows(args.rows)
        framework = Path(folder) / "framework.yaml"
        framework.write_text(framework_yaml(INDICATORS))
        files = {"CSV": Path(folder) / "data.csv", "Parquet": Path(folder) / "data.parquet"}
        table.to_csv(files["CSV"], index=False)
        table.to_parquet(files["Parquet"], index=False)
        print(f"Python {platform.python_version()} on {platform.machine()}, {len(table):,} rows")
        print("| file | rows | best (s) | median (s) | peak resident memory (MiB) |")
        print("|---|---:|---:|---:|---:|")
        for name, path in files.items():
            times, peak, count = measure(path, framework, args.repeat)
            best, median = min(times), statistics.median(times)
            print(f"| {name} | {count:,} | {best:.2f} | {median:.2f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
