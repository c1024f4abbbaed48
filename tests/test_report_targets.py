"""Every value of every targets table is in the unit its label names.

The shipped index is rendered (English) for every edition it ships, and every row of
every country's targets table is checked twice, against the published data as read:

* the analysis result (``distance_to_target``) is in the unit the target declares
  (``target.unit``, on every shipped target): a unit "per inhabitant" holds the
  published value divided by the population, any other the published value itself;
  a relative target is its factor times the baseline, in that same quantity;
* the page shows each number in the unit its label names: the label (name and
  unit) says per inhabitant exactly when the declared quantity is, names the same
  quantity (TFlop/s and EFlop/s are one quantity with other prefixes; a share is
  one quantity whether written 0-1 or in %), and the number shown is the analysis
  value converted to the label's prefix. A share is always shown in %.

The units are read from the text of the declarations and of the page, by the small
grammar of :func:`meaning`, not by the code that wrote them, so that a target applied
to the national total under a per-inhabitant label (or a share printed as 0.87 under
"%") fails here. The same walk checks that a verdict "data too old" is given exactly
where the build marks the value stale (``o``) and the country page lists it as old.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from readiness_index import build
from readiness_index.analysis.targets import distance_to_target
from readiness_index.api import resolve_inputs
from readiness_index.engine.results import IndexResult
from readiness_index.model.data import IndicatorData
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import Methodology
from readiness_index.report.site import render_reports

_PREFIX = {"": 1.0, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18, "Z": 1e21}
_FLOPS = re.compile(r"(?<![A-Za-z])([kMGTPEZ]?)Flop/s")
_SHARE = re.compile(r"\(0\s*[-–]\s*1\)")
_PER_INHABITANT = re.compile(r"\bper (inhabitant|capita|person|head)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Meaning:
    """What a unit's text says: the quantity, the size of one unit of it, per inhabitant."""

    quantity: str
    size: float
    per_inhabitant: bool


def meaning(unit: str, name: str = "") -> Meaning:
    """Read a unit (and the label's name): ``EFlop/s`` is 1e18 Flop/s, ``(0-1)`` a share
    of size 1, ``%`` a share of size 0.01; any other unit is its own quantity.

    >>> meaning("TFlop/s (Rmax)"), meaning("%").size, meaning("share of households (0-1)").size
    (Meaning(quantity='Flop/s', size=1000000000000.0, per_inhabitant=False), 0.01, 1.0)
    >>> meaning("EFlop/s", "TOP500 supercomputing capacity per inhabitant").per_inhabitant
    True
    """
    per_inhabitant = bool(_PER_INHABITANT.search(f"{name} {unit}"))
    flops = _FLOPS.search(unit)
    if flops:
        return Meaning("Flop/s", _PREFIX[flops[1]], per_inhabitant)
    if _SHARE.search(unit):
        return Meaning("share", 1.0, per_inhabitant)
    if unit.strip().startswith("%"):
        return Meaning("share", 0.01, per_inhabitant)
    return Meaning(unit.strip(), 1.0, per_inhabitant)


def close(shown: float, expected: float) -> bool:
    """Equal up to what the page prints: two decimals, or three significant digits."""
    return math.isclose(shown, expected, rel_tol=0.0051, abs_tol=0.00501)


def unit_problems(
    label_name: str, label_unit: str, shown: dict[str, float | None],
    analysis: dict[str, float], declared_unit: str,
) -> list[str]:  # fmt: skip
    """Why the numbers ``shown`` under a label are not the ``analysis`` values (in the
    ``declared_unit``) in the label's unit; empty when they are."""
    declared, label = meaning(declared_unit), meaning(label_unit, label_name)
    problems = []
    if label.per_inhabitant != declared.per_inhabitant:
        problems.append(
            f"label {label_name!r} ({label_unit}) is per inhabitant: {label.per_inhabitant}, "
            f"the values are per inhabitant: {declared.per_inhabitant} ({declared_unit!r})"
        )
    if label.quantity != declared.quantity:
        problems.append(f"label unit {label_unit!r} is not a unit of {declared_unit!r}")
    if declared.quantity == "share" and label.size != 0.01:
        problems.append(f"a share is shown in {label_unit!r}, not in %")
    for field, value in shown.items():
        expected = analysis[field] * declared.size / label.size
        if value is not None and not close(value, expected):
            problems.append(f"{field} shows {value}, expected {expected:.6g} {label_unit}")
    return problems


def test_the_check_catches_a_national_total_under_a_per_inhabitant_label() -> None:
    """The original fault: Germany's 2030 target row read 1,185,266.66 -> 3,555,799.98
    under "TOP500 supercomputing capacity per inhabitant" (its indicator read 0.0142)."""
    analysis = {"latest_value": 1_185_266.66, "target": 3_555_799.98}
    faulty = unit_problems(
        "TOP500 supercomputing capacity per inhabitant", "TFlop/s (Rmax)",
        {"latest_value": 1_185_266.66, "target": 3_555_799.98}, analysis, "TFlop/s (Rmax)",
    )  # fmt: skip
    assert faulty and "per inhabitant: True" in faulty[0]
    as_shipped = unit_problems(
        "Accelerated TOP500 capacity (national total, Rmax)", "EFlop/s",
        {"latest_value": 1.19, "target": 3.56}, analysis, "TFlop/s (Rmax)",
    )  # fmt: skip
    assert as_shipped == []
    wrong_prefix = unit_problems(
        "Accelerated TOP500 capacity", "PFlop/s", {"latest_value": 1.19}, analysis, "TFlop/s"
    )
    assert wrong_prefix == ["latest_value shows 1.19, expected 1185.27 PFlop/s"]
    share = unit_problems(
        "5G coverage", "share (0-1)", {"latest_value": 0.87}, {"latest_value": 0.87}, "share (0-1)"
    )
    assert share == ["a share is shown in 'share (0-1)', not in %"]


@dataclass(frozen=True)
class Shipped:
    framework: Framework
    data: IndicatorData
    methodology: Methodology
    result: IndexResult
    tables: dict[int, pd.DataFrame]
    site: Path


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Shipped:
    """The shipped index, its targets tables and its English site, for every edition."""
    framework, data, methodology = resolve_inputs()
    result = build(framework, data, methodology)
    out = tmp_path_factory.mktemp("targets")
    tables = {}
    for edition in result.years:  # as `readiness-index report --year <edition>` does
        tables[edition] = distance_to_target(framework, data, year=edition, methodology=methodology)
        render_reports(
            result, out / str(edition), year=edition, languages=["en"],
            targets=tables[edition], full_framework=framework,
        )  # fmt: skip
    return Shipped(framework, data, methodology, result, tables, out)


def test_every_shipped_target_declares_its_unit(shipped: Shipped) -> None:
    targets = {i.code: i.target for i in shipped.framework.indicators if i.target is not None}
    assert len(targets) >= 8
    assert [code for code, target in targets.items() if not target.unit] == []


def _published(data: IndicatorData) -> dict[tuple[str, str, int], float]:
    long = data.long.dropna(subset=["value"])
    keys = zip(long["country"], long["indicator"], long["year"].astype(int), strict=True)
    return dict(zip(keys, long["value"].astype(float), strict=True))


def _expected(record: dict[str, Any], shipped: Shipped, published: dict[Any, float]) -> float:
    """The latest value in the target's declared unit, from the published data."""
    indicator = shipped.framework.indicator(record["indicator"])
    assert indicator.target is not None and indicator.target.unit
    key = (record["country"], record["indicator"], int(record["latest_year"]))
    value = published[key]
    if meaning(indicator.target.unit).per_inhabitant:
        denominator = indicator.denominator or "population"
        value /= published[(record["country"], denominator, int(record["latest_year"]))]
    return value


def test_the_analysis_values_are_in_the_declared_unit(shipped: Shipped) -> None:
    published = _published(shipped.data)
    checked = 0
    for table in shipped.tables.values():
        for record in table.to_dict("records"):
            target = shipped.framework.indicator(record["indicator"]).target
            assert target is not None and target.unit
            latest = _expected(record, shipped, published)
            assert record["latest_value"] == pytest.approx(latest, rel=1e-12), record
            if target.factor is not None and target.baseline_year is None:
                assert record["target"] == pytest.approx(target.factor * latest), record
            assert record["gap"] == pytest.approx(record["target"] - latest), record
            checked += 1
    assert checked == sum(len(table) for table in shipped.tables.values()) > 1000


_ROW = re.compile(r'<tr data-indicator="([^"]+)">(.*?)</tr>', re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


def _page_rows(page: Path) -> dict[str, str]:
    html = page.read_text(encoding="utf-8")
    section = html[html.index('id="targets"') :]
    return dict(_ROW.findall(section[: section.index("</section>")]))


def _field(row: str, field: str, tag: str = "td") -> str:
    cell = re.search(rf'data-field="{field}"[^>]*>(.*?)</{tag}>', row, re.DOTALL)
    assert cell is not None, (field, row)
    text = re.sub(r'<span class="year"[^>]*>.*?</span>', "", cell[1], flags=re.DOTALL)
    return " ".join(_TAGS.sub("", text).split())


def _number(text: str) -> float | None:
    return None if text in {"", "–"} else float(text.replace(",", "").replace("−", "-"))


def test_every_number_shown_is_in_the_unit_its_label_names(shipped: Shipped) -> None:
    checked, problems = 0, []
    for edition, table in shipped.tables.items():
        for country, rows in table.groupby("country"):
            page = _page_rows(shipped.site / str(edition) / f"{country}-{edition}.html")
            assert sorted(page) == sorted(rows["indicator"]), (country, edition)
            for record in rows.to_dict("records"):
                row = page[record["indicator"]]
                name = " ".join(_TAGS.sub("", row[: row.index('<span class="unit"')]).split())
                unit = _field(row, "unit", "span").removeprefix("(").removesuffix(")")
                shown = {f: _number(_field(row, f)) for f in ("latest_value", "target", "gap")}
                declared = shipped.framework.indicator(record["indicator"]).target
                assert declared is not None and declared.unit
                where = f"{country} {edition} {record['indicator']}: "
                problems += [where + p for p in
                             unit_problems(name, unit, shown, record, declared.unit)]  # fmt: skip
                checked += 1
    assert problems == [], "\n".join(problems[:20])
    assert checked == sum(len(table) for table in shipped.tables.values())


def test_data_too_old_is_the_stale_mark_of_the_build(shipped: Shipped) -> None:
    """One rule: a verdict "data too old" exactly where the build marks the value ``o``
    and the country page lists it as old (when the edition used that value)."""
    result, compared = shipped.result, 0
    for edition, table in shipped.tables.items():
        summary = result.summary(edition)
        for record in table.to_dict("records"):
            country, code = record["country"], record["indicator"]
            if code not in result.data_years.columns:
                continue  # context indicator: not in the build
            if result.data_years.at[(country, edition), code] != record["latest_year"]:
                continue  # the edition scored another year's value (past its max_age)
            too_old = record["status"] == "data too old"
            assert too_old == ("o" in str(result.flags.at[(country, edition), code])), record
            assert too_old == (code in summary.stale(country)), record
            compared += 1
    assert compared > 400


def test_the_shipped_pages_keep_their_two_years_wording(shipped: Shipped) -> None:
    """With the shipped rule (two years for every indicator) the pages keep the sentences
    that say "two years" in words; other limits get the generic wording (test_report)."""
    limits = {shipped.methodology.stale_after(i) for i in shipped.framework.indicators}
    page = (shipped.site / "2025" / "methodology.html").read_text(encoding="utf-8")
    assert ("more than two years older than the edition" in page) == (limits == {2.0})
