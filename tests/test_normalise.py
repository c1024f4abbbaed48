"""Normalisation: hand-computed known answers, pooled scope, and laws."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from readiness_index.errors import ComputationError
from readiness_index.model.framework import Aggregate, Framework, Indicator
from readiness_index.model.methodology import NormaliseSpec
from readiness_index.steps import normalise as n

X = np.array([2.0, 4.0, 4.0, 10.0, np.nan])


@pytest.mark.parametrize(
    ("func", "kwargs", "expected"),
    [
        (n.minmax, {}, [0.0, 25.0, 25.0, 100.0, np.nan]),
        (n.minmax, {"lower": 1, "upper": 11}, [1.0, 3.5, 3.5, 11.0, np.nan]),
        # mean 5, sample sd sqrt(12) = 3.4641016
        (n.zscore, {}, [-3 / 12**0.5, -1 / 12**0.5, -1 / 12**0.5, 5 / 12**0.5, np.nan]),
        (
            n.zscore,
            {"mean": 10, "sd": 2},
            [10 - 6 / 12**0.5, 10 - 2 / 12**0.5, 10 - 2 / 12**0.5, 10 + 10 / 12**0.5, np.nan],
        ),
        (n.scaled, {"lower": 0, "upper": 20}, [10.0, 20.0, 20.0, 50.0, np.nan]),
        (n.rank, {}, [1.0, 2.0, 2.0, 4.0, np.nan]),
        (n.borda, {}, [0.0, 1.0, 1.0, 3.0, np.nan]),
        (n.percentile_rank, {}, [0.0, 1 / 3, 1 / 3, 1.0, np.nan]),
        (n.fraction_of_max, {}, [0.2, 0.4, 0.4, 1.0, np.nan]),
        (n.distance_to_max, {}, [0.0, 0.25, 0.25, 1.0, np.nan]),
        (n.distance_to_reference, {"reference": 4.0}, [0.0, 1.0, 1.0, 4.0, np.nan]),
        (n.distance_to_reference, {"reference": 4.0, "cap": True}, [0.0, 1.0, 1.0, 1.0, np.nan]),
        (n.distance_to_target, {"target": 6.0}, [0.0, 0.5, 0.5, 2.0, np.nan]),
        (n.distance_to_target, {"target": 6.0, "cap": True}, [0.0, 0.5, 0.5, 1.0, np.nan]),
        (n.goalposts, {"lower": 0, "upper": 8}, [25.0, 50.0, 50.0, 100.0, np.nan]),
        (
            n.goalposts,
            {"lower": 0, "upper": 8, "truncate": False, "scale": 1},
            [0.25, 0.5, 0.5, 1.25, np.nan],
        ),
    ],
)
def test_known_answers(func, kwargs, expected) -> None:  # type: ignore[no-untyped-def]
    np.testing.assert_allclose(func(X, **kwargs), expected, equal_nan=True)


def test_goalposts_lower_is_better_in_original_units() -> None:
    # values 2 and 6 of a "lower is better" indicator with posts 0..8 -> (8 - x) / 8
    got = n.goalposts(-np.array([2.0, 6.0]), 0, 8, direction=-1, scale=1)
    np.testing.assert_allclose(got, [0.75, 0.25])


def test_distance_to_target_lower_is_better() -> None:
    # (max - x) / (max - target) with max 10, target 2
    x = np.array([2.0, 6.0, 10.0])
    got = n.distance_to_target(-x, -2.0)
    np.testing.assert_allclose(got, [1.0, 0.5, 0.0])


def _wide(values: dict[tuple[str, int], float]) -> pd.DataFrame:
    index = pd.MultiIndex.from_tuples(list(values), names=["country", "year"])
    return pd.DataFrame({"x": list(values.values())}, index=index)


def test_per_year_and_pooled_scopes() -> None:
    wide = _wide({("A", 2023): 0.0, ("B", 2023): 10.0, ("A", 2024): 5.0, ("B", 2024): 20.0})
    per_year = n.Normaliser(NormaliseSpec(), {"x": 1}).transform(wide)["x"].tolist()
    pooled = n.Normaliser(NormaliseSpec(scope="pooled"), {"x": 1}).transform(wide)["x"].tolist()
    assert per_year == [0.0, 100.0, 0.0, 100.0]
    assert pooled == [0.0, 50.0, 25.0, 100.0]


def test_direction_reverses_scores() -> None:
    wide = _wide({("A", 2024): 1.0, ("B", 2024): 3.0, ("C", 2024): 2.0})
    got = n.Normaliser(NormaliseSpec(), {"x": -1}).transform(wide)["x"].tolist()
    assert got == [100.0, 0.0, 50.0]


def test_distance_to_reference_uses_reference_unit() -> None:
    wide = _wide({("A", 2024): 0.0, ("B", 2024): 5.0, ("C", 2024): 10.0})
    spec = NormaliseSpec(method="distance_to_reference", reference="B")
    assert n.Normaliser(spec, {"x": 1}).transform(wide)["x"].tolist() == [0.0, 1.0, 2.0]


def test_goalposts_without_posts_is_a_clear_error() -> None:
    wide = _wide({("A", 2024): 0.0, ("B", 2024): 5.0})
    with pytest.raises(ComputationError, match=r"needs goalposts for every indicator.*'x'"):
        n.Normaliser(NormaliseSpec(method="goalposts"), {"x": 1}).transform(wide)


def test_per_country_targets() -> None:
    wide = _wide({("A", 2024): 0.0, ("B", 2024): 5.0})
    spec = NormaliseSpec(method="distance_to_target")
    got = n.Normaliser(spec, {"x": 1}, targets={"x": {"A": 10.0, "B": 5.0}}).transform(wide)
    assert got["x"].tolist() == [0.0, 1.0]


def test_transform_does_not_mutate_input() -> None:
    wide = _wide({("A", 2024): 0.0, ("B", 2024): 5.0})
    before = wide.copy()
    n.Normaliser(NormaliseSpec(method="zscore"), {"x": 1}).transform(wide)
    pd.testing.assert_frame_equal(wide, before)


finite = st.floats(-1e6, 1e6, allow_nan=False)
vectors = arrays(np.float64, st.integers(3, 30), elements=finite).filter(lambda v: np.ptp(v) > 1e-3)


@given(vectors, st.floats(0.01, 100), st.floats(-100, 100))
def test_minmax_is_scale_and_shift_invariant(x: np.ndarray, a: float, b: float) -> None:
    np.testing.assert_allclose(n.minmax(a * x + b), n.minmax(x), atol=1e-6)


@given(vectors)
def test_minmax_stays_within_bounds_and_keeps_order(x: np.ndarray) -> None:
    y = n.minmax(x, 1, 100)
    assert np.nanmin(y) >= 1 - 1e-9 and np.nanmax(y) <= 100 + 1e-9
    order = np.argsort(x, kind="stable")
    assert np.all(np.diff(y[order]) >= -1e-9)


@given(vectors, st.integers(-8, 8))
def test_rank_methods_are_scale_invariant(x: np.ndarray, k: int) -> None:
    # scaling by 2**k is exact, so ties stay ties, unless a value underflows into the
    # subnormal range (5e-324 / 2 == 0): the law holds for normal numbers
    assume(np.all((x == 0) | (np.abs(x) > 1e-300)))
    a = 2.0**k
    for func in (n.rank, n.borda, n.percentile_rank):
        np.testing.assert_array_equal(func(a * x), func(x))


@given(vectors)
def test_zscore_has_target_mean_and_sd(x: np.ndarray) -> None:
    y = n.zscore(x, mean=10, sd=2)
    assert np.mean(y) == pytest.approx(10, abs=1e-6)
    assert np.std(y, ddof=1) == pytest.approx(2, rel=1e-6)


# -- transforms, output ranges, aggregate directions ---------------------------------
def _one_indicator(**indicator: object) -> tuple[Framework, pd.DataFrame]:
    fw = Framework(
        aggregates=(Aggregate(code="i", name="I"),),
        indicators=(
            Indicator.model_validate({"code": "a", "name": "A", "parent": "i", **indicator}),
        ),
    )
    idx = pd.MultiIndex.from_tuples([("X", 2024), ("Y", 2024)], names=["country", "year"])
    return fw, pd.DataFrame({"a": [100.0, 1000.0]}, index=idx)


def test_log_transform_applies_to_values_and_goalposts() -> None:
    fw, wide = _one_indicator(transform="log", goalposts={"lower": 10, "upper": 10000})
    spec = NormaliseSpec(method="goalposts", scale=1)
    out = n.Normaliser.for_framework(fw, spec).transform(wide)
    # ln 100 is a third of the way from ln 10 to ln 10000, ln 1000 two thirds
    assert out["a"].tolist() == pytest.approx([1 / 3, 2 / 3])


def test_goalposts_and_distance_to_target_map_onto_a_range() -> None:
    fw, wide = _one_indicator(goalposts={"lower": 0, "upper": 1000}, target={"value": 1000})
    ranged = {"range": {"lower": 1, "upper": 100}}
    posts = NormaliseSpec.model_validate({"method": "goalposts", **ranged})
    target = NormaliseSpec.model_validate({"method": "distance_to_target", **ranged})
    assert n.Normaliser.for_framework(fw, posts).transform(wide)["a"].tolist() == [10.9, 100.0]
    # (x - min) / (target - min): 0 and 1
    assert n.Normaliser.for_framework(fw, target).transform(wide)["a"].tolist() == [1.0, 100.0]


def test_a_range_is_refused_where_it_does_not_apply() -> None:
    # the registry says which settings apply: range only to goalposts and distance_to_target
    with pytest.raises(ValueError, match=r"\['range'\] do not apply to method 'minmax'"):
        NormaliseSpec.model_validate({"method": "minmax", "range": {"lower": 1, "upper": 2}})
    with pytest.raises(ValueError, match="either 'scale'"):
        NormaliseSpec.model_validate(
            {"method": "goalposts", "scale": 1, "range": {"lower": 1, "upper": 2}}
        )


def test_values_outside_the_transform_domain_are_named() -> None:
    fw, wide = _one_indicator(transform="log", goalposts={"lower": 0, "upper": 10000})
    wide.loc[("X", 2024), "a"] = -3.0
    spec = NormaliseSpec(method="goalposts")
    with pytest.raises(ComputationError) as err:
        n.Normaliser.for_framework(fw, spec).transform(wide)
    assert "X 2024 has value -3" in str(err.value)
    assert "the lower goalpost is 0" in str(err.value)


def test_boxcox_needs_lambda() -> None:
    from readiness_index.model.framework import Transform

    with pytest.raises(ValueError, match="needs 'lambda'"):
        Transform(method="boxcox")
    assert Transform.model_validate({"method": "boxcox", "lambda": 0}).lmbda == 0


def test_an_aggregate_with_direction_minus_one_reverses_its_indicators() -> None:
    fw = Framework(
        aggregates=(
            Aggregate(code="i", name="I"),
            Aggregate(code="risk", name="Risk", parent="i", direction=-1),
        ),
        indicators=(
            Indicator(code="hazard", name="H", parent="risk"),
            Indicator(code="cost", name="C", parent="risk", direction=-1),
            Indicator(code="good", name="G", parent="i"),
        ),
    )
    assert fw.directions == {"hazard": -1, "cost": 1, "good": 1}
