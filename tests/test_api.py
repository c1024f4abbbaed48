"""The library is the index: ``build()`` gives what the command line prints and exports."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import readiness_index as ri
from readiness_index.cli.main import main
from readiness_index.engine import pipeline


@pytest.fixture(scope="module")
def shipped() -> ri.IndexResult:
    return ri.build()


def test_build_without_arguments_is_the_command_lines_index(
    shipped: ri.IndexResult, tmp_path: Path
) -> None:
    library = tmp_path / "a.csv"
    command = tmp_path / "b.csv"
    shipped.scores.to_csv(library, index=False)
    result = CliRunner().invoke(main, ["build", "--out", str(command)])
    assert result.exit_code == 0, result.output
    assert library.read_bytes() == command.read_bytes()
    printed = shipped.table().to_string(index=False)
    assert printed in result.output


def test_build_with_the_shipped_inputs_as_objects_is_the_same_index(
    shipped: ri.IndexResult,
) -> None:
    fw = ri.load_framework()
    again = ri.build(fw, ri.read_data(framework=fw), ri.load_methodology())
    pd.testing.assert_frame_equal(again.scores, shipped.scores)


def test_an_earlier_edition_matches_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    result = CliRunner().invoke(main, ["build", "--year", "2023", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert ri.build(year=2023).table(2023).to_string(index=False) in result.output
    assert pd.read_csv(out)["year"].max() == 2023


def test_rebuild_replays_the_editions(shipped: ri.IndexResult) -> None:
    again = shipped.rebuild()
    pd.testing.assert_frame_equal(again.scores, shipped.scores)
    assert shipped.record()["methodology"]["editions"] == {"count": 5, "max_age": None}


def test_a_dataframe_for_data_is_a_clear_type_error() -> None:
    fw = ri.load_framework()
    with pytest.raises(TypeError, match="prepare_data"):
        pipeline.build(fw, pd.DataFrame(), None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="prepare_data"):
        ri.build(fw, pd.DataFrame())  # type: ignore[arg-type]


def test_a_year_without_editions_is_refused() -> None:
    fw = ri.load_framework()
    with pytest.raises(ri.errors.MethodologyError, match="editions"):
        ri.build(fw, ri.read_data(framework=fw), {}, year=2024)


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("audit", "readiness_index.analysis.audit"),
        ("uncertainty", "readiness_index.analysis.uncertainty"),
        ("sensitivity", "readiness_index.analysis.sensitivity"),
        ("render_reports", "readiness_index.report.site"),
        ("add_data", "readiness_index.io.datastore"),
        ("load_file", "readiness_index.io.loaders"),
        ("build", "readiness_index.engine.pipeline"),
    ],
)
def test_public_functions_stay_functions_after_their_module_is_imported(
    name: str, module: str
) -> None:
    first = getattr(ri, name)
    importlib.import_module(module)
    assert callable(getattr(ri, name))
    assert getattr(ri, name) is first


def test_every_public_name_is_callable_or_a_class_twice() -> None:
    for name in ri.__all__:
        for _ in range(2):
            assert callable(getattr(ri, name)), name


def test_uncertainty_twice_in_one_process() -> None:
    code = (
        "import readiness_index as ri\n"
        "r = ri.build()\n"
        "a = ri.Assumptions.model_validate({'weights_noise': {2: 0.25}})\n"
        "for _ in range(2):\n"
        "    run = ri.uncertainty(r.framework, r.source, r.methodology, a, n=20, seed=1)\n"
        "print(len(run.rank_stats))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "27"
