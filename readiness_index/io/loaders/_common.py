"""Shared machinery of the publisher loaders: failures, countries, values and flags."""

from __future__ import annotations

import csv
import gzip
import io
import os
import re
import zlib
from collections.abc import Collection, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from readiness_index.errors import (
    DataFileError,
    DataFileNotFoundError,
    DataValidationError,
    Reason,
)
from readiness_index.io.safe_yaml import decode_text
from readiness_index.io.tables import check_header
from readiness_index.model.columns import case_variants, header_case_problem
from readiness_index.model.contract import FAILURE_COLUMNS
from readiness_index.model.countries import is_aggregate, to_iso2

LOADED_COLUMNS = ("country", "year", "indicator", "value", "flag", "source")
_CELL = re.compile(r"^\s*(?P<value>[^\s]*)\s*(?P<flag>[a-z]*)\s*$")


class Failures:
    """Collects the failures of one file, then raises them all at once."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.rows: list[dict[str, object]] = []

    def add(
        self,
        row: object,
        column: str,
        expected: str,
        found: object,
        *,
        reason: Reason = Reason.INVALID_VALUE,
        **who: object,
    ) -> None:
        """Record one failure (``who`` may name indicator, country, year)."""
        record = dict.fromkeys(FAILURE_COLUMNS)
        record.update(reason=reason.value, file=self.file.name, row=row, column=column)
        record.update(expected=expected, found=found, **who)
        self.rows.append(record)

    def extend(self, records: Iterable[dict[str, object]]) -> None:
        """Record failures already made as data (by the data contract)."""
        self.rows.extend(records)

    def raise_if_any(self) -> None:
        """Raise one :class:`DataFileError` listing every failure recorded."""
        if not self.rows:
            return
        table = pd.DataFrame(self.rows, columns=list(FAILURE_COLUMNS), dtype=object)
        lines = [_sentence(rec) for rec in self.rows[:20]]
        more = (
            f"\n  ... and {len(self.rows) - 20} more (see .failures)" if len(self.rows) > 20 else ""
        )
        raise DataFileError(
            f"{len(self.rows)} problem(s) in {self.file}:\n  " + "\n  ".join(lines) + more,
            failures=table,
        )


def _sentence(rec: dict[str, object]) -> str:
    row = f"row {rec['row']}, " if rec["row"] is not None else ""
    who = "".join(
        f", {name} {rec[name]!r}" for name in ("indicator", "country") if rec[name] is not None
    ) + (f", year {rec['year']}" if rec["year"] is not None else "")
    return (
        f"{rec['file']}: {row}column {rec['column']!r}{who}: expected {rec['expected']}; "
        f"found {rec['found']!r}"
    )


def existing(path: str | os.PathLike[str]) -> Path:
    """The path as a :class:`Path`, or :class:`DataFileNotFoundError` if it is missing."""
    file = Path(path)
    if not file.is_file():
        raise DataFileNotFoundError(f"Data file {file} does not exist.")
    return file


def require_columns(
    frame: pd.DataFrame, needed: Iterable[str], failures: Failures, optional: Iterable[str] = ()
) -> None:
    """Record (and raise) every needed column that the file lacks, and every name that
    differs from a needed or ``optional`` column only in case (never read as it)."""
    needed, optional = tuple(needed), tuple(optional)
    problem = header_case_problem(list(frame.columns), needed, optional)
    if problem is not None:
        failures.add(None, problem[0], problem[1], problem[2], reason=Reason.COLUMN_CASE)
    variants = case_variants(frame.columns, (*needed, *optional))
    for column in needed:
        if column not in frame.columns and column not in variants.values():
            failures.add(
                None, column, f"a column named {column!r}", f"columns {list(frame.columns)}",
                reason=Reason.MISSING_COLUMN,
            )  # fmt: skip
    failures.raise_if_any()


def split_cell(text: str) -> tuple[str, str]:
    """Split a Eurostat cell such as ``"12.3 e"`` or ``": c"`` into value and flag text.

    A ``:`` value becomes an empty value with the flag ``":"`` (plus any letters).

    >>> split_cell("12.3 e"), split_cell(":"), split_cell(": c"), split_cell("4.5")
    (('12.3', 'e'), ('', ':'), ('', ':c'), ('4.5', ''))
    """
    match = _CELL.match(str(text))
    if match is None:
        return str(text).strip(), ""
    value, flag = match.group("value"), match.group("flag")
    if value == ":":
        return "", ":" + flag
    return value, flag


def to_numbers(text: pd.Series, failures: Failures, column: str, rows: pd.Index) -> pd.Series:
    """Parse numbers; an empty cell is missing, any other text is a failure."""
    clean = text.fillna("").astype(str).str.strip()
    values = pd.Series(pd.to_numeric(clean.mask(clean.eq("")), errors="coerce"), dtype="float64")
    for pos in np.flatnonzero((values.isna() & clean.ne("")).to_numpy()):
        failures.add(
            rows[int(pos)], column, "a number (or ':' / an empty cell for missing)",
            clean.iloc[pos], reason=Reason.NOT_A_NUMBER,
        )  # fmt: skip
    return values


def resolve_countries(
    geo: pd.Series,
    failures: Failures,
    column: str,
    rows: pd.Index,
    countries: Collection[str] | None,
    *,
    drop_aggregates: bool = True,
) -> tuple[pd.Series, pd.Series]:
    """ISO alpha-2 codes of ``geo`` and a mask of the rows to keep.

    With ``countries`` given, rows outside it (other countries, aggregates, codes
    no country library knows) are left out: the caller asked for those countries
    only. Without it, aggregates are left out (a failure with ``drop_aggregates=False``)
    and an unknown code is a failure.
    """
    codes: dict[str, str | None] = {}
    for text in geo.dropna().unique():
        codes[text] = _iso2_or_none(str(text))
    iso = geo.map(codes)
    if countries is not None:
        return iso, iso.isin(set(countries))
    aggregate = geo.map(lambda g: drop_aggregates and is_aggregate(str(g)))
    for pos in np.flatnonzero((iso.isna() & ~aggregate).to_numpy()):
        failures.add(
            rows[int(pos)],
            column,
            "an ISO 3166-1 country code or name (or Eurostat's EL/UK)",
            geo.iloc[pos],
            reason=Reason.UNKNOWN_UNIT,
        )
    return iso, iso.notna()


def _iso2_or_none(text: str) -> str | None:
    try:
        return to_iso2(text)
    except DataValidationError:
        return None


def finish(frame: pd.DataFrame, failures: Failures) -> pd.DataFrame:
    """Raise every failure recorded, else return the typed long frame."""
    failures.raise_if_any()
    out = frame.copy()
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("float64")
    for column in ("country", "indicator", "flag", "source"):
        out[column] = out[column].fillna("").astype(str)
    extra = [c for c in out.columns if c not in LOADED_COLUMNS]
    out = out.sort_values(["indicator", "country", "year"], kind="stable")
    return out[[*LOADED_COLUMNS, *extra]]


#: The most bytes a (decompressed) text file may hold.
MAX_TEXT_BYTES = 2_000_000_000


def read_text(path: Path) -> str:
    """A text file (gzipped when its name ends in ``.gz``) decoded as UTF-8, or a
    :class:`DataFileError` naming the file, the place and the encoding to use."""
    try:
        if path.name.lower().endswith(".gz"):
            with gzip.open(path, "rb") as handle:
                data = handle.read(MAX_TEXT_BYTES + 1)
        else:
            data = path.read_bytes()
    except (OSError, EOFError, zlib.error) as err:
        raise DataFileError(f"{path}: cannot be read ({type(err).__name__}: {err})") from err
    if len(data) > MAX_TEXT_BYTES:
        raise DataFileError(f"{path}: holds more than {MAX_TEXT_BYTES:,} bytes of text.")
    return decode_text(data, path, DataFileError)


def read_text_table(path: Path, *, sep: str = ",", skiprows: int = 0) -> pd.DataFrame:
    """Read a delimited file as text; the index is the line number of each row."""
    text = read_text(path)
    header = next(csv.reader(io.StringIO(text.split("\n", skiprows)[-1]), delimiter=sep), [])
    check_header(path, header)  # pandas would rename a second 'OBS_VALUE' and read the first
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skiprows=skiprows
        )
    except (ValueError, pd.errors.ParserError) as err:
        raise DataFileError(f"{path}: cannot be read as a delimited text file ({err})") from err
    frame.index = pd.RangeIndex(skiprows + 2, skiprows + 2 + len(frame))
    return frame


def assemble(
    parts: dict[str, pd.Series],
    failures: Failures,
    *,
    columns: dict[str, str],
    countries: Collection[str] | None,
    period_rule: str,
) -> pd.DataFrame:
    """Long rows from aligned text series ``geo, period, value, flag, indicator, source``.

    ``columns`` names the file's column behind each part (for failure messages).
    """
    rows = parts["geo"].index
    iso, keep = resolve_countries(parts["geo"], failures, columns["geo"], rows, countries)
    years, position = _years(parts["period"], failures, columns["period"], period_rule)
    flags = parts["flag"].fillna("").astype(str).str.strip()
    _check_flags(flags, failures, columns["flag"])
    frame = pd.DataFrame(
        {
            "country": iso,
            "year": years,
            "indicator": parts["indicator"],
            "value": to_numbers(parts["value"], failures, columns["value"], rows),
            "flag": flags,
            "source": parts["source"],
            "_period": parts["period"].astype(str).str.strip(),
            "_position": position,
        },
        index=rows,
    )
    frame = frame.loc[keep.to_numpy() & frame["year"].notna().to_numpy()]
    _period_duplicates(frame, parts["geo"], failures)
    return _latest_periods(frame)


def _period_duplicates(frame: pd.DataFrame, geo: pd.Series, failures: Failures) -> None:
    """Each row that repeats another's country and period names the other rows, and the
    codes the file writes when they differ (Eurostat's EL beside ISO GR are one country)."""
    key = ["country", "indicator", "_period"]
    repeated = frame.loc[frame.duplicated(key, keep=False).to_numpy()]
    for (country, indicator, period), group in repeated.groupby(key, sort=False):
        written = sorted({str(geo.loc[row]).strip() for row in group.index})
        same = f" ({' and '.join(map(repr, written))} are one country: keep one row)"
        for row in group.index:
            others = ", ".join(str(other) for other in group.index if other != row)
            failures.add(
                row, "country, period",
                "one row per country and period" + (same if len(written) > 1 else ""),
                f"a duplicate of row {others}", reason=Reason.DUPLICATE_ROW,
                country=country, year=period, indicator=indicator,
            )  # fmt: skip


def _years(
    period: pd.Series, failures: Failures, column: str, rule: str
) -> tuple[pd.Series, pd.Series]:
    from readiness_index.io.loaders.periods import parse_period

    years: dict[object, float] = {}
    position: dict[object, int] = {}
    for row, text in zip(period.index, period.astype(str), strict=True):
        value = parse_period(text)
        if value is None:
            failures.add(row, column, "a period such as 2024, 2024-S1 or 2024-06", text,
                         reason=Reason.YEAR_RANGE)  # fmt: skip
        elif not text.strip().isdigit() and rule != "latest_in_year":
            failures.add(
                row,
                column,
                "an annual period such as 2024 (pass period_rule='latest_in_year' to take the "
                "latest half-year, quarter or month of each year)",
                text,
                reason=Reason.YEAR_RANGE,
            )
        else:
            # position 0 marks an annual period; sub-annual ones count months 1-12
            years[row] = value[0]
            position[row] = 0 if text.strip().isdigit() else value[1]
    index = period.index
    return (
        pd.Series([years.get(r, np.nan) for r in index], index=index, dtype="float64"),
        pd.Series([position.get(r, 0) for r in index], index=index, dtype="int64"),
    )


def _check_flags(flags: pd.Series, failures: Failures, column: str) -> None:
    from readiness_index.model.contract import FLAG_CODES

    allowed = set(FLAG_CODES)
    for row, flag in flags.items():
        if not set(flag) <= allowed:
            expected = f"Eurostat flag letters among {''.join(FLAG_CODES)!r}"
            failures.add(row, column, expected, flag, reason=Reason.FLAG)


def _latest_periods(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep the latest sub-annual period of each country, indicator and year (noted)."""
    sub = frame["_position"] > 0
    ordered = frame.loc[sub].sort_values(["country", "indicator", "year", "_position"])
    latest = ordered.drop_duplicates(["country", "indicator", "year"], keep="last")
    kept = pd.concat([frame.loc[~sub], latest])
    if (kept["_position"] > 0).any():
        kept = kept.assign(
            provenance=np.where(kept["_position"] > 0, "period " + kept["_period"], "")
        )
    return kept.drop(columns=["_period", "_position"]).sort_index()
