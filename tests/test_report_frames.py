"""Charts drawn into a frame laid out once are the charts drawn in full.

:mod:`readiness_index.report.frames` lays a chart's frame out once and draws only
each chart's marks into it. The SVG must say what the full drawing says: the same
elements with the same coordinates, styles and text, in the same order. Only the
element ids differ (the frame's parts are kept apart from the marks), and a legend
drawn once carries its own copy of a marker's definition; both are normalised away.
Every country of the shipped index is checked, and the cases where the layout of a
chart differs from its frame's (a number beyond the axis, a missing row, a taller
legend, an edition without values) must still give the full drawing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import pytest

from readiness_index.report import charts
from readiness_index.report.frames import Frames
from readiness_index.report.svg import ChartText

_DEFS = re.compile(r"<defs>.*?</defs>", re.S)
_IDS = re.compile(r'id="[^"]*"|#[\w-]+')

PILLARS = ["Compute infrastructure", "Skills and talent", "Research", "Adoption"]
YEARS = [2021, 2022, 2023, 2024, 2025]


def _normalised(svg: str) -> tuple[list[str], set[str]]:
    """The SVG's lines without ids and comments, and the set of its definitions."""
    definitions = {" ".join(_IDS.sub("#", block).split()) for block in _DEFS.findall(svg)}
    rest = re.sub(r"<!--.*?-->", "", _IDS.sub("#", _DEFS.sub("", svg)))
    return [line.strip() for line in rest.splitlines() if line.strip()], definitions


def _same(draw: Callable[..., str], calls: list[dict[str, Any]]) -> None:
    frames = Frames()
    for number, call in enumerate(calls):
        full = draw(**call)
        framed = draw(**call, frames=frames)
        assert _normalised(framed) == _normalised(full), f"chart {number}: {call}"


def _profile(country: list[float], name: str = "Austria") -> dict[str, Any]:
    return {"labels": PILLARS, "country": country, "eu_average": [50.0, 40.0, 55.0, 45.0],
            "best": [90.0, 80.0, 70.0, 85.0], "legend": (name, "EU average", "Best performer"),
            "axis_label": "Score (0 to 100)", "text": ChartText("profile-chart", "P", "D"),
            "number_format": _format}  # fmt: skip


def _format(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.0f}"


def test_profiles_in_a_frame_equal_the_full_drawing() -> None:
    nan = math.nan
    _same(charts.pillar_profile, [
        _profile([40.0, 60.0, 10.0, 30.0]),
        _profile([41.0, 0.0, 72.5, 12.0], "Deutschland"),
        _profile([99.0, 60.0, 10.0, 30.0]),  # a number beyond the axis: drawn in full
        _profile([nan, 60.0, 10.0, 30.0]),  # a missing bar
        _profile([40.0, 60.0, 10.0, 30.0], "Österreich"),  # a taller legend: its own frame
        _profile([5.0, 6.0, 7.0, 8.0], "AT"),
    ])  # fmt: skip


def _trend(scores: Any) -> dict[str, Any]:
    return {"years": YEARS, "scores": scores, "axis_label": "Score",
            "text": ChartText("trend-chart", "T", "D"), "number_format": _format}  # fmt: skip


def test_trends_in_a_frame_equal_the_full_drawing() -> None:
    nan = math.nan
    lines = {"Index score": [40.0, 42.0, 45.0, 44.0, 50.0], **{p: [30.0, 35.0, 50.0, 20.0,
             10.0] for p in PILLARS}}  # fmt: skip
    _same(charts.trend, [
        _trend(lines),
        _trend({name: [v + 5 for v in values] for name, values in lines.items()}),
        _trend({name: [nan, *values[1:]] for name, values in lines.items()}),  # no first edition
        _trend([40.0, 42.0, 45.0, 44.0, 50.0]),
        _trend([40.0, 42.0, 45.0, 44.0, 99.5]),  # a number above the axis: drawn in full
        _trend([20.0, nan, 45.0, 44.0, 50.0]),
    ])  # fmt: skip


@pytest.fixture(scope="module")
def shipped_calls() -> list[tuple[Callable[..., str], dict[str, Any]]]:
    """Every profile and trend the shipped site draws, recorded with their arguments."""
    from readiness_index import build, load_framework
    from readiness_index.report import pages
    from readiness_index.report.i18n import template_folders
    from readiness_index.report.state import Site

    framework, result = load_framework(), build()
    state = Site(result, 2025, ("en", "de"), None, None, framework, template_folders(None))
    calls: list[tuple[Callable[..., str], dict[str, Any]]] = []
    with pytest.MonkeyPatch.context() as patch:
        positional = {"pillar_profile": ("labels", "country", "eu_average", "best"),
                      "trend": ("years", "scores")}  # fmt: skip
        for name, names in positional.items():
            draw = getattr(charts, name)

            def record(
                *args: Any, _draw: Callable[..., str] = draw, _names: Any = names, **kwargs: Any
            ) -> str:
                kwargs.pop("frames", None)
                calls.append((_draw, dict(zip(_names, args, strict=False), **kwargs)))
                return "<svg></svg>"

            patch.setattr(charts, name, record)
        for country in state.countries:
            pages.country_contexts(state, country)
    return calls


def test_every_shipped_countrys_charts_in_a_frame_equal_the_full_drawing(
    shipped_calls: list[tuple[Callable[..., str], dict[str, Any]]],
) -> None:
    assert len(shipped_calls) >= 2 * 27
    frames = Frames()
    for draw, call in shipped_calls:
        assert _normalised(draw(**call, frames=frames)) == _normalised(draw(**call))
    assert 0 < len(frames._frames) <= 6  # a few frames serve every country
