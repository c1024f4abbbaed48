"""The ``readiness-index`` program as a process: exit statuses and output survive the
quick exit of ``build``, ``explain`` and help pages (:mod:`readiness_index.cli.run`)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _program(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "readiness_index", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    ("args", "status", "says"),
    [
        (["--help"], 0, "Usage: readiness-index"),
        (["build", "--help"], 0, "Build the index and print the ranking."),
        (["build"], 0, "ranking for 2025"),
        (["build", "--year", "1800"], 1, "No edition 1800"),
        (["nonsense"], 2, "No such command 'nonsense'"),
        (["--version"], 0, "version"),
    ],
)
def test_status_and_output(args: list[str], status: int, says: str) -> None:
    done = _program(*args)
    assert done.returncode == status, done.stderr
    assert says in done.stdout + done.stderr
