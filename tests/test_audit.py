"""Statistical audit: known answers, textbook values, flags in plain words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from readiness_index.analysis.audit import (
    Thresholds,
    audit,
    cronbach_alpha,
    describe,
    first_component,
    variance_shares,
)
from readiness_index.engine.pipeline import build
from readiness_index.model.data import IndicatorData, prepare_data
from readiness_index.model.framework import Aggregate, Framework, Indicator


# -- descriptive statistics ------------------------------------------------------------------
def test_describe_known_answers() -> None:
    """Excel: SKEW(1,2,3,10) = 1.763633, KURT(1,2,3,10) = 3.228 (type 2)."""
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 10.0, np.nan], "y": [5.0, 5.0, 5.0, 5.0, 5.0]})
    result = describe(frame)
    x = result.loc["x"]
    assert (x["n"], x["availability"], x["min"], x["max"]) == (4, 0.8, 1.0, 10.0)
    assert (x["mean"], x["median"]) == (4.0, 2.5)
    assert x["sd"] == pytest.approx(np.sqrt(50 / 3))  # deviations -3, -2, -1, 6
    assert x["skewness"] == pytest.approx(1.763633, abs=1e-6)
    assert x["kurtosis"] == pytest.approx(3.228, abs=1e-9)
    assert not x["outlier"]  # kurtosis 3.228 < 3.5
    assert np.isnan(result.loc["y", "skewness"])


def test_outlier_flag_needs_both_moments() -> None:
    values = pd.DataFrame({"x": [1.0] * 9 + [100.0]})
    row = describe(values).loc["x"]
    assert row["skewness"] >= 2 and row["kurtosis"] >= 3.5
    assert row["outlier"]
    assert not describe(values, kurt=20.0).loc["x", "outlier"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=4, max_size=40))
def test_moments_are_type_2_as_scipy_unbiased(values: list[float]) -> None:
    x = np.array(values)
    if np.ptp(x) < 1e-3 * max(1.0, np.abs(x).max()):
        return
    row = describe(pd.DataFrame({"x": x})).loc["x"]
    assert row["skewness"] == pytest.approx(stats.skew(x, bias=False), rel=1e-6, abs=1e-9)
    assert row["kurtosis"] == pytest.approx(stats.kurtosis(x, bias=False), rel=1e-6, abs=1e-9)


# -- Cronbach's alpha and PCA ----------------------------------------------------------------
def test_cronbach_alpha_by_hand() -> None:
    """x = 1,2,3,4 and y = 2,1,4,3: var 5/3 each, total 3,3,7,7 with var 16/3.

    alpha = 2 (1 - (10/3) / (16/3)) = 0.75.
    """
    items = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 4.0], [4.0, 3.0]])
    assert cronbach_alpha(items) == pytest.approx(0.75, abs=1e-12)


def test_cronbach_alpha_textbook_forms() -> None:
    """Equals k/(k-1) (1 - trace C / sum C); 1 for identical items; rows with gaps dropped."""
    rng = np.random.default_rng(3)
    items = rng.normal(size=(30, 4)) + rng.normal(size=(30, 1))
    c = np.cov(items, rowvar=False)
    assert cronbach_alpha(items) == pytest.approx(4 / 3 * (1 - np.trace(c) / c.sum()))
    same = np.repeat(items[:, :1], 3, axis=1)
    assert cronbach_alpha(same) == pytest.approx(1.0)
    gappy = items.copy()
    gappy[0, 1] = np.nan
    assert cronbach_alpha(gappy) == pytest.approx(cronbach_alpha(items[1:]))


def _with_correlation(matrix: np.ndarray, n: int = 12) -> np.ndarray:
    """Data whose sample correlation matrix is exactly ``matrix``."""
    z = np.random.default_rng(0).normal(size=(n, len(matrix)))
    z -= z.mean(axis=0)
    q, _ = np.linalg.qr(z)
    return q @ np.linalg.cholesky(matrix).T


def test_standardised_alpha_and_first_component_of_an_equicorrelation() -> None:
    """Textbook: three standardised items correlating at 0.5.

    Eigenvalues 1 + 2r = 2 and 1 - r = 0.5 (twice): the first component explains 2/3,
    loads 1/sqrt(3) on each item, and only one eigenvalue exceeds 1. Standardised
    alpha = k r / (1 + (k - 1) r) = 1.5 / 2 = 0.75.
    """
    r = np.full((3, 3), 0.5) + 0.5 * np.eye(3)
    x = _with_correlation(r)
    share, loadings, above = first_component(x)
    assert share == pytest.approx(2 / 3)
    np.testing.assert_allclose(loadings, np.full(3, 1 / np.sqrt(3)))
    assert above == 1
    standardised = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    assert cronbach_alpha(standardised) == pytest.approx(0.75)


def test_first_component_of_two_variables() -> None:
    """Correlation r = 0.6: eigenvalues 1.6 and 0.4, share 0.8, loadings 1/sqrt(2)."""
    x = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 4.0], [4.0, 3.0]])
    share, loadings, above = first_component(x)
    assert share == pytest.approx(0.8)
    np.testing.assert_allclose(loadings, [2**-0.5, 2**-0.5])
    assert above == 1


# -- effective weights -----------------------------------------------------------------------
def test_variance_shares_by_hand() -> None:
    """I = (x1 + x2) / 2 = 0, 25, 100: Var I = 8125/3; Cov(x1, I) = 2500, Cov(x2, I) = 8750/3.

    Shares 0.5 * 2500 / (8125/3) = 6/13 and 0.5 * (8750/3) / (8125/3) = 7/13.
    """
    x = np.array([[0.0, 0.0], [50.0, 0.0], [100.0, 100.0]])
    shares = variance_shares(x, x.mean(axis=1), np.array([0.5, 0.5]))
    np.testing.assert_allclose(shares, [6 / 13, 7 / 13])


# -- the audit of a build --------------------------------------------------------------------
def _framework() -> Framework:
    return Framework(
        aggregates=(
            Aggregate(code="index", name="Index"),
            Aggregate(code="p1", name="P1", parent="index"),
            Aggregate(code="p2", name="P2", parent="index", weight=3),
        ),
        indicators=(
            Indicator(code="a", name="A", parent="p1"),
            Indicator(code="b", name="B", parent="p1"),
            Indicator(code="c", name="C", parent="p1"),
            Indicator(code="d", name="D", parent="p2"),
            Indicator(code="e", name="E", parent="p2", weight=2),
        ),
    )


def _data(fw: Framework) -> IndicatorData:
    base = np.arange(1.0, 11.0)
    values = {
        "a": base,
        "b": base + np.array([0.1, -0.1] * 5),  # almost a copy of a: r > 0.9
        "c": base[::-1],  # pulls against a and b
        "d": np.array([3.0, 1, 4, 1, 5, 9, 2, 6, 5, 3]),
        "e": np.array([2.0, 7, 1, 8, 2, 8, 1, 8, 2, 8]),
    }
    rows = [
        {"country": f"C{i}", "year": 2024, "indicator": code, "value": v[i]}
        for code, v in values.items()
        for i in range(10)
    ]
    return prepare_data(pd.DataFrame(rows), fw)


@pytest.fixture
def report() -> object:
    fw = _framework()
    return audit(build(fw, _data(fw)))


def test_audit_tables(report: object) -> None:
    from readiness_index.analysis.audit import AuditResult

    assert isinstance(report, AuditResult)
    assert report.year == 2024
    assert report.statistics.index.tolist() == ["a", "b", "c", "d", "e"]
    assert report.correlations.loc["c", "pearson_parent"] < 0
    scores = _scores()
    expected = stats.spearmanr(scores["a"], scores["index"]).statistic
    assert report.correlations.loc["a", "spearman_index"] == pytest.approx(expected)
    pair = report.pairs.set_index(["first", "second"]).loc[("a", "b")]
    assert pair["pearson"] > 0.9
    assert set(report.coherence.index) == {"p1", "p2", "index"}
    assert report.loadings["aggregate"].value_counts().to_dict() == {"p1": 3, "p2": 2, "index": 2}


def _scores() -> pd.DataFrame:
    fw = _framework()
    return build(fw, _data(fw)).datasets["aggregated"].droplevel("year")


def test_nominal_and_effective_weights(report: object) -> None:
    weights = report.weights  # type: ignore[attr-defined]
    # p2 carries 3/4 of the index; e has 2/3 of p2: 1/2; each p1 indicator 1/4 * 1/3
    np.testing.assert_allclose(weights["nominal_weight"], [1 / 12] * 3 + [1 / 4, 1 / 2])
    # no missing values and an arithmetic mean: the decomposition is exact
    assert weights["effective_weight"].sum() == pytest.approx(1.0)
    assert weights["r2_share"].sum() == pytest.approx(1.0)


def test_flags_in_plain_words(report: object) -> None:
    flags = report.flags  # type: ignore[attr-defined]
    messages = " ".join(flags["message"])
    assert "c: correlates negatively" in messages
    assert "a and b in p1 correlate at r = 1.00" in messages
    assert "p1: Cronbach's alpha" in messages
    assert set(flags["check"]) >= {"negative correlation", "high correlation", "coherence"}
    text = report.table()  # type: ignore[attr-defined]
    assert "Flags" in text and "Cronbach" in text


def test_thresholds_change_flags() -> None:
    fw = _framework()
    result = build(fw, _data(fw))
    lenient = audit(result, thresholds=Thresholds(high=1.0, alpha=-10, weight_ratio=1e9))
    assert "high correlation" not in set(lenient.flags["check"])
    assert "coherence" not in set(lenient.flags["check"])


def test_audit_of_asem_finds_the_known_issues(asem: tuple[Framework, IndicatorData]) -> None:
    """COINr's ASEM: TBTs correlates negatively with its pillar; Gas is a textbook outlier."""
    fw, data = asem
    report = audit(build(fw, data))
    assert report.correlations.loc["TBTs", "pearson_parent"] < 0
    assert report.statistics.loc["Gas", "outlier"]
    assert report.statistics.loc["ConSpeed", "availability"] == pytest.approx(43 / 51)
    assert len(report.coherence) == len(fw.aggregates)
