"""The index in one call: :func:`build` with no argument is the shipped index.

``readiness-index build`` and :func:`build` share this module, so the command line and
the library give the same index: the same framework, data, methodology (with its
yearly editions) and the same result.

Inputs may be given as objects or as files:

- ``framework``: a :class:`~readiness_index.model.framework.Framework`, or YAML files
  or folders; ``None`` is the shipped European AI Readiness Index.
- ``data``: :class:`~readiness_index.model.data.IndicatorData`, or data files or
  folders; ``None`` is the shipped data.
- ``methodology``: a :class:`~readiness_index.model.methodology.Methodology`, a
  mapping or a YAML file; ``None`` is the framework's own methodology (the shipped
  ``methodology.yaml``, or the ``methodology.yaml`` beside a framework given as files)
  and COINr's defaults for a framework given as an object.

Files given add to the shipped index (:mod:`readiness_index.io.layers`): framework
files that only add indicators or aggregates under its pillars are joined to the
shipped framework, and data files to the shipped data. Framework files that declare an
index of their own (a root aggregate or an ``index`` entry), or ``only=True``, are used
alone, with only the data given. ``corrections`` replace values of the same country,
year and indicator, and are listed in the replay record.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from readiness_index.engine import pipeline
from readiness_index.engine.results import IndexResult
from readiness_index.errors import IndicatorDroppedWarning
from readiness_index.io.files import (
    METHODOLOGY_FILE,
    bundled_path,
    load_framework,
    load_methodology,
    read_data,
)
from readiness_index.io.layers import apply_corrections, declares_index, load_own_index
from readiness_index.model.data import IndicatorData, check_inputs
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import Methodology

__all__ = [
    "FrameworkLike",
    "MethodologyLike",
    "build",
    "resolve_framework",
    "resolve_inputs",
    "warn_dropped",
]

PathLike = str | os.PathLike[str]
FrameworkLike = Framework | PathLike | Sequence[PathLike] | None
DataLike = IndicatorData | PathLike | Sequence[PathLike] | None
MethodologyLike = Methodology | Mapping[str, Any] | PathLike | None


def build(
    framework: FrameworkLike = None,
    data: DataLike = None,
    methodology: MethodologyLike = None,
    *,
    year: int | None = None,
    corrections: PathLike | Sequence[PathLike] | None = None,
    only: bool = False,
) -> IndexResult:
    """Build an index; with no argument, the shipped European AI Readiness Index.

    Parameters
    ----------
    framework : Framework, path or sequence of paths, optional
        The definitions (default: the shipped index).
    data : IndicatorData, path or sequence of paths, optional
        The data (default: the shipped data).
    methodology : Methodology, mapping or path, optional
        The choices per step (default: the framework's own methodology, see the
        module docstring).
    year : int, optional
        The last edition to build, for a methodology with yearly editions.
    corrections : path or sequence of paths, optional
        Data files whose rows replace the values of the same country, year and
        indicator (listed in ``result.record()["corrections"]``).
    only : bool, default False
        Use the framework and data files given alone, not on top of the shipped index.

    Returns
    -------
    IndexResult
        Exactly what ``readiness-index build`` prints and exports.

    Warns
    -----
    IndicatorDroppedWarning
        For each indicator without any normalised value, saying why.

    Raises
    ------
    ReadinessIndexError
        Any of its subclasses, naming what is wrong in which file.
    TypeError
        If an argument is of the wrong kind (a DataFrame for ``data``, say).

    Examples
    --------
    >>> import readiness_index as ri
    >>> result = ri.build()
    >>> result.years
    [2021, 2022, 2023, 2024, 2025]
    >>> len(result.ranking(2025))
    27
    """
    fw, values, chosen = resolve_inputs(
        framework, data, methodology, corrections=corrections, only=only
    )
    result = pipeline.build(fw, values, chosen, year=year)
    warn_dropped(result)
    return result


def warn_dropped(result: IndexResult) -> None:
    """Warn (:class:`~readiness_index.errors.IndicatorDroppedWarning`) for every indicator
    that has data but no normalised value in any unit and year of ``result`` (every value
    lost at a step, e.g. its denominator has no data), saying why.

    An indicator without data in the years built (a back-series edition before its first
    data year) is not warned about: it was never part of those editions.
    """
    normalised = result.datasets["normalised"]
    raw = result.datasets["raw"].reindex(columns=normalised.columns)
    lost = np.isnan(normalised.to_numpy(dtype="float64")).all(axis=0) & ~np.isnan(
        raw.to_numpy(dtype="float64")
    ).all(axis=0)
    for code in normalised.columns[lost]:
        warnings.warn(IndicatorDroppedWarning(_why_dropped(result, str(code))), stacklevel=3)


def _why_dropped(result: IndexResult, code: str) -> str:
    lead = (
        f"Indicator {code!r} has data but no score in any unit or year, so it takes no "
        "part in the index"
    )
    notes = result.notes[result.notes["indicator"] == code]
    if not notes.empty:
        first = notes.iloc[0]
        return f"{lead}: every value was lost at the {first['step']} step ({first['note']})."
    return f"{lead}: every value was lost before normalisation."


def resolve_inputs(
    framework: FrameworkLike = None,
    data: DataLike = None,
    methodology: MethodologyLike = None,
    *,
    corrections: PathLike | Sequence[PathLike] | None = None,
    only: bool = False,
) -> tuple[Framework, IndicatorData, Methodology]:
    """The framework, data and methodology that :func:`build` uses for these arguments.

    Examples
    --------
    >>> fw, data, methodology = resolve_inputs()
    >>> methodology.editions.count
    5
    """
    if isinstance(framework, IndicatorData) or isinstance(data, Framework):
        check_inputs(framework, data, "build")
    alone = only or _own_index(framework)
    fw = _framework(framework, alone)
    values = _data(data, fw, alone)
    if corrections is not None:
        values = apply_corrections(fw, values, _paths(corrections))
    return fw, values, _methodology(methodology, framework, alone)


def resolve_framework(framework: FrameworkLike = None, *, only: bool = False) -> Framework:
    """The framework :func:`build` uses: the shipped one, the files given on top of it,
    or the files alone (``only``, or files declaring their own root).

    Examples
    --------
    >>> resolve_framework().code
    'eu_ai_readiness'
    """
    return _framework(framework, only or _own_index(framework))


def _own_index(framework: FrameworkLike) -> bool:
    """Whether the framework given stands alone (an object, or files declaring a root)."""
    if framework is None:
        return False
    if isinstance(framework, Framework):
        return True
    return declares_index(*_paths(framework))


def _paths(given: PathLike | Sequence[PathLike]) -> list[PathLike]:
    if isinstance(given, str | os.PathLike):
        return [given]
    if isinstance(given, Sequence):
        return list(given)
    raise TypeError(f"expected a path or a sequence of paths; found {type(given).__name__}")


def _framework(framework: FrameworkLike, alone: bool) -> Framework:
    if isinstance(framework, Framework):
        return framework
    if framework is None:
        return load_framework()
    if alone:
        return load_own_index(*_paths(framework))
    return load_framework(bundled_path("indicators"), *_paths(framework))


def _data(data: DataLike, fw: Framework, alone: bool) -> IndicatorData:
    if isinstance(data, IndicatorData):
        return data
    if data is None:
        return read_data(framework=fw)
    if not isinstance(data, str | os.PathLike | Sequence) or isinstance(data, bytes):
        raise TypeError(
            "data must be IndicatorData (turn a DataFrame into one with "
            f"readiness_index.prepare_data) or data file paths; found {type(data).__name__}"
        )
    if alone:
        return read_data(*_paths(data), framework=fw)
    return read_data(bundled_path("indicators") / "data", *_paths(data), framework=fw)


def _methodology(
    methodology: MethodologyLike, framework: FrameworkLike, alone: bool
) -> Methodology:
    if isinstance(methodology, Methodology):
        return methodology
    if isinstance(methodology, Mapping):
        return Methodology.from_mapping(methodology)
    if methodology is not None:
        return load_methodology(methodology)
    if framework is None:
        return load_methodology()
    if isinstance(framework, Framework):
        return Methodology()
    for given in map(Path, _paths(framework)):
        folder = given if given.is_dir() else given.parent
        candidate = folder / f"{METHODOLOGY_FILE}.yaml"
        if candidate.exists():
            return load_methodology(candidate)
    return Methodology() if alone else load_methodology()
