"""Benchmark: rendering the web site of the shipped index, 27 country reports in three languages.

The shipped European AI Readiness Index is built once with its five editions and its
targets (as ``readiness-index report`` does); then :func:`readiness_index.render_reports`
writes the whole site (overview, 27 country reports and methodology, in English,
German and French: 87 pages and 168 charts) into a temporary folder, repeatedly.

Run from the repository root::

    python benchmarks/bench_reports.py [--repeat 3] [--languages en,de,fr]

Prints a Markdown table: best and median wall time of the rendering (after one
warm-up run), per page, and the machine.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

from readiness_index import build, load_framework, read_data
from readiness_index.analysis.targets import distance_to_target
from readiness_index.engine.editions import edition_data
from readiness_index.report.site import render_reports

YEAR = 2025


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (default 3)")
    parser.add_argument("--languages", default="en,de,fr", help="codes (default en,de,fr)")
    options = parser.parse_args()
    languages = tuple(options.languages.split(","))

    framework = load_framework()
    data = read_data(framework=framework)
    targets = distance_to_target(framework, data)
    result = build(framework, edition_data(framework, data, range(YEAR - 4, YEAR + 1)))

    times = []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(options.repeat + 1):
            start = time.perf_counter()
            site = render_reports(
                result,
                Path(folder) / "site",
                year=YEAR,
                languages=languages,
                targets=targets,
                full_framework=framework,
            )
            if run:  # the first run warms up matplotlib's font cache and the templates
                times.append(time.perf_counter() - start)
        pages = len(list(site.glob("*.html")))
    countries = result.scores["country"].nunique()
    best, median = min(times), statistics.median(times)
    print(f"Rendering the site: {countries} countries x {len(languages)} languages "
          f"({pages} pages), {options.repeat} runs\n")  # fmt: skip
    print("| what | best (s) | median (s) | per page (ms, best) |")
    print("|---|---|---|---|")
    print(f"| render_reports, {', '.join(languages)} | {best:.2f} | {median:.2f} | "
          f"{1000 * best / pages:.0f} |")  # fmt: skip
    print(f"\nMachine: {platform.platform()}, Python {platform.python_version()}, "
          f"{platform.processor() or platform.machine()}")  # fmt: skip


if __name__ == "__main__":
    main()
