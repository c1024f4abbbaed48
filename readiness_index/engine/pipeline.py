"""The build: framework + data + methodology -> an :class:`~.results.IndexResult`.

The steps run in COINr's order: denominate, impute, screen, treat, normalise,
aggregate. Each step is optional; the data set of a skipped step equals the one
before it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from readiness_index.engine.editions import latest_editions
from readiness_index.engine.facts import fact_columns, facts
from readiness_index.engine.ranking import descending_ranks
from readiness_index.engine.results import IndexResult
from readiness_index.errors import MethodologyError
from readiness_index.model.data import IndicatorData, check_inputs, level_values, no_rows
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import Methodology
from readiness_index.steps.aggregate import aggregate_tree
from readiness_index.steps.denominate import denominate, denominator_gaps
from readiness_index.steps.impute import Imputer
from readiness_index.steps.normalise import Normaliser
from readiness_index.steps.screen import screen_units
from readiness_index.steps.treat import Treater
from readiness_index.steps.weights import resolve_weights

__all__ = ["build", "check_fits", "score_table"]


def build(
    framework: Framework,
    data: IndicatorData,
    methodology: Methodology | Mapping[str, Any] | None = None,
    *,
    year: int | None = None,
) -> IndexResult:
    """Compute an index: every data set, the scores and ranks at every level.

    When the methodology has an ``editions`` entry, the data are first turned into
    yearly editions (:func:`~readiness_index.engine.editions.latest_editions`), up to
    ``year``; the steps then run on the editions.

    Parameters
    ----------
    framework : Framework
        The definitions; inactive nodes are left out.
    data : IndicatorData
        Validated indicator data (see :func:`readiness_index.read_data`).
    methodology : Methodology or mapping, optional
        The choices per step; ``None`` gives COINr's defaults (min-max 0-100,
        weighted arithmetic mean with the nominal weights).
    year : int, optional
        The last edition to build (the latest data year by default). Only with an
        ``editions`` entry in the methodology.

    Returns
    -------
    IndexResult

    Raises
    ------
    MethodologyError
        If the methodology is invalid or does not fit the framework, or ``year`` is
        given without editions.
    DataValidationError
        If ``year`` lies outside the data years.
    ComputationError
        If an aggregation meets values outside its domain where a score is computed (a
        geometric mean over a negative value, say) and the level's ``invalid`` is
        ``error``; with ``invalid: missing`` the score is left missing with a note.

    Examples
    --------
    >>> from readiness_index.model.framework import Aggregate, Framework, Indicator
    >>> from readiness_index.model.data import prepare_data
    >>> fw = Framework(aggregates=(Aggregate(code="index", name="Index"),),
    ...                indicators=(Indicator(code="a", name="A", parent="index"),
    ...                            Indicator(code="b", name="B", parent="index", direction=-1)))
    >>> rows = pd.DataFrame({"country": ["X", "X", "Y", "Y"], "year": 2024,
    ...                      "indicator": ["a", "b", "a", "b"], "value": [1.0, 5.0, 3.0, 2.0]})
    >>> result = build(fw, prepare_data(rows, fw))
    >>> result.ranking()[["country", "score", "rank"]].to_dict("records")
    [{'country': 'Y', 'score': 100.0, 'rank': 1}, {'country': 'X', 'score': 0.0, 'rank': 2}]
    """
    if not isinstance(methodology, Methodology):
        methodology = Methodology.from_mapping(methodology)
    check_inputs(framework, data, "build")
    fw = framework.active()
    check_fits(fw, methodology)
    source = data
    if methodology.editions is not None:
        data = latest_editions(fw, data, methodology.editions, year)
    elif year is not None:
        raise MethodologyError(
            f"year={year} selects an edition, but the methodology has no 'editions' entry; "
            "add one (editions: {count: 5}) or leave year out."
        )
    _check_reference(methodology, data)
    weights = resolve_weights(fw, methodology.weights)
    datasets, steps = _run_steps(fw, data, methodology, weights)
    known = facts(data, fw, methodology, datasets["raw"], steps.imputed)
    aggregated = datasets["aggregated"]
    facts_of_cells = fact_columns(known, aggregated.index, aggregated.columns)
    # the columns are new arrays of this build: the frame takes them as they are
    scores = pd.DataFrame({**_score_columns(aggregated, fw), **facts_of_cells}, copy=False)
    return IndexResult(
        framework=fw,
        data=data,
        methodology=methodology,
        datasets=datasets,
        scores=scores,
        **known.tables(data),
        treatment=steps.treatment,
        screened_out=steps.screened_out,
        weights=weights,
        notes=_notes(steps.notes),
        source=source,
        edition=year,
        methods=methodology.user_methods(),
        builder=build,
    )


_NOTE_COLUMNS = ("step", "country", "year", "indicator", "note")


def _notes(parts: list[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """The notes of every step, ``step`` first: ``parts`` are each step's name and table."""
    present = [(step, part) for step, part in parts if len(part)]
    if not present:
        return no_rows(*_NOTE_COLUMNS)
    if len(present) == 1:  # one step left values missing: its table, one frame made
        step, part = present[0]
        steps = pd.array(np.full(len(part), step, dtype=object), dtype="str")
        return pd.DataFrame({"step": steps, **{c: part[c].array for c in _NOTE_COLUMNS[1:]}})
    tables = [part.assign(step=step)[list(_NOTE_COLUMNS)] for step, part in present]
    return pd.concat(tables, ignore_index=True)


def check_fits(fw: Framework, methodology: Methodology) -> None:
    """Check that every code and level the methodology names exists in the framework.

    Raises
    ------
    MethodologyError
        Listing every unknown code or level and the known ones.
    """
    problems = []
    indicators = set(fw.indicator_codes)
    named = {
        "normalise.by_indicator": set(methodology.normalise.by_indicator),
        "treat.by_indicator": set(methodology.treat.by_indicator if methodology.treat else ()),
    }
    for where, codes in named.items():
        for code in sorted(codes - indicators):
            problems.append(f"{where} names {code!r}, which is not an active indicator")
    levels = set(fw.levels.values()) - {1}
    for level in sorted(set(methodology.aggregate.by_level) - levels):
        problems.append(
            f"aggregate.by_level names level {level}; the aggregate levels are {sorted(levels)}"
        )
    if problems:
        raise MethodologyError(
            "The methodology does not fit the framework:\n  " + "\n  ".join(problems)
        )


def _check_reference(methodology: Methodology, data: IndicatorData) -> None:
    """A ``distance_to_reference`` normalisation must name a unit of the data."""
    spec = methodology.normalise
    named = [spec.reference, *(s.reference for s in spec.by_indicator.values())]
    unknown = sorted({r for r in named if r is not None and r not in set(data.countries)})
    if unknown:
        raise MethodologyError(
            f"normalise.reference names {unknown}, which are not units of the data; "
            f"units: {data.countries}"
        )


@dataclass
class _Steps:
    """What the steps produce besides the data sets."""

    imputed: pd.DataFrame | None = None
    treatment: pd.DataFrame = field(default_factory=pd.DataFrame)
    screened_out: pd.DataFrame = field(
        default_factory=lambda: no_rows("country", "year", "coverage", "nonzero", "reason")
    )
    notes: list[tuple[str, pd.DataFrame]] = field(default_factory=list)


def _run_steps(
    fw: Framework, data: IndicatorData, methodology: Methodology, weights: dict[str, float]
) -> tuple[dict[str, pd.DataFrame], _Steps]:
    raw = data.wide(list(fw.indicator_codes))
    datasets = {"raw": raw}
    steps = _Steps()
    current = raw
    if methodology.denominate.enabled:
        by = {i.code: i.denominator for i in fw.indicators if i.denominator is not None}
        denominators = data.wide(sorted(set(by.values())))
        steps.notes.append(("denominate", denominator_gaps(current, denominators, by)))
        current = denominate(current, denominators, by)
    datasets["denominated"] = current
    if methodology.impute is not None:
        current, steps.imputed = Imputer(methodology.impute, data.groups).transform(current)
    datasets["imputed"] = current
    if methodology.screen is not None and methodology.screen.method != "none":
        current, steps.screened_out = screen_units(current, methodology.screen)
    datasets["screened"] = current
    if methodology.treat is not None and methodology.treat.method != "none":
        current, steps.treatment = Treater(methodology.treat).transform(current)
    datasets["treated"] = current
    normalised = Normaliser.for_framework(fw, methodology.normalise).transform(current)
    steps.notes.append(("normalise", _lost(current, normalised, _UNDEFINED)))
    datasets["normalised"] = normalised
    datasets["aggregated"], invalid = aggregate_tree(normalised, fw, weights, methodology.aggregate)
    steps.notes.append(("aggregate", invalid))
    return datasets, steps


_UNDEFINED = (
    "normalisation undefined for this value (a constant indicator in this year, or a "
    "missing target or reference): left missing"
)


def _lost(before: pd.DataFrame, after: pd.DataFrame, note: str) -> pd.DataFrame:
    """The cells a step turned from a value into a missing value, with the reason."""
    same_cells = after.index is before.index and after.columns is before.columns
    aligned = after if same_cells else after.reindex_like(before)
    lost = ~np.isnan(before.to_numpy(dtype="float64")) & np.isnan(aligned.to_numpy(dtype="float64"))
    if not lost.any():
        return pd.DataFrame()  # nothing lost (left out of the notes)
    row, column = np.nonzero(lost)  # row by row, columns in order (as a stack gives them)
    rows = pd.DataFrame(
        {
            "country": before.index.get_level_values("country").take(row),
            "year": before.index.get_level_values("year").take(row),
            "indicator": before.columns.take(column),
        }
    )
    return rows.assign(note=note)


def score_table(aggregated: pd.DataFrame, fw: Framework) -> pd.DataFrame:
    """Long scores with levels and ranks (1 = best) per year and code.

    One row per unit, year and code (in the wide table's row order, codes in column
    order); ranks are taken within each year, per code.
    """
    return pd.DataFrame(_score_columns(aggregated, fw))


def _score_columns(aggregated: pd.DataFrame, fw: Framework) -> dict[str, Any]:
    """The columns of :func:`score_table`."""
    n_rows, n_codes = aggregated.shape
    codes = aggregated.columns
    scores = aggregated.to_numpy(dtype="float64")
    years = level_values(aggregated.index, "year")
    ranks = _ranks_within_years(scores, years).ravel()
    per_row = np.repeat(np.arange(n_rows), n_codes)
    per_code = np.broadcast_to(np.arange(n_codes), (n_rows, n_codes)).ravel()
    levels = np.array([fw.levels[str(code)] for code in codes.tolist()], dtype="int64")
    return {
        "country": aggregated.index.get_level_values("country").array.take(per_row),
        "year": np.repeat(years, n_codes),
        "code": codes.array.take(per_code),
        "level": np.broadcast_to(levels, (n_rows, n_codes)).ravel(),
        "score": scores.flatten(),  # a copy: the scores never share the data set's memory
        "rank": pd.arrays.IntegerArray(ranks, ranks == 0),
    }


def _ranks_within_years(scores: NDArray[np.float64], years: NDArray[Any]) -> NDArray[np.int64]:
    """Rank of each score within its year (``years``: one per row) and column: 1 = highest,
    ties share the lowest rank, 0 for a missing score (:func:`~.ranking.descending_ranks`)."""
    ranks = np.zeros(scores.shape, dtype=np.int64)
    for year in pd.unique(years):
        rows = np.flatnonzero(years == year)
        ranks[rows] = descending_ranks(scores[rows].T).T  # each code's column as one row
    return ranks
