"""The ``data`` command group: plug new data files into a data folder.

``readiness-index data add FILE --indicator CODE`` validates ``FILE`` against the
framework and merges it into the data folder, printing what changed. Library
errors end with the message and exit status 1, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import click

from readiness_index.cli.common import friendly
from readiness_index.io.formats import FORMATS

__all__ = ["data"]


@click.group(name="data")
def data() -> None:
    """Add data files to a data folder (validated against the framework)."""


def _filters(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(
                f"expected DIMENSION=VALUE; found {pair!r}", param_hint="--filter"
            )
        out[key.strip()] = value.strip()
    return out


@data.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--indicator", "-i", help="Indicator code of the file's values.")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data"),
    show_default=True,
    help="The data folder to merge into (created if absent).",
)
@click.option(
    "--framework",
    "-f",
    "framework",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Framework YAML file or folder (repeatable), added to the shipped index (a "
    "framework declaring its own root stands alone); the shipped index when omitted.",
)
@click.option("--replace", is_flag=True, help="Overwrite stored rows the file contradicts.")
@click.option("--format", "format_", type=click.Choice(FORMATS), help="Skip format sniffing.")
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="DIM=VALUE",
    help="Select one series of a Eurostat file (repeatable).",
)
@click.option(
    "--period-rule",
    type=click.Choice(["annual", "latest_in_year"]),
    help="How sub-annual periods (2023-S2, 2025-06) become data years.",
)
@click.option("--sheet", help="The one sheet of an Excel file to read (default: every sheet).")
@friendly
def add(
    file: Path,
    indicator: str | None,
    data_dir: Path,
    framework: tuple[Path, ...],
    replace: bool,
    format_: str | None,
    filters: tuple[str, ...],
    period_rule: str | None,
    sheet: str | None,
) -> None:
    """Validate FILE and merge it into the data folder, printing what changed."""
    from readiness_index.api import resolve_framework
    from readiness_index.io.datastore import add_data

    options: dict[str, object] = {}
    if filters:
        options["filters"] = _filters(filters)
    if period_rule:
        options["period_rule"] = period_rule
    if sheet:
        options["sheet"] = sheet
    fw = resolve_framework(framework or None)
    change = add_data(
        file, indicator=indicator, data_dir=data_dir, framework=fw,
        replace=replace, format=format_, **options,
    )  # fmt: skip
    click.echo(change.summary())
    for label, rows in (("added", change.added), ("replaced", change.replaced)):
        if len(rows):
            click.echo(f"{label}:")
            click.echo(rows.drop(columns=["source"], errors="ignore").to_string(index=False))
