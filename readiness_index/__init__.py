"""readiness-index: transparent, reproducible composite indicators.

Import it as a library::

    >>> import readiness_index as ri
    >>> sorted(ri.__all__)[:3]
    ['IndexResult', 'IndicatorData', 'Methodology']
"""

from readiness_index.data import IndicatorData, prepare_data
from readiness_index.definitions import Framework
from readiness_index.io import load_framework, read_data
from readiness_index.methodology import Methodology

__all__ = [
    "Framework",
    "IndexResult",
    "IndicatorData",
    "Methodology",
    "load_framework",
    "prepare_data",
    "read_data",
]
