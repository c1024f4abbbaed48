"""The shipped index's back-series: new data never rewrite published editions.

An edition uses only data up to its own year, and the shipped methodology (fixed
goalposts, per-year imputation) fits nothing across years, so the 2021-2024 editions
must come out the same whether or not the 2025 figures exist. When the methodology
changes, its version must change too (the back-series is then recomputed and
republished under the new version).
"""

from __future__ import annotations

import pandas as pd

from readiness_index import build, edition_data, load_framework, load_methodology, read_data
from readiness_index.model.data import IndicatorData

#: The methodology version and the hash of its content. Changing the shipped
#: methodology.yaml changes the hash: bump ``version`` there and record both here.
#: Version 4 (framework 2026.1) republished the whole back-series: compute is accelerated
#: TOP500 capacity per inhabitant and AI Factories (true zeros before December 2024),
#: so 2021 and 2022 are scored; renewable electricity replaces renewable energy; two
#: WGI perception scores gave way to infringement cases; outliers are winsorised; stale
#: values are marked (o) and the audit thresholds are declared.
SHIPPED_METHODOLOGY = ("4", "4f3daf62")
SHIPPED_FRAMEWORK_VERSION = "2026.1"


def _scores(data: IndicatorData, editions: list[int]) -> pd.DataFrame:
    fw = load_framework()
    result = build(fw, edition_data(fw, data, editions), load_methodology())
    return result.scores.set_index(["country", "year", "code"]).sort_index()


def test_a_new_year_leaves_earlier_editions_unchanged() -> None:
    fw = load_framework()
    data = read_data(framework=fw)
    before_2025 = data.select_years([y for y in data.years if y <= 2024])
    old = _scores(before_2025, [2021, 2022, 2023, 2024])
    new = _scores(data, [2021, 2022, 2023, 2024, 2025])
    pd.testing.assert_frame_equal(new.loc[old.index], old)


def test_every_edition_is_scored_for_every_country() -> None:
    fw = load_framework()
    result = build(fw, read_data(framework=fw), load_methodology())
    assert fw.version == SHIPPED_FRAMEWORK_VERSION
    index = result.scores.loc[result.scores["code"] == fw.root]
    counts = index.groupby("year")["score"].count().to_dict()
    assert counts == {year: 27 for year in range(2021, 2026)}


def test_methodology_changes_come_with_a_new_version() -> None:
    methodology = load_methodology()
    recorded = (methodology.version, methodology.content_hash[:8])
    assert recorded == SHIPPED_METHODOLOGY, (
        "indicators/methodology.yaml changed: bump its 'version' (the back-series of "
        f"every edition is recomputed under it) and record {recorded} in this test"
    )
