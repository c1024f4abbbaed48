"""What each page shows: the template context of every page, per language.

The overview, a country's report, the methodology, the weights explorer, the
comparison and the downloads page: each function picks what its template shows out
of the :class:`~readiness_index.report.state.Site` (views of the result, the
page's charts from :mod:`readiness_index.report.pagecharts`) and returns one
context per language. :func:`framing_context` adds what every page says about the
index (its average's name, its scale, whether it has targets).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readiness_index.report import pagecharts
from readiness_index.report import views as report_views
from readiness_index.report.downloads import write_downloads
from readiness_index.report.explorer import explorer_data
from readiness_index.report.framing import average_name, scale_words
from readiness_index.report.i18n import country_label, format_listing, format_years
from readiness_index.report.state import Contexts, Site, gettext_of

if TYPE_CHECKING:
    from markupsafe import Markup

    from readiness_index.model.framework import Framework
    from readiness_index.model.methodology import Methodology

__all__ = [
    "SITE_PAGES",
    "country_contexts",
    "downloads_contexts",
    "framing_context",
    "stale_wording",
]


def framing_context(site: Site, language: str) -> dict[str, Any]:
    """What every page says about the index: its average's name, its scale, its targets."""
    gettext = gettext_of(site, language)
    reference = site.result.framework.reference_name
    return {
        "tr": partial(_translated, site.full_framework, language),
        "reference_name": reference,
        "average_name": average_name(reference, gettext),
        "scale": site.scale,
        "scale_words": scale_words(site.scale, gettext, language),
        "has_targets": site.targets is not None and not site.targets.empty,
        **stale_wording(site.full_framework, site.result.methodology, language),
    }


def stale_wording(framework: Framework, methodology: Methodology, language: str) -> dict[str, Any]:
    """How the pages state the stale-data rule (:meth:`Methodology.stale_after`).

    ``stale_rule`` is ``"two years"`` when every indicator's limit is two years (the
    pages keep their sentences that say so in words), ``"limit"`` for any other
    limit, given in ``stale_limit`` as Babel formats a duration (limits that differ
    by indicator are listed), and ``None`` when no limit is in force: the pages then
    say nothing about old data.

    >>> from readiness_index.model.framework import Aggregate, Framework, Indicator
    >>> from readiness_index.model.methodology import Methodology
    >>> a, b = Indicator(code="a", name="A", parent="i"), Indicator(code="b", name="B",
    ...                                                             parent="i", stale_after=5)
    >>> both = Framework(aggregates=(Aggregate(code="i", name="I"),), indicators=(a, b))
    >>> rule = Methodology.from_mapping({"editions": {"stale_after": 3}})
    >>> stale_wording(both, rule, "de")
    {'stale_rule': 'limit', 'stale_limit': '3 Jahre oder 5 Jahre'}
    >>> only_a = Framework(aggregates=(Aggregate(code="i", name="I"),), indicators=(a,))
    >>> stale_wording(only_a, Methodology(), "en")
    {'stale_rule': None, 'stale_limit': None}
    """
    limits = sorted(
        {methodology.stale_after(indicator) for indicator in framework.indicators} - {math.inf}
    )
    if not limits:
        return {"stale_rule": None, "stale_limit": None}
    if limits == [2.0]:
        return {"stale_rule": "two years", "stale_limit": None}
    words = [format_years(int(limit), language) for limit in limits]
    return {"stale_rule": "limit", "stale_limit": str(format_listing(words, language, "or"))}


def _translated(framework: Framework, language: str, item: Any, field: str = "name") -> str:
    """``tr()`` for templates: a node's (or the index's) text in the page's language.

    ``item`` is a node, a code or the framework itself; text the framework does not
    translate is its English (an empty string when the field is not set).
    """
    code = None if isinstance(item, type(framework)) else str(getattr(item, "code", item))
    if code is not None and code not in framework.nodes:
        return str(getattr(item, field, "") or "")
    return framework.text(code, field, language) or ""


def _per_language(
    site: Site, common: dict[str, Any], charts_: Mapping[str, Mapping[str, Markup | None]]
) -> Contexts:
    return {
        language: {**common, **{name: svgs[language] for name, svgs in charts_.items()}}
        for language in site.languages
    }


def _common(site: Site) -> dict[str, Any]:
    framework = site.result.framework
    pillars = [framework.nodes[code] for code in framework.children(framework.root)]
    return {"year": site.year, "framework": framework, "root": framework.root,
            "pillars": pillars, "countries": site.countries}  # fmt: skip


def _overview_contexts(site: Site) -> Contexts:
    common = _common(site)
    rows = site.ranking
    context = {
        **common,
        "rows": rows,
        "previous_year": report_views.previous_year(site.result, site.year),
        "has_intervals": site.rank_intervals is not None,
        "edition": site.edition,
    }
    return _per_language(site, context, pagecharts.overview_charts(site, rows, common["pillars"]))


def _pillar_rows(site: Site, country: str) -> list[dict[str, Any]]:
    edition = site.edition
    rows = []
    for pillar, mine in zip(_common(site)["pillars"], site.pillar_standings[country], strict=True):
        code = pillar.code
        best = site.pillar_bests[code]
        rows.append({"node": pillar, "score": mine.score, "rank": mine.rank, "tied": mine.tied,
                     "eu_average": edition.eu_average(code), "best": best,
                     "best_score": edition.score(best[0], code) if best else None})  # fmt: skip
    return rows


def country_contexts(site: Site, country: str) -> Contexts:
    result = site.result
    rows = site.indicator_rows[country]
    overview = {row.country: row for row in site.ranking}
    pillars = _pillar_rows(site, country)
    codes = [row["node"].code for row in pillars]
    trend = report_views.trend_rows(result, country, tuple(codes), site.scores_of.get(country))
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
    drawn = pagecharts.country_charts(site, pillars, trend, country)
    return _per_language(site, context, drawn)


def _context_groups(site: Site, country: str) -> list[tuple[Any, list[Any]]]:
    """Inactive indicators by their pillar, for the context section."""
    framework = site.full_framework
    rows = report_views.context_rows(site.result, framework, country, site.year)
    pillars = dict.fromkeys(row.pillar for row in rows)
    return [(framework.nodes[code], [row for row in rows if row.pillar == code])
            for code in pillars]  # fmt: skip


def _methodology_contexts(site: Site) -> Contexts:
    return dict.fromkeys(site.languages, _methodology_context(site))


def _methodology_context(site: Site) -> dict[str, Any]:
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


def _explorer_contexts(site: Site) -> Contexts:
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


def _names(site: Site, language: str) -> dict[str, str]:
    return {country: country_label(country, language) for country in site.countries}


def _compare_contexts(site: Site) -> Contexts:
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


def downloads_contexts(site: Site, folder: Path) -> Contexts:
    """The downloads page, after writing the files it lists (a task like the others)."""
    result = site.result
    downloads = write_downloads(result, site.year, folder)
    context = {**_common(site), "downloads": downloads,
               "hashes": [("framework", result.framework_hash), ("data", result.data_hash),
                          ("methodology", result.methodology_hash)]}  # fmt: skip
    return dict.fromkeys(site.languages, context)


SITE_PAGES: dict[str, Callable[[Site], Contexts]] = {
    "index": _overview_contexts,
    "methodology": _methodology_contexts,
    "explorer": _explorer_contexts,
    "compare": _compare_contexts,
}
