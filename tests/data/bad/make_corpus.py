# ruff: noqa: E501  (a table of cases: one case a line reads best)
"""Write the bad-input corpus: ``corpus/<case>/`` files and ``corpus/cases.json``.

Each case is what a careless or hostile user might hand the command line: its files,
the command (``{case}`` is the case's folder, ``{base}`` the valid inputs beside it)
and a piece of the message it must end with (``null`` when the input is valid and
must give a correct result, ``"ok: words"`` when that result must say the words). Run ``python tests/data/bad/make_corpus.py`` to
regenerate; ``tests/test_bad_corpus.py`` runs every case.
"""

from __future__ import annotations

import gzip
import io
import json
import shutil
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent / "corpus"
FW = """index: {code: idx, name: Small index}
aggregates:
  - {code: idx, name: Index}
  - {code: p1, name: Pillar 1, parent: idx}
  - {code: p2, name: Pillar 2, parent: idx}
indicators:
  - {code: a, name: A, parent: p1, bounds: {lower: 0, upper: 100}}
  - {code: b, name: B, parent: p1, direction: -1}
  - {code: c, name: C, parent: p2}
  - {code: d, name: D, parent: p2, weight: 2}
"""
METHODOLOGY = "normalise: {method: minmax}\n"
ASSUMPTIONS = "weights_noise: {1: 0.1}\n"
HEADER = "country,year,indicator,value,flag,source"
COUNTRIES = ("AT", "BE", "CZ", "DE", "PL")

Case = dict[str, Any]
CASES: list[Case] = []


def rows(
    countries: tuple[str, ...] = COUNTRIES, years: tuple[int, ...] = (2023, 2024)
) -> list[str]:
    """Valid long rows: every country, year and indicator, values in (0, 100)."""
    out, value = [], 1.0
    for country in countries:
        for year in years:
            for code in "abcd":
                value = (value * 7.3) % 97 + 1
                out.append(f"{country},{year},{code},{value:.2f},,test")
    return out


def data_text(lines: list[str]) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


def case(name: str, files: dict[str, bytes | str], args: list[str], expect: str | None) -> None:
    CASES.append({"name": name, "files": files, "args": args, "expect": expect})


BUILD_DATA = ["build", "--framework", "{base}/framework.yaml", "--methodology",
              "{base}/methodology.yaml", "--data"]  # fmt: skip
BUILD_FW = ["build", "--data", "{base}/data.csv", "--methodology", "{base}/methodology.yaml",
            "--framework"]  # fmt: skip
BUILD_METHOD = ["build", "--framework", "{base}/framework.yaml", "--data", "{base}/data.csv",
                "--methodology"]  # fmt: skip
ADD = ["data", "add", "--framework", "{base}/framework.yaml", "--data-dir", "{case}/store",
       "--indicator", "a"]  # fmt: skip
UNCERTAINTY = ["uncertainty", "--framework", "{base}/framework.yaml", "--data",
               "{base}/data.csv", "--methodology", "{base}/methodology.yaml", "-n", "5",
               "--assumptions"]  # fmt: skip


def data_case(name: str, content: bytes | str, expect: str | None, suffix: str = ".csv") -> None:
    case(name, {f"data{suffix}": content}, [*BUILD_DATA, f"{{case}}/data{suffix}"], expect)


def fw_case(name: str, content: bytes | str, expect: str | None) -> None:
    case(name, {"framework.yaml": content}, [*BUILD_FW, "{case}/framework.yaml"], expect)


def method_case(name: str, content: bytes | str, expect: str | None) -> None:
    case(name, {"methodology.yaml": content}, [*BUILD_METHOD, "{case}/methodology.yaml"], expect)


def indicator_line(entry: str) -> str:
    return FW.replace(
        "{code: c, name: C, parent: p2}", "{code: c, name: C, parent: p2, " + entry + "}"
    )


# -- codes ----------------------------------------------------------------------------------
BAD_CODES = {
    "slash": "a/b", "traversal": "../../TRAVERSED", "dots": "a..b", "colon": "x:y",
    "formula": "=1+1", "formula_cmd": "=cmd|' /C calc'!A0", "plus": "+SUM(A1)", "at": "@x",
    "minus": "-x", "space": "a b", "javascript": "javascript:alert(1)%2F%2F", "backslash": "a\\\\b",
    "hidden": ".hidden", "final_dot": "x.", "long": "x" * 65, "unicode": "Ö1", "pipe": "a|b",
}  # fmt: skip
for label, code in BAD_CODES.items():
    quoted = json.dumps(code)
    fw_case(f"fw_indicator_code_{label}", FW.replace("code: c,", f"code: {quoted},").replace(
        "parent: p2}", "parent: p2}", 1), "invalid code")  # fmt: skip
    cell = '"' + code.replace('"', '""') + '"'
    data_case(f"data_unit_code_{label}", data_text([*rows(), f"{cell},2024,a,5,,test"]),
              "expected a code: 1-64 ASCII")  # fmt: skip
fw_case("fw_aggregate_code_slash", FW.replace("code: p2, name: Pillar 2", 'code: "p/2", name: P')
        .replace("parent: p2", 'parent: "p/2"'), "invalid code")  # fmt: skip
fw_case("fw_unit_code_traversal", FW + 'units:\n  - {code: "../../X", name: X}\n', "invalid code")
case("add_indicator_code_traversal", {"data.csv": data_text(rows())},
     ["data", "add", "{case}/data.csv", "--framework", "{base}/framework.yaml", "--data-dir",
      "{case}/store", "--indicator", "../../escaped_indicator"], "the indicator named")  # fmt: skip
case("add_unit_code_traversal", {"data.csv": data_text(['"../../X",2024,a,5,,t'])},
     [*ADD, "{case}/data.csv"], "'../../X'")  # fmt: skip

# -- YAML ------------------------------------------------------------------------------------
LAUGHS = (
    "a: &a ["
    + ",".join(['"lol"'] * 9)
    + "]\n"
    + "".join(
        f"{b}: &{b} [" + ",".join([f"*{a}"] * 9) + "]\n"
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
)
fw_case("fw_alias_bomb", LAUGHS, "alias bomb is refused")
method_case("method_alias_bomb", LAUGHS, "alias bomb is refused")
case("assumptions_alias_bomb", {"a.yaml": LAUGHS}, [*UNCERTAINTY, "{case}/a.yaml"], "alias bomb")
fw_case("fw_latin1", FW.replace("Small index", "Österreich").encode("latin-1"), "not UTF-8 text")
method_case("method_latin1", "# Größe\nnormalise: {method: minmax}\n".encode("latin-1"),
            "not UTF-8 text")  # fmt: skip
fw_case("fw_utf16_bom", FW.encode("utf-16"), None)
fw_case("fw_utf8_bom", b"\xef\xbb\xbf" + FW.encode(), None)
fw_case("fw_binary", bytes(range(256)) * 4, "not UTF-8 text")
fw_case("fw_nul_bytes", FW.replace("Pillar 1", "Pil\0lar"), "holds a NUL character")
fw_case("fw_duplicate_key", FW.replace("{code: d, name: D,", "{code: d, name: D, name: E,"),
        "appears more than once")  # fmt: skip
fw_case("fw_duplicate_top_key", FW + "indicators: []\n", "appears more than once")
fw_case("fw_empty", "", "No aggregate" if False else "problem(s) in the framework")
fw_case("fw_list", "- a\n- b\n", "expected a mapping at the top")
fw_case("fw_scalar", "just words\n", "expected a mapping at the top")
fw_case("fw_unknown_key", FW + "pillars: []\n", "unknown key")
fw_case("fw_indicators_not_list", FW.split("indicators:")[0] + "indicators: 5\n", "expected a list")
fw_case("fw_indicator_not_mapping", FW + "  - just text\n", "valid dictionary")
fw_case("fw_syntax", FW + "  - {code: e, name: [unclosed\n", "not valid YAML")
fw_case("fw_tabs", FW.replace("  - {code: d", "\t- {code: d"), "not valid YAML")
fw_case("fw_python_tag", FW + "x: !!python/object/apply:os.system ['echo hi']\n", "not valid YAML")
fw_case("fw_deep_nesting", "index: " + "[" * 200 + "]" * 200 + "\n", "nests deeper")
fw_case("fw_weight_inf", indicator_line("weight: .inf"), "is not a finite number")
fw_case("fw_weight_nan", indicator_line("weight: .nan"), "is not a finite number")
fw_case("fw_weight_huge", indicator_line("weight: 1e308"), "less than or equal to 1000000000")
fw_case("fw_weights_two_huge", FW.replace("weight: 2", "weight: 1e308").replace(
    "parent: p2}", "parent: p2, weight: 1e308}", 1), "less than or equal to 1000000000")  # fmt: skip
fw_case("fw_weight_negative", indicator_line("weight: -1"), "greater than 0")
fw_case("fw_weight_zero", indicator_line("weight: 0"), "greater than 0")
fw_case("fw_weight_text", indicator_line("weight: heavy"), "valid number")
fw_case("fw_weight_yes", indicator_line("weight: yes"), "valid number")
fw_case("fw_direction_yes", indicator_line("direction: yes"), "Input should be 1 or -1")
fw_case("fw_direction_on", indicator_line("direction: on"), "Input should be 1 or -1")
fw_case("fw_direction_true", indicator_line("direction: true"), "found the boolean true")
fw_case("fw_direction_two", indicator_line("direction: 2"), "Input should be 1 or -1")
fw_case("fw_level_wrong", indicator_line("level: 3"), "declares level 3")
fw_case("fw_level_bool", indicator_line("level: true"), "found the boolean true")
fw_case("fw_max_age_huge", indicator_line("max_age: 1e20"), "max_age")
fw_case("fw_bounds_reversed", indicator_line("bounds: {lower: 5, upper: 1}"), "above upper bound")
fw_case("fw_bounds_inf", indicator_line("bounds: {lower: 0, upper: .inf}"), "not a finite number")
fw_case("fw_goalposts_reversed", indicator_line("goalposts: {lower: 5, upper: 1}"),
        "goalposts need lower < upper")  # fmt: skip
fw_case("fw_goalposts_nan", indicator_line("goalposts: {lower: .nan, upper: 1}"), "not a finite")
fw_case("fw_target_year_text", indicator_line("target: {value: 5, year: soon}"), "target.year")
fw_case("fw_unknown_field", indicator_line("colour: red"), "Extra inputs are not permitted")
fw_case("fw_cycle", FW.replace("{code: p1, name: Pillar 1, parent: idx}",
                               "{code: p1, name: Pillar 1, parent: p2}").replace(
    "{code: p2, name: Pillar 2, parent: idx}", "{code: p2, name: Pillar 2, parent: p1}"),
    "its own ancestor")  # fmt: skip
fw_case("fw_two_roots", FW.replace("{code: p2, name: Pillar 2, parent: idx}",
                                   "{code: p2, name: Pillar 2}"), "exactly one root")  # fmt: skip
fw_case("fw_missing_parent", indicator_line("x_: 1").replace(", x_: 1", "").replace(
    "parent: p2}", "parent: nowhere}", 1), "which is not an aggregate")  # fmt: skip
fw_case("fw_childless", FW.replace("aggregates:\n", "aggregates:\n  - {code: p3, name: P3, parent: idx}\n"),
        "has no children")  # fmt: skip
fw_case("fw_duplicate_code", FW + "  - {code: d, name: D again, parent: p2}\n",
        "defined more than once")  # fmt: skip
fw_case("fw_case_codes", FW + "  - {code: D, name: D upper, parent: p2}\n", "differ only in case")
fw_case("fw_units_case", FW + "units:\n  - {code: AT, name: A}\n  - {code: at, name: a}\n",
        "differ only in case")  # fmt: skip
fw_case("fw_denominator_unknown", indicator_line("denominator: gdp"), "names denominator 'gdp'")
fw_case("fw_target_unknown_unit", FW.replace("{code: c, name: C, parent: p2}",
        "{code: c, name: C, parent: p2, target: {value: {XX: 1}}}") +
        "units:\n" + "".join(f"  - {{code: {c}, name: {c}}}\n" for c in COUNTRIES),
        "target for unknown unit")  # fmt: skip
fw_case("fw_source_javascript", FW.replace("{code: c, name: C, parent: p2}",
        '{code: c, name: C, parent: p2, source: {publisher: X, dataset: x, url: "javascript:alert(1)"}}'),
        "https")  # fmt: skip
fw_case("fw_huge_value", indicator_line("rationale: " + "x" * 200_000), None)
DEEP = ["aggregates:", "  - {code: n0, name: N}"]
DEEP += [f"  - {{code: n{i}, name: N, parent: n{i - 1}}}" for i in range(1, 2000)]
DEEP += ["indicators:", "  - {code: leaf, name: L, parent: n1999}"]
fw_case("fw_2000_levels", "\n".join(DEEP) + "\n", "levels below the root")
fw_case("fw_missing_file", None, "does not exist")  # type: ignore[arg-type]

# -- methodology -----------------------------------------------------------------------------
method_case("method_word", "minmax\n", "holds a mapping")
method_case("method_list", "- normalise\n", "holds a mapping")
method_case("method_unknown_method", "normalise: {method: minmix}\n", "normalise.method")
method_case("method_unknown_step", "normalize: {method: minmax}\n", "normalize")
method_case("method_p_nan", "aggregate: {method: generalised, p: .nan}\n", "not a finite number")
method_case("method_p_inf", "aggregate: {method: generalised, p: .inf}\n", "not a finite number")
method_case("method_p_yes", "aggregate: {method: generalised, p: yes}\n", "aggregate")
method_case("method_duplicate", "normalise: {method: minmax}\nnormalise: {method: zscore}\n",
            "appears more than once")  # fmt: skip
method_case("method_empty", "", None)
method_case("method_nested_garbage", "normalise: [1, 2, 3]\n", "normalise")

# -- assumptions -----------------------------------------------------------------------------
case(
    "assumptions_list", {"a.yaml": "- 1\n"}, [*UNCERTAINTY, "{case}/a.yaml"], "must hold a mapping"
)
case("assumptions_inf", {"a.yaml": "weights_noise: {1: .inf}\n"}, [*UNCERTAINTY, "{case}/a.yaml"],
     "not a finite number")  # fmt: skip
case("assumptions_unknown", {"a.yaml": "wieghts: {1: 0.1}\n"}, [*UNCERTAINTY, "{case}/a.yaml"],
     "wieghts")  # fmt: skip
case("assumptions_latin1", {"a.yaml": "# Öl\nweights_noise: {1: 0.1}\n".encode("latin-1")},
     [*UNCERTAINTY, "{case}/a.yaml"], "not UTF-8 text")  # fmt: skip

# -- long data -------------------------------------------------------------------------------
data_case("data_valid", data_text(rows()), None)
data_case("data_nan_text", data_text([*rows(), "AT,2022,a,nan,,t"]), "found 'nan'")
data_case("data_inf_text", data_text([*rows(), "AT,2022,a,inf,,t"]), "a finite number")
data_case("data_overflow_text", data_text([*rows(), "AT,2022,b,1e999,,t"]), "a finite number")
data_case("data_near_max", data_text([*rows(), "AT,2022,b,1.7e308,,t", "BE,2022,b,-1.7e308,,t"]),
          "magnitude at most 1e+150")  # fmt: skip
data_case("data_text_value", data_text([*rows(), "AT,2022,a,lots,,t"]), "found 'lots'")
data_case("data_comma_decimal", data_text([*rows(), 'AT,2022,a,"20,5",,t']), "found '20,5'")
data_case("data_year_1e20", data_text([*rows(), "AT,1e20,a,5,,t"]), "a year from 1900 to 2200")
data_case("data_year_inf", data_text([*rows(), "AT,inf,a,5,,t"]), "a year from 1900 to 2200")
data_case("data_year_nan", data_text([*rows(), "AT,nan,a,5,,t"]), "found 'nan'")
data_case("data_year_fraction", data_text([*rows(), "AT,2022.5,a,5,,t"]), "a whole year")
data_case("data_year_empty", data_text([*rows(), "AT,,a,5,,t"]), "a whole year")
data_case("data_year_negative", data_text([*rows(), "AT,-5,a,5,,t"]), "a year from 1900 to 2200")
data_case("data_empty_country", data_text([*rows(), ",2022,a,5,,t"]), "the cell is empty")
data_case("data_duplicate", data_text([*rows(), rows()[0]]), "one row per country")
data_case("data_case_variants", data_text([*rows(), "at,2022,a,5,,t", "At,2022,b,5,,t"]), None)
data_case("data_case_duplicate", data_text([*rows(), "at,2024,a,5,,t"]), "one row per country")
data_case("data_case_regions", data_text([*rows(), "r1,2024,a,5,,t", "R1,2024,b,5,,t"]),
          "codes are case-insensitive")  # fmt: skip
data_case("data_unknown_indicator", data_text([*rows(), "AT,2024,zz,5,,t"]),
          "an indicator or denominator code")  # fmt: skip
data_case("data_indicator_case", data_text([*rows(), "AT,2022,A,5,,t"]), "did you mean 'a'")
OPTIONAL = "(and optionally ['flag', 'source', 'unit', 'vintage', 'provenance', 'data_year'])"
data_case("data_header_case_all", data_text(rows()).replace(HEADER, HEADER.title()),
          f"column 'Country, Year, Indicator, Value, Flag, Source': expected the columns ['country', 'year', 'indicator', 'value'] {OPTIONAL} written exactly so: found 'Country', expected 'country'; found 'Year', expected 'year'; found 'Indicator', expected 'indicator'; found 'Value', expected 'value'; found 'Flag', expected 'flag'; found 'Source', expected 'source' (the names are case-sensitive); found ['Country', 'Year', 'Indicator', 'Value', 'Flag', 'Source']")  # fmt: skip
data_case("data_header_case_one", data_text(rows()).replace(",year,", ",Year,", 1),
          f"column 'Year': expected the columns ['country', 'year', 'indicator', 'value'] {OPTIONAL} written exactly so: found 'Year', expected 'year' (the names are case-sensitive); found ['country', 'Year', 'indicator', 'value', 'flag', 'source']")  # fmt: skip
data_case("data_header_case_optional", data_text(rows()).replace(",flag,", ",Flag,", 1),
          f"column 'Flag': expected the columns ['country', 'year', 'indicator', 'value'] {OPTIONAL} written exactly so: found 'Flag', expected 'flag' (the names are case-sensitive)")  # fmt: skip
data_case("data_out_of_bounds", data_text([*rows(), "AT,2022,a,250,,t"]), "plausible bounds")
data_case("data_bad_flag", data_text([*rows(), "AT,2022,a,5,X,t"]), "Eurostat flag letters")
data_case("data_missing_column", "country,year,value\nAT,2024,5\n", "a column named 'indicator'")
data_case("data_extra_column", "country,year,indicator,value,colour\nAT,2024,a,5,red\n",
          "only the columns")  # fmt: skip
data_case("data_semicolon", data_text(rows()).replace(",", ";"), "a column named")
data_case("data_empty_file", "", "cannot be read as CSV")
data_case("data_header_only", HEADER + "\n", "at least one value for every indicator")
data_case("data_latin1", (data_text(rows()) + "AT,2022,a,5,,Statistik Österreich\n").encode("latin-1"),
          "not UTF-8 text")  # fmt: skip
data_case("data_utf16_bom", data_text(rows()).encode("utf-16"), None)
data_case("data_nul", data_text([*rows(), "AT,2022,a,5\0,,t"]), "line 42: holds a NUL character")
data_case("data_quoted_newline", data_text([*rows(), 'AT,2022,a,5,,"multi\nline"']), None)
data_case("data_binary", bytes(range(256)) * 8, "not UTF-8 text")
data_case("data_formula_source", data_text([*rows(), "AT,2022,a,5,,=cmd|' /C calc'!A0"]), None)
data_case("data_only_missing", data_text([f"{c},2024,{i},,,t" for c in COUNTRIES for i in "abcd"]),
          "at least one value for every indicator")  # fmt: skip
data_case("data_wrong_suffix", "x", "unsupported file type", suffix=".txt")
case("data_empty_folder", {"folder/readme.md": "nothing"},
     [*BUILD_DATA, "{case}/folder"], "holds no data file")  # fmt: skip
case("data_missing_path", {}, [*BUILD_DATA, "{case}/nowhere.csv"], "does not exist")


# -- Excel and Parquet -----------------------------------------------------------------------
def xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, table in sheets.items():
        sheet = book.create_sheet(name)
        for row in table:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table(lines: list[str]) -> list[list[object]]:
    out: list[list[object]] = [HEADER.split(",")]
    for line in lines:
        country, year, code, value, flag, source = line.split(",")
        out.append([country, int(year), code, float(value), flag or None, source])
    return out


ALL = rows()
data_case("excel_two_sheets", xlsx({"first": table(ALL[:-8]), "PL": table(ALL[-8:])}), None,
          ".xlsx")  # fmt: skip
data_case("excel_sheets_differ", xlsx({"first": table(ALL), "notes": [["note"], ["hello"]]}),
          "sheets have different columns", ".xlsx")  # fmt: skip
ADD_ANY = ["data", "add", "{case}/data.xlsx", "--framework", "{base}/framework.yaml",
           "--data-dir", "{case}/store"]  # fmt: skip
SHEETS = {"first": table(ALL[:-8]), "PL": table(ALL[-8:])}
case("excel_sheet_named", {"data.xlsx": xlsx({"first": table(ALL), "notes": [["n"], ["hi"]]})},
     [*ADD_ANY, "--sheet", "first"], None)  # fmt: skip
case("excel_sheet_unknown", {"data.xlsx": xlsx({"first": table(ALL)})},
     [*ADD_ANY, "--sheet", "second"], "has no sheet 'second'")  # fmt: skip
case("excel_two_sheets_add", {"data.xlsx": xlsx(SHEETS)}, ADD_ANY, "ok: added 40")
case(
    "method_weights_huge",
    {"m.yaml": "weights: {a: 1e308, b: 1e308}\n"},
    [*BUILD_METHOD, "{case}/m.yaml"],
    "at most 1e+09",
)
data_case("excel_formula", xlsx({"s": [*table(ALL), ["AT", 2022, "a", "=1+1", None, "t"]]}),
          "found '=1+1'", ".xlsx")  # fmt: skip
data_case("excel_formula_country", xlsx({"s": [*table(ALL), ["=cmd|' /C calc'!A0", 2022, "a", 5, None, "t"]]}),
          "expected a code", ".xlsx")  # fmt: skip
data_case(
    "excel_corrupt", b"PK\x03\x04" + bytes(200), "cannot be read as an Excel workbook", ".xlsx"
)
data_case("excel_not_zip", "country,year\n", "cannot be read as an Excel workbook", ".xlsx")
data_case("excel_old_xls", b"\xd0\xcf\x11\xe0" + bytes(100), "old .xls format", ".xls")
data_case("excel_empty", xlsx({"s": []}), "a column named", ".xlsx")
data_case("excel_bool_value", xlsx({"s": [*table(ALL), ["AT", 2022, "a", True, None, "t"]]}),
          "found 'TRUE'", ".xlsx")  # fmt: skip


def parquet(lines: list[str], **extra: object) -> bytes:
    import pandas as pd

    frame = pd.DataFrame([line.split(",") for line in lines], columns=HEADER.split(","))
    frame = frame.astype({"year": "int64", "value": "float64"})
    for name, value in extra.items():
        frame[name] = value
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False, compression=None, write_page_checksum=True)
    return buffer.getvalue()


GOOD = parquet(ALL)
data_case("parquet_valid", GOOD, None, ".parquet")
flipped = bytearray(GOOD)
flipped[GOOD.find(struct.pack("<d", float(ALL[0].split(",")[3])))] ^= 0x10  # inside a value
data_case("parquet_flipped_bit", bytes(flipped), "Parquet", ".parquet")
data_case("parquet_truncated", GOOD[: len(GOOD) // 2], "not a readable Parquet file", ".parquet")
data_case(
    "parquet_garbage", b"PAR1" + bytes(50) + b"PAR1", "not a readable Parquet file", ".parquet"
)
data_case("parquet_nested", parquet(ALL, unit=[[1]] * len(ALL)), "neither text, numbers nor dates",
          ".parquet")  # fmt: skip
data_case("parquet_inf", parquet([*ALL, "AT,2022,a,inf,,t"]), "a finite number", ".parquet")

# -- publisher formats (data add) ------------------------------------------------------------
TSV = "freq,unit,geo\\TIME_PERIOD\t2023 \t2024 \nA,PC,AT\t5.0 \t6.0 e\nA,PC,BE\t7.0 \t: \n"
for name, content, expect in [
    ("eurostat_valid", TSV, None),
    ("eurostat_no_time", TSV.replace("\\TIME_PERIOD", ""), "first header cell"),
    ("eurostat_text", TSV.replace("5.0", "abc"), "found 'abc'"),
    ("eurostat_bad_flag", TSV.replace("6.0 e", "6.0 Q"), "flag"),
    ("eurostat_latin1", TSV.replace("PC", "Ö").encode("latin-1"), "not UTF-8 text"),
    ("eurostat_no_geo", TSV.replace("geo", "land"), "'geo' dimension"),
    ("eurostat_ragged", TSV + "A,PC\t1\n", "row 4:2023, column 'geo'"),
    ("eurostat_year_huge", TSV.replace("2024 ", "99999999999999999999 "), "period"),
    ("eurostat_inf", TSV.replace("5.0", "inf"), "a finite number"),
    ("eurostat_formula_geo", TSV.replace("A,PC,BE", "A,PC,=1+1"), "=1+1"),
    ("eurostat_duplicate_row", TSV + "A,PC,AT\t5.0 \t6.5 \n",
     "column 'freq,unit,geo\\\\TIME_PERIOD', country 'AT': expected each series key on one row only (the file itself has duplicate rows: this key is on rows 2 and 4; filters cannot separate them); found 'A,PC,AT'"),
    ("eurostat_two_series", TSV + "A,NR,AT\t50 \t60 \n",
     "the file holds several series per country and period, so pass filters to select one, e.g. on {'unit': ['NR', 'PC']}"),
    ("eurostat_one_country_twice", TSV.replace("A,PC,BE", "A,PC,EL") + "A,PC,GR\t5.0 \t6.5 \n",
     "row 3:2023, column 'country, period', indicator 'a', country 'GR', year 2023: expected one row per country and period ('EL' and 'GR' are one country: keep one row); found 'a duplicate of row 4:2023'"),
    ("eurostat_header_case", TSV.replace("geo\\", "GEO\\"),
     "expected a 'geo' dimension in the first header cell: found 'GEO', expected 'geo' (the names are case-sensitive); found 'freq,unit,GEO\\\\TIME_PERIOD'"),
]:  # fmt: skip
    case(name, {"data.tsv": content}, [*ADD, "{case}/data.tsv"], expect)
case("eurostat_gzip_corrupt", {"data.tsv.gz": b"\x1f\x8b" + bytes(30)}, [*ADD, "{case}/data.tsv.gz"],
     "cannot be read")  # fmt: skip
case("eurostat_gzip_valid", {"data.tsv.gz": gzip.compress(TSV.encode())},
     [*ADD, "{case}/data.tsv.gz"], None)  # fmt: skip
SDMX = "DATAFLOW,freq,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\nX,A,PC,AT,2023,5.0,\nX,A,PC,BE,2023,6.0,e\n"
for name, content, expect in [
    ("sdmx_valid", SDMX, None),
    ("sdmx_text", SDMX.replace("5.0", "five"), "found 'five'"),
    (
        "sdmx_duplicate",
        SDMX + "X,A,PC,AT,2023,5.5,\n",
        "the file itself has duplicate rows: this key is on rows 2 and 4",
    ),
    ("sdmx_two_series", SDMX + "X,A,NR,AT,2023,5.5,\n", "filter"),
    ("sdmx_missing_value_column", SDMX.replace("OBS_VALUE", "VALUE"), "a column named 'OBS_VALUE'"),
]:
    case(name, {"data.csv": content}, [*ADD, "{case}/data.csv"], expect)
WB = ('"Data Source","World Development Indicators",\n\n"Last Updated Date","2025-01-28",\n\n'
      '"Country Name","Country Code","Indicator Name","Indicator Code","2023","2024",\n'
      '"Austria","AUT","X","NY.X","5.0","6.0",\n"Belgium","BEL","X","NY.X","7.0","",\n')  # fmt: skip
for name, content, expect in [
    ("worldbank_valid", WB, None),
    ("worldbank_text", WB.replace('"5.0"', '"n/a"'), "found 'n/a'"),
    ("worldbank_latin1", WB.replace("Austria", "Österreich").encode("latin-1"), "not UTF-8 text"),
    ("worldbank_no_code", WB.replace("Country Code", "Code"), "Country Code"),
    ("worldbank_duplicate", WB + '"Austria","AUT","X","NY.X","5.5","6.5",\n',
     "row 6:2023, column 'country, period', indicator 'a', country 'AT', year 2023: expected one row per country and period; found 'a duplicate of row 8:2023'"),
]:  # fmt: skip
    case(name, {"data.csv": content}, [*ADD, "{case}/data.csv"], expect)
case("add_latin1_long", {"data.csv": (data_text(rows()) + "AT,2021,a,1,,Ö\n").encode("latin-1")},
     [*ADD, "{case}/data.csv"], "not UTF-8 text")  # fmt: skip
case("add_data_dir_is_file", {"data.csv": data_text(["AT,2024,a,5,,t"]), "store": "a file"},
     [*ADD, "{case}/data.csv"], "store")  # fmt: skip
case("add_unknown_format", {"data.json": "{}"}, [*ADD, "{case}/data.json"], "unsupported file type")
case("add_bad_filter", {"data.tsv": TSV}, [*ADD, "{case}/data.tsv", "--filter", "nothing"],
     "expected DIMENSION=VALUE")  # fmt: skip

# -- COINr tables ------------------------------------------------------------------------------
META = ("Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type\n"
        "1,a,A,1,1,,,,p,Indicator\n1,b,B,-1,1,,,,p,Indicator\n2,p,P,1,1,,,,idx,Aggregate\n"
        "3,idx,Index,1,1,,,,,Aggregate\n")  # fmt: skip
IDATA = "uCode,uName,Time,a,b\nAUT,Austria,2024,1,2\nBEL,Belgium,2024,3,4\nCZE,Czechia,2024,5,1\n"
COINR = ["build", "--coinr", "{case}/iData.csv", "{case}/iMeta.csv"]
for name, idata, meta, expect in [
    ("coinr_valid", IDATA, META, None),
    ("coinr_direction_five", IDATA, META.replace("1,a,A,1,", "1,a,A,5,"), "Input should be 1 or -1"),
    ("coinr_code_slash", IDATA.replace(",a,b", ",a/b,b"), META.replace(",a,A,", ",a/b,A,"),
     "invalid code"),
    ("coinr_unit_traversal", IDATA.replace("AUT,", "../../X,"), META, "'../../X'"),
    ("coinr_unit_formula", IDATA.replace("AUT,", "=1+1,"), META, "=1+1"),
    ("coinr_missing_meta_column", IDATA, META.replace("Direction", "Dir"), "lacks the columns"),
    ("coinr_no_root", IDATA, META.replace("3,idx,Index,1,1,,,,,Aggregate", "3,idx,Index,1,1,,,,p,Aggregate"),
     "no aggregate without a parent" if False else "iMeta"),
    ("coinr_missing_indicator_column", IDATA.replace(",b\n", ",x\n"), META, "no column for the iMeta codes"),
    ("coinr_weight_inf", IDATA, META.replace("1,b,B,-1,1,", "1,b,B,-1,inf,"), "row 3 ('b'): weight"),
    ("coinr_text_value", IDATA.replace("AUT,Austria,2024,1", "AUT,Austria,2024,one"), META, "found 'one'"),
    ("coinr_no_ucode", IDATA.replace("uCode", "code"), META, "uCode"),
    ("coinr_latin1", IDATA.replace("Austria", "Österreich").encode("latin-1"), META, "not UTF-8"),
    ("coinr_meta_header_case", IDATA, META.replace("iCode,iName,Direction,Weight,Unit", "icode,iName,direction,Weight,unit"),
     "/iMeta.csv: expected the columns ['Level', 'iCode', 'iName', 'Direction', 'Weight', 'Parent', 'Type'] (and optionally ['Unit', 'Target', 'Denominator', 'goalpost_lower', 'goalpost_upper']) written exactly so: found 'icode', expected 'iCode'; found 'direction', expected 'Direction'; found 'unit', expected 'Unit' (the names are case-sensitive); found ['Level', 'icode', 'iName', 'direction', 'Weight', 'unit', 'Target', 'Denominator', 'Parent', 'Type']"),
    ("coinr_data_header_case", IDATA.replace("uCode,uName,Time", "UCode,uname,time"), META,
     "/iData.csv: expected the columns ['uCode'] (and optionally ['uName', 'Time']) written exactly so: found 'UCode', expected 'uCode'; found 'uname', expected 'uName'; found 'time', expected 'Time' (the names are case-sensitive); found ['UCode', 'uname', 'time', 'a', 'b']"),
    ("coinr_indicator_column_case", IDATA.replace("Time,a,b", "Time,A,b"), META,
     "has no column for the iMeta codes ['a']: found 'A', expected 'a' (the names are case-sensitive)"),
]:  # fmt: skip
    case(name, {"iData.csv": idata, "iMeta.csv": meta}, COINR, expect)

# -- command-line options ------------------------------------------------------------------------
BUILD = ["build", "--framework", "{base}/framework.yaml", "--data", "{base}/data.csv",
         "--methodology", "{base}/methodology.yaml"]  # fmt: skip
REPORT = ["report", "--framework", "{base}/framework.yaml", "--data", "{base}/data.csv",
          "--methodology", "{base}/methodology.yaml"]  # fmt: skip
for name, args, expect in [
    ("cli_year_1e20", [*BUILD, "--year", "1e20"], "is not a valid integer"),
    ("cli_year_inf", [*BUILD, "--year", "inf"], "is not a valid integer"),
    ("cli_year_huge", [*BUILD, "--year", "99999999999999999999999"], "not in the result"),
    ("cli_year_negative", [*BUILD, "--year", "-5"], "not in the result"),
    ("cli_out_txt", [*BUILD, "--out", "{case}/x.txt"], "expected a .csv, .json or .xlsx"),
    ("cli_out_is_folder", [*BUILD, "--out", "{case}"], "expected a .csv, .json or .xlsx"),
    ("cli_out_under_file", [*BUILD, "--out", "{case}/f/x.csv"], "is a file, not a folder"),
    ("cli_explain_unknown_country", ["explain", "QQ", "a", *BUILD[1:]], "'QQ' is not in the result"),
    ("cli_explain_unknown_code", ["explain", "AT", "../x", *BUILD[1:]], "'../x'"),
    ("cli_report_lang_traversal", [*REPORT, "--lang", "../../x", "--out", "{case}/site"], "x"),
    ("cli_report_lang_unknown", [*REPORT, "--lang", "xx", "--out", "{case}/site"], "xx"),
    ("cli_report_out_file", [*REPORT, "--out", "{case}/f"], "is a file"),
    ("cli_report_template_missing", [*REPORT, "--template-dir", "{case}/none", "--out", "{case}/s"],
     "none"),
    ("cli_uncertainty_negative_n", ["uncertainty", *BUILD[1:], "-n", "-5", "--assumptions",
                                    "{base}/assumptions.yaml"], "-5"),
    ("cli_replications_zero", [*REPORT, "--replications", "0", "--uncertainty",
                               "{base}/assumptions.yaml", "--out", "{case}/s"], "0"),
    ("cli_sensitivity_n_text", ["sensitivity", *BUILD[1:], "-n", "many", "--assumptions",
                                "{base}/assumptions.yaml"], "is not a valid integer"),
    ("cli_methodology_is_folder", [*BUILD_METHOD, "{case}"], "does not exist"),
    ("cli_framework_folder_empty", ["build", "--framework", "{case}", "--data", "{base}/data.csv"],
     "No *.yaml framework file"),
]:  # fmt: skip
    files: dict[str, bytes | str] = (
        {"f": "a file"} if "out_file" in name or "under_file" in name else {}
    )
    case(name, files, args, expect)


# -- a second attack: encodings, layouts, YAML 1.1 numbers, layered inputs -------------------
data_case("enc_utf16le_no_bom", data_text(rows()).encode("utf-16-le"), "UTF-16 or UTF-32 without")
data_case("enc_utf32_bom", data_text(rows()).encode("utf-32"), None)
data_case("enc_nul_only", b"\0" * 64, "holds a NUL character")
fw_case("enc_fw_utf32_bom", FW.encode("utf-32"), None)
fw_case("enc_fw_utf16le_no_bom", FW.encode("utf-16-le"), "UTF-16 or UTF-32 without")
data_case("layout_short_row", data_text([*rows(), "AT,2022,a"]),
          "expected 6 cells in every row, as in the header; found fewer in row 42 (3)")  # fmt: skip
data_case("layout_duplicate_column",
          "country,year,indicator,value,value\n" + "".join(f"{r.rsplit(',', 2)[0]},9\n" for r in rows()),
          "names the column(s) ['value'] more than once")  # fmt: skip
data_case("layout_excel_duplicate_column", xlsx({"s": [["country", "year", "indicator", "value", "value"],
          *[[*r[:4], r[3]] for r in table(ALL)[1:]]]}), "sheet 's' names the column(s) ['value']", ".xlsx")  # fmt: skip


def parquet_columns(names: list[str]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    cells = [line.split(",") for line in ALL]
    columns = [pa.array([c[i] for c in cells]) for i in range(len(names))]
    buffer = io.BytesIO()
    pq.write_table(pa.table(columns, names=names), buffer)
    return buffer.getvalue()


data_case("layout_parquet_duplicate_column",
          parquet_columns(["country", "year", "indicator", "value", "value", "source"]),
          "names the column(s) ['value'] more than once", ".parquet")  # fmt: skip
data_case("data_header_case_xlsx", xlsx({"s": [["Country", "year", "INDICATOR", "value", "flag", "source"], *table(ALL)[1:]]}),
          "found 'Country', expected 'country'; found 'INDICATOR', expected 'indicator' (the names are case-sensitive); found ['Country', 'year', 'INDICATOR', 'value', 'flag', 'source']", ".xlsx")  # fmt: skip
data_case("data_header_case_parquet", parquet_columns(["country", "year", "indicator", "Value", "flag", "source"]),
          "found 'Value', expected 'value' (the names are case-sensitive); found ['country', 'year', 'indicator', 'Value', 'flag', 'source']", ".parquet")  # fmt: skip
case("add_header_case_long", {"data.csv": "Country,Year,Value\nAT,2023,1.5\nBE,2023,2.5\n"}, [*ADD, "{case}/data.csv"],
     "column 'Country, Year, Value': expected the columns ['country', 'year', 'value'] (and optionally ['indicator', 'flag', 'source', 'unit', 'vintage', 'provenance', 'data_year']) written exactly so: found 'Country', expected 'country'; found 'Year', expected 'year'; found 'Value', expected 'value' (the names are case-sensitive); found ['Country', 'Year', 'Value']")  # fmt: skip
case("sdmx_header_case", {"data.csv": SDMX.replace("geo,TIME_PERIOD", "GEO,Time_Period")}, [*ADD, "{case}/data.csv"],
     "column 'GEO, Time_Period': expected the columns ['geo', 'TIME_PERIOD', 'OBS_VALUE'] (and optionally ['OBS_FLAG']) written exactly so: found 'GEO', expected 'geo'; found 'Time_Period', expected 'TIME_PERIOD' (the names are case-sensitive); found ['DATAFLOW', 'freq', 'unit', 'GEO', 'Time_Period', 'OBS_VALUE', 'OBS_FLAG']")  # fmt: skip
fw_case("fw_key_case", FW.replace("indicators:", "Indicators:"),
        "('Indicators'): unknown key; did you mean 'indicators'? (the names are case-sensitive)")  # fmt: skip
fw_case("fw_index_key_case", FW.replace("name: Small index", "Name: Small index"),
        "(index.'Name'): unknown key; did you mean 'name'? (the names are case-sensitive)")  # fmt: skip
fw_case("fw_item_key_case", FW.replace("{code: a, name: A", "{Code: a, name: A"),
        "(indicators[0].Code): indicator '?': Extra inputs are not permitted (found 'a'); did you mean 'code'? (the names are case-sensitive)")  # fmt: skip
fw_case("fw_nested_key_case", FW.replace("bounds: {lower: 0", "bounds: {Lower: 0"),
        "(indicators[0].bounds.Lower): indicator 'a': Extra inputs are not permitted (found 0); did you mean 'lower'? (the names are case-sensitive)")  # fmt: skip
fw_case("fw_translation_key_case", FW + "translations:\n  de:\n    Nodes: {a: {name: Ah}}\n",
        "(translations.de.Nodes): Extra inputs are not permitted (found {'a': {'name': 'Ah'}}); did you mean 'nodes'? (the names are case-sensitive)")  # fmt: skip
case("assumptions_key_case", {"a.yaml": "Weights_noise: {1: 0.1}\n"}, [*UNCERTAINTY, "{case}/a.yaml"],
     "Weights_noise: Extra inputs are not permitted; did you mean 'weights_noise'? (the names are case-sensitive)")  # fmt: skip
fw_case("yaml11_weight_base60", indicator_line("weight: 1:30"), "(found '1:30')")
fw_case("yaml11_weight_leading_zero", indicator_line("weight: 010"), None)
fw_case("yaml11_int_tag_text", indicator_line("weight: !!int ten"), "'ten' is not an integer")

SHIPPED_ROW = "country,year,indicator,value\nAT,2019,accelerator_rmax,0.0\n"
case("layer_same_file_twice", {}, [*BUILD_DATA, "{base}/data.csv", "--data", "{base}/data.csv"],
     "the data file is given twice")  # fmt: skip
case("layer_file_and_its_folder", {"d/data.csv": data_text(rows())},
     [*BUILD_DATA, "{case}/d", "--data", "{case}/d/data.csv"], "the data file is given twice")  # fmt: skip
case("layer_same_name_overlap", {"a/data.csv": data_text(rows()[:21]), "b/data.csv": data_text(rows()[20:])},
     [*BUILD_DATA, "{case}/a/data.csv", "--data", "{case}/b/data.csv"],
     "b/data.csv:2, column 'country, year, indicator', indicator 'a', country 'CZ'")  # fmt: skip
case("layer_repeats_shipped_row", {"mine.csv": SHIPPED_ROW}, ["build", "--data", "{case}/mine.csv"],
     "mine.csv:2, column 'country, year, indicator', indicator 'accelerator_rmax'")  # fmt: skip
case("layer_header_case", {"mine.csv": SHIPPED_ROW.replace("country", "Country")}, ["build", "--data", "{case}/mine.csv"],
     "mine.csv: column 'Country': expected the columns ['country', 'year', 'indicator', 'value']")  # fmt: skip
case("layer_folder_header_case", {"d/data.csv": data_text(rows()), "d/more.csv": "Country,year,indicator,value\nAT,2022,a,1\n"},
     [*BUILD_DATA, "{case}/d"], "more.csv: column 'Country': expected the columns ['country', 'year', 'indicator', 'value'] (and optionally ['flag', 'source', 'unit', 'vintage', 'provenance', 'data_year']) written exactly so: found 'Country', expected 'country' (the names are case-sensitive); found ['Country', 'year', 'indicator', 'value']")  # fmt: skip
case("layer_index_name_conflict", {"fw/a.yaml": FW, "fw/b.yaml": "index: {name: Other}\n"},
     [*BUILD_FW, "{case}/fw"], "(index.name): is 'Other' here but 'Small index' in")  # fmt: skip
case("layer_index_same_name", {"fw/a.yaml": FW, "fw/b.yaml": "index: {name: Small index}\n"},
     [*BUILD_FW, "{case}/fw"], None)  # fmt: skip
case("layer_map_conflict", {"fw/a.yaml": FW + "map: {name: m, tiles: {AT: [1, 1]}}\n",
     "fw/b.yaml": "map: {name: n, tiles: {AT: [1, 2]}}\n"}, [*BUILD_FW, "{case}/fw"],
     "(map): is {'name': 'n'")  # fmt: skip
case("layer_translation_conflict", {"fw/a.yaml": FW + "translations: {de: {nodes: {a: {name: Ah}}}}\n",
     "fw/b.yaml": "translations: {de: {nodes: {a: {name: Aa}}}}\n"}, [*BUILD_FW, "{case}/fw"],
     "(translations.de.nodes.a.name): is 'Aa' here but 'Ah'")  # fmt: skip
case("layer_index_entry_on_shipped", {"fw.yaml": "index: {name: Mine}\nindicators:\n  - {code: mine, name: M, parent: compute}\n"},
     ["build", "--framework", "{case}/fw.yaml"], "so they define an index of their own")  # fmt: skip

for label, code in {"con": "CON", "nul_dot": "nul.x", "com1": "com1", "lpt9": "LPT9"}.items():
    data_case(f"code_windows_{label}_unit", data_text([*rows(), f"{code},2024,a,5,,t"]),
              "and not a name Windows keeps for a device")  # fmt: skip
    fw_case(f"code_windows_{label}_indicator", FW.replace("code: c,", f"code: {code},"),
            "is a name Windows keeps for a device")  # fmt: skip
data_case(
    "code_windows_lookalike_ok", data_text([*rows(), "CONS,2024,a,5,,t", "COM10,2024,a,5,,t"]), None
)
case("add_indicator_windows_aux", {"data.csv": data_text(rows())},
     ["data", "add", "{case}/data.csv", "--framework", "{base}/framework.yaml", "--data-dir",
      "{case}/store", "--indicator", "AUX"], "AUX")  # fmt: skip
case("cli_out_is_folder_named_csv", {"x.csv/keep": "mine"}, [*BUILD, "--out", "{case}/x.csv"],
     "x.csv: it is a folder; give a file name")  # fmt: skip
for name, args, expect in [
    ("cli_seed_negative", ["uncertainty", *BUILD[1:], "-n", "3", "--seed", "-1", "--assumptions",
                           "{base}/assumptions.yaml"], "seed must be 0 or more; found -1"),
    ("cli_replications_huge", ["uncertainty", *BUILD[1:], "-n", str(10**12), "--assumptions",
                               "{base}/assumptions.yaml"], "n must be from 1 to 1,000,000"),
    ("cli_sensitivity_n_huge", ["sensitivity", *BUILD[1:], "-n", str(2**40), "--assumptions",
                                "{base}/assumptions.yaml"], "power of two from 4 to 1,048,576"),
    ("cli_sensitivity_seed_negative", ["sensitivity", *BUILD[1:], "-n", "4", "--seed", "-3",
                                       "--assumptions", "{base}/assumptions.yaml"], "seed must be 0 or more"),
]:  # fmt: skip
    case(name, {}, args, expect)

method_case("method_p_large", "aggregate: {method: generalised, p: 400}\n", "ok: 99.9")
method_case("method_p_beyond_exponents", "aggregate: {method: generalised, p: 1e30}\n", "ok: 100.0")
method_case(
    "method_p_large_negative", "aggregate: {method: generalised, p: -400}\n", "needs values > 0"
)
method_case(
    "method_typo_key",
    "normalise: {methd: minmax}\n",
    "normalise.methd: unknown key; did you mean 'method'?",
)
method_case(
    "method_typo_step",
    "agregate: {method: geometric}\n",
    "agregate: unknown key; did you mean 'aggregate'?",
)
method_case("method_capitalised_step", "Normalise: {method: minmax}\n", "did you mean 'normalise'?")
method_case("method_unknown_key_huge_value", "normalise: {method: minmax, colour: " + "x" * 200_000 + "}\n",
            "normalise.colour: unknown key")  # fmt: skip
method_case("method_utf32_bom", "normalise: {method: minmax}\n".encode("utf-32"), None)
method_case("method_only_comment", "# nothing here\n", None)
method_case("method_base60_p", "aggregate: {method: generalised, p: 1:30}\n", "aggregate")

for name, idata, meta, expect in [
    ("coinr_weight_empty", IDATA, META.replace("1,b,B,-1,1,", "1,b,B,-1,,"), "row 3 ('b'): Weight: expected a number; found an empty cell"),
    ("coinr_level_text", IDATA, META.replace("3,idx,Index", "three,idx,Index"), "Level: expected a number; found 'three'"),
    ("coinr_level_fraction", IDATA, META.replace("3,idx,Index", "2.5,idx,Index"), "Level: expected a whole number"),
    ("coinr_bom_crlf", "\ufeff" + IDATA.replace("\n", "\r\n"), META.replace("\n", "\r\n"), None),
    ("coinr_duplicate_unit", IDATA + "AUT,Austria,2024,9,9\n", META, "found 'a duplicate of row"),
    ("coinr_duplicate_column", IDATA.replace("uCode,uName,Time,a,b", "uCode,uName,Time,a,a"), META, "names the column(s) ['a'] more than once"),
]:  # fmt: skip
    case(name, {"iData.csv": idata, "iMeta.csv": meta}, COINR, expect)
case("eurostat_duplicate_period", {"data.tsv": TSV.replace("2023 \t2024 ", "2023 \t2023 ")},
     [*ADD, "{case}/data.tsv"], "names the column(s) ['2023 '] more than once")  # fmt: skip
case("sdmx_duplicate_value_column", {"data.csv": SDMX.replace("OBS_FLAG", "OBS_VALUE")},
     [*ADD, "{case}/data.csv"], "names the column(s) ['OBS_VALUE'] more than once")  # fmt: skip
case("eurostat_crlf_bom", {"data.tsv": "\ufeff" + TSV.replace("\n", "\r\n")}, [*ADD, "{case}/data.tsv"],
     "ok: added 4")  # fmt: skip
case("cli_explain_country_case", {}, ["explain", "at", "a", *BUILD[1:]], "did you mean 'AT'?")
case("cli_explain_code_case", {}, ["explain", "AT", "A", *BUILD[1:]], "did you mean 'a'?")

case("add_sheet_on_csv", {"data.csv": data_text(rows())}, ["data", "add", "{case}/data.csv", *ADD_ANY[3:], "--sheet", "first"],
     "is named, but the file is not an Excel workbook")  # fmt: skip
case("add_sheet_on_tsv", {"data.tsv": TSV}, [*ADD, "{case}/data.tsv", "--sheet", "first"], "sheet")
for name, args, expect in [
    ("cli_jobs_huge", ["uncertainty", *BUILD[1:], "-n", "3", "--jobs", "100000", "--assumptions",
                       "{base}/assumptions.yaml"], "ok: 3 replications, 0 failed"),
    ("cli_sensitivity_jobs_zero", ["sensitivity", *BUILD[1:], "-n", "4", "--jobs", "0", "--assumptions",
                                   "{base}/assumptions.yaml"], "n_jobs must be a positive number of processes"),
    ("cli_report_year_absent", [*REPORT, "--year", "1999", "--out", "{case}/s"], "year 1999 is not in the result"),
]:  # fmt: skip
    case(name, {}, args, expect)

data_case(
    "unit_iso3_beside_iso2",
    data_text([*rows(), "AUT,2022,a,5,,t"]),
    "('AUT' and 'AT' are one country; write 'AT'",
)
data_case(
    "unit_name_beside_code",
    data_text([*rows(), "Austria,2022,a,5,,t"]),
    "('Austria' and 'AT' are one country",
)
data_case(
    "unit_el_beside_gr",
    data_text([*rows(), "EL,2022,a,5,,t", "GR,2022,a,6,,t"]),
    "('EL' and 'GR' are one country",
)
data_case(
    "value_huge_whole_number",
    data_text([*rows(), "AT,2022,b,99999999999999999999999999999999,,t"]),
    None,
)
method_case("method_minmax_reversed", "normalise:\n  method: minmax\n  lower: 100\n  upper: 0\n",
            "needs 'lower' < 'upper'")  # fmt: skip


def write(target: Path = HERE) -> None:
    """Write every case's files and ``cases.json``."""
    if target.exists():
        shutil.rmtree(target)
    base = target / "_base"
    base.mkdir(parents=True)
    (base / "framework.yaml").write_text(FW)
    (base / "data.csv").write_text(data_text(rows()))
    (base / "methodology.yaml").write_text(METHODOLOGY)
    (base / "assumptions.yaml").write_text(ASSUMPTIONS)
    listing = []
    for entry in CASES:
        folder = target / entry["name"]
        folder.mkdir()
        for name, content in (entry["files"] or {}).items():
            if content is None:
                continue
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            writer: Callable[[Any], int] = (
                path.write_bytes if isinstance(content, bytes) else path.write_text
            )
            writer(content)
        listing.append({k: entry[k] for k in ("name", "args", "expect")})
    (target / "cases.json").write_text(json.dumps(listing, indent=1) + "\n")


if __name__ == "__main__":
    write()
    print(f"{len(CASES)} cases written to {HERE}")
