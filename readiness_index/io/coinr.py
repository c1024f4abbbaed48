"""COINr interoperability: read COINr's ``iData`` and ``iMeta`` tables.

Users migrating from COINr start here: :func:`read_coinr` turns the two tables
(paths or DataFrames) into a :class:`~readiness_index.model.framework.Framework` and
:class:`~readiness_index.model.data.IndicatorData`.

``iMeta`` columns: ``Level, iCode, iName, Direction, Weight, Unit, Target,
Denominator, Parent, Type`` with ``Type`` one of ``Indicator``, ``Aggregate``,
``Denominator``, ``Group`` (and ``Other``, ignored). ``iData`` columns: ``uCode``,
``uName``, optionally ``Time``, group columns, denominators and indicators. The
optional ``goalpost_lower`` and ``goalpost_upper`` columns of ``iMeta`` become the
indicators' goalposts (for ``normalise: {method: goalposts}``).
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd

from readiness_index.errors import DataFileError, DefinitionError
from readiness_index.io.files import read_table
from readiness_index.model.data import IndicatorData, prepare_data
from readiness_index.model.framework import (
    Aggregate,
    Denominator,
    Framework,
    Goalposts,
    Indicator,
    Target,
    Unit,
)

__all__ = ["read_coinr"]

_META_COLUMNS = {"Level", "iCode", "iName", "Direction", "Weight", "Parent", "Type"}


def read_coinr(
    idata: pd.DataFrame | str | os.PathLike[str],
    imeta: pd.DataFrame | str | os.PathLike[str],
    *,
    year: int | None = None,
) -> tuple[Framework, IndicatorData]:
    """Read COINr's ``iData`` and ``iMeta`` into a framework and validated data.

    Parameters
    ----------
    idata, imeta : pandas.DataFrame or path
        The tables, as COINr's ``new_coin`` takes them (CSV, Excel or Parquet files).
    year : int, optional
        The year of every row when ``iData`` has no ``Time`` column.

    Returns
    -------
    (Framework, IndicatorData)

    Raises
    ------
    DefinitionError
        If ``iMeta`` lacks a column or describes a broken tree.
    DataFileError
        If ``iData`` has no ``Time`` column and no ``year`` was given.
    """
    meta = _table(imeta)
    values = _table(idata)
    missing = sorted(_META_COLUMNS - set(meta.columns))
    if missing:
        raise DefinitionError(f"iMeta lacks the columns {missing}; found {list(meta.columns)}")
    framework = _framework(meta, values)
    long = _long(values, meta, year)
    groups = _groups(values, meta)
    names = dict(
        zip(
            values["uCode"].astype(str),
            values.get("uName", values["uCode"]).astype(str),
            strict=True,
        )
    )
    label = "iData" if isinstance(idata, pd.DataFrame) else str(idata)
    return framework, prepare_data(long, framework, groups=groups, names=names, file=label)


def _table(source: pd.DataFrame | str | os.PathLike[str]) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        return source.copy()
    frame = read_table(source)
    return frame.replace("", np.nan).apply(_maybe_numeric)


def _maybe_numeric(column: pd.Series) -> pd.Series:
    converted = pd.to_numeric(column, errors="coerce")
    return converted if converted.notna().sum() == column.notna().sum() else column


def _rows(meta: pd.DataFrame, kind: str) -> list[dict[str, Any]]:
    return [
        {str(k): (None if isinstance(v, float) and np.isnan(v) else v) for k, v in row.items()}
        for row in meta[meta["Type"] == kind].to_dict("records")
    ]


def _framework(meta: pd.DataFrame, values: pd.DataFrame) -> Framework:
    aggregates = tuple(_aggregate(r) for r in _rows(meta, "Aggregate"))
    root = next(a for a in aggregates if a.parent is None)
    names = dict(zip(values["uCode"], values.get("uName", values["uCode"]), strict=True))
    return Framework(
        code=root.code,
        name=root.name,
        aggregates=aggregates,
        indicators=tuple(_indicator(r) for r in _rows(meta, "Indicator")),
        denominators=tuple(
            Denominator(code=str(r["iCode"]), name=str(r["iName"]), unit=_text(r, "Unit"))
            for r in _rows(meta, "Denominator")
        ),
        units=tuple(Unit(code=str(c), name=str(n)) for c, n in names.items()),
    )


def _text(row: dict[str, Any], key: str) -> str | None:
    return None if row.get(key) is None else str(row[key])


def _indicator(r: dict[str, Any]) -> Indicator:
    """An ``iMeta`` row of type ``Indicator``."""
    return Indicator(
        code=str(r["iCode"]),
        name=str(r["iName"]),
        parent=str(r["Parent"]),
        weight=float(r["Weight"]),
        level=int(r["Level"]),
        direction=1 if int(r["Direction"]) == 1 else -1,
        unit=_text(r, "Unit"),
        target=None if r.get("Target") is None else Target(value=float(r["Target"])),
        denominator=_text(r, "Denominator"),
        goalposts=_goalposts(r),
    )


def _aggregate(r: dict[str, Any]) -> Aggregate:
    """An ``iMeta`` row of type ``Aggregate``."""
    return Aggregate(
        code=str(r["iCode"]),
        name=str(r["iName"]),
        parent=_text(r, "Parent"),
        weight=float(r["Weight"]) if r.get("Weight") is not None else 1.0,
        level=int(r["Level"]),
    )


def _goalposts(row: dict[str, Any]) -> Goalposts | None:
    """COINr's optional ``goalpost_lower`` and ``goalpost_upper`` iMeta columns."""
    lower, upper = row.get("goalpost_lower"), row.get("goalpost_upper")
    if lower is None or upper is None:
        return None
    return Goalposts(lower=float(lower), upper=float(upper))


def _long(values: pd.DataFrame, meta: pd.DataFrame, year: int | None) -> pd.DataFrame:
    codes = meta.loc[meta["Type"].isin(["Indicator", "Denominator"]), "iCode"].astype(str).tolist()
    frame = values.copy()
    if "Time" not in frame.columns:
        if year is None:
            raise DataFileError("iData has no 'Time' column; pass year=... to read_coinr.")
        frame["Time"] = year
    frame["_row"] = frame.index  # the file's line numbers (read_table), or the frame's labels
    long = frame.melt(id_vars=["uCode", "Time", "_row"], value_vars=codes, var_name="indicator")
    long = long.rename(columns={"uCode": "country", "Time": "year"})
    long["flag"] = ""
    long["source"] = "COINr iData"
    # a failure names the iData row and column it comes from
    long.index = [
        f"{row} ({code})" for row, code in zip(long["_row"], long["indicator"], strict=True)
    ]
    return long[["country", "year", "indicator", "value", "flag", "source"]]


def _groups(values: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    columns = [c for c in meta.loc[meta["Type"] == "Group", "iCode"].astype(str) if c in values]
    if not columns:
        return pd.DataFrame()
    frame = values[["uCode", *columns]]
    if "Time" in values.columns:
        frame = frame.assign(Time=values["Time"]).sort_values("Time").drop(columns="Time")
    groups = frame.drop_duplicates("uCode", keep="last").set_index("uCode")
    groups.index.name = "country"
    return groups.astype(str)
