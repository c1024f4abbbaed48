"""One drawing per chart for every language: draw once, then swap the chart's words.

A chart's drawing (positions, bars, colours) is the same in every language; only
its words and the notation of its numbers differ. :func:`draw_once` draws a chart
a single time, with each word slot filled by its longest translation (so that the
layout leaves room for every language), then writes each language's version by
replacing the text of the SVG's ``<text>`` elements: the words slot by slot, the
numbers re-formatted in the language's notation (``55.1`` -> ``55,1``), and the
chart's title and description. When two slots drawn with the same text would need
different translations, the chart is drawn once per language instead.

Examples
--------
>>> def draw(words):
...     return f'<title id="c-title">t</title><desc id="c-desc">d</desc>' \\
...            f'<text>{words[0]}</text><text>1,234.5</text>'
>>> out = draw_once(draw, {"en": ["Score"], "de": ["Punktzahl"]},
...                 {"en": ("Chart", "About"), "de": ("Grafik", "Über")})
>>> print(out["de"].replace("<desc", "\\n<desc"))
<title id="c-title">Grafik</title>
<desc id="c-desc">Über</desc><text>Punktzahl</text><text>1.234,5</text>
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from html import escape, unescape

from readiness_index.report.i18n import format_number

__all__ = ["DRAWING_LANGUAGE", "draw_once", "renumber"]

#: The notation numbers are drawn in before each language's is swapped in.
DRAWING_LANGUAGE = "en"

_TEXT = re.compile(r"(<text\b[^>]*>)([^<]*)(</text>)")
_HEAD = re.compile(r'(<title id="[^"]*">)[^<]*(</title><desc id="[^"]*">)[^<]*(</desc>)')
_GROUPED = re.compile(r"^(-?)(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$")
_PLAIN = re.compile(r"^(-?)(\d+)\.(\d+)$")

Draw = Callable[[Sequence[str]], str]


def renumber(text: str, language: str) -> str:
    """A number written in the drawing notation, re-written in ``language``'s.

    Text that is not such a number is returned as given; whole numbers without
    grouping (years, ``20``) are the same in every language of the site.

    >>> renumber("1,234.5", "fr"), renumber("-3.25", "de"), renumber("2025", "de")
    ('1\u202f234,5', '-3,25', '2025')
    """
    match = _GROUPED.match(text) or _PLAIN.match(text)
    if match is None:
        return text
    sign, whole, decimals = match.group(1), match.group(2), match.group(3) or ""
    value = float(f"{sign}{whole.replace(',', '')}.{decimals or '0'}")
    formatted = format_number(value, language, digits=len(decimals))
    return formatted if "," in whole else formatted.replace(_group_symbol(language), "")


def _group_symbol(language: str) -> str:
    return format_number(1000.0, language, digits=0)[1:-3]


def _widest(words: Mapping[str, Sequence[str]]) -> list[str]:
    """Per slot, the longest of its translations."""
    columns = zip(*words.values(), strict=True)
    return [max(column, key=len) for column in columns]


def _swaps(drawn: list[str], words: Sequence[str]) -> dict[str, str] | None:
    """Drawn text -> the language's text; ``None`` when a drawn text needs two."""
    swaps: dict[str, str] = {}
    for old, new in zip(drawn, words, strict=True):
        if swaps.setdefault(old, new) != new:
            return None
    return swaps


def _retext(svg: str, swaps: Mapping[str, str], language: str, head: tuple[str, str]) -> str:
    def text(match: re.Match[str]) -> str:
        old = unescape(match.group(2))
        new = swaps[old] if old in swaps else renumber(old, language)
        return match.group(1) + escape(new, quote=False) + match.group(3)

    def title(match: re.Match[str]) -> str:
        parts = match.group(1), escape(head[0]), match.group(2), escape(head[1]), match.group(3)
        return "".join(parts)

    return _HEAD.sub(title, _TEXT.sub(text, svg), count=1)


def draw_once(
    draw: Draw,
    words: Mapping[str, Sequence[str]],
    heads: Mapping[str, tuple[str, str]],
) -> dict[str, str]:
    """Each language's SVG of one chart, drawn a single time when the words allow it.

    Parameters
    ----------
    draw : callable
        Draws the chart with the given words (in slot order) and numbers in the
        notation of :data:`DRAWING_LANGUAGE`; returns the SVG.
    words : mapping of str to sequence of str
        Per language, the chart's words in slot order (every language the same slots).
    heads : mapping of str to (str, str)
        Per language, the chart's title and description.

    Returns
    -------
    dict of str to str
        The SVG of each language of ``words``.
    """
    drawn = _widest(words)
    swaps = {language: _swaps(drawn, own) for language, own in words.items()}
    if any(table is None for table in swaps.values()):
        return {
            language: _retext(draw(own), {}, language, heads[language])
            for language, own in words.items()
        }
    svg = draw(drawn)
    return {
        language: _retext(svg, table or {}, language, heads[language])
        for language, table in swaps.items()
    }
