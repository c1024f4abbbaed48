"""Uncertainty analysis: how much do the ranks depend on the choices made?

A Monte Carlo over the declared :class:`~readiness_index.analysis.assumptions.Assumptions`,
designed for speed rather than replaying the whole build per replication as COINr's
``get_sensitivity`` does:

1. every discrete alternative of the early steps (imputation x treatment x
   normalisation) is built once with :func:`readiness_index.engine.pipeline.build`, giving
   one normalised indicator matrix per alternative;
2. the choices of every replication are drawn at once as arrays from one seeded
   generator (alternative numbers, aggregation numbers, noisy weights, excluded
   indicator), so a seed gives the same choices whatever the batch size or the
   number of processes, and the same run bit for bit with the same batch size
   (matrix products over batches of another size may round the last bit differently);
3. replications are aggregated in vectorised batches (:mod:`readiness_index.analysis.montecarlo`),
   which bounds memory; batches are independent and may be mapped with joblib.

A replication whose methods cannot compute (a geometric mean of a value <= 0, as
COINr's ``Regen`` fails there) is counted, recorded with its reason and left out of
the rank statistics, as COINr leaves its NA ranks out; it is never dropped silently.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from readiness_index.analysis.assumptions import STEP_NAMES, Assumptions
from readiness_index.analysis.montecarlo import (
    Draws,
    Plan,
    failure_reasons,
    prepare,
    run,
    run_option_problems,
)
from readiness_index.analysis.replicate import Floats
from readiness_index.engine.display import Displayed, Summary
from readiness_index.engine.results import IndexResult
from readiness_index.errors import AssumptionError
from readiness_index.model.data import IndicatorData, check_inputs
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import DenominateSpec, Methodology

__all__ = ["MAX_REPLICATIONS", "UncertaintyResult", "uncertainty"]

#: The most replications one run draws (each holds a score per unit and indicator; more
#: would exhaust memory rather than narrow an interval that a thousand already fix).
MAX_REPLICATIONS = 1_000_000


@dataclass(frozen=True, repr=False)
class UncertaintyResult(Displayed):
    """The outcome of :func:`uncertainty`.

    Attributes
    ----------
    rank_stats : DataFrame
        Per country: nominal score and rank; mean, median, 5th and 95th percentile
        rank and score over the replications that computed (quantile type 7).
    parameters : DataFrame
        Per replication (the diagnostics of the run): the alternative drawn for each
        step (as text), the weight set, the excluded indicator, the drawn thresholds
        (``treat_skew``, ``treat_kurtosis``), ``generalised_p`` and goalposts
        (``goalposts.<code>.lower``/``.upper``) where they vary, the
        ``mean_abs_rank_shift`` from the nominal ranks, whether it failed and why.
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
        return head + "\n" + stats[cols].to_string(float_format=lambda v: f"{v:.4g}")

    def _summary(self) -> Summary:
        lines = (
            f"{self.n} replications, {self.n_failed} failed, seed {self.seed}",
            f"varied: {', '.join(self.assumptions.varied) or 'nothing'}",
            "see .table(), .rank_stats, .scores, .ranks, .parameters, .plot",
        )
        stats = self.rank_stats.sort_values("nominal_rank").reset_index()
        return Summary(f"uncertainty of {self.target!r} in {self.year}", lines, stats)


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
        What :func:`readiness_index.engine.pipeline.build` takes.
    methodology : Methodology, optional
        The nominal methodology (default: COINr's defaults).
    assumptions : Assumptions or mapping, optional
        What varies (see :mod:`readiness_index.analysis.assumptions`); validated before any build.
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
    >>> from readiness_index.model.framework import Aggregate, Framework, Indicator
    >>> from readiness_index.model.data import prepare_data
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
    check_inputs(framework, data, "uncertainty")
    methodology = methodology or Methodology()
    assumptions = _as_assumptions(assumptions)
    assumptions.check(framework, methodology)
    _check_run(n, batch_size, n_jobs, seed)
    clock = _Clock()
    plan = prepare(
        framework, data, methodology, assumptions, year=year, target=target, nominal=nominal
    )
    clock.lap("prepare")
    draws = plan.draws(np.random.default_rng(seed).random((n, len(plan.dimensions))))
    scores, failure, ranks = run(
        plan, draws, batch_size=batch_size, n_jobs=n_jobs, progress=progress
    )
    clock.lap("replicate")
    result = _result(plan, draws, scores, ranks, failure, n=n, seed=seed)
    clock.lap("summarise")
    return replace(result, elapsed=clock.laps)


def _as_assumptions(assumptions: Assumptions | Mapping[str, Any] | None) -> Assumptions:
    if isinstance(assumptions, Assumptions):
        return assumptions
    return Assumptions.from_mapping(assumptions)


def _check_run(n: int, batch_size: int, n_jobs: int, seed: int) -> None:
    problems = []
    if not 1 <= n <= MAX_REPLICATIONS:
        problems.append(f"n must be from 1 to {MAX_REPLICATIONS:,}; found {n}")
    problems.extend(run_option_problems(seed, n_jobs))
    if batch_size < 1:
        problems.append(f"batch_size must be at least 1; found {batch_size}")
    if problems:
        raise AssumptionError("; ".join(problems))


# -- summary ---------------------------------------------------------------------------------
def _quantiles(values: Floats, ok: NDArray[np.bool_]) -> Floats:
    """5th, 50th and 95th percentiles (type 7) and the mean of each column over ``ok`` rows."""
    kept = values[ok]
    if not len(kept):
        return np.full((4, values.shape[1]), np.nan)
    with warnings.catch_warnings():
        # a country without a score in every replication has NaN statistics, not a warning
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(kept, axis=0)
    return np.vstack([nan_quantiles(kept, (0.05, 0.5, 0.95)), mean])


def nan_quantiles(values: Floats, probabilities: tuple[float, ...]) -> Floats:
    """Quantiles of every column, missing values left out: ``[probability, column]``.

    Type 7 (linear interpolation between order statistics, ``h = (n - 1) p``), as
    :func:`numpy.nanquantile` computes it, to the last bit, but for all columns at once
    (one sort) instead of column by column. A column with no value gives NaN.

    Examples
    --------
    >>> nan_quantiles(np.array([[1.0, np.nan], [2.0, 5.0], [4.0, np.nan]]), (0.5, 0.75)).tolist()
    [[2.0, 5.0], [3.0, 5.0]]
    """
    ordered = np.sort(values, axis=0)  # missing values sort last
    count = np.count_nonzero(~np.isnan(values), axis=0)
    columns = np.arange(values.shape[1])
    present = count > 0
    out = np.full((len(probabilities), values.shape[1]), np.nan)
    for i, p in enumerate(probabilities):
        h = np.where(present, (count - 1) * p, 0.0)
        low = np.floor(h).astype(np.intp)
        high = np.minimum(low + 1, np.maximum(count - 1, 0))
        a, b = ordered[low, columns], ordered[high, columns]
        t = h - low
        difference = b - a
        # numpy's lerp: from the nearer end, so that t = 1 gives b exactly
        value = np.where(t >= 0.5, b - difference * (1 - t), a + difference * t)
        out[i] = np.where(present, value, np.nan)
    return out


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
    if isinstance(spec, DenominateSpec):
        return "enabled" if spec.enabled else "disabled"
    params = spec.model_dump(exclude_defaults=True, exclude={"method", "by_level"})
    return f"{spec.method}(" + ", ".join(f"{k}={v}" for k, v in params.items()) + ")"


def _labels(alternatives: tuple[Any, ...]) -> list[str]:
    """Readable, unique labels of the alternatives of one assumption."""
    labels = [_label(spec) for spec in alternatives]
    if len(set(labels)) < len(labels):
        labels = [f"{i + 1}: {label}" for i, label in enumerate(labels)]
    return labels


def _parameters(plan: Plan, draws: Draws, failure: NDArray[np.intp], ranks: Floats) -> pd.DataFrame:
    """Per replication: what it drew (alternatives, weight set, excluded indicator,
    thresholds, ``p``, goalposts), how far it moved the ranks, whether it failed and why."""
    columns: dict[str, Any] = {}
    for name in STEP_NAMES:
        labels = _labels(plan.alternatives[name])
        columns[name] = pd.Categorical.from_codes(draws.picks[name], categories=pd.Index(labels))
    columns["weight_set"] = pd.Categorical.from_codes(
        draws.picks["weight_sets"], categories=pd.Index(plan.weight_sets)
    )
    excluded = ["(none)", *plan.tree.codes[: plan.tree.n_indicators]]
    columns["excluded_indicator"] = pd.Categorical.from_codes(
        draws.picks["exclude_indicator"], categories=pd.Index(excluded)
    )
    for name in ("skew", "kurtosis"):
        if name in draws.drawn:
            columns[f"treat_{name}"] = draws.drawn[name]
    if "p" in draws.drawn:
        columns["generalised_p"] = draws.drawn["p"]
    columns |= _goalpost_columns(plan, draws)
    columns["mean_abs_rank_shift"] = _mean_shift(ranks, plan.nominal["rank"].to_numpy())
    columns["failed"] = failure[:, 0] >= 0
    columns["reason"] = failure_reasons(plan, draws, failure)
    index = pd.RangeIndex(1, len(draws) + 1, name="replication")
    return pd.DataFrame(columns, index=index)


def _mean_shift(ranks: Floats, nominal: Floats) -> Floats:
    """``mean |rank - nominal rank|`` over the countries ranked in both (NaN for none)."""
    shift = np.abs(ranks - nominal[None, :])
    known = ~np.isnan(shift)
    count = known.sum(axis=1)
    total = np.where(known, shift, 0.0).sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _goalpost_columns(plan: Plan, draws: Draws) -> dict[str, Floats]:
    """The drawn goalposts, ``goalposts.<indicator>.lower`` and ``.upper`` (in the unit the
    normalisation works in)."""
    if "goalposts" not in draws.drawn or plan.varying is None:
        return {}
    posts = draws.drawn["goalposts"]
    columns = {}
    for column, j in enumerate(plan.varying.goalposts):
        code = plan.tree.codes[j]
        columns[f"goalposts.{code}.lower"] = posts[:, 0, column]
        columns[f"goalposts.{code}.upper"] = posts[:, 1, column]
    return columns


def _result(
    plan: Plan,
    draws: Draws,
    scores: Floats,
    ranks: Floats,
    failure: NDArray[np.intp],
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
        rank_stats=_rank_stats(plan, scores, ranks, failure[:, 0] >= 0),
        parameters=_parameters(plan, draws, failure, ranks),
        weights=pd.DataFrame(
            draws.weights[:, : plan.tree.root],
            index=index,
            columns=list(plan.tree.codes[: plan.tree.root]),
        ),
        scores=pd.DataFrame(scores, index=index, columns=columns),
        ranks=pd.DataFrame(ranks, index=index, columns=columns),
    )


class _Clock:
    """Wall-clock laps for the record (``UncertaintyResult.elapsed``)."""

    def __init__(self) -> None:
        self._last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now
