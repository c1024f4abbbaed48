"""Layered inputs: the user's definitions, data and corrections on top of the shipped index.

The "new" indicator of these tests is a published series of the shipped data under a
new code (employed ICT specialists), so that no number is made up.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import readiness_index as ri
from readiness_index.cli.main import main
from readiness_index.errors import DataValidationError, DefinitionError, IndicatorDroppedWarning
from readiness_index.io.files import bundled_path

NEW = """\
indicators:
  - code: ict_specialists_again
    name: Employed ICT specialists (second series)
    parent: skills
    unit: "% of total employment"
    goalposts: {lower: 0, upper: 10}
    max_age: 2
"""


def _shipped_rows(indicator: str) -> pd.DataFrame:
    table = pd.read_csv(bundled_path("indicators") / "data" / "skills.csv", dtype=str)
    return table[table["indicator"] == indicator]


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    """A folder with one new indicator under the shipped skills pillar, and its data."""
    (tmp_path / "indicators").mkdir()
    (tmp_path / "indicators" / "new.yaml").write_text(NEW, encoding="utf-8")
    (tmp_path / "data").mkdir()
    rows = _shipped_rows("ict_specialists").assign(indicator="ict_specialists_again")
    rows.to_csv(tmp_path / "data" / "new.csv", index=False)
    return tmp_path


def test_a_new_indicator_adds_to_the_shipped_index(mine: Path) -> None:
    result = ri.build(mine / "indicators", mine / "data")
    shipped = ri.build()
    assert set(result.framework.indicator_codes) == {
        *shipped.framework.indicator_codes,
        "ict_specialists_again",
    }
    assert result.framework.children("skills")[-1] == "ict_specialists_again"
    assert result.methodology == shipped.methodology
    # the same series twice: the skills pillar changes, the other pillars do not
    energy = result.ranking(2025, "energy")["score"].tolist()
    assert energy == shipped.ranking(2025, "energy")["score"].tolist()


def test_the_command_line_adds_the_same_way(mine: Path) -> None:
    args = ["build", "--framework", str(mine / "indicators"), "--data", str(mine / "data")]
    outcome = CliRunner().invoke(main, args)
    assert outcome.exit_code == 0, outcome.output
    expected = ri.build(mine / "indicators", mine / "data").table().to_string(index=False)
    assert expected in outcome.output


def test_only_uses_the_files_alone(mine: Path) -> None:
    with pytest.raises(DefinitionError, match="exactly one root"):
        ri.build(mine / "indicators", mine / "data", only=True)
    args = ["build", "--framework", str(mine / "indicators"), "--data", str(mine / "data")]
    outcome = CliRunner().invoke(main, [*args, "--only"])
    assert outcome.exit_code == 1 and "exactly one root" in outcome.output


def test_a_framework_with_its_own_root_stands_alone() -> None:
    hdi = Path(__file__).parent / "data" / "hdi"
    assert ri.build(hdi, hdi / "data").framework.code == "hdi"


def test_a_correction_replaces_a_shipped_value_and_is_recorded(tmp_path: Path) -> None:
    rows = _shipped_rows("ict_specialists")
    at = rows[rows["country"] == "AT"].sort_values("year")
    # the correction: AT's latest row carries the value of its previous year
    fix = at.iloc[[-1]].assign(value=at.iloc[-2]["value"], source="correction (test)")
    fix.to_csv(tmp_path / "fix.csv", index=False)
    result = ri.build(corrections=tmp_path / "fix.csv")
    listed = result.record()["corrections"]
    assert listed == [
        {
            "country": "AT",
            "year": int(at.iloc[-1]["year"]),
            "indicator": "ict_specialists",
            "replaced": float(at.iloc[-1]["value"]),
            "value": float(at.iloc[-2]["value"]),
            "source": "correction (test)",
        }
    ]
    json.dumps(listed)
    assert result.data_hash != ri.build().data_hash
    # the same row as data (not a correction) is a duplicate of the shipped row
    with pytest.raises(DataValidationError, match="duplicate"):
        ri.build(data=tmp_path / "fix.csv")


def test_corrections_from_the_command_line(tmp_path: Path) -> None:
    rows = _shipped_rows("ict_specialists")
    fix = rows[rows["country"] == "AT"].iloc[[-1]].assign(source="correction (test)")
    fix.to_csv(tmp_path / "fix.csv", index=False)
    out = tmp_path / "result.json"
    args = ["build", "--corrections", str(tmp_path / "fix.csv"), "--out", str(out)]
    outcome = CliRunner().invoke(main, args)
    assert outcome.exit_code == 0, outcome.output
    assert json.loads(out.read_text())["corrections"][0]["country"] == "AT"


def test_methodology_variants_beside_a_framework_are_not_framework_files(tmp_path: Path) -> None:
    hdi = Path(__file__).parent / "data" / "hdi"
    folder = tmp_path / "hdi"
    folder.mkdir()
    for name in ("framework.yaml", "methodology.yaml"):
        (folder / name).write_text((hdi / name).read_text())
    (folder / "methodology-minmax.yaml").write_text("normalise: {method: minmax}\n")
    assert ri.load_framework(folder).code == "hdi"
    (folder / "variant.yaml").write_text("normalise: {method: minmax}\n")
    with pytest.raises(DefinitionError) as err:
        ri.load_framework(folder)
    assert str(err.value).count("variant.yaml") == 1
    assert "name it 'methodology-<variant>.yaml'" in str(err.value)


def test_a_manifest_lists_the_framework_files(tmp_path: Path) -> None:
    hdi = Path(__file__).parent / "data" / "hdi"
    text = (hdi / "framework.yaml").read_text()
    head, indicators = text.split("\nindicators:\n", 1)
    (tmp_path / "framework.yaml").write_text(head + "\nfiles: [parts/*.yaml]\n")
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "indicators.yaml").write_text("indicators:\n" + indicators)
    (tmp_path / "notes.yaml").write_text("anything: at all\n")
    assert len(ri.load_framework(tmp_path).indicators) == 4
    (tmp_path / "framework.yaml").write_text(head + "\nfiles: [nothing/*.yaml]\n")
    with pytest.raises(DefinitionError, match="matches no file"):
        ri.load_framework(tmp_path)


def test_an_indicator_that_loses_every_value_is_a_warning(mine: Path) -> None:
    text = (
        NEW + "    denominator: workforce\ndenominators:\n  - {code: workforce, name: Workforce}\n"
    )
    (mine / "indicators" / "new.yaml").write_text(text)
    with pytest.warns(IndicatorDroppedWarning, match="'ict_specialists_again'.*denominate"):
        ri.build(mine / "indicators", mine / "data")
    args = ["build", "--framework", str(mine / "indicators"), "--data", str(mine / "data")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outcome = CliRunner().invoke(main, args)
    assert outcome.exit_code == 0, outcome.output
    assert "Warning: Indicator 'ict_specialists_again' has data but no score" in outcome.output


def test_data_for_an_undeclared_indicator_is_one_message_with_a_hint(mine: Path) -> None:
    args = ["data", "add", str(mine / "data" / "new.csv"), "--data-dir", str(mine / "store")]
    outcome = CliRunner().invoke(main, args)
    assert outcome.exit_code == 1
    assert "from 1 cause(s)" in outcome.output
    assert outcome.output.count("ict_specialists_again") == 1
    assert "did you mean 'ict_specialists'?" in outcome.output
    assert "All " not in outcome.output  # no table repeating the message's cause per row
    declared = [*args, "--framework", str(mine / "indicators")]
    assert CliRunner().invoke(main, declared).exit_code == 0
