"""Loaders for the formats publishers serve, each returning long indicator rows.

Every loader turns one downloaded file into a long :class:`pandas.DataFrame`
``country, year, indicator, value, flag, source`` (plus ``vintage`` or the optional
long columns when known), with the publisher's flags kept and ISO alpha-2 country
codes. Problems are collected and raised together as one
:class:`~readiness_index.errors.DataFileError` whose ``failures`` table names the
file, row and column of each.

============================  ==========================================
format                        loader
============================  ==========================================
``eurostat_sdmx_csv``         :func:`read_eurostat_sdmx_csv`
``eurostat_tsv``              :func:`read_eurostat_tsv`
``worldbank_csv``             :func:`read_worldbank_csv`
``long`` (CSV/Excel/Parquet)  :func:`read_long`
============================  ==========================================

:func:`load_file` picks the loader from the file's name and first line.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import Any

import pandas as pd

from readiness_index.errors import DataFileError
from readiness_index.io.formats import FORMATS
from readiness_index.io.loaders._common import existing
from readiness_index.io.loaders.eurostat import read_eurostat_sdmx_csv, read_eurostat_tsv
from readiness_index.io.loaders.long import read_long
from readiness_index.io.loaders.worldbank import read_worldbank_csv

__all__ = [
    "FORMATS",
    "load_file",
    "read_eurostat_sdmx_csv",
    "read_eurostat_tsv",
    "read_long",
    "read_worldbank_csv",
    "sniff_format",
]


def sniff_format(path: str | os.PathLike[str]) -> str:
    """The format of a data file, from its name and first line.

    Excel and Parquet files are in the long format; a TSV whose first header cell
    holds ``\\TIME_PERIOD`` (or any ``.tsv``) is a Eurostat TSV; a CSV with a ``TIME_PERIOD``
    column is Eurostat SDMX-CSV; one that starts with ``Data Source``
    or has ``Country Code`` and ``Year`` columns is a World Bank CSV. Names are matched in
    any case here, so that the reader can say which name differs only in case.

    Raises
    ------
    DataFileError
        If the file type is none of ``.csv``, ``.tsv``, ``.xlsx``, ``.xls``,
        ``.parquet`` (optionally gzipped for text).
    """
    file = existing(path)
    suffix = file.name.lower().removesuffix(".gz").rsplit(".", 1)[-1]
    if suffix in {"xlsx", "xls", "parquet"}:
        return "long"
    if suffix not in {"csv", "tsv"}:
        raise DataFileError(
            f"{file}: unsupported file type {suffix!r}; expected .csv, .tsv, .xlsx or .parquet"
        )
    first = _first_line(file)
    upper = first.upper()  # a header in another case is read, and its names refused
    if suffix == "tsv" or "\\TIME_PERIOD" in upper:
        return "eurostat_tsv"
    if "TIME_PERIOD" in upper:  # no long table has it; the reader says what else is needed
        return "eurostat_sdmx_csv"
    if first.strip('"').startswith("Data Source") or ("COUNTRY CODE" in upper and "YEAR" in upper):
        return "worldbank_csv"
    return "long"


def _first_line(file: Path) -> str:
    """The first line, for sniffing only (bytes that are not UTF-8 are replaced)."""
    opener: Any = gzip.open if file.name.lower().endswith(".gz") else open
    try:
        with opener(file, "rb") as handle:
            head = handle.read(65536)
    except (OSError, EOFError) as err:
        raise DataFileError(f"{file}: cannot be read ({type(err).__name__}: {err})") from err
    return str(head.decode("utf-8-sig", errors="replace").split("\n", 1)[0])


def load_file(
    path: str | os.PathLike[str],
    *,
    indicator: str | None = None,
    format: str | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Read any supported data file into long rows, choosing the loader by format.

    Parameters
    ----------
    path : path-like
        The file.
    indicator : str, optional
        The indicator code; required for publisher formats, optional for ``long``.
    format : str, optional
        One of :data:`FORMATS`; sniffed from the file when ``None``.
    **options
        Passed to the loader (``filters``, ``countries``, ``period_rule``,
        ``indicator_code``, ``source``; ``sheet``, the one sheet of a long Excel file).

    Raises
    ------
    DataFileError
        If the format is unknown, the indicator is missing, or the file is bad.
    """
    kind = format or sniff_format(path)
    sheet = options.pop("sheet", None)
    if kind == "long":
        if options:
            raise DataFileError(
                f"{path}: options {sorted(options)} apply to publisher formats only; "
                "a long-format file is read as it is"
            )
        return read_long(path, indicator=indicator, sheet=sheet)
    if sheet is not None:
        raise DataFileError(f"{path}: a sheet is named, but a {kind} file has no sheets")
    if kind not in FORMATS:
        raise DataFileError(f"unknown format {kind!r}; expected one of {list(FORMATS)}")
    if not indicator:
        raise DataFileError(
            f"{path}: a {kind} file holds no indicator code; name it (--indicator CODE)"
        )
    if kind == "eurostat_sdmx_csv":
        return read_eurostat_sdmx_csv(path, indicator=indicator, **options)
    if kind == "eurostat_tsv":
        return read_eurostat_tsv(path, indicator=indicator, **options)
    return read_worldbank_csv(path, indicator=indicator, **options)
