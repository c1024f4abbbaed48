"""Reading one data table, whole or not at all: CSV, Excel and Parquet.

* CSV is read as UTF-8 text (a byte-order mark is fine; UTF-16 with one too);
  any other encoding is refused with the file, the place and the encoding to use.
* Excel: every sheet is read, and sheets must share their header; a file whose
  sheets differ is refused unless one sheet is named. Cells are read as typed in
  (a formula is text that is not a number, so it is refused, never trusted).
* Parquet: the row count must match the file's metadata, every column must be
  text or numbers, and page checksums are verified where the file has them; a file
  that cannot be decoded is refused.

Nothing is converted: every cell comes back as text (Parquet numbers as numbers),
with the row's line number as index (``Sheet:line`` when several sheets are read).
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow

from readiness_index.errors import DataFileError, DataFileNotFoundError, Reason
from readiness_index.io.safe_yaml import decode_text

__all__ = ["DATA_SUFFIXES", "check_header", "read_table"]

#: The file types a long table may come in.
DATA_SUFFIXES = (".csv", ".parquet", ".xls", ".xlsx")


def read_table(path: str | os.PathLike[str], *, sheet: str | None = None) -> pd.DataFrame:
    """Read one long-format table (CSV, Excel or Parquet) without converting any value.

    Parameters
    ----------
    path : path-like
        The file.
    sheet : str, optional
        The one sheet of an Excel file to read; all sheets are read when ``None``.

    Returns
    -------
    pandas.DataFrame
        Text cells; the index is the row's line number in the file (header = line 1),
        prefixed with the sheet name when several sheets are read.

    Raises
    ------
    DataFileError
        If the file cannot be read whole (encoding, corrupt file, sheets that differ).
    DataFileNotFoundError
        If it does not exist.
    """
    file = Path(path)
    if not file.is_file():
        raise DataFileNotFoundError(f"Data file {file} does not exist.")
    suffix = file.suffix.lower()
    if sheet is not None and suffix not in (".xlsx", ".xls"):
        raise _refused(
            file, Reason.SHEETS, f"a sheet ({sheet!r:.60}) is named, but the file is not an Excel "
            "workbook; leave --sheet out",
        )  # fmt: skip
    if suffix == ".csv":
        return _read_csv(file)
    if suffix in (".xlsx", ".xls"):
        return _read_excel(file, sheet)
    if suffix == ".parquet":
        return _read_parquet(file)
    raise DataFileError(
        f"{file}: unsupported file type {suffix!r}; expected one of {list(DATA_SUFFIXES)}"
    )


def _refused(file: Path, reason: Reason, text: str) -> DataFileError:
    table = pd.DataFrame([{"reason": reason.value, "file": str(file)}], dtype=object)
    return DataFileError(f"{file}: {text}", failures=table)


#: CSV files from this size on are parsed by Arrow's reader (C++, several threads).
ARROW_CSV_BYTES = 1 << 20
_UTF8_BOM = b"\xef\xbb\xbf"


def _read_csv(file: Path) -> pd.DataFrame:
    data = file.read_bytes()
    text = decode_text(data, file, DataFileError)
    check_header(file, _csv_header(text))
    frame = _read_large_csv(data) if text and len(data) >= ARROW_CSV_BYTES else None
    if frame is None:  # Arrow's reader refuses short rows; pandas' reader fills them
        _check_row_lengths(file, text)
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except (ValueError, pd.errors.ParserError) as err:
            raise _refused(file, Reason.SYNTAX, f"cannot be read as CSV ({_short(err)})") from err
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return frame


def _csv_header(text: str) -> list[str]:
    """The first non-blank record of CSV text (``[]`` when there is none)."""
    try:
        return next((record for record in csv.reader(io.StringIO(text)) if record), [])
    except csv.Error:
        return []  # pandas' reader says what is wrong


def check_header(file: Path, names: list[Any], where: str = "") -> None:
    """Refuse a header that names a column twice (readers would rename or drop one)."""
    texts = [str(n) for n in names]
    twice = sorted(n for n, count in Counter(texts).items() if count > 1)
    if twice:
        raise _refused(
            file, Reason.DUPLICATE_COLUMN,
            f"{where}names the column(s) {twice} more than once in its header "
            f"{_short([str(n) for n in names])}; every column needs a name of its own",
        )  # fmt: skip


def _check_row_lengths(file: Path, text: str) -> None:
    """Refuse rows with fewer cells than the header (pandas' reader would fill them with
    empty cells, a missing value no one wrote); rows with more are refused by the reader."""
    try:
        records = (record for record in csv.reader(io.StringIO(text)) if record)
        width = len(next(records, []))
        short = [(row, len(r)) for row, r in enumerate(records, start=2) if len(r) < width]
    except csv.Error:
        return  # pandas' reader says what is wrong
    if short:
        listed = ", ".join(f"row {row} ({cells})" for row, cells in short[:5])
        more = f" and {len(short) - 5} more" if len(short) > 5 else ""
        raise _refused(
            file, Reason.RAGGED_ROW,
            f"expected {width} cells in every row, as in the header; found fewer in "
            f"{listed}{more}. Give every row a cell for every column (an empty cell for a "
            "missing value)",
        )  # fmt: skip


def _read_large_csv(data: bytes) -> pd.DataFrame | None:
    """A large UTF-8 CSV file read by Arrow: the same frame as pandas' reader gives.

    ``None`` for UTF-16 text or anything Arrow's reader refuses, which pandas' reader
    then reads, or reports why it cannot.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        return pd.read_csv(
            io.BytesIO(data.removeprefix(_UTF8_BOM)), dtype=str, keep_default_na=False,
            engine="pyarrow",
        )  # fmt: skip
    except (ValueError, pyarrow.ArrowException):
        return None


# -- Excel -----------------------------------------------------------------------------------
def _read_excel(file: Path, sheet: str | None) -> pd.DataFrame:
    if file.suffix.lower() == ".xls":
        raise _refused(
            file, Reason.CORRUPT, "the old .xls format is not read; save the file as .xlsx"
        )
    import openpyxl

    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=False)
    except Exception as err:  # a damaged workbook raises zip, XML or key errors
        raise _refused(
            file, Reason.CORRUPT, f"cannot be read as an Excel workbook ({_short(err)})"
        ) from err
    try:
        return _sheets(file, book, sheet)
    finally:
        book.close()


def _sheets(file: Path, book: Any, sheet: str | None) -> pd.DataFrame:
    names = list(book.sheetnames)
    if sheet is not None and sheet not in names:
        raise _refused(file, Reason.SHEETS, f"has no sheet {sheet!r}; its sheets are {names}")
    read = {name: _sheet(file, book[name]) for name in ([sheet] if sheet else names)}
    frames = {name: frame for name, frame in read.items() if frame is not None}
    if not frames:
        return pd.DataFrame()
    headers = {name: list(frame.columns) for name, frame in frames.items()}
    if len({tuple(h) for h in headers.values()}) > 1:
        listed = "; ".join(f"{name!r}: {header}" for name, header in headers.items())
        raise _refused(
            file, Reason.SHEETS,
            f"its sheets have different columns ({_short(listed, 400)}); every sheet is "
            "read, so give them the same columns, or name the one sheet to read "
            "(data add --sheet NAME)",
        )  # fmt: skip
    if len(frames) == 1:
        return next(iter(frames.values()))
    for name, frame in frames.items():
        frame.index = [f"{name}:{line}" for line in frame.index]
    return pd.concat(frames.values())


def _sheet(file: Path, worksheet: Any) -> pd.DataFrame | None:
    """A sheet's cells as text (``None`` for an empty sheet)."""
    rows = [
        [_cell_text(value) for value in row]
        for row in worksheet.iter_rows(values_only=True)
        if any(value is not None for value in row)
    ]
    if not rows:
        return None
    header, body = rows[0], rows[1:]
    width = max(len(header), *(len(r) for r in body)) if body else len(header)
    header = [h or f"column {i + 1}" for i, h in enumerate(header + [""] * (width - len(header)))]
    check_header(file, header, f"sheet {worksheet.title!r} ")
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in body], columns=header, dtype=object)
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return frame.astype(str)


def _cell_text(value: object) -> str:
    """A cell as the text a user typed (numbers in full precision, formulas as written)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        return repr(value)
    return str(value)


# -- Parquet ---------------------------------------------------------------------------------
def _read_parquet(file: Path) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(file, page_checksum_verification=True)
        expected = handle.metadata.num_rows
        table = handle.read()
    except (pa.ArrowException, OSError, ValueError) as err:
        raise _refused(
            file, Reason.CORRUPT, f"is not a readable Parquet file ({_short(err)})"
        ) from err
    if table.num_rows != expected:
        raise _refused(
            file, Reason.CORRUPT,
            f"holds {table.num_rows} rows where its metadata says {expected}; the file is damaged",
        )  # fmt: skip
    check_header(file, list(table.schema.names))
    _check_parquet_types(file, table.schema)
    frame: pd.DataFrame = table.to_pandas()
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def _check_parquet_types(file: Path, schema: Any) -> None:
    import pyarrow.types as types

    def plain(kind: Any) -> bool:
        if types.is_dictionary(kind):
            return plain(kind.value_type)
        return bool(
            types.is_string(kind) or types.is_large_string(kind) or types.is_integer(kind)
            or types.is_floating(kind) or types.is_null(kind) or types.is_date(kind)
            or types.is_timestamp(kind)
        )  # fmt: skip

    bad = [f"{field.name} ({field.type})" for field in schema if not plain(field.type)]
    if bad:
        raise _refused(
            file, Reason.CORRUPT,
            f"has columns that are neither text, numbers nor dates: {bad}; a long table holds "
            "text (country, indicator, flag, source) and numbers (year, value)",
        )  # fmt: skip


def _short(value: object, limit: int = 200) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
