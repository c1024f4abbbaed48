"""Scenarios: compare two results, leave elements out, optimise weights.

- :func:`compare` puts two results side by side: score and rank of every unit in every
  aggregate (and, on request, indicator), and their changes (COINr's ``compare_coins``);
- :func:`leave_one_out` rebuilds the index without each indicator (or each pillar) in
  turn and tabulates the ranks and the mean absolute rank shift (COINr's
  ``remove_elements``): a deterministic complement to the uncertainty analysis;
- :func:`optimise_weights` finds the weights of one level's nodes for which their
  correlations with the index match target shares, equal by default (COINr's
  ``get_opt_weights`` with ``optimise = "balance"``), with :func:`scipy.optimize.minimize`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, cast

import numpy as np
import pandas as pd
from scipy import optimize

from readiness_index.analysis.correlations import correlation_test
from readiness_index.engine.pipeline import build
from readiness_index.engine.results import IndexResult
from readiness_index.errors import UnknownCodeError
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import Methodology
from readiness_index.steps.aggregate import aggregate_tree, aggregate_values

__all__ = ["LeaveOneOut", "OptimisedWeights", "compare", "leave_one_out", "optimise_weights"]


# -- compare -------------------------------------------------------------------------------
def compare(
    a: IndexResult,
    b: IndexResult,
    *,
    year: int | None = None,
    indicators: bool = False,
) -> pd.DataFrame:
    """Scores and ranks of two results side by side, with their changes (``b - a``).

    Parameters
    ----------
    a, b : IndexResult
        The results to compare (e.g. two methodologies, or with and without a correction).
    year : int, optional
        The year (edition) compared; the latest year both have by default.
    indicators : bool, default False
        Include the indicators' normalised scores, not only the aggregates.

    Returns
    -------
    DataFrame
        ``country, code, level, score_a, score_b, score_change, rank_a, rank_b,
        rank_change, abs_rank_change``: one row per unit and code present in either
        result (a code only one has gets missing values on the other side), the index
        first, then each level downwards; a positive ``rank_change`` is a fall.

    Examples
    --------
    >>> import readiness_index as ri
    >>> a = ri.build()
    >>> b = ri.build(methodology={**a.methodology.to_mapping(), "weights": {"compute": 2}})
    >>> table = compare(a, b)
    >>> first = table.iloc[0]
    >>> first["country"], first["code"], int(first["rank_a"])
    ('FI', 'index', 1)
    """
    year = _common_year(a, b, year)
    keep = ["country", "code", "level", "score", "rank"]
    left, right = (_year_scores(r, year, indicators)[keep] for r in (a, b))
    table = left.merge(right, on=["country", "code"], how="outer", suffixes=("_a", "_b"))
    table["level"] = table["level_a"].fillna(table["level_b"]).astype("int64")
    table["score_change"] = table["score_b"] - table["score_a"]
    table["rank_change"] = (table["rank_b"] - table["rank_a"]).astype("Int64")
    table["abs_rank_change"] = table["rank_change"].abs()
    table = table.sort_values(
        ["level", "code", "rank_a", "country"], ascending=[False, True, True, True]
    )
    columns = ["country", "code", "level", "score_a", "score_b", "score_change"]
    return table[[*columns, "rank_a", "rank_b", "rank_change", "abs_rank_change"]].reset_index(
        drop=True
    )


def _common_year(a: IndexResult, b: IndexResult, year: int | None) -> int:
    common = sorted(set(a.years) & set(b.years))
    if not common:
        raise UnknownCodeError(f"the results share no year: {a.years} and {b.years}")
    if year is None:
        return common[-1]
    if year not in common:
        raise UnknownCodeError(f"year {year} is not in both results; years in both: {common}")
    return year


def _year_scores(result: IndexResult, year: int, indicators: bool) -> pd.DataFrame:
    scores = result.scores[result.scores["year"] == year]
    return scores if indicators else scores[scores["level"] > 1]


# -- leave one out ------------------------------------------------------------------------
@dataclass(frozen=True)
class LeaveOneOut:
    """The outcome of :func:`leave_one_out`.

    Attributes
    ----------
    ranks, scores : DataFrame
        Units x left-out element (``none`` first: the nominal result).
    summary : DataFrame
        Per left-out element: ``mean_abs_rank_shift`` of the index, the largest shift and
        the unit it moves most.
    """

    year: int
    level: int
    ranks: pd.DataFrame
    scores: pd.DataFrame
    summary: pd.DataFrame


def leave_one_out(
    result: IndexResult,
    *,
    level: int = 1,
    year: int | None = None,
) -> LeaveOneOut:
    """Rebuild the index without each node of ``level`` in turn (COINr's ``remove_elements``).

    ``level`` 1 leaves out each indicator, 2 each pillar (any level below the root). An
    aggregate left without children is left out with its last child. Each rebuild uses
    the result's own data and methodology.

    Examples
    --------
    >>> import readiness_index as ri
    >>> out = leave_one_out(ri.build(), level=2)
    >>> out.summary.index.tolist()[:2], out.ranks.columns[0]
    (['compute', 'energy'], 'none')
    """
    fw = result.framework
    year = result.years[-1] if year is None else year
    codes = [c for c, lv in fw.levels.items() if lv == level and c != fw.root]
    if not codes:
        raise UnknownCodeError(f"no node at level {level}; the levels are 1-{fw.max_level - 1}")
    ranks = {"none": _index_column(result, year, "rank")}
    scores = {"none": _index_column(result, year, "score")}
    for code in codes:
        rebuilt = _without(result, code)
        ranks[code] = _index_column(rebuilt, year, "rank").reindex(ranks["none"].index)
        scores[code] = _index_column(rebuilt, year, "score").reindex(ranks["none"].index)
    rank_table = pd.DataFrame(ranks)
    return LeaveOneOut(year, level, rank_table, pd.DataFrame(scores), _shifts(rank_table))


def _index_column(result: IndexResult, year: int, column: str) -> pd.Series:
    return result.ranking(year).set_index("country")[column].astype("float64")


def _without(result: IndexResult, code: str) -> IndexResult:
    """The result rebuilt without ``code`` (and any aggregate that loses every child)."""
    fw = result.framework
    dropped = {code}
    parent = fw.nodes[code].parent
    while parent is not None and set(fw.children(parent)) <= dropped and parent != fw.root:
        dropped.add(parent)
        parent = fw.nodes[parent].parent
    dump = fw.model_dump()
    for kind in ("aggregates", "indicators"):
        dump[kind] = [{**n, "active": n["active"] and n["code"] not in dropped} for n in dump[kind]]
    reduced = Framework.model_validate(dump)
    methodology = _pruned(result.methodology, set(reduced.active().indicator_codes))
    source = result.source if result.source is not None else result.data
    return build(reduced, source, methodology, year=result.edition)


def _pruned(methodology: Methodology, indicators: set[str]) -> Methodology:
    """The methodology without per-indicator entries for indicators left out."""
    normalise = methodology.normalise
    by_indicator = {k: v for k, v in normalise.by_indicator.items() if k in indicators}
    update: dict[str, object] = {
        "normalise": normalise.model_copy(update={"by_indicator": by_indicator})
    }
    if methodology.treat is not None:
        kept = {k: v for k, v in methodology.treat.by_indicator.items() if k in indicators}
        update["treat"] = methodology.treat.model_copy(update={"by_indicator": kept})
    return methodology.model_copy(update=update)


def _shifts(ranks: pd.DataFrame) -> pd.DataFrame:
    shift = ranks.drop(columns="none").sub(ranks["none"], axis=0)
    return pd.DataFrame(
        {
            "mean_abs_rank_shift": shift.abs().mean(),
            "max_abs_rank_shift": shift.abs().max(),
            "most_moved": shift.abs().idxmax(),
        }
    )


# -- weight optimisation -----------------------------------------------------------------
@dataclass(frozen=True)
class OptimisedWeights:
    """The outcome of :func:`optimise_weights`.

    Attributes
    ----------
    weights : dict of str to float
        The optimised weights of the level's nodes (summing to the nominal total).
    table : DataFrame
        Per node: ``nominal_weight``, ``weight``, ``target_share``, and the share of the
        correlations with the index before (``nominal_share``) and after (``share``),
        with the correlations themselves.
    converged : bool
        Whether the optimiser reported success.
    message : str
        The optimiser's message.
    """

    weights: dict[str, float]
    table: pd.DataFrame
    converged: bool
    message: str


def optimise_weights(
    result: IndexResult,
    *,
    level: int | None = None,
    target: Mapping[str, float] | None = None,
    year: int | None = None,
    method: Literal["pearson", "spearman"] = "pearson",
    max_iterations: int = 2000,
) -> OptimisedWeights:
    """Weights of one level's nodes for which their correlations with the index are
    shared as ``target`` says (equally by default: balanced correlations).

    Minimises ``sum_i (r_i / sum_j r_j - t_i)^2`` over positive weights, ``r_i`` the
    correlation of node ``i`` with the index recomputed with the weights (every level
    aggregated as the methodology says), ``t_i`` the target shares (normalised to sum
    to one). COINr's ``get_opt_weights(optimise = "balance")`` does the same with its
    own optimiser; the solution of a balanced target is not unique in general, so the
    table reports the shares reached.

    Parameters
    ----------
    result : IndexResult
    level : int, optional
        The level whose weights are optimised (default: the root's children).
    target : mapping of str to float, optional
        Target share of each node (default: equal).
    year : int, optional
        The year whose correlations are balanced (default: the latest).
    method : {"pearson", "spearman"}
    max_iterations : int, default 2000
        Of the Nelder-Mead search (weights bounded within 1/20 and 20 times nominal).
        For the root's children only the index is re-aggregated (about a second for the
        shipped index); for a lower level the whole tree is, which is slower, and
        ``converged`` says whether the search finished.

    Examples
    --------
    >>> import readiness_index as ri
    >>> opt = optimise_weights(ri.build())
    >>> opt.converged, bool(opt.table["share"].std() < opt.table["nominal_share"].std())
    (True, True)
    """
    fw = result.framework
    level = fw.max_level - 1 if level is None else level
    codes = [c for c, lv in fw.levels.items() if lv == level and c != fw.root]
    year = result.years[-1] if year is None else year
    normalised = cast(
        pd.DataFrame, result.datasets["normalised"].xs(year, level="year", drop_level=False)
    )
    goal = _target_shares(codes, target)
    nominal = np.array([result.weights[c] for c in codes])
    scores_of = _scorer(result, normalised, codes)

    def shares(log_weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        children, index = scores_of(np.exp(log_weights))
        r = _correlations_with(children, index, method)
        return r, r / np.nansum(r)

    def loss(log_weights: np.ndarray) -> float:
        return float(np.nansum((shares(log_weights)[1] - goal) ** 2))

    start = np.log(nominal)
    bounds = [(w - np.log(20.0), w + np.log(20.0)) for w in start]  # within 1/20 and 20 times
    found = optimize.minimize(
        loss, start, method="Nelder-Mead", bounds=bounds,
        options={"xatol": 1e-5, "fatol": 1e-10, "maxiter": max_iterations},
    )  # fmt: skip
    weights = np.exp(found.x) * nominal.sum() / np.exp(found.x).sum()
    r0, s0 = shares(start)
    r1, s1 = shares(np.log(weights))
    table = pd.DataFrame(
        {
            "nominal_weight": nominal,
            "weight": weights,
            "target_share": goal,
            "nominal_correlation": r0,
            "correlation": r1,
            "nominal_share": s0,
            "share": s1,
        },
        index=pd.Index(codes, name="code"),
    )
    return OptimisedWeights(
        dict(zip(codes, map(float, weights), strict=True)),
        table,
        bool(found.success),
        str(found.message),
    )


def _scorer(
    result: IndexResult, normalised: pd.DataFrame, codes: list[str]
) -> Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """A function of the level's weights giving the nodes' scores and the index.

    When the nodes are the root's children their scores do not depend on their weights,
    so only the root is re-aggregated; otherwise the whole tree is.
    """
    fw, spec = result.framework, result.methodology.aggregate
    if list(fw.children(fw.root)) == codes:
        children = result.datasets["aggregated"].loc[normalised.index, codes].to_numpy("float64")
        root_spec = spec.for_level(fw.max_level)

        def root_only(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return children, aggregate_values(children, weights, root_spec)[0]

        return root_only

    def whole_tree(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        chosen = {**result.weights, **dict(zip(codes, weights, strict=True))}
        scores, _ = aggregate_tree(normalised, fw, chosen, spec)
        return scores[codes].to_numpy("float64"), scores[fw.root].to_numpy("float64")

    return whole_tree


def _correlations_with(children: np.ndarray, index: np.ndarray, method: str) -> np.ndarray:
    """Correlation of each column with ``index``: vectorised over complete rows, pairwise
    (:func:`correlation_test`) where a column has gaps."""
    present = ~np.isnan(index)
    if method == "pearson" and present.sum() >= 3 and not np.isnan(children[present]).any():
        x = children[present] - children[present].mean(axis=0)
        y = index[present] - index[present].mean()
        with np.errstate(invalid="ignore", divide="ignore"):
            r = (x * y[:, None]).sum(axis=0) / np.sqrt((x**2).sum(axis=0) * (y**2).sum())
        return np.asarray(r, dtype="float64")
    kind: Literal["pearson", "spearman"] = "spearman" if method == "spearman" else "pearson"
    return np.array([correlation_test(column, index, kind)[0] for column in children.T])


def _target_shares(codes: list[str], target: Mapping[str, float] | None) -> np.ndarray:
    if target is None:
        return np.full(len(codes), 1.0 / len(codes))
    unknown = sorted(set(target) - set(codes))
    if unknown:
        raise UnknownCodeError(f"target names {unknown}, which are not nodes of the level {codes}")
    values = np.array([float(target.get(c, 0.0)) for c in codes])
    return cast(np.ndarray, values / values.sum())
