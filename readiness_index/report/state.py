"""One rendering of the site: the inputs every page shares, its templates, its file names.

:class:`Site` holds what every page of one rendering needs (the result, the
edition, the languages, the ranking, the scale and the map); :func:`template_environment`
is the jinja2 environment of a language (templates compiled once per process and
language); :func:`page_name` names each page's file.

Examples
--------
>>> page_name("country", "de", ("en", "de"), country="AT", year=2025)
'AT-2025.de.html'
>>> page_name("explorer", "en", ("en", "de"))
'explorer.html'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from readiness_index.io.safe import file_in_folder
from readiness_index.report import views as report_views
from readiness_index.report.frames import Frames
from readiness_index.report.framing import map_tiles, score_scale
from readiness_index.report.i18n import filters, language_name, translations

if TYPE_CHECKING:
    import pandas as pd

    from readiness_index.engine.results import IndexResult
    from readiness_index.model.framework import Framework

__all__ = ["Contexts", "Gettext", "Site", "gettext_of", "page_name", "template_environment"]

#: Each language's template context of a page.
Contexts = dict[str, dict[str, Any]]
#: A catalogue's ``gettext``.
Gettext = Callable[[str], str]

_PAGES = {name: name for name in ("index", "methodology", "explorer", "compare", "downloads")}


class Site:
    """The inputs shared by every page of one rendering (read-only once made)."""

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
        #: Each country's rows of ``result.scores`` (grouped once, not filtered per page).
        self.scores_of = dict(tuple(result.scores.groupby("country", sort=False)))
        #: Each country's indicator rows and its standing on each pillar (picked once).
        self.indicator_rows = report_views.indicator_rows_of(
            result, self.countries, year, self.edition
        )
        self.pillars = list(result.framework.children(result.framework.root))
        self.pillar_standings = report_views.standings(self.edition, self.countries, self.pillars)
        self.pillar_bests = {code: self.edition.best(code) for code in self.pillars}


@cache
def template_environment(
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


def gettext_of(site: Site, language: str) -> Gettext:
    environment = template_environment(language, tuple(site.folders), site.languages)
    gettext: Gettext = environment.globals["gettext_for_charts"]  # type: ignore[assignment]
    return gettext


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
