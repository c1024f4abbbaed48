"""Aggregation: roll children up into their parent, level by level.

Every method is registered once in :data:`AGGREGATIONS` with its formula (the
function's docstring), the values it accepts (its *domain*) and how it splits a
score into the children's contributions. The build (:func:`aggregate_tree`) and the
uncertainty engine (:mod:`readiness_index.analysis.replicate`) both call
:func:`aggregate_values`, so one rule decides everywhere.

Every function takes ``values`` of shape ``(..., units, children)`` (``NaN`` = missing
child; leading axes are stacked replications) and ``weights`` broadcastable to it
(``(children,)``, or ``(replications, 1, children)``). Missing children, and children
of weight 0, are skipped and the weights renormalised over the others, as COINr does.
A unit with no child present gets ``NaN``; so does a unit with a child outside the
method's domain (the step reports it, see :func:`aggregate_values`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from readiness_index.errors import ComputationError
from readiness_index.model.data import level_values, no_rows
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import AggregateSpec, LevelAggregateSpec
from readiness_index.model.registry import Method, Registry

__all__ = [
    "AGGREGATIONS",
    "Aggregation",
    "aggregate_shared",
    "aggregate_tree",
    "aggregate_values",
    "arithmetic_mean",
    "contributions",
    "copeland",
    "coverage",
    "generalised_mean",
    "geometric_mean",
    "harmonic_mean",
    "median",
    "register_aggregation",
]

Array = np.ndarray
Domain = Literal["any", "non_negative", "positive"]

#: What each domain accepts, in words (for messages and the documentation).
ACCEPTS: dict[str, str] = {
    "any": "any value",
    "non_negative": "values >= 0",
    "positive": "values > 0",
}


# -- helpers ---------------------------------------------------------------------------------
def _active_weights(values: Array, weights: Array) -> Array:
    """Weights broadcast to ``values``, zero where a child is missing."""
    return np.where(np.isnan(values), 0.0, np.broadcast_to(weights, values.shape))


def _divide(num: Array, den: Array) -> Array:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _outside(values: Array, domain: Domain) -> Array:
    """Cells outside ``domain`` (missing cells are never outside)."""
    with np.errstate(invalid="ignore"):
        if domain == "positive":
            return np.asarray(values <= 0)
        if domain == "non_negative":
            return np.asarray(values < 0)
    return np.zeros(values.shape, dtype=bool)


@dataclass(frozen=True)
class QuasiMean:
    """A quasi-arithmetic mean: ``f⁻¹(sum(w f(x)) / sum(w))`` over the active children.

    ``domain`` is what it accepts; with ``zero_absorbs`` a zero child makes the score 0
    (the geometric mean's limit) and is left out of ``f``. A mean that is homogeneous
    (``M(c x) = c M(x)``, as power means are) may name a ``scale``: each unit's values
    are divided by it before ``f`` and the score multiplied back, so that ``f`` never
    overflows (``100**400`` is beyond any float; ``1**400`` is not).
    """

    forward: Callable[[Array], Array]
    inverse: Callable[[Array], Array]
    domain: Domain = "any"
    zero_absorbs: bool = False
    scale: Callable[[Array], Array] | None = None

    def _scaled(self, values: Array) -> tuple[Array, Array]:
        """``values`` divided by each unit's scale (over the last axis), and the scale."""
        if self.scale is None:
            return values, np.ones(values.shape[:-1])
        with np.errstate(invalid="ignore", divide="ignore"):
            c = self.scale(values)
        c = np.where(np.isfinite(c) & (c > 0), c, 1.0)
        return values / c[..., None], c

    def terms(self, values: Array) -> tuple[Array, Array, Array]:
        """``f(x)`` (0 where not computed), cells outside the domain, and zero cells."""
        outside = _outside(values, self.domain)
        zero = (values == 0) if self.zero_absorbs else np.zeros(values.shape, dtype=bool)
        ok = ~np.isnan(values) & ~outside & ~zero
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            f = np.where(ok, self.forward(np.where(ok, values, 1.0)), 0.0)
        return f, outside, zero

    def finish(self, mean: Array, outside: Array, zero: Array) -> Array:
        """``f⁻¹`` of the weighted mean of the terms; 0 for a zero, ``NaN`` outside."""
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            score = np.where(zero, 0.0, self.inverse(mean))
        return np.asarray(np.where(outside, np.nan, score), dtype="float64")

    def __call__(self, values: Array, weights: Array) -> Array:
        """The mean of ``values`` ``(..., units, children)`` with ``weights``."""
        w = _active_weights(values, weights)
        values, c = self._scaled(values)
        f, outside, zero = self.terms(values)
        active = w != 0
        mean = _divide((w * f).sum(axis=-1), w.sum(axis=-1))
        score = self.finish(mean, (active & outside).any(axis=-1), (active & zero).any(axis=-1))
        return np.asarray(score * c, dtype="float64")

    def shared(self, values: Array, weights: Array) -> Array:
        """The mean of one matrix ``values`` ``(units, children)`` under many weight vectors
        ``weights`` ``(batch, children)``: ``(batch, units)``, as matrix products."""
        values, c = self._scaled(values)
        f, outside, zero = self.terms(values)
        present = (~np.isnan(values)).astype("float64")
        active = (weights != 0).astype("float64")
        mean = _divide(weights @ f.T, weights @ present.T)
        score = self.finish(mean, active @ outside.T > 0, active @ zero.T > 0)
        return np.asarray(score * c[None, :], dtype="float64")


def _identity(x: Array) -> Array:
    return x


def _reciprocal(x: Array) -> Array:
    return 1.0 / x


def _power(p: float) -> QuasiMean:
    domain: Domain = "non_negative" if p > 0 else "positive"
    # scaled by each unit's largest value (p > 0) or smallest positive one (p < 0), so
    # every term x**p is at most 1 and no large p overflows
    scale = _largest if p > 0 else _smallest_positive
    return QuasiMean(lambda x: np.power(x, p), lambda y: np.power(y, 1.0 / p), domain, False, scale)


def _largest(values: Array) -> Array:
    return np.asarray(np.max(np.where(np.isnan(values), -np.inf, values), axis=-1))


def _smallest_positive(values: Array) -> Array:
    return np.asarray(np.min(np.where(values > 0, values, np.inf), axis=-1))


ARITHMETIC = QuasiMean(_identity, _identity)
GEOMETRIC = QuasiMean(np.log, np.exp, "non_negative", zero_absorbs=True)
HARMONIC = QuasiMean(_reciprocal, _reciprocal, "positive")


# -- the formulas ----------------------------------------------------------------------------
def arithmetic_mean(values: Array, weights: Array) -> Array:
    """Weighted arithmetic mean: ``sum(w x) / sum(w)`` over present children; any value.

    >>> arithmetic_mean(np.array([[1.0, 3.0], [2.0, np.nan]]), np.array([1.0, 3.0]))
    array([2.5, 2. ])
    """
    return ARITHMETIC(values, weights)


def geometric_mean(values: Array, weights: Array) -> Array:
    """Weighted geometric mean: ``exp(sum(w log x) / sum(w))``; values >= 0.

    A zero child gives 0 (the limit of the formula); a unit with a negative child gets
    ``NaN``.

    >>> geometric_mean(np.array([[1.0, 4.0], [0.0, 4.0], [-1.0, 4.0]]), np.array([1.0, 1.0]))
    array([ 2.,  0., nan])
    """
    return GEOMETRIC(values, weights)


def harmonic_mean(values: Array, weights: Array) -> Array:
    """Weighted harmonic mean: ``sum(w) / sum(w / x)``; values > 0.

    >>> harmonic_mean(np.array([[1.0, 4.0], [0.0, 4.0]]), np.array([1.0, 1.0]))
    array([1.6, nan])
    """
    return HARMONIC(values, weights)


def _power_domain(p: float) -> Domain:
    return _power(p).domain


def generalised_mean(values: Array, weights: Array, p: float = 2.0) -> Array:
    """Weighted generalised (power) mean: ``(sum(w x^p) / sum(w))^(1/p)``, ``p != 0``.

    Values >= 0 for ``p > 0`` (a zero adds ``0^p = 0``), values > 0 for ``p < 0``.

    >>> generalised_mean(np.array([[1.0, 7.0], [0.0, 2.0]]), np.array([1.0, 1.0]), p=2)
    array([5.        , 1.41421356])
    """
    return _power(p)(values, weights)


def median(values: Array, weights: Array) -> Array:
    """Median of the present children (weights play no part, but a weight of 0 drops a
    child); any value.

    >>> median(np.array([[1.0, 5.0, 2.0, np.nan]]), np.ones(4))
    array([2.])
    """
    present = np.where(_active_weights(values, weights) != 0, values, np.nan)
    return _nanmedian(present)


def _nanmedian(values: Array) -> Array:
    """``nanmedian`` along the last axis, ``NaN`` (and no warning) where nothing is present."""
    rows = ~np.isnan(values).all(axis=-1)
    filled = np.where(rows[..., None], values, 0.0)
    return np.where(rows, np.nanmedian(filled, axis=-1), np.nan)


def copeland(values: Array, weights: Array) -> Array:
    """Copeland score: row sums of the weighted outranking matrix; any value.

    ``O[i, j] = sum(w_k [x_ik > x_jk]) + sum(w_k [x_ik = x_jk]) / 2`` for ``i < j``
    with weights summing to one, ``O[j, i] = 1 - O[i, j]`` and ``O[i, i] = 0``
    (COINr's ``outrankMatrix``). A comparison with a missing value adds nothing to
    ``O[i, j]`` for ``i < j``, so its weight goes to the later unit through
    ``O[j, i] = 1 - O[i, j]``, exactly as in COINr.

    >>> copeland(np.array([[3.0, 1.0], [2.0, 2.0], [1.0, 3.0]]), np.ones(2))
    array([1., 1., 1.])
    """
    return np.asarray(_copeland_parts(values, weights).sum(axis=-1), dtype="float64")


def _copeland_parts(values: Array, weights: Array) -> Array:
    """Each child's part of each unit's Copeland score, ``(..., units, children)``.

    For ``j > i`` child ``k`` adds ``w_k ([x_ik > x_jk] + [x_ik = x_jk] / 2)``; for
    ``j < i`` it adds ``w_k (1 - [x_jk > x_ik] - [x_jk = x_ik] / 2)`` (the row of
    ``O[i, j] = 1 - O[j, i]``).
    """
    w = np.asarray(weights, dtype="float64")
    w = np.expand_dims(w / w.sum(axis=-1, keepdims=True), -2)
    x_i, x_j = values[..., :, None, :], values[..., None, :, :]
    n = values.shape[-2]
    later = np.triu(np.ones((n, n), dtype=bool), k=1)[..., None]
    earlier = np.tril(np.ones((n, n), dtype=bool), k=-1)[..., None]
    wins = (x_i > x_j) + (x_i == x_j) / 2
    losses = (x_j > x_i) + (x_j == x_i) / 2
    pairs = np.where(later, wins, 0.0) + np.where(earlier, 1.0 - losses, 0.0)
    return np.asarray((w * pairs).sum(axis=-2), dtype="float64")


def coverage(values: Array) -> Array:
    """Share of children present per unit: ``count(present) / children``.

    >>> coverage(np.array([[1.0, np.nan]]))
    array([0.5])
    """
    present = np.count_nonzero(~np.isnan(values), axis=-1)
    return np.asarray(present / values.shape[-1], dtype="float64")


# -- contributions ---------------------------------------------------------------------------
def _value_shares(values: Array, weights: Array, scores: Array) -> Array:
    """``score * w x / sum(w x)``: the score shared out in proportion to weight x value.

    Where ``sum(w x) = 0`` the score is shared out by weight.
    """
    w = _active_weights(values, weights)
    wx = np.where(w != 0, w * np.nan_to_num(values), 0.0)
    total = wx.sum(axis=-1, keepdims=True)
    share = np.where(total != 0, wx / np.where(total != 0, total, 1.0), _weight_shares(w))
    return _only_present(scores[..., None] * share, values, w)


def _weight_shares(w: Array) -> Array:
    total = w.sum(axis=-1, keepdims=True)
    return np.where(total > 0, w / np.where(total > 0, total, 1.0), 0.0)


def _only_present(parts: Array, values: Array, w: Array) -> Array:
    return np.where(np.isnan(values), np.nan, np.where(w != 0, parts, 0.0))


def _arithmetic_parts(values: Array, weights: Array, scores: Array) -> Array:
    """``w x / sum(w)``: each child's term of the arithmetic mean."""
    w = _active_weights(values, weights)
    parts = _weight_shares(w) * np.nan_to_num(values)
    return _only_present(np.where(np.isnan(scores)[..., None], np.nan, parts), values, w)


def _median_parts(values: Array, weights: Array, scores: Array) -> Array:
    """The median's middle child gets the score; with an even count the two middle
    children get half their own value each (ties broken by position)."""
    w = _active_weights(values, weights)
    present = np.where(w != 0, values, np.nan)
    order = np.argsort(np.where(np.isnan(present), np.inf, present), axis=-1, kind="stable")
    count = (~np.isnan(present)).sum(axis=-1, keepdims=True)
    rank = np.argsort(order, axis=-1)  # position of each child in the sorted order
    low, high = (count - 1) // 2, count // 2
    halves = np.where(rank == low, 0.5, 0.0) + np.where(rank == high, 0.5, 0.0)
    parts = halves * np.nan_to_num(present)
    parts = np.where(np.isnan(scores)[..., None] | (count == 0), np.nan, parts)
    return _only_present(parts, values, w)


def _copeland_shared(values: Array, weights: Array) -> Array:
    """Copeland scores of one matrix ``(units, children)`` under many weight vectors
    ``(batch, children)``: the outranking counts ``C[i, k]`` (child ``k``'s wins and
    half-ties of unit ``i``, as in :func:`copeland`) do not depend on the weights, so the
    scores are ``(w / sum(w)) @ Cᵀ``.

    >>> x = np.array([[3.0, 1.0], [2.0, 2.0], [1.0, 3.0]])
    >>> _copeland_shared(x, np.array([[1.0, 1.0], [1.0, 0.0]])).tolist()
    [[1.0, 1.0, 1.0], [2.0, 1.0, 0.0]]
    """
    counts = _copeland_parts(values, np.ones(values.shape[-1])) * values.shape[-1]
    share = weights / weights.sum(axis=-1, keepdims=True)
    return np.asarray(share @ counts.T, dtype="float64")


def _copeland_contributions(values: Array, weights: Array, scores: Array) -> Array:
    del scores
    parts = _copeland_parts(values, weights)
    return np.where(np.isnan(values), np.nan, parts)


# -- the registry ----------------------------------------------------------------------------
Contribution = Callable[[Array, Array, Array], Array]


@dataclass(frozen=True)
class Aggregation(Method):
    """A registered aggregation method.

    Attributes
    ----------
    domain : callable
        ``domain(**parameters)`` gives ``"any"``, ``"non_negative"`` or ``"positive"``:
        the values the method accepts.
    contribution : callable
        ``contribution(values, weights, scores)``: each child's part of each score; the
        parts of a unit add up to its score.
    quasi : callable
        ``quasi(**parameters)``: the method as a :class:`QuasiMean` when it is one
        (``None`` otherwise), which lets many weight sets share one value matrix.
    shared : callable, optional
        ``shared(values, weights)``: the scores of one value matrix ``(units, children)``
        under a batch of weight vectors ``(batch, children)``, for a method that is not
        a quasi-arithmetic mean but whose value part can be shared (Copeland).
    """

    domain: Callable[..., Domain] = field(default=lambda **_: "any", repr=False)
    contribution: Contribution = field(default=_value_shares, repr=False)
    quasi: Callable[..., QuasiMean | None] = field(default=lambda **_: None, repr=False)
    shared: Callable[[Array, Array], Array] | None = field(default=None, repr=False)

    def compute(self, values: Array, weights: Array, spec: LevelAggregateSpec) -> Array:
        """The scores of ``values`` under this method with the settings of ``spec``."""
        return np.asarray(self.function(values, weights, **self.settings(spec)), dtype="float64")

    def accepts(self, spec: LevelAggregateSpec) -> Domain:
        """The domain of this method with the settings of ``spec``."""
        return self.domain(**self.settings(spec))

    def settings(self, spec: LevelAggregateSpec) -> dict[str, Any]:
        """The keyword arguments ``spec`` gives the function."""
        kwargs = {name: getattr(spec, name) for name in self.parameters - {"options"}}
        return kwargs | dict(spec.options)


#: Every aggregation method, by name.
AGGREGATIONS: Registry[Aggregation] = Registry("aggregate")


def register_aggregation(
    name: str,
    *,
    accepts: Domain = "any",
    contribution: Contribution | None = None,
) -> Callable[[Callable[..., Array]], Callable[..., Array]]:
    """Register a user's aggregation method under ``name`` (a decorator).

    The function is called as ``function(values, weights, **options)`` with ``values``
    of shape ``(..., units, children)`` (``NaN`` = missing) and ``weights``
    broadcastable to it, and returns the scores ``(..., units)``; ``options`` come from
    the methodology (``aggregate: {method: name, options: {...}}``).

    Parameters
    ----------
    name : str
        The name the methodology uses.
    accepts : {"any", "non_negative", "positive"}, default "any"
        The values the method accepts; elsewhere the build applies ``invalid``.
    contribution : callable, optional
        ``contribution(values, weights, scores)``; by default the score is shared out
        in proportion to weight x value.

    Examples
    --------
    >>> @register_aggregation("weakest")
    ... def weakest(values, weights):
    ...     '''The lowest child: ``min(x)``.'''
    ...     return np.nanmin(values, axis=-1)
    >>> AGGREGATIONS["weakest"].compute(np.array([[3.0, 1.0]]), np.ones(2),
    ...                                 LevelAggregateSpec(method="weakest")).tolist()
    [1.0]
    """

    def register(function: Callable[..., Array]) -> Callable[..., Array]:
        AGGREGATIONS.add(
            Aggregation(
                name,
                function,
                frozenset({"options"}),
                builtin=False,
                domain=lambda **_: accepts,
                contribution=contribution or _value_shares,
            )
        )
        return function

    return register


def _builtin(
    name: str,
    function: Callable[..., Array],
    domain: Callable[..., Domain],
    contribution: Contribution = _value_shares,
    parameters: frozenset[str] = frozenset(),
    quasi: Callable[..., QuasiMean | None] = lambda **_: None,
) -> None:
    AGGREGATIONS.add(Aggregation(name, function, parameters, True, domain, contribution, quasi))


_builtin("arithmetic", arithmetic_mean, lambda: "any", _arithmetic_parts, quasi=lambda: ARITHMETIC)
_builtin("geometric", geometric_mean, lambda: "non_negative", quasi=lambda: GEOMETRIC)
_builtin("harmonic", harmonic_mean, lambda: "positive", quasi=lambda: HARMONIC)
_builtin("generalised", generalised_mean, _power_domain, parameters=frozenset({"p"}), quasi=_power)
_builtin("median", median, lambda: "any", _median_parts)
AGGREGATIONS.add(
    Aggregation(
        "copeland", copeland, frozenset(), True, lambda: "any", _copeland_contributions,
        shared=_copeland_shared,
    )
)  # fmt: skip


# -- the step --------------------------------------------------------------------------------
def aggregate_values(
    values: Array, weights: Array, spec: LevelAggregateSpec
) -> tuple[Array, Array]:
    """Aggregate with ``spec``: the scores and the units where the method met invalid values.

    Coverage comes first: a unit below ``min_coverage`` is missing and never invalid.
    A covered unit with an active child outside the method's domain is *invalid*: its
    score is ``NaN``, and the caller decides (the build raises or notes it as
    ``spec.invalid`` says; a replication fails).

    Returns
    -------
    scores : ndarray ``(..., units)``
    invalid : ndarray of bool ``(..., units)``

    Examples
    --------
    >>> v = np.array([[4.0, -1.0, np.nan], [1.0, np.nan, np.nan]])
    >>> spec = LevelAggregateSpec(method="geometric", min_coverage=0.5)
    >>> aggregate_values(v, np.ones(3), spec)
    (array([nan, nan]), array([ True, False]))
    """
    covered = _covered(values, spec)
    active = _active_weights(values, weights) != 0
    invalid = covered & (active & _outside(values, _domain(spec))).any(axis=-1)
    scores = AGGREGATIONS[spec.method].compute(values, weights, spec)
    return np.where(covered & ~invalid, scores, np.nan), invalid


def _covered(values: Array, spec: LevelAggregateSpec) -> Array:
    """Units whose share of children present reaches ``min_coverage``."""
    if spec.min_coverage is None:
        return np.ones(values.shape[:-1], dtype=bool)
    return np.asarray(coverage(values) >= spec.min_coverage)


def aggregate_shared(
    values: Array, weights: Array, spec: LevelAggregateSpec
) -> tuple[Array, Array]:
    """:func:`aggregate_values` of one value matrix under a batch of weight vectors.

    ``values`` is ``(units, children)``, the same in every replication (normalised
    indicators), ``weights`` is ``(batch, children)``; returns scores and invalid units
    ``(batch, units)``. The rules are :func:`aggregate_values`'s; a quasi-arithmetic
    mean is evaluated as matrix products (``W @ f(X)ᵀ``) instead of once per
    replication.

    >>> spec = LevelAggregateSpec(method="geometric")
    >>> aggregate_shared(np.array([[1.0, 4.0], [-1.0, 2.0]]), np.array([[1.0, 1.0], [1.0, 0.0]]),
    ...                  spec)
    (array([[ 2., nan],
           [ 1., nan]]), array([[False,  True],
           [False,  True]]))
    """
    method = AGGREGATIONS[spec.method]
    quasi = method.quasi(**method.settings(spec))
    shared = quasi.shared if quasi is not None else method.shared
    if shared is None:
        stacked = np.broadcast_to(values, (len(weights), *values.shape))
        return aggregate_values(stacked, weights[:, None, :], spec)
    covered = _covered(values, spec)
    active = (weights != 0).astype("float64")
    outside = _outside(values, method.accepts(spec)).astype("float64")
    invalid = covered & (active @ outside.T > 0)
    scores = shared(values, weights)
    return np.where(covered & ~invalid, scores, np.nan), invalid


def contributions(values: Array, weights: Array, spec: LevelAggregateSpec) -> Array:
    """Each child's contribution to each unit's score, ``(..., units, children)``.

    The contributions of a unit add up to its score, under every method:

    - ``arithmetic``: ``w_i x_i / sum(w)``, the child's term of the mean;
    - ``geometric``, ``harmonic``, ``generalised`` and a user's method: the score shared
      out in proportion to weight x value, ``score * w_i x_i / sum(w x)`` (by weight
      where ``sum(w x) = 0``);
    - ``median``: the middle child gets the score; with an even count the two middle
      children get half their value each;
    - ``copeland``: child ``k``'s weighted wins and half-ties against every other unit.

    A missing child, or a unit without a score, has ``NaN``.

    >>> spec = LevelAggregateSpec(method="geometric")
    >>> contributions(np.array([[1.0, 4.0]]), np.ones(2), spec).tolist()
    [[0.4, 1.6]]
    """
    scores, _ = aggregate_values(values, weights, spec)
    parts = AGGREGATIONS[spec.method].contribution(values, weights, scores)
    return np.where(np.isnan(scores)[..., None], np.nan, parts)


def _invalid_notes(
    code: str, spec: LevelAggregateSpec, units: pd.Index, values: pd.DataFrame
) -> pd.DataFrame:
    """One row per unit whose score ``code`` met invalid values: where and what."""
    domain = _domain(spec)
    notes = []
    for key in units:
        row = values.loc[key]
        bad = {str(c): float(v) for c, v in row.items() if _outside(np.array(v), domain)}
        notes.append(
            {
                "country": key[0],
                "year": key[1],
                "indicator": code,
                "note": f"aggregation {spec.method!r} needs {ACCEPTS[domain]}; found {bad}",
            }
        )
    return pd.DataFrame(notes, columns=["country", "year", "indicator", "note"])


def _domain(spec: LevelAggregateSpec) -> Domain:
    return AGGREGATIONS[spec.method].accepts(spec)


def aggregate_tree(
    normalised: pd.DataFrame,
    framework: Framework,
    weights: Mapping[str, float],
    spec: AggregateSpec,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add every aggregate of ``framework`` to the normalised indicators, level by level.

    Each year is aggregated on its own (Copeland compares units of the same year).
    Returns the indicators followed by the aggregates, lowest level first, and the
    notes of scores left missing because of invalid values (``invalid: missing``).

    Raises
    ------
    ComputationError
        Listing every aggregate, unit and value outside a method's domain, when the
        level's ``invalid`` is ``error``.
    """
    years = level_values(normalised.index, "year")
    by_year = [np.flatnonzero(years == year) for year in pd.unique(years)]
    codes = [str(c) for c in normalised.columns.tolist()] + list(framework.aggregate_codes)
    column_of = {code: j for j, code in enumerate(codes)}
    scores = np.full((len(normalised), len(codes)), np.nan)
    scores[:, : normalised.shape[1]] = normalised.to_numpy(dtype="float64")
    notes = []
    level_specs = {level: spec.for_level(level) for level in set(framework.levels.values())}
    for code in framework.aggregate_codes:
        children = list(framework.children(code))
        level_spec = level_specs[framework.levels[code]]
        w = np.array([weights[c] for c in children], dtype="float64")
        values = scores[:, [column_of[c] for c in children]]
        invalid = np.zeros(len(values), dtype=bool)
        for rows in by_year:
            scores[rows, column_of[code]], invalid[rows] = aggregate_values(
                values[rows], w, level_spec
            )
        if invalid.any():
            table = pd.DataFrame(values, index=normalised.index, columns=children)
            notes.append(_invalid_notes(code, level_spec, normalised.index[invalid], table))
    out = pd.DataFrame(scores, index=normalised.index, columns=pd.Index(codes), copy=False)
    out.columns.name = normalised.columns.name
    if not notes:
        return out, _no_notes()
    found = pd.concat(notes, ignore_index=True)
    _raise_invalid(found, spec, framework)
    return out, found.assign(step="aggregate")


def _no_notes() -> pd.DataFrame:
    return no_rows("step", "country", "year", "indicator", "note")


def _raise_invalid(found: pd.DataFrame, spec: AggregateSpec, framework: Framework) -> None:
    levels = found["indicator"].map(framework.levels)
    errors = found[np.array([spec.for_level(int(lv)).invalid == "error" for lv in levels])]
    if errors.empty:
        return
    lines = [f"{r.indicator!r} for {r.country} in {r.year}: {r.note}" for r in errors.itertuples()]
    raise ComputationError(
        f"{len(lines)} score(s) cannot be aggregated:\n  "
        + "\n  ".join(lines)
        + "\nNormalise onto a scale the method accepts (e.g. normalise: {method: minmax, "
        "lower: 1, upper: 100}), choose another aggregation, or set aggregate: "
        "{invalid: missing} to leave these scores missing with a note."
    )
