"""Indicator data: the validated long table and its wide view.

:class:`IndicatorData` holds the long table (``country, year, indicator, value,
flag, source``) and, optionally, unit groups. Inside the library the data are
wide: one row per ``(country, year)`` and one column per indicator; this module
is the one place where long becomes wide.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any, cast

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from readiness_index.errors import DataValidationError
from readiness_index.model.contract import validate_long
from readiness_index.model.framework import Framework
from readiness_index.model.identifiers import CODE_RULE, valid_codes

__all__ = [
    "IndicatorData",
    "WideLayout",
    "check_inputs",
    "level_values",
    "no_rows",
    "prepare_data",
    "to_long",
    "to_wide",
    "wide_cells",
    "wide_layout",
    "with_corrections",
]


_KEY = ["country", "year", "indicator"]
_CORRECTED = [*_KEY, "replaced", "value", "source"]


@dataclass(frozen=True, eq=False)
class IndicatorData:
    """Validated indicator data in long format, with optional unit groups.

    Parameters
    ----------
    long : pandas.DataFrame
        Validated long table (see :func:`prepare_data`).
    groups : pandas.DataFrame
        One row per country (index ``country``), one column per grouping
        variable (for group imputation and reports); may be empty.
    names : dict of str to str
        Unit names by code, when known.
    corrections : pandas.DataFrame
        The values that corrections replaced or added (see :func:`with_corrections`):
        ``country, year, indicator, replaced, value, source``; empty without corrections.
    """

    long: pd.DataFrame
    groups: pd.DataFrame = field(default_factory=pd.DataFrame)
    names: dict[str, str] = field(default_factory=dict)
    corrections: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_CORRECTED))

    def __post_init__(self) -> None:
        """Codes are checked even when the table did not come through :func:`prepare_data`:
        a unit or indicator code becomes a file name and a link in reports."""
        for column in ("country", "indicator"):
            if column in self.long.columns:
                codes = pd.Series(self.long[column].dropna().unique())
                bad = codes[~valid_codes(codes)].head(5).tolist()
                if bad:
                    raise DataValidationError(
                        f"IndicatorData: {column} codes {bad} break the code rule; a code "
                        f"has {CODE_RULE}. Build the data with prepare_data to see every failure."
                    )

    @property
    def countries(self) -> list[str]:
        """Countries present in the data, sorted."""
        return sorted(self.long["country"].unique())

    @property
    def years(self) -> list[int]:
        """Years present in the data, sorted."""
        return sorted(int(y) for y in self.long["year"].unique())

    def wide(self, codes: list[str] | None = None, column: str = "value") -> pd.DataFrame:
        """The wide table of ``column`` for ``codes`` (all indicators when ``None``)."""
        return to_wide(self.long, codes, column=column, layout=self.layout)

    def cells(self, codes: list[str], column: str = "value") -> tuple[pd.MultiIndex, NDArray[Any]]:
        """The rows and cells of the wide table, as :func:`wide_cells` gives them."""
        return wide_cells(self.long, codes, column=column, layout=self.layout)

    @cached_property
    def layout(self) -> WideLayout:
        """Where each long row goes in the wide tables (computed on first use)."""
        return wide_layout(self.long)

    def select_years(self, years: list[int]) -> IndicatorData:
        """The same data restricted to ``years``."""
        keep = self.long["year"].isin(years)
        return IndicatorData(self.long.loc[keep].copy(), self.groups, self.names, self.corrections)

    @cached_property
    def content_hash(self) -> str:
        """A stable SHA-256 of the values, flags and sources (independent of row order)."""
        cols = ["country", "year", "indicator", "value", "flag", "source"]
        table = self.long[cols].sort_values(["indicator", "country", "year"])
        payload = table.to_csv(index=False, float_format="%.17g")
        if not self.groups.empty:
            payload += self.groups.sort_index().to_csv()
        return hashlib.sha256(payload.encode()).hexdigest()


def check_inputs(framework: object, data: object, caller: str) -> None:
    """Refuse a framework or data of the wrong kind, saying what to pass instead.

    Every function that takes a framework and data takes them in this order
    (framework, data, then methodology); the message says so when they come swapped.

    Raises
    ------
    TypeError
        Naming the argument, the kind expected and the kind found.

    Examples
    --------
    >>> check_inputs(IndicatorData(pd.DataFrame()), Framework.model_construct(), "f")
    Traceback (most recent call last):
    ...
    TypeError: f(framework, data, ...): the framework comes first; found IndicatorData, Framework
    """
    if isinstance(framework, IndicatorData) and isinstance(data, Framework):
        raise TypeError(
            f"{caller}(framework, data, ...): the framework comes first; "
            "found IndicatorData, Framework"
        )
    if not isinstance(framework, Framework):
        raise TypeError(
            f"{caller}: framework must be a Framework (see readiness_index.load_framework); "
            f"found {type(framework).__name__}"
        )
    if not isinstance(data, IndicatorData):
        raise TypeError(
            f"{caller}: data must be IndicatorData (turn a DataFrame into one with "
            f"readiness_index.prepare_data); found {type(data).__name__}"
        )


def prepare_data(
    frame: pd.DataFrame,
    framework: Framework,
    *,
    groups: pd.DataFrame | None = None,
    names: dict[str, str] | None = None,
    file: str = "<DataFrame>",
) -> IndicatorData:
    """Validate a long table against ``framework`` and wrap it as :class:`IndicatorData`.

    Unit groups come from ``groups`` when given, else from the framework's units.

    Examples
    --------
    >>> from readiness_index.model.framework import Aggregate, Framework, Indicator
    >>> fw = Framework(aggregates=(Aggregate(code="index", name="I"),),
    ...                indicators=(Indicator(code="a", name="A", parent="index"),))
    >>> rows = pd.DataFrame({"country": ["AT", "BE"], "year": [2024, 2024],
    ...                      "indicator": ["a", "a"], "value": [1.0, 2.0]})
    >>> prepare_data(rows, fw).wide()
    indicator       a
    country year
    AT      2024  1.0
    BE      2024  2.0
    """
    long = validate_long(frame, framework, file=file)
    long = long.reset_index(drop=True)
    if groups is None:
        groups = _framework_groups(framework)
    unit_names = dict(names or {}) or {u.code: u.name for u in framework.units}
    return IndicatorData(long, groups, unit_names)


def with_corrections(data: IndicatorData, rows: pd.DataFrame) -> IndicatorData:
    """The data with validated long ``rows`` replacing the rows of the same
    ``country, year, indicator`` (and added where there is none); every replaced or
    added value is listed in ``corrections`` (``replaced`` is missing for an addition).

    Examples
    --------
    >>> long = pd.DataFrame({"country": ["AT", "BE"], "year": 2024, "indicator": "a",
    ...                      "value": [1.0, 2.0], "flag": "", "source": "shipped"})
    >>> fix = long.iloc[[1]].assign(value=3.0, source="my correction")
    >>> fixed = with_corrections(IndicatorData(long), fix)
    >>> fixed.long["value"].tolist()
    [1.0, 3.0]
    >>> fixed.corrections[["country", "replaced", "value"]].to_dict("records")
    [{'country': 'BE', 'replaced': 2.0, 'value': 3.0}]
    """
    if rows.empty:
        return data
    base = data.long.set_index(_KEY)
    fixes = rows.set_index(_KEY)
    replaced = base["value"].reindex(fixes.index)
    long = pd.concat([base.loc[~base.index.isin(fixes.index)], fixes]).reset_index()
    listed = fixes.assign(replaced=replaced.to_numpy()).reset_index()[_CORRECTED]
    corrections = (
        pd.concat([data.corrections, listed], ignore_index=True)
        if len(data.corrections)
        else listed
    )
    return IndicatorData(long[data.long.columns], data.groups, data.names, corrections)


def _framework_groups(framework: Framework) -> pd.DataFrame:
    rows = {u.code: u.groups for u in framework.units if u.groups}
    if not rows:
        return pd.DataFrame()
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "country"
    return frame


def to_wide(
    long: pd.DataFrame,
    codes: list[str] | None = None,
    *,
    column: str = "value",
    layout: WideLayout | None = None,
) -> pd.DataFrame:
    """Pivot a long table to ``(country, year) x indicator``.

    Rows are every ``(country, year)`` of the table, sorted; columns follow ``codes``
    (indicators without data become all-missing columns; all indicators, sorted, when
    ``None``). ``value`` comes back as floats, other columns in their own type.

    >>> long = pd.DataFrame({"country": ["AT"], "year": [2024], "indicator": ["a"],
    ...                      "value": [1.0]})
    >>> to_wide(long, ["a", "b"]).columns.tolist()
    ['a', 'b']
    """
    wanted = sorted(_distinct_codes(long)) if codes is None else list(codes)
    index, cells = wide_cells(long, wanted, column=column, layout=layout)
    dtype = None if codes is not None else long["indicator"].dtype
    wide = pd.DataFrame(cells, index=index, columns=pd.Index(wanted, name="indicator", dtype=dtype))
    if column == "value":
        return wide
    # as a pivot gives them: the column's type where there are data, else all-NaN floats
    present = _distinct_codes(long)
    return wide.astype({c: long[column].dtype if c in present else "float64" for c in wanted})


@dataclass(frozen=True)
class WideLayout:
    """Where each row of a long table goes in its wide table.

    ``index`` holds the sorted ``(country, year)`` rows of the wide table, ``rows`` each
    long row's position among them, ``indicators`` each long row's position in
    ``found`` (the distinct indicator codes, ``-1`` for a missing code).
    """

    index: pd.MultiIndex
    rows: NDArray[np.intp]
    indicators: NDArray[np.intp]
    found: pd.Index


def wide_layout(long: pd.DataFrame) -> WideLayout:
    """The :class:`WideLayout` of a long table (computed once per table)."""
    rows, index = _row_positions(long)
    indicators, found = pd.factorize(long["indicator"])
    return WideLayout(index, rows, indicators.astype(np.intp), pd.Index(found))


def wide_cells(
    long: pd.DataFrame,
    codes: list[str],
    *,
    column: str = "value",
    layout: WideLayout | None = None,
    values: NDArray[Any] | None = None,
    fill: Any = np.nan,
) -> tuple[pd.MultiIndex, NDArray[Any]]:
    """The rows of the wide table and its cells as one NumPy array (no pandas pivot).

    Each cell is placed by its row and column position in one assignment; missing
    cells are NaN. ``value`` gives floats, any other column Python objects. ``values``
    (one per long row) are placed instead of a column, with ``fill`` where no row is.
    """
    layout = layout or wide_layout(long)
    position = {code: j for j, code in enumerate(codes)}
    lookup = np.array([*(position.get(code, -1) for code in layout.found), -1], dtype=np.intp)
    columns = lookup[layout.indicators]
    keep = columns >= 0
    if values is None:
        dtype: Any = "float64" if column == "value" else object
        values = long[column].to_numpy(dtype=dtype, na_value=np.nan)
    cells = np.full((len(layout.index), len(codes)), fill, dtype=values.dtype)
    cells[layout.rows[keep], columns[keep]] = values[keep]
    return layout.index, cells


def _distinct_codes(long: pd.DataFrame) -> set[str]:
    return {str(code) for code in long["indicator"].dropna().unique()}


def _row_positions(long: pd.DataFrame) -> tuple[NDArray[np.intp], pd.MultiIndex]:
    """Each row's position among the sorted ``(country, year)`` pairs, and those pairs."""
    country, countries = pd.factorize(long["country"], sort=True)
    year, years = pd.factorize(long["year"].astype("int64"), sort=True)
    pairs, positions = np.unique(country * len(years) + year, return_inverse=True)
    index = pd.MultiIndex.from_arrays(
        [countries[pairs // len(years)], years[pairs % len(years)]], names=["country", "year"]
    )
    return positions.astype(np.intp), index


def to_long(wide: pd.DataFrame, *, value_name: str = "value") -> pd.DataFrame:
    """Melt a ``(country, year) x code`` table back to long rows (missing cells dropped).

    >>> wide = pd.DataFrame({"a": [1.0]}, index=pd.MultiIndex.from_tuples(
    ...     [("AT", 2024)], names=["country", "year"]))
    >>> to_long(wide).to_dict("records")
    [{'country': 'AT', 'year': 2024, 'code': 'a', 'value': 1.0}]
    """
    stacked = cast(pd.Series, wide.rename_axis(columns="code").stack(future_stack=True)).dropna()
    return stacked.to_frame(value_name).reset_index()


def level_values(index: pd.Index, name: str) -> np.ndarray:
    """The values of level ``name`` (``country`` or ``year``) of a wide table's index, one
    per row: ``index.get_level_values(name).to_numpy()``, made from the level's distinct
    values and the rows' codes (several times faster for a build's small tables).

    >>> index = pd.MultiIndex.from_tuples([("AT", 2024), ("BE", 2024)], names=["country", "year"])
    >>> level_values(index, "country").tolist(), level_values(index, "year").tolist()
    (['AT', 'BE'], [2024, 2024])
    """
    multi = cast(pd.MultiIndex, index)
    level = multi.names.index(name)
    codes = multi.codes[level]
    if (codes < 0).any():  # a missing label: the slow way, which knows it
        return np.asarray(multi.get_level_values(name).to_numpy())
    return np.asarray(multi.levels[level].to_numpy()[codes])


def no_rows(*columns: str) -> pd.DataFrame:
    """A table with ``columns`` and no rows (a copy of one made once per set of columns,
    which is many times faster than making it anew).

    >>> no_rows("country", "note").columns.tolist()
    ['country', 'note']
    """
    return _no_rows(columns).copy()


@cache
def _no_rows(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))
