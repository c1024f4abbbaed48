"""What an edition's reports say about it: averages, changes, best performers, ties.

These are the statistics shown beside the scores, computed once here so that the
report only picks values (:meth:`IndexResult.summary`):

* **EU average** of a code: the unweighted mean over the countries with a score
  (``mean_c s_c``); of an indicator's value: the unweighted mean of the values in
  its declared unit (after the denominator, before imputation);
* **rank change**: ``rank(previous edition) - rank(this edition)`` (positive = up);
* **best performers**: every country ranked 1 on a code (ties share the rank);
* **tie**: a rank shared with another country (shown as ``=1``);
* **stale values**: indicators whose data year is more than ``stale_after`` years
  behind the edition (:meth:`Methodology.stale_after
  <readiness_index.model.methodology.Methodology.stale_after>`, the rule of the
  stale mark ``o``);
* **strongest and weakest pillar** of a country: the pillars with its best and
  worst rank among the countries, ties broken by the higher (lower) score, then by
  framework order.

Examples
--------
>>> import pandas as pd
>>> from readiness_index import build, prepare_data
>>> from readiness_index.model.framework import Aggregate, Framework, Indicator
>>> fw = Framework(aggregates=(Aggregate(code="index", name="Index"),),
...                indicators=(Indicator(code="a", name="A", parent="index"),
...                            Indicator(code="b", name="B", parent="index")))
>>> rows = pd.DataFrame({"country": ["AT", "BE", "CZ"] * 2, "year": 2025,
...                      "indicator": ["a"] * 3 + ["b"] * 3,
...                      "value": [1.0, 2.0, 2.0, 3.0, 1.0, 2.0]})
>>> summary = build(fw, prepare_data(rows, fw)).summary(2025)
>>> summary.best("a"), summary.is_tied("BE", "a"), summary.eu_average("a")
(['BE', 'CZ'], True, 66.66666666666667)
>>> summary.strongest_and_weakest("AT", ["a", "b"])
('b', 'a')
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = ["EditionSummary", "edition_summary", "input_averages"]


def _number(value: Any) -> float | None:
    """A float, or ``None`` for missing values (NaN, NA, None)."""
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) else number


@dataclass(frozen=True)
class EditionSummary:
    """Scores, ranks and the statistics beside them, for one edition.

    Attributes
    ----------
    year, previous_year : int, int or None
        The edition and the one before it in the result (``None`` for the first).
    scores, ranks : pandas.DataFrame
        ``country x code`` (every indicator and aggregate).
    previous_ranks : pandas.DataFrame
        The same for the previous edition (empty for the first).
    value_averages : pandas.Series
        Per indicator, the EU average of its values in its declared unit.
    data_years : pandas.DataFrame
        ``country x indicator``: the data year behind each value of the edition.
    stale_after : pandas.Series
        Per indicator, the years a value may lag the edition before it is stale
        (:meth:`Methodology.stale_after`; absent: never stale).
    """

    year: int
    previous_year: int | None
    scores: pd.DataFrame
    ranks: pd.DataFrame
    previous_ranks: pd.DataFrame
    value_averages: pd.Series
    data_years: pd.DataFrame
    stale_after: pd.Series

    def stale(self, country: str) -> list[str]:
        """Indicators whose value for ``country`` is stale (marked ``o``): more than
        their ``stale_after`` years behind the edition."""
        if country not in self.data_years.index:
            return []
        years = self.data_years.loc[[country]].iloc[0]
        limits = self.stale_after.reindex(years.index, fill_value=float("inf"))
        return [str(code) for code in years.index[(self.year - years) > limits]]

    def score(self, country: str, code: str) -> float | None:
        """Score of ``code`` for ``country`` (``None`` when missing)."""
        return _lookup(self.scores, country, code)

    def rank(self, country: str, code: str) -> int | None:
        """Rank of ``code`` for ``country`` (1 = best; ``None`` when missing)."""
        rank = _lookup(self.ranks, country, code)
        return None if rank is None else round(rank)

    def is_tied(self, country: str, code: str) -> bool:
        """Whether another country shares the rank of ``country`` on ``code``."""
        rank = self.rank(country, code)
        return rank is not None and int((self.ranks[code] == rank).sum()) > 1

    def change(self, country: str, code: str) -> int | None:
        """Places gained since the previous edition (negative: lost)."""
        before = _lookup(self.previous_ranks, country, code)
        now = self.rank(country, code)
        return None if before is None or now is None else round(before) - now

    def previous_rank(self, country: str, code: str) -> int | None:
        """Rank in the previous edition (``None`` when there is none)."""
        before = _lookup(self.previous_ranks, country, code)
        return None if before is None else round(before)

    def eu_average(self, code: str) -> float | None:
        """Unweighted mean score of ``code`` over the countries of the edition."""
        return _number(self.scores[code].mean()) if code in self.scores.columns else None

    def value_average(self, code: str) -> float | None:
        """Unweighted mean value of indicator ``code`` in its unit (``None`` when absent)."""
        return _number(self.value_averages.get(code))

    def best(self, code: str) -> list[str]:
        """Every country ranked 1 on ``code``, alphabetically."""
        if code not in self.ranks.columns:
            return []
        column = self.ranks[code]
        return sorted(str(country) for country, rank in column.items() if rank == 1)

    def order(self, code: str) -> list[str]:
        """Countries sorted by rank on ``code`` (best first, ties by code, missing last)."""
        ranks = self.ranks[code].sort_index().sort_values(kind="stable", na_position="last")
        return [str(country) for country in ranks.index]

    def strongest_and_weakest(
        self, country: str, codes: list[str]
    ) -> tuple[str | None, str | None]:
        """The codes among ``codes`` with the best and the worst rank of ``country``."""
        ranked = [(self.rank(country, c), -(self.score(country, c) or 0.0), i, c)
                  for i, c in enumerate(codes) if self.rank(country, c) is not None]  # fmt: skip
        if not ranked:
            return None, None
        strongest = min(ranked)[3]
        weakest = max(ranked, key=lambda item: (item[0], -item[1], -item[2]))[3]
        return strongest, weakest


def _lookup(frame: pd.DataFrame, country: str, code: str) -> float | None:
    if code not in frame.columns or country not in frame.index:
        return None
    return _number(frame.at[country, code])


def _pivot(scores: pd.DataFrame, year: int | None, values: str) -> pd.DataFrame:
    rows = scores[scores["year"] == year]
    return rows.pivot(index="country", columns="code", values=values).astype("float64").sort_index()


def _year_rows(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """The ``country x code`` rows of one year of a wide ``(country, year) x code`` frame."""
    rows = frame.loc[frame.index.get_level_values("year") == year]
    return pd.DataFrame(rows.droplevel("year"), dtype="float64")  # empty when absent


def edition_summary(
    scores: pd.DataFrame,
    values: pd.DataFrame,
    data_years: pd.DataFrame,
    year: int,
    stale_after: Mapping[str, float] | None = None,
) -> EditionSummary:
    """The statistics of edition ``year`` (see the module formulas).

    Parameters
    ----------
    scores : pandas.DataFrame
        Long ``country, year, code, score, rank`` (``IndexResult.scores``).
    values : pandas.DataFrame
        Wide ``(country, year) x indicator``: values in their declared unit (the
        ``denominated`` data set).
    data_years : pandas.DataFrame
        Wide ``(country, year) x indicator``: the data year behind each value.
    year : int
        The edition.
    stale_after : mapping of str to float, optional
        Per indicator, the years a value may lag the edition before it is stale
        (:meth:`Methodology.stale_after`); none is stale without it.

    Raises
    ------
    KeyError
        If ``year`` is not an edition of ``scores``.
    """
    years = sorted(int(y) for y in scores["year"].unique())
    if year not in years:
        raise KeyError(f"year {year} is not in the result; editions available: {years}")
    earlier = [y for y in years if y < year]
    previous = earlier[-1] if earlier else None
    return EditionSummary(
        year=year,
        previous_year=previous,
        scores=_pivot(scores, year, "score"),
        ranks=_pivot(scores, year, "rank"),
        previous_ranks=_pivot(scores, previous, "rank") if previous is not None else pd.DataFrame(),
        value_averages=_year_rows(values, year).mean(axis=0),
        data_years=_year_rows(data_years, year),
        stale_after=pd.Series(dict(stale_after or {}), dtype="float64"),
    )


def input_averages(long: pd.DataFrame, codes: list[str]) -> pd.Series:
    """The EU average (unweighted mean over countries) of each indicator's input values.

    For indicators outside the score (context), whose values never enter a build;
    ``long`` holds one edition's rows (``indicator``, ``value``).

    >>> input_averages(pd.DataFrame({"indicator": ["a", "a"], "value": [1.0, 2.0]}), ["a"])
    a    1.5
    Name: value, dtype: float64
    """
    rows = long.loc[long["indicator"].isin(codes)]
    return rows.groupby("indicator")["value"].mean().rename_axis(None)
