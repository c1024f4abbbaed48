"""Broader robustness: weight sets, random weights, goalposts, thresholds, p, screening,
denomination, per-replication diagnostics.

Each kind of assumption has a hand-computed known answer and a check that every
replication equals the build of the methodology it drew (to 1e-12); laws are
property tests (drawn weights keep each parent's total, so its shares sum to one;
zero-width noise reproduces the nominal result exactly).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness_index.analysis.assumptions import Assumptions
from readiness_index.analysis.montecarlo import prepare
from readiness_index.analysis.uncertainty import uncertainty
from readiness_index.analysis.variants import (
    ThresholdOutcomes,
    dirichlet_weights,
    sibling_groups,
    uniform_weights,
)
from readiness_index.engine.pipeline import build
from readiness_index.errors import AssumptionError
from readiness_index.model.data import IndicatorData, prepare_data
from readiness_index.model.framework import Aggregate, Denominator, Framework, Indicator
from readiness_index.model.methodology import Methodology, TreatSpec
from readiness_index.steps.treat import treat_column

COUNTRIES = [f"C{i}" for i in range(9)]


def _framework(goalposts: bool = False) -> Framework:
    posts = {"lower": 0.0, "upper": 40.0} if goalposts else None
    return Framework(
        aggregates=(
            Aggregate(code="index", name="Index"),
            Aggregate(code="p1", name="P1", parent="index"),
            Aggregate(code="p2", name="P2", parent="index", weight=2),
        ),
        indicators=(
            Indicator(code="a", name="A", parent="p1", goalposts=posts),
            Indicator(code="b", name="B", parent="p1", weight=3, goalposts=posts),
            Indicator(code="c", name="C", parent="p2", denominator="pop", goalposts=posts),
            Indicator(code="d", name="D", parent="p2", goalposts=posts),
        ),
        denominators=(Denominator(code="pop", name="Population"),),
    )


def _data(fw: Framework) -> IndicatorData:
    values = {
        "a": [1, 2, 3, 4, 5, 6, 7, 8, 90],  # an outlier: winsorised or not by the thresholds
        "b": [5, 3, 8, 1, 9, 2, 7, 4, 6],
        "c": [10, 30, 20, 50, 40, 60, 80, 70, None],
        "d": [2, 2, 3, 5, 8, 13, 21, 1, None],
        "pop": [1, 2, 3, 4, 5, 6, 7, 8, 9],
    }
    rows = [
        {"country": c, "year": 2024, "indicator": code, "value": v}
        for code, column in values.items()
        for c, v in zip(COUNTRIES, column, strict=True)
        if v is not None
    ]
    return prepare_data(pd.DataFrame(rows), fw)


@pytest.fixture
def case() -> tuple[Framework, IndicatorData]:
    fw = _framework()
    return fw, _data(fw)


def _index(fw: Framework, data: IndicatorData, methodology: Methodology) -> pd.Series:
    result = build(fw, data, methodology)
    return result.datasets["aggregated"].xs(2024, level="year")["index"]


def _assert_replications_are_builds(
    result: Any, fw: Framework, data: IndicatorData, methodology_of: Any, framework_of: Any = None
) -> None:
    for r in result.parameters.index:
        chosen = methodology_of(r)
        frame = fw if framework_of is None else framework_of(r)
        expected = _index(frame, data, chosen).reindex(result.scores.columns)
        np.testing.assert_allclose(
            result.scores.loc[r].to_numpy(), expected.to_numpy(), rtol=1e-12, atol=1e-12
        )


# -- weight sets -------------------------------------------------------------------------------
def test_each_replication_is_the_build_of_its_weight_set(
    case: tuple[Framework, IndicatorData],
) -> None:
    fw, data = case
    sets = {"nominal": "nominal", "equal": "equal", "pillars": {"p1": 3, "p2": 1}}
    result = uncertainty(fw, data, None, {"weight_sets": sets}, n=30, seed=1)
    drawn = result.parameters["weight_set"].astype(str)
    assert set(drawn) == set(sets)
    _assert_replications_are_builds(result, fw, data, lambda r: Methodology(weights=sets[drawn[r]]))
    # known answer: under "pillars" p1 weighs 3 and p2 1, whatever the framework says
    row = drawn[drawn == "pillars"].index[0]
    assert result.weights.loc[row, ["p1", "p2", "a", "b"]].tolist() == [3.0, 1.0, 1.0, 3.0]


def test_a_weight_set_naming_an_unknown_code_is_refused(
    case: tuple[Framework, IndicatorData],
) -> None:
    fw, data = case
    with pytest.raises(AssumptionError, match=r"weight_sets\.expert"):
        uncertainty(fw, data, None, {"weight_sets": {"expert": {"p9": 2}}}, n=3)


# -- random weights ----------------------------------------------------------------------------
def test_uniform_weights_by_hand() -> None:
    # w = (1, 3), h = 0.5, u = (1, 0.5): drawn (1.5, 3), total 4 kept: (4/3, 8/3)
    w = np.array([[1.0, 3.0, 7.0]])
    uniform_weights(w, np.array([[1.0, 0.5]]), 0.5, np.array([0, 1]))
    np.testing.assert_allclose(w, [[4 / 3, 8 / 3, 7.0]], rtol=1e-15)


def test_dirichlet_weights_by_hand() -> None:
    # equal shares and equal quantiles give equal gamma draws: the shares stay equal;
    # u = 0.5 of a gamma with shape 1 (an exponential) is ln 2 for both
    w = np.array([[2.0, 2.0], [2.0, 2.0]])
    dirichlet_weights(w, np.array([[0.5, 0.5], [0.1, 0.9]]), 2.0, np.array([0, 1]))
    assert w[0].tolist() == [2.0, 2.0]
    # second row: exponential quantiles -ln(0.9) and -ln(0.1), shares of the total 4
    g = np.array([-np.log(0.9), -np.log(0.1)])
    np.testing.assert_allclose(w[1], 4 * g / g.sum(), rtol=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    weights=st.lists(st.floats(0.1, 10), min_size=2, max_size=6),
    width=st.floats(0, 0.99),
    concentration=st.floats(0.5, 1e4),
    seed=st.integers(0, 2**32 - 1),
)
def test_drawn_weights_keep_each_parents_total(
    weights: list[float], width: float, concentration: float, seed: int
) -> None:
    """Law: drawn weights keep the group's total, so the shares sum to one."""
    base = np.tile(np.array(weights), (20, 1))
    unit = np.random.default_rng(seed).random(base.shape)
    group = np.arange(len(weights))
    for draw, parameter in ((uniform_weights, width), (dirichlet_weights, concentration)):
        w = base.copy()
        draw(w, unit, parameter, group)
        shares = w / w.sum(axis=1, keepdims=True)
        np.testing.assert_allclose(shares.sum(axis=1), 1.0, rtol=1e-12)
        np.testing.assert_allclose(w.sum(axis=1), base.sum(axis=1), rtol=1e-12)
        assert (w >= 0).all()  # a tiny Dirichlet share may underflow to 0


def test_zero_width_reproduces_the_nominal_result_exactly(
    case: tuple[Framework, IndicatorData],
) -> None:
    fw, data = case
    spec = {"weights_random": {1: {"distribution": "uniform", "width": 0.0}}}
    noisy = uncertainty(fw, data, None, spec, n=5, seed=3)
    plain = uncertainty(fw, data, None, {}, n=5, seed=3)
    pd.testing.assert_frame_equal(noisy.weights, plain.weights, check_exact=True)
    pd.testing.assert_frame_equal(noisy.scores, plain.scores, check_exact=True)
    assert Assumptions.from_mapping(spec).varied == ()


@pytest.mark.parametrize(
    "draw",
    [{"distribution": "uniform", "width": 0.6}, {"distribution": "dirichlet", "concentration": 8}],
)
def test_random_weights_replicate_their_builds(
    case: tuple[Framework, IndicatorData], draw: dict[str, Any]
) -> None:
    fw, data = case
    result = uncertainty(fw, data, None, {"weights_random": {1: draw, 2: draw}}, n=12, seed=4)
    _assert_replications_are_builds(
        result, fw, data, lambda r: Methodology(weights=result.weights.loc[r].to_dict())
    )
    for parents in (["a", "b"], ["c", "d"], ["p1", "p2"]):  # each parent keeps its total
        nominal = sum(fw.weights[c] for c in parents)
        np.testing.assert_allclose(result.weights[parents].sum(axis=1), nominal, rtol=1e-12)
    assert result.weights[["a", "b", "p1"]].std().gt(0).all()


def test_dirichlet_shares_centre_on_the_nominal_shares(
    case: tuple[Framework, IndicatorData],
) -> None:
    """The mean share of a Dirichlet(c s) draw is s: b's share 3/4 within p1.

    Tolerance: the share's standard deviation is sqrt(s (1 - s) / (c + 1)) = 0.137
    for c = 9; over 2,000 draws the mean's is 0.0031, and 0.015 is about five of them.
    """
    fw, data = case
    spec = {"weights_random": {1: {"distribution": "dirichlet", "concentration": 9}}}
    result = uncertainty(fw, data, None, spec, n=2000, seed=5)
    share = result.weights["b"] / result.weights[["a", "b"]].sum(axis=1)
    assert share.mean() == pytest.approx(0.75, abs=0.015)
    assert share.std() == pytest.approx(np.sqrt(0.75 * 0.25 / 10), rel=0.1)


def test_sibling_groups_follow_the_tree(case: tuple[Framework, IndicatorData]) -> None:
    fw, data = case
    plan = prepare(fw, data, Methodology(), Assumptions())
    codes = plan.tree.codes
    assert [[codes[i] for i in g] for g in sibling_groups(plan.tree, 1)] == [["a", "b"], ["c", "d"]]
    assert [[codes[i] for i in g] for g in sibling_groups(plan.tree, 2)] == [["p1", "p2"]]


# -- goalposts --------------------------------------------------------------------------------
def test_goalposts_move_by_hand_and_replicate_their_builds() -> None:
    fw = _framework(goalposts=True)
    data = _data(fw)
    m = Methodology.from_mapping({"normalise": {"method": "goalposts"}})
    result = uncertainty(fw, data, m, {"goalposts": 0.1}, n=8, seed=6)
    lower, upper = result.parameters["goalposts.a.lower"], result.parameters["goalposts.a.upper"]
    assert lower.between(-4, 4).all() and upper.between(36, 44).all()  # +-10 % of 40
    assert lower.std() > 0

    def framework_of(r: int) -> Framework:
        posts = {
            code: {
                "lower": result.parameters.at[r, f"goalposts.{code}.lower"],
                "upper": result.parameters.at[r, f"goalposts.{code}.upper"],
            }
            for code in "abcd"
        }
        return Framework.model_validate(
            {
                **fw.model_dump(),
                "indicators": [
                    {**i.model_dump(), "goalposts": posts.get(i.code, i.goalposts)}
                    for i in fw.indicators
                ],
            }
        )

    _assert_replications_are_builds(result, fw, data, lambda r: m, framework_of)


def test_goalposts_by_hand() -> None:
    """u = 1 moves the lower post by +10 % of 40 (4) and u = 0 the upper by -4: a's value 3
    scores (3 - 4) / (36 - 4) -> 0 (truncated) and b's 5 scores 1/32 * 100."""
    fw = _framework(goalposts=True)
    m = Methodology.from_mapping({"normalise": {"method": "goalposts"}})
    plan = prepare(fw, _data(fw), m, Assumptions(goalposts=0.1))
    assert plan.dimensions == ("goalposts",) * 8
    unit = np.tile(np.r_[np.ones(4), np.zeros(4)], (1, 1))  # lower posts first, then upper
    draws = plan.draws(unit)
    np.testing.assert_allclose(draws.drawn["goalposts"][0], [[4.0] * 4, [36.0] * 4])
    from readiness_index.analysis.montecarlo import _indicators

    matrix = _indicators(plan, draws, 0)[0]
    row = plan.countries.index("C0")
    np.testing.assert_allclose(matrix[row, :2], [0.0, 1 / 32 * 100])


def test_goalposts_without_goalpost_normalisation_are_refused(
    case: tuple[Framework, IndicatorData],
) -> None:
    fw, data = case
    with pytest.raises(AssumptionError, match="no indicator is normalised with goalposts"):
        uncertainty(fw, data, None, {"goalposts": 0.1}, n=3)


# -- winsorisation thresholds -----------------------------------------------------------------
def test_threshold_outcomes_equal_the_treatment_by_hand() -> None:
    """1..8, 90: skewness 2.97, kurtosis 8.86. With thresholds (2, 3.5) the 90 is
    winsorised to 8; with a skewness threshold of 3 it passes untouched."""
    x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 90])
    outcomes = ThresholdOutcomes(x, TreatSpec())
    assert outcomes.treated(2.0, 3.5)[-1] == 8.0
    assert outcomes.treated(3.0, 3.5)[-1] == 90.0
    assert outcomes.treated(2.0, 9.0)[-1] == 90.0  # kurtosis below its threshold: passes
    rng = np.random.default_rng(0)
    for skew, kurt in zip(rng.uniform(0.1, 4, 200), rng.uniform(-2, 10, 200), strict=True):
        spec = TreatSpec(skew=skew, kurtosis=kurt)
        np.testing.assert_array_equal(outcomes.treated(skew, kurt), treat_column(x, spec)[0])
    # one computation per distinct outcome, at most one per pair of path intervals
    assert len(outcomes._cache) <= (len(outcomes.skews) + 1) * (len(outcomes.kurts) + 1)


def test_drawn_thresholds_replicate_their_builds(case: tuple[Framework, IndicatorData]) -> None:
    fw, data = case
    m = Methodology.from_mapping({"treat": {}})
    spec = {"treat_thresholds": {"skew": [1.0, 4.0], "kurtosis": [1.0, 12.0]}}
    result = uncertainty(fw, data, m, spec, n=25, seed=7)
    skews, kurts = result.parameters["treat_skew"], result.parameters["treat_kurtosis"]
    assert skews.between(1, 4).all() and kurts.between(1, 12).all()

    def methodology_of(r: int) -> Methodology:
        treat = {"skew": skews[r], "kurtosis": kurts[r]}
        return Methodology.from_mapping({"treat": treat})

    _assert_replications_are_builds(result, fw, data, methodology_of)
    assert result.scores.drop_duplicates().shape[0] > 1  # some winsorise, some do not


def test_thresholds_need_a_winsorisation(case: tuple[Framework, IndicatorData]) -> None:
    fw, data = case
    with pytest.raises(AssumptionError, match="must be 'winsorise'"):
        uncertainty(fw, data, None, {"treat_thresholds": {"skew": [1, 3]}}, n=3)


# -- generalised mean p -----------------------------------------------------------------------
def test_drawn_p_replicates_its_builds(case: tuple[Framework, IndicatorData]) -> None:
    fw, data = case
    m = Methodology.from_mapping(
        {"normalise": {"lower": 1, "upper": 100}, "aggregate": {"method": "generalised", "p": 2}}
    )
    result = uncertainty(fw, data, m, {"generalised_p": [0.5, 4]}, n=10, seed=8)
    p = result.parameters["generalised_p"]
    assert p.between(0.5, 4).all() and p.std() > 0
    _assert_replications_are_builds(
        result,
        fw,
        data,
        lambda r: m.model_copy(
            update={"aggregate": m.aggregate.model_copy(update={"p": float(p[r])})}
        ),
    )


def test_p_by_hand(case: tuple[Framework, IndicatorData]) -> None:
    """u = 0.5 in [1, 3] gives p = 2."""
    fw, data = case
    m = Methodology.from_mapping({"aggregate": {"method": "generalised", "p": 5}})
    plan = prepare(fw, data, m, Assumptions(generalised_p={"low": 1, "high": 3}))
    assert plan.draws(np.array([[0.5]])).drawn["p"].tolist() == [2.0]


def test_p_range_must_keep_one_sign_and_a_generalised_mean(
    case: tuple[Framework, IndicatorData],
) -> None:
    fw, data = case
    with pytest.raises(AssumptionError, match="one sign"):
        uncertainty(fw, data, None, {"generalised_p": [-1, 2]}, n=3)
    with pytest.raises(AssumptionError, match="generalised mean"):
        uncertainty(fw, data, None, {"generalised_p": [1, 2]}, n=3)


# -- screening and denomination ---------------------------------------------------------------
def test_screening_alternatives_replicate_their_builds(
    case: tuple[Framework, IndicatorData],
) -> None:
    fw, data = case
    screens = [{"method": "none"}, {"method": "missing", "min_coverage": 1.0}]
    result = uncertainty(fw, data, None, {"screen": screens}, n=12, seed=9)
    codes = result.parameters["screen"].cat.codes
    assert "C8" in result.scores.columns
    _assert_replications_are_builds(
        result, fw, data, lambda r: Methodology.from_mapping({"screen": screens[codes[r]]})
    )
    strict = codes == 1
    assert strict.any() and result.scores.loc[strict, "C8"].isna().all()  # C8 lacks c and d
    assert result.scores.loc[~strict, "C8"].notna().all()


def test_denomination_alternatives_replicate_their_builds(
    case: tuple[Framework, IndicatorData],
) -> None:
    fw, data = case
    result = uncertainty(fw, data, None, {"denominate": [True, False]}, n=10, seed=10)
    drawn = result.parameters["denominate"].astype(str)
    assert set(drawn) == {"enabled", "disabled"}
    _assert_replications_are_builds(
        result,
        fw,
        data,
        lambda r: Methodology.from_mapping({"denominate": {"enabled": drawn[r] == "enabled"}}),
    )


# -- diagnostics ------------------------------------------------------------------------------
def test_parameters_record_every_draw_and_failure(case: tuple[Framework, IndicatorData]) -> None:
    fw, data = case
    spec = {
        "weight_sets": {"nominal": "nominal", "equal": "equal"},
        "aggregate": [{"method": "arithmetic"}, {"method": "geometric"}],
        "normalise": [{"method": "minmax"}, {"method": "zscore"}],
        "treat_thresholds": {"skew": [1, 3]},
        "treat": [{"method": "winsorise"}],
    }
    result = uncertainty(fw, data, None, spec, n=40, seed=11)
    table = result.parameters
    for column in ("weight_set", "aggregate", "normalise", "treat_skew", "failed", "reason"):
        assert column in table.columns
    nominal = result.rank_stats["nominal_rank"]
    for r in table.index[:5]:  # by hand: mean |rank - nominal| over the ranked countries
        shift = (result.ranks.loc[r] - nominal).abs().dropna()
        expected = shift.mean() if len(shift) else np.nan
        np.testing.assert_allclose(table.at[r, "mean_abs_rank_shift"], expected)
    failed = table["failed"]
    assert failed.any()  # a geometric mean of z-scores
    assert table.loc[failed, "mean_abs_rank_shift"].isna().all()
    assert table.loc[failed, "reason"].str.contains("geometric").all()
    assert (table.loc[~failed, "reason"] == "").all()


# -- statistics ---------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(
        st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6)), min_size=3, max_size=3),
        min_size=1,
        max_size=40,
    )
)
def test_nan_quantiles_are_numpys_to_the_last_bit(values: list[list[float | None]]) -> None:
    from readiness_index.analysis.uncertainty import nan_quantiles

    x = np.array(values, dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy warns of an all-NaN column
        want = np.nanquantile(x, [0.05, 0.5, 0.95], axis=0)
    np.testing.assert_array_equal(nan_quantiles(x, (0.05, 0.5, 0.95)), want)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.sampled_from([0.0, -0.0, 1.0, 2.5, np.inf, -np.inf]),
                st.floats(-1e3, 1e3),
            ),
            min_size=1,
            max_size=12,
        ),
        min_size=1,
        max_size=5,
    ).filter(lambda rows: len({len(r) for r in rows}) == 1)
)
def test_ranks_are_scipys_min_ranks(values: list[list[float | None]]) -> None:
    from scipy.stats import rankdata

    from readiness_index.analysis.replicate import rank_descending
    from readiness_index.engine.ranking import descending_ranks

    x = np.array(values, dtype=np.float64)
    want = rankdata(-x, method="min", axis=-1, nan_policy="omit")
    np.testing.assert_array_equal(rank_descending(x), np.asarray(want, dtype=np.float64))
    # the build's ranks are the same, as integers with 0 for a missing score
    ranks = descending_ranks(x)
    np.testing.assert_array_equal(ranks, np.nan_to_num(np.asarray(want, dtype=float)))
    assert ranks.dtype == np.int64


# -- only the analysed year is built when no step looks at other years -------------------------
@pytest.mark.parametrize("year", [None, 2023])
def test_building_only_the_analysed_year_changes_nothing(
    small: tuple[Framework, IndicatorData], year: int | None
) -> None:
    from readiness_index.analysis.early import analysed_data

    fw, data = small
    spec = {
        "normalise": [{"method": "minmax", "lower": 1}, {"method": "zscore"}],
        "impute": [{"method": "mean"}, {"method": "median"}],
        "treat": [{"method": "winsorise"}, {"method": "none"}],
        "weights_noise": {1: 0.3},
    }
    kept = analysed_data(data, Methodology(), Assumptions.from_mapping(spec), year)
    assert kept.years == [year or 2024]
    short = uncertainty(fw, data, None, spec, n=40, seed=12, year=year)
    whole = uncertainty(fw, data, None, spec, n=40, seed=12, year=year, nominal=build(fw, data))
    pd.testing.assert_frame_equal(short.scores, whole.scores, rtol=1e-12)
    pd.testing.assert_frame_equal(short.rank_stats, whole.rank_stats, rtol=1e-12)


def test_a_step_across_years_keeps_every_year(small: tuple[Framework, IndicatorData]) -> None:
    from readiness_index.analysis.early import analysed_data

    _, data = small
    for spec in (
        {"impute": [{"method": "latest"}]},
        {"normalise": [{"method": "minmax", "scope": "pooled"}]},
    ):
        kept = analysed_data(data, Methodology(), Assumptions.from_mapping(spec), None)
        assert kept.years == [2023, 2024]
    editions = Methodology.from_mapping({"editions": {"count": 1}})
    assert analysed_data(data, editions, Assumptions(), None).years == [2023, 2024]


def test_every_kind_at_once_replicates_its_builds() -> None:
    """Screening, denomination, imputation, five normalisations, drawn thresholds and
    goalposts together: each replication is the build of what it drew."""
    fw = _framework(goalposts=True)
    data = _data(fw)
    screens = [{"method": "none"}, {"method": "missing", "min_coverage": 1.0}]
    norms = [{"method": m} for m in ("rank", "percentile_rank", "goalposts", "zscore", "borda")]
    imputes = [{"method": "none"}, {"method": "mean"}]
    spec = {
        "screen": screens,
        "normalise": norms,
        "impute": imputes,
        "denominate": [True, False],
        "treat": [{"method": "winsorise"}],
        "treat_thresholds": {"skew": [1.0, 4.0], "kurtosis": [1.0, 12.0]},
        "goalposts": 0.2,
    }
    result = uncertainty(fw, data, None, spec, n=40, seed=3)
    drawn = result.parameters
    code = {name: drawn[name].cat.codes for name in ("screen", "normalise", "impute")}

    def methodology_of(r: int) -> Methodology:
        return Methodology.from_mapping(
            {
                "screen": screens[code["screen"][r]],
                "normalise": norms[code["normalise"][r]],
                "impute": imputes[code["impute"][r]],
                "denominate": {"enabled": drawn.at[r, "denominate"] == "enabled"},
                "treat": {
                    "skew": drawn.at[r, "treat_skew"],
                    "kurtosis": drawn.at[r, "treat_kurtosis"],
                },
            }
        )

    def framework_of(r: int) -> Framework:
        posts = {
            c: {k: drawn.at[r, f"goalposts.{c}.{k}"] for k in ("lower", "upper")} for c in "abcd"
        }
        dump = fw.model_dump()
        dump["indicators"] = [{**i, "goalposts": posts[i["code"]]} for i in dump["indicators"]]
        return Framework.model_validate(dump)

    _assert_replications_are_builds(result, fw, data, methodology_of, framework_of)
    assert drawn[["screen", "normalise", "impute", "denominate"]].drop_duplicates().shape[0] > 10


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(
        st.lists(
            st.one_of(st.none(), st.sampled_from([0.0, 1.0]), st.floats(-100, 100)),
            min_size=3,
            max_size=3,
        ),
        min_size=1,
        max_size=8,
    ),
    weights=st.lists(
        st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0]), min_size=3, max_size=3).filter(any),
        min_size=1,
        max_size=4,
    ),
)
def test_copeland_under_many_weights_is_copeland_under_each(
    values: list[list[float | None]], weights: list[list[float]]
) -> None:
    """Law: the shared evaluation (one outranking count, many weight vectors) equals the
    registered Copeland function under each weight vector."""
    from readiness_index.steps.aggregate import _copeland_shared, copeland

    x = np.array(values, dtype=np.float64)
    w = np.array(weights)
    want = np.stack([copeland(x, row) for row in w])
    np.testing.assert_allclose(_copeland_shared(x, w), want, rtol=1e-12, atol=1e-12)


def test_no_more_processes_than_batches(
    case: tuple[Framework, IndicatorData], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large n_jobs starts as many processes as there are batches, not n_jobs."""
    import readiness_index.analysis.montecarlo as engine

    started: list[int] = []

    class Recorder(engine.Parallel):  # type: ignore[misc,name-defined]
        def __init__(self, n_jobs: int, **kwargs: Any) -> None:
            started.append(n_jobs)
            super().__init__(n_jobs=1, **kwargs)

    monkeypatch.setattr(engine, "Parallel", Recorder)
    fw, data = case
    uncertainty(fw, data, None, {"weights_noise": {1: 0.2}}, n=30, batch_size=10, n_jobs=1000)
    assert started == [3]
