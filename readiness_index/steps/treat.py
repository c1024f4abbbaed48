"""Outlier treatment: COINr's default skewness/kurtosis-driven winsorisation.

An indicator fails when ``|skewness| >= skew`` **and** ``kurtosis >= kurtosis``
(the e1071 type 2 = Excel definitions). A failing indicator is winsorised: while
it fails and fewer than ``max_points`` points are treated, every point at the
current maximum (minimum when the skewness is negative) is set to the next value
inside. If it still fails, the fallback ``log(x - min + 0.01 (max - min))`` is
applied to the original values instead. Each year is treated on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from readiness_index.model.data import level_values
from readiness_index.model.methodology import TreatSpec
from readiness_index.model.registry import Method, Registry

__all__ = [
    "TREATMENTS",
    "Treater",
    "kurtosis",
    "log_transform",
    "moments",
    "passes",
    "register_treatment",
    "skewness",
    "treat_column",
    "winsorise",
]


def moments(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Skewness and excess kurtosis, type 2, of every column of ``values`` (``NaN`` = missing).

    With ``n`` the number of values present in a column, ``d`` their deviations from
    their mean and ``m_k = sum(d^k) / n``:

    - skewness ``= sqrt(n (n-1)) / (n-2) * g1``, ``g1 = m3 / m2^(3/2)``
      (``NaN`` with fewer than three values);
    - kurtosis ``= ((n+1) g2 + 6) (n-1) / ((n-2)(n-3))``, ``g2 = m4 / m2^2 - 3``
      (``NaN`` with fewer than four values);

    both ``NaN`` for a constant column. These are e1071's type 2 and Excel's ``SKEW``
    and ``KURT``. Every column is reduced along a contiguous row of the transposed
    array, so a column has the same moments alone as among others, bit for bit.

    Parameters
    ----------
    values : numpy.ndarray
        ``(unit, indicator)``; a 1-D array is one column.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The skewness and the kurtosis of each column.

    Examples
    --------
    >>> s, k = moments(np.array([[1.0, 1.0], [2.0, np.nan], [3.0, 2.0], [10.0, 4.0]]))
    >>> np.round(s, 6), np.round(k, 6)
    (array([1.763633, 0.93522 ]), array([3.228,   nan]))
    """
    columns = values[:, None] if values.ndim == 1 else values
    rows = np.ascontiguousarray(columns.T, dtype="float64")
    present = ~np.isnan(rows)
    n = np.add.reduce(present, axis=1, dtype="int64")
    total = np.add.reduce  # a sum along each row (numpy.sum without its wrapper)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        mean = total(np.where(present, rows, 0.0), axis=1) / n
        d = np.where(present, rows - mean[:, None], 0.0)
        d2 = d * d
        m2 = total(d2, axis=1)
        g1 = np.sqrt(n) * total(d2 * d, axis=1) / m2**1.5
        r = n * total(d2 * d2, axis=1) / m2**2
        skew = g1 * np.sqrt(n * (n - 1)) / (n - 2)
        kurt = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    skew[(n < 3) | ~np.isfinite(g1)] = np.nan
    kurt[(n < 4) | ~np.isfinite(r)] = np.nan
    return skew, kurt


def _moments(x: np.ndarray) -> tuple[float, float]:
    """``(skewness(x), kurtosis(x))`` of one column, by :func:`moments`."""
    skew, kurt = moments(x)
    return float(skew[0]), float(kurt[0])


def skewness(x: np.ndarray) -> float:
    """Sample skewness, type 2, of one column (see :func:`moments`).

    >>> round(skewness(np.array([1.0, 2.0, 3.0, 10.0])), 6)
    1.763633
    """
    return _moments(x)[0]


def kurtosis(x: np.ndarray) -> float:
    """Sample excess kurtosis, type 2, of one column (see :func:`moments`).

    >>> round(kurtosis(np.array([1.0, 2.0, 3.0, 10.0])), 6)
    3.228
    """
    return _moments(x)[1]


def passes(x: np.ndarray, skew: float = 2.0, kurt: float = 3.5) -> bool:
    """True unless ``|skewness| >= skew`` and ``kurtosis >= kurt``; undefined moments pass.

    >>> passes(np.array([1.0, 2.0, 3.0, 100.0]), skew=1.0, kurt=1.0)
    False
    """
    return _passes(*_moments(x), skew, kurt)


def _passes(s: float, k: float, skew: float, kurt: float) -> bool:
    """:func:`passes` from the skewness ``s`` and kurtosis ``k`` already computed."""
    return bool(_pass_mask(np.array([s]), np.array([k]), skew, kurt)[0])


def _pass_mask(
    s: np.ndarray, k: np.ndarray, skew: np.ndarray | float, kurt: np.ndarray | float
) -> np.ndarray:
    """:func:`passes` of every column from its moments ``s`` and ``k`` (thresholds per column):
    ``NaN`` in ``s`` or ``k``, or ``|s| < skew``, or ``k < kurt``."""
    passing: np.ndarray = np.isnan(s) | np.isnan(k) | (np.abs(s) < skew) | (k < kurt)
    return passing


def winsorise(
    x: np.ndarray, skew: float = 2.0, kurt: float = 3.5, max_points: int = 5
) -> tuple[np.ndarray, int]:
    """Winsorise ``x`` until it passes or ``max_points`` points are treated.

    Each round sets every point equal to the current maximum (positive skewness)
    or minimum (negative skewness) to the next value inside; the count is the
    number of points moved in the last round at each end, as in COINr's ``winsorise``.

    Returns
    -------
    (numpy.ndarray, int)
        The treated copy and the number of winsorised points.

    >>> winsorise(np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 100]), skew=2, kurt=3.5)
    (array([1., 2., 3., 4., 5., 6., 7., 8., 9., 9.]), 1)
    """
    one = np.ones(1)
    y, count, _ = _winsorise_columns(x[:, None], skew * one, kurt * one, max_points * one)
    return y[:, 0], int(count[0])


def _winsorise_columns(
    values: np.ndarray,
    skew: np.ndarray,
    kurt: np.ndarray,
    max_points: np.ndarray,
    *,
    first: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """:func:`winsorise` of every column of ``values`` (with its own thresholds) at once.

    Each round computes, in one call of :func:`moments`, the moments of the columns
    that changed in the last round and moves the extremes of those that still fail; a
    column leaves when it passes, when nothing is left inside its extremes, or when
    ``max_points`` points are treated. Returns the treated copy, the number of points
    treated and the moments of each column as it leaves (skewness, kurtosis). ``first``:
    the moments of ``values`` when known (they are not computed again).
    """
    y = values.astype("float64")  # a copy
    moved = np.zeros((2, y.shape[1]), dtype="int64")  # [low, high] end of each column
    after = np.full((2, y.shape[1]), np.nan)
    measured = np.arange(y.shape[1])
    while measured.size:
        s, k = moments(y[:, measured]) if first is None else first
        first = None
        after[:, measured] = s, k
        failing = ~_pass_mask(s, k, skew[measured], kurt[measured])
        failing &= moved[:, measured].sum(axis=0) < max_points[measured]
        active, high = measured[failing], s[failing] >= 0
        column = y[:, active]
        at_extreme, replacement = _extremes(column, high)
        going = (~np.isnan(column) & ~at_extreme).any(axis=0)
        measured, high, at_extreme = active[going], high[going], at_extreme[:, going]
        y[:, measured] = np.where(at_extreme, replacement[going], column[:, going])
        moved[high.astype("int64"), measured] = np.count_nonzero(at_extreme, axis=0)
    return y, moved.sum(axis=0), (after[0], after[1])


def _extremes(column: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each column is at its maximum (``high``) or minimum, and the next value
    inside (an infinity when there is none: nothing is moved in such a column)."""
    present = ~np.isnan(column)
    upper = np.where(present, column, -np.inf)
    lower = np.where(present, column, np.inf)
    extreme = np.where(high, upper.max(axis=0, initial=-np.inf), lower.min(axis=0, initial=np.inf))
    at_extreme = column == extreme
    inside_upper = np.where(at_extreme, -np.inf, upper).max(axis=0, initial=-np.inf)
    inside_lower = np.where(at_extreme, np.inf, lower).min(axis=0, initial=np.inf)
    return at_extreme, np.where(high, inside_upper, inside_lower)


def log_transform(x: np.ndarray) -> np.ndarray:
    """COIN Tool log: ``log(x - min + 0.01 (max - min))``, each column on its own.

    >>> np.round(log_transform(np.array([0.0, 100.0])), 4)
    array([0.    , 4.6151])
    """
    lo, hi = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.log(x - lo + 0.01 * (hi - lo)), dtype="float64")


def _no_treatment(x: np.ndarray) -> np.ndarray:
    """No treatment: the values as they are."""
    return x


#: Every outlier treatment, by name.
TREATMENTS: Registry[Method] = Registry("treat")
TREATMENTS.add(Method("none", _no_treatment))
TREATMENTS.add(
    Method("winsorise", winsorise, frozenset({"skew", "kurtosis", "max_points", "fallback"}))
)


def register_treatment(
    name: str,
) -> Callable[[Callable[..., np.ndarray]], Callable[..., np.ndarray]]:
    """Register a user's outlier treatment under ``name`` (a decorator).

    The function is called as ``function(x, **options)`` with ``x`` one indicator's
    values over the units of one year (``NaN`` = missing) and returns the treated
    values; ``options`` come from the methodology (``treat: {method: name, options:
    {...}}``). The treatment log records each indicator and year it changed.

    Examples
    --------
    >>> @register_treatment("cap_at")
    ... def cap_at(x, upper=100.0):
    ...     '''Cap at a fixed value: ``min(x, upper)``.'''
    ...     return np.minimum(x, upper)
    >>> treat_column(np.array([50.0, 150.0]), TreatSpec(method="cap_at"))[0]
    array([ 50., 100.])
    """

    def register(function: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
        TREATMENTS.add(Method(name, function, frozenset({"options"}), builtin=False))
        return function

    return register


def treat_column(x: np.ndarray, spec: TreatSpec) -> tuple[np.ndarray, dict[str, Any]]:
    """Treat one indicator of one year; return the values and a record of what was done.

    The record holds ``skew_before, kurtosis_before, treatment, points, skew_after,
    kurtosis_after, passes`` (as :class:`Treater`'s log, which treats many at once).

    >>> y, record = treat_column(np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 100]), TreatSpec())
    >>> y.max(), record["treatment"], record["points"], record["passes"]
    (np.float64(9.0), 'winsorise', 1, True)
    """
    treated, log, _ = _treat_columns(np.asarray(x, dtype="float64")[:, None], [spec])
    record = {name: column[:1].tolist()[0] for name, column in log.items()}
    return treated[:, 0], record


def _treat_columns(
    values: np.ndarray, specs: list[TreatSpec]
) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """Treat every column of ``values`` (one year) by its spec.

    Returns the treated copy, the log's columns (all but ``units``) and the positions of
    the columns a treatment changed: a user's method, or a ``winsorise`` that failed.
    """
    skew, kurt = moments(values)
    thresholds = np.array([(s.skew, s.kurtosis, s.max_points) for s in specs]).reshape(-1, 3)
    log = _untreated_log(skew, kurt, _pass_mask(skew, kurt, *thresholds.T[:2]))
    treated, user = values.copy(), []
    methods = {spec.method: TREATMENTS[spec.method] for spec in specs}
    for j, spec in enumerate(specs):
        if not methods[spec.method].builtin:
            own = values[:, j].copy()  # the user's function may change its argument
            function = methods[spec.method].function
            treated[:, j] = np.asarray(function(own, **spec.options), dtype="float64")
            log["treatment"][j] = spec.method
            user.append(j)
    winsorising = np.array([s.method == "winsorise" for s in specs], dtype=bool)
    failing = np.flatnonzero(winsorising & ~log["passes"])
    treated[:, failing], log["points"][failing], after = _winsorise_columns(
        values[:, failing], *thresholds[failing].T, first=(skew[failing], kurt[failing])
    )
    log["treatment"][failing] = "winsorise"
    _set_after(failing, after, thresholds, log)
    logged = _fall_back(values, treated, failing, specs, log)
    measured = np.concatenate([np.array(user, dtype=np.intp), logged])
    _set_after(measured, moments(treated[:, measured]), thresholds, log)
    return treated, log, np.flatnonzero(log["treatment"] != "none")


def _fall_back(
    values: np.ndarray,
    treated: np.ndarray,
    winsorised: np.ndarray,
    specs: list[TreatSpec],
    log: dict[str, np.ndarray],
) -> np.ndarray:
    """Replace, in place, the winsorised columns that still fail and whose spec says
    ``fallback: log`` by the :func:`log_transform` of their original values; return
    their positions."""
    falls_back = np.array([specs[j].fallback == "log" for j in winsorised], dtype=bool)
    logged: np.ndarray = winsorised[~log["passes"][winsorised] & falls_back]
    treated[:, logged] = log_transform(values[:, logged])
    log["treatment"][logged] = "log"
    return logged


def _set_after(
    columns: np.ndarray,
    after: tuple[np.ndarray, np.ndarray],
    thresholds: np.ndarray,
    log: dict[str, np.ndarray],
) -> None:
    """Set, in place, the moments after treatment and ``passes`` of ``columns``."""
    log["skew_after"][columns], log["kurtosis_after"][columns] = after
    log["passes"][columns] = _pass_mask(*after, *thresholds[columns].T[:2])


def _untreated_log(
    skew: np.ndarray, kurt: np.ndarray, passing: np.ndarray
) -> dict[str, np.ndarray]:
    """The log's columns (but ``units``) of one year as if no indicator were treated."""
    return {
        "skew_before": skew,
        "kurtosis_before": kurt,
        "treatment": np.full(len(skew), "none", dtype=object),
        "points": np.zeros(len(skew), dtype="int64"),
        "skew_after": skew.copy(),
        "kurtosis_after": kurt.copy(),
        "passes": passing,
    }


_LOG_COLUMNS = (
    "year", "indicator", "skew_before", "kurtosis_before", "treatment", "points",
    "skew_after", "kurtosis_after", "passes", "units",
)  # fmt: skip


@dataclass(frozen=True)
class Treater:
    """Apply a :class:`~.methodology.TreatSpec` to a wide table, year by year.

    All the indicators of a year are treated at once (:func:`treat_column` treats one
    by the same code): their moments come from one call of :func:`moments`, and only
    those that fail are winsorised.
    """

    spec: TreatSpec

    def transform(self, wide: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Return ``(treated, log)``; ``log`` has one row per indicator and year.

        The log's ``units`` column lists the countries whose value changed.
        """
        values = wide.to_numpy(dtype="float64", copy=True)
        countries, years = (level_values(wide.index, name) for name in ("country", "year"))
        specs = [self.spec.for_indicator(str(code)) for code in wide.columns.tolist()]
        logs = []
        for year in np.unique(years):
            rows = np.flatnonzero(years == year)
            values[rows], log = _treat_year(values[rows], countries[rows], specs)
            logs.append(log)
        out = pd.DataFrame(values, index=wide.index, columns=wide.columns, copy=False)
        return out, _treatment_log(logs, np.unique(years), wide.columns)


def _treat_year(
    values: np.ndarray, countries: np.ndarray, specs: list[TreatSpec]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Treat the rows of one year; return them and their log's columns, ``units`` with
    the countries whose value changed."""
    treated, log, changed = _treat_columns(values, specs)
    log["units"] = np.full(len(specs), "", dtype=object)
    moved = ~np.isclose(values[:, changed], treated[:, changed], equal_nan=True)
    for position, j in enumerate(changed):
        log["units"][j] = ", ".join(map(str, countries[moved[:, position]]))
    return treated, log


def _treatment_log(
    logs: list[dict[str, np.ndarray]], years: np.ndarray, codes: pd.Index
) -> pd.DataFrame:
    """One frame of the years' log columns: one row per indicator and year, year by year."""
    if not logs or not len(codes):
        return pd.DataFrame()
    columns = {
        "year": np.repeat(years.astype("int64"), len(codes)),
        "indicator": np.tile(codes.to_numpy(dtype=object), len(years)),
    }
    for name in _LOG_COLUMNS[2:]:
        columns[name] = np.concatenate([log[name] for log in logs])
    return pd.DataFrame(columns)  # in the order of _LOG_COLUMNS
