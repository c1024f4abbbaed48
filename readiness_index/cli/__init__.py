"""The ``readiness-index`` command line: parses, calls the library, prints."""

from readiness_index.cli.main import main

__all__ = ["main"]
