"""Charts as accessible inline SVG: the house style, and matplotlib figures serialised.

Every chart is drawn by matplotlib's SVG backend (text kept as text with
``svg.fonttype = 'none'``) and returned as a string ready to be placed in an HTML
page. Each SVG carries ``role="img"``, a ``<title>`` and a ``<desc>`` so that screen
readers announce it; the pages add a table with the same numbers as a text
alternative. Colours come from colour-blind-safe palettes: cividis for scales and
Okabe-Ito for categories (:data:`OKABE_ITO`).

Examples
--------
>>> figure = new_figure(2.0, 1.0)
>>> svg = to_svg(figure, ChartText(chart_id="demo", title="Scores", description="Empty."))
>>> svg.startswith('<svg') and '<title id="demo-title">Scores</title>' in svg
True
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from matplotlib import rc_context
from matplotlib.colorbar import Colorbar
from matplotlib.figure import Figure
from matplotlib.text import Text

__all__ = [
    "MIN_TEXT_PX",
    "OKABE_ITO",
    "RC",
    "ChartText",
    "NumberFormat",
    "finish_svg",
    "new_figure",
    "plain",
    "scoped_ids",
    "smallest_font",
    "to_svg",
    "vector",
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

#: The house style of every chart (matplotlib rc parameters).
RC: dict[Any, Any] = {
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


def plain(value: float) -> str:
    """A number as Python writes it briefly (``55``, ``0.5``): charts' default notation.

    >>> plain(55.0), plain(0.25)
    ('55', '0.25')
    """
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
    with rc_context({**RC, "svg.hashsalt": text.chart_id}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return finish_svg(buffer.getvalue(), figure, text, smallest=smallest_font(figure), links=links)


def finish_svg(
    svg: str, figure: Figure, text: ChartText, *, smallest: float, links: bool = False
) -> str:
    """matplotlib's SVG document of ``figure`` as the inline ``<svg>`` of :func:`to_svg`.

    ``smallest`` is the size (pt) of the figure's smallest text (:func:`smallest_font`).
    """
    svg = _METADATA.sub("", svg[_SVG_START.search(svg).start() :])  # type: ignore[union-attr]
    svg = svg.replace(' target="_blank"', "")  # links open in the same tab, like the rest
    chart = escape(text.chart_id)
    svg = scoped_ids(svg, chart)
    role = "group" if links else "img"
    width_pt = float(figure.get_figwidth()) * 72
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


def smallest_font(figure: Figure) -> float:
    """The smallest font size (pt) of the figure's text."""
    sizes = [float(text.get_fontsize()) for text in figure.findobj(Text)]
    return float(min([size for size in sizes if size > 0] or [RC["font.size"]]))


def scoped_ids(svg: str, prefix: str) -> str:
    """Prefix every id (and reference to one) so that several charts share a page.

    >>> scoped_ids('<g id="axes_1" clip-path="url(#p1)"><use xlink:href="#m2"/></g>', "c")
    '<g id="c-axes_1" clip-path="url(#c-p1)"><use xlink:href="#c-m2"/></g>'
    """
    svg = svg.replace(' id="', f' id="{prefix}-').replace("url(#", f"url(#{prefix}-")
    return svg.replace('href="#', f'href="#{prefix}-')


def vector(colours: Colorbar) -> Colorbar:
    """Keep a colour bar's gradient as vector shapes (matplotlib rasterises long ones)."""
    if colours.solids is not None:
        colours.solids.set_rasterized(False)
        colours.solids.set_edgecolor("face")  # no seams between the slices
    return colours


def new_figure(width: float, height: float) -> Figure:
    """An empty figure (inches) in the house style, laid out by matplotlib's constrained layout."""
    with rc_context(RC):
        return Figure(figsize=(width, height), layout="constrained")
