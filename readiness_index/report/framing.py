"""What the site says about the index it shows, read from its framework and methodology.

A site describes any index, not only the shipped one: the name of the average it
compares with (the framework's ``reference_name``; by default "average of all
units"), the range scores run over (from the normalisation: ``minmax`` gives its
``lower`` and ``upper``, ``goalposts`` 0 to its ``scale``; z-scores and ranks have no
fixed range; ``range`` moves goalposts onto its bounds), and whether there is a
map (the framework declares one and some unit is on it).

Examples
--------
>>> from readiness_index.model.methodology import Methodology
>>> score_scale(Methodology()), score_scale(Methodology.from_mapping(
...     {"normalise": {"method": "zscore"}}))
((0.0, 100.0), None)
>>> score_scale(Methodology.from_mapping(
...     {"normalise": {"method": "goalposts", "range": {"lower": 1, "upper": 100}}}))
(1.0, 100.0)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from readiness_index.report.i18n import format_value

if TYPE_CHECKING:
    from readiness_index.model.framework import Framework
    from readiness_index.model.methodology import Methodology, NormaliseSpec

__all__ = ["average_name", "map_tiles", "scale_words", "score_scale"]

_Gettext = Callable[[str], str]

#: Normalisations whose scores lie in a fixed range, with that range.
_UNIT_RANGE = {"percentile_rank": (0.0, 1.0), "distance_to_max": (0.0, 1.0)}


def _spec_range(spec: NormaliseSpec) -> tuple[float, float] | None:
    if spec.method == "minmax":
        return (min(spec.lower, spec.upper), max(spec.lower, spec.upper))
    if spec.method == "goalposts" and spec.truncate:
        if spec.range is not None:
            return (float(spec.range.lower), float(spec.range.upper))
        return (0.0, float(spec.scale))
    return _UNIT_RANGE.get(spec.method)


def score_scale(methodology: Methodology) -> tuple[float, float] | None:
    """The range every score of the index lies in, or ``None`` when there is none.

    Every indicator's normalisation must give the same fixed range, and every level
    must aggregate by a mean (a mean of values in a range stays in it; Copeland
    scores do not).
    """
    normalise = methodology.normalise
    ranges = {_spec_range(spec) for spec in (normalise, *normalise.by_indicator.values())}
    aggregate = methodology.aggregate
    methods = {aggregate.method, *(level.method for level in aggregate.by_level.values())}
    if len(ranges) != 1 or "copeland" in methods:
        return None
    return ranges.pop()


def map_tiles(framework: Framework, units: Iterable[str]) -> dict[str, tuple[int, int]]:
    """The squares of the framework's declared map, if any of ``units`` is on it.

    >>> from readiness_index.model.framework import Aggregate, Framework, Indicator
    >>> fw = Framework(aggregates=(Aggregate(code="i", name="I"),),
    ...                indicators=(Indicator(code="a", name="A", parent="i"),),
    ...                map={"name": "Two", "tiles": {"AT": (0, 0), "BE": (1, 0)}})
    >>> map_tiles(fw, ["AT"]), map_tiles(fw, ["U01"])
    ({'AT': (0, 0), 'BE': (1, 0)}, {})
    """
    if framework.map is None or not set(units) & set(framework.map.tiles):
        return {}
    return dict(framework.map.tiles)


def average_name(reference: str | None, gettext: _Gettext) -> str:
    """The name of the reference average in the language (a framework's own name as given)."""
    if reference is None:
        return gettext("Average of all units")
    if reference == "EU average":  # the shipped index's, translated in the catalogues
        return gettext("EU average")
    return gettext(reference)


def scale_words(scale: tuple[float, float] | None, gettext: _Gettext, language: str) -> str:
    if scale is None:
        return gettext("no fixed range")
    if scale == (0.0, 100.0):
        return gettext("0 to 100")
    low, high = (format_value(bound, language) for bound in scale)
    return gettext("%(lower)s to %(upper)s") % {"lower": low, "upper": high}
