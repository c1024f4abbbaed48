"""Publisher-format loaders: own fixtures, the real source files, and the bad-file corpus."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from readiness_index.errors import DataFileError, DataFileNotFoundError
from readiness_index.io.loaders import (
    load_file,
    read_eurostat_sdmx_csv,
    read_eurostat_tsv,
    read_long,
    read_worldbank_csv,
    sniff_format,
)
from readiness_index.io.loaders._common import split_cell
from readiness_index.io.loaders.periods import latest_in_year, parse_period

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "data" / "loaders"
BAD = TESTS / "data" / "bad"
SHARED = Path(__file__).parents[1].parent / "shared"
SOURCE_FILES = SHARED / "data" / "source_files"
RAW = SHARED / "data" / "raw"
NUMBER = "expected a number (or ':' / an empty cell for missing)"
AI = "indicator 'ai_use_enterprises'"
LONG_NUMBER = "expected a number (or an empty cell for missing)"
COUNTRY = "expected an ISO 3166-1 country code or name (or Eurostat's EL/UK)"
EU27 = [
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
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


def value(frame: pd.DataFrame, country: str, year: int) -> float:
    row = frame.loc[(frame["country"] == country) & (frame["year"] == year), "value"]
    assert len(row) == 1, f"expected one row for {country} {year}; found {len(row)}"
    return float(row.iloc[0])


def flag(frame: pd.DataFrame, country: str, year: int) -> str:
    return str(frame.loc[(frame["country"] == country) & (frame["year"] == year), "flag"].iloc[0])


# -- Eurostat SDMX-CSV -----------------------------------------------------------------------
def test_sdmx_csv_selects_a_series_and_keeps_flags() -> None:
    frame = read_eurostat_sdmx_csv(
        FIXTURES / "eurostat_sdmx.csv", indicator="ai", filters={"indic_is": "E_AI_TANY"}
    )
    assert list(frame.columns[:6]) == ["country", "year", "indicator", "value", "flag", "source"]
    assert value(frame, "AT", 2024) == 19.98
    assert value(frame, "GR", 2024) == 9.88 and flag(frame, "GR", 2024) == "p"
    assert flag(frame, "FR", 2023) == "b"
    assert np.isnan(value(frame, "MT", 2024)) and flag(frame, "MT", 2024) == "c"
    assert "EU27_2020" not in set(frame["country"]) and "EL" not in set(frame["country"])
    assert set(frame["source"]) == {"isoc_eb_ai [size_emp=GE10,indic_is=E_AI_TANY,unit=PC_ENT]"}
    assert set(frame["vintage"]) == {"2026-06-15"}


def test_sdmx_csv_with_several_series_asks_for_a_filter() -> None:
    with pytest.raises(DataFileError, match=r"several series .* pass filters .*indic_is"):
        read_eurostat_sdmx_csv(FIXTURES / "eurostat_sdmx.csv", indicator="ai")


def test_sdmx_csv_filter_on_unknown_dimension_or_value() -> None:
    with pytest.raises(DataFileError, match=r"expected a filter on one of the dimensions"):
        read_eurostat_sdmx_csv(FIXTURES / "eurostat_sdmx.csv", indicator="a", filters={"x": "y"})
    with pytest.raises(DataFileError, match=r"expected a value among \['E_AI_ML', 'E_AI_TANY'\]"):
        read_eurostat_sdmx_csv(
            FIXTURES / "eurostat_sdmx.csv", indicator="a", filters={"indic_is": "E_NOPE"}
        )


def test_sdmx_csv_with_labels_resolves_country_names() -> None:
    frame = read_eurostat_sdmx_csv(FIXTURES / "eurostat_sdmx_labels.csv", indicator="genai")
    assert sorted(frame["country"]) == ["AT", "CZ", "GR"]
    assert value(frame, "GR", 2025) == 33.2 and flag(frame, "CZ", 2025) == "u"


def test_countries_restrict_the_rows() -> None:
    frame = read_eurostat_sdmx_csv(
        FIXTURES / "eurostat_sdmx.csv",
        indicator="ai",
        filters={"indic_is": "E_AI_TANY"},
        countries=["AT"],
    )
    assert set(frame["country"]) == {"AT"}


# -- Eurostat TSV ----------------------------------------------------------------------------
def test_tsv_splits_values_and_flags() -> None:
    frame = read_eurostat_tsv(FIXTURES / "eurostat.tsv", indicator="ict")
    assert value(frame, "AT", 2021) == 4.5 and flag(frame, "AT", 2021) == "b"
    assert value(frame, "GR", 2023) == 2.6 and flag(frame, "GR", 2023) == "e"
    assert np.isnan(value(frame, "GR", 2022)) and flag(frame, "GR", 2022) == ":"
    assert np.isnan(value(frame, "CY", 2022)) and flag(frame, "CY", 2022) == ":c"
    assert len(frame) == 9  # three countries x three years; the EU aggregate is left out
    assert set(frame["source"]) == {"eurostat [unit=PC_EMP]"}


def test_tsv_semesters_need_a_period_rule() -> None:
    with pytest.raises(DataFileError, match=r"expected an annual period .*latest_in_year"):
        read_eurostat_tsv(FIXTURES / "eurostat_semester.tsv", indicator="price")


def test_tsv_semesters_take_the_latest_period_of_each_year() -> None:
    frame = read_eurostat_tsv(
        FIXTURES / "eurostat_semester.tsv", indicator="price", period_rule="latest_in_year"
    )
    assert value(frame, "AT", 2023) == 0.2471 and value(frame, "AT", 2024) == 0.1987
    # BE 2023-S2 is ':' (missing): the latest period is kept as missing, never S1 instead
    assert np.isnan(value(frame, "BE", 2023)) and flag(frame, "BE", 2023) == ":"
    assert set(frame.loc[frame["year"] == 2023, "provenance"]) == {"period 2023-S2"}


# -- World Bank ------------------------------------------------------------------------------
def test_worldbank_wide_csv_after_metadata_lines() -> None:
    frame = read_worldbank_csv(FIXTURES / "worldbank.csv", indicator="population", countries=EU27)
    assert value(frame, "AT", 2023) == 9130429 and value(frame, "GR", 2021) == 10569450
    assert (2023, "GR") not in set(zip(frame["year"], frame["country"], strict=True))
    assert set(frame["vintage"]) == {"2025-07-01"}
    assert set(frame["source"]) == {"World Bank WDI SP.POP.TOTL"}


def test_worldbank_aggregates_are_unknown_without_countries() -> None:
    with pytest.raises(DataFileError, match=r"column 'Country Code'.*found 'EUU'"):
        read_worldbank_csv(FIXTURES / "worldbank.csv", indicator="population")


def test_worldbank_long_layout() -> None:
    frame = read_worldbank_csv(FIXTURES / "worldbank_long.csv", indicator="pop", countries=EU27)
    assert value(frame, "AT", 2016) == 8736668 and value(frame, "GR", 2016) == 10775971
    assert "WLD" not in set(frame["country"])


# -- long format -----------------------------------------------------------------------------
def test_long_csv_resolves_countries_and_keeps_missing() -> None:
    frame = read_long(FIXTURES / "long.csv")
    assert sorted(frame["country"]) == ["AT", "CZ", "GR", "MT"]
    assert np.isnan(value(frame, "MT", 2024)) and flag(frame, "MT", 2024) == "c"
    assert set(frame["unit"]) == {"% of enterprises"}


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_long_excel_and_parquet(tmp_path: Path, suffix: str) -> None:
    table = pd.read_csv(FIXTURES / "long.csv", dtype=str, keep_default_na=False)
    path = tmp_path / f"long{suffix}"
    if suffix == ".xlsx":
        table.to_excel(path, index=False)
    else:
        table.to_parquet(path)
    frame = load_file(path)
    pd.testing.assert_frame_equal(
        frame.reset_index(drop=True), read_long(FIXTURES / "long.csv").reset_index(drop=True)
    )


def test_long_indicator_named_by_caller(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("country,year,value\nAT,2024,1.5\n")
    assert read_long(path, indicator="x")["indicator"].tolist() == ["x"]
    with pytest.raises(DataFileError, match=r"expected 'other' \(the indicator named\)"):
        read_long(FIXTURES / "long.csv", indicator="other")


# -- sniffing and dispatch -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("eurostat_sdmx.csv", "eurostat_sdmx_csv"),
        ("eurostat_sdmx_labels.csv", "eurostat_sdmx_csv"),
        ("eurostat.tsv", "eurostat_tsv"),
        ("worldbank.csv", "worldbank_csv"),
        ("worldbank_long.csv", "worldbank_csv"),
        ("long.csv", "long"),
    ],
)
def test_sniff_format(name: str, kind: str) -> None:
    assert sniff_format(FIXTURES / name) == kind


def test_publisher_formats_need_an_indicator() -> None:
    with pytest.raises(DataFileError, match=r"holds no indicator code; name it"):
        load_file(FIXTURES / "eurostat.tsv")


def test_missing_file_and_unknown_type(tmp_path: Path) -> None:
    with pytest.raises(DataFileNotFoundError, match=r"does not exist"):
        load_file(tmp_path / "nope.csv")
    odd = tmp_path / "data.json"
    odd.write_text("{}")
    with pytest.raises(DataFileError, match=r"unsupported file type 'json'"):
        load_file(odd)


def test_options_do_not_apply_to_long_files() -> None:
    with pytest.raises(DataFileError, match=r"options \['filters'\] apply to publisher formats"):
        load_file(FIXTURES / "long.csv", filters={"unit": "PC"})


def test_gzipped_tsv(tmp_path: Path) -> None:
    path = tmp_path / "estat_isoc_sks_itspt.tsv.gz"
    with gzip.open(path, "wb") as handle:
        handle.write((FIXTURES / "eurostat.tsv").read_bytes())
    frame = load_file(path, indicator="ict")
    assert value(frame, "AT", 2021) == 4.5
    assert set(frame["source"]) == {"isoc_sks_itspt [unit=PC_EMP]"}


@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.text(alphabet="bcdefnprsuz", max_size=3),
)
def test_cells_split_into_value_and_flag(number: float, letters: str) -> None:
    assert split_cell(f"{number!r} {letters}") == (repr(number), letters)
    assert split_cell(f": {letters}") == ("", ":" + letters)


# -- periods ---------------------------------------------------------------------------------
def test_periods() -> None:
    assert parse_period("2024") == (2024, 12)
    assert parse_period("2024-S2") == (2024, 12)
    assert parse_period("2024-13") is None
    rows = pd.DataFrame({"country": "AT", "period": ["2024-11", "2024-06", "2025-06"]})
    assert latest_in_year(rows)["period"].tolist() == ["2024-11", "2025-06"]
    with pytest.raises(ValueError, match=r"periods \['24'\] cannot be read"):
        latest_in_year(pd.DataFrame({"country": ["AT"], "period": ["24"]}))


# -- bad-file corpus -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "messages"),
    [
        (
            "wrong_columns.csv",
            [
                "wrong_columns.csv: column 'value': expected a column named 'value'; "
                "found 'no such column'",
                "column 'valeur': expected only the columns",
            ],
        ),
        (
            "unknown_country.csv",
            [
                "unknown_country.csv: row 3, column 'country': expected an ISO 3166-1 country code "
                "or name (or Eurostat's EL/UK); found 'Atlantis'",
            ],
        ),
        (
            "text_in_number.csv",
            [
                f"text_in_number.csv: row 3, column 'value', {AI}, country 'BE', year 2024: "
                f"{LONG_NUMBER}; found 'n/a'",
                f"row 4, column 'value', {AI}, country 'DE', year 2024: {LONG_NUMBER}; "
                "found '20,5'",
            ],
        ),
        (
            "duplicate_rows.csv",
            [
                "2 problem(s)",
                f"row 2, column 'country, year, indicator', {AI}, country 'AT', year 2024: "
                "expected one row per country, year and indicator; found 'a duplicate of row 3'",
                "row 3, column 'country, year, indicator'",
            ],
        ),
        (
            "fractional_year.csv",
            [
                f"row 2, column 'year', {AI}, country 'AT', year 2024.5: expected a whole year "
                "such as 2024; found '2024.5'"
            ],
        ),
        ("bad_flag.csv", [f"row 2, column 'flag', {AI}, country 'AT', year 2024: expected Euro"]),
        (
            "eurostat_text.tsv",
            [
                f"row 2:2022, column 'value': {NUMBER}; found 'abc'",
                f"row 3:2021, column 'geo': {COUNTRY}; found 'XX'",
            ],
        ),
        (
            "eurostat_no_time.tsv",
            ["expected a first header cell such as 'freq,unit,geo\\TIME_PERIOD'"],
        ),
    ],
)
def test_bad_files(name: str, messages: list[str]) -> None:
    with pytest.raises(DataFileError) as err:
        load_file(BAD / name, indicator="ai_use_enterprises")
    for message in messages:
        assert message in str(err.value)
    failures = err.value.failures
    assert failures is not None and set(failures["file"]) == {name}


# -- the real publisher files ----------------------------------------------------------------
@pytest.fixture(scope="module")
def sources() -> Path:
    if not SOURCE_FILES.is_dir():
        pytest.skip(f"publisher source files not found at {SOURCE_FILES} (../shared is absent)")
    return SOURCE_FILES


def raw(name: str) -> pd.DataFrame:
    frame = pd.read_csv(RAW / name, dtype={"year": str, "flag": str}, keep_default_na=False)
    frame = frame.loc[frame["country"] != "EU27_2020"]
    frame = frame.assign(
        country=frame["country"].replace({"EL": "GR"}), year=frame["year"].astype(int)
    )
    return frame.set_index(["country", "year"]).sort_index()


def same_as_raw(frame: pd.DataFrame, raw_name: str) -> None:
    """The loader's values and flags equal the raw tidy file's, row for row."""
    expected = raw(raw_name)
    got = frame.loc[frame["value"].notna()].set_index(["country", "year"]).sort_index()
    assert got.index.equals(expected.index)
    np.testing.assert_allclose(got["value"], expected["value"].astype(float), rtol=1e-12)
    assert (got["flag"].to_numpy() == expected["flag"].to_numpy()).all()


CASES = [
    (
        "eurostat/isoc_eb_ai__vedranu_f0f33f8__GE10_E_AI_TANY_PC_ENT_excerpt.csv",
        {},
        "eurostat_isoc_eb_ai_E_AI_TANY.csv",
    ),
    (
        "eurostat/nrg_ind_ren__tismiracle_96fc42d.csv",
        {"nrg_bal": "REN"},
        "eurostat_nrg_ind_ren_REN.csv",
    ),
    (
        "eurostat/nrg_ind_ren__tismiracle_96fc42d.csv",
        {"nrg_bal": "REN_ELC"},
        "eurostat_nrg_ind_ren_REN_ELC.csv",
    ),
    (
        "eurostat/isoc_e_dii__harbor_task_2e0acd4.csv",
        {"indic_is": "E_DI3_GELO", "size_emp": "GE10"},
        "eurostat_isoc_e_dii_E_DI3_GELO.csv",
    ),
    (
        "eurostat/isoc_ai_iaiu__ilaydaacirli_2be5077.csv",
        {
            "ind_type": "All individuals",
            "unit": "Percentage of individuals",
            "indic_is": "Use of generative AI tools: in the last 3 months",
        },
        "eurostat_isoc_ai_iaiu_genai_use.csv",
    ),
    (
        "eurostat/isoc_sk_dskl_i21__ByteToMight_b6a60e0.csv",
        {
            "ind_type": "All individuals",
            "unit": "Percentage of individuals",
            "indic_is": "Individuals with above basic overall digital skills (all five component "
            "indicators are at above basic level)",
        },
        "eurostat_isoc_sk_dskl_i21_I_DSK2_AB.csv",
    ),
    (
        "eurostat/isoc_sks_itspt__sinosk31_93c7081__PC_EMP_EU27_excerpt.tsv",
        {},
        "eurostat_isoc_sks_itspt_PC_EMP.csv",
    ),
    (
        "eurostat/isoc_sk_dskl_i21__sinosk31_93c7081__IND_TOTAL_I_DSK2_BAB_PC_IND_excerpt.tsv",
        {},
        "eurostat_isoc_sk_dskl_i21_I_DSK2_BAB.csv",
    ),
    (
        "eurostat/isoc_cicce_use__sinosk31_93c7081__GE10_E_CC_PC_ENT_excerpt.tsv",
        {},
        "eurostat_isoc_cicce_use_E_CC.csv",
    ),
    (
        "worldbank/population__datasets_population_425fc44.csv",
        {},
        "worldbank_population_SP_POP_TOTL.csv",
    ),
    ("worldbank/gdp__datasets_gdp_822019c.csv", {}, "worldbank_gdp_current_usd_NY_GDP_MKTP_CD.csv"),
]


@pytest.mark.parametrize(("name", "filters", "raw_name"), CASES)
def test_real_files_match_the_published_figures(
    sources: Path, name: str, filters: dict[str, str], raw_name: str
) -> None:
    options: dict[str, Any] = {"countries": EU27}
    if filters:
        options["filters"] = filters
    frame = load_file(sources / name, indicator="x", **options)
    if name.startswith("worldbank"):
        frame = frame.loc[frame["year"] >= 2015]
    same_as_raw(frame, raw_name)


def test_real_values_checked_against_the_source(sources: Path) -> None:
    ai = load_file(
        sources / "eurostat/isoc_eb_ai__vedranu_f0f33f8__GE10_E_AI_TANY_PC_ENT_excerpt.csv",
        indicator="ai",
        countries=EU27,
    )
    # Eurostat news release on 2024 AI use (quoted in SOURCES.md)
    rounded = [value(ai, c, 2024) for c in ("DK", "SE", "BE", "RO")]
    assert rounded == pytest.approx([27.6, 25.1, 24.7, 3.1], abs=0.05)
    assert flag(ai, "FR", 2023) == "b" and flag(ai, "NL", 2025) == "b"
    ict = load_file(
        sources / "eurostat/isoc_sks_itspt__sinosk31_93c7081__PC_EMP_EU27_excerpt.tsv",
        indicator="ict",
    )
    assert value(ict, "AT", 2004) == 2.9 and flag(ict, "AT", 2004) == "be"
    assert np.isnan(value(ict, "RO", 2004))  # missing in the source: kept as missing
    cloud = load_file(
        sources / "eurostat/isoc_cicce_use__sinosk31_93c7081__GE10_E_CC_PC_ENT_excerpt.tsv",
        indicator="cloud",
    )
    assert np.isnan(value(cloud, "AT", 2015)) and flag(cloud, "AT", 2015) == ":"
    population = load_file(
        sources / "worldbank/population__datasets_population_425fc44.csv",
        indicator="population",
        countries=EU27,
    )
    assert value(population, "AT", 2015) == 8642699


TSV_HEADER = "freq,unit,geo\\TIME_PERIOD\t2023 \t2024 \n"


def test_tsv_with_a_repeated_row_names_the_key_and_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "data.tsv"
    rows = "A,PC,AT\t5.0 \t6.0 e\nA,PC,BE\t7.0 \t: \nA,PC,AT\t5.0 \t6.5 \n"
    path.write_text(TSV_HEADER + rows)
    with pytest.raises(DataFileError) as err:
        read_eurostat_tsv(path, indicator="a")
    message = str(err.value)
    assert "row 4, column 'freq,unit,geo\\\\TIME_PERIOD'" in message
    assert "the file itself has duplicate rows: this key is on rows 2 and 4" in message
    assert "found 'A,PC,AT'" in message and "filter" not in message.replace("filters cannot", "")
    failures = err.value.failures
    assert failures is not None and list(failures["reason"]) == ["duplicate_row"]
    assert list(failures["country"]) == ["AT"]


def test_sdmx_csv_with_a_repeated_key_names_it_and_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text(
        "DATAFLOW,freq,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\nX,A,PC,AT,2023,5.0,\n"
        "X,A,PC,BE,2023,6.0,e\nX,A,PC,AT,2023,5.5,\nX,A,PC,AT,2023,5.0,\nX,A,PC,BE,2024,x,\n"
    )
    with pytest.raises(DataFileError) as err:
        read_eurostat_sdmx_csv(path, indicator="a")
    message = str(err.value)
    assert "2 problem(s)" in message  # the repeated key and the text value, together
    assert "row 4, column 'freq, unit, geo, TIME_PERIOD'" in message
    assert "this key is on rows 2, 4 and 5" in message
    assert "found 'freq=A, unit=PC, geo=AT, TIME_PERIOD=2023'" in message
    assert "row 6, column 'OBS_VALUE'" in message and "pass filters" not in message


def test_tsv_with_several_series_asks_for_a_filter_on_its_dimensions(tmp_path: Path) -> None:
    path = tmp_path / "data.tsv"
    path.write_text(TSV_HEADER + "A,PC,AT\t5.0 \t6.0 \nA,NR,AT\t50 \t60 \n")
    with pytest.raises(DataFileError, match=r"several series .* pass filters .*\{'unit'") as err:
        read_eurostat_tsv(path, indicator="a")
    assert "duplicate rows" not in str(err.value) and "'cell'" not in str(err.value)


def test_long_header_in_another_case_pairs_each_name(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("Country,year,VALUE\nAT,2023,1.5\n")
    with pytest.raises(DataFileError) as err:
        read_long(path, indicator="a")
    message = str(err.value)
    assert "1 problem(s)" in message and "column 'Country, VALUE'" in message
    assert "found 'Country', expected 'country'; found 'VALUE', expected 'value'" in message
    assert "found ['Country', 'year', 'VALUE']" in message
    failures = err.value.failures
    assert failures is not None and list(failures["reason"]) == ["column_case"]


def test_publisher_headers_in_another_case_are_sniffed_and_paired(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("geo,time_period,obs_value\nAT,2023,1\n")
    assert sniff_format(path) == "eurostat_sdmx_csv"
    with pytest.raises(DataFileError, match=r"found 'obs_value', expected 'OBS_VALUE'"):
        load_file(path, indicator="a")
    path.write_text("Country Name,country code,year,Value\nAustria,AUT,2023,1\n")
    assert sniff_format(path) == "worldbank_csv"
    with pytest.raises(DataFileError, match=r"found 'country code', expected 'Country Code'"):
        load_file(path, indicator="a")
