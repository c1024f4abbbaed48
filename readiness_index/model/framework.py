"""Framework definitions: the tree of an index, its pillars and its indicators.

A framework is a tree of any depth: the index at the root, aggregates (pillars,
sub-pillars) in between and indicators at the leaves. Indicators sit at level 1
and every aggregate one level above its highest child, as in COINr's ``iMeta``.

Definitions are frozen pydantic models with unknown keys forbidden. They are read
from one or many YAML files by :func:`readiness_index.io.files.load_framework`; every rule
that is broken is reported at once with the file and the key path.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from readiness_index.errors import DefinitionError, Reason
from readiness_index.model.identifiers import check_code, safe_href, unit_key

__all__ = [
    "Aggregate",
    "Bounds",
    "Denominator",
    "Display",
    "Framework",
    "Goalposts",
    "Indicator",
    "Source",
    "Target",
    "Text",
    "Transform",
    "Translation",
    "Unit",
]

#: The most levels a framework tree may have (the index at the top, indicators at 1).
MAX_LEVELS = 32
#: The most nodes (aggregates, indicators, denominators) and units a framework may hold.
MAX_NODES = 100_000
#: The largest weight (weights are relative: a larger one only risks overflow).
MAX_WEIGHT = 1e9


def _not_bool(value: object) -> object:
    """Refuse a boolean where a number is expected (YAML's true/false are not 1/0)."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number; found the boolean {str(value).lower()}")
    return value


def _web_link(url: str) -> str:
    """A source's link must be a web link (``https:``/``http:``) or a relative one."""
    if safe_href(url) is None:
        raise ValueError(f"expected an https: or http: link; found {url[:80]!r}")
    return url


#: A code: see :data:`readiness_index.model.identifiers.CODE_RULE`.
Code = Annotated[str, AfterValidator(check_code)]
#: A finite number (never a boolean).
Number = Annotated[float, BeforeValidator(_not_bool), Field(allow_inf_nan=False)]
#: A whole number (never a boolean).
Whole = Annotated[int, BeforeValidator(_not_bool)]
#: A weight: finite, positive and at most :data:`MAX_WEIGHT`.
Weight = Annotated[
    float, BeforeValidator(_not_bool), Field(gt=0, le=MAX_WEIGHT, allow_inf_nan=False)
]
#: A direction: 1 (higher is better) or -1 (lower is better); never a boolean.
Direction = Annotated[Literal[1, -1], BeforeValidator(_not_bool)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Source(_Frozen):
    """Where an indicator's figures are published.

    Examples
    --------
    >>> Source(publisher="Eurostat", dataset="isoc_eb_ai").dataset
    'isoc_eb_ai'
    """

    publisher: str
    dataset: str
    filter: str | None = None
    url: Annotated[str, AfterValidator(_web_link)] | None = None
    licence: str | None = None
    note: str | None = None


class Bounds(_Frozen):
    """Plausible bounds: a value outside ``[lower, upper]`` fails validation."""

    lower: Number | None = None
    upper: Number | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Bounds:
        if self.lower is not None and self.upper is not None and self.lower > self.upper:
            raise ValueError(f"lower bound {self.lower} is above upper bound {self.upper}")
        return self


class Goalposts(_Frozen):
    """Fixed goalposts for the goalposts normalisation, in the indicator's own unit."""

    lower: Number
    upper: Number

    @model_validator(mode="after")
    def _ordered(self) -> Goalposts:
        if not self.lower < self.upper:
            raise ValueError(
                f"goalposts need lower < upper; found lower={self.lower}, upper={self.upper}"
            )
        return self


class Transform(_Frozen):
    """A transform applied to an indicator's values (and goalposts) before normalisation.

    - ``log``: ``ln(x)``, for ``x > 0`` (the UNDP's income index);
    - ``log1p``: ``ln(1 + x)``, for ``x > -1`` (counts with zeros);
    - ``boxcox``: ``(x^lambda - 1) / lambda``, or ``ln(x)`` when ``lambda = 0``, for ``x > 0``.

    In YAML a transform without parameter may be written as its name alone:
    ``transform: log``; Box-Cox needs its ``lambda``:
    ``transform: {method: boxcox, lambda: 0.5}``.

    Examples
    --------
    >>> Transform.model_validate({"method": "boxcox", "lambda": 0.5}).lmbda
    0.5
    >>> Transform(method="log").lmbda is None
    True
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    method: Literal["log", "log1p", "boxcox"]
    lmbda: float | None = Field(default=None, alias="lambda")

    @model_validator(mode="after")
    def _lambda_fits(self) -> Transform:
        if self.method == "boxcox" and self.lmbda is None:
            raise ValueError(
                "transform 'boxcox' needs 'lambda', e.g. {method: boxcox, lambda: 0.5}"
            )
        if self.method != "boxcox" and self.lmbda is not None:
            raise ValueError(f"transform {self.method!r} takes no 'lambda'; only 'boxcox' does")
        return self


class Display(_Frozen):
    """How a quantity is shown to readers: ``shown = value * factor``, in ``unit``.

    With ``si: true`` the unit's SI prefix is chosen per row so that the larger
    number lies between 1 and 1,000 (``1,185,266 TFlop/s`` is shown as
    ``1.19 EFlop/s``); ``unit`` then names the prefixed unit of ``value * factor``.

    >>> Display(unit="%", factor=100).factor
    100.0
    """

    unit: str
    factor: Number = Field(default=1.0, gt=0)
    si: bool = False


class Target(_Frozen):
    """A policy target: one value for every country, one per country, or a multiple.

    ``value`` is the level to reach by ``year``. A relative target gives ``factor``
    instead: each country's own baseline (its value in ``baseline_year``, or its
    latest value) times ``factor`` (the Blueprint's "compute x3"). A target applies
    to the indicator's published value (before any denominator); ``name`` and
    ``unit`` label that quantity where it differs from the indicator (a per-inhabitant
    indicator whose target is on the national total); ``display`` says how to show it.
    """

    value: Number | dict[str, Number] | None = None
    factor: Number | None = Field(default=None, gt=0)
    baseline_year: Whole | None = Field(default=None, ge=1900, le=2200)
    year: Whole | None = Field(default=None, ge=1900, le=2200)
    policy: str | None = None
    name: str | None = None
    unit: str | None = None
    display: Display | None = None

    @model_validator(mode="after")
    def _value_or_factor(self) -> Target:
        if (self.value is None) == (self.factor is None):
            raise ValueError(
                "a target needs either 'value' (the level to reach) or 'factor' (a multiple "
                f"of each country's baseline), not both or neither; found value={self.value!r}, "
                f"factor={self.factor!r}"
            )
        return self

    def for_country(self, country: str) -> float | None:
        """The target value that applies to ``country`` (``None`` if it has none).

        A relative target (``factor``) has no value of its own: it is resolved
        against the data by :func:`readiness_index.analysis.targets.distance_to_target`.

        >>> Target(value={"AT": 45.0}, year=2030).for_country("AT")
        45.0
        """
        if isinstance(self.value, dict):
            return self.value.get(country)
        return self.value


class Text(_Frozen):
    """The translatable text of one node (or of the index) in one language.

    Every field is optional: what is not given falls back to the English text
    of the definition.
    """

    name: str | None = None
    description: str | None = None
    unit: str | None = None
    policy: str | None = None
    target_name: str | None = None
    target_unit: str | None = None
    rationale: str | None = None
    note: str | None = None


class Translation(_Frozen):
    """A framework's text in one language: the index's and each node's, by code.

    >>> Translation(nodes={"compute": Text(name="Rechenleistung")}).nodes["compute"].name
    'Rechenleistung'
    """

    index: Text = Field(default_factory=Text)
    nodes: dict[str, Text] = Field(default_factory=dict)


class Unit(_Frozen):
    """A unit of the index (a country or region) with optional group memberships."""

    code: Code
    name: str
    groups: dict[str, str] = Field(default_factory=dict)


class Denominator(_Frozen):
    """A series used only to divide indicators by (population, GDP, area...)."""

    code: Code
    name: str
    unit: str | None = None
    source: Source | None = None


class _Node(_Frozen):
    code: Code
    name: str
    parent: str | None = None
    weight: Weight = 1.0
    level: Whole | None = Field(default=None, ge=1, le=MAX_LEVELS)
    description: str | None = None
    active: bool = True


class Aggregate(_Node):
    """An aggregate node: the index itself, a pillar, a sub-pillar.

    ``direction: -1`` declares an aggregate where higher is worse (a "vulnerability"
    pillar whose indicators are measured so that higher means more vulnerable): every
    indicator below it is reversed before normalisation, so that the aggregate's
    score, like every score of the index, reads "higher is better" (see
    :attr:`Framework.directions`).

    Examples
    --------
    >>> Aggregate(code="compute", name="Compute", parent="index").weight
    1.0
    >>> Aggregate(code="risk", name="Risk", parent="index", direction=-1).direction
    -1
    """

    direction: Literal[1, -1] = 1


class Indicator(_Node):
    """An indicator: a leaf of the framework tree.

    ``direction`` is 1 when higher is better and -1 when lower is better.
    ``transform`` (``log``, ``log1p``, ``boxcox``) is applied to the values and to the
    goalposts and target, which stay written in the indicator's own unit.
    ``max_age`` is the oldest data an edition may use (years behind it); ``stale_after``
    the age from which a value used is marked stale (``o``) in every output (the
    methodology's ``editions.stale_after`` when absent). ``rationale`` says why the
    indicator measures its pillar, ``limits`` what it does not capture.

    Examples
    --------
    >>> Indicator(code="ai_use", name="AI use", parent="skills", direction=1).direction
    1
    """

    unit: str | None = None
    direction: Direction = 1
    source: Source | None = None
    bounds: Bounds | None = None
    goalposts: Goalposts | None = None
    target: Target | None = None
    denominator: str | None = None
    max_age: Whole | None = Field(default=None, ge=0, le=1000)
    stale_after: Whole | None = Field(default=None, ge=0, le=1000)
    rationale: str | None = None
    limits: str | None = None
    transform: Transform | None = None

    @field_validator("transform", mode="before")
    @classmethod
    def _transform_by_name(cls, value: Any) -> Any:
        """``transform: log`` is short for ``transform: {method: log}``."""
        return {"method": value} if isinstance(value, str) else value


class TileMap(_Frozen):
    """A tile-grid map of the units: each unit's square as ``(column, row)``, row 0 on top.

    Examples
    --------
    >>> TileMap(name="Benelux", tiles={"NL": (1, 0), "BE": (0, 1), "LU": (1, 1)}).tiles["BE"]
    (0, 1)
    """

    name: str
    tiles: dict[str, tuple[int, int]]


#: Keys that change how reports present an index but no score; left out of its fingerprint.
PRESENTATION_KEYS = frozenset({"reference_name", "map", "translations"})


class Framework(_Frozen):
    """A composite index framework: a validated tree of aggregates and indicators.

    Examples
    --------
    >>> fw = Framework(
    ...     code="idx", name="Index",
    ...     aggregates=(Aggregate(code="idx", name="Index"),),
    ...     indicators=(Indicator(code="a", name="A", parent="idx"),
    ...                 Indicator(code="b", name="B", parent="idx", weight=2)),
    ... )
    >>> fw.levels["idx"], fw.children("idx")
    (2, ('a', 'b'))
    """

    code: Code = "index"
    name: str = "Index"
    version: str = "1"
    description: str | None = None
    aggregates: tuple[Aggregate, ...]
    indicators: tuple[Indicator, ...]
    denominators: tuple[Denominator, ...] = ()
    units: tuple[Unit, ...] = ()
    reference_name: str | None = None
    map: TileMap | None = None
    #: Text in other languages, by language code; English is the text of the definitions.
    translations: dict[str, Translation] = Field(default_factory=dict)

    def model_copy(
        self, *, update: Mapping[str, Any] | None = None, deep: bool = False
    ) -> Framework:
        """A copy (see pydantic's ``model_copy``) that computes its tree navigation anew:
        what was worked out once from the copied framework (nodes, children, levels ...)
        would not describe a copy with other nodes."""
        copied = super().model_copy(update=update, deep=deep)
        for name, member in vars(Framework).items():
            if isinstance(member, cached_property):
                copied.__dict__.pop(name, None)
        return copied

    @model_validator(mode="after")
    def _tree_rules(self) -> Framework:
        problems = list(_tree_problems(self))
        if problems:
            raise _tree_error(problems)
        return self

    # -- tree navigation ---------------------------------------------------------
    @cached_property
    def nodes(self) -> dict[str, Aggregate | Indicator]:
        """Every node by code, aggregates first."""
        nodes: dict[str, Aggregate | Indicator] = {a.code: a for a in self.aggregates}
        nodes.update({i.code: i for i in self.indicators})
        return nodes

    def aggregate_codes_raw(self) -> tuple[str, ...]:
        """Codes of the aggregates, in definition order."""
        return tuple(a.code for a in self.aggregates)

    @cached_property
    def indicator_codes(self) -> tuple[str, ...]:
        """Codes of the indicators, in definition order."""
        return tuple(i.code for i in self.indicators)

    @cached_property
    def aggregate_codes(self) -> tuple[str, ...]:
        """Codes of the aggregates, from the lowest level to the root."""
        return tuple(sorted((a.code for a in self.aggregates), key=self.levels.__getitem__))

    @cached_property
    def root(self) -> str:
        """Code of the root node (the index)."""
        return next(a.code for a in self.aggregates if a.parent is None)

    def children(self, code: str) -> tuple[str, ...]:
        """Codes of the direct children of ``code``, in definition order."""
        return self._children.get(code, ())

    @cached_property
    def _children(self) -> dict[str, tuple[str, ...]]:
        """The direct children of every node that has some."""
        children: dict[str, list[str]] = {}
        for node in self.nodes.values():
            if node.parent is not None:
                children.setdefault(node.parent, []).append(node.code)
        return {code: tuple(codes) for code, codes in children.items()}

    def parents(self, code: str) -> tuple[str, ...]:
        """Codes of the ancestors of ``code``, nearest first."""
        chain: list[str] = []
        parent = self.nodes[code].parent
        while parent is not None:
            chain.append(parent)
            parent = self.nodes[parent].parent
        return tuple(chain)

    @cached_property
    def levels(self) -> dict[str, int]:
        """Level of every node: 1 for indicators, one above the highest child otherwise."""
        levels: dict[str, int] = {i.code: 1 for i in self.indicators}

        def level_of(code: str) -> int:
            if code not in levels:
                levels[code] = 1 + max((level_of(c) for c in self.children(code)), default=1)
            return levels[code]

        for agg in self.aggregates:
            level_of(agg.code)
        return levels

    @property
    def max_level(self) -> int:
        """The level of the root."""
        return self.levels[self.root]

    @property
    def weights(self) -> dict[str, float]:
        """Nominal weight of every node."""
        return {code: node.weight for code, node in self.nodes.items()}

    @property
    def directions(self) -> dict[str, int]:
        """Effective direction (1 or -1) of every indicator.

        An indicator's own direction times the directions of its ancestors: an
        indicator below an aggregate with ``direction: -1`` is reversed.
        """
        signs = {a.code: int(a.direction) for a in self.aggregates}
        return {
            i.code: int(i.direction) * math.prod(signs.get(p, 1) for p in self.parents(i.code))
            for i in self.indicators
        }

    @property
    def transforms(self) -> dict[str, Transform]:
        """The transform of every indicator that declares one."""
        return {i.code: i.transform for i in self.indicators if i.transform is not None}

    def indicator(self, code: str) -> Indicator:
        """The indicator with this code."""
        node = self.nodes[code]
        if not isinstance(node, Indicator):
            raise KeyError(f"{code!r} is an aggregate, not an indicator")
        return node

    def walk(self) -> Iterator[tuple[int, Aggregate | Indicator]]:
        """Depth-first walk from the root: ``(depth, node)`` pairs."""

        def visit(code: str, depth: int) -> Iterator[tuple[int, Aggregate | Indicator]]:
            yield depth, self.nodes[code]
            for child in self.children(code):
                yield from visit(child, depth + 1)

        return visit(self.root, 0)

    def active(self) -> Framework:
        """The framework without inactive nodes and everything below them.

        A node is dropped when it, or one of its ancestors, has ``active: false``.
        """
        return self._active

    @cached_property
    def _active(self) -> Framework:
        dropped = {
            code
            for code, node in self.nodes.items()
            if not node.active or any(not self.nodes[p].active for p in self.parents(code))
        }
        if not dropped:
            return self
        dump = self.model_dump()
        dump["aggregates"] = [a for a in dump["aggregates"] if a["code"] not in dropped]
        dump["indicators"] = [i for i in dump["indicators"] if i["code"] not in dropped]
        for translation in dump["translations"].values():
            nodes = translation["nodes"]
            translation["nodes"] = {c: text for c, text in nodes.items() if c not in dropped}
        return Framework.model_validate(dump)

    def with_weights(self, weights: Mapping[str, float]) -> Framework:
        """A copy with the weights of the named nodes replaced."""
        unknown = sorted(set(weights) - set(self.nodes))
        if unknown:
            raise KeyError(f"weights name unknown codes {unknown}")
        return Framework.model_validate(
            {
                **self.model_dump(),
                "aggregates": [
                    {**a.model_dump(), "weight": weights.get(a.code, a.weight)}
                    for a in self.aggregates
                ],
                "indicators": [
                    {**i.model_dump(), "weight": weights.get(i.code, i.weight)}
                    for i in self.indicators
                ],
            }
        )

    @cached_property
    def content_hash(self) -> str:
        """A stable SHA-256 of the definitions (independent of file layout and key order).

        Keys added after the first release are left out while they hold their default,
        so that the hash of a framework that does not use them does not change. The
        presentation keys (:data:`PRESENTATION_KEYS`: the name of the reference average,
        the map, the translations) change no score and are always left out.
        """
        dump = self.model_dump(mode="json", by_alias=True, exclude=set(PRESENTATION_KEYS))
        for kind, (key, default) in _LATER_KEYS.items():
            for node in dump[kind]:
                if node.get(key, default) == default:
                    node.pop(key, None)
        for node in dump["indicators"]:
            target = node.get("target") or {}
            for key in _LATER_TARGET_KEYS:
                if target.get(key) is None:
                    target.pop(key, None)
        canonical = json.dumps(dump, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    @property
    def languages(self) -> tuple[str, ...]:
        """English (the language of the definitions) and every translated language."""
        return ("en", *sorted(code for code in self.translations if code != "en"))

    def text(self, code: str | None, field: str = "name", language: str = "en") -> str | None:
        """The text ``field`` of node ``code`` (of the index when ``None``) in ``language``.

        Fields: ``name``, ``description``, ``unit``, ``rationale``; a target's
        ``policy``, ``target_name`` and ``target_unit`` (a target declared in the
        indicator's unit shares its translation); a source's ``note``. Text not
        translated into ``language`` is the English of the definitions, the declared
        fallback (so a user's own framework renders in any language).

        >>> fw = Framework(aggregates=(Aggregate(code="i", name="Index"),),
        ...                indicators=(Indicator(code="a", name="Area", parent="i"),),
        ...                translations={"de": Translation(nodes={"a": Text(name="Fläche")})})
        >>> fw.text("a", "name", "de"), fw.text("a", "name", "fr"), fw.text(None, "name", "de")
        ('Fläche', 'Area', 'Index')
        """
        translation = self.translations.get(language)
        if translation is not None:
            given = translation.index if code is None else translation.nodes.get(code)
            if given is not None and getattr(given, field) is not None:
                return str(getattr(given, field))
        if field == "target_unit" and code is not None and _same_unit_as_target(self, code):
            return self.text(code, "unit", language)  # one quantity: the unit's translation
        return _english_text(self, code, field)


def _same_unit_as_target(fw: Framework, code: str) -> bool:
    """Whether the target of ``code`` is declared in the indicator's own unit."""
    node = fw.nodes[code]
    unit = getattr(getattr(node, "target", None), "unit", None)
    return unit is not None and unit == getattr(node, "unit", None)


def _english_text(fw: Framework, code: str | None, field: str) -> str | None:
    """The English (definition) text of a field of the index or of a node."""
    if field not in Text.model_fields:
        raise KeyError(
            f"no translatable field {field!r}; expected one of {list(Text.model_fields)}"
        )
    if code is None:
        return fw.name if field == "name" else fw.description if field == "description" else None
    node = fw.nodes[code]
    target = getattr(node, "target", None)
    source = getattr(node, "source", None)
    owners: dict[str, tuple[object, str]] = {
        "policy": (target, "policy"), "target_name": (target, "name"),
        "target_unit": (target, "unit"), "note": (source, "note"),
    }  # fmt: skip
    owner, attribute = owners.get(field, (node, field))
    value = getattr(owner, attribute, None)
    return None if value is None else str(value)


_LATER_KEYS: dict[str, tuple[str, object]] = {
    "aggregates": ("direction", 1),
    "indicators": ("transform", None),
}
_LATER_TARGET_KEYS = ("factor", "baseline_year", "name", "unit", "display")


TreeProblem = tuple[Reason, str, str]
"""A broken tree rule: its reason, the code it concerns and a sentence."""


def _tree_error(problems: list[TreeProblem]) -> DefinitionError:
    """One :class:`DefinitionError` with a failure table (``reason, code, problem``)."""
    import pandas as pd

    table = pd.DataFrame(
        [
            {"reason": reason.value, "code": code, "problem": text}
            for reason, code, text in problems
        ],
        columns=["reason", "code", "problem"],
    )
    lines = "\n  ".join(text for _, _, text in problems[:50])
    more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
    return DefinitionError(f"{len(problems)} problem(s) in the framework:\n  {lines}{more}", table)


def _tree_problems(fw: Framework) -> Iterator[TreeProblem]:
    """Yield every broken tree rule of ``fw``."""
    sizes = len(fw.aggregates) + len(fw.indicators) + len(fw.denominators), len(fw.units)
    if max(sizes) > MAX_NODES:
        yield (
            Reason.TOO_LARGE,
            fw.code,
            (
                f"the framework has {sizes[0]:,} nodes and {sizes[1]:,} units; "
                f"at most {MAX_NODES:,} of each are allowed"
            ),
        )
        return
    yield from _code_problems(fw)
    aggregates = {a.code for a in fw.aggregates}
    roots = [a.code for a in fw.aggregates if a.parent is None]
    if len(roots) != 1:
        yield (
            Reason.ROOT,
            fw.code,
            (f"expected exactly one root aggregate (no parent); found {roots[:10] or 'none'}"),
        )
    for indicator in fw.indicators:
        if indicator.parent is None:
            yield (
                Reason.NO_PARENT,
                indicator.code,
                (f"indicator {indicator.code!r} has no parent; every indicator needs one"),
            )
    for node in fw.nodes.values():
        if node.parent is not None and node.parent not in aggregates:
            yield (
                Reason.UNKNOWN_PARENT,
                node.code,
                (
                    f"{node.code!r} names parent {node.parent!r:.80}, which is not an aggregate; "
                    f"known aggregates: {sorted(aggregates)[:20]}"
                ),
            )
    tree = list(_cycle_problems(fw))
    yield from tree
    yield from _reference_problems(fw)
    yield from _translation_problems(fw)
    if not any(reason in (Reason.CYCLE, Reason.TOO_DEEP) for reason, _, _ in tree):
        yield from _level_problems(fw)


def _code_problems(fw: Framework) -> Iterator[TreeProblem]:
    """Codes are unique, also when case is ignored (at, At and AT are one code)."""
    codes = [*fw.aggregate_codes_raw(), *fw.indicator_codes, *(d.code for d in fw.denominators)]
    for group, kind in ((codes, "code"), ([u.code for u in fw.units], "unit code")):
        spellings: dict[str, list[str]] = {}
        for code in group:
            spellings.setdefault(unit_key(code), []).append(code)
        for same in spellings.values():
            if len(same) > 1 and len(set(same)) == 1:
                yield (
                    Reason.DUPLICATE_CODE,
                    same[0],
                    (f"{kind} {same[0]!r} is defined more than once; codes must be unique"),
                )
            elif len(same) > 1:
                yield (
                    Reason.CODE_CASE,
                    same[0],
                    (
                        f"{kind}s {sorted(set(same))} differ only in case; codes are "
                        "case-insensitive, so they would be one: keep one spelling"
                    ),
                )


def _level_problems(fw: Framework) -> Iterator[TreeProblem]:
    """A declared ``level`` must be the one the tree gives (indicators 1, parents above)."""
    if any(n.parent is not None and n.parent not in fw.nodes for n in fw.nodes.values()):
        return
    for code, node in fw.nodes.items():
        if node.level is not None and node.level != fw.levels[code]:
            yield (
                Reason.LEVEL,
                code,
                (
                    f"{code!r} declares level {node.level}, but the tree puts it at level "
                    f"{fw.levels[code]} (indicators are level 1, each aggregate one above its "
                    "highest child); correct or remove 'level'"
                ),
            )


def _cycle_problems(fw: Framework) -> Iterator[TreeProblem]:
    parent = {n.code: n.parent for n in (*fw.aggregates, *fw.indicators)}
    too_deep = False
    for code in parent:
        seen = {code}
        step = parent.get(code)
        while step is not None and step in parent:
            if step in seen:
                yield (
                    Reason.CYCLE,
                    code,
                    (f"{code!r} is its own ancestor; the framework must be a tree"),
                )
                break
            if len(seen) >= MAX_LEVELS:
                if not too_deep:  # said once: every node below it is too deep as well
                    yield (
                        Reason.TOO_DEEP,
                        code,
                        (
                            f"{code!r} is more than {MAX_LEVELS} levels below the root; "
                            f"a framework has at most {MAX_LEVELS} levels"
                        ),
                    )
                too_deep = True
                break
            seen.add(step)
            step = parent[step]
    has_children = {n.parent for n in (*fw.aggregates, *fw.indicators)}
    for agg in fw.aggregates:
        if agg.code not in has_children:
            yield (
                Reason.CHILDLESS,
                agg.code,
                (f"aggregate {agg.code!r} has no children; remove it or give it indicators"),
            )


def _reference_problems(fw: Framework) -> Iterator[TreeProblem]:
    denominators = {d.code for d in fw.denominators} | {i.code for i in fw.indicators}
    for ind in fw.indicators:
        if ind.denominator is not None and ind.denominator not in denominators:
            yield (
                Reason.UNKNOWN_DENOMINATOR,
                ind.code,
                (
                    f"indicator {ind.code!r} names denominator {ind.denominator!r:.80}, which is "
                    "neither a declared denominator nor an indicator"
                ),
            )
    units = {u.code for u in fw.units}
    for ind in fw.indicators:
        if ind.target is not None and isinstance(ind.target.value, dict) and units:
            for country in sorted(set(ind.target.value) - units):
                yield (
                    Reason.UNKNOWN_TARGET_UNIT,
                    ind.code,
                    (f"indicator {ind.code!r} has a target for unknown unit {country!r:.80}"),
                )


def _translation_problems(fw: Framework) -> Iterator[TreeProblem]:
    """Translations must name codes of the framework (a typo would silently stay English)."""
    for language, translation in sorted(fw.translations.items()):
        for code in sorted(set(translation.nodes) - set(fw.nodes)):
            yield (
                Reason.UNKNOWN_TRANSLATED_CODE,
                code,
                f"translation {language!r:.20} names {code!r:.80}, which is not a code of the "
                f"framework; known codes: {sorted(fw.nodes)[:20]}",
            )
