"""View models of the reports: values picked out of an :class:`IndexResult`, page by page.

The report layer computes nothing of the index: these functions select, sort and
label what the result already holds (scores, ranks, raw values, flags, data
years) so that the templates only lay it out. The one summary they form is the
EU average shown beside a value, which is the unweighted mean over the countries
of the edition (said so on every page).

Examples
--------
>>> flag_letters("ep"), flag_letters(None), flag_letters(float("nan"))
(['e', 'p'], [], [])

A small index of two countries over two years:

>>> import pandas as pd
>>> from readiness_index import build, prepare_data
>>> from readiness_index.model.framework import Aggregate, Framework, Indicator
>>> fw = Framework(aggregates=(Aggregate(code="index", name="Index"),),
...                indicators=(Indicator(code="a", name="A", parent="index"),
...                            Indicator(code="b", name="B", parent="index")))
>>> rows = pd.DataFrame({"country": ["AT", "BE"] * 4, "year": [2024] * 4 + [2025] * 4,
...                      "indicator": ["a", "a", "b", "b"] * 2,
...                      "value": [1.0, 2.0, 4.0, 3.0, 1.0, 2.0, 1.0, 3.0]})
>>> result = build(fw, prepare_data(rows, fw))
>>> [(row.country, row.rank, row.change) for row in ranking_rows(result, 2025)]
[('BE', 1, 0), ('AT', 2, -1)]
>>> [(row.indicator.code, row.raw, row.score, row.rank) for row in
...  indicator_rows(result, "AT", 2025)]
[('a', 1.0, 0.0, 2), ('b', 1.0, 0.0, 2)]
>>> trend_rows(result, "AT")
[{'year': 2024, 'score': 50.0, 'rank': 1}, {'year': 2025, 'score': 0.0, 'rank': 2}]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from readiness_index.model.framework import Framework, Indicator

if TYPE_CHECKING:
    from readiness_index.engine.results import IndexResult

__all__ = [
    "Edition",
    "IndicatorRow",
    "RankingRow",
    "context_rows",
    "edition_year",
    "flag_letters",
    "framework_tree",
    "indicator_rows",
    "methodology_rows",
    "previous_year",
    "ranking_rows",
    "source_rows",
    "strongest_and_weakest",
    "target_rows",
    "trend_rows",
]


def _number(value: Any) -> float | None:
    """A float, or ``None`` for missing values (NaN, NA, None)."""
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _cell(frame: pd.DataFrame, country: str, year: int, code: str) -> Any:
    """One cell of a wide (country, year) x code table, ``None`` when absent."""
    if code not in frame.columns or (country, year) not in frame.index:
        return None
    return frame.at[(country, year), code]


def flag_letters(flags: Any) -> list[str]:
    """The flag letters of one cell (``"ep"`` -> ``["e", "p"]``), none for missing."""
    if not isinstance(flags, str):
        return []
    return [letter for letter in flags if not letter.isspace()]


def edition_year(result: IndexResult, year: int | None) -> int:
    """The edition to report: ``year`` if the result holds it, else the latest.

    Raises
    ------
    KeyError
        If ``year`` is not an edition of the result.
    """
    years = sorted(int(y) for y in result.scores["year"].unique())
    if year is None:
        return years[-1]
    if int(year) not in years:
        raise KeyError(f"year {year} is not in the result; editions available: {years}")
    return int(year)


def previous_year(result: IndexResult, year: int) -> int | None:
    """The edition before ``year``, if the result holds one."""
    earlier = [int(y) for y in result.scores["year"].unique() if int(y) < year]
    return max(earlier) if earlier else None


@dataclass(frozen=True)
class Edition:
    """Scores and ranks of every code for one edition, as country x code tables."""

    scores: pd.DataFrame
    ranks: pd.DataFrame

    @classmethod
    def of(cls, result: IndexResult, year: int) -> Edition:
        """Pick the edition ``year`` out of ``result.scores``."""
        rows = result.scores[result.scores["year"] == year]
        scores = rows.pivot(index="country", columns="code", values="score").astype("float64")
        ranks = rows.pivot(index="country", columns="code", values="rank").astype("float64")
        return cls(scores.sort_index(), ranks.sort_index())

    def score(self, country: str, code: str) -> float | None:
        """Score of ``code`` for ``country`` (``None`` when missing)."""
        if code not in self.scores.columns or country not in self.scores.index:
            return None
        return _number(self.scores.at[country, code])

    def rank(self, country: str, code: str) -> int | None:
        """Rank of ``code`` for ``country`` (1 = best; ``None`` when missing)."""
        if code not in self.ranks.columns or country not in self.ranks.index:
            return None
        rank = _number(self.ranks.at[country, code])
        return None if rank is None else round(rank)

    def eu_average(self, code: str) -> float | None:
        """Unweighted mean score of ``code`` over the countries of the edition."""
        return _number(self.scores[code].mean()) if code in self.scores.columns else None

    def best(self, code: str) -> tuple[str, float | None]:
        """The best performer on ``code`` (rank 1) and its score."""
        column = self.ranks[code].dropna()
        if column.empty:
            return "", None
        country = str(column.sort_values(kind="stable").index[0])
        return country, self.score(country, code)

    def order(self, code: str) -> list[str]:
        """Countries sorted by rank on ``code`` (best first, missing last)."""
        ranks = self.ranks[code].sort_values(kind="stable", na_position="last")
        return [str(country) for country in ranks.index]


@dataclass(frozen=True)
class RankingRow:
    """One line of the overview's ranking table."""

    country: str
    score: float | None
    rank: int | None
    previous_rank: int | None
    change: int | None
    interval: tuple[int, int] | None


def ranking_rows(
    result: IndexResult, year: int, rank_intervals: pd.DataFrame | None = None
) -> list[RankingRow]:
    """The ranking of ``year`` with change since the previous edition and rank intervals."""
    root = result.framework.root
    edition = Edition.of(result, year)
    before = previous_year(result, year)
    earlier = Edition.of(result, before) if before is not None else None
    intervals = _intervals(rank_intervals)
    rows = []
    for country in edition.order(root):
        rank = edition.rank(country, root)
        previous = earlier.rank(country, root) if earlier is not None else None
        change = previous - rank if previous is not None and rank is not None else None
        rows.append(
            RankingRow(
                country,
                edition.score(country, root),
                rank,
                previous,
                change,
                intervals.get(country),
            )
        )
    return rows


def _intervals(rank_intervals: pd.DataFrame | None) -> dict[str, tuple[int, int]]:
    """Rank intervals by country from a ``country, p05, p95`` table."""
    if rank_intervals is None:
        return {}
    return {
        str(country): (round(float(low)), round(float(high)))
        for country, low, high in rank_intervals[["country", "p05", "p95"]].to_numpy()
    }


@dataclass(frozen=True)
class IndicatorRow:
    """Everything a country page shows about one indicator."""

    indicator: Indicator
    pillar: str
    raw: float | None
    data_year: int | None
    score: float | None
    rank: int | None
    eu_average: float | None
    flags: list[str]


def pillar_of(framework: Framework, code: str) -> str:
    """The pillar (child of the root) that ``code`` belongs to."""
    chain = (code, *framework.parents(code))
    return chain[-2] if len(chain) > 1 else code


def indicator_rows(
    result: IndexResult, country: str, year: int, edition: Edition | None = None
) -> list[IndicatorRow]:
    """One row per indicator for ``country`` in ``year``, in framework order.

    ``edition`` is ``Edition.of(result, year)`` when already picked.
    """
    framework = result.framework
    edition = edition or Edition.of(result, year)
    # the value in the indicator's declared unit: after the denominate step (per inhabitant,
    # per GDP...), before imputation; equal to the published figure when nothing is divided
    raw = result.datasets["denominated"]
    in_year = raw.xs(year, level="year") if year in raw.index.get_level_values("year") else raw
    rows = []
    for _, node in framework.walk():
        if not isinstance(node, Indicator):
            continue
        code = node.code
        raw_value = _number(_cell(raw, country, year, code))
        data_year = _number(_cell(result.data_years, country, year, code))
        if data_year is None and raw_value is not None:
            data_year = year  # no separate data year recorded: the value is of its own year
        rows.append(IndicatorRow(
            indicator=node,
            pillar=pillar_of(framework, code),
            raw=raw_value,
            data_year=None if data_year is None else round(data_year),
            score=edition.score(country, code),
            rank=edition.rank(country, code),
            eu_average=_number(in_year[code].mean()) if code in in_year.columns else None,
            flags=flag_letters(_cell(result.flags, country, year, code)),
        ))  # fmt: skip
    return rows


def strongest_and_weakest(
    rows: list[IndicatorRow], count: int = 3
) -> tuple[list[IndicatorRow], list[IndicatorRow]]:
    """The ``count`` indicators with the best and the worst rank among the countries.

    Ties are broken by the normalised score, then by framework order.
    """
    ranked = [row for row in rows if row.rank is not None]
    ordered = sorted(ranked, key=lambda row: (row.rank, -(row.score or 0.0)))
    strongest = ordered[:count]
    weakest = [row for row in reversed(ordered) if row not in strongest][:count]
    return strongest, weakest


def trend_rows(result: IndexResult, country: str) -> list[dict[str, Any]]:
    """The index score and rank of ``country`` in every edition of the result."""
    scores = result.scores
    rows = scores[(scores["country"] == country) & (scores["code"] == result.framework.root)]
    table = rows.sort_values("year")[["year", "score", "rank"]].astype("float64")
    return [
        {"year": round(year), "score": _number(score), "rank": round(rank)}
        for year, score, rank in table.to_numpy()
        if not math.isnan(rank)
    ]


def target_rows(
    targets: pd.DataFrame | None, framework: Framework, country: str
) -> list[dict[str, Any]]:
    """Distance to the 2030 targets of ``country``, with the policy each comes from.

    The policy is the table's ``policy`` column where given, else the framework's.
    Targets of indicators that are not in the framework (inactive) are left out.
    """
    if targets is None or targets.empty:
        return []
    rows = []
    for record in targets[targets["country"] == country].to_dict("records"):
        row = {str(key): value for key, value in record.items()}
        code = str(row["indicator"])
        if code not in framework.nodes:
            continue
        indicator = framework.indicator(code)
        policy = row.get("policy")
        if not isinstance(policy, str) or not policy:
            policy = indicator.target.policy if indicator.target is not None else None
        rows.append({**row, "indicator": indicator, "policy": policy})
    return rows


def framework_tree(framework: Framework, scored: Framework) -> list[dict[str, Any]]:
    """The tree of ``framework``, depth first: depth, node, level, weight, whether scored.

    ``scored`` is the framework the result was built with (its active part).
    """
    return [
        {"depth": depth, "node": node, "level": framework.levels[node.code],
         "weight": node.weight, "is_indicator": isinstance(node, Indicator),
         "scored": node.code in scored.nodes}
        for depth, node in framework.walk()
    ]  # fmt: skip


def methodology_rows(record: dict[str, Any], prefix: str = "") -> list[tuple[str, str | None]]:
    """Flatten the methodology record to ``(key path, value)`` pairs (``None`` when unset).

    >>> methodology_rows({"normalise": {"method": "minmax"}, "impute": None})
    [('normalise.method', 'minmax'), ('impute', None)]
    """
    rows: list[tuple[str, str | None]] = []
    for key, value in record.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            rows.extend(methodology_rows(value, f"{path}."))
        else:
            rows.append((path, None if value is None else str(value)))
    return rows


def source_rows(result: IndexResult, framework: Framework) -> list[dict[str, Any]]:
    """Per indicator of ``framework``: its source, the vintages of its data, the years."""
    long = result.data.long
    rows = []
    for node in framework.indicators:
        mine = long[long["indicator"] == node.code]
        vintages = sorted(
            {str(v) for v in mine.get("vintage", pd.Series(dtype=str)).dropna() if str(v)}
        )
        years = sorted(int(y) for y in mine["year"].unique())
        rows.append(
            {
                "indicator": node,
                "source": node.source,
                "vintages": vintages,
                "first_year": years[0] if years else None,
                "last_year": years[-1] if years else None,
            }
        )
    return rows


def context_rows(
    result: IndexResult, framework: Framework, country: str, year: int
) -> list[IndicatorRow]:
    """Indicators of ``framework`` left out of the score (inactive), as context.

    Their published value, data year, flags and the EU average are picked out of the
    result's input data for the edition ``year``; they have no score and no rank.
    """
    scored = set(result.framework.nodes)
    context = [node for node in framework.indicators if node.code not in scored]
    long = result.data.long
    in_year = long[(long["year"] == year) & long["indicator"].isin([n.code for n in context])]
    rows = []
    for node in context:
        mine = in_year[in_year["indicator"] == node.code]
        own = mine[mine["country"] == country]
        value = _number(own["value"].iloc[0]) if len(own) else None
        data_year = own["data_year"].iloc[0] if len(own) and "data_year" in own else None
        rows.append(IndicatorRow(
            indicator=node,
            pillar=pillar_of(framework, node.code),
            raw=value,
            data_year=_year(data_year, year if value is not None else None),
            score=None,
            rank=None,
            eu_average=_number(mine["value"].mean()) if len(mine) else None,
            flags=flag_letters(own["flag"].iloc[0]) if len(own) else [],
        ))  # fmt: skip
    return rows


def _year(value: Any, default: int | None) -> int | None:
    """A data year from the long table's text column (``default`` when empty)."""
    text = "" if value is None or value is pd.NA else str(value).strip()
    return int(float(text)) if text and text.lower() != "nan" else default
