"""Build the shipped data of the European AI Readiness Index from the raw figures.

Reads the tidy CSVs in ``../shared/data/raw`` (documented in its ``SOURCES.md``) and
writes one long CSV per pillar to ``indicators/data/``, with the columns
``country, year, indicator, value, flag, source, unit, vintage, provenance``.

Rules (also stated in ``docs/data.md``):

* values and flags are copied as text, unchanged; a value missing in the source has
  no row, and nothing is estimated;
* Eurostat ``EL``/``UK`` become ISO ``GR``/``GB``; the ``EU27_2020`` aggregate rows are
  left out (the framework's units are the 27 countries);
* half-years and list editions (``2023-S2``, ``2025-06``) take the calendar year as
  data year, and of several periods in one year the latest is kept (S2, the November
  list); the period kept is written in ``provenance``;
* the only derived figures are the AI Factories counts: the cumulative number of
  selections per country up to the end of each year, 0 where the complete list of
  selection waves names none.

Usage::

    PYTHONPATH=. .venv/bin/python scripts/build_shipped_data.py [RAW_DIR] [OUT_DIR]

(no ``PYTHONPATH`` needed once the package is installed).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from readiness_index.io.files import atomic_file, load_framework
from readiness_index.io.loaders.periods import latest_in_year
from readiness_index.model.countries import to_iso2

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT.parent / "shared" / "data" / "raw"
OUT = ROOT / "indicators" / "data"
COLUMNS = [
    "country",
    "year",
    "indicator",
    "value",
    "flag",
    "source",
    "unit",
    "vintage",
    "provenance",
]


@dataclass(frozen=True)
class Spec:
    """One raw file and the indicator (or denominator) it provides."""

    file: str
    indicator: str
    group: str
    vintage: str


#: The EUIP database release the infringement counts come from (commit of 2020-12-30).
EUIP = "EUIP c3109a1 (2020-12-30)"
SPECS = (
    Spec(
        "top500_accelerator_rmax_sum_by_country.csv", "accelerator_rmax", "compute", "list edition"
    ),
    Spec("eurostat_nrg_ind_ren_REN_ELC.csv", "renewable_electricity", "energy", "2025-03-07"),
    Spec("ember_electricity_carbon_intensity.csv", "carbon_intensity", "energy", "snapshot"),
    Spec("electricitymaps_carbon_free_share_yearly.csv", "carbon_free_share", "energy", "2026-02"),
    Spec(
        "eurostat_nrg_pc_205_MWH500-1999_X_VAT_EUR.csv", "electricity_price", "energy", "2026-10-09"
    ),
    Spec("desi2022_desi_dps_opendata.csv", "open_data", "data_spaces", "DESI 2022"),
    Spec("desi2022_desi_vhcnc.csv", "vhcn_coverage", "data_spaces", "DESI 2022"),
    Spec("desi2022_desi_5gc.csv", "coverage_5g", "data_spaces", "DESI 2022"),
    Spec("desi2022_desi_idt_bigdat.csv", "big_data_use", "data_spaces", "DESI 2022"),
    Spec("eurostat_isoc_cicce_use_E_CC.csv", "cloud_use", "data_spaces", "no stamp; holds 2025"),
    Spec(
        "eurostat_isoc_sk_dskl_i21_I_DSK2_BAB.csv",
        "basic_digital_skills",
        "skills",
        "no stamp; holds 2025",
    ),
    Spec(
        "eurostat_isoc_sk_dskl_i21_I_DSK2_AB_2021_2025.csv",
        "above_basic_digital_skills",
        "skills",
        "no stamp; holds 2025",
    ),
    Spec("eurostat_isoc_sks_itspt_PC_EMP.csv", "ict_specialists", "skills", "no stamp; holds 2025"),
    Spec("desi2022_desi_hc_ictg.csv", "ict_graduates", "skills", "DESI 2022"),
    Spec(
        "wgi_regulatory_quality_estimate.csv",
        "regulatory_quality",
        "regulatory_fragmentation",
        "WGI 2024 update",
    ),
    Spec(
        "oecd_pmr2023_economy_wide.csv",
        "product_market_regulation",
        "regulatory_fragmentation",
        "PMR 2023-24 release",
    ),
    Spec(
        "euip_infringement_cases_opened_noncommunication.csv",
        "late_transposition_cases",
        "regulatory_fragmentation",
        EUIP,
    ),
    Spec(
        "euip_infringement_cases_opened_nonconformity.csv",
        "nonconformity_cases",
        "regulatory_fragmentation",
        EUIP,
    ),
    Spec("eurostat_isoc_eb_ai_E_AI_TANY.csv", "ai_use_enterprises", "adoption", "2026-06-15"),
    Spec(
        "eurostat_isoc_e_dii_E_DI3_GELO.csv",
        "digital_intensity",
        "adoption",
        "no stamp; holds 2025",
    ),
    Spec("eurostat_isoc_ai_iaiu_genai_use.csv", "genai_use_individuals", "adoption", "2025-12-16"),
    Spec("worldbank_population_SP_POP_TOTL.csv", "population", "denominators", "2026-03-06"),
    Spec("worldbank_gdp_current_usd_NY_GDP_MKTP_CD.csv", "gdp", "denominators", "2026-03-20"),
)
AI_FACTORIES = "eurohpc_ai_factories_hosted.csv"
#: The first year of the shipped editions; AI Factory zeros are shipped from here on.
FIRST_YEAR = 2021


def read_raw(raw: Path, file: str) -> pd.DataFrame:
    """A raw tidy CSV as text, without the EU aggregate, with ISO alpha-2 countries."""
    frame = pd.read_csv(raw / file, dtype=str, keep_default_na=False)
    frame = frame.loc[frame["country"] != "EU27_2020"].copy()
    frame["country"] = frame["country"].map(to_iso2)
    return frame.rename(columns={"year": "period"})


def build_indicator(raw: Path, spec: Spec) -> pd.DataFrame:
    """Long rows of one indicator: data year per period rule, vintage, provenance."""
    frame = read_raw(raw, spec.file)
    repeated = frame.loc[frame.duplicated(["country", "period"], keep=False)]
    if len(repeated):
        raise ValueError(f"{spec.file}: several rows per country and period: {repeated}")
    frame = latest_in_year(frame)
    sub_annual = frame["period"] != frame["year"].astype(str)
    frame.loc[sub_annual, "provenance"] = (
        "period " + frame.loc[sub_annual, "period"] + "; " + frame.loc[sub_annual, "provenance"]
    )
    frame["indicator"] = spec.indicator
    frame["vintage"] = _vintages(frame, spec)
    return frame[COLUMNS]


def _vintages(frame: pd.DataFrame, spec: Spec) -> pd.Series:
    if spec.vintage == "list edition":
        return "TOP500 list " + frame["period"]
    if spec.vintage == "snapshot":
        dates = frame["provenance"].str.extract(r"committed (\d{4}-\d{2}-\d{2})", expand=False)
        return "Ember API snapshot " + dates
    return pd.Series(spec.vintage, index=frame.index)


def build_ai_factories(raw: Path, countries: list[str]) -> pd.DataFrame:
    """Cumulative AI Factory selections per country at the end of each year.

    Years from :data:`FIRST_YEAR` up to the year before the first selection wave are
    true zeros (the programme had selected no AI Factory anywhere), shipped as data
    with their own provenance line, not left as gaps.
    """
    selections = read_raw(raw, AI_FACTORIES)
    selections["year"] = selections["period"].str[:4].astype(int)
    first_wave = str(selections["period"].min())
    rows = [
        _before_programme(country, year, first_wave)
        for year in range(FIRST_YEAR, int(selections["year"].min()))
        for country in countries
    ]
    for year in sorted(selections["year"].unique()):
        upto = selections.loc[selections["year"] <= year]
        counts = upto.groupby("country")["value"].apply(lambda v: int(v.astype(int).sum()))
        waves = ", ".join(sorted(upto["period"].unique()))
        for country in countries:
            rows.append(_factory_row(country, int(year), int(counts.get(country, 0)), waves))
    return pd.DataFrame(rows, columns=COLUMNS)


def _before_programme(country: str, year: int, first_wave: str) -> dict[str, object]:
    return {
        "country": country,
        "year": year,
        "indicator": "ai_factories",
        "value": 0,
        "flag": "",
        "source": f"EuroHPC AI Factories selected up to {year}-12 (none: first wave {first_wave})",
        "unit": "number of AI Factories selected (cumulative)",
        "vintage": "2025-10",
        "provenance": (
            f"true zero: the first selection wave of the AI Factories programme is {first_wave} "
            f"(earliest wave in ../shared/data/raw/{AI_FACTORIES}); no country had an AI "
            f"Factory selected by the end of {year}"
        ),
    }


def _factory_row(country: str, year: int, count: int, waves: str) -> dict[str, object]:
    return {
        "country": country,
        "year": year,
        "indicator": "ai_factories",
        "value": count,
        "flag": "",
        "source": f"EuroHPC AI Factories selected up to {year}-12 (waves {waves})",
        "unit": "number of AI Factories selected (cumulative)",
        "vintage": "2025-10",
        "provenance": (
            f"computed: count of the selections of waves {waves} listed in ../shared/data/raw/"
            f"{AI_FACTORIES} (per-row news sources there); 0 = not selected in any wave"
        ),
    }


def build(raw: Path = RAW, out: Path = OUT) -> dict[str, pd.DataFrame]:
    """Build every shipped data file; return the tables by file name."""
    framework = load_framework(ROOT / "indicators")
    countries = [unit.code for unit in framework.units]
    parts: dict[str, list[pd.DataFrame]] = {}
    for spec in SPECS:
        parts.setdefault(spec.group, []).append(build_indicator(raw, spec))
    parts["compute"].append(build_ai_factories(raw, countries))
    tables = {
        f"{group}.csv": pd.concat(frames).sort_values(["indicator", "country", "year"])
        for group, frames in parts.items()
    }
    for name, table in tables.items():
        with atomic_file(out / name) as handle:
            table.to_csv(handle, index=False, lineterminator="\n")
    return tables


def main(argv: list[str]) -> None:
    """Command-line entry: optional raw folder and output folder."""
    raw = Path(argv[1]) if len(argv) > 1 else RAW
    out = Path(argv[2]) if len(argv) > 2 else OUT
    for name, table in build(raw, out).items():
        print(f"{out / name}: {len(table)} rows, indicators {sorted(table['indicator'].unique())}")


if __name__ == "__main__":
    main(sys.argv)
