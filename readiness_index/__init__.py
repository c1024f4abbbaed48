"""readiness-index: transparent, reproducible composite indicators.

Build an index from a framework, data and a methodology, with COINr's methods::

    >>> import readiness_index as ri
    >>> "build" in ri.__all__ and "read_coinr" in ri.__all__
    True

Importing the package reads no file and configures no logging.
"""

from readiness_index.coinr import read_coinr
from readiness_index.data import IndicatorData, prepare_data
from readiness_index.definitions import Framework
from readiness_index.io import load_framework, read_data
from readiness_index.methodology import Methodology
from readiness_index.pipeline import build
from readiness_index.results import IndexResult

__all__ = [
    "Framework",
    "IndexResult",
    "IndicatorData",
    "Methodology",
    "build",
    "load_framework",
    "prepare_data",
    "read_coinr",
    "read_data",
]
