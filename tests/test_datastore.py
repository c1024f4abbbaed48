"""Plugging new data into a data folder: add, unchanged, conflicts, replace, the CLI."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from readiness_index.cli.data import data as data_group
from readiness_index.errors import DataConflictError, DataFileError, DataValidationError
from readiness_index.io.datastore import add_data
from readiness_index.io.files import read_data, read_table
from readiness_index.model.framework import Aggregate, Bounds, Framework, Indicator, Unit

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "data" / "loaders"
BAD = TESTS / "data" / "bad"
ROOT = TESTS.parent

FRAMEWORK = Framework(
    aggregates=(Aggregate(code="index", name="Index"),),
    indicators=(
        Indicator(code="ai_use_enterprises", name="AI use", parent="index",
                  bounds=Bounds(lower=0, upper=100)),
        Indicator(code="cloud_use", name="Cloud use", parent="index"),
    ),
    units=tuple(Unit(code=c, name=c) for c in ("AT", "BE", "CZ", "FR", "GR", "MT")),
)  # fmt: skip


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def test_add_to_an_empty_folder(tmp_path: Path) -> None:
    change = add_data(FIXTURES / "long.csv", data_dir=tmp_path, framework=FRAMEWORK)
    assert change.counts == {"added": 4, "replaced": 0, "unchanged": 0}
    assert change.files == (tmp_path / "ai_use_enterprises.csv",)
    stored = read_table(tmp_path / "ai_use_enterprises.csv")
    assert stored[["country", "year", "value", "flag"]].to_numpy().tolist() == [
        ["AT", "2023", "10.79", ""], ["CZ", "2024", "11.29", ""],
        ["GR", "2024", "9.88", "p"], ["MT", "2024", "", "c"],
    ]  # fmt: skip
    assert "added 4, replaced 0, unchanged 0" in change.summary()


def test_adding_the_same_rows_changes_nothing(tmp_path: Path) -> None:
    add_data(FIXTURES / "long.csv", data_dir=tmp_path, framework=FRAMEWORK)
    before = snapshot(tmp_path)
    change = add_data(FIXTURES / "long.csv", data_dir=tmp_path, framework=FRAMEWORK)
    assert change.counts == {"added": 0, "replaced": 0, "unchanged": 4}
    assert change.files == () and snapshot(tmp_path) == before


def test_publisher_file_merges_with_stored_rows(tmp_path: Path) -> None:
    add_data(FIXTURES / "long.csv", data_dir=tmp_path, framework=FRAMEWORK)
    change = add_data(
        FIXTURES / "eurostat_sdmx.csv", indicator="ai_use_enterprises", data_dir=tmp_path,
        framework=FRAMEWORK, filters={"indic_is": "E_AI_TANY"},
    )  # fmt: skip
    # AT 2023, GR 2024 and MT 2024 (missing, flag c) are the same; AT 2024 and FR 2023 are new
    assert change.counts == {"added": 2, "replaced": 0, "unchanged": 3}
    assert sorted(change.added["country"]) == ["AT", "FR"]
    assert len(read_data(tmp_path, framework=FRAMEWORK.model_copy(
        update={"indicators": FRAMEWORK.indicators[:1]})).long) == 6  # fmt: skip


def conflicting(tmp_path: Path) -> Path:
    path = tmp_path / "new.csv"
    path.write_text(
        "country,year,indicator,value,flag\n"
        "AT,2023,ai_use_enterprises,11.5,\n"
        "GR,2024,ai_use_enterprises,9.88,\n"
        "BE,2024,ai_use_enterprises,24.71,\n"
    )
    return path


def test_conflicts_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    add_data(FIXTURES / "long.csv", data_dir=folder, framework=FRAMEWORK)
    before = snapshot(folder)
    with pytest.raises(DataConflictError) as err:
        add_data(conflicting(tmp_path), data_dir=folder, framework=FRAMEWORK)
    message = str(err.value)
    assert "2 row(s) of" in message and "contradict the data stored in" in message
    assert (
        "AT 2023 ai_use_enterprises: stored 10.79 (flag '') in ai_use_enterprises.csv, "
        "new 11.5 (flag '')" in message
    )
    assert "GR 2024 ai_use_enterprises: stored 9.88 (flag 'p')" in message  # a flag differs
    assert "Pass replace=True (--replace)" in message
    assert err.value.failures is not None and len(err.value.failures) == 2
    assert snapshot(folder) == before


def test_replace_overwrites_and_reports(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    add_data(FIXTURES / "long.csv", data_dir=folder, framework=FRAMEWORK)
    change = add_data(conflicting(tmp_path), data_dir=folder, framework=FRAMEWORK, replace=True)
    assert change.counts == {"added": 1, "replaced": 2, "unchanged": 0}
    assert change.replaced[["country", "stored_value", "value"]].to_numpy().tolist() == [
        ["AT", 10.79, 11.5], ["GR", 9.88, 9.88],
    ]  # fmt: skip
    stored = read_table(folder / "ai_use_enterprises.csv").set_index(["country", "year"])
    assert stored.loc[("AT", "2023"), "value"] == "11.5"
    assert stored.loc[("GR", "2024"), "flag"] == ""
    assert len(stored) == 5


def test_replaced_rows_leave_the_file_that_held_them(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "mine.csv").write_text(
        "country,year,indicator,value\nAT,2023,ai_use_enterprises,10.0\nBE,2023,cloud_use,50\n"
    )
    change = add_data(conflicting(tmp_path), data_dir=folder, framework=FRAMEWORK, replace=True)
    assert folder / "mine.csv" in change.files
    assert read_table(folder / "mine.csv")["indicator"].tolist() == ["cloud_use"]
    assert len(read_data(folder, framework=FRAMEWORK).long) == 4


def test_bad_files_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    for name in ("duplicate_rows.csv", "text_in_number.csv", "unknown_country.csv"):
        with pytest.raises(DataFileError):
            add_data(BAD / name, data_dir=tmp_path / "data", framework=FRAMEWORK)
    assert not (tmp_path / "data").exists()


def test_rows_must_fit_the_framework(tmp_path: Path) -> None:
    path = tmp_path / "outside.csv"
    path.write_text(
        "country,year,indicator,value\nDE,2024,ai_use_enterprises,20\nAT,2024,ai_use_enterprises,120\n"
        "AT,2024,robots,3\n"
    )
    with pytest.raises(DataValidationError) as err:
        add_data(path, data_dir=tmp_path / "data", framework=FRAMEWORK)
    message = str(err.value)
    assert (
        "row 2, column 'country', indicator 'ai_use_enterprises', country 'DE', year 2024: "
        "expected a unit declared in the framework; found 'DE'" in message
    )
    assert set(err.value.failures["reason"]) == {
        "unknown_unit",
        "out_of_bounds",
        "unknown_indicator",
    }
    assert "expected a value within the plausible bounds [0.0, 100.0]; found 120.0" in message
    assert "expected an indicator or denominator code of the framework" in message
    assert "found 'robots'" in message
    assert "at least one value for every indicator" not in message  # one file need not cover all
    assert not (tmp_path / "data").exists()


def test_cli_data_add(tmp_path: Path) -> None:
    runner = CliRunner()
    args = [
        "add", str(FIXTURES / "eurostat_sdmx.csv"), "--indicator", "ai_use_enterprises",
        "--data-dir", str(tmp_path / "data"), "--framework", str(ROOT / "indicators"),
        "--filter", "indic_is=E_AI_TANY",
    ]  # fmt: skip
    result = runner.invoke(data_group, args)
    assert result.exit_code == 0, result.output
    assert "added 5, replaced 0, unchanged 0 row(s)" in result.output
    assert "ai_use_enterprises.csv" in result.output and "added:" in result.output
    again = runner.invoke(data_group, args)
    assert "added 0, replaced 0, unchanged 5 row(s); no file written" in again.output


def test_cli_conflict_exits_with_the_message(tmp_path: Path) -> None:
    runner = CliRunner()
    folder = str(tmp_path / "data")
    base = ["--data-dir", folder, "--framework", str(ROOT / "indicators")]
    assert runner.invoke(data_group, ["add", str(FIXTURES / "long.csv"), *base]).exit_code == 0
    result = runner.invoke(data_group, ["add", str(conflicting(tmp_path)), *base])
    assert result.exit_code == 1
    assert "Error: 2 row(s) of" in result.output and "--replace" in result.output
    replaced = runner.invoke(data_group, ["add", str(conflicting(tmp_path)), *base, "--replace"])
    assert replaced.exit_code == 0 and "replaced 2" in replaced.output


def test_cli_bad_filter_and_missing_indicator(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        data_group, ["add", str(FIXTURES / "eurostat.tsv"), "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 1 and "holds no indicator code; name it" in result.output
    result = runner.invoke(
        data_group,
        ["add", str(FIXTURES / "eurostat.tsv"), "-i", "ict", "--filter", "nokey", "--data-dir",
         str(tmp_path)],
    )  # fmt: skip
    assert result.exit_code == 2 and "expected DIMENSION=VALUE" in result.output


def test_shipped_framework_accepts_real_style_data(tmp_path: Path) -> None:
    table = pd.read_csv(FIXTURES / "long.csv", dtype=str, keep_default_na=False)
    table.to_parquet(tmp_path / "new.parquet")
    change = add_data(tmp_path / "new.parquet", data_dir=tmp_path / "data", framework=FRAMEWORK)
    assert change.counts["added"] == 4


def test_an_interrupted_add_leaves_the_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = pd.DataFrame({
        "country": ["AT", "BE", "AT", "BE"], "year": [2024] * 4,
        "indicator": ["ai_use_enterprises"] * 2 + ["cloud_use"] * 2, "value": [1.0, 2.0, 3.0, 4.0],
    })  # fmt: skip
    rows.to_csv(tmp_path / "new.csv", index=False)
    store = tmp_path / "store"
    store.mkdir()
    (store / "keep.txt").write_text("mine")
    written = pd.DataFrame.to_csv
    calls: list[int] = []

    def interrupted(self: pd.DataFrame, *args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:  # Ctrl-C while the second indicator's file is written
            raise KeyboardInterrupt
        return written(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(pd.DataFrame, "to_csv", interrupted)
    with pytest.raises(KeyboardInterrupt):
        add_data(tmp_path / "new.csv", data_dir=store, framework=FRAMEWORK)
    assert snapshot(store) == {"keep.txt": b"mine"}  # neither file, and no temporary one
