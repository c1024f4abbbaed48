"""Figures for Python sessions: matplotlib ``Figure`` objects in the reports' style.

Each function draws what it is given and returns the figure (COINr's plots: bars,
dots, scatter, correlations, distributions, the framework's sunburst, rank
intervals, Sobol' indices); :mod:`readiness_index.report.plot` picks the values out
of results. The report's rank-interval chart is :func:`rank_intervals_figure`
serialised as SVG.

Examples
--------
>>> figure = bar_figure(["AT", "BE"], [55.0, 38.0], axis_label="Score")
>>> type(figure).__name__
'Figure'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from readiness_index.report.svg import OKABE_ITO, RC, new_figure

__all__ = [
    "annotated_grid",
    "bar_figure",
    "correlation_figure",
    "distribution_figure",
    "dot_figure",
    "rank_intervals_figure",
    "scatter_figure",
    "sobol_figure",
    "sunburst_figure",
]


def bar_figure(
    labels: Sequence[str],
    values: Sequence[float] | Mapping[str, Sequence[float]],
    *,
    axis_label: str,
    title: str = "",
    highlight: Sequence[str] = (),
    grouped: bool = False,
) -> Figure:
    """Horizontal bars, top to bottom in the order given; stacked when ``values`` maps
    each component's name to its values (COINr's ``plot_bar`` with ``stack_children``),
    or side by side with ``grouped``.

    Examples
    --------
    >>> figure = bar_figure(["AT", "BE"], [55.0, 38.0], axis_label="Score")
    >>> len(figure.axes[0].patches)
    2
    >>> stacked = bar_figure(["AT"], {"a": [1.0], "b": [2.0]}, axis_label="Score")
    >>> [t.get_text() for t in stacked.legends[0].get_texts()]
    ['a', 'b']
    """
    with rc_context(RC):
        figure = new_figure(6.4, 0.24 * len(labels) + 1.2)
        axes = figure.add_subplot()
        position = np.arange(len(labels))
        if isinstance(values, Mapping):
            left = np.zeros(len(labels))
            colours = list(OKABE_ITO.values())
            height = 0.8 / len(values) if grouped else 0.7
            for k, (name, part) in enumerate(values.items()):
                part_values = np.nan_to_num(np.asarray(part, dtype="float64"))
                if grouped:
                    offset = position - 0.4 + height * (k + 0.5)
                    axes.barh(
                        offset,
                        part_values,
                        height=height,
                        label=name,
                        color=colours[k % len(colours)],
                    )
                    continue
                axes.barh(
                    position,
                    part_values,
                    left=left,
                    height=0.7,
                    label=name,
                    color=colours[k % len(colours)],
                )
                left = left + part_values
            figure.legend(loc="outside lower center", ncols=min(4, len(values)), frameon=False)
        else:
            shades = [
                OKABE_ITO["orange"] if label in highlight else OKABE_ITO["blue"] for label in labels
            ]
            axes.barh(position, np.asarray(values, dtype="float64"), height=0.7, color=shades)
        _label_axes(axes, position, labels, axis_label, title)
        return figure


def _label_axes(
    axes: Axes, position: Any, labels: Sequence[str], axis_label: str, title: str
) -> None:
    axes.set_yticks(position, list(labels))
    axes.invert_yaxis()
    axes.set_xlabel(axis_label)
    if title:
        axes.set_title(title)


def dot_figure(
    categories: Sequence[str],
    values: Sequence[Sequence[float]],
    *,
    axis_label: str,
    title: str = "",
    highlight: Sequence[float] | None = None,
    highlight_label: str = "",
) -> Figure:
    """One row of dots per category (every unit's value), with one unit highlighted
    (COINr's ``plot_dot``). ``values[i]`` holds the values of category ``i``.

    Examples
    --------
    >>> figure = dot_figure(["a", "b"], [[1.0, 2.0], [3.0, 4.0]], axis_label="Score",
    ...                     highlight=[2.0, 3.0], highlight_label="AT")
    >>> len(figure.axes[0].collections)
    2
    """
    with rc_context(RC):
        figure = new_figure(6.4, 0.35 * len(categories) + 1.2)
        axes = figure.add_subplot()
        xs = [np.asarray(row, dtype="float64") for row in values]
        ys = [np.full(len(row), k, dtype="float64") for k, row in enumerate(xs)]
        flat_x = np.concatenate(xs) if xs else np.array([])
        flat_y = np.concatenate(ys) if ys else np.array([])
        axes.scatter(flat_x, flat_y, s=18, color=OKABE_ITO["sky"], alpha=0.7, label="all units")
        if highlight is not None:
            axes.scatter(
                list(highlight),
                np.arange(len(categories)),
                s=60,
                marker="D",
                color=OKABE_ITO["vermillion"],
                label=highlight_label,
                zorder=3,
            )
            figure.legend(loc="outside lower center", ncols=2, frameon=False)
        _label_axes(axes, np.arange(len(categories)), categories, axis_label, title)
        return figure


def scatter_figure(
    x: Sequence[float],
    y: Sequence[float],
    labels: Sequence[str],
    *,
    x_label: str,
    y_label: str,
    title: str = "",
) -> Figure:
    """A scatter plot of two variables, each point labelled with its unit (COINr's
    ``plot_scatter``).

    Examples
    --------
    >>> figure = scatter_figure([1.0, 2.0], [2.0, 1.0], ["AT", "BE"], x_label="x", y_label="y")
    >>> [t.get_text() for t in figure.axes[0].texts]
    ['AT', 'BE']
    """
    with rc_context(RC):
        figure = new_figure(5.6, 4.4)
        axes = figure.add_subplot()
        axes.scatter(list(x), list(y), s=24, color=OKABE_ITO["blue"])
        for label, xi, yi in zip(labels, x, y, strict=True):
            if np.isfinite(xi) and np.isfinite(yi):
                axes.annotate(
                    label, (xi, yi), textcoords="offset points", xytext=(3, 3), fontsize=7
                )
        axes.set_xlabel(x_label)
        axes.set_ylabel(y_label)
        if title:
            axes.set_title(title)
        return figure


def correlation_figure(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    values: Sequence[Sequence[float]],
    *,
    title: str = "",
    p_values: Sequence[Sequence[float]] | None = None,
    alpha: float = 0.05,
) -> Figure:
    """A correlation heat map on a diverging scale from -1 to 1, cells annotated with
    the coefficient; with ``p_values``, coefficients not significant at ``alpha`` are
    shown in brackets (COINr's ``plot_corr``).

    Examples
    --------
    >>> figure = correlation_figure(["a", "b"], ["a", "b"], [[1.0, 0.5], [0.5, 1.0]],
    ...                             p_values=[[0.0, 0.2], [0.2, 0.0]])
    >>> sorted(t.get_text() for t in figure.axes[0].texts)
    ['(0.50)', '(0.50)', '1.00', '1.00']
    """
    grid = np.asarray(values, dtype="float64")
    weak = None if p_values is None else np.asarray(p_values, dtype="float64") > alpha

    def cell_text(row: int, column: int, value: float) -> str:
        text = f"{value:.2f}"
        return f"({text})" if weak is not None and weak[row, column] else text

    with rc_context(RC):
        figure = new_figure(0.55 * len(column_labels) + 2.6, 0.4 * len(row_labels) + 1.6)
        axes = figure.add_subplot()
        image = annotated_grid(
            axes, grid, row_labels, column_labels, cmap="RdBu", norm=Normalize(-1, 1),
            cell_text=cell_text, dark=lambda value: abs(value) > 0.6, fontsize=7, rotation=45,
        )  # fmt: skip
        if title:
            axes.set_title(title)
        figure.colorbar(image, ax=axes, label="Correlation", shrink=0.6)
        return figure


def annotated_grid(
    axes: Axes,
    grid: np.ndarray,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    *,
    cmap: str,
    norm: Normalize,
    cell_text: Callable[[int, int, float], str],
    dark: Callable[[float], bool],
    fontsize: float,
    rotation: float,
) -> Any:
    """Cells coloured by value, each finite cell written with ``cell_text(row, column,
    value)`` (white on cells where ``dark(value)``), ticks at the centre of each cell
    (cells span ``[i, i + 1]``), first row at the top: the grid of the reports' heat
    map and of :func:`correlation_figure`. Returns the colour mesh (for a colour bar).

    Examples
    --------
    >>> with rc_context(RC):
    ...     axes = new_figure(3, 2).add_subplot()
    ...     _ = annotated_grid(axes, np.array([[0.2, np.nan]]), ["a"], ["x", "y"],
    ...                        cmap="cividis", norm=Normalize(0, 1), fontsize=8, rotation=0,
    ...                        cell_text=lambda r, c, v: f"{v:.1f}", dark=lambda v: v < 0.5)
    >>> [(t.get_text(), t.get_color()) for t in axes.texts]
    [('0.2', 'white')]
    """
    image = axes.pcolormesh(grid, cmap=cmap, norm=norm)
    axes.invert_yaxis()
    for (row, column), value in np.ndenumerate(grid):
        if np.isfinite(value):
            axes.text(column + 0.5, row + 0.5, cell_text(row, column, value),
                      ha="center", va="center", fontsize=fontsize,
                      color="white" if dark(value) else "black")  # fmt: skip
    axes.set_xticks(
        np.arange(len(column_labels)) + 0.5, list(column_labels), rotation=rotation, ha="right"
    )
    axes.set_yticks(np.arange(len(row_labels)) + 0.5, list(row_labels))
    axes.tick_params(length=0)
    return image


def distribution_figure(
    series: Mapping[str, Sequence[float]],
    *,
    axis_label: str,
    title: str = "",
) -> Figure:
    """Violins with the individual values on top, one per named series (COINr's
    ``plot_dist``).

    Examples
    --------
    >>> figure = distribution_figure({"a": [1.0, 2.0, 4.0], "b": [2.0, 3.0, 3.5]},
    ...                              axis_label="Score")
    >>> [t.get_text() for t in figure.axes[0].get_xticklabels()]
    ['a', 'b']
    """
    cleaned = [np.asarray(v, dtype="float64") for v in series.values()]
    cleaned = [v[np.isfinite(v)] for v in cleaned]
    with rc_context(RC):
        figure = new_figure(max(3.2, 0.9 * len(cleaned) + 1.6), 3.8)
        axes = figure.add_subplot()
        position = np.arange(1, len(cleaned) + 1)
        drawable = [k for k, v in enumerate(cleaned) if v.size > 1]
        if drawable:
            violins = axes.violinplot(
                [cleaned[k] for k in drawable], positions=position[drawable], showmedians=True
            )
            for body in violins["bodies"]:  # type: ignore[attr-defined]
                body.set_facecolor(OKABE_ITO["sky"])
        for k, values in enumerate(cleaned):
            axes.scatter(
                np.full(values.size, position[k]), values, s=10, color=OKABE_ITO["blue"], zorder=3
            )
        axes.set_xticks(position, list(series))
        axes.set_ylabel(axis_label)
        if title:
            axes.set_title(title)
        return figure


def sunburst_figure(
    rings: Sequence[Sequence[tuple[str, float, int]]],
    *,
    title: str = "",
) -> Figure:
    """The framework as a sunburst: one ring per level, from the index outwards, each
    wedge sized by its effective weight (COINr's ``plot_framework``).

    ``rings[k]`` lists ``(label, share, colour_group)`` of the nodes of ring ``k`` in
    angular order; the shares of each ring add up to 1.

    Examples
    --------
    >>> figure = sunburst_figure([[("idx", 1.0, 0)], [("a", 0.5, 0), ("b", 0.5, 1)]])
    >>> len(figure.axes[0].patches)
    3
    """
    colours = list(OKABE_ITO.values())[:-1]
    width = 1.0 / max(len(rings), 1)
    with rc_context(RC):
        figure = new_figure(5.6, 5.6)
        axes = figure.add_subplot()
        for depth, ring in enumerate(rings):
            shares = [max(share, 1e-9) for _, share, _ in ring]
            shades = [colours[group % len(colours)] for _, _, group in ring]
            alpha = 1.0 - 0.18 * depth
            wedges, _ = axes.pie(
                shares,
                radius=(depth + 1) * width,
                colors=shades,
                labels=None,
                startangle=90,
                counterclock=False,
                wedgeprops={"width": width, "edgecolor": "white", "alpha": max(alpha, 0.35)},
            )
            for wedge, (label, share, _) in zip(wedges, ring, strict=True):
                if share >= 0.02 or depth == 0:
                    angle = np.deg2rad((wedge.theta1 + wedge.theta2) / 2)
                    radius = (depth + 0.5) * width if depth else 0
                    axes.text(
                        radius * np.cos(angle),
                        radius * np.sin(angle),
                        label,
                        ha="center",
                        va="center",
                        fontsize=6.5,
                    )
        axes.set_aspect("equal")
        if title:
            axes.set_title(title)
        return figure


def rank_intervals_figure(
    labels: Sequence[str],
    ranks: Sequence[float],
    intervals: Sequence[tuple[float, float]],
    *,
    legend: tuple[str, str],
    axis_label: str,
) -> Figure:
    """Each unit's nominal rank (dot) and its rank interval (line), as in the reports.

    Examples
    --------
    >>> figure = rank_intervals_figure(["AT", "BE"], [1, 2], [(1, 2), (1, 3)],
    ...                                legend=("Rank", "5th-95th percentile"), axis_label="Rank")
    >>> len(figure.axes[0].collections)
    2
    """
    with rc_context(RC):
        figure = new_figure(6.4, 0.22 * len(labels) + 1.4)
        axes = figure.add_subplot()
        position = np.arange(len(labels))
        low = [interval[0] for interval in intervals]
        high = [interval[1] for interval in intervals]
        handles: list[Artist] = [
            axes.scatter(ranks, position, s=22, color=OKABE_ITO["blue"], zorder=3),
            axes.hlines(position, low, high, color=OKABE_ITO["orange"], linewidth=3),
        ]
        axes.set_yticks(position, list(labels))
        axes.invert_yaxis()
        axes.set_xlim(0.5, len(labels) + 0.5)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlabel(axis_label)
        figure.legend(handles, legend, loc="outside lower center", ncols=2, frameon=False)
        return figure


def sobol_figure(
    assumptions: Sequence[str],
    first: Sequence[float],
    total: Sequence[float],
    *,
    first_interval: Sequence[tuple[float, float]] | None = None,
    total_interval: Sequence[tuple[float, float]] | None = None,
    title: str = "",
) -> Figure:
    """First-order and total Sobol indices per assumption, with their bootstrap
    intervals (COINr's ``plot_sensitivity``).

    Examples
    --------
    >>> figure = sobol_figure(["weights", "normalise"], [0.2, 0.5], [0.3, 0.7])
    >>> len(figure.axes[0].patches)
    4
    """
    position = np.arange(len(assumptions))
    with rc_context(RC):
        figure = new_figure(6.4, 0.5 * len(assumptions) + 1.4)
        axes = figure.add_subplot()
        for offset, values, interval, name, colour in (
            (-0.2, first, first_interval, "first order", OKABE_ITO["blue"]),
            (0.2, total, total_interval, "total", OKABE_ITO["orange"]),
        ):
            error = None
            if interval is not None:
                value_array = np.asarray(values, dtype="float64")
                low = value_array - np.array([lo for lo, _ in interval])
                high = np.array([hi for _, hi in interval]) - value_array
                error = np.clip(np.vstack([low, high]), 0, None)
            axes.barh(
                position + offset,
                list(values),
                height=0.38,
                xerr=error,
                label=name,
                color=colour,
                capsize=2,
            )
        _label_axes(axes, position, assumptions, "Sobol index", title)
        figure.legend(loc="outside lower center", ncols=2, frameon=False)
        return figure
