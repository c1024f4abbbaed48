"""Distance to target and trajectory, on hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from readiness_index.analysis.targets import (
    TARGET_COLUMNS,
    cagr,
    distance_to_target,
    relative_target,
    status_counts,
    trajectory_status,
)
from readiness_index.errors import DataValidationError
from readiness_index.model.data import IndicatorData, prepare_data
from readiness_index.model.framework import Aggregate, Framework, Indicator, Target
from readiness_index.model.methodology import Methodology

FRAMEWORK = Framework(
    aggregates=(Aggregate(code="index", name="Index"),),
    indicators=(
        Indicator(code="skills", name="Skills", parent="index",
                  target=Target(value=80, year=2030, policy="Digital Decade")),
        Indicator(code="carbon", name="Carbon", parent="index", direction=-1,
                  target=Target(value={"AT": 100.0, "PL": 400.0}, year=2030)),
        Indicator(code="compute", name="Compute", parent="index"),
    ),
)  # fmt: skip


def data(records: list[tuple[str, int, str, float]]) -> IndicatorData:
    frame = pd.DataFrame(records, columns=["country", "year", "indicator", "value"])
    return prepare_data(frame, FRAMEWORK)


RECORDS: list[tuple[str, int, str, float]] = [
    # skills: AT grows 50 -> 60 in 5 years; BE 60 -> 75 in 2 years; CZ one point only
    ("AT", 2020, "skills", 50.0), ("AT", 2025, "skills", 60.0),
    ("BE", 2023, "skills", 60.0), ("BE", 2025, "skills", 75.0),
    ("CZ", 2025, "skills", 70.0),
    # carbon (lower is better): AT 200 -> 150 over 2 years; PL 700 -> 690 over 2 years
    ("AT", 2022, "carbon", 200.0), ("AT", 2024, "carbon", 150.0),
    ("PL", 2022, "carbon", 700.0), ("PL", 2024, "carbon", 690.0),
    ("AT", 2023, "compute", 10.0), ("AT", 2025, "compute", 40.0), ("BE", 2025, "compute", 0.0),
]  # fmt: skip
DATA = data(RECORDS)
#: The shipped methodology's rule: a value more than two years behind its edition is stale.
STALE = Methodology.from_mapping({"editions": {"stale_after": 2}})


def row(table: pd.DataFrame, country: str, indicator: str) -> pd.Series:
    match = table.loc[(table["country"] == country) & (table["indicator"] == indicator)]
    assert len(match) == 1
    return match.iloc[0]


def test_columns_and_rows() -> None:
    table = distance_to_target(FRAMEWORK, DATA)
    assert tuple(table.columns) == TARGET_COLUMNS
    # compute has no target in the framework; carbon only for the countries given
    assert sorted(zip(table["country"], table["indicator"], strict=True)) == [
        ("AT", "carbon"), ("AT", "skills"), ("BE", "skills"), ("CZ", "skills"), ("PL", "carbon"),
    ]  # fmt: skip


def test_off_track_by_hand() -> None:
    at = row(distance_to_target(FRAMEWORK, DATA), "AT", "skills")
    # required (80/60)^(1/5) - 1 = 0.059224; observed (60/50)^(1/5) - 1 = 0.037137
    assert at["gap"] == 20.0 and at["latest_year"] == 2025 and at["target_year"] == 2030
    assert at["required_cagr"] == pytest.approx(0.0592238, abs=1e-6)
    assert at["observed_cagr"] == pytest.approx(0.0371372, abs=1e-6)
    assert at["status"] == "off track"


def test_on_track_by_hand() -> None:
    be = row(distance_to_target(FRAMEWORK, DATA), "BE", "skills")
    # required (80/75)^(1/5) - 1 = 0.012991; observed (75/60)^(1/2) - 1 = 0.118034
    assert be["required_cagr"] == pytest.approx(0.0129914, abs=1e-6)
    assert be["observed_cagr"] == pytest.approx(0.1180340, abs=1e-6)
    assert be["status"] == "on track"


def test_one_point_is_no_trend() -> None:
    cz = row(distance_to_target(FRAMEWORK, DATA), "CZ", "skills")
    assert math.isnan(cz["observed_cagr"]) and cz["status"] == "no trend"
    assert cz["gap"] == 10.0


def test_lower_is_better_by_hand() -> None:
    table = distance_to_target(FRAMEWORK, DATA)
    at, pl = row(table, "AT", "carbon"), row(table, "PL", "carbon")
    # AT: required (100/150)^(1/6) - 1 = -0.065345; observed (150/200)^(1/2) - 1 = -0.133975
    assert at["gap"] == -50.0
    assert at["required_cagr"] == pytest.approx(-0.0653447, abs=1e-6)
    assert at["observed_cagr"] == pytest.approx(-0.1339746, abs=1e-6)
    assert at["status"] == "on track"  # falling faster than needed
    # PL: required (400/690)^(1/6) - 1 = -0.086865; observed (690/700)^(1/2) - 1 = -0.007168
    assert pl["required_cagr"] == pytest.approx(-0.0868647, abs=1e-6)
    assert pl["status"] == "off track"


def test_national_targets_replace_the_eu_target() -> None:
    national = pd.DataFrame(
        {"country": ["AT"], "indicator": ["skills"], "target": [65.0], "target_year": [2027]}
    )
    at = row(distance_to_target(FRAMEWORK, DATA, national=national), "AT", "skills")
    # required (65/60)^(1/2) - 1 = 0.040833 > observed 0.037137
    assert (at["target"], at["target_year"], at["gap"]) == (65.0, 2027, 5.0)
    assert at["required_cagr"] == pytest.approx(0.0408330, abs=1e-6)
    assert at["status"] == "off track"
    be = row(distance_to_target(FRAMEWORK, DATA, national=national), "BE", "skills")
    assert be["target"] == 80.0  # the EU-wide target still applies to the others


def test_national_targets_need_their_columns() -> None:
    with pytest.raises(DataValidationError, match=r"missing \['target_year'\]"):
        distance_to_target(
            FRAMEWORK, DATA, national=pd.DataFrame(columns=["country", "indicator", "target"])
        )


def test_window_limits_the_history() -> None:
    extra = data([*RECORDS, ("AT", 2010, "skills", 10.0)])
    full = row(distance_to_target(FRAMEWORK, extra), "AT", "skills")
    recent = row(distance_to_target(FRAMEWORK, extra, window=5), "AT", "skills")
    assert full["observed_cagr"] == pytest.approx(6 ** (1 / 15) - 1)
    assert recent["observed_cagr"] == pytest.approx(1.2 ** (1 / 5) - 1)


def test_relative_target_declared_in_the_framework() -> None:
    tripled = Target(factor=3, year=2030, policy="Blueprint x3")
    at = row(distance_to_target(FRAMEWORK, DATA, targets={"compute": tripled}), "AT", "compute")
    # target 3 x 40 = 120; required 3^(1/5) - 1 = 0.245731; observed (40/10)^(1/2) - 1 = 1.0
    assert at["target"] == 120.0 and at["gap"] == 80.0
    assert at["required_cagr"] == pytest.approx(0.2457309, abs=1e-6)
    assert (at["first_year"], at["latest_year"]) == (2023, 2025)
    assert at["status"] == "on track"
    table = distance_to_target(FRAMEWORK, DATA, targets={"compute": tripled})
    assert "BE" not in set(table.loc[table["indicator"] == "compute", "country"])  # 0 x 3
    doubled = relative_target(DATA, "compute", factor=2, target_year=2030, baseline_year=2023)
    assert doubled.value == {"AT": 20.0}


def test_a_target_needs_a_value_or_a_factor() -> None:
    with pytest.raises(ValueError, match="either 'value'"):
        Target(year=2030)
    with pytest.raises(ValueError, match="not both"):
        Target(value=1.0, factor=2.0)


def test_a_closed_gap_is_reached() -> None:
    # BE has 75 and the target is 70: reached, whatever the trend
    framework = FRAMEWORK.model_copy(update={"indicators": (
        Indicator(code="skills", name="Skills", parent="index", target=Target(value=70, year=2030)),
        *FRAMEWORK.indicators[1:])})  # fmt: skip
    be = row(distance_to_target(framework, DATA), "BE", "skills")
    assert be["gap"] == -5.0 and be["status"] == "reached"
    # lower is better: AT carbon 150 against a target of 160 is reached
    at = row(distance_to_target(FRAMEWORK, DATA, national=pd.DataFrame(
        {"country": ["AT"], "indicator": ["carbon"], "target": [160.0], "target_year": [2030]})),
        "AT", "carbon")  # fmt: skip
    assert at["status"] == "reached"


def test_old_data_gets_no_verdict() -> None:
    # AT carbon: latest 2024; in the 2027 edition it is three years old
    fresh = row(distance_to_target(FRAMEWORK, DATA, year=2026, methodology=STALE), "AT", "carbon")
    old = row(distance_to_target(FRAMEWORK, DATA, year=2027, methodology=STALE), "AT", "carbon")
    assert fresh["status"] == "on track" and old["status"] == "data too old"
    assert old["edition"] == 2027


def test_an_edition_sees_only_data_up_to_it() -> None:
    at = row(distance_to_target(FRAMEWORK, DATA, year=2023, methodology=STALE), "AT", "skills")
    assert at["latest_year"] == 2020 and at["latest_value"] == 50.0
    assert at["status"] == "data too old"  # 2020 is three years behind 2023
    two_years = distance_to_target(FRAMEWORK, DATA, year=2022, methodology=STALE)
    assert row(two_years, "AT", "skills")["status"] == "no trend"  # one point, two years old


def test_the_stale_rule_is_the_methodologys_with_the_indicators_own_first() -> None:
    # AT carbon (latest 2024) in the 2027 edition: three years old
    loose = Methodology.from_mapping({"editions": {"stale_after": 3}})
    at = row(distance_to_target(FRAMEWORK, DATA, year=2027, methodology=loose), "AT", "carbon")
    assert at["status"] == "on track"  # three years is not more than three
    strict = Framework(aggregates=FRAMEWORK.aggregates, indicators=(
        FRAMEWORK.indicators[0],
        FRAMEWORK.indicators[1].model_copy(update={"stale_after": 1}),
        FRAMEWORK.indicators[2]))  # fmt: skip
    at = row(distance_to_target(strict, DATA, year=2026, methodology=loose), "AT", "carbon")
    assert at["status"] == "data too old"  # its own rule: two years is more than one
    # without a methodology nothing but an indicator's own rule makes data too old
    assert row(distance_to_target(FRAMEWORK, DATA, year=2040), "AT", "carbon")["status"] == (
        "on track"
    )


def test_targets_verdict_and_stale_mark_agree() -> None:
    """The "data too old" verdict, the stale mark ``o`` and the page's old-data list
    come from one rule (Methodology.stale_after), with an indicator's own rule first."""
    from readiness_index import build

    strict = Framework(aggregates=FRAMEWORK.aggregates, indicators=(
        FRAMEWORK.indicators[0].model_copy(update={"stale_after": 1}),
        *FRAMEWORK.indicators[1:]))  # fmt: skip
    methodology = Methodology.from_mapping(
        {"editions": {"count": 4, "max_age": 10, "stale_after": 2}}
    )
    result = build(strict, DATA, methodology)
    checked, stale_ages = 0, set()
    for edition in result.years:
        table = distance_to_target(strict, DATA, year=edition, methodology=methodology)
        summary = result.summary(edition)
        for record in table.to_dict("records"):
            country, code = record["country"], record["indicator"]
            if result.data_years.at[(country, edition), code] != record["latest_year"]:
                continue  # the edition used another value (none is left out here)
            too_old = record["status"] == "data too old"
            assert too_old == ("o" in result.flags.at[(country, edition), code]), record
            assert too_old == (code in summary.stale(country)), record
            checked += 1
            if too_old:
                stale_ages.add((code, edition - record["latest_year"]))
    # AT's 2020 skills value is two years old in 2022: stale by its own rule (1), not by 2
    assert ("skills", 2) in stale_ages
    assert checked == sum(
        len(distance_to_target(strict, DATA, year=e, methodology=methodology)) for e in result.years
    )


def test_status_counts_in_a_fixed_order() -> None:
    counts = status_counts(distance_to_target(FRAMEWORK, DATA))
    assert list(counts) == ["reached", "on track", "off track", "no trend", "data too old"]
    assert sum(counts.values()) == len(distance_to_target(FRAMEWORK, DATA))


def test_cagr_and_status_functions() -> None:
    np.testing.assert_allclose(cagr(np.array([1.0]), np.array([2.0]), np.array([1])), [1.0])
    assert np.isnan(cagr(np.array([1.0]), np.array([2.0]), np.array([0]))).all()
    assert trajectory_status(
        np.array([np.nan]), np.array([0.1]), np.array([1]), np.array([3])
    ).tolist() == ["no trend"]


@given(
    st.floats(min_value=0.1, max_value=1e4), st.floats(min_value=0.1, max_value=1e4),
    st.integers(min_value=1, max_value=30),
)  # fmt: skip
def test_cagr_compounds_back_to_the_end_value(start: float, end: float, years: int) -> None:
    rate = cagr(np.array([start]), np.array([end]), np.array([years]))[0]
    assert start * (1 + rate) ** years == pytest.approx(end, rel=1e-9)


@given(st.floats(min_value=-0.5, max_value=0.5), st.floats(min_value=-0.5, max_value=0.5))
def test_direction_mirrors_the_status(required: float, observed: float) -> None:
    up = trajectory_status(np.array([required]), np.array([observed]), np.array([1]), np.array([2]))
    down = trajectory_status(
        np.array([-required]), np.array([-observed]), np.array([-1]), np.array([2])
    )
    assert up.tolist() == down.tolist()


def test_a_target_on_a_divided_indicator_names_its_unit() -> None:
    """The target applies to the published value (the national total), never to the
    per-inhabitant value: a target that does not say its unit is refused."""
    from readiness_index.errors import DefinitionError
    from readiness_index.model.framework import Denominator

    def framework(target: Target) -> Framework:
        return Framework(
            aggregates=(Aggregate(code="index", name="Index"),),
            indicators=(Indicator(code="flops", name="Capacity per inhabitant", parent="index",
                                  unit="TFlop/s per inhabitant", denominator="population",
                                  target=target),),
            denominators=(Denominator(code="population", name="Population"),),
        )  # fmt: skip

    rows = pd.DataFrame({"country": "AT", "year": [2024, 2025],
                         "indicator": ["flops", "population"], "value": [90.0, 9e6]})  # fmt: skip
    bare = framework(Target(factor=3, year=2030))
    with pytest.raises(DefinitionError, match=r"'flops' .divided by.* declare no unit"):
        distance_to_target(bare, prepare_data(rows, bare))
    declared = framework(Target(factor=3, year=2030, unit="TFlop/s"))
    (at,) = distance_to_target(declared, prepare_data(rows, declared)).to_dict("records")
    assert (at["latest_value"], at["target"]) == (90.0, 270.0)  # the national total, tripled


def test_a_target_in_the_indicators_unit_shares_its_translation() -> None:
    from readiness_index.model.framework import Text, Translation

    framework = Framework(
        aggregates=(Aggregate(code="index", name="Index"),),
        indicators=(Indicator(code="a", name="A", parent="index", unit="% of firms",
                              target=Target(value=75, year=2030, unit="% of firms")),
                    Indicator(code="b", name="B", parent="index", unit="share (0-1)",
                              target=Target(value=9, year=2030, unit="count")),),
        translations={"de": Translation(nodes={"a": Text(unit="% der Firmen"),
                                               "b": Text(unit="Anteil (0-1)")})},
    )  # fmt: skip
    assert framework.text("a", "target_unit", "de") == "% der Firmen"
    assert framework.text("b", "target_unit", "de") == "count"  # another quantity: its own text
