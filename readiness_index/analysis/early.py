"""The early steps' alternatives of a Monte Carlo run, built once each.

Every combination of the alternatives of denomination, imputation, screening and
treatment is one build (:func:`readiness_index.engine.pipeline.build`); each
normalisation alternative is then applied to its treated data set. Only the analysed
year's data are used when no step looks at other years.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from readiness_index.analysis.assumptions import STEP_NAMES, Assumptions
from readiness_index.analysis.plan import EARLY_STEPS, Varying
from readiness_index.analysis.replicate import (
    Floats,
)
from readiness_index.analysis.variants import (
    ThresholdOutcomes,
)
from readiness_index.engine.pipeline import build
from readiness_index.engine.results import IndexResult
from readiness_index.errors import AssumptionError
from readiness_index.model.data import IndicatorData
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import (
    AggregateSpec,
    Methodology,
    NormaliseSpec,
)
from readiness_index.steps.impute import IMPUTATIONS
from readiness_index.steps.normalise import Normaliser

__all__ = [
    "Early",
    "analysed_data",
    "build_early",
    "countries_of",
    "step_alternatives",
    "varying_of",
]


def analysed_data(
    data: IndicatorData, methodology: Methodology, assumptions: Assumptions, year: int | None
) -> IndicatorData:
    """Only the analysed year's data when no step looks at other years.

    Every step works within a year (denomination, screening, treatment, per-year
    normalisation, aggregation) unless the methodology has editions, imputes along a
    unit's years (``latest``, ``linear``) or normalises over every year (``pooled``)
    in any alternative; then the data stay whole. The result is the same either way;
    the build of one year is only faster.
    """
    imputes = [s for s in (*assumptions.impute, methodology.impute) if s is not None]
    normalises = (*assumptions.normalise, methodology.normalise)
    crosses = (
        methodology.editions is not None
        or any(IMPUTATIONS[s.method].kind == "panel" for s in imputes)
        or any(s.scope == "pooled" for s in normalises)
    )
    years = data.years
    if crosses or len(years) < 2:
        return data
    if year is not None and year not in years:
        raise AssumptionError(f"year {year} is not in the data; years present: {years}")
    return data.select_years([years[-1] if year is None else year])


def step_alternatives(
    methodology: Methodology, assumptions: Assumptions
) -> dict[str, tuple[Any, ...]]:
    """Alternatives of each step; a step that does not vary keeps the methodology's choice."""
    return {
        name: getattr(assumptions, name) or (getattr(methodology, name),) for name in STEP_NAMES
    }


def countries_of(result: IndexResult, year: int, *, screened: bool) -> tuple[str, ...]:
    """The units analysed: those the nominal build scores, or every unit of the data when
    screening varies (a unit screened out has no score in that replication)."""
    frame = result.datasets["raw" if screened else "normalised"]
    return tuple(frame.xs(year, level="year").index)


@dataclass(frozen=True)
class Early:
    """The analysed year's matrices of every early alternative (see :class:`Varying`)."""

    matrices: Floats
    before: Floats
    treated: Floats


def build_early(
    nominal: IndexResult,
    framework: Framework,
    data: IndicatorData,
    alternatives: dict[str, tuple[Any, ...]],
    year: int,
    countries: tuple[str, ...],
) -> Early:
    """Build every combination of the early steps' alternatives once.

    Each combination of denomination, imputation, screening and treatment is one build
    (its aggregation set to the arithmetic mean, which always computes); each
    normalisation alternative is then applied to its treated data set.
    """
    active = nominal.framework
    codes = list(active.indicator_codes)
    matrices, before, treated = [], [], []
    for combo in itertools.product(*(alternatives[name] for name in EARLY_STEPS[:3])):
        rows = []
        for treat in alternatives["treat"]:
            datasets = _datasets(nominal, framework, data, (*combo, treat))
            rows.append(_year_matrix(datasets["treated"], year, countries, codes))
            for spec in alternatives["normalise"]:
                matrices.append(_normalised(datasets["treated"], spec, active, year, countries))
        before.append(_year_matrix(datasets["screened"], year, countries, codes))
        treated.append(np.stack(rows))
    return Early(np.stack(matrices), np.stack(before), np.stack(treated))


def _datasets(
    nominal: IndexResult,
    framework: Framework,
    data: IndicatorData,
    combo: tuple[Any, ...],
) -> dict[str, pd.DataFrame]:
    """The data sets of one combination of the early steps' alternatives (built once)."""
    methodology = nominal.methodology
    update = dict(zip(EARLY_STEPS[:4], combo, strict=True))
    if all(getattr(methodology, k) == v for k, v in update.items()):
        return nominal.datasets
    variant = methodology.model_copy(update=update | {"aggregate": AggregateSpec()})
    return build(framework, data, variant).datasets


def _year_matrix(
    frame: pd.DataFrame, year: int, countries: tuple[str, ...], codes: list[str]
) -> Floats:
    """The year's rows of a wide data set as ``[country, indicator]`` (NaN where absent)."""
    rows = frame.loc[frame.index.get_level_values("year") == year].droplevel("year")
    return rows.reindex(index=list(countries), columns=codes).to_numpy(dtype=np.float64)


def _normalised(
    treated: pd.DataFrame,
    spec: NormaliseSpec,
    framework: Framework,
    year: int,
    countries: tuple[str, ...],
) -> Floats:
    """One normalisation alternative of the analysed year, ``[country, indicator]``.

    Normalising per year needs only the year's rows; a pooled scope needs every year.
    """
    in_year = treated.index.get_level_values("year") == year
    rows = treated if spec.scope == "pooled" else treated.loc[in_year]
    frame = Normaliser.for_framework(framework, spec).transform(rows)
    return _year_matrix(frame, year, countries, list(framework.indicator_codes))


def varying_of(
    framework: Framework,
    assumptions: Assumptions,
    alternatives: dict[str, tuple[Any, ...]],
    early: Early,
    countries: tuple[str, ...],
) -> Varying | None:
    """What replications with drawn goalposts or thresholds need (``None`` without)."""
    normalisers = tuple(Normaliser.for_framework(framework, s) for s in alternatives["normalise"])
    codes = list(framework.indicator_codes)
    moved = [
        j
        for j, code in enumerate(codes)
        if any(n.spec.for_indicator(code).method == "goalposts" for n in normalisers)
        and normalisers[0].posts_of(code) is not None
    ]
    if not assumptions.thresholds and not (assumptions.goalposts and moved):
        return None
    posts = [normalisers[0].posts_of(codes[j]) for j in moved]
    outcomes = tuple(
        tuple(
            tuple(
                ThresholdOutcomes(values[:, j], treat.for_indicator(code))
                for j, code in enumerate(codes)
            )
            for treat in alternatives["treat"]
        )
        if assumptions.thresholds
        else ()
        for values in early.before
    )
    return Varying(
        normalisers=normalisers,
        treated=early.treated,
        outcomes=outcomes,
        goalposts=np.array(moved, dtype=np.intp),
        posts=np.array(posts, dtype=np.float64).reshape(-1, 2).T.copy(),
    )
