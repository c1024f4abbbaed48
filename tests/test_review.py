"""Plausibility review: contributions add up, leave-one-out and rank movers on a known case."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_index.analysis.review import index_contributions, leave_one_out, rank_movers
from readiness_index.engine.pipeline import build
from readiness_index.model.data import prepare_data
from readiness_index.model.framework import Aggregate, Framework, Indicator
from readiness_index.model.methodology import Methodology

FW = Framework(
    aggregates=(
        Aggregate(code="index", name="Index"),
        Aggregate(code="p", name="P", parent="index"),
        Aggregate(code="q", name="Q", parent="index"),
    ),
    indicators=(
        Indicator(code="a", name="A", parent="p"),
        Indicator(code="b", name="B", parent="p"),
        Indicator(code="c", name="C", parent="q"),
        Indicator(code="d", name="D", parent="q"),
    ),
)
# Four units, two years; in 2024 unit W jumps on indicator c only.
ROWS = pd.DataFrame(
    [(u, y, i, v) for y in (2023, 2024) for u, vals in
     {"X": (4, 4, 4, 4), "Y": (3, 3, 3, 3), "Z": (2, 2, 2, 2),
      "W": (1, 1, 1 if y == 2023 else 9, 1)}.items()
     for i, v in zip("abcd", vals, strict=True)],
    columns=["country", "year", "indicator", "value"],
)  # fmt: skip
METHOD = Methodology.from_mapping({"normalise": {"method": "minmax"}})


def test_contributions_add_up_to_the_index() -> None:
    result = build(FW, prepare_data(ROWS, FW), METHOD)
    parts = index_contributions(result)
    index = result.datasets["aggregated"]["index"]
    assert np.allclose(parts.sum(axis=1), index)
    # W in 2024: c = 100 (max), a = b = d = 0: contribution of c = 100 * 1/2 * 1/2.
    assert parts.at[("W", 2024), "c"] == 25.0


def test_the_mover_is_named_with_its_driver() -> None:
    result = build(FW, prepare_data(ROWS, FW), METHOD)
    movers = rank_movers(result, min_shift=1)
    w = movers.loc[movers["country"] == "W"].iloc[0]
    assert (w["rank_before"], w["rank"], w["driver"]) == (4, 3, "c")  # ties Z at 25


def test_leaving_out_the_driver_puts_the_mover_back() -> None:
    data = prepare_data(ROWS, FW)
    shifts = leave_one_out(FW, data, Methodology.from_mapping({"editions": {"count": 2}}), 2024)
    assert shifts.at["W", "c"] > 0  # W falls without the indicator that lifted it
    assert shifts.at["W", "a"] <= 0
