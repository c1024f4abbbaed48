"""The charts of the pages, in every language of the site: the words and numbers of each.

Each function returns one chart per language (:class:`markupsafe.Markup` holding
its ``<svg>``): the overview's heat map, tile map and rank intervals, a country's
pillar profile and its scores over the editions. A chart is drawn once for all
languages (:mod:`readiness_index.report.reuse`), and a country's charts into a
frame laid out once (:mod:`readiness_index.report.frames`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from functools import cache, partial
from typing import Any

from markupsafe import Markup, escape

from readiness_index.model.countries import EXCEPTIONS
from readiness_index.report import charts, reuse
from readiness_index.report import views as report_views
from readiness_index.report.framing import average_name
from readiness_index.report.i18n import country_label, format_number
from readiness_index.report.state import Gettext, Site, gettext_of, page_name

__all__ = ["country_charts", "overview_charts"]

Words = Callable[[str, Gettext], list[str]]
Head = Callable[[str, Gettext], tuple[str, str]]
Charts = dict[str, dict[str, Markup]]


def overview_charts(site: Site, rows: list[report_views.RankingRow], pillars: list[Any]) -> Charts:
    """The overview's heat map, tile map and rank intervals, per language."""
    return {
        "heat_map": _heat_map(site, pillars),
        "tile_map": _tile_map(site, rows),
        "interval_chart": _interval_chart(site, rows),
    }


def country_charts(
    site: Site, pillars: list[dict[str, Any]], trend: list[dict[str, Any]], country: str
) -> dict[str, dict[str, Markup | None]]:
    """A country's pillar profile and, over two editions or more, its trend, per language."""
    no_chart: dict[str, Markup | None] = dict.fromkeys(site.languages, None)
    return {
        "profile_chart": {**_profile_chart(site, pillars, country)},
        "trend_chart": {**_trend_chart(site, trend, pillars, country)}
        if len(trend) > 1
        else no_chart,
    }


def _score_label(site: Site, gettext: Gettext) -> str:
    return gettext("Score (0 to 100)") if site.scale == (0.0, 100.0) else gettext("Score")


def _floats(values: Iterable[float | None]) -> list[float]:
    """Missing values as NaN, which the charts leave out."""
    return [math.nan if value is None else value for value in values]


@cache
def _drawn(digits: int) -> Callable[[float], str]:
    """Numbers as charts draw them, before each language's notation is swapped in."""
    return partial(format_number, language=reuse.DRAWING_LANGUAGE, digits=digits)


def _chart(
    site: Site, draw: Callable[[Sequence[str]], str], words: Words, head: Head
) -> dict[str, Markup]:
    """One chart in every language of the site, drawn once where the words allow."""
    gettexts = {language: gettext_of(site, language) for language in site.languages}
    svgs = reuse.draw_once(
        draw,
        {language: words(language, gettext) for language, gettext in gettexts.items()},
        {language: head(language, gettext) for language, gettext in gettexts.items()},
    )
    return {language: Markup(svg) for language, svg in svgs.items()}


def _interval_chart(site: Site, rows: list[report_views.RankingRow]) -> dict[str, Markup]:
    """The rank intervals of every country in one chart (empty without an uncertainty run)."""
    shown = [row for row in rows if row.interval is not None and row.rank is not None]
    if not shown:
        return dict.fromkeys(site.languages, Markup(""))

    def words(language: str, gettext: Gettext) -> list[str]:
        names = [country_label(row.country, language) for row in shown]
        return [*names, gettext("Rank"), gettext("Rank interval (5th–95th percentile)")]

    def head(language: str, gettext: Gettext) -> tuple[str, str]:
        return gettext("Rank intervals of every country"), gettext(
            "For each country, its rank (dot) and the range of ranks from the 5th to the "
            "95th percentile of the uncertainty analysis (line). The same numbers are in "
            "the ranking table."
        )

    def draw(drawn: Sequence[str]) -> str:
        return charts.rank_intervals(
            drawn[: len(shown)],
            [float(row.rank) for row in shown if row.rank is not None],
            [(float(row.interval[0]), float(row.interval[1])) for row in shown if row.interval],
            legend=(drawn[-2], drawn[-1]),
            axis_label=drawn[-2],
            text=charts.ChartText("rank-intervals", "", ""),
        )

    return _chart(site, draw, words, head)


def _heat_map(site: Site, pillars: list[Any]) -> dict[str, Markup]:
    values = [[site.edition.score(country, pillar.code) for pillar in pillars]
              for country in site.countries]  # fmt: skip

    framework = site.full_framework

    def words(language: str, gettext: Gettext) -> list[str]:
        names = [country_label(country, language) for country in site.countries]
        columns = [framework.text(pillar.code, "name", language) or "" for pillar in pillars]
        return [*names, *columns, gettext("Score")]

    def head(language: str, gettext: Gettext) -> tuple[str, str]:
        if site.scale == (0.0, 100.0):
            return gettext("Pillar scores of every country"), gettext(
                "Heat map of the pillar scores (0 to 100) of every country, best ranked "
                "first; darker cells are lower scores. The same numbers are in the table "
                "below the chart."
            )
        return gettext("Pillar scores of every country"), gettext(
            "Heat map of the pillar scores of every country, best ranked first; darker "
            "cells are lower scores. The same numbers are in the table below the chart."
        )

    def draw(drawn: Sequence[str]) -> str:
        countries = len(site.countries)
        return charts.heat_map(
            drawn[:countries],
            list(drawn[countries:-1]),
            [_floats(row) for row in values],
            text=charts.ChartText("heat-map", "", ""),
            colour_label=drawn[-1],
            number_format=_drawn(0),
            limits=site.scale,
        )

    return _chart(site, draw, words, head)


def _tile_map(site: Site, rows: list[report_views.RankingRow]) -> dict[str, Markup]:
    if not site.tiles:
        return dict.fromkeys(site.languages, Markup(""))
    scores = {_tile_code(site, row.country): (row.country, row.score) for row in rows}

    def words(language: str, gettext: Gettext) -> list[str]:
        return [gettext("Index score")]

    def head(language: str, gettext: Gettext) -> tuple[str, str]:
        if site.result.framework.reference_name == "EU average":
            return gettext("Map of the index scores"), gettext(
                "Tile-grid map of Europe: one square per country, placed roughly where the "
                "country lies and coloured by its index score; darker is lower. Each square "
                "links to the country's report. The ranking table gives the same numbers."
            )
        return gettext("Map of the index scores"), gettext(
            "Tile-grid map: one square per unit, placed roughly where the unit lies and "
            "coloured by its index score; darker is lower. Each square links to the "
            "unit's report. The ranking table gives the same numbers."
        )

    def draw(drawn: Sequence[str]) -> str:
        first = site.languages[0]
        tiles = {
            code: (
                math.nan if score is None else score,
                page_name("country", first, site.languages, country=country, year=site.year),
            )
            for code, (country, score) in scores.items()
        }
        return charts.tile_map(
            tiles,
            site.tiles,
            text=charts.ChartText("tile-map", "", ""),
            colour_label=drawn[0],
            number_format=_drawn(0),
        )

    return _relink(site, _chart(site, draw, words, head), scores)


def _tile_code(site: Site, country: str) -> str:
    """The unit's square on the map: its own code, or its ISO code (``EL`` -> ``GR``)."""
    return country if country in site.tiles else EXCEPTIONS.get(country, country)


def _relink(site: Site, svgs: dict[str, Markup], scores: dict[str, Any]) -> dict[str, Markup]:
    """Each language's map links to that language's country pages."""
    first = site.languages[0]
    out = {}
    for language, svg in svgs.items():
        text = str(svg)
        for country, score in scores.values():
            drawn = page_name("country", first, site.languages, country=country, year=site.year)
            own = page_name("country", language, site.languages, country=country, year=site.year)
            name = f"{country_label(country, language)}: {format_number(score, language)}"
            text = text.replace(
                f'xlink:href="{drawn}"',
                f'xlink:href="{own}" href="{own}" role="link" aria-label="{escape(name)}"',
            )
        out[language] = Markup(text)
    return out


def _profile_chart(site: Site, pillars: list[dict[str, Any]], country: str) -> dict[str, Markup]:
    framework = site.full_framework

    def words(language: str, gettext: Gettext) -> list[str]:
        name = country_label(country, language)
        average = average_name(site.result.framework.reference_name, gettext)
        names = [framework.text(row["node"].code, "name", language) or "" for row in pillars]
        return [name, average, gettext("Best performer"), _score_label(site, gettext), *names]

    def head(language: str, gettext: Gettext) -> tuple[str, str]:
        name = country_label(country, language)
        title = gettext("Pillar profile of %(country)s") % {"country": name}
        if site.result.framework.reference_name != "EU average" or site.scale != (0.0, 100.0):
            average = average_name(site.result.framework.reference_name, gettext)
            return title, gettext(
                "Bars: the pillar scores of %(country)s. Orange line: the %(average)s. "
                "Black diamond: the best performer. The table below gives the numbers."
            ) % {"country": name, "average": average}
        return title, gettext(
            "Bars: the pillar scores (0 to 100) of %(country)s. Orange line: the EU "
            "average. Black diamond: the best performer. The table below gives the "
            "numbers."
        ) % {"country": name}

    def draw(drawn: Sequence[str]) -> str:
        return charts.pillar_profile(
            list(drawn[4:]),
            _floats(row["score"] for row in pillars),
            _floats(row["eu_average"] for row in pillars),
            _floats(row["best_score"] for row in pillars),
            legend=(drawn[0], drawn[1], drawn[2]),
            axis_label=drawn[3],
            text=charts.ChartText("profile-chart", "", ""),
            number_format=_drawn(0),
            limits=site.scale,
            frames=site.frames,
        )

    return _chart(site, draw, words, head)


def _trend_chart(
    site: Site, trend: list[dict[str, Any]], pillars: list[dict[str, Any]], country: str
) -> dict[str, Markup]:
    framework = site.full_framework
    codes = [row["node"].code for row in pillars]

    def words(language: str, gettext: Gettext) -> list[str]:
        names = [framework.text(code, "name", language) or code for code in codes]
        return [gettext("Index score"), gettext("Score"), *names]

    def head(language: str, gettext: Gettext) -> tuple[str, str]:
        name = country_label(country, language)
        return gettext("Index score of %(country)s over the editions") % {"country": name}, gettext(
            "Line chart of the index score (thick line) and the pillar scores of "
            "%(country)s in each edition; the table below gives the numbers."
        ) % {"country": name}

    def draw(drawn: Sequence[str]) -> str:
        series = {drawn[0]: _floats(row["score"] for row in trend)}
        for number, code in enumerate(codes):
            series[drawn[2 + number]] = _floats(row["pillars"][code] for row in trend)
        return charts.trend(
            [row["year"] for row in trend],
            series,
            text=charts.ChartText("trend-chart", "", ""),
            axis_label=drawn[1],
            number_format=_drawn(0),
            limits=site.scale,
            frames=site.frames,
        )

    return _chart(site, draw, words, head)
