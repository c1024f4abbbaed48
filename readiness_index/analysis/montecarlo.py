"""The Monte Carlo engine behind uncertainty and sensitivity analysis.

Speed by design, instead of replaying the whole build per replication as COINr's
``get_sensitivity`` does:

1. :func:`prepare` builds every discrete alternative of the early steps once
   (:mod:`readiness_index.analysis.early`: denomination x imputation x screening x
   treatment with :func:`readiness_index.engine.pipeline.build`, then each normalisation
   of the analysed year), giving one normalised indicator matrix per alternative, and
   turns the framework into arrays (a :class:`~readiness_index.analysis.plan.Plan`);
2. :meth:`Plan.draws <readiness_index.analysis.plan.Plan.draws>` maps a
   ``[replication, dimension]`` sample of U[0, 1) onto the choices of every replication
   at once (alternative numbers, aggregation numbers, weight sets, noisy and redrawn
   weights, excluded indicator, goalposts, thresholds, ``p``);
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
from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from tqdm.auto import tqdm

from readiness_index.analysis.assumptions import Assumptions
from readiness_index.analysis.early import (
    analysed_data,
    build_early,
    countries_of,
    step_alternatives,
    varying_of,
)
from readiness_index.analysis.plan import EARLY_STEPS, Draws, Ints, Plan
from readiness_index.analysis.replicate import (
    Floats,
    Tree,
    aggregate_batch,
    rank_descending,
    tree_of,
)
from readiness_index.analysis.variants import ThresholdOutcomes
from readiness_index.engine.pipeline import build
from readiness_index.engine.results import IndexResult
from readiness_index.errors import AssumptionError
from readiness_index.model.data import IndicatorData
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import (
    AggregateSpec,
    LevelAggregateSpec,
    Methodology,
)
from readiness_index.steps.aggregate import ACCEPTS, AGGREGATIONS
from readiness_index.steps.normalise import Normaliser
from readiness_index.steps.weights import resolve_weights

__all__ = [
    "EARLY_STEPS",
    "Draws",
    "Plan",
    "evaluate",
    "failure_reasons",
    "prepare",
    "run",
    "run_option_problems",
]


def run_option_problems(seed: int, n_jobs: int) -> list[str]:
    """What is wrong with a run's ``seed`` and ``n_jobs`` (empty when nothing is); a large
    ``n_jobs`` is fine (a run never starts more processes than it has batches).

    >>> run_option_problems(-1, 0)  # doctest: +NORMALIZE_WHITESPACE
    ['seed must be 0 or more; found -1', 'n_jobs must be a positive number of processes or
    negative (joblib: -1 for every core); found 0']
    """
    problems = []
    if seed < 0:
        problems.append(f"seed must be 0 or more; found {seed}")
    if n_jobs == 0:
        problems.append(
            "n_jobs must be a positive number of processes or negative (joblib: -1 for every "
            f"core); found {n_jobs}"
        )
    return problems


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
        data = analysed_data(data, methodology, assumptions, year)
    nominal = _nominal_build(framework, data, methodology, nominal)
    active = nominal.framework
    tree = tree_of(active)
    year = _year_of(nominal, year)
    target = target or active.root
    if target not in tree.codes or tree.node_levels[tree.codes.index(target)] < 2:
        aggregates = [c for c in tree.codes[tree.n_indicators :]]
        raise AssumptionError(f"target {target!r} is not an aggregate; choose one of {aggregates}")
    alternatives = step_alternatives(methodology, assumptions)
    countries = countries_of(nominal, year, screened=len(alternatives["screen"]) > 1)
    early = build_early(nominal, framework, data, alternatives, year, countries)
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
        varying=varying_of(active, assumptions, alternatives, early, countries),
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
    if n_jobs > 1:  # never more processes than batches (a large n_jobs starts them all)
        n_jobs = min(n_jobs, max(len(slices), 1))
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


def _year_of(result: IndexResult, year: int | None) -> int:
    years = sorted(int(y) for y in result.datasets["normalised"].index.unique(level="year"))
    if year is None:
        return years[-1]
    if year not in years:
        raise AssumptionError(f"year {year} is not in the result; years present: {years}")
    return year


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
