"""Names that differ only in case: paired with the expected name, never read as it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from readiness_index.model.columns import case_variants, header_case_problem

NAMES = st.lists(st.from_regex(r"[a-z]{1,6}", fullmatch=True), min_size=1, unique=True)


def test_only_missing_names_have_variants() -> None:
    assert case_variants(["Country", "year", "value"], ["country", "year", "value"]) == {
        "Country": "country"
    }
    assert case_variants(["Country", "country"], ["country"]) == {}  # an extra column
    assert case_variants(["Year"], ["value"]) == {}


def test_a_header_in_another_case_lists_both_headers_and_each_pair() -> None:
    problem = header_case_problem(["Country", "year", "VALUE"], ["country", "year", "value"])
    assert problem == (
        "Country, VALUE",
        "the columns ['country', 'year', 'value'] written exactly so: found 'Country', expected "
        "'country'; found 'VALUE', expected 'value' (the names are case-sensitive)",
        ["Country", "year", "VALUE"],
    )
    assert header_case_problem(["country", "Flag"], ["country"], ["flag"]) == (
        "Flag",
        "the columns ['country'] (and optionally ['flag']) written exactly so: found 'Flag', "
        "expected 'flag' (the names are case-sensitive)",
        ["country", "Flag"],
    )
    assert header_case_problem(["country", "other"], ["country"]) is None


@given(NAMES)
def test_the_upper_case_header_pairs_every_name(names: list[str]) -> None:
    upper = [name.upper() for name in names]
    assert case_variants(upper, names) == dict(zip(upper, names, strict=True))
    assert case_variants(names, names) == {}
