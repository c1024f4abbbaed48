"""Denomination: divide indicators by a size variable (population, GDP, area...).

``x_denominated = x / d`` for each indicator that declares a denominator, unit by
unit and year by year (COINr's ``Denominate``). Other indicators pass unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import numpy as np
import pandas as pd

__all__ = ["denominate", "denominator_gaps", "divide"]


def divide(x: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Divide by the denominator: ``x / d`` (``NaN`` where ``d`` is missing or zero).

    >>> divide(np.array([10.0, 5.0, 1.0]), np.array([2.0, 0.0, np.nan]))
    array([ 5., nan, nan])
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator == 0, np.nan, x / denominator)


def denominate(
    wide: pd.DataFrame, denominators: pd.DataFrame, by: Mapping[str, str]
) -> pd.DataFrame:
    """Divide each column named in ``by`` by its denominator column.

    Parameters
    ----------
    wide : pandas.DataFrame
        ``(country, year) x indicator`` values.
    denominators : pandas.DataFrame
        ``(country, year) x denominator`` values.
    by : mapping of str to str
        Indicator code to denominator code.

    >>> idx = pd.MultiIndex.from_tuples([("A", 2024)], names=["country", "year"])
    >>> out = denominate(pd.DataFrame({"x": [10.0]}, idx), pd.DataFrame({"pop": [4.0]}, idx),
    ...                  {"x": "pop"})
    >>> out["x"].tolist()
    [2.5]
    """
    values = wide.to_numpy(dtype="float64", copy=True)
    aligned = denominators.reindex(wide.index)
    sizes = aligned.to_numpy(dtype="float64")
    for code, denominator in by.items():
        if code in wide.columns:
            j, k = _position(wide.columns, code), _position(aligned.columns, denominator)
            values[:, j] = divide(values[:, j], sizes[:, k])
    return pd.DataFrame(values, index=wide.index, columns=wide.columns)


def denominator_gaps(
    wide: pd.DataFrame, denominators: pd.DataFrame, by: Mapping[str, str]
) -> pd.DataFrame:
    """The values that cannot be divided: their denominator is missing or zero.

    COINr leaves such values missing (and a later imputation may fill them); the
    build does the same and records every one of them, so none is lost silently.

    Returns
    -------
    pandas.DataFrame
        ``country, year, indicator, note``, one row per value left missing.

    >>> idx = pd.MultiIndex.from_tuples([("A", 2024), ("B", 2024)], names=["country", "year"])
    >>> gaps = denominator_gaps(pd.DataFrame({"x": [1.0, 3.0]}, idx),
    ...                         pd.DataFrame({"pop": [2.0, 0.0]}, idx), {"x": "pop"})
    >>> gaps[["country", "indicator"]].to_dict("records"), gaps["note"].iloc[0]
    ([{'country': 'B', 'indicator': 'x'}], "denominator 'pop' is 0: value left missing")
    """
    aligned = denominators.reindex(wide.index)
    sizes, present = aligned.to_numpy(dtype="float64"), ~np.isnan(wide.to_numpy(dtype="float64"))
    rows = []
    for code, denominator in by.items():
        column = (
            sizes[:, _position(aligned.columns, denominator)]
            if denominator in aligned
            else np.full(len(wide), np.nan)
        )
        has_value = present[:, _position(wide.columns, code)]
        for i in np.flatnonzero(has_value & (np.isnan(column) | (column == 0))):
            what = "has no value" if np.isnan(column[i]) else f"is {column[i]:g}"
            country, year = cast(tuple[str, int], wide.index[int(i)])
            note = f"denominator {denominator!r} {what}: value left missing"
            rows.append({"country": country, "year": year, "indicator": code, "note": note})
    return pd.DataFrame(rows, columns=["country", "year", "indicator", "note"])


def _position(columns: pd.Index, code: str) -> int:
    """The position of ``code`` among ``columns`` (``KeyError`` when absent)."""
    return int(cast(int, columns.get_loc(code)))
