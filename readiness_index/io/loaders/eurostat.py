"""Eurostat's download formats: SDMX-CSV and the tab-separated TSV.

Both become long rows ``country, year, indicator, value, flag, source`` (plus
``vintage`` when the file carries its "last update" date). Flags are kept as
published; a ``:`` (not available) becomes a missing value with the flag ``:``.
Eurostat's ``EL`` and ``UK`` become ISO ``GR`` and ``GB``; aggregates such as
``EU27_2020`` are left out, and so is every country outside ``countries`` when given.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Mapping
from typing import Literal

import pandas as pd

from readiness_index.errors import Reason
from readiness_index.io.loaders._common import (
    Failures,
    assemble,
    existing,
    finish,
    read_text_table,
    require_columns,
    split_cell,
)
from readiness_index.model.columns import case_variants, describe_case_variants

__all__ = ["read_eurostat_sdmx_csv", "read_eurostat_tsv"]

PeriodRule = Literal["annual", "latest_in_year"]
_DIMENSION = re.compile(r"^[a-z][a-z0-9_]*$")
_NOT_DIMENSIONS = {"geo", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG", "CONF_STATUS"}


def read_eurostat_sdmx_csv(
    path: str | os.PathLike[str],
    *,
    indicator: str,
    filters: Mapping[str, str] | None = None,
    countries: Collection[str] | None = None,
    period_rule: PeriodRule = "annual",
    source: str | None = None,
) -> pd.DataFrame:
    """Read a Eurostat SDMX-CSV file (codes, labels or both) into long rows.

    Parameters
    ----------
    path : path-like
        The downloaded ``.csv`` (or ``.csv.gz``).
    indicator : str
        The indicator code the series is stored under.
    filters : mapping of str to str, optional
        Dimension values that select one series, e.g. ``{"indic_is": "E_AI_TANY"}``.
        Needed when the file holds several series per country and period.
    countries : collection of str, optional
        ISO alpha-2 codes to keep; rows for other geos are left out.
    period_rule : {"annual", "latest_in_year"}, default "annual"
        ``annual`` refuses sub-annual periods; ``latest_in_year`` keeps the latest
        half-year, quarter or month of each calendar year.
    source : str, optional
        Source text; by default the dataset code and the dimension values.

    Returns
    -------
    pandas.DataFrame
        ``country, year, indicator, value, flag, source`` and ``vintage``.

    Raises
    ------
    DataFileError
        With a ``failures`` table naming file, row and column of every problem.
    """
    file = existing(path)
    failures = Failures(file)
    table = read_text_table(file)
    require_columns(table, ("geo", "TIME_PERIOD", "OBS_VALUE"), failures, optional=["OBS_FLAG"])
    table = _without_repeated_keys(table, [*dimensions(table), "geo", "TIME_PERIOD"], failures)
    table = select_series(table, filters or {}, ["geo", "TIME_PERIOD"], failures)
    value, flag = _sdmx_values(table)
    parts = {
        "geo": table["geo"],
        "period": table["TIME_PERIOD"],
        "value": value,
        "flag": flag,
        "indicator": pd.Series(indicator, index=table.index),
        "source": pd.Series(source or _sdmx_source(table), index=table.index),
    }
    names = {"geo": "geo", "period": "TIME_PERIOD", "value": "OBS_VALUE", "flag": "OBS_FLAG"}
    frame = assemble(parts, failures, columns=names, countries=countries, period_rule=period_rule)
    frame["vintage"] = _vintage(table)
    return finish(frame, failures)


def _sdmx_values(table: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    flag = table["OBS_FLAG"] if "OBS_FLAG" in table.columns else pd.Series("", index=table.index)
    cells = table["OBS_VALUE"].map(split_cell)
    value = cells.map(lambda c: c[0])
    flag = flag.where(cells.map(lambda c: c[1] == ""), cells.map(lambda c: c[1]) + flag)
    return value, flag


def _sdmx_source(table: pd.DataFrame) -> str:
    flow = ""
    for column in ("DATAFLOW", "STRUCTURE_ID"):
        if column in table.columns and len(table):
            flow = str(table[column].iloc[0])
    dataset = re.sub(r"^[A-Z]+:|\$.*$|\(.*$", "", flow).lower() or "Eurostat"
    return f"{dataset} [{_fixed_dimensions(table)}]"


def _fixed_dimensions(table: pd.DataFrame) -> str:
    fixed = [
        f"{col}={table[col].iloc[0]}"
        for col in dimensions(table)
        if col != "freq" and len(table) and table[col].eq(table[col].iloc[0]).all()
    ]
    return ",".join(fixed)


def _vintage(table: pd.DataFrame) -> str:
    if "LAST UPDATE" not in table.columns or table.empty:
        return ""
    match = re.match(r"(\d\d)/(\d\d)/(\d\d)", str(table["LAST UPDATE"].iloc[0]))
    return f"20{match.group(3)}-{match.group(2)}-{match.group(1)}" if match else ""


def dimensions(table: pd.DataFrame) -> list[str]:
    """The dimension columns of an SDMX-CSV or TSV table (lower-case ids, not geo/time)."""
    return [c for c in table.columns if _DIMENSION.match(str(c)) and c not in _NOT_DIMENSIONS]


def select_series(
    table: pd.DataFrame, filters: Mapping[str, str], keys: list[str], failures: Failures
) -> pd.DataFrame:
    """Rows matching ``filters``; an error if they still hold several series per key."""
    dims = dimensions(table)
    known = len(failures.rows)
    for column, wanted in filters.items():
        if column not in dims:
            failures.add(None, column, f"a filter on one of the dimensions {dims}", column)
        elif wanted not in set(table[column]):
            values = sorted(set(table[column]))[:12]
            failures.add(None, column, f"a value among {values}", wanted)
    if len(failures.rows) > known:  # a filter that selects nothing: nothing more to read
        failures.raise_if_any()
    for column, wanted in filters.items():
        table = table.loc[table[column] == wanted]
    clash = table.duplicated(keys, keep=False)
    if clash.any():
        varying = {
            c: sorted(set(table[c]))[:8] for c in dims if not table[c].eq(table[c].iloc[0]).all()
        }
        first = table.loc[clash].iloc[0]
        rows = table.index[clash & table[keys].eq(first[keys]).all(axis=1)]
        failures.add(
            None, ", ".join(varying) or ", ".join(keys),
            "one series per country and period; the file holds several series per country "
            f"and period, so pass filters to select one, e.g. on {varying}",
            f"{' '.join(map(str, first[keys]))} on rows {_listed(rows)}",
        )  # fmt: skip
        failures.raise_if_any()
    return table


def _listed(rows: Iterable[object]) -> str:
    """Row labels as text: ``2``, ``2 and 4``, ``2, 4 and 5``."""
    texts = [str(row) for row in rows]
    return " and ".join([", ".join(texts[:-1]), texts[-1]] if len(texts) > 1 else texts)


def _without_repeated_keys(
    table: pd.DataFrame, key: list[str], failures: Failures, *, column: str | None = None
) -> pd.DataFrame:
    """Record every series key that the file itself holds on more than one row; the
    table keeps the first row of each key.

    Such repeats are duplicate rows of the file, which no filter can separate (unlike
    several series per country and period, which :func:`select_series` reports). The
    key is said as ``freq=A, unit=PC, ...`` (SDMX-CSV), or as the first cell of a TSV
    row (``A,PC,AT``) when ``column`` names that cell.
    """
    repeated = table.duplicated(key, keep=False)
    for _, group in table.loc[repeated].groupby(key, sort=False, dropna=False):
        values = [str(v) for v in group[key].iloc[0]]
        named = (f"{name}={value}" for name, value in zip(key, values, strict=True))
        said = ",".join(values) if column else ", ".join(named)
        failures.add(
            group.index[1], column or ", ".join(key),
            "each series key on one row only (the file itself has duplicate rows: this key "
            f"is on rows {_listed(group.index)}; filters cannot separate them)",
            said, reason=Reason.DUPLICATE_ROW, country=group["geo"].iloc[0],
        )  # fmt: skip
    return table.loc[~table.duplicated(key)] if repeated.any() else table


def read_eurostat_tsv(
    path: str | os.PathLike[str],
    *,
    indicator: str,
    filters: Mapping[str, str] | None = None,
    countries: Collection[str] | None = None,
    period_rule: PeriodRule = "annual",
    source: str | None = None,
) -> pd.DataFrame:
    """Read a Eurostat TSV file (``freq,unit,geo\\TIME_PERIOD`` layout) into long rows.

    Cells such as ``12.3 e`` are split into value ``12.3`` and flag ``e``; ``:``
    becomes a missing value with flag ``:``. Parameters are those of
    :func:`read_eurostat_sdmx_csv`; the source defaults to the file's dataset code
    (its name without ``estat_``) and the dimension values.

    Raises
    ------
    DataFileError
        With a ``failures`` table naming file, row and column of every problem.
    """
    file = existing(path)
    failures = Failures(file)
    wide = read_text_table(file, sep="\t")
    long = _melt_tsv(wide, failures)
    long = select_series(long, filters or {}, ["geo", "TIME_PERIOD"], failures)
    cells = long["OBS_VALUE"].map(split_cell)
    dataset = re.sub(r"^estat_|\.tsv(\.gz)?$|_tabular$", "", file.name.removesuffix(".tsv.gz"))
    parts = {
        "geo": long["geo"],
        "period": long["TIME_PERIOD"],
        "value": cells.map(lambda c: c[0]),
        "flag": cells.map(lambda c: c[1]),
        "indicator": pd.Series(indicator, index=long.index),
        "source": pd.Series(
            source or f"{dataset.removesuffix('.tsv')} [{_fixed_dimensions(long)}]",
            index=long.index,
        ),
    }
    names = {"geo": "geo", "period": "TIME_PERIOD", "value": "value", "flag": "flag"}
    frame = assemble(parts, failures, columns=names, countries=countries, period_rule=period_rule)
    frame["vintage"] = ""
    return finish(frame, failures)


def _melt_tsv(wide: pd.DataFrame, failures: Failures) -> pd.DataFrame:
    first = str(wide.columns[0])
    if "\\" not in first:
        failures.add(1, first, "a first header cell such as 'freq,unit,geo\\TIME_PERIOD'", first)
        failures.raise_if_any()
    dims = first.split("\\")[0].split(",")
    if "geo" not in dims:
        variants = case_variants(dims, ["geo"])
        hint = f": {describe_case_variants(variants)}" if variants else ""
        failures.add(1, first, f"a 'geo' dimension in the first header cell{hint}", first)
        failures.raise_if_any()
    keys = wide[first].str.split(",", expand=True)
    if keys.shape[1] != len(dims):
        failures.add(None, first, f"{len(dims)} comma-separated codes per row", "another count")
        failures.raise_if_any()
    keys.columns = dims
    keys = _without_repeated_keys(keys, dims, failures, column=first)
    wide = wide.loc[keys.index]
    periods = {c: str(c).strip() for c in wide.columns[1:]}
    body = pd.concat([keys, wide.drop(columns=first).rename(columns=periods)], axis=1)
    body["_line"] = body.index
    long = body.melt(id_vars=[*dims, "_line"], var_name="TIME_PERIOD", value_name="OBS_VALUE")
    long.index = pd.Index(
        [
            f"{line}:{period}"
            for line, period in zip(long["_line"], long["TIME_PERIOD"], strict=True)
        ]
    )
    return long.drop(columns="_line")
