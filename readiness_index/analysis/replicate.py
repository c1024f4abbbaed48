"""Vectorised replications of the aggregation step, shared by uncertainty and sensitivity.

A replication is the aggregation of one normalised indicator matrix with one set of
weights and one aggregation method per level. Instead of rebuilding the index once per
replication, a whole batch of replications is aggregated at once: the children of each
parent are stacked as ``[replication, unit, child]`` and passed to the same registered
aggregation the build uses (:func:`readiness_index.steps.aggregate.aggregate_values`),
with the weights of every replication as ``[replication, 1, child]`` (a parent of
indicators only, whose values are the same in every replication, goes through
:func:`~readiness_index.steps.aggregate.aggregate_shared`: matrix products for the
quasi-arithmetic means). So the rules are
the build's: missing children are skipped and the weights renormalised, coverage is
applied first, and a unit whose covered score meets a value outside the method's domain
makes the replication fail (``invalid: error``) or leaves the score missing
(``invalid: missing``), exactly where the build would refuse or note it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from readiness_index.engine.ranking import descending_ranks
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import LevelAggregateSpec
from readiness_index.steps.aggregate import aggregate_shared, aggregate_values

__all__ = ["Level", "Tree", "aggregate_batch", "rank_descending", "tree_of"]

Floats = NDArray[np.float64]
Ints = NDArray[np.intp]


@dataclass(frozen=True)
class Level:
    """One aggregation level: its parents and, for each, the positions of its children
    on the node axis."""

    level: int
    parents: Ints
    children: tuple[Ints, ...]


@dataclass(frozen=True)
class Tree:
    """A framework as arrays: node codes (indicators first) and one :class:`Level` per level.

    The root is the last node.
    """

    codes: tuple[str, ...]
    n_indicators: int
    levels: tuple[Level, ...]
    node_levels: Ints

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
    >>> tree.codes, tree.levels[0].children[0].tolist()
    (('a', 'b', 'index'), [0, 1])
    """
    codes = (*framework.indicator_codes, *framework.aggregate_codes)
    position = {code: i for i, code in enumerate(codes)}
    node_levels = np.array([framework.levels[c] for c in codes], dtype=np.intp)
    levels = []
    for level in range(2, framework.max_level + 1):
        parents = [c for c in framework.aggregate_codes if framework.levels[c] == level]
        children = tuple(
            np.array([position[c] for c in framework.children(p)], dtype=np.intp) for p in parents
        )
        levels.append(Level(level, np.array([position[p] for p in parents], np.intp), children))
    return Tree(codes, len(framework.indicator_codes), tuple(levels), node_levels)


def aggregate_batch(
    tree: Tree,
    indicators: Floats,
    weights: Floats,
    methods: Mapping[int, LevelAggregateSpec],
) -> tuple[Floats, Ints]:
    """Aggregate a batch of replications that share one normalised indicator matrix.

    Parameters
    ----------
    tree : Tree
        The framework as arrays (:func:`tree_of`).
    indicators : ndarray ``[unit, indicator]`` or ``[batch, unit, indicator]``
        Normalised indicator values (NaN = missing), the same in the whole batch or
        one matrix per replication.
    weights : ndarray ``[batch, node]``
        Weight of every node in every replication (0 removes a node).
    methods : mapping of int to LevelAggregateSpec
        The aggregation of each level.

    Returns
    -------
    values : ndarray ``[batch, unit, aggregate]``
        The value of every aggregate (the nodes after the indicators on the node axis);
        failed replications are all NaN.
    failure : ndarray of int ``[batch, 2]``
        For a failed replication, the node position of the first aggregate that met a
        value outside its method's domain and the unit; ``-1`` for a replication that
        computed.

    Examples
    --------
    >>> from readiness_index.model.framework import Aggregate, Framework, Indicator
    >>> fw = Framework(aggregates=(Aggregate(code="index", name="I"),),
    ...                indicators=(Indicator(code="a", name="A", parent="index"),
    ...                            Indicator(code="b", name="B", parent="index")))
    >>> x = np.array([[1.0, 4.0], [2.0, np.nan], [-1.0, 2.0]])
    >>> values, failure = aggregate_batch(tree_of(fw), x, np.array([[1.0, 1, 1], [1, 0, 1]]),
    ...                                   {2: LevelAggregateSpec(method="geometric")})
    >>> values[0, :, 0].tolist(), failure.tolist()
    ([nan, nan, nan], [[2, 2], [2, 2]])
    >>> values, failure = aggregate_batch(tree_of(fw), x[:2], np.ones((1, 3)),
    ...                                   {2: LevelAggregateSpec(method="geometric")})
    >>> values[0, :, 0].tolist(), failure.tolist()
    ([2.0, 2.0], [[-1, -1]])
    """
    batch, (units, n_fixed) = weights.shape[0], indicators.shape[-2:]
    shared = indicators.ndim == 2
    out = np.empty((batch, units, len(tree.codes) - n_fixed))  # every aggregate is set in turn
    failure = np.full((batch, 2), -1, dtype=np.intp)
    for level in tree.levels:
        spec = methods[level.level]
        for parent, children in zip(level.parents, level.children, strict=True):
            if shared and (children < n_fixed).all():  # one matrix under every weight set
                scores, invalid = aggregate_shared(
                    indicators[:, children], weights[:, children], spec
                )
            else:
                values = _children(indicators, out, children, batch)
                scores, invalid = aggregate_values(values, weights[:, None, children], spec)
            out[:, :, parent - n_fixed] = scores
            if spec.invalid == "error":
                _first_failure(failure, invalid, int(parent))
    out[failure[:, 0] >= 0] = np.nan
    return out, failure


def _children(indicators: Floats, aggregates: Floats, children: Ints, batch: int) -> Floats:
    """The values of ``children`` in every replication, ``[batch, unit, child]``: indicators
    (shared or per replication) and aggregates computed already."""
    n_fixed = indicators.shape[-1]
    if (children >= n_fixed).all():
        return aggregates[:, :, children - n_fixed]
    shape = (batch, indicators.shape[-2], 1)
    parts = [
        np.broadcast_to(indicators[..., [c]], shape) if c < n_fixed
        else aggregates[:, :, [c - n_fixed]]
        for c in children
    ]  # fmt: skip
    return np.concatenate(parts, axis=-1)


def _first_failure(failure: Ints, invalid: NDArray[np.bool_], parent: int) -> None:
    """Record ``parent`` and the first invalid unit for replications not failed before."""
    new = invalid.any(axis=1) & (failure[:, 0] < 0)
    failure[new, 0] = parent
    failure[new, 1] = np.argmax(invalid[new], axis=1)


def rank_descending(scores: Floats) -> Floats:
    """Ranks along the last axis: 1 = highest score, ties share the lowest rank, NaN kept.

    The build's ranks (:func:`~readiness_index.engine.ranking.descending_ranks`, as
    :func:`scipy.stats.rankdata` with ``method="min"`` and ``nan_policy="omit"`` ranks
    ``-scores``), with NaN for a missing score.

    Examples
    --------
    >>> rank_descending(np.array([[3.0, np.nan, 3.0, 1.0]])).tolist()
    [[1.0, nan, 1.0, 3.0]]
    """
    ranks = descending_ranks(scores)
    return np.where(ranks == 0, np.nan, ranks)
