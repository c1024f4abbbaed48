"""Generate ``docs/data.md``: every indicator's source, coverage, flags and gaps.

The page is computed from the framework and the data, never typed by hand::

    python -m readiness_index.report.datadoc [FRAMEWORK_DIR] [DATA_DIR] [OUTPUT]

The fixed text (the rules the shipped data follow, and what could not be found)
lives in :data:`RULES` and :data:`NOT_FOUND`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from readiness_index.analysis.assumptions import Assumptions
from readiness_index.engine.editions import edition_data
from readiness_index.io.files import (
    atomic_file,
    bundled_path,
    load_assumptions,
    load_framework,
    load_methodology,
    read_data,
)
from readiness_index.model.contract import FLAG_CODES
from readiness_index.model.data import IndicatorData
from readiness_index.model.framework import Framework, Indicator
from readiness_index.model.methodology import Methodology
from readiness_index.report.reviewdoc import (
    markdown_table,
    render_plausibility,
    review_sections,
)

__all__ = ["NOT_FOUND", "RULES", "coverage_counts", "main", "markdown_table", "render_data_doc"]

EDITIONS = tuple(range(2021, 2026))
#: The uncertainty assumptions whose rank intervals the page shows.
ASSUMPTIONS = Path("docs") / "examples" / "uncertainty.yaml"

RULES = """\
## How the shipped data were built

* **Source of every number.** `scripts/build_shipped_data.py` reads the tidy files of
  `../shared/data/raw/` (their `SOURCES.md` documents each publisher file, commit and
  vintage) and writes `indicators/data/<pillar>.csv` in the long format
  `country, year, indicator, value, flag, source, unit, vintage, provenance`. Values and
  flags are copied as published; nothing is estimated, interpolated or imputed. A value
  missing at the source has no row ("missing stays missing").
* **Countries.** Units are the EU-27 with ISO 3166-1 alpha-2 codes; Eurostat's `EL` is
  stored as `GR` (and `UK` as `GB`). Names come from `pycountry`. The `EU27_2020`
  aggregate rows of the raw files are not shipped: the framework's units are the 27
  countries, and aggregates are computed, if needed, from them.
* **Sub-annual periods.** A half-year (`2023-S2`) or a list edition (`2025-06`) takes
  its calendar year as data year. When a year has several periods, the **latest** one is
  used (S2 over S1; the November TOP500 list over the June list); earlier periods of the
  same year are not shipped and never averaged in. The period used is written in the
  row's `provenance` (`period 2025-S2; ...`). For 2025 the TOP500 figure is the June
  2025 list, the latest in the raw data.
* **Derived figures.** Per-inhabitant compute is not pre-computed: the shipped values
  are the accelerated TOP500 Rmax sums, and the library's denominate step divides them
  by `population` (World Bank SP.POP.TOTL) declared under `denominators:`; the year of
  the population used is recorded for every per-capita value (`denominator_year`).
  TOP500 sums are 0 for countries with no accelerated system on a (complete)
  500-system list. `ai_factories` counts, per country, the EuroHPC AI Factory selections
  of all waves up to the end of the year; 0 where none of the three complete selection
  waves (December 2024: 7, March 2025: 6, October 2025: 6) chose the country, and 0 for
  every country in 2021-2023, before the first wave (true zeros, each row with its own
  provenance line).
* **Editions.** Edition `e` (2021-2025) uses, per country and indicator, the latest
  data year `t <= e` with `e - t <= max_age` (see `readiness_index.engine.editions`); the data
  year is kept in `data_year`. Adding a newer year never changes an earlier edition.
* **Goalposts.** Every indicator has fixed goalposts so that a score compares across
  editions: 0-100 for percentages, 0-1 for DESI shares, the documented range of the
  scale for scores (WGI estimates -2.5..2.5, OECD PMR 0..6), and for open-ended
  quantities a round value beyond the best (or worst) EU-27 figure of the data years the
  editions use (electricity price 0-0.40 EUR/kWh; ICT specialists 0-10% of employment;
  infringement cases opened in 2019: 0-40 late transposition, 0-20 non-conformity; AI
  Factories 0-3). Accelerated TOP500 capacity has 0-0.01 TFlop/s per inhabitant (10
  GFlop/s): after winsorisation the largest 2025 values (about 0.016) score 100, which
  spreads the 2021-2023 editions' small values. Values beyond a goalpost score 0 or 100.
* **Outliers.** COINr's rule, declared in `indicators/methodology.yaml`: an indicator
  with |skewness| >= 2 and kurtosis >= 3.5 in an edition is winsorised (each edition on
  its own, at most 5 points, no log fallback so the values keep their unit). The values
  treated are listed under "Statistical audit" below.
* **Targets.** EU-wide 2030 targets (Digital Decade, RED III) apply to every country
  unless a national target is given. The Blueprint's compute goal (x3 by 2030) is
  declared as the target of `accelerator_rmax` in `indicators/pillars/compute.yaml`
  (`factor: 3`): each country's own accelerated TOP500 capacity (the national Rmax sum, not the
  per-inhabitant value) times three. A verdict needs a value at most two years older
  than the edition ("data too old" otherwise); a closed gap is "reached".
  The Digital Decade target of 20 million ICT specialists is a head count; the shipped
  indicator is a share of employment and employment totals are not in the raw data, so
  that target is not applied. The 90% digital-intensity target is set for SMEs, the
  shipped series covers all enterprises with 10+ persons employed.
"""

NOT_FOUND = """\
## Known gaps (searched for, not found; nothing invented)

* No data after reference year 2021 for connectivity (VHCN, 5G), open data (ODM 2021)
  and after 2020 for big data use and ICT graduates: the Digital Decade/DESI 2023-2025
  indicator files, Eurostat `isoc_eb_das` (data analytics 2023) and `isoc_eb_iip` (data
  sharing) were not available. These values are marked stale in later editions.
* The TOP500 lists of November 2021 and November 2025 (the 2021 edition uses November
  2020, the 2025 edition June 2025).
* Full per-country Open Data Maturity overall scores (only 13 scattered values, not used).
* R&D expenditure (`rd_e_gerdtot`), enterprises providing ICT training after 2020,
  Eurostat population and GDP (`demo_pjan`, `nama_10_gdp`; the World Bank series are used).
* Regulatory fragmentation: the Single Market Scoreboard transposition deficit, open
  infringement cases per member state after 2019 and AI Act national competent authority
  status were not available as per-country data; infringement cases *opened* per year
  (EUIP) end in 2019. OECD PMR 2018 is not combined with 2023 (different schemas), and
  Romania is not in PMR 2023.
* Electricity prices for bands IE/IF (the consumption of a 5-10 MW data centre).
* Epoch AI's AI supercomputer H100-equivalents: one snapshot, 12 countries, absence not
  zero; not in the score. The EuroHPC hosting-site list is incomplete: not in the score.
* Renewable share of electricity (`nrg_ind_ren`, `REN_ELC`) ends in 2023 (vintage of
  7 March 2025).
"""


def coverage_counts(long: pd.DataFrame, indicator: str) -> pd.Series:
    """Number of countries with a value, per year, for one indicator.

    >>> long = pd.DataFrame({"country": ["AT", "BE", "AT"], "year": [2023, 2023, 2024],
    ...                      "indicator": "a", "value": [1.0, None, 2.0]})
    >>> coverage_counts(long, "a").to_dict()
    {2023: 1, 2024: 1}
    """
    rows = long.loc[(long["indicator"] == indicator) & long["value"].notna()]
    counts = rows.groupby(rows["year"].astype("int64"))["country"].nunique()
    return counts.rename_axis("year").rename("countries")


def render_data_doc(
    framework: Framework,
    data: IndicatorData,
    editions: Sequence[int] = EDITIONS,
    *,
    methodology: Methodology | None = None,
    assumptions: Assumptions | None = None,
) -> str:
    """The whole ``docs/data.md`` page as Markdown text.

    With a ``methodology``, the page adds the review sections of
    :func:`readiness_index.report.reviewdoc.review_sections` (what changed, the age of
    the data, the audit, leave one indicator out and, with ``assumptions``, the rank
    intervals of the uncertainty analysis).
    """
    countries = [u.code for u in framework.units] or data.countries
    parts = [
        "# Data of the European AI Readiness Index",
        "Generated by `python -m readiness_index.report.datadoc` from `indicators/` (framework and "
        "shipped data). Do not edit by hand.",
        RULES,
        _overview(framework, data.long, countries),
        _editions(framework, data, editions, countries),
    ]
    if methodology is not None:
        parts += review_sections(framework, data, methodology, assumptions)
    parts += [NOT_FOUND, "## Indicators"]
    codes = [ind.code for ind in _in_tree_order(framework)]
    for code in (*codes, *(d.code for d in framework.denominators)):
        parts.append(_indicator_section(framework, data.long, code, countries))
    return "\n\n".join(parts) + "\n"


def _overview(framework: Framework, long: pd.DataFrame, countries: list[str]) -> str:
    rows = []
    for ind in _in_tree_order(framework):
        counts = coverage_counts(long, ind.code)
        latest = int(counts.index.max()) if len(counts) else "-"
        target = _target_text(ind)
        rows.append([
            f"{ind.parent}{'' if framework.nodes[str(ind.parent)].active else ' (off)'}",
            f"`{ind.code}`", ind.source.publisher if ind.source else "",
            f"{counts.index.min()}-{latest}" if len(counts) else "-",
            f"{counts.get(latest, 0)}/{len(countries)} in {latest}", target,
        ])  # fmt: skip
    header = ["pillar", "indicator", "publisher", "years", "countries (latest year)", "target"]
    return "## Overview\n\n" + markdown_table(header, rows)


def _in_tree_order(framework: Framework) -> list[Indicator]:
    return [node for _, node in framework.walk() if isinstance(node, Indicator)]


def _target_text(ind: Indicator) -> str:
    target = ind.target
    if target is None or isinstance(target.value, dict):
        return ""
    if target.value is None:
        return f"x{target.factor:g} own level by {target.year}"
    return f"{target.value:g} by {target.year}"


def _editions(
    framework: Framework, data: IndicatorData, editions: Sequence[int], countries: list[str]
) -> str:
    long = edition_data(framework, data, editions).long
    rows = []
    for code in (ind.code for ind in _in_tree_order(framework)):
        cells = [f"`{code}`"]
        for edition in editions:
            chosen = long.loc[(long["indicator"] == code) & (long["year"] == edition)]
            years = "/".join(sorted(set(chosen["data_year"].astype(str))))
            cells.append(f"{chosen['country'].nunique()} ({years})" if len(chosen) else "-")
        rows.append(cells)
    text = (
        "## Coverage by edition\n\nCountries with a value in each edition (of "
        f"{len(countries)}), and the data years used.\n\n"
    )
    return text + markdown_table(["indicator", *map(str, editions)], rows)


def _indicator_section(
    framework: Framework, long: pd.DataFrame, code: str, countries: list[str]
) -> str:
    node = framework.nodes.get(code)
    denominator = next((d for d in framework.denominators if d.code == code), None)
    name = node.name if node else denominator.name if denominator else code
    lines = [f"### `{code}`: {name}", ""]
    if isinstance(node, Indicator):
        lines += _definition(node)
    elif denominator is not None and denominator.source is not None:
        src = denominator.source
        lines += [f"* Denominator; source: {src.publisher}, {src.dataset} ({src.url})"]
    lines += [
        "",
        _coverage(long, code, countries),
        "",
        _flags(long, code),
        "",
        _gaps(long, code, countries),
    ]
    return "\n".join(lines)


def _definition(ind: Indicator) -> list[str]:
    src = ind.source
    lines = [
        f"* Pillar `{ind.parent}`; unit: {ind.unit}; direction: "
        f"{'higher is better' if ind.direction == 1 else 'lower is better'}"
        + (f"; divided by `{ind.denominator}`" if ind.denominator else ""),
    ]
    if src is not None:
        lines.append(
            f"* Source: {src.publisher}, dataset `{src.dataset}`"
            + (f", filter `{src.filter}`" if src.filter else "")
            + (f", <{src.url}>" if src.url else "")
            + (f"; licence: {src.licence}" if src.licence else "")
        )
    if ind.target is not None:
        lines.append(f"* Target: {_target_text(ind)} ({ind.target.policy})")
    if ind.goalposts is not None:
        lines.append(
            f"* Goalposts: {ind.goalposts.lower:g} to {ind.goalposts.upper:g}; "
            f"max age: {ind.max_age} years"
        )
    if ind.stale_after is not None:
        lines.append(f"* Stale after {ind.stale_after} years (its own rule)")
    if not ind.active:
        lines.append("* Not in the score: context only (see its limits)")
    if ind.rationale:
        lines.append(f"* Why: {ind.rationale}")
    if ind.limits:
        lines.append(f"* Limits: {ind.limits}")
    return lines


def _coverage(long: pd.DataFrame, code: str, countries: list[str]) -> str:
    counts = coverage_counts(long, code)
    if counts.empty:
        return "No data."
    years = [int(y) for y in counts.index]
    first = markdown_table(["year", *map(str, years)], [["countries", *(counts[y] for y in years)]])
    recent = years[-6:]
    rows = long.loc[(long["indicator"] == code) & long["value"].notna()]
    cell = {
        (str(c), int(y)): (str(f) or "x")
        for c, y, f in zip(rows["country"], rows["year"], rows["flag"].fillna(""), strict=True)
    }
    matrix = [[c, *(cell.get((c, y), "-") for y in recent)] for c in countries]
    note = "Latest years by country (`x` = value, a letter = value with that flag, `-` = no value):"
    return first + "\n\n" + note + "\n\n" + markdown_table(["country", *map(str, recent)], matrix)


def _flags(long: pd.DataFrame, code: str) -> str:
    rows = long.loc[(long["indicator"] == code) & long["value"].notna()]
    flags = rows["flag"].fillna("")
    counts = flags.loc[flags != ""].value_counts().sort_index()
    if counts.empty:
        return "Flags: none."
    described = [
        f"`{flag}` {n} ({', '.join(FLAG_CODES.get(ch, '?') for ch in str(flag))})"
        for flag, n in counts.items()
    ]
    return "Flags: " + "; ".join(described) + "."


def _gaps(long: pd.DataFrame, code: str, countries: list[str]) -> str:
    counts = coverage_counts(long, code)
    if counts.empty:
        return "Gaps: no data at all."
    rows = long.loc[(long["indicator"] == code) & long["value"].notna()]
    gaps = []
    for year in counts.index:
        present = set(rows.loc[rows["year"] == year, "country"])
        missing = sorted(set(countries) - present)
        if missing:
            shown = ", ".join(missing) if len(missing) <= 8 else f"{len(missing)} countries"
            gaps.append(f"{year}: {shown}")
    return "Gaps (countries without a value): " + ("; ".join(gaps) if gaps else "none") + "."


def main(argv: Sequence[str] | None = None) -> None:
    """Write ``docs/data.md`` (or the given output) for a framework and data folder."""
    args = list(sys.argv[1:] if argv is None else argv)
    framework_dir = Path(args[0]) if args else bundled_path("indicators")
    data_dir = Path(args[1]) if len(args) > 1 else framework_dir / "data"
    output = Path(args[2]) if len(args) > 2 else Path("docs") / "data.md"
    framework = load_framework(framework_dir)
    data = read_data(data_dir, framework=framework)
    methodology = load_methodology(framework_dir / "methodology.yaml")
    assumptions = load_assumptions(ASSUMPTIONS) if ASSUMPTIONS.is_file() else None
    pages = {
        output: render_data_doc(framework, data, methodology=methodology, assumptions=assumptions),
        output.with_name("plausibility.md"): render_plausibility(framework, data, methodology),
    }
    for path, text in pages.items():
        with atomic_file(path) as handle:
            handle.write(text)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
