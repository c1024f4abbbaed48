"""Ranks, and the ranking table of an edition (COINr's ``get_results``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from pandas.core.groupby import SeriesGroupBy

from readiness_index.errors import ComputationError

if TYPE_CHECKING:
    from readiness_index.engine.results import IndexResult

__all__ = [
    "default_digits",
    "descending_ranks",
    "marked",
    "rank_descending",
    "ranking_table",
    "stale_values",
    "year_span",
]


def rank_descending(scores: pd.Series | SeriesGroupBy[Any, Any]) -> pd.Series:
    """Ranks with 1 = best (highest score), ties get the minimum rank, missing gets none.

    A grouped series is ranked within each group (per year and code, say).

    >>> rank_descending(pd.Series([10.0, 30.0, 30.0, None])).tolist()
    [3, 1, 1, <NA>]
    """
    return scores.rank(ascending=False, method="min", na_option="keep").astype("Int64")


def descending_ranks(scores: NDArray[np.float64]) -> NDArray[np.int64]:
    """Ranks along the last axis: 1 for the highest score, ties share the lowest rank (as
    :func:`rank_descending`), 0 where a score is missing.

    The rank of ``x`` is ``1 + count(scores > x)``, from one sort per row. Missing
    values sort last as ``+inf`` (a sort without NaN is twice as fast); a score of
    ``-inf`` ties with them, which is its rank, and the missing get 0.

    >>> descending_ranks(np.array([[3.0, np.nan, 3.0, 1.0], [-np.inf, 2.0, np.nan, 2.0]]))
    array([[1, 0, 1, 3],
           [3, 1, 0, 1]])
    """
    missing = np.isnan(scores)
    keys = np.ascontiguousarray(np.where(missing, np.inf, -scores))  # ascending = best first
    order = np.argsort(keys, axis=-1)  # ties share a rank, so their order does not matter
    ordered = np.take_along_axis(keys, order, axis=-1)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    place = np.arange(scores.shape[-1])
    first = np.maximum.accumulate(np.where(starts, place, 0), axis=-1)
    ranks = np.empty(scores.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, first + 1, axis=-1)
    ranks[missing] = 0
    return ranks


def year_span(years: list[int]) -> str:
    """A range of years as text.

    >>> year_span([2021, 2023, 2020]), year_span([2024]), year_span([])
    ('2020-2023', '2024', '-')
    """
    if not years:
        return "-"
    low, high = min(years), max(years)
    return str(low) if low == high else f"{low}-{high}"


def ranking_table(
    result: IndexResult, year: int | None = None, digits: int | None = None
) -> pd.DataFrame:
    """The ranking of the index in one edition: rank, unit, name, score, the scores of
    the index's children (pillars), the data years used, and how many of the unit's
    values are stale (flag ``o``: more than ``stale_after`` years behind the edition)
    or imputed (``i``); each of the last two columns only when the edition has such
    values.

    Scores are rounded to ``digits`` decimals: by default 1 for scores on a scale such
    as 0-100 and 3 for scores within -10 and 10 (a 0-1 scale such as the HDI's).

    Raises
    ------
    UnknownCodeError
        If ``year`` is not in the result.
    ComputationError
        If no unit has an index score in ``year``, naming the parts without data.
    """
    year = result.years[-1] if year is None else year
    ranking = result.ranking(year)
    if not ranking["score"].notna().any():
        raise ComputationError(f"No unit has an index score in {year}: {_why_empty(result, year)}.")
    fw = result.framework
    units = ranking["country"].to_numpy()
    wide = result.datasets["aggregated"].xs(year, level="year")
    if digits is None:
        digits = default_digits(wide[[fw.root, *fw.children(fw.root)]].to_numpy())
    table = pd.DataFrame(
        {
            "rank": ranking["rank"].to_numpy(),
            "country": units,
            "name": [result.data.names.get(c, c) for c in units],
            "score": ranking["score"].round(digits).to_numpy(),
        }
    )
    for pillar in fw.children(fw.root):
        table[pillar] = wide.loc[units, pillar].round(digits).to_numpy()
    years = result.data_years.xs(year, level="year").loc[units]
    cells = years.to_numpy(dtype="float64", na_value=np.nan)
    table["data years"] = [year_span(row[~np.isnan(row)].astype(int).tolist()) for row in cells]
    flags = result.flags.xs(year, level="year").loc[units]
    for mark, column in (("o", "stale"), ("i", "imputed")):
        counts = marked(flags, mark).sum(axis=1)
        if counts.any():  # shown only when the edition has such values
            table[column] = counts
    return table


def marked(flags: pd.DataFrame | pd.Series, mark: str) -> NDArray[np.bool_]:
    """Which cells of a flags table hold the letter ``mark`` (one vectorised search).

    >>> marked(pd.DataFrame({"a": ["eo", ""], "b": ["i", "o"]}), "o").tolist()
    [[True, False], [False, True]]
    """
    text = pd.Series(flags.to_numpy(dtype=object).ravel(), dtype="str")
    found = text.str.contains(mark, regex=False).fillna(False).to_numpy(dtype=bool)
    return found.reshape(flags.shape)


def default_digits(scores: object) -> int:
    """Decimals that show scores: 3 when every score lies within -10 and 10, else 1.

    >>> default_digits([0.944, 0.5]), default_digits([68.5, 12.0])
    (3, 1)
    """
    values = pd.Series(pd.to_numeric(pd.Series(np.ravel(np.asarray(scores))), errors="coerce"))
    largest = values.abs().max()
    return 3 if pd.notna(largest) and largest <= 10 else 1


def stale_values(result: IndexResult, year: int | None = None) -> pd.DataFrame:
    """The stale values (flag ``o``) of one edition: per indicator, the data years used
    and how many countries have a stale value.

    Returns
    -------
    pandas.DataFrame
        ``indicator, data_years, countries``, one row per indicator with a stale value.
    """
    year = result.years[-1] if year is None else year
    flags = result.flags.xs(year, level="year")
    years = result.data_years.xs(year, level="year")
    rows = []
    for code, stale in zip(flags.columns, marked(flags, "o").T, strict=True):
        if stale.any():
            used = sorted(int(y) for y in years.loc[stale, code].dropna().unique())
            rows.append({"indicator": code, "data_years": ", ".join(map(str, used)),
                         "countries": int(stale.sum())})  # fmt: skip
    return pd.DataFrame(rows, columns=["indicator", "data_years", "countries"])


def _why_empty(result: IndexResult, year: int) -> str:
    fw = result.framework
    scores = result.datasets["aggregated"].xs(year, level="year")
    empty = [code for code in fw.children(fw.root) if bool(scores[code].isna().all())]
    if empty:
        return f"these parts have no data in it: {empty}"
    return "the coverage rules leave none"
