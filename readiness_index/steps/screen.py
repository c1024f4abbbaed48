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
    removed = pd.DataFrame(
        {
            "country": wide.index.get_level_values("country").take(drop),
            "year": wide.index.get_level_values("year").take(drop),
            "coverage": coverage[drop],
            "nonzero": nonzero[drop],
            "reason": _REASONS[low_data[drop] + 2 * zeros[drop]],
        }
    )
    kept = wide.copy() if not drop.size else wide.iloc[np.flatnonzero(~(low_data | zeros))]
    return kept, removed
