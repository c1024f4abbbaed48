"""Editions: the data an annual edition of the index uses.

An edition ``e`` uses, for each country and indicator, the latest data year ``t``
with a value such that ``t <= e`` and ``e - t <= a``, where ``a`` is the
indicator's ``max_age`` (or the default given, or no limit). The selected rows
are relabelled ``year = e`` and keep the real year in ``data_year``. Because an
edition only looks at years up to its own, adding a later data year never changes
an earlier edition.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from readiness_index.errors import DataValidationError
from readiness_index.model.data import IndicatorData, check_inputs
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import EditionsSpec

__all__ = ["edition_data", "edition_years", "latest_editions", "max_ages", "select_editions",
           "select_year"]  # fmt: skip


def select_year(years: Iterable[int], edition: int, max_age: int | None = None) -> int | None:
    """The data year an edition uses: ``max{t : t <= e, e - t <= a}`` (``None`` if none).

    Parameters
    ----------
    years : iterable of int
        The years with a value.
    edition : int
        The edition year ``e``.
    max_age : int, optional
        The largest age ``a`` allowed; ``None`` for no limit.

    Examples
    --------
    >>> select_year([2019, 2021, 2023], 2022), select_year([2019, 2021, 2023], 2025, 1)
    (2021, None)
    >>> select_year([2021, 2023], 2023, max_age=0)
    2023
    """
    allowed = [t for t in years if t <= edition and (max_age is None or edition - t <= max_age)]
    return max(allowed) if allowed else None


def max_ages(framework: Framework, default: int | None = None) -> dict[str, int | None]:
    """The maximum data age of every indicator and denominator of ``framework``.

    An indicator's own ``max_age`` wins; denominators and indicators without one
    take ``default``.

    >>> from readiness_index.model.framework import Aggregate, Indicator
    >>> fw = Framework(aggregates=(Aggregate(code="i", name="I"),),
    ...                indicators=(Indicator(code="a", name="A", parent="i", max_age=2),
    ...                            Indicator(code="b", name="B", parent="i")))
    >>> max_ages(fw, default=5)
    {'a': 2, 'b': 5}
    """
    ages: dict[str, int | None] = {i.code: i.max_age for i in framework.indicators}
    ages = {code: default if age is None else age for code, age in ages.items()}
    ages.update({d.code: default for d in framework.denominators})
    return ages


def select_editions(
    long: pd.DataFrame, editions: Iterable[int], ages: Mapping[str, int | None]
) -> pd.DataFrame:
    """The long rows of each edition, vectorised over countries and indicators.

    Rows without a value are never selected. The result has ``year`` = edition and
    ``data_year`` = the year the value was published for.

    Examples
    --------
    >>> long = pd.DataFrame({"country": "AT", "indicator": "a", "year": [2021, 2023],
    ...                      "value": [1.0, 2.0]})
    >>> select_editions(long, [2022, 2024, 2026], {"a": 2})[["year", "data_year", "value"]]
       year data_year  value
    0  2022      2021    1.0
    1  2024      2023    2.0
    """
    present = long.loc[long["value"].notna()].drop(columns=["data_year"], errors="ignore")
    present = present.assign(year=present["year"].astype("int64"))
    limit = present["indicator"].map(lambda code: ages.get(code)).astype("float64")
    oldest = limit.fillna(np.inf).to_numpy()
    year = present["year"].to_numpy(dtype="int64")
    key = pd.MultiIndex.from_frame(present[["country", "indicator"]]).codes
    series = key[0].astype(np.int64) * (int(key[1].max(initial=0)) + 1) + key[1]
    by_year = np.argsort(year, kind="stable")
    rows, labels = [], []
    for edition in sorted(set(editions)):
        age = edition - year
        fits = by_year[((age >= 0) & (age <= oldest))[by_year]]
        # the latest fitting row of each country and indicator: the last in year order
        newest_first = fits[::-1]
        _, first = np.unique(series[newest_first], return_index=True)
        rows.append(np.sort(newest_first[first]))
        labels.append(np.full(len(rows[-1]), edition, dtype=np.int64))
    if not rows:
        return present.iloc[0:0].assign(data_year=pd.Series(dtype="string"))
    latest = present.iloc[np.concatenate(rows)].reset_index(drop=True)
    out = latest.assign(data_year=latest["year"].astype(str), year=np.concatenate(labels))
    out["data_year"] = out["data_year"].astype("string")
    out["year"] = out["year"].astype("Int64")
    return out.sort_values(["year", "indicator", "country"], ignore_index=True)


def edition_data(
    framework: Framework,
    data: IndicatorData,
    editions: Iterable[int],
    max_age: int | None = None,
) -> IndicatorData:
    """Indicator data relabelled by edition, with the real year in ``data_year``.

    Parameters
    ----------
    framework : Framework
        Gives each indicator's ``max_age``.
    data : IndicatorData
        Validated data, every year published.
    editions : iterable of int
        The edition years, e.g. ``range(2021, 2026)``.
    max_age : int, optional
        Maximum age for indicators and denominators that declare none; ``None``
        for no limit.

    Returns
    -------
    IndicatorData
        One row per edition, country and indicator with a value in reach.

    Raises
    ------
    DataValidationError
        If no edition is given.

    Examples
    --------
    >>> from readiness_index.model.framework import Aggregate, Indicator
    >>> from readiness_index.model.data import prepare_data
    >>> fw = Framework(aggregates=(Aggregate(code="i", name="I"),),
    ...                indicators=(Indicator(code="a", name="A", parent="i", max_age=1),))
    >>> rows = pd.DataFrame({"country": "AT", "year": [2021, 2023], "indicator": "a",
    ...                      "value": [1.0, 2.0]})
    >>> ed = edition_data(fw, prepare_data(rows, fw), [2022, 2023, 2025])
    >>> ed.long[["year", "data_year", "value"]].values.tolist()
    [[2022, '2021', 1.0], [2023, '2023', 2.0]]
    """
    check_inputs(framework, data, "edition_data")
    editions = list(editions)
    if not editions:
        raise DataValidationError("edition_data needs at least one edition year; found none")
    selected = select_editions(data.long, editions, max_ages(framework, max_age))
    return IndicatorData(selected, data.groups, data.names)


def edition_years(data_years: Iterable[int], count: int, year: int | None = None) -> list[int]:
    """The ``count`` editions up to ``year`` (the latest data year by default).

    Editions start no earlier than the earliest data year.

    Raises
    ------
    DataValidationError
        If ``year`` lies outside the data years.

    Examples
    --------
    >>> edition_years([2019, 2020, 2023], 5)
    [2019, 2020, 2021, 2022, 2023]
    >>> edition_years([2015, 2023], 3, year=2022)
    [2020, 2021, 2022]
    """
    years = sorted(set(data_years))
    if not years:
        raise DataValidationError("The data have no year, so no edition can be built.")
    earliest, latest = years[0], years[-1]
    if year is not None and not earliest <= year <= latest:
        raise DataValidationError(
            f"No edition {year}: the data run from {earliest} to {latest}. "
            f"Choose a year between {earliest} and {latest}."
        )
    last = latest if year is None else year
    return list(range(max(earliest, last - count + 1), last + 1))


def latest_editions(
    framework: Framework, data: IndicatorData, spec: EditionsSpec, year: int | None = None
) -> IndicatorData:
    """The editions a methodology's ``editions`` entry asks for, up to ``year``.

    Examples
    --------
    >>> from readiness_index.model.framework import Aggregate, Indicator
    >>> from readiness_index.model.data import prepare_data
    >>> fw = Framework(aggregates=(Aggregate(code="i", name="I"),),
    ...                indicators=(Indicator(code="a", name="A", parent="i"),))
    >>> rows = pd.DataFrame({"country": "AT", "year": [2020, 2023], "indicator": "a",
    ...                      "value": [1.0, 2.0]})
    >>> ed = latest_editions(fw, prepare_data(rows, fw), EditionsSpec(count=2))
    >>> ed.long[["year", "data_year", "value"]].values.tolist()
    [[2022, '2020', 1.0], [2023, '2023', 2.0]]
    """
    editions = edition_years(data.years, spec.count, year)
    return edition_data(framework, data, editions, spec.max_age)
