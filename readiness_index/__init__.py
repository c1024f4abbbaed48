"""readiness-index: transparent, reproducible composite indicators.

Build an index from a framework, data and a methodology, with COINr's methods::

    >>> import readiness_index as ri
    >>> "build" in ri.__all__ and "read_coinr" in ri.__all__
    True

Importing the package reads no file and configures no logging. The analyses and
the report renderer (which pull in SALib and matplotlib) are loaded on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from readiness_index.coinr import read_coinr
from readiness_index.data import IndicatorData, prepare_data
from readiness_index.definitions import Framework
from readiness_index.editions import edition_data
from readiness_index.io import export_result, load_framework, load_methodology, read_data
from readiness_index.methodology import Methodology
from readiness_index.pipeline import build
from readiness_index.results import IndexResult
from readiness_index.targets import distance_to_target

if TYPE_CHECKING:
    from readiness_index.assumptions import Assumptions
    from readiness_index.audit import audit
    from readiness_index.datastore import add_data
    from readiness_index.loaders import load_file
    from readiness_index.report import render_reports
    from readiness_index.sensitivity import sensitivity
    from readiness_index.uncertainty import uncertainty

__all__ = [
    "Assumptions",
    "Framework",
    "IndexResult",
    "IndicatorData",
    "Methodology",
    "add_data",
    "audit",
    "build",
    "distance_to_target",
    "edition_data",
    "export_result",
    "load_file",
    "load_framework",
    "load_methodology",
    "prepare_data",
    "read_coinr",
    "read_data",
    "render_reports",
    "sensitivity",
    "uncertainty",
]

_LAZY = {
    "Assumptions": "readiness_index.assumptions",
    "add_data": "readiness_index.datastore",
    "audit": "readiness_index.audit",
    "load_file": "readiness_index.loaders",
    "render_reports": "readiness_index.report",
    "sensitivity": "readiness_index.sensitivity",
    "uncertainty": "readiness_index.uncertainty",
}


def __getattr__(name: str) -> Any:
    """Load the heavier parts of the public API on first use."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'readiness_index' has no attribute {name!r}")
