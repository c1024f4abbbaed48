"""Normalisation: bring indicators onto a common scale.

Every formula works on a 1-D array ``x`` already multiplied by the indicator's
direction (so that higher is always better); ``NaN`` marks a missing value and
stays missing. The formulas are COINr's (``n_minmax``, ``n_zscore`` ...).

:class:`Normaliser` applies one method to a wide ``(country, year) x indicator``
table, fitting its parameters per year or over all years at once (``pooled``,
COINr's global normalisation of a purse), which makes scores comparable over time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from readiness_index.errors import ComputationError
from readiness_index.model.data import level_values
from readiness_index.model.framework import Framework, Transform
from readiness_index.model.methodology import NormaliseSpec
from readiness_index.model.registry import Method, Registry

__all__ = [
    "NORMALISATIONS",
    "Normalisation",
    "Normaliser",
    "apply_transform",
    "borda",
    "distance_to_max",
    "distance_to_reference",
    "distance_to_target",
    "fraction_of_max",
    "goalposts",
    "minmax",
    "percentile_rank",
    "rank",
    "register_normalisation",
    "rescale",
    "scaled",
    "zscore",
]

Array = np.ndarray


def _float_array(values: object) -> Array:
    return np.asarray(values, dtype="float64")


def minmax(x: Array, lower: float = 0.0, upper: float = 100.0) -> Array:
    """Min-max: ``(x - min) / (max - min) * (upper - lower) + lower``.

    Over the last axis: each row of a ``(indicators, units)`` array on its own. A
    constant indicator (max = min) gives ``NaN``, as in COINr.

    >>> minmax(np.array([1.0, 2.0, 3.0, np.nan]))
    array([  0.,  50., 100.,  nan])
    >>> minmax(np.array([[1.0, 3.0], [10.0, 20.0]]), 0, 1)
    array([[0., 1.],
           [0., 1.]])
    """
    lo, hi = _lowest(x), _highest(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _float_array((x - lo) / (hi - lo) * (upper - lower) + lower)


def _lowest(x: Array) -> Array:
    """The smallest value present over the last axis (``NaN`` where none), kept as an axis."""
    return np.fmin.reduce(x, axis=-1, keepdims=True)


def _highest(x: Array) -> Array:
    """The largest value present over the last axis (``NaN`` where none), kept as an axis."""
    return np.fmax.reduce(x, axis=-1, keepdims=True)


def zscore(x: Array, mean: float = 0.0, sd: float = 1.0) -> Array:
    """Z-score: ``(x - mean(x)) / sd(x) * sd' + mean'`` with the sample sd (n - 1).

    Over the last axis, like :func:`minmax`. Fewer than two values (no sample sd) or a
    constant indicator give ``NaN``.

    >>> zscore(np.array([1.0, 2.0, 3.0]), mean=10, sd=2)
    array([ 8., 10., 12.])
    >>> zscore(np.array([4.0, np.nan]))
    array([nan, nan])
    """
    missing = np.isnan(x)
    count = np.count_nonzero(~missing, axis=-1, keepdims=True)
    filled = np.where(missing, 0.0, x)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = filled.sum(axis=-1, keepdims=True) / count
        deviation = np.where(missing, 0.0, filled - centre)
        spread = np.sqrt((deviation * deviation).sum(axis=-1, keepdims=True) / (count - 1))
        z = (x - centre) / spread * sd + mean
    return _float_array(np.where(count < 2, np.nan, z))


def scaled(x: Array, lower: float = 0.0, upper: float = 100.0, factor: float = 100.0) -> Array:
    """Linear scaling: ``(x - lower) / (upper - lower) * factor``.

    >>> scaled(np.array([0.0, 5.0, 10.0]), lower=0, upper=10)
    array([  0.,  50., 100.])
    """
    return (x - lower) / (upper - lower) * factor


def rank(x: Array) -> Array:
    """Rank, ascending (the highest value gets the highest rank); ties get the minimum rank.

    >>> rank(np.array([3.0, 1.0, 3.0, np.nan]))
    array([ 2.,  1.,  2., nan])
    """
    return pd.Series(x).rank(method="min", na_option="keep").to_numpy(dtype="float64")


def borda(x: Array) -> Array:
    """Borda score: ``rank - 1``.

    >>> borda(np.array([3.0, 1.0, 2.0]))
    array([2., 0., 1.])
    """
    return rank(x) - 1


def percentile_rank(x: Array) -> Array:
    """Percentile rank: ``(rank - 1) / (n - 1)``, ``n`` the number of present values.

    >>> percentile_rank(np.array([3.0, 1.0, 2.0, np.nan]))
    array([1. , 0. , 0.5, nan])
    """
    n = np.count_nonzero(~np.isnan(x))
    with np.errstate(invalid="ignore", divide="ignore"):
        return (rank(x) - 1) / (n - 1)


def fraction_of_max(x: Array) -> Array:
    """Fraction of the maximum: ``x / max`` (over the last axis).

    >>> fraction_of_max(np.array([1.0, 4.0]))
    array([0.25, 1.  ])
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        return _float_array(x / _highest(x))


def distance_to_max(x: Array) -> Array:
    """Distance to the maximum: ``1 - (max - x) / (max - min)`` (over the last axis).

    >>> distance_to_max(np.array([0.0, 5.0, 10.0]))
    array([0. , 0.5, 1. ])
    """
    lo, hi = _lowest(x), _highest(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _float_array(1 - (hi - x) / (hi - lo))


def distance_to_reference(x: Array, reference: float, cap: bool = False) -> Array:
    """Distance to a reference unit's value: ``1 - (x_ref - x) / (x_ref - min)``.

    With ``cap`` values beyond the reference score 1.

    >>> distance_to_reference(np.array([0.0, 5.0, 10.0]), reference=5.0, cap=True)
    array([0., 1., 1.])
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        y = 1 - (reference - x) / (reference - np.nanmin(x))
    return np.where(cap & (y > 1), 1.0, y)


def distance_to_target(x: Array, target: Array | float, cap: bool = False) -> Array:
    """Distance to target: ``(x - min) / (target - min)``, on direction-adjusted values.

    For a "lower is better" indicator the values and target arrive multiplied by
    -1, which gives ``(max - x) / (max - target)`` in the original units. With
    ``cap`` values beyond the target score 1.

    >>> distance_to_target(np.array([0.0, 5.0, 20.0]), target=10.0)
    array([0. , 0.5, 2. ])
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        y = (x - np.nanmin(x)) / (np.asarray(target, dtype="float64") - np.nanmin(x))
    return np.where(cap & (y > 1), 1.0, y)


def goalposts(
    x: Array,
    lower: float | Array,
    upper: float | Array,
    *,
    direction: int = 1,
    scale: float = 100.0,
    truncate: bool = True,
) -> Array:
    """Goalposts: ``(x - lower) / (upper - lower) * scale`` for fixed posts.

    ``x`` arrives direction-adjusted; for ``direction = -1`` this is
    ``(upper - x) / (upper - lower) * scale`` in the original units. With
    ``truncate`` scores are kept within ``[0, scale]``.

    >>> goalposts(np.array([-5.0, 50.0, 150.0]), 0, 100)
    array([  0.,  50., 100.])
    >>> goalposts(np.array([-20.0]), 0, 100, direction=-1)
    array([80.])
    """
    y = (x + upper if direction == -1 else x - lower) / (upper - lower)
    if truncate:
        y = np.clip(y, 0.0, 1.0)
    return y * scale


def apply_transform(x: Array, method: str, lmbda: float | None = None) -> Array:
    """Transform values before normalisation.

    ``log``: ``ln(x)``; ``log1p``: ``ln(1 + x)``; ``boxcox``: ``(x^lambda - 1) / lambda``
    (``ln(x)`` for ``lambda = 0``). A value outside the transform's domain gives ``NaN``
    (the :class:`Normaliser` refuses such values before they get here).

    >>> apply_transform(np.array([1.0, np.e]), "log")
    array([0., 1.])
    >>> apply_transform(np.array([0.0, np.e - 1]), "log1p")
    array([0., 1.])
    >>> apply_transform(np.array([1.0, 4.0]), "boxcox", 0.5)
    array([0., 2.])
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "log" or (method == "boxcox" and lmbda == 0):
            return np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), np.nan)
        if method == "log1p":
            return np.where(x > -1, np.log1p(np.where(x > -1, x, 0.0)), np.nan)
        if method == "boxcox" and lmbda is not None:
            return np.where(x > 0, (np.power(np.where(x > 0, x, 1.0), lmbda) - 1) / lmbda, np.nan)
    raise ValueError(f"unknown transform {method!r} (lambda={lmbda})")


def _domain(method: str) -> tuple[float, str]:
    """The exclusive lower bound of a transform's domain, in words too."""
    return (-1.0, "> -1") if method == "log1p" else (0.0, "> 0")


def rescale(y: Array, lower: float, upper: float) -> Array:
    """Map a 0-1 score onto ``[lower, upper]``: ``lower + y * (upper - lower)``.

    >>> rescale(np.array([0.0, 0.5, 1.0]), 1, 100)
    array([  1. ,  50.5, 100. ])
    """
    return lower + y * (upper - lower)


@dataclass(frozen=True)
class Column:
    """What a normalisation may use besides the values of one indicator in one group of rows.

    ``target`` arrives multiplied by ``direction``, like the values.
    """

    code: str
    direction: int
    countries: np.ndarray
    posts: tuple[float, float] | tuple[Array, Array] | None = None
    target: Array | None = None


Apply = Callable[[Array, NormaliseSpec, Column], Array]


def _identity(x: Array, spec: NormaliseSpec, column: Column) -> Array:
    return x


@dataclass(frozen=True)
class Normalisation(Method):
    """A registered normalisation.

    Attributes
    ----------
    apply : callable
        ``apply(x, spec, column)``: the formula called with the settings of ``spec`` and
        what ``column`` holds (goalposts, a target, the units).
    needs : str, optional
        ``"goalposts"`` or ``"a target"``: what every indicator normalised with this
        method must declare in the framework.
    rows : callable, optional
        ``rows(x, spec)``: the formula over an ``(indicators, units)`` array, each row on
        its own, for a method that needs nothing but the values (min-max, z-score ...):
        the indicators that share its settings are normalised in one call.
    """

    apply: Apply = field(default=_identity, repr=False)
    needs: str | None = None
    rows: Callable[[Array, NormaliseSpec], Array] | None = field(default=None, repr=False)


#: Every normalisation method, by name.
NORMALISATIONS: Registry[Normalisation] = Registry("normalise")


def register_normalisation(name: str) -> Callable[[Callable[..., Array]], Callable[..., Array]]:
    """Register a user's normalisation under ``name`` (a decorator).

    The function is called as ``function(x, **options)`` with ``x`` one indicator's
    values in one year (or all years with ``scope: pooled``), already multiplied by
    the indicator's direction (higher is better), ``NaN`` for a missing value; it
    returns the normalised values. ``options`` come from the methodology
    (``normalise: {method: name, options: {...}}``).

    Examples
    --------
    >>> @register_normalisation("share_of_total")
    ... def share_of_total(x, scale=100.0):
    ...     '''Share of the total: ``x / sum(x) * scale``.'''
    ...     return x / np.nansum(x) * scale
    >>> spec = NormaliseSpec(method="share_of_total", options={"scale": 1})
    >>> idx = pd.MultiIndex.from_tuples([("A", 2024), ("B", 2024)], names=["country", "year"])
    >>> Normaliser(spec, {"x": 1}).transform(pd.DataFrame({"x": [1.0, 3.0]}, idx))["x"].tolist()
    [0.25, 0.75]
    """

    def register(function: Callable[..., Array]) -> Callable[..., Array]:
        def apply(x: Array, spec: NormaliseSpec, column: Column) -> Array:
            return np.asarray(function(x, **spec.options), dtype="float64")

        NORMALISATIONS.add(
            Normalisation(name, function, frozenset({"options"}), builtin=False, apply=apply)
        )
        return function

    return register


def _builtin(
    name: str,
    function: Callable[..., Any],
    apply: Apply,
    *parameters: str,
    needs: str | None = None,
) -> None:
    NORMALISATIONS.add(
        Normalisation(name, function, frozenset(parameters), True, apply=apply, needs=needs)
    )


def _row_wise(
    name: str, function: Callable[..., Any], rows: Callable[[Array, NormaliseSpec], Array],
    *parameters: str,
) -> None:  # fmt: skip
    """A built-in method whose formula takes each row of an array on its own."""
    NORMALISATIONS.add(
        Normalisation(
            name, function, frozenset(parameters), True, apply=lambda x, s, c: rows(x, s),
            rows=rows,
        )
    )  # fmt: skip


def _reference_value(x: Array, spec: NormaliseSpec, column: Column) -> float:
    hits = np.flatnonzero(column.countries == spec.reference)
    return float(x[hits[-1]]) if hits.size else float("nan")


def _posts(column: Column) -> tuple[float, float] | tuple[Array, Array]:
    assert column.posts is not None  # checked for every column before normalising
    return column.posts


def _no_normalisation(x: Array) -> Array:
    """No normalisation: the direction-adjusted values ``x`` as they are."""
    return x


_row_wise("none", _no_normalisation, lambda x, s: x)
_row_wise("minmax", minmax, lambda x, s: minmax(x, s.lower, s.upper), "lower", "upper")
_row_wise("zscore", zscore, lambda x, s: zscore(x, s.mean, s.sd), "mean", "sd")
_row_wise(
    "scaled", scaled, lambda x, s: scaled(x, s.lower, s.upper, s.factor), "lower", "upper",
    "factor",
)  # fmt: skip
_builtin("rank", rank, lambda x, s, c: rank(x))
_builtin("borda", borda, lambda x, s, c: borda(x))
_builtin("percentile_rank", percentile_rank, lambda x, s, c: percentile_rank(x))
_row_wise("fraction_of_max", fraction_of_max, lambda x, s: fraction_of_max(x))
_row_wise("distance_to_max", distance_to_max, lambda x, s: distance_to_max(x))
_builtin(
    "distance_to_reference",
    distance_to_reference,
    lambda x, s, c: distance_to_reference(x, _reference_value(x, s, c), s.cap),
    "reference",
    "cap",
)


def _in_range(y: Array, spec: NormaliseSpec) -> Array:
    """A 0-1 score onto ``spec.range`` when one is set."""
    out_range = spec.output_range()
    return y if out_range is None else rescale(y, *out_range)


def _distance_to_target(x: Array, spec: NormaliseSpec, column: Column) -> Array:
    target = np.nan if column.target is None else column.target
    return _in_range(distance_to_target(x, target, spec.cap), spec)


def _goalposts(x: Array, spec: NormaliseSpec, column: Column) -> Array:
    scale = spec.scale if spec.range is None else 1.0
    y = goalposts(x, *_posts(column), direction=column.direction, scale=scale,
                  truncate=spec.truncate)  # fmt: skip
    return y if spec.range is None else _in_range(y, spec)


_builtin(
    "distance_to_target",
    distance_to_target,
    _distance_to_target,
    "cap",
    "range",
    needs="a target",
)
_builtin("goalposts", goalposts, _goalposts, "scale", "truncate", "range", needs="goalposts")


@dataclass(frozen=True)
class Normaliser:
    """Normalise a wide table with one :class:`~readiness_index.model.methodology.NormaliseSpec`.

    Each method comes from :data:`NORMALISATIONS`; the build and the uncertainty engine
    set the normaliser up the same way, with :meth:`for_framework`.

    Parameters
    ----------
    spec : NormaliseSpec
        Method, scope and parameters.
    directions : mapping of str to int
        1 (higher is better) or -1 per indicator.
    targets : mapping of str to float or mapping, default {}
        Targets per indicator (a value, or a value per country), for ``distance_to_target``.
    posts : mapping of str to (float, float), default {}
        Goalposts per indicator, for ``goalposts``.
    transforms : mapping of str to Transform, default {}
        Transforms per indicator, applied to values, goalposts and targets first.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_tuples([("A", 2024), ("B", 2024)], names=["country", "year"])
    >>> wide = pd.DataFrame({"x": [1.0, 3.0]}, index=idx)
    >>> Normaliser(NormaliseSpec(), {"x": -1}).transform(wide)["x"].tolist()
    [100.0, 0.0]
    """

    spec: NormaliseSpec
    directions: Mapping[str, int]
    targets: Mapping[str, float | Mapping[str, float]] = field(default_factory=dict)
    posts: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    transforms: Mapping[str, Transform] = field(default_factory=dict)

    @classmethod
    def for_framework(cls, framework: Framework, spec: NormaliseSpec) -> Normaliser:
        """The normaliser of ``spec`` with the framework's directions, targets, goalposts
        and transforms (as every build and replication sets it up).

        >>> from readiness_index.model.framework import Aggregate, Indicator
        >>> fw = Framework(aggregates=(Aggregate(code="i", name="I"),),
        ...                indicators=(Indicator(code="a", name="A", parent="i",
        ...                            transform="log", goalposts={"lower": 1, "upper": 100}),))
        >>> Normaliser.for_framework(fw, NormaliseSpec(method="goalposts")).posts
        {'a': (1.0, 100.0)}
        """
        return cls(
            spec,
            framework.directions,
            targets={
                i.code: i.target.value
                for i in framework.indicators
                if i.target is not None and i.target.value is not None  # a factor has no level
            },
            posts={
                i.code: (i.goalposts.lower, i.goalposts.upper)
                for i in framework.indicators
                if i.goalposts is not None
            },
            transforms=framework.transforms,
        )

    def transform(self, wide: pd.DataFrame) -> pd.DataFrame:
        """Return a new, normalised table (the input is not changed).

        Raises
        ------
        ComputationError
            If a value, goalpost or target lies outside its indicator's transform
            domain (every such cell is listed), or a method lacks its parameters.
        """
        self._check_parameters(wide)
        self._check_domains(wide)
        values = wide.to_numpy(dtype="float64", copy=True)
        countries, years = (level_values(wide.index, name) for name in ("country", "year"))
        if self.spec.scope == "pooled":
            groups = [np.arange(len(wide))]
        else:
            groups = [np.flatnonzero(years == year) for year in np.unique(years)]
        codes = [str(code) for code in wide.columns.tolist()]
        for rows in groups:
            values[rows] = self.columns(values[rows].T, countries[rows], codes).T
        return pd.DataFrame(values, index=wide.index, columns=wide.columns, copy=False)

    def columns(self, raw: Array, countries: np.ndarray, codes: Sequence[str]) -> Array:
        """Several indicators normalised over one group of rows, each as :meth:`column`
        normalises it: ``raw`` is ``(indicators, units)``, one row per code.

        The indicators whose method takes rows on its own (:attr:`Normalisation.rows`) and
        that share their settings are normalised in one call.

        >>> n = Normaliser(NormaliseSpec(), {"x": 1, "y": -1})
        >>> n.columns(np.array([[1.0, 3.0], [1.0, 3.0]]), np.array(["A", "B"]), ["x", "y"])
        array([[  0., 100.],
               [100.,   0.]])
        """
        out = np.empty(raw.shape, dtype="float64")
        shared: dict[int, tuple[NormaliseSpec, list[int]]] = {}
        for j, code in enumerate(codes):
            spec = self.spec.for_indicator(code)
            if NORMALISATIONS[spec.method].rows is None:
                out[j] = self.column(raw[j], countries, code)
            else:
                shared.setdefault(id(spec), (spec, []))[1].append(j)
        for spec, rows in shared.values():
            x = np.stack([self._directed(raw[j], codes[j]) for j in rows])
            formula = NORMALISATIONS[spec.method].rows
            assert formula is not None  # chosen above for having one
            out[rows] = formula(x, spec)
        return out

    def column(
        self,
        raw: Array,
        countries: np.ndarray,
        code: str,
        posts: tuple[Array, Array] | None = None,
    ) -> Array:
        """One indicator normalised over one group of rows (a year's units), as
        :meth:`transform` normalises it.

        ``posts`` replace the indicator's goalposts, in the unit the normalisation works
        in (after the indicator's transform, see :meth:`posts_of`); arrays of shape
        ``(replications, 1)`` give ``(replications, units)`` for the goalposts method.

        >>> n = Normaliser(NormaliseSpec(method="goalposts"), {"x": 1}, posts={"x": (0, 10)})
        >>> n.column(np.array([5.0]), np.array(["A"]), "x").tolist()
        [50.0]
        >>> n.column(np.array([5.0]), np.array(["A"]), "x",
        ...          (np.array([[0.0], [4.0]]), np.array([[10.0], [9.0]]))).tolist()
        [[50.0], [20.0]]
        """
        direction = self.directions.get(code, 1)
        x = self._directed(raw, code)
        if np.isnan(x).all():
            return x  # nothing to scale: an indicator with no value in this year stays missing
        chosen = self.posts_of(code) if posts is None else posts
        column = Column(code, direction, countries, chosen)
        if code in self.targets:
            target = self._transformed(self._target(countries, code), code) * direction
            column = replace(column, target=target)
        spec = self.spec.for_indicator(code)
        return np.asarray(NORMALISATIONS[spec.method].apply(x, spec, column), dtype="float64")

    def posts_of(self, code: str) -> tuple[float, float] | None:
        """The goalposts of ``code`` through its transform (in the transformed unit).

        >>> Normaliser(NormaliseSpec(), {"x": 1}, posts={"x": (1, 100)}).posts_of("x")
        (1.0, 100.0)
        """
        if code not in self.posts:
            return None
        lower, upper = (float(self._transformed(np.array(p), code)) for p in self.posts[code])
        return lower, upper

    def _directed(self, raw: Array, code: str) -> Array:
        """``raw`` through the indicator's transform, times its direction (higher is better)."""
        return self._transformed(raw, code) * self.directions.get(code, 1)

    def _transformed(self, values: Array, code: str) -> Array:
        """``values`` through the indicator's transform (unchanged without one)."""
        chosen = self.transforms.get(code)
        if chosen is None:
            return values
        return apply_transform(np.asarray(values, dtype="float64"), chosen.method, chosen.lmbda)

    def _target(self, countries: np.ndarray, code: str) -> Array:
        target = self.targets[code]
        if isinstance(target, Mapping):
            return np.array([target.get(c, np.nan) for c in countries], dtype="float64")
        return np.full(len(countries), float(target))

    def _check_domains(self, wide: pd.DataFrame) -> None:
        """Refuse values, goalposts and targets outside an indicator's transform domain."""
        problems: list[str] = []
        for code, chosen in self.transforms.items():
            if code not in wide.columns:
                continue
            bound, words = _domain(chosen.method)
            column = wide[code]
            where = f"{code!r} ({chosen.method}, needs {words})"
            bad = column[column <= bound]
            for country, year, value in zip(
                bad.index.get_level_values("country"),
                bad.index.get_level_values("year"),
                bad,
                strict=True,
            ):
                problems.append(f"{where}: {country} {year} has value {value:g}")
            for name, value in self._parameters(code):
                if value <= bound:
                    problems.append(f"{where}: the {name} is {value:g}")
        if problems:
            raise ComputationError(
                f"{len(problems)} value(s) lie outside their indicator's transform domain:\n  "
                + "\n  ".join(problems)
                + "\nCorrect the values, or choose another transform (log1p for counts with "
                "zeros) in the indicator's definition."
            )

    def _parameters(self, code: str) -> list[tuple[str, float]]:
        """The goalposts and targets of ``code`` that its transform applies to."""
        found: list[tuple[str, float]] = []
        if code in self.posts:
            found += [
                ("lower goalpost", self.posts[code][0]),
                ("upper goalpost", self.posts[code][1]),
            ]
        target = self.targets.get(code)
        if isinstance(target, Mapping):
            found += [(f"target of {c}", float(v)) for c, v in target.items()]
        elif target is not None:
            found.append(("target", float(target)))
        return found

    def _check_parameters(self, wide: pd.DataFrame) -> None:
        methods = {str(c): self.spec.for_indicator(str(c)).method for c in wide.columns.tolist()}
        for what, declared in (("goalposts", self.posts), ("a target", self.targets)):
            codes = [c for c, m in methods.items() if NORMALISATIONS[m].needs == what]
            missing = [c for c in codes if c not in declared]
            if missing:
                raise ComputationError(
                    f"Normalisation {methods[missing[0]]!r} needs {what} for every indicator; "
                    f"these indicators have none in the framework: {missing}. "
                    f"Declare {what} in their definitions or choose another method."
                )
