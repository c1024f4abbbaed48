"""The build: replayable, explainable, deterministic, and monotone where the law says so."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness_index.engine.pipeline import build
from readiness_index.engine.results import STEPS
from readiness_index.errors import ComputationError, MethodologyError
from readiness_index.model.data import IndicatorData, prepare_data
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import Methodology

from .conftest import small_framework, small_rows

Small = tuple[Framework, IndicatorData]


def test_known_answer_for_a_small_index(small: Small) -> None:
    result = build(*small)
    # 2023, indicator a: X 1, Y 3, Z 2 -> 0, 100, 50; b (lower is better): 10, 20, 30 -> 100, 50, 0
    agg = result.datasets["aggregated"].xs(2023, level="year")
    assert agg["a"].tolist() == [0.0, 100.0, 50.0]
    assert agg["b"].tolist() == [100.0, 50.0, 0.0]
    assert agg.loc["X", "p1"] == 50.0
    # p2 for Z: c missing -> d alone (8 is the max): 100
    assert agg.loc["Z", "p2"] == 100.0
    # index: (p1 + 3 p2) / 4
    assert agg.loc["Z", "index"] == pytest.approx((25.0 + 3 * 100.0) / 4)


def test_every_dataset_is_present_and_shaped(small: Small) -> None:
    result = build(*small)
    assert tuple(result.datasets) == STEPS
    for frame in result.datasets.values():
        assert frame.index.names == ["country", "year"]
    assert list(result.scores.columns) == [
        "country", "year", "code", "level", "score", "rank",
        "data_year", "denominator_year", "flags",
    ]  # fmt: skip
    aggregates = result.scores[result.scores["level"] > 1]
    assert aggregates["data_year"].isna().all() and (aggregates["flags"] == "").all()
    assert len(result.scores) == 6 * 7


def test_ranks_are_min_ranks_of_the_scores_per_year_and_code(small: Small) -> None:
    scores = build(*small).scores
    assert scores.loc[scores["score"].isna(), "rank"].isna().all()
    for _, group in scores.dropna(subset=["score"]).groupby(["year", "code"]):
        values = group["score"].to_numpy()
        # rank = 1 + the number of strictly better scores (ties share the minimum rank)
        expected = [1 + int((values > v).sum()) for v in values]
        assert group["rank"].tolist() == expected


def test_rebuild_gives_an_identical_result(small: Small) -> None:
    result = build(
        *small,
        {
            "impute": {"method": "mean"},
            "treat": {},
            "normalise": {"method": "zscore", "scope": "pooled"},
        },
    )
    again = result.rebuild()
    for step in STEPS:
        pd.testing.assert_frame_equal(again.datasets[step], result.datasets[step])
    pd.testing.assert_frame_equal(again.scores, result.scores)
    assert again.record() == result.record()


def test_build_does_not_mutate_the_data(small: Small) -> None:
    before = small[1].long.copy()
    build(*small, {"impute": {"method": "mean"}})
    pd.testing.assert_frame_equal(small[1].long, before)


def test_imputed_cells_are_flagged(small: Small) -> None:
    result = build(*small, {"impute": {"method": "mean"}})
    assert result.flags.loc[("Z", 2023), "c"] == "i"
    assert result.datasets["imputed"].loc[("Z", 2023), "c"] == 5.5
    assert (result.flags.to_numpy() == "i").sum() == 1


def test_explain_contributions_add_up(small: Small) -> None:
    result = build(*small)
    table = result.explain("Y", 2024, "index")
    assert table["contribution"].sum() == pytest.approx(table.attrs["score"])
    steps = result.explain("Y", 2024, "b").set_index("item")["value"]
    assert steps["raw"] == 15.0 and steps["normalised"] == pytest.approx(200 / 3)  # (25-15)/(25-10)
    assert steps["weight share in p1"] == 0.5


def test_geometric_mean_over_a_zero_is_zero(small: Small) -> None:
    # Formerly an error: the geometric mean of a zero child is 0 (the formula's limit).
    # 2023: X has a = 0 (the minimum) and b = 100, so p1 = 0.
    result = build(*small, {"aggregate": {"method": "geometric"}})
    agg = result.datasets["aggregated"].xs(2023, level="year")
    assert agg.loc["X", "p1"] == 0.0
    assert agg.loc["Y", "p1"] == pytest.approx(np.sqrt(100.0 * 50.0))
    shifted = build(
        *small, {"normalise": {"lower": 1, "upper": 100}, "aggregate": {"method": "geometric"}}
    )
    assert shifted.scores["score"].min() >= 1


def test_geometric_mean_over_a_negative_is_an_error_naming_every_score(small: Small) -> None:
    # z-scores are signed: 2023, a: X -1, Y 1, Z 0; b (lower is better): X 1, Y 0, Z -1
    methodology = {"normalise": {"method": "zscore"}, "aggregate": {"method": "geometric"}}
    with pytest.raises(
        ComputationError,
        match=r"'p1' for X in 2023: aggregation 'geometric' "
        r"needs values >= 0; found \{'a': -1.0\}(.|\n)*invalid: missing",
    ):
        build(*small, methodology)


def test_invalid_missing_leaves_the_score_missing_with_a_note(small: Small) -> None:
    methodology = {
        "normalise": {"method": "zscore"},
        "aggregate": {"method": "arithmetic", "by_level": {2: {"method": "geometric",
                                                              "invalid": "missing"}}},
    }  # fmt: skip
    result = build(*small, methodology)
    agg = result.datasets["aggregated"].xs(2023, level="year")
    assert np.isnan(agg.loc["X", "p1"]) and np.isnan(agg.loc["Z", "p1"])
    assert agg.loc["Y", "p1"] == 0.0  # a = 1, b = 0: a zero child gives 0
    notes = result.notes[result.notes["step"] == "aggregate"]
    row = notes[(notes["country"] == "X") & (notes["year"] == 2023)].iloc[0]
    assert row["indicator"] == "p1" and "needs values >= 0" in row["note"]


def test_per_level_aggregation(small: Small) -> None:
    result = build(
        *small, {"aggregate": {"method": "arithmetic", "by_level": {3: {"method": "median"}}}}
    )
    agg = result.datasets["aggregated"].xs(2024, level="year")
    assert agg.loc["X", "index"] == pytest.approx(np.median(agg.loc["X", ["p1", "p2"]]))


def test_bad_methodology_lists_the_problem() -> None:
    with pytest.raises(MethodologyError, match=r"normalise.method.*found 'minmix'"):
        Methodology.from_mapping({"normalise": {"method": "minmix"}})
    with pytest.raises(MethodologyError, match=r"needs 'group'"):
        Methodology.from_mapping({"impute": {"method": "group_mean"}})


def test_methodology_round_trips_and_hashes() -> None:
    m = Methodology.from_mapping({"treat": {}, "weights": {"a": 2.0}})
    assert Methodology.from_mapping(m.to_mapping()) == m
    assert m.content_hash == Methodology.from_mapping(m.to_mapping()).content_hash
    assert m.content_hash != Methodology().content_hash


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["X", "Y", "Z"]), st.sampled_from(["a", "c", "d"]), st.floats(0.1, 50))
def test_improving_a_higher_is_better_indicator_never_lowers_the_score(
    country: str, code: str, bump: float
) -> None:
    fw = small_framework()
    rows = small_rows()
    before = build(fw, prepare_data(rows, fw)).ranking(2024)
    hit = (rows["country"] == country) & (rows["indicator"] == code) & (rows["year"] == 2024)
    rows.loc[hit, "value"] = rows.loc[hit, "value"] + bump
    after = build(fw, prepare_data(rows, fw)).ranking(2024)
    score = dict(zip(before["country"], before["score"], strict=True))[country]
    assert dict(zip(after["country"], after["score"], strict=True))[country] >= score - 1e-9


def test_individual_specs_per_indicator(small: Small) -> None:
    m = {
        "normalise": {"by_indicator": {"a": {"method": "rank"}}},
        "treat": {"by_indicator": {"c": {"method": "none"}}},
    }
    result = build(*small, m)
    normalised = result.datasets["normalised"].xs(2023, level="year")
    assert normalised["a"].tolist() == [1.0, 3.0, 2.0]  # ranks, not min-max
    assert normalised["b"].tolist() == [100.0, 50.0, 0.0]
    assert result.treatment.set_index("indicator").loc["c", "treatment"].tolist() == ["none"] * 2


def test_methodology_naming_unknown_codes_or_levels_fails_before_building(small: Small) -> None:
    m = {
        "normalise": {"by_indicator": {"zz": {"method": "rank"}}},
        "aggregate": {"by_level": {7: {"method": "median"}}},
    }
    with pytest.raises(MethodologyError) as caught:
        build(*small, m)
    assert "'zz'" in str(caught.value) and "level 7" in str(caught.value)


def test_explain_unknown_names_are_clear_errors(small: Small) -> None:
    from readiness_index.errors import UnknownCodeError

    result = build(*small)
    with pytest.raises(UnknownCodeError, match=r"country 'QQ'.*year 1999"):
        result.explain("QQ", 1999, "index")
    with pytest.raises(KeyError, match="code 'zz'"):
        result.explain("X", 2024, "zz")


def test_values_a_step_leaves_missing_are_noted_with_the_reason() -> None:
    from readiness_index.model.framework import Aggregate, Denominator, Indicator

    fw = Framework(
        aggregates=(Aggregate(code="index", name="Index"),),
        indicators=(
            Indicator(code="a", name="A", parent="index", denominator="pop"),
            Indicator(code="c", name="Constant", parent="index"),
        ),
        denominators=(Denominator(code="pop", name="Population"),),
    )
    rows = pd.DataFrame(
        {
            "country": ["X", "Y", "Z"] * 3,
            "year": 2024,
            "indicator": ["a"] * 3 + ["pop"] * 3 + ["c"] * 3,
            "value": [10.0, 20.0, 30.0, 2.0, 0.0, np.nan, 5.0, 5.0, 5.0],
        }
    )
    result = build(fw, prepare_data(rows, fw), {"denominate": {"enabled": True}})
    notes = result.notes.set_index(["step", "country", "indicator"])["note"]
    assert "denominator 'pop' is 0" in notes[("denominate", "Y", "a")]
    assert "denominator 'pop' has no value" in notes[("denominate", "Z", "a")]
    assert "constant indicator" in notes[("normalise", "X", "c")]
    # a: only X keeps a value, so its min-max is undefined too
    assert "constant indicator" in notes[("normalise", "X", "a")]
    assert len(notes) == 2 + 3 + 1


def test_an_unknown_reference_unit_is_refused(small: Small) -> None:
    m = {"normalise": {"method": "distance_to_reference", "reference": "QQ"}}
    with pytest.raises(MethodologyError, match=r"\['QQ'\], which are not units"):
        build(*small, m)
    result = build(*small, {"normalise": {"method": "distance_to_reference", "reference": "Y"}})
    assert result.datasets["normalised"].loc[("Y", 2024), "a"] == 1.0


def test_indicator_contributions_add_up_to_the_index(small: Small) -> None:
    result = build(*small)
    total = 0.0
    for code in result.framework.indicator_codes:
        steps = result.explain("Z", 2024, code).set_index("item")["value"]
        total += float(steps["contribution to index"])
    index = result.datasets["aggregated"].loc[("Z", 2024), "index"]
    assert total == pytest.approx(index)
