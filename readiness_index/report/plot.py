"""Plots from Python: results, audits, uncertainty and sensitivity, as matplotlib figures.

Each plot picks its values out of a result and draws them with the chart code of the
reports (:mod:`readiness_index.report.figures`); it returns a
:class:`matplotlib.figure.Figure` (save it with ``figure.savefig("bar.png")``; a
notebook shows it). Plots are reached from a result, ``result.plot.bar()``, or from
the package, ``ri.plot.bar(result)``. No pyplot window is opened: figures work with
any backend, Agg included.

========================  ==========================================  ================
Result                    Plots                                       COINr
========================  ==========================================  ================
IndexResult               ``bar``, ``dot``, ``scatter``,              ``plot_bar``,
                          ``correlation``, ``distribution``,          ``plot_dot``, ...
                          ``framework``
AuditResult               ``weights``, ``correlation``
UncertaintyResult         ``rank_intervals``, ``distribution``        ``plot_uncertainty``
SensitivityResult         ``sobol``                                   ``plot_sensitivity``
========================  ==========================================  ================

Examples
--------
>>> import readiness_index as ri
>>> result = ri.build()
>>> figure = ri.plot.bar(result, year=2025)
>>> type(figure).__name__, figure.axes[0].get_xlabel()
('Figure', 'European AI Readiness Index (score)')
>>> sorted(result.plot.kinds)
['bar', 'correlation', 'distribution', 'dot', 'framework', 'scatter']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from readiness_index.analysis.correlations import correlation_matrix
from readiness_index.engine.results import IndexResult
from readiness_index.report import figures

if TYPE_CHECKING:
    from readiness_index.analysis.audit import AuditResult
    from readiness_index.analysis.sensitivity import SensitivityResult
    from readiness_index.analysis.uncertainty import UncertaintyResult

__all__ = [
    "bar",
    "correlation",
    "distribution",
    "dot",
    "framework",
    "plots_for",
    "rank_intervals",
    "scatter",
    "sobol",
    "weights",
]


# -- picking values ------------------------------------------------------------------------
def _year(result: IndexResult, year: int | None) -> int:
    return result.years[-1] if year is None else year


def _slice(result: IndexResult, year: int | None, dataset: str) -> pd.DataFrame:
    """One year of a data set: units x codes."""
    frame = result.datasets[dataset]
    return cast(pd.DataFrame, frame.xs(_year(result, year), level="year"))


def _name(result: IndexResult, code: str) -> str:
    return result.framework.nodes[code].name if code in result.framework.nodes else code


def _codes(result: IndexResult, codes: Sequence[str] | str | None) -> list[str]:
    """Codes given, the children of an aggregate given by code, or the index's children."""
    fw = result.framework
    if codes is None:
        return list(fw.children(fw.root))
    if isinstance(codes, str):
        return list(fw.children(codes)) or [codes]
    return list(codes)


# -- results -------------------------------------------------------------------------------
def bar(
    result: IndexResult,
    code: str | None = None,
    *,
    year: int | None = None,
    stack: bool = False,
    highlight: Sequence[str] = (),
) -> Figure:
    """Units' scores on ``code`` (the index by default), best first (COINr's ``plot_bar``).

    With ``stack`` each bar is split into its children's contributions (weight share
    times score, which add up to the score under the arithmetic mean).
    ``highlight`` colours the named units.
    """
    code = result.framework.root if code is None else code
    table = result.ranking(_year(result, year), code).dropna(subset=["score"])
    units = table["country"].tolist()
    label = f"{_name(result, code)} (score)"
    if not stack or not result.framework.children(code):
        return figures.bar_figure(
            units, table["score"].tolist(), axis_label=label, highlight=highlight
        )
    return figures.bar_figure(units, _contributions(result, code, year, units), axis_label=label)


def _contributions(
    result: IndexResult, code: str, year: int | None, units: list[str]
) -> dict[str, list[float]]:
    scores = _slice(result, year, "aggregated").loc[units]
    children = list(result.framework.children(code))
    weights = np.array([result.weights[c] for c in children])
    present = scores[children].notna().to_numpy()
    shares = present * weights / (present * weights).sum(axis=1, keepdims=True)
    parts = scores[children].fillna(0.0).to_numpy() * shares
    return {_name(result, c): parts[:, k].tolist() for k, c in enumerate(children)}


def dot(
    result: IndexResult,
    codes: Sequence[str] | str | None = None,
    *,
    country: str | None = None,
    year: int | None = None,
    dataset: str = "aggregated",
) -> Figure:
    """Every unit's score on each code as a row of dots, one unit highlighted (COINr's
    ``plot_dot``). ``codes``: a list, an aggregate (its children) or the pillars."""
    chosen = _codes(result, codes)
    frame = _slice(result, year, dataset)[chosen]
    row = frame.loc[country] if country is not None else None
    highlight = None if row is None else cast(list[float], row.to_numpy(dtype="float64").tolist())
    return figures.dot_figure(
        [_name(result, c) for c in chosen],
        [frame[c].tolist() for c in chosen],
        axis_label=f"Score ({dataset})",
        highlight=highlight,
        highlight_label=result.data.names.get(country, country) if country else "",
    )


def scatter(
    result: IndexResult,
    x: str,
    y: str,
    *,
    year: int | None = None,
    dataset: str = "aggregated",
) -> Figure:
    """Units' values of ``x`` against ``y`` in one data set (COINr's ``plot_scatter``);
    ``dataset: raw`` plots the indicators in their own units."""
    frame = _slice(result, year, dataset)
    return figures.scatter_figure(
        frame[x].tolist(),
        frame[y].tolist(),
        [str(u) for u in frame.index],
        x_label=_name(result, x),
        y_label=_name(result, y),
    )


def correlation(
    result: IndexResult,
    codes: Sequence[str] | str | None = None,
    *,
    year: int | None = None,
    dataset: str = "aggregated",
    method: Literal["pearson", "spearman"] = "pearson",
    alpha: float = 0.05,
) -> Figure:
    """Correlation heat map between codes (default: the indicators); coefficients not
    significant at ``alpha`` are bracketed (COINr's ``plot_corr`` with ``pval``)."""
    chosen = list(result.framework.indicator_codes) if codes is None else _codes(result, codes)
    r, p = correlation_matrix(_slice(result, year, dataset), chosen, method=method)
    return figures.correlation_figure(
        chosen, chosen, r.to_numpy().tolist(), p_values=p.to_numpy().tolist(), alpha=alpha
    )


def distribution(
    result: IndexResult,
    codes: Sequence[str] | str | None = None,
    *,
    year: int | None = None,
    dataset: str = "aggregated",
) -> Figure:
    """The distribution of each code's values over the units (COINr's ``plot_dist``)."""
    frame = _slice(result, year, dataset)
    chosen = _codes(result, codes)
    return figures.distribution_figure(
        {c: frame[c].tolist() for c in chosen}, axis_label=f"Value ({dataset})"
    )


def framework(result: IndexResult) -> Figure:
    """The framework as a sunburst: the index at the centre, each ring a level, each
    wedge sized by its effective weight in the index (COINr's ``plot_framework``)."""
    fw = result.framework
    share = {fw.root: 1.0}
    group = {fw.root: 0}
    rings: list[list[tuple[str, float, int]]] = [[(fw.root, 1.0, 0)]]
    frontier = [fw.root]
    while frontier:
        ring: list[tuple[str, float, int]] = []
        following: list[str] = []
        for parent in frontier:
            children = list(fw.children(parent))
            total = sum(result.weights.get(c, 1.0) for c in children)
            for k, child in enumerate(children):
                share[child] = share[parent] * result.weights.get(child, 1.0) / total
                group[child] = k if parent == fw.root else group[parent]
                ring.append((child, share[child], group[child]))
                following.append(child)
        if ring:
            rings.append(ring)
        frontier = following
    return figures.sunburst_figure(rings, title=fw.name)


# -- analyses ------------------------------------------------------------------------------
def weights(audit: AuditResult) -> Figure:
    """Nominal and effective weights of each indicator (the audit's ``weights`` table)."""
    table = audit.weights
    return figures.bar_figure(
        [str(c) for c in table.index],
        {
            "nominal": table["nominal_weight"].tolist(),
            "effective": table["effective_weight"].tolist(),
        },
        axis_label="Weight in the index",
        grouped=True,
    )


def audit_correlation(audit: AuditResult) -> Figure:
    """Each indicator's correlation with its parent and with the index."""
    table = audit.correlations
    columns = ["pearson_parent", "spearman_parent", "pearson_index", "spearman_index"]
    return figures.correlation_figure(
        [str(c) for c in table.index], columns, table[columns].to_numpy().tolist()
    )


def rank_intervals(uncertainty: UncertaintyResult) -> Figure:
    """Nominal rank and 5th-95th percentile rank interval of every unit (COINr's
    ``plot_uncertainty``)."""
    stats = uncertainty.rank_stats.sort_values("nominal_rank")
    return figures.rank_intervals_figure(
        [str(c) for c in stats.index],
        stats["nominal_rank"].tolist(),
        list(zip(stats["q05_rank"], stats["q95_rank"], strict=True)),
        legend=("Nominal rank", "5th-95th percentile"),
        axis_label=f"Rank of {uncertainty.target!r} ({uncertainty.year})",
    )


def uncertainty_distribution(
    uncertainty: UncertaintyResult, countries: Sequence[str] | None = None
) -> Figure:
    """The distribution of each unit's score over the replications."""
    chosen = list(uncertainty.scores.columns if countries is None else countries)
    return figures.distribution_figure(
        {c: uncertainty.scores[c].tolist() for c in chosen},
        axis_label="Score over the replications",
    )


def sobol(sensitivity: SensitivityResult, statistic: str = "mean_abs_rank_shift") -> Figure:
    """First-order and total Sobol indices of each assumption, with their bootstrap
    intervals (COINr's ``plot_sensitivity``)."""
    rows = sensitivity.indices[sensitivity.indices["statistic"] == statistic]
    rows = rows.groupby("assumption", sort=False).mean(numeric_only=True)
    return figures.sobol_figure(
        [str(a) for a in rows.index],
        rows["first_order"].tolist(),
        rows["total"].tolist(),
        first_interval=list(zip(rows["first_low"], rows["first_high"], strict=True)),
        total_interval=list(zip(rows["total_low"], rows["total_high"], strict=True)),
        title=f"Sensitivity of {sensitivity.target!r} ({statistic})",
    )


_PLOTS: dict[str, dict[str, Callable[..., Figure]]] = {
    "IndexResult": {
        "bar": bar,
        "correlation": correlation,
        "distribution": distribution,
        "dot": dot,
        "framework": framework,
        "scatter": scatter,
    },
    "AuditResult": {"weights": weights, "correlation": audit_correlation},
    "UncertaintyResult": {
        "rank_intervals": rank_intervals,
        "distribution": uncertainty_distribution,
    },
    "SensitivityResult": {"sobol": sobol},
}


def plots_for(owner: Any) -> dict[str, Callable[..., Figure]]:
    """The plots of one result, by name (what ``result.plot`` offers).

    >>> sorted(plots_for(object()))
    []
    """
    return dict(_PLOTS.get(type(owner).__name__, {}))
