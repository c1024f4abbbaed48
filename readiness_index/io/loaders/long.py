"""Our own long format (CSV, Excel, Parquet), read through :func:`~.files.read_table`.

Columns ``country, year, indicator, value`` and optionally ``flag, source`` and
``unit, vintage, provenance, data_year``. Country codes and names are resolved to
ISO alpha-2 (``EL`` -> ``GR``); the ``indicator`` column may be left out when the
indicator is named by the caller.
"""

from __future__ import annotations

import os

import pandas as pd

from readiness_index.io.files import read_table
from readiness_index.io.loaders._common import (
    Failures,
    duplicate_failures,
    existing,
    finish,
    resolve_countries,
    to_numbers,
)
from readiness_index.model.contract import FLAG_CODES, LONG_COLUMNS, OPTIONAL_COLUMNS

__all__ = ["read_long"]


def read_long(
    path: str | os.PathLike[str],
    *,
    indicator: str | None = None,
) -> pd.DataFrame:
    """Read a long-format table and check its columns, countries, numbers and keys.

    Parameters
    ----------
    path : path-like
        A ``.csv``, ``.xlsx`` or ``.parquet`` file.
    indicator : str, optional
        The indicator of every row when the file has no ``indicator`` column; when it
        has one, every row must name this indicator.

    Returns
    -------
    pandas.DataFrame
        The six long columns plus the optional ones present; ``source`` defaults to
        the file name.

    Raises
    ------
    DataFileError
        With a ``failures`` table naming file, row and column of every problem:
        missing or extra columns, unknown countries (aggregates included), text in a
        number, a year that is not whole, unknown flags, duplicate rows, rows of another indicator.
    """
    file = existing(path)
    failures = Failures(file)
    table = read_table(file).astype("string").fillna("")
    _check_columns(table, indicator, failures)
    rows = table.index
    iso, _ = resolve_countries(
        table["country"], failures, "country", rows, None, drop_aggregates=False
    )
    frame = pd.DataFrame(index=rows)
    frame["country"] = iso
    frame["year"] = _whole_years(table, failures)
    frame["indicator"] = table.get("indicator", indicator)
    frame["value"] = to_numbers(table["value"], failures, "value", rows)
    frame["flag"] = table["flag"].str.strip() if "flag" in table else ""
    frame["source"] = table.get("source", file.name)
    for column in OPTIONAL_COLUMNS:
        if column in table.columns:
            frame[column] = table[column]
    _check_rows(frame, indicator, failures)
    duplicate_failures(frame, failures)
    return finish(frame, failures)


def _check_columns(table: pd.DataFrame, indicator: str | None, failures: Failures) -> None:
    needed = ["country", "year", "value"] + ([] if indicator else ["indicator"])
    for column in needed:
        if column not in table.columns:
            failures.add(None, column, f"a column named {column!r}", "no such column")
    for column in table.columns:
        if column not in (*LONG_COLUMNS, *OPTIONAL_COLUMNS):
            allowed = [*LONG_COLUMNS, *OPTIONAL_COLUMNS]
            failures.add(None, str(column), f"only the columns {allowed}", "an extra column")
    failures.raise_if_any()


def _whole_years(table: pd.DataFrame, failures: Failures) -> pd.Series:
    years = to_numbers(table["year"], failures, "year", table.index)
    for row in years.index[(years.notna() & (years != years.round())).to_numpy()]:
        failures.add(row, "year", "a whole year such as 2024", table.loc[row, "year"])
    for row in years.index[(years.isna() & table["year"].str.strip().eq("")).to_numpy()]:
        failures.add(row, "year", "a whole year such as 2024", "an empty cell")
    return years


def _check_rows(frame: pd.DataFrame, indicator: str | None, failures: Failures) -> None:
    allowed = set(FLAG_CODES)
    for row in frame.index:
        if indicator and frame.loc[row, "indicator"] != indicator:
            failures.add(
                row,
                "indicator",
                f"{indicator!r} (the indicator named)",
                frame.loc[row, "indicator"],
            )
        if not set(str(frame.loc[row, "flag"])) <= allowed:
            failures.add(
                row,
                "flag",
                f"Eurostat flag letters among {''.join(FLAG_CODES)!r}",
                frame.loc[row, "flag"],
            )
