"""End-to-end runs of the analysis commands as a user types them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from readiness_index.cli.analysis import audit_command, sensitivity_command, uncertainty_command

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "uncertainty.yaml"

SPEC = """\
normalise:
  - {method: minmax, lower: 1, upper: 100}
  - {method: zscore, mean: 10, sd: 2}
aggregate:
  - {method: arithmetic}
  - {method: geometric}
weights_noise: {2: 0.25, 3: 0.25}
"""


@pytest.fixture
def coinr_args(reference: Path) -> list[str]:
    return ["--coinr", str(reference / "iData.csv"), str(reference / "iMeta.csv")]


def test_audit_prints_tables_and_writes_them(coinr_args: list[str], tmp_path: Path) -> None:
    out = tmp_path / "audit"
    result = CliRunner().invoke(audit_command, [*coinr_args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Statistical audit (2018)" in result.output
    assert "TBTs: correlates negatively" in result.output
    assert {p.name for p in out.iterdir()} >= {"statistics.csv", "flags.csv", "weights.csv"}


def test_uncertainty_prints_rank_intervals(coinr_args: list[str], tmp_path: Path) -> None:
    spec = tmp_path / "assumptions.yaml"
    spec.write_text(SPEC)
    out = tmp_path / "ua"
    args = [*coinr_args, "--assumptions", str(spec), "-n", "200", "--seed", "3", "--out", str(out)]
    result = CliRunner().invoke(uncertainty_command, args)
    assert result.exit_code == 0, result.output
    assert "200 replications, 0 failed" in result.output
    assert "q95_rank" in result.output
    assert (out / "rank_stats.csv").read_text().startswith("country,nominal_rank")


def test_sensitivity_prints_indices(coinr_args: list[str], tmp_path: Path) -> None:
    spec = tmp_path / "assumptions.yaml"
    spec.write_text(SPEC)
    args = [*coinr_args, "--assumptions", str(spec), "-n", "64"]
    result = CliRunner().invoke(sensitivity_command, args)
    assert result.exit_code == 0, result.output
    assert "weights_noise.3" in result.output


BROAD = """\
normalise: [{method: minmax, lower: 1, upper: 100}]
aggregate:
  - {method: arithmetic}
  - {method: generalised, p: 2}
  - {method: median}
  - {method: copeland}
generalised_p: [0.5, 3]
weight_sets: {nominal: nominal, equal: equal}
weights_random:
  1: {distribution: dirichlet, concentration: 50}
  2: {distribution: uniform, width: 0.2}
"""


def test_both_commands_read_the_broader_assumptions(coinr_args: list[str], tmp_path: Path) -> None:
    spec = tmp_path / "assumptions.yaml"
    spec.write_text(BROAD)
    out = tmp_path / "ua"
    args = [*coinr_args, "--assumptions", str(spec), "-n", "100", "--out", str(out)]
    result = CliRunner().invoke(uncertainty_command, args)
    assert result.exit_code == 0, result.output
    assert "varied: aggregate, generalised_p, weight_sets, weights_random" in result.output
    parameters = pd.read_csv(out / "parameters.csv")
    assert {"weight_set", "generalised_p", "failed", "reason"} <= set(parameters.columns)
    assert set(parameters["aggregate"].str.split("(").str[0]) == {
        "arithmetic", "generalised", "median", "copeland"
    }  # fmt: skip
    args = [*coinr_args, "--assumptions", str(spec), "-n", "8", "--width", "1e-3"]
    args += ["--max-base-rows", "16", "--out", str(tmp_path / "sa")]
    result = CliRunner().invoke(sensitivity_command, args)
    assert result.exit_code == 0, result.output
    assert "NOT converged" in result.output and "N = 16" in result.output
    assert pd.read_csv(tmp_path / "sa" / "rounds.csv")["n"].tolist() == [8, 16]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("normalize: [{method: zscore}]", "Valid assumption names: aggregate, denominate"),
        ("weights_noise: {7: 0.2}", "valid levels are [1, 2, 3]"),
        ("normalise: [", "not valid YAML"),
        ("- a list", "must hold a mapping"),
    ],
)
def test_bad_assumptions_end_with_a_message(
    coinr_args: list[str], tmp_path: Path, text: str, words: str
) -> None:
    spec = tmp_path / "assumptions.yaml"
    spec.write_text(text)
    result = CliRunner().invoke(uncertainty_command, [*coinr_args, "--assumptions", str(spec)])
    assert result.exit_code == 1
    assert words in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_missing_assumptions_file(coinr_args: list[str], tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = CliRunner().invoke(uncertainty_command, [*coinr_args, "--assumptions", str(missing)])
    assert result.exit_code == 1
    assert "Assumptions file" in result.output and "does not exist" in result.output


def test_analyses_of_the_shipped_index_use_its_editions(tmp_path: Path) -> None:
    from readiness_index.cli.main import main

    out = tmp_path / "ua"
    args = ["uncertainty", "--assumptions", str(EXAMPLE), "-n", "64", "--out", str(out)]
    run = CliRunner().invoke(main, args)
    assert run.exit_code == 0, run.output
    stats = pd.read_csv(out / "rank_stats.csv").set_index("country")
    built = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "scores.csv")])
    assert built.exit_code == 0, built.output
    scores = pd.read_csv(tmp_path / "scores.csv")
    ranking = scores[(scores["year"] == 2025) & (scores["code"] == "index")]
    nominal = ranking.set_index("country")["rank"]
    assert stats.loc[nominal.index, "nominal_rank"].tolist() == nominal.tolist()
