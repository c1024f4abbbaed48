"""Reference periods: annual, half-year, quarter and month periods to data years.

Publishers label periods as ``2023`` (annual), ``2023-S1`` (semester), ``2023-Q2``
(quarter) or ``2025-06`` (a month, e.g. a TOP500 list edition). The data year of a
sub-annual period is its calendar year. When a country has several periods in the
same year, :func:`latest_in_year` keeps the last one (``S2`` over ``S1``, the
November TOP500 list over the June one): the last published figure of the year,
never an average.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["latest_in_year", "parse_period"]

_PERIOD = re.compile(r"^(\d{4})(?:-?(S[12]|Q[1-4]|M?\d{2}))?$")


def parse_period(text: str) -> tuple[int, int] | None:
    """Split a period label into ``(year, position in year)``; ``None`` if not a period.

    The position orders periods within a year on a monthly scale: the last month
    of the period (``S1`` -> 6, ``Q3`` -> 9, ``2025-06`` -> 6); an annual period is 12.

    Examples
    --------
    >>> parse_period("2023"), parse_period("2023-S1"), parse_period("2025-06")
    ((2023, 12), (2023, 6), (2025, 6))
    >>> parse_period("2023-Q3"), parse_period("2023M11"), parse_period("soon") is None
    ((2023, 9), (2023, 11), True)
    """
    match = _PERIOD.match(str(text).strip())
    if match is None:
        return None
    year, part = int(match.group(1)), match.group(2)
    if part is None:
        return year, 12
    if part[0] == "S":
        return year, 6 * int(part[1])
    if part[0] == "Q":
        return year, 3 * int(part[1])
    month = int(part.lstrip("M"))
    return (year, month) if 1 <= month <= 12 else None


def latest_in_year(frame: pd.DataFrame, *, keys: tuple[str, ...] = ("country",)) -> pd.DataFrame:
    """Keep, for each ``keys`` and calendar year, the row of the latest period.

    ``frame`` has a text column ``period``; the result gains an integer ``year``
    column (the calendar year of the period kept). Rows of earlier periods of the
    same year are left out on purpose, never averaged in.

    Raises
    ------
    ValueError
        If a period label cannot be read (the label is named).

    Examples
    --------
    >>> rows = pd.DataFrame({"country": ["AT", "AT", "AT"],
    ...                      "period": ["2023-S1", "2023-S2", "2024-S1"], "value": [1, 2, 3]})
    >>> latest_in_year(rows)[["period", "year", "value"]].to_dict("list")
    {'period': ['2023-S2', '2024-S1'], 'year': [2023, 2024], 'value': [2, 3]}
    """
    parsed = frame["period"].map(parse_period)
    bad = frame.loc[parsed.isna(), "period"].unique().tolist()
    if bad:
        raise ValueError(
            f"periods {bad} cannot be read; expected 2023, 2023-S1, 2023-Q1 or 2023-06"
        )
    out = frame.assign(year=[p[0] for p in parsed], _position=[p[1] for p in parsed]).sort_values(
        [*keys, "year", "_position"], kind="stable"
    )
    out = out.drop_duplicates([*keys, "year"], keep="last")
    return out.drop(columns="_position").reset_index(drop=True)
