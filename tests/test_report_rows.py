"""The rows of the country reports, picked once per edition, equal the rows picked cell
by cell out of the result, for every country and edition of the shipped index."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest

import readiness_index as ri
from readiness_index.engine.results import IndexResult
from readiness_index.model.framework import Indicator
from readiness_index.report.views import (
    IndicatorRow,
    flag_letters,
    indicator_rows,
    indicator_rows_of,
    pillar_of,
    standings,
)


@pytest.fixture(scope="module")
def result() -> IndexResult:
    return ri.build()


def _number(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _cell(frame: pd.DataFrame, country: str, year: int, code: str) -> Any:
    if code not in frame.columns or (country, year) not in frame.index:
        return None
    return frame.at[(country, year), code]


def _rows_cell_by_cell(result: IndexResult, country: str, year: int) -> list[IndicatorRow]:
    """The rows as the reports picked them before: every cell looked up on its own."""
    framework, edition = result.framework, result.summary(year)
    rows = []
    for _, node in framework.walk():
        if not isinstance(node, Indicator):
            continue
        code = node.code
        raw = _number(_cell(result.datasets["denominated"], country, year, code))
        data_year = _number(_cell(result.data_years, country, year, code))
        if data_year is None and raw is not None:
            data_year = year
        rows.append(IndicatorRow(
            indicator=node, pillar=pillar_of(framework, code), raw=raw,
            data_year=None if data_year is None else round(data_year),
            score=edition.score(country, code), rank=edition.rank(country, code),
            eu_average=edition.value_average(code),
            flags=flag_letters(_cell(result.flags, country, year, code)),
            tied=edition.is_tied(country, code),
        ))  # fmt: skip
    return rows


def test_prepared_rows_equal_rows_picked_cell_by_cell(result: IndexResult) -> None:
    countries = sorted(result.scores["country"].unique())
    for year in result.years:
        prepared = indicator_rows_of(result, countries, year)
        for country in countries:
            expected = _rows_cell_by_cell(result, country, year)
            assert prepared[country] == expected, (country, year)
            assert indicator_rows(result, country, year) == expected, (country, year)


def test_standings_equal_the_edition_cell_by_cell(result: IndexResult) -> None:
    framework = result.framework
    codes = [node.code for _, node in framework.walk()]
    countries = sorted(result.scores["country"].unique())
    for year in result.years:
        edition = result.summary(year)
        table = standings(edition, countries, codes)
        for country in countries:
            got = [(s.score, s.rank, s.tied) for s in table[country]]
            expected = [(edition.score(country, code), edition.rank(country, code),
                         edition.is_tied(country, code)) for code in codes]  # fmt: skip
            assert got == expected, (country, year)
