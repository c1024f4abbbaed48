"""How results show themselves: a short ``repr``, a notebook summary and ``.plot``.

:class:`Displayed` is mixed into :class:`~readiness_index.engine.results.IndexResult`
and the analysis results. Each says what it is in a few lines (``_summary``); the
mixin turns that into ``__repr__`` and ``_repr_html_`` (the summary and a short
table, which notebooks show instead of the dataclass's every field).

``result.plot`` is a :class:`PlotAccessor`: ``result.plot.bar()`` draws with the
chart code of the reports and returns a :class:`matplotlib.figure.Figure`. The plots
live above this layer (in :data:`PLOT_BACKEND`), so the accessor loads them by name on
first use, as pandas loads its plotting backend; building a result never imports
matplotlib.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html import escape
from typing import Any

import pandas as pd

__all__ = ["PLOT_BACKEND", "Displayed", "PlotAccessor", "Summary"]

#: The module holding the plots (a ``plots_for(obj)`` function returning the plots of
#: one result by name).
PLOT_BACKEND = "readiness_index.report.plot"


@dataclass(frozen=True)
class Summary:
    """What a result says about itself: a title, a few lines and an optional table."""

    title: str
    lines: tuple[str, ...] = ()
    table: pd.DataFrame | None = None


class PlotAccessor:
    """The plots of one result: ``result.plot.bar(...)``, ``result.plot.kinds``.

    Every plot returns a :class:`matplotlib.figure.Figure`.
    """

    def __init__(self, owner: object) -> None:
        self._owner = owner

    def _plots(self) -> dict[str, Callable[..., Any]]:
        backend = importlib.import_module(PLOT_BACKEND)
        plots: dict[str, Callable[..., Any]] = backend.plots_for(self._owner)
        return plots

    @property
    def kinds(self) -> list[str]:
        """The names of the plots this result offers."""
        return sorted(self._plots())

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        plots = self._plots()
        if name not in plots:
            raise AttributeError(
                f"{type(self._owner).__name__} has no plot {name!r}; its plots: {sorted(plots)}"
            )
        return partial(plots[name], self._owner)

    def __dir__(self) -> list[str]:
        return [*self.kinds, "kinds"]

    def __repr__(self) -> str:
        return f"<plots of {type(self._owner).__name__}: {', '.join(self.kinds)}>"


class Displayed:
    """Mixin: a short ``repr``, an HTML summary for notebooks and the ``plot`` accessor."""

    def _summary(self) -> Summary:
        raise NotImplementedError

    @property
    def plot(self) -> PlotAccessor:
        """The plots of this result (see :mod:`readiness_index.report.plot`)."""
        return PlotAccessor(self)

    def __repr__(self) -> str:
        summary = self._summary()
        lines = [f"<{type(self).__name__}: {summary.title}>", *(f"  {x}" for x in summary.lines)]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        summary = self._summary()
        items = "".join(f"<li>{escape(line)}</li>" for line in summary.lines)
        table = "" if summary.table is None else summary.table.to_html(max_rows=10, index=False)
        return (
            f"<div><p><strong>{escape(type(self).__name__)}</strong>: "
            f"{escape(summary.title)}</p><ul>{items}</ul>{table}</div>"
        )
