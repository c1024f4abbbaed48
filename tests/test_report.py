"""Tests of the reports: golden pages, every number against the result, escaping,
atomic writing, languages, catalogues and the ``report`` command.

Goldens live in ``tests/data/golden/``; the charts' SVG drawing is replaced there by
its title and description (the drawing depends on matplotlib's version, the text
does not). Regenerate with ``UPDATE_GOLDEN=1 pytest tests/test_report.py``.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from click.testing import CliRunner

from readiness_index import build, load_framework, read_data
from readiness_index.cli.report import report
from readiness_index.engine.results import IndexResult
from readiness_index.errors import ReportError
from readiness_index.io.files import bundled_path
from readiness_index.model.framework import Framework
from readiness_index.report.i18n import available_languages, country_label, format_number
from readiness_index.report.site import page_name, render_reports

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "report"
GOLDEN = ROOT / "tests" / "data" / "golden"
YEAR = 2025
LANGUAGES = ("en", "de", "fr")


# -- fixtures ------------------------------------------------------------------------------
def fixture_result() -> IndexResult:
    """The small fixed index: six countries, two editions, mean imputation."""
    framework = load_framework(FIXTURE / "framework.yaml")
    data = read_data(FIXTURE / "data.csv", framework=framework)
    return build(framework, data, {"impute": {"method": "mean"}})


def fixture_targets() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"country": "AT", "indicator": "cloud", "latest_year": 2025, "latest_value": 47.33,
             "target": 75.0, "target_year": 2030, "gap": 27.67, "required_cagr": 0.0964,
             "observed_cagr": -0.0203, "status": "off track"},
            {"country": "AT", "indicator": "basic_skills", "latest_year": 2025,
             "latest_value": 62.03, "target": 80.0, "target_year": 2030, "gap": 17.97,
             "required_cagr": 0.0522, "observed_cagr": float("nan"), "status": "no trend"},
        ]
    )  # fmt: skip


def fixture_intervals() -> pd.DataFrame:
    return pd.DataFrame({"country": ["AT", "BE", "DE"], "p05": [2, 1, 1], "p95": [5, 3, 4]})


@pytest.fixture(scope="module")
def result() -> IndexResult:
    return fixture_result()


@pytest.fixture(scope="module")
def site(result: IndexResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "site"
    return render_reports(
        result, out, languages=LANGUAGES, targets=fixture_targets(),
        rank_intervals=fixture_intervals(), full_framework=load_framework(FIXTURE),
    )  # fmt: skip


# -- a small reader of the rendered pages --------------------------------------------------
class _Fields(HTMLParser):
    """Collect the text of every element with ``data-field``, keyed by section and row."""

    _KEYS = ("data-indicator", "data-code", "data-country", "data-year")

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[tuple[str, str, str], str] = {}
        self.section = ""
        self.row = ""
        self.capture: list[tuple[str, int]] = []
        self.depth = 0
        self.text: dict[int, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in {"area", "br", "img", "input", "link", "meta"}:
            return
        self.depth += 1
        if tag == "section":
            self.section, self.row = str(values.get("id") or ""), ""
        for key in self._KEYS:
            if values.get(key):
                self.row = str(values[key])
        if values.get("data-field"):
            self.capture.append((str(values["data-field"]), self.depth))
            self.text[self.depth] = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"area", "br", "img", "input", "link", "meta"}:
            return
        if self.capture and self.capture[-1][1] == self.depth:
            field, depth = self.capture.pop()
            text = " ".join("".join(self.text.pop(depth)).split())
            self.fields[(self.section, self.row, field)] = text
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        for _, depth in self.capture:
            self.text[depth].append(data)


def read_fields(page: Path) -> dict[tuple[str, str, str], str]:
    parser = _Fields()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.fields


def number(text: str) -> float | None:
    """An English-formatted number shown on a page (``–`` is missing)."""
    text = text.strip()
    if text == "–":
        return None
    return float(text.replace(",", "").split()[0])


def close(shown: str, expected: Any, digits: int) -> bool:
    """Whether the text shown is ``expected`` rounded to ``digits`` decimals."""
    value = number(shown)
    if expected is None or pd.isna(expected):
        return value is None
    assert value is not None, f"shown {shown!r}, expected {expected}"
    return bool(abs(value - float(expected)) <= 0.5 * 10**-digits + 1e-9)


# -- golden pages --------------------------------------------------------------------------
_SVG = re.compile(
    r'<svg id="([^"]+)".*?<title id="[^"]+">(.*?)</title><desc id="[^"]+">(.*?)</desc>.*?</svg>',
    re.DOTALL,
)


def without_drawing(html: str) -> str:
    """The page with each chart's drawing replaced by its id, title and description."""
    return _SVG.sub(r'<svg id="\1"><title>\2</title><desc>\3</desc><!-- drawing --></svg>', html)


@pytest.mark.parametrize(
    "page", ["index.html", "AT-2025.html", "methodology.html", "GR-2025.fr.html"]
)
def test_page_matches_golden(site: Path, page: str) -> None:
    rendered = without_drawing((site / page).read_text(encoding="utf-8"))
    golden = GOLDEN / page
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
    assert golden.exists(), f"no golden {golden}; run with UPDATE_GOLDEN=1 to create it"
    assert rendered == golden.read_text(encoding="utf-8")


def test_rendering_is_byte_for_byte_stable(result: IndexResult, site: Path, tmp_path: Path) -> None:
    again = render_reports(
        result, tmp_path / "again", languages=LANGUAGES, targets=fixture_targets(),
        rank_intervals=fixture_intervals(), full_framework=load_framework(FIXTURE),
    )  # fmt: skip
    for page in sorted(site.glob("*.html")):
        assert (again / page.name).read_bytes() == page.read_bytes(), page.name


def test_site_has_every_page(result: IndexResult, site: Path) -> None:
    countries = sorted(result.scores["country"].unique())
    expected = {
        page_name(kind, language, LANGUAGES, country=country, year=YEAR)
        for language in LANGUAGES
        for kind, country in [("index", ""), ("methodology", ""), ("explorer", ""),
                              ("compare", ""), ("downloads", ""),
                              *(("country", c) for c in countries)]
    }  # fmt: skip
    assert {p.name for p in site.glob("*.html")} == expected
    assert (site / "assets" / "report.css").is_file()
    assert (site / "assets" / "print.css").is_file()


# -- every number against the result -------------------------------------------------------
def test_every_indicator_number_matches_result(result: IndexResult, site: Path) -> None:
    raw = result.datasets["raw"].xs(YEAR, level="year")
    scores = result.scores[result.scores["year"] == YEAR].set_index(["country", "code"])
    checked = 0
    for country in raw.index:
        fields = read_fields(site / f"{country}-{YEAR}.html")
        for code in result.framework.indicator_codes:
            key = ("indicators", code)
            assert close(fields[(*key, "raw")], raw.at[country, code], 2)
            assert close(fields[(*key, "score")], scores.at[(country, code), "score"], 1)
            assert number(fields[(*key, "rank")]) == scores.at[(country, code), "rank"]
            assert close(fields[(*key, "eu_average")], raw[code].mean(), 2)
            checked += 1
    assert checked == 6 * 5


def test_data_year_and_flags_match_result(result: IndexResult, site: Path) -> None:
    at = read_fields(site / f"AT-{YEAR}.html")
    assert at[("indicators", "basic_skills", "data_year")] == "2023"  # from the data_year column
    assert at[("indicators", "cloud", "data_year")] == str(YEAR)
    assert result.flags.at[("BE", YEAR), "hpc"] == "i"
    be = read_fields(site / f"BE-{YEAR}.html")
    assert be[("indicators", "hpc", "flags")] == "imputed"
    assert be[("indicators", "hpc", "raw")] == "–"
    assert be[("indicators", "hpc", "data_year")] == "–"
    assert read_fields(site / f"GR-{YEAR}.html")[("indicators", "cloud", "flags")] == "estimated"
    assert read_fields(site / f"PL-{YEAR}.html")[("indicators", "basic_skills", "flags")] == (
        "provisional"
    )
    assert read_fields(site / f"FR-{YEAR}.html")[("indicators", "ict_specialists", "flags")] == (
        "break in series"
    )


def test_index_and_pillar_numbers_match_result(result: IndexResult, site: Path) -> None:
    root = result.framework.root
    scores = result.scores[result.scores["year"] == YEAR]
    for country in scores["country"].unique():
        fields = read_fields(site / f"{country}-{YEAR}.html")
        mine = scores[scores["country"] == country].set_index("code")
        assert close(fields[("", "", "index-score")], mine.at[root, "score"], 1)
        assert fields[("", "", "index-rank")] == f"{mine.at[root, 'rank']} of 6"
        for pillar in result.framework.children(root):
            assert close(fields[("profile", pillar, "score")], mine.at[pillar, "score"], 1)
            assert fields[("profile", pillar, "rank")] == f"{mine.at[pillar, 'rank']} of 6"
            everyone = scores[scores["code"] == pillar]
            assert close(fields[("profile", pillar, "eu_average")], everyone["score"].mean(), 1)
            best = everyone.sort_values("rank").iloc[0]
            assert fields[("profile", pillar, "best")] == (
                f"{country_label(best['country'], 'en')} ({best['score']:.1f})"
            )


def test_trend_and_overview_numbers_match_result(result: IndexResult, site: Path) -> None:
    root = result.framework.root
    index = result.scores[result.scores["code"] == root].set_index(["country", "year"])
    overview = read_fields(site / "index.html")
    for country in index.index.get_level_values("country").unique():
        now, before = index.loc[(country, YEAR)], index.loc[(country, YEAR - 1)]
        assert close(overview[("ranking", country, "score")], now["score"], 1)
        assert number(overview[("ranking", country, "rank")]) == now["rank"]
        change = before["rank"] - now["rank"]
        shown = overview[("ranking", country, "change")]
        assert shown.split()[1] == (f"{change:+d}" if change else "0")  # after the arrow
        fields = read_fields(site / f"{country}-{YEAR}.html")
        for year in (YEAR - 1, YEAR):
            assert close(
                fields[("trend", str(year), "score")], index.loc[(country, year), "score"], 1
            )
            assert (
                number(fields[("trend", str(year), "rank")]) == index.loc[(country, year), "rank"]
            )
    assert overview[("ranking", "AT", "interval")] == "2–5"
    assert overview[("ranking", "FR", "interval")] == "–"


def test_targets_shown_as_given(site: Path) -> None:
    fields = read_fields(site / f"AT-{YEAR}.html")
    assert fields[("targets", "cloud", "latest_value")] == "47.33 (2025)"
    assert fields[("targets", "cloud", "target")] == "75 (2030)"
    assert fields[("targets", "cloud", "gap")] == "27.67"
    assert fields[("targets", "cloud", "required_cagr")] == "9.6%"
    assert fields[("targets", "cloud", "observed_cagr")] == "-2.0%"
    assert fields[("targets", "cloud", "status")] == "off track"
    assert fields[("targets", "basic_skills", "observed_cagr")] == "–"
    assert fields[("targets", "basic_skills", "status")] == "no trend"
    assert "Digital Decade" in (site / f"AT-{YEAR}.html").read_text(encoding="utf-8")


def test_strongest_and_weakest_pillar_above_the_fold(result: IndexResult, site: Path) -> None:
    pillars = list(result.framework.children(result.framework.root))
    strongest, weakest = result.summary(YEAR).strongest_and_weakest("AT", pillars)
    fields = read_fields(site / f"AT-{YEAR}.html")
    names = result.framework.nodes
    assert fields[("", "", "strongest-pillar")].startswith(
        f"Strongest pillar: {names[strongest].name}"
    )
    assert fields[("", "", "weakest-pillar")].startswith(f"Weakest pillar: {names[weakest].name}")
    assert (
        fields[("", "", "targets-summary")]
        == "2030 targets: 1 off track, 1 without a trend details"
    )


def test_methodology_page_shows_hashes_and_weights(result: IndexResult, site: Path) -> None:
    fields = read_fields(site / "methodology.html")
    assert fields[("reproduce", "", "framework-hash")] == result.framework_hash
    assert fields[("reproduce", "", "data-hash")] == result.data_hash
    assert fields[("reproduce", "", "methodology-hash")] == result.methodology_hash
    for code, weight in result.framework.weights.items():
        assert close(fields[("framework", code, "weight")], weight, 2)
    html = (site / "methodology.html").read_text(encoding="utf-8")
    assert "<code>mean</code>" in html  # the imputation method of the record
    assert "14 Mar 2025" in html  # the data vintage, as a date (British style)


def test_inactive_indicators_shown_as_context(result: IndexResult, site: Path) -> None:
    assert "ai_use" not in result.framework.nodes  # not scored
    de = read_fields(site / f"DE-{YEAR}.html")
    assert de[("context", "ai_use", "raw")] == "19.8"
    assert de[("context", "ai_use", "data_year")] == str(YEAR)
    assert de[("context", "ai_use", "flags")] == "provisional"
    assert close(de[("context", "ai_use", "eu_average")], (20.3 + 24.7 + 19.8 + 11.9 + 8.4) / 5, 2)
    gr = read_fields(site / f"GR-{YEAR}.html")
    assert gr[("context", "ai_use", "raw")] == "–"
    assert ("indicators", "ai_use", "raw") not in de
    tree = (site / "methodology.html").read_text(encoding="utf-8")
    assert 'Adoption (context) <span class="off">(not in the score)</span>' in tree


# -- escaping ------------------------------------------------------------------------------
def test_text_from_data_is_escaped(result: IndexResult, tmp_path: Path) -> None:
    attack = "<script>alert('x')</script>"
    definitions = result.framework.model_dump()
    for node in definitions["indicators"]:
        node.update(
            name=f"{attack} {node['name']}",
            unit=f"{attack}%",
            source={
                "publisher": attack,
                "dataset": attack,
                "note": attack,
                "url": 'https://example.org/"><script>alert(1)</script>',
            },
        )
    for node in definitions["aggregates"]:
        node.update(name=f"{attack}{node['name']}")
    evil = Framework.model_validate(definitions)
    hostile = IndexResult(**{**result.__dict__, "framework": evil})
    site = render_reports(hostile, tmp_path / "site", languages=("en", "fr"))
    for page in site.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>" not in html, page.name  # the pages' own scripts have attributes
        assert "javascript:" not in html, page.name
    country = (site / f"AT-{YEAR}.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in country
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in country  # chart text, by matplotlib


# -- atomic writing and errors -------------------------------------------------------------
def test_failure_leaves_previous_site_untouched(result: IndexResult, tmp_path: Path) -> None:
    out = tmp_path / "site"
    render_reports(result, out, languages=("en",))
    previous = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    templates = tmp_path / "mine" / "templates"
    templates.mkdir(parents=True)
    (templates / "country.html").write_text(
        '{% extends "base.html" %}{% block content %}{{ 1 / 0 if country == "GR" else country }}'
        "{% endblock %}",
        encoding="utf-8",
    )
    with pytest.raises(ReportError, match=r"'country\.html' for country 'GR'") as caught:
        render_reports(result, out, languages=("en",), template_dir=tmp_path / "mine")
    assert "ZeroDivisionError" in str(caught.value)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "site"]  # no temporary left


def test_a_folder_of_other_files_is_never_replaced(result: IndexResult, tmp_path: Path) -> None:
    from readiness_index.errors import DataFileError

    out = tmp_path / "documents"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(DataFileError, match="did not write"):
        render_reports(result, out, languages=("en",))
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_failure_with_no_previous_site_leaves_nothing(result: IndexResult, tmp_path: Path) -> None:
    templates = tmp_path / "mine" / "templates"
    templates.mkdir(parents=True)
    (templates / "methodology.html").write_text("{{ no_such_value }}", encoding="utf-8")
    with pytest.raises(ReportError, match=r"'methodology\.html' for the site in language 'en'"):
        render_reports(result, tmp_path / "site", template_dir=tmp_path / "mine")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_user_templates_override_shipped_ones(result: IndexResult, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    (mine / "templates").mkdir(parents=True)
    (mine / "static").mkdir()
    (mine / "templates" / "index.html").write_text(
        '{% extends "base.html" %}{% block content %}<p id="mine">{{ _("Ranking") }} '
        "{{ countries|length }}</p>{% endblock %}",
        encoding="utf-8",
    )
    (mine / "static" / "extra.css").write_text("p { color: red; }", encoding="utf-8")
    site = render_reports(result, tmp_path / "site", languages=("de",), template_dir=mine)
    assert '<p id="mine">Rangliste 6</p>' in (site / "index.html").read_text(encoding="utf-8")
    assert "Säulenprofil" in (site / "AT-2025.html").read_text(encoding="utf-8")  # shipped
    assert {p.name for p in (site / "assets").iterdir()} >= {"extra.css", "report.css"}


def test_unknown_language_is_refused(result: IndexResult, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"No catalogue for language\(s\) \['xx'\]"):
        render_reports(result, tmp_path / "site", languages=("en", "xx"))
    assert not (tmp_path / "site").exists()


def test_input_tables_without_their_columns_are_refused(
    result: IndexResult, tmp_path: Path
) -> None:
    bad = pd.DataFrame({"country": ["AT"], "low": [1], "high": [2]})
    with pytest.raises(ReportError, match=r"rank_intervals lacks the column\(s\) \['p05', 'p95'\]"):
        render_reports(result, tmp_path / "site", rank_intervals=bad)
    with pytest.raises(ReportError, match=r"targets lacks the column\(s\) \['status'\]"):
        render_reports(result, tmp_path / "site", targets=fixture_targets().drop(columns="status"))
    assert not (tmp_path / "site").exists()


def test_year_not_in_result_is_refused(result: IndexResult, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"year 1999 is not in the result.*2024, 2025"):
        render_reports(result, tmp_path / "site", year=1999)


def test_earlier_edition_can_be_rendered(result: IndexResult, tmp_path: Path) -> None:
    site = render_reports(result, tmp_path / "site", year=2024)
    assert (site / "AT-2024.html").is_file()
    assert "Edition 2024" in (site / "index.html").read_text(encoding="utf-8")


# -- languages -----------------------------------------------------------------------------
def test_languages_translate_text_names_and_numbers(result: IndexResult, site: Path) -> None:
    root = result.framework.root
    score = float(result.ranking(YEAR).set_index("country")["score"]["AT"])
    german = (site / "AT-2025.de.html").read_text(encoding="utf-8")
    french = (site / "AT-2025.fr.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in german and '<html lang="fr">' in french
    assert "<h1>Österreich" in german and "<h1>Autriche" in french
    assert f'data-field="index-score">{format_number(score, "de")}<' in german
    assert "," in format_number(score, "de") and "," in format_number(score, "fr")
    assert "Säulenprofil" in german and "Profil par pilier" in french
    assert "Grèce" in (site / "index.fr.html").read_text(encoding="utf-8")
    assert "14.03.2025" in (site / "methodology.de.html").read_text(encoding="utf-8")
    assert "9,6\u00a0%" in french  # French puts a no-break space before %
    assert root


def test_pages_state_the_stale_limit_in_force(tmp_path: Path) -> None:
    """A stale limit other than two years is given as Babel writes it, never as "two
    years"; without a limit (the fixture's methodology) the pages say nothing of old data."""
    framework = load_framework(FIXTURE / "framework.yaml")
    data = read_data(FIXTURE / "data.csv", framework=framework)
    methodology = {"impute": {"method": "mean"}, "editions": {"stale_after": 3}}
    out = render_reports(
        build(framework, data, methodology), tmp_path / "site", languages=("en", "de"),
        targets=fixture_targets(),
    )  # fmt: skip
    for suffix, limit, two in [("", "3 years", "two years"), (".de", "3 Jahre", "zwei Jahre")]:
        for page in (f"methodology{suffix}.html", f"AT-2025{suffix}.html"):
            text = (out / page).read_text(encoding="utf-8")
            assert f"({limit})" in text, page
            assert two not in text, page
    for page in ("methodology.html", "AT-2025.html"):
        text = (GOLDEN / page).read_text(encoding="utf-8")
        assert "two years" not in text and "Old data" not in text and "too old" not in text


def test_language_links_point_to_the_same_page(site: Path) -> None:
    html = (site / "AT-2025.fr.html").read_text(encoding="utf-8")
    for target in ("AT-2025.html", "AT-2025.de.html", "AT-2025.fr.html", "index.fr.html"):
        assert f'href="{target}"' in html
        assert (site / target).is_file()


def test_catalogues_translate_every_message() -> None:
    with (bundled_path("reports") / "locale" / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    expected = {message.id for message in template if message.id}
    extracted = {
        message
        for _, _, message, *_ in extract_from_dir(
            str(ROOT),
            method_map=[("readiness_index/report/**.py", "python"),
                        ("reports/templates/**.html", "jinja2")],
            options_map={"reports/templates/**.html": {"extensions": "jinja2.ext.do",
                                                         "trimmed": "true"}},
        )
    }  # fmt: skip
    assert extracted == expected, "messages.pot is out of date; see reports/babel.cfg"
    for language in ("de", "fr"):
        path = bundled_path("reports") / "locale" / language / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=language)
        translated = {m.id: m.string for m in catalogue if m.id and m.string and not m.fuzzy}
        assert set(translated) == expected, language
        for msgid, msgstr in translated.items():
            placeholders = sorted(re.findall(r"%\(\w+\)s", str(msgid)))
            assert sorted(re.findall(r"%\(\w+\)s", str(msgstr))) == placeholders, msgid
    assert {"de", "en", "fr"} <= set(available_languages())


# -- charts and self-containment -----------------------------------------------------------
def test_charts_are_accessible_inline_svg(site: Path) -> None:
    for page, count in (("index.html", 3), ("AT-2025.html", 2), ("AT-2025.de.html", 2)):
        html = (site / page).read_text(encoding="utf-8")
        svgs = re.findall(r"<svg\b.*?</svg>", html, re.DOTALL)
        assert len(svgs) == count, page
        for svg in svgs:
            # the map, whose squares are links, is a named group; the other charts images
            assert ('role="group"' if "<a " in svg else 'role="img"') in svg
            assert "aria-labelledby" in svg
            assert re.search(r"<title id=\"[^\"]+\">[^<]+</title><desc id=", svg)
            assert "<text" in svg  # text kept as text (svg.fonttype none)
            assert "<image" not in svg and "base64" not in svg
    assert 'href="AT-2025.html"' in (site / "index.html").read_text(encoding="utf-8")


def test_ids_are_unique_within_each_page(site: Path) -> None:
    for page in site.glob("*.html"):
        ids = re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8"))
        assert len(ids) == len(set(ids)), (page.name, sorted({i for i in ids if ids.count(i) > 1}))


def test_pages_load_nothing_from_outside(site: Path) -> None:
    for page in site.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        for script in re.findall(r"<script\b[^>]*>", html):  # local files and data only
            assert re.fullmatch(
                r'<script (src="assets/\w+\.js" defer|type="application/json" id="[\w-]+")>',
                script,
            ), (page.name, script)
        for match in re.finditer(r'<(?:link|img|source|iframe)\b[^>]*(?:href|src)="([^"]+)"', html):
            assert not re.match(r"[a-z]+:", match.group(1)), (page.name, match.group(1))
            assert (site / match.group(1)).is_file()


# -- the command line ----------------------------------------------------------------------
def test_report_command_on_fixture(tmp_path: Path) -> None:
    out = tmp_path / "site"
    outcome = CliRunner().invoke(report, [
        "--framework", str(FIXTURE / "framework.yaml"), "--data", str(FIXTURE / "data.csv"),
        "--out", str(out), "--lang", "en,de", "--no-editions", "--year", "2025",
    ])  # fmt: skip
    assert outcome.exit_code == 0, outcome.output
    assert "Wrote 22 pages (en, de)" in outcome.output
    assert (out / "index.html").is_file() and (out / "GR-2025.de.html").is_file()


def test_report_command_with_uncertainty_shows_rank_intervals(tmp_path: Path) -> None:
    assumptions = tmp_path / "assumptions.yaml"
    assumptions.write_text("weights_noise: {2: 0.5}\n", encoding="utf-8")
    out = tmp_path / "site"
    outcome = CliRunner().invoke(report, [
        "--framework", str(FIXTURE / "framework.yaml"), "--data", str(FIXTURE / "data.csv"),
        "--out", str(out), "--no-editions", "--uncertainty", str(assumptions),
        "--replications", "200",
    ])  # fmt: skip
    assert outcome.exit_code == 0, outcome.output
    fields = read_fields(out / "index.html")
    intervals = [fields[("ranking", country, "interval")] for country in ("AT", "DE", "GR")]
    assert all(re.fullmatch(r"\d–\d", interval) for interval in intervals), intervals


def test_report_command_reports_errors_without_traceback(tmp_path: Path) -> None:
    outcome = CliRunner().invoke(report, [
        "--framework", str(FIXTURE / "framework.yaml"), "--data", str(FIXTURE / "data.csv"),
        "--out", str(tmp_path / "site"), "--lang", "en,xx", "--no-editions",
    ])  # fmt: skip
    assert outcome.exit_code == 1
    assert "No catalogue for language(s) ['xx']" in outcome.output
    assert "Traceback" not in outcome.output


@pytest.mark.slow
def test_report_command_on_shipped_index(tmp_path: Path) -> None:
    outcome = CliRunner().invoke(report, ["--year", "2025", "--out", str(tmp_path / "site")])
    assert outcome.exit_code == 0, outcome.output
    assert len(list((tmp_path / "site").glob("*-2025.html"))) == 27


def test_per_inhabitant_indicators_show_the_denominated_value() -> None:
    from readiness_index.model.data import prepare_data
    from readiness_index.model.framework import Aggregate, Denominator, Indicator
    from readiness_index.report.views import indicator_rows

    fw = Framework(
        aggregates=(Aggregate(code="index", name="Index"),),
        indicators=(
            Indicator(
                code="flops",
                name="Capacity per inhabitant",
                parent="index",
                unit="TFlop/s per inhabitant",
                denominator="population",
            ),
        ),
        denominators=(Denominator(code="population", name="Population"),),
    )
    rows = pd.DataFrame(
        {
            "country": ["AT", "AT", "BE", "BE"],
            "year": 2025,
            "indicator": ["flops", "population", "flops", "population"],
            "value": [900.0, 9_000_000.0, 100.0, 11_000_000.0],
        }
    )
    result = build(fw, prepare_data(rows, fw), {"denominate": {"enabled": True}})
    (row,) = indicator_rows(result, "AT", 2025)
    assert row.raw == pytest.approx(900.0 / 9_000_000.0)
    assert row.eu_average == pytest.approx((900 / 9e6 + 100 / 11e6) / 2)


def test_an_earlier_editions_targets_use_only_data_up_to_it(tmp_path: Path) -> None:
    from readiness_index.cli.main import main

    out = tmp_path / "site2023"
    run = CliRunner().invoke(main, ["report", "--year", "2023", "--out", str(out)])
    assert run.exit_code == 0, run.output
    page = (out / "AT-2023.html").read_text(encoding="utf-8")
    section = page[page.index('id="targets"') :]
    cells = re.findall(r'data-field="latest_value"[^>]*>.*?<span class="year">\((\d{4})\)', section)
    years = {int(y) for y in cells}
    assert years and max(years) <= 2023
