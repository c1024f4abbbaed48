"""Editions: the latest data year within the maximum age, earlier editions never change."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness_index.engine.editions import edition_data, max_ages, select_editions, select_year
from readiness_index.errors import DataValidationError
from readiness_index.model.data import prepare_data
from readiness_index.model.framework import Aggregate, Denominator, Framework, Indicator


def framework(max_age: int | None = 2) -> Framework:
    return Framework(
        aggregates=(Aggregate(code="index", name="Index"),),
        indicators=(
            Indicator(code="a", name="A", parent="index", max_age=max_age),
            Indicator(code="b", name="B", parent="index"),
        ),
        denominators=(Denominator(code="pop", name="Population"),),
    )


def rows(records: Sequence[tuple[str, int, str, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(records, columns=["country", "year", "indicator", "value"])


DATA = rows(
    [
        ("AT", 2019, "a", 1.0), ("AT", 2021, "a", 2.0), ("AT", 2023, "a", 3.0),
        ("BE", 2018, "a", 5.0), ("BE", 2024, "a", None),
        ("AT", 2015, "b", 7.0), ("BE", 2022, "b", 8.0),
        ("AT", 2024, "pop", 9.0e6),
    ]
)  # fmt: skip


def picked(editions: list[int], max_age: int | None = None) -> dict[tuple[int, str, str], str]:
    data = prepare_data(DATA, framework())
    long = edition_data(framework(), data, editions, max_age=max_age).long
    keys = zip(
        long["year"].astype(int).tolist(),
        long["country"].tolist(),
        long["indicator"].tolist(),
        strict=True,
    )
    return dict(zip(keys, long["data_year"].astype(str).tolist(), strict=True))


def test_latest_year_not_after_the_edition() -> None:
    chosen = picked([2020, 2022, 2025])
    assert chosen[(2020, "AT", "a")] == "2019"
    assert chosen[(2022, "AT", "a")] == "2021"
    assert chosen[(2025, "AT", "a")] == "2023"


def test_max_age_of_the_indicator() -> None:
    chosen = picked([2020, 2021])
    assert chosen[(2020, "BE", "a")] == "2018"  # age 2 is allowed
    assert (2021, "BE", "a") not in chosen  # age 3 is too old; 2024 is after the edition


def test_missing_values_are_never_selected() -> None:
    assert (2025, "BE", "a") not in picked([2025])  # 2024 is missing, 2018 too old


def test_default_max_age_for_indicators_and_denominators_without_one() -> None:
    assert picked([2025])[(2025, "AT", "b")] == "2015"  # no limit
    limited = picked([2025], max_age=3)
    assert (2025, "AT", "b") not in limited and limited[(2025, "BE", "b")] == "2022"
    assert limited[(2025, "AT", "pop")] == "2024"


def test_values_flags_and_sources_are_carried() -> None:
    data = prepare_data(DATA.assign(flag="e", source="s"), framework())
    long = edition_data(framework(), data, [2023]).long
    row = long.loc[(long["country"] == "AT") & (long["indicator"] == "a")].iloc[0]
    assert (row["value"], row["flag"], row["source"], row["year"]) == (3.0, "e", "s", 2023)


def test_max_ages_and_select_year() -> None:
    assert max_ages(framework(), default=4) == {"a": 2, "b": 4, "pop": 4}
    assert select_year([2019, 2021], 2020) == 2019
    assert select_year([2019, 2021], 2018) is None
    assert select_year([2019], 2024, max_age=5) == 2019


def test_no_edition_is_an_error() -> None:
    with pytest.raises(DataValidationError, match="at least one edition year"):
        edition_data(framework(), prepare_data(DATA, framework()), [])


YEARS = st.integers(min_value=2010, max_value=2030)
OBSERVATION = st.tuples(
    st.sampled_from(["AT", "BE", "CZ"]), YEARS, st.sampled_from(["a", "b"]),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.lists(OBSERVATION, min_size=1, max_size=30, unique_by=lambda o: (o[0], o[1], o[2])),
    st.lists(OBSERVATION, min_size=1, max_size=10),
    st.lists(st.integers(min_value=2012, max_value=2028), min_size=1, max_size=5),
)
def test_adding_later_years_never_changes_earlier_editions(
    observed: list[tuple[str, int, str, float]],
    added: list[tuple[str, int, str, float]],
    editions: list[int],
) -> None:
    """Law: rows dated after every edition leave every edition unchanged."""
    last = max(editions)
    later = [(c, last + 1 + (y % 3), i, v) for c, y, i, v in added]
    before = rows(observed)
    after: pd.DataFrame = pd.concat([before, rows(later)]).drop_duplicates(
        ["country", "year", "indicator"]
    )
    ages = {"a": 2, "b": None}
    old = select_editions(before, editions, ages)
    new = select_editions(after, editions, ages)
    pd.testing.assert_frame_equal(old.reset_index(drop=True), new.reset_index(drop=True))


@settings(max_examples=60, deadline=None)
@given(st.lists(OBSERVATION, min_size=1, max_size=30, unique_by=lambda o: o[:3]), YEARS)
def test_selected_year_is_within_reach(
    observed: list[tuple[str, int, str, float]], edition: int
) -> None:
    long = select_editions(rows(observed), [edition], {"a": 2, "b": None})
    ages = edition - long["data_year"].astype(int)
    assert (ages >= 0).all()
    assert (ages[long["indicator"] == "a"] <= 2).all()
    assert not long.duplicated(["country", "indicator"]).any()
