"""The methodology: which method each build step uses, as validated, hashable data.

One entry per step, each optional. An absent entry does what COINr does when the
step is skipped (denominate, impute, screen, treat) or called with its defaults
(normalise: min-max 0-100; weights: nominal; aggregate: weighted arithmetic mean).
An entry present with no keys runs the step with COINr's defaults.

Examples
--------
>>> m = Methodology.from_mapping({"normalise": {"method": "zscore", "mean": 10, "sd": 2}})
>>> m.normalise.method, m.aggregate.method, m.treat is None
('zscore', 'arithmetic', True)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from readiness_index.errors import MethodologyError

__all__ = [
    "AggregateSpec",
    "DenominateSpec",
    "EditionsSpec",
    "ImputeSpec",
    "Methodology",
    "NormaliseSpec",
    "OutputRange",
    "ScreenSpec",
    "TreatSpec",
]

ImputeMethod = Literal["none", "mean", "median", "group_mean", "group_median", "latest", "linear"]
NormaliseMethod = Literal[
    "none",
    "minmax",
    "zscore",
    "scaled",
    "rank",
    "borda",
    "percentile_rank",
    "fraction_of_max",
    "distance_to_max",
    "distance_to_reference",
    "distance_to_target",
    "goalposts",
]
AggregateMethod = Literal[
    "arithmetic", "geometric", "harmonic", "generalised", "median", "copeland"
]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EditionsSpec(_Spec):
    """Score yearly editions instead of data years.

    Edition ``e`` takes, per country and indicator, the latest value of a data year
    ``t <= e`` with ``e - t <= max_age`` (the indicator's own ``max_age`` first); the
    data year is kept. A build scores the ``count`` editions up to the latest data
    year (or up to the year asked for).
    """

    count: int = Field(5, ge=1, le=100)
    max_age: int | None = Field(None, ge=0)


class DenominateSpec(_Spec):
    """Divide each indicator that declares a denominator by it."""

    enabled: bool = False


class ImputeSpec(_Spec):
    """Fill missing values; every imputed cell is flagged ``i`` in the result.

    ``mean``/``median`` work column-wise over the units of one year, the ``group_``
    variants within the groups of ``group``; ``latest`` carries the latest earlier
    value forward (at most ``max_years`` back) and ``linear`` interpolates between
    years of the same unit.
    """

    method: ImputeMethod = "mean"
    group: str | None = None
    max_years: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _group_needed(self) -> ImputeSpec:
        if self.method.startswith("group_") and not self.group:
            raise ValueError(f"impute method {self.method!r} needs 'group': the group column")
        return self


class ScreenSpec(_Spec):
    """Remove units with too little data (``missing``) or too many zeros (``zeros``)."""

    method: Literal["none", "missing", "zeros", "missing_and_zeros"] = "missing"
    min_coverage: float = Field(default=2 / 3, ge=0, le=1)
    min_nonzero: float = Field(default=0.05, ge=0, le=1)


class TreatSpec(_Spec):
    """Outlier treatment: COINr's skewness/kurtosis-driven winsorisation.

    ``by_indicator`` gives other parameters (or ``method: none``) to named indicators.
    """

    method: Literal["none", "winsorise"] = "winsorise"
    skew: float = Field(default=2.0, gt=0)
    kurtosis: float = 3.5
    max_points: int = Field(default=5, ge=0)
    fallback: Literal["log", "none"] = "log"
    by_indicator: dict[str, TreatSpec] = Field(default_factory=dict)

    def for_indicator(self, code: str) -> TreatSpec:
        """The specification that applies to ``code`` (COINr's ``indiv_specs``)."""
        return self.by_indicator.get(code, self)


class OutputRange(_Spec):
    """The range ``[lower, upper]`` onto which ``goalposts`` and ``distance_to_target``
    map their 0-1 score: ``lower + y * (upper - lower)`` (e.g. 1-100, so that a
    geometric mean never meets a zero).

    Examples
    --------
    >>> OutputRange(lower=1, upper=100).upper
    100.0
    """

    lower: float
    upper: float

    @model_validator(mode="after")
    def _ordered(self) -> OutputRange:
        if not self.lower < self.upper:
            raise ValueError(f"range needs lower < upper; found {self.lower} and {self.upper}")
        return self


class NormaliseSpec(_Spec):
    """Bring indicators onto a common scale (after multiplying by their direction).

    ``by_indicator`` gives another method or parameters to named indicators.
    ``range`` sets the output range of ``goalposts`` (instead of ``0-scale``) and of
    ``distance_to_target`` (instead of ``0-1``).
    """

    method: NormaliseMethod = "minmax"
    scope: Literal["per_year", "pooled"] = "per_year"
    lower: float = 0.0
    upper: float = 100.0
    mean: float = 0.0
    sd: float = Field(default=1.0, gt=0)
    factor: float = 100.0
    reference: str | None = None
    cap: bool = False
    scale: float = 100.0
    truncate: bool = True
    range: OutputRange | None = None
    by_indicator: dict[str, NormaliseSpec] = Field(default_factory=dict)

    def for_indicator(self, code: str) -> NormaliseSpec:
        """The specification that applies to ``code`` (COINr's ``indiv_specs``); the scope
        is always the top-level one."""
        return self.by_indicator.get(code, self)

    @model_validator(mode="after")
    def _parameters(self) -> NormaliseSpec:
        if self.method == "distance_to_reference" and not self.reference:
            raise ValueError(
                "normalise method 'distance_to_reference' needs 'reference': a unit code"
            )
        if self.method in ("minmax", "scaled") and self.lower == self.upper:
            raise ValueError(f"normalise 'lower' and 'upper' must differ; both are {self.lower}")
        if self.range is not None and self.method not in _RANGED:
            raise ValueError(
                f"normalise 'range' applies to {sorted(_RANGED)}; method {self.method!r} "
                "sets its output with 'lower' and 'upper' (minmax) or has a fixed scale"
            )
        if self.range is not None and self.method == "goalposts" and self.scale != 100.0:
            raise ValueError("give goalposts either 'scale' (0 to scale) or 'range', not both")
        return self

    def output_range(self) -> tuple[float, float] | None:
        """``(lower, upper)`` of ``range``, or ``None`` for the method's own scale."""
        return None if self.range is None else (self.range.lower, self.range.upper)


_RANGED = frozenset({"goalposts", "distance_to_target"})


class LevelAggregateSpec(_Spec):
    """The aggregation used at one level."""

    method: AggregateMethod = "arithmetic"
    p: float = 2.0
    min_coverage: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _p_nonzero(self) -> LevelAggregateSpec:
        if self.method == "generalised" and self.p == 0:
            raise ValueError("generalised mean needs p != 0 (p = 0 is the geometric mean)")
        return self


class AggregateSpec(LevelAggregateSpec):
    """Aggregation: one method for every level, optionally overridden per level."""

    by_level: dict[int, LevelAggregateSpec] = Field(default_factory=dict)

    def for_level(self, level: int) -> LevelAggregateSpec:
        """The specification that applies when computing nodes of ``level``."""
        return self.by_level.get(
            level, LevelAggregateSpec(method=self.method, p=self.p, min_coverage=self.min_coverage)
        )


class Methodology(_Spec):
    """All the choices of a build, as data. Hashable and serialisable."""

    version: str = "1"
    editions: EditionsSpec | None = None
    denominate: DenominateSpec = DenominateSpec()
    impute: ImputeSpec | None = None
    screen: ScreenSpec | None = None
    treat: TreatSpec | None = None
    normalise: NormaliseSpec = NormaliseSpec()
    weights: Literal["nominal", "equal"] | dict[str, float] = "nominal"
    aggregate: AggregateSpec = AggregateSpec()

    @model_validator(mode="after")
    def _positive_weights(self) -> Methodology:
        if isinstance(self.weights, dict):
            bad = {k: v for k, v in self.weights.items() if not v > 0}
            if bad:
                raise ValueError(f"weights must be > 0; found {bad}")
        return self

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any] | None) -> Methodology:
        """Validate a plain mapping (from YAML or JSON) into a methodology.

        Raises
        ------
        MethodologyError
            Naming every invalid key path, what was found and what is allowed.
        """
        try:
            return cls.model_validate(dict(mapping or {}))
        except ValidationError as err:
            raise _methodology_error(err) from err

    def to_mapping(self) -> dict[str, Any]:
        """A plain mapping that :meth:`from_mapping` turns back into this methodology.

        A methodology without editions leaves the entry out, so that its hash is the
        one it had before editions were a methodology choice.
        """
        mapping = self.model_dump(mode="json")
        if mapping["editions"] is None:
            del mapping["editions"]
        _drop_unset_ranges(mapping["normalise"])
        return mapping

    @property
    def content_hash(self) -> str:
        """A stable SHA-256 of the methodology."""
        text = json.dumps(self.to_mapping(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def _drop_unset_ranges(normalise: dict[str, Any]) -> None:
    """Leave an unset ``range`` out of the mapping (and the hash), as before it existed."""
    if normalise.get("range", 0) is None:
        del normalise["range"]
    for spec in normalise.get("by_indicator", {}).values():
        _drop_unset_ranges(spec)


def _methodology_error(err: ValidationError) -> MethodologyError:
    import pandas as pd

    rows = []
    for error in err.errors():
        path = ".".join(str(p) for p in error["loc"]) or "<root>"
        rows.append({"path": path, "problem": error["msg"], "found": error.get("input")})
    lines = [f"{r['path']}: {r['problem']} (found {r['found']!r})" for r in rows]
    message = (
        f"{len(rows)} problem(s) in the methodology:\n  "
        + "\n  ".join(lines)
        + f"\nValid steps: {sorted(Methodology.model_fields)}."
    )
    return MethodologyError(message, failures=pd.DataFrame(rows))
