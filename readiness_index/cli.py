"""The ``readiness-index`` command line: parses, calls the library, prints.

Bad input ends with the error message and exit status 1, never a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click
import pandas as pd

from readiness_index.coinr import read_coinr
from readiness_index.data import IndicatorData
from readiness_index.definitions import Framework
from readiness_index.errors import ReadinessIndexError
from readiness_index.io import (
    METHODOLOGY_FILE,
    export_result,
    load_framework,
    load_methodology,
    read_data,
)
from readiness_index.methodology import Methodology
from readiness_index.pipeline import build
from readiness_index.results import IndexResult

__all__ = ["main"]

_PATH = click.Path(path_type=Path)


class _Group(click.Group):
    """A command group that turns the library's errors into a message and exit status 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ReadinessIndexError as err:
            click.echo(f"Error: {err}", err=True)
            ctx.exit(1)


@click.group(cls=_Group)
@click.version_option(package_name="readiness-index")
def main() -> None:
    """Compute the European AI Readiness Index, or any composite index you define."""


def load_inputs(
    framework: Sequence[Path], data: Sequence[Path], coinr: tuple[Path, Path] | None
) -> tuple[Framework, IndicatorData]:
    """Framework and data from the options (the shipped index when none is given)."""
    if coinr:
        return read_coinr(*coinr)
    fw = load_framework(*framework)
    return fw, read_data(*data, framework=fw)


def methodology_for(
    path: Path | None, framework: Sequence[Path], *, coinr: bool = False
) -> Methodology:
    """The methodology to use.

    The file given; else, for the shipped index (no ``--framework``, no ``--coinr``),
    the shipped ``methodology.yaml``; else a framework folder's ``methodology.yaml``;
    else COINr's defaults.
    """
    if path is not None:
        return load_methodology(path)
    if coinr:
        return Methodology()
    if not framework:
        return load_methodology()
    for folder in (Path(p) for p in framework):
        candidate = folder / f"{METHODOLOGY_FILE}.yaml" if folder.is_dir() else None
        if candidate is not None and candidate.exists():
            return load_methodology(candidate)
    return Methodology()


def ranking_table(result: IndexResult, year: int | None = None) -> pd.DataFrame:
    """The ranking of the index for one year with pillar scores and the data years used."""
    year = result.years[-1] if year is None else year
    ranking = result.ranking(year)
    fw = result.framework
    pillars = list(fw.children(fw.root))
    wide = result.datasets["aggregated"].xs(year, level="year")
    years = result.data_years.xs(year, level="year")
    table = pd.DataFrame(
        {
            "rank": ranking["rank"].to_numpy(),
            "country": ranking["country"].to_numpy(),
            "name": [result.data.names.get(c, c) for c in ranking["country"]],
            "score": ranking["score"].round(1).to_numpy(),
        }
    )
    for pillar in pillars:
        table[pillar] = wide.loc[ranking["country"], pillar].round(1).to_numpy()
    span = years.loc[ranking["country"]]
    table["data years"] = [_span(row.dropna().astype(int).tolist()) for _, row in span.iterrows()]
    return table


def _span(years: list[int]) -> str:
    if not years:
        return "-"
    low, high = min(years), max(years)
    return str(low) if low == high else f"{low}-{high}"


@main.command("build")
@click.option(
    "--framework",
    "framework",
    multiple=True,
    type=_PATH,
    help="Framework YAML file or folder (repeatable). Default: the shipped index.",
)
@click.option(
    "--data",
    "data",
    multiple=True,
    type=_PATH,
    help="Long-format data file or folder (repeatable). Default: the shipped data.",
)
@click.option(
    "--coinr",
    nargs=2,
    type=_PATH,
    default=None,
    metavar="IDATA IMETA",
    help="Read COINr iData and iMeta tables instead of --framework/--data.",
)
@click.option("--methodology", type=_PATH, default=None, help="Methodology YAML file.")
@click.option("--year", type=int, default=None, help="Edition (year) to print; default the latest.")
@click.option(
    "--editions/--no-editions",
    default=True,
    show_default=True,
    help="Build yearly editions (latest data year <= edition, within max age).",
)
@click.option(
    "--out",
    type=_PATH,
    default=None,
    help="Write the results: .csv (scores), .json or .xlsx (every data set).",
)
def build_command(
    framework: tuple[Path, ...],
    data: tuple[Path, ...],
    coinr: tuple[Path, Path] | None,
    methodology: Path | None,
    year: int | None,
    editions: bool,
    out: Path | None,
) -> None:
    """Build the index and print the ranking."""
    fw, values = load_inputs(framework, data, coinr)
    chosen = methodology_for(methodology, framework, coinr=coinr is not None)
    if editions and not coinr:
        values = _editions(values, fw, year)
    result = build(fw, values, chosen)
    if year is not None and year not in result.years:
        raise click.BadParameter(f"{year} is not in the result; years: {result.years}")
    shown = year or result.years[-1]
    click.echo(
        f"{fw.name}: ranking for {shown} (framework {result.framework_hash[:12]}, "
        f"data {result.data_hash[:12]})"
    )
    click.echo(ranking_table(result, shown).to_string(index=False))
    if out is not None:
        export_result(result, out)
        click.echo(f"Wrote {out}")


def _editions(values: IndicatorData, fw: Framework, year: int | None) -> IndicatorData:
    from readiness_index.editions import edition_data

    last = year or max(values.years)
    first = min(values.years)
    return edition_data(values, fw, list(range(max(first, last - 4), last + 1)))


def _register_commands() -> None:
    """Add the commands that live beside this module (data, report, audit, uncertainty...)."""
    from readiness_index.cli_analysis import audit_command, sensitivity_command, uncertainty_command
    from readiness_index.cli_data import data
    from readiness_index.cli_report import report

    for command in (data, report, audit_command, uncertainty_command, sensitivity_command):
        main.add_command(command)


_register_commands()
