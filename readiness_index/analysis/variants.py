"""Continuous assumptions of a Monte Carlo run: random weights, goalposts, thresholds.

Each function maps a sample of U[0, 1) onto the parameter values of every replication
at once, or builds what a replication needs from the build's own registered steps:

* :func:`uniform_weights` and :func:`dirichlet_weights` redraw the weights of sibling
  groups, renormalised so that each group keeps its total (its shares sum to one);
* :func:`goalpost_shifts` moves goalposts by up to a share of their range;
* :class:`ThresholdOutcomes` gives the treated values of an indicator under drawn
  winsorisation thresholds by calling :func:`readiness_index.steps.treat.treat_column`
  (the build's function) once per distinct outcome. The outcome depends on the
  thresholds only through which of the finitely many skewness and kurtosis values of
  the winsorisation path lie below them (the path itself does not depend on them), so
  thresholds that fall between the same values share one computation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.stats import gamma

from readiness_index.analysis.replicate import Tree
from readiness_index.model.methodology import TreatSpec
from readiness_index.steps.treat import kurtosis, skewness, treat_column, winsorise

__all__ = [
    "ThresholdOutcomes",
    "dirichlet_weights",
    "goalpost_shifts",
    "sibling_groups",
    "uniform_weights",
]

Floats = NDArray[np.float64]
Ints = NDArray[np.intp]


def sibling_groups(tree: Tree, level: int) -> list[Ints]:
    """Positions of the nodes of ``level`` that share a parent, one array per parent.

    Examples
    --------
    >>> from readiness_index.analysis.replicate import tree_of
    >>> from readiness_index.model.framework import Aggregate, Framework, Indicator
    >>> fw = Framework(aggregates=(Aggregate(code="i", name="I"),),
    ...                indicators=(Indicator(code="a", name="A", parent="i"),
    ...                            Indicator(code="b", name="B", parent="i")))
    >>> [g.tolist() for g in sibling_groups(tree_of(fw), 1)]
    [[0, 1]]
    """
    groups = []
    for parents in tree.levels:
        for children in parents.children:
            own = children[tree.node_levels[children] == level]
            if len(own):
                groups.append(own)
    return groups


def _renormalised(weights: Floats, drawn: Floats, group: Ints) -> None:
    """``weights[:, group] = drawn * total / sum(drawn)``, in place (the group keeps its total)."""
    total = weights[:, group].sum(axis=1, keepdims=True)
    weights[:, group] = drawn * (total / drawn.sum(axis=1, keepdims=True))


def uniform_weights(weights: Floats, unit: Floats, width: float, group: Ints) -> None:
    """Uniform noise: ``w_i (1 + h (2u_i - 1))`` renormalised so the group keeps its total.

    ``weights`` is ``[replication, node]`` (changed in place), ``unit`` ``[replication,
    len(group)]``. With ``h = 0`` the weights stay exactly as they are.

    Examples
    --------
    >>> w = np.array([[1.0, 3.0]])
    >>> uniform_weights(w, np.array([[1.0, 0.5]]), 0.5, np.array([0, 1]))
    >>> w.tolist()   # 1.5 and 3 scaled by 4 / 4.5
    [[1.3333333333333333, 2.6666666666666665]]
    """
    _renormalised(weights, weights[:, group] * (1.0 + width * (2.0 * unit - 1.0)), group)


def dirichlet_weights(weights: Floats, unit: Floats, concentration: float, group: Ints) -> None:
    """Dirichlet noise: shares ``~ Dirichlet(c s)`` with ``s`` the current shares.

    Drawn by inversion: ``g_i = F⁻¹(u_i; shape c s_i)`` of the gamma distribution,
    shares ``g_i / sum(g)``; the mean share is ``s_i``, its variance
    ``s_i (1 - s_i) / (c + 1)``. The group keeps its total. A replication whose draws
    all underflow to zero (possible only for a tiny ``c``) keeps its shares.

    Examples
    --------
    >>> w = np.array([[1.0, 3.0]])
    >>> dirichlet_weights(w, np.array([[0.5, 0.5]]), 1e6, np.array([0, 1]))
    >>> np.round(w, 2).tolist()
    [[1.0, 3.0]]
    """
    current = weights[:, group]
    shape = concentration * current / current.sum(axis=1, keepdims=True)
    drawn = np.asarray(gamma.ppf(unit, shape), dtype=np.float64)
    empty = drawn.sum(axis=1) <= 0
    drawn[empty] = current[empty]
    _renormalised(weights, drawn, group)


def goalpost_shifts(unit: Floats, share: float, posts: Floats) -> Floats:
    """Goalposts moved by ``(2u - 1) · share · (upper - lower)``, one draw per post.

    ``unit`` is ``[replication, 2, indicator]`` and ``posts`` ``[2, indicator]``
    (lower, upper); returns the moved posts ``[replication, 2, indicator]``.

    Examples
    --------
    >>> goalpost_shifts(np.array([[[0.0], [1.0]]]), 0.1, np.array([[0.0], [50.0]])).tolist()
    [[[-5.0], [55.0]]]
    """
    spread = posts[1] - posts[0]
    return np.asarray(posts[None] + (2.0 * unit - 1.0) * share * spread[None, None, :])


def _path_moments(x: Floats, max_points: int) -> tuple[Floats, Floats]:
    """Sorted |skewness| and kurtosis of every state the winsorisation of ``x`` can reach.

    The states are those of a run whose thresholds are never met, stopped after
    ``m`` points for every ``m <= max_points`` (the points treated only grow), and
    the original values.
    """
    states = [winsorise(x, 0.0, -np.inf, m)[0] for m in range(max_points + 1)]
    skews = np.array([abs(skewness(y)) for y in states])
    kurts = np.array([kurtosis(y) for y in states])
    return np.unique(skews[~np.isnan(skews)]), np.unique(kurts[~np.isnan(kurts)])


@dataclass
class ThresholdOutcomes:
    """Treated values of one indicator of one year under drawn thresholds.

    ``treated(skew, kurtosis)`` equals
    ``treat_column(x, spec with those thresholds)[0]``; it calls that function once
    for each distinct outcome.

    Examples
    --------
    >>> x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 100])
    >>> outcomes = ThresholdOutcomes(x, TreatSpec())
    >>> outcomes.treated(2.0, 3.5).tolist()[-1], outcomes.treated(10.0, 3.5).tolist()[-1]
    (9.0, 100.0)
    """

    values: Floats
    spec: TreatSpec
    skews: Floats = field(init=False)
    kurts: Floats = field(init=False)
    _cache: dict[tuple[int, int], Floats] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.skews, self.kurts = _path_moments(self.values, self.spec.max_points)

    def key(self, skew: float | None, kurt: float | None) -> tuple[int, int]:
        """How many path values lie strictly below each threshold (``None``: the spec's);
        the key decides the outcome."""
        skew, kurt = self._thresholds(skew, kurt)
        s = int(np.searchsorted(self.skews, skew, side="left"))
        return s, int(np.searchsorted(self.kurts, kurt, side="left"))

    def treated(self, skew: float | None, kurt: float | None) -> Floats:
        """The treated values with thresholds ``skew`` and ``kurt`` (``None``: the spec's)."""
        key = self.key(skew, kurt)
        if key not in self._cache:
            skew, kurt = self._thresholds(skew, kurt)
            spec = self.spec.model_copy(update={"skew": skew, "kurtosis": kurt})
            self._cache[key] = treat_column(self.values, spec)[0]
        return self._cache[key]

    def _thresholds(self, skew: float | None, kurt: float | None) -> tuple[float, float]:
        return (
            self.spec.skew if skew is None else skew,
            self.spec.kurtosis if kurt is None else kurt,
        )
