"""The exception tree of readiness-index.

Every error the library raises on purpose derives from :class:`ReadinessIndexError`
and also from the builtin exception that fits, so ``except ValueError`` keeps working::

    ReadinessIndexError
    ├── DefinitionError          (ValueError)       framework YAML or model broke a rule
    ├── MethodologyError         (ValueError)       a methodology entry is unknown or invalid
    ├── DataValidationError      (ValueError)       indicator data failed the data contract
    ├── DataFileError            (ValueError)       a data file cannot be read or parsed
    │   └── DataFileNotFoundError (FileNotFoundError) a named file does not exist
    ├── ComputationError         (ArithmeticError)  a step cannot compute on these values
    ├── AssumptionError          (ValueError)       an uncertainty assumption is invalid
    ├── DataConflictError        (ValueError)       new data contradicts stored data
    ├── UnknownCodeError         (KeyError)         a country, year or code is not in a result
    └── ReportError              (RuntimeError)     a report page cannot be rendered

    IndicatorDroppedWarning      (UserWarning)      an indicator has no score in the result

Errors that carry several failures hold them as a table in ``failures`` (a
:class:`pandas.DataFrame`), in the spirit of pandera's ``SchemaErrors``. Failures
are data: each row has a machine-readable ``reason`` (a :class:`Reason`) and the
fields it concerns (file, row, column, indicator, country, year, expected, found);
they become text only when the error is raised, and no module reads another's
messages.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AssumptionError",
    "ComputationError",
    "DataConflictError",
    "DataFileError",
    "DataFileNotFoundError",
    "DataValidationError",
    "DefinitionError",
    "IndicatorDroppedWarning",
    "MethodologyError",
    "ReadinessIndexError",
    "Reason",
    "ReportError",
    "UnknownCodeError",
]


class Reason(StrEnum):
    """Why an input was refused: the ``reason`` column of every failure table."""

    # codes (see readiness_index.model.identifiers)
    CODE_NOT_TEXT = "code_not_text"
    CODE_EMPTY = "code_empty"
    CODE_TOO_LONG = "code_too_long"
    CODE_FIRST_CHARACTER = "code_first_character"
    CODE_CHARACTER = "code_character"
    CODE_DOUBLE_DOT = "code_double_dot"
    CODE_FINAL_DOT = "code_final_dot"
    CODE_RESERVED_NAME = "code_reserved_name"
    CODE_CASE = "code_case"
    # files
    ENCODING = "encoding"
    TOO_LARGE = "too_large"
    SYNTAX = "syntax"
    TOO_DEEP = "too_deep"
    ALIAS_EXPANSION = "alias_expansion"
    DUPLICATE_KEY = "duplicate_key"
    NOT_FINITE = "not_finite"
    CORRUPT = "corrupt"
    SHEETS = "sheets"
    DUPLICATE_COLUMN = "duplicate_column"
    RAGGED_ROW = "ragged_row"
    DUPLICATE_FILE = "duplicate_file"
    OUTSIDE_FOLDER = "outside_folder"
    # framework tree
    DUPLICATE_CODE = "duplicate_code"
    ROOT = "root"
    NO_PARENT = "no_parent"
    UNKNOWN_PARENT = "unknown_parent"
    CYCLE = "cycle"
    CHILDLESS = "childless"
    UNKNOWN_DENOMINATOR = "unknown_denominator"
    UNKNOWN_TARGET_UNIT = "unknown_target_unit"
    UNKNOWN_TRANSLATED_CODE = "unknown_translated_code"
    LEVEL = "level"
    INVALID_VALUE = "invalid_value"
    UNKNOWN_KEY = "unknown_key"
    CONFLICT = "conflict"
    # long data (the data contract)
    MISSING_COLUMN = "missing_column"
    EXTRA_COLUMN = "extra_column"
    COLUMN_CASE = "column_case"
    NOT_A_NUMBER = "not_a_number"
    NOT_WHOLE_YEAR = "not_whole_year"
    YEAR_RANGE = "year_range"
    UNKNOWN_UNIT = "unknown_unit"
    SAME_UNIT = "same_unit"
    UNKNOWN_INDICATOR = "unknown_indicator"
    INVALID_CODE = "invalid_code"
    DUPLICATE_ROW = "duplicate_row"
    FLAG = "flag"
    OUT_OF_BOUNDS = "out_of_bounds"
    NO_DATA = "no_data"
    MISSING_VALUE = "missing_value"


class ReadinessIndexError(Exception):
    """Base class of every error raised on purpose by readiness-index."""


class _TableError(ReadinessIndexError):
    """An error that carries a table of every failure found."""

    def __init__(self, message: str, failures: pd.DataFrame | None = None) -> None:
        super().__init__(message)
        self.failures = failures


class DefinitionError(_TableError, ValueError):
    """The framework definitions break one or more rules (file and key path named)."""


class MethodologyError(_TableError, ValueError):
    """A methodology entry is unknown, invalid or does not fit the framework."""


class DataValidationError(_TableError, ValueError):
    """Indicator data break the data contract; ``failures`` lists every failure."""


class DataFileError(_TableError, ValueError):
    """A data file cannot be read, or its layout is not the expected one."""


class DataFileNotFoundError(DataFileError, FileNotFoundError):
    """A data or definition file that was named does not exist."""


class ComputationError(ReadinessIndexError, ArithmeticError):
    """A method cannot be computed on the values it was given."""


class AssumptionError(_TableError, ValueError):
    """An uncertainty or sensitivity assumption is invalid."""


class DataConflictError(_TableError, ValueError):
    """New data contradict stored data and ``replace`` was not requested."""


class UnknownCodeError(ReadinessIndexError, KeyError):
    """A country, year or code asked for is not in the framework or the result."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ReportError(ReadinessIndexError, RuntimeError):
    """A report page cannot be rendered (template and country named)."""


class IndicatorDroppedWarning(UserWarning):
    """An indicator of the framework has no normalised value in any unit and year of a
    result (no data, or every value lost at a step, e.g. a denominator without data),
    so it takes no part in the index; the message says why."""
