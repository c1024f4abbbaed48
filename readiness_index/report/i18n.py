"""Languages of the reports: catalogues, and Babel formatting of numbers, dates and names.

User-facing strings live in gettext catalogues, ``reports/locale/<code>/LC_MESSAGES/
messages.po``, compiled in memory when a site is rendered (no build step). English is
the source language and is formatted in British style. Numbers, percentages, dates,
lists and country names follow the language's CLDR conventions through Babel.

Examples
--------
>>> sorted(available_languages())[:6]
['bg', 'cs', 'da', 'de', 'el', 'en']
>>> format_number(1234.56, "fr"), country_label("EL", "de")
('1\u202f234,6', 'Griechenland')
"""

from __future__ import annotations

import io
import math
import os
import re
from collections.abc import Callable, Iterable
from datetime import date
from functools import cache, partial
from pathlib import Path
from typing import Any, Literal, cast

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations
from babel.units import format_unit
from markupsafe import Markup, escape

from readiness_index.errors import ReportError
from readiness_index.io.files import bundled_path
from readiness_index.model.countries import EXCEPTIONS

__all__ = [
    "available_languages",
    "check_languages",
    "country_label",
    "css_string",
    "filters",
    "format_day",
    "format_listing",
    "format_number",
    "format_share",
    "format_signed",
    "format_value",
    "format_years",
    "language_name",
    "sort_countries",
    "sorting_name",
    "template_folders",
    "translations",
]

_MISSING = "–"
_FORMATTING_LOCALES = {"en": "en_GB"}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MONTH = re.compile(r"^\d{4}-\d{2}$")


# -- languages and catalogues -------------------------------------------------------------
def available_languages(template_dir: str | os.PathLike[str] | None = None) -> list[str]:
    """Codes of the languages reports can be written in: English plus every catalogue."""
    found = {"en"}
    for folder in template_folders(template_dir):
        found |= {po.parent.parent.name for po in (folder / "locale").glob("*/LC_MESSAGES/*.po")}
    return sorted(found)


def template_folders(template_dir: str | os.PathLike[str] | None) -> list[Path]:
    """The user's folder (searched first) and the shipped ``reports/`` folder."""
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


def check_languages(languages: tuple[str, ...], folders: list[Path]) -> None:
    """Refuse languages without a catalogue, naming the ones available."""
    known = available_languages(folders[0] if len(folders) > 1 else None)
    unknown = [language for language in languages if language not in known]
    if not languages or unknown:
        raise ReportError(
            f"No catalogue for language(s) {unknown or '(none given)'}; available: {known}. "
            "Add reports/locale/<code>/LC_MESSAGES/messages.po to add a language."
        )


def translations(language: str, folders: list[Path]) -> NullTranslations:
    """The catalogue of ``language``, compiled in memory from the first ``.po`` found."""
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


@cache
def _locale(language: str) -> Locale:
    """The Babel locale that formats ``language``: English follows British conventions."""
    return Locale.parse(_FORMATTING_LOCALES.get(language, language))


def language_name(code: str) -> str:
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
    """A raw value: up to two decimals, or three significant digits below 0.1.

    Small values (per inhabitant, say) keep their significant digits instead of
    rounding to zero.

    >>> format_value(0.5, "fr"), format_value(12.0, "en"), format_value(0.000412, "en")
    ('0,5', '12', '0.000412')
    """
    if value is None or math.isnan(value):
        return _MISSING
    pattern = "@@#" if 0 < abs(value) < 0.1 else "#,##0.##"
    return str(format_decimal(value, format=pattern, locale=_locale(language)))


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


def sort_countries(codes: Iterable[str], language: str) -> list[str]:
    """Country codes sorted by their names in ``language``.

    With PyICU installed (the ``icu`` extra), names are sorted by the language's own
    collation rules (Czech puts "Ch" after "H"); without it, by the Unicode Collation
    Algorithm's default order (pyuca), which already sorts "Österreich" with "O" and
    "Česko" with "C", but knows no language's own rules.

    >>> sort_countries(["AT", "DE", "CZ"], "cs"), sort_countries(["AT", "DE", "CZ"], "en")
    (['CZ', 'DE', 'AT'], ['AT', 'CZ', 'DE'])
    """
    key = _collation_key(language)
    return sorted(codes, key=lambda code: key(_sorting_label(code, language)))


#: Maltese names carry the article (il-Ġermanja, l-Awstrija, iċ-Ċekja), which the
#: alphabet skips.
_MALTESE_ARTICLE = re.compile(r"^i?[lċdnrstxżz]-")
#: Irish names carry the article "an" and its mutation (an Fhrainc, an tSeicia, an
#: t-Iarann), which the alphabet skips: Fhrainc under F, tSeicia under S.
_IRISH_ARTICLE = re.compile(r"^an (?:t-?(?=[AEIOUÁÉÍÓÚS]))?")
_LENITED = re.compile(r"^([BCDFGMPST])h")


def _sorting_label(code: str, language: str) -> str:
    return sorting_name(country_label(code, language), language)


def sorting_name(name: str, language: str) -> str:
    """The name as a list in ``language`` alphabetises it: without a leading article
    (Maltese, Irish) and without the initial mutation the Irish article brings.

    >>> sorting_name("l-Awstrija", "mt"), sorting_name("iċ-Ċekja", "mt")
    ('Awstrija', 'Ċekja')
    >>> [sorting_name(name, "ga") for name in ("an Fhrainc", "an tSeicia", "an Danmhairg", "Éire")]
    ['Frainc', 'Seicia', 'Danmhairg', 'Éire']
    """
    if language == "mt":
        return _MALTESE_ARTICLE.sub("", name, count=1)
    if language == "ga":
        rest = _IRISH_ARTICLE.sub("", name, count=1)
        return _LENITED.sub(r"\1", rest, count=1) if rest != name else rest
    return name


def tailored_collation() -> bool:
    """Whether PyICU is installed, so that sorting follows each language's own rules."""
    try:
        import icu  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _default_collator() -> Any:
    from pyuca import Collator as UcaCollator  # the default table is read once

    return UcaCollator()


@cache
def _collation_key(language: str) -> Callable[[str], Any]:
    if not tailored_collation():
        return cast(Callable[[str], Any], _default_collator().sort_key)
    from icu import Collator
    from icu import Locale as IcuLocale

    collator = Collator.createInstance(IcuLocale(_FORMATTING_LOCALES.get(language, language)))
    return cast(Callable[[str], Any], collator.getSortKey)


def format_listing(
    items: Iterable[Any], language: str, style: Literal["standard", "or"] = "standard"
) -> Markup:
    """Join items as a list in the language (``a, b et c``), each item escaped.

    ``style`` is a CLDR list style: ``"standard"`` (and) or ``"or"``.

    >>> str(format_listing(["<b>", "c"], "en")), str(format_listing(["a", "b"], "fr", "or"))
    ('&lt;b&gt; and c', 'a ou b')
    """
    joined = format_list([str(escape(item)) for item in items], style, locale=_locale(language))
    return Markup(joined)


def format_years(count: int, language: str) -> str:
    """A number of years as the language writes it standing alone (CLDR units).

    >>> format_years(3, "en"), format_years(3, "de"), format_years(1, "de")
    ('3 years', '3 Jahre', '1 Jahr')
    """
    return str(format_unit(count, "duration-year", length="long", locale=_locale(language)))


def css_string(text: str) -> Markup:
    r"""Text as the inside of a CSS string (``content: "..."``), safe in a ``<style>``.

    >>> print(css_string('Index "A" </style>!'))
    Index \22 A\22  \3c /style\3e !
    """
    out = "".join(f"\\{ord(c):x} " if c in '\\"<>\n\r' else c for c in str(text))
    return Markup(out)


def filters(language: str) -> dict[str, Callable[..., Any]]:
    """The jinja2 filters that format values in ``language``."""
    return {
        "number": partial(format_number, language=language),
        "value": partial(format_value, language=language),
        "share": partial(format_share, language=language),
        "signed": partial(format_signed, language=language),
        "day": partial(format_day, language=language),
        "country": partial(country_label, language=language),
        "listing": partial(format_listing, language=language),
        "sort_countries": partial(sort_countries, language=language),
        "css_string": css_string,
    }
