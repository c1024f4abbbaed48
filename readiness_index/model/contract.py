"""Data contracts: the long indicator table and its validation.

Indicator data at the boundary are long: one row per ``country, year, indicator``
with ``value``, ``flag`` (Eurostat-style observation codes) and ``source``; the
optional columns ``unit``, ``vintage`` and ``provenance`` are kept when present.
:func:`validate_long` checks a table against a framework lazily with pandera and
raises one :class:`~readiness_index.errors.DataValidationError` that carries the
table of every failure, each with its :class:`~readiness_index.errors.Reason`.
This contract is the only one: the long-format loader runs it too
(:func:`long_failures` with no framework checks the table's own rules).

Unit codes are case-insensitive (:data:`UNIT_CASE_RULE`); values are finite and at
most :data:`MAX_MAGNITUDE` in size; text such as ``nan`` or ``inf`` is not a number.

The schema's checks are first run as whole-column NumPy operations
(:func:`_passes_schema`); pandera is imported and run only when one of them fails, to
report every failure. Valid data thus cost time in proportion to their size, not a
pandera import and a per-check pass.
"""

from __future__ import annotations

import contextlib
import difflib
import math
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute as pc

from readiness_index.errors import DataValidationError, Reason
from readiness_index.model.columns import case_variants, header_case_problem
from readiness_index.model.framework import Framework
from readiness_index.model.identifiers import CODE_RULE, code_problem, unit_key, valid_codes

if TYPE_CHECKING:
    import pandera.pandas as pa
    from numpy.typing import NDArray

__all__ = [
    "FAILURE_COLUMNS",
    "FLAG_CODES",
    "LONG_COLUMNS",
    "MARKS",
    "MAX_MAGNITUDE",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "UNIT_CASE_RULE",
    "column_failures",
    "long_failures",
    "raise_failures",
    "spell_units",
    "validate_long",
]

#: How unit codes in data are spelled (codes are case-insensitive).
UNIT_CASE_RULE = (
    "unit codes are case-insensitive: a code takes the spelling of the unit the framework "
    "declares (at, At -> AT); without declared units, a code that is an ISO 3166-1 country "
    "is written in upper case, and any other codes that differ only in case are refused"
)

LONG_COLUMNS = ("country", "year", "indicator", "value", "flag", "source")
#: The columns a long table must have (``flag`` and ``source`` may be left out).
REQUIRED_COLUMNS = ("country", "year", "indicator", "value")
OPTIONAL_COLUMNS = ("unit", "vintage", "provenance", "data_year")
FAILURE_COLUMNS = (
    "reason", "file", "row", "column", "indicator", "country", "year", "expected", "found",
)  # fmt: skip
#: The largest magnitude of a value: beyond it, sums, differences and squares of values
#: could overflow to infinity in the steps.
MAX_MAGNITUDE = 1e150
#: The years a row may have.
YEARS = (1900, 2200)

#: The marks a build adds to a value's publisher flags, one vocabulary in every output
#: (letters no Eurostat flag uses): imputed, carried forward from an earlier data year
#: than the edition, and stale (more than ``stale_after`` years behind the edition).
MARKS = {
    "i": "imputed",
    "h": "carried forward from an earlier data year",
    "o": "stale: older than stale_after",
}

#: Eurostat observation flags (and ``:`` for "not available"), and the build's marks.
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
    **MARKS,
}
_FLAG_PATTERN = re.compile(rf"^[{re.escape(''.join(FLAG_CODES))}]*$")


def validate_long(
    frame: pd.DataFrame,
    framework: Framework,
    *,
    file: str = "<DataFrame>",
    require_coverage: bool = True,
) -> pd.DataFrame:
    """Validate a long indicator table against ``framework`` and return it typed.

    Every failure is collected before raising: missing or unknown columns, text,
    infinite or huge numbers, non-integer years, codes that break the code rule,
    unknown countries (when the framework declares its units) or indicators, unit
    codes that differ only in case, duplicate ``country, year, indicator`` rows,
    invalid flags, values outside an indicator's plausible bounds, and (with
    ``require_coverage``) indicators of the framework with no data at all.

    Parameters
    ----------
    frame : pandas.DataFrame
        The long table; its index labels are reported as ``row``.
    framework : Framework
        The definitions the data must fit.
    file : str, default "<DataFrame>"
        The name reported in failures.
    require_coverage : bool, default True
        Require at least one value for every indicator (off for one file of many).

    Returns
    -------
    pandas.DataFrame
        A new frame with ``year`` as int, ``value`` as float, empty flags as "" and
        unit codes spelled by :data:`UNIT_CASE_RULE`.

    Raises
    ------
    DataValidationError
        With ``failures``, a table of ``reason, file, row, column, indicator, country,
        year, expected, found``.

    Examples
    --------
    >>> from readiness_index.model.framework import Aggregate, Framework, Indicator
    >>> fw = Framework(aggregates=(Aggregate(code="index", name="I"),),
    ...                indicators=(Indicator(code="a", name="A", parent="index"),))
    >>> rows = pd.DataFrame({"country": ["at"], "year": [2024], "indicator": ["a"],
    ...                      "value": ["1.5"], "flag": [""], "source": ["x"]})
    >>> validate_long(rows, fw)[["country", "value"]].values.tolist()
    [['AT', 1.5]]
    """
    typed, failures = long_failures(frame, framework, file=file)
    if require_coverage and "value" in typed.columns:
        failures.extend(_coverage_failures(typed, framework, file))
    if failures:
        raise_failures(failures, file)
    return typed


def long_failures(
    frame: pd.DataFrame, framework: Framework | None, *, file: str
) -> tuple[pd.DataFrame, list[dict[str, object]]]:
    """The typed table and every failure of the long-format contract (no coverage).

    Without a framework, only the table's own rules are checked (columns, numbers,
    years, codes, flags, duplicates); with one, also its units, indicators and bounds.
    The typed table is empty when columns are missing.
    """
    failures = column_failures(frame.columns, file)
    if failures:
        return pd.DataFrame(), failures
    typed = _coerce(frame, file, failures)
    typed["country"] = _spelled(typed, framework, file, failures)
    failures.extend(_code_failures(typed, file))
    failures.extend(_duplicates_named(list(_schema_failures(typed, framework, file))))
    return typed, failures


def _duplicates_named(failures: list[dict[str, object]]) -> list[dict[str, object]]:
    """Each duplicate row's failure names the other rows of its country, year and
    indicator (with layered inputs, the row of another file it repeats)."""
    rows: dict[tuple[object, ...], list[object]] = {}
    duplicates = [f for f in failures if f["reason"] == Reason.DUPLICATE_ROW.value]
    for failure in duplicates:
        key = (failure["country"], failure["year"], failure["indicator"])
        rows.setdefault(key, []).append(failure["row"])
    for failure in duplicates:
        key = (failure["country"], failure["year"], failure["indicator"])
        others = [str(row) for row in rows[key] if row != failure["row"]]
        if others:
            more = f" and {len(others) - 3} more" if len(others) > 3 else ""
            failure["found"] = f"a duplicate of row {', '.join(others[:3])}{more}"
    return failures


def column_failures(
    columns: Iterable[object], file: str, required: tuple[str, ...] = REQUIRED_COLUMNS
) -> list[dict[str, object]]:
    """The failures of a long table's header: missing columns, extra ones, and names
    that differ from a column's only in case (one failure that pairs each with the name
    to write; such a name is never read as the column).

    Examples
    --------
    >>> [f["found"] for f in column_failures(["country", "Year", "value"], "x.csv")]
    [['country', 'Year', 'value'], 'no such column']
    """
    header = list(columns)
    allowed = [*LONG_COLUMNS, *OPTIONAL_COLUMNS]
    optional = tuple(c for c in allowed if c not in required)
    failures: list[dict[str, object]] = []
    problem = header_case_problem(header, required, optional)
    if problem is not None:
        column, expected, found = problem
        failures.append(_failure(Reason.COLUMN_CASE, file, None, column, expected, found))
    variants = case_variants(header, allowed)
    for col in required:
        if col not in header and col not in variants.values():
            failures.append(_failure(Reason.MISSING_COLUMN, file, None, col,
                                     f"a column named {col!r}", "no such column"))  # fmt: skip
    for name in map(str, header):
        if name not in allowed and name not in variants:
            failures.append(_failure(Reason.EXTRA_COLUMN, file, None, name,
                                     f"only the columns {allowed}", "extra column"))  # fmt: skip
    return failures


def _failure(
    reason: Reason,
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
        "reason": reason.value,
        "file": file,
        "row": row,
        "column": column,
        "indicator": indicator,
        "country": country,
        "year": year,
        "expected": expected,
        "found": _short(found),
    }


def _short(value: object, limit: int = 80) -> object:
    """Long text in a failure is cut (messages stay short whatever the file holds)."""
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 3] + "..."
    return value


def _coerce(frame: pd.DataFrame, file: str, failures: list[dict[str, object]]) -> pd.DataFrame:
    """Type the columns; text in a number or a year that is not whole becomes a failure."""
    out = pd.DataFrame(index=frame.index)
    out["country"] = frame["country"].astype("string").str.strip()
    out["indicator"] = frame["indicator"].astype("string").str.strip()
    for col in ("flag", "source", *OPTIONAL_COLUMNS):
        if col in frame.columns or col in ("flag", "source"):
            raw = frame[col] if col in frame.columns else pd.Series("", index=frame.index)
            out[col] = raw.astype("string").fillna("").str.strip()
    expected = "a number (or an empty cell for missing)"
    out["value"] = _numeric(frame, "value", expected, file, failures)
    out["year"] = _years(frame, file, failures)
    return out[[c for c in (*LONG_COLUMNS, *OPTIONAL_COLUMNS) if c in out.columns]]


def _numeric(
    frame: pd.DataFrame, col: str, expected: str, file: str, failures: list[dict[str, object]]
) -> pd.Series:
    """Numbers of a column; text that is not a number (``nan`` and ``n/a`` included)
    is a failure, an empty cell is missing."""
    raw = frame[col]
    # ask the dtype, not the Series: a Series answers attribute checks through its index
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        return raw.astype("float64")
    text = raw.astype("string").str.strip()
    values = _parse_floats(text.where(text != ""))
    bad = values.isna() & text.fillna("").ne("")
    for row in frame.index[bad.to_numpy()]:
        failures.append(_row_failure(Reason.NOT_A_NUMBER, frame, row, col, expected, file))
    return values


def _parse_floats(text: pd.Series) -> pd.Series:
    """Text to float64, missing text to NaN, unreadable text to NaN.

    Arrow's cast parses the whole column in C++ and gives the same (correctly
    rounded) numbers as pandas' parser; it refuses a column with any unreadable
    text, which pandas' parser then reads cell by cell. A negative zero becomes 0.0,
    as pandas' parser reads it.
    """
    if getattr(text.dtype, "storage", None) == "pyarrow":
        with contextlib.suppress(pyarrow.ArrowInvalid, pyarrow.ArrowNotImplementedError):
            parsed = pc.cast(pyarrow.array(text.array), pyarrow.float64())
            return pd.Series(parsed.to_numpy(zero_copy_only=False) + 0.0, index=text.index)
    return pd.to_numeric(text, errors="coerce").astype("float64")


def _distinct(text: pd.Series, where: NDArray[np.bool_] | None = None) -> pd.Series:
    """The distinct non-missing texts of a string column (of the rows ``where`` is true).

    Arrow hashes the texts where the column is Arrow-backed, without copying the index.
    """
    if getattr(text.dtype, "storage", None) == "pyarrow":
        array = pyarrow.array(text.array)
        if where is not None:
            array = array.filter(pyarrow.array(where))
        return pd.Series(pd.array(array.unique().drop_null(), dtype=text.dtype))
    kept = text.to_numpy()[where] if where is not None else text.to_numpy()
    return pd.Series(pd.unique(kept), dtype="string").dropna()


def _years(frame: pd.DataFrame, file: str, failures: list[dict[str, object]]) -> pd.Series:
    """Whole years within :data:`YEARS`; any other year is a failure and left missing."""
    year = _numeric(frame, "year", "a whole year such as 2024", file, failures)
    values = year.to_numpy(dtype="float64", copy=True)
    lo, hi = YEARS
    whole, span = "a whole year such as 2024", f"a year from {lo} to {hi}"
    known = ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        checks = (
            (known & (values != np.round(values)), Reason.NOT_WHOLE_YEAR, whole),
            (known & ((values < lo) | (values > hi)), Reason.YEAR_RANGE, span),
            (~known & _blank(frame["year"]), Reason.MISSING_VALUE, whole),
        )  # fmt: skip
    bad = np.zeros(len(values), dtype=bool)
    for check, reason, expected in checks:
        mask = check & ~bad
        for row in frame.index[mask]:
            failures.append(_row_failure(reason, frame, row, "year", expected, file))
        bad |= mask
    values[bad] = np.nan
    return pd.Series(pd.array(np.round(values), dtype="Float64"), index=frame.index).astype("Int64")


def _blank(column: pd.Series) -> np.ndarray:
    """Which cells of ``column`` are empty (missing or only spaces)."""
    if pd.api.types.is_numeric_dtype(column.dtype):
        return column.isna().to_numpy()
    return column.astype("string").str.strip().fillna("").eq("").to_numpy(dtype=bool)


def _row_failure(
    reason: Reason, frame: pd.DataFrame, row: object, column: str, expected: str, file: str
) -> dict[str, object]:
    record = frame.loc[row]  # type: ignore[call-overload]
    return _failure(
        reason, file, row, column, expected, record[column],
        indicator=record.get("indicator"), country=record.get("country"), year=record.get("year"),
    )  # fmt: skip


def spell_units(codes: pd.Series, declared: Iterable[str] = ()) -> tuple[pd.Series, list[str]]:
    """Unit codes spelled by :data:`UNIT_CASE_RULE`, and the codes that stay ambiguous.

    Examples
    --------
    >>> spell_units(pd.Series(["at", "At", "AT", "DE"]))[0].tolist()
    ['AT', 'AT', 'AT', 'DE']
    >>> spell_units(pd.Series(["r1", "R1"]))[1]
    ['R1', 'r1']
    >>> spell_units(pd.Series(["aut"]), ["AUT"])[0].tolist()
    ['AUT']
    """
    units = {unit_key(code): code for code in declared}
    spelling: dict[str, str] = {}
    distinct = _distinct(codes)
    for code in distinct:
        text = str(code)
        if text in units.values() or (not units and text == text.upper()):
            continue
        if units:
            spelling[text] = units.get(unit_key(text), text)
        elif _is_country_code(text):
            spelling[text] = text.upper()
    spelled = codes.replace(spelling) if spelling else codes
    if units:
        return spelled, []
    groups: dict[str, set[str]] = {}
    for code in _distinct(spelled) if spelling else distinct:
        groups.setdefault(unit_key(str(code)), set()).add(str(code))
    return spelled, sorted(code for same in groups.values() if len(same) > 1 for code in same)


def _is_country_code(text: str) -> bool:
    from readiness_index.model.countries import EXCEPTIONS

    if len(text) not in (2, 3) or not text.isalpha():
        return False
    if text.upper() in EXCEPTIONS:
        return True
    import pycountry

    code = text.upper()
    found = (
        pycountry.countries.get(alpha_2=code)
        if len(text) == 2
        else pycountry.countries.get(alpha_3=code)
    )
    return found is not None


def _spelled(
    typed: pd.DataFrame, framework: Framework | None, file: str, failures: list[dict[str, object]]
) -> pd.Series:
    declared = [u.code for u in framework.units] if framework is not None else []
    spelled, ambiguous = spell_units(typed["country"], declared)
    for row in typed.index[spelled.isin(ambiguous).to_numpy()]:
        record = typed.loc[row]
        failures.append(
            _failure(
                Reason.CODE_CASE, file, row, "country",
                "one spelling per unit (codes are case-insensitive: "
                f"{', '.join(c for c in ambiguous if unit_key(c) == unit_key(str(spelled[row])))} "
                "would be one unit)",
                record["country"], indicator=record["indicator"], year=record["year"],
            )
        )  # fmt: skip
    if not declared:
        failures.extend(_one_country_two_codes(typed, spelled, file))
    return spelled


def _one_country_two_codes(
    typed: pd.DataFrame, spelled: pd.Series, file: str
) -> Iterable[dict[str, object]]:
    """Without declared units, two codes of one country (``AT`` and ``AUT``, ``EL`` and
    ``GR``) would be two units: the rows of every code but the ISO one are refused."""
    from readiness_index.model.countries import to_iso2

    codes: dict[str, list[str]] = {}
    for code in _distinct(spelled):
        try:
            codes.setdefault(to_iso2(str(code)), []).append(str(code))
        except (ValueError, LookupError):
            continue
    other: dict[str, str] = {}
    for iso, found in codes.items():
        if len(found) > 1:
            keep = iso if iso in found else sorted(found)[0]
            other.update({code: keep for code in found if code != keep})
    if not other:
        return
    for row in typed.index[spelled.isin(list(other)).to_numpy()]:
        record = typed.loc[row]
        code = str(spelled[row])
        yield _failure(
            Reason.SAME_UNIT, file, row, "country",
            f"one code per country ({code!r} and {other[code]!r} are one country; write "
            f"{other[code]!r}, or declare the units in the framework)",
            record["country"], indicator=record["indicator"], year=record["year"],
        )  # fmt: skip


def _code_failures(typed: pd.DataFrame, file: str) -> Iterable[dict[str, object]]:
    """Unit and indicator codes must follow the code rule (never paths or formulas)."""
    for column in ("country", "indicator"):
        text = typed[column]
        distinct = _distinct(text)
        invalid = distinct[distinct.ne("") & ~valid_codes(distinct)]
        bad = text.isin(invalid) if len(invalid) else pd.Series(False, index=text.index)
        for row in typed.index[bad.to_numpy()]:
            record = typed.loc[row]
            reserved = code_problem(record[column]) is Reason.CODE_RESERVED_NAME
            expected = f"a code: {CODE_RULE}" + (_NOT_RESERVED if reserved else "")
            yield _failure(
                Reason.INVALID_CODE, file, row, column, expected, record[column],
                indicator=record["indicator"], country=record["country"], year=record["year"],
            )  # fmt: skip


_NOT_RESERVED = ", and not a name Windows keeps for a device (CON, PRN, AUX, NUL, COM0-9, LPT0-9)"


# -- the schema ----------------------------------------------------------------------------
def _finite(values: pd.Series) -> pd.Series:
    return pd.Series(~np.isinf(values.to_numpy(dtype="float64")), index=values.index)


def _not_huge(values: pd.Series) -> pd.Series:
    magnitude = np.abs(values.to_numpy(dtype="float64"))
    ok = np.isnan(magnitude) | np.isinf(magnitude) | (magnitude <= MAX_MAGNITUDE)
    return pd.Series(ok, index=values.index)


def _flags_valid(flags: pd.Series) -> pd.Series:
    return flags.str.fullmatch(_FLAG_PATTERN.pattern).fillna(False).astype(bool)


def _not_empty(codes: pd.Series) -> pd.Series:
    return codes.fillna("").ne("")


def _schema(framework: Framework | None) -> pa.DataFrameSchema:
    import pandera.pandas as pa

    def named(check: Callable[[pd.Series], pd.Series], reason: Reason) -> pa.Check:
        return pa.Check(check, name=reason.value)

    country = [named(_not_empty, Reason.CODE_EMPTY)]
    indicator = [named(_not_empty, Reason.CODE_EMPTY)]
    table_checks = []
    if framework is not None:
        units, codes = _units(framework), _indicators(framework)
        if units:
            country.append(named(lambda s: s.isin(units), Reason.UNKNOWN_UNIT))
        indicator.append(named(lambda s: s.isin(codes), Reason.UNKNOWN_INDICATOR))
        table_checks.append(pa.Check(_within_bounds(framework), name=Reason.OUT_OF_BOUNDS.value))
    return pa.DataFrameSchema(
        {
            "country": pa.Column("string", country),
            "year": pa.Column("Int64", nullable=True),
            "indicator": pa.Column("string", indicator),
            "value": pa.Column(
                "float64",
                [named(_finite, Reason.NOT_FINITE), named(_not_huge, Reason.TOO_LARGE)],
                nullable=True,
            ),
            "flag": pa.Column("string", named(_flags_valid, Reason.FLAG)),
        },
        checks=table_checks,
        unique=["country", "year", "indicator"],
        report_duplicates="all",
    )


def _units(framework: Framework) -> set[str]:
    return {u.code for u in framework.units}


def _indicators(framework: Framework) -> set[str]:
    return {*framework.indicator_codes, *(d.code for d in framework.denominators)}


def _within_bounds(framework: Framework) -> Callable[[pd.DataFrame], pd.Series]:
    """A table check: each value is missing or inside its indicator's plausible bounds."""
    bounds = [(i.code, i.bounds) for i in framework.indicators if i.bounds]
    lower = {code: b.lower for code, b in bounds if b.lower is not None}
    upper = {code: b.upper for code, b in bounds if b.upper is not None}

    def check(df: pd.DataFrame) -> pd.Series:
        value = df["value"]
        if not lower and not upper:
            return pd.Series(True, index=df.index)
        # one bound per distinct code, then spread to the rows (code -1: missing code)
        codes, distinct = pd.factorize(df["indicator"])
        lo = np.array([*(lower.get(c, -math.inf) for c in distinct), -math.inf])[codes]
        hi = np.array([*(upper.get(c, math.inf) for c in distinct), math.inf])[codes]
        return value.isna() | ((value >= lo) & (value <= hi))

    return check


def _passes_schema(typed: pd.DataFrame, framework: Framework | None) -> bool:
    """Whether every check of :func:`_schema` passes, each over a whole column at once.

    A ``False`` only means that pandera must be run to say what failed.
    """
    keys = typed[["country", "year", "indicator"]]
    if keys.isna().to_numpy().any():
        return False
    value = typed["value"]
    passes = bool(
        _not_empty(typed["country"]).all()
        and _not_empty(typed["indicator"]).all()
        and _finite(value).all()
        and _not_huge(value).all()
        and typed["flag"].notna().all()
        and _flags_valid(_distinct(typed["flag"])).all()
        and not keys.duplicated().any()
    )
    if framework is None or not passes:
        return passes
    units = _units(framework)
    return bool(
        (not units or set(_distinct(typed["country"])) <= units)
        and set(_distinct(typed["indicator"])) <= _indicators(framework)
        and _within_bounds(framework)(typed).all()
    )


def _schema_failures(
    typed: pd.DataFrame, framework: Framework | None, file: str
) -> Iterable[dict[str, object]]:
    if _passes_schema(typed, framework):
        return
    import pandera.pandas as pa

    try:
        _schema(framework).validate(typed, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases.drop_duplicates(subset=["index", "check"])
        for case in cases.itertuples(index=False):
            row = case.index
            if row is None or (isinstance(row, float) and math.isnan(row)):
                continue
            record = typed.loc[row]
            reason = _REASONS.get(str(case.check), Reason.INVALID_VALUE)
            column, expected, found = _describe(reason, str(case.column), record, framework)
            yield _failure(
                reason, file, row, column, expected, found,
                indicator=record["indicator"], country=record["country"], year=record["year"],
            )  # fmt: skip


#: pandera's name of a failed check -> the reason (checks are named after their reason).
_REASONS: dict[str, Reason] = {
    **{reason.value: reason for reason in Reason},
    "multiple_fields_uniqueness": Reason.DUPLICATE_ROW,
    "field_uniqueness": Reason.DUPLICATE_ROW,
    "not_nullable": Reason.MISSING_VALUE,
}

_EXPECTED = {
    Reason.CODE_EMPTY: "a code (the cell is empty)",
    Reason.UNKNOWN_UNIT: "a unit declared in the framework",
    Reason.UNKNOWN_INDICATOR: "an indicator or denominator code of the framework",
    Reason.NOT_FINITE: "a finite number",
    Reason.TOO_LARGE: f"a number of magnitude at most {MAX_MAGNITUDE:g}",
    Reason.FLAG: f"Eurostat flag letters among {''.join(FLAG_CODES)!r}",
    Reason.MISSING_VALUE: "a value (the cell is empty)",
}


def _describe(
    reason: Reason, column: str, record: pd.Series, framework: Framework | None
) -> tuple[str, str, object]:
    """Column, expected and found of a schema failure, from its reason."""
    if reason is Reason.DUPLICATE_ROW:
        return (
            "country, year, indicator",
            "one row per country, year and indicator",
            "a duplicate row",
        )
    if reason is Reason.OUT_OF_BOUNDS and framework is not None:
        bounds = framework.indicator(str(record["indicator"])).bounds
        lo = bounds.lower if bounds else None
        hi = bounds.upper if bounds else None
        return "value", f"a value within the plausible bounds [{lo}, {hi}]", record["value"]
    if reason is Reason.UNKNOWN_UNIT and framework is not None:
        return "country", _country_hint(str(record["country"]), framework), record["country"]
    if reason is Reason.UNKNOWN_INDICATOR and framework is not None:
        return (
            "indicator",
            _indicator_hint(str(record["indicator"]), framework),
            record["indicator"],
        )
    return column, _EXPECTED.get(reason, reason.value), record.get(column)


def _country_hint(code: str, framework: Framework) -> str:
    """What was expected, with the framework's code for a known alias (EL, UK, AUT...)."""
    from readiness_index.model.countries import to_iso2

    expected = _EXPECTED[Reason.UNKNOWN_UNIT]
    try:
        canonical = to_iso2(code)
    except (ValueError, LookupError):
        return expected
    if canonical in _units(framework) and canonical != code:
        return f"{expected} (did you mean {canonical!r}?)"
    return expected


def _indicator_hint(code: str, framework: Framework) -> str:
    """What was expected, with the closest codes of the framework ("did you mean") and
    how to declare a new indicator."""
    expected = _EXPECTED[Reason.UNKNOWN_INDICATOR]
    known = list(_indicators(framework))
    same = [c for c in known if unit_key(c) == unit_key(code)]
    close = same or difflib.get_close_matches(code, known, n=2, cutoff=0.75)
    hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
    return (
        f"{expected}{hint}; a new indicator needs its definition in a framework file "
        "(--framework, which adds to the shipped index)"
    )


def _coverage_failures(
    typed: pd.DataFrame, framework: Framework, file: str
) -> Iterable[dict[str, object]]:
    present = set(_distinct(typed["indicator"], where=typed["value"].notna().to_numpy()))
    for code in framework.indicator_codes:
        if code not in present:
            yield _failure(
                Reason.NO_DATA, file, None, "indicator", "at least one value for every indicator",
                "no data", indicator=code,
            )  # fmt: skip


def raise_failures(failures: list[dict[str, object]], file: str) -> None:
    """Raise one error with every failure in its table, and one sentence per cause in
    its message (a cause shared by many rows, such as an unknown indicator, is said once
    with the rows it concerns)."""
    table = pd.DataFrame(failures, columns=list(FAILURE_COLUMNS), dtype=object)
    table = table.drop_duplicates(subset=["reason", "row", "column", "indicator", "expected"])
    causes = _causes(table)
    lines = [_sentence(cause, rows) for cause, rows in causes[:20]]
    more = f"\n  ... and {len(causes) - 20} more (see .failures)" if len(causes) > 20 else ""
    message = (
        f"{len(table)} problem(s) in the indicator data of {file}"
        + (f", from {len(causes)} cause(s)" if len(causes) < len(table) else "")
        + ":\n  "
        + "\n  ".join(lines)
    )
    raise DataValidationError(message + more, failures=table.reset_index(drop=True))


#: Failures of these reasons that share column, expected and found value are one cause.
_SHARED_CAUSES = {Reason.UNKNOWN_INDICATOR, Reason.UNKNOWN_UNIT}


def _causes(table: pd.DataFrame) -> list[tuple[dict[str, object], list[object]]]:
    """Failures grouped by cause, in order of first appearance, with their rows."""
    causes: dict[tuple[object, ...], tuple[dict[str, object], list[object]]] = {}
    for position, rec in enumerate(table.to_dict("records")):
        record = {str(k): v for k, v in rec.items()}
        shared = record["reason"] in _SHARED_CAUSES
        key = (
            (record["reason"], record["column"], record["expected"], str(record["found"]))
            if shared
            else (position,)
        )
        causes.setdefault(key, (record, []))[1].append(record["row"])
    return list(causes.values())


def _sentence(rec: dict[str, object], rows: list[object] | None = None) -> str:
    if rows is not None and len(rows) > 1:
        return _shared_sentence(rec, rows)
    where = [f"row {rec['row']}" if _present(rec["row"]) else None, f"column {rec['column']!r}"]
    who = [
        f"indicator {rec['indicator']!r}" if _present(rec["indicator"]) else None,
        f"country {rec['country']!r}" if _present(rec["country"]) else None,
        f"year {rec['year']}" if _present(rec["year"]) else None,
    ]
    place = ", ".join(p for p in (*where, *who) if p)
    prefix = "" if _names_a_path(rec["row"]) else f"{rec['file']}: "
    return f"{prefix}{place}: expected {rec['expected']}; found {rec['found']!r}"


def _names_a_path(row: object) -> bool:
    """Whether a row label names its file's path (rows of several files do)."""
    return isinstance(row, str) and ("/" in row or "\\" in row)


def _shared_sentence(rec: dict[str, object], rows: list[object]) -> str:
    present = [r for r in rows if _present(r)]
    span = f"rows {present[0]}-{present[-1]}" if present else "rows"
    return (
        f"{rec['file']}: column {rec['column']!r}, {len(rows)} rows ({span}): expected "
        f"{rec['expected']}; found {rec['found']!r}"
    )


def _present(value: object) -> bool:
    return (
        value is not None
        and not (isinstance(value, float) and math.isnan(value))
        and value is not pd.NA
    )
