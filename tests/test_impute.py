"""Group imputation on arrays: known answers and the law that defines it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from readiness_index.model.methodology import ImputeSpec
from readiness_index.steps.impute import Imputer, impute_group

_cell = st.one_of(st.just(np.nan), st.floats(-1e6, 1e6, width=64))


def _frame(values: np.ndarray, years: int) -> pd.DataFrame:
    units = len(values) // years
    index = pd.MultiIndex.from_tuples(
        [(f"u{u}", 2020 + y) for y in range(years) for u in range(units)],
        names=["country", "year"],
    )
    return pd.DataFrame(values, index=index, columns=[f"i{j}" for j in range(values.shape[1])])


def test_group_mean_and_median_known_answers() -> None:
    wide = _frame(np.array([[1.0, 4.0], [np.nan, 6.0], [3.0, np.nan], [np.nan, np.nan]]), 1)
    groups = pd.DataFrame(
        {"region": ["n", "n", "n", None]}, index=pd.Index(["u0", "u1", "u2", "u3"], name="country")
    )
    filled, imputed = Imputer(ImputeSpec(method="group_mean", group="region"), groups).transform(
        wide
    )
    # u1.i0 = (1 + 3) / 2; u2.i1 = (4 + 6) / 2; u3 has no group: stays missing
    np.testing.assert_array_equal(
        filled.to_numpy(), [[1.0, 4.0], [2.0, 6.0], [3.0, 5.0], [np.nan, np.nan]]
    )
    assert imputed.to_numpy().sum() == 2
    median = pd.Series([1.0, 2.0, 10.0, np.nan])
    assert impute_group(median, pd.Series(["a"] * 4), "median").tolist() == [1.0, 2.0, 10.0, 2.0]


def test_a_country_without_groups_entry_stays_missing() -> None:
    wide = _frame(np.array([[1.0], [np.nan]]), 1)
    groups = pd.DataFrame({"region": ["n"]}, index=pd.Index(["u0"], name="country"))
    filled, _ = Imputer(ImputeSpec(method="group_mean", group="region"), groups).transform(wide)
    assert np.isnan(filled.iloc[1, 0])


@settings(max_examples=100, deadline=None)
@given(
    st.tuples(st.integers(1, 8), st.integers(1, 3), st.integers(1, 4)).flatmap(
        lambda s: arrays(np.float64, (s[0] * s[1], s[2]), elements=_cell).map(
            lambda values: (values, s[1])
        )
    ),
    st.lists(st.sampled_from(["a", "b", "c", None]), min_size=8, max_size=8),
    st.sampled_from(["mean", "median"]),
)
def test_each_missing_value_gets_its_groups_statistic_in_its_year(
    case: tuple[np.ndarray, int], labels: list[str | None], statistic: str
) -> None:
    values, years = case
    wide = _frame(values, years)
    units = len(values) // years
    groups = pd.DataFrame(
        {"g": labels[:units]}, index=pd.Index([f"u{u}" for u in range(units)], name="country")
    )
    filled, imputed = Imputer(ImputeSpec(method=f"group_{statistic}", group="g"), groups).transform(
        wide
    )
    rule = np.nanmean if statistic == "mean" else np.nanmedian
    label = np.array(labels[:units] * years, dtype=object)  # rows are year by year
    year = np.repeat(np.arange(years), units)
    got, was_imputed = filled.to_numpy(), imputed.to_numpy()
    for i, j in np.ndindex(values.shape):
        pool = values[(year == year[i]) & (label == label[i]), j] if label[i] else np.empty(0)
        expected = values[i, j]
        if np.isnan(expected) and (~np.isnan(pool)).any():
            expected = rule(pool)
        assert got[i, j] == pytest.approx(expected, rel=1e-12, abs=1e-300, nan_ok=True)
        assert was_imputed[i, j] == (np.isnan(values[i, j]) and not np.isnan(got[i, j]))
