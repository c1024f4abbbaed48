"""Synthetic regions for the scale benchmarks: made-up numbers, never index data.

The scale benchmarks need panels far larger than any published data set (10,000
regions, 500 indicators), so this module draws them from a seeded generator. The
values mean nothing; they exist only to time the library. Nothing here is used by
the library or its tests of results.

>>> fw, long = panel(units=3, indicators=4, years=2, seed=1)
>>> len(fw.indicators), len(long)
(4, 24)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_index.model.framework import Aggregate, Framework, Indicator

__all__ = ["framework", "panel"]

PILLARS = 5
FIRST_YEAR = 2015


def framework(indicators: int, *, pillars: int = PILLARS) -> Framework:
    """An index of ``pillars`` equally weighted pillars sharing ``indicators`` indicators.

    Every fifth indicator is "lower is better".
    """
    pillars = min(pillars, indicators)
    aggregates = [Aggregate(code="index", name="Index")]
    aggregates += [
        Aggregate(code=f"p{j}", name=f"Pillar {j}", parent="index") for j in range(pillars)
    ]
    return Framework(
        aggregates=tuple(aggregates),
        indicators=tuple(
            Indicator(
                code=f"i{k:03d}", name=f"Indicator {k}", parent=f"p{k % pillars}",
                direction=-1 if k % 5 == 4 else 1,
            )
            for k in range(indicators)
        ),
    )  # fmt: skip


def panel(
    *, units: int, indicators: int, years: int, missing: float = 0.05, seed: int = 0
) -> tuple[Framework, pd.DataFrame]:
    """A framework and its long table: every unit x indicator x year, a share missing.

    Values are log-normal with an indicator-specific scale, so that min-max and
    z-scores have something to do; ``missing`` of the cells are left empty.
    """
    rng = np.random.default_rng(seed)
    shape = (units, years, indicators)
    values = rng.lognormal(mean=1.0, sigma=0.5, size=shape) * rng.uniform(1, 100, indicators)
    values[rng.random(shape) < missing] = np.nan
    country = np.repeat([f"R{u:05d}" for u in range(units)], years * indicators)
    year = np.tile(np.repeat(np.arange(FIRST_YEAR, FIRST_YEAR + years), indicators), units)
    code = np.tile([f"i{k:03d}" for k in range(indicators)], units * years)
    long = pd.DataFrame(
        {"country": country, "year": year, "indicator": code, "value": values.ravel(),
         "flag": "", "source": "synthetic"}
    )  # fmt: skip
    return framework(indicators), long
