"""Weights: the nominal weights of the framework, equal weights, or overrides.

Weights are relative within a parent: aggregation renormalises them to sum to one
over the children that are present.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from readiness_index.errors import MethodologyError
from readiness_index.model.framework import Framework

__all__ = ["effective_weights", "resolve_weights"]


def resolve_weights(
    framework: Framework, choice: Literal["nominal", "equal"] | Mapping[str, float]
) -> dict[str, float]:
    """Weight of every node: ``nominal`` (from the framework), ``equal`` (all 1) or overrides.

    A mapping overrides the nominal weights of the codes it names.

    >>> from readiness_index.model.framework import Aggregate, Framework, Indicator
    >>> fw = Framework(aggregates=(Aggregate(code="i", name="I"),),
    ...                indicators=(Indicator(code="a", name="A", parent="i", weight=3),
    ...                            Indicator(code="b", name="B", parent="i")))
    >>> resolve_weights(fw, {"b": 2})["b"], resolve_weights(fw, "equal")["a"]
    (2, 1.0)
    """
    if choice == "nominal":
        return dict(framework.weights)
    if choice == "equal":
        return dict.fromkeys(framework.nodes, 1.0)
    assert not isinstance(choice, str)
    unknown = sorted(set(choice) - set(framework.nodes))
    if unknown:
        raise MethodologyError(
            f"weights name codes that are not in the framework: {unknown}; "
            f"known codes: {sorted(framework.nodes)}"
        )
    return {**framework.weights, **choice}


def effective_weights(framework: Framework, weights: Mapping[str, float]) -> dict[str, float]:
    """Nominal share of the index carried by each node: the product of its weights,
    each renormalised within its parent, from the node up to the root.

    ``W_i = prod_{a in path(i)} w_a / sum_{s in siblings(a)} w_s``; the indicators' sum is 1.

    >>> from readiness_index.model.framework import Aggregate, Framework, Indicator
    >>> fw = Framework(aggregates=(Aggregate(code="i", name="I"),),
    ...                indicators=(Indicator(code="a", name="A", parent="i", weight=3),
    ...                            Indicator(code="b", name="B", parent="i")))
    >>> effective_weights(fw, fw.weights)
    {'i': 1.0, 'a': 0.75, 'b': 0.25}
    """
    out: dict[str, float] = {}
    for code in framework.nodes:
        share = 1.0
        node = code
        for parent in framework.parents(code):
            siblings = framework.children(parent)
            share *= weights[node] / sum(weights[s] for s in siblings)
            node = parent
        out[code] = share
    return out
