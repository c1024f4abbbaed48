"""Layered inputs: the user's definitions and data on top of the shipped index.

A user's framework files either define an index of their own (they declare the root,
an aggregate without parent, or an ``index`` entry) or add to the shipped one (new
indicators and aggregates under its pillars). Their data add to the shipped data, and
a duplicate row is an error; a value of the shipped data is changed only through a
*correction* (a separate folder, whose rows replace the rows of the same country, year
and indicator), and every correction is listed in the result's replay record.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import pandas as pd

from readiness_index.errors import DefinitionError, Reason
from readiness_index.io.files import _yaml_files, load_framework, read_tables
from readiness_index.io.safe_yaml import load_yaml
from readiness_index.model.contract import validate_long
from readiness_index.model.data import IndicatorData, with_corrections
from readiness_index.model.framework import Framework

__all__ = ["apply_corrections", "declares_index", "load_own_index", "read_corrections"]

PathLike = str | os.PathLike[str]


def declares_index(*paths: PathLike) -> bool:
    """Whether framework files define an index of their own: an ``index`` entry or an
    aggregate without parent (the root). Files that only add indicators and aggregates
    under existing parents add to another framework.

    Raises
    ------
    DataFileNotFoundError
        If a path does not exist.
    """
    for file in _yaml_files(paths):
        try:
            content = load_yaml(file, DefinitionError)
        except DefinitionError:
            return True  # unreadable: load it alone, where its problem is reported
        if not isinstance(content, dict):
            return True
        if "index" in content or any(_is_root(a) for a in content.get("aggregates") or []):
            return True
    return False


def load_own_index(*paths: PathLike) -> Framework:
    """The framework of ``paths`` alone; when it lacks a root or a parent and the files
    declare an index of their own, the error says why they were not added to the
    shipped index (an ``index`` entry or a root makes framework files stand alone).

    Raises
    ------
    DefinitionError
        Listing every broken rule with its file and key path.
    """
    try:
        return load_framework(*paths)
    except DefinitionError as err:
        failures = err.failures
        reasons = set() if failures is None else set(failures["reason"])
        if not reasons & {Reason.ROOT.value, Reason.UNKNOWN_PARENT.value}:
            raise
        if not declares_index(*paths):
            raise
        raise DefinitionError(f"{err}\n{_STANDING_ALONE}", failures=failures) from err


_STANDING_ALONE = (
    "Note: these framework files declare an 'index' entry or a root aggregate (one without "
    "parent), so they define an index of their own and are not added to the shipped one. "
    "To add indicators or aggregates to the shipped index, leave 'index' out and name "
    "shipped aggregates as parents; to define your own index, give it a root aggregate."
)


def _is_root(aggregate: object) -> bool:
    return isinstance(aggregate, dict) and aggregate.get("parent") is None


def read_corrections(*paths: PathLike, framework: Framework) -> pd.DataFrame:
    """Validated long rows of correction files (an indicator need not be covered).

    Raises
    ------
    DataValidationError
        Listing every failing row with its file, row and column.
    """
    combined, label = read_tables(*paths)
    typed = validate_long(combined, framework, file=label, require_coverage=False)
    return typed.reset_index(drop=True)


def apply_corrections(
    framework: Framework, data: IndicatorData, paths: Sequence[PathLike]
) -> IndicatorData:
    """``data`` with the rows of the correction files in ``paths`` replacing (or adding)
    the values of the same country, year and indicator; the changes are listed in
    ``corrections``."""
    if not paths:
        return data
    rows = read_corrections(*paths, framework=framework)
    return with_corrections(data, rows[data.long.columns.intersection(rows.columns)])
