"""The shipped European AI Readiness Index: framework, data, coverage claims, docs, build."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pycountry
import pytest

from readiness_index.engine.editions import edition_data
from readiness_index.engine.pipeline import build
from readiness_index.io.files import load_assumptions, load_framework, load_methodology, read_data
from readiness_index.model.data import IndicatorData
from readiness_index.model.framework import Framework
from readiness_index.report.datadoc import render_data_doc
from readiness_index.report.reviewdoc import render_plausibility

ROOT = Path(__file__).resolve().parents[1]
INDICATORS = ROOT / "indicators"
RAW = Path(__file__).parents[1].parent / "shared" / "data" / "raw"
METHODOLOGY = {
    "denominate": {"enabled": True},
    "impute": {"method": "mean"},
    "normalise": {"method": "goalposts"},
}
PILLARS = ["compute", "energy", "data_spaces", "skills", "regulatory_fragmentation"]


@pytest.fixture(scope="module")
def framework() -> Framework:
    return load_framework(INDICATORS)


@pytest.fixture(scope="module")
def shipped(framework: Framework) -> IndicatorData:
    return read_data(INDICATORS / "data", framework=framework)


def test_pillars_equal_weights_and_adoption_off(framework: Framework) -> None:
    assert framework.children(framework.root) == (*PILLARS, "adoption")
    assert all(framework.nodes[p].weight == 1 for p in PILLARS)
    assert not framework.nodes["adoption"].active
    active = framework.active()
    assert {i.parent for i in active.indicators} == set(PILLARS)


def test_every_indicator_is_documented(framework: Framework) -> None:
    for ind in framework.indicators:
        assert ind.unit and ind.description and ind.rationale, ind.code
        assert ind.source is not None and ind.source.url and ind.source.licence, ind.code
        assert ind.source.dataset and ind.source.filter, ind.code
        assert ind.goalposts is not None and ind.max_age is not None, ind.code


def test_targets_are_the_policy_ones(framework: Framework) -> None:
    targets = {i.code: (i.target.value, i.target.year) for i in framework.indicators if i.target}
    assert targets["basic_digital_skills"] == (80, 2030)
    # RED III's 42.5% is a share of all energy; the index measures electricity.
    assert "renewable_electricity" not in targets
    assert targets["ai_use_enterprises"] == targets["cloud_use"] == (75, 2030)
    assert targets["big_data_use"] == (0.75, 2030)  # DESI share, 0-1
    assert targets["digital_intensity"] == (90, 2030)


def test_units_are_the_eu27_with_iso_codes_and_pycountry_names(framework: Framework) -> None:
    units = {u.code: u.name for u in framework.units}
    assert len(units) == 27 and "GR" in units and "EL" not in units
    for code, name in units.items():
        assert getattr(pycountry.countries.get(alpha_2=code), "name", None) == name


def test_denominators_are_declared_not_precomputed(framework: Framework) -> None:
    assert {d.code for d in framework.denominators} == {"population", "gdp"}
    per_capita = {i.code for i in framework.indicators if i.denominator == "population"}
    assert per_capita == {"accelerator_rmax"}


def test_data_are_countries_only(shipped: IndicatorData) -> None:
    assert set(shipped.long["country"]) == {u for u in shipped.names}
    assert not shipped.long["value"].isna().any()  # missing values have no row
    for column in ("source", "unit", "vintage", "provenance"):
        assert shipped.long[column].ne("").all(), column


def test_each_pillar_has_two_active_indicators_with_25_countries(
    framework: Framework, shipped: IndicatorData
) -> None:
    long = shipped.long
    active = framework.active()
    for pillar in PILLARS:
        wide = 0
        for code in active.children(pillar):
            rows = long.loc[long["indicator"] == code]
            latest = rows["year"].max()
            wide += rows.loc[rows["year"] == latest, "country"].nunique() >= 25
        assert wide >= 2, pillar


def test_every_indicator_states_its_limits(framework: Framework) -> None:
    for ind in framework.indicators:
        if ind.active and framework.nodes[str(ind.parent)].active:
            assert ind.limits, ind.code


def test_ai_factories_are_true_zeros_before_the_programme(shipped: IndicatorData) -> None:
    long = shipped.long
    rows = long.loc[(long["indicator"] == "ai_factories") & (long["year"] <= 2023)]
    assert sorted(rows["year"].unique()) == [2021, 2022, 2023]
    assert len(rows) == 27 * 3 and (rows["value"] == 0).all()
    assert rows["provenance"].str.startswith("true zero: the first selection wave").all()


def test_2025_edition_covers_every_active_indicator(
    framework: Framework, shipped: IndicatorData
) -> None:
    edition = edition_data(framework, shipped, [2025]).long
    for ind in framework.active().indicators:
        assert edition.loc[edition["indicator"] == ind.code, "country"].nunique() >= 25, ind.code


def test_the_index_builds_for_every_edition(framework: Framework, shipped: IndicatorData) -> None:
    editions = edition_data(framework, shipped, range(2021, 2026))
    result = build(framework, editions, METHODOLOGY)
    ranking = result.ranking(2025)
    assert len(ranking) == 27 and ranking["score"].between(0, 100).all()
    assert sorted(ranking["rank"]) == list(range(1, 28))
    assert result.data_years is not None


def test_docs_data_md_and_plausibility_are_up_to_date(
    framework: Framework, shipped: IndicatorData
) -> None:
    methodology = load_methodology(INDICATORS / "methodology.yaml")
    assumptions = load_assumptions(ROOT / "docs" / "examples" / "uncertainty.yaml")
    expected = render_data_doc(framework, shipped, methodology=methodology,
                               assumptions=assumptions)  # fmt: skip
    assert (ROOT / "docs" / "data.md").read_text(encoding="utf-8") == expected, (
        "docs/data.md is stale; run: python -m readiness_index.report.datadoc"
    )
    page = render_plausibility(framework, shipped, methodology)
    assert (ROOT / "docs" / "plausibility.md").read_text(encoding="utf-8") == page, (
        "docs/plausibility.md is stale; run: python -m readiness_index.report.datadoc"
    )
    assert "| PL | 21 | 15 | 6 |" in page and "ai_factories" in page  # Poland's 2025 rise


def _build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_shipped_data", ROOT / "scripts" /
                                                  "build_shipped_data.py")  # fmt: skip
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_shipped_files_are_the_build_scripts_output(tmp_path: Path) -> None:
    if not RAW.is_dir():
        pytest.skip(f"raw figures not found at {RAW} (../shared is absent)")
    _build_script().build(RAW, tmp_path)
    for path in sorted((INDICATORS / "data").glob("*.csv")):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_values_are_copied_from_the_raw_figures(shipped: IndicatorData) -> None:
    if not RAW.is_dir():
        pytest.skip(f"raw figures not found at {RAW} (../shared is absent)")
    raw = pd.read_csv(RAW / "eurostat_isoc_eb_ai_E_AI_TANY.csv", dtype={"flag": str},
                      keep_default_na=False)  # fmt: skip
    greece = raw.loc[(raw["country"] == "EL") & (raw["year"] == 2025)].iloc[0]
    long = shipped.long
    row = long.loc[(long["indicator"] == "ai_use_enterprises") & (long["country"] == "GR")
                   & (long["year"] == 2025)].iloc[0]  # fmt: skip
    assert row["value"] == greece["value"] and row["flag"] == greece["flag"]
    price = long.loc[(long["indicator"] == "electricity_price") & (long["country"] == "AT")]
    assert price.set_index("year")["value"].to_dict() == {2023: 0.2471, 2024: 0.2006, 2025: 0.1986}
