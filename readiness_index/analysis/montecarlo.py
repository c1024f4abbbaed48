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
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from numpy.typing import NDArray
from tqdm.auto import tqdm

from readiness_index.analysis.assumptions import Assumptions
from readiness_index.analysis.replicate import Floats, Tree, aggregate_batch, tree_of
from readiness_index.engine.pipeline import build
from readiness_index.engine.results import IndexResult
from readiness_index.errors import AssumptionError
from readiness_index.model.data import IndicatorData
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import (
    AggregateSpec,
    Methodology,
    NormaliseSpec,
)
from readiness_index.steps.aggregate import ACCEPTS, AGGREGATIONS
from readiness_index.steps.normalise import Normaliser

__all__ = ["EARLY_STEPS", "Draws", "Plan", "evaluate", "failure_reasons", "prepare", "run"]

Ints = NDArray[np.intp]
#: The early steps whose alternatives are built once, in the order they run.
EARLY_STEPS = ("impute", "treat", "normalise")


@dataclass(frozen=True)
class Plan:
    """Everything precomputed for fast replications of one year of one index.

    ``matrices[k]`` is the normalised indicator matrix (``[country, indicator]``) of the
    ``k``-th early alternative; ``early_shape`` the number of alternatives of
    imputation, treatment and normalisation, whose combinations ``k`` enumerates.
    """

    tree: Tree
    countries: tuple[str, ...]
    year: int
    target: int
    methodology: Methodology
    assumptions: Assumptions
    alternatives: dict[str, tuple[Any, ...]]
    matrices: Floats
    aggregates: tuple[AggregateSpec, ...]
    base_weights: Floats
    noise: Floats
    nominal: pd.DataFrame

    @property
    def discrete(self) -> dict[str, int]:
        """Number of alternatives of each discrete assumption that varies."""
        counts = {name: len(self.alternatives[name]) for name in (*EARLY_STEPS, "aggregate")}
        if self.assumptions.exclude_indicator:
            counts["exclude_indicator"] = self.tree.n_indicators + 1
        return {name: k for name, k in counts.items() if k > 1}

    @property
    def noisy_nodes(self) -> Ints:
        """Positions of the nodes whose weights are perturbed."""
        return np.flatnonzero(self.noise > 0)

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The group of every input dimension: one per discrete choice, one per noisy weight."""
        levels = self.tree.node_levels[self.noisy_nodes]
        return (*self.discrete, *(f"weights_noise.{level}" for level in levels))

    def draws(self, unit: Floats) -> Draws:
        """Map a ``[replication, dimension]`` sample of U[0, 1) onto the choices.

        A discrete choice among ``k`` alternatives takes alternative ``floor(u·k)``
        (COINr's ``cut`` into ``k`` equal intervals); a noisy weight becomes
        ``w + (2u - 1)·factor·w``.
        """
        n = unit.shape[0]
        picks = {name: np.zeros(n, dtype=np.intp) for name in (*EARLY_STEPS, "aggregate")}
        picks["exclude_indicator"] = np.zeros(n, dtype=np.intp)
        for column, (name, k) in enumerate(self.discrete.items()):
            picks[name] = np.minimum((unit[:, column] * k).astype(np.intp), k - 1)
        weights = np.repeat(self.base_weights[None, :], n, axis=0)
        nodes = self.noisy_nodes
        u = unit[:, len(self.discrete) :]
        weights[:, nodes] += (2.0 * u - 1.0) * self.noise[nodes] * self.base_weights[nodes]
        shape = tuple(len(self.alternatives[name]) for name in EARLY_STEPS)
        early = np.ravel_multi_index(tuple(picks[name] for name in EARLY_STEPS), shape)
        return Draws(picks, np.asarray(early, dtype=np.intp), weights)


@dataclass(frozen=True)
class Draws:
    """The choices of a set of replications, as arrays (``picks[name][r]``, ``weights[r, node]``).

    ``picks["exclude_indicator"]`` is 0 for none, ``j`` for the ``j``-th indicator.
    """

    picks: dict[str, Ints]
    early: Ints
    weights: Floats

    def __len__(self) -> int:
        return len(self.early)

    def take(self, rows: slice) -> Draws:
        """The draws of the replications in ``rows``."""
        return Draws(
            {k: v[rows] for k, v in self.picks.items()}, self.early[rows], self.weights[rows]
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
    >>> scores, failure = run(plan, plan.draws(np.array([[0.2], [0.7]])))
    >>> scores.tolist(), failure.tolist()
    ([[50.5, 50.5], [1.5, 1.5]], [[-1, -1], [-1, -1]])
    """
    nominal = _nominal_build(framework, data, methodology, nominal)
    active = nominal.framework
    tree = tree_of(active)
    year = _year_of(nominal, year)
    target = target or active.root
    if target not in tree.codes or tree.node_levels[tree.codes.index(target)] < 2:
        aggregates = [c for c in tree.codes[tree.n_indicators :]]
        raise AssumptionError(f"target {target!r} is not an aggregate; choose one of {aggregates}")
    countries = tuple(nominal.datasets["normalised"].xs(year, level="year").index)
    alternatives = _alternatives(methodology, assumptions)
    matrices = []
    for combo in itertools.product(alternatives["impute"], alternatives["treat"]):
        treated = _treated(nominal, framework, data, combo)
        for spec in alternatives["normalise"]:
            matrices.append(_normalised(treated, spec, active, year, countries))
    return Plan(
        tree=tree,
        countries=countries,
        year=year,
        target=tree.codes.index(target),
        methodology=methodology,
        assumptions=assumptions,
        alternatives=alternatives,
        matrices=np.stack(matrices),
        aggregates=alternatives["aggregate"],
        base_weights=_base_weights(nominal.weights, tree),
        noise=_noise(assumptions, tree),
        nominal=_nominal(nominal, target, year, countries),
    )


def run(
    plan: Plan, draws: Draws, *, batch_size: int = 1000, n_jobs: int = 1, progress: bool = False
) -> tuple[Floats, Ints]:
    """Evaluate every replication of ``draws``: the target's scores and where each failed.

    Returns
    -------
    scores : ndarray ``[replication, country]``
    failure : ndarray of int ``[replication, 2]``
        The node position of the aggregate where a replication failed and the unit
        (country position); ``-1`` for a replication that computed. ``failure[:, 0] >= 0``
        marks the failed replications.
    """
    slices = [slice(i, i + batch_size) for i in range(0, len(draws), batch_size)]
    if n_jobs == 1:
        parts: Iterator[tuple[Floats, Ints]] = (evaluate(plan, draws.take(s)) for s in slices)
    else:
        parallel = Parallel(n_jobs=n_jobs, return_as="generator")
        parts = parallel(delayed(evaluate)(plan, draws.take(s)) for s in slices)
    bar = tqdm(parts, total=len(slices), disable=not progress, unit="batch", desc="replications")
    with _one_blas_thread():
        outcome = list(bar)
    if not outcome:
        return np.empty((0, len(plan.countries))), np.empty((0, 2), dtype=np.intp)
    scores = np.concatenate([o[0] for o in outcome])
    return scores, np.concatenate([o[1] for o in outcome])


def evaluate(plan: Plan, draws: Draws) -> tuple[Floats, Ints]:
    """Scores of the target in one batch of replications, and where replications failed.

    Replications are grouped by early alternative and aggregation method, so that each
    group shares one indicator matrix (:func:`readiness_index.analysis.replicate.aggregate_batch`).
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
        methods = {lv.level: plan.aggregates[k].for_level(lv.level) for lv in plan.tree.levels}
        values, where = aggregate_batch(plan.tree, plan.matrices[early], weights[rows], methods)
        scores[rows] = values[:, :, plan.target - plan.tree.n_indicators]
        failure[rows] = where
    return scores, failure


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
        name: getattr(assumptions, name) or (getattr(methodology, name),)
        for name in (*EARLY_STEPS, "aggregate")
    }


def _treated(
    nominal: IndexResult,
    framework: Framework,
    data: IndicatorData,
    combo: tuple[Any, ...],
) -> pd.DataFrame:
    """The treated data set of one imputation x treatment alternative (built once)."""
    methodology = nominal.methodology
    variant = methodology.model_copy(update={"impute": combo[0], "treat": combo[1]})
    result = nominal if variant == methodology else build(framework, data, variant)
    return result.datasets["treated"]


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
    frame = frame.loc[frame.index.get_level_values("year") == year].droplevel("year")
    frame = frame.reindex(index=list(countries), columns=list(framework.indicator_codes))
    return frame.to_numpy(dtype=np.float64)


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
