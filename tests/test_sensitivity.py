"""Sensitivity analysis: Sobol' estimators, the Saltelli design and the per-country indices."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

import readiness_index.analysis.montecarlo as engine_module
from readiness_index.analysis.sensitivity import saltelli_blocks, sensitivity, sobol_indices
from readiness_index.errors import AssumptionError
from readiness_index.model.data import IndicatorData
from readiness_index.model.framework import Framework

SPEC = {
    "normalise": [{"method": "minmax", "lower": 1, "upper": 100}, {"method": "rank"}],
    "aggregate": [{"method": "arithmetic"}, {"method": "geometric"}],
    "weights_noise": {1: 0.5, 2: 0.25},
}


def _ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_estimators_match_salib_on_ishigami() -> None:
    """Same estimators as SALib's ``sobol.analyze``, close to the analytic Ishigami values."""
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
    x = sobol_sample.sample(problem, 4096, calc_second_order=False, seed=7)
    y = _ishigami(x)
    a, ab, b = saltelli_blocks(y[:, None], 3)
    first, total = sobol_indices(a, ab, b)
    salib = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=7)
    np.testing.assert_allclose(first[:, 0], salib["S1"], atol=1e-10)
    np.testing.assert_allclose(total[:, 0], salib["ST"], atol=1e-10)
    # analytic: S = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244)
    np.testing.assert_allclose(first[:, 0], [0.314, 0.442, 0.0], atol=0.03)
    np.testing.assert_allclose(total[:, 0], [0.558, 0.442, 0.244], atol=0.03)


def test_constant_output_has_no_indices() -> None:
    a, ab, b = np.ones((4, 1)), np.ones((4, 2, 1)), np.ones((4, 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        first, total = sobol_indices(a, ab, b)
    assert np.isnan(first).all() and np.isnan(total).all()


def test_indices_for_every_country_and_the_mean_shift(
    small: tuple[Framework, IndicatorData],
) -> None:
    fw, data = small
    result = sensitivity(fw, data, None, SPEC, n=64, seed=3, n_bootstrap=50)
    groups = ["normalise", "aggregate", "weights_noise.1", "weights_noise.2"]
    assert result.summary.index.tolist() == groups
    assert set(result.indices["statistic"]) == {"score", "rank", "mean_abs_rank_shift"}
    per_country = result.indices[result.indices["statistic"] == "score"]
    assert sorted(per_country["country"].unique()) == ["X", "Y", "Z"]
    assert result.n_runs == 64 * (len(groups) + 2)
    known = result.indices.dropna(subset=["total"])
    assert (known["total"] >= -0.05).all()
    assert (known["total_low"] <= known["total_high"]).all()
    assert result.convergence["n"].unique().tolist() == [16, 32, 64]
    assert "N = 64" in result.table()


def test_same_seed_same_indices(small: tuple[Framework, IndicatorData]) -> None:
    fw, data = small
    first = sensitivity(fw, data, None, SPEC, n=32, seed=11, n_bootstrap=20)
    again = sensitivity(fw, data, None, SPEC, n=32, seed=11, n_bootstrap=20)
    pd.testing.assert_frame_equal(first.indices, again.indices, check_exact=True)


def test_an_assumption_that_does_nothing_has_zero_indices(
    small: tuple[Framework, IndicatorData],
) -> None:
    """Two identical normalisations cannot explain any variance."""
    fw, data = small
    spec = {
        "normalise": [{"method": "minmax"}, {"method": "minmax", "scope": "per_year"}],
        "weights_noise": {2: 0.5},
    }
    result = sensitivity(fw, data, None, spec, n=64, seed=1, n_bootstrap=20)
    scores = result.indices[result.indices["statistic"] == "score"].set_index(
        ["country", "assumption"]
    )
    np.testing.assert_allclose(scores.xs("normalise", level="assumption")["total"], 0.0, atol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"n": 100}, "power of two"),
        ({"assumptions": {}}, "no assumption varies"),
        ({"assumptions": {"weights": {2: 0.1}}}, "Valid assumption names"),
        ({"confidence": 1.5}, "confidence"),
    ],
)
def test_bad_design_fails_before_running(
    small: tuple[Framework, IndicatorData],
    monkeypatch: pytest.MonkeyPatch,
    kwargs: dict[str, object],
    words: str,
) -> None:
    def forbidden(*args: object, **kw: object) -> None:
        raise AssertionError("a build ran before the design was validated")

    monkeypatch.setattr(engine_module, "build", forbidden)
    fw, data = small
    arguments: dict[str, object] = {"assumptions": SPEC, "n": 64, "seed": 1} | kwargs
    with pytest.raises(AssumptionError, match=words):
        sensitivity(fw, data, None, **arguments)  # type: ignore[arg-type]


def test_failed_runs_are_counted_and_listed_with_their_reason(
    small: tuple[Framework, IndicatorData],
) -> None:
    """A geometric mean of z-scores (negative values) fails where the build refuses it."""
    fw, data = small
    spec = {
        "normalise": [{"method": "minmax", "lower": 1}, {"method": "zscore"}],
        "aggregate": [{"method": "arithmetic"}, {"method": "geometric"}],
    }
    result = sensitivity(fw, data, None, spec, n=32, seed=2, n_bootstrap=10)
    assert result.n_failed == len(result.failures) > 0
    assert result.failures["reason"].str.contains("aggregation 'geometric' needs values >= 0").all()
    assert result.failures["run"].between(1, result.n_runs).all()


# -- running until the intervals are narrow enough --------------------------------------------
def test_doubles_until_the_intervals_are_narrow_enough(
    small: tuple[Framework, IndicatorData],
) -> None:
    fw, data = small
    result = sensitivity(fw, data, None, SPEC, n=16, seed=2, n_bootstrap=100, width=0.6)
    assert result.converged and result.widest <= 0.6
    assert result.rounds["n"].tolist() == [16 * 2**k for k in range(len(result.rounds))]
    assert result.rounds["widest"].iloc[-1] <= 0.6
    assert (result.rounds["widest"].iloc[:-1] > 0.6).all()
    assert result.n == result.rounds["n"].iloc[-1]
    assert "converged: every total-index interval at most 0.6 wide" in result.table()
    # the runs of earlier rounds are kept: the same indices as one design of the final size
    direct = sensitivity(fw, data, None, SPEC, n=result.n, seed=2, n_bootstrap=100)
    pd.testing.assert_frame_equal(result.indices, direct.indices, rtol=1e-9)


def test_says_when_the_budget_ran_out(small: tuple[Framework, IndicatorData]) -> None:
    fw, data = small
    spec = {"weights_noise": {1: 0.9, 2: 0.9}, "exclude_indicator": True}
    result = sensitivity(fw, data, None, spec, n=8, seed=2, n_bootstrap=50, width=0.01, max_n=16)
    assert not result.converged and result.widest > 0.01
    assert result.rounds["n"].tolist() == [8, 16]
    assert result.n_runs == 16 * 5
    assert "NOT converged" in result.table() and "(the budget)" in result.table()


def test_bad_budget_is_refused(small: tuple[Framework, IndicatorData]) -> None:
    fw, data = small
    with pytest.raises(AssumptionError, match="max_n must be a power of two"):
        sensitivity(fw, data, None, SPEC, n=16, width=0.1, max_n=24)
    with pytest.raises(AssumptionError, match="width must be > 0"):
        sensitivity(fw, data, None, SPEC, n=16, width=0.0)
