"""Statistical audit of a built index, as the EU JRC audits composite indicators.

For one year of an :class:`~readiness_index.engine.results.IndexResult`:

* per indicator: data availability, min, max, mean, median, sd, skewness and kurtosis
  (type 2, the treatment step's definitions) and the outlier flag
  (``|skewness| >= 2`` and ``kurtosis >= 3.5``);
* Pearson and Spearman correlations of each indicator with its parent and with the
  index, and of every pair of children within each aggregate;
* per aggregate: Cronbach's alpha of its children and the first principal component
  (share of variance, loadings);
* effective weights beside the nominal weights.

Flags are sentences in plain words; the thresholds are parameters of :func:`audit`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from readiness_index.analysis.correlations import correlation_test
from readiness_index.engine.display import Displayed, Summary
from readiness_index.engine.results import IndexResult
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import AuditSpec
from readiness_index.steps.treat import kurtosis, skewness
from readiness_index.steps.weights import effective_weights as nominal_shares

__all__ = [
    "AuditResult",
    "Thresholds",
    "audit",
    "breaches",
    "cronbach_alpha",
    "describe",
    "first_component",
    "pillar_weights",
    "variance_shares",
]


@dataclass(frozen=True)
class Thresholds:
    """When the audit raises a flag.

    Parameters
    ----------
    skew, kurt : float, default 2.0 and 3.5
        Outlier flag: ``|skewness| >= skew`` and ``kurtosis >= kurt`` (COINr's defaults).
    availability : float, default 2/3
        Flag indicators with data for a smaller share of countries.
    weak : float, default 0.2
        Flag a correlation with the own parent below this (near zero or negative):
        the indicator adds little to, or pulls against, the aggregate it sits in.
    high : float, default 0.9
        Flag pairs of children of one aggregate correlating above this (double counting).
    alpha : float, default 0.7
        Flag aggregates whose Cronbach's alpha is below this (the usual textbook bar).
    weight_ratio : float, default 2.0
        Flag indicators whose effective weight is more than this many times above or
        below their nominal weight.
    """

    skew: float = 2.0
    kurt: float = 3.5
    availability: float = 2 / 3
    weak: float = 0.2
    high: float = 0.9
    alpha: float = 0.7
    weight_ratio: float = 2.0


@dataclass(frozen=True, repr=False)
class AuditResult(Displayed):
    """The outcome of :func:`audit`: tables, and flags in plain words.

    Attributes
    ----------
    statistics : DataFrame
        Per indicator: ``parent, n, availability, min, max, mean, median, sd, skewness,
        kurtosis, outlier``.
    correlations : DataFrame
        Per indicator: Pearson and Spearman correlation with its parent and the index,
        each with its two-sided p-value (``pearson_parent_p`` ...).
    pairs : DataFrame
        Every pair of children within each aggregate: ``aggregate, first, second,
        pearson, pearson_p, spearman, spearman_p``.
    coherence : DataFrame
        Per aggregate: ``level, children, complete, cronbach_alpha, pca_share,
        components_above_one``.
    loadings : DataFrame
        ``aggregate, child, loading`` of the first principal component.
    weights : DataFrame
        Per indicator: ``nominal_weight``, ``effective_weight``, ``r2_share``.
    flags : DataFrame
        ``code, check, message``.
    """

    year: int
    statistics: pd.DataFrame
    correlations: pd.DataFrame
    pairs: pd.DataFrame
    coherence: pd.DataFrame
    loadings: pd.DataFrame
    weights: pd.DataFrame
    flags: pd.DataFrame

    def table(self) -> str:
        """A readable text report of every table and flag."""

        def fmt(v: float) -> str:
            return f"{v:.3f}"

        parts = [
            f"Statistical audit ({self.year})",
            "Indicators\n" + self.statistics.to_string(float_format=fmt),
            "Correlations\n" + self.correlations.to_string(float_format=fmt),
            "Coherence of each aggregate\n" + self.coherence.to_string(float_format=fmt),
            "Weights\n" + self.weights.to_string(float_format=fmt),
            "Flags\n" + ("\n".join(f"- {m}" for m in self.flags["message"]) or "- none"),
        ]
        return "\n\n".join(parts)

    def _summary(self) -> Summary:
        flags = tuple(f"flag: {m}" for m in self.flags["message"].head(5))
        more = len(self.flags) - len(flags)
        lines = (
            f"{len(self.statistics)} indicators, {len(self.coherence)} aggregates, "
            f"{len(self.flags)} flag(s)",
            *flags,
            *((f"... and {more} more flag(s)",) if more > 0 else ()),
            "see .table(), .statistics, .correlations, .coherence, .weights, .plot",
        )
        return Summary(f"statistical audit of {self.year}", lines, self.coherence.reset_index())


# -- pure statistics -----------------------------------------------------------------------
def describe(values: pd.DataFrame, *, skew: float = 2.0, kurt: float = 3.5) -> pd.DataFrame:
    """Descriptive statistics of each column, missing values left out.

    Skewness and kurtosis are type 2 (Excel's ``SKEW`` and ``KURT``):
    ``sqrt(n (n-1)) / (n-2) · m3 / m2^1.5`` and ``((n+1) g2 + 6)(n-1) / ((n-2)(n-3))``
    with ``g2 = m4 / m2² - 3``; ``sd`` is the sample sd (ddof 1). ``outlier`` is
    ``|skewness| >= skew and kurtosis >= kurt``.

    Examples
    --------
    >>> stats = describe(pd.DataFrame({"x": [1.0, 2.0, 3.0, 10.0, np.nan]}))
    >>> stats.loc["x", ["n", "availability", "median", "skewness", "kurtosis"]].round(6).tolist()
    [4.0, 0.8, 2.5, 1.763633, 3.228]
    """
    rows = {}
    for code in values.columns:
        x = values[code].to_numpy(dtype=np.float64)
        present = x[~np.isnan(x)]
        s, k = skewness(x), kurtosis(x)
        rows[code] = {
            "n": float(present.size),
            "availability": present.size / len(x) if len(x) else np.nan,
            "min": present.min() if present.size else np.nan,
            "max": present.max() if present.size else np.nan,
            "mean": present.mean() if present.size else np.nan,
            "median": np.median(present) if present.size else np.nan,
            "sd": present.std(ddof=1) if present.size > 1 else np.nan,
            "skewness": s,
            "kurtosis": k,
            "outlier": bool(abs(s) >= skew and k >= kurt),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def cronbach_alpha(items: np.ndarray) -> float:
    """Cronbach's alpha of the columns of ``items`` (rows with a missing value left out).

    ``alpha = k / (k - 1) · (1 - Σ var(item) / var(Σ items))`` with sample variances.
    NaN with fewer than two items or two complete rows.

    Examples
    --------
    >>> cronbach_alpha(np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 4.0], [4.0, 3.0]]))
    0.75
    """
    complete = items[~np.isnan(items).any(axis=1)]
    k = complete.shape[1]
    if k < 2 or complete.shape[0] < 2:
        return float("nan")
    total = complete.sum(axis=1).var(ddof=1)
    if total == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - complete.var(axis=0, ddof=1).sum() / total))


def first_component(items: np.ndarray) -> tuple[float, np.ndarray, int]:
    """First principal component of the correlation matrix of the columns (complete rows).

    Returns the share of the total variance it explains (``λ1 / k``), its loadings
    (the unit eigenvector, signed so that they sum to a positive number) and the
    number of eigenvalues above 1 (Kaiser's criterion for how many dimensions).

    Examples
    --------
    Two variables correlating at r have eigenvalues ``1 ± r``:

    >>> x = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 4.0], [4.0, 3.0]])  # r = 0.6
    >>> share, loadings, above = first_component(x)
    >>> round(share, 6), np.round(loadings, 6).tolist(), above
    (0.8, [0.707107, 0.707107], 1)
    """
    complete = items[~np.isnan(items).any(axis=1)]
    k = complete.shape[1]
    sd = complete.std(axis=0, ddof=1) if complete.shape[0] > 1 else np.zeros(k)
    if k < 2 or (sd == 0).any():
        return float("nan"), np.full(k, np.nan), 0
    eigenvalues, vectors = np.linalg.eigh(np.corrcoef(complete, rowvar=False))
    first = vectors[:, -1] * (1.0 if vectors[:, -1].sum() >= 0 else -1.0)
    return float(eigenvalues[-1] / k), first, int((eigenvalues > 1).sum())


def variance_shares(indicators: np.ndarray, index: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Share of the index's variance carried by each indicator (covariance decomposition).

    For a linear index ``I = Σ_j w_j x_j`` (weights summing to one):
    ``Var(I) = Σ_j w_j Cov(x_j, I)``, so indicator ``j`` carries
    ``w_j Cov(x_j, I) / Var(I)``; the shares add up to 1 (exactly so for an arithmetic
    mean without missing values; otherwise approximately), and an indicator that
    moves against the others carries a small or negative share. Covariances use
    the countries where both values are known.

    Examples
    --------
    >>> x = np.array([[0.0, 0.0], [50.0, 0.0], [100.0, 100.0]])
    >>> np.round(variance_shares(x, x.mean(axis=1), np.array([0.5, 0.5])), 4).tolist()
    [0.4615, 0.5385]
    """
    shares = np.full(indicators.shape[1], np.nan)
    if np.count_nonzero(~np.isnan(index)) < 2:
        return shares  # no variance to share out
    variance = np.nanvar(index, ddof=1)
    for j in range(indicators.shape[1]):
        both = ~np.isnan(indicators[:, j]) & ~np.isnan(index)
        if np.count_nonzero(both) >= 2:
            cov = np.cov(indicators[both, j], index[both])
            shares[j] = weights[j] * cov[0, 1] / variance
    return shares


# -- the audit -----------------------------------------------------------------------------
def audit(
    result: IndexResult,
    *,
    year: int | None = None,
    dataset: str = "denominated",
    thresholds: Thresholds | None = None,
) -> AuditResult:
    """Audit one year of a built index.

    Parameters
    ----------
    result : IndexResult
        A build.
    year : int, optional
        The year audited (default: the latest).
    dataset : str, default "denominated"
        The data set described per indicator: by default the values in each
        indicator's declared unit (per inhabitant, say), as they enter imputation and
        outlier treatment; ``raw``, ``imputed``, ``treated``... are possible;
        correlations, coherence and weights always use the normalised indicators and
        the aggregates.
    thresholds : Thresholds, optional
        When to raise flags (see :class:`Thresholds`).

    Returns
    -------
    AuditResult

    Examples
    --------
    >>> from readiness_index.model.framework import Aggregate, Framework, Indicator
    >>> from readiness_index.model.data import prepare_data
    >>> from readiness_index.engine.pipeline import build
    >>> fw = Framework(aggregates=(Aggregate(code="index", name="I"),),
    ...                indicators=(Indicator(code="a", name="A", parent="index"),
    ...                            Indicator(code="b", name="B", parent="index")))
    >>> rows = pd.DataFrame({"country": list("PQRS") * 2, "year": 2024,
    ...                      "indicator": ["a"] * 4 + ["b"] * 4,
    ...                      "value": [1.0, 2, 3, 4, 2, 1, 4, 3]})
    >>> report = audit(build(fw, prepare_data(rows, fw)))
    >>> float(round(report.coherence.loc["index", "cronbach_alpha"], 2))
    0.75
    """
    limits = thresholds or Thresholds()
    fw = result.framework
    year = result.years[-1] if year is None else year
    described = _year(result.datasets[dataset], year)[list(fw.indicator_codes)]
    scores = _year(result.datasets["aggregated"], year)
    statistics = describe(described, skew=limits.skew, kurt=limits.kurt)
    statistics.insert(0, "parent", [fw.nodes[c].parent for c in statistics.index])
    correlations = _correlations(scores, fw)
    pairs = _pairs(scores, fw)
    coherence, loadings = _coherence(scores, fw)
    weights = _weights(scores, fw, result.weights)
    tables = (statistics, correlations, pairs, coherence, weights)
    return AuditResult(
        year=year,
        statistics=statistics,
        correlations=correlations,
        pairs=pairs,
        coherence=coherence,
        loadings=loadings,
        weights=weights,
        flags=_flags(*tables, limits),
    )


def _year(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    rows = frame.loc[frame.index.get_level_values("year") == year]
    return rows.droplevel("year")


def _corr(x: pd.Series, y: pd.Series, method: str) -> float:
    both = x.notna() & y.notna()
    if both.sum() < 3 or x[both].nunique() < 2 or y[both].nunique() < 2:
        return float("nan")
    if method == "spearman":
        x, y = x[both].rank(), y[both].rank()
    return float(np.corrcoef(x[both], y[both])[0, 1])


def _correlations(scores: pd.DataFrame, fw: Framework) -> pd.DataFrame:
    rows = {}
    for code in fw.indicator_codes:
        parent = str(fw.nodes[code].parent)
        rows[code] = {
            "parent": parent,
            **_tested(scores[code], scores[parent], "parent"),
            **_tested(scores[code], scores[fw.root], "index"),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _tested(x: pd.Series, y: pd.Series, suffix: str = "") -> dict[str, float]:
    """Pearson and Spearman correlations of ``x`` and ``y`` with their two-sided p-values
    (:func:`~readiness_index.analysis.correlations.correlation_test`)."""
    end = f"_{suffix}" if suffix else ""
    out: dict[str, float] = {}
    for method in ("pearson", "spearman"):
        _, p = correlation_test(
            x.to_numpy(dtype="float64"), y.to_numpy(dtype="float64"), method=method
        )
        out[f"{method}{end}"] = _corr(x, y, method)
        out[f"{method}{end}_p"] = p if np.isfinite(out[f"{method}{end}"]) else float("nan")
    return out


def _pairs(scores: pd.DataFrame, fw: Framework) -> pd.DataFrame:
    rows = [
        {
            "aggregate": aggregate,
            "first": first,
            "second": second,
            **_tested(scores[first], scores[second]),
        }
        for aggregate in fw.aggregate_codes
        for first, second in itertools.combinations(fw.children(aggregate), 2)
    ]
    columns = ["aggregate", "first", "second", "pearson", "pearson_p", "spearman", "spearman_p"]
    return pd.DataFrame(rows, columns=columns)


def _coherence(scores: pd.DataFrame, fw: Framework) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, loadings = {}, []
    for aggregate in fw.aggregate_codes:
        children = list(fw.children(aggregate))
        items = scores[children].to_numpy(dtype=np.float64)
        share, vector, above = first_component(items)
        rows[aggregate] = {
            "level": fw.levels[aggregate],
            "children": len(children),
            "complete": int((~np.isnan(items).any(axis=1)).sum()),
            "cronbach_alpha": cronbach_alpha(items),
            "pca_share": share,
            "components_above_one": above,
        }
        loadings += [
            {"aggregate": aggregate, "child": c, "loading": v}
            for c, v in zip(children, vector, strict=True)
        ]
    return pd.DataFrame.from_dict(rows, orient="index"), pd.DataFrame(loadings)


def _weights(scores: pd.DataFrame, fw: Framework, weights: dict[str, float]) -> pd.DataFrame:
    codes = list(fw.indicator_codes)
    nominal = nominal_shares(fw, weights)
    w = np.array([nominal[c] for c in codes])
    x = scores[codes].to_numpy(dtype=np.float64)
    index = scores[fw.root].to_numpy(dtype=np.float64)
    r2 = np.array([_corr(scores[c], scores[fw.root], "pearson") ** 2 for c in codes])
    return pd.DataFrame(
        {
            "nominal_weight": w,
            "effective_weight": variance_shares(x, index, w),
            "r2_share": r2 / np.nansum(r2),
        },
        index=codes,
    )


# -- flags in plain words --------------------------------------------------------------------
def _flags(
    statistics: pd.DataFrame,
    correlations: pd.DataFrame,
    pairs: pd.DataFrame,
    coherence: pd.DataFrame,
    weights: pd.DataFrame,
    limits: Thresholds,
) -> pd.DataFrame:
    rows = [
        *_data_flags(statistics, limits),
        *_correlation_flags(correlations, pairs, limits),
        *_coherence_flags(coherence, limits),
        *_weight_flags(weights, limits),
    ]
    return pd.DataFrame(rows, columns=["code", "check", "message"])


def _data_flags(statistics: pd.DataFrame, limits: Thresholds) -> list[dict[str, str]]:
    rows = []
    for code, s in statistics.iterrows():
        share, skew, kurt = float(s["availability"]), float(s["skewness"]), float(s["kurtosis"])
        if share < limits.availability:
            text = f"only {share:.0%} of countries have data (below {limits.availability:.0%})"
            rows.append(_flag(code, "availability", f"{code}: {text}; few values behind it."))
        if s["outlier"]:
            text = f"skewness {skew:.2f} and kurtosis {kurt:.2f} reach {limits.skew}/{limits.kurt}"
            advice = "a few extreme values may dominate its scores; consider outlier treatment"
            rows.append(_flag(code, "outliers", f"{code}: {text}: {advice}."))
    return rows


def _correlation_flags(
    correlations: pd.DataFrame, pairs: pd.DataFrame, limits: Thresholds
) -> list[dict[str, str]]:
    rows = []
    for code, c in correlations.iterrows():
        r, parent = float(c["pearson_parent"]), c["parent"]
        if r < 0:
            text = f"correlates negatively (r = {r:.2f}) with its aggregate {parent}"
            advice = "it pulls against the others; check its direction"
            rows.append(_flag(code, "negative correlation", f"{code}: {text}: {advice}."))
        elif r < limits.weak:
            text = f"correlates weakly (r = {r:.2f}, below {limits.weak}) with {parent}"
            rows.append(_flag(code, "weak correlation", f"{code}: {text}: it adds little."))
    for p in pairs.to_dict("records"):
        r = float(p["pearson"])
        if r > limits.high:
            text = f"{p['first']} and {p['second']} in {p['aggregate']} correlate at r = {r:.2f}"
            advice = f"above {limits.high}: they may measure the same thing twice"
            rows.append(
                _flag(f"{p['first']}, {p['second']}", "high correlation", f"{text}, {advice}.")
            )
    return rows


def _coherence_flags(coherence: pd.DataFrame, limits: Thresholds) -> list[dict[str, str]]:
    rows = []
    for code, c in coherence.iterrows():
        alpha, above = float(c["cronbach_alpha"]), int(c["components_above_one"])
        if alpha < limits.alpha:
            text = f"Cronbach's alpha {alpha:.2f} is below {limits.alpha}"
            advice = "its components do not move together as one scale"
            rows.append(_flag(code, "coherence", f"{code}: {text}: {advice}."))
        if above > 1:
            text = f"{above} principal components have an eigenvalue above 1"
            advice = "it may measure more than one dimension"
            rows.append(_flag(code, "dimensions", f"{code}: {text}: {advice}."))
    return rows


def _weight_flags(weights: pd.DataFrame, limits: Thresholds) -> list[dict[str, str]]:
    rows = []
    for code, w in weights.iterrows():
        effective, nominal = float(w["effective_weight"]), float(w["nominal_weight"])
        if not 1 / limits.weight_ratio <= effective / nominal <= limits.weight_ratio:
            text = f"carries {effective:.1%} of the index's variance"
            rows.append(
                _flag(code, "effective weight", f"{code}: {text}, nominal weight {nominal:.1%}.")
            )
    return rows


def _flag(code: object, check: str, message: str) -> dict[str, str]:
    return {"code": str(code), "check": check, "message": message}


# -- compliance with the methodology's declared audit -------------------------------------
def pillar_weights(result: IndexResult, year: int) -> pd.DataFrame:
    """Nominal and effective weight of each child of the index in one year.

    The effective weight is the child's share of the index's variance,
    ``w_p Cov(p, I) / Var(I)`` (:func:`variance_shares`), with ``w_p`` its nominal
    share among the index's children.
    """
    fw = result.framework
    scores = _year(result.datasets["aggregated"], year)
    children = list(fw.children(fw.root))
    w = np.array([result.weights[c] for c in children], dtype=np.float64)
    w = w / w.sum()
    x = scores[children].to_numpy(dtype=np.float64)
    shares = variance_shares(x, scores[fw.root].to_numpy(dtype=np.float64), w)
    return pd.DataFrame({"nominal_weight": w, "effective_weight": shares}, index=children)


def breaches(result: IndexResult, spec: AuditSpec, year: int | None = None) -> pd.DataFrame:
    """Every breach of the declared audit in one year, and whether it is justified.

    The checks (JRC practice, thresholds from ``spec``): no two indicators of one
    aggregate correlate above ``max_pair_correlation`` (Pearson on normalised values;
    key ``high correlation:first,second``); every indicator correlates positively
    with its aggregate (``negative correlation:code``, or ``undefined
    correlation:code`` when the indicator or its aggregate has no variance); no
    indicator stays beyond the skewness/kurtosis thresholds after treatment
    (``outliers:code``); each pillar's effective weight lies within
    ``weight_tolerance`` of its nominal weight (``effective weight:pillar``).

    Returns
    -------
    pandas.DataFrame
        ``year, key, check, code, message, reason, justified``; empty when none. A
        breach is justified when ``spec.justified`` names its key for this edition
        (``key@year``) or for every edition (``key``).
    """
    fw = result.framework
    year = result.years[-1] if year is None else year
    scores = _year(result.datasets["aggregated"], year)
    treated = _year(result.datasets["treated"], year)[list(fw.indicator_codes)]
    rows = [
        *_pair_breaches(_pairs(scores, fw), fw, spec),
        *_sign_breaches(_correlations(scores, fw)),
        *_shape_breaches(describe(treated, skew=spec.skew, kurt=spec.kurtosis)),
        *_weight_breaches(pillar_weights(result, year), spec),
    ]
    table = pd.DataFrame(rows, columns=["key", "check", "code", "message"])
    table.insert(0, "year", year)
    table["reason"] = [_justification(spec, key, year) for key in table["key"]]
    table["justified"] = table["reason"] != ""
    return table


def _justification(spec: AuditSpec, key: str, year: int) -> str:
    """The reason a breach is accepted: for this edition (``key@year``) or for all."""
    return spec.justified.get(f"{key}@{year}", spec.justified.get(key, ""))


def _breach(check: str, code: str, message: str) -> dict[str, str]:
    return {"key": f"{check}:{code}", "check": check, "code": code, "message": message}


def _pair_breaches(pairs: pd.DataFrame, fw: Framework, spec: AuditSpec) -> list[dict[str, str]]:
    indicators = set(fw.indicator_codes)
    high = pairs.loc[
        pairs["first"].isin(indicators) & (pairs["pearson"] > spec.max_pair_correlation)
    ]
    return [
        _breach("high correlation", f"{p['first']},{p['second']}",
                f"{p['first']} and {p['second']} correlate at r = {p['pearson']:.2f} "
                f"(above {spec.max_pair_correlation})")
        for p in high.to_dict("records")
    ]  # fmt: skip


def _sign_breaches(correlations: pd.DataFrame) -> list[dict[str, str]]:
    rows = []
    for code, c in correlations.iterrows():
        r = float(c["pearson_parent"])
        if np.isnan(r):
            rows.append(_breach("undefined correlation", str(code),
                                f"{code} or {c['parent']} has no variance"))  # fmt: skip
        elif r <= 0:
            text = f"{code} correlates at r = {r:.2f} with {c['parent']}"
            rows.append(_breach("negative correlation", str(code), text))
    return rows


def _shape_breaches(statistics: pd.DataFrame) -> list[dict[str, str]]:
    return [
        _breach("outliers", str(code), f"{code} has skewness {s['skewness']:.2f} and "
                f"kurtosis {s['kurtosis']:.2f} after treatment")
        for code, s in statistics.loc[statistics["outlier"]].iterrows()
    ]  # fmt: skip


def _weight_breaches(weights: pd.DataFrame, spec: AuditSpec) -> list[dict[str, str]]:
    rows = []
    for code, w in weights.iterrows():
        nominal, effective = float(w["nominal_weight"]), float(w["effective_weight"])
        if not abs(effective - nominal) <= spec.weight_tolerance * nominal:
            rows.append(_breach("effective weight", str(code),
                                f"{code} carries {effective:.1%} of the index's variance, "
                                f"nominal {nominal:.1%}"))  # fmt: skip
    return rows
