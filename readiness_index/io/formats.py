"""The names of the file formats :mod:`readiness_index.io.loaders` reads.

Kept apart from the loaders so that the command line can offer them as choices
without importing pandas.
"""

from __future__ import annotations

__all__ = ["FORMATS"]

#: The formats publishers serve, as ``--format`` accepts them.
FORMATS = ("eurostat_sdmx_csv", "eurostat_tsv", "worldbank_csv", "long")
