"""The long-data contract: every failure collected, each message naming where and what."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from readiness_index.errors import DataValidationError
from readiness_index.io.files import read_data
from readiness_index.model.framework import Aggregate, Bounds, Framework, Indicator, Unit

from .conftest import small_framework, small_rows

BAD = Path(__file__).parent / "data" / "bad"


def _framework() -> Framework:
    return Framework(
        aggregates=(Aggregate(code="index", name="Index"),),
        indicators=(
            Indicator(code="a", name="A", parent="index", bounds=Bounds(lower=0, upper=100)),
            Indicator(code="b", name="B", parent="index"),
        ),
        units=tuple(Unit(code=c, name=c) for c in ("AT", "BE", "FR")),
    )


def test_bad_file_reports_every_failure() -> None:
    with pytest.raises(DataValidationError) as caught:
        read_data(BAD / "core_data_everything_wrong.csv", framework=_framework())
    failures = caught.value.failures
    message = str(caught.value)
    found = set(zip(failures["column"], failures["country"].astype(str), strict=True))
    assert ("country", "XX") in found
    assert ("indicator", "AT") in found
    assert ("value", "BE") in found
    assert ("year", "FR") in found
    assert ("flag", "FR") in found
    assert (
        "core_data_everything_wrong.csv:5, column 'value', indicator 'a', country 'BE'" in message
    )
    assert "expected a number (or an empty cell for missing); found 'three'" in message
    assert "expected a finite number; found inf" in message
    assert "expected one row per country, year and indicator" in message
    assert "plausible bounds [0.0, 100.0]; found 250.0" in message
    assert (
        "indicator 'b': expected at least one value for every indicator; found 'no data'" in message
    )
    assert "expected a whole year" in message


def test_missing_and_unknown_columns() -> None:
    frame = pd.DataFrame({"country": ["AT"], "year": [2024], "valeur": [1.0]})
    with pytest.raises(DataValidationError) as caught:
        from readiness_index.model.data import prepare_data

        prepare_data(frame, small_framework())
    message = str(caught.value)
    assert "a column named 'indicator'" in message and "'valeur'" in message


def test_valid_data_keeps_every_row() -> None:
    from readiness_index.model.data import prepare_data

    rows = small_rows()
    data = prepare_data(rows, small_framework())
    assert len(data.long) == len(rows)
    assert data.long["value"].isna().sum() == 1
    assert data.years == [2023, 2024]
