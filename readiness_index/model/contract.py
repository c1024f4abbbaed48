"""Data contracts: the long indicator table and its validation.

Indicator data at the boundary are long: one row per ``country, year, indicator``
with ``value``, ``flag`` (Eurostat-style observation codes) and ``source``; the
optional columns ``unit``, ``vintage`` and ``provenance`` are kept when present.
:func:`validate_long` checks a table against a framework lazily with pandera and
raises one :class:`~readiness_index.errors.DataValidationError` that carries the
table of every failure.

The schema's checks are first run as whole-column NumPy operations
(:func:`_passes_schema`); pandera is imported and run only when one of them fails, to
report every failure. Valid data thus cost time in proportion to their size, not a
pandera import and a per-check pass.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from readiness_index.errors import DataValidationError
from readiness_index.model.framework import Framework
from readiness_index.model.identifiers import CODE_RULE, valid_codes

if TYPE_CHECKING:
    import pandera.pandas as pa

__all__ = [
    "FAILURE_COLUMNS",
    "FLAG_CODES",
    "LONG_COLUMNS",
    "OPTIONAL_COLUMNS",
    "validate_long",
]

LONG_COLUMNS = ("country", "year", "indicator", "value", "flag", "source")
OPTIONAL_COLUMNS = ("unit", "vintage", "provenance", "data_year")
FAILURE_COLUMNS = ("file", "row", "column", "indicator", "country", "year", "expected", "found")

#: Eurostat observation flags (and ``:`` for "not available").
FLAG_CODES = {
    "b": "break in time series",
    "c": "confidential",
    "d": "definition differs",
    "e": "estimated",
    "f": "forecast",
    "n": "not significant",
    "p": "provisional",
    "r": "revised",
    "s": "Eurostat estimate",
    "u": "low reliability",
    "z": "not applicable",
    ":": "not available",
    "i": "imputed",
}
_FLAG_PATTERN = re.compile(rf"^[{re.escape(''.join(FLAG_CODES))}]*$")


def validate_long(
    frame: pd.DataFrame, framework: Framework, *, file: str = "<DataFrame>"
) -> pd.DataFrame:
    """Validate a long indicator table against ``framework`` and return it typed.

    Every failure is collected before raising: missing or unknown columns, text or
    infinite numbers, non-integer years, unknown countries (when the framework
    declares its units) or indicators, duplicate ``country, year, indicator``
    rows, invalid flags, values outside an indicator's plausible bounds, and
    indicators of the framework with no data at all.

    Parameters
    ----------
    frame : pandas.DataFrame
        The long table; its index labels are reported as ``row``.
    framework : Framework
        The definitions the data must fit.
    file : str, default "<DataFrame>"
        The name reported in failures.

    Returns
    -------
    pandas.DataFrame
        A new frame with ``year`` as int, ``value`` as float and empty flags as "".

    Raises
    ------
    DataValidationError
        With ``failures``, a table of ``file, row, column, indicator, country, year,
        expected, found``.

    Examples
    --------
    >>> from readiness_index.model.framework import Aggregate, Framework, Indicator
    >>> fw = Framework(aggregates=(Aggregate(code="index", name="I"),),
    ...                indicators=(Indicator(code="a", name="A", parent="index"),))
    >>> rows = pd.DataFrame({"country": ["AT"], "year": [2024], "indicator": ["a"],
    ...                      "value": ["1.5"], "flag": [""], "source": ["x"]})
    >>> validate_long(rows, fw)["value"].tolist()
    [1.5]
    """
    failures: list[dict[str, object]] = []
    missing = [c for c in LONG_COLUMNS if c not in frame.columns and c not in ("flag", "source")]
    unknown = [c for c in frame.columns if c not in (*LONG_COLUMNS, *OPTIONAL_COLUMNS)]
    if missing or unknown:
        for col in missing:
            failures.append(_failure(file, None, col, f"a column named {col!r}", "no such column"))
        for col in unknown:
            failures.append(
                _failure(file, None, col, f"only the columns {list(LONG_COLUMNS)}", "extra column")
            )
        _raise(failures, file)
    typed = _coerce(frame, file, failures)
    failures.extend(_code_failures(typed, file))
    failures.extend(_schema_failures(typed, framework, file))
    failures.extend(_coverage_failures(typed, framework, file))
    if failures:
        _raise(failures, file)
    return typed


def _failure(
    file: str,
    row: object,
    column: str,
    expected: str,
    found: object,
    *,
    indicator: object = None,
    country: object = None,
    year: object = None,
) -> dict[str, object]:
    return {
        "file": file,
        "row": row,
        "column": column,
        "indicator": indicator,
        "country": country,
        "year": year,
        "expected": expected,
        "found": found,
    }


def _coerce(frame: pd.DataFrame, file: str, failures: list[dict[str, object]]) -> pd.DataFrame:
    """Type the columns; text in a number or a fractional year becomes a failure."""
    out = pd.DataFrame(index=frame.index)
    out["country"] = frame["country"].astype("string").str.strip()
    out["indicator"] = frame["indicator"].astype("string").str.strip()
    for col in ("flag", "source", *OPTIONAL_COLUMNS):
        if col in frame.columns or col in ("flag", "source"):
            raw = frame[col] if col in frame.columns else pd.Series("", index=frame.index)
            out[col] = raw.astype("string").fillna("").str.strip()
    out["value"] = _numeric(
        frame, "value", "a number (or an empty cell for missing)", file, failures
    )
    year = _numeric(frame, "year", "a whole year such as 2024", file, failures)
    fractional = year.notna() & (year != year.round())
    for row in year.index[fractional | (year.isna() & frame["year"].notna())]:
        if not fractional.loc[row]:
            continue
        failures.append(_row_failure(frame, row, "year", "a whole year such as 2024", file))
    out["year"] = year.round().astype("Int64")
    return out[[c for c in (*LONG_COLUMNS, *OPTIONAL_COLUMNS) if c in out.columns]]


def _code_failures(typed: pd.DataFrame, file: str) -> Iterable[dict[str, object]]:
    """Unit and indicator codes must follow the code rule (never paths or formulas)."""
    for column in ("country", "indicator"):
        text = typed[column]
        bad = text.notna() & text.ne("") & ~valid_codes(text)
        for row in typed.index[bad.to_numpy()]:
            record = typed.loc[row]
            yield _failure(
                file, row, column, f"a code: {CODE_RULE}", record[column],
                indicator=record["indicator"], country=record["country"], year=record["year"],
            )  # fmt: skip


def _numeric(
    frame: pd.DataFrame, col: str, expected: str, file: str, failures: list[dict[str, object]]
) -> pd.Series:
    raw = frame[col]
    text = raw.astype("string").str.strip()
    values = pd.to_numeric(text.where(text != ""), errors="coerce").astype("float64")
    bad = values.isna() & text.fillna("").ne("")
    for row in frame.index[bad.to_numpy()]:
        failures.append(_row_failure(frame, row, col, expected, file))
    return values


def _row_failure(
    frame: pd.DataFrame, row: object, column: str, expected: str, file: str
) -> dict[str, object]:
    record = frame.loc[row]  # type: ignore[call-overload]
    return _failure(
        file,
        row,
        column,
        expected,
        record[column],
        indicator=record.get("indicator"),
        country=record.get("country"),
        year=record.get("year"),
    )


def _schema(framework: Framework) -> pa.DataFrameSchema:
    import pandera.pandas as pa

    indicators = [*framework.indicator_codes, *(d.code for d in framework.denominators)]
    country_checks = [pa.Check.str_length(min_value=1)]
    if framework.units:
        country_checks.append(pa.Check.isin([u.code for u in framework.units]))
    return pa.DataFrameSchema(
        {
            "country": pa.Column("string", country_checks),
            "year": pa.Column("Int64", pa.Check.in_range(1900, 2200), nullable=False),
            "indicator": pa.Column("string", pa.Check.isin(indicators)),
            "value": pa.Column(
                "float64",
                pa.Check(lambda s: ~np.isinf(s), element_wise=False, error="finite (not inf)"),
                nullable=True,
            ),
            "flag": pa.Column("string", pa.Check.str_matches(_FLAG_PATTERN.pattern)),
        },
        checks=[pa.Check(_within_bounds(framework), error="within the indicator's bounds")],
        unique=["country", "year", "indicator"],
        report_duplicates="all",
    )


def _within_bounds(framework: Framework) -> Callable[[pd.DataFrame], pd.Series]:
    """A table check: each value is missing or inside its indicator's plausible bounds."""
    lower = {i.code: i.bounds.lower for i in framework.indicators if i.bounds}
    upper = {i.code: i.bounds.upper for i in framework.indicators if i.bounds}

    def check(df: pd.DataFrame) -> pd.Series:
        lo = df["indicator"].map(lower).astype("float64").fillna(-math.inf)
        hi = df["indicator"].map(upper).astype("float64").fillna(math.inf)
        value = df["value"]
        return value.isna() | ((value >= lo) & (value <= hi))

    return check


def _passes_schema(typed: pd.DataFrame, framework: Framework) -> bool:
    """Whether every check of :func:`_schema` passes, each over a whole column at once.

    A ``False`` only means that pandera must be run to say what failed, so each test
    errs on the side of failing: a missing key, a year outside 1900-2200, an infinite
    value, an unknown flag letter, a value outside its bounds or a duplicate row.
    """
    keys = typed[["country", "year", "indicator"]]
    if keys.isna().to_numpy().any():
        return False
    codes = {*framework.indicator_codes, *(d.code for d in framework.denominators)}
    countries = set(typed["country"].unique())
    year = typed["year"].to_numpy(dtype="int64")
    value = typed["value"].to_numpy(dtype="float64")
    flags = typed["flag"].unique()
    return bool(
        "" not in countries
        and (not framework.units or countries <= {u.code for u in framework.units})
        and set(typed["indicator"].unique()) <= codes
        and year.min(initial=1900) >= 1900
        and year.max(initial=2200) <= 2200
        and not np.isinf(value).any()
        and all(isinstance(f, str) and _FLAG_PATTERN.match(f) for f in flags)
        and _within_bounds(framework)(typed).all()
        and not keys.duplicated().any()
    )


_EXPECTED = {
    "country": "a unit declared in the framework",
    "indicator": "an indicator or denominator code of the framework",
    "year": "a year between 1900 and 2200",
    "value": "a finite number",
    "flag": f"Eurostat flag letters among {''.join(FLAG_CODES)!r}",
}


def _schema_failures(
    typed: pd.DataFrame, framework: Framework, file: str
) -> Iterable[dict[str, object]]:
    if _passes_schema(typed, framework):
        return
    import pandera.pandas as pa

    try:
        _schema(framework).validate(typed, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        for case in cases.itertuples(index=False):
            row = case.index
            if row is None or (isinstance(row, float) and math.isnan(row)):
                continue
            record = typed.loc[row]
            check = str(case.check)
            column = _column_of(check, case.column)
            expected, found = _describe(check, column, record, framework)
            yield _failure(
                file,
                row,
                column,
                expected,
                found,
                indicator=record["indicator"],
                country=record["country"],
                year=record["year"],
            )


def _column_of(check: str, column: object) -> str:
    if "uniqueness" in check or "duplicate" in check:
        return "country, year, indicator"
    if "bounds" in check:
        return "value"
    return str(column)


def _describe(
    check: str, column: str, record: pd.Series, framework: Framework
) -> tuple[str, object]:
    if "uniqueness" in check or "duplicate" in check:
        return "one row per country, year and indicator", "a duplicate row"
    if "bounds" in check:
        bounds = framework.indicator(str(record["indicator"])).bounds
        lo = bounds.lower if bounds else None
        hi = bounds.upper if bounds else None
        return f"a value within the plausible bounds [{lo}, {hi}]", record["value"]
    if column == "country" and framework.units:
        return _country_hint(str(record["country"]), framework), record["country"]
    return _EXPECTED.get(column, check), record.get(column)


def _country_hint(code: str, framework: Framework) -> str:
    """What was expected, with the framework's code for a known alias (EL, UK, AUT...)."""
    from readiness_index.model.countries import to_iso2

    try:
        canonical = to_iso2(code)
    except (ValueError, LookupError):
        return _EXPECTED["country"]
    if canonical in {u.code for u in framework.units} and canonical != code:
        return f"{_EXPECTED['country']} (did you mean {canonical!r}?)"
    return _EXPECTED["country"]


def _coverage_failures(
    typed: pd.DataFrame, framework: Framework, file: str
) -> Iterable[dict[str, object]]:
    present = set(typed["indicator"][typed["value"].notna()].dropna().unique())
    for code in framework.indicator_codes:
        if code not in present:
            yield _failure(
                file,
                None,
                "indicator",
                "at least one value for every indicator",
                "no data",
                indicator=code,
            )


def _raise(failures: list[dict[str, object]], file: str) -> None:
    table = pd.DataFrame(failures, columns=list(FAILURE_COLUMNS), dtype=object)
    table = table.drop_duplicates(subset=["row", "column", "indicator", "expected"])
    lines = [
        _sentence({str(k): v for k, v in rec.items()}) for rec in table.head(20).to_dict("records")
    ]
    more = f"\n  ... and {len(table) - 20} more (see .failures)" if len(table) > 20 else ""
    message = f"{len(table)} problem(s) in the indicator data of {file}:\n  " + "\n  ".join(lines)
    raise DataValidationError(message + more, failures=table.reset_index(drop=True))


def _sentence(rec: dict[str, object]) -> str:
    where = [f"row {rec['row']}" if _present(rec["row"]) else None, f"column {rec['column']!r}"]
    who = [
        f"indicator {rec['indicator']!r}" if _present(rec["indicator"]) else None,
        f"country {rec['country']!r}" if _present(rec["country"]) else None,
        f"year {rec['year']}" if _present(rec["year"]) else None,
    ]
    place = ", ".join(p for p in (*where, *who) if p)
    return f"{rec['file']}: {place}: expected {rec['expected']}; found {rec['found']!r}"


def _present(value: object) -> bool:
    return (
        value is not None
        and not (isinstance(value, float) and math.isnan(value))
        and value is not pd.NA
    )
