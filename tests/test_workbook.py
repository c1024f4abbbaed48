"""The .xlsx export's definition and analysis sheets (framework, weights, methodology,
notes, audit, uncertainty, sensitivity)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import readiness_index as ri

HDI = Path(__file__).parent / "data" / "hdi"


def test_the_export_carries_the_definitions(tmp_path: Path) -> None:
    result = ri.build(HDI, HDI / "data")
    path = ri.export_result(result, tmp_path / "hdi.xlsx")
    sheets = pd.read_excel(path, sheet_name=None)
    assert {"framework", "weights", "methodology", "notes", "record"} <= set(sheets)
    framework = sheets["framework"].set_index("code")
    assert framework.at["gni_per_capita", "transform"] == "log"
    assert framework.at["gni_per_capita", "goalpost_upper"] == 75000
    assert framework.at["hdi", "type"] == "aggregate"
    weights = sheets["weights"].set_index("code")
    assert weights.at["expected_schooling", "share_of_index"] == pytest.approx(1 / 6)
    settings = sheets["methodology"].set_index("setting")["value"].astype(str)
    assert settings["normalise.method"] == "goalposts"
    assert settings["aggregate.by_level.3.method"] == "geometric"


def test_the_export_carries_the_analyses_given(tmp_path: Path) -> None:
    result = ri.build()
    assumptions = {"impute": [{"method": "mean"}, {"method": "median"}]}
    args = (result.framework, result.source, result.methodology, assumptions)
    path = ri.export_result(
        result,
        tmp_path / "all.xlsx",
        audit=ri.audit(result),
        uncertainty=ri.uncertainty(*args, n=20),
        sensitivity=ri.sensitivity(*args, n=16, n_bootstrap=10),
    )
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    for name in ("audit_statistics", "audit_correlations", "audit_flags",
                 "uncertainty_ranks", "sensitivity"):  # fmt: skip
        assert name in names
    ranks = pd.read_excel(path, sheet_name="uncertainty_ranks")
    assert len(ranks) == 27 and "q95_rank" in ranks.columns
