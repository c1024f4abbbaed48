"""View models of the reports: values picked out of an :class:`IndexResult`, page by page.

The report layer computes nothing of the index: these functions select, sort and
label what the result already holds (scores, ranks, raw values, flags, data
years) and what its edition summary computed (EU averages, rank changes, best
performers, ties, strongest and weakest pillars: :meth:`IndexResult.summary`), so
that the templates only lay it out.

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
>>> [(row["year"], row["score"], row["rank"]) for row in trend_rows(result, "AT")]
[(2024, 50.0, 1), (2025, 0.0, 2)]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from readiness_index.analysis.targets import status_counts
from readiness_index.engine.summary import EditionSummary, input_averages
from readiness_index.model.framework import Framework, Indicator

if TYPE_CHECKING:
    from readiness_index.engine.results import IndexResult

__all__ = [
    "Edition",
    "IndicatorRow",
    "RankingRow",
    "Standing",
    "TargetRow",
    "context_rows",
    "display_scale",
    "edition_year",
    "flag_letters",
    "framework_tree",
    "indicator_rows",
    "indicator_rows_of",
    "methodology_rows",
    "previous_year",
    "ranking_rows",
    "source_rows",
    "stale_rows",
    "standings",
    "target_rows",
    "target_status_counts",
    "trend_rows",
]


def _number(value: Any) -> float | None:
    """A float, or ``None`` for missing values (NaN, NA, None)."""
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) else number


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
    return result.summary(year).previous_year


Edition = EditionSummary


@dataclass(frozen=True)
class RankingRow:
    """One line of the overview's ranking table."""

    country: str
    score: float | None
    rank: int | None
    previous_rank: int | None
    change: int | None
    interval: tuple[int, int] | None
    tied: bool = False


def ranking_rows(
    result: IndexResult, year: int, rank_intervals: pd.DataFrame | None = None
) -> list[RankingRow]:
    """The ranking of ``year`` with change since the previous edition and rank intervals."""
    root = result.framework.root
    edition = result.summary(year)
    intervals = _intervals(rank_intervals)
    return [
        RankingRow(
            country,
            edition.score(country, root),
            edition.rank(country, root),
            edition.previous_rank(country, root),
            edition.change(country, root),
            intervals.get(country),
            edition.is_tied(country, root),
        )
        for country in edition.order(root)
    ]


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
    tied: bool = False


def pillar_of(framework: Framework, code: str) -> str:
    """The pillar (child of the root) that ``code`` belongs to."""
    chain = (code, *framework.parents(code))
    return chain[-2] if len(chain) > 1 else code


def indicator_rows(
    result: IndexResult,
    country: str,
    year: int,
    edition: Edition | None = None,
    framework: Framework | None = None,
) -> list[IndicatorRow]:
    """One row per indicator for ``country`` in ``year``, in framework order.

    ``edition`` is ``result.summary(year)`` when already picked; ``framework`` the
    result's framework in the page's language (:meth:`Framework.localised`).
    A site of many countries picks every country's rows at once
    (:func:`indicator_rows_of`).
    """
    return indicator_rows_of(result, [country], year, edition, framework)[country]


def indicator_rows_of(
    result: IndexResult,
    countries: Sequence[str],
    year: int,
    edition: Edition | None = None,
    framework: Framework | None = None,
) -> dict[str, list[IndicatorRow]]:
    """:func:`indicator_rows` of each of ``countries``, every table read once for all."""
    framework = framework or result.framework
    edition = edition or result.summary(year)
    nodes = [node for _, node in framework.walk() if isinstance(node, Indicator)]
    codes = [node.code for node in nodes]
    # the value in the indicator's declared unit: after the denominate step (per inhabitant,
    # per GDP...), before imputation; equal to the published figure when nothing is divided
    raw = _edition_cells(result.datasets["denominated"], countries, year, codes)
    data_years = _edition_cells(result.data_years, countries, year, codes)
    flags = _edition_cells(result.flags, countries, year, codes)
    standing = standings(edition, countries, codes)
    fixed = [(node, pillar_of(framework, node.code), edition.value_average(node.code))
             for node in nodes]  # fmt: skip
    rows: dict[str, list[IndicatorRow]] = {}
    for country in countries:
        cells = zip(fixed, raw[country], data_years[country], flags[country],
                    standing[country], strict=True)  # fmt: skip
        rows[country] = [
            _indicator_row(node, pillar, average, raw_value, data_year, flag, mine, year)
            for (node, pillar, average), raw_value, data_year, flag, mine in cells
        ]
    return rows


def _indicator_row(
    node: Indicator,
    pillar: str,
    average: float | None,
    raw: Any,
    data_year: Any,
    flags: Any,
    standing: Standing,
    year: int,
) -> IndicatorRow:
    raw_value, known_year = _number(raw), _number(data_year)
    if known_year is None and raw_value is not None:
        known_year = year  # no separate data year recorded: the value is of its own year
    return IndicatorRow(
        indicator=node, pillar=pillar, raw=raw_value,
        data_year=None if known_year is None else round(known_year),
        score=standing.score, rank=standing.rank, eu_average=average,
        flags=flag_letters(flags), tied=standing.tied,
    )  # fmt: skip


def _edition_cells(
    frame: pd.DataFrame, countries: Sequence[str], year: int, codes: list[str]
) -> dict[str, list[Any]]:
    """Per country, its cells of a wide (country, year) x code table in ``year``, in
    ``codes`` order (NaN where the table has no such row or column)."""
    in_year = frame[frame.index.get_level_values(1) == year]
    in_year = in_year.set_axis(in_year.index.get_level_values(0), axis="index")
    picked = in_year.reindex(index=list(countries), columns=codes)
    return dict(zip(countries, picked.to_numpy(dtype=object).tolist(), strict=True))


@dataclass(frozen=True)
class Standing:
    """A country's score and rank on one code of an edition, and whether it is tied."""

    score: float | None
    rank: int | None
    tied: bool


def standings(
    edition: Edition, countries: Sequence[str], codes: Sequence[str]
) -> dict[str, list[Standing]]:
    """Per country, its :class:`Standing` on each of ``codes``, picked at once.

    Equal to ``edition.score``, ``edition.rank`` and ``edition.is_tied`` cell by cell.
    """
    scores = edition.scores.reindex(index=list(countries), columns=list(codes))
    ranks = edition.ranks.reindex(index=list(countries), columns=list(codes))
    counts = [
        edition.ranks[code].value_counts().to_dict() if code in edition.ranks.columns else {}
        for code in codes
    ]
    table = {}
    for country, score_row, rank_row in zip(
        countries, scores.to_numpy(dtype=object).tolist(),
        ranks.to_numpy(dtype=object).tolist(), strict=True,
    ):  # fmt: skip
        mine = []
        for score, rank, count in zip(score_row, rank_row, counts, strict=True):
            number = _number(rank)
            place = None if number is None else round(number)
            tied = place is not None and count.get(place, 0) > 1
            mine.append(Standing(_number(score), place, tied))
        table[country] = mine
    return table


def trend_rows(
    result: IndexResult,
    country: str,
    codes: tuple[str, ...] = (),
    scores: pd.DataFrame | None = None,
) -> list[dict[str, Any]]:
    """The index score and rank of ``country`` in every edition, and its scores on ``codes``.

    Every edition of the result has its row (a missing score or rank is ``None``).
    ``scores`` are the country's rows of ``result.scores`` when already picked
    (a site of many countries groups them once).
    """
    if scores is None:
        scores = result.scores[result.scores["country"] == country]
    root = result.framework.root
    columns = [scores[name].tolist() for name in ("year", "code", "score", "rank")]
    cells = {
        (int(year), str(code)): (score, rank)
        for year, code, score, rank in zip(*columns, strict=True)
    }
    rows = []
    for year in result.years:
        score, rank = cells.get((int(year), root), (None, None))
        rank = _number(rank)
        rows.append({
            "year": year,
            "score": _number(score),
            "rank": None if rank is None else round(rank),
            "pillars": {code: _number(cells.get((int(year), code), (None,))[0]) for code in codes},
        })  # fmt: skip
    return rows


@dataclass(frozen=True)
class TargetRow:
    """One line of a country's targets table, in the unit its label names.

    ``latest``, ``target`` and ``gap`` are the published quantities times the
    display factor, in the display ``unit`` (``None`` without a display: the
    target's unit, else the indicator's); ``first_year`` to ``latest_year`` is the
    span of the observed growth. ``policy`` is the input table's where given.
    """

    indicator: Indicator
    unit: str | None
    policy: str | None
    latest: float | None
    target: float | None
    gap: float | None
    first_year: int | None
    latest_year: int | None
    target_year: int | None
    required: float | None
    observed: float | None
    status: str


def target_rows(
    targets: pd.DataFrame | None, framework: Framework, country: str
) -> list[TargetRow]:
    """Distance to the 2030 targets of ``country``, labelled with the quantity and unit.

    A target applies to the published value; its ``name`` and ``unit`` label it where
    they differ from the indicator's, and its ``display`` converts it for readers
    (a share as %, TFlop/s with a readable SI prefix). The policy is the table's
    ``policy`` column where given, else the framework's. Targets of indicators that
    are not in the framework (inactive) are left out.
    """
    if targets is None or targets.empty:
        return []
    rows = []
    for record in targets[targets["country"] == country].to_dict("records"):
        code = str(record["indicator"])
        if code in framework.nodes:
            rows.append(_target_row(record, framework.indicator(code)))
    return rows


def _target_row(record: dict[Any, Any], indicator: Indicator) -> TargetRow:
    target = indicator.target
    display = target.display if target is not None else None
    values = [_number(record.get(key)) for key in ("latest_value", "target", "gap")]
    factor, unit = display_scale(values, display)
    latest, goal, gap = (None if v is None else v * factor for v in values)
    policy = record.get("policy")
    return TargetRow(
        indicator=indicator,
        unit=unit, policy=policy if isinstance(policy, str) and policy else None,
        latest=latest, target=goal, gap=gap,
        first_year=_whole(record.get("first_year")),
        latest_year=_whole(record.get("latest_year")),
        target_year=_whole(record.get("target_year")),
        required=_number(record.get("required_cagr")),
        observed=_number(record.get("observed_cagr")),
        status=str(record.get("status", "")),
    )  # fmt: skip


_SI = ("", "k", "M", "G", "T", "P", "E", "Z", "Y")


def display_scale(values: list[float | None], display: Any) -> tuple[float, str | None]:
    """The factor and unit a row of target values is shown in.

    Without ``display`` the values keep their unit (``None``: the target's or the
    indicator's, named by the page in its language).
    With ``si`` the SI prefix of the display unit moves so that the largest value
    lies in [1, 1000): ``display_scale([1.2e6, 3.6e6], Display(unit="TFlop/s",
    si=True), ...)`` gives ``(1e-6, "EFlop/s")``.

    >>> from readiness_index.model.framework import Display
    >>> display_scale([1.2e6, 3.6e6], Display(unit="TFlop/s", si=True))
    (1e-06, 'EFlop/s')
    >>> display_scale([0.5], Display(unit="%", factor=100))
    (100.0, '%')
    """
    if display is None:
        return 1.0, None
    factor, shown = float(display.factor), str(display.unit)
    if not display.si or shown[:1] not in _SI[1:]:
        return factor, shown
    largest = max((abs(v) * factor for v in values if v is not None), default=0.0)
    step = _SI.index(shown[0])
    while largest >= 1000 and step < len(_SI) - 1:
        largest, factor, step = largest / 1000, factor / 1000, step + 1
    while 0 < largest < 1 and step > 1:
        largest, factor, step = largest * 1000, factor * 1000, step - 1
    return factor, _SI[step] + shown[1:]


def target_status_counts(targets: pd.DataFrame | None, country: str) -> dict[str, int]:
    """How many of ``country``'s targets are reached, on track, off track... (library count)."""
    if targets is None:
        return status_counts(pd.DataFrame({"status": []}))
    return status_counts(targets[targets["country"] == country])


def stale_rows(rows: list[IndicatorRow], stale: list[str]) -> list[IndicatorRow]:
    """The rows of the indicators the edition summary found stale, in page order."""
    return [row for row in rows if row.indicator.code in stale]


def _whole(value: Any) -> int | None:
    number = _number(value)
    return None if number is None else round(number)


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
    codes = [node.code for node in context]
    long = result.data.long
    in_year = long[(long["year"] == year) & long["indicator"].isin(codes)]
    averages = input_averages(in_year, codes)  # every country's rows: one mean per indicator
    mine = in_year[in_year["country"] == country].drop_duplicates("indicator")
    own = {str(row["indicator"]): row for _, row in mine.iterrows()}
    rows = []
    for node in context:
        first = own.get(node.code)
        value = None if first is None else _number(first["value"])
        data_year = None if first is None or "data_year" not in first else first["data_year"]
        rows.append(IndicatorRow(
            indicator=node,
            pillar=pillar_of(framework, node.code),
            raw=value,
            data_year=_year(data_year, year if value is not None else None),
            score=None,
            rank=None,
            eu_average=_number(averages.get(node.code)),
            flags=[] if first is None else flag_letters(first["flag"]),
        ))  # fmt: skip
    return rows


def _year(value: Any, default: int | None) -> int | None:
    """A data year from the long table's text column (``default`` when empty)."""
    text = "" if value is None or value is pd.NA else str(value).strip()
    return int(float(text)) if text and text.lower() != "nan" else default
