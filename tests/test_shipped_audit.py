"""The shipped index passes its own statistical audit, in every edition.

The thresholds (JRC practice) and the breaches accepted, each with its reason, are
declared in ``indicators/methodology.yaml`` under ``audit``; a breach not named there
fails here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import readiness_index as ri
from readiness_index.analysis.audit import breaches, pillar_weights
from readiness_index.engine.results import IndexResult
from readiness_index.io.files import export_result
from readiness_index.model.methodology import AuditSpec


@pytest.fixture(scope="module")
def shipped() -> IndexResult:
    return ri.build()


def _spec(result: IndexResult) -> AuditSpec:
    assert result.methodology.audit is not None, "the shipped methodology declares its audit"
    return result.methodology.audit


@pytest.mark.parametrize("year", [2021, 2022, 2023, 2024, 2025])
def test_every_edition_passes_its_audit(shipped: IndexResult, year: int) -> None:
    found = breaches(shipped, _spec(shipped), year)
    unjustified = found.loc[~found["justified"]]
    assert unjustified.empty, "\n" + unjustified[["key", "message"]].to_string()


def test_thresholds_are_the_declared_jrc_ones(shipped: IndexResult) -> None:
    spec = _spec(shipped)
    assert (spec.max_pair_correlation, spec.skew, spec.kurtosis) == (0.92, 2.0, 3.5)
    assert spec.weight_tolerance == 0.5
    assert all(reason.strip() for reason in spec.justified.values())


def test_2025_has_no_redundant_pair_and_no_indicator_against_its_pillar(
    shipped: IndexResult,
) -> None:
    found = breaches(shipped, _spec(shipped), 2025)
    checks = set(found["check"])
    assert not checks & {"high correlation", "negative correlation", "undefined correlation"}
    assert not checks & {"outliers"}


def test_a_breach_is_found_and_named() -> None:
    """A known answer: with a threshold of 0.5, some 2025 pair breaches, unjustified."""
    result = ri.build()
    found = breaches(result, AuditSpec(max_pair_correlation=0.5), 2025)
    high = found.loc[found["check"] == "high correlation"]
    assert "above_basic_digital_skills,ict_specialists" in set(high["code"])
    assert not high["justified"].any()


def test_pillar_weights_add_up_to_one(shipped: IndexResult) -> None:
    weights = pillar_weights(shipped, 2025)
    assert weights["nominal_weight"].sum() == pytest.approx(1.0)
    assert weights["effective_weight"].sum() == pytest.approx(1.0, abs=1e-9)


def test_a_stale_value_is_marked_in_the_csv(shipped: IndexResult, tmp_path: Path) -> None:
    path = export_result(shipped, tmp_path / "s.csv")
    table = pd.read_csv(path, keep_default_na=False)
    row = table.loc[(table["country"] == "PT") & (table["year"] == 2025)
                    & (table["code"] == "coverage_5g")].iloc[0]  # fmt: skip
    assert str(row["data_year"]) == "2021" and "o" in row["flags"] and "h" in row["flags"]
    fresh = table.loc[(table["country"] == "PT") & (table["year"] == 2025)
                      & (table["code"] == "accelerator_rmax")].iloc[0]  # fmt: skip
    assert fresh["flags"] == "" and str(fresh["denominator_year"]) == "2024"
