"""The Monte Carlo engine behind uncertainty and sensitivity analysis.

Speed by design, instead of replaying the whole build per replication as COINr's
``get_sensitivity`` does:

1. :func:`prepare` builds every discrete alternative of the early steps once
   (imputation x treatment with :func:`readiness_index.engine.pipeline.build`, then each
   normalisation of the analysed year), giving one normalised indicator matrix per
   alternative, and turns the framework into arrays;
2. :meth:`Plan.draws` maps a ``[replication, dimension]`` sample of U[0, 1) onto the
   choices of every replication at once (alternative numbers, aggregation numbers,
   noisy weights, excluded indicator);
3. :func:`run` evaluates the replications in vectorised batches
   (:mod:`readiness_index.analysis.replicate`), which bounds memory; batches are independent
   and may be mapped over processes with joblib.

The aggregations are the build's own registered functions
(:func:`readiness_index.steps.aggregate.aggregate_values`), and the normalisations are
set up as the build sets them up
(:meth:`~readiness_index.steps.normalise.Normaliser.for_framework`), so the nominal
replication is the build. A replication that the build would refuse (an aggregation
meeting a value outside its domain where a score is computed, with
``invalid: error``) is marked failed, with the aggregate and unit where it failed, and
never altered; callers count and report it (:func:`failure_reasons`).
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from numpy.typing import NDArray
from tqdm.auto import tqdm

from readiness_index.analysis.assumptions import STEP_NAMES, Assumptions
from readiness_index.analysis.replicate import (
    Floats,
    Tree,
    aggregate_batch,
    rank_descending,
    tree_of,
)
from readiness_index.analysis.variants import (
    ThresholdOutcomes,
    dirichlet_weights,
    goalpost_shifts,
    sibling_groups,
    uniform_weights,
)
from readiness_index.engine.pipeline import build
from readiness_index.engine.results import IndexResult
from readiness_index.errors import AssumptionError
from readiness_index.model.data import IndicatorData
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import (
    AggregateSpec,
    LevelAggregateSpec,
    Methodology,
    NormaliseSpec,
)
from readiness_index.steps.aggregate import ACCEPTS, AGGREGATIONS
from readiness_index.steps.impute import IMPUTATIONS
from readiness_index.steps.normalise import Normaliser
from readiness_index.steps.weights import resolve_weights

__all__ = ["EARLY_STEPS", "Draws", "Plan", "evaluate", "failure_reasons", "prepare", "run"]

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
        for level, spec in chosen.items():
            if not spec.varies:  # width 0: the nominal weights (renormalised: unchanged)
                for group in sibling_groups(self.tree, level):
                    uniform_weights(weights, np.full((len(weights), len(group)), 0.5), 0.0, group)
        return unit[:, used:]

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


def prepare(
    framework: Framework,
    data: IndicatorData,
    methodology: Methodology,
    assumptions: Assumptions,
    *,
    year: int | None = None,
    target: str | None = None,
    nominal: IndexResult | None = None,
) -> Plan:
    """Build each early alternative once and return the arrays replications need.

    Parameters
    ----------
    framework, data, methodology : Framework, IndicatorData, Methodology
        The nominal index.
    assumptions : Assumptions
        What varies (already checked with :meth:`Assumptions.check`).
    year : int, optional
        The year analysed (default: the latest).
    target : str, optional
        The aggregate whose scores replications return (default: the index).
    nominal : IndexResult, optional
        The build of ``framework``, ``data`` and ``methodology`` when it is already at
        hand (it is then not built again).

    Returns
    -------
    Plan

    Raises
    ------
    AssumptionError
        When ``year`` or ``target`` are not in the nominal result, or ``nominal`` was
        built from something else.

    Examples
    --------
    >>> from readiness_index.model.framework import Aggregate, Indicator
    >>> from readiness_index.model.data import prepare_data
    >>> fw = Framework(aggregates=(Aggregate(code="index", name="I"),),
    ...                indicators=(Indicator(code="a", name="A", parent="index"),
    ...                            Indicator(code="b", name="B", parent="index")))
    >>> rows = pd.DataFrame({"country": ["AT", "BE"] * 2, "year": 2024,
    ...                      "indicator": ["a", "a", "b", "b"], "value": [1.0, 2.0, 4.0, 3.0]})
    >>> spec = Assumptions(normalise=({"method": "minmax", "lower": 1}, {"method": "rank"}))
    >>> plan = prepare(fw, prepare_data(rows, fw), Methodology(), spec)
    >>> plan.matrices.shape, plan.dimensions
    ((2, 2, 2), ('normalise',))
    >>> scores, failure, ranks = run(plan, plan.draws(np.array([[0.2], [0.7]])))
    >>> scores.tolist(), failure.tolist()
    ([[50.5, 50.5], [1.5, 1.5]], [[-1, -1], [-1, -1]])
    """
    if nominal is None:
        data = _analysed_data(data, methodology, assumptions, year)
    nominal = _nominal_build(framework, data, methodology, nominal)
    active = nominal.framework
    tree = tree_of(active)
    year = _year_of(nominal, year)
    target = target or active.root
    if target not in tree.codes or tree.node_levels[tree.codes.index(target)] < 2:
        aggregates = [c for c in tree.codes[tree.n_indicators :]]
        raise AssumptionError(f"target {target!r} is not an aggregate; choose one of {aggregates}")
    alternatives = _alternatives(methodology, assumptions)
    countries = _countries(nominal, year, screened=len(alternatives["screen"]) > 1)
    early = _early(nominal, framework, data, alternatives, year, countries)
    sets = assumptions.weight_sets or {"nominal": methodology.weights}
    return Plan(
        tree=tree,
        countries=countries,
        year=year,
        target=tree.codes.index(target),
        methodology=methodology,
        assumptions=assumptions,
        alternatives=alternatives,
        matrices=early.matrices,
        weight_sets=tuple(sets),
        set_weights=np.stack(
            [_base_weights(resolve_weights(active, w), tree) for w in sets.values()]
        ),
        noise=_noise(assumptions, tree),
        nominal=_nominal(nominal, target, year, countries),
        varying=_varying(active, assumptions, alternatives, early, countries),
    )


def run(
    plan: Plan, draws: Draws, *, batch_size: int = 1000, n_jobs: int = 1, progress: bool = False
) -> tuple[Floats, Ints, Floats]:
    """Evaluate every replication of ``draws``: the target's scores, where each failed, and
    the ranks (computed batch by batch, in the processes that evaluate the batches).

    Returns
    -------
    scores : ndarray ``[replication, country]``
    failure : ndarray of int ``[replication, 2]``
        The node position of the aggregate where a replication failed and the unit
        (country position); ``-1`` for a replication that computed. ``failure[:, 0] >= 0``
        marks the failed replications.
    ranks : ndarray ``[replication, country]``
        1 = best in its replication, ties share the lowest rank, NaN without a score.
    """
    slices = [slice(i, i + batch_size) for i in range(0, len(draws), batch_size)]
    if n_jobs == 1:
        parts: Iterator[tuple[Floats, Ints, Floats]] = (
            evaluate(plan, draws.take(s)) for s in slices
        )
    else:
        parallel = Parallel(n_jobs=n_jobs, return_as="generator")
        parts = parallel(delayed(evaluate)(plan, draws.take(s)) for s in slices)
    bar = tqdm(parts, total=len(slices), disable=not progress, unit="batch", desc="replications")
    with _one_blas_thread():
        outcome = list(bar)
    if not outcome:
        empty = np.empty((0, len(plan.countries)))
        return empty, np.empty((0, 2), dtype=np.intp), empty
    scores = np.concatenate([o[0] for o in outcome])
    failure = np.concatenate([o[1] for o in outcome])
    return scores, failure, np.concatenate([o[2] for o in outcome])


def evaluate(plan: Plan, draws: Draws) -> tuple[Floats, Ints, Floats]:
    """Scores of the target in one batch of replications, where replications failed, and
    the ranks.

    Replications are grouped by early alternative and aggregation method, so that each
    group shares one indicator matrix (:func:`readiness_index.analysis.replicate.aggregate_batch`);
    drawn goalposts or thresholds give each replication its own matrix, and a drawn
    ``p`` its own aggregation.
    """
    weights = draws.weights.copy()
    excluded = draws.picks["exclude_indicator"]
    rows = np.flatnonzero(excluded > 0)
    weights[rows, excluded[rows] - 1] = 0.0
    scores = np.full((len(draws), len(plan.countries)), np.nan)
    failure = np.full((len(draws), 2), -1, dtype=np.intp)
    groups = draws.early * len(plan.aggregates) + draws.picks["aggregate"]
    for group in np.unique(groups):
        rows = np.flatnonzero(groups == group)
        early, k = divmod(int(group), len(plan.aggregates))
        indicators = _indicators(plan, draws.take(rows), early)
        for part, methods in _aggregations(plan, plan.aggregates[k], draws.drawn.get("p"), rows):
            matrix = indicators if indicators.ndim == 2 else indicators[part]
            values, where = aggregate_batch(plan.tree, matrix, weights[rows[part]], methods)
            scores[rows[part]] = values[:, :, plan.target - plan.tree.n_indicators]
            failure[rows[part]] = where
    return scores, failure, rank_descending(scores)


def _aggregations(
    plan: Plan, spec: AggregateSpec, p: Floats | None, rows: Ints
) -> Iterator[tuple[slice | Ints, dict[int, LevelAggregateSpec]]]:
    """The aggregation of each level for the rows of a group: all at once, or replication
    by replication when each drew its own ``p`` for its generalised means."""
    methods = {lv.level: spec.for_level(lv.level) for lv in plan.tree.levels}
    drawn = [lv for lv, m in methods.items() if m.method == "generalised"]
    if p is None or not drawn:
        yield slice(None), methods
        return
    for i, row in enumerate(rows):
        update = {"p": float(p[row])}
        yield np.array([i]), methods | {lv: methods[lv].model_copy(update=update) for lv in drawn}


def _indicators(plan: Plan, draws: Draws, early: int) -> Floats:
    """The normalised indicators of a group of replications that share one early
    alternative: ``[unit, indicator]``, or ``[replication, unit, indicator]`` when
    goalposts or thresholds are drawn."""
    varying = plan.varying
    if varying is None:
        return np.asarray(plan.matrices[early], dtype=np.float64)
    shape = tuple(len(plan.alternatives[name]) for name in EARLY_STEPS)
    *before, t, n = (int(i) for i in np.unravel_index(early, shape))
    combo = int(np.ravel_multi_index(tuple(before), shape[:3]))
    normaliser = varying.normalisers[n]
    out = np.repeat(plan.matrices[early][None], len(draws), axis=0)
    if plan.thresholds:
        treated = _thresholded(plan, varying.outcomes[combo][t], normaliser, draws, out)
    else:
        treated = varying.treated[combo, t][None]
    if "goalposts" in draws.drawn:
        _move_goalposts(plan, normaliser, draws.drawn["goalposts"], treated, out)
    return out


def _thresholded(
    plan: Plan,
    outcomes: tuple[ThresholdOutcomes, ...],
    normaliser: Normaliser,
    draws: Draws,
    out: Floats,
) -> Floats:
    """Fill ``out`` with the normalised indicators under each replication's thresholds;
    return the treated values ``[replication, unit, indicator]``."""
    codes = plan.tree.codes[: plan.tree.n_indicators]
    countries = np.asarray(plan.countries)
    skews, kurts = draws.drawn.get("skew"), draws.drawn.get("kurtosis")
    treated = np.empty_like(out)
    normalised: dict[tuple[int, tuple[int, int]], Floats] = {}
    for r in range(len(draws)):
        skew = None if skews is None else float(skews[r])
        kurt = None if kurts is None else float(kurts[r])
        for j, outcome in enumerate(outcomes):
            treated[r, :, j] = outcome.treated(skew, kurt)
            key = (j, outcome.key(skew, kurt))
            if key not in normalised:
                normalised[key] = normaliser.column(treated[r, :, j], countries, codes[j])
            out[r, :, j] = normalised[key]
    return treated


def _move_goalposts(
    plan: Plan, normaliser: Normaliser, posts: Floats, treated: Floats, out: Floats
) -> None:
    """Normalise again, with each replication's goalposts, the indicators that use them."""
    assert plan.varying is not None
    codes = plan.tree.codes[: plan.tree.n_indicators]
    countries = np.asarray(plan.countries)
    for column, j in enumerate(plan.varying.goalposts):
        code = codes[j]
        if normaliser.spec.for_indicator(code).method == "goalposts":
            moved = (posts[:, :1, column], posts[:, 1:, column])
            out[:, :, j] = normaliser.column(treated[:, :, j], countries, code, moved)


def failure_reasons(plan: Plan, draws: Draws, failure: Ints) -> list[str]:
    """Why each replication failed (an empty text for one that computed).

    The reason names the aggregate, the unit, the aggregation and the values it accepts,
    e.g. ``"'P1' for AT: aggregation 'harmonic' needs values > 0"``.
    """
    reasons = []
    for r, (node, unit) in enumerate(failure):
        if node < 0:
            reasons.append("")
            continue
        level = int(plan.tree.node_levels[node])
        spec = plan.aggregates[int(draws.picks["aggregate"][r])].for_level(level)
        reasons.append(
            f"{plan.tree.codes[node]!r} for {plan.countries[unit]}: aggregation "
            f"{spec.method!r} needs {ACCEPTS[AGGREGATIONS[spec.method].accepts(spec)]}"
        )
    return reasons


# -- preparation ----------------------------------------------------------------------------
def _nominal_build(
    framework: Framework,
    data: IndicatorData,
    methodology: Methodology,
    nominal: IndexResult | None,
) -> IndexResult:
    if nominal is None:
        return build(framework, data, methodology)
    same = (
        nominal.framework_hash == framework.active().content_hash
        and _same_data(nominal.source or nominal.data, data)
        and nominal.methodology == methodology
    )
    if not same:
        raise AssumptionError(
            "the nominal result was built from another framework, data or methodology than "
            "the ones given; pass nominal=None to build it here"
        )
    return nominal


def _same_data(built: IndicatorData, given: IndicatorData) -> bool:
    return built is given or built.content_hash == given.content_hash


def _analysed_data(
    data: IndicatorData, methodology: Methodology, assumptions: Assumptions, year: int | None
) -> IndicatorData:
    """Only the analysed year's data when no step looks at other years.

    Every step works within a year (denomination, screening, treatment, per-year
    normalisation, aggregation) unless the methodology has editions, imputes along a
    unit's years (``latest``, ``linear``) or normalises over every year (``pooled``)
    in any alternative; then the data stay whole. The result is the same either way;
    the build of one year is only faster.
    """
    imputes = [s for s in (*assumptions.impute, methodology.impute) if s is not None]
    normalises = (*assumptions.normalise, methodology.normalise)
    crosses = (
        methodology.editions is not None
        or any(IMPUTATIONS[s.method].kind == "panel" for s in imputes)
        or any(s.scope == "pooled" for s in normalises)
    )
    years = data.years
    if crosses or len(years) < 2:
        return data
    if year is not None and year not in years:
        raise AssumptionError(f"year {year} is not in the data; years present: {years}")
    return data.select_years([years[-1] if year is None else year])


def _year_of(result: IndexResult, year: int | None) -> int:
    years = sorted(int(y) for y in result.datasets["normalised"].index.unique(level="year"))
    if year is None:
        return years[-1]
    if year not in years:
        raise AssumptionError(f"year {year} is not in the result; years present: {years}")
    return year


def _alternatives(methodology: Methodology, assumptions: Assumptions) -> dict[str, tuple[Any, ...]]:
    """Alternatives of each step; a step that does not vary keeps the methodology's choice."""
    return {
        name: getattr(assumptions, name) or (getattr(methodology, name),) for name in STEP_NAMES
    }


def _countries(result: IndexResult, year: int, *, screened: bool) -> tuple[str, ...]:
    """The units analysed: those the nominal build scores, or every unit of the data when
    screening varies (a unit screened out has no score in that replication)."""
    frame = result.datasets["raw" if screened else "normalised"]
    return tuple(frame.xs(year, level="year").index)


@dataclass(frozen=True)
class _Early:
    """The analysed year's matrices of every early alternative (see :class:`Varying`)."""

    matrices: Floats
    before: Floats
    treated: Floats


def _early(
    nominal: IndexResult,
    framework: Framework,
    data: IndicatorData,
    alternatives: dict[str, tuple[Any, ...]],
    year: int,
    countries: tuple[str, ...],
) -> _Early:
    """Build every combination of the early steps' alternatives once.

    Each combination of denomination, imputation, screening and treatment is one build
    (its aggregation set to the arithmetic mean, which always computes); each
    normalisation alternative is then applied to its treated data set.
    """
    active = nominal.framework
    codes = list(active.indicator_codes)
    matrices, before, treated = [], [], []
    for combo in itertools.product(*(alternatives[name] for name in EARLY_STEPS[:3])):
        rows = []
        for treat in alternatives["treat"]:
            datasets = _datasets(nominal, framework, data, (*combo, treat))
            rows.append(_year_matrix(datasets["treated"], year, countries, codes))
            for spec in alternatives["normalise"]:
                matrices.append(_normalised(datasets["treated"], spec, active, year, countries))
        before.append(_year_matrix(datasets["screened"], year, countries, codes))
        treated.append(np.stack(rows))
    return _Early(np.stack(matrices), np.stack(before), np.stack(treated))


def _datasets(
    nominal: IndexResult,
    framework: Framework,
    data: IndicatorData,
    combo: tuple[Any, ...],
) -> dict[str, pd.DataFrame]:
    """The data sets of one combination of the early steps' alternatives (built once)."""
    methodology = nominal.methodology
    update = dict(zip(EARLY_STEPS[:4], combo, strict=True))
    if all(getattr(methodology, k) == v for k, v in update.items()):
        return nominal.datasets
    variant = methodology.model_copy(update=update | {"aggregate": AggregateSpec()})
    return build(framework, data, variant).datasets


def _year_matrix(
    frame: pd.DataFrame, year: int, countries: tuple[str, ...], codes: list[str]
) -> Floats:
    """The year's rows of a wide data set as ``[country, indicator]`` (NaN where absent)."""
    rows = frame.loc[frame.index.get_level_values("year") == year].droplevel("year")
    return rows.reindex(index=list(countries), columns=codes).to_numpy(dtype=np.float64)


def _normalised(
    treated: pd.DataFrame,
    spec: NormaliseSpec,
    framework: Framework,
    year: int,
    countries: tuple[str, ...],
) -> Floats:
    """One normalisation alternative of the analysed year, ``[country, indicator]``.

    Normalising per year needs only the year's rows; a pooled scope needs every year.
    """
    in_year = treated.index.get_level_values("year") == year
    rows = treated if spec.scope == "pooled" else treated.loc[in_year]
    frame = Normaliser.for_framework(framework, spec).transform(rows)
    return _year_matrix(frame, year, countries, list(framework.indicator_codes))


def _varying(
    framework: Framework,
    assumptions: Assumptions,
    alternatives: dict[str, tuple[Any, ...]],
    early: _Early,
    countries: tuple[str, ...],
) -> Varying | None:
    """What replications with drawn goalposts or thresholds need (``None`` without)."""
    normalisers = tuple(Normaliser.for_framework(framework, s) for s in alternatives["normalise"])
    codes = list(framework.indicator_codes)
    moved = [
        j
        for j, code in enumerate(codes)
        if any(n.spec.for_indicator(code).method == "goalposts" for n in normalisers)
        and normalisers[0].posts_of(code) is not None
    ]
    if not assumptions.thresholds and not (assumptions.goalposts and moved):
        return None
    posts = [normalisers[0].posts_of(codes[j]) for j in moved]
    outcomes = tuple(
        tuple(
            tuple(
                ThresholdOutcomes(values[:, j], treat.for_indicator(code))
                for j, code in enumerate(codes)
            )
            for treat in alternatives["treat"]
        )
        if assumptions.thresholds
        else ()
        for values in early.before
    )
    return Varying(
        normalisers=normalisers,
        treated=early.treated,
        outcomes=outcomes,
        goalposts=np.array(moved, dtype=np.intp),
        posts=np.array(posts, dtype=np.float64).reshape(-1, 2).T.copy(),
    )


def _base_weights(weights: Mapping[str, float], tree: Tree) -> Floats:
    return np.array([weights[code] for code in tree.codes], dtype=np.float64)


def _noise(assumptions: Assumptions, tree: Tree) -> Floats:
    factors = [assumptions.weights_noise.get(int(level), 0.0) for level in tree.node_levels]
    noise = np.array(factors, dtype=np.float64)
    noise[tree.root] = 0.0
    return noise


def _nominal(
    result: IndexResult, target: str, year: int, countries: tuple[str, ...]
) -> pd.DataFrame:
    scores = result.scores
    rows = scores[(scores["code"] == target) & (scores["year"] == year)]
    frame = rows.set_index("country")[["score", "rank"]].reindex(list(countries))
    return frame.astype("float64")


def _one_blas_thread() -> contextlib.AbstractContextManager[object]:
    """Single-threaded BLAS while replicating: the products are small, and threads fighting
    over them cost several times the work (batches are parallelised with joblib instead).
    Needs threadpoolctl; without it, nothing changes.
    """
    try:
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:  # pragma: no cover - optional
        return contextlib.nullcontext()
    limits: contextlib.AbstractContextManager[object] = threadpool_limits(1, user_api="blas")
    return limits
