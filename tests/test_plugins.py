"""Methods of installed packages: discovered through entry points, usable from the CLI.

A package declares, under the entry-point group ``readiness_index.methods``, the module
whose import registers its methods. The tests install such a package into a temporary
folder (a module and its ``.dist-info`` with ``entry_points.txt``), put the folder on the
path, and name its method in a methodology file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import readiness_index.model.registry as registry_module
from readiness_index.errors import MethodologyError
from readiness_index.model.methodology import Methodology

METHODS = '''\
"""A package's own normalisation."""
import numpy as np

from readiness_index.steps.normalise import register_normalisation


@register_normalisation("plugin_share_of_best")
def share_of_best(x, scale=100.0):
    """Share of the best value: ``x / max(x) * scale``."""
    return x / np.nanmax(x) * scale
'''


def _install(site: Path, module: str, source: str, value: str | None = None) -> None:
    """A minimal installed distribution ``plugin-demo`` declaring ``module``."""
    (site / f"{module}.py").write_text(source)
    info = site / "plugin_demo-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: plugin-demo\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[readiness_index.methods]\ndemo = {value or module}\n")


@pytest.fixture
def fresh_plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Plugins load again in this test (they load once per process)."""
    monkeypatch.setattr(registry_module, "_PLUGINS", [])
    yield


@pytest.mark.usefixtures("fresh_plugins")
def test_an_installed_packages_method_is_found_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install(tmp_path, "plugin_demo_methods", METHODS)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "plugin_demo_methods", raising=False)
    m = Methodology.from_mapping({"normalise": {"method": "plugin_share_of_best"}})
    assert m.normalise.method == "plugin_share_of_best"
    assert "normalise.plugin_share_of_best" in m.user_methods()
    assert registry_module._PLUGINS == ["loaded", "plugin_demo_methods"]


@pytest.mark.usefixtures("fresh_plugins")
def test_a_package_whose_methods_fail_to_load_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install(tmp_path, "plugin_demo_broken", "raise RuntimeError('no licence key')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(MethodologyError) as caught:
        Methodology.from_mapping({"normalise": {"method": "not_a_method_anywhere"}})
    message = str(caught.value)
    assert "plugin-demo" in message and "plugin_demo_broken" in message
    assert "RuntimeError: no licence key" in message


@pytest.mark.usefixtures("fresh_plugins")
def test_without_plugins_an_unknown_name_is_still_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))  # an empty folder: no distribution
    with pytest.raises(MethodologyError, match="did you mean 'minmax'"):
        Methodology.from_mapping({"normalise": {"method": "minmaxx"}})


def test_the_command_line_builds_with_an_installed_packages_method(tmp_path: Path) -> None:
    """A fresh process, as a user types it: the package is installed, the methodology
    names its method, ``build`` uses it."""
    site = tmp_path / "site"
    site.mkdir()
    _install(site, "plugin_demo_methods", METHODS)
    methodology = tmp_path / "methodology.yaml"
    methodology.write_text(
        "editions: {count: 1}\nnormalise:\n  method: plugin_share_of_best\n  options: {scale: 10}\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path])}
    command = [sys.executable, "-m", "readiness_index", "build", "--methodology", str(methodology)]
    run = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert run.returncode == 0, run.stderr
    without = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        check=False,
    )
    assert without.returncode == 1
    assert "plugin_share_of_best" in without.stderr + without.stdout
    assert "Traceback" not in without.stderr
