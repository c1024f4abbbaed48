"""The plan of a Monte Carlo run: what every replication shares, and how a sample of
U[0, 1) becomes the choices of each replication (:meth:`Plan.draws`).

A :class:`Plan` is made by :func:`readiness_index.analysis.montecarlo.prepare`; the
draws it makes are evaluated by :func:`readiness_index.analysis.montecarlo.run`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from readiness_index.analysis.assumptions import STEP_NAMES, Assumptions
from readiness_index.analysis.replicate import (
    Floats,
    Tree,
)
from readiness_index.analysis.variants import (
    ThresholdOutcomes,
    dirichlet_weights,
    goalpost_shifts,
    sibling_groups,
    uniform_weights,
)
from readiness_index.model.methodology import (
    AggregateSpec,
    Methodology,
)
from readiness_index.steps.normalise import Normaliser

__all__ = ["EARLY_STEPS", "Draws", "Ints", "Plan", "Varying"]

Ints = NDArray[np.intp]
#: The early steps whose alternatives are built once, in the order they run.
EARLY_STEPS = ("denominate", "impute", "screen", "treat", "normalise")
#: Discrete choices besides the steps' alternatives.
_CHOICES = (*STEP_NAMES, "weight_sets", "exclude_indicator")


@dataclass(frozen=True)
class Varying:
    """What replications need when their indicator matrices differ one from another.

    ``before[c]`` holds the analysed year's values before the treatment step and
    ``treated[c, t]`` after it, for the ``c``-th combination of denomination,
    imputation and screening and the ``t``-th treatment; ``outcomes[c][t][j]`` the
    treatments of indicator ``j`` under drawn thresholds; ``goalposts`` the positions of
    the indicators whose goalposts move and ``posts`` their goalposts ``[2, indicator]``
    in the unit the normalisation works in.
    """

    normalisers: tuple[Normaliser, ...]
    treated: Floats
    outcomes: tuple[tuple[tuple[ThresholdOutcomes, ...], ...], ...]
    goalposts: Ints
    posts: Floats


@dataclass(frozen=True)
class Plan:
    """Everything precomputed for fast replications of one year of one index.

    ``matrices[k]`` is the normalised indicator matrix (``[country, indicator]``) of the
    ``k``-th early alternative, the combinations of the alternatives of
    :data:`EARLY_STEPS`; ``set_weights[s]`` the weight of every node in the ``s``-th
    weight set.
    """

    tree: Tree
    countries: tuple[str, ...]
    year: int
    target: int
    methodology: Methodology
    assumptions: Assumptions
    alternatives: dict[str, tuple[Any, ...]]
    matrices: Floats
    weight_sets: tuple[str, ...]
    set_weights: Floats
    noise: Floats
    nominal: pd.DataFrame
    varying: Varying | None = None

    @property
    def aggregates(self) -> tuple[AggregateSpec, ...]:
        """The aggregation alternatives."""
        return tuple(self.alternatives["aggregate"])

    @property
    def base_weights(self) -> Floats:
        """The weights of the first weight set (the methodology's when none is declared)."""
        return np.asarray(self.set_weights[0], dtype=np.float64)

    @property
    def discrete(self) -> dict[str, int]:
        """Number of alternatives of each discrete assumption that varies."""
        counts = {name: len(self.alternatives[name]) for name in STEP_NAMES}
        counts["weight_sets"] = len(self.weight_sets)
        if self.assumptions.exclude_indicator:
            counts["exclude_indicator"] = self.tree.n_indicators + 1
        return {name: k for name, k in counts.items() if k > 1}

    @property
    def noisy_nodes(self) -> Ints:
        """Positions of the nodes whose weights are perturbed (COINr's noise)."""
        return np.flatnonzero(self.noise > 0)

    @property
    def random_groups(self) -> list[tuple[int, Ints]]:
        """``(level, siblings)`` of every sibling group whose weights are redrawn."""
        chosen = self.assumptions.weights_random
        return [
            (level, group)
            for level in sorted(chosen)
            if chosen[level].varies
            for group in sibling_groups(self.tree, level)
        ]

    @property
    def continuous(self) -> dict[str, int]:
        """Dimensions of each continuous assumption that varies, in the order drawn."""
        out = {f"treat_thresholds.{name}": 1 for name, r in self.thresholds.items() if r.width}
        if self.varying is not None and self.assumptions.goalposts:
            out["goalposts"] = 2 * len(self.varying.goalposts)
        p = self.assumptions.generalised_p
        if p is not None and p.high > p.low:
            out["generalised_p"] = 1
        return out

    @property
    def thresholds(self) -> dict[str, _Span]:
        """The threshold ranges declared."""
        return {n: _Span(r.low, r.high) for n, r in self.assumptions.thresholds.items()}

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The group of every input dimension: one per discrete choice, one per noisy or
        redrawn weight, goalpost and threshold, one for ``p``."""
        levels = self.tree.node_levels[self.noisy_nodes]
        random = [f"weights_random.{lv}" for lv, group in self.random_groups for _ in group]
        continuous = [name for name, k in self.continuous.items() for _ in range(k)]
        return (
            *self.discrete,
            *(f"weights_noise.{level}" for level in levels),
            *random,
            *continuous,
        )

    def draws(self, unit: Floats) -> Draws:
        """Map a ``[replication, dimension]`` sample of U[0, 1) onto the choices.

        A discrete choice among ``k`` alternatives takes alternative ``floor(u·k)``
        (COINr's ``cut`` into ``k`` equal intervals); a noisy weight becomes
        ``w + (2u - 1)·factor·w``; redrawn weights, goalposts, thresholds and ``p``
        as :mod:`readiness_index.analysis.variants` and the assumptions say.
        """
        n = unit.shape[0]
        picks = {name: np.zeros(n, dtype=np.intp) for name in _CHOICES}
        for column, (name, k) in enumerate(self.discrete.items()):
            picks[name] = np.minimum((unit[:, column] * k).astype(np.intp), k - 1)
        rest = unit[:, len(self.discrete) :]
        weights = self.set_weights[picks["weight_sets"]].copy()
        nodes = self.noisy_nodes
        weights[:, nodes] += (
            (2.0 * rest[:, : len(nodes)] - 1.0) * self.noise[nodes] * weights[:, nodes]
        )
        rest = self._random_weights(weights, rest[:, len(nodes) :])
        values = self._continuous(rest, n)
        shape = tuple(len(self.alternatives[name]) for name in EARLY_STEPS)
        early = np.ravel_multi_index(tuple(picks[name] for name in EARLY_STEPS), shape)
        return Draws(picks, np.asarray(early, dtype=np.intp), weights, values)

    def _random_weights(self, weights: Floats, unit: Floats) -> Floats:
        """Redraw the weights of every sibling group in place; return the unused columns."""
        chosen = self.assumptions.weights_random
        used = 0
        for level, group in self.random_groups:
            u = unit[:, used : used + len(group)]
            used += len(group)
            draw = chosen[level]
            if draw.distribution == "uniform":
                uniform_weights(weights, u, float(draw.width or 0.0), group)
            else:
                dirichlet_weights(weights, u, float(draw.concentration or 1.0), group)
        return unit[:, used:]  # a uniform width of 0 leaves the weights as they are

    def _continuous(self, unit: Floats, n: int) -> dict[str, Floats]:
        values: dict[str, Floats] = {}
        used = 0
        for name, span in self.thresholds.items():
            if span.width:
                values[name] = span.at(unit[:, used])
                used += 1
            else:
                values[name] = np.full(n, span.low)
        if self.varying is not None and self.assumptions.goalposts:
            k = len(self.varying.goalposts)
            u = unit[:, used : used + 2 * k].reshape(n, 2, k)
            used += 2 * k
            values["goalposts"] = goalpost_shifts(u, self.assumptions.goalposts, self.varying.posts)
        p = self.assumptions.generalised_p
        if p is not None:
            values["p"] = (
                _Span(p.low, p.high).at(unit[:, used]) if p.high > p.low else np.full(n, p.low)
            )
        return values


@dataclass(frozen=True)
class _Span:
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low

    def at(self, u: Floats) -> Floats:
        return np.asarray(self.low + u * self.width, dtype=np.float64)


@dataclass(frozen=True)
class Draws:
    """The choices of a set of replications, as arrays (``picks[name][r]``, ``weights[r, node]``).

    ``picks["exclude_indicator"]`` is 0 for none, ``j`` for the ``j``-th indicator;
    ``drawn`` holds the continuous draws: ``skew``, ``kurtosis``, ``p`` ``[r]`` and
    ``goalposts`` ``[r, 2, indicator]``.
    """

    picks: dict[str, Ints]
    early: Ints
    weights: Floats
    drawn: dict[str, Floats] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.early)

    def take(self, rows: slice | Ints) -> Draws:
        """The draws of the replications in ``rows``."""
        return Draws(
            {k: v[rows] for k, v in self.picks.items()},
            self.early[rows],
            self.weights[rows],
            {k: v[rows] for k, v in self.drawn.items()},
        )
