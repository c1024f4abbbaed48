"""Render an :class:`IndexResult` as a static, multilingual web site.

:func:`render_reports` writes an overview (``index.html``), one report per country,
a methodology page, a weights explorer, a country comparison and a downloads page
(with the edition's tables and replay record in ``downloads/``), in every language
asked for, into a folder that can be opened from disk: no web font, no request
outside the folder; the explorer and the comparison run small hand-written scripts
from ``assets/`` and show the published numbers without them. Each chart is drawn
once for all languages (:mod:`readiness_index.report.reuse`), and pages are rendered
in parallel (:mod:`readiness_index.report.parallel`). Pages are
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
>>> sorted(available_languages())[:6]
['bg', 'cs', 'da', 'de', 'el', 'en']
>>> page_name("country", "de", ("en", "de"), country="AT", year=2025)
'AT-2025.de.html'
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import pandas as pd
from markupsafe import Markup, escape

from readiness_index.errors import ReportError
from readiness_index.io.files import atomic_directory
from readiness_index.io.safe import file_in_folder
from readiness_index.model.countries import EXCEPTIONS
from readiness_index.report import charts, reuse
from readiness_index.report import views as report_views
from readiness_index.report.downloads import write_downloads
from readiness_index.report.explorer import explorer_data
from readiness_index.report.frames import Frames
from readiness_index.report.framing import map_tiles, score_scale
from readiness_index.report.i18n import (
    available_languages,
    check_languages,
    country_label,
    filters,
    format_number,
    format_value,
    language_name,
    template_folders,
    translations,
)
from readiness_index.report.parallel import run_tasks

if TYPE_CHECKING:
    from readiness_index.engine.results import IndexResult
    from readiness_index.model.framework import Framework

__all__ = ["available_languages", "page_name", "render_reports"]

_PAGES = {name: name for name in ("index", "methodology", "explorer", "compare", "downloads")}
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
    jobs: int | None = None,
    progress: bool = False,
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
    jobs : int, optional
        Processes rendering pages; every processor available by default, ``1`` to
        render in this process.
    progress : bool, default False
        Show a progress bar on standard error (the command line does).

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
     'compare.fr.html', 'compare.html', 'downloads.fr.html', 'downloads.html',
     'explorer.fr.html', 'explorer.html', 'index.fr.html', 'index.html',
     'methodology.fr.html', 'methodology.html']
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
    site = _Site(result, year, languages, rank_intervals, targets, full_framework, folders)
    with atomic_directory(out_dir) as tmp:
        _copy_static(folders, tmp / "assets")
        _warm_up(site)
        run_tasks(_render_task, _tasks(site), state=(site, tmp), jobs=jobs, progress=progress)
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
        folders: list[Path],
    ) -> None:
        self.result = result
        self.folders = folders
        self.full_framework = full_framework or result.framework
        self.year = year
        self.languages = languages
        self.rank_intervals = rank_intervals
        self.targets = targets
        self.edition = result.summary(year)
        self.ranking = report_views.ranking_rows(result, year, rank_intervals)
        self.countries = self.edition.order(result.framework.root)
        self.scale = score_scale(result.methodology)
        self.tiles = map_tiles(result.framework, self.countries)
        self.frames = Frames()  # each process lays out its own


# -- templates -----------------------------------------------------------------------------
@cache
def _environment(
    language: str, folders: tuple[Path, ...], languages: tuple[str, ...]
) -> jinja2.Environment:
    """The jinja2 environment of one language (one per process and language)."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([folder / "templates" for folder in folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    catalogue = translations(language, list(folders))
    environment.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]
    environment.filters.update(filters(language))
    environment.globals.update(
        language=language,
        languages=languages,
        language_name=language_name,
        gettext_for_charts=catalogue.gettext,
    )
    return environment


def _gettext(site: _Site, language: str) -> Gettext:
    environment = _environment(language, tuple(site.folders), site.languages)
    gettext: Gettext = environment.globals["gettext_for_charts"]  # type: ignore[assignment]
    return gettext


# -- pages ---------------------------------------------------------------------------------
def page_name(
    kind: str, language: str, languages: Sequence[str], *, country: str = "", year: int = 0
) -> str:
    """File name of a page: ``index``, ``methodology``, ``explorer``, ``compare``,
    ``downloads`` or ``country``, in a language.

    A country page's name is built from the unit's code by
    :func:`~readiness_index.io.safe.file_in_folder`, the one function that turns codes
    into file names (it refuses a code that is not an identifier).

    >>> page_name("country", "de", ["en", "de"], country="AT", year=2025)
    'AT-2025.de.html'
    """
    suffix = "" if language == languages[0] else f".{language}"
    if kind == "country":
        return file_in_folder(".", country, f"-{year}{suffix}.html").name
    return f"{_PAGES[kind]}{suffix}.html"


Contexts = dict[str, dict[str, Any]]


def _tasks(site: _Site) -> list[str]:
    """The pieces of work: each site-wide page, then each country (all languages each)."""
    return [*_SITE_PAGES, "downloads", *site.countries]


def _warm_up(site: _Site) -> None:
    """Compile every template of every language once, before the workers fork."""
    for language in site.languages:
        environment = _environment(language, tuple(site.folders), site.languages)
        for kind in ("index", "methodology", "explorer", "compare", "downloads", "country"):
            # a broken template is raised again by its page's task, naming page and language
            with contextlib.suppress(jinja2.TemplateError):
                environment.get_template(f"{kind}.html")


def _render_task(state: tuple[_Site, Path], task: str) -> int:
    """Render one page kind (or one country's report) in every language; pages written."""
    site, folder = state
    if task == "downloads":
        kind, country, contexts = task, "", _downloads_contexts(site, folder)
    elif task in _SITE_PAGES:
        kind, country, contexts = task, "", _SITE_PAGES[task](site)
    else:
        kind, country, contexts = "country", task, _country_contexts(site, task)
    for language in site.languages:
        environment = _environment(language, tuple(site.folders), site.languages)
        name = page_name(kind, language, site.languages, country=country, year=site.year)
        url = _url_helper(site, language, kind, country)
        template = f"{kind}.html"
        contexts[language].update(_framing(site, language))
        _render_page(
            environment, template, folder / name, contexts[language], country=country, url=url
        )
    return len(site.languages)


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
    context: dict[str, Any],
    *,
    country: str,
    url: Callable[..., str],
) -> None:
    language = str(environment.globals["language"])
    where = f"country {country!r}" if country else "the site"
    try:
        html = environment.get_template(template).render(**context, url=url)
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
Words = Callable[[str, Gettext], list[str]]
Head = Callable[[str, Gettext], tuple[str, str]]


def _framing(site: _Site, language: str) -> dict[str, Any]:
    """What every page says about the index: its average's name, its scale, its targets."""
    gettext = _gettext(site, language)
    reference = site.result.framework.reference_name
    return {
        "tr": partial(_translated, site.full_framework, language),
        "reference_name": reference,
        "average_name": _average_name(reference, gettext),
        "scale": site.scale,
        "scale_words": _scale_words(site.scale, gettext, language),
        "has_targets": site.targets is not None and not site.targets.empty,
    }


def _translated(framework: Framework, language: str, item: Any, field: str = "name") -> str:
    """``tr()`` for templates: a node's (or the index's) text in the page's language.

    ``item`` is a node, a code or the framework itself; text the framework does not
    translate is its English (an empty string when the field is not set).
    """
    code = None if isinstance(item, type(framework)) else str(getattr(item, "code", item))
    if code is not None and code not in framework.nodes:
        return str(getattr(item, field, "") or "")
    return framework.text(code, field, language) or ""


def _average_name(reference: str | None, gettext: Gettext) -> str:
    """The name of the reference average in the language (a framework's own name as given)."""
    if reference is None:
        return gettext("Average of all units")
    if reference == "EU average":  # the shipped index's, translated in the catalogues
        return gettext("EU average")
    return gettext(reference)


def _scale_words(scale: tuple[float, float] | None, gettext: Gettext, language: str) -> str:
    if scale is None:
        return gettext("no fixed range")
    if scale == (0.0, 100.0):
        return gettext("0 to 100")
    low, high = (format_value(bound, language) for bound in scale)
    return gettext("%(lower)s to %(upper)s") % {"lower": low, "upper": high}


def _score_label(site: _Site, gettext: Gettext) -> str:
    return gettext("Score (0 to 100)") if site.scale == (0.0, 100.0) else gettext("Score")


def _floats(values: Iterable[float | None]) -> list[float]:
    """Missing values as NaN, which the charts leave out."""
    return [math.nan if value is None else value for value in values]


@cache
def _drawn(digits: int) -> Callable[[float], str]:
    """Numbers as charts draw them, before each language's notation is swapped in."""
    return partial(format_number, language=reuse.DRAWING_LANGUAGE, digits=digits)


def _chart(
    site: _Site, draw: Callable[[Sequence[str]], str], words: Words, head: Head
) -> dict[str, Markup]:
    """One chart in every language of the site, drawn once where the words allow."""
    gettexts = {language: _gettext(site, language) for language in site.languages}
    svgs = reuse.draw_once(
        draw,
        {language: words(language, gettext) for language, gettext in gettexts.items()},
        {language: head(language, gettext) for language, gettext in gettexts.items()},
    )
    return {language: Markup(svg) for language, svg in svgs.items()}


def _per_language(
    site: _Site, common: dict[str, Any], charts_: dict[str, dict[str, Markup]]
) -> Contexts:
    return {
        language: {**common, **{name: svgs[language] for name, svgs in charts_.items()}}
        for language in site.languages
    }


def _common(site: _Site) -> dict[str, Any]:
    framework = site.result.framework
    pillars = [framework.nodes[code] for code in framework.children(framework.root)]
    return {"year": site.year, "framework": framework, "root": framework.root,
            "pillars": pillars, "countries": site.countries}  # fmt: skip


def _overview_contexts(site: _Site) -> Contexts:
    common = _common(site)
    rows = site.ranking
    context = {
        **common,
        "rows": rows,
        "previous_year": report_views.previous_year(site.result, site.year),
        "has_intervals": site.rank_intervals is not None,
        "edition": site.edition,
    }
    drawn = {"heat_map": _heat_map(site, common["pillars"]), "tile_map": _tile_map(site, rows)}
    drawn["interval_chart"] = _interval_chart(site, rows)
    return _per_language(site, context, drawn)


def _interval_chart(site: _Site, rows: list[report_views.RankingRow]) -> dict[str, Markup]:
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


def _heat_map(site: _Site, pillars: list[Any]) -> dict[str, Markup]:
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


def _tile_map(site: _Site, rows: list[report_views.RankingRow]) -> dict[str, Markup]:
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


def _tile_code(site: _Site, country: str) -> str:
    """The unit's square on the map: its own code, or its ISO code (``EL`` -> ``GR``)."""
    return country if country in site.tiles else EXCEPTIONS.get(country, country)


def _relink(site: _Site, svgs: dict[str, Markup], scores: dict[str, Any]) -> dict[str, Markup]:
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


def _pillar_rows(site: _Site, country: str) -> list[dict[str, Any]]:
    edition = site.edition
    rows = []
    for pillar in _common(site)["pillars"]:
        code = pillar.code
        best = edition.best(code)
        rows.append({"node": pillar, "score": edition.score(country, code),
                     "rank": edition.rank(country, code), "tied": edition.is_tied(country, code),
                     "eu_average": edition.eu_average(code), "best": best,
                     "best_score": edition.score(best[0], code) if best else None})  # fmt: skip
    return rows


def _country_contexts(site: _Site, country: str) -> Contexts:
    result = site.result
    rows = report_views.indicator_rows(result, country, site.year, site.edition)
    overview = {row.country: row for row in site.ranking}
    pillars = _pillar_rows(site, country)
    trend = report_views.trend_rows(result, country, tuple(row["node"].code for row in pillars))
    codes = [row["node"].code for row in pillars]
    strong_pillar, weak_pillar = site.edition.strongest_and_weakest(country, codes)
    context = {
        **_common(site),
        "country": country,
        "strongest_pillar": result.framework.nodes[strong_pillar] if strong_pillar else None,
        "weakest_pillar": result.framework.nodes[weak_pillar] if weak_pillar else None,
        "pillar_rank": {row["node"].code: row["rank"] for row in pillars},
        "status_counts": report_views.target_status_counts(site.targets, country),
        "stale": report_views.stale_rows(rows, site.edition.stale(country)),
        "overall": overview[country],
        "pillar_rows": pillars,
        "groups": [
            (pillar["node"], [row for row in rows if row.pillar == pillar["node"].code])
            for pillar in pillars
        ],
        "trend": trend,
        "targets": report_views.target_rows(site.targets, site.full_framework, country),
        "context_groups": _context_groups(site, country),
    }
    no_chart = dict.fromkeys(site.languages, None)
    drawn = {
        "profile_chart": _profile_chart(site, pillars, country),
        "trend_chart": _trend_chart(site, trend, pillars, country) if len(trend) > 1 else no_chart,
    }
    return _per_language(site, context, drawn)  # type: ignore[arg-type]


def _context_groups(site: _Site, country: str) -> list[tuple[Any, list[Any]]]:
    """Inactive indicators by their pillar, for the context section."""
    framework = site.full_framework
    rows = report_views.context_rows(site.result, framework, country, site.year)
    pillars = dict.fromkeys(row.pillar for row in rows)
    return [(framework.nodes[code], [row for row in rows if row.pillar == code])
            for code in pillars]  # fmt: skip


def _profile_chart(site: _Site, pillars: list[dict[str, Any]], country: str) -> dict[str, Markup]:
    framework = site.full_framework

    def words(language: str, gettext: Gettext) -> list[str]:
        name = country_label(country, language)
        average = _framing(site, language)["average_name"]
        names = [framework.text(row["node"].code, "name", language) or "" for row in pillars]
        return [name, average, gettext("Best performer"), _score_label(site, gettext), *names]

    def head(language: str, gettext: Gettext) -> tuple[str, str]:
        name = country_label(country, language)
        title = gettext("Pillar profile of %(country)s") % {"country": name}
        if site.result.framework.reference_name != "EU average" or site.scale != (0.0, 100.0):
            average = _framing(site, language)["average_name"]
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
    site: _Site, trend: list[dict[str, Any]], pillars: list[dict[str, Any]], country: str
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


def _methodology_contexts(site: _Site) -> Contexts:
    return dict.fromkeys(site.languages, _methodology_context(site))


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


def _explorer_contexts(site: _Site) -> Contexts:
    framework = site.result.framework
    common = _common(site)
    indicators_of = {
        pillar.code: [
            node for _, node in _subtree(framework, pillar.code) if node.code != pillar.code
        ]
        for pillar in common["pillars"]
    }
    context = {**common, "rows": site.ranking, "weights": site.result.weights,
               "indicators_of": indicators_of,
               "explorer": explorer_data(site.result, site.year)}  # fmt: skip
    return {language: {**context, "names": _names(site, language)} for language in site.languages}


def _subtree(framework: Framework, code: str) -> list[tuple[int, Any]]:
    """``code`` and every node below it, depth first, with their depth below ``code``."""
    out = [(0, framework.nodes[code])]
    for child in framework.children(code):
        out += [(depth + 1, node) for depth, node in _subtree(framework, child)]
    return out


def _names(site: _Site, language: str) -> dict[str, str]:
    return {country: country_label(country, language) for country in site.countries}


def _compare_contexts(site: _Site) -> Contexts:
    framework = site.result.framework
    edition = site.edition
    rows = [
        {"depth": depth, "node": node, "is_indicator": framework.levels[node.code] == 1,
         "average": edition.eu_average(node.code),
         "scores": [edition.score(country, node.code) for country in site.countries]}
        for depth, node in framework.walk()
    ]  # fmt: skip
    context = {**_common(site), "rows": rows, "chosen": site.countries[:2]}
    return dict.fromkeys(site.languages, context)


def _downloads_contexts(site: _Site, folder: Path) -> Contexts:
    """The downloads page, after writing the files it lists (a task like the others)."""
    result = site.result
    downloads = write_downloads(result, site.year, folder)
    context = {**_common(site), "downloads": downloads,
               "hashes": [("framework", result.framework_hash), ("data", result.data_hash),
                          ("methodology", result.methodology_hash)]}  # fmt: skip
    return dict.fromkeys(site.languages, context)


_SITE_PAGES: dict[str, Callable[[_Site], Contexts]] = {
    "index": _overview_contexts,
    "methodology": _methodology_contexts,
    "explorer": _explorer_contexts,
    "compare": _compare_contexts,
}
