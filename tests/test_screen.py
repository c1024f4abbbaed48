"""Screening: the removed units' table, its columns and types."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_index.model.methodology import ScreenSpec
from readiness_index.steps.screen import screen_units


def _wide(rows: list[list[float]]) -> pd.DataFrame:
    index = pd.MultiIndex.from_tuples(
        [(f"u{i}", 2024) for i in range(len(rows))], names=["country", "year"]
    )
    return pd.DataFrame(rows, index=index, columns=["x", "y", "z", "w"])


def test_removed_units_known_answers_in_order() -> None:
    wide = _wide([[0.0, 0.0, 0.0, 1.0], [np.nan] * 3 + [0.0], [1.0, 2.0, 3.0, 4.0]])
    kept, removed = screen_units(
        wide, ScreenSpec(method="missing_and_zeros", min_coverage=0.5, min_nonzero=0.5)
    )
    assert kept.index.get_level_values("country").tolist() == ["u2"]
    # u0: 4 of 4 present, 3 zeros among them: nonzero 1 - 3/4; u1: 1 of 4, one zero
    assert removed.to_dict("records") == [
        {"country": "u0", "year": 2024, "coverage": 1.0, "nonzero": 0.25,
         "reason": "too many zeros"},
        {"country": "u1", "year": 2024, "coverage": 0.25, "nonzero": 0.0,
         "reason": "too little data and too many zeros"},
    ]  # fmt: skip
    assert removed["year"].dtype == np.int64 and removed.index.equals(pd.RangeIndex(2))


def test_nothing_removed_gives_an_empty_table_with_the_columns() -> None:
    wide = _wide([[1.0, 2.0, 3.0, 4.0]])
    kept, removed = screen_units(wide, ScreenSpec(method="missing"))
    pd.testing.assert_frame_equal(kept, wide)
    assert kept is not wide
    assert list(removed.columns) == ["country", "year", "coverage", "nonzero", "reason"]
    assert removed.empty and removed["coverage"].dtype == np.float64
