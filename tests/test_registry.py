"""Registries: users' own methods by name, settings that apply, and the replay record."""

from __future__ import annotations

import numpy as np
import pytest

import readiness_index as ri
from readiness_index.engine.pipeline import build
from readiness_index.errors import MethodologyError
from readiness_index.model.data import IndicatorData
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import Methodology
from readiness_index.model.registry import registry
from readiness_index.steps.normalise import NORMALISATIONS

Small = tuple[Framework, IndicatorData]


def test_every_step_registers_its_builtin_methods() -> None:
    assert {m.name for m in registry("aggregate") if m.builtin} == {
        "arithmetic", "geometric", "harmonic", "generalised", "median", "copeland"
    }  # fmt: skip
    assert {"minmax", "zscore", "goalposts", "distance_to_target"} <= set(NORMALISATIONS.names)
    assert {"none", "mean", "latest", "linear"} <= set(registry("impute").names)
    assert set(registry("treat").names) >= {"none", "winsorise"}


@pytest.mark.parametrize(
    ("mapping", "words"),
    [
        ({"aggregate": {"method": "arithmetic", "p": 3}}, r"\['p'\] do not apply to method"),
        ({"normalise": {"method": "minmax", "reference": "X"}}, r"\['reference'\] do not apply"),
        ({"normalise": {"method": "zscore", "lower": 1}}, r"it takes \['mean', 'sd'\]"),
        ({"impute": {"method": "mean", "max_years": 2}}, r"\['max_years'\] do not apply"),
        ({"treat": {"method": "none", "skew": 3}}, r"\['skew'\] do not apply"),
        ({"aggregate": {"method": "median", "options": {"k": 1}}}, r"\['options'\]"),
        ({"normalise": {"method": "minmx"}}, r"did you mean 'minmax'"),
    ],
)
def test_settings_that_do_not_apply_are_refused(mapping: dict[str, object], words: str) -> None:
    with pytest.raises(MethodologyError, match=words):
        Methodology.from_mapping(mapping)


def test_a_setting_that_does_not_apply_is_refused_even_at_its_default() -> None:
    with pytest.raises(MethodologyError, match=r"\['p'\] do not apply to method 'geometric'"):
        Methodology.from_mapping({"aggregate": {"method": "geometric", "p": 2.0}})
    with pytest.raises(MethodologyError, match=r"\['lower', 'upper'\] do not apply"):
        Methodology.from_mapping({"normalise": {"method": "rank", "lower": 0, "upper": 100}})


@pytest.mark.parametrize(
    "mapping",
    [
        {},
        {"aggregate": {"method": "geometric", "by_level": {2: {"method": "generalised", "p": 3}}}},
        {"normalise": {"method": "zscore", "by_indicator": {"a": {"method": "rank"}}}},
        {"impute": {"method": "latest", "max_years": 2}, "treat": {"method": "winsorise"}},
        {"normalise": {"method": "goalposts", "range": {"lower": 1, "upper": 100}}},
    ],
)
def test_the_mapping_written_is_a_valid_methodology_with_the_same_hash(
    mapping: dict[str, object],
) -> None:
    # to_mapping writes only the settings that apply, so a replay record reads back
    m = Methodology.from_mapping(mapping)
    again = Methodology.from_mapping(m.to_mapping())
    assert again == m
    assert again.content_hash == m.content_hash


def test_a_builtin_method_cannot_be_replaced() -> None:
    with pytest.raises(MethodologyError, match="already registered"):
        ri.register_normalisation("minmax")(lambda x: x)


def test_a_user_normalisation_named_in_yaml_changes_the_result_and_is_recorded(
    small: Small, tmp_path: object
) -> None:
    @ri.register_normalisation("test_share_of_best")
    def share_of_best(x: np.ndarray, scale: float = 100.0) -> np.ndarray:
        return x / np.nanmax(x) * scale

    path = tmp_path / "methodology.yaml"  # type: ignore[operator]
    path.write_text("normalise:\n  method: test_share_of_best\n  options: {scale: 10}\n")
    methodology = ri.load_methodology(path)
    result = build(*small, methodology)
    # 2024, indicator a: X 2, Y 4, Z 3 -> 5, 10, 7.5
    a = result.datasets["normalised"].xs(2024, level="year")["a"]
    assert a.tolist() == [5.0, 10.0, 7.5]
    assert not result.scores.equals(build(*small).scores)
    recorded = result.record()["methods"]
    assert recorded["normalise.test_share_of_best"]["qualified_name"].endswith("share_of_best")
    assert result.rebuild().scores.equals(result.scores)

    @ri.register_normalisation("test_share_of_best")
    def changed(x: np.ndarray, scale: float = 100.0) -> np.ndarray:
        return x / np.nanmax(x) * scale * 2

    with pytest.raises(MethodologyError, match=r"normalise.test_share_of_best: built with"):
        result.rebuild()


def test_a_builtin_only_build_records_no_methods(small: Small) -> None:
    assert "methods" not in build(*small).record()


def test_user_imputation_treatment_and_aggregation_run_in_the_build(small: Small) -> None:
    @ri.register_imputation("test_fill_zero")
    def fill_zero(x: np.ndarray) -> np.ndarray:
        return np.where(np.isnan(x), 0.0, x)

    @ri.register_treatment("test_cap")
    def cap(x: np.ndarray, upper: float = 25.0) -> np.ndarray:
        return np.minimum(x, upper)

    @ri.register_aggregation("test_max", accepts="non_negative")
    def highest(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
        return np.asarray(np.nanmax(values, axis=-1))

    result = build(
        *small,
        {
            "impute": {"method": "test_fill_zero"},
            "treat": {"method": "test_cap", "options": {"upper": 20}},
            "aggregate": {"method": "test_max"},
        },
    )
    imputed = result.datasets["imputed"].xs(2023, level="year")
    assert imputed.loc["Z", "c"] == 0.0 and result.flags.loc[("Z", 2023), "c"].endswith("i")
    assert result.datasets["treated"].xs(2024, level="year")["b"].max() == 20.0
    agg = result.datasets["aggregated"].xs(2024, level="year")
    assert (agg["index"] == agg[["p1", "p2"]].max(axis=1)).all()
    assert set(result.record()["methods"]) == {
        "aggregate.test_max", "impute.test_fill_zero", "treat.test_cap"
    }  # fmt: skip
