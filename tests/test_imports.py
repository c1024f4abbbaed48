"""Importing the package, and asking the command line for help, loads nothing heavy.

What ``import readiness_index`` and ``readiness-index --help`` load decides how fast the
command line answers; these tests name the modules that must stay out (the timings
themselves are in ``benchmarks/bench_cli.py``).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import readiness_index as ri

HEAVY = ("pandas", "pandera", "pydantic", "numpy", "matplotlib", "scipy", "SALib", "jinja2")


def _loaded_after(code: str) -> set[str]:
    """The top-level packages a fresh interpreter has loaded after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return {name.split(".")[0] for name in json.loads(out.splitlines()[-1])}


def test_bare_import_loads_no_heavy_package() -> None:
    loaded = _loaded_after("import readiness_index")
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["build"],
        ["explain"],
        ["report"],
        ["audit"],
        ["uncertainty"],
        ["sensitivity"],
        ["data"],
        ["data", "add"],
    ],
)
def test_help_loads_no_heavy_package(args: list[str]) -> None:
    code = (
        "import sys\nfrom readiness_index.cli import main\n"
        f"sys.argv = ['readiness-index', *{args!r}, '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    loaded = _loaded_after(code)
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_every_public_name_resolves() -> None:
    for name in ri.__all__:
        # a function or class by its name; a module (ri.plot) by the last part of its name
        assert getattr(ri, name).__name__.rsplit(".", 1)[-1] == name
    assert dir(ri) == sorted(ri.__all__)


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = ri.nothing  # type: ignore[attr-defined]
