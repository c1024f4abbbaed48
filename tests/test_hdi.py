"""The UNDP Human Development Index written as a framework: published scores reproduced.

``tests/data/hdi`` declares the HDI as the Human Development Report 2015 computes it
(Technical note 1): goalposts in each indicator's own unit, ``transform: log`` on GNI
per capita with goalposts 100 and 75,000, truncation to the goalposts (expected years
capped at 18, GNI at 75,000), arithmetic means within dimensions and a geometric mean
at the top. The data are the first 24 rows of the report's Table 1 (2014 values).

Table 1 publishes its components rounded (years to one decimal, GNI to the dollar), so
a score recomputed from them may differ from the published one in the third decimal.
The tests check every published score lies within the scores of the components' lower
and upper rounding limits (the HDI grows with each component), and that the 17 rows
whose rounding does not matter match to the published three decimals.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import readiness_index as ri
from readiness_index.cli.main import main
from readiness_index.engine.results import IndexResult

HDI = Path(__file__).parent / "data" / "hdi"

#: Rows whose published HDI the rounded components give to three decimals.
EXACT = [
    "NOR", "AUS", "DNK", "NLD", "IRL", "USA", "CAN", "NZL", "HKG",
    "LIE", "SWE", "GBR", "ISR", "LUX", "BEL", "FRA", "FIN",
]  # fmt: skip

#: Half the rounding unit of each published component.
HALF_UNIT = {
    "life_expectancy": 0.05,
    "expected_schooling": 0.05,
    "mean_schooling": 0.05,
    "gni_per_capita": 0.5,
}


def _build(shift: float = 0.0) -> IndexResult:
    """The HDI of the fixture, with every component moved by ``shift`` rounding halves."""
    fw = ri.load_framework(HDI)
    long = pd.read_csv(HDI / "data" / "hdr2015.csv")
    long["value"] = long["value"] + shift * long["indicator"].map(HALF_UNIT)
    return ri.build(fw, ri.prepare_data(long, fw), HDI / "methodology.yaml")


@pytest.fixture(scope="module")
def published() -> pd.Series:
    table = pd.read_csv(HDI / "published.csv", dtype={"hdi": str})
    return table.set_index("country")["hdi"].astype(float)


@pytest.fixture(scope="module")
def scores() -> pd.Series:
    return _build().ranking(2014).set_index("country")["score"]


def test_published_scores_reproduced_to_three_decimals(
    scores: pd.Series, published: pd.Series
) -> None:
    assert scores[EXACT].round(3).tolist() == published[EXACT].tolist()


def test_every_published_score_within_the_rounding_of_its_components(
    published: pd.Series,
) -> None:
    low = _build(-1.0).ranking(2014).set_index("country")["score"]
    high = _build(+1.0).ranking(2014).set_index("country")["score"]
    low, high = low[published.index].to_numpy(), high[published.index].to_numpy()
    assert len(published) == 24
    assert ((low - 5e-4 <= published.to_numpy()) & (published.to_numpy() <= high + 5e-4)).all()


def test_norway_by_hand(scores: pd.Series) -> None:
    health = (81.6 - 20) / (85 - 20)
    education = (17.5 / 18 + 12.6 / 15) / 2
    income = (math.log(64992) - math.log(100)) / (math.log(75000) - math.log(100))
    assert scores["NOR"] == pytest.approx((health * education * income) ** (1 / 3), abs=1e-12)


def test_goalposts_truncate_gni_and_expected_years() -> None:
    normalised = _build().datasets["normalised"].xs(2014, level="year")
    # Singapore (GNI 76,628) and Liechtenstein (79,851) are capped at 75,000;
    # Australia's 20.2 expected years at 18.
    assert normalised.loc[["SGP", "LIE"], "gni_per_capita"].tolist() == [1.0, 1.0]
    assert normalised.loc["AUS", "expected_schooling"] == 1.0


def test_hdi_builds_from_the_command_line() -> None:
    args = ["build", "--framework", str(HDI), "--data", str(HDI / "data")]
    outcome = CliRunner().invoke(main, args)
    assert outcome.exit_code == 0, outcome.output
    assert (
        "    1     NOR                 Norway  0.944   0.948      0.906   0.978" in outcome.output
    )
