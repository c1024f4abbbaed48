"""Group imputation of a whole year's frame equals imputing each indicator on its own."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from readiness_index.steps.impute import impute_group


@pytest.mark.parametrize("statistic", ["mean", "median"])
def test_frame_at_once_equals_column_by_column(statistic: str) -> None:
    rng = np.random.default_rng(1)
    values = pd.DataFrame(rng.random((40, 5)), columns=list("abcde"))
    values = values.mask(values > 0.7)
    groups = pd.Series(rng.choice(np.array(["p", "q", None], dtype=object), 40))
    whole = impute_group(values, groups, statistic)
    by_column = values.apply(impute_group, groups=groups, statistic=statistic)
    pd.testing.assert_frame_equal(whole, by_column, check_exact=True)
