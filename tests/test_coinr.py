"""COINr interoperability beyond the golden builds: DataFrames, the panel, missing Time."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from readiness_index import build, read_coinr
from readiness_index.errors import DataFileError, DefinitionError


def test_read_coinr_accepts_dataframes(reference: Path) -> None:
    idata = pd.read_csv(reference / "iData.csv")
    imeta = pd.read_csv(reference / "iMeta.csv")
    fw, data = read_coinr(idata, imeta)
    fw_files, data_files = read_coinr(reference / "iData.csv", reference / "iMeta.csv")
    assert fw.content_hash == fw_files.content_hash
    assert data.content_hash == data_files.content_hash
    assert data.groups.loc["AUT", "EurAsia_group"] == "Europe"
    assert data.names["AUT"] == "Austria"


def test_panel_with_pooled_normalisation_is_comparable_over_years(reference: Path) -> None:
    fw, data = read_coinr(reference / "iData_p.csv", reference / "iMeta.csv")
    assert data.years == [2018, 2019, 2020, 2021, 2022]
    result = build(fw, data, {"normalise": {"scope": "pooled"}})
    raw = result.datasets["raw"]["LPI"]
    normalised = result.datasets["normalised"]["LPI"]
    expected = (raw - raw.min()) / (raw.max() - raw.min()) * 100
    np.testing.assert_allclose(normalised, expected)
    # per year, every year has its own 0 and 100; pooled, only the panel's extremes do
    per_year = build(fw, data).datasets["normalised"]
    assert (per_year["LPI"].groupby(level="year").max() == 100).all()
    assert (normalised.groupby(level="year").max() < 100).sum() >= 1


def test_panel_latest_imputation_carries_the_previous_year(reference: Path) -> None:
    # COINr's own impute_panel example: NZ's LPI and AUT's Flights removed in 2022
    idata = pd.read_csv(reference / "iData_p.csv")
    for unit, code in (("NZL", "LPI"), ("AUT", "Flights")):
        idata.loc[(idata["uCode"] == unit) & (idata["Time"] == 2022), code] = np.nan
    fw, data = read_coinr(idata, pd.read_csv(reference / "iMeta.csv"))
    result = build(fw, data, {"impute": {"method": "latest"}})
    imputed = result.datasets["imputed"]
    for unit, code in (("NZL", "LPI"), ("AUT", "Flights")):
        assert imputed.loc[(unit, 2022), code] == imputed.loc[(unit, 2021), code]
        assert result.flags.loc[(unit, 2022), code] == "i"
        assert result.data_years.loc[(unit, 2022), code] == 2021  # where the value came from
    assert (result.flags.to_numpy() == "i").sum() == 2


def test_missing_time_needs_a_year(reference: Path) -> None:
    idata = pd.read_csv(reference / "iData.csv").drop(columns="Time")
    imeta = pd.read_csv(reference / "iMeta.csv")
    with pytest.raises(DataFileError, match="year="):
        read_coinr(idata, imeta)
    _, data = read_coinr(idata, imeta, year=2018)
    assert data.years == [2018]


def test_imeta_without_required_columns(reference: Path) -> None:
    imeta = pd.read_csv(reference / "iMeta.csv").drop(columns="Parent")
    with pytest.raises(DefinitionError, match=r"lacks the columns \['Parent'\]"):
        read_coinr(reference / "iData.csv", imeta)


def test_goalposts_from_imeta_columns(reference: Path) -> None:
    imeta = pd.read_csv(reference / "iMeta.csv")
    indicators = imeta["Type"] == "Indicator"
    imeta.loc[indicators, "goalpost_lower"] = 0.0
    imeta.loc[indicators, "goalpost_upper"] = 1000.0
    fw, data = read_coinr(reference / "iData.csv", imeta)
    assert fw.indicator("LPI").goalposts is not None
    result = build(fw, data, {"normalise": {"method": "goalposts", "scale": 1}})
    raw, normalised = result.datasets["raw"], result.datasets["normalised"]
    np.testing.assert_allclose(normalised["LPI"], raw["LPI"] / 1000)
    np.testing.assert_allclose(normalised["Tariff"], (1000 - raw["Tariff"]) / 1000)  # direction -1


def test_text_in_idata_names_the_file_line_and_column(reference: Path, tmp_path: Path) -> None:
    from readiness_index.errors import DataValidationError

    lines = (reference / "iData.csv").read_text().splitlines()
    cells = lines[2].split(",")  # file line 3: Belgium
    cells[12] = '"abc"'  # the Flights column
    lines[2] = ",".join(cells)
    broken = tmp_path / "iData.csv"
    broken.write_text("\n".join(lines))
    with pytest.raises(DataValidationError) as caught:
        read_coinr(broken, reference / "iMeta.csv")
    assert f"{broken}: row 3 (Flights), column 'value', indicator 'Flights', country 'BEL'" in str(
        caught.value
    )
    assert "found 'abc'" in str(caught.value)


def test_columns_in_another_case_are_refused_with_the_spelling_to_use() -> None:
    meta = pd.DataFrame({
        "Level": [1, 2], "iCode": ["a", "idx"], "iName": ["A", "I"], "Direction": [1, 1],
        "Weight": [1, 1], "Parent": ["idx", None], "Type": ["Indicator", "Aggregate"],
    })  # fmt: skip
    data = pd.DataFrame({"uCode": ["AT", "BE"], "Time": [2024, 2024], "a": [1.0, 2.0]})
    with pytest.raises(DefinitionError, match=r"^iMeta: expected .* found 'target', expected"):
        read_coinr(data, meta.assign(target=[5, None]))  # an optional column, not ignored
    with pytest.raises(DataFileError, match=r"^iData: .*found 'ucode', expected 'uCode'"):
        read_coinr(data.rename(columns={"uCode": "ucode"}), meta)
    with pytest.raises(DataFileError, match=r"found 'A', expected 'a' \(the names are case"):
        read_coinr(data.rename(columns={"a": "A"}), meta)
    framework, _ = read_coinr(data, meta)
    assert framework.indicator_codes == ("a",)
