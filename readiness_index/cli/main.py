"""The ``readiness-index`` command line: parses, calls the library, prints.

Bad input ends with the error message and exit status 1, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from readiness_index.cli.common import (
    PATH,
    LastResortGroup,
    build_result,
    editions_option,
    friendly,
    input_options,
    load_inputs,
)

if TYPE_CHECKING:
    from readiness_index.engine.results import IndexResult

__all__ = ["main"]


@click.group(cls=LastResortGroup)
@click.version_option(package_name="readiness-index")
@click.option(
    "--debug", is_flag=True, help="Show the full traceback of an unexpected error (for reports)."
)
def main(debug: bool) -> None:
    """Compute the European AI Readiness Index, or any composite index you define."""


def _echo_notes(result: IndexResult) -> None:
    """Say which values a step left missing, and why (all of them are in the .xlsx export)."""
    if result.notes.empty:
        return
    click.echo(f"\nNote: {len(result.notes)} value(s) left missing by a step:")
    for row in result.notes.head(10).itertuples():
        click.echo(f"  {row.step}: {row.indicator}, {row.country} {row.year}: {row.note}")
    if len(result.notes) > 10:
        click.echo("  ... (every note is in the 'notes' sheet of an --out .xlsx export)")


def _echo_marks(result: IndexResult, year: int) -> None:
    """Say which values are stale in the edition shown (flag ``o`` in every export)."""
    from readiness_index.engine.ranking import stale_values

    stale = stale_values(result, year)
    if stale.empty:
        return
    parts = [f"{r.indicator} ({r.data_years}, {r.countries} countries)" for r in stale.itertuples()]
    click.echo(
        "\nstale: values more than stale_after years behind the edition (flag o in the "
        "exports); imputed: flag i.\nStale in this edition: " + "; ".join(parts)
    )


@main.command("build")
@input_options()
@click.option("--year", type=int, default=None, help="Edition (year) to print; default the latest.")
@editions_option
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
    editions: bool | None,
    out: Path | None,
) -> None:
    """Build the index and print the ranking."""
    if out is not None:  # a file that cannot be written is said before the work is done
        from readiness_index.io.files import check_export_path

        check_export_path(out)
    result = _build(framework, data, coinr, methodology, year, editions)
    shown = year or result.years[-1]
    table = result.table(shown)
    click.echo(f"{result.framework.name}: ranking for {shown} (framework "
               f"{result.framework_hash[:12]}, data {result.data_hash[:12]})")  # fmt: skip
    click.echo(table.to_string(index=False))
    _echo_marks(result, shown)
    _echo_notes(result)
    if out is not None:
        from readiness_index.io.files import export_result

        export_result(result, out)
        click.echo(f"Wrote {out}")


@main.command("explain")
@click.argument("country")
@click.argument("code")
@input_options()
@click.option("--year", type=int, default=None, help="Edition (year); default the latest.")
@editions_option
@friendly
def explain_command(
    country: str,
    code: str,
    framework: tuple[Path, ...],
    data: tuple[Path, ...],
    coinr: tuple[Path, Path] | None,
    methodology: Path | None,
    year: int | None,
    editions: bool | None,
) -> None:
    """Show how COUNTRY's score on CODE (an indicator, a pillar or the index) came about."""
    result = _build(framework, data, coinr, methodology, year, editions)
    shown = year or result.years[-1]
    table = result.explain(country, shown, code)
    node = result.framework.nodes[code]
    click.echo(f"{node.name} ({code}), {result.data.names.get(country, country)}, {shown}")
    if "score" in table.attrs:
        click.echo(f"score {table.attrs['score']:.2f} = sum of the contributions below")
    click.echo(table.to_string(index=False))


def _build(
    framework: tuple[Path, ...],
    data: tuple[Path, ...],
    coinr: tuple[Path, Path] | None,
    methodology: Path | None,
    year: int | None,
    editions: bool | None,
) -> IndexResult:
    """The build of :func:`readiness_index.build` for these options."""
    fw, values, chosen = load_inputs(framework, data, methodology, coinr, editions)
    result = build_result(fw, values, chosen, year if chosen.editions is not None else None)
    if year is not None and year not in result.years:
        raise click.BadParameter(f"{year} is not in the result; years: {result.years}")
    return result


def _register_commands() -> None:
    """Add the commands that live beside this module (data, report, audit, uncertainty...)."""
    from readiness_index.cli.analysis import audit_command, sensitivity_command, uncertainty_command
    from readiness_index.cli.data import data
    from readiness_index.cli.report import report

    for command in (data, report, audit_command, uncertainty_command, sensitivity_command):
        main.add_command(command)


_register_commands()
