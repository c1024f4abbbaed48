"""The command line as a user types it: outputs, exports and errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from readiness_index.cli.main import main

BAD = Path(__file__).parent / "data" / "bad"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_build_the_shipped_index_prints_the_ranking() -> None:
    code, output = _run("build")
    assert code == 0, output
    assert "European AI Readiness Index: ranking for 2025" in output
    lines = [line for line in output.splitlines() if line.strip().startswith(("1 ", "27 "))]
    assert len(lines) == 2
    assert "data years" in output


def test_build_an_earlier_edition() -> None:
    code, output = _run("build", "--year", "2023")
    assert code == 0, output
    assert "ranking for 2023" in output


@pytest.mark.parametrize("suffix", [".csv", ".json", ".xlsx"])
def test_exports(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"result{suffix}"
    code, output = _run("build", "--out", str(out))
    assert code == 0, output
    if suffix == ".csv":
        scores = pd.read_csv(out)
        assert {"country", "year", "code", "level", "score", "rank"} <= set(scores.columns)
    elif suffix == ".json":
        payload = json.loads(out.read_text())
        assert len(payload["framework_hash"]) == 64 and payload["scores"]
        assert payload["methodology"]["normalise"]["method"] == "goalposts"
    else:
        sheets = pd.read_excel(out, sheet_name=None)
        assert {
            "raw",
            "normalised",
            "aggregated",
            "scores",
            "record",
            "flags",
            "data_years",
        } <= set(sheets)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left


def test_unknown_export_type_fails_cleanly(tmp_path: Path) -> None:
    code, output = _run("build", "--out", str(tmp_path / "result.txt"))
    assert code == 1
    assert "expected a .csv, .json or .xlsx file name" in output
    assert "Traceback" not in output
    assert not (tmp_path / "result.txt").exists()


def test_bad_framework_ends_with_the_message_and_status_1() -> None:
    code, output = _run("build", "--framework", str(BAD / "core_framework_direction.yaml"))
    assert code == 1
    assert "indicators[0].direction" in output and "Traceback" not in output


def test_bad_data_lists_every_failure() -> None:
    from readiness_index.io.files import bundled_path

    code, output = _run(
        "build",
        "--framework",
        str(bundled_path("indicators")),
        "--data",
        str(BAD / "core_data_everything_wrong.csv"),
    )
    assert code == 1
    assert "problem(s) in the indicator data" in output and "Traceback" not in output


def test_methodology_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "methodology.yaml"
    bad.write_text("normalise: {method: minmix}\n")
    code, output = _run("build", "--methodology", str(bad))
    assert code == 1
    assert str(bad) in output and "normalise.method" in output


@pytest.mark.parametrize(
    ("year", "message"),
    [("2030", "No edition 2030: the data run from"), ("2019", "no data in it: ['energy']")],
)
def test_editions_without_scores_are_refused(year: str, message: str) -> None:
    for command in ("build", "report"):
        code, output = _run(command, "--year", year)
        assert code == 1 and message in output and "Traceback" not in output


def test_an_unwritable_output_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, output = _run("build", "--out", str(blocker / "scores.csv"))
    assert code == 1 and "Traceback" not in output and str(blocker) in output


@pytest.mark.parametrize(
    ("name", "words"),
    [("scores.ods", "expected a .csv, .json or .xlsx"), ("folder.csv", "it is a folder")],
)
def test_an_output_that_cannot_be_written_is_refused_before_the_build(
    tmp_path: Path, name: str, words: str
) -> None:
    (tmp_path / "folder.csv").mkdir()
    code, output = _run("build", "--out", str(tmp_path / name))
    assert code == 1 and words in output
    assert "ranking for" not in output  # said before the work, not after it


def test_long_failure_tables_are_printed_in_full(tmp_path: Path) -> None:
    rows = ["country,year,indicator,value,flag,source"]
    rows += [f"XX,{2000 + i},accelerator_rmax,1,,test" for i in range(25)]
    bad = tmp_path / "many.csv"
    bad.write_text("\n".join(rows) + "\n")
    from readiness_index.io.files import bundled_path

    code, output = _run("build", "--data", str(bad), "--framework", str(bundled_path("indicators")))
    assert code == 1
    assert "All " in output and output.count("XX") >= 25


def test_explain_a_pillar_and_an_indicator() -> None:
    code, output = _run("explain", "DE", "compute")
    assert code == 0, output
    assert "Compute (compute), Germany, 2025" in output and "contribution" in output
    code, output = _run("explain", "DE", "accelerator_rmax", "--year", "2024")
    assert code == 0, output
    assert "denominated" in output and "contribution to index" in output
    assert "denominator year" in output
    code, output = _run("explain", "PT", "coverage_5g")
    assert code == 0 and "stale: older than stale_after" in output and "2021" in output
    code, output = _run("explain", "QQ", "compute")
    assert code == 1 and "country 'QQ' is not in the result" in output
