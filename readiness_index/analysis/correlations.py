"""Correlation matrices with p-values, between any scores of a result (COINr's
``get_corr`` with ``pval``).

Each pair uses the units where both values are present (pairwise deletion, as
COINr's ``use = "pairwise.complete.obs"``). The p-value is the two-sided test of
no correlation: Student's t with ``n - 2`` degrees of freedom for Pearson's r and
for Spearman's rho (the test of R's ``cor.test`` for Pearson; for Spearman the
t approximation, which R also uses when exact p-values are not computed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["correlation_matrix", "correlation_test"]

Method = Literal["pearson", "spearman"]


def correlation_test(
    x: np.ndarray, y: np.ndarray, method: Method = "pearson"
) -> tuple[float, float]:
    """Correlation and two-sided p-value over the pairs where both values are present.

    ``t = r sqrt((n - 2) / (1 - r^2))``, ``p = 2 P(T_{n-2} > |t|)``. Fewer than three
    pairs, or a constant variable, give ``(nan, nan)``.

    >>> r, p = correlation_test(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 3.0, 2.0, 4.0]))
    >>> round(r, 3), round(p, 3)
    (0.8, 0.2)
    """
    both = ~(np.isnan(x) | np.isnan(y))
    a, b = x[both], y[both]
    if a.size < 3 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return float("nan"), float("nan")
    if method == "spearman":
        a, b = stats.rankdata(a), stats.rankdata(b)
    r = float(np.clip(np.corrcoef(a, b)[0, 1], -1.0, 1.0))
    df = a.size - 2
    if abs(r) == 1.0:
        return r, 0.0
    t = r * np.sqrt(df / (1 - r**2))
    return r, float(2 * stats.t.sf(abs(t), df))


def correlation_matrix(
    values: pd.DataFrame,
    codes: Sequence[str] | None = None,
    *,
    method: Method = "pearson",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Correlations and p-values between the columns ``codes`` of ``values``.

    Parameters
    ----------
    values : DataFrame
        Units x codes (one year of a result's data set).
    codes : sequence of str, optional
        The columns to correlate (all by default).
    method : {"pearson", "spearman"}

    Returns
    -------
    (DataFrame, DataFrame)
        The correlation matrix and the matrix of p-values (diagonal: 1 and 0).

    Examples
    --------
    >>> frame = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [1.0, 3, 2, 4]})
    >>> r, p = correlation_matrix(frame)
    >>> r.round(2).to_dict()
    {'a': {'a': 1.0, 'b': 0.8}, 'b': {'a': 0.8, 'b': 1.0}}
    """
    codes = list(values.columns if codes is None else codes)
    matrix = values[codes].to_numpy(dtype="float64")
    r = np.eye(len(codes))
    p = np.zeros((len(codes), len(codes)))
    for i in range(len(codes)):
        for j in range(i + 1, len(codes)):
            r[i, j], p[i, j] = correlation_test(matrix[:, i], matrix[:, j], method)
            r[j, i], p[j, i] = r[i, j], p[i, j]
    return pd.DataFrame(r, index=codes, columns=codes), pd.DataFrame(p, index=codes, columns=codes)
