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
Charts are matplotlib SVG (see :mod:`readiness_index.report.charts`). What each page
shows is in :mod:`readiness_index.report.pages` (its charts in
:mod:`readiness_index.report.pagecharts`), what pages share in
:mod:`readiness_index.report.state`; this module runs the rendering and writes the files.

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
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import pandas as pd

from readiness_index.errors import ReportError
from readiness_index.io.files import atomic_directory
from readiness_index.report import pages
from readiness_index.report import views as report_views
from readiness_index.report.i18n import available_languages, check_languages, template_folders
from readiness_index.report.parallel import run_tasks
from readiness_index.report.state import Site, page_name, template_environment

if TYPE_CHECKING:
    from readiness_index.engine.results import IndexResult
    from readiness_index.model.framework import Framework

__all__ = ["available_languages", "page_name", "render_reports"]

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
    site = Site(result, year, languages, rank_intervals, targets, full_framework, folders)
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


def _tasks(site: Site) -> list[str]:
    """The pieces of work: each site-wide page, then each country (all languages each)."""
    return [*pages.SITE_PAGES, "downloads", *site.countries]


def _warm_up(site: Site) -> None:
    """Compile every template of every language once, before the workers fork."""
    for language in site.languages:
        environment = template_environment(language, tuple(site.folders), site.languages)
        for kind in ("index", "methodology", "explorer", "compare", "downloads", "country"):
            # a broken template is raised again by its page's task, naming page and language
            with contextlib.suppress(jinja2.TemplateError):
                environment.get_template(f"{kind}.html")


def _render_task(state: tuple[Site, Path], task: str) -> int:
    """Render one page kind (or one country's report) in every language; pages written."""
    site, folder = state
    if task == "downloads":
        kind, country, contexts = task, "", pages.downloads_contexts(site, folder)
    elif task in pages.SITE_PAGES:
        kind, country, contexts = task, "", pages.SITE_PAGES[task](site)
    else:
        kind, country, contexts = "country", task, pages.country_contexts(site, task)
    for language in site.languages:
        environment = template_environment(language, tuple(site.folders), site.languages)
        name = page_name(kind, language, site.languages, country=country, year=site.year)
        url = _url_helper(site, language, kind, country)
        template = f"{kind}.html"
        contexts[language].update(pages.framing_context(site, language))
        _render_page(
            environment, template, folder / name, contexts[language], country=country, url=url
        )
    return len(site.languages)


def _url_helper(site: Site, language: str, kind: str, country: str) -> Callable[..., str]:
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
