"""Plausibility review of a built index: what moves the ranks.

* :func:`leave_one_out`: how far each country's rank moves when one indicator is left
  out of the index (the others keep their nominal weights), one rebuild per indicator;
* :func:`index_contributions`: each indicator's contribution to the index score under
  arithmetic aggregation (its normalised score times its weight shares up the tree);
* :func:`rank_movers`: per edition, each country's rank change since the previous
  edition and the indicator whose change in contribution moved it most.
"""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

from readiness_index.engine.pipeline import build
from readiness_index.engine.results import IndexResult
from readiness_index.model.data import IndicatorData
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import Methodology

__all__ = ["index_contributions", "leave_one_out", "rank_movers"]


def _without(framework: Framework, code: str) -> Framework:
    dump = framework.model_dump()
    for node in dump["indicators"]:
        if node["code"] == code:
            node["active"] = False
    return Framework.model_validate(dump)


def leave_one_out(
    framework: Framework, data: IndicatorData, methodology: Methodology, year: int
) -> pd.DataFrame:
    """Rank shifts when each active indicator in turn is left out.

    Returns
    -------
    pandas.DataFrame
        ``country x indicator``: the rank without the indicator minus the nominal rank
        (positive = the country falls without it), in edition ``year``.
    """
    active = framework.active()
    nominal = build(framework, data, methodology, year=year).ranking(year)
    base = nominal.set_index("country")["rank"].astype("float64")
    shifts = {}
    for code in active.indicator_codes:
        ranks = build(_without(framework, code), data, methodology, year=year).ranking(year)
        shifts[code] = ranks.set_index("country")["rank"].astype("float64") - base
    return pd.DataFrame(shifts).loc[base.index]


def index_contributions(result: IndexResult) -> pd.DataFrame:
    """Each indicator's contribution to the index, ``(country, year) x indicator``.

    ``c_j = s_j · w_j / Σ_k w_k · w_p / Σ_q w_q`` with ``s_j`` the normalised score,
    the sums over the indicators ``k`` of pillar ``p`` and the pillars ``q`` present
    for the unit (the arithmetic mean's terms: they add up to the index score).
    """
    fw = result.framework
    normalised = result.datasets["normalised"][list(fw.indicator_codes)]
    aggregated = result.datasets["aggregated"]
    pillars = list(fw.children(fw.root))
    w = result.weights
    present = aggregated[pillars].notna().to_numpy(dtype="float64")
    pillar_w = present * np.array([w[p] for p in pillars])
    pillar_share = pillar_w / pillar_w.sum(axis=1, keepdims=True)
    out = {}
    for j, pillar in enumerate(pillars):
        children = list(fw.children(pillar))
        values = normalised[children].to_numpy(dtype="float64")
        weights = np.where(np.isnan(values), 0.0, np.array([w[c] for c in children]))
        share = weights / weights.sum(axis=1, keepdims=True)
        for k, code in enumerate(children):
            out[code] = values[:, k] * share[:, k] * pillar_share[:, j]
    return pd.DataFrame(out, index=normalised.index)[list(fw.indicator_codes)]


def rank_movers(result: IndexResult, min_shift: int = 3) -> pd.DataFrame:
    """Countries whose index rank moved by ``min_shift`` places or more since the
    previous edition, with the indicator that moved them.

    Ranks are relative, so the driver is the indicator whose contribution to the index
    (:func:`index_contributions`) changed most in the direction of the move *relative to
    the average country's change* (``driver_change``, in index points).

    Returns
    -------
    pandas.DataFrame
        ``year, country, rank_before, rank, moved, score_change, driver,
        driver_change, driver_years`` (the driver's data years before and after).
    """
    fw = result.framework
    scores = result.scores.loc[result.scores["code"] == fw.root]
    ranks = scores.pivot(index="country", columns="year", values="rank").astype("float64")
    values = scores.pivot(index="country", columns="year", values="score")
    parts = index_contributions(result)
    years = result.data_years
    rows = []
    for before, after in zip(result.years, result.years[1:], strict=False):
        moved = ranks[before] - ranks[after]
        change = parts.xs(after, level="year") - parts.xs(before, level="year")
        relative = cast(pd.DataFrame, change - change.mean())  # against the average country
        for country in moved.index[moved.abs() >= min_shift]:
            shift = _num(moved, str(country))
            driver = str((relative.loc[country] * np.sign(shift)).idxmax())
            rows.append({
                "year": after, "country": country,
                "rank_before": int(_at(ranks, country, before)),
                "rank": int(_at(ranks, country, after)), "moved": int(shift),
                "score_change": _at(values, country, after) - _at(values, country, before),
                "driver": driver, "driver_change": _at(relative, country, driver),
                "driver_years": f"{_year(years, country, before, driver)} -> "
                                f"{_year(years, country, after, driver)}",
            })  # fmt: skip
    columns = ["year", "country", "rank_before", "rank", "moved", "score_change", "driver",
               "driver_change", "driver_years"]  # fmt: skip
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["year", "moved"], ascending=[True, False], ignore_index=True)


def _num(series: pd.Series, key: str) -> float:
    return float(cast(float, series.loc[key]))


def _at(frame: pd.DataFrame, row: object, column: object) -> float:
    return float(cast(float, frame.at[row, column]))


def _year(years: pd.DataFrame, country: str, year: int, code: str) -> str:
    value = _at(years.astype("float64"), (country, year), code)
    return "-" if np.isnan(value) else str(int(value))
