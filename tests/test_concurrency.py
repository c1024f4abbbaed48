"""Concurrent writers: processes replacing the same folder never fail or leave copies."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

from readiness_index.io.files import FOLDER_MARKER, atomic_directory

WRITERS = 4
ROUNDS = 6
FILES = ("index.html", "AT-2025.html", "BE-2025.html", "assets.css")


def _replace_many(target: str) -> str:
    """Replace ``target`` ROUNDS times; return '' or the error it met."""
    try:
        for round_ in range(ROUNDS):
            with atomic_directory(target) as folder:
                for name in FILES:
                    (folder / name).write_text(f"{os.getpid()}-{round_}")
    except Exception as err:  # the test reports whatever a writer met
        return f"{type(err).__name__}: {err}"
    return ""


def test_processes_replacing_one_site_never_fail_or_leave_copies(tmp_path: Path) -> None:
    target = tmp_path / "site"
    context = multiprocessing.get_context("spawn")
    with context.Pool(WRITERS) as pool:
        errors = pool.map(_replace_many, [str(target)] * WRITERS)
    assert errors == [""] * WRITERS
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no hidden copies left
    names = sorted(p.name for p in target.iterdir())
    assert names == sorted([*FILES, FOLDER_MARKER])
    contents = {(target / name).read_text() for name in FILES}
    assert len(contents) == 1  # every file from the same, complete, writer
