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

Errors that carry several failures hold them as a table in ``failures`` (a
:class:`pandas.DataFrame`), in the spirit of pandera's ``SchemaErrors``.
"""

from __future__ import annotations

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
    "MethodologyError",
    "ReadinessIndexError",
    "ReportError",
    "UnknownCodeError",
]


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
