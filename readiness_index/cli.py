"""The ``readiness-index`` command line: parses, calls the library, prints.

Bad input ends with the error message and exit status 1, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from readiness_index._cli_common import (
    PATH,
    editions_for,
    friendly,
    input_options,
    load_inputs,
    methodology_for,
    require_scores,
)
from readiness_index.io import export_result
from readiness_index.pipeline import build
from readiness_index.results import IndexResult

__all__ = ["main"]


@click.group()
@click.version_option(package_name="readiness-index")
def main() -> None:
    """Compute the European AI Readiness Index, or any composite index you define."""


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


def _echo_notes(result: IndexResult) -> None:
    """Say which values a step left missing, and why (all of them are in the .xlsx export)."""
    if result.notes.empty:
        return
    click.echo(f"\nNote: {len(result.notes)} value(s) left missing by a step:")
    for row in result.notes.head(10).itertuples():
        click.echo(f"  {row.step}: {row.indicator}, {row.country} {row.year}: {row.note}")
    if len(result.notes) > 10:
        click.echo("  ... (every note is in the 'notes' sheet of an --out .xlsx export)")


def _span(years: list[int]) -> str:
    if not years:
        return "-"
    low, high = min(years), max(years)
    return str(low) if low == high else f"{low}-{high}"


@main.command("build")
@input_options()
@click.option("--year", type=int, default=None, help="Edition (year) to print; default the latest.")
@click.option(
    "--editions/--no-editions",
    default=True,
    show_default=True,
    help="Build yearly editions (latest data year <= edition, within max age).",
)
@click.option(
    "--out",
    type=PATH,
    default=None,
    help="Write the results: .csv (scores), .json or .xlsx (every data set).",
)
@friendly
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
        values = editions_for(values, fw, year)
    result = build(fw, values, chosen)
    if year is not None and year not in result.years:
        raise click.BadParameter(f"{year} is not in the result; years: {result.years}")
    shown = year or result.years[-1]
    require_scores(result, shown)
    click.echo(f"{fw.name}: ranking for {shown} (framework {result.framework_hash[:12]}, "
               f"data {result.data_hash[:12]})")  # fmt: skip
    click.echo(ranking_table(result, shown).to_string(index=False))
    _echo_notes(result)
    if out is not None:
        export_result(result, out)
        click.echo(f"Wrote {out}")


@main.command("explain")
@click.argument("country")
@click.argument("code")
@input_options()
@click.option("--year", type=int, default=None, help="Edition (year); default the latest.")
@friendly
def explain_command(
    country: str,
    code: str,
    framework: tuple[Path, ...],
    data: tuple[Path, ...],
    coinr: tuple[Path, Path] | None,
    methodology: Path | None,
    year: int | None,
) -> None:
    """Show how COUNTRY's score on CODE (an indicator, a pillar or the index) came about."""
    fw, values = load_inputs(framework, data, coinr)
    if not coinr:
        values = editions_for(values, fw, year)
    result = build(fw, values, methodology_for(methodology, framework, coinr=coinr is not None))
    shown = year or result.years[-1]
    table = result.explain(country, shown, code)
    node = result.framework.nodes[code]
    click.echo(f"{node.name} ({code}), {result.data.names.get(country, country)}, {shown}")
    if "score" in table.attrs:
        click.echo(f"score {table.attrs['score']:.2f} = sum of the contributions below")
    click.echo(table.to_string(index=False))


def _register_commands() -> None:
    """Add the commands that live beside this module (data, report, audit, uncertainty...)."""
    from readiness_index.cli_analysis import audit_command, sensitivity_command, uncertainty_command
    from readiness_index.cli_data import data
    from readiness_index.cli_report import report

    for command in (data, report, audit_command, uncertainty_command, sensitivity_command):
        main.add_command(command)


_register_commands()
