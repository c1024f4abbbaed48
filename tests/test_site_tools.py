"""The site for any framework, the downloads and the explorer's embedded data.

A small made-up framework (30 units that are not countries, z-score normalisation,
no map, no targets) is rendered by ``readiness-index report`` as a user types it: no
EU map, no word of the EU or Europe, no "0 to 100", no targets section, and the
reference average named "Average of all units". The downloads carry the build's
fingerprints and no cell a spreadsheet would evaluate.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from readiness_index.cli.report import report

UNITS = [f"U{number:02d}" for number in range(1, 31)]
INDICATORS = {"roads": "transport", "rail": "transport", "clinics": "health", "doctors": "health"}
FRAMEWORK = """\
index: {code: islands, name: Islands Wellbeing Index, version: "1"}
aggregates:
  - {code: islands, name: Islands Wellbeing Index}
  - {code: transport, name: Transport, parent: islands}
  - {code: health, name: Health, parent: islands}
indicators:
%s
units:
%s
"""
METHODOLOGY = "normalise: {method: zscore}\naggregate: {method: arithmetic}\n"


@pytest.fixture(scope="module")
def made_up_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("islands")
    indicators = "\n".join(f"  - {{code: {code}, name: {code.title()}, parent: {pillar}}}"
                           for code, pillar in INDICATORS.items())  # fmt: skip
    names = ['"=HYPERLINK(1)"' if unit == "U07" else f"Island {unit}" for unit in UNITS]
    units = "\n".join(f"  - {{code: {u}, name: {n}}}" for u, n in zip(UNITS, names, strict=True))
    (folder / "framework.yaml").write_text(FRAMEWORK % (indicators, units), encoding="utf-8")
    (folder / "methodology.yaml").write_text(METHODOLOGY, encoding="utf-8")
    rows = ["country,year,indicator,value"]
    for position, unit in enumerate(UNITS):
        for offset, code in enumerate(INDICATORS):
            rows.append(f"{unit},2024,{code},{(position * 7 + offset * 13) % 31 + 0.5}")
    (folder / "data.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = folder / "site"
    outcome = CliRunner().invoke(report, [
        "--framework", str(folder / "framework.yaml"), "--data", str(folder / "data.csv"),
        "--methodology", str(folder / "methodology.yaml"), "--out", str(out), "--lang", "en,de",
    ])  # fmt: skip
    assert outcome.exit_code == 0, outcome.output
    return out


def test_a_framework_of_other_units_gets_no_eu_map_and_no_eu_words(made_up_site: Path) -> None:
    pages = sorted(made_up_site.glob("*.html"))
    assert len(pages) == 2 * (5 + len(UNITS))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        text = re.sub(r"<[^>]+>", " ", html)
        assert not re.search(r"\bEU\b|Europ|\bUE\b", text), page.name
        assert 'id="tile-map"' not in html and 'id="map"' not in html, page.name
        assert not re.search(r"0 (to|bis) 100|0–100", text), page.name
        assert 'id="targets"' not in html, page.name
    overview = (made_up_site / "index.html").read_text(encoding="utf-8")
    assert "no fixed range" in overview
    country = (made_up_site / "U01-2024.html").read_text(encoding="utf-8")
    assert "Average of all units" in country
    assert "Durchschnitt aller Einheiten" in (made_up_site / "U01-2024.de.html").read_text(
        encoding="utf-8"
    )


def test_downloads_carry_the_fingerprints_and_no_formula(made_up_site: Path) -> None:
    folder = made_up_site / "downloads"
    assert sorted(p.name for p in folder.iterdir()) == [
        "islands-2024-indicators.csv", "islands-2024-record.json",
        "islands-2024-scores.csv", "islands-2024.xlsx",
    ]  # fmt: skip
    record = json.loads((folder / "islands-2024-record.json").read_text(encoding="utf-8"))
    with (folder / "islands-2024-scores.csv").open(encoding="utf-8") as handle:
        scores = list(csv.DictReader(handle))
    assert {row["data_hash"] for row in scores} == {record["data_hash"]}
    assert {row["framework_hash"] for row in scores} == {record["framework_hash"]}
    names = {row["country"]: row["country_name"] for row in scores}
    assert names["U07"] == "'=HYPERLINK(1)"
    for name in ("scores", "indicators"):
        with (folder / f"islands-2024-{name}.csv").open(encoding="utf-8") as handle:
            for row in csv.reader(handle):
                assert not any(cell[:1] in {"=", "+", "@", "\t", "\r"} for cell in row), row
    page = (made_up_site / "downloads.html").read_text(encoding="utf-8")
    assert record["methodology_hash"] in page
    assert 'href="downloads/islands-2024-scores.csv"' in page


def test_explorer_embeds_the_published_ranking_for_readers_without_scripts(
    made_up_site: Path,
) -> None:
    html = (made_up_site / "explorer.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="explorer-data">(.*?)</script>', html, re.S).group(1))
    assert data["units"] == UNITS and data["rules"]["2"]["method"] == "arithmetic"
    published = dict(zip(data["units"], data["rank"], strict=True))
    rows = re.findall(r'<tr data-country="(\w+)">\s*<td class="num" data-field="rank">(\d+)', html)
    assert len(rows) == len(UNITS)
    assert {country: int(rank) for country, rank in rows} == published
