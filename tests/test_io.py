"""File writing: atomic, never deleting what it did not write, with ordinary permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from readiness_index.errors import DataFileError
from readiness_index.io.files import FOLDER_MARKER, atomic_directory, atomic_file


def test_atomic_file_appears_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with pytest.raises(RuntimeError), atomic_file(target) as handle:
        handle.write("half")
        raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []
    with atomic_file(target) as handle:
        handle.write("whole")
    assert target.read_text() == "whole"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()


def test_atomic_directory_replaces_its_own_output_only(tmp_path: Path) -> None:
    site = tmp_path / "site"
    with atomic_directory(site) as folder:
        (folder / "index.html").write_text("one")
    assert (site / FOLDER_MARKER).exists()
    assert stat.S_IMODE(site.stat().st_mode) == 0o777 & ~_umask()
    with atomic_directory(site) as folder:
        (folder / "index.html").write_text("two")
    assert (site / "index.html").read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # nothing left behind


def test_atomic_directory_refuses_a_folder_of_other_files(tmp_path: Path) -> None:
    mine = tmp_path / "my-documents"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(DataFileError, match="did not write"), atomic_directory(mine) as folder:
        (folder / "index.html").write_text("x")
    assert (mine / "notes.txt").read_text() == "keep me"


def test_atomic_directory_failure_keeps_the_previous_content(tmp_path: Path) -> None:
    site = tmp_path / "site"
    with atomic_directory(site) as folder:
        (folder / "index.html").write_text("published")
    with pytest.raises(ValueError), atomic_directory(site) as folder:
        (folder / "index.html").write_text("broken")
        raise ValueError("a page failed")
    assert (site / "index.html").read_text() == "published"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
