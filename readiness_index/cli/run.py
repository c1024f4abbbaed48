"""The ``readiness-index`` program: the command line, ended without interpreter teardown.

Freeing every module and object of pandas, NumPy and Arrow at exit costs about a
fifth of a second. The program has nothing to tidy up after ``build``, ``explain`` or
a help page (output is flushed, files are closed by then), so it ends those at once;
every other command, which may have started worker processes, ends normally.
"""

from __future__ import annotations

import contextlib
import os
import sys

from readiness_index.cli.main import main

__all__ = ["run"]

#: Commands that start no process and leave nothing open when they return.
_QUICK = frozenset({None, "build", "explain"})


def run(args: list[str] | None = None) -> None:
    """Run the command line on ``args`` (default: the program's arguments)."""
    args = sys.argv[1:] if args is None else args
    try:
        main.main(args=args, prog_name="readiness-index")
    except SystemExit as end:
        if _command(args) not in _QUICK and "--help" not in args:
            raise
        status = _status(end.code)
        for stream in (sys.stdout, sys.stderr):
            # a reader that stopped early (| head) has nothing more to read
            with contextlib.suppress(OSError):
                stream.flush()
        os._exit(status)


def _command(args: list[str]) -> str | None:
    """The command named by ``args`` (``None`` for the group's own options)."""
    return next((arg for arg in args if not arg.startswith("-")), None)


def _status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
