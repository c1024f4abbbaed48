"""Render an :class:`IndexResult` as a static, multilingual web site.

:func:`render_reports` writes an overview (``index.html``), one report per country
and a methodology page, in every language asked for, into a folder that can be
opened from disk: no script, no web font, no request outside the folder. Pages are
jinja2 templates from ``reports/templates`` (or a user's folder, searched first),
with autoescaping on; user-facing strings come from gettext catalogues in
``reports/locale`` compiled at run time; numbers, percentages, dates and country
names are formatted for the language by Babel (see :mod:`readiness_index.report.i18n`).
Charts are matplotlib SVG (see :mod:`readiness_index.report.charts`).

File names: the first language gets ``index.html``, ``methodology.html`` and
``AT-2025.html``; each further language the same names with its code before the
suffix (``index.de.html``, ``AT-2025.de.html``). Styles live in ``assets/``.

Examples
--------
>>> sorted(available_languages())
['de', 'en', 'fr']
>>> page_name("country", "de", ("en", "de"), country="AT", year=2025)
'AT-2025.de.html'
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import pandas as pd
from markupsafe import Markup

from readiness_index.errors import ReportError
from readiness_index.io.files import atomic_directory
from readiness_index.model.countries import EXCEPTIONS
from readiness_index.report import charts
from readiness_index.report import views as report_views
from readiness_index.report.i18n import (
    available_languages,
    check_languages,
    country_label,
    filters,
    format_number,
    language_name,
    template_folders,
    translations,
)

if TYPE_CHECKING:
    from readiness_index.engine.results import IndexResult
    from readiness_index.model.framework import Framework

__all__ = ["available_languages", "page_name", "render_reports"]

_PAGES = {"index": "index", "methodology": "methodology"}
_INTERVAL_COLUMNS = ("country", "p05", "p95")
_TARGET_COLUMNS = (
    "country", "indicator", "latest_year", "latest_value", "target", "target_year", "gap",
    "required_cagr", "observed_cagr", "status",
)  # fmt: skip


def render_reports(
    result: IndexResult,
    out_dir: str | os.PathLike[str],
    *,
    year: int | None = None,
    languages: Sequence[str] = ("en",),
    template_dir: str | os.PathLike[str] | None = None,
    rank_intervals: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
    full_framework: Framework | None = None,
) -> Path:
    """Write the overview, every country report and the methodology page of one edition.

    The site is rendered into a temporary folder beside ``out_dir`` and moved into
    place only when every page succeeded, so a failure leaves ``out_dir`` as it was.

    Parameters
    ----------
    result : IndexResult
        The built index (:func:`readiness_index.build`).
    out_dir : path
        Folder of the site; replaced as a whole.
    year : int, optional
        The edition to report; the latest one of ``result`` when ``None``.
    languages : sequence of str, default ("en",)
        Language codes; each needs a catalogue (see :func:`available_languages`).
        The first is the default language of ``index.html``.
    template_dir : path, optional
        A folder laid out like ``reports/`` (``templates/``, ``static/``,
        ``locale/``); its files are used first, the shipped ones fill the gaps.
    rank_intervals : pandas.DataFrame, optional
        Columns ``country, p05, p95``: rank intervals from an uncertainty run.
    targets : pandas.DataFrame, optional
        Distance to targets (:mod:`readiness_index.analysis.targets`): ``country, indicator,
        latest_year, latest_value, target, target_year, gap, required_cagr,
        observed_cagr, status`` and optionally ``policy``.
    full_framework : Framework, optional
        The framework as loaded, with its inactive parts: the inactive indicators
        are shown on each country report as context (not scored), with their
        targets. By default only what the result scored is shown.

    Returns
    -------
    pathlib.Path
        The absolute path of the site folder.

    Raises
    ------
    ReportError
        If a language has no catalogue, the year is not in the result, or a page
        cannot be rendered (the template, country and language are named).

    Examples
    --------
    >>> import tempfile
    >>> from readiness_index import build, prepare_data
    >>> from readiness_index.model.framework import Aggregate, Framework, Indicator
    >>> fw = Framework(aggregates=(Aggregate(code="index", name="Index"),),
    ...                indicators=(Indicator(code="a", name="A", parent="index"),))
    >>> rows = pd.DataFrame({"country": ["AT", "BE"], "year": 2025, "indicator": "a",
    ...                      "value": [1.0, 2.0]})
    >>> result = build(fw, prepare_data(rows, fw))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     site = render_reports(result, Path(folder) / "site", languages=("en", "fr"))
    ...     sorted(page.name for page in site.glob("*.html"))
    ['AT-2025.fr.html', 'AT-2025.html', 'BE-2025.fr.html', 'BE-2025.html',
     'index.fr.html', 'index.html', 'methodology.fr.html', 'methodology.html']
    """
    languages = tuple(languages)
    folders = template_folders(template_dir)
    check_languages(languages, folders)
    try:
        year = report_views.edition_year(result, year)
    except KeyError as err:
        raise ReportError(f"Cannot render reports: {err.args[0]}.") from err
    _check_columns("rank_intervals", rank_intervals, _INTERVAL_COLUMNS)
    _check_columns("targets", targets, _TARGET_COLUMNS)
    site = _Site(result, year, languages, rank_intervals, targets, full_framework)
    with atomic_directory(out_dir) as tmp:
        _copy_static(folders, tmp / "assets")
        for language in languages:
            _render_language(site, _environment(language, folders, languages), tmp)
    return Path(out_dir).resolve()


def _check_columns(name: str, table: pd.DataFrame | None, columns: tuple[str, ...]) -> None:
    """Refuse an optional input table that lacks a column the pages show."""
    missing = [] if table is None else [c for c in columns if c not in table.columns]
    if missing:
        raise ReportError(
            f"Cannot render reports: {name} lacks the column(s) {missing}; expected "
            f"{list(columns)}, found {list(table.columns) if table is not None else []}."
        )


class _Site:
    """The inputs shared by every page of one rendering."""

    def __init__(
        self,
        result: IndexResult,
        year: int,
        languages: tuple[str, ...],
        rank_intervals: pd.DataFrame | None,
        targets: pd.DataFrame | None,
        full_framework: Framework | None,
    ) -> None:
        self.result = result
        self.full_framework = full_framework or result.framework
        self.year = year
        self.languages = languages
        self.rank_intervals = rank_intervals
        self.targets = targets
        self.edition = report_views.Edition.of(result, year)
        self.ranking = report_views.ranking_rows(result, year, rank_intervals)
        self.countries = self.edition.order(result.framework.root)


# -- templates -----------------------------------------------------------------------------
def _environment(
    language: str, folders: list[Path], languages: tuple[str, ...]
) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([folder / "templates" for folder in folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    catalogue = translations(language, folders)
    environment.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]
    environment.filters.update(filters(language))
    environment.globals.update(
        language=language,
        languages=languages,
        language_name=language_name,
        gettext_for_charts=catalogue.gettext,
    )
    return environment


# -- pages ---------------------------------------------------------------------------------
def page_name(
    kind: str, language: str, languages: Sequence[str], *, country: str = "", year: int = 0
) -> str:
    """File name of a page: ``index``, ``methodology`` or ``country`` in a language."""
    stem = f"{country}-{year}" if kind == "country" else _PAGES[kind]
    suffix = "" if language == languages[0] else f".{language}"
    return f"{stem}{suffix}.html"


def _render_language(site: _Site, environment: jinja2.Environment, folder: Path) -> None:
    language = str(environment.globals["language"])
    gettext: Gettext = environment.globals["gettext_for_charts"]  # type: ignore[assignment]
    pages: list[tuple[str, str, Callable[[], dict[str, Any]]]] = [
        ("index.html", "", partial(_overview_context, site, language, gettext)),
        ("methodology.html", "", partial(_methodology_context, site)),
    ]
    pages += [
        ("country.html", country, partial(_country_context, site, language, gettext, country))
        for country in site.countries
    ]
    for template, country, context in pages:
        kind = "country" if country else template.removesuffix(".html")
        name = page_name(kind, language, site.languages, country=country, year=site.year)
        url = _url_helper(site, language, kind, country)
        _render_page(environment, template, folder / name, context, country=country, url=url)


def _url_helper(site: _Site, language: str, kind: str, country: str) -> Callable[..., str]:
    """``url()`` for templates: a page's file name, by default this page's kind and language."""

    def url(target: str = "", *, lang: str = "", code: str = "") -> str:
        page = target or kind
        code = code or (country if page == "country" else "")
        return page_name(page, lang or language, site.languages, country=code, year=site.year)

    return url


def _render_page(
    environment: jinja2.Environment,
    template: str,
    target: Path,
    context: Callable[[], dict[str, Any]],
    *,
    country: str,
    url: Callable[..., str],
) -> None:
    language = str(environment.globals["language"])
    where = f"country {country!r}" if country else "the site"
    try:
        html = environment.get_template(template).render(**context(), url=url)
    except Exception as err:  # a user's template may raise anything: name where it failed
        raise ReportError(
            f"Cannot render template {template!r} for {where} in language {language!r}: "
            f"{type(err).__name__}: {err}"
        ) from err
    target.write_text(html, encoding="utf-8")


def _copy_static(folders: list[Path], assets: Path) -> None:
    """Copy the shipped static files, then the user's over them."""
    assets.mkdir(parents=True, exist_ok=True)
    for folder in reversed(folders):
        static = folder / "static"
        if static.is_dir():
            shutil.copytree(static, assets, dirs_exist_ok=True)


# -- page contexts -------------------------------------------------------------------------
Gettext = Callable[[str], str]


def _floats(values: Iterable[float | None]) -> list[float]:
    """Missing values as NaN, which the charts leave out."""
    return [math.nan if value is None else value for value in values]


def _common(site: _Site) -> dict[str, Any]:
    framework = site.result.framework
    pillars = [framework.nodes[code] for code in framework.children(framework.root)]
    return {"year": site.year, "framework": framework, "root": framework.root,
            "pillars": pillars, "countries": site.countries}  # fmt: skip


def _overview_context(site: _Site, language: str, gettext: Gettext) -> dict[str, Any]:
    common = _common(site)
    rows = site.ranking
    return {
        **common,
        "rows": rows,
        "previous_year": report_views.previous_year(site.result, site.year),
        "has_intervals": site.rank_intervals is not None,
        "edition": site.edition,
        "heat_map": Markup(_heat_map(site, common["pillars"], language, gettext)),
        "tile_map": Markup(_tile_map(site, rows, language, gettext)),
        "interval_chart": Markup(_interval_chart(rows, language, gettext)),
    }


def _interval_chart(rows: list[report_views.RankingRow], language: str, gettext: Gettext) -> str:
    """The rank intervals of every country in one chart (empty without an uncertainty run)."""
    shown = [row for row in rows if row.interval is not None and row.rank is not None]
    if not shown:
        return ""
    text = charts.ChartText(
        "rank-intervals",
        gettext("Rank intervals of every country"),
        gettext(
            "For each country, its rank (dot) and the range of ranks from the 5th to the "
            "95th percentile of the uncertainty analysis (line). The same numbers are in "
            "the ranking table."
        ),
    )
    return charts.rank_intervals(
        [country_label(row.country, language) for row in shown],
        [float(row.rank) for row in shown if row.rank is not None],
        [(float(row.interval[0]), float(row.interval[1])) for row in shown if row.interval],
        legend=(gettext("Rank"), gettext("Rank interval (5th–95th percentile)")),
        axis_label=gettext("Rank"),
        text=text,
    )


def _heat_map(site: _Site, pillars: list[Any], language: str, gettext: Gettext) -> str:
    values = [[site.edition.score(country, pillar.code) for pillar in pillars]
              for country in site.countries]  # fmt: skip
    text = charts.ChartText(
        "heat-map",
        gettext("Pillar scores of every country"),
        gettext(
            "Heat map of the pillar scores (0 to 100) of every country, best ranked "
            "first; darker cells are lower scores. The same numbers are in the table "
            "below the chart."
        ),
    )
    return charts.heat_map(
        [country_label(country, language) for country in site.countries],
        [pillar.name for pillar in pillars],
        [_floats(row) for row in values],
        text=text,
        colour_label=gettext("Score"),
        number_format=partial(format_number, language=language, digits=0),
    )


def _tile_map(
    site: _Site, rows: list[report_views.RankingRow], language: str, gettext: Gettext
) -> str:
    tiles = {
        EXCEPTIONS.get(row.country, row.country): (
            math.nan if row.score is None else row.score,
            page_name("country", language, site.languages, country=row.country, year=site.year),
        )
        for row in rows
    }
    text = charts.ChartText(
        "tile-map",
        gettext("Map of the index scores"),
        gettext(
            "Tile-grid map of Europe: one square per country, placed roughly where the "
            "country lies and coloured by its index score; darker is lower. Each square "
            "links to the country's report. The ranking table gives the same numbers."
        ),
    )
    return charts.tile_map(
        tiles,
        text=text,
        colour_label=gettext("Index score"),
        number_format=partial(format_number, language=language, digits=0),
    )


def _pillar_rows(site: _Site, country: str) -> list[dict[str, Any]]:
    edition = site.edition
    rows = []
    for pillar in _common(site)["pillars"]:
        best_country, best_score = edition.best(pillar.code)
        rows.append({"node": pillar, "score": edition.score(country, pillar.code),
                     "rank": edition.rank(country, pillar.code),
                     "eu_average": edition.eu_average(pillar.code),
                     "best_country": best_country, "best_score": best_score})  # fmt: skip
    return rows


def _country_context(site: _Site, language: str, gettext: Gettext, country: str) -> dict[str, Any]:
    result = site.result
    rows = report_views.indicator_rows(result, country, site.year, site.edition)
    strongest, weakest = report_views.strongest_and_weakest(rows)
    overview = {row.country: row for row in site.ranking}
    pillars = _pillar_rows(site, country)
    trend = report_views.trend_rows(result, country)
    return {
        **_common(site),
        "country": country,
        "overall": overview[country],
        "pillar_rows": pillars,
        "groups": [
            (pillar["node"], [row for row in rows if row.pillar == pillar["node"].code])
            for pillar in pillars
        ],
        "strongest": strongest,
        "weakest": weakest,
        "trend": trend,
        "targets": report_views.target_rows(site.targets, site.full_framework, country),
        "context_groups": _context_groups(site, country),
        "profile_chart": Markup(_profile_chart(pillars, country, language, gettext)),
        "trend_chart": Markup(_trend_chart(trend, country, language, gettext))
        if len(trend) > 1
        else None,
    }


def _context_groups(site: _Site, country: str) -> list[tuple[Any, list[Any]]]:
    """Inactive indicators by their pillar, for the context section."""
    framework = site.full_framework
    rows = report_views.context_rows(site.result, framework, country, site.year)
    pillars = dict.fromkeys(row.pillar for row in rows)
    return [(framework.nodes[code], [row for row in rows if row.pillar == code])
            for code in pillars]  # fmt: skip


def _profile_chart(
    pillars: list[dict[str, Any]], country: str, language: str, gettext: Gettext
) -> str:
    name = country_label(country, language)
    text = charts.ChartText(
        "profile-chart",
        gettext("Pillar profile of %(country)s") % {"country": name},
        gettext(
            "Bars: the pillar scores (0 to 100) of %(country)s. Orange line: the EU "
            "average. Black diamond: the best performer. The table below gives the "
            "numbers."
        )
        % {"country": name},
    )
    return charts.pillar_profile(
        [row["node"].name for row in pillars],
        _floats(row["score"] for row in pillars),
        _floats(row["eu_average"] for row in pillars),
        _floats(row["best_score"] for row in pillars),
        legend=(name, gettext("EU average"), gettext("Best performer")),
        axis_label=gettext("Score (0 to 100)"),
        text=text,
        number_format=partial(format_number, language=language, digits=0),
    )


def _trend_chart(trend: list[dict[str, Any]], country: str, language: str, gettext: Gettext) -> str:
    name = country_label(country, language)
    text = charts.ChartText(
        "trend-chart",
        gettext("Index score of %(country)s over the editions") % {"country": name},
        gettext(
            "Line chart of the index score of %(country)s in each edition; the table "
            "below gives the scores and ranks."
        )
        % {"country": name},
    )
    return charts.trend(
        [row["year"] for row in trend],
        _floats(row["score"] for row in trend),
        text=text,
        axis_label=gettext("Index score"),
        number_format=partial(format_number, language=language, digits=1),
    )


def _methodology_context(site: _Site) -> dict[str, Any]:
    result = site.result
    return {
        **_common(site),
        "tree": report_views.framework_tree(site.full_framework, result.framework),
        "record": report_views.methodology_rows(result.methodology.to_mapping()),
        "sources": report_views.source_rows(result, site.full_framework),
        "hashes": [
            ("framework", result.framework_hash),
            ("data", result.data_hash),
            ("methodology", result.methodology_hash),
        ],
    }
