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

from readiness_index.model.methodology import TreatSpec
from readiness_index.model.registry import Method, Registry

__all__ = [
    "TREATMENTS",
    "Treater",
    "kurtosis",
    "log_transform",
    "passes",
    "register_treatment",
    "skewness",
    "treat_column",
    "winsorise",
]


def _deviations(x: np.ndarray, minimum: int) -> np.ndarray | None:
    """Deviations from the mean of the values present; ``None`` with fewer than ``minimum``."""
    v = x[~np.isnan(x)]
    return None if v.size < minimum else v - v.mean()


def skewness(x: np.ndarray) -> float:
    """Sample skewness, type 2: ``sqrt(n (n-1)) / (n-2) * m3 / m2^(3/2)`` (missing values dropped).

    ``NaN`` with fewer than three values.

    >>> round(skewness(np.array([1.0, 2.0, 3.0, 10.0])), 6)
    1.763633
    """
    d = _deviations(x, minimum=3)
    return float("nan") if d is None else _skewness(d, np.sum(d**2))


def _skewness(d: np.ndarray, m2: float) -> float:
    n = d.size
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        g1 = np.sqrt(n) * np.sum(d**3) / m2**1.5
    return float(g1 * np.sqrt(n * (n - 1)) / (n - 2)) if np.isfinite(g1) else float("nan")


def kurtosis(x: np.ndarray) -> float:
    """Sample excess kurtosis, type 2: ``((n+1) g2 + 6) (n-1) / ((n-2)(n-3))``.

    ``g2 = m4 / m2^2 - 3``; missing values are dropped.

    ``NaN`` with fewer than four values.

    >>> round(kurtosis(np.array([1.0, 2.0, 3.0, 10.0])), 6)
    3.228
    """
    d = _deviations(x, minimum=4)
    return float("nan") if d is None else _kurtosis(d, np.sum(d**2))


def _kurtosis(d: np.ndarray, m2: float) -> float:
    n = d.size
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        r = n * np.sum(d**4) / m2**2
    if not np.isfinite(r):
        return float("nan")
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def _moments(x: np.ndarray) -> tuple[float, float]:
    """``(skewness(x), kurtosis(x))`` from one pass over the deviations."""
    d = _deviations(x, minimum=3)
    if d is None:
        return float("nan"), float("nan")
    m2 = np.sum(d**2)
    return _skewness(d, m2), _kurtosis(d, m2) if d.size >= 4 else float("nan")


def passes(x: np.ndarray, skew: float = 2.0, kurt: float = 3.5) -> bool:
    """True unless ``|skewness| >= skew`` and ``kurtosis >= kurt``; undefined moments pass.

    >>> passes(np.array([1.0, 2.0, 3.0, 100.0]), skew=1.0, kurt=1.0)
    False
    """
    return _passes(*_moments(x), skew, kurt)


def _passes(s: float, k: float, skew: float, kurt: float) -> bool:
    """:func:`passes` from the skewness ``s`` and kurtosis ``k`` already computed."""
    if np.isnan(s) or np.isnan(k):
        return True
    return bool(abs(s) < skew or k < kurt)


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
    y = x.astype("float64").copy()
    moved = {True: 0, False: 0}
    count = 0
    while count < max_points:
        moments = _moments(y)
        if _passes(*moments, skew, kurt):
            break
        high = moments[0] >= 0
        extreme = np.nanmax(y) if high else np.nanmin(y)
        at_extreme = y == extreme
        inside = y[~at_extreme & ~np.isnan(y)]
        if inside.size == 0:
            break
        y[at_extreme] = inside.max() if high else inside.min()
        moved[high] = int(at_extreme.sum())
        count = moved[True] + moved[False]
    return y, count


def log_transform(x: np.ndarray) -> np.ndarray:
    """COIN Tool log: ``log(x - min + 0.01 (max - min))``.

    >>> np.round(log_transform(np.array([0.0, 100.0])), 4)
    array([0.    , 4.6151])
    """
    lo, hi = np.nanmin(x), np.nanmax(x)
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
    """Treat one indicator of one year; return the values and a record of what was done."""
    before = _moments(x)
    record: dict[str, Any] = {
        "skew_before": before[0],
        "kurtosis_before": before[1],
        "treatment": "none",
        "points": 0,
    }
    y, builtin = x, TREATMENTS[spec.method].builtin
    if not builtin:
        y = np.asarray(TREATMENTS[spec.method].function(x, **spec.options), dtype="float64")
        record["treatment"] = spec.method
    elif spec.method == "winsorise" and not _passes(*before, spec.skew, spec.kurtosis):
        y, record["points"] = winsorise(x, spec.skew, spec.kurtosis, spec.max_points)
        record["treatment"] = "winsorise"
        if not passes(y, spec.skew, spec.kurtosis) and spec.fallback == "log":
            y = log_transform(x)
            record["treatment"] = "log"
    # untouched by a built-in treatment: the same values, the same moments
    after = before if builtin and y is x else _moments(y)
    record["skew_after"], record["kurtosis_after"] = after
    record["passes"] = _passes(*after, spec.skew, spec.kurtosis)
    return y, record


@dataclass(frozen=True)
class Treater:
    """Apply a :class:`~.methodology.TreatSpec` to a wide table, year by year."""

    spec: TreatSpec

    def transform(self, wide: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Return ``(treated, log)``; ``log`` has one row per indicator and year.

        The log's ``units`` column lists the countries whose value changed.
        """
        values = wide.to_numpy(dtype="float64", copy=True)
        countries = wide.index.get_level_values("country").to_numpy()
        years = wide.index.get_level_values("year").to_numpy()
        records = []
        for year in np.unique(years):
            rows = np.flatnonzero(years == year)
            for j, code in enumerate(wide.columns):
                x = values[rows, j].copy()
                y, record = treat_column(x, self.spec.for_indicator(str(code)))
                values[rows, j] = y
                changed = ~np.isclose(x, y, equal_nan=True) if y is not x else None
                units = "" if changed is None else ", ".join(map(str, countries[rows][changed]))
                records.append({"year": int(year), "indicator": code, **record, "units": units})
        out = pd.DataFrame(values, index=wide.index, columns=wide.columns)
        return out, pd.DataFrame.from_records(records)
