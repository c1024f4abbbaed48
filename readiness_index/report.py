"""Render an :class:`IndexResult` as a static, multilingual web site.

:func:`render_reports` writes an overview (``index.html``), one report per country
and a methodology page, in every language asked for, into a folder that can be
opened from disk: no script, no web font, no request outside the folder. Pages are
jinja2 templates from ``reports/templates`` (or a user's folder, searched first),
with autoescaping on; user-facing strings come from gettext catalogues in
``reports/locale`` compiled at run time; numbers, percentages, dates and country
names are formatted for the language by Babel. Charts are matplotlib SVG (see
:mod:`readiness_index.charts`).

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

import io
import math
import os
import re
import shutil
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import pandas as pd
from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations
from markupsafe import Markup, escape

from readiness_index import charts, report_views
from readiness_index.countries import EXCEPTIONS
from readiness_index.errors import ReportError
from readiness_index.io import atomic_directory, bundled_path

if TYPE_CHECKING:
    from readiness_index.definitions import Framework
    from readiness_index.results import IndexResult

__all__ = ["available_languages", "page_name", "render_reports"]

_MISSING = "–"
_PAGES = {"index": "index", "methodology": "methodology"}
_FORMATTING_LOCALES = {"en": "en_GB"}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MONTH = re.compile(r"^\d{4}-\d{2}$")


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
        Distance to targets (:mod:`readiness_index.targets`): ``country, indicator,
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
    """
    languages = tuple(languages)
    folders = _template_folders(template_dir)
    _check_languages(languages, folders)
    try:
        year = report_views.edition_year(result, year)
    except KeyError as err:
        raise ReportError(f"Cannot render reports: {err.args[0]}.") from err
    site = _Site(result, year, languages, rank_intervals, targets, full_framework)
    with atomic_directory(out_dir) as tmp:
        _copy_static(folders, tmp / "assets")
        for language in languages:
            _render_language(site, _environment(language, folders, languages), tmp)
    return Path(out_dir).resolve()


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
        self.countries = self.edition.order(result.framework.root)


# -- languages and templates ---------------------------------------------------------------
def available_languages(template_dir: str | os.PathLike[str] | None = None) -> list[str]:
    """Codes of the languages reports can be written in: English plus every catalogue."""
    found = {"en"}
    for folder in _template_folders(template_dir):
        found |= {po.parent.parent.name for po in (folder / "locale").glob("*/LC_MESSAGES/*.po")}
    return sorted(found)


def _template_folders(template_dir: str | os.PathLike[str] | None) -> list[Path]:
    shipped = bundled_path("reports")
    if template_dir is None:
        return [shipped]
    user = Path(template_dir)
    if not user.is_dir():
        raise ReportError(
            f"Template folder {user} does not exist; pass a folder laid out "
            "like reports/ (templates/, static/, locale/)."
        )
    return [user, shipped]


def _check_languages(languages: tuple[str, ...], folders: list[Path]) -> None:
    known = available_languages(folders[0] if len(folders) > 1 else None)
    unknown = [language for language in languages if language not in known]
    if not languages or unknown:
        raise ReportError(
            f"No catalogue for language(s) {unknown or '(none given)'}; available: {known}. "
            "Add reports/locale/<code>/LC_MESSAGES/messages.po to add a language."
        )


def _translations(language: str, folders: list[Path]) -> NullTranslations:
    for folder in folders:
        po_file = folder / "locale" / language / "LC_MESSAGES" / "messages.po"
        if po_file.is_file():
            with po_file.open("rb") as handle:
                catalogue = read_po(handle, locale=language)
            compiled = io.BytesIO()
            write_mo(compiled, catalogue)
            compiled.seek(0)
            return Translations(compiled)
    return NullTranslations()


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
    translations = _translations(language, folders)
    environment.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    environment.filters.update(_filters(language))
    environment.globals.update(
        language=language,
        languages=languages,
        language_name=_language_name,
        gettext_for_charts=translations.gettext,
    )
    return environment


def _locale(language: str) -> Locale:
    """The Babel locale that formats ``language``: English follows British conventions."""
    return Locale.parse(_FORMATTING_LOCALES.get(language, language))


def _language_name(code: str) -> str:
    """The name of a language in itself (``Deutsch``, ``Français``)."""
    return str(Locale.parse(code).get_display_name(code) or code).capitalize()


# -- locale formatting ---------------------------------------------------------------------
def format_number(value: float | None, language: str, digits: int = 1) -> str:
    """A number with ``digits`` decimals in the language's notation (``–`` when missing).

    >>> format_number(1234.56, "de"), format_number(None, "en")
    ('1.234,6', '–')
    """
    if value is None or math.isnan(value):
        return _MISSING
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return str(format_decimal(value, format=pattern, locale=_locale(language)))


def format_value(value: float | None, language: str) -> str:
    """A raw value with up to two decimals (``1 234,5`` in French).

    >>> format_value(0.5, "fr"), format_value(12.0, "en")
    ('0,5', '12')
    """
    if value is None or math.isnan(value):
        return _MISSING
    return str(format_decimal(value, format="#,##0.##", locale=_locale(language)))


def format_share(value: float | None, language: str) -> str:
    """A fraction as a percentage with one decimal, in the language's pattern.

    >>> format_share(0.034, "en"), format_share(0.034, "de")
    ('3.4%', '3,4\xa0%')
    """
    if value is None or math.isnan(value):
        return _MISSING
    locale = _locale(language)
    pattern = str(locale.percent_formats[None].pattern).replace("#,##0", "#,##0.0", 1)
    return str(format_percent(value, format=pattern, locale=locale))


def format_signed(value: int | None, language: str) -> str:
    """A whole number with its sign (``+3``, ``−2``, ``0``).

    >>> format_signed(3, "en"), format_signed(0, "en")
    ('+3', '0')
    """
    if value is None:
        return _MISSING
    return str(format_decimal(value, format="+#,##0;-#,##0", locale=_locale(language))).replace(
        "+0", "0"
    )


def format_day(value: Any, language: str) -> str:
    """A vintage in the language: ISO dates and months formatted, other text as given.

    >>> format_day("2025-03-14", "de"), format_day("2025-10", "fr"), format_day("DESI 2022", "en")
    ('14.03.2025', 'oct. 2025', 'DESI 2022')
    """
    text = str(value)
    if _ISO_DAY.match(text):
        return str(format_date(date.fromisoformat(text), format="medium", locale=_locale(language)))
    if _ISO_MONTH.match(text):
        month = date.fromisoformat(f"{text}-01")
        return str(format_skeleton("yMMM", month, locale=_locale(language)))
    return text


def country_label(code: str, language: str) -> str:
    """The country's name in ``language`` from Babel (Eurostat ``EL`` is Greece).

    >>> country_label("EL", "fr"), country_label("DE", "de")
    ('Grèce', 'Deutschland')
    """
    iso = EXCEPTIONS.get(code, code)
    return str(_locale(language).territories.get(iso, code))


def format_listing(items: Iterable[Any], language: str) -> Markup:
    """Join items as a list in the language (``a, b et c``), each item escaped.

    >>> str(format_listing(["<b>", "c"], "en"))
    '&lt;b&gt; and c'
    """
    return Markup(format_list([str(escape(item)) for item in items], locale=_locale(language)))


def _filters(language: str) -> dict[str, Callable[..., Any]]:
    return {
        "number": partial(format_number, language=language),
        "value": partial(format_value, language=language),
        "share": partial(format_share, language=language),
        "signed": partial(format_signed, language=language),
        "day": partial(format_day, language=language),
        "country": partial(country_label, language=language),
        "listing": partial(format_listing, language=language),
    }


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
    rows = report_views.ranking_rows(site.result, site.year, site.rank_intervals)
    return {
        **common,
        "rows": rows,
        "previous_year": report_views.previous_year(site.result, site.year),
        "has_intervals": site.rank_intervals is not None,
        "edition": site.edition,
        "heat_map": Markup(_heat_map(site, common["pillars"], language, gettext)),
        "tile_map": Markup(_tile_map(site, rows, language, gettext)),
    }


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
    rows = report_views.indicator_rows(result, country, site.year)
    strongest, weakest = report_views.strongest_and_weakest(rows)
    overview = {row.country: row for row in report_views.ranking_rows(
        result, site.year, site.rank_intervals)}  # fmt: skip
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
