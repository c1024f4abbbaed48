"""The ``readiness-index report`` command: build the index and write its web site.

It parses options, calls the library and prints where the site went; it has no
logic of its own. With no option it renders the shipped European AI Readiness
Index, latest edition, in English::

    readiness-index report --year 2025 --out site/ --lang en,de,fr

With ``--uncertainty assumptions.yaml`` an uncertainty run (see
:mod:`readiness_index.uncertainty`) adds each country's 5th-95th percentile rank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import click
import pandas as pd

from readiness_index.data import IndicatorData
from readiness_index.definitions import Framework, Target
from readiness_index.editions import edition_data
from readiness_index.errors import ReadinessIndexError
from readiness_index.io import load_assumptions, load_framework, load_methodology, read_data
from readiness_index.methodology import Methodology
from readiness_index.pipeline import build
from readiness_index.report import available_languages, render_reports
from readiness_index.results import IndexResult
from readiness_index.targets import blueprint_compute_target, distance_to_target

__all__ = ["report"]

_PATH = click.Path(path_type=Path)
#: How many yearly editions the site shows (the edition reported and the ones before it).
EDITIONS = 5


@click.command("report")
@click.option("--year", type=int, default=None, help="Edition to report; default the latest.")
@click.option(
    "--out", type=_PATH, default=Path("site"), show_default=True, help="Folder of the site."
)
@click.option(
    "--lang",
    "languages",
    default="en",
    show_default=True,
    help="Comma-separated language codes, the first being the default (e.g. en,de,fr).",
)
@click.option(
    "--framework",
    multiple=True,
    type=_PATH,
    help="Framework YAML file or folder (repeatable). Default: the shipped index.",
)
@click.option(
    "--data",
    multiple=True,
    type=_PATH,
    help="Long-format data file or folder (repeatable). Default: the shipped data.",
)
@click.option("--methodology", type=_PATH, default=None, help="Methodology YAML file.")
@click.option(
    "--template-dir",
    type=_PATH,
    default=None,
    help="Folder laid out like reports/ whose templates, styles and catalogues win.",
)
@click.option(
    "--uncertainty",
    "assumptions",
    type=_PATH,
    default=None,
    help="Assumptions YAML of an uncertainty run: the site then shows 5th-95th percentile ranks.",
)
@click.option(
    "--replications", type=int, default=1000, show_default=True, help="Uncertainty replications."
)
@click.option(
    "--editions/--no-editions",
    default=True,
    show_default=True,
    help="Build yearly editions (latest data year <= edition, within max age).",
)
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
    editions: bool,
) -> None:
    """Build the index and write its static web site (overview, countries, methodology)."""
    codes = [code.strip() for code in languages.split(",") if code.strip()]
    try:
        fw = load_framework(*framework)
        values = read_data(*data, framework=fw)
        targets = _targets(values, fw)
        if editions:
            values = _editions(values, fw, year)
        result = build(fw, values, _methodology(methodology, framework))
        intervals = _rank_intervals(result, assumptions, replications, year)
        site = render_reports(
            result, out, year=year, languages=codes, template_dir=template_dir,
            targets=targets, full_framework=fw, rank_intervals=intervals,
        )  # fmt: skip
    except ReadinessIndexError as err:
        raise click.ClickException(str(err)) from err
    pages = len(list(site.glob("*.html")))
    click.echo(f"Wrote {pages} pages ({', '.join(codes)}) to {site}")
    click.echo(f"Open {site / 'index.html'} in a browser. Languages available: "
               f"{', '.join(available_languages(template_dir))}.")  # fmt: skip


def _methodology(path: Path | None, framework: Sequence[Path]) -> Methodology | None:
    """The methodology file given, else the framework folder's own, else COINr's defaults."""
    if path is not None:
        return load_methodology(path)
    folders: list[Path | None] = [p if p.is_dir() else p.parent for p in map(Path, framework)]
    if not framework:
        folders = [None]  # the shipped index's own methodology
    for folder in folders:
        try:
            return load_methodology(folder)
        except ReadinessIndexError:
            continue
    return None


def _rank_intervals(
    result: IndexResult, assumptions: Path | None, replications: int, year: int | None
) -> pd.DataFrame | None:
    """The 5th and 95th percentile ranks of an uncertainty run (``None`` without one)."""
    if assumptions is None:
        return None
    from readiness_index.uncertainty import uncertainty

    run = uncertainty(
        result.framework, result.data, result.methodology, load_assumptions(assumptions),
        n=replications, year=year, nominal=result,
    )  # fmt: skip
    stats = run.rank_stats.reset_index()
    return pd.DataFrame(
        {"country": stats["country"], "p05": stats["q05_rank"], "p95": stats["q95_rank"]}
    )


def _editions(values: IndicatorData, fw: Framework, year: int | None) -> IndicatorData:
    """The last :data:`EDITIONS` editions up to ``year`` (the latest data year by default)."""
    last = year or max(values.years)
    first = max(min(values.years), last - EDITIONS + 1)
    return edition_data(values, fw, range(first, last + 1))


def _targets(values: IndicatorData, fw: Framework) -> pd.DataFrame:
    """Distance to every target, with the policy each target comes from."""
    extra: dict[str, Target] = {}
    if "top500_rmax" in fw.nodes:
        extra["top500_rmax"] = blueprint_compute_target(values)
    table = distance_to_target(values, fw, targets=extra)
    return table.assign(policy=table["indicator"].map(lambda code: _policy(code, fw, extra)))


def _policy(code: str, fw: Framework, extra: Mapping[str, Target]) -> str | None:
    if code in extra:
        return extra[code].policy
    node = fw.nodes.get(code)
    target = getattr(node, "target", None)
    return target.policy if isinstance(target, Target) else None
