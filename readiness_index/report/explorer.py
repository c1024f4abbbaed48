"""What the weights explorer and the comparison page embed: values picked out of a result.

The explorer recomputes scores in the reader's browser (``reports/static/explorer.js``)
from the normalised indicator values of the edition, with the framework's tree,
the nominal weights and the methodology's aggregation rules (method, ``p`` and
``min_coverage`` per level), which this module writes out as plain JSON. Nothing is
computed here: every number is taken from the :class:`IndexResult` as built.

Examples
--------
>>> import pandas as pd
>>> from readiness_index import build, prepare_data
>>> from readiness_index.model.framework import Aggregate, Framework, Indicator
>>> fw = Framework(aggregates=(Aggregate(code="index", name="Index"),),
...                indicators=(Indicator(code="a", name="A", parent="index"),
...                            Indicator(code="b", name="B", parent="index", weight=2)))
>>> rows = pd.DataFrame({"country": ["AT", "AT", "BE", "BE"], "year": 2025,
...                      "indicator": ["a", "b", "a", "b"], "value": [1.0, 2.0, 3.0, 1.0]})
>>> data = explorer_data(build(fw, prepare_data(rows, fw)), 2025)
>>> data["units"], data["values"]["a"], data["weights"], data["rules"]["2"]["method"]
(['AT', 'BE'], [0.0, 100.0], {'index': 1.0, 'a': 1.0, 'b': 2.0}, 'arithmetic')
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from readiness_index.engine.results import IndexResult

__all__ = ["explorer_data", "scores_by_unit"]


def _value(number: Any) -> float | None:
    """A JSON number, ``None`` (null) for a missing value."""
    value = float(number)
    return None if math.isnan(value) else value


def _rules(result: IndexResult) -> dict[str, dict[str, Any]]:
    """The aggregation method, ``p`` and ``min_coverage`` of every aggregate level."""
    framework, spec = result.framework, result.methodology.aggregate
    levels = sorted({framework.levels[code] for code in framework.aggregate_codes})
    rules = {}
    for level in levels:
        rule = spec.for_level(level)
        rules[str(level)] = {"method": rule.method, "p": rule.p,
                             "min_coverage": rule.min_coverage}  # fmt: skip
    return rules


def explorer_data(result: IndexResult, year: int) -> dict[str, Any]:
    """The tree, weights, rules, normalised values and published ranks of edition ``year``.

    Returns
    -------
    dict
        ``root``; ``order`` (aggregates, lowest level first); ``children`` and
        ``levels`` of every aggregate; ``weights`` of every node (the weights the
        result was built with); ``rules`` per level; ``units``; ``values`` (per
        indicator, one normalised value per unit, ``None`` when missing); and the
        published ``score`` and ``rank`` of the index per unit.
    """
    framework = result.framework
    normalised = result.datasets["normalised"].xs(year, level="year")
    units = [str(unit) for unit in normalised.index]
    root = framework.root
    published = result.ranking(year).set_index("country")
    return {
        "root": root,
        "order": list(framework.aggregate_codes),
        "children": {code: list(framework.children(code)) for code in framework.aggregate_codes},
        "levels": {code: framework.levels[code] for code in framework.aggregate_codes},
        "weights": {code: float(result.weights[code]) for code in framework.nodes},
        "rules": _rules(result),
        "units": units,
        "values": {
            code: [_value(v) for v in normalised[code].to_numpy(dtype="float64")]
            for code in framework.indicator_codes
        },
        "score": [_value(published["score"].get(unit, math.nan)) for unit in units],
        "rank": [_rank(published["rank"].get(unit)) for unit in units],
    }


def _rank(rank: Any) -> int | None:
    return None if rank is None or bool(pd.isna(rank)) else int(rank)


def scores_by_unit(result: IndexResult, year: int) -> dict[str, dict[str, float | None]]:
    """Every code's score per unit in edition ``year``: ``{unit: {code: score}}``."""
    scores = result.datasets["aggregated"].xs(year, level="year")
    return {
        str(unit): {str(code): _value(value) for code, value in row.items()}
        for unit, row in scores.iterrows()
    }
