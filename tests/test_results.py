"""The result: explain adds up under every aggregation; unknown years and codes are refused."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness_index.engine.pipeline import build
from readiness_index.engine.results import IndexResult, Later
from readiness_index.errors import UnknownCodeError
from readiness_index.model.data import IndicatorData, prepare_data
from readiness_index.model.framework import Denominator, Framework
from readiness_index.model.methodology import LevelAggregateSpec
from readiness_index.steps.aggregate import aggregate_values, contributions

from .conftest import small_framework, small_rows

Small = tuple[Framework, IndicatorData]

METHODS = [
    {"method": "arithmetic"},
    {"method": "geometric"},
    {"method": "harmonic"},
    {"method": "generalised", "p": 3},
    {"method": "generalised", "p": -2},
    {"method": "median"},
    {"method": "copeland"},
]


# -- known answers ---------------------------------------------------------------------------
def test_geometric_contributions_share_the_score_by_weight_times_value() -> None:
    # geometric mean of 1 and 4 (equal weights) is 2; shares 1/5 and 4/5 of it
    spec = LevelAggregateSpec(method="geometric")
    parts = contributions(np.array([[1.0, 4.0]]), np.ones(2), spec)
    np.testing.assert_allclose(parts, [[0.4, 1.6]])


def test_arithmetic_contributions_are_weighted_terms() -> None:
    parts = contributions(np.array([[10.0, 40.0, np.nan]]), np.array([1.0, 3.0, 2.0]),
                          LevelAggregateSpec())  # fmt: skip
    np.testing.assert_allclose(parts, [[2.5, 30.0, np.nan]])


def test_median_contributions_go_to_the_middle_children() -> None:
    spec = LevelAggregateSpec(method="median")
    odd = contributions(np.array([[5.0, 1.0, 3.0]]), np.ones(3), spec)
    np.testing.assert_allclose(odd, [[0.0, 0.0, 3.0]])
    even = contributions(np.array([[5.0, 1.0, 3.0, 9.0]]), np.ones(4), spec)
    np.testing.assert_allclose(even, [[2.5, 0.0, 1.5, 0.0]])  # median 4 = 3/2 + 5/2


def test_copeland_contributions_count_wins_per_child() -> None:
    # unit 0 beats both others on both children (weights 1/2 each): 1 per child
    values = np.array([[3.0, 3.0], [1.0, 2.0], [2.0, 1.0]])
    parts = contributions(values, np.ones(2), LevelAggregateSpec(method="copeland"))
    np.testing.assert_allclose(parts, [[1.0, 1.0], [0.0, 0.5], [0.5, 0.0]])


def test_a_zero_child_contributes_nothing_to_a_geometric_zero() -> None:
    parts = contributions(
        np.array([[0.0, 4.0]]), np.ones(2), LevelAggregateSpec(method="geometric")
    )
    np.testing.assert_array_equal(parts, [[0.0, 0.0]])


# -- every method adds up --------------------------------------------------------------------
@pytest.mark.parametrize("aggregate", METHODS, ids=lambda m: str(m))
def test_explain_adds_up_for_every_method(small: Small, aggregate: dict[str, object]) -> None:
    result = build(*small, {"normalise": {"lower": 1, "upper": 100}, "aggregate": aggregate})
    for country in ("X", "Y", "Z"):
        for code in ("index", "p1", "p2"):
            table = result.explain(country, 2024, code)
            assert table["contribution"].sum() == pytest.approx(table.attrs["score"], rel=1e-12)
        # every indicator's contribution to the index, summed, is the index score
        total = sum(
            result.explain(country, 2024, i).set_index("item").at["contribution to index", "value"]
            for i in "abcd"
        )
        assert total == pytest.approx(result.explain(country, 2024, "index").attrs["score"])


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(METHODS[:-1]),
    st.lists(st.floats(0, 100, allow_nan=False), min_size=12, max_size=12),
    st.lists(st.floats(0.1, 5), min_size=4, max_size=4),
)
def test_contributions_add_up_for_any_values(
    aggregate: dict[str, object], flat: list[float], weights: list[float]
) -> None:
    values = np.array(flat).reshape(3, 4)
    values[values < 1] = np.nan  # some children missing
    spec = LevelAggregateSpec.model_validate(aggregate)
    scores_parts = contributions(values, np.array(weights), spec)
    scores, _ = aggregate_values(values, np.array(weights), spec)
    np.testing.assert_allclose(np.nansum(scores_parts, axis=-1)[~np.isnan(scores)],
                               scores[~np.isnan(scores)], rtol=1e-12, atol=1e-12)  # fmt: skip


# -- unknown codes ---------------------------------------------------------------------------
def test_ranking_and_explain_refuse_unknown_years_and_codes(small: Small) -> None:
    result = build(*small)
    with pytest.raises(UnknownCodeError, match=r"year 1999 is not in the result"):
        result.ranking(1999)
    with pytest.raises(UnknownCodeError, match=r"code 'nope' is not in the framework"):
        result.ranking(2024, "nope")
    with pytest.raises(UnknownCodeError, match=r"country 'QQ'"):
        result.explain("QQ", 2024, "index")
    with pytest.raises(UnknownCodeError, match=r"year 2030"):
        result.explain("X", 2030, "index")
    assert len(result.ranking(2024, "p1")) == 3


# -- the long scores: cells picked by position equal a join of the wide frames ----------------
def _joined(result: IndexResult) -> pd.DataFrame:
    """The scores with data years, denominator years and flags joined on
    ``country, year, code`` from the wide frames (the slow, obvious way)."""
    keys = ["country", "year", "code"]
    out = result.scores[["country", "year", "code", "level", "score", "rank"]]
    frames = {
        "data_year": result.data_years,
        "denominator_year": result.denominator_years,
        "flags": result.flags,
    }
    for name, frame in frames.items():
        if frame.empty:
            out = out.assign(**{name: None})
            continue
        long = frame.rename_axis(columns="code").stack(future_stack=True).rename(name)
        out = out.merge(long.reset_index(), on=keys, how="left")
    for name in ("data_year", "denominator_year"):
        out[name] = out[name].astype("Int64")
    return out.assign(flags=out["flags"].fillna(""))


def _with_denominator() -> Framework:
    """The small framework with indicator ``a`` divided by a population ``pop``."""
    fw = small_framework()
    indicators = [
        i.model_copy(update={"denominator": "pop"}) if i.code == "a" else i for i in fw.indicators
    ]
    pop = Denominator(code="pop", name="Population")
    return Framework(aggregates=fw.aggregates, indicators=tuple(indicators), denominators=(pop,))


def _marked_rows() -> pd.DataFrame:
    """The small rows with a publisher flag, a denominator and a unit screened out."""
    rows = small_rows()
    rows.loc[0, "flag"] = "e"
    extra = rows[rows["indicator"] == "a"].assign(indicator="pop", value=10.0)
    gappy = rows[(rows["country"] == "X")].assign(country="W", value=np.nan)
    return pd.concat([rows, extra, gappy.iloc[:1].assign(value=1.0)], ignore_index=True)


@pytest.mark.parametrize(
    "methodology",
    [
        {},
        {"impute": {"method": "latest"}, "screen": {"method": "missing", "min_coverage": 0.5}},
        {"denominate": {"enabled": True}, "impute": {"method": "mean"}},
        {"editions": {"count": 2, "stale_after": 0}, "treat": {}},
    ],
)
def test_scores_carry_the_cells_a_join_of_the_wide_frames_gives(
    methodology: dict[str, Any],
) -> None:
    fw = _with_denominator()
    result = build(fw, prepare_data(_marked_rows(), fw), methodology)
    assert len(result.datasets["aggregated"]) < len(result.datasets["raw"]) or not methodology.get(
        "screen"
    )
    pd.testing.assert_frame_equal(result.scores, _joined(result), check_exact=True)


def test_asem_scores_carry_the_cells_a_join_of_the_wide_frames_gives(asem: Small) -> None:
    methodology = {"denominate": {"enabled": True}, "impute": {"method": "latest"}, "treat": {}}
    result = build(*asem, methodology)
    pd.testing.assert_frame_equal(result.scores, _joined(result), check_exact=True)


def test_fact_tables_are_made_on_first_read_and_kept() -> None:
    fw = _with_denominator()
    methodology = {"editions": {"count": 2}, "denominate": {"enabled": True}}
    result = build(fw, prepare_data(_marked_rows(), fw), methodology)
    names = ("flags", "data_years", "denominator_years")
    assert all(isinstance(result.__dict__[name], Later) for name in names)  # not made yet
    unmade = pickle.loads(pickle.dumps(result))  # crosses to a worker process unmade
    again = IndexResult(**result.__dict__)  # a result made from another's fields
    tables = {name: getattr(result, name) for name in names}
    for name, table in tables.items():
        assert isinstance(table, pd.DataFrame) and getattr(result, name) is table  # kept
        pd.testing.assert_frame_equal(getattr(unmade, name), table, check_exact=True)
        pd.testing.assert_frame_equal(getattr(again, name), table, check_exact=True)
    assert any("e" in str(flag) for flag in tables["flags"].to_numpy().ravel())  # row 0's flag
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.flags = tables["flags"]  # type: ignore[misc]
