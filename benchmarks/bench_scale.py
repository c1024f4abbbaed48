"""Benchmark: regions at scale (synthetic panels of units x indicators x years).

Each case runs in a fresh process, so that its peak memory is its own: the inputs
are made first, then the peak resident set is reset (Linux ``/proc/self/clear_refs``)
and the case is timed ``--repeat`` times after one warm-up run. The panels are made
up (:mod:`synthetic`); they only time the library.

Cases:

- ``read``: one million long rows (2,000 units x 50 indicators x 10 years) read from
  one CSV file and validated (:func:`readiness_index.read_data`);
- ``prepare``: the same checks on an in-memory long table (:func:`readiness_index.prepare_data`);
- ``build``: :func:`readiness_index.build` with COINr's default methodology (min-max,
  arithmetic mean) on every data year, from validated data;
- ``uncertainty``: N replications of the assumptions of ``bench_uncertainty.py``
  (normalisation, weights noise, aggregation) on the latest year, in batches mapped
  over joblib processes;
- ``dask``: the same batches mapped over a ``dask.distributed`` LocalCluster (needs the
  ``dask`` extra).

Run from the repository root::

    python benchmarks/bench_scale.py                       # the figures of docs/performance.md
    python benchmarks/bench_scale.py --case build --units 10000 --indicators 50 --years 10
    python benchmarks/bench_scale.py --growth --chart docs/images/scale.png

Prints a Markdown table (median and best wall time, median CPU time of the process,
peak resident memory) and the machine.
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from machine import describe  # noqa: E402
from synthetic import framework, panel  # noqa: E402

ASSUMPTIONS: dict[str, Any] = {
    "normalise": [
        {"method": "minmax", "lower": 1, "upper": 100},
        {"method": "zscore", "mean": 10, "sd": 2},
    ],
    "aggregate": [{"method": "arithmetic"}, {"method": "geometric"}],
    "weights_noise": {1: 0.25},
}
#: The cases of the issue's figures: (case, units, indicators, years, replications, jobs).
HEADLINE = [
    ("read", 2_000, 50, 10, 0, 1),
    ("build", 10_000, 50, 10, 0, 1),
    ("uncertainty", 10_000, 50, 10, 1_000, 2),
    ("dask", 10_000, 50, 10, 1_000, 2),
]
#: How the build grows: units, indicators and years, one at a time.
GROWTH = [
    *(("build", u, 50, 10, 0, 1) for u in (1_000, 3_000, 10_000)),
    *(("build", 1_000, i, 10, 0, 1) for i in (50, 150, 500)),
    *(("build", 3_000, 50, y, 0, 1) for y in (1, 3, 10)),
]


def _reset_peak() -> None:
    """Start a new peak-memory window (Linux: ``VmHWM`` := ``VmRSS``)."""
    gc.collect()
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")


def _peak_mib() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _inputs(args: argparse.Namespace, path: Path) -> None:
    """Write a case's inputs: a CSV file for ``read``, else a pickle of what it takes."""
    fw, long = panel(units=args.units, indicators=args.indicators, years=args.years)
    if args.case == "read":
        long.to_csv(path, index=False)
        return
    if args.case != "prepare":
        from readiness_index import prepare_data

        long = prepare_data(long, fw)
    with path.open("wb") as handle:
        pickle.dump((fw, long), handle, protocol=pickle.HIGHEST_PROTOCOL)


def _case(args: argparse.Namespace) -> Callable[[], object]:
    """The function timed for one case, with its inputs made already.

    The inputs are made by another process and read from a file, so that making
    them leaves no memory in this one.
    """
    path = Path(tempfile.mkdtemp()) / ("data.csv" if args.case == "read" else "inputs.pickle")
    subprocess.run([*_argv(args), "--write", str(path)], check=True)
    if args.case == "read":
        from readiness_index import read_data

        fw = framework(args.indicators)
        return lambda: read_data(path, framework=fw)
    with path.open("rb") as handle:
        fw, given = pickle.load(handle)  # written just now by this script
    if args.case == "prepare":
        from readiness_index import prepare_data

        return lambda: prepare_data(given, fw)
    if args.case == "build":
        from readiness_index import build

        return lambda: build(fw, given)
    return _uncertainty(args, fw, given)


def _uncertainty(args: argparse.Namespace, fw: Any, data: Any) -> Callable[[], object]:
    from readiness_index import uncertainty

    def run() -> object:
        return uncertainty(
            fw, data, assumptions=ASSUMPTIONS, n=args.replications,
            batch_size=args.batch_size, n_jobs=args.jobs,
        )  # fmt: skip

    if args.case == "uncertainty":
        return run
    from dask.distributed import Client, LocalCluster
    from joblib import parallel_config

    cluster = LocalCluster(
        n_workers=args.jobs, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    client = Client(cluster)

    def on_dask() -> object:
        with parallel_config(backend="dask"):
            return run()

    on_dask.client = client  # type: ignore[attr-defined]  # kept alive with the case
    return on_dask


def child(args: argparse.Namespace) -> None:
    """Run one case in this process and print its figures as JSON.

    The peak memory is the whole process's during the first run (imports, inputs and
    the case); the times are those of the runs after it.
    """
    func = _case(args)
    _reset_peak()
    base = _peak_mib()
    func()  # also the warm-up: imports, caches, worker start
    peak = _peak_mib()
    walls, cpus = [], []
    for _ in range(args.repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        func()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    figures = {
        "median": statistics.median(walls),
        "best": min(walls),
        "cpu": statistics.median(cpus),
        "peak_mib": peak,
        "base_mib": base,
    }
    print(json.dumps(figures))


def _argv(args: argparse.Namespace) -> list[str]:
    """This script with the options of one case."""
    return [
        sys.executable, __file__, "--case", args.case, "--units", str(args.units),
        "--indicators", str(args.indicators), "--years", str(args.years),
        "--replications", str(args.replications), "--jobs", str(args.jobs),
        "--repeat", str(args.repeat), "--batch-size", str(args.batch_size),
    ]  # fmt: skip


def _spawn(case: tuple[str, int, int, int, int, int], args: argparse.Namespace) -> dict[str, float]:
    name, units, indicators, years, replications, jobs = case
    one = argparse.Namespace(**{**vars(args), "case": name, "units": units,
                                "indicators": indicators, "years": years,
                                "replications": replications, "jobs": jobs})  # fmt: skip
    out = subprocess.run([*_argv(one), "--child"], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return {"error": float("nan"), "message": out.stderr.strip().splitlines()[-1]}  # type: ignore[dict-item]
    figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def _row(case: tuple[str, int, int, int, int, int], figures: dict[str, Any]) -> str:
    name, units, indicators, years, replications, jobs = case
    size = f"{units:,} x {indicators} x {years}"
    what = f"{name} N = {replications:,}, {jobs} processes" if replications else name
    if "message" in figures:
        cells = f"{units * indicators * years:,}"
        return f"| {what} | {size} | {cells} | failed: {figures['message']} | | | | |"
    return (
        f"| {what} | {size} | {units * indicators * years:,} | {figures['median']:.2f} "
        f"| {figures['best']:.2f} | {figures['cpu']:.2f} | {figures['peak_mib']:,.0f} "
        f"| {figures['base_mib']:,.0f} |"
    )


def _chart(
    results: list[tuple[tuple[str, int, int, int, int, int], dict[str, Any]]], path: Path
) -> None:
    """Build time (CPU, median) against cells, one line per dimension that grows."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = {
        "units (50 indicators, 10 years)": GROWTH[0:3],
        "indicators (1,000 units, 10 years)": GROWTH[3:6],
        "years (3,000 units, 50 indicators)": GROWTH[6:9],
    }
    figures = dict(results)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for label, cases in series.items():
        points = [
            (c[1] * c[2] * c[3], figures[c]["cpu"]) for c in cases if "cpu" in figures.get(c, {})
        ]
        if points:
            ax.plot(*zip(*sorted(points), strict=True), marker="o", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())  # no crowded labels
    ax.set_xticks([1.5e5, 5e5, 1.5e6, 5e6], labels=["150k", "500k", "1.5M", "5M"])
    ax.set_xlabel("cells (units x indicators x years)")
    ax.set_ylabel("build, median CPU time (s)")
    ax.set_title("How the build grows (synthetic panels)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--write", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--case", choices=["read", "prepare", "build", "uncertainty", "dask"])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--replications", type=int, default=1_000)
    parser.add_argument("--batch-size", type=int, default=250)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--growth", action="store_true", help="How the build grows.")
    parser.add_argument("--chart", type=Path, default=None, help="PNG of the growth.")
    args = parser.parse_args()
    if args.write is not None:
        _inputs(args, args.write)
        return
    if args.child:
        child(args)
        return
    if args.case:
        reps = args.replications if args.case in ("uncertainty", "dask") else 0
        cases = [(args.case, args.units, args.indicators, args.years, reps, args.jobs)]
    else:
        cases = GROWTH if args.growth else HEADLINE
    print(
        "| case | units x indicators x years | cells | median (s) | best (s) | CPU (s) "
        "| peak memory (MiB) | before (MiB) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    results = []
    for case in cases:
        figures = _spawn(case, args)
        results.append((case, figures))
        print(_row(case, figures), flush=True)
    if args.chart is not None:
        _chart(results, args.chart)
    print()
    print(describe(runs=f"median of {args.repeat} after a warm-up, each case in its own process"))


if __name__ == "__main__":
    main()
