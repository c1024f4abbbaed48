"""Country codes: ISO alpha-2 resolution with Eurostat's exceptions."""

from __future__ import annotations

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from readiness_index.errors import DataValidationError
from readiness_index.model.countries import country_name, is_aggregate, to_iso2

ALL = list(pycountry.countries)


@pytest.mark.parametrize(
    ("given_code", "expected"),
    [
        ("EL", "GR"),
        ("GR", "GR"),
        ("GRC", "GR"),
        ("Greece", "GR"),
        ("greece", "GR"),
        ("UK", "GB"),
        ("GB", "GB"),
        ("GBR", "GB"),
        ("Czechia", "CZ"),
        ("Czech Republic", "CZ"),
        (" AT ", "AT"),
        ("XK", "XK"),
        ("300", "GR"),
    ],
)
def test_known_codes_and_names(given_code: str, expected: str) -> None:
    assert to_iso2(given_code) == expected


def test_unknown_value_is_named_in_the_error() -> None:
    with pytest.raises(DataValidationError, match=r"'Atlantis' is not a known country") as err:
        to_iso2("Atlantis")
    assert "ISO 3166-1" in str(err.value)
    assert isinstance(err.value, ValueError)


def test_names_come_from_pycountry() -> None:
    assert country_name("EL") == "Greece"
    assert country_name("NL") == getattr(pycountry.countries.get(alpha_2="NL"), "name", None)


@pytest.mark.parametrize(
    "code", ["EU27_2020", "EU28", "EA20", "EA", "European Union - 27 countries (from 2020)"]
)
def test_aggregates(code: str) -> None:
    assert is_aggregate(code)


@pytest.mark.parametrize("code", ["AT", "EE", "ES", "Estonia"])
def test_countries_are_not_aggregates(code: str) -> None:
    assert not is_aggregate(code)


@given(st.sampled_from(ALL))
def test_every_iso_country_resolves_from_each_code(country: object) -> None:
    alpha_2 = country.alpha_2  # type: ignore[attr-defined]
    expected = {"GR": "GR", "GB": "GB"}.get(alpha_2, alpha_2)
    assert to_iso2(country.alpha_3) == expected  # type: ignore[attr-defined]
    assert to_iso2(alpha_2) == expected
    assert to_iso2(country.name) == expected  # type: ignore[attr-defined]


@given(st.sampled_from(ALL))
def test_resolution_is_idempotent(country: object) -> None:
    once = to_iso2(country.alpha_2)  # type: ignore[attr-defined]
    assert to_iso2(once) == once
