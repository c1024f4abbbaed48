"""Assumptions of an uncertainty or sensitivity analysis, declared as data.

Each entry names one choice of the methodology that is uncertain and its
alternatives. A list of alternatives is drawn from uniformly (as COINr's
``get_sensitivity`` does with a ``"discrete"`` distribution); an empty or absent
list keeps the methodology's own choice, and a list of one replaces it::

    denominate         alternatives of denomination (DenominateSpec entries, or true/false)
    impute             alternatives of the imputation step (ImputeSpec entries)
    screen             alternatives of the screening step (ScreenSpec entries)
    treat              alternatives of the outlier treatment (TreatSpec entries)
    normalise          alternatives of the normalisation step (NormaliseSpec entries)
    aggregate          alternatives of the aggregation (AggregateSpec entries)
    weight_sets        {name: weights}: named alternative weight sets, each what a
                       methodology's ``weights`` takes (nominal, equal or {code: weight})
    weights_noise      {level: factor}: each weight w of that level becomes w + u·factor·w,
                       u ~ U[-1, 1] (COINr's get_noisy_weights)
    weights_random     {level: {distribution: uniform, width: h} or
                       {distribution: dirichlet, concentration: c}}: the weights of the
                       children of each parent of that level, renormalised to sum to one
                       (w_i / sum w), are redrawn: uniform w_i (1 + h u_i), u_i ~ U[-1, 1],
                       renormalised to sum to one; or Dirichlet(c · w), whose mean is w
                       (the larger c, the smaller the noise)
    goalposts          x in [0, 0.5): each goalpost g of an indicator becomes
                       g + u·x·(upper - lower), u ~ U[-1, 1], one draw per post
    treat_thresholds   {skew: [low, high], kurtosis: [low, high]}: the winsorisation
                       thresholds of the treatment, drawn uniformly in each range
    generalised_p      [low, high]: the p of every generalised mean, drawn uniformly
                       (low and high of one sign)
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
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from readiness_index.engine.pipeline import check_fits
from readiness_index.errors import AssumptionError, MethodologyError
from readiness_index.model.columns import case_hint, keys_at
from readiness_index.model.framework import MAX_WEIGHT, Framework
from readiness_index.model.methodology import (
    AggregateSpec,
    DenominateSpec,
    ImputeSpec,
    Methodology,
    NormaliseSpec,
    ScreenSpec,
    TreatSpec,
)
from readiness_index.steps.weights import resolve_weights

__all__ = ["ASSUMPTION_NAMES", "Assumptions", "Range", "WeightDraw"]

NoiseFactor = Annotated[float, Field(ge=0, lt=1)]
#: The steps whose alternatives are listed (discrete choices), in the order they run.
STEP_NAMES = ("denominate", "impute", "screen", "treat", "normalise", "aggregate")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class WeightDraw(_Model):
    """Random weights of one level, renormalised within each parent (see the module).

    Examples
    --------
    >>> WeightDraw(distribution="dirichlet", concentration=50).concentration
    50.0
    """

    distribution: Literal["uniform", "dirichlet"]
    width: float | None = Field(default=None, ge=0, lt=1)
    concentration: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_setting(self) -> WeightDraw:
        needs = "width" if self.distribution == "uniform" else "concentration"
        other = "concentration" if needs == "width" else "width"
        if getattr(self, needs) is None:
            raise ValueError(f"distribution {self.distribution!r} needs {needs!r}")
        if getattr(self, other) is not None:
            raise ValueError(f"distribution {self.distribution!r} takes {needs!r}, not {other!r}")
        return self

    @property
    def varies(self) -> bool:
        """False for a uniform draw of width 0 (the nominal weights, renormalised)."""
        return self.distribution == "dirichlet" or bool(self.width)


class Range(_Model):
    """A closed interval ``[low, high]`` a continuous parameter is drawn from uniformly.

    Written as a pair ``[low, high]`` or a mapping ``{low: .., high: ..}``.
    """

    low: float
    high: float

    @model_validator(mode="before")
    @classmethod
    def _pair(cls, value: Any) -> Any:
        if isinstance(value, list | tuple) and len(value) == 2:
            return {"low": value[0], "high": value[1]}
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.low > self.high:
            raise ValueError(f"a range needs low <= high; found {self.low} and {self.high}")
        return self

    def at(self, u: Any) -> Any:
        """``low + u (high - low)`` for ``u`` in [0, 1)."""
        return self.low + u * (self.high - self.low)


class TreatThresholds(_Model):
    """Ranges of the winsorisation thresholds (absolute skewness and kurtosis)."""

    skew: Range | None = None
    kurtosis: Range | None = None

    @field_validator("skew")
    @classmethod
    def _positive(cls, value: Range | None) -> Range | None:
        if value is not None and value.low <= 0:
            raise ValueError(f"skew thresholds must be > 0; found low = {value.low}")
        return value


class Assumptions(_Model):
    """The uncertain choices of a methodology and their alternatives (see the module)."""

    denominate: tuple[DenominateSpec, ...] = ()
    impute: tuple[ImputeSpec, ...] = ()
    screen: tuple[ScreenSpec, ...] = ()
    treat: tuple[TreatSpec, ...] = ()
    normalise: tuple[NormaliseSpec, ...] = ()
    aggregate: tuple[AggregateSpec, ...] = ()
    weight_sets: dict[str, Literal["nominal", "equal"] | dict[str, float]] = Field(
        default_factory=dict
    )
    weights_noise: dict[int, NoiseFactor] = Field(default_factory=dict)
    weights_random: dict[int, WeightDraw] = Field(default_factory=dict)
    goalposts: float = Field(default=0.0, ge=0, lt=0.5)
    treat_thresholds: TreatThresholds | None = None
    generalised_p: Range | None = None
    exclude_indicator: bool = False

    @field_validator("denominate", mode="before")
    @classmethod
    def _switches(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return [{"enabled": v} if isinstance(v, bool) else v for v in value]
        return value

    @field_validator("weight_sets")
    @classmethod
    def _weights(
        cls, sets: dict[str, Literal["nominal", "equal"] | dict[str, float]]
    ) -> dict[str, Literal["nominal", "equal"] | dict[str, float]]:
        for name, weights in sets.items():
            if isinstance(weights, dict):
                bad = {k: v for k, v in weights.items() if not 0 < v <= MAX_WEIGHT}
                if bad:
                    raise ValueError(
                        f"weight set {name!r}: weights must be > 0 and at most "
                        f"{MAX_WEIGHT:g}; found {bad}"
                    )
        return sets

    @field_validator("generalised_p")
    @classmethod
    def _one_sign(cls, value: Range | None) -> Range | None:
        if value is not None and value.low * value.high <= 0:
            raise ValueError(
                f"generalised_p needs low and high of one sign, neither 0 (p = 0 is the "
                f"geometric mean); found [{value.low}, {value.high}]"
            )
        return value

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
        names = [n for n in STEP_NAMES if len(getattr(self, n)) > 1]
        if len(self.weight_sets) > 1:
            names.append("weight_sets")
        if any(f > 0 for f in self.weights_noise.values()):
            names.append("weights_noise")
        if any(d.varies for d in self.weights_random.values()):
            names.append("weights_random")
        if self.goalposts > 0:
            names.append("goalposts")
        names += [f"treat_thresholds.{n}" for n, r in self.thresholds.items() if r.high > r.low]
        if self.generalised_p is not None and self.generalised_p.low < self.generalised_p.high:
            names.append("generalised_p")
        if self.exclude_indicator:
            names.append("exclude_indicator")
        return tuple(sorted(names))

    @property
    def thresholds(self) -> dict[str, Range]:
        """The ranges of the winsorisation thresholds declared: ``skew``, ``kurtosis``."""
        chosen = self.treat_thresholds
        if chosen is None:
            return {}
        found = {"skew": chosen.skew, "kurtosis": chosen.kurtosis}
        return {name: r for name, r in found.items() if r is not None}

    def check(self, framework: Framework, methodology: Methodology) -> None:
        """Check the assumptions fit ``framework`` and ``methodology``; raise at the first run.

        Every problem is collected before raising: weight-noise levels that the
        framework does not have (the root's weight is meaningless), alternatives and
        weight sets that do not fit the framework, goalposts without an indicator
        normalised with them, thresholds without a winsorisation, and a range of
        ``p`` without a generalised mean. Every registered aggregation replicates.

        Raises
        ------
        AssumptionError
            With ``failures``, a table of ``path, problem, found``.
        """
        rows = [
            *_level_problems(self, framework),
            *_fit_problems(self, framework, methodology),
            *_use_problems(self, framework, methodology),
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
    levels = [("weights_noise", lv) for lv in sorted(assumptions.weights_noise)]
    levels += [("weights_random", lv) for lv in sorted(assumptions.weights_random)]
    return [
        {
            "path": f"{name}.{level}",
            "problem": f"level {level} has no weights to perturb; valid levels are {valid} "
            f"(1 = indicators, {framework.max_level} = the index itself)",
            "found": level,
        }
        for name, level in levels
        if level not in valid
    ]


def _fit_problems(
    assumptions: Assumptions, framework: Framework, methodology: Methodology
) -> list[dict[str, Any]]:
    """Each alternative must fit the framework as a methodology would (codes, levels)."""
    rows = []
    active = framework.active()
    for name in STEP_NAMES:
        for i, spec in enumerate(getattr(assumptions, name)):
            try:
                check_fits(active, methodology.model_copy(update={name: spec}))
            except MethodologyError as err:
                rows.append({"path": f"{name}[{i}]", "problem": str(err), "found": spec})
    for name, weights in assumptions.weight_sets.items():
        try:
            resolve_weights(active, weights)
        except MethodologyError as err:
            rows.append({"path": f"weight_sets.{name}", "problem": str(err), "found": weights})
    return rows


def _use_problems(
    assumptions: Assumptions, framework: Framework, methodology: Methodology
) -> list[dict[str, Any]]:
    """A continuous parameter must have a method to act on in every replication."""
    rows = []
    codes = framework.active().indicator_codes
    normalise = assumptions.normalise or (methodology.normalise,)
    if assumptions.goalposts and not any(
        spec.for_indicator(code).method == "goalposts" for spec in normalise for code in codes
    ):
        problem = "no indicator is normalised with goalposts in any normalisation alternative"
        rows.append(_row("goalposts", problem, assumptions.goalposts))
    treat = assumptions.treat or (methodology.treat,)
    if assumptions.thresholds and not all(t is not None and t.method == "winsorise" for t in treat):
        problem = "every treatment alternative must be 'winsorise' (its thresholds are drawn)"
        rows.append(_row("treat_thresholds", problem, [t and t.method for t in treat]))
    if assumptions.thresholds and any(s.scope == "pooled" for s in normalise):
        problem = "drawn thresholds need per-year normalisation (scope: per_year)"
        rows.append(_row("treat_thresholds", problem, "pooled"))
    aggregate = assumptions.aggregate or (methodology.aggregate,)
    levels = range(2, framework.active().max_level + 1)
    methods = {spec.for_level(level).method for spec in aggregate for level in levels}
    if assumptions.generalised_p is not None and "generalised" not in methods:
        problem = "no aggregation alternative uses the generalised mean"
        rows.append(_row("generalised_p", problem, sorted(methods)))
    return rows


def _row(path: str, problem: str, found: Any) -> dict[str, Any]:
    return {"path": path, "problem": problem, "found": found}


def _assumption_error(err: ValidationError) -> AssumptionError:
    rows = []
    for error in err.errors():
        path = ".".join(str(p) for p in error["loc"]) or "<root>"
        problem = error["msg"]
        if error["type"] == "extra_forbidden":
            *parents, key = error["loc"]
            problem += case_hint(key, keys_at(Assumptions, parents))
        rows.append({"path": path, "problem": problem, "found": error.get("input")})
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
