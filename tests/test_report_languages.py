"""The reports in every official EU language: catalogues, framework text, no English left.

The shipped index is rendered once in all 24 languages (as
``readiness-index report --lang bg,cs,...,sv`` does). Every page type exists in
every language; a non-English page repeats no English text of the English page,
except text marked as not to be translated (``translate="no"``: publishers,
dataset codes, licences), text marked as another language (``lang``: the
language names, English source notes not yet translated), numbers and codes.
Country names are never inflected: a translated sentence puts them after a colon
or in brackets.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner
from markupsafe import escape

from readiness_index import load_framework
from readiness_index.cli.report import report
from readiness_index.io.files import bundled_path
from readiness_index.report.i18n import (
    available_languages,
    country_label,
    sort_countries,
    tailored_collation,
)

LANGUAGES = [
    "bg",
    "cs",
    "da",
    "de",
    "el",
    "en",
    "es",
    "et",
    "fi",
    "fr",
    "ga",
    "hr",
    "hu",
    "it",
    "lt",
    "lv",
    "mt",
    "nl",
    "pl",
    "pt",
    "ro",
    "sk",
    "sl",
    "sv",
]
PAGES = ("index", "DE-2025", "methodology", "explorer", "compare", "downloads")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("languages") / "site"
    run = CliRunner().invoke(
        report, ["--year", "2025", "--lang", ",".join(LANGUAGES), "--out", str(out)]
    )
    assert run.exit_code == 0, run.output
    return out


def name(stem: str, language: str) -> str:
    return f"{stem}.html" if language == LANGUAGES[0] else f"{stem}.{language}.html"


#: Framework text declared in every language: counted even where a page marks it English.
FRAMEWORK_TEXT = {"rationale"}


class _Text(HTMLParser):
    """Visible text segments, leaving out code, charts, untranslatable and foreign text."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.segments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "img", "meta", "link", "input", "area", "hr", "col"}:
            return
        values = dict(attrs)
        framework_text = set((values.get("class") or "").split()) & FRAMEWORK_TEXT
        foreign = tag != "html" and values.get("lang") is not None and not framework_text
        skip = (tag in {"script", "style", "code", "svg", "title"}
                or values.get("translate") == "no" or foreign)  # fmt: skip
        self.stack.append(skip)

    def handle_endtag(self, tag: str) -> None:
        if tag not in {"br", "img", "meta", "link", "input", "area", "hr", "col"} and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not any(self.stack):
            self.segments.append(text)


def segments(page: Path) -> list[str]:
    parser = _Text()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.segments


#: Words that are the same in English and in some of the languages, and correct there.
ALLOWED = {"Code", "Name", "Status", "Data", "Index", "Version", "Licence", "Gap", "Score",
           "Source", "File", "Context", "details",
           "Indicator", "Ranking"}  # fmt: skip
#: Codes: file names, formats (JSON, XLSX), one word without a space holding a dot,
#: an underscore, a digit or only capitals.
CODE = re.compile(r"^(?=\S*[._\d]|[A-Z0-9]+$)\S+$")


def _same_in(language: str) -> set[str]:
    """Country names that CLDR spells alike in English and in ``language`` (Malta, Portugal)."""
    return {country_label(code, language) for code in EU} & {country_label(c, "en") for c in EU}


EU = [
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "EL",
    "ES",
    "FI",
    "FR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
]


def test_every_page_type_in_every_language(site: Path) -> None:
    assert available_languages() == sorted(LANGUAGES)
    for language in LANGUAGES:
        for stem in PAGES:
            page = site / name(stem, language)
            assert page.is_file(), page
            assert f'<html lang="{language}">' in page.read_text(encoding="utf-8")[:200]
    assert len(list(site.glob("*.html"))) == 24 * (27 + 5)


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_no_english_left_on_a_translated_page(site: Path, language: str) -> None:
    for stem in PAGES:
        english = set(segments(site / name(stem, "en")))
        allowed = ALLOWED | _same_in(language)
        repeated = {
            text for text in segments(site / name(stem, language))
            if text in english and re.search(r"[^\W\d_]{4,}", text)
            and text not in allowed and not CODE.match(text)
        }  # fmt: skip
        assert not repeated, f"{name(stem, language)} repeats English: {sorted(repeated)}"


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_the_methodology_page_gives_every_rationale_in_its_language(
    site: Path, language: str
) -> None:
    framework = load_framework()
    page = (site / name("methodology", language)).read_text(encoding="utf-8")
    shown = re.findall(r'<p class="rationale"([^>]*)>(.*?)</p>', page, re.DOTALL)
    expected = [i for i in framework.indicators if i.rationale]
    assert len(shown) == len(expected), language
    assert [attributes for attributes, _ in shown if "lang=" in attributes] == []
    texts = {html.unescape(" ".join(text.split())) for _, text in shown}
    assert texts == {" ".join(framework.text(i.code, "rationale", language).split())
                     for i in expected}  # fmt: skip


def test_a_german_country_page_names_no_indicator_or_pillar_in_english(site: Path) -> None:
    framework = load_framework()
    page = " ".join(segments(site / name("DE-2025", "de")))
    for node in framework.nodes.values():
        assert node.name not in page, node.name
        assert framework.text(node.code, "name", "de") in page or not node.active


def test_every_catalogue_translates_every_message() -> None:
    with (bundled_path("reports") / "locale" / "messages.pot").open("rb") as handle:
        expected = {message.id for message in read_po(handle) if message.id}
    for language in [code for code in LANGUAGES if code != "en"]:
        path = bundled_path("reports") / "locale" / language / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=language)
        translated = {m.id: str(m.string) for m in catalogue if m.id and m.string and not m.fuzzy}
        assert set(translated) == expected, (language, sorted(expected - set(translated)))
        for msgid, msgstr in translated.items():
            placeholders = sorted(re.findall(r"%\(\w+\)s", str(msgid)))
            assert sorted(re.findall(r"%\(\w+\)s", msgstr)) == placeholders, (language, msgid)


def test_country_names_are_never_inflected() -> None:
    """A country name stands alone: after a colon, in brackets, or first."""
    for language in [code for code in LANGUAGES if code != "en"]:
        path = bundled_path("reports") / "locale" / language / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=language)
        for message in catalogue:
            text = str(message.string)
            if "%(country)s" in text:
                assert re.search(r"(: |\()%\(country\)s|^%\(country\)s", text), (language, text)


def test_framework_text_is_declared_in_every_language() -> None:
    framework = load_framework()
    assert set(framework.languages) == set(LANGUAGES)
    for language in [code for code in LANGUAGES if code != "en"]:
        translation = framework.translations[language]
        assert translation.index.name and translation.index.description, language
        for node in framework.nodes.values():
            text = translation.nodes.get(node.code)
            assert text is not None and text.name, (language, node.code)
            if getattr(node, "unit", None) not in (None, "%", "gCO2e/kWh", "EUR/kWh"):
                assert text.unit, (language, node.code)
            target = getattr(node, "target", None)
            if target is not None and target.policy:
                assert text.policy, (language, node.code)
            if getattr(node, "rationale", None):
                assert text.rationale and text.rationale != node.rationale, (language, node.code)


def test_without_icu_names_sort_by_the_default_unicode_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import readiness_index.report.i18n as i18n

    monkeypatch.setattr(i18n, "tailored_collation", lambda: False)
    i18n._collation_key.cache_clear()
    try:
        # Belgien, Österreich, Polen: "Ö" sorts with "O", not after "Z" as code points do
        assert sort_countries(["PL", "AT", "BE"], "de") == ["BE", "AT", "PL"]
        # Česko with C, before Dánsko
        assert sort_countries(["DK", "CZ", "BG"], "cs") == ["BG", "CZ", "DK"]
    finally:
        i18n._collation_key.cache_clear()


def test_articles_and_their_mutations_do_not_decide_the_order() -> None:
    """Maltese and Irish names carry their article (l-Awstrija, an Fhrainc, an tSeicia);
    a list alphabetises them without it, Irish without the mutation the article brings."""
    maltese, irish = sort_countries(EU, "mt"), sort_countries(EU, "ga")
    assert (maltese[0], maltese[-1]) == ("AT", "HU")  # l-Awstrija ... l-Ungerija
    assert maltese.index("CY") < maltese.index("DK") < maltese.index("FR")  # Ċipru, id-Danimarka
    assert (irish[0], irish[-1]) == ("BE", "HU")  # an Bheilg ... an Ungáir
    assert irish.index("IE") < irish.index("FI") < irish.index("FR")  # Éire, an Fhionlainn
    assert irish.index("CZ") > irish.index("RO")  # an tSeicia under S, after an Rómáin


@pytest.mark.skipif(
    not tailored_collation(),
    reason="PyICU is not installed (pip install '.[icu]'): each language's own collation "
    "rules are unavailable",
)
def test_countries_are_listed_in_each_languages_order(site: Path) -> None:
    # Czech sorts "Ch" after "H" and "Č" after "C"
    order = sort_countries(["HR", "IT", "HU", "CZ", "BG", "DK"], "cs")
    assert order == ["BG", "CZ", "DK", "HR", "IT", "HU"]  # Bulharsko Česko Dánsko Chorvatsko
    # Itálie Maďarsko
    page = (site / name("index", "cs")).read_text(encoding="utf-8")
    listing = page[page.index('class="country-list"') :]
    assert listing.index("Chorvatsko") > listing.index("Finsko")
    assert listing.index("Česko") < listing.index("Dánsko")


_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


@pytest.mark.parametrize("stem", ["explorer", "compare"])
def test_german_explorer_and_compare_pages_name_no_indicator_or_pillar_in_english(
    site: Path, stem: str
) -> None:
    """Labels, legends and accessible names use the framework's German text."""
    full = load_framework()
    html = _SCRIPT.sub("", (site / name(stem, "de")).read_text(encoding="utf-8"))
    shown = [node for node in full.active().nodes.values() if f'data-code="{node.code}"' in html]
    assert len(shown) > len(full.children(full.root)), "the page shows no indicator"
    for node in shown:
        german = full.text(node.code, "name", "de") or ""
        if german != node.name:
            assert str(escape(node.name)) not in html, f"{name(stem, 'de')}: {node.name!r}"
        assert str(escape(german)) in html, f"{name(stem, 'de')} lacks {german!r}"
