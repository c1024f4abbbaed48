"""readiness-index: transparent, reproducible composite indicators.

Build an index from a framework, data and a methodology, with COINr's methods;
``build()`` with no argument is the shipped European AI Readiness Index, exactly as
``readiness-index build`` prints it. Every function that takes a framework, data and a
methodology takes them in that order::

    >>> import readiness_index as ri
    >>> "build" in ri.__all__ and "read_coinr" in ri.__all__
    True

Importing the package reads no file, configures no logging and imports neither
pandas nor pydantic: each name of the public API is loaded from its module on first
use, so that ``readiness-index --help`` answers at once.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from readiness_index.analysis.assumptions import Assumptions
    from readiness_index.analysis.audit import audit
    from readiness_index.analysis.scenarios import compare, leave_one_out, optimise_weights
    from readiness_index.analysis.sensitivity import sensitivity
    from readiness_index.analysis.targets import distance_to_target
    from readiness_index.analysis.uncertainty import uncertainty
    from readiness_index.api import build
    from readiness_index.engine.editions import edition_data
    from readiness_index.engine.results import IndexResult
    from readiness_index.io.coinr import read_coinr
    from readiness_index.io.datastore import add_data
    from readiness_index.io.files import (
        export_result,
        load_framework,
        load_methodology,
        read_data,
    )
    from readiness_index.io.loaders import load_file
    from readiness_index.model.data import IndicatorData, prepare_data
    from readiness_index.model.framework import Framework
    from readiness_index.model.methodology import Methodology
    from readiness_index.report import plot
    from readiness_index.report.site import render_reports
    from readiness_index.steps.aggregate import register_aggregation
    from readiness_index.steps.impute import register_imputation
    from readiness_index.steps.normalise import register_normalisation
    from readiness_index.steps.treat import register_treatment

__all__ = [
    "Assumptions",
    "Framework",
    "IndexResult",
    "IndicatorData",
    "Methodology",
    "add_data",
    "audit",
    "build",
    "compare",
    "distance_to_target",
    "edition_data",
    "export_result",
    "leave_one_out",
    "load_file",
    "load_framework",
    "load_methodology",
    "optimise_weights",
    "plot",
    "prepare_data",
    "read_coinr",
    "read_data",
    "register_aggregation",
    "register_imputation",
    "register_normalisation",
    "register_treatment",
    "render_reports",
    "sensitivity",
    "uncertainty",
]

#: The module that defines each public name.
_HOMES = {
    "Assumptions": "readiness_index.analysis.assumptions",
    "Framework": "readiness_index.model.framework",
    "IndexResult": "readiness_index.engine.results",
    "IndicatorData": "readiness_index.model.data",
    "Methodology": "readiness_index.model.methodology",
    "add_data": "readiness_index.io.datastore",
    "audit": "readiness_index.analysis.audit",
    "build": "readiness_index.api",
    "compare": "readiness_index.analysis.scenarios",
    "distance_to_target": "readiness_index.analysis.targets",
    "edition_data": "readiness_index.engine.editions",
    "export_result": "readiness_index.io.files",
    "load_file": "readiness_index.io.loaders",
    "load_framework": "readiness_index.io.files",
    "leave_one_out": "readiness_index.analysis.scenarios",
    "load_methodology": "readiness_index.io.files",
    "optimise_weights": "readiness_index.analysis.scenarios",
    "plot": "readiness_index.report",
    "prepare_data": "readiness_index.model.data",
    "read_coinr": "readiness_index.io.coinr",
    "read_data": "readiness_index.io.files",
    "register_aggregation": "readiness_index.steps.aggregate",
    "register_imputation": "readiness_index.steps.impute",
    "register_normalisation": "readiness_index.steps.normalise",
    "register_treatment": "readiness_index.steps.treat",
    "render_reports": "readiness_index.report.site",
    "sensitivity": "readiness_index.analysis.sensitivity",
    "uncertainty": "readiness_index.analysis.uncertainty",
}


def __getattr__(name: str) -> Any:
    """Load a name of the public API from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'readiness_index' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public API, as listed in ``__all__``."""
    return sorted(__all__)
