"""Denomination: divide indicators by a size variable (population, GDP, area...).

``x_denominated = x / d`` for each indicator that declares a denominator, unit by
unit and year by year (COINr's ``Denominate``). Other indicators pass unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from readiness_index.model.data import level_values, no_rows

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
    sizes, size_column = _aligned(wide, denominators)
    column = _positions(wide.columns)
    pairs = [(column[code], size_column[d]) for code, d in by.items() if code in column]
    indicators, used = np.array(pairs, dtype=np.intp).reshape(-1, 2).T
    values[:, indicators] = divide(values[:, indicators], sizes[:, used])
    return pd.DataFrame(values, index=wide.index, columns=wide.columns, copy=False)  # ours


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
    sizes, size_column = _aligned(wide, denominators)
    codes, names = list(by), list(by.values())
    indicators = _positions(wide.columns)
    missing = sizes.shape[1]  # an absent denominator: the column of NaN added below
    used = np.array([size_column.get(name, missing) for name in names], dtype=np.intp)
    size = np.column_stack([sizes, np.full(len(wide), np.nan)])[:, used]
    present = ~np.isnan(wide.to_numpy(dtype="float64")[:, [indicators[c] for c in codes]])
    pair, row = np.nonzero((present & (np.isnan(size) | (size == 0))).T)  # by indicator
    return _gap_table(wide.index, row, [codes[p] for p in pair.tolist()],
                      [names[p] for p in pair.tolist()], size[row, pair])  # fmt: skip


def _gap_table(
    index: pd.Index, rows: np.ndarray, codes: list[str], names: list[str], sizes: np.ndarray
) -> pd.DataFrame:
    """``country, year, indicator, note``: one row per value left missing, at ``rows`` of
    ``index``, with its indicator, its denominator and the denominator's value."""
    if not rows.size:
        return no_rows("country", "year", "indicator", "note")
    notes = [
        f"denominator {name!r} {_what(size)}: value left missing"
        for name, size in zip(names, sizes.tolist(), strict=True)
    ]
    return pd.DataFrame(
        {
            "country": level_values(index, "country")[rows],
            "year": level_values(index, "year")[rows],
            "indicator": codes,
            "note": notes,
        }
    )


def _what(size: float) -> str:
    """What is wrong with a denominator's value: ``has no value`` or ``is 0``."""
    return "has no value" if np.isnan(size) else f"is {size:g}"


def _aligned(wide: pd.DataFrame, denominators: pd.DataFrame) -> tuple[np.ndarray, dict[str, int]]:
    """The denominators' values on the rows of ``wide`` (``NaN`` where a row has none) and
    the position of each denominator's column."""
    same_rows = denominators.index.equals(wide.index)
    aligned = denominators if same_rows else denominators.reindex(wide.index)
    return aligned.to_numpy(dtype="float64"), _positions(aligned.columns)


def _positions(columns: pd.Index) -> dict[str, int]:
    """The position of each column, by its code."""
    return {str(code): j for j, code in enumerate(columns.tolist())}
