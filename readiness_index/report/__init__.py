"""The report site: views picked out of a result, translations, charts and templates."""

from __future__ import annotations

import importlib
from typing import Any


def __getattr__(name: str) -> Any:
    """``report.plot`` (the plots from Python, ``ri.plot``) is loaded on first use."""
    if name == "plot":
        return importlib.import_module("readiness_index.report.plot")
    raise AttributeError(f"module 'readiness_index.report' has no attribute {name!r}")
