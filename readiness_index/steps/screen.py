"""Screening: remove units with too little data or too many zeros.

Per unit and year (COINr's ``Screen``):

- data coverage ``= count(present) / count(indicators)``; a unit is kept when
  coverage >= ``min_coverage`` (``missing``);
- non-zero share ``= 1 - count(x = 0) / count(present)``; a unit is kept when the
  share >= ``min_nonzero`` (``zeros``). As in COINr's ``get_data_avail``, zeros are
  counted among the values present.

The screened-out units are returned with the figures that removed them.
"""

from __future__ import annotations

from functools import cache
from typing import Any, cast

import numpy as np
import pandas as pd

from readiness_index.model.methodology import ScreenSpec

__all__ = ["coverage_table", "screen_units"]


def coverage_table(wide: pd.DataFrame) -> pd.DataFrame:
    """Coverage and non-zero share of every row.

    >>> idx = pd.MultiIndex.from_tuples([("A", 2024)], names=["country", "year"])
    >>> wide = pd.DataFrame({"x": [0.0], "y": [np.nan], "z": [2.0]}, idx)
    >>> coverage_table(wide).round(3).to_dict("records")
    [{'coverage': 0.667, 'nonzero': 0.5}]
    """
    coverage, nonzero = _coverage(wide.to_numpy(dtype="float64"))
    return pd.DataFrame({"coverage": coverage, "nonzero": nonzero}, index=wide.index)


def _coverage(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: ``count(present) / count(indicators)`` and ``1 - count(x = 0) / count(present)``
    (``NaN`` for a row without values)."""
    present = np.count_nonzero(~np.isnan(values), axis=1)
    zeros = np.count_nonzero(values == 0, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        nonzero = 1 - zeros / np.where(present > 0, present, np.nan)
        coverage = present / values.shape[1]
    return coverage, nonzero


_REASONS = np.array(["", "too little data", "too many zeros", "too little data and too many zeros"])


def screen_units(wide: pd.DataFrame, spec: ScreenSpec) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return ``(kept_rows, removed)``; ``removed`` lists country, year, coverage, nonzero, reason.

    >>> idx = pd.MultiIndex.from_tuples([("A", 2024), ("B", 2024)], names=["country", "year"])
    >>> wide = pd.DataFrame({"x": [1.0, np.nan], "y": [2.0, np.nan]}, idx)
    >>> kept, removed = screen_units(wide, ScreenSpec(method="missing"))
    >>> kept.index.get_level_values("country").tolist(), removed["country"].tolist()
    (['A'], ['B'])
    """
    coverage, nonzero = _coverage(wide.to_numpy(dtype="float64"))
    low_data = (coverage < spec.min_coverage) & (spec.method in ("missing", "missing_and_zeros"))
    zeros = (nonzero < spec.min_nonzero) & (spec.method in ("zeros", "missing_and_zeros"))
    drop = np.flatnonzero(low_data | zeros)
    reasons = _REASONS[low_data[drop] + 2 * zeros[drop]]
    removed = _removed(cast(pd.MultiIndex, wide.index), drop, coverage, nonzero, reasons)
    kept = wide.copy() if not drop.size else wide.iloc[np.flatnonzero(~(low_data | zeros))]
    return kept, removed


def _removed(
    index: pd.MultiIndex,
    drop: np.ndarray,
    coverage: np.ndarray,
    nonzero: np.ndarray,
    reasons: np.ndarray,
) -> pd.DataFrame:
    """The table of the units removed (at positions ``drop`` of ``index``), country and
    year in the types of their levels."""
    levels = [index.names.index(name) for name in ("country", "year")]
    if not drop.size:  # a copy of the empty table made once per pair of level types
        return _no_units(*(index.levels[level].dtype for level in levels)).copy()
    country, year = (index.levels[level].take(index.codes[level][drop]) for level in levels)
    return _table(country, year, coverage[drop], nonzero[drop], reasons)


@cache
def _no_units(country: Any, year: Any) -> pd.DataFrame:
    """The table of no unit removed, country and year of the given types."""
    nothing = np.empty(0)
    return _table(
        pd.Index([], dtype=country), pd.Index([], dtype=year), nothing, nothing, _REASONS[:0]
    )


def _table(
    country: pd.Index, year: pd.Index, coverage: np.ndarray, nonzero: np.ndarray, reason: np.ndarray
) -> pd.DataFrame:
    """``country, year, coverage, nonzero, reason`` as one frame."""
    columns = {"country": country, "year": year, "coverage": coverage, "nonzero": nonzero}
    return pd.DataFrame({**columns, "reason": reason})
