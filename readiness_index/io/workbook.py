"""The definition and analysis sheets of an ``.xlsx`` export (COINr's ``export_to_excel``
writes the same: the framework, the weights, the methodology, and any analysis run).

Each function turns an in-memory object into one table; :func:`readiness_index.io.files.
export_result` writes them, sanitised, beside the data sets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from readiness_index.model.framework import Framework, Indicator
from readiness_index.model.methodology import Methodology
from readiness_index.steps.weights import effective_weights

if TYPE_CHECKING:
    from readiness_index.analysis.audit import AuditResult
    from readiness_index.analysis.sensitivity import SensitivityResult
    from readiness_index.analysis.uncertainty import UncertaintyResult
    from readiness_index.engine.results import IndexResult

__all__ = ["analysis_sheets", "framework_sheet", "methodology_sheet", "weights_sheet"]

Sheet = tuple[str, pd.DataFrame, bool]


def framework_sheet(framework: Framework) -> pd.DataFrame:
    """One row per node, from the root down: code, name, type, level, parent, weight,
    direction (effective), unit, transform, goalposts, target and denominator.

    >>> from readiness_index.model.framework import Aggregate
    >>> fw = Framework(aggregates=(Aggregate(code="i", name="I"),),
    ...                indicators=(Indicator(code="a", name="A", parent="i", transform="log"),))
    >>> framework_sheet(fw)[["code", "type", "level", "transform"]].to_dict("records")
    [{'code': 'i', 'type': 'aggregate', 'level': 2, 'transform': nan}, \
{'code': 'a', 'type': 'indicator', 'level': 1, 'transform': 'log'}]
    """
    directions = framework.directions
    rows = []
    for _, node in framework.walk():
        row: dict[str, Any] = {
            "code": node.code,
            "name": node.name,
            "type": "indicator" if isinstance(node, Indicator) else "aggregate",
            "level": framework.levels[node.code],
            "parent": node.parent or "",
            "weight": node.weight,
            "direction": directions.get(node.code, getattr(node, "direction", 1)),
        }
        if isinstance(node, Indicator):
            row.update(_indicator_columns(node))
        rows.append(row)
    return pd.DataFrame(rows)


def _indicator_columns(node: Indicator) -> dict[str, Any]:
    transform = node.transform
    text: str = "" if transform is None else transform.method
    if transform is not None and transform.lmbda is not None:
        text += f" (lambda {transform.lmbda:g})"
    posts = node.goalposts
    return {
        "unit": node.unit or "",
        "transform": text,
        "goalpost_lower": posts.lower if posts else None,
        "goalpost_upper": posts.upper if posts else None,
        "target": "" if node.target is None else str(node.target.value),
        "denominator": node.denominator or "",
    }


def weights_sheet(result: IndexResult) -> pd.DataFrame:
    """Per node: the nominal weight, the weight used and its effective share of the index."""
    fw = result.framework
    shares = effective_weights(fw, result.weights)
    return pd.DataFrame(
        {
            "code": list(fw.nodes),
            "level": [fw.levels[c] for c in fw.nodes],
            "nominal_weight": [fw.nodes[c].weight for c in fw.nodes],
            "weight": [result.weights.get(c) for c in fw.nodes],
            "share_of_index": [shares[c] for c in fw.nodes],
        }
    )


def methodology_sheet(methodology: Methodology) -> pd.DataFrame:
    """The methodology as ``setting, value`` rows, one per leaf of its mapping.

    >>> sheet = methodology_sheet(Methodology.from_mapping({"normalise": {"method": "rank"}}))
    >>> sheet.set_index("setting").loc["normalise.method", "value"]
    'rank'
    """
    rows = list(_leaves(methodology.to_mapping(), ""))
    return pd.DataFrame(rows, columns=["setting", "value"])


def _leaves(value: Any, path: str) -> Any:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else str(key))
    else:
        yield {"setting": path, "value": "" if value is None else str(value)}


def analysis_sheets(
    audit: AuditResult | None = None,
    uncertainty: UncertaintyResult | None = None,
    sensitivity: SensitivityResult | None = None,
) -> list[Sheet]:
    """The sheets of the analyses given: ``(name, table, with_index)``."""
    sheets: list[Sheet] = []
    if audit is not None:
        sheets += [
            ("audit_statistics", audit.statistics, True),
            ("audit_correlations", audit.correlations, True),
            ("audit_pairs", audit.pairs, False),
            ("audit_coherence", audit.coherence, True),
            ("audit_weights", audit.weights, True),
            ("audit_flags", audit.flags, False),
        ]
    if uncertainty is not None:
        sheets += [
            ("uncertainty_ranks", uncertainty.rank_stats, True),
            ("uncertainty_runs", uncertainty.parameters, True),
        ]
    if sensitivity is not None:
        sheets += [
            ("sensitivity", sensitivity.indices, False),
            ("sensitivity_convergence", sensitivity.convergence, False),
        ]
    return sheets
