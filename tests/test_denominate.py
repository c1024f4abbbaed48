"""Denomination: division and the record of the values that cannot be divided."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_index.steps.denominate import denominate, denominator_gaps

INDEX = pd.MultiIndex.from_tuples(
    [("A", 2023), ("B", 2023), ("A", 2024)], names=["country", "year"]
)
WIDE = pd.DataFrame({"x": [10.0, 4.0, 6.0], "y": [1.0, np.nan, 2.0], "z": [5.0, 5.0, 5.0]}, INDEX)
SIZES = pd.DataFrame({"pop": [2.0, 0.0, np.nan]}, INDEX)


def test_division_known_answers() -> None:
    out = denominate(WIDE, SIZES, {"x": "pop", "y": "pop", "absent": "pop"})
    np.testing.assert_array_equal(
        out.to_numpy(), [[5.0, 0.5, 5.0], [np.nan, np.nan, 5.0], [np.nan, np.nan, 5.0]]
    )
    pd.testing.assert_frame_equal(denominate(WIDE, SIZES, {}), WIDE)


def test_denominators_on_other_rows_are_aligned() -> None:
    shuffled = SIZES.iloc[[2, 0]]  # B 2023 absent: its values cannot be divided
    out = denominate(WIDE, shuffled, {"x": "pop"})
    assert np.isnan(out.loc[("B", 2023), "x"]) and out.loc[("A", 2023), "x"] == 5.0


def test_gaps_by_indicator_then_row_with_the_reason() -> None:
    gaps = denominator_gaps(WIDE, SIZES, {"x": "pop", "y": "pop", "z": "area"})
    assert gaps.to_dict("records") == [
        {"country": "B", "year": 2023, "indicator": "x",
         "note": "denominator 'pop' is 0: value left missing"},
        {"country": "A", "year": 2024, "indicator": "x",
         "note": "denominator 'pop' has no value: value left missing"},
        {"country": "A", "year": 2024, "indicator": "y",
         "note": "denominator 'pop' has no value: value left missing"},
    ] + [
        {"country": c, "year": y, "indicator": "z",
         "note": "denominator 'area' has no value: value left missing"}
        for c, y in INDEX
    ]  # fmt: skip
    assert gaps["year"].dtype == np.int64


def test_no_gaps_gives_the_empty_table() -> None:
    positive = pd.DataFrame({"pop": [1.0, 2.0, 3.0]}, INDEX)
    for by in ({"x": "pop", "y": "pop"}, {}):
        gaps = denominator_gaps(WIDE, positive, by)
        assert list(gaps.columns) == ["country", "year", "indicator", "note"] and gaps.empty
