"""Sensitivity analysis: which assumption drives the uncertainty of the scores and ranks?

Variance-based (Sobol') indices of every varied assumption, for the score and the
rank of every country and for the mean absolute rank shift (COINr's target):

* first order ``S_i``: the share of the output's variance that assumption ``i`` causes
  on its own;
* total ``ST_i``: the share it causes on its own and through interactions.

Inputs are sampled with Saltelli's scheme on a scrambled Sobol' sequence
(:func:`SALib.sample.sobol.sample`, ``N (G + 2)`` runs for ``G`` assumptions); every
assumption is one group of input dimensions (a level's noisy weights form one group).
With ``A``, ``B`` the two base samples and ``AB_i`` = ``A`` with group ``i`` from ``B``,
the estimators (Saltelli et al. 2010; Jansen 1999), as SALib's, are::

    S_i  = mean(f(B) (f(AB_i) - f(A))) / V
    ST_i = mean((f(A) - f(AB_i))²) / (2 V),      V = var(f(A) ∪ f(B))

with every output centred on its mean over all runs first.

Runs are evaluated with the vectorised engine of :mod:`readiness_index.analysis.montecarlo`.
Confidence intervals come from a bootstrap over the base rows; convergence is shown
by the indices at N/4, N/2 and N.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from SALib.sample import sobol as sobol_sample

from readiness_index.analysis.assumptions import Assumptions
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
from readiness_index.model.methodology import Methodology

__all__ = ["MAX_BASE_ROWS", "SensitivityResult", "saltelli_blocks", "sensitivity", "sobol_indices"]

#: The most base rows of a Saltelli design (runs = base rows x (assumptions + 2)).
MAX_BASE_ROWS = 2**20


def saltelli_blocks(y: Floats, groups: int) -> tuple[Floats, Floats, Floats]:
    """Split outputs of a Saltelli design into ``A``, ``AB`` and ``B``.

    Rows come in blocks of ``groups + 2``: ``A_j``, ``AB_j`` (one per group), ``B_j``
    (SALib's layout without second-order terms).

    Returns
    -------
    a : ``[base, output]``; ab : ``[base, group, output]``; b : ``[base, output]``

    Examples
    --------
    >>> a, ab, b = saltelli_blocks(np.arange(8.0)[:, None], 2)
    >>> a.ravel().tolist(), ab[:, :, 0].tolist(), b.ravel().tolist()
    ([0.0, 4.0], [[1.0, 2.0], [5.0, 6.0]], [3.0, 7.0])
    """
    blocks = y.reshape(-1, groups + 2, *y.shape[1:])
    return blocks[:, 0], blocks[:, 1:-1], blocks[:, -1]


def sobol_indices(a: Floats, ab: Floats, b: Floats) -> tuple[Floats, Floats]:
    """First-order and total Sobol' indices, ``[group, output]``.

    ``S_i = mean(f_B (f_ABi - f_A)) / V`` and ``ST_i = mean((f_A - f_ABi)²) / (2V)`` with
    ``V`` the variance (ddof 0) of ``f_A`` and ``f_B`` together, after centring every
    output on its mean over all runs (as SALib does; it lowers the error of ``S_i``).
    NaN where the output does not vary.

    Examples
    --------
    An additive model ``y = x1 + 2 x2`` with uniform inputs has ``S = ST = (0.2, 0.8)``:

    >>> rng = np.random.default_rng(0)
    >>> xa, xb = rng.random((20000, 2)), rng.random((20000, 2))
    >>> f = lambda x: (x[:, 0] + 2 * x[:, 1])[:, None]
    >>> xab = np.stack([np.where(np.arange(2) == i, xb, xa) for i in range(2)], axis=1)
    >>> s, st = sobol_indices(f(xa), np.stack([f(xab[:, i]) for i in range(2)], 1), f(xb))
    >>> np.round(s.ravel(), 1).tolist(), np.round(st.ravel(), 1).tolist()
    ([0.2, 0.8], [0.2, 0.8])
    """
    centre = (a.sum(axis=0) + ab.sum(axis=(0, 1)) + b.sum(axis=0)) / (len(a) * (ab.shape[1] + 2))
    a, ab, b = a - centre, ab - centre, b - centre
    variance = np.var(np.concatenate([a, b]), axis=0)
    varies = variance > np.finfo(np.float64).eps * np.maximum(1.0, np.abs(a).max(axis=0)) ** 2
    scale = np.where(varies, variance, np.nan)
    first = np.mean(b[:, None] * (ab - a[:, None]), axis=0) / scale
    total = 0.5 * np.mean((a[:, None] - ab) ** 2, axis=0) / scale
    return first, total


@dataclass(frozen=True, repr=False)
class SensitivityResult(Displayed):
    """The outcome of :func:`sensitivity`.

    Attributes
    ----------
    indices : DataFrame
        One row per ``statistic`` (``score``, ``rank`` or ``mean_abs_rank_shift``),
        ``country`` (empty for the mean shift) and ``assumption``: ``first_order``,
        ``total`` and their bootstrap intervals ``first_low/high``, ``total_low/high``.
    convergence : DataFrame
        The mean-absolute-rank-shift indices at N/4, N/2 and N base rows.
    n_runs, n_failed, n_dropped : int
        Runs evaluated; runs that failed (as in uncertainty analysis); base rows
        left out because one of their runs failed.
    failures : DataFrame
        One row per failed run (``run``, counted from 1): why it failed (the aggregate,
        the unit and the values its aggregation accepts).
    """

    assumptions: Assumptions
    n: int
    seed: int
    year: int
    target: str
    confidence: float
    indices: pd.DataFrame
    convergence: pd.DataFrame
    n_runs: int
    n_failed: int
    n_dropped: int
    failures: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"run": [], "reason": []}))
    width: float = 0.1
    rounds: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"n": [], "runs": [], "widest": []})
    )

    @property
    def summary(self) -> pd.DataFrame:
        """The indices for the mean absolute rank shift, one row per assumption."""
        rows = self.indices[self.indices["statistic"] == "mean_abs_rank_shift"]
        return rows.drop(columns=["statistic", "country"]).set_index("assumption")

    @property
    def widest(self) -> float:
        """The widest interval of a total index of the mean rank shift (0 where no
        output varies, so that no interval is defined)."""
        return _widest(self.summary)

    @property
    def converged(self) -> bool:
        """True when every interval of a total index of the mean rank shift is at most
        ``width`` wide."""
        return self.widest <= self.width

    @property
    def state(self) -> str:
        """Whether the intervals reached the declared width, in words."""
        if self.converged:
            return (
                f"converged: every total-index interval at most {self.width:g} wide "
                f"(widest {self.widest:.3f}) at N = {self.n}"
            )
        return (
            f"NOT converged: the widest total-index interval is {self.widest:.3f}, wider "
            f"than {self.width:g}, at N = {self.n} (the budget); raise the budget (max_n)"
        )

    def table(self) -> str:
        """The mean-rank-shift indices as a readable text table."""
        head = (
            f"Sensitivity of the ranks of {self.target!r} ({self.year}): N = {self.n} base rows, "
            f"{self.n_runs} runs, {self.n_failed} failed, {self.n_dropped} base rows left out; "
            f"{self.confidence:.0%} bootstrap intervals; {self.state}"
        )
        return head + "\n" + self.summary.to_string(float_format=lambda v: f"{v:.3f}")

    def _summary(self) -> Summary:
        lines = (
            f"N = {self.n} base rows, {self.n_runs} runs, {self.n_failed} failed",
            self.state,
            "see .table(), .indices, .summary, .convergence, .rounds, .plot",
        )
        title = f"sensitivity of the ranks of {self.target!r} in {self.year}"
        return Summary(title, lines, self.summary.reset_index())


def _widest(summary: pd.DataFrame) -> float:
    width = (summary["total_high"] - summary["total_low"]).to_numpy(dtype=np.float64)
    width = width[~np.isnan(width)]
    return float(width.max()) if len(width) else 0.0


def sensitivity(
    framework: Framework,
    data: IndicatorData,
    methodology: Methodology | None = None,
    assumptions: Assumptions | Mapping[str, Any] | None = None,
    n: int = 256,
    seed: int = 0,
    *,
    year: int | None = None,
    target: str | None = None,
    n_bootstrap: int = 200,
    confidence: float = 0.95,
    batch_size: int = 1000,
    n_jobs: int = 1,
    progress: bool = False,
    nominal: IndexResult | None = None,
    width: float | None = None,
    max_n: int | None = None,
) -> SensitivityResult:
    """Sobol' indices of each varied assumption for every country's score and rank.

    With ``width``, the design is doubled (``n``, ``2n``, ``4n``... base rows, the runs
    already made kept: a longer Sobol' sequence begins with the shorter one) until every
    interval of a total index of the mean rank shift is at most ``width`` wide, or
    ``max_n`` base rows are reached; the result says which (``converged``, ``state``,
    ``rounds``).

    Parameters
    ----------
    framework, data, methodology, assumptions, year, target, batch_size, n_jobs, progress, nominal
        As for :func:`readiness_index.analysis.uncertainty.uncertainty`.
    n : int, default 256
        Base rows of the Saltelli design, a power of two (Sobol' sequence balance);
        ``n (G + 2)`` runs are evaluated for ``G`` varied assumptions.
    seed : int, default 0
        Seed of the scrambled Sobol' sequence and of the bootstrap.
    n_bootstrap : int, default 200
        Bootstrap resamples of the base rows for the intervals.
    confidence : float, default 0.95
        Level of the percentile bootstrap intervals.
    width : float, optional
        The widest interval of a total index accepted; without it one design of ``n``
        base rows is run (and judged against 0.1).
    max_n : int, optional
        The budget: most base rows (a power of two); default ``16 n``.

    Raises
    ------
    AssumptionError
        When an assumption is invalid, nothing varies, or ``n`` is not a power of two;
        raised before anything is built.

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
    >>> sa = sensitivity(fw, prepare_data(rows, fw), assumptions={"weights_noise": {1: 0.5},
    ...                  "aggregate": [{"method": "arithmetic"}, {"method": "geometric"}],
    ...                  "normalise": [{"method": "minmax", "lower": 1}]}, n=64, seed=1)
    >>> sa.summary.index.tolist()
    ['aggregate', 'weights_noise.1']
    """
    check_inputs(framework, data, "sensitivity")
    methodology = methodology or Methodology()
    assumptions = (
        assumptions
        if isinstance(assumptions, Assumptions)
        else Assumptions.from_mapping(assumptions)
    )
    assumptions.check(framework, methodology)
    _check_design(assumptions, n, n_bootstrap, confidence, width, max_n)
    run_problems = run_option_problems(seed, n_jobs)
    if run_problems:
        raise AssumptionError("; ".join(run_problems))
    plan = prepare(
        framework, data, methodology, assumptions, year=year, target=target, nominal=nominal
    )
    groups = list(dict.fromkeys(plan.dimensions))
    budget = max_n or max(n, min(16 * n, MAX_BASE_ROWS))
    rng_seed = [seed, 1]
    scores = np.empty((0, len(plan.countries)))
    failure = np.empty((0, 2), dtype=np.intp)
    ranks = np.empty((0, len(plan.countries)))
    rounds = []
    while True:
        unit = _saltelli(plan.dimensions, n, seed)
        new = plan.draws(unit[len(scores) :])
        more, why, placed = run(plan, new, batch_size=batch_size, n_jobs=n_jobs, progress=progress)
        scores, failure = np.concatenate([scores, more]), np.concatenate([failure, why])
        ranks = np.concatenate([ranks, placed])
        design = _design(plan, scores, ranks, failure, groups, n)
        rng = np.random.default_rng(rng_seed)
        table = _indices_table(*design.blocks, groups, design.labels, rng, n_bootstrap, confidence)
        widest = _widest(_summary_rows(table))
        rounds.append({"n": n, "runs": len(scores), "widest": widest})
        if width is None or widest <= width or 2 * n > budget:
            break
        n *= 2
    failed = failure[:, 0] >= 0
    return SensitivityResult(
        assumptions=assumptions,
        n=n,
        seed=seed,
        year=plan.year,
        target=plan.tree.codes[plan.target],
        confidence=confidence,
        indices=table,
        convergence=_convergence(*design.blocks, groups),
        n_runs=len(failed),
        n_failed=int(failed.sum()),
        n_dropped=design.dropped,
        failures=_failures(plan, plan.draws(unit), failure),
        width=0.1 if width is None else width,
        rounds=pd.DataFrame(rounds),
    )


@dataclass(frozen=True)
class _Design:
    blocks: tuple[Floats, Floats, Floats]
    labels: list[tuple[str, str]]
    dropped: int


def _design(
    plan: Plan,
    scores: Floats,
    ranks: Floats,
    failure: NDArray[np.intp],
    groups: list[str],
    n: int,
) -> _Design:
    """The outputs split into Saltelli's blocks, base rows with a failed run left out."""
    failed = failure[:, 0] >= 0
    outputs, labels = _outputs(plan, scores, ranks)
    blocks_ok = ~failed.reshape(n, len(groups) + 2).any(axis=1)
    a, ab, b = (part[blocks_ok] for part in saltelli_blocks(outputs, len(groups)))
    return _Design((a, ab, b), labels, int((~blocks_ok).sum()))


def _summary_rows(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["statistic"] == "mean_abs_rank_shift"]


def _failures(plan: Plan, draws: Draws, failure: NDArray[np.intp]) -> pd.DataFrame:
    reasons = np.array(failure_reasons(plan, draws, failure), dtype=object)
    rows = np.flatnonzero(failure[:, 0] >= 0)
    return pd.DataFrame({"run": rows + 1, "reason": reasons[rows]})


def _check_design(
    assumptions: Assumptions,
    n: int,
    n_bootstrap: int,
    confidence: float,
    width: float | None = None,
    max_n: int | None = None,
) -> None:
    problems = []
    if width is not None and not width > 0:
        problems.append(f"width must be > 0; found {width}")
    if max_n is not None and (max_n < n or max_n & (max_n - 1)):
        problems.append(f"max_n must be a power of two of at least n = {n}; found {max_n}")
    if not assumptions.varied:
        problems.append("no assumption varies; declare at least one with alternatives")
    if n < 4 or n & (n - 1) or n > MAX_BASE_ROWS:
        problems.append(
            f"n must be a power of two from 4 to {MAX_BASE_ROWS:,} (e.g. 256, 1024); found {n}"
        )
    if max_n is not None and max_n > MAX_BASE_ROWS:
        problems.append(f"max_n must be at most {MAX_BASE_ROWS:,}; found {max_n}")
    if n_bootstrap < 1:
        problems.append(f"n_bootstrap must be at least 1; found {n_bootstrap}")
    if not 0 < confidence < 1:
        problems.append(f"confidence must be between 0 and 1; found {confidence}")
    if problems:
        raise AssumptionError("; ".join(problems))


def _saltelli(dimensions: tuple[str, ...], n: int, seed: int) -> Floats:
    """Saltelli's design on ``[0, 1)`` with one group per assumption."""
    problem = {
        "num_vars": len(dimensions),
        "names": [f"x{i}" for i in range(len(dimensions))],
        "bounds": [[0.0, 1.0]] * len(dimensions),
        "groups": list(dimensions),
    }
    sample = np.asarray(
        sobol_sample.sample(problem, n, calc_second_order=False, seed=seed), dtype=np.float64
    )
    if len(dimensions) > 1 and len(set(dimensions)) == 1:
        # SALib ignores a single group and switches each dimension apart; with one
        # group, switching the group switches every dimension: AB is B.
        blocks = sample.reshape(n, len(dimensions) + 2, len(dimensions))
        sample = blocks[:, [0, -1, -1]].reshape(-1, len(dimensions))
    return np.minimum(sample, np.nextafter(1.0, 0.0))


def _outputs(plan: Plan, scores: Floats, ranks: Floats) -> tuple[Floats, list[tuple[str, str]]]:
    """Scores, ranks and the mean absolute rank shift of every run, side by side."""
    nominal = plan.nominal["rank"].to_numpy(dtype=np.float64)
    shift = np.abs(ranks - nominal)
    known = ~np.isnan(shift)
    mean_shift = np.where(known, shift, 0.0).sum(axis=1) / np.maximum(known.sum(axis=1), 1)
    outputs = np.column_stack([scores, ranks, mean_shift])
    labels = [("score", c) for c in plan.countries] + [("rank", c) for c in plan.countries]
    return outputs, [*labels, ("mean_abs_rank_shift", "")]


def _indices_table(
    a: Floats,
    ab: Floats,
    b: Floats,
    groups: list[str],
    labels: list[tuple[str, str]],
    rng: np.random.Generator,
    n_bootstrap: int,
    confidence: float,
) -> pd.DataFrame:
    with np.errstate(invalid="ignore", divide="ignore"):
        first, total = sobol_indices(a, ab, b)
        boot_first, boot_total = _bootstrap(a, ab, b, rng, n_bootstrap)
    tail = (1 - confidence) / 2
    columns = {"first_order": first, "total": total}
    for name, boot in (("first", boot_first), ("total", boot_total)):
        columns[f"{name}_low"], columns[f"{name}_high"] = _percentiles(boot, tail)
    frame = pd.DataFrame({k: v.T.ravel() for k, v in columns.items()})
    frame.insert(0, "assumption", groups * len(labels))
    frame.insert(0, "country", np.repeat([c for _, c in labels], len(groups)))
    frame.insert(0, "statistic", np.repeat([s for s, _ in labels], len(groups)))
    return frame


def _bootstrap(
    a: Floats, ab: Floats, b: Floats, rng: np.random.Generator, n_bootstrap: int
) -> tuple[Floats, Floats]:
    """Indices over ``n_bootstrap`` resamples of the base rows: ``[resample, group, output]``.

    Every term of the estimators is a mean over base rows, so a resample is a vector
    of counts ``c`` and each mean is ``c @ term / n``: all resamples in three products.
    Outputs are centred once on the full sample (as SALib does).
    """
    n, groups, outputs = ab.shape
    centre = (a.sum(axis=0) + ab.sum(axis=(0, 1)) + b.sum(axis=0)) / (n * (groups + 2))
    a, ab, b = a - centre, ab - centre, b - centre
    rows = rng.integers(0, n, size=(n_bootstrap, n))
    flat = (rows + n * np.arange(n_bootstrap)[:, None]).ravel()
    counts = np.bincount(flat, minlength=n_bootstrap * n).reshape(n_bootstrap, n) / n
    first = counts @ (b[:, None] * (ab - a[:, None])).reshape(n, -1)
    total = 0.5 * counts @ ((a[:, None] - ab) ** 2).reshape(n, -1)
    mean = 0.5 * counts @ (a + b)
    variance = 0.5 * counts @ (a**2 + b**2) - mean**2
    scale = np.where(variance > 0, variance, np.nan)[:, None, :]
    shape = (n_bootstrap, groups, outputs)
    return first.reshape(shape) / scale, total.reshape(shape) / scale


def _percentiles(boot: Floats, tail: float) -> tuple[Floats, Floats]:
    with warnings.catch_warnings():
        # an output constant in every resample has no interval: NaN, not a warning
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = np.nanquantile(boot, [tail, 1 - tail], axis=0)
    return low, high


def _convergence(a: Floats, ab: Floats, b: Floats, groups: list[str]) -> pd.DataFrame:
    """The mean-rank-shift indices on the first N/4, N/2 and N base rows."""
    rows = []
    for share in (0.25, 0.5, 1.0):
        k = max(int(len(a) * share), 2)
        with np.errstate(invalid="ignore", divide="ignore"):
            first, total = sobol_indices(a[:k, -1:], ab[:k, :, -1:], b[:k, -1:])
        for g, group in enumerate(groups):
            rows.append(
                {"n": k, "assumption": group, "first_order": first[g, 0], "total": total[g, 0]}
            )
    return pd.DataFrame(rows)
