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
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from readiness_index.engine import pipeline
from readiness_index.engine.results import IndexResult
from readiness_index.io.files import METHODOLOGY_FILE, load_framework, load_methodology, read_data
from readiness_index.model.data import IndicatorData, check_inputs
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import Methodology

__all__ = ["FrameworkLike", "MethodologyLike", "build", "resolve_inputs"]

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

    Returns
    -------
    IndexResult
        Exactly what ``readiness-index build`` prints and exports.

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
    fw, values, chosen = resolve_inputs(framework, data, methodology)
    return pipeline.build(fw, values, chosen, year=year)


def resolve_inputs(
    framework: FrameworkLike = None,
    data: DataLike = None,
    methodology: MethodologyLike = None,
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
    fw = _framework(framework)
    values = _data(data, fw)
    return fw, values, _methodology(methodology, framework)


def _paths(given: PathLike | Sequence[PathLike]) -> list[PathLike]:
    if isinstance(given, str | os.PathLike):
        return [given]
    if isinstance(given, Sequence):
        return list(given)
    raise TypeError(f"expected a path or a sequence of paths; found {type(given).__name__}")


def _framework(framework: FrameworkLike) -> Framework:
    if isinstance(framework, Framework):
        return framework
    if framework is None:
        return load_framework()
    return load_framework(*_paths(framework))


def _data(data: DataLike, fw: Framework) -> IndicatorData:
    if isinstance(data, IndicatorData):
        return data
    if data is None:
        return read_data(framework=fw)
    if not isinstance(data, str | os.PathLike | Sequence) or isinstance(data, bytes):
        raise TypeError(
            "data must be IndicatorData (turn a DataFrame into one with "
            f"readiness_index.prepare_data) or data file paths; found {type(data).__name__}"
        )
    return read_data(*_paths(data), framework=fw)


def _methodology(methodology: MethodologyLike, framework: FrameworkLike) -> Methodology:
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
    return Methodology()
