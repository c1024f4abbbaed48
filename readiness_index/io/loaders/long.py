"""Our own long format (CSV, Excel, Parquet), read through :func:`~.files.read_table`.

Columns ``country, year, indicator, value`` and optionally ``flag, source`` and
``unit, vintage, provenance, data_year``. Country codes and names are resolved to
ISO alpha-2 (``EL`` -> ``GR``); the ``indicator`` column may be left out when the
indicator is named by the caller.
"""

from __future__ import annotations

import os

import pandas as pd

from readiness_index.errors import Reason
from readiness_index.io.files import read_table
from readiness_index.io.loaders._common import Failures, existing, finish, resolve_countries
from readiness_index.model.contract import REQUIRED_COLUMNS, column_failures, long_failures

__all__ = ["read_long"]


def read_long(
    path: str | os.PathLike[str],
    *,
    indicator: str | None = None,
    sheet: str | None = None,
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
    table = read_table(file, sheet=sheet).astype("string").fillna("")
    _check_columns(table, indicator, failures)
    rows = table.index
    iso, _ = resolve_countries(
        table["country"], failures, "country", rows, None, drop_aggregates=False
    )
    resolved = iso.astype(object).where(iso.notna(), table["country"].astype(object))
    frame = table.drop(columns=["country"]).assign(country=resolved)
    if "indicator" not in frame:
        frame["indicator"] = indicator
    if "source" not in frame:
        frame["source"] = file.name
    typed, contract = long_failures(frame, None, file=file.name)
    failures.extend(contract)
    _check_indicator(frame, indicator, failures)
    failures.raise_if_any()
    return finish(typed, failures)


def _check_columns(table: pd.DataFrame, indicator: str | None, failures: Failures) -> None:
    needed = ("country", "year", "value") if indicator else REQUIRED_COLUMNS
    failures.extend(column_failures(table.columns, failures.file.name, needed))
    failures.raise_if_any()


def _check_indicator(frame: pd.DataFrame, indicator: str | None, failures: Failures) -> None:
    """Every row names the indicator the caller named, when one was named."""
    if not indicator:
        return
    for row in frame.index[(frame["indicator"] != indicator).to_numpy()]:
        failures.add(row, "indicator", f"{indicator!r} (the indicator named)",
                     frame.loc[row, "indicator"], reason=Reason.UNKNOWN_INDICATOR)  # fmt: skip
