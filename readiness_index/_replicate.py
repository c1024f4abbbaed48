"""Vectorised replications of the aggregation step, shared by uncertainty and sensitivity.

A replication is the aggregation of one normalised indicator matrix with one set of
weights and one aggregation method. Instead of rebuilding the index once per
replication, the tree is turned into one membership matrix per level, and a whole
batch of replications is aggregated at once with array products::

    value[b, u, p] = f⁻¹( Σ_c w[b, c] m[c, p] f(x[b, u, c]) / Σ_c w[b, c] m[c, p] [x[b, u, c] known] )

with ``f(x) = x`` (arithmetic), ``log x`` (geometric), ``1 / x`` (harmonic) or ``x ** p``
(generalised mean). Missing children are skipped and the weights of the others
renormalised, as COINr's ``a_amean``/``a_gmean``/``a_hmean`` do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.stats import rankdata

from readiness_index.definitions import Framework

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
    >>> from readiness_index.definitions import Aggregate, Framework, Indicator
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
    """``f(x)`` on the known cells, 0 elsewhere; invalid cells are masked before use."""
    if method == "arithmetic":
        return np.where(known, x, 0.0)
    safe = np.where(known & (x > 0), x, 1.0)
    if method == "geometric":
        return np.log(safe)
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


def _level_mean(
    x: Floats,
    weights: Floats,
    level: Level,
    method: tuple[str, float, float | None],
) -> tuple[Floats, NDArray[np.bool_]]:
    """Weighted means of one level for a batch; also which replications hit invalid values.

    ``x`` is ``[batch, unit, child]``, ``weights`` ``[batch, child]``. A replication fails
    when a geometric or generalised mean meets a value <= 0 or a harmonic mean a zero,
    as COINr's ``Regen`` fails there.
    """
    name, p, min_coverage = method
    known = ~np.isnan(x)
    invalid = known & (x <= 0) if name != "arithmetic" else np.zeros_like(known)
    if name == "harmonic":
        invalid = known & (x == 0)
    failed = invalid.any(axis=(1, 2))
    fx = _forward(name, p, x, known)
    w = weights[:, None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = ((fx * w) @ level.membership) / ((known * w) @ level.membership)
        value = _inverse(name, p, mean)
    if min_coverage is not None:
        coverage = (known @ level.membership) / level.membership.sum(axis=0)
        value = np.where(coverage < min_coverage, np.nan, value)
    return value, failed


def aggregate_batch(
    tree: Tree,
    indicators: Floats,
    weights: Floats,
    methods: dict[int, tuple[str, float, float | None]],
) -> tuple[Floats, NDArray[np.bool_]]:
    """Aggregate a batch of replications up the tree.

    Parameters
    ----------
    tree : Tree
        The framework as arrays (:func:`tree_of`).
    indicators : ndarray ``[batch, unit, indicator]``
        Normalised indicator values (NaN = missing).
    weights : ndarray ``[batch, node]``
        Weight of every node in every replication (0 removes a node).
    methods : dict
        Per level: ``(method, p, min_coverage)``.

    Returns
    -------
    values : ndarray ``[batch, unit, node]``
        Every node's value; rows of failed replications are NaN.
    failed : ndarray of bool ``[batch]``
        Replications where a method met values it cannot take.

    Examples
    --------
    >>> from readiness_index.definitions import Aggregate, Framework, Indicator
    >>> fw = Framework(aggregates=(Aggregate(code="index", name="I"),),
    ...                indicators=(Indicator(code="a", name="A", parent="index"),
    ...                            Indicator(code="b", name="B", parent="index")))
    >>> x = np.array([[[1.0, 4.0], [2.0, np.nan]]])
    >>> values, failed = aggregate_batch(tree_of(fw), x, np.ones((1, 3)),
    ...                                  {2: ("geometric", 2.0, None)})
    >>> values[0, :, 2].tolist(), failed.tolist()
    ([2.0, 2.0], [False])
    """
    batch, units, _ = indicators.shape
    values = np.full((batch, units, len(tree.codes)), np.nan)
    values[:, :, : tree.n_indicators] = indicators
    failed = np.zeros(batch, dtype=bool)
    for level in tree.levels:
        x = values[:, :, level.children]
        mean, bad = _level_mean(x, weights[:, level.children], level, methods[level.level])
        values[:, :, level.parents] = mean
        failed |= bad
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
