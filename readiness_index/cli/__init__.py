"""The ``readiness-index`` command line: parses, calls the library, prints."""

from readiness_index.cli.main import main
from readiness_index.cli.run import run

__all__ = ["main", "run"]
