"""Vectorised replications of the aggregation step, shared by uncertainty and sensitivity.

A replication is the aggregation of one normalised indicator matrix with one set of
weights and one aggregation method. Instead of rebuilding the index once per
replication, the tree is turned into one membership matrix per level, and a whole
batch of replications is aggregated at once with array products::

    value[b, u, p] = f⁻¹( Σ_c w[b, c] m[c, p] f(x[b, u, c]) / Σ_c w[b, c] m[c, p] k[b, u, c] )

where ``k`` is 1 for a known value and 0 for a missing one.

Replications sharing one normalised indicator matrix are evaluated together: the
indicator level is then one matrix product ``f(X) @ (w m)`` over the whole batch.

with ``f(x) = x`` (arithmetic), ``log x`` (geometric), ``1 / x`` (harmonic) or ``x ** p``
(generalised mean). Missing children are skipped and the weights of the others
renormalised, as COINr's ``a_amean``/``a_gmean``/``a_hmean`` do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.stats import rankdata

from readiness_index.model.framework import Framework

__all__ = ["VECTORISED_METHODS", "Level", "Tree", "aggregate_batch", "rank_descending", "tree_of"]

#: Aggregation methods the vectorised engine evaluates.
VECTORISED_METHODS = ("arithmetic", "geometric", "harmonic", "generalised")

Floats = NDArray[np.float64]


@dataclass(frozen=True)
class Level:
    """One aggregation level: which nodes feed which parents.

    ``children`` and ``parents`` index the node axis; ``membership[c, p]`` is 1 when
    ``children[c]`` is a child of ``parents[p]``.
    """

    level: int
    children: NDArray[np.intp]
    parents: NDArray[np.intp]
    membership: Floats


@dataclass(frozen=True)
class Tree:
    """A framework as arrays: node codes (indicators first) and one :class:`Level` per level.

    The root is the last node.
    """

    codes: tuple[str, ...]
    n_indicators: int
    levels: tuple[Level, ...]
    node_levels: NDArray[np.intp]

    @property
    def root(self) -> int:
        """Position of the root on the node axis."""
        return len(self.codes) - 1


def tree_of(framework: Framework) -> Tree:
    """Turn a framework into arrays for batch aggregation.

    Examples
    --------
    >>> from readiness_index.model.framework import Aggregate, Framework, Indicator
    >>> fw = Framework(aggregates=(Aggregate(code="index", name="I"),),
    ...                indicators=(Indicator(code="a", name="A", parent="index"),
    ...                            Indicator(code="b", name="B", parent="index")))
    >>> tree = tree_of(fw)
    >>> tree.codes, tree.levels[0].membership.tolist()
    (('a', 'b', 'index'), [[1.0], [1.0]])
    """
    codes = (*framework.indicator_codes, *framework.aggregate_codes)
    position = {code: i for i, code in enumerate(codes)}
    node_levels = np.array([framework.levels[c] for c in codes], dtype=np.intp)
    levels = []
    for level in range(2, framework.max_level + 1):
        parents = [c for c in framework.aggregate_codes if framework.levels[c] == level]
        children = [child for p in parents for child in framework.children(p)]
        membership = np.zeros((len(children), len(parents)))
        for j, parent in enumerate(parents):
            for child in framework.children(parent):
                membership[children.index(child), j] = 1.0
        levels.append(
            Level(
                level=level,
                children=np.array([position[c] for c in children], dtype=np.intp),
                parents=np.array([position[p] for p in parents], dtype=np.intp),
                membership=membership,
            )
        )
    return Tree(codes, len(framework.indicator_codes), tuple(levels), node_levels)


def _forward(method: str, p: float, x: Floats, known: NDArray[np.bool_]) -> Floats:
    """``f(x)`` on the known cells, 0 elsewhere (invalid cells are caught before use)."""
    if method == "arithmetic":
        return np.where(known, x, 0.0)
    safe = np.where(known & (x > 0), x, 1.0)
    if method == "geometric":
        return np.where(known, np.log(safe), 0.0)
    if method == "harmonic":
        return np.where(known, 1.0 / safe, 0.0)
    return np.where(known, safe**p, 0.0)


def _inverse(method: str, p: float, mean: Floats) -> Floats:
    if method == "arithmetic":
        return mean
    if method == "geometric":
        return np.exp(mean)
    if method == "harmonic":
        return 1.0 / mean
    return np.asarray(np.power(mean, 1.0 / p), dtype=np.float64)


def _invalid(method: str, x: Floats, known: NDArray[np.bool_], axes: tuple[int, ...]) -> Any:
    """Whether a method meets values it cannot take: <= 0 (geometric, generalised), 0 (harmonic)."""
    if method == "arithmetic":
        return np.zeros(x.shape[: x.ndim - len(axes)], dtype=bool) if x.ndim > len(axes) else False
    bad = known & (x == 0) if method == "harmonic" else known & (x <= 0)
    return bad.any(axis=axes)


def _fixed_sums(
    f: Floats, known: NDArray[np.bool_], weights: Floats, membership: Floats
) -> tuple[Floats, Floats]:
    """``Σ_c w[b, c] m[c, p] f[u, c]`` and the same with ``[known]``: two matrix products.

    ``f`` and ``known`` are ``[unit, child]``, the same in every replication of the batch,
    so ``f[u, c] m[c, p]`` is formed once and multiplied by the ``[batch, child]`` weights.
    """
    batch, (units, children), parents = weights.shape[0], f.shape, membership.shape[1]
    fm = (f.T[:, :, None] * membership[:, None, :]).reshape(children, units * parents)
    km = (known.T[:, :, None] * membership[:, None, :]).reshape(children, units * parents)
    num = (weights @ fm).reshape(batch, units, parents)
    den = (weights @ km).reshape(batch, units, parents)
    return num, den


def _sum_children(x: Floats, membership: Floats) -> Floats:
    """``Σ_c x[b, u, c] m[c, p]`` as one matrix product."""
    batch, units, children = x.shape
    return (x.reshape(batch * units, children) @ membership).reshape(batch, units, -1)


def _level(
    fixed: Floats,
    values: Floats,
    weights: Floats,
    level: Level,
    n_fixed: int,
    method: tuple[str, float, float | None],
) -> tuple[Floats, NDArray[np.bool_]]:
    """Weighted means of one level for a batch, and which replications met invalid values.

    Children below ``n_fixed`` on the node axis are indicators, the same matrix ``fixed``
    (``[unit, indicator]``) in every replication; the others are aggregates computed
    per replication in ``values`` (``[batch, unit, node]``).
    """
    name, p, min_coverage = method
    batch, units, parents = weights.shape[0], fixed.shape[0], len(level.parents)
    num, den = np.zeros((batch, units, parents)), np.zeros((batch, units, parents))
    count = np.zeros((units, parents))
    failed = np.zeros(batch, dtype=bool)
    is_fixed = level.children < n_fixed
    if is_fixed.any():
        x = fixed[:, level.children[is_fixed]]
        known = ~np.isnan(x)
        m = level.membership[is_fixed]
        w = weights[:, level.children[is_fixed]]
        num, den = _fixed_sums(_forward(name, p, x, known), known, w, m)
        count = known.astype(np.float64) @ m
        failed |= bool(_invalid(name, x, known, (0, 1)))
    if not is_fixed.all():
        y = values[:, :, level.children[~is_fixed]]
        known_y = ~np.isnan(y)
        m = level.membership[~is_fixed]
        w = weights[:, None, level.children[~is_fixed]]
        num = num + _sum_children(_forward(name, p, y, known_y) * w, m)
        den = den + _sum_children(known_y * w, m)
        count = count + known_y.astype(np.float64) @ m
        failed |= _invalid(name, y, known_y, (1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = _inverse(name, p, num / den)
    if min_coverage is not None:
        mean = np.where(count / level.membership.sum(axis=0) < min_coverage, np.nan, mean)
    return mean, failed


def aggregate_batch(
    tree: Tree,
    indicators: Floats,
    weights: Floats,
    methods: dict[int, tuple[str, float, float | None]],
) -> tuple[Floats, NDArray[np.bool_]]:
    """Aggregate a batch of replications that share one normalised indicator matrix.

    Parameters
    ----------
    tree : Tree
        The framework as arrays (:func:`tree_of`).
    indicators : ndarray ``[unit, indicator]``
        Normalised indicator values (NaN = missing), the same in the whole batch.
    weights : ndarray ``[batch, node]``
        Weight of every node in every replication (0 removes a node).
    methods : dict
        Per level: ``(method, p, min_coverage)``.

    Returns
    -------
    values : ndarray ``[batch, unit, aggregate]``
        The value of every aggregate (the nodes after the indicators on the node axis);
        failed replications are all NaN.
    failed : ndarray of bool ``[batch]``
        Replications where a method met values it cannot take.

    Examples
    --------
    >>> from readiness_index.model.framework import Aggregate, Framework, Indicator
    >>> fw = Framework(aggregates=(Aggregate(code="index", name="I"),),
    ...                indicators=(Indicator(code="a", name="A", parent="index"),
    ...                            Indicator(code="b", name="B", parent="index")))
    >>> x = np.array([[1.0, 4.0], [2.0, np.nan]])
    >>> values, failed = aggregate_batch(tree_of(fw), x, np.ones((1, 3)),
    ...                                  {2: ("geometric", 2.0, None)})
    >>> values[0, :, 0].tolist(), failed.tolist()
    ([2.0, 2.0], [False])
    """
    batch, (units, n_fixed) = weights.shape[0], indicators.shape
    values = np.empty((batch, units, len(tree.codes)))
    failed = np.zeros(batch, dtype=bool)
    for level in tree.levels:
        mean, bad = _level(indicators, values, weights, level, n_fixed, methods[level.level])
        values[:, :, level.parents] = mean
        failed |= bad
    values = values[:, :, n_fixed:]
    values[failed] = np.nan
    return values, failed


def rank_descending(scores: Floats) -> Floats:
    """Ranks along the last axis: 1 = highest score, ties share the lowest rank, NaN kept.

    Examples
    --------
    >>> rank_descending(np.array([[3.0, np.nan, 3.0, 1.0]])).tolist()
    [[1.0, nan, 1.0, 3.0]]
    """
    ranks = rankdata(-scores, method="min", axis=-1, nan_policy="omit")
    return np.asarray(ranks, dtype=np.float64)
