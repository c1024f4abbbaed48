"""A user's data folder: add a new file, refuse contradictions, report what changed.

:func:`add_data` reads a file in any supported format (see
:mod:`readiness_index.io.loaders`), validates it against the framework, compares it
with every row already stored in the folder by ``country, year, indicator`` and
merges it: one long CSV per indicator (``<indicator>.csv``), each written
atomically. A stored row with another value or flag is a conflict: it is refused
with a :class:`~readiness_index.errors.DataConflictError` listing every
contradiction, unless ``replace=True``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from readiness_index.errors import DataConflictError
from readiness_index.io.files import atomic_file, read_table
from readiness_index.io.loaders import load_file, sniff_format
from readiness_index.io.safe import file_in_folder, folder_lock
from readiness_index.io.tables import DATA_SUFFIXES
from readiness_index.model.contract import LONG_COLUMNS, OPTIONAL_COLUMNS, validate_long
from readiness_index.model.framework import Framework

__all__ = ["DataChange", "add_data", "compare_rows"]

KEY = ["country", "year", "indicator"]


@dataclass(frozen=True)
class DataChange:
    """What :func:`add_data` changed in a data folder.

    ``added``, ``replaced`` and ``unchanged`` are long tables of the new file's rows;
    ``replaced`` also holds ``stored_value`` and ``stored_flag``.
    """

    data_dir: Path
    files: tuple[Path, ...]
    added: pd.DataFrame
    replaced: pd.DataFrame
    unchanged: pd.DataFrame

    @property
    def counts(self) -> dict[str, int]:
        """Number of rows added, replaced and unchanged."""
        return {
            "added": len(self.added),
            "replaced": len(self.replaced),
            "unchanged": len(self.unchanged),
        }

    def summary(self) -> str:
        """A few lines saying what changed, for people.

        >>> empty = pd.DataFrame(columns=KEY)
        >>> print(DataChange(Path("d"), (), empty, empty, empty).summary())
        d: added 0, replaced 0, unchanged 0 row(s); no file written
        """
        counts = ", ".join(f"{k} {v}" for k, v in self.counts.items())
        written = ", ".join(str(f) for f in self.files) or "no file written"
        return f"{self.data_dir}: {counts} row(s); {written}"


def compare_rows(
    new: pd.DataFrame, stored: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Split new rows into added, changed and unchanged against stored rows.

    Rows match on ``country, year, indicator``; a matching row is unchanged when
    both values are missing or equal to 1e-9 relative precision, and the flags are
    equal.

    >>> new = pd.DataFrame({"country": ["AT", "BE", "CZ"], "year": 2024, "indicator": "a",
    ...                     "value": [1.0, 2.0, 3.0], "flag": ""})
    >>> old = new.iloc[:2].assign(value=[1.0, 5.0])
    >>> [len(part) for part in compare_rows(new, old)]
    [1, 1, 1]
    """
    stored = stored.rename(columns={"value": "stored_value", "flag": "stored_flag"})
    cols = [*KEY, "stored_value", "stored_flag", *(["file"] if "file" in stored else [])]
    merged = new.merge(stored[cols], on=KEY, how="left", indicator="_match")
    found = (merged["_match"] == "both").to_numpy()
    a, b = merged["value"].to_numpy(float), merged["stored_value"].to_numpy(float)
    same_value = (np.isnan(a) & np.isnan(b)) | np.isclose(a, b, rtol=1e-9, atol=0.0)
    same = same_value & (merged["flag"].fillna("") == merged["stored_flag"].fillna("")).to_numpy()
    merged = merged.drop(columns="_match")
    added = merged.loc[~found].drop(columns=[c for c in cols if c not in KEY])
    return added, merged.loc[found & ~same], merged.loc[found & same][new.columns]


def add_data(
    file: str | os.PathLike[str],
    *,
    indicator: str | None = None,
    data_dir: str | os.PathLike[str],
    framework: Framework,
    replace: bool = False,
    format: str | None = None,
    **options: Any,
) -> DataChange:
    """Validate a data file and merge it into a data folder.

    Parameters
    ----------
    file : path-like
        The new file: Eurostat SDMX-CSV or TSV, World Bank CSV, or long CSV, Excel
        or Parquet (the format is sniffed unless ``format`` is given).
    indicator : str, optional
        The indicator code of the file's values (required for publisher formats).
    data_dir : path-like
        The user's data folder (created if absent).
    framework : Framework
        The definitions the data must fit; publisher files are restricted to its units.
    replace : bool, default False
        Overwrite stored rows that the new file contradicts.
    format : str, optional
        One of :data:`readiness_index.io.loaders.FORMATS`.
    **options
        Passed to the loader (``filters``, ``period_rule``, ``indicator_code``...).

    Returns
    -------
    DataChange
        Rows added, replaced and unchanged, and the files written.

    Raises
    ------
    DataFileError
        If the file cannot be read.
    DataValidationError
        If its rows break the framework's data contract (every failure listed).
    DataConflictError
        If rows contradict stored data and ``replace`` is False.
    """
    folder = Path(data_dir)
    new = _load(Path(file), indicator, framework, format, options)
    with folder_lock(folder):  # another process adding to the folder waits
        stored = _stored(folder)
        added, changed, unchanged = compare_rows(new, stored)
        if len(changed) and not replace:
            raise _conflict(Path(file), folder, changed)
        files = _write(folder, stored, pd.concat([added, changed[new.columns]]), changed)
    return DataChange(folder, files, added, changed, unchanged)


def _load(
    file: Path,
    indicator: str | None,
    framework: Framework,
    format: str | None,
    options: Mapping[str, Any],
) -> pd.DataFrame:
    kind = format or sniff_format(file)
    extra = dict(options)
    if kind != "long":
        extra.setdefault("countries", [u.code for u in framework.units] or None)
    frame = load_file(file, indicator=indicator, format=kind, **extra)
    typed = _validate(frame, framework, file.name)
    return typed.reset_index(drop=True)


def _validate(frame: pd.DataFrame, framework: Framework, name: str) -> pd.DataFrame:
    """The data contract, except that one file need not cover every indicator."""
    return validate_long(frame, framework, file=name, require_coverage=False)


def _stored(folder: Path) -> pd.DataFrame:
    """Every row stored in the folder, as text plus parsed ``value``, with its ``file``."""
    frames = []
    files = (
        sorted(p for p in folder.rglob("*") if p.suffix.lower() in DATA_SUFFIXES)
        if folder.exists()
        else []
    )
    for path in files:
        table = read_table(path).astype("string").fillna("")
        frames.append(table.assign(file=str(path.relative_to(folder))))
    if not frames:
        return pd.DataFrame(columns=[*KEY, "value", "flag", "file", "text_value"])
    stored = pd.concat(frames, ignore_index=True)
    for column in ("flag", "source"):
        if column not in stored:
            stored[column] = ""
    stored["year"] = pd.to_numeric(stored["year"], errors="coerce").astype("Int64")
    stored["text_value"] = stored["value"]
    stored["value"] = pd.to_numeric(stored["value"].mask(stored["value"].eq("")), errors="coerce")
    return stored


def _conflict(file: Path, folder: Path, changed: pd.DataFrame) -> DataConflictError:
    table = changed[[*KEY, "stored_value", "value", "stored_flag", "flag", "file"]]
    table = table.rename(columns={"value": "new_value", "flag": "new_flag", "file": "stored_in"})
    lines = [
        f"{r.country} {r.year} {r.indicator}: stored {_number(r.stored_value)} "
        f"(flag {r.stored_flag!r}) in {r.stored_in}, new {_number(r.new_value)} "
        f"(flag {r.new_flag!r})"
        for r in table.head(20).itertuples()
    ]
    more = f"\n  ... and {len(table) - 20} more (see .failures)" if len(table) > 20 else ""
    return DataConflictError(
        f"{len(table)} row(s) of {file} contradict the data stored in {folder}:\n  "
        + "\n  ".join(lines)
        + more
        + "\nPass replace=True (--replace) to overwrite the stored rows.",
        failures=table.reset_index(drop=True),
    )


def _number(value: Any) -> str:
    number = float(value)
    return "missing" if np.isnan(number) else repr(number)


def _write(
    folder: Path, stored: pd.DataFrame, incoming: pd.DataFrame, changed: pd.DataFrame
) -> tuple[Path, ...]:
    """Write the incoming rows per indicator file; drop replaced rows from other files.

    Every file is written to a temporary file first and all are moved into place
    together at the end, so an interruption (Ctrl-C) while writing leaves the folder as
    it was, never with some indicators added and others not.
    """
    tables: dict[Path, pd.DataFrame] = {}
    replaced_keys = set(zip(changed["country"], changed["year"], changed["indicator"], strict=True))
    for indicator, rows in incoming.groupby("indicator", sort=True):
        target = file_in_folder(folder, str(indicator), ".csv")
        keep = _kept(stored, str(target.relative_to(folder)), replaced_keys)
        tables[target] = pd.concat([keep, _as_text(rows)], ignore_index=True)
    for name in sorted(set(changed.get("file", pd.Series(dtype=str)).dropna())):
        path = folder / name
        if path in tables or path.suffix.lower() != ".csv":
            continue
        tables[path] = _kept(stored, name, replaced_keys)
    with contextlib.ExitStack() as moves:  # each file moves into place as the stack closes
        for path, table in tables.items():
            _save(moves.enter_context(atomic_file(path, "w")), table)
    return tuple(tables)


def _kept(stored: pd.DataFrame, name: str, drop: set[tuple[Any, Any, Any]]) -> pd.DataFrame:
    rows = stored.loc[stored["file"] == name]
    keys = zip(rows["country"], rows["year"], rows["indicator"], strict=True)
    rows = rows.loc[[key not in drop for key in keys]]
    return rows.assign(value=rows["text_value"], year=rows["year"].astype("string"))


def _as_text(rows: pd.DataFrame) -> pd.DataFrame:
    values = [("" if pd.isna(v) else repr(float(v))) for v in rows["value"]]
    return rows.assign(value=values, year=rows["year"].astype("int64").astype("string"))


def _save(handle: Any, table: pd.DataFrame) -> None:
    columns = [c for c in (*LONG_COLUMNS, *OPTIONAL_COLUMNS) if c in table.columns]
    table = table[columns].fillna("").sort_values(["indicator", "country", "year"])
    table.to_csv(handle, index=False, lineterminator="\n")
