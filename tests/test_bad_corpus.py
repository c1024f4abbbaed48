"""The bad-input corpus against the command line: each case ends in its clear error
(exit status 1 or a usage error, the expected words, no traceback, nothing written
outside its folder) or, for the valid ones, in a correct result (exit status 0, and the
words after ``ok: `` when the case names them)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from readiness_index.cli.main import main

CORPUS = Path(__file__).parent / "data" / "bad" / "corpus"
CASES: list[dict[str, Any]] = json.loads((CORPUS / "cases.json").read_text())


def run_case(entry: dict[str, Any], tmp_path: Path) -> tuple[int, str, BaseException | None]:
    """Run one case in a copy of its folder; return exit status, output and exception."""
    folder = tmp_path / "work" / entry["name"]
    source = CORPUS / entry["name"]
    if source.is_dir():
        shutil.copytree(source, folder)
    else:  # a case without files of its own (git keeps no empty folder)
        folder.mkdir(parents=True)
    base = tmp_path / "work" / "_base"
    shutil.copytree(CORPUS / "_base", base)
    args = [a.replace("{case}", str(folder)).replace("{base}", str(base)) for a in entry["args"]]
    run = CliRunner().invoke(main, args)
    exception = run.exception if not isinstance(run.exception, SystemExit) else None
    return run.exit_code, run.output, exception


@pytest.mark.parametrize("entry", CASES, ids=[c["name"] for c in CASES])
def test_case_ends_in_a_clear_error_or_a_correct_result(
    entry: dict[str, Any], tmp_path: Path
) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    code, output, exception = run_case(entry, tmp_path)
    assert exception is None, f"{type(exception).__name__}: {exception}"
    assert "Traceback" not in output and "Unexpected error" not in output, output
    assert len(output) < 100_000
    if entry["expect"] is None or entry["expect"].startswith("ok: "):
        assert code == 0, output
        assert (entry["expect"] or "").removeprefix("ok: ") in output
    else:
        assert code in (1, 2), output
        assert entry["expect"] in output, output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*before, "work"])
    names = {p.name for p in (tmp_path / "work").rglob("*")}
    assert not {"TRAVERSED", "escaped_indicator.csv", "X.csv"} & names


def test_the_corpus_is_wide() -> None:
    assert len(CASES) >= 200
