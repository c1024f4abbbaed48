"""Codes are identifiers, file names stay in their folder, exports cannot execute."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from readiness_index.cli.main import main
from readiness_index.engine.pipeline import build
from readiness_index.errors import DataFileError, DataValidationError
from readiness_index.io.files import export_result, read_data
from readiness_index.io.safe import file_in_folder, is_formula_text, sanitise_frame, sheet_name
from readiness_index.model.data import prepare_data
from readiness_index.model.framework import Framework, Indicator
from readiness_index.model.identifiers import code_problem, is_code, safe_href, valid_codes
from tests.conftest import small_framework, small_rows

#: Every kind of code that breaks the rule.
RULE_BREAKERS = [
    "../../TRAVERSED", "..", ".", "./x", "a/b", "a\\b", "C:evil", "a:b", "=1+1", "+1", "-x",
    "@SUM(A1)", "\tx", "\rx", "", " ", "a b", "a..b", "a.", ".hidden", "javascript:alert(1)%2F%2F",
    "x" * 65, "é", "a\0b", "a\nb", "~user", "$HOME", "a|b", "a*b", "a?b", "<a>", "'a'", '"a"',
    "%2e%2e", "a;b", "a,b", "CON", "nul", "Aux", "prn.x", "COM1", "lpt9", "a\u200bb", "\u0410T",
]  # fmt: skip
VALID = ["AT", "top500_rmax", "DE11", "a", "9lives", "x.y-z_1", "x" * 64, "ConEcFin", "CONS",
         "COM10", "nullify", "x.con"]  # fmt: skip


@pytest.mark.parametrize("code", RULE_BREAKERS)
def test_rule_breakers_are_not_codes(code: str, tmp_path: Path) -> None:
    assert code_problem(code) is not None
    assert not valid_codes(pd.Series([code])).iloc[0]
    with pytest.raises(DataFileError, match="Cannot name a file"):
        file_in_folder(tmp_path, code, ".csv")


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_name_a_file_inside_the_folder(code: str, tmp_path: Path) -> None:
    assert is_code(code) and valid_codes(pd.Series([code])).iloc[0]
    path = file_in_folder(tmp_path, code, "-2025.html")
    assert path.parent == tmp_path and path.name == f"{code}-2025.html"


def test_a_suffix_cannot_leave_the_folder(tmp_path: Path) -> None:
    with pytest.raises(DataFileError):
        file_in_folder(tmp_path, "AT", "/../../x")


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://ec.europa.eu/eurostat", True),
        ("http://example.org/a?b=1#c", True),
        ("AT-2025.html", True),
        ("assets/report.css", True),
        ("#main", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("file:///etc/passwd", False),
        ("vbscript:x", False),
        ("//evil.example", False),
        ("https:evil", False),
        ("javascript:alert(1)%2F%2F-2025.html", False),
        ("", False),
        (None, False),
    ],
)
def test_only_relative_and_web_links_are_hrefs(url: str | None, kept: bool) -> None:
    assert (safe_href(url) == url) if kept else safe_href(url) is None


@pytest.mark.parametrize("code", ["../x", "a/b", "a:b", "=1+1"])
def test_framework_refuses_bad_codes(code: str) -> None:
    with pytest.raises(ValueError, match="invalid code"):
        Indicator(code=code, name="x", parent="index")


@pytest.mark.parametrize("code", ["../../TRAVERSED", "a/b", "x:y", "=cmd|' /C calc'!A0"])
def test_data_refuses_bad_unit_codes(code: str) -> None:
    rows = small_rows()
    rows.loc[0, "country"] = code
    with pytest.raises(DataValidationError, match="expected a code: 1-64 ASCII") as info:
        prepare_data(rows, small_framework())
    assert info.value.failures is not None
    assert code in set(info.value.failures["found"])


# -- exports -------------------------------------------------------------------------------
HOSTILE = "=cmd|' /C calc'!A0"


def _hostile_result() -> object:
    """A result whose unit and index names are formulas (codes cannot be, names can)."""
    fw = small_framework()
    dump = fw.model_dump()
    dump["name"] = '=HYPERLINK("x")'
    dump["indicators"][0]["name"] = "+1+1"
    fw = Framework.model_validate(dump)
    rows = small_rows().assign(source=["@SUM(A1)", "-2+3", "\tx", "\rx", "=1", "ok"] * 4)
    return build(fw, prepare_data(rows, fw, names={"X": HOSTILE}))


def _assert_no_formula_in_csv(path: Path) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            for cell in row:
                if is_formula_text(cell):
                    float(cell)  # only a number may start with '-' or '+'


def test_no_cell_of_a_csv_or_xlsx_export_is_a_formula(tmp_path: Path) -> None:
    result = _hostile_result()
    csv_path = export_result(result, tmp_path / "scores.csv")  # type: ignore[arg-type]
    xlsx_path = export_result(result, tmp_path / "all.xlsx")  # type: ignore[arg-type]
    _assert_no_formula_in_csv(csv_path)
    book = openpyxl.load_workbook(xlsx_path)
    cells = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                cells += 1
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert not (isinstance(cell.value, str) and is_formula_text(cell.value))
    assert cells > 100


def test_sanitised_frames_keep_numbers_and_mark_text() -> None:
    frame = pd.DataFrame({"=a": ["=1", "-x", "ok"], "v": [-1.0, 2.0, 3.0]}, index=["@i", "j", "k"])
    safe = sanitise_frame(frame)
    assert safe.columns.tolist() == ["'=a", "v"] and safe.index.tolist() == ["'@i", "j", "k"]
    assert safe["'=a"].tolist() == ["'=1", "'-x", "ok"] and safe["v"].tolist() == [-1.0, 2.0, 3.0]
    assert frame.columns.tolist() == ["=a", "v"]  # the input is left as it was


def test_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = set()
    names = [
        sheet_name(text, taken) for text in ["a" * 40, "a" * 40, "x[1]:*?/\\", "'q'", "history"]
    ]
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert len({n.casefold() for n in names}) == len(names)


def test_cli_refuses_a_traversing_unit_code_in_every_command(tmp_path: Path) -> None:
    rows = small_rows().replace({"country": {"X": "AT", "Y": "BE", "Z": "CZ"}})
    rows.loc[0, "country"] = "../../TRAVERSED"
    data = tmp_path / "data.csv"
    rows.to_csv(data, index=False)
    framework = tmp_path / "framework.yaml"
    framework.write_text(_yaml(small_framework()))
    assumptions = tmp_path / "a.yaml"
    assumptions.write_text("weights_noise: {1: 0.1}\n")
    common = ["--framework", str(framework), "--data", str(data)]
    out = tmp_path / "out"
    commands = [
        ["build", *common],
        ["explain", "X", "a", *common],
        ["report", *common, "--out", str(out / "site")],
        ["audit", *common],
        ["uncertainty", *common, "--assumptions", str(assumptions), "-n", "5"],
        ["sensitivity", *common, "--assumptions", str(assumptions), "-n", "8"],
        ["data", "add", str(data), "--framework", str(framework), "--data-dir", str(out)],
    ]
    for args in commands:
        run = CliRunner().invoke(main, args)
        assert run.exit_code == 1, (args, run.output)
        assert "'../../TRAVERSED'" in run.output and "expected" in run.output, (args, run.output)
        assert "Traceback" not in run.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(
        ["a.yaml", "data.csv", "framework.yaml"]
    )


def _yaml(fw: Framework) -> str:
    import yaml

    dump = fw.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(
        {
            "index": {"code": dump.get("code", "index"), "name": dump["name"]},
            "aggregates": dump["aggregates"],
            "indicators": dump["indicators"],
        }
    )


def test_indicator_data_built_directly_still_checks_codes() -> None:
    from readiness_index.model.data import IndicatorData

    long = pd.DataFrame({"country": ["../x"], "year": [2024], "indicator": ["a"], "value": [1.0]})
    with pytest.raises(DataValidationError, match="break the code rule"):
        IndicatorData(long)


def _data_folder_with_a_link(tmp_path: Path, target: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    small_rows().to_csv(folder / "rows.csv", index=False)
    (folder / "elsewhere.csv").symlink_to(target)
    return folder


def test_a_link_out_of_a_data_folder_is_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("country,year,indicator,value\nAT,2024,a,SECRET\n")
    folder = _data_folder_with_a_link(tmp_path, secret)
    with pytest.raises(DataFileError, match="leads to files outside it") as caught:
        read_data(folder, framework=small_framework())
    assert "SECRET" not in str(caught.value)
    assert set(caught.value.failures["reason"]) == {"outside_folder"}
    with pytest.raises(DataValidationError, match="found 'SECRET'"):  # named on its own: read
        read_data(folder / "elsewhere.csv", framework=small_framework())


def test_a_link_inside_a_data_folder_is_one_file_given_twice(tmp_path: Path) -> None:
    folder = _data_folder_with_a_link(tmp_path, tmp_path / "data" / "rows.csv")
    with pytest.raises(DataFileError, match=r"given as .* and as"):
        read_data(folder, framework=small_framework())


def test_framework_folders_read_no_file_outside_them(tmp_path: Path) -> None:
    from readiness_index.errors import DefinitionError
    from readiness_index.io.files import load_framework

    (tmp_path / "outside.yaml").write_text("indicators: []\n")
    folder = tmp_path / "fw"
    folder.mkdir()
    (folder / "x.yaml").symlink_to(tmp_path / "outside.yaml")
    with pytest.raises(DefinitionError, match=r"x\.yaml \(which is .*outside\.yaml\)"):
        load_framework(folder)
    (folder / "x.yaml").unlink()
    (folder / "framework.yaml").write_text("files: ['../*.yaml']\n")
    with pytest.raises(DefinitionError, match="leads to files outside it"):
        load_framework(folder)


def test_an_export_names_its_own_file_when_it_cannot_be_written(tmp_path: Path) -> None:
    from readiness_index.io.files import atomic_file

    (tmp_path / "x.csv").mkdir()
    with (
        pytest.raises(DataFileError, match=r"x\.csv: it is a folder"),
        atomic_file(tmp_path / "x.csv") as handle,
    ):
        handle.write("never")
    if not Path("/proc/self").exists():
        pytest.skip("no /proc file system, where no file can be made")
    unwritable = pytest.raises(DataFileError, match=r"Cannot write /proc/o\.csv: .*nothing")
    with unwritable, atomic_file("/proc/o.csv") as handle:
        handle.write("never")


def test_an_output_folder_that_cannot_be_written_is_named_itself() -> None:
    from readiness_index.io.files import atomic_directory

    if not Path("/proc/self").exists():
        pytest.skip("no /proc file system, where no folder can be made")
    unwritable = pytest.raises(DataFileError, match=r"Cannot write /proc/site: .*nothing")
    with unwritable, atomic_directory("/proc/site"):
        pass
