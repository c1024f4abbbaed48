"""The result of a build: every data set, the scores and ranks, and the record to replay it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, cast, overload

import numpy as np
import pandas as pd

from readiness_index.engine.display import Displayed, Summary
from readiness_index.engine.ranking import ranking_table, year_span
from readiness_index.engine.summary import EditionSummary, edition_summary
from readiness_index.errors import (
    ComputationError,
    MethodologyError,
    ReadinessIndexError,
    UnknownCodeError,
)
from readiness_index.model.columns import case_variants
from readiness_index.model.contract import FLAG_CODES
from readiness_index.model.data import IndicatorData
from readiness_index.model.framework import Framework, Indicator
from readiness_index.model.methodology import Methodology
from readiness_index.steps.aggregate import contributions

__all__ = ["STEPS", "IndexResult", "Later", "MadeOnRead"]

#: The data sets of a build, in the order the steps run.
STEPS = ("raw", "denominated", "imputed", "screened", "treated", "normalised", "aggregated")


def _corrections(data: IndicatorData) -> list[dict[str, object]]:
    """The corrected values of the data as JSON-ready records (a missing value is None)."""
    table = data.corrections.astype(object).where(data.corrections.notna(), None)
    return [{str(k): v for k, v in row.items()} for row in table.to_dict("records")]


def _cell_or_na(frame: pd.DataFrame, key: tuple[str, int], code: str) -> object:
    if code not in frame.columns or key not in frame.index:
        return pd.NA
    return frame.at[key, code]


def _flag_words(flag: str) -> str:
    """``"eo"`` -> ``"estimated; stale: older than stale_after"``."""
    return "; ".join(FLAG_CODES.get(letter, letter) for letter in flag)


def _cell(frame: pd.DataFrame, key: tuple[str, int] | str, code: str) -> float:
    return float(cast(float, frame.at[key, code]))


@dataclass(frozen=True)
class Later:
    """A table to make when it is first read: ``make(*args)`` (picklable when ``make``
    and ``args`` are, so a result crosses to worker processes unmade)."""

    make: Callable[..., pd.DataFrame]
    args: tuple[Any, ...] = ()


class MadeOnRead:
    """A table field of :class:`IndexResult` that may be given as a :class:`Later`: the
    table is made on its first read and kept, so a build makes only the tables a user
    reads (the facts behind them are arrays, already computed).

    The table is made once per result; its value never depends on when it is read.
    """

    def __init__(self, default: Later) -> None:
        self._default = default

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, result: None, owner: type) -> Later: ...
    @overload
    def __get__(self, result: object, owner: type | None = None) -> pd.DataFrame: ...
    def __get__(self, result: object, owner: type | None = None) -> pd.DataFrame | Later:
        if result is None:  # the dataclass asks for the default
            return self._default
        value = result.__dict__[self._name]
        if isinstance(value, Later):
            value = value.make(*value.args)
            result.__dict__[self._name] = value
        return cast(pd.DataFrame, value)

    def __set__(self, result: object, value: pd.DataFrame | Later) -> None:
        result.__dict__[self._name] = value


@dataclass(frozen=True, eq=False, repr=False)
class IndexResult(Displayed):
    """Everything a build produced, and what it was built from.

    Attributes
    ----------
    framework : Framework
        The (active part of the) framework used.
    data : IndicatorData
        The input data.
    methodology : Methodology
        Every choice made.
    datasets : dict of str to pandas.DataFrame
        ``raw``, ``denominated``, ``imputed``, ``screened``, ``treated``,
        ``normalised`` and ``aggregated``: wide, ``(country, year) x code``.
    scores : pandas.DataFrame
        Long: ``country, year, code, level, score, rank`` for every indicator
        (normalised) and aggregate, with ``data_year``, ``denominator_year`` and
        ``flags`` on the indicator rows (what ``build --out scores.csv`` writes).
    flags : pandas.DataFrame
        ``(country, year) x indicator`` flag letters: the publisher's flags, then the
        build's marks (``readiness_index.model.contract.MARKS``): ``i`` imputed,
        ``h`` carried forward from an earlier data year, ``o`` stale.
    data_years : pandas.DataFrame
        ``(country, year) x indicator``: the data year behind each value.
    denominator_years : pandas.DataFrame
        ``(country, year) x indicator`` for each indicator divided by a denominator:
        the data year of the denominator used (the 2024 population for a 2025 value, say).
        ``flags``, ``data_years`` and ``denominator_years`` are made from the build's
        arrays when first read (:class:`MadeOnRead`); :attr:`scores` carries the same
        facts in long form.
    treatment : pandas.DataFrame
        One row per indicator and year treated for outliers.
    screened_out : pandas.DataFrame
        Units removed by screening, with their coverage and the reason.
    weights : dict of str to float
        The weight of every node used in aggregation.
    notes : pandas.DataFrame
        ``step, country, year, indicator, note``: every value a step left missing
        (a denominator missing or zero, a normalisation undefined), with the reason.
    source : IndicatorData, optional
        The data as given to :func:`~readiness_index.build`, before editions (``data``
        holds the editions when the methodology asks for them).
    edition : int, optional
        The last edition asked for (``None``: the latest).
    methods : dict of str to dict
        The methods a user registered that the methodology names, with the
        qualified name and source hash of each function at build time
        (:meth:`~readiness_index.model.methodology.Methodology.user_methods`).
    builder : callable, optional
        The build function that made this result, called again by :meth:`rebuild`
        with the recorded inputs (stored by the build, so that the result does not
        import the pipeline that imports it).
    """

    framework: Framework
    data: IndicatorData
    methodology: Methodology
    datasets: dict[str, pd.DataFrame]
    scores: pd.DataFrame
    flags: MadeOnRead = MadeOnRead(default=Later(pd.DataFrame))
    data_years: MadeOnRead = MadeOnRead(default=Later(pd.DataFrame))
    treatment: pd.DataFrame = field(default_factory=pd.DataFrame)
    screened_out: pd.DataFrame = field(default_factory=pd.DataFrame)
    weights: dict[str, float] = field(default_factory=dict)
    notes: pd.DataFrame = field(default_factory=pd.DataFrame)
    denominator_years: MadeOnRead = MadeOnRead(default=Later(pd.DataFrame))
    source: IndicatorData | None = None
    edition: int | None = None
    methods: dict[str, dict[str, str]] = field(default_factory=dict)
    builder: Callable[..., IndexResult] | None = field(default=None, repr=False)

    @property
    def framework_hash(self) -> str:
        """SHA-256 of the framework definitions used."""
        return self.framework.content_hash

    @property
    def data_hash(self) -> str:
        """SHA-256 of the input data."""
        return self.data.content_hash

    @property
    def methodology_hash(self) -> str:
        """SHA-256 of the methodology."""
        return self.methodology.content_hash

    @property
    def years(self) -> list[int]:
        """Years (or editions) in the result."""
        return sorted(int(y) for y in self.scores["year"].unique())

    def _summary(self) -> Summary:
        fw = self.framework
        units = self.datasets["aggregated"].index.unique(level="country")
        lines = (
            f"{len(units)} units, {len(fw.indicators)} indicators, "
            f"{len(fw.aggregates)} aggregates in {fw.max_level} levels",
            f"hashes: framework {self.framework_hash[:12]}, data {self.data_hash[:12]}, "
            f"methodology {self.methodology_hash[:12]}",
            f"{len(self.notes)} note(s) on values left missing; "
            f"{len(self.screened_out)} unit-year(s) screened out",
            "see .table(), .scores, .datasets, .explain(), .plot",
        )
        try:
            table = self.table().head(10)
        except ReadinessIndexError:
            table = None
        title = f"{fw.name}, {year_span(self.years)}"
        return Summary(title, lines, table)

    def record(self) -> dict[str, object]:
        """The replay record: hashes, versions and every parameter; with methods a user
        registered, ``methods`` holds each one's qualified name and source hash."""
        from importlib.metadata import PackageNotFoundError, version

        try:
            package_version = version("readiness-index")
        except PackageNotFoundError:  # pragma: no cover - running from a plain checkout
            package_version = "unknown"
        return {
            "package_version": package_version,
            "framework_hash": self.framework_hash,
            "data_hash": self.data_hash,
            "methodology_hash": self.methodology_hash,
            "methodology": self.methodology.to_mapping(),
            "years": self.years,
            "editions": "data_year" in self.data.long.columns,
            "edition": self.edition,
            "corrections": _corrections(self.source or self.data),
            **({"methods": self.methods} if self.methods else {}),
        }

    def rebuild(self) -> IndexResult:
        """Build again from the recorded framework, data and methodology.

        Raises
        ------
        ComputationError
            If the result was not made by a build (it has no ``builder``).
        MethodologyError
            If a method a user registered has changed since the build (its source
            hash differs) or is no longer registered: the rebuild would not
            reproduce the result.
        """
        self._check_methods_unchanged()
        if self.builder is None:
            raise ComputationError(
                "This result was not made by readiness_index.build, so it cannot be rebuilt; "
                "build it with readiness_index.build(framework, data, methodology)."
            )
        source = self.data if self.source is None else self.source
        built: IndexResult = self.builder(
            self.framework, source, self.methodology, year=self.edition
        )
        return built

    def _check_methods_unchanged(self) -> None:
        now = self.methodology.user_methods()
        changed = [name for name, was in self.methods.items() if now.get(name) != was]
        if changed:
            lines = [
                f"{name}: built with {self.methods[name]['qualified_name']} (source "
                f"{self.methods[name]['source_hash'][:12]}), now "
                + (
                    f"{now[name]['qualified_name']} (source {now[name]['source_hash'][:12]})"
                    if name in now
                    else "not registered"
                )
                for name in changed
            ]
            raise MethodologyError(
                "Cannot rebuild: these user-defined methods changed since the build, so the "
                "result would not be reproduced:\n  " + "\n  ".join(lines) + "\nRegister "
                "the functions the result was built with, or build anew."
            )

    def ranking(self, year: int | None = None, code: str | None = None) -> pd.DataFrame:
        """Scores and ranks of one node (the index by default) in one year (the latest).

        Raises
        ------
        UnknownCodeError
            If ``year`` is not in the result or ``code`` not in the framework.
        """
        year = self.years[-1] if year is None else year
        code = self.framework.root if code is None else code
        self._check_known(None, year, code)
        rows = self.scores[(self.scores["year"] == year) & (self.scores["code"] == code)]
        return rows.sort_values(["rank", "country"], na_position="last").reset_index(drop=True)

    def summary(self, year: int | None = None) -> EditionSummary:
        """What the reports show beside the scores of one edition (the latest by
        default): EU averages, rank changes, best performers, ties, strongest and
        weakest pillars (see :mod:`readiness_index.engine.summary`)."""
        year = self.years[-1] if year is None else year
        limits = {i.code: self.methodology.stale_after(i) for i in self.framework.indicators}
        return edition_summary(
            self.scores, self.datasets["denominated"], self.data_years, year, limits
        )

    def flagged_scores(self) -> pd.DataFrame:
        """The scores as every export writes them: :attr:`scores` already carries each
        value's ``data_year``, ``denominator_year`` and ``flags``."""
        return self.scores

    def table(self, year: int | None = None, digits: int | None = None) -> pd.DataFrame:
        """The ranking table of one edition (the latest by default): rank, unit, name,
        index score, pillar scores and the data years used, as ``readiness-index build``
        prints it (COINr's ``get_results``); ``digits`` as in
        :func:`~readiness_index.engine.ranking.ranking_table`."""
        return ranking_table(self, year, digits)

    def explain(self, country: str, year: int, code: str) -> pd.DataFrame:
        """How one score came about.

        For an aggregate: each child's score, weight share among the children present
        and contribution; the contributions add up to the score under every
        aggregation method (:func:`~readiness_index.steps.aggregate.contributions`
        defines them: ``w x`` under the arithmetic mean, the score shared out in
        proportion to weight x value under the geometric, harmonic and generalised
        means, the middle child under the median, weighted pairwise wins under
        Copeland).

        For an indicator: its value after every step, its weight share within each
        ancestor's children, and its contribution to every ancestor: its contribution
        to its parent, then, at each level up, its share of the parent's score times
        the parent's contribution to the next ancestor (by weight share where the
        parent's score is 0). The contributions of all indicators to an ancestor add
        up to the ancestor's score.

        Raises
        ------
        UnknownCodeError
            If the country, year or code is not in the result.
        """
        key = (country, year)
        self._check_known(country, year, code)
        if isinstance(self.framework.nodes[code], Indicator):
            return self._explain_indicator(key, code)
        return self._explain_aggregate(key, code)

    def _check_known(self, country: str | None, year: int, code: str) -> None:
        index = self.datasets["aggregated"].index
        problems = []
        if code not in self.framework.nodes:
            hint = _same_but_case(code, self.framework.nodes)
            problems.append(f"code {code!r:.80} is not in the framework{hint}")
        countries = index.get_level_values("country")
        if country is not None and country not in countries:
            hint = _same_but_case(country, countries.unique())
            problems.append(f"country {country!r:.80} is not in the result{hint}")
        if year not in self.years:
            problems.append(f"year {year} is not in the result (years: {self.years})")
        if problems:
            raise UnknownCodeError("; ".join(problems))

    def _explain_indicator(self, key: tuple[str, int], code: str) -> pd.DataFrame:
        rows: list[dict[str, object]] = []
        for step in STEPS:
            frame = self.datasets[step]
            value = frame.at[key, code] if key in frame.index else np.nan
            rows.append({"item": step, "value": value})
        flag = str(self.flags.at[key, code])
        rows.append({"item": "flag", "value": flag})
        if flag:
            rows.append({"item": "flag meaning", "value": _flag_words(flag)})
        rows.append({"item": "data year", "value": _cell_or_na(self.data_years, key, code)})
        if code in self.denominator_years.columns:
            year = _cell_or_na(self.denominator_years, key, code)
            rows.append({"item": "denominator year", "value": year})
        child, share = code, 1.0
        for parent in self.framework.parents(code):
            within = self._contribution(key, parent, child)
            rows.append(
                {"item": f"weight share in {parent}", "value": self._share(key, parent, child)}
            )
            rows.append({"item": f"contribution to {parent}", "value": share * within})
            share *= self._part_of(key, parent, child, within)
            child = parent
        return pd.DataFrame(rows)

    def _part_of(self, key: tuple[str, int], parent: str, child: str, part: float) -> float:
        """The share of ``parent``'s score that ``child`` contributes (its weight share
        where the score is 0), so that the shares of the children add up to 1."""
        score = _cell(self.datasets["aggregated"], key, parent)
        return part / score if score != 0 else self._share(key, parent, child)

    def _explain_aggregate(self, key: tuple[str, int], code: str) -> pd.DataFrame:
        aggregated = self.datasets["aggregated"]
        parts = self._contributions(key[1], code)
        rows = [
            {
                "child": child,
                "score": _cell(aggregated, key, child),
                "weight_share": self._share(key, code, child),
                "contribution": _cell(parts, key[0], child),
            }
            for child in self.framework.children(code)
        ]
        table = pd.DataFrame(rows)
        table.attrs["score"] = aggregated.at[key, code]
        return table

    def _contribution(self, key: tuple[str, int], parent: str, child: str) -> float:
        return _cell(self._contributions(key[1], parent), key[0], child)

    def _contributions(self, year: int, parent: str) -> pd.DataFrame:
        """Each child's contribution to ``parent``'s score, per unit of ``year``."""
        aggregated = self.datasets["aggregated"].xs(year, level="year")
        children = list(self.framework.children(parent))
        spec = self.methodology.aggregate.for_level(self.framework.levels[parent])
        weights = np.array([self.weights[c] for c in children], dtype="float64")
        parts = contributions(aggregated[children].to_numpy(dtype="float64"), weights, spec)
        return pd.DataFrame(parts, index=aggregated.index, columns=children)

    def _share(self, key: tuple[str, int], parent: str, child: str) -> float:
        """Weight share of ``child`` among the children of ``parent`` present for ``key``."""
        aggregated = self.datasets["aggregated"]
        present = [
            c for c in self.framework.children(parent) if not np.isnan(_cell(aggregated, key, c))
        ]
        if child not in present:
            return float("nan")
        return self.weights[child] / sum(self.weights[c] for c in present)


def _same_but_case(code: str, known: Iterable[str]) -> str:
    """`` (did you mean 'AT'?)`` when a known code differs from ``code`` only in case."""
    same = case_variants([code], (str(k) for k in known))  # the one rule for case slips
    return f" (did you mean {same[str(code)]!r}? codes are written as declared)" if same else ""
