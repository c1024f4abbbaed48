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
    values = wide.to_numpy(dtype="float64")
    present = np.count_nonzero(~np.isnan(values), axis=1)
    zeros = np.count_nonzero(values == 0, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        nonzero = 1 - zeros / np.where(present > 0, present, np.nan)
        coverage = present / wide.shape[1]
    return pd.DataFrame({"coverage": coverage, "nonzero": nonzero}, index=wide.index)


def screen_units(wide: pd.DataFrame, spec: ScreenSpec) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return ``(kept_rows, removed)``; ``removed`` lists country, year, coverage, nonzero, reason.

    >>> idx = pd.MultiIndex.from_tuples([("A", 2024), ("B", 2024)], names=["country", "year"])
    >>> wide = pd.DataFrame({"x": [1.0, np.nan], "y": [2.0, np.nan]}, idx)
    >>> kept, removed = screen_units(wide, ScreenSpec(method="missing"))
    >>> kept.index.get_level_values("country").tolist(), removed["country"].tolist()
    (['A'], ['B'])
    """
    table = coverage_table(wide)
    low_data = spec.method in ("missing", "missing_and_zeros")
    low_data_mask = (table["coverage"] < spec.min_coverage) & low_data
    zeros = spec.method in ("zeros", "missing_and_zeros")
    zeros_mask = (table["nonzero"] < spec.min_nonzero) & zeros
    drop = np.asarray(low_data_mask | zeros_mask)
    reasons = np.where(
        low_data_mask & zeros_mask,
        "too little data and too many zeros",
        np.where(low_data_mask, "too little data", "too many zeros"),
    )
    removed = table.loc[drop].assign(reason=reasons[drop]).reset_index()
    return wide.loc[~drop].copy(), removed
