"""The World Bank's CSV downloads: wide years after four metadata lines.

The API and DataBank download (``API_SP.POP.TOTL_DS2_en_csv_v2_*.csv``) starts with
four lines (``Data Source``, blank, ``Last Updated Date``, blank) and then a header
``Country Name, Country Code, Indicator Name, Indicator Code, 1960, ..., 2023``.
The same figures re-published in long form (``Country Name, Country Code, Year,
Value``, as in the datahub.io core data packages) are read too.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Collection
from pathlib import Path

import pandas as pd

from readiness_index.errors import DataFileError
from readiness_index.io.loaders._common import (
    Failures,
    assemble,
    existing,
    finish,
    read_text,
    read_text_table,
    require_columns,
)

__all__ = ["read_worldbank_csv"]

_META = ("Country Name", "Country Code", "Indicator Name", "Indicator Code")


def read_worldbank_csv(
    path: str | os.PathLike[str],
    *,
    indicator: str,
    indicator_code: str | None = None,
    countries: Collection[str] | None = None,
    source: str | None = None,
) -> pd.DataFrame:
    """Read a World Bank CSV (wide years or long) into long rows.

    Parameters
    ----------
    path : path-like
        The downloaded file.
    indicator : str
        The indicator (or denominator) code the series is stored under.
    indicator_code : str, optional
        The World Bank code to keep (``"SP.POP.TOTL"``) when the file holds several.
    countries : collection of str, optional
        ISO alpha-2 codes to keep. World Bank files also hold regional aggregates
        (``EUU``, ``WLD``...), which no country library knows: without
        ``countries`` they are reported as unknown countries.
    source : str, optional
        Source text; by default ``World Bank WDI <indicator code>``.

    Returns
    -------
    pandas.DataFrame
        ``country, year, indicator, value, flag, source, vintage``; empty cells
        (no figure published) are left out, as the World Bank publishes no flags.

    Raises
    ------
    DataFileError
        With a ``failures`` table naming file, row and column of every problem.
    """
    file = existing(path)
    failures = Failures(file)
    skip, vintage = _metadata(file)
    table = read_text_table(file, skiprows=skip)
    if "year" in {str(column).casefold() for column in table.columns}:
        long, code = _long_layout(table, failures), indicator_code or ""
    else:
        long, code = _wide_layout(table, indicator_code, failures)
    long = long.loc[long["Value"].str.strip() != ""]
    parts = {
        "geo": long["Country Code"],
        "period": long["Year"],
        "value": long["Value"],
        "flag": pd.Series("", index=long.index),
        "indicator": pd.Series(indicator, index=long.index),
        "source": pd.Series(source or f"World Bank WDI {code}".strip(), index=long.index),
    }
    names = {"geo": "Country Code", "period": "Year", "value": "Value", "flag": "flag"}
    frame = assemble(parts, failures, columns=names, countries=countries, period_rule="annual")
    frame["vintage"] = vintage
    return finish(frame, failures)


def _metadata(file: Path) -> tuple[int, str]:
    """Lines to skip before the header, and the ``Last Updated Date`` if present."""
    lines = read_text(file).splitlines()[:6]
    head = list(csv.reader(lines))
    if not head or not head[0] or head[0][0] != "Data Source":
        return 0, ""
    vintage = next((r[1] for r in head if len(r) > 1 and r[0] == "Last Updated Date"), "")
    header = next((i for i, r in enumerate(head) if r[:2] == ["Country Name", "Country Code"]), 4)
    return header, vintage


def _long_layout(table: pd.DataFrame, failures: Failures) -> pd.DataFrame:
    require_columns(table, ("Country Code", "Year", "Value"), failures)
    return table


def _wide_layout(
    table: pd.DataFrame, indicator_code: str | None, failures: Failures
) -> tuple[pd.DataFrame, str]:
    require_columns(table, _META, failures)
    codes = sorted(set(table["Indicator Code"]))
    code = indicator_code or (codes[0] if len(codes) == 1 else None)
    if code is None or code not in codes:
        raise DataFileError(
            f"{failures.file}: expected one World Bank indicator or indicator_code naming one "
            f"of {codes[:10]}; found {indicator_code!r}"
        )
    table = table.loc[table["Indicator Code"] == code]
    years = [c for c in table.columns if str(c).strip().isdigit()]
    table = table.assign(_line=table.index)
    long = table.melt(
        id_vars=["Country Code", "_line"], value_vars=years, var_name="Year", value_name="Value"
    )
    long.index = pd.Index(
        [f"{line}:{year}" for line, year in zip(long["_line"], long["Year"], strict=True)]
    )
    return long.drop(columns="_line"), code
