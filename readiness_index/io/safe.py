"""Outputs that stay where they belong and cannot execute.

* :func:`file_in_folder` is the one way a code becomes a file name: the result is
  always a direct child of the folder, or the code is refused.
* :func:`sanitise_frame` writes text cells that a spreadsheet would evaluate
  (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return: OWASP's
  CSV-injection rule) with a leading apostrophe, so they stay text; numbers are
  untouched. :func:`sheet_name` makes any text a valid, harmless Excel sheet name.
* :func:`folder_lock` serialises processes that write the same output folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from readiness_index.errors import DataFileError
from readiness_index.model.identifiers import check_code

__all__ = [
    "FORMULA_STARTS",
    "file_in_folder",
    "files_outside",
    "folder_lock",
    "is_formula_text",
    "sanitise_cell",
    "sanitise_frame",
    "sheet_name",
]

#: First characters that make a spreadsheet evaluate a cell (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_SHEET_FORBIDDEN = str.maketrans({ch: "_" for ch in "[]:*?/\\"})
#: How long a process waits for another one writing the same folder.
LOCK_TIMEOUT = 600.0


def file_in_folder(folder: str | os.PathLike[str], code: str, suffix: str = "") -> Path:
    """The path of the file named after ``code`` inside ``folder``.

    ``code`` must follow the code rule
    (:data:`readiness_index.model.identifiers.CODE_RULE`), ``suffix`` is added
    as given (``".csv"``, ``"-2025.html"``). The result is checked to be a direct
    child of ``folder`` even after symbolic links are resolved.

    Raises
    ------
    DataFileError
        If ``code`` is not a code or the name would leave the folder.

    Examples
    --------
    >>> file_in_folder("data", "top500_rmax", ".csv").as_posix()
    'data/top500_rmax.csv'
    >>> file_in_folder("site", "../../TRAVERSED", "-2024.html")
    Traceback (most recent call last):
    ...
    readiness_index.errors.DataFileError: Cannot name a file in site after \
'../../TRAVERSED': invalid code: '../../TRAVERSED' does not start with a letter or a digit; \
a code has 1-64 ASCII letters, digits, '_', '.' or '-', starting with a letter or a digit, \
without '..' and not ending with '.'
    """
    base = Path(folder)
    try:
        name = check_code(code) + _checked_suffix(suffix)
    except ValueError as err:
        raise DataFileError(f"Cannot name a file in {base} after {code!r:.80}: {err}") from err
    path = base / name
    if path.resolve().parent != base.resolve():
        raise DataFileError(f"Refusing to write {path}: it is not inside {base}.")
    return path


def files_outside(folder: str | os.PathLike[str], files: list[Path]) -> list[str]:
    """The files found in ``folder`` that lie outside it once links (and ``..``) are
    resolved, each said as ``"file (which is target)"``.

    A folder's files are read from inside it only, so a link in a data or framework
    folder cannot make the library read, and quote in its messages, a file elsewhere (a
    file named on its own is read wherever it is).

    >>> files_outside(".", [Path("README.md")])
    []
    """
    base = Path(folder).resolve()
    return [
        f"{file} (which is {file.resolve()})"
        for file in files
        if not file.resolve().is_relative_to(base)
    ]


def _checked_suffix(suffix: str) -> str:
    if any(ch in suffix for ch in "/\\\0") or ".." in suffix:
        raise ValueError(f"the suffix {suffix!r} is not a plain file-name ending")
    return suffix


def is_formula_text(value: object) -> bool:
    """Whether a spreadsheet would evaluate ``value`` typed into a cell.

    >>> is_formula_text("=1+1"), is_formula_text("-3.5"), is_formula_text(-3.5)
    (True, True, False)
    """
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def sanitise_cell(value: Any) -> Any:
    """``value`` with a leading apostrophe when it is text a spreadsheet would evaluate.

    >>> sanitise_cell("=cmd|' /C calc'!A0"), sanitise_cell("AT"), sanitise_cell(1.5)
    ("'=cmd|' /C calc'!A0", 'AT', 1.5)
    """
    return "'" + value if is_formula_text(value) else value


def sanitise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells, column names and index labels cannot execute.

    Numeric columns are returned unchanged (``-3.5`` stays a number); only text
    (object, string and categorical columns, and labels) is sanitised.

    Examples
    --------
    >>> frame = pd.DataFrame({"country": ["=1+1", "AT"], "score": [-1.0, 2.0]})
    >>> sanitise_frame(frame).to_dict("list")
    {'country': ["'=1+1", 'AT'], 'score': [-1.0, 2.0]}
    """
    out = frame.copy()
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if not pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            out.isetitem(position, column.astype(object).map(sanitise_cell).to_numpy())
    out.columns = _labels(out.columns)
    out.index = _labels(out.index)
    return out


def _labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        frame = sanitise_frame(index.to_frame(index=False))
        return pd.MultiIndex.from_frame(frame)
    if pd.api.types.is_numeric_dtype(index):
        return index
    labels: list[Any] = [sanitise_cell(label) for label in index]
    safe: pd.Index = pd.Index(labels, name=sanitise_cell(index.name))
    return safe


def sheet_name(text: str, taken: set[str] | None = None) -> str:
    """A valid Excel sheet name for ``text``: no ``[]:*?/\\``, at most 31 characters,
    no leading or final apostrophe, unique (case-insensitively) among ``taken``.

    ``taken`` is updated with the name returned.

    >>> taken = set()
    >>> sheet_name("=1+1", taken), sheet_name("a/b", taken), sheet_name("A/B", taken)
    ('_=1+1', 'a_b', 'A_B 2')
    """
    base = str(text).translate(_SHEET_FORBIDDEN).strip("'") or "sheet"
    base = ("_" + base if is_formula_text(base) else base)[:31]
    taken = taken if taken is not None else set()
    name, number = base, 1
    while name.casefold() in {t.casefold() for t in taken} or name.casefold() == "history":
        number += 1
        name = f"{base[: 31 - len(str(number)) - 1]} {number}"
    taken.add(name)
    return name


@contextlib.contextmanager
def folder_lock(folder: str | os.PathLike[str], timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the lock of ``folder`` for the block.

    Processes that replace or update the same folder wait for each other, so none
    fails half-way or leaves copies behind. The lock file lives in the system's
    temporary folder (named after the folder's resolved path), so that no file is
    left beside the user's folder.

    Raises
    ------
    DataFileError
        If another process holds the lock for longer than ``timeout`` seconds.
    """
    from filelock import FileLock, Timeout

    target = Path(folder).resolve()
    locks = Path(tempfile.gettempdir()) / "readiness-index-locks"
    locks.mkdir(mode=0o777, exist_ok=True)
    digest = hashlib.sha256(str(target).encode()).hexdigest()[:32]
    lock = FileLock(str(locks / f"{digest}.lock"), mode=0o666)
    try:
        lock.acquire(timeout=timeout)
    except Timeout as err:
        raise DataFileError(
            f"{target} is being written by another process (lock {lock.lock_file}); "
            f"waited {timeout:.0f} s. Try again when it has finished."
        ) from err
    try:
        yield
    finally:
        lock.release()
