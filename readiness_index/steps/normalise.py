"""Normalisation: bring indicators onto a common scale.

Every formula works on a 1-D array ``x`` already multiplied by the indicator's
direction (so that higher is always better); ``NaN`` marks a missing value and
stays missing. The formulas are COINr's (``n_minmax``, ``n_zscore`` ...).

:class:`Normaliser` applies one method to a wide ``(country, year) x indicator``
table, fitting its parameters per year or over all years at once (``pooled``,
COINr's global normalisation of a purse), which makes scores comparable over time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from readiness_index.errors import ComputationError
from readiness_index.model.methodology import NormaliseSpec

__all__ = [
    "Normaliser",
    "borda",
    "distance_to_max",
    "distance_to_reference",
    "distance_to_target",
    "fraction_of_max",
    "goalposts",
    "minmax",
    "percentile_rank",
    "rank",
    "scaled",
    "zscore",
]

Array = np.ndarray


def _float_array(values: object) -> Array:
    return np.asarray(values, dtype="float64")


def minmax(x: Array, lower: float = 0.0, upper: float = 100.0) -> Array:
    """Min-max: ``(x - min) / (max - min) * (upper - lower) + lower``.

    A constant indicator (max = min) gives ``NaN``, as in COINr.

    >>> minmax(np.array([1.0, 2.0, 3.0, np.nan]))
    array([  0.,  50., 100.,  nan])
    """
    lo, hi = np.nanmin(x), np.nanmax(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _float_array((x - lo) / (hi - lo) * (upper - lower) + lower)


def zscore(x: Array, mean: float = 0.0, sd: float = 1.0) -> Array:
    """Z-score: ``(x - mean(x)) / sd(x) * sd' + mean'`` with the sample sd (n - 1).

    >>> zscore(np.array([1.0, 2.0, 3.0]), mean=10, sd=2)
    array([ 8., 10., 12.])
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        return _float_array((x - np.nanmean(x)) / np.nanstd(x, ddof=1) * sd + mean)


def scaled(x: Array, lower: float = 0.0, upper: float = 100.0, factor: float = 100.0) -> Array:
    """Linear scaling: ``(x - lower) / (upper - lower) * factor``.

    >>> scaled(np.array([0.0, 5.0, 10.0]), lower=0, upper=10)
    array([  0.,  50., 100.])
    """
    return (x - lower) / (upper - lower) * factor


def rank(x: Array) -> Array:
    """Rank, ascending (the highest value gets the highest rank); ties get the minimum rank.

    >>> rank(np.array([3.0, 1.0, 3.0, np.nan]))
    array([ 2.,  1.,  2., nan])
    """
    return pd.Series(x).rank(method="min", na_option="keep").to_numpy(dtype="float64")


def borda(x: Array) -> Array:
    """Borda score: ``rank - 1``.

    >>> borda(np.array([3.0, 1.0, 2.0]))
    array([2., 0., 1.])
    """
    return rank(x) - 1


def percentile_rank(x: Array) -> Array:
    """Percentile rank: ``(rank - 1) / (n - 1)``, ``n`` the number of present values.

    >>> percentile_rank(np.array([3.0, 1.0, 2.0, np.nan]))
    array([1. , 0. , 0.5, nan])
    """
    n = np.count_nonzero(~np.isnan(x))
    with np.errstate(invalid="ignore", divide="ignore"):
        return (rank(x) - 1) / (n - 1)


def fraction_of_max(x: Array) -> Array:
    """Fraction of the maximum: ``x / max``.

    >>> fraction_of_max(np.array([1.0, 4.0]))
    array([0.25, 1.  ])
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        return _float_array(x / np.nanmax(x))


def distance_to_max(x: Array) -> Array:
    """Distance to the maximum: ``1 - (max - x) / (max - min)``.

    >>> distance_to_max(np.array([0.0, 5.0, 10.0]))
    array([0. , 0.5, 1. ])
    """
    lo, hi = np.nanmin(x), np.nanmax(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _float_array(1 - (hi - x) / (hi - lo))


def distance_to_reference(x: Array, reference: float, cap: bool = False) -> Array:
    """Distance to a reference unit's value: ``1 - (x_ref - x) / (x_ref - min)``.

    With ``cap`` values beyond the reference score 1.

    >>> distance_to_reference(np.array([0.0, 5.0, 10.0]), reference=5.0, cap=True)
    array([0., 1., 1.])
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        y = 1 - (reference - x) / (reference - np.nanmin(x))
    return np.where(cap & (y > 1), 1.0, y)


def distance_to_target(x: Array, target: Array | float, cap: bool = False) -> Array:
    """Distance to target: ``(x - min) / (target - min)``, on direction-adjusted values.

    For a "lower is better" indicator the values and target arrive multiplied by
    -1, which gives ``(max - x) / (max - target)`` in the original units. With
    ``cap`` values beyond the target score 1.

    >>> distance_to_target(np.array([0.0, 5.0, 20.0]), target=10.0)
    array([0. , 0.5, 2. ])
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        y = (x - np.nanmin(x)) / (np.asarray(target, dtype="float64") - np.nanmin(x))
    return np.where(cap & (y > 1), 1.0, y)


def goalposts(
    x: Array,
    lower: float,
    upper: float,
    *,
    direction: int = 1,
    scale: float = 100.0,
    truncate: bool = True,
) -> Array:
    """Goalposts: ``(x - lower) / (upper - lower) * scale`` for fixed posts.

    ``x`` arrives direction-adjusted; for ``direction = -1`` this is
    ``(upper - x) / (upper - lower) * scale`` in the original units. With
    ``truncate`` scores are kept within ``[0, scale]``.

    >>> goalposts(np.array([-5.0, 50.0, 150.0]), 0, 100)
    array([  0.,  50., 100.])
    >>> goalposts(np.array([-20.0]), 0, 100, direction=-1)
    array([80.])
    """
    y = (x + upper if direction == -1 else x - lower) / (upper - lower)
    if truncate:
        y = np.clip(y, 0.0, 1.0)
    return y * scale


@dataclass(frozen=True)
class Normaliser:
    """Normalise a wide table with one :class:`~readiness_index.model.methodology.NormaliseSpec`.

    Parameters
    ----------
    spec : NormaliseSpec
        Method, scope and parameters.
    directions : mapping of str to int
        1 (higher is better) or -1 per indicator.
    targets : mapping of str to float or mapping, default {}
        Targets per indicator (a value, or a value per country), for ``distance_to_target``.
    posts : mapping of str to (float, float), default {}
        Goalposts per indicator, for ``goalposts``.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_tuples([("A", 2024), ("B", 2024)], names=["country", "year"])
    >>> wide = pd.DataFrame({"x": [1.0, 3.0]}, index=idx)
    >>> Normaliser(NormaliseSpec(), {"x": -1}).transform(wide)["x"].tolist()
    [100.0, 0.0]
    """

    spec: NormaliseSpec
    directions: Mapping[str, int]
    targets: Mapping[str, float | Mapping[str, float]] = field(default_factory=dict)
    posts: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    def transform(self, wide: pd.DataFrame) -> pd.DataFrame:
        """Return a new, normalised table (the input is not changed)."""
        self._check_parameters(wide)
        values = wide.to_numpy(dtype="float64", copy=True)
        countries = wide.index.get_level_values("country").to_numpy()
        years = wide.index.get_level_values("year").to_numpy()
        if self.spec.scope == "pooled":
            groups = [np.arange(len(wide))]
        else:
            groups = [np.flatnonzero(years == year) for year in np.unique(years)]
        for j, code in enumerate(wide.columns):
            for rows in groups:
                values[rows, j] = self._column(values[rows, j], countries[rows], str(code))
        return pd.DataFrame(values, index=wide.index, columns=wide.columns)

    def _column(self, raw: Array, countries: np.ndarray, code: str) -> Array:
        direction = self.directions.get(code, 1)
        x = raw * direction
        spec = self.spec.for_indicator(code)
        method = spec.method
        if method == "none" or np.isnan(x).all():
            return x  # nothing to scale: an indicator with no value in this year stays missing
        if method == "minmax":
            return minmax(x, spec.lower, spec.upper)
        if method == "zscore":
            return zscore(x, spec.mean, spec.sd)
        if method == "scaled":
            return scaled(x, spec.lower, spec.upper, spec.factor)
        if method == "goalposts":
            lower, upper = self.posts[code]
            return goalposts(
                x, lower, upper, direction=direction, scale=spec.scale, truncate=spec.truncate
            )
        if method == "distance_to_target":
            return distance_to_target(x, self._target(countries, code) * direction, spec.cap)
        if method == "distance_to_reference":
            return distance_to_reference(x, self._reference(countries, x), spec.cap)
        return _RANK_METHODS[method](x)

    def _target(self, countries: np.ndarray, code: str) -> Array:
        target = self.targets[code]
        if isinstance(target, Mapping):
            return np.array([target.get(c, np.nan) for c in countries], dtype="float64")
        return np.full(len(countries), float(target))

    def _reference(self, countries: np.ndarray, x: Array) -> float:
        hits = np.flatnonzero(countries == self.spec.reference)
        return float(x[hits[-1]]) if hits.size else float("nan")

    def _check_parameters(self, wide: pd.DataFrame) -> None:
        methods = {str(c): self.spec.for_indicator(str(c)).method for c in wide.columns}
        for method, needed in (("goalposts", self.posts), ("distance_to_target", self.targets)):
            self._check_needed(method, needed, [c for c, m in methods.items() if m == method])

    @staticmethod
    def _check_needed(method: str, needed: Mapping[str, object], codes: list[str]) -> None:
        missing = [c for c in codes if c not in needed]
        if missing:
            what = "goalposts" if method == "goalposts" else "a target"
            raise ComputationError(
                f"Normalisation {method!r} needs {what} for every indicator; "
                f"these indicators have none in the framework: {missing}. "
                f"Declare {what} in their definitions or choose another method."
            )


_RANK_METHODS = {
    "rank": rank,
    "borda": borda,
    "percentile_rank": percentile_rank,
    "fraction_of_max": fraction_of_max,
    "distance_to_max": distance_to_max,
}
