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
from typing import Any, NoReturn

import numpy as np
import pandas as pd
from pydantic import ValidationError

from readiness_index.errors import DataFileError, DefinitionError, Reason
from readiness_index.io.files import read_table
from readiness_index.model.columns import (
    case_variants,
    describe_case_variants,
    header_case_problem,
)
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

_META_COLUMNS = ("Level", "iCode", "iName", "Direction", "Weight", "Parent", "Type")
_META_OPTIONAL = ("Unit", "Target", "Denominator", "goalpost_lower", "goalpost_upper")


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
    _check_header(meta, _label("iMeta", imeta), _META_COLUMNS, _META_OPTIONAL, DefinitionError)
    _check_header(values, _label("iData", idata), ("uCode",), ("uName", "Time"), DataFileError)
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
    label = _label("iData", idata)
    return framework, prepare_data(long, framework, groups=groups, names=names, file=label)


def _label(name: str, source: pd.DataFrame | str | os.PathLike[str]) -> str:
    """How messages name a table: its path, or ``iData``/``iMeta`` for a DataFrame."""
    return name if isinstance(source, pd.DataFrame) else f"{name} {source}"


def _check_header(
    table: pd.DataFrame, label: str, required: tuple[str, ...], optional: tuple[str, ...],
    error: type[DataFileError | DefinitionError],
) -> None:  # fmt: skip
    """Refuse a table without its required columns, or with a name that differs from a
    column's only in case (which would be ignored, or read as missing)."""
    problem = header_case_problem(list(table.columns), required, optional)
    if problem is not None:
        raise error(f"{label}: expected {problem[1]}; found {problem[2]}")
    missing = [column for column in required if column not in table.columns]
    if missing:
        found = [str(column) for column in table.columns][:20]
        raise error(f"{label} lacks the columns {missing}; found {found}")


def _table(source: pd.DataFrame | str | os.PathLike[str]) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        return source.copy()
    frame = read_table(source)
    return frame.replace("", np.nan).apply(_maybe_numeric)


def _maybe_numeric(column: pd.Series) -> pd.Series:
    converted = pd.to_numeric(column, errors="coerce")
    return converted if converted.notna().sum() == column.notna().sum() else column


def _rows(meta: pd.DataFrame, kind: str) -> dict[Any, dict[str, Any]]:
    """The ``iMeta`` rows of one type by row label (the file's line number)."""
    return {
        label: {
            str(k): (None if isinstance(v, float) and np.isnan(v) else v) for k, v in row.items()
        }
        for label, row in meta[meta["Type"] == kind].to_dict("index").items()
    }


def _built(
    meta: pd.DataFrame, kind: str, build: Any, problems: list[dict[str, str]]
) -> tuple[Any, ...]:
    """Each row of ``kind`` built into a model; a row that breaks a rule is a problem."""
    made = []
    for label, row in _rows(meta, kind).items():
        try:
            made.append(build(row))
        except (ValidationError, ValueError, TypeError, KeyError) as err:
            problems.append({
                "reason": Reason.INVALID_VALUE.value, "row": str(label),
                "code": _short(row.get("iCode")), "problem": _why(err),
            })  # fmt: skip
    return tuple(made)


def _why(err: Exception) -> str:
    if isinstance(err, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']} "
            f"(found {_short(e.get('input'))})"
            for e in err.errors()
        )
    if isinstance(err, ValueError):
        return _short(err, 200)
    return f"{type(err).__name__}: {_short(err)}"


def _short(value: object, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, Exception) else str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _framework(meta: pd.DataFrame, values: pd.DataFrame) -> Framework:
    problems: list[dict[str, str]] = []
    aggregates = _built(meta, "Aggregate", _aggregate, problems)
    indicators = _built(meta, "Indicator", _indicator, problems)
    denominators = _built(meta, "Denominator", _denominator, problems)
    names = dict(zip(values["uCode"], values.get("uName", values["uCode"]), strict=True))
    units = _built(
        pd.DataFrame([{"Type": "Unit", "iCode": c, "iName": n} for c, n in names.items()]),
        "Unit", lambda r: Unit(code=r["iCode"], name=str(r["iName"])), problems,
    ) if names else ()  # fmt: skip
    root = next((a for a in aggregates if a.parent is None), None)
    if problems or root is None:
        _raise_meta(problems, "iMeta has no aggregate without a parent (the index)")
    try:
        return Framework(
            code=root.code, name=root.name, aggregates=aggregates, indicators=indicators,
            denominators=denominators, units=units,
        )  # fmt: skip
    except ValidationError as err:
        cause = (err.errors()[0].get("ctx") or {}).get("error")
        if isinstance(cause, DefinitionError):
            raise DefinitionError(f"iMeta: {cause}", failures=cause.failures) from err
        raise DefinitionError(f"iMeta: {_why(err)}") from err


def _raise_meta(problems: list[dict[str, str]], missing_root: str) -> NoReturn:
    lines = [f"row {p['row']} ({p['code']}): {p['problem']}" for p in problems[:50]]
    if not problems:
        lines = [missing_root]
    raise DefinitionError(
        f"{len(lines)} problem(s) in iMeta:\n  " + "\n  ".join(lines),
        failures=pd.DataFrame(problems, columns=["reason", "row", "code", "problem"]),
    )


def _denominator(r: dict[str, Any]) -> Denominator:
    """An ``iMeta`` row of type ``Denominator``."""
    return Denominator(code=str(r["iCode"]), name=str(r["iName"]), unit=_text(r, "Unit"))


def _text(row: dict[str, Any], key: str) -> str | None:
    return None if row.get(key) is None else str(row[key])


def _indicator(r: dict[str, Any]) -> Indicator:
    """An ``iMeta`` row of type ``Indicator``."""
    return Indicator(
        code=str(r["iCode"]),
        name=str(r["iName"]),
        parent=str(r["Parent"]),
        weight=_number(r, "Weight"),
        level=_whole(r, "Level"),
        direction=r["Direction"],
        unit=_text(r, "Unit"),
        target=None if r.get("Target") is None else Target(value=_number(r, "Target")),
        denominator=_text(r, "Denominator"),
        goalposts=_goalposts(r),
    )


def _aggregate(r: dict[str, Any]) -> Aggregate:
    """An ``iMeta`` row of type ``Aggregate``."""
    return Aggregate(
        code=str(r["iCode"]),
        name=str(r["iName"]),
        parent=_text(r, "Parent"),
        weight=_number(r, "Weight") if r.get("Weight") is not None else 1.0,
        level=_whole(r, "Level"),
    )


def _goalposts(row: dict[str, Any]) -> Goalposts | None:
    """COINr's optional ``goalpost_lower`` and ``goalpost_upper`` iMeta columns."""
    lower, upper = row.get("goalpost_lower"), row.get("goalpost_upper")
    if lower is None or upper is None:
        return None
    return Goalposts(lower=_number(row, "goalpost_lower"), upper=_number(row, "goalpost_upper"))


def _number(row: dict[str, Any], column: str) -> float:
    """The number in ``column`` of an iMeta row, or :class:`ValueError` saying why not."""
    value = row.get(column)
    try:
        if value is None or isinstance(value, bool):
            raise TypeError
        return float(value)
    except (TypeError, ValueError):
        found = "an empty cell" if value is None else _short(value)
        raise ValueError(f"{column}: expected a number; found {found}") from None


def _whole(row: dict[str, Any], column: str) -> int:
    """The whole number in ``column`` of an iMeta row (``3`` or ``3.0``)."""
    number = _number(row, column)
    if not number.is_integer():
        raise ValueError(f"{column}: expected a whole number; found {_short(row.get(column))}")
    return int(number)


def _long(values: pd.DataFrame, meta: pd.DataFrame, year: int | None) -> pd.DataFrame:
    codes = meta.loc[meta["Type"].isin(["Indicator", "Denominator"]), "iCode"].astype(str).tolist()
    absent = [code for code in codes if code not in values.columns]
    if absent:
        variants = case_variants(values.columns, absent)
        hint = f": {describe_case_variants(variants)}" if variants else ""
        raise DataFileError(
            f"iData has no column for the iMeta codes {absent[:20]}{hint}; every indicator "
            "and denominator of iMeta needs a column of values"
        )
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
