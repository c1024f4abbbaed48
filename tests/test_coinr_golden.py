"""Golden tests: COINr 1.1.14's own ASEM example, every number of every level."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from readiness_index.engine.pipeline import build
from readiness_index.engine.results import IndexResult
from readiness_index.model.data import IndicatorData
from readiness_index.model.framework import Framework

EXAMPLE_FULL = {
    "denominate": {"enabled": True},
    "impute": {"method": "group_mean", "group": "EurAsia_group"},
    "screen": {"method": "missing", "min_coverage": 0.9},
    "treat": {"method": "winsorise", "max_points": 5},
    "normalise": {"method": "minmax", "lower": 0, "upper": 100},
    "aggregate": {"method": "arithmetic"},
}


def _reference(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name).set_index("uCode")


def _assert_same(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    ours = ours.droplevel("year")
    assert sorted(ours.index) == sorted(theirs.index)
    assert set(theirs.columns) <= set(ours.columns)
    expected = theirs.astype("float64")
    got = ours.loc[theirs.index, theirs.columns]
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=0, atol=1e-9)


def _assert_ranks(result: IndexResult, theirs: pd.DataFrame) -> None:
    ranks = result.scores.pivot(index="country", columns="code", values="rank")
    got = ranks.loc[theirs.index, theirs.columns].astype("float64")
    np.testing.assert_array_equal(got.to_numpy(), theirs.astype("float64").to_numpy())


@pytest.fixture(scope="module")
def default_build(asem: tuple[Framework, IndicatorData]) -> IndexResult:
    return build(*asem)


@pytest.fixture(scope="module")
def full_build(asem: tuple[Framework, IndicatorData]) -> IndexResult:
    return build(*asem, EXAMPLE_FULL)


def test_reader_matches_coinr_structure(asem: tuple[Framework, IndicatorData]) -> None:
    fw, data = asem
    assert len(fw.indicators) == 49
    assert fw.max_level == 4
    assert len(data.countries) == 51
    assert (
        int(data.long.loc[data.long["indicator"].isin(fw.indicator_codes), "value"].isna().sum())
        == 63
    )


@pytest.mark.parametrize("dataset", ["normalised", "aggregated"])
def test_default_build_matches_coinr(
    default_build: IndexResult, reference: Path, dataset: str
) -> None:
    _assert_same(default_build.datasets[dataset], _reference(reference, f"default_{dataset}.csv"))


def test_default_ranks_match_coinr(default_build: IndexResult, reference: Path) -> None:
    _assert_ranks(default_build, _reference(reference, "default_ranks.csv"))


def test_default_weights_match_coinr(default_build: IndexResult, reference: Path) -> None:
    weights = pd.read_csv(reference / "default_weights.csv")
    for row in weights.itertuples():
        assert default_build.weights[row.iCode] == row.Weight


@pytest.mark.parametrize(
    "dataset",
    ["raw", "denominated", "imputed", "screened", "treated", "normalised", "aggregated"],
)
def test_example_full_matches_coinr(full_build: IndexResult, reference: Path, dataset: str) -> None:
    _assert_same(full_build.datasets[dataset], _reference(reference, f"example_full_{dataset}.csv"))


def test_example_full_ranks_match_coinr(full_build: IndexResult, reference: Path) -> None:
    _assert_ranks(full_build, _reference(reference, "example_full_ranks.csv"))


def test_example_full_treatment_matches_coinr(full_build: IndexResult, reference: Path) -> None:
    details = pd.read_csv(reference / "example_full_treat_details.csv").set_index("iCode")
    log = full_build.treatment.set_index("indicator")
    np.testing.assert_allclose(
        log.loc[details.index, "skew_before"], details["check_SkewKurt0.Skew"], atol=1e-9
    )
    np.testing.assert_allclose(
        log.loc[details.index, "kurtosis_before"], details["check_SkewKurt0.Kurt"], atol=1e-9
    )
    treated = details[details["winsorise.nwin"].notna()]
    assert (log.loc[treated.index, "treatment"] == "winsorise").all()
    assert (
        log.loc[treated.index, "points"].tolist() == treated["winsorise.nwin"].astype(int).tolist()
    )
    np.testing.assert_allclose(
        log.loc[treated.index, "skew_after"], treated["check_SkewKurt1.Skew"], atol=1e-9
    )
    untreated = details.index.difference(treated.index)
    assert (log.loc[untreated, "treatment"] == "none").all()


def test_example_full_screens_no_unit(full_build: IndexResult, reference: Path) -> None:
    meta = json.loads((reference / "example_full.json").read_text())
    assert full_build.screened_out["country"].tolist() == meta["units_screened_out"]


def test_cli_build_on_coinr_files(reference: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from readiness_index.cli.main import main

    out = tmp_path / "scores.csv"
    args = [
        "build",
        "--coinr",
        str(reference / "iData.csv"),
        str(reference / "iMeta.csv"),
        "--out",
        str(out),
    ]
    run = CliRunner().invoke(main, args)
    assert run.exit_code == 0, run.output
    assert "Sustainable Connectivity" in run.output
    scores = pd.read_csv(out)
    top = scores[(scores["code"] == "Index") & (scores["rank"] == 1)]["country"].tolist()
    ranks = _reference(reference, "default_ranks.csv")
    assert top == ranks.index[ranks["Index"] == 1].tolist()
