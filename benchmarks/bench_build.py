"""Benchmark: COINr's ASEM builds (default and example_full) against COINr's own timings.

Run from the repository root with ``../shared/reference`` present::

    python benchmarks/bench_build.py [--repeat 30]

Each case runs once as a warm-up, then ``--repeat`` times in this process. The table
gives the median and best wall time, the median CPU time (which a busy machine does
not inflate) and COINr 1.1.14's time for the same build, read from the reference
JSON files (``elapsed_s``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas as pd
from machine import describe

from readiness_index import IndexResult, build, read_coinr

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "coinr_asem"
FULL = {
    "denominate": {"enabled": True},
    "impute": {"method": "group_mean", "group": "EurAsia_group"},
    "screen": {"method": "missing", "min_coverage": 0.9},
    "treat": {},
}


def _time(func: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    func()  # warm-up
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        func()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus


def _every_table(result: IndexResult) -> IndexResult:
    """Read the tables a result makes on first read (a build makes them only when asked)."""
    for table in (result.flags, result.data_years, result.denominator_years):
        assert isinstance(table, pd.DataFrame)
    return result


def _coinr_ms(name: str) -> str:
    path = REFERENCE / f"{name}.json"
    if not path.is_file():
        return "–"
    return f"{json.loads(path.read_text())['elapsed_s'] * 1e3:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    if not REFERENCE.is_dir():
        sys.exit(f"COINr reference files not found at {REFERENCE}")
    fw, data = read_coinr(REFERENCE / "iData.csv", REFERENCE / "iMeta.csv")
    cases: dict[str, tuple[Callable[[], object], str | None]] = {
        "`read_coinr` (iData + iMeta, validated)": (
            lambda: read_coinr(REFERENCE / "iData.csv", REFERENCE / "iMeta.csv"),
            None,
        ),
        "`build`, default (min-max + arithmetic mean)": (lambda: build(fw, data), "default"),
        "`build`, example_full (denominate, group-mean imputation, screening, treatment, "
        "min-max, arithmetic mean)": (lambda: build(fw, data, FULL), "example_full"),
        "`build`, example_full, then its wide flags, data-year and denominator-year tables "
        "read (made on first read)": (lambda: _every_table(build(fw, data, FULL)), None),
    }
    print("| case | median (ms) | best (ms) | CPU, median (ms) | COINr 1.1.14 (ms) |")
    print("|---|---:|---:|---:|---:|")
    for name, (func, coinr) in cases.items():
        walls, cpus = _time(func, args.repeat)
        print(
            f"| {name} | {statistics.median(walls) * 1e3:.1f} | {min(walls) * 1e3:.1f} "
            f"| {statistics.median(cpus) * 1e3:.1f} | {_coinr_ms(coinr) if coinr else '–'} |",
            flush=True,
        )
    print()
    print(describe(runs=f"median of {args.repeat} in one process after a warm-up"))


if __name__ == "__main__":
    main()
