"""Country codes: resolve publishers' codes and names to ISO 3166-1 alpha-2.

The canonical code of a country in readiness-index is its ISO 3166-1 alpha-2 code
(``GR`` for Greece, ``GB`` for the United Kingdom). Codes and names are resolved
with :mod:`pycountry` (alpha-2, alpha-3, numeric, common and official names, case
insensitive). Three codes used by European publishers are understood on top:
Eurostat's ``EL`` (Greece) and ``UK`` (United Kingdom), and ``XK``/``XKX``
(Kosovo, a user-assigned code used by Eurostat and the World Bank).

Aggregates (the EU, the euro area, World Bank regions) are not countries;
:func:`is_aggregate` recognises Eurostat's aggregate codes and labels.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

from readiness_index.errors import DataValidationError

__all__ = ["EXCEPTIONS", "country_name", "is_aggregate", "to_iso2"]

#: Codes used by publishers that are not ISO 3166-1 (or mean another country there).
EXCEPTIONS: dict[str, str] = {"EL": "GR", "UK": "GB", "XK": "XK", "XKX": "XK"}

_AGGREGATE_CODE = re.compile(r"^(EU|EA|EEA|EFTA|EU27|EU28|EA\d\d)(\d*)(_\d{4})?$")
_AGGREGATE_LABEL = re.compile(r"^(European Union|Euro area|European Economic Area)", re.I)


def to_iso2(code_or_name: str) -> str:
    """Return the ISO 3166-1 alpha-2 code of a country code or name.

    Resolution order: the publisher exceptions (``EL`` -> ``GR``, ``UK`` -> ``GB``,
    ``XK``), then :func:`pycountry.countries.lookup` (alpha-2, alpha-3, numeric,
    names; case insensitive).

    Parameters
    ----------
    code_or_name : str
        A code such as ``"EL"``, ``"GRC"`` or ``"GR"``, or a name such as ``"Greece"``.

    Returns
    -------
    str
        The alpha-2 code.

    Raises
    ------
    DataValidationError
        Naming the value that is not a known country, and how to fix it.

    Examples
    --------
    >>> to_iso2("EL"), to_iso2("GRC"), to_iso2("Czechia"), to_iso2("uk")
    ('GR', 'GR', 'CZ', 'GB')
    """
    return _resolve(str(code_or_name).strip())


@lru_cache(maxsize=4096)
def _resolve(text: str) -> str:
    if text.upper() in EXCEPTIONS:
        return EXCEPTIONS[text.upper()]
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        pass
    raise DataValidationError(
        f"{text!r} is not a known country code or name; expected an ISO 3166-1 alpha-2 "
        "or alpha-3 code (e.g. 'GR', 'GRC'), Eurostat's 'EL'/'UK', or an English country "
        "name (e.g. 'Greece'). Fix the value or leave the row out."
    )


def country_name(code: str) -> str:
    """The English short name of a country, from :mod:`pycountry`.

    >>> country_name("EL"), country_name("CZ")
    ('Greece', 'Czechia')
    """
    iso2 = to_iso2(code)
    if iso2 == "XK":
        return "Kosovo"
    country = pycountry.countries.get(alpha_2=iso2)
    return str(getattr(country, "common_name", None) or getattr(country, "name", iso2))


def is_aggregate(code_or_name: str) -> bool:
    """Whether a Eurostat geo code or label names an aggregate, not a country.

    >>> is_aggregate("EU27_2020"), is_aggregate("EA20"), is_aggregate("AT")
    (True, True, False)
    >>> is_aggregate("European Union - 27 countries (from 2020)")
    True
    """
    text = str(code_or_name).strip()
    return bool(_AGGREGATE_CODE.match(text.upper()) or _AGGREGATE_LABEL.match(text))
