"""The ``readiness-index report`` command: build the index and write its web site.

It parses options, calls the library and prints where the site went; it has no
logic of its own. With no option it renders the shipped European AI Readiness
Index, latest edition, in English::

    readiness-index report --year 2025 --out site/ --lang en,de,fr

With ``--uncertainty assumptions.yaml`` an uncertainty run (see
:mod:`readiness_index.analysis.uncertainty`) adds each country's 5th-95th percentile rank.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from readiness_index.cli.common import (
    PATH,
    build_result,
    editions_option,
    friendly,
    input_options,
    load_inputs,
)

if TYPE_CHECKING:
    import pandas as pd

    from readiness_index.engine.results import IndexResult

__all__ = ["report"]


@click.command("report")
@click.option("--year", type=int, default=None, help="Edition to report; default the latest.")
@click.option(
    "--out", type=PATH, default=Path("site"), show_default=True, help="Folder of the site."
)
@click.option(
    "--lang",
    "languages",
    default="en",
    show_default=True,
    help="Comma-separated language codes, the first being the default (e.g. en,de,fr).",
)
@input_options(coinr=False)
@click.option(
    "--template-dir",
    type=PATH,
    default=None,
    help="Folder laid out like reports/ whose templates, styles and catalogues win.",
)
@click.option(
    "--uncertainty",
    "assumptions",
    type=PATH,
    default=None,
    help="Assumptions YAML of an uncertainty run: the site then shows 5th-95th percentile ranks.",
)
@click.option(
    "--replications", type=int, default=1000, show_default=True, help="Uncertainty replications."
)
@editions_option
@friendly
def report(
    year: int | None,
    out: Path,
    languages: str,
    framework: tuple[Path, ...],
    data: tuple[Path, ...],
    methodology: Path | None,
    template_dir: Path | None,
    assumptions: Path | None,
    replications: int,
    editions: bool | None,
) -> None:
    """Build the index and write its static web site (overview, countries, methodology)."""
    from readiness_index.analysis.targets import distance_to_target
    from readiness_index.report.site import available_languages, render_reports

    codes = [code.strip() for code in languages.split(",") if code.strip()]
    fw, values, chosen = load_inputs(framework, data, methodology, editions=editions)
    # distance to the targets declared in the framework, as the edition saw it, with the
    # methodology's stale rule (the one that marks values o)
    targets = distance_to_target(fw, values, year=year or max(values.years), methodology=chosen)
    result = build_result(fw, values, chosen, year if chosen.editions is not None else None)
    result.table(year or result.years[-1])  # refuses an edition without scores
    intervals = _rank_intervals(result, assumptions, replications, year)
    site = render_reports(
        result, out, year=year, languages=codes, template_dir=template_dir,
        targets=targets, full_framework=fw, rank_intervals=intervals, progress=True,
    )  # fmt: skip
    pages = len(list(site.glob("*.html")))
    click.echo(f"Wrote {pages} pages ({', '.join(codes)}) to {site}")
    click.echo(f"Open {site / 'index.html'} in a browser. Languages available: "
               f"{', '.join(available_languages(template_dir))}.")  # fmt: skip


def _rank_intervals(
    result: IndexResult, assumptions: Path | None, replications: int, year: int | None
) -> pd.DataFrame | None:
    """The 5th and 95th percentile ranks of an uncertainty run (``None`` without one)."""
    if assumptions is None:
        return None
    import pandas as pd

    from readiness_index.analysis.uncertainty import uncertainty
    from readiness_index.io.files import load_assumptions

    run = uncertainty(
        result.framework, result.source or result.data, result.methodology,
        load_assumptions(assumptions),
        n=replications, year=year, nominal=result,
    )  # fmt: skip
    stats = run.rank_stats.reset_index()
    return pd.DataFrame(
        {"country": stats["country"], "p05": stats["q05_rank"], "p95": stats["q95_rank"]}
    )
