"""The uncertainty engine replicates the build: same registered steps, same rules.

A hypothesis test draws frameworks, data (signed values, zeros, missing values),
weights and methodologies, and checks that every replication equals the build of its
own methodology to 1e-12, and that a replication whose methodology the build refuses
is counted as failed, with a reason, and never altered.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness_index.analysis.replicate import aggregate_batch, tree_of
from readiness_index.analysis.uncertainty import uncertainty
from readiness_index.engine.pipeline import build
from readiness_index.errors import ComputationError
from readiness_index.model.data import IndicatorData, prepare_data
from readiness_index.model.framework import Aggregate, Framework, Indicator
from readiness_index.model.methodology import LevelAggregateSpec, Methodology

VALUES = st.one_of(
    st.sampled_from([0.0, 0.0, -1.0, 1.0, None, None]),
    st.floats(-50, 100, allow_nan=False).map(lambda v: round(v, 3)),
)
AGGREGATES = st.one_of(
    st.sampled_from(["arithmetic", "geometric", "harmonic", "median", "copeland"]).map(
        lambda m: {"method": m}
    ),
    st.sampled_from([-1.0, 0.5, 2.0, 3.0]).map(lambda p: {"method": "generalised", "p": p}),
)
NORMALISATIONS = st.sampled_from(
    [
        {"method": "none"},
        {"method": "minmax"},
        {"method": "minmax", "lower": 1, "upper": 100},
        {"method": "zscore"},
        {"method": "rank"},
    ]
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Framework, IndicatorData]:
    n_ind = draw(st.integers(2, 5))
    countries = [f"C{c}" for c in range(draw(st.integers(2, 6)))]
    weights = draw(st.lists(st.sampled_from([0.5, 1.0, 2.0]), min_size=n_ind, max_size=n_ind))
    fw = Framework(
        aggregates=(
            Aggregate(code="index", name="Index"),
            Aggregate(code="p0", name="P0", parent="index"),
            Aggregate(code="p1", name="P1", parent="index", weight=draw(st.sampled_from([1, 3]))),
        ),
        indicators=tuple(
            Indicator(code=f"i{j}", name=f"I{j}", parent=f"p{j % 2}", weight=weights[j])
            for j in range(n_ind)
        ),
    )
    rows = [
        {"country": c, "year": 2024, "indicator": f"i{j}", "value": draw(VALUES)}
        for c in countries
        for j in range(n_ind)
    ]
    frame = pd.DataFrame(rows).dropna(subset=["value"])
    present = set(frame["indicator"])
    for j in range(n_ind):  # every indicator keeps at least one value
        if f"i{j}" not in present:
            frame.loc[len(frame) + 100 + j] = {
                "country": countries[0],
                "year": 2024,
                "indicator": f"i{j}",
                "value": 1.0,
            }
    return fw, prepare_data(frame.reset_index(drop=True), fw)


@st.composite
def aggregations(draw: st.DrawFn) -> dict[str, Any]:
    spec = dict(draw(AGGREGATES))
    spec["min_coverage"] = draw(st.sampled_from([None, 0.5, 1.0]))
    spec["invalid"] = draw(st.sampled_from(["error", "missing"]))
    if draw(st.booleans()):
        spec["by_level"] = {3: {**draw(AGGREGATES), "invalid": spec["invalid"]}}
    return spec


def _index(fw: Framework, data: IndicatorData, methodology: Methodology) -> np.ndarray | None:
    """The build's index scores in 2024, or ``None`` when the build refuses."""
    try:
        result = build(fw, data, methodology)
    except ComputationError:
        return None
    return result.datasets["aggregated"].xs(2024, level="year")["index"].to_numpy()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(case=cases(), normalise=NORMALISATIONS, alternative=aggregations(), seed=st.integers(0, 99))
def test_every_replication_is_its_build_or_fails_where_the_build_refuses(
    case: tuple[Framework, IndicatorData],
    normalise: dict[str, Any],
    alternative: dict[str, Any],
    seed: int,
) -> None:
    fw, data = case
    nominal = Methodology.from_mapping({"normalise": normalise})  # arithmetic: always computes
    chosen = nominal.model_copy(update={"aggregate": Methodology.from_mapping(
        {"aggregate": alternative}).aggregate})  # fmt: skip
    result = uncertainty(
        fw, data, nominal, {"aggregate": [{"method": "arithmetic"}, alternative]}, n=6, seed=seed
    )
    expected = {0: _index(fw, data, nominal), 1: _index(fw, data, chosen)}
    assert expected[0] is not None
    picks = result.parameters["aggregate"].cat.codes
    for r in result.parameters.index:
        want = expected[int(picks[r])]
        got = result.scores.loc[r].to_numpy()
        if want is None:  # the build refuses: the replication failed, with a reason
            assert result.parameters.at[r, "failed"]
            assert "needs values" in result.parameters.at[r, "reason"]
            assert np.isnan(got).all()
        else:
            assert not result.parameters.at[r, "failed"]
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    assert result.n_failed == sum(expected[int(p)] is None for p in picks)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    case=cases(),
    normalise=NORMALISATIONS,
    alternative=aggregations(),
    noise=st.sampled_from([0.0, 0.3, 0.9]),
    p=st.sampled_from([None, (0.5, 3.0), (-2.0, -0.5)]),
    seed=st.integers(0, 99),
)
def test_drawn_weights_and_p_replicate_their_builds(
    case: tuple[Framework, IndicatorData],
    normalise: dict[str, Any],
    alternative: dict[str, Any],
    noise: float,
    p: tuple[float, float] | None,
    seed: int,
) -> None:
    """Weight sets, renormalised random weights and a drawn ``p`` under every aggregation
    (median and Copeland included): each replication is the build of what it drew."""
    fw, data = case
    nominal = Methodology.from_mapping({"normalise": normalise})
    generalised = {"method": "generalised", "p": 2.0, "invalid": alternative["invalid"]}
    spec: dict[str, Any] = {
        "aggregate": [alternative, generalised],
        "weight_sets": {"nominal": "nominal", "equal": "equal"},
        "weights_random": {
            1: {"distribution": "uniform", "width": noise},
            2: {"distribution": "dirichlet", "concentration": 5.0},
        },
    }
    if p is not None:
        spec["generalised_p"] = list(p)
    result = uncertainty(fw, data, nominal, spec, n=6, seed=seed)
    picks = result.parameters["aggregate"].cat.codes
    for r in result.parameters.index:
        aggregate = dict(spec["aggregate"][int(picks[r])])
        if p is not None:  # the drawn p is that of every generalised mean, at every level
            drawn = float(result.parameters.at[r, "generalised_p"])
            aggregate = _with_p(aggregate, drawn)
            levels = aggregate.get("by_level", {})
            aggregate["by_level"] = {lv: _with_p(s, drawn) for lv, s in levels.items()}
        chosen = nominal.model_copy(
            update={
                "aggregate": Methodology.from_mapping({"aggregate": aggregate}).aggregate,
                "weights": result.weights.loc[r].to_dict(),
            }
        )
        want = _index(fw, data, chosen)
        got = result.scores.loc[r].to_numpy()
        if want is None:
            assert result.parameters.at[r, "failed"]
            assert np.isnan(got).all()
        else:
            assert not result.parameters.at[r, "failed"]
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def _with_p(spec: dict[str, Any], p: float) -> dict[str, Any]:
    return {**spec, "p": p} if spec["method"] == "generalised" else spec


# -- known answers: the two bugs of the former engine -----------------------------------------
def _two_indicators() -> Framework:
    return Framework(
        aggregates=(Aggregate(code="index", name="I"),),
        indicators=(
            Indicator(code="a", name="A", parent="index"),
            Indicator(code="b", name="B", parent="index"),
        ),
    )


def test_a_harmonic_mean_over_a_negative_fails_instead_of_becoming_one() -> None:
    # Formerly the negative value was replaced by 1 and the replication counted as computed.
    x = np.array([[-2.0, 4.0], [1.0, 4.0]])
    values, failure = aggregate_batch(
        tree_of(_two_indicators()), x, np.ones((1, 3)), {2: LevelAggregateSpec(method="harmonic")}
    )
    assert failure.tolist() == [[2, 0]] and np.isnan(values).all()


def test_a_generalised_mean_over_a_zero_computes_as_the_build_does() -> None:
    # Formerly every replication failed: sqrt((0^2 + 4^2) / 2) = sqrt(8)
    x = np.array([[0.0, 4.0]])
    spec = LevelAggregateSpec(method="generalised", p=2)
    values, failure = aggregate_batch(tree_of(_two_indicators()), x, np.ones((1, 3)), {2: spec})
    assert failure.tolist() == [[-1, -1]]
    assert values[0, 0, 0] == pytest.approx(np.sqrt(8))


def test_invalid_missing_leaves_the_replication_computed() -> None:
    x = np.array([[-2.0, 4.0], [1.0, 4.0]])
    spec = LevelAggregateSpec(method="geometric", invalid="missing")
    values, failure = aggregate_batch(tree_of(_two_indicators()), x, np.ones((1, 3)), {2: spec})
    assert failure.tolist() == [[-1, -1]]
    assert np.isnan(values[0, 0, 0]) and values[0, 1, 0] == pytest.approx(2.0)
