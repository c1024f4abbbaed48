"""Shared fixtures: the reference folder, small frameworks and data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from readiness_index.model.data import IndicatorData, prepare_data
from readiness_index.model.framework import Aggregate, Framework, Indicator

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REFERENCE = SHARED / "reference" / "coinr_asem"


@pytest.fixture(scope="session")
def reference() -> Path:
    """COINr's ASEM reference folder (skips where ../shared is absent)."""
    if not REFERENCE.is_dir():
        pytest.skip(f"COINr reference files not found at {REFERENCE} (../shared is absent)")
    return REFERENCE


@pytest.fixture(scope="session")
def asem(reference: Path) -> tuple[Framework, IndicatorData]:
    from readiness_index.io.coinr import read_coinr

    return read_coinr(reference / "iData.csv", reference / "iMeta.csv")


def small_framework() -> Framework:
    """Index > two pillars > four indicators (one "lower is better")."""
    return Framework(
        code="index",
        name="Small index",
        aggregates=(
            Aggregate(code="index", name="Index"),
            Aggregate(code="p1", name="Pillar 1", parent="index"),
            Aggregate(code="p2", name="Pillar 2", parent="index", weight=3),
        ),
        indicators=(
            Indicator(code="a", name="A", parent="p1"),
            Indicator(code="b", name="B", parent="p1", direction=-1),
            Indicator(code="c", name="C", parent="p2"),
            Indicator(code="d", name="D", parent="p2", weight=2),
        ),
    )


def small_rows() -> pd.DataFrame:
    """Three countries, two years, four indicators, one missing value."""
    values = {
        ("X", 2023): [1.0, 10.0, 5.0, 2.0],
        ("Y", 2023): [3.0, 20.0, 6.0, 4.0],
        ("Z", 2023): [2.0, 30.0, None, 8.0],
        ("X", 2024): [2.0, 10.0, 7.0, 3.0],
        ("Y", 2024): [4.0, 15.0, 6.0, 5.0],
        ("Z", 2024): [3.0, 25.0, 9.0, 9.0],
    }
    rows = [
        {"country": c, "year": y, "indicator": code, "value": v, "flag": "", "source": "test"}
        for (c, y), vals in values.items()
        for code, v in zip("abcd", vals, strict=True)
    ]
    return pd.DataFrame(rows)


@pytest.fixture
def small() -> tuple[Framework, IndicatorData]:
    fw = small_framework()
    return fw, prepare_data(small_rows(), fw)
