"""Generated review sections of ``docs/data.md`` and the page ``docs/plausibility.md``.

Computed from a build of the shipped index, never typed by hand: the age of the data
(``stale_after``), the declared statistical audit per edition, a leave-one-indicator-out
table, the rank intervals of the uncertainty analysis and, on the plausibility page,
each edition's biggest rank movers with the indicator that moved them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import cast

import numpy as np
import pandas as pd

from readiness_index.analysis.assumptions import Assumptions
from readiness_index.analysis.audit import breaches, cronbach_alpha, pillar_weights
from readiness_index.analysis.review import leave_one_out, rank_movers
from readiness_index.analysis.uncertainty import uncertainty
from readiness_index.engine.pipeline import build
from readiness_index.engine.ranking import stale_values
from readiness_index.engine.results import IndexResult
from readiness_index.model.data import IndicatorData
from readiness_index.model.framework import Framework, Indicator
from readiness_index.model.methodology import Methodology

__all__ = ["CHANGES", "markdown_table", "render_plausibility", "review_sections"]

CHANGES = """\
## What changed in methodology 4 (framework 2026.1): the back-series

Every edition 2021-2025 was recomputed and republished under methodology version 4; no
earlier published figure is comparable with it. What changed:

* **Every edition is scored for all 27 countries.** The TOP500 lists of November 2019,
  2020 and 2022 give compute values for the 2021 and 2022 editions (the November 2021
  list is not in the raw data: the 2021 edition uses November 2020), and AI Factories
  are a true 0 for every country before the first selection wave (December 2024),
  shipped as data with a provenance line instead of a gap.
* **Compute measures capacity, not counting**: accelerated (AI) TOP500 Rmax per
  inhabitant replaces total Rmax and the number of systems per inhabitant (accelerated
  and total Rmax per inhabitant correlate 0.999 in 2025, so only one is kept).
* **Energy**: renewable share of electricity (`REN_ELC`) replaces the share in all
  energy; Ember's carbon intensity is kept as context (r = 0.90 with the carbon-free
  share); the price series is labelled band IC (500-1 999 MWh) with its limits.
* **Regulatory environment**: WGI rule of law and government effectiveness (r = 0.93 with
  regulatory quality) gave way to infringement cases opened for late transposition and
  for non-conformity (EUIP, to 2019).
* **Data spaces**: enterprises buying cloud services (to 2025) join the DESI indicators;
  VHCN coverage is kept as context (it runs against the other indicators).
* **Skills**: above-basic digital skills to 2025; basic skills (r = 0.94-0.96 with
  above-basic) and ICT graduates (data end in 2020) are kept as context.
* **Treatment**: COINr's winsorisation (|skewness| >= 2 and kurtosis >= 3.5, at most 5
  points, no log fallback) is declared in the methodology; the values it treats are
  listed under "Statistical audit".
* **Age is marked**: a value more than `stale_after` (2) years behind its edition is
  flagged `o`, one carried from an earlier data year `h`, an imputed one `i`, in every
  output; the denominator's year of each per-capita value is recorded.
"""


def review_sections(
    framework: Framework,
    data: IndicatorData,
    methodology: Methodology,
    assumptions: Assumptions | None = None,
    *,
    year: int = 2025,
    n: int = 1000,
) -> list[str]:
    """The review sections of ``docs/data.md`` as Markdown blocks."""
    result = build(framework, data, methodology)
    parts = [CHANGES, _age(result), _audit(result, methodology)]
    parts.append(_leave_one_out(framework, data, methodology, year))
    if assumptions is not None:
        parts.append(_intervals(framework, data, methodology, assumptions, year, n))
    return parts


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A GitHub-flavoured Markdown table.

    >>> print(markdown_table(["a", "b"], [[1, "x"]]))
    | a | b |
    |---|---|
    | 1 | x |
    """
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _table(frame: pd.DataFrame) -> str:
    rows = [[_fmt(v) for v in row] for row in frame.itertuples(index=False)]
    return markdown_table([str(c) for c in frame.columns], rows)


def _fmt(value: object) -> str:
    if isinstance(value, float | np.floating):
        return "-" if np.isnan(value) else f"{value:.2f}"
    return str(value)


def _age(result: IndexResult) -> str:
    fw = result.framework
    default = result.methodology.editions.stale_after if result.methodology.editions else None
    rows = []
    for code in fw.indicator_codes:
        ind = cast(Indicator, fw.nodes[code])
        after = ind.stale_after if ind.stale_after is not None else default
        stale = []
        for edition in result.years:
            table = stale_values(result, edition)
            match = table.loc[table["indicator"] == code, "data_years"]
            stale.append(match.iloc[0] if len(match) else "")
        rows.append([f"`{code}`", ind.max_age, after, *stale])
    header = ["indicator", "max age", "stale after", *map(str, result.years)]
    return (
        "## Age of the data\n\nAn edition uses, per indicator and country, the latest data year"
        " within `max age` years; a value more than `stale after` years behind the edition is "
        "marked stale (`o`) in the scores table, the `.csv`/`.json`/`.xlsx` exports, the printed"
        " ranking and `explain`. The cells give the data years of the stale values used in each "
        "edition (empty: none stale). Per-capita values record their denominator's year: the 2025"
        " edition divides the June 2025 TOP500 list by the 2024 population (the latest in the "
        "data).\n\n" + markdown_table(header, rows)
    )


def _audit(result: IndexResult, methodology: Methodology) -> str:
    spec = methodology.audit
    if spec is None:
        return ""
    found = pd.concat([breaches(result, spec, y) for y in result.years], ignore_index=True)
    shown = found[["year", "key", "message", "justified", "reason"]]
    text = (
        "## Statistical audit\n\nThresholds declared in `indicators/methodology.yaml` (JRC "
        f"practice): no two indicators of a pillar correlate above {spec.max_pair_correlation} "
        "(Pearson, normalised values); every indicator correlates positively with its pillar; no "
        f"indicator beyond |skewness| >= {spec.skew} and kurtosis >= {spec.kurtosis} after "
        f"treatment; each pillar's effective weight within ±{spec.weight_tolerance:.0%} of its "
        "nominal weight. `tests/test_shipped_audit.py` fails on any breach the methodology "
        "does not justify.\n\nBreaches, each justified in the methodology:\n\n"
        + (_table(shown) if len(shown) else "none")
    )
    return text + "\n\n" + _treated(result) + "\n\n" + _coherence(result)


def _treated(result: IndexResult) -> str:
    log = result.treatment
    if log.empty or "treatment" not in log.columns:
        return "Outlier treatment: none."
    done = log.loc[log["treatment"] != "none"]
    columns = ["year", "indicator", "skew_before", "kurtosis_before", "points", "skew_after",
               "kurtosis_after", "units"]  # fmt: skip
    return "Values winsorised (COINr's rule, per edition):\n\n" + _table(done[columns])


def _coherence(result: IndexResult) -> str:
    fw = result.framework
    pillars = list(fw.children(fw.root))
    alpha, high, weight = [], [], []
    for year in result.years:
        scores = cast(pd.DataFrame, result.datasets["aggregated"].xs(year, level="year"))
        alpha.append([_alpha(scores, fw, p) for p in pillars])
        high.append([_max_pair(scores, fw, p) for p in pillars])
        weight.append(pillar_weights(result, year)["effective_weight"].reindex(pillars).tolist())
    blocks = []
    for title, values in (
        ("Cronbach's alpha", alpha),
        ("Highest pair correlation", high),
        ("Effective weight (share of the index's variance)", weight),
    ):
        frame = pd.DataFrame(values, columns=pillars).assign(edition=result.years)
        blocks.append(f"{title} per pillar and edition:\n\n" +
                      _table(frame[["edition", *pillars]]))  # fmt: skip
    return "\n\n".join(blocks)


def _alpha(scores: pd.DataFrame, fw: Framework, pillar: str) -> float:
    """Alpha over the pillar's indicators that have values in the edition."""
    children = scores[list(fw.children(pillar))].dropna(axis=1, how="all")
    return cronbach_alpha(children.to_numpy(dtype="float64"))


def _max_pair(scores: pd.DataFrame, fw: Framework, pillar: str) -> float:
    children = scores[list(fw.children(pillar))]
    corr = children.loc[:, children.std() > 0].corr().to_numpy()
    upper = corr[np.triu_indices_from(corr, k=1)] if corr.size else np.array([])
    return float(np.nanmax(upper)) if upper.size and not np.isnan(upper).all() else float("nan")


def _leave_one_out(
    framework: Framework, data: IndicatorData, methodology: Methodology, year: int
) -> str:
    shifts = leave_one_out(framework, data, methodology, year).astype(int)
    table = shifts.reset_index().rename(columns={"index": "country"})
    table.insert(1, "largest move", shifts.abs().max(axis=1).to_numpy())
    return (
        f"## Leave one indicator out ({year})\n\nHow far each country's {year} rank moves when"
        " one indicator is left out (the others keep their weights): rank without it minus the "
        "nominal rank, so a positive number means the country falls without the indicator. "
        "Countries in nominal rank order.\n\n" + _table(table)
    )


def _intervals(
    framework: Framework,
    data: IndicatorData,
    methodology: Methodology,
    assumptions: Assumptions,
    year: int,
    n: int,
) -> str:
    run = uncertainty(framework, data, methodology, assumptions, n=n, seed=0, year=year)
    stats = run.rank_stats.sort_values("nominal_rank").reset_index()
    stats = stats[["country", "nominal_rank", "median_rank", "q05_rank", "q95_rank"]]
    return (
        f"## Rank intervals ({year})\n\nThe uncertainty analysis of "
        "`docs/examples/uncertainty.yaml` (weights ±25% at both levels, mean or median "
        f"imputation, one indicator left out or none), {n} replications, seed 0: the "
        "median rank and the 5th-95th percentile interval.\n\n" + _table(stats)
    )


def render_plausibility(
    framework: Framework, data: IndicatorData, methodology: Methodology, min_shift: int = 3
) -> str:
    """The plausibility page: per edition, the countries whose rank moved most and why."""
    result = build(framework, data, methodology)
    movers = rank_movers(result, min_shift=min_shift)
    parts = [
        "# Plausibility review: who moved, and why",
        "Generated by `python -m readiness_index.report.datadoc` from the shipped index. Do not "
        "edit by hand.",
        f"Per edition, every country whose index rank moved by {min_shift} places or more since "
        "the previous edition, with the indicator that moved it: the one whose contribution to "
        "the index score (its normalised score times its weight shares) changed most in the "
        "direction of the move relative to the average country's change (`driver_change`, in "
        "index points), and the data years behind it. Ranks are relative: a country can fall "
        "while its own score rises, when the others gain more on an indicator. A driver whose "
        "data year did not change moved through its weight share (an indicator of the same "
        "pillar appearing or disappearing), not through new data.",
    ]
    for year in result.years[1:]:
        rows = movers.loc[movers["year"] == year].drop(columns="year")
        parts.append(f"## {year} edition (against {year - 1})")
        parts.append(_table(rows) if len(rows) else "No country moved that far.")
    return "\n\n".join(parts) + "\n"
