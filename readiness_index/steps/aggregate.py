"""Aggregation: roll children up into their parent, level by level.

Every function takes ``values`` of shape ``(units, children)`` (``NaN`` = missing
child) and ``weights`` of shape ``(children,)``. Missing children are skipped and
the weights renormalised over the children that are present, as COINr does.
A unit with no child present gets ``NaN``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from readiness_index.errors import ComputationError
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import AggregateSpec, LevelAggregateSpec

__all__ = [
    "AGGREGATORS",
    "aggregate_tree",
    "arithmetic_mean",
    "copeland",
    "coverage",
    "generalised_mean",
    "geometric_mean",
    "harmonic_mean",
    "median",
]

Array = np.ndarray


def _present_weights(values: Array, weights: Array) -> Array:
    """Weights broadcast to ``values`` with zeros where a child is missing."""
    return np.where(np.isnan(values), 0.0, np.broadcast_to(weights, values.shape))


def _divide(num: Array, den: Array) -> Array:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def arithmetic_mean(values: Array, weights: Array) -> Array:
    """Weighted arithmetic mean: ``sum(w x) / sum(w)`` over present children.

    >>> arithmetic_mean(np.array([[1.0, 3.0], [2.0, np.nan]]), np.array([1.0, 3.0]))
    array([2.5, 2. ])
    """
    w = _present_weights(values, weights)
    return _divide(np.nansum(w * values, axis=-1), w.sum(axis=-1))


def _require_positive(values: Array, name: str) -> None:
    if np.any(values[~np.isnan(values)] <= 0):
        raise ComputationError(
            f"The {name} mean needs values > 0, but zero or negative values were found. "
            "Normalise onto a strictly positive scale first, e.g. "
            "normalise: {method: minmax, lower: 1, upper: 100}, or choose another aggregation."
        )


def geometric_mean(values: Array, weights: Array) -> Array:
    """Weighted geometric mean: ``exp(sum(w log x) / sum(w))`` over present children.

    Raises
    ------
    ComputationError
        If a present value is zero or negative.

    >>> geometric_mean(np.array([[1.0, 4.0]]), np.array([1.0, 1.0]))
    array([2.])
    """
    _require_positive(values, "geometric")
    w = _present_weights(values, weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        logs = np.where(np.isnan(values), 0.0, np.log(np.where(np.isnan(values), 1.0, values)))
    return np.asarray(np.exp(_divide((w * logs).sum(axis=-1), w.sum(axis=-1))), dtype="float64")


def harmonic_mean(values: Array, weights: Array) -> Array:
    """Weighted harmonic mean: ``sum(w) / sum(w / x)`` over present children.

    >>> harmonic_mean(np.array([[1.0, 4.0]]), np.array([1.0, 1.0]))
    array([1.6])
    """
    _require_positive(values, "harmonic")
    w = _present_weights(values, weights)
    inverse = np.where(np.isnan(values), 0.0, 1.0 / np.where(np.isnan(values), 1.0, values))
    return _divide(w.sum(axis=-1), (w * inverse).sum(axis=-1))


def generalised_mean(values: Array, weights: Array, p: float = 2.0) -> Array:
    """Weighted generalised (power) mean: ``(sum(w x^p) / sum(w))^(1/p)``.

    >>> generalised_mean(np.array([[1.0, 7.0]]), np.array([1.0, 1.0]), p=2)
    array([5.])
    """
    if p < 0 or p != int(p):
        _require_positive(values, "generalised")
    w = _present_weights(values, weights)
    powered = np.where(np.isnan(values), 0.0, np.power(np.where(np.isnan(values), 1.0, values), p))
    with np.errstate(invalid="ignore"):
        mean = _divide((w * powered).sum(axis=-1), w.sum(axis=-1))
        return np.asarray(np.power(mean, 1.0 / p), dtype="float64")


def median(values: Array, weights: Array) -> Array:
    """Median of the present children (weights play no part).

    >>> median(np.array([[1.0, 5.0, 2.0, np.nan]]), np.ones(4))
    array([2.])
    """
    del weights
    present = ~np.isnan(values)
    out = np.full(values.shape[0], np.nan)
    rows = present.any(axis=-1)
    out[rows] = np.nanmedian(values[rows], axis=-1)
    return out


def copeland(values: Array, weights: Array) -> Array:
    """Copeland score: row sums of the weighted outranking matrix.

    ``O[i, j] = sum(w_k [x_ik > x_jk]) + sum(w_k [x_ik = x_jk]) / 2`` for ``i < j``
    with weights summing to one, ``O[j, i] = 1 - O[i, j]`` and ``O[i, i] = 0``
    (COINr's ``outrankMatrix``). A comparison with a missing value adds nothing to
    ``O[i, j]`` for ``i < j``, so its weight goes to the later unit through
    ``O[j, i] = 1 - O[i, j]``, exactly as in COINr.

    >>> copeland(np.array([[3.0, 1.0], [2.0, 2.0], [1.0, 3.0]]), np.ones(2))
    array([1., 1., 1.])
    """
    w = weights / weights.sum()
    x_i, x_j = values[:, None, :], values[None, :, :]
    upper = (w * (x_i > x_j)).sum(axis=-1) + (w * (x_i == x_j)).sum(axis=-1) / 2
    n = values.shape[0]
    outrank = np.triu(upper, k=1)
    outrank = outrank + np.tril(1 - outrank.T, k=-1)
    outrank[np.diag_indices(n)] = 0.0
    return np.asarray(outrank.sum(axis=1), dtype="float64")


def coverage(values: Array) -> Array:
    """Share of children present per unit: ``count(present) / children``.

    >>> coverage(np.array([[1.0, np.nan]]))
    array([0.5])
    """
    present = np.count_nonzero(~np.isnan(values), axis=-1)
    return np.asarray(present / values.shape[-1], dtype="float64")


AGGREGATORS = {
    "arithmetic": arithmetic_mean,
    "geometric": geometric_mean,
    "harmonic": harmonic_mean,
    "median": median,
    "copeland": copeland,
}


def aggregate_level(values: Array, weights: Array, spec: LevelAggregateSpec) -> Array:
    """Aggregate one parent's children with ``spec``, applying its ``min_coverage``."""
    if spec.method == "generalised":
        scores = generalised_mean(values, weights, spec.p)
    else:
        scores = AGGREGATORS[spec.method](values, weights)
    if spec.min_coverage is not None:
        scores = np.where(coverage(values) < spec.min_coverage, np.nan, scores)
    return scores


def aggregate_tree(
    normalised: pd.DataFrame,
    framework: Framework,
    weights: Mapping[str, float],
    spec: AggregateSpec,
) -> pd.DataFrame:
    """Add every aggregate of ``framework`` to the normalised indicators, level by level.

    Each year is aggregated on its own (Copeland compares units of the same year).
    Returns the indicators followed by the aggregates, lowest level first.
    """
    years = normalised.index.get_level_values("year")
    out = normalised.copy()
    for code in framework.aggregate_codes:
        children = list(framework.children(code))
        level_spec = spec.for_level(framework.levels[code])
        w = np.array([weights[c] for c in children], dtype="float64")
        column = np.full(len(out), np.nan)
        for year in pd.unique(years):
            rows = np.asarray(years == year)
            try:
                column[rows] = aggregate_level(out.loc[rows, children].to_numpy(), w, level_spec)
            except ComputationError as err:
                raise ComputationError(f"Aggregating {code!r} in {year}: {err}") from err
        out[code] = column
    return out
