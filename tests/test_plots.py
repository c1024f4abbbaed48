"""Plots from Python and how results show themselves (repr, notebook HTML)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from matplotlib.figure import Figure

import readiness_index as ri
from readiness_index.engine.results import IndexResult
from tests.conftest import small_framework, small_rows


@pytest.fixture(scope="module")
def result() -> IndexResult:
    return ri.build()


@pytest.mark.parametrize(
    ("kind", "kwargs"),
    [
        ("bar", {}),
        ("bar", {"code": "compute", "stack": True}),
        ("dot", {"country": "DE"}),
        ("scatter", {"x": "compute", "y": "energy"}),
        ("correlation", {"codes": "skills", "method": "spearman"}),
        ("distribution", {}),
        ("framework", {}),
    ],
)
def test_every_result_plot_returns_a_figure(
    result: IndexResult, kind: str, kwargs: dict[str, object]
) -> None:
    figure = getattr(result.plot, kind)(**kwargs)
    assert isinstance(figure, Figure) and figure.axes


def test_stacked_bars_add_up_to_the_score(result: IndexResult) -> None:
    figure = result.plot.bar(stack=True, year=2025)
    widths: dict[float, float] = {}
    for patch in figure.axes[0].patches:
        widths[round(patch.get_y(), 6)] = widths.get(round(patch.get_y(), 6), 0) + patch.get_width()
    top = result.ranking(2025)["score"].iloc[0]
    assert max(widths.values()) == pytest.approx(top)


def test_the_same_plot_from_the_package(result: IndexResult) -> None:
    assert isinstance(ri.plot.bar(result), Figure)
    with pytest.raises(AttributeError, match="its plots: \\['bar'"):
        result.plot.sunburst()


def test_a_plot_works_in_a_plain_python_session() -> None:
    code = (
        "import readiness_index as ri; r = ri.build(); f = r.plot.bar(); "
        "import matplotlib; print(type(f).__name__, matplotlib.get_backend().lower())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"MPLBACKEND": "Agg", "PATH": ""},
    )
    assert out.stdout.split() == ["Figure", "agg"]


def test_repr_is_short_and_html_has_the_table(result: IndexResult) -> None:
    text = repr(result)
    assert text.startswith("<IndexResult: European AI Readiness Index, 2021-2025>")
    assert len(text) < 600
    html = result._repr_html_()
    assert "<table" in html and "Finland" in html


def test_analysis_results_show_and_plot(result: IndexResult) -> None:
    audit = ri.audit(result)
    assert repr(audit).startswith("<AuditResult: statistical audit of 2025>")
    assert isinstance(audit.plot.weights(), Figure)
    assert isinstance(audit.plot.correlation(), Figure)
    assumptions = {"impute": [{"method": "mean"}, {"method": "median"}]}
    unc = ri.uncertainty(result.framework, result.source, result.methodology, assumptions, n=20)
    assert len(repr(unc)) < 600 and "<table" in unc._repr_html_()
    assert isinstance(unc.plot.rank_intervals(), Figure)
    assert isinstance(unc.plot.distribution(["DE", "FR"]), Figure)
    sens = ri.sensitivity(result.framework, result.source, result.methodology, assumptions, n=16)
    assert "converged" in repr(sens)
    assert isinstance(sens.plot.sobol(), Figure)


def test_a_small_index_plots_its_framework() -> None:
    fw = small_framework()
    figure = ri.build(fw, ri.prepare_data(small_rows(), fw)).plot.framework()
    labels = {t.get_text() for t in figure.axes[0].texts}
    assert set(fw.nodes) <= labels
