"""Aggregation: known answers, missing children, coverage, errors and laws."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from readiness_index.model.methodology import LevelAggregateSpec
from readiness_index.steps import aggregate as a

V = np.array([[10.0, 40.0, np.nan], [20.0, 20.0, 50.0]])
W = np.array([1.0, 3.0, 2.0])


def test_arithmetic_renormalises_over_present_children() -> None:
    # row 1: (10*1 + 40*3) / 4 = 32.5; row 2: (20 + 60 + 100) / 6 = 30
    np.testing.assert_allclose(a.arithmetic_mean(V, W), [32.5, 30.0])


def test_geometric_known_answer() -> None:
    # row 1: exp((log 10 + 3 log 40) / 4) = 10^(1/4) 40^(3/4)
    expected = [10**0.25 * 40**0.75, np.exp((4 * np.log(20) + 2 * np.log(50)) / 6)]
    np.testing.assert_allclose(a.geometric_mean(V, W), expected)


def test_harmonic_known_answer() -> None:
    # row 1: 4 / (1/10 + 3/40) = 4 / 0.175
    np.testing.assert_allclose(a.harmonic_mean(V, W)[0], 4 / 0.175)


def test_generalised_mean_p1_is_arithmetic_and_p2_known() -> None:
    np.testing.assert_allclose(a.generalised_mean(V, W, p=1), a.arithmetic_mean(V, W))
    np.testing.assert_allclose(
        a.generalised_mean(np.array([[3.0, 4.0]]), np.ones(2), 2), [np.sqrt(12.5)]
    )


def test_generalised_mean_of_a_large_p_does_not_overflow() -> None:
    # 100**400 is beyond any float; the power mean is homogeneous, so by hand:
    # p = 400: 100 * ((1 + 0.5**400) / 2)**(1/400) = 100 * 2**(-1/400) = 99.82686...
    # p = -400: 50 * ((2**-400 + 1) / 2)**(-1/400) = 50 * 2**(1/400) = 50.08672...
    values = np.array([[100.0, 50.0], [100.0, np.nan], [0.0, 0.0]])
    high = a.generalised_mean(values, np.ones(2), p=400)
    np.testing.assert_allclose(high, [100 * 2 ** (-1 / 400), 100.0, 0.0], rtol=1e-12)
    low = a.generalised_mean(values[:2], np.ones(2), p=-400)
    np.testing.assert_allclose(low, [50 * 2 ** (1 / 400), 100.0], rtol=1e-12)
    # a p beyond any exponent gives the limit: the largest value, not infinity
    np.testing.assert_allclose(a.generalised_mean(values[:1], np.ones(2), p=1e30), [100.0])
    shared = a.AGGREGATIONS["generalised"].quasi(p=400).shared(values, np.ones((3, 2)))
    np.testing.assert_allclose(shared, np.tile(high, (3, 1)), rtol=1e-12)


def test_median_ignores_missing() -> None:
    np.testing.assert_allclose(a.median(V, W), [25.0, 20.0])


def test_copeland_counts_weighted_pairwise_wins() -> None:
    values = np.array([[3.0, 3.0], [1.0, 2.0], [2.0, 1.0]])
    # unit 0 beats both on both: 1 + 1; units 1 and 2 split: 0.5 each, lose to 0
    np.testing.assert_allclose(a.copeland(values, np.ones(2)), [2.0, 0.5, 0.5])


def test_all_children_missing_gives_missing() -> None:
    values = np.array([[np.nan, np.nan]])
    for func in (a.arithmetic_mean, a.geometric_mean, a.harmonic_mean, a.median):
        assert np.isnan(func(values, np.ones(2))[0])


def test_min_coverage_sets_score_missing() -> None:
    spec = LevelAggregateSpec(min_coverage=0.75)
    got, invalid = a.aggregate_values(V, W, spec)
    assert np.isnan(got[0]) and got[1] == pytest.approx(30.0)
    assert not invalid.any()


# Domains (the rule changed: a zero under a geometric mean gives 0 instead of an error, and
# the validity of the inputs is checked by the step, after coverage, not by the formula).
def test_geometric_mean_of_a_zero_is_zero_and_of_a_negative_is_invalid() -> None:
    values = np.array([[0.0, 5.0], [-1.0, 4.0], [1.0, 4.0]])
    got, invalid = a.aggregate_values(values, np.ones(2), LevelAggregateSpec(method="geometric"))
    np.testing.assert_array_equal(got, [0.0, np.nan, 2.0])
    assert invalid.tolist() == [False, True, False]


def test_harmonic_mean_refuses_zero_and_negative() -> None:
    values = np.array([[0.0, 5.0], [-1.0, 4.0], [1.0, 4.0]])
    got, invalid = a.aggregate_values(values, np.ones(2), LevelAggregateSpec(method="harmonic"))
    np.testing.assert_allclose(got, [np.nan, np.nan, 1.6])
    assert invalid.tolist() == [True, True, False]


def test_generalised_mean_domain_depends_on_p() -> None:
    values = np.array([[0.0, 2.0], [-1.0, 2.0]])
    square = LevelAggregateSpec(method="generalised", p=2)
    got, invalid = a.aggregate_values(values, np.ones(2), square)
    # sqrt((0^2 + 2^2) / 2) = sqrt(2); a negative value is outside the power mean's domain
    np.testing.assert_allclose(got, [np.sqrt(2), np.nan])
    assert invalid.tolist() == [False, True]
    inverse = LevelAggregateSpec(method="generalised", p=-1)
    assert a.aggregate_values(values, np.ones(2), inverse)[1].tolist() == [True, True]


def test_a_unit_missing_by_coverage_is_never_invalid() -> None:
    values = np.array([[-5.0, np.nan, np.nan], [-5.0, 4.0, 2.0]])
    spec = LevelAggregateSpec(method="geometric", min_coverage=0.5)
    got, invalid = a.aggregate_values(values, np.ones(3), spec)
    assert np.isnan(got).all() and invalid.tolist() == [False, True]


def test_arithmetic_median_and_copeland_take_signed_values() -> None:
    values = np.array([[-4.0, 2.0, 5.0]])
    for method, expected in (("arithmetic", 1.0), ("median", 2.0)):
        got, invalid = a.aggregate_values(values, np.ones(3), LevelAggregateSpec(method=method))
        assert got.tolist() == [expected] and not invalid.any()


matrices = arrays(
    np.float64,
    st.tuples(st.integers(1, 8), st.integers(1, 6)),
    elements=st.floats(1, 100, allow_nan=False),
)


@given(matrices, st.floats(0.1, 10))
def test_means_lie_between_min_and_max_and_ignore_weight_scale(m: np.ndarray, k: float) -> None:
    w = np.linspace(1, 2, m.shape[1])
    for func in (a.arithmetic_mean, a.geometric_mean, a.harmonic_mean):
        y = func(m, w)
        assert np.all(y >= m.min(axis=1) - 1e-9) and np.all(y <= m.max(axis=1) + 1e-9)
        np.testing.assert_allclose(func(m, w * k), y, rtol=1e-9)


@given(matrices)
def test_mean_inequality(m: np.ndarray) -> None:
    w = np.ones(m.shape[1])
    h, g, ar = a.harmonic_mean(m, w), a.geometric_mean(m, w), a.arithmetic_mean(m, w)
    assert np.all(h <= g + 1e-9) and np.all(g <= ar + 1e-9)


@given(matrices, st.integers(0, 5), st.floats(0.1, 50))
def test_raising_a_child_never_lowers_the_mean(m: np.ndarray, col: int, bump: float) -> None:
    col %= m.shape[1]
    higher = m.copy()
    higher[:, col] += bump
    w = np.ones(m.shape[1])
    for func in (a.arithmetic_mean, a.geometric_mean, a.harmonic_mean):
        assert np.all(func(higher, w) >= func(m, w) - 1e-9)
