"""Benchmark: rendering the web site of the shipped index, 27 country reports per language.

The shipped European AI Readiness Index is built once with its five editions
(``ri.build()``, as ``readiness-index report`` does) and its targets; then
:func:`readiness_index.render_reports` writes the whole site (overview, 27 country
reports, methodology, weights explorer, comparison and downloads page in each
language, plus the download files) into a temporary folder, repeatedly.

Run from the repository root::

    python benchmarks/bench_reports.py [--repeat 5] [--languages en,de,fr] [--jobs 2]
    python benchmarks/bench_reports.py --stand-in 24   # 24 languages, see below
    python benchmarks/bench_reports.py --units 1000    # 1,000 made-up units, English

``--units N`` renders the site of a synthetic index instead (``synthetic.py``: N
units, 20 indicators in 5 pillars, 5 data years, made-up numbers that only time
the library), in English: the overview, N unit reports and the site-wide pages.

``--stand-in N`` renders N languages where fewer catalogues exist: the languages
without one get a copy of the German catalogue (so their words are German, while
their country names, numbers and dates are their own, from Babel). It measures the
cost of N languages, not a translation.

Prints a Markdown table: best and median wall time of the rendering (after one
warm-up run), per page, and the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from readiness_index import build, load_framework, prepare_data, read_data
from readiness_index.analysis.targets import distance_to_target
from readiness_index.io.files import bundled_path
from readiness_index.report.parallel import default_jobs
from readiness_index.report.site import available_languages, render_reports

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import panel

YEAR = 2025


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (default 5)")
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: all)")
    parser.add_argument("--stand-in", type=int, default=0, help="languages, with stand-ins")
    parser.add_argument("--languages", default="en,de,fr", help="codes (default en,de,fr)")
    parser.add_argument("--units", type=int, default=0, help="a synthetic index of N units")
    options = parser.parse_args()
    languages = tuple(options.languages.split(","))
    stand_in = tempfile.TemporaryDirectory()
    if options.stand_in:
        languages = _stand_ins(Path(stand_in.name), options.stand_in)
    if options.units:
        languages = ("en",)
    result, inputs = _synthetic(options.units) if options.units else _shipped()

    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    times, cpu = [], []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(options.repeat + 1):
            start, used = time.perf_counter(), _cpu()
            site = render_reports(
                result,
                Path(folder) / "site",
                languages=languages,
                jobs=options.jobs,
                template_dir=stand_in.name if options.stand_in else None,
                **inputs,
            )
            if run:  # the first run warms up matplotlib's font cache and the templates
                times.append(time.perf_counter() - start)
                cpu.append(_cpu() - used)
        pages = len(list(site.glob("*.html")))
    countries = result.scores["country"].nunique()  # units
    best, median = min(times), statistics.median(times)
    jobs = options.jobs or default_jobs()
    print(f"Rendering the site: {countries} countries x {len(languages)} languages "
          f"({pages} pages), {jobs} processes, {options.repeat} runs\n")  # fmt: skip
    print("| what | best (s) | median (s) | per page (ms, best) | CPU, all processes (s, median) |")
    print("|---|---|---|---|---|")
    print(f"| render_reports, {', '.join(languages)} | {best:.2f} | {median:.2f} | "
          f"{1000 * best / pages:.0f} | {statistics.median(cpu):.2f} |")  # fmt: skip
    print(f"\nLoad average before the runs: {load}")
    print(f"\nMachine: {platform.platform()}, Python {platform.python_version()}, "
          f"{platform.processor() or platform.machine()}")  # fmt: skip


def _shipped() -> tuple[Any, dict[str, Any]]:
    """The shipped index with its editions (as the command line builds it) and targets."""
    framework = load_framework()
    data = read_data(framework=framework)
    result = build()
    targets = distance_to_target(framework, data, methodology=result.methodology)
    return result, {"year": YEAR, "targets": targets, "full_framework": framework}


def _synthetic(units: int) -> tuple[Any, dict[str, Any]]:
    """A made-up index of ``units`` units (20 indicators, 5 data years), built by default."""
    framework, long = panel(units=units, indicators=20, years=5, seed=1)
    return build(framework, prepare_data(long, framework)), {}


#: The official languages of the EU, in the order the stand-ins are added.
EU_LANGUAGES = ("en", "de", "fr", "bg", "cs", "da", "el", "es", "et", "fi", "ga", "hr", "hu",
                "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv")  # fmt: skip


def _stand_ins(folder: Path, count: int) -> tuple[str, ...]:
    """The first ``count`` EU languages; those without a catalogue get German's."""
    shipped = set(available_languages())
    german = bundled_path("reports") / "locale" / "de" / "LC_MESSAGES" / "messages.po"
    languages = EU_LANGUAGES[:count]
    for code in languages:
        if code not in shipped:
            target = folder / "locale" / code / "LC_MESSAGES"
            target.mkdir(parents=True)
            shutil.copy(german, target / "messages.po")
    return languages


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the render's workers)."""
    used = os.times()
    return used.user + used.system + used.children_user + used.children_system


if __name__ == "__main__":
    main()
