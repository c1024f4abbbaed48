"""Assumptions of an uncertainty or sensitivity analysis, declared as data.

Each entry names one choice of the methodology that is uncertain and its
alternatives. A list of alternatives is drawn from uniformly (as COINr's
``get_sensitivity`` does with a ``"discrete"`` distribution); an empty or absent
list keeps the methodology's own choice::

    normalise          alternatives of the normalisation step (NormaliseSpec entries)
    impute             alternatives of the imputation step (ImputeSpec entries)
    treat              alternatives of the outlier treatment (TreatSpec entries)
    aggregate          alternatives of the aggregation (AggregateSpec entries)
    weights_noise      {level: factor}: each weight w of that level becomes w + u·factor·w,
                       u ~ U[-1, 1] (COINr's get_noisy_weights)
    exclude_indicator  true: each replication drops one indicator, or none, all equally likely

Examples
--------
>>> a = Assumptions.from_mapping({"aggregate": [{"method": "arithmetic"},
...                                             {"method": "geometric"}],
...                               "weights_noise": {2: 0.25}})
>>> a.varied
('aggregate', 'weights_noise')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from readiness_index.engine.pipeline import check_fits
from readiness_index.errors import AssumptionError, MethodologyError
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import (
    AggregateSpec,
    ImputeSpec,
    Methodology,
    NormaliseSpec,
    TreatSpec,
)

__all__ = ["ASSUMPTION_NAMES", "Assumptions"]

NoiseFactor = Annotated[float, Field(ge=0, lt=1)]


class Assumptions(BaseModel):
    """The uncertain choices of a methodology and their alternatives (see the module)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    normalise: tuple[NormaliseSpec, ...] = ()
    impute: tuple[ImputeSpec, ...] = ()
    treat: tuple[TreatSpec, ...] = ()
    aggregate: tuple[AggregateSpec, ...] = ()
    weights_noise: dict[int, NoiseFactor] = Field(default_factory=dict)
    exclude_indicator: bool = False

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any] | None) -> Assumptions:
        """Validate a plain mapping (from YAML or JSON) into assumptions.

        Raises
        ------
        AssumptionError
            Naming every invalid entry, what was found, and the valid assumption names.
        """
        try:
            return cls.model_validate(dict(mapping or {}))
        except ValidationError as err:
            raise _assumption_error(err) from err

    def to_mapping(self) -> dict[str, Any]:
        """A plain mapping that :meth:`from_mapping` turns back into these assumptions."""
        return self.model_dump(mode="json", exclude_defaults=True)

    @property
    def varied(self) -> tuple[str, ...]:
        """Names of the assumptions that actually vary (more than one alternative)."""
        names = [
            n for n in ("normalise", "impute", "treat", "aggregate") if len(getattr(self, n)) > 1
        ]
        if any(f > 0 for f in self.weights_noise.values()):
            names.append("weights_noise")
        if self.exclude_indicator:
            names.append("exclude_indicator")
        return tuple(sorted(names))

    def check(self, framework: Framework, methodology: Methodology) -> None:
        """Check the assumptions fit ``framework`` and ``methodology``; raise at the first run.

        Every problem is collected before raising: weight-noise levels that the
        framework does not have (the root's weight is meaningless), and alternatives
        that do not fit the framework. Every registered aggregation replicates.

        Raises
        ------
        AssumptionError
            With ``failures``, a table of ``path, problem, found``.
        """
        rows = [
            *_level_problems(self, framework),
            *_fit_problems(self, framework, methodology),
        ]
        if rows:
            lines = [f"{r['path']}: {r['problem']} (found {r['found']!r})" for r in rows]
            message = f"{len(rows)} problem(s) in the assumptions:\n  " + "\n  ".join(lines)
            raise AssumptionError(message, failures=pd.DataFrame(rows))


#: The names an assumptions mapping may use.
ASSUMPTION_NAMES: tuple[str, ...] = tuple(sorted(Assumptions.model_fields))


def _level_problems(assumptions: Assumptions, framework: Framework) -> list[dict[str, Any]]:
    framework = framework.active()
    valid = list(range(1, framework.max_level))
    return [
        {
            "path": f"weights_noise.{level}",
            "problem": f"level {level} has no weights to perturb; valid levels are {valid} "
            f"(1 = indicators, {framework.max_level} = the index itself)",
            "found": level,
        }
        for level in sorted(assumptions.weights_noise)
        if level not in valid
    ]


def _fit_problems(
    assumptions: Assumptions, framework: Framework, methodology: Methodology
) -> list[dict[str, Any]]:
    """Each alternative must fit the framework as a methodology would (codes, levels)."""
    rows = []
    active = framework.active()
    for name in ("normalise", "impute", "treat", "aggregate"):
        for i, spec in enumerate(getattr(assumptions, name)):
            try:
                check_fits(active, methodology.model_copy(update={name: spec}))
            except MethodologyError as err:
                rows.append({"path": f"{name}[{i}]", "problem": str(err), "found": spec})
    return rows


def _assumption_error(err: ValidationError) -> AssumptionError:
    rows = []
    for error in err.errors():
        path = ".".join(str(p) for p in error["loc"]) or "<root>"
        rows.append({"path": path, "problem": error["msg"], "found": error.get("input")})
    lines = [f"{r['path']}: {r['problem']} (found {_short(r['found'])})" for r in rows]
    message = (
        f"{len(rows)} problem(s) in the assumptions:\n  "
        + "\n  ".join(lines)
        + f"\nValid assumption names: {', '.join(ASSUMPTION_NAMES)}."
    )
    return AssumptionError(message, failures=pd.DataFrame(rows))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
