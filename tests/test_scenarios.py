"""Scenarios: comparing results, leaving elements out, optimising weights, p-values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import readiness_index as ri
from readiness_index.analysis.correlations import correlation_matrix, correlation_test
from readiness_index.engine.results import IndexResult
from tests.conftest import small_framework, small_rows


@pytest.fixture(scope="module")
def small_result() -> IndexResult:
    fw = small_framework()
    return ri.build(fw, ri.prepare_data(small_rows(), fw))


def test_compare_a_result_with_itself_changes_nothing(small_result: IndexResult) -> None:
    table = ri.compare(small_result, small_result)
    assert set(table["code"]) == {"index", "p1", "p2"}
    assert (table["score_change"] == 0).all() and (table["rank_change"] == 0).all()


def test_compare_reports_the_changes_of_another_weighting(small_result: IndexResult) -> None:
    fw = small_result.framework
    other = ri.build(fw, small_result.data, {"weights": {"p1": 3, "p2": 1}})
    table = ri.compare(small_result, other, year=2024).set_index(["code", "country"])
    a = small_result.ranking(2024).set_index("country")
    b = other.ranking(2024).set_index("country")
    for country in a.index:
        row = table.loc[("index", country)]
        assert row["score_change"] == pytest.approx(b.at[country, "score"] - a.at[country, "score"])
        assert row["rank_change"] == b.at[country, "rank"] - a.at[country, "rank"]
    assert len(ri.compare(small_result, other, indicators=True)) == 3 * (3 + 4)


def test_leaving_an_indicator_out_is_building_without_it(small_result: IndexResult) -> None:
    out = ri.leave_one_out(small_result, level=1, year=2024)
    assert out.ranks.columns.tolist() == ["none", "a", "b", "c", "d"]
    dump = small_result.framework.model_dump()
    dump["indicators"] = [i for i in dump["indicators"] if i["code"] != "c"]
    fw = ri.Framework.model_validate(dump)
    direct = ri.build(fw, ri.prepare_data(small_rows().query("indicator != 'c'"), fw))
    expected = direct.ranking(2024).set_index("country")["score"]
    assert out.scores["c"].to_dict() == pytest.approx(expected.to_dict())
    shift = (out.ranks["c"] - out.ranks["none"]).abs().mean()
    assert out.summary.at["c", "mean_abs_rank_shift"] == pytest.approx(shift)


def test_leaving_a_pillar_out(small_result: IndexResult) -> None:
    out = ri.leave_one_out(small_result, level=2)
    # without p1 the index is p2 alone
    p2 = small_result.ranking(2024, "p2").set_index("country")["score"]
    assert out.scores["p1"].to_dict() == pytest.approx(p2.to_dict())


def test_optimised_weights_balance_the_correlations() -> None:
    result = ri.build()
    opt = ri.optimise_weights(result)
    assert opt.converged
    spread = opt.table["share"].max() - opt.table["share"].min()
    nominal = opt.table["nominal_share"].max() - opt.table["nominal_share"].min()
    assert spread < nominal / 2
    assert sum(opt.weights.values()) == pytest.approx(sum(opt.table["nominal_weight"]))
    # the weights found give those correlations when the index is rebuilt with them
    rebuilt = ri.build(methodology={**result.methodology.to_mapping(), "weights": opt.weights})
    year = rebuilt.years[-1]
    scores = rebuilt.datasets["aggregated"].xs(year, level="year")
    r = scores[opt.table.index].corrwith(scores["index"])
    assert r.to_numpy() == pytest.approx(opt.table["correlation"].to_numpy())


def test_correlation_p_values_match_the_t_test() -> None:
    # r = 0.8 on 4 points: t = 0.8 * sqrt(2 / 0.36) = 1.8856, two-sided p = 0.2 (df 2)
    r, p = correlation_test(np.array([1.0, 2, 3, 4]), np.array([1.0, 3, 2, 4]))
    assert (r, p) == pytest.approx((0.8, 0.2))
    frame = pd.DataFrame({"a": [1.0, 2, 3, 4, np.nan], "b": [1.0, 3, 2, 4, 5], "c": 1.0})
    matrix, pvalues = correlation_matrix(frame)
    assert np.isnan(matrix.at["a", "c"]) and pvalues.at["a", "b"] == pytest.approx(0.2)


def test_the_audit_reports_p_values(small_result: IndexResult) -> None:
    report = ri.audit(small_result, year=2024)
    for column in ("pearson_parent_p", "spearman_index_p"):
        values = report.correlations[column].dropna()
        assert ((values >= 0) & (values <= 1)).all()
    assert {"pearson_p", "spearman_p"} <= set(report.pairs.columns)
