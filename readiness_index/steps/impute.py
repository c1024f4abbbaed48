"""Imputation: fill missing indicator values by a declared rule.

Cross-sectional rules (``mean``, ``median`` and their ``group_`` variants) work
column by column over the units of one year, as COINr's ``i_mean``, ``i_median``,
``i_mean_grp`` and ``i_median_grp``. Panel rules work along the years of one unit:
``latest`` carries the latest earlier value forward (COINr's ``impute_panel``),
``linear`` interpolates between the nearest earlier and later values (R's ``approx(rule = 2)``:
the nearest value is carried to the ends).

The imputer returns the filled table and a boolean mask of the imputed cells, so
every imputed value is flagged in the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar, cast

import numpy as np
import pandas as pd

from readiness_index.errors import MethodologyError
from readiness_index.model.data import level_values
from readiness_index.model.methodology import ImputeSpec
from readiness_index.model.registry import Method, Registry

__all__ = [
    "IMPUTATIONS",
    "Imputation",
    "Imputer",
    "impute_group",
    "impute_latest",
    "impute_linear",
    "impute_mean",
    "impute_median",
    "register_imputation",
]


def impute_mean(x: np.ndarray) -> np.ndarray:
    """Replace missing values by the mean of the present ones: ``x_i <- mean(x)``.

    >>> impute_mean(np.array([1.0, np.nan, 3.0]))
    array([1., 2., 3.])
    """
    if np.all(np.isnan(x)):
        return x.copy()
    return np.where(np.isnan(x), np.nanmean(x), x)


def impute_median(x: np.ndarray) -> np.ndarray:
    """Replace missing values by the median of the present ones: ``x_i <- median(x)``.

    >>> impute_median(np.array([1.0, np.nan, 3.0, 10.0]))
    array([ 1.,  3.,  3., 10.])
    """
    if np.all(np.isnan(x)):
        return x.copy()
    return np.where(np.isnan(x), np.nanmedian(x), x)


_Values = TypeVar("_Values", pd.Series, pd.DataFrame)


def impute_group(x: _Values, groups: pd.Series, statistic: str = "mean") -> _Values:
    """Replace missing values by the mean (or median) of the unit's group.

    A unit without a group, or a group with no value, stays missing. ``x`` is one
    indicator (a series) or several (a frame, each column on its own).

    >>> x = pd.Series([1.0, np.nan, 5.0, np.nan])
    >>> impute_group(x, pd.Series(["a", "a", "b", "b"])).tolist()
    [1.0, 1.0, 5.0, 5.0]
    """
    codes = pd.factorize(groups.to_numpy())[0]
    values = x.to_numpy(dtype="float64").reshape(len(x), -1)
    filled = _fill_by_group(values, codes, statistic)
    if isinstance(x, pd.DataFrame):
        return pd.DataFrame(filled, index=x.index, columns=x.columns)
    return pd.Series(filled[:, 0], index=x.index, name=x.name)


def _fill_by_group(values: np.ndarray, codes: np.ndarray, statistic: str) -> np.ndarray:
    """``values`` (unit x indicator) with each missing value replaced by the statistic of
    the values present in its unit's group (``codes``: a group number per unit, ``-1``
    for none); a new array."""
    grouped = codes >= 0
    statistics = _group_statistics(values[grouped], codes[grouped], statistic)
    fill = np.full_like(values, np.nan)
    fill[grouped] = statistics[codes[grouped]]
    return np.where(np.isnan(values), fill, values)


def _group_statistics(values: np.ndarray, codes: np.ndarray, statistic: str) -> np.ndarray:
    """``(group, indicator)``: the mean or median of the values present of each group
    (``NaN`` for none), the groups numbered ``0 ... max(codes)``.

    pandas' grouped mean sums with compensation (Kahan summation), closer to the exact
    mean than NumPy's pairwise sum; it runs here on the bare array, by group number.
    """
    out = np.full((int(codes.max()) + 1 if codes.size else 0, values.shape[1]), np.nan)
    grouped = pd.DataFrame(values).groupby(codes)
    by_group = grouped.mean() if statistic == "mean" else grouped.median()
    out[by_group.index.to_numpy()] = by_group.to_numpy(dtype="float64")
    return out


def impute_latest(panel: pd.DataFrame, max_years: int | None = None) -> pd.DataFrame:
    """Carry each unit's latest earlier value forward: ``x_t <- x_s``, ``s`` the latest year < t.

    ``panel`` is one indicator as ``year x country``. At most ``max_years`` earlier
    time points are searched (COINr's ``max_time``).

    >>> panel = pd.DataFrame({"AT": [1.0, np.nan, np.nan]}, index=[2020, 2021, 2022])
    >>> impute_latest(panel, max_years=1)["AT"].tolist()
    [1.0, 1.0, nan]
    """
    return panel.sort_index().ffill(limit=max_years)


def impute_linear(panel: pd.DataFrame) -> pd.DataFrame:
    """Interpolate linearly in time; before the first and after the last value, carry it.

    ``x_t = x_a + (x_b - x_a) (t - a) / (b - a)`` between a unit's nearest earlier and
    later values; outside them the nearest value is used (as R's ``approx(rule = 2)``,
    on which COINr's linear panel imputation rests). A unit with no value stays missing.

    >>> panel = pd.DataFrame({"AT": [np.nan, 1.0, np.nan, 5.0, np.nan]},
    ...                      index=[2019, 2020, 2021, 2023, 2024])
    >>> impute_linear(panel)["AT"].tolist()
    [1.0, 1.0, 2.333333333333333, 5.0, 5.0]
    """
    inside = panel.sort_index().interpolate(method="index", limit_area="inside")
    return inside.ffill().bfill()


def _by_column(
    values: np.ndarray, rule: Callable[..., np.ndarray], **options: object
) -> np.ndarray:
    """``rule`` applied to each column of ``values`` (the rows of one year)."""
    filled = [rule(values[:, j], **options) for j in range(values.shape[1])]
    return np.column_stack(filled) if filled else values


@dataclass(frozen=True)
class Imputation(Method):
    """A registered imputation rule.

    ``kind`` says what the function works on: ``column`` (one indicator's values over
    the units of one year, ``f(x) -> x``), ``group`` (a column and the units' groups) or
    ``panel`` (one indicator as ``year x country``).
    """

    kind: str = field(default="column")


#: Every imputation rule, by name.
IMPUTATIONS: Registry[Imputation] = Registry("impute")


def register_imputation(
    name: str,
) -> Callable[[Callable[..., np.ndarray]], Callable[..., np.ndarray]]:
    """Register a user's imputation rule under ``name`` (a decorator).

    The function is called as ``function(x, **options)`` with ``x`` one indicator's
    values over the units of one year (``NaN`` = missing) and returns them filled;
    ``options`` come from the methodology (``impute: {method: name, options: {...}}``).
    Every cell it fills is flagged ``i``, as with a built-in rule.

    Examples
    --------
    >>> @register_imputation("minimum")
    ... def minimum(x):
    ...     '''Fill with the lowest value present: ``x_i <- min(x)``.'''
    ...     return np.where(np.isnan(x), np.nanmin(x), x)
    >>> idx = pd.MultiIndex.from_tuples([("A", 2024), ("B", 2024)], names=["country", "year"])
    >>> filled, _ = Imputer(ImputeSpec(method="minimum"), pd.DataFrame()).transform(
    ...     pd.DataFrame({"x": [2.0, np.nan]}, index=idx))
    >>> filled["x"].tolist()
    [2.0, 2.0]
    """

    def register(function: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
        IMPUTATIONS.add(Imputation(name, function, frozenset({"options"}), builtin=False))
        return function

    return register


def _no_imputation(x: np.ndarray) -> np.ndarray:
    """No imputation: missing values stay missing."""
    return x.copy()


for _name, _function, _kind, _parameters in (
    ("none", _no_imputation, "column", ()),
    ("mean", impute_mean, "column", ()),
    ("median", impute_median, "column", ()),
    ("group_mean", impute_group, "group", ("group",)),
    ("group_median", impute_group, "group", ("group",)),
    ("latest", impute_latest, "panel", ("max_years",)),
    ("linear", impute_linear, "panel", ()),
):
    IMPUTATIONS.add(Imputation(_name, _function, frozenset(_parameters), True, _kind))


@dataclass(frozen=True)
class Imputer:
    """Apply an :class:`~readiness_index.model.methodology.ImputeSpec` to a wide table.

    Parameters
    ----------
    spec : ImputeSpec
        The rule (a name of :data:`IMPUTATIONS`).
    groups : pandas.DataFrame
        Unit groups (index ``country``), needed by the ``group_`` rules.
    """

    spec: ImputeSpec
    groups: pd.DataFrame

    def transform(self, wide: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Return ``(filled, imputed_mask)``; the input is not changed."""
        kind = IMPUTATIONS[self.spec.method].kind
        if self.spec.method == "none":
            filled = wide.copy()
        elif kind == "panel":
            filled = self._panel(wide)
        else:
            filled = self._cross_section(wide)
        imputed = ~np.isnan(filled.to_numpy(dtype="float64")) & np.isnan(
            wide.to_numpy(dtype="float64")
        )
        return filled, pd.DataFrame(imputed, index=wide.index, columns=wide.columns)

    def _cross_section(self, wide: pd.DataFrame) -> pd.DataFrame:
        """Each year's rows filled on their own, on one array."""
        method = IMPUTATIONS[self.spec.method]
        values = wide.to_numpy(dtype="float64", copy=True)
        years = level_values(wide.index, "year")
        codes = self._group_codes(wide) if method.kind != "column" and len(wide) else None
        for year in pd.unique(years):
            rows = np.flatnonzero(years == year)
            if codes is None:
                values[rows] = _by_column(values[rows], method.function, **self.spec.options)
            else:
                statistic = method.name.removeprefix("group_")
                values[rows] = _fill_by_group(values[rows], codes[rows], statistic)
        return pd.DataFrame(values, index=wide.index, columns=wide.columns, copy=False)

    def _group_codes(self, rows: pd.DataFrame) -> np.ndarray:
        """The group number of each row's country (``-1``: no group)."""
        column = self.spec.group
        if self.groups.empty or column not in self.groups.columns:
            known = [] if self.groups.empty else list(self.groups.columns)
            raise MethodologyError(
                f"impute.group names {column!r}, which is not a group of the data; "
                f"known groups: {known}"
            )
        codes = pd.factorize(self.groups[column].to_numpy())[0]
        of_country = dict(zip(self.groups.index.tolist(), codes.tolist(), strict=True))
        index = cast(pd.MultiIndex, rows.index)
        level = index.names.index("country")
        countries = index.levels[level].tolist()  # each country once; rows point to them
        per_country = np.array([of_country.get(c, -1) for c in countries] + [-1], dtype=np.intp)
        return per_country[index.codes[level]]  # a missing country (code -1): the last, -1

    def _panel(self, wide: pd.DataFrame) -> pd.DataFrame:
        out = wide.copy()
        for code in wide.columns:
            panel = wide[code].unstack("country")
            if self.spec.method == "latest":
                panel = impute_latest(panel, self.spec.max_years)
            else:
                panel = impute_linear(panel)
            out[code] = panel.stack(future_stack=True).swaplevel().reindex(wide.index)
        return out
