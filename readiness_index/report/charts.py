"""Charts for the reports: matplotlib figures serialised as accessible inline SVG.

Every chart is drawn by matplotlib's SVG backend (text kept as text with
``svg.fonttype = 'none'``) and returned as a string ready to be placed in an HTML
page. Each SVG carries ``role="img"``, a ``<title>`` and a ``<desc>`` so that screen
readers announce it; the pages add a table with the same numbers as a text
alternative. Colours come from colour-blind-safe palettes: cividis for scales and
Okabe-Ito for categories.

The functions draw what they are given and compute nothing.

Examples
--------
>>> text = ChartText(chart_id="demo", title="Scores", description="Two bars.")
>>> svg = trend([2024, 2025], [50.0, 55.0], text=text, axis_label="Score")
>>> svg.startswith('<svg') and '<title id="demo-title">Scores</title>' in svg
True
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colorbar import Colorbar
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator

__all__ = [
    "OKABE_ITO",
    "ChartText",
    "bar_figure",
    "correlation_figure",
    "distribution_figure",
    "dot_figure",
    "heat_map",
    "pillar_profile",
    "rank_intervals",
    "rank_intervals_figure",
    "scatter_figure",
    "sobol_figure",
    "sunburst_figure",
    "tile_map",
    "trend",
]

#: The Okabe-Ito palette, safe for the common forms of colour blindness.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "black": "#000000",
}

_RC: dict[Any, Any] = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
    "font.size": 9.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_SVG_START = re.compile(r"<svg\b")
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)

NumberFormat = Callable[[float], str]


@dataclass(frozen=True)
class ChartText:
    """The accessible name of a chart: a unique id, a title and a description.

    Parameters
    ----------
    chart_id : str
        Unique within the page; prefixes the ids of ``<title>`` and ``<desc>``.
    title : str
        Short name of the chart (shown by browsers as a tooltip).
    description : str
        One or two sentences saying what the chart shows.
    """

    chart_id: str
    title: str
    description: str


def _plain(value: float) -> str:
    return f"{value:g}"


def to_svg(figure: Figure, text: ChartText, *, links: bool = False) -> str:
    """Serialise ``figure`` as inline SVG with ``role="img"``, a title and a description.

    The SVG never shrinks below the width at which its smallest text (9 pt) is
    10 CSS px (``min-width``, :data:`MIN_TEXT_PX`): on a narrow screen the chart
    scrolls inside its figure instead of shrinking its text.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure to serialise.
    text : ChartText
        Id, title and description written into the SVG (escaped).
    links : bool, default False
        The chart holds links (a map): it is then a named ``group``, not an image,
        so that each link stays reachable by keyboard and screen readers.

    Returns
    -------
    str
        The ``<svg>`` element without XML declaration or doctype.
    """
    buffer = io.StringIO()
    with rc_context({**_RC, "svg.hashsalt": text.chart_id}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = _METADATA.sub("", svg[_SVG_START.search(svg).start() :])  # type: ignore[union-attr]
    svg = svg.replace(' target="_blank"', "")  # links open in the same tab, like the rest
    chart = escape(text.chart_id)
    svg = _scoped_ids(svg, chart)
    role = "group" if links else "img"
    width_pt = float(figure.get_figwidth()) * 72
    smallest = _smallest_font(figure)
    minimum = math.ceil(width_pt * MIN_TEXT_PX / smallest)  # px at which that text is 10 px
    head = (
        f'<svg id="{chart}" role="{role}" aria-labelledby="{chart}-title {chart}-desc" '
        f'class="chart" style="min-width: {minimum}px"'
    )
    accessible = (
        f'<title id="{chart}-title">{escape(text.title)}</title>'
        f'<desc id="{chart}-desc">{escape(text.description)}</desc>'
    )
    opening_end = svg.index(">") + 1
    return head + svg[4:opening_end] + accessible + svg[opening_end:]


#: Chart text is never drawn smaller than this many CSS pixels.
MIN_TEXT_PX = 10.0


def _smallest_font(figure: Figure) -> float:
    """The smallest font size (pt) of the figure's text."""
    sizes = [float(text.get_fontsize()) for text in figure.findobj(Text)]
    return float(min([size for size in sizes if size > 0] or [_RC["font.size"]]))


def _scoped_ids(svg: str, prefix: str) -> str:
    """Prefix every id (and reference to one) so that several charts share a page.

    >>> _scoped_ids('<g id="axes_1" clip-path="url(#p1)"><use xlink:href="#m2"/></g>', "c")
    '<g id="c-axes_1" clip-path="url(#c-p1)"><use xlink:href="#c-m2"/></g>'
    """
    svg = svg.replace(' id="', f' id="{prefix}-').replace("url(#", f"url(#{prefix}-")
    return svg.replace('href="#', f'href="#{prefix}-')


def _vector(colours: Colorbar) -> Colorbar:
    """Keep a colour bar's gradient as vector shapes (matplotlib rasterises long ones)."""
    if colours.solids is not None:
        colours.solids.set_rasterized(False)
        colours.solids.set_edgecolor("face")  # no seams between the slices
    return colours


def _figure(width: float, height: float) -> Figure:
    with rc_context(_RC):
        return Figure(figsize=(width, height), layout="constrained")


def pillar_profile(
    labels: Sequence[str],
    country: Sequence[float],
    eu_average: Sequence[float],
    best: Sequence[float],
    *,
    legend: tuple[str, str, str],
    axis_label: str,
    text: ChartText,
    number_format: NumberFormat = _plain,
    limits: tuple[float, float] | None = (0.0, 100.0),
) -> str:
    """Horizontal bars of a country's pillar scores, with EU-average and best-performer marks.

    Examples
    --------
    >>> svg = pillar_profile(["Compute", "Skills"], [40.0, 60.0], [50.0, 50.0], [90.0, 80.0],
    ...                      legend=("AT", "EU average", "Best"), axis_label="Score",
    ...                      text=ChartText("p", "Profile", "Pillar scores."))
    >>> svg.count("<title")
    1
    """
    with rc_context(_RC):
        figure = _figure(6.4, 0.55 * len(labels) + 1.4)
        axes = figure.add_subplot()
        position = np.arange(len(labels))
        handles: list[Artist] = [
            axes.barh(position, country, height=0.55, color=OKABE_ITO["blue"]).patches[0],
            axes.scatter(
                eu_average,
                position,
                marker="|",
                s=420,
                linewidths=3,
                color=OKABE_ITO["orange"],
                zorder=3,
            ),
            axes.scatter(best, position, marker="D", s=42, color=OKABE_ITO["black"], zorder=4),
        ]
        for y, value in zip(position, country, strict=True):
            if np.isfinite(value):  # every bar labelled, a zero (no bar) included
                axes.annotate(number_format(value), (value, y), xytext=(4, 0),
                              textcoords="offset points", va="center", fontsize=9)  # fmt: skip
        axes.set_yticks(position, list(labels))
        axes.invert_yaxis()
        if limits is not None:  # the methodology's scale; without one, the data's range
            axes.set_xlim(*limits)
        axes.set_xlabel(axis_label)
        axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: number_format(value)))
        figure.legend(handles, legend, loc="outside lower center", ncols=3, frameon=False)

        return to_svg(figure, text)


def rank_intervals(
    labels: Sequence[str],
    ranks: Sequence[float],
    intervals: Sequence[tuple[float, float]],
    *,
    legend: tuple[str, str],
    axis_label: str,
    text: ChartText,
) -> str:
    """Each country's nominal rank (dot) and its 5th-95th percentile rank interval (line).

    Countries are drawn top to bottom in the order given (rank order), rank 1 at the left.

    Examples
    --------
    >>> svg = rank_intervals(["AT", "BE"], [1, 2], [(1, 2), (1, 3)],
    ...                      legend=("Rank", "5th-95th percentile"), axis_label="Rank",
    ...                      text=ChartText("r", "Rank intervals", "Ranks and intervals."))
    >>> svg.count("<desc")
    1
    """
    figure = rank_intervals_figure(labels, ranks, intervals, legend=legend, axis_label=axis_label)
    return to_svg(figure, text)


def trend(
    years: Sequence[int],
    scores: Sequence[float] | Mapping[str, Sequence[float]],
    *,
    text: ChartText,
    axis_label: str,
    number_format: NumberFormat = _plain,
    limits: tuple[float, float] | None = (0.0, 100.0),
) -> str:
    """Lines of scores over the editions: one series, or one per label (index and pillars).

    The axis rule: the y axis spans ``limits`` (the methodology's scale, 0 to 100),
    so that a small change looks small; without limits, the data's range. Every
    edition has its tick; the values of a single series are written at each point.

    Examples
    --------
    >>> "<desc" in trend([2024], [3.0], text=ChartText("t", "T", "D"), axis_label="Score")
    True
    >>> svg = trend([2024, 2025], {"Index": [50.0, 52.0], "Energy": [60.0, 0.0]},
    ...             text=ChartText("t", "T", "D"), axis_label="Score")
    >>> "Energy" in svg
    True
    """
    series = dict(scores) if isinstance(scores, Mapping) else {"": list(scores)}
    colours = list(OKABE_ITO.values())
    with rc_context(_RC):
        figure = _figure(6.4, 3.4 if len(series) > 1 else 2.8)
        axes = figure.add_subplot()
        for number, (label, values) in enumerate(series.items()):
            axes.plot(list(years), list(values), marker="o", label=label or None,
                      color=colours[number % len(colours)], linewidth=2.6 if number == 0 else 1.4,
                      zorder=3 if number == 0 else 2)  # fmt: skip
        if len(series) == 1:
            for year, score in zip(years, next(iter(series.values())), strict=True):
                axes.annotate(number_format(score), (year, score), textcoords="offset points",
                              xytext=(0, 7), ha="center")  # fmt: skip
        axes.set_xticks(list(years), [str(year) for year in years])
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: number_format(value)))
        if limits is not None:
            axes.set_ylim(*limits)
        axes.set_ylabel(axis_label)
        axes.margins(x=0.08)
        if len(series) > 1:
            figure.legend(loc="outside lower center", ncols=3, frameon=False)
        return to_svg(figure, text)


def heat_map(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    values: Sequence[Sequence[float]],
    *,
    text: ChartText,
    colour_label: str,
    number_format: NumberFormat = _plain,
    limits: tuple[float, float] | None = (0.0, 100.0),
) -> str:
    """A heat map (rows: countries, columns: pillars), cells annotated with their value.

    The colours span ``limits`` (the methodology's scale), or the values shown.

    Examples
    --------
    >>> svg = heat_map(["AT", "BE"], ["Compute"], [[10.0], [20.0]],
    ...                text=ChartText("h", "Heat", "Scores."), colour_label="Score")
    >>> svg.count('role="img"')
    1
    """
    grid = np.asarray(values, dtype="float64")
    with rc_context(_RC):
        figure = _figure(1.5 * len(column_labels) + 3.0, 0.34 * len(row_labels) + 1.9)
        axes = figure.add_subplot()
        norm = Normalize(*limits) if limits is not None else Normalize()
        image = axes.pcolormesh(grid, cmap="cividis", norm=norm)
        axes.invert_yaxis()
        for (row, column), value in np.ndenumerate(grid):
            if np.isfinite(value):
                shade = "black" if float(norm(value)) > 0.55 else "white"
                axes.text(
                    column + 0.5,
                    row + 0.5,
                    number_format(value),
                    ha="center",
                    va="center",
                    color=shade,
                    fontsize=9.5,
                )
        # ticks at the centre of each column (cells span [i, i + 1])
        axes.set_xticks(
            np.arange(len(column_labels)) + 0.5, list(column_labels), rotation=30, ha="right"
        )
        axes.set_yticks(np.arange(len(row_labels)) + 0.5, list(row_labels))
        axes.tick_params(length=0)
        for spine in axes.spines.values():
            spine.set_visible(False)
        _vector(figure.colorbar(image, ax=axes, label=colour_label, shrink=0.6))
        return to_svg(figure, text)


def tile_map(
    tiles: Mapping[str, tuple[float, str]],
    grid: Mapping[str, tuple[int, int]],
    *,
    text: ChartText,
    colour_label: str,
    number_format: NumberFormat = _plain,
) -> str:
    """A tile-grid map: one linked square per unit, coloured by score.

    The colour scale spans the scores shown, widened to whole tens, so that
    differences between countries stay visible; the colour bar gives the scale.

    Parameters
    ----------
    tiles : mapping of str to (float, str)
        For each unit code of ``grid``: its score and the link to its page. Units
        of the grid without a tile are drawn grey and unlinked; units not on the
        grid are left out.
    grid : mapping of str to (int, int)
        Each unit's square, ``(column, row)`` with row 0 on top (a framework's
        declared map, :class:`readiness_index.model.framework.TileMap`).

    Examples
    --------
    >>> svg = tile_map({"AT": (55.0, "AT.html"), "BE": (38.0, "BE.html")},
    ...                {"AT": (1, 0), "BE": (0, 0)}, colour_label="Score",
    ...                text=ChartText("m", "Map", "Scores."))
    >>> 'href="AT.html"' in svg
    True
    """
    norm = _tens([score for score, _ in tiles.values()])
    with rc_context(_RC):
        figure = _figure(6.0, 5.4)
        axes = figure.add_subplot()
        mappable = axes.scatter([], [], c=[], cmap="cividis", norm=norm)
        colours = _vector(figure.colorbar(mappable, ax=axes, label=colour_label, shrink=0.6))
        for code, position in grid.items():
            score, url = tiles.get(code, (math.nan, ""))
            shade = colours.cmap(norm(score)) if np.isfinite(score) else None
            _tile(axes, code, position, shade, number_format(score), url)
        axes.set_xlim(0, max(column for column, _ in grid.values()) + 1)
        axes.set_ylim(-max(row for _, row in grid.values()), 1)
        axes.set_aspect("equal")
        axes.set_axis_off()
        return to_svg(figure, text, links=True)


def _tens(scores: Sequence[float]) -> Normalize:
    """A colour scale from the lowest to the highest score, widened to whole tens.

    >>> scale = _tens([38.5, 68.5, float("nan")])
    >>> scale.vmin, scale.vmax
    (30.0, 70.0)
    """
    finite = [score for score in scores if np.isfinite(score)]
    if not finite:
        return Normalize(0, 100)
    low, high = math.floor(min(finite) / 10) * 10, math.ceil(max(finite) / 10) * 10
    return Normalize(float(low), float(high if high > low else low + 10))


def _tile(
    axes: Axes,
    code: str,
    position: tuple[int, int],
    colour: Any,
    score: str,
    url: str,
) -> None:
    """One square of the tile map: grey and unlabelled by a score when ``colour`` is None."""
    column, row = position
    tile = Rectangle((column + 0.04, -row + 0.04), 0.92, 0.92, facecolor=colour or "#e3e6ea")
    tile.set_gid(f"tile-{code}")
    axes.add_patch(tile)
    dark = colour is not None and sum(colour[:3]) < 1.5  # white text on dark squares
    label = axes.text(
        column + 0.5,
        -row + 0.5,
        f"{code}\n{score}" if colour else code,
        ha="center",
        va="center",
        color="white" if dark else "black",
        fontsize=9,
    )
    label.set_gid(f"tile-label-{code}")
    if url:  # one link per unit: the square (its text lets clicks through, see report.css)
        tile.set_url(url)


# -- figures for Python sessions (returned as matplotlib Figure objects) ----------------------
# Each function draws what it is given and returns the Figure; readiness_index.report.plot
# picks the values out of results. The report's SVG charts are these figures serialised
# (rank_intervals above draws with rank_intervals_figure).


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
    with rc_context(_RC):
        figure = _figure(6.4, 0.24 * len(labels) + 1.2)
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
    with rc_context(_RC):
        figure = _figure(6.4, 0.35 * len(categories) + 1.2)
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
    with rc_context(_RC):
        figure = _figure(5.6, 4.4)
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
    with rc_context(_RC):
        figure = _figure(0.55 * len(column_labels) + 2.6, 0.4 * len(row_labels) + 1.6)
        axes = figure.add_subplot()
        image = axes.pcolormesh(grid, cmap="RdBu", norm=Normalize(-1, 1))
        axes.invert_yaxis()
        for (row, column), value in np.ndenumerate(grid):
            if np.isfinite(value):
                text = f"{value:.2f}"
                if weak is not None and weak[row, column]:
                    text = f"({text})"
                shade = "white" if abs(value) > 0.6 else "black"
                axes.text(
                    column + 0.5, row + 0.5, text, ha="center", va="center", color=shade, fontsize=7
                )
        axes.set_xticks(
            np.arange(len(column_labels)) + 0.5, list(column_labels), rotation=45, ha="right"
        )
        axes.set_yticks(np.arange(len(row_labels)) + 0.5, list(row_labels))
        axes.tick_params(length=0)
        if title:
            axes.set_title(title)
        figure.colorbar(image, ax=axes, label="Correlation", shrink=0.6)
        return figure


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
    with rc_context(_RC):
        figure = _figure(max(3.2, 0.9 * len(cleaned) + 1.6), 3.8)
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
    with rc_context(_RC):
        figure = _figure(5.6, 5.6)
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
    with rc_context(_RC):
        figure = _figure(6.4, 0.22 * len(labels) + 1.4)
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
    with rc_context(_RC):
        figure = _figure(6.4, 0.5 * len(assumptions) + 1.4)
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
