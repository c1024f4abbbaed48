"""Outlier treatment: the moments of many columns at once, known answers and laws."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from readiness_index.model.methodology import TreatSpec
from readiness_index.steps import treat

# Five units, four indicators; by hand (d = deviations from the mean of the values present):
# a: 1, 2, 3, 10     mean 4, d = -3 -2 -1 6, sum d^2 = 50, d^3 = 180, d^4 = 1394
#    skewness = sqrt(4) 180 / 50^1.5 * sqrt(4 * 3) / 2 = 1.44 sqrt(1.5)
#    kurtosis: r = 4 * 1394 / 50^2 = 2.2304; ((4+1)(r-3) + 6) (4-1) / (2 * 1) = 3.228
# b: 0, 0, 0, 4      mean 1, d = -1 -1 -1 3, sum d^2 = 12, d^3 = 24, d^4 = 84
#    skewness = 2 * 24 / 12^1.5 * sqrt(12) / 2 = 2; kurtosis: r = 336 / 144,
#    (5 (r - 3) + 6) * 3 / 2 = 4
# c: three values, kurtosis undefined; 1, 2, 6: mean 3, d = -2 -1 3, sum d^2 = 14, d^3 = 18
#    skewness = sqrt(3) 18 / 14^1.5 * sqrt(3 * 2) / 1 = 54 sqrt(2) / 14^1.5
# d: constant, both undefined
VALUES = np.array(
    [
        [1.0, 0.0, 1.0, 5.0],
        [2.0, np.nan, np.nan, 5.0],
        [3.0, 0.0, 2.0, 5.0],
        [10.0, 0.0, 6.0, np.nan],
        [np.nan, 4.0, np.nan, 5.0],
    ]
)


def test_moments_known_answers_with_missing_values() -> None:
    skew, kurt = treat.moments(VALUES)
    expected_skew = [1.44 * math.sqrt(1.5), 2.0, 54 * math.sqrt(2) / 14**1.5, np.nan]
    np.testing.assert_allclose(skew, expected_skew, rtol=1e-12)
    np.testing.assert_allclose(kurt, [3.228, 4.0, np.nan, np.nan], rtol=1e-12)


def test_one_column_functions_give_the_same_answers() -> None:
    for j, (s, k) in enumerate(zip(*treat.moments(VALUES), strict=True)):
        np.testing.assert_array_equal([treat.skewness(VALUES[:, j])], [s])
        np.testing.assert_array_equal([treat.kurtosis(VALUES[:, j])], [k])


def test_passes_needs_either_moment_below_its_threshold() -> None:
    # b has skewness 2 and kurtosis 4
    assert not treat.passes(VALUES[:, 1], skew=1.9, kurt=3.5)
    assert treat.passes(VALUES[:, 1], skew=2.1, kurt=3.5)
    assert treat.passes(VALUES[:, 1], skew=1.9, kurt=4.1)
    assert treat.passes(VALUES[:, 3])  # undefined moments pass


def test_moments_of_no_units_or_no_columns() -> None:
    skew, kurt = treat.moments(np.empty((0, 2)))
    assert np.isnan(skew).all() and np.isnan(kurt).all()
    assert treat.moments(np.empty((3, 0)))[0].shape == (0,)


_cell = st.one_of(
    st.just(np.nan), st.sampled_from([0.0, 1.0, 2.0, 50.0]), st.floats(-1e4, 1e4, width=64)
)
_tables = st.tuples(st.integers(0, 15), st.integers(1, 6)).flatmap(
    lambda shape: arrays(np.float64, shape, elements=_cell)
)


@settings(max_examples=200, deadline=None)
@given(_tables, st.randoms(use_true_random=False))
def test_moments_of_each_column_equal_its_moments_alone_in_any_order(
    values: np.ndarray, random: object
) -> None:
    skew, kurt = treat.moments(values)
    for j in range(values.shape[1]):
        alone = treat.moments(values[:, j])
        np.testing.assert_allclose([skew[j], kurt[j]], np.ravel(alone), rtol=1e-12, atol=0)
    order = np.array(random.sample(range(values.shape[1]), values.shape[1]))  # type: ignore[attr-defined]
    shuffled = treat.moments(values[:, order])
    np.testing.assert_allclose(shuffled[0], skew[order], rtol=1e-12, atol=0)
    np.testing.assert_allclose(shuffled[1], kurt[order], rtol=1e-12, atol=0)


@settings(max_examples=200, deadline=None)
@given(_tables, st.integers(0, 6))
def test_winsorising_many_columns_equals_each_alone(values: np.ndarray, points: int) -> None:
    count = values.shape[1]
    skew, kurt = np.full(count, 1.0), np.full(count, 1.5)
    many, moved, after = treat._winsorise_columns(values, skew, kurt, np.full(count, points))
    for j in range(count):
        y, alone = treat.winsorise(values[:, j], 1.0, 1.5, points)
        np.testing.assert_array_equal(many[:, j], y)
        assert moved[j] == alone
    np.testing.assert_array_equal(np.stack(after), np.stack(treat.moments(many)))


def _one_by_one(wide: pd.DataFrame, spec: TreatSpec) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The treatment as a loop of :func:`treat.treat_column`, one indicator and year at a time."""
    values = wide.to_numpy(dtype="float64", copy=True)
    countries = wide.index.get_level_values("country").to_numpy()
    years = wide.index.get_level_values("year").to_numpy()
    records = []
    for year in np.unique(years):
        rows = np.flatnonzero(years == year)
        for j, code in enumerate(wide.columns):
            x = values[rows, j].copy()
            y, record = treat.treat_column(x, spec.for_indicator(str(code)))
            values[rows, j] = y
            unchanged = record["treatment"] == "none"
            changed = ~np.isclose(x, y, equal_nan=True)
            units = "" if unchanged else ", ".join(map(str, countries[rows][changed]))
            records.append({"year": int(year), "indicator": code, **record, "units": units})
    out = pd.DataFrame(values, index=wide.index, columns=wide.columns)
    return out, pd.DataFrame.from_records(records)


_SPECS = [
    TreatSpec(),
    TreatSpec(skew=1.0, kurtosis=0.5, max_points=2, fallback="none"),
    TreatSpec(
        skew=0.5,
        kurtosis=0.0,
        by_indicator={"b": TreatSpec(method="none"), "c": TreatSpec(max_points=0)},
    ),
]


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 12).flatmap(
        lambda n: arrays(np.float64, (2 * n, 3), elements=_cell)  # two years of n units
    ),
    st.sampled_from(range(len(_SPECS))),
)
def test_treater_equals_treating_each_column_alone(values: np.ndarray, which: int) -> None:
    n = len(values) // 2
    index = pd.MultiIndex.from_product([[2023, 2024], [f"u{i}" for i in range(n)]])
    wide = pd.DataFrame(values, index=index.swaplevel(), columns=list("abc"))
    wide.index.names = ["country", "year"]
    treated, log = treat.Treater(_SPECS[which]).transform(wide)
    expected, expected_log = _one_by_one(wide, _SPECS[which])
    pd.testing.assert_frame_equal(treated, expected, check_exact=True)
    pd.testing.assert_frame_equal(log, expected_log, check_exact=True)


def test_treater_log_names_the_units_moved() -> None:
    index = pd.MultiIndex.from_tuples(
        [(f"u{i}", 2024) for i in range(10)], names=["country", "year"]
    )
    wide = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 100], "y": np.arange(10.0)}, index)
    treated, log = treat.Treater(TreatSpec()).transform(wide)
    assert treated["x"].max() == 9.0 and treated["y"].tolist() == list(range(10))
    assert log[["indicator", "treatment", "points", "units"]].to_dict("records") == [
        {"indicator": "x", "treatment": "winsorise", "points": 1, "units": "u9"},
        {"indicator": "y", "treatment": "none", "points": 0, "units": ""},
    ]
    assert log["passes"].tolist() == [True, True]


def test_a_users_treatment_is_given_a_copy() -> None:
    @treat.register_treatment("test_clobber")
    def clobber(x: np.ndarray) -> np.ndarray:
        x[:] = 0.0
        return x + 1

    index = pd.MultiIndex.from_tuples([("A", 2024), ("B", 2024)], names=["country", "year"])
    wide = pd.DataFrame({"x": [1.0, 2.0]}, index)
    treated, log = treat.Treater(TreatSpec(method="test_clobber")).transform(wide)
    assert treated["x"].tolist() == [1.0, 1.0] and wide["x"].tolist() == [1.0, 2.0]
    assert log["units"].tolist() == ["B"]


def test_treating_nothing_logs_nothing() -> None:
    index = pd.MultiIndex.from_tuples([], names=["country", "year"])
    treated, log = treat.Treater(TreatSpec()).transform(pd.DataFrame(index=index))
    assert treated.empty and log.empty
