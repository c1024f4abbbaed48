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
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from readiness_index.errors import MethodologyError, Reason
from readiness_index.model.columns import keys_at
from readiness_index.model.framework import MAX_WEIGHT, Indicator
from readiness_index.model.registry import registry

__all__ = [
    "AggregateSpec",
    "AuditSpec",
    "DenominateSpec",
    "EditionsSpec",
    "ImputeSpec",
    "Methodology",
    "NormaliseSpec",
    "OutputRange",
    "ScreenSpec",
    "TreatSpec",
]

#: Settings introduced after methodology version 3; left out of :meth:`Methodology.to_mapping`
#: at their default, so that the content hash of an earlier methodology stays what it was.
_LATER_DEFAULTS: dict[str, object] = {
    "invalid": "error",
    "options": {},
    "range": None,
    "stale_after": None,
    "audit": None,
}


class _Spec(BaseModel):
    # numbers are finite: .inf and .nan are refused wherever a number is asked for
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)


class _MethodSpec(_Spec):
    """A step's specification whose ``method`` names a method of the step's registry.

    A setting that does not apply to the chosen method (``p`` with the arithmetic mean,
    ``reference`` with min-max) is refused, even at its default value: a setting
    that has no effect is a mistake the user should hear of. ``options`` passes
    keyword arguments to a user's own method.
    """

    _step: ClassVar[str]
    _always: ClassVar[frozenset[str]] = frozenset({"method"})

    method: str
    options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("method")
    @classmethod
    def _registered(cls, name: str) -> str:
        methods = registry(cls._step)
        if name not in methods:
            raise ValueError(methods.unknown(name))
        return name

    def applicable(self) -> frozenset[str]:
        """The settings that apply to this specification's method."""
        return registry(self._step)[self.method].parameters | self._always

    def applicable_mapping(self) -> dict[str, Any]:
        """The settings that apply to the method, as plain data (nested specifications
        likewise): what :meth:`Methodology.to_mapping` writes for this step."""
        mapping = {}
        for name in sorted(self.applicable() & set(type(self).model_fields)):
            value = getattr(self, name)
            if isinstance(value, dict) and all(isinstance(v, _MethodSpec) for v in value.values()):
                mapping[name] = {k: v.applicable_mapping() for k, v in value.items()}
            elif isinstance(value, BaseModel):
                mapping[name] = value.model_dump(mode="json")
            else:
                mapping[name] = value
        return mapping

    @model_validator(mode="after")
    def _settings_apply(self) -> _MethodSpec:
        applies = self.applicable()
        stray = sorted(self.model_fields_set - applies)
        if stray:
            takes = sorted(applies - self._always) or "no settings"
            raise ValueError(
                f"{self._step} setting(s) {stray} do not apply to method {self.method!r} "
                f"(it takes {takes}); remove them or choose a method that uses them"
            )
        return self


class EditionsSpec(_Spec):
    """Score yearly editions instead of data years.

    Edition ``e`` takes, per country and indicator, the latest value of a data year
    ``t <= e`` with ``e - t <= max_age`` (the indicator's own ``max_age`` first); the
    data year is kept. A build scores the ``count`` editions up to the latest data
    year (or up to the year asked for). A value more than ``stale_after`` years
    behind its edition (the indicator's own ``stale_after`` first) is marked stale
    (``o``) in every output; ``None`` marks none.
    """

    count: int = Field(5, ge=1, le=100)
    max_age: int | None = Field(None, ge=0)
    stale_after: int | None = Field(None, ge=0)


class AuditSpec(_Spec):
    """The statistical audit the index must pass (JRC practice), and justified breaches.

    No two indicators of one aggregate may correlate above ``max_pair_correlation``
    (Pearson, normalised values); every indicator must correlate positively with its
    aggregate; no indicator may stay beyond the ``skew``/``kurtosis`` thresholds after
    treatment; each pillar's effective weight (its share of the index's variance) must
    lie within ``weight_tolerance`` (a fraction) of its nominal weight. ``justified``
    maps a breach key (``check:code``, or ``check:code@year`` for one edition) to
    the reason it is accepted.
    """

    max_pair_correlation: float = Field(0.92, gt=0, le=1)
    skew: float = Field(2.0, gt=0)
    kurtosis: float = 3.5
    weight_tolerance: float = Field(0.5, gt=0)
    justified: dict[str, str] = Field(default_factory=dict)


class DenominateSpec(_Spec):
    """Divide each indicator that declares a denominator by it."""

    enabled: bool = False


class ImputeSpec(_MethodSpec):
    """Fill missing values; every imputed cell is flagged ``i`` in the result.

    ``mean``/``median`` work column-wise over the units of one year, the ``group_``
    variants within the groups of ``group``; ``latest`` carries the latest earlier
    value forward (at most ``max_years`` back) and ``linear`` interpolates between
    years of the same unit.
    """

    _step = "impute"

    method: str = "mean"
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


class TreatSpec(_MethodSpec):
    """Outlier treatment: COINr's skewness/kurtosis-driven winsorisation.

    ``by_indicator`` gives other parameters (or ``method: none``) to named indicators.
    """

    _step = "treat"
    _always = frozenset({"method", "by_indicator"})

    method: str = "winsorise"
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


class NormaliseSpec(_MethodSpec):
    """Bring indicators onto a common scale (after multiplying by their direction).

    ``by_indicator`` gives another method or parameters to named indicators.
    ``range`` sets the output range of ``goalposts`` (instead of ``0-scale``) and of
    ``distance_to_target`` (instead of ``0-1``).
    """

    _step = "normalise"
    _always = frozenset({"method", "scope", "by_indicator"})

    method: str = "minmax"
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
        if self.method in ("minmax", "scaled") and not self.lower < self.upper:
            raise ValueError(
                f"normalise needs 'lower' < 'upper' (found lower {self.lower}, upper "
                f"{self.upper}); a reversed range would turn every indicator upside down: "
                "declare 'direction: -1' on an indicator where lower is better"
            )
        if self.range is not None and self.method == "goalposts" and self.scale != 100.0:
            raise ValueError("give goalposts either 'scale' (0 to scale) or 'range', not both")
        return self

    def output_range(self) -> tuple[float, float] | None:
        """``(lower, upper)`` of ``range``, or ``None`` for the method's own scale."""
        return None if self.range is None else (self.range.lower, self.range.upper)


class LevelAggregateSpec(_MethodSpec):
    """The aggregation used at one level.

    ``min_coverage`` leaves a unit's score missing when fewer than that share of its
    children have a value. ``invalid`` says what happens where a covered unit has a
    child outside the method's domain (a negative value under a geometric mean):
    ``error`` stops the build naming every such unit, ``missing`` leaves the score
    missing with a note in ``result.notes``.
    """

    _step = "aggregate"
    _always = frozenset({"method", "min_coverage", "invalid"})

    method: str = "arithmetic"
    p: float = 2.0
    min_coverage: float | None = Field(default=None, ge=0, le=1)
    invalid: Literal["error", "missing"] = "error"

    @model_validator(mode="after")
    def _p_nonzero(self) -> LevelAggregateSpec:
        if self.method == "generalised" and self.p == 0:
            raise ValueError("generalised mean needs p != 0 (p = 0 is the geometric mean)")
        return self


class AggregateSpec(LevelAggregateSpec):
    """Aggregation: one method for every level, optionally overridden per level."""

    _always = frozenset({"method", "min_coverage", "invalid", "by_level"})

    by_level: dict[int, LevelAggregateSpec] = Field(default_factory=dict)

    def for_level(self, level: int) -> LevelAggregateSpec:
        """The specification that applies when computing nodes of ``level``."""
        own = {name: getattr(self, name) for name in self.applicable() - {"by_level"}}
        return self.by_level.get(level) or LevelAggregateSpec(**own)


class Methodology(_Spec):
    """All the choices of a build, as data. Hashable and serialisable."""

    version: str = "1"
    editions: EditionsSpec | None = None
    denominate: DenominateSpec = Field(default_factory=DenominateSpec)
    impute: ImputeSpec | None = None
    screen: ScreenSpec | None = None
    treat: TreatSpec | None = None
    normalise: NormaliseSpec = Field(default_factory=NormaliseSpec)
    weights: Literal["nominal", "equal"] | dict[str, float] = "nominal"
    aggregate: AggregateSpec = Field(default_factory=AggregateSpec)
    audit: AuditSpec | None = None

    @model_validator(mode="after")
    def _positive_weights(self) -> Methodology:
        if isinstance(self.weights, dict):
            bad = {k: v for k, v in self.weights.items() if not 0 < v <= MAX_WEIGHT}
            if bad:
                raise ValueError(f"weights must be > 0 and at most {MAX_WEIGHT:g}; found {bad}")
        return self

    def stale_after(self, indicator: Indicator) -> float:
        """How many years a value of ``indicator`` may lag its edition before it is stale.

        The one rule behind the stale mark (``o``), the country page's old-data warning
        and the "data too old" verdict on a target: the indicator's own
        ``stale_after``, else ``editions.stale_after``; infinite (never stale) when
        neither is set. A value is stale when ``edition - data_year > stale_after``.

        >>> m = Methodology.from_mapping({"editions": {"stale_after": 2}})
        >>> m.stale_after(Indicator(code="a", name="A", parent="i"))
        2.0
        >>> m.stale_after(Indicator(code="b", name="B", parent="i", stale_after=4))
        4.0
        >>> Methodology().stale_after(Indicator(code="a", name="A", parent="i"))
        inf
        """
        own = indicator.stale_after
        chosen = own if own is not None else self.editions.stale_after if self.editions else None
        return float("inf") if chosen is None else float(chosen)

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

        Each step lists only the settings that apply to its method (no ``p`` under an
        arithmetic mean), so that the mapping is itself a valid methodology file.

        Examples
        --------
        >>> m = Methodology.from_mapping({"aggregate": {"method": "generalised", "p": 3}})
        >>> m.to_mapping()["aggregate"]
        {'by_level': {}, 'method': 'generalised', 'min_coverage': None, 'p': 3.0}
        >>> Methodology.from_mapping(m.to_mapping()) == m
        True
        """
        mapping = self._full_mapping()
        for step in ("impute", "treat", "normalise", "aggregate"):
            spec = getattr(self, step)
            if spec is not None:
                mapping[step] = _without_later_defaults(spec.applicable_mapping())
        return mapping

    def _full_mapping(self) -> dict[str, Any]:
        """Every setting, applicable or not: the content that :attr:`content_hash`
        digests (unchanged since methodology version 3, so earlier hashes hold).

        A methodology without editions leaves the entry out, so that its hash is the
        one it had before editions were a methodology choice.
        """
        mapping = _without_later_defaults(self.model_dump(mode="json"))
        if mapping["editions"] is None:
            del mapping["editions"]
        return mapping

    def user_methods(self) -> dict[str, dict[str, str]]:
        """The methods a user registered that this methodology names, with what the
        replay record keeps of each: ``{"normalise.name": {"qualified_name": ...,
        "source_hash": ...}}`` (built-in methods are left out).

        >>> Methodology().user_methods()
        {}
        """
        found = {}
        for step, name in sorted(self._method_names()):
            method = registry(step)[name]
            if not method.builtin:
                found[f"{step}.{name}"] = method.fingerprint()
        return found

    def _method_names(self) -> set[tuple[str, str]]:
        specs: list[tuple[str, _MethodSpec]] = [("normalise", self.normalise)]
        specs += [("normalise", s) for s in self.normalise.by_indicator.values()]
        specs += [("aggregate", self.aggregate)]
        specs += [("aggregate", s) for s in self.aggregate.by_level.values()]
        if self.impute is not None:
            specs.append(("impute", self.impute))
        if self.treat is not None:
            specs += [("treat", self.treat)]
            specs += [("treat", s) for s in self.treat.by_indicator.values()]
        return {(step, spec.method) for step, spec in specs}

    @property
    def content_hash(self) -> str:
        """A stable SHA-256 of the methodology."""
        text = json.dumps(self._full_mapping(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def _without_later_defaults(mapping: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in mapping.items():
        if key in _LATER_DEFAULTS and value == _LATER_DEFAULTS[key]:
            continue
        out[key] = _without_later_defaults(value) if isinstance(value, dict) else value
    return out


def _methodology_error(err: ValidationError) -> MethodologyError:
    import pandas as pd

    rows = []
    for error in err.errors():
        path = ".".join(str(p) for p in error["loc"]) or "<root>"
        unknown = error["type"] == "extra_forbidden"
        problem = _unknown_key(error["loc"]) if unknown else error["msg"]
        rows.append({
            "reason": (Reason.UNKNOWN_KEY if unknown else Reason.INVALID_VALUE).value,
            "path": path, "problem": problem, "found": _short(error.get("input")),
        })  # fmt: skip
    lines = [f"{r['path']}: {r['problem']} (found {r['found']})" for r in rows]
    message = (
        f"{len(rows)} problem(s) in the methodology:\n  "
        + "\n  ".join(lines)
        + f"\nValid steps: {sorted(Methodology.model_fields)}."
    )
    return MethodologyError(message, failures=pd.DataFrame(rows))


def _unknown_key(loc: tuple[int | str, ...]) -> str:
    """An unknown key's message, with the known keys beside it ("did you mean")."""
    import difflib

    known = keys_at(Methodology, loc[:-1])
    if not known:
        return "unknown key"
    key = str(loc[-1])
    close = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown key; {hint}known keys here: {known}"


def _short(value: object, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters (a message stays short)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
