"""Benchmark: the full COINr ASEM builds (default and example_full).

Run from the repository root with ``../shared/reference`` present::

    python benchmarks/bench_build.py

Prints a Markdown table: best and median wall time of ``build`` over repeated runs.
"""

from __future__ import annotations

import platform
import statistics
import sys
import time
from pathlib import Path

from readiness_index import build, read_coinr

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "coinr_asem"
FULL = {
    "denominate": {"enabled": True},
    "impute": {"method": "group_mean", "group": "EurAsia_group"},
    "screen": {"method": "missing", "min_coverage": 0.9},
    "treat": {},
}


def _time(func: object, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    if not REFERENCE.is_dir():
        sys.exit(f"COINr reference files not found at {REFERENCE}")
    fw, data = read_coinr(REFERENCE / "iData.csv", REFERENCE / "iMeta.csv")
    cases = {
        "read_coinr (iData + iMeta, validated)": lambda: read_coinr(
            REFERENCE / "iData.csv", REFERENCE / "iMeta.csv"
        ),
        "build, default (min-max + arithmetic)": lambda: build(fw, data),
        "build, example_full (denominate ... aggregate)": lambda: build(fw, data, FULL),
    }
    print(f"Python {platform.python_version()} on {platform.machine()}")
    print("| case | best (ms) | median (ms) | runs |")
    print("|---|---|---|---|")
    for name, func in cases.items():
        times = _time(func, 20)
        print(f"| {name} | {min(times) * 1e3:.1f} | {statistics.median(times) * 1e3:.1f} | 20 |")


if __name__ == "__main__":
    main()
