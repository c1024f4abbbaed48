"""Charts of one shape drawn many times: the frame laid out once, the marks per chart.

A country report's charts have the same frame on every country's page (the axes,
their ticks and labels, the legend's place), only their marks differ (bars, points,
lines, the numbers written beside them). :class:`Frames` lays out and draws such a
frame once and then draws only the marks of each chart into it, which is several
times faster than drawing every chart from scratch.

The result is the chart the full drawing makes: a frame is reused only for charts
whose layout would be the same. A chart's layout depends on its frame (its ``key``:
the labels, sizes and ranges), on the height of its legend (measured per chart) and
on its marks only where they reach outside the axes (a number written beyond the
last tick) or move autoscaled axis limits; such a chart is drawn in full instead.

The frame's axes (ticks and tick labels, the slowest part to draw) and a legend
that is the same in every chart are drawn once into SVG and written into every
chart as they are; their element ids are kept apart from the marks' ids.

Examples
--------
>>> from readiness_index.report.svg import RC, ChartText, new_figure, to_svg
>>> def bars(axes, values):  # marks set their colours (not the axes' colour cycle)
...     return list(axes.barh([0, 1], values, color="#0072B2"))
>>> def draw(values):  # the frame and its marks: the code of the full drawing
...     with rc_context(RC):
...         figure = new_figure(3, 2)
...         axes = figure.add_subplot()
...     axes.set_xlim(0, 10)
...     return figure, axes, bars(axes, values)
>>> frames, text = Frames(), ChartText("d", "D", "Bars.")
>>> svgs = [frames.draw("demo", lambda: draw([0.0, 0.0]), lambda axes: bars(axes, values),
...                     text, full=lambda: draw(values)[0])
...         for values in ([3.0, 4.0], [5.0, 1.0])]
>>> svgs[1].count("<path") == to_svg(draw([5.0, 1.0])[0], text).count("<path")
True
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from readiness_index.report.svg import RC, ChartText, finish_svg, scoped_ids, smallest_font, to_svg

__all__ = ["Frames"]

Draw = Callable[[], tuple[Figure, Axes, list[Artist]]]
Marks = Callable[[Axes], list[Artist]]


class _Drawn(Artist):
    """Stands in a figure for an artist drawn once: writes a mark the frame replaces."""

    def __init__(self, key: str, zorder: float) -> None:
        super().__init__()
        self.key = key
        self.set_zorder(zorder)

    def draw(self, renderer: Any) -> None:
        renderer.writer.comment(self.key)


@dataclass
class _Frame:
    """A laid-out figure without its marks, its axes drawn once."""

    figure: Figure
    axes: Axes
    legend: Legend | None
    legend_height: float
    data_limits: tuple[float, float, float, float]
    autoscale: tuple[bool, bool]
    smallest: float
    measure: RendererSVG
    drawn: dict[str, str] = field(default_factory=dict)


class Frames:
    """Frames of the charts drawn so far in this process, by their key.

    A cache: it keeps at most :attr:`size` frames, and is sent empty to other
    processes (a worker lays out its own frames).
    """

    size = 16

    def __init__(self) -> None:
        self._frames: dict[tuple[Hashable, float], _Frame] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"_frames": {}}

    def draw(
        self,
        key: Hashable,
        frame: Draw,
        marks: Marks,
        text: ChartText,
        *,
        legend: Sequence[str] = (),
        full: Callable[[], Figure],
    ) -> str:
        """The chart of ``marks`` in the frame of ``key``, as inline SVG.

        Parameters
        ----------
        key : hashable
            Everything the frame depends on (labels, sizes, ranges, formats).
        frame : callable
            Draws the chart with neutral marks that stay inside the axes and returns
            ``(figure, axes, marks)``; called once per key (and legend height).
        marks : callable
            Adds this chart's marks to the axes and returns them; the marks set
            their own colours (the axes' colour cycle moves on with each chart).
        text : ChartText
            The chart's id, title and description.
        legend : sequence of str, optional
            The legend's labels for this chart, where they differ between charts.
        full : callable
            Draws this chart in full (its figure), for a chart whose layout differs
            from the frame's.
        """
        laid_out = self._frame(key, frame, legend, text)
        if laid_out is not None:
            svg = self._draw_marks(laid_out, marks, text)
            if svg is not None:
                return svg
        return to_svg(full(), text)

    # -- frames ---------------------------------------------------------------------------
    def _frame(
        self, key: Hashable, frame: Draw, legend: Sequence[str], text: ChartText
    ) -> _Frame | None:
        for (own, height), laid_out in self._frames.items():
            if own == key:
                if not legend:  # the frame's own legend, drawn once
                    return laid_out
                _relabel(laid_out.legend, legend)
                if _legend_height(laid_out) == height:
                    return laid_out
        new = _lay_out(frame, legend, text)
        if new is not None:
            if len(self._frames) >= self.size:
                self._frames.pop(next(iter(self._frames)))
            self._frames[(key, new.legend_height)] = new
        return new

    @staticmethod
    def _draw_marks(laid_out: _Frame, marks: Marks, text: ChartText) -> str | None:
        axes = laid_out.axes
        axes.dataLim = Bbox.null()
        axes.ignore_existing_data_limits = True
        with rc_context(RC):  # in the house style, as in the full drawing
            drawn = marks(axes)
        try:
            if _bounds(axes.dataLim, laid_out.autoscale) != _bounds(
                Bbox.from_bounds(*laid_out.data_limits), laid_out.autoscale
            ):
                return None  # autoscaled limits would move: not this frame's layout
            svg = _print(laid_out.figure, text)
            if not _inside(drawn, axes, laid_out.measure):
                return None  # a mark reaches outside the axes: the layout would change
            for key, body in laid_out.drawn.items():
                svg = svg.replace(f"<!-- {key} -->", body, 1)
            texts = [mark for mark in drawn if isinstance(mark, Text)]
            sizes = [float(mark.get_fontsize()) for mark in texts]
            smallest = min([laid_out.smallest, *sizes])
            return finish_svg(svg, laid_out.figure, text, smallest=smallest)
        finally:
            for mark in drawn:
                mark.remove()


def _lay_out(frame: Draw, legend: Sequence[str], text: ChartText) -> _Frame | None:
    """Draw the frame once (its layout), fix its limits and draw its axes into SVG."""
    with rc_context(RC):
        figure, axes, neutral = frame()
    own_legend = figure.legends[0] if figure.legends else None
    _relabel(own_legend, legend)
    autoscale = (axes.get_autoscalex_on(), axes.get_autoscaley_on())
    to_svg(figure, text)  # lays the figure out, as the full drawing does
    figure.dpi = 72  # as when printed: the marks are measured in the SVG's points
    measure = _renderer(figure, io.StringIO())  # kept: it caches the metrics of the text
    if not _inside(neutral, axes, measure):
        return None
    x0, y0, width, height = (float(v) for v in axes.dataLim.bounds)
    smallest = smallest_font(figure)
    figure.set_layout_engine("none")
    axes.set_xlim(axes.get_xlim())
    axes.set_ylim(axes.get_ylim())
    for mark in neutral:
        mark.remove()
    laid_out = _Frame(
        figure, axes, own_legend, 0.0, (x0, y0, width, height), autoscale, smallest, measure
    )
    laid_out.legend_height = _legend_height(laid_out)
    once: list[tuple[Artist, Axes | Figure]] = [(axes.xaxis, axes), (axes.yaxis, axes)]
    if own_legend is not None and not legend:
        once.append((own_legend, figure))  # the same in every chart of the frame
    for number, (artist, parent) in enumerate(once):
        key = f"frame-{number}"
        laid_out.drawn[key] = scoped_ids(_alone(figure, artist, text), key)
        artist.set_visible(False)
        parent.add_artist(_Drawn(key, artist.get_zorder()))
    return laid_out


def _relabel(legend: Legend | None, labels: Sequence[str]) -> None:
    if legend is not None:
        for label, entry in zip(labels, legend.get_texts(), strict=False):
            entry.set_text(label)


def _legend_height(laid_out: _Frame) -> float:
    if laid_out.legend is None:
        return 0.0
    return float(laid_out.legend.get_window_extent(laid_out.measure).height)


def _bounds(box: Bbox, autoscale: tuple[bool, bool]) -> tuple[float, ...]:
    """The data limits along the autoscaled axes (the others are fixed)."""
    x0, y0, x1, y1 = (float(v) for v in box.extents)
    return (*((x0, x1) if autoscale[0] else ()), *((y0, y1) if autoscale[1] else ()))


def _inside(marks: Sequence[Artist], axes: Axes, renderer: RendererSVG) -> bool:
    """Whether every text among the marks lies within the axes (as laid out)."""
    box = axes.bbox
    for mark in marks:
        if isinstance(mark, Text) and mark.get_visible() and mark.get_text():
            extent = mark.get_window_extent(renderer)
            corners = np.array([extent.x0, extent.y0, extent.x1, extent.y1])
            if not np.all(np.isfinite(corners)):
                continue
            if extent.x0 < box.x0 or extent.x1 > box.x1 or extent.y0 < box.y0 or extent.y1 > box.y1:
                return False
    return True


def _print(figure: Figure, text: ChartText) -> str:
    """The figure's SVG document as it is (no layout), in the house style."""
    buffer = io.StringIO()
    with rc_context({**RC, "svg.hashsalt": text.chart_id}):
        FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None})  # type: ignore[no-untyped-call]
    return buffer.getvalue()


def _alone(figure: Figure, artist: Artist, text: ChartText) -> str:
    """One artist of a laid-out figure drawn alone into SVG (without the document)."""
    buffer = io.StringIO()
    with rc_context({**RC, "svg.hashsalt": text.chart_id}):
        renderer = _renderer(figure, buffer)
        start = len(buffer.getvalue())
        artist.draw(renderer)
        renderer.finalize()  # type: ignore[no-untyped-call]
    body = buffer.getvalue()[start:]
    return _TAIL.sub("", body)


def _renderer(figure: Figure, buffer: io.StringIO) -> RendererSVG:
    """An SVG renderer of the figure's size (points), writing into ``buffer``."""
    width, height = (float(size) * 72 for size in figure.get_size_inches())
    return RendererSVG(width, height, buffer)  # type: ignore[no-untyped-call]


_TAIL = re.compile(r"</svg>\s*$")
