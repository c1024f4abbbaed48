"""Distance to target and trajectory: is a country on track for its 2030 target?

For each country and indicator with a target ``T`` for year ``Y``, with latest value
``x_L`` in year ``L`` and first value ``x_F`` in year ``F`` of the history used, as
seen by the edition ``E`` (only data up to ``E``):

* ``gap = T - x_L`` (in the target's unit; negative once a "lower is better"
  indicator must still fall),
* ``required_cagr = (T / x_L) ** (1 / (Y - L)) - 1``, the compound annual change
  needed from the latest data year to reach the target by its year,
* ``observed_cagr = (x_L / x_F) ** (1 / (L - F)) - 1``, the compound annual change
  over the years ``F`` to ``L`` (both reported, so a reader sees what the growth spans),
* ``status``, the first that applies:

  1. "data too old" when ``E - L`` exceeds the indicator's ``stale_after``
     (:meth:`Methodology.stale_after <readiness_index.model.methodology.Methodology.stale_after>`:
     its own, else the methodology's ``editions.stale_after``), the very rule that
     marks a value stale (``o``) in the build: a verdict on an old figure would mislead;
  2. "reached" when the gap is closed (``x_L >= T``; ``x_L <= T`` for direction -1);
  3. "no trend" with fewer than two points or a change that cannot be computed
     (a zero or negative value, a target year already passed);
  4. "on track" when the observed change is at least the required one (at most,
     for direction -1 indicators, whose values must fall), else "off track".

A target applies to the indicator's published value (before any denominator):
a relative target (``factor``) is each country's baseline times the factor, the
baseline being its value in ``baseline_year`` or its latest value. EU-wide targets
apply to every country unless a national target is given (a per-country target in
the framework, or the ``national`` table). Targets are declared in the framework's
definitions (``target:`` of an indicator), never in code.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from readiness_index.errors import DataValidationError, DefinitionError
from readiness_index.model.data import IndicatorData, check_inputs
from readiness_index.model.framework import Framework, Target
from readiness_index.model.methodology import Methodology

__all__ = [
    "STATUSES",
    "TARGET_COLUMNS",
    "cagr",
    "distance_to_target",
    "relative_target",
    "status_counts",
    "trajectory_status",
]

STATUSES = ("reached", "on track", "off track", "no trend", "data too old")
TARGET_COLUMNS = (
    "country", "indicator", "first_year", "latest_year", "latest_value", "target",
    "target_year", "gap", "required_cagr", "observed_cagr", "status", "edition",
)  # fmt: skip


def cagr(start: np.ndarray, end: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Compound annual growth rate ``(end / start) ** (1 / years) - 1``.

    ``NaN`` where it is undefined: ``start <= 0``, ``end < 0`` or ``years <= 0``.

    >>> cagr(np.array([100.0, 50.0, 0.0]), np.array([121.0, 25.0, 3.0]), np.array([2, 1, 4]))
    array([ 0.1, -0.5,  nan])
    """
    start, end, years = (np.asarray(a, dtype="float64") for a in (start, end, years))
    ok = (start > 0) & (end >= 0) & (years > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.power(end / start, 1.0 / years) - 1.0
    return np.where(ok, rate, np.nan)


def trajectory_status(
    required: np.ndarray,
    observed: np.ndarray,
    direction: np.ndarray,
    points: np.ndarray,
    *,
    gap: np.ndarray | None = None,
    age: np.ndarray | None = None,
    stale_after: np.ndarray | float = np.inf,
) -> np.ndarray:
    """Status per row, the first rule of the module formula that applies.

    ``gap`` is ``target - latest`` (a closed gap is "reached") and ``age`` the
    years from the latest value to the edition (above ``stale_after``, per row or one
    for all: "data too old"; :meth:`Methodology.stale_after` gives it per indicator).

    >>> trajectory_status(np.array([0.05, 0.05, -0.1, 0.05]), np.array([0.06, 0.01, -0.2, 0.1]),
    ...                   np.array([1, 1, -1, 1]), np.array([3, 3, 2, 1])).tolist()
    ['on track', 'off track', 'on track', 'no trend']
    >>> trajectory_status(np.array([0.1, -0.1, 0.1]), np.array([0.2, 0.0, 0.2]),
    ...                   np.array([1, 1, 1]), np.array([3, 3, 3]),
    ...                   gap=np.array([5.0, -2.0, 5.0]), age=np.array([0, 1, 4]),
    ...                   stale_after=2).tolist()
    ['on track', 'reached', 'data too old']
    """
    required, observed = np.asarray(required, float), np.asarray(observed, float)
    direction = np.asarray(direction)
    gap = np.full(required.shape, np.nan) if gap is None else np.asarray(gap, float)
    age = np.zeros(required.shape) if age is None else np.asarray(age, float)
    reached = np.where(direction < 0, gap >= 0, gap <= 0) & ~np.isnan(gap)
    no_trend = (np.asarray(points) < 2) | np.isnan(required) | np.isnan(observed)
    on_track = np.where(direction < 0, observed <= required, observed >= required)
    return np.select(
        [age > np.asarray(stale_after, float), reached, no_trend, on_track],
        ["data too old", "reached", "no trend", "on track"],
        default="off track",
    )


def status_counts(table: pd.DataFrame) -> dict[str, int]:
    """How many rows of a distance-to-target table have each status, in :data:`STATUSES` order.

    >>> status_counts(pd.DataFrame({"status": ["on track", "reached", "on track"]}))
    {'reached': 1, 'on track': 2, 'off track': 0, 'no trend': 0, 'data too old': 0}
    """
    counts = table["status"].value_counts() if len(table) else pd.Series(dtype="int64")
    return {status: int(counts.get(status, 0)) for status in STATUSES}


def distance_to_target(
    framework: Framework,
    data: IndicatorData,
    *,
    targets: Mapping[str, Target] | None = None,
    national: pd.DataFrame | None = None,
    window: int | None = None,
    year: int | None = None,
    methodology: Methodology | None = None,
) -> pd.DataFrame:
    """Distance to target and trajectory for every country and targeted indicator.

    Parameters
    ----------
    framework : Framework
        Indicators, directions and their ``target`` (a value, or a ``factor`` of
        each country's baseline).
    data : IndicatorData
        Data with every published year (not an edition relabelling).
    targets : mapping of str to Target, optional
        Extra or replacing targets by indicator code.
    year : int, optional
        The edition: only data up to this year is used, and a latest value stale
        in it is "data too old". Default: the latest year of the data.
    methodology : Methodology, optional
        The build's methodology: a latest value more than
        :meth:`Methodology.stale_after` years behind the edition (the indicator's
        own ``stale_after``, else ``editions.stale_after``) is "data too old", as
        it is marked stale (``o``) in the build. Default: no methodology, so only
        the indicators' own ``stale_after`` applies.
    national : pandas.DataFrame, optional
        National targets ``country, indicator, target, target_year``; they replace
        the EU-wide target for that country.
    window : int, optional
        Measure the observed change over at most the last ``window`` years, from
        ``latest - window`` to ``latest`` (all the history when ``None``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TARGET_COLUMNS`, one row per country and indicator.

    Raises
    ------
    DataValidationError
        If the national table lacks a column.
    DefinitionError
        If a target of an indicator with a denominator declares no ``unit`` (the
        target applies to the published value, not to the divided one).

    Examples
    --------
    >>> from readiness_index.model.framework import Aggregate, Indicator
    >>> from readiness_index.model.data import prepare_data
    >>> fw = Framework(aggregates=(Aggregate(code="i", name="I"),), indicators=(
    ...     Indicator(code="a", name="A", parent="i", target=Target(value=80, year=2030)),))
    >>> rows = pd.DataFrame({"country": "AT", "year": [2020, 2025], "indicator": "a",
    ...                      "value": [50.0, 60.0]})
    >>> out = distance_to_target(fw, prepare_data(rows, fw))
    >>> out[["gap", "required_cagr", "observed_cagr", "status"]].round(4).values.tolist()
    [[20.0, 0.0592, 0.0371, 'off track']]
    """
    check_inputs(framework, data, "distance_to_target")
    chosen = {i.code: i.target for i in framework.indicators if i.target is not None}
    chosen.update(targets or {})
    _check_units(framework, chosen)
    long = data.long
    edition = int(long["year"].max()) if year is None else int(year)
    long = long.loc[long["year"].astype("int64") <= edition]
    chosen = {code: _resolved(target, long, code) for code, target in chosen.items()}
    history = _history(long, set(chosen), window)
    table = _attach_targets(history, chosen, national)
    methodology = methodology or Methodology()
    limits = {i.code: methodology.stale_after(i) for i in framework.indicators}
    return _trajectories(table.assign(edition=edition), framework.directions, limits)


def _check_units(framework: Framework, chosen: Mapping[str, Target]) -> None:
    """A target on a divided indicator must name its unit: it applies to the published
    value (a national total), which the indicator's per-inhabitant unit would mislabel."""
    unlabelled = [
        f"{code!r} (divided by {framework.indicator(code).denominator!r}, unit "
        f"{framework.indicator(code).unit!r})"
        for code, target in chosen.items()
        if code in framework.nodes and framework.indicator(code).denominator and not target.unit
    ]
    if unlabelled:
        raise DefinitionError(
            f"the target(s) of {', '.join(unlabelled)} declare no unit; a target applies to "
            "the published value, before the denominator, so declare target.unit (and "
            "target.name) for that quantity, e.g. unit: TFlop/s for a per-inhabitant "
            "TFlop/s indicator"
        )


def _resolved(target: Target, long: pd.DataFrame, code: str) -> Target:
    """A relative target (``factor``) as one value per country; others as given."""
    if target.factor is None:
        return target
    values = _relative_values(long, code, target.factor, target.baseline_year)
    return target.model_copy(update={"value": values, "factor": None})


def _relative_values(
    long: pd.DataFrame, code: str, factor: float, baseline_year: int | None
) -> dict[str, float]:
    """``factor`` times each country's baseline; none for a baseline of zero or less."""
    rows = long.loc[(long["indicator"] == code) & long["value"].notna()]
    if baseline_year is not None:
        rows = rows.loc[rows["year"] == baseline_year]
    latest = rows.sort_values("year").groupby("country")["value"].last()
    latest = latest.loc[latest > 0]  # a multiple of nothing is no goal
    return {str(country): float(value) * factor for country, value in latest.items()}


def _history(long: pd.DataFrame, codes: set[str], window: int | None) -> pd.DataFrame:
    rows = long.loc[long["value"].notna() & long["indicator"].isin(codes)]
    rows = rows.assign(year=rows["year"].astype("int64")).sort_values("year")
    if window is not None:
        last = rows.groupby(["country", "indicator"])["year"].transform("max")
        rows = rows.loc[rows["year"] >= last - window]
    grouped = rows.groupby(["country", "indicator"], sort=True)
    return pd.DataFrame(
        {
            "first_year": grouped["year"].first(),
            "first_value": grouped["value"].first(),
            "latest_year": grouped["year"].last(),
            "latest_value": grouped["value"].last(),
            "points": grouped["value"].count(),
        }
    ).reset_index()


def _attach_targets(
    history: pd.DataFrame, chosen: Mapping[str, Target], national: pd.DataFrame | None
) -> pd.DataFrame:
    keys = zip(history["country"], history["indicator"], strict=True)
    values = [chosen[code].for_country(country) for country, code in keys]
    out = history.assign(
        target=pd.Series(values, index=history.index, dtype="float64"),
        # a target without a year (COINr's iMeta Target) keeps its gap but has no trajectory
        target_year=history["indicator"].map(lambda code: chosen[code].year).astype("Int64"),
    )
    if national is not None:
        out = _national(out, national)
    return out.loc[out["target"].notna()]


def _national(table: pd.DataFrame, national: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("country", "indicator", "target", "target_year") if c not in national]
    if missing:
        raise DataValidationError(
            f"national targets need the columns country, indicator, target, target_year; "
            f"missing {missing}"
        )
    given = national[["country", "indicator", "target", "target_year"]]
    merged = table.merge(given, on=["country", "indicator"], how="left", suffixes=("", "_national"))
    has = merged["target_national"].notna()
    merged.loc[has, "target"] = merged.loc[has, "target_national"].astype("float64")
    merged.loc[has, "target_year"] = merged.loc[has, "target_year_national"].astype("int64")
    return merged.drop(columns=["target_national", "target_year_national"])


def _trajectories(
    table: pd.DataFrame, directions: Mapping[str, int], stale_after: Mapping[str, float]
) -> pd.DataFrame:
    direction = table["indicator"].map(directions).to_numpy()
    required = cagr(
        table["latest_value"].to_numpy(),
        table["target"].to_numpy(),
        (table["target_year"] - table["latest_year"]).to_numpy(dtype="float64", na_value=np.nan),
    )
    observed = cagr(
        table["first_value"].to_numpy(),
        table["latest_value"].to_numpy(),
        (table["latest_year"] - table["first_year"]).to_numpy(),
    )
    gap = (table["target"] - table["latest_value"]).to_numpy()
    status = trajectory_status(
        required, observed, direction, table["points"].to_numpy(), gap=gap,
        age=(table["edition"] - table["latest_year"]).to_numpy(),
        stale_after=table["indicator"].map(stale_after).to_numpy(dtype="float64"),
    )  # fmt: skip
    out = table.assign(gap=gap, required_cagr=required, observed_cagr=observed, status=status)
    return out[list(TARGET_COLUMNS)].reset_index(drop=True)


def relative_target(
    data: IndicatorData,
    indicator: str,
    *,
    factor: float,
    target_year: int,
    baseline_year: int | None = None,
    policy: str | None = None,
) -> Target:
    """A national target per country: ``factor`` times its baseline value.

    The same rule as a declared ``target: {factor: ...}``, resolved now. The
    baseline is the value in ``baseline_year``, or each country's latest value
    when ``None``. Countries with a baseline of zero or less get no target (a
    multiple of nothing is no goal).

    >>> from readiness_index.model.framework import Aggregate, Indicator
    >>> from readiness_index.model.data import prepare_data
    >>> fw = Framework(aggregates=(Aggregate(code="i", name="I"),),
    ...                indicators=(Indicator(code="c", name="C", parent="i"),))
    >>> rows = pd.DataFrame({"country": ["AT", "BE"], "year": 2025, "indicator": "c",
    ...                      "value": [10.0, 0.0]})
    >>> relative_target(prepare_data(rows, fw), "c", factor=3, target_year=2030).value
    {'AT': 30.0}
    """
    values = _relative_values(data.long, indicator, factor, baseline_year)
    return Target(value=values, year=target_year, policy=policy)
