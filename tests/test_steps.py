"""Denominate, impute, screen, treat and weights: known answers, and one contract for every step."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from readiness_index.errors import MethodologyError
from readiness_index.model.methodology import ImputeSpec, NormaliseSpec, ScreenSpec, TreatSpec
from readiness_index.steps import impute, screen
from readiness_index.steps import treat as outliers
from readiness_index.steps.denominate import denominate
from readiness_index.steps.normalise import Normaliser
from readiness_index.steps.weights import effective_weights, resolve_weights

from .conftest import small_framework


def _wide(rows: dict[tuple[str, int], list[float]], columns: str = "xy") -> pd.DataFrame:
    index = pd.MultiIndex.from_tuples(list(rows), names=["country", "year"])
    return pd.DataFrame(list(rows.values()), index=index, columns=list(columns))


PANEL = _wide(
    {
        ("A", 2022): [1.0, 10.0],
        ("B", 2022): [3.0, np.nan],
        ("C", 2022): [np.nan, 30.0],
        ("A", 2023): [np.nan, 12.0],
        ("B", 2023): [5.0, 20.0],
        ("C", 2023): [9.0, np.nan],
        ("A", 2024): [3.0, np.nan],
        ("B", 2024): [np.nan, 24.0],
        ("C", 2024): [11.0, 40.0],
    }
)
GROUPS = pd.DataFrame(
    {"region": ["north", "north", "south"]}, index=pd.Index(["A", "B", "C"], name="country")
)


def _impute(method: str, **kw: object) -> tuple[pd.DataFrame, pd.DataFrame]:
    return impute.Imputer(ImputeSpec(method=method, **kw), GROUPS).transform(PANEL)  # type: ignore[arg-type]


def test_impute_mean_and_median_work_within_a_year() -> None:
    filled, mask = _impute("mean")
    assert filled.loc[("C", 2022), "x"] == 2.0  # mean of 1 and 3 in 2022
    assert filled.loc[("A", 2023), "x"] == 7.0  # mean of 5 and 9 in 2023
    assert mask.sum().sum() == PANEL.isna().sum().sum()
    filled, _ = _impute("median")
    assert filled.loc[("B", 2022), "y"] == 20.0


def test_impute_group_mean_uses_the_units_group() -> None:
    filled, _ = _impute("group_mean", group="region")
    assert filled.loc[("C", 2022), "x"] != filled.loc[("C", 2022), "x"]  # south has no value
    assert filled.loc[("B", 2022), "y"] == 10.0  # north: only A
    assert filled.loc[("A", 2024), "y"] == 24.0


def test_impute_group_unknown_column_is_named() -> None:
    with pytest.raises(MethodologyError, match=r"'nation'.*known groups: \['region'\]"):
        _impute("group_mean", group="nation")


def test_impute_latest_and_linear() -> None:
    latest, _ = _impute("latest")
    assert latest.loc[("A", 2023), "x"] == 1.0
    assert latest.loc[("B", 2024), "x"] == 5.0
    assert np.isnan(latest.loc[("C", 2022), "x"])  # nothing earlier
    limited, _ = _impute("latest", max_years=1)
    assert limited.loc[("A", 2024), "y"] == 12.0
    linear, _ = _impute("linear")
    assert linear.loc[("A", 2023), "x"] == 2.0
    assert linear.loc[("B", 2024), "x"] == 5.0  # no later value: the nearest one (approx rule 2)


def test_denominate_divides_declared_indicators_only() -> None:
    denominators = _wide({("A", 2022): [2.0]}, columns="p")
    wide = _wide({("A", 2022): [10.0, 4.0]})
    out = denominate(wide, denominators, {"x": "p"})
    assert out.loc[("A", 2022)].tolist() == [5.0, 4.0]


def test_screen_by_missing_and_zeros() -> None:
    wide = _wide(
        {
            ("A", 2024): [0.0, 0.0, 1.0],
            ("B", 2024): [np.nan, np.nan, 2.0],
            ("C", 2024): [1.0, 2.0, 3.0],
        },
        columns="xyz",
    )
    kept, removed = screen.screen_units(
        wide, ScreenSpec(method="missing_and_zeros", min_coverage=0.5, min_nonzero=0.5)
    )
    assert kept.index.get_level_values("country").tolist() == ["C"]
    assert dict(zip(removed["country"], removed["reason"], strict=True)) == {
        "A": "too many zeros",
        "B": "too little data",
    }


def test_skewness_and_kurtosis_match_excel_definitions() -> None:
    x = np.array([1.0, 2.0, 2.0, 3.0, 9.0, 15.0])
    assert outliers.skewness(x) == pytest.approx(stats.skew(x, bias=False))
    assert outliers.kurtosis(x) == pytest.approx(stats.kurtosis(x, bias=False))


def test_winsorise_known_answer_moves_tied_maxima_together() -> None:
    x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 50, 50])
    y, count = outliers.winsorise(x, skew=1.0, kurt=0.5, max_points=5)
    assert count == 2 and y[-1] == 12.0 and y[-2] == 12.0


def test_treat_falls_back_to_log_when_winsorising_is_not_enough() -> None:
    x = np.array([1.0] * 20 + [100.0, 1000.0, 10000.0])
    y, record = outliers.treat_column(x, TreatSpec(max_points=1))
    assert record["treatment"] == "log"
    np.testing.assert_allclose(y, outliers.log_transform(x))


def test_weights_resolution_and_effective_weights() -> None:
    fw = small_framework()
    nominal = resolve_weights(fw, "nominal")
    assert nominal["p2"] == 3 and nominal["d"] == 2
    assert set(resolve_weights(fw, "equal").values()) == {1.0}
    assert resolve_weights(fw, {"a": 5})["a"] == 5
    eff = effective_weights(fw, nominal)
    # d: 3/4 (pillar 2) x 2/3 (within pillar 2) = 0.5
    assert eff["d"] == pytest.approx(0.5)
    with pytest.raises(MethodologyError, match=r"'zz'"):
        resolve_weights(fw, {"zz": 1})


@given(st.dictionaries(st.sampled_from(list("abcdp")), st.floats(0.01, 100), min_size=1))
def test_effective_weights_of_indicators_sum_to_one(overrides: dict[str, float]) -> None:
    fw = small_framework()
    w = resolve_weights(fw, {("p1" if k == "p" else k): v for k, v in overrides.items()})
    eff = effective_weights(fw, w)
    assert sum(eff[c] for c in fw.indicator_codes) == pytest.approx(1.0)


STEPS = {
    "impute": lambda w: impute.Imputer(ImputeSpec(method="mean"), GROUPS).transform(w),
    "screen": lambda w: screen.screen_units(w, ScreenSpec()),
    "treat": lambda w: outliers.Treater(TreatSpec()).transform(w),
    "normalise": lambda w: Normaliser(NormaliseSpec(), {"x": 1, "y": -1}).transform(w),
    "denominate": lambda w: denominate(w, w[["y"]].rename(columns={"y": "p"}), {"x": "p"}),
}


@pytest.mark.parametrize("step", sorted(STEPS))
def test_every_step_leaves_input_alone_and_is_deterministic(step: str) -> None:
    wide = PANEL.copy()
    first = STEPS[step](wide)
    pd.testing.assert_frame_equal(wide, PANEL)
    second = STEPS[step](wide)
    firsts = first if isinstance(first, tuple) else (first,)
    seconds = second if isinstance(second, tuple) else (second,)
    for a, b in zip(firsts, seconds, strict=True):
        pd.testing.assert_frame_equal(a, b)


@given(arrays(np.float64, st.integers(4, 40), elements=st.floats(-1e3, 1e3)))
def test_treatment_never_reorders_values(x: np.ndarray) -> None:
    y, _ = outliers.treat_column(x, TreatSpec())
    order = np.argsort(x, kind="stable")
    assert np.all(np.diff(y[order]) >= -1e-9)


def test_nonzero_share_counts_zeros_among_present_values_as_coinr() -> None:
    # 1 zero among 2 present values: COINr's Non_Zero = 1 - 1/2 = 0.5 (not 1/4)
    wide = _wide({("A", 2024): [0.0, 3.0, np.nan, np.nan]}, columns="wxyz")
    assert screen.coverage_table(wide)["nonzero"].tolist() == [0.5]
