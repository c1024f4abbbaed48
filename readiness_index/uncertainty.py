"""Uncertainty analysis: how much do the ranks depend on the choices made?

A Monte Carlo over the declared :class:`~readiness_index.assumptions.Assumptions`,
designed for speed rather than replaying the whole build per replication as COINr's
``get_sensitivity`` does:

1. every discrete alternative of the early steps (imputation x treatment x
   normalisation) is built once with :func:`readiness_index.pipeline.build`, giving
   one normalised indicator matrix per alternative;
2. the choices of every replication are drawn at once as arrays from one seeded
   generator (alternative numbers, aggregation numbers, noisy weights, excluded
   indicator), so a seed gives the same choices whatever the batch size or the
   number of processes, and the same run bit for bit with the same batch size
   (matrix products over batches of another size may round the last bit differently);
3. replications are aggregated in vectorised batches (:mod:`readiness_index._replicate`),
   which bounds memory; batches are independent and may be mapped with joblib.

A replication whose methods cannot compute (a geometric mean of a value <= 0, as
COINr's ``Regen`` fails there) is counted, recorded with its reason and left out of
the rank statistics, as COINr leaves its NA ranks out; it is never dropped silently.
"""

from __future__ import annotations

import contextlib
import itertools
import time
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from numpy.typing import NDArray
from tqdm.auto import tqdm

from readiness_index._replicate import Floats, Tree, aggregate_batch, rank_descending, tree_of
from readiness_index.assumptions import Assumptions
from readiness_index.data import IndicatorData
from readiness_index.definitions import Framework
from readiness_index.errors import AssumptionError
from readiness_index.methodology import AggregateSpec, Methodology, NormaliseSpec
from readiness_index.normalise import Normaliser
from readiness_index.pipeline import build
from readiness_index.results import IndexResult

__all__ = ["Draws", "Plan", "UncertaintyResult", "prepare", "run", "uncertainty"]

Ints = NDArray[np.intp]
_EARLY = ("impute", "treat", "normalise")


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
        counts = {name: len(self.alternatives[name]) for name in (*_EARLY, "aggregate")}
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
        picks = {name: np.zeros(n, dtype=np.intp) for name in (*_EARLY, "aggregate")}
        picks["exclude_indicator"] = np.zeros(n, dtype=np.intp)
        for column, (name, k) in enumerate(self.discrete.items()):
            picks[name] = np.minimum((unit[:, column] * k).astype(np.intp), k - 1)
        weights = np.repeat(self.base_weights[None, :], n, axis=0)
        nodes = self.noisy_nodes
        u = unit[:, len(self.discrete) :]
        weights[:, nodes] += (2.0 * u - 1.0) * self.noise[nodes] * self.base_weights[nodes]
        shape = tuple(len(self.alternatives[name]) for name in _EARLY)
        early = np.ravel_multi_index(tuple(picks[name] for name in _EARLY), shape)
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

    ``nominal`` is the build of ``framework``, ``data`` and ``methodology`` when it is
    already at hand (it is then not built again).

    Raises
    ------
    AssumptionError
        When ``year`` or ``target`` are not in the nominal result, or ``nominal`` was
        built from something else.
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
) -> tuple[Floats, NDArray[np.bool_]]:
    """Evaluate every replication of ``draws``: the target's scores and which failed.

    Returns
    -------
    scores : ndarray ``[replication, country]``
    failed : ndarray of bool ``[replication]``
    """
    slices = [slice(i, i + batch_size) for i in range(0, len(draws), batch_size)]
    if n_jobs == 1:
        parts: Iterator[tuple[Floats, NDArray[np.bool_]]] = (
            evaluate(plan, draws.take(s)) for s in slices
        )
    else:
        parallel = Parallel(n_jobs=n_jobs, return_as="generator")
        parts = parallel(delayed(evaluate)(plan, draws.take(s)) for s in slices)
    bar = tqdm(parts, total=len(slices), disable=not progress, unit="batch", desc="replications")
    with _one_blas_thread():
        outcome = list(bar)
    if not outcome:
        return np.empty((0, len(plan.countries))), np.empty(0, dtype=bool)
    scores = np.concatenate([o[0] for o in outcome])
    return scores, np.concatenate([o[1] for o in outcome])


def evaluate(plan: Plan, draws: Draws) -> tuple[Floats, NDArray[np.bool_]]:
    """Scores of the target in one batch of replications, and which replications failed.

    Replications are grouped by early alternative and aggregation method, so that each
    group shares one indicator matrix (:func:`readiness_index._replicate.aggregate_batch`).
    """
    weights = draws.weights.copy()
    excluded = draws.picks["exclude_indicator"]
    rows = np.flatnonzero(excluded > 0)
    weights[rows, excluded[rows] - 1] = 0.0
    scores = np.full((len(draws), len(plan.countries)), np.nan)
    failed = np.zeros(len(draws), dtype=bool)
    groups = draws.early * len(plan.aggregates) + draws.picks["aggregate"]
    for group in np.unique(groups):
        rows = np.flatnonzero(groups == group)
        early, k = divmod(int(group), len(plan.aggregates))
        methods = {lv.level: _method(plan.aggregates[k], lv.level) for lv in plan.tree.levels}
        values, bad = aggregate_batch(plan.tree, plan.matrices[early], weights[rows], methods)
        scores[rows] = values[:, :, plan.target - plan.tree.n_indicators]
        failed[rows] = bad
    return scores, failed


@dataclass(frozen=True)
class UncertaintyResult:
    """The outcome of :func:`uncertainty`.

    Attributes
    ----------
    rank_stats : DataFrame
        Per country: nominal score and rank; mean, median, 5th and 95th percentile
        rank and score over the replications that computed (quantile type 7).
    parameters : DataFrame
        Per replication: the alternative drawn for each assumption (as text), the
        excluded indicator, whether it failed and why.
    weights : DataFrame
        Per replication, the weight of every node.
    scores, ranks : DataFrame
        Replication x country.
    """

    assumptions: Assumptions
    methodology: Methodology
    n: int
    seed: int
    year: int
    target: str
    rank_stats: pd.DataFrame
    parameters: pd.DataFrame
    weights: pd.DataFrame
    scores: pd.DataFrame
    ranks: pd.DataFrame
    elapsed: dict[str, float] = field(default_factory=dict)

    @property
    def n_failed(self) -> int:
        """How many replications failed (and were left out of the statistics)."""
        return int(self.parameters["failed"].sum())

    @cached_property
    def replications(self) -> pd.DataFrame:
        """Long table ``replication, country, score, rank`` for plotting."""
        scores = self.scores.reset_index().melt("replication", value_name="score")
        ranks = self.ranks.reset_index().melt("replication", value_name="rank")
        scores["rank"] = ranks["rank"].to_numpy()
        return scores

    def table(self) -> str:
        """The rank intervals as a readable text table, best nominal rank first."""
        stats = self.rank_stats.sort_values("nominal_rank")
        cols = ["nominal_rank", "median_rank", "q05_rank", "q95_rank", "mean_rank"]
        head = (
            f"Uncertainty of {self.target!r} ({self.year}): {self.n} replications, "
            f"{self.n_failed} failed; varied: {', '.join(self.assumptions.varied) or 'nothing'}"
        )
        return head + "\n" + stats[cols].to_string(float_format=lambda v: f"{v:.1f}")


def uncertainty(
    framework: Framework,
    data: IndicatorData,
    methodology: Methodology | None = None,
    assumptions: Assumptions | Mapping[str, Any] | None = None,
    n: int = 1000,
    seed: int = 0,
    *,
    year: int | None = None,
    target: str | None = None,
    batch_size: int = 1000,
    n_jobs: int = 1,
    progress: bool = False,
    nominal: IndexResult | None = None,
) -> UncertaintyResult:
    """Monte Carlo uncertainty analysis of the ranks.

    Each replication draws one alternative of every varied assumption (uniformly),
    perturbs the weights of the named levels (``w + u·factor·w``, ``u ~ U[-1, 1]``),
    rebuilds the index from the precomputed normalised indicators and ranks the
    countries (1 = best, ties share the lowest rank).

    Parameters
    ----------
    framework, data : Framework, IndicatorData
        What :func:`readiness_index.pipeline.build` takes.
    methodology : Methodology, optional
        The nominal methodology (default: COINr's defaults).
    assumptions : Assumptions or mapping, optional
        What varies (see :mod:`readiness_index.assumptions`); validated before any build.
    n : int, default 1000
        Number of replications.
    seed : int, default 0
        Seed of the generator; the same seed and batch size give the same result bit
        for bit, with any ``n_jobs``.
    year : int, optional
        Year analysed (default: the latest).
    target : str, optional
        Aggregate whose ranks are analysed (default: the index).
    batch_size : int, default 1000
        Replications evaluated together; bounds memory (about ``batch_size`` x countries x
        nodes x 8 bytes per batch).
    n_jobs : int, default 1
        Processes joblib maps the batches over.
    progress : bool, default False
        Show a progress bar.
    nominal : IndexResult, optional
        The build of ``framework``, ``data`` and ``methodology`` if already made.

    Returns
    -------
    UncertaintyResult

    Raises
    ------
    AssumptionError
        When an assumption name or value is invalid, before anything is built.

    Examples
    --------
    >>> from readiness_index.definitions import Aggregate, Framework, Indicator
    >>> from readiness_index.data import prepare_data
    >>> fw = Framework(aggregates=(Aggregate(code="index", name="I"),),
    ...                indicators=(Indicator(code="a", name="A", parent="index"),
    ...                            Indicator(code="b", name="B", parent="index")))
    >>> rows = pd.DataFrame({"country": ["AT", "BE", "CZ"] * 2, "year": 2024,
    ...                      "indicator": ["a"] * 3 + ["b"] * 3,
    ...                      "value": [1.0, 2.0, 3.0, 3.0, 1.0, 2.0]})
    >>> ua = uncertainty(fw, prepare_data(rows, fw), assumptions={"weights_noise": {1: 0.5}},
    ...                  n=50, seed=1)
    >>> ua.rank_stats["nominal_rank"].tolist()
    [2.0, 3.0, 1.0]
    """
    methodology = methodology or Methodology()
    assumptions = _as_assumptions(assumptions)
    assumptions.check(framework, methodology)
    _check_run(n, batch_size, n_jobs)
    clock = _Clock()
    plan = prepare(
        framework, data, methodology, assumptions, year=year, target=target, nominal=nominal
    )
    clock.lap("prepare")
    draws = plan.draws(np.random.default_rng(seed).random((n, len(plan.dimensions))))
    scores, failed = run(plan, draws, batch_size=batch_size, n_jobs=n_jobs, progress=progress)
    clock.lap("replicate")
    ranks = rank_descending(scores)
    result = _result(plan, draws, scores, ranks, failed, n=n, seed=seed)
    clock.lap("summarise")
    return replace(result, elapsed=clock.laps)


# -- preparation ---------------------------------------------------------------------------
def _as_assumptions(assumptions: Assumptions | Mapping[str, Any] | None) -> Assumptions:
    if isinstance(assumptions, Assumptions):
        return assumptions
    return Assumptions.from_mapping(assumptions)


def _check_run(n: int, batch_size: int, n_jobs: int) -> None:
    problems = []
    if n < 1:
        problems.append(f"n must be at least 1; found {n}")
    if batch_size < 1:
        problems.append(f"batch_size must be at least 1; found {batch_size}")
    if n_jobs == 0:
        problems.append("n_jobs must be a positive number of processes or negative (joblib)")
    if problems:
        raise AssumptionError("; ".join(problems))


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
        and (nominal.data is data or nominal.data_hash == data.content_hash)
        and nominal.methodology == methodology
    )
    if not same:
        raise AssumptionError(
            "the nominal result was built from another framework, data or methodology than "
            "the ones given; pass nominal=None to build it here"
        )
    return nominal


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
        for name in (*_EARLY, "aggregate")
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
    frame = _normaliser(framework, spec).transform(rows)
    frame = frame.loc[frame.index.get_level_values("year") == year].droplevel("year")
    frame = frame.reindex(index=list(countries), columns=list(framework.indicator_codes))
    return frame.to_numpy(dtype=np.float64)


def _normaliser(framework: Framework, spec: NormaliseSpec) -> Normaliser:
    """The normalisation step as :func:`readiness_index.pipeline.build` sets it up."""
    return Normaliser(
        spec,
        framework.directions,
        targets={i.code: i.target.value for i in framework.indicators if i.target is not None},
        posts={
            i.code: (i.goalposts.lower, i.goalposts.upper)
            for i in framework.indicators
            if i.goalposts is not None
        },
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


def _method(spec: AggregateSpec, level: int) -> tuple[str, float, float | None]:
    chosen = spec.for_level(level)
    return chosen.method, chosen.p, chosen.min_coverage


# -- summary ---------------------------------------------------------------------------------
def _quantiles(values: Floats, ok: NDArray[np.bool_]) -> Floats:
    """5th, 50th and 95th percentiles (type 7) and the mean of each column over ``ok`` rows."""
    kept = values[ok]
    if not len(kept):
        return np.full((4, values.shape[1]), np.nan)
    with warnings.catch_warnings():
        # a country without a score in every replication has NaN statistics, not a warning
        warnings.simplefilter("ignore", RuntimeWarning)
        q = np.nanquantile(kept, [0.05, 0.5, 0.95], axis=0)
        mean = np.nanmean(kept, axis=0)
    return np.vstack([q, mean])


def _rank_stats(
    plan: Plan, scores: Floats, ranks: Floats, failed: NDArray[np.bool_]
) -> pd.DataFrame:
    ok = ~failed
    r = _quantiles(ranks, ok)
    s = _quantiles(scores, ok)
    frame = pd.DataFrame(
        {
            "nominal_rank": plan.nominal["rank"].to_numpy(),
            "mean_rank": r[3],
            "median_rank": r[1],
            "q05_rank": r[0],
            "q95_rank": r[2],
            "nominal_score": plan.nominal["score"].to_numpy(),
            "mean_score": s[3],
            "median_score": s[1],
            "q05_score": s[0],
            "q95_score": s[2],
        },
        index=pd.Index(plan.countries, name="country"),
    )
    return frame


def _label(spec: Any) -> str:
    if spec is None:
        return "none"
    params = spec.model_dump(exclude_defaults=True, exclude={"method", "by_level"})
    return f"{spec.method}(" + ", ".join(f"{k}={v}" for k, v in params.items()) + ")"


def _labels(alternatives: tuple[Any, ...]) -> list[str]:
    """Readable, unique labels of the alternatives of one assumption."""
    labels = [_label(spec) for spec in alternatives]
    if len(set(labels)) < len(labels):
        labels = [f"{i + 1}: {label}" for i, label in enumerate(labels)]
    return labels


def _parameters(plan: Plan, draws: Draws, failed: NDArray[np.bool_]) -> pd.DataFrame:
    columns: dict[str, Any] = {}
    for name in (*_EARLY, "aggregate"):
        labels = _labels(plan.alternatives[name])
        columns[name] = pd.Categorical.from_codes(draws.picks[name], categories=pd.Index(labels))
    excluded = ["(none)", *plan.tree.codes[: plan.tree.n_indicators]]
    columns["excluded_indicator"] = pd.Categorical.from_codes(
        draws.picks["exclude_indicator"], categories=pd.Index(excluded)
    )
    columns["failed"] = failed
    reasons = np.where(
        failed,
        "an aggregation met values it cannot take (<= 0 for a geometric "
        "mean, 0 for a harmonic mean); COINr's Regen fails there too",
        "",
    )
    columns["reason"] = reasons
    index = pd.RangeIndex(1, len(draws) + 1, name="replication")
    return pd.DataFrame(columns, index=index)


def _result(
    plan: Plan,
    draws: Draws,
    scores: Floats,
    ranks: Floats,
    failed: NDArray[np.bool_],
    *,
    n: int,
    seed: int,
) -> UncertaintyResult:
    index = pd.RangeIndex(1, n + 1, name="replication")
    columns = pd.Index(plan.countries, name="country")
    return UncertaintyResult(
        assumptions=plan.assumptions,
        methodology=plan.methodology,
        n=n,
        seed=seed,
        year=plan.year,
        target=plan.tree.codes[plan.target],
        rank_stats=_rank_stats(plan, scores, ranks, failed),
        parameters=_parameters(plan, draws, failed),
        weights=pd.DataFrame(
            draws.weights[:, : plan.tree.root],
            index=index,
            columns=list(plan.tree.codes[: plan.tree.root]),
        ),
        scores=pd.DataFrame(scores, index=index, columns=columns),
        ranks=pd.DataFrame(ranks, index=index, columns=columns),
    )


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


class _Clock:
    """Wall-clock laps for the record (``UncertaintyResult.elapsed``)."""

    def __init__(self) -> None:
        self._last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now
