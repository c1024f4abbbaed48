"""Benchmark: uncertainty and sensitivity analysis of COINr's ASEM example.

The specification is COINr's reference run (``v5_ua_default_N100.json``): the default
build (min-max 0-100, arithmetic mean) with normalisation in {min-max 1-100, z-score
mean 10 sd 2}, weights of levels 2 and 3 perturbed by up to 25%, aggregation in
{arithmetic, geometric}. COINr 1.1.14's ``get_sensitivity`` needs about 38 s at N = 1000.
Two more rows time the broader assumptions (weight sets, Dirichlet and uniform random
weights, every aggregation with a drawn ``p``) and drawn winsorisation thresholds (each
replication its own indicator matrix).

Run from the repository root with ``../shared/reference`` present::

    python benchmarks/bench_uncertainty.py [--repeat 5]

Prints a Markdown table: best and median wall time over repeated runs (after one
warm-up run), the speed-up over COINr's 38 s, and the peak memory the run allocates
(tracemalloc, in a separate run so that tracing does not slow the timed ones), then
the machine.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from readiness_index.analysis.sensitivity import sensitivity
from readiness_index.analysis.uncertainty import uncertainty
from readiness_index.engine.pipeline import build
from readiness_index.io.coinr import read_coinr
from readiness_index.model.methodology import Methodology

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "coinr_asem"
COINR_SECONDS = 38.0
SPEC: dict[str, Any] = {
    "normalise": [
        {"method": "minmax", "lower": 1, "upper": 100},
        {"method": "zscore", "mean": 10, "sd": 2},
    ],
    "aggregate": [{"method": "arithmetic"}, {"method": "geometric"}],
    "weights_noise": {2: 0.25, 3: 0.25},
}
#: Broader assumptions: weight sets, Dirichlet weights, every aggregation and a drawn p.
BROAD: dict[str, Any] = {
    "normalise": [{"method": "minmax", "lower": 1, "upper": 100}],
    "aggregate": [
        {"method": "arithmetic"},
        {"method": "generalised", "p": 2},
        {"method": "median"},
        {"method": "copeland"},
    ],
    "generalised_p": [0.5, 3.0],
    "weight_sets": {"nominal": "nominal", "equal": "equal"},
    "weights_random": {
        1: {"distribution": "dirichlet", "concentration": 50},
        2: {"distribution": "uniform", "width": 0.25},
    },
}
#: Drawn winsorisation thresholds: every replication its own indicator matrix.
THRESHOLDS: dict[str, Any] = {
    "treat": [{"method": "winsorise"}],
    "treat_thresholds": {"skew": [1.5, 2.5], "kurtosis": [3.0, 4.0]},
    "weights_noise": {2: 0.25},
}


def _time(func: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU times (this process) of ``repeat`` runs after a warm-up."""
    func()  # warm-up: imports, BLAS threads, caches
    times, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        func()
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return times, cpus


def _peak_mib(func: Callable[[], object]) -> float:
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def _max_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _runs() -> dict[str, tuple[Callable[[], object], int]]:
    fw, data = read_coinr(REFERENCE / "iData.csv", REFERENCE / "iMeta.csv")
    methodology = Methodology()
    nominal = build(fw, data, methodology)

    def ua(n: int, **kw: Any) -> Callable[[], object]:
        return lambda: uncertainty(fw, data, methodology, SPEC, n=n, seed=1, **kw)

    return {
        "uncertainty N = 1,000 (from a built index, as COINr)": (ua(1000, nominal=nominal), 1000),
        "uncertainty N = 1,000 (including the nominal build)": (ua(1000), 1000),
        "uncertainty N = 10,000 (including the nominal build)": (ua(10_000), 10_000),
        "uncertainty N = 10,000, batches of 2,500 on 2 processes": (
            ua(10_000, batch_size=2500, n_jobs=2),
            10_000,
        ),
        "uncertainty N = 1,000, broader assumptions (from a built index)": (
            lambda: uncertainty(fw, data, methodology, BROAD, n=1000, seed=1, nominal=nominal),
            1000,
        ),
        "uncertainty N = 1,000, drawn winsorisation thresholds (from a built index)": (
            lambda: uncertainty(fw, data, methodology, THRESHOLDS, n=1000, seed=1, nominal=nominal),
            1000,
        ),
        "Sobol' N = 1,024 base rows x (4 + 2) = 6,144 runs, 200 bootstraps": (
            lambda: sensitivity(fw, data, methodology, SPEC, n=1024, seed=1, nominal=nominal),
            6144,
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not REFERENCE.is_dir():
        sys.exit(f"COINr reference files not found at {REFERENCE}")
    print(
        "| run | replications | best (s) | median (s) | CPU, median (s) "
        "| speed-up over COINr (38 s per 1,000 replications) | peak MiB (tracemalloc) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, (func, replications) in _runs().items():
        times, cpus = _time(func, args.repeat)
        best, median = min(times), statistics.median(times)
        per_thousand = median / replications * 1000
        speedup = COINR_SECONDS / per_thousand
        print(
            f"| {name} | {replications:,} | {best:.3f} | {median:.3f} | "
            f"{statistics.median(cpus):.3f} | "
            f"{speedup:,.0f}x | {_peak_mib(func):.1f} |"
        )
    print()
    print(
        "Peak MiB: memory allocated by the run in this process (worker processes not "
        f"counted); process maximum resident set {_max_rss_mib():.0f} MiB."
    )
    print(
        f"Machine: {_cpu()}, {os.cpu_count()} CPUs ({platform.machine()}), "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}; "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; {args.repeat} timed runs "
        "after one warm-up."
    )


if __name__ == "__main__":
    main()
