"""The library is the index: ``build()`` gives what the command line prints and exports."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    shipped.flagged_scores().to_csv(library, index=False)
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
    assert shipped.record()["methodology"]["editions"] == {
        "count": 5,
        "max_age": None,
        "stale_after": 2,
    }


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
            found = getattr(ri, name)
            # ri.plot is the module of plot functions: each of them is callable
            assert callable(found) or callable(getattr(found, "bar", None)), name


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


# -- every public name works twice, also after its module is imported ---------------------
FIXTURE = Path(__file__).parent / "data" / "report"


@pytest.fixture(scope="module")
def mini() -> tuple[ri.Framework, ri.IndicatorData, ri.IndexResult]:
    """The report tests' small index: six countries, two pillars, five indicators."""
    fw = ri.load_framework(FIXTURE / "framework.yaml")
    data = ri.read_data(FIXTURE / "data.csv", framework=fw)
    return fw, data, ri.build(fw, data)


def _coinr_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    imeta = pd.DataFrame(
        {
            "Level": [1, 1, 2],
            "iCode": ["a", "b", "index"],
            "iName": ["A", "B", "Index"],
            "Direction": [1, -1, 1],
            "Weight": [1, 1, 1],
            "Parent": ["index", "index", None],
            "Type": ["Indicator", "Indicator", "Aggregate"],
        }
    )
    idata = pd.DataFrame(
        {"uCode": ["AT", "BE", "DE"], "uName": ["Austria", "Belgium", "Germany"],
         "Time": 2024, "a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0]}
    )  # fmt: skip
    return idata, imeta


def _calls(
    fw: ri.Framework, data: ri.IndicatorData, result: ri.IndexResult, tmp: Path
) -> dict[str, Callable[[], object]]:
    """A small call of every name in ``ri.__all__``."""
    rows = data.long[["country", "year", "indicator", "value", "flag", "source"]]
    rows.loc[rows["indicator"] == "hpc"].to_csv(tmp / "hpc.csv", index=False)
    assumptions = {"weights_noise": {2: 0.25}, "impute": [{"method": "mean"}, {"method": "median"}]}
    return {
        "Assumptions": lambda: ri.Assumptions.model_validate(assumptions),
        "Framework": lambda: ri.Framework(aggregates=fw.aggregates, indicators=fw.indicators),
        "IndexResult": lambda: ri.IndexResult(**result.__dict__),
        "IndicatorData": lambda: ri.IndicatorData(data.long),
        "Methodology": lambda: ri.Methodology.from_mapping({"normalise": {"method": "rank"}}),
        "add_data": lambda: ri.add_data(tmp / "hpc.csv", data_dir=tmp / "mine", framework=fw),
        "audit": lambda: ri.audit(result),
        "build": lambda: ri.build(fw, data),
        "compare": lambda: ri.compare(result, result),
        "leave_one_out": lambda: ri.leave_one_out(result, level=2),
        "optimise_weights": lambda: ri.optimise_weights(result),
        "distance_to_target": lambda: ri.distance_to_target(fw, data),
        "edition_data": lambda: ri.edition_data(fw, data, [2024]),
        "export_result": lambda: ri.export_result(result, tmp / "scores.csv"),
        "load_file": lambda: ri.load_file(tmp / "hpc.csv"),
        "load_framework": lambda: ri.load_framework(FIXTURE / "framework.yaml"),
        "load_methodology": lambda: ri.load_methodology(),
        "plot": lambda: ri.plot.bar(result),
        "prepare_data": lambda: ri.prepare_data(rows, fw),
        "read_coinr": lambda: ri.read_coinr(*_coinr_tables()),
        "read_data": lambda: ri.read_data(FIXTURE / "data.csv", framework=fw),
        "register_aggregation": lambda: ri.register_aggregation("api_twice")(_first_child),
        "register_imputation": lambda: ri.register_imputation("api_twice")(_same),
        "register_normalisation": lambda: ri.register_normalisation("api_twice")(_same),
        "register_treatment": lambda: ri.register_treatment("api_twice")(_same),
        "render_reports": lambda: ri.render_reports(result, tmp / "site"),
        "sensitivity": lambda: ri.sensitivity(fw, data, None, assumptions, n=16, n_bootstrap=10),
        "uncertainty": lambda: ri.uncertainty(fw, data, None, assumptions, n=10),
    }


def _same(x: Any) -> Any:
    return x


def _first_child(values: Any, weights: Any) -> Any:
    return values[..., 0]


def test_a_call_is_written_below_for_every_public_name(
    mini: tuple[ri.Framework, ri.IndicatorData, ri.IndexResult], tmp_path: Path
) -> None:
    assert sorted(_calls(*mini, tmp_path)) == sorted(ri.__all__)


@pytest.mark.parametrize("name", sorted(ri.__all__))
def test_every_public_name_works_twice_also_after_importing_its_module(
    name: str, mini: tuple[ri.Framework, ri.IndicatorData, ri.IndexResult], tmp_path: Path
) -> None:
    call = _calls(*mini, tmp_path)[name]
    first = call()
    importlib.import_module(ri._HOMES[name])
    second = call()
    assert type(second) is type(first), name
    assert getattr(ri, name) is getattr(importlib.import_module(ri._HOMES[name]), name)


# -- one argument order: framework, data, methodology -----------------------------------
_ORDER = ("framework", "data", "methodology")


def _positional(function: Callable[..., object]) -> list[str]:
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in inspect.signature(function).parameters.values() if p.kind in kinds]


def _public_functions() -> list[tuple[str, Callable[..., object]]]:
    """Every function in the ``__all__`` of the package and of its modules."""
    found = {}
    for module in pkgutil.walk_packages(ri.__path__, "readiness_index."):
        if module.name.startswith("readiness_index.cli"):
            continue
        loaded = importlib.import_module(module.name)
        for name in getattr(loaded, "__all__", ()):
            value = getattr(loaded, name)
            if inspect.isfunction(value) and value.__module__ == module.name:
                found[f"{module.name}.{name}"] = value
    return sorted(found.items())


@pytest.mark.parametrize(("name", "function"), _public_functions(), ids=lambda x: str(x))
def test_framework_data_and_methodology_come_in_that_order(
    name: str, function: Callable[..., object]
) -> None:
    named = [p for p in _positional(function) if p in _ORDER]
    assert named == sorted(named, key=_ORDER.index), f"{name}{inspect.signature(function)}"


@pytest.mark.parametrize(
    "call",
    [
        lambda fw, data: ri.build(data, fw),
        lambda fw, data: ri.distance_to_target(data, fw),
        lambda fw, data: ri.edition_data(data, fw, [2024]),
        lambda fw, data: pipeline.build(data, fw),
        lambda fw, data: ri.uncertainty(data, fw, None, {"weights_noise": {2: 0.25}}, n=10),
        lambda fw, data: ri.sensitivity(data, fw, None, {"weights_noise": {2: 0.25}}, n=16),
    ],
)
def test_swapped_framework_and_data_say_which_comes_first(
    call: Callable[..., object], mini: tuple[ri.Framework, ri.IndicatorData, ri.IndexResult]
) -> None:
    fw, data, _ = mini
    with pytest.raises(TypeError, match="the framework comes first"):
        call(fw, data)


def test_rebuild_needs_a_result_made_by_a_build(
    mini: tuple[ri.Framework, ri.IndicatorData, ri.IndexResult],
) -> None:
    _, _, result = mini
    pd.testing.assert_frame_equal(result.rebuild().scores, result.scores)
    orphan = ri.IndexResult(**{**result.__dict__, "builder": None})
    with pytest.raises(ri.errors.ComputationError, match="cannot be rebuilt"):
        orphan.rebuild()


def test_sensitivity_to_a_single_assumption_of_several_dimensions(
    mini: tuple[ri.Framework, ri.IndicatorData, ri.IndexResult],
) -> None:
    fw, data, _ = mini
    run = ri.sensitivity(fw, data, None, {"weights_noise": {2: 0.25}}, n=16, n_bootstrap=10)
    assert run.summary.index.tolist() == ["weights_noise.2"]
    assert run.n_runs == 16 * 3
