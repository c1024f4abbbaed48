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
from matplotlib.ticker import FuncFormatter, MaxNLocator

__all__ = [
    "OKABE_ITO",
    "ChartText",
    "heat_map",
    "pillar_profile",
    "rank_intervals",
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
    "font.size": 9.0,
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


def to_svg(figure: Figure, text: ChartText) -> str:
    """Serialise ``figure`` as inline SVG with ``role="img"``, a title and a description.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure to serialise.
    text : ChartText
        Id, title and description written into the SVG (escaped).

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
    head = (
        f'<svg id="{chart}" role="img" aria-labelledby="{chart}-title {chart}-desc" class="chart"'
    )
    accessible = (
        f'<title id="{chart}-title">{escape(text.title)}</title>'
        f'<desc id="{chart}-desc">{escape(text.description)}</desc>'
    )
    opening_end = svg.index(">") + 1
    return head + svg[4:opening_end] + accessible + svg[opening_end:]


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
        return to_svg(figure, text)


def trend(
    years: Sequence[int],
    scores: Sequence[float],
    *,
    text: ChartText,
    axis_label: str,
    number_format: NumberFormat = _plain,
) -> str:
    """A line of a country's index score over the editions.

    Examples
    --------
    >>> "<desc" in trend([2024], [3.0], text=ChartText("t", "T", "D"), axis_label="Score")
    True
    """
    with rc_context(_RC):
        figure = _figure(6.4, 2.6)
        axes = figure.add_subplot()
        axes.plot(list(years), list(scores), marker="o", color=OKABE_ITO["blue"], linewidth=2)
        for year, score in zip(years, scores, strict=True):
            axes.annotate(
                number_format(score),
                (year, score),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
            )
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f}"))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: number_format(value)))
        axes.set_ylabel(axis_label)
        axes.margins(x=0.15, y=0.25)
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
        figure = _figure(1.3 * len(column_labels) + 2.8, 0.28 * len(row_labels) + 1.6)
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
                    fontsize=7.5,
                )
        axes.set_xticks(np.arange(len(column_labels)), list(column_labels), rotation=30, ha="right")
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
        return to_svg(figure, text)


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
        fontsize=8,
    )
    if url:
        tile.set_url(url)
        label.set_url(url)
