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

from readiness_index.analysis.targets import distance_to_target
from readiness_index.api import build
from readiness_index.engine.editions import edition_data
from readiness_index.engine.results import IndexResult
from readiness_index.io.coinr import read_coinr
from readiness_index.io.files import export_result, load_framework, load_methodology, read_data
from readiness_index.model.data import IndicatorData, prepare_data
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import Methodology

if TYPE_CHECKING:
    from readiness_index.analysis.assumptions import Assumptions
    from readiness_index.analysis.audit import audit
    from readiness_index.analysis.sensitivity import sensitivity
    from readiness_index.analysis.uncertainty import uncertainty
    from readiness_index.io.datastore import add_data
    from readiness_index.io.loaders import load_file
    from readiness_index.report.site import render_reports

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
    "Assumptions": "readiness_index.analysis.assumptions",
    "add_data": "readiness_index.io.datastore",
    "audit": "readiness_index.analysis.audit",
    "load_file": "readiness_index.io.loaders",
    "render_reports": "readiness_index.report.site",
    "sensitivity": "readiness_index.analysis.sensitivity",
    "uncertainty": "readiness_index.analysis.uncertainty",
}


def __getattr__(name: str) -> Any:
    """Load the heavier parts of the public API on first use."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'readiness_index' has no attribute {name!r}")
