"""The report's charts: matplotlib drawings returned as accessible inline SVG.

The country reports and the overview draw their charts with these functions: a
country's pillar profile and its scores over the editions, the heat map of every
country's pillar scores, the tile-grid map and the rank intervals. Each returns the
``<svg>`` element of :func:`readiness_index.report.svg.to_svg` (``role="img"``, a
title and a description). The profile and the trend are drawn many times with the
same frame, so given a :class:`~readiness_index.report.frames.Frames` they draw only
their marks into a frame laid out once.

The functions draw what they are given and compute nothing.

Examples
--------
>>> text = ChartText(chart_id="demo", title="Scores", description="Two bars.")
>>> svg = trend([2024, 2025], [50.0, 55.0], text=text, axis_label="Score")
>>> svg.startswith('<svg') and '<title id="demo-title">Scores</title>' in svg
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter

from readiness_index.report.figures import annotated_grid, rank_intervals_figure
from readiness_index.report.frames import Frames
from readiness_index.report.svg import (
    OKABE_ITO,
    RC,
    ChartText,
    NumberFormat,
    new_figure,
    plain,
    to_svg,
    vector,
)

__all__ = [
    "ChartText",
    "heat_map",
    "pillar_profile",
    "rank_intervals",
    "tile_map",
    "trend",
]


def pillar_profile(
    labels: Sequence[str],
    country: Sequence[float],
    eu_average: Sequence[float],
    best: Sequence[float],
    *,
    legend: tuple[str, str, str],
    axis_label: str,
    text: ChartText,
    number_format: NumberFormat = plain,
    limits: tuple[float, float] | None = (0.0, 100.0),
    frames: Frames | None = None,
) -> str:
    """Horizontal bars of a country's pillar scores, with EU-average and best-performer marks.

    With ``frames``, a chart with the same labels, axis and scale as one drawn before
    is drawn into that chart's frame (:mod:`readiness_index.report.frames`).

    Examples
    --------
    >>> svg = pillar_profile(["Compute", "Skills"], [40.0, 60.0], [50.0, 50.0], [90.0, 80.0],
    ...                      legend=("AT", "EU average", "Best"), axis_label="Score",
    ...                      text=ChartText("p", "Profile", "Pillar scores."))
    >>> svg.count("<title")
    1
    """

    def draw(values: tuple[Sequence[float], ...]) -> tuple[Figure, Axes, list[Artist]]:
        with rc_context(RC):
            figure = new_figure(6.4, 0.55 * len(labels) + 1.4)
            axes = figure.add_subplot()
            handles, marks = _profile_marks(axes, *values, number_format=number_format)
            axes.set_yticks(np.arange(len(labels)), list(labels))
            axes.invert_yaxis()
            if limits is not None:  # the methodology's scale; without one, the data's range
                axes.set_xlim(*limits)
            axes.set_xlabel(axis_label)
            axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: number_format(value)))
            figure.legend(handles, legend, loc="outside lower center", ncols=3, frameon=False)
        return figure, axes, marks

    values = (country, eu_average, best)
    if frames is None or limits is None:
        return to_svg(draw(values)[0], text)
    neutral = [limits[0]] * len(labels)
    return frames.draw(
        ("profile", tuple(labels), axis_label, limits, number_format),
        lambda: draw((neutral, neutral, neutral)),
        lambda axes: _profile_marks(axes, *values, number_format=number_format)[1],
        text,
        legend=legend,
        full=lambda: draw(values)[0],
    )


def _profile_marks(
    axes: Axes,
    country: Sequence[float],
    eu_average: Sequence[float],
    best: Sequence[float],
    *,
    number_format: NumberFormat,
) -> tuple[list[Artist], list[Artist]]:
    """The profile's bars, marks and numbers: the legend's handles, and every mark."""
    position = np.arange(len(country))
    bars = list(axes.barh(position, country, height=0.55, color=OKABE_ITO["blue"]).patches)
    average = axes.scatter(eu_average, position, marker="|", s=420, linewidths=3,
                           color=OKABE_ITO["orange"], zorder=3)  # fmt: skip
    top = axes.scatter(best, position, marker="D", s=42, color=OKABE_ITO["black"], zorder=4)
    numbers: list[Artist] = [
        axes.annotate(number_format(value), (value, y), xytext=(4, 0),
                      textcoords="offset points", va="center", fontsize=9)
        for y, value in zip(position, country, strict=True)
        if np.isfinite(value)  # every bar labelled, a zero (no bar) included
    ]  # fmt: skip
    return [bars[0], average, top], [*bars, average, top, *numbers]


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
    number_format: NumberFormat = plain,
    limits: tuple[float, float] | None = (0.0, 100.0),
    frames: Frames | None = None,
) -> str:
    """Lines of scores over the editions: one series, or one per label (index and pillars).

    The axis rule: the y axis spans ``limits`` (the methodology's scale, 0 to 100),
    so that a small change looks small; without limits, the data's range. Every
    edition has its tick; the values of a single series are written at each point.
    With ``frames``, a chart with the same editions, series and scale as one drawn
    before is drawn into that chart's frame.

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

    def draw(lines: Mapping[str, Sequence[float]]) -> tuple[Figure, Axes, list[Artist]]:
        with rc_context(RC):
            figure = new_figure(6.4, 3.4 if len(lines) > 1 else 2.8)
            axes = figure.add_subplot()
            marks = _trend_marks(axes, years, lines, number_format=number_format)
            axes.set_xticks(list(years), [str(year) for year in years])
            axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: number_format(value)))
            if limits is not None:
                axes.set_ylim(*limits)
            axes.set_ylabel(axis_label)
            axes.margins(x=0.08)
            if len(lines) > 1:
                figure.legend(loc="outside lower center", ncols=3, frameon=False)
        return figure, axes, marks

    if frames is None or limits is None:
        return to_svg(draw(series)[0], text)
    neutral = {label: [limits[0]] * len(years) for label in series}
    return frames.draw(
        ("trend", tuple(years), tuple(series), axis_label, limits, number_format),
        lambda: draw(neutral),
        lambda axes: _trend_marks(axes, years, series, number_format=number_format),
        text,
        full=lambda: draw(series)[0],
    )


def _trend_marks(
    axes: Axes,
    years: Sequence[int],
    series: Mapping[str, Sequence[float]],
    *,
    number_format: NumberFormat,
) -> list[Artist]:
    """The trend's lines, and the numbers of a single series."""
    colours = list(OKABE_ITO.values())
    marks: list[Artist] = []
    for number, (label, values) in enumerate(series.items()):
        marks += axes.plot(list(years), list(values), marker="o", label=label or None,
                           color=colours[number % len(colours)],
                           linewidth=2.6 if number == 0 else 1.4,
                           zorder=3 if number == 0 else 2)  # fmt: skip
    if len(series) == 1:
        for year, score in zip(years, next(iter(series.values())), strict=True):
            written = axes.annotate(number_format(score), (year, score), textcoords="offset points",
                                    xytext=(0, 7), ha="center")  # fmt: skip
            marks.append(written)
    return marks


def heat_map(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    values: Sequence[Sequence[float]],
    *,
    text: ChartText,
    colour_label: str,
    number_format: NumberFormat = plain,
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
    with rc_context(RC):
        figure = new_figure(1.5 * len(column_labels) + 3.0, 0.34 * len(row_labels) + 1.9)
        axes = figure.add_subplot()
        norm = Normalize(*limits) if limits is not None else Normalize()
        image = annotated_grid(
            axes, grid, row_labels, column_labels, cmap="cividis", norm=norm,
            cell_text=lambda row, column, value: number_format(value),
            dark=lambda value: not float(norm(value)) > 0.55, fontsize=9.5, rotation=30,
        )  # fmt: skip
        for spine in axes.spines.values():
            spine.set_visible(False)
        vector(figure.colorbar(image, ax=axes, label=colour_label, shrink=0.6))
        return to_svg(figure, text)


def tile_map(
    tiles: Mapping[str, tuple[float, str]],
    grid: Mapping[str, tuple[int, int]],
    *,
    text: ChartText,
    colour_label: str,
    number_format: NumberFormat = plain,
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
    with rc_context(RC):
        figure = new_figure(6.0, 5.4)
        axes = figure.add_subplot()
        mappable = axes.scatter([], [], c=[], cmap="cividis", norm=norm)
        colours = vector(figure.colorbar(mappable, ax=axes, label=colour_label, shrink=0.6))
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
