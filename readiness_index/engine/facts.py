"""What a build knows about each indicator value besides the value: the data year behind
it, the year of the denominator it was divided by, and its flags.

The facts are kept as NumPy arrays over the rows of the build's data sets (one row per
unit and edition, one column per indicator) while the build runs; the tables a user
sees are made from them once, at the end: the wide ``data_years``,
``denominator_years`` and ``flags`` tables, and the three columns the long scores carry
on each indicator row (:func:`fact_columns`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from readiness_index.engine.flags import FlagCodes, flag_codes
from readiness_index.engine.results import Later
from readiness_index.model.data import IndicatorData, level_values, wide_cells
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import Methodology
from readiness_index.steps.impute import Imputer

__all__ = ["Facts", "fact_columns", "facts", "year_frame"]

Floats = NDArray[np.float64]


@dataclass(frozen=True)
class Facts:
    """The facts of every cell of ``index x codes``.

    Attributes
    ----------
    index : pandas.MultiIndex
        The ``(country, year)`` rows (the rows of the build's raw data set).
    codes : list of str
        The indicators, in the order of the columns of ``data_years`` and ``flags``.
    data_years : ndarray of float
        The data year behind each value (``NaN``: no value).
    denominated : list of str
        The indicators divided by a denominator, the columns of ``denominator_years``.
    denominator_years : ndarray of float
        The data year of the denominator each per-capita value was divided by.
    flags : FlagCodes
        Publisher flags and the build's marks, as codes.
    """

    index: pd.MultiIndex
    codes: list[str]
    data_years: Floats
    denominated: list[str]
    denominator_years: Floats
    flags: FlagCodes

    def tables(self, data: IndicatorData) -> dict[str, Later]:
        """The wide ``data_years``, ``denominator_years`` and ``flags`` tables, each made
        when it is first read (:class:`~readiness_index.engine.results.Later`)."""
        named = "indicator" if _has_data_years(data) else None
        if self.denominated:
            denominators = Later(year_frame, (self.denominator_years, self.index, self.denominated))
        else:
            denominators = Later(_no_columns, (self.index,))
        columns = pd.Index(self.codes, name="indicator")
        return {
            "data_years": Later(year_frame, (self.data_years, self.index, self.codes, named)),
            "denominator_years": denominators,
            "flags": Later(self.flags.frame, (self.index, columns)),
        }


def _no_columns(index: pd.Index) -> pd.DataFrame:
    return pd.DataFrame(index=index)


def facts(
    data: IndicatorData,
    fw: Framework,
    methodology: Methodology,
    raw: pd.DataFrame,
    imputed: pd.DataFrame | None,
) -> Facts:
    """The facts of every cell of the build's raw data set ``raw``.

    ``imputed`` marks the cells the imputation filled (``None``: no imputation).
    """
    index, codes = raw.index, list(fw.indicator_codes)  # the columns of raw
    assert isinstance(index, pd.MultiIndex)  # the build's rows are (country, year)
    years = _carried_years(_year_cells(data, raw, codes), index, codes, methodology, data)
    by = {i.code: i.denominator for i in fw.indicators if i.denominator is not None}
    if not methodology.denominate.enabled:
        by = {}
    denominators = sorted(set(by.values()))
    picked = np.empty((len(index), 0))
    if denominators:
        denominator_years = _year_cells(data, raw, denominators, of_raw=False)
        picked = denominator_years[:, [denominators.index(d) for d in by.values()]]
    marks = _marks(years, index, imputed, _limits(fw, methodology, codes))
    return Facts(index, codes, years, list(by), picked, _flag_codes(data, index, codes, marks))


def _limits(fw: Framework, methodology: Methodology, codes: list[str]) -> Floats | None:
    """Each indicator's ``stale_after`` limit; ``None`` without editions (nothing ages)."""
    if methodology.editions is None:
        return None
    return np.array([methodology.stale_after(fw.indicator(code)) for code in codes], dtype=float)


def _marks(
    years: Floats, index: pd.MultiIndex, imputed: pd.DataFrame | None, limits: Floats | None
) -> list[tuple[str, NDArray[np.bool_]]]:
    """The build's marks, in order: ``i`` imputed, ``h`` carried forward (from an earlier
    data year than the edition), ``o`` stale (more than ``stale_after`` years behind).

    Only editions carry values forward; without them no cell is carried or stale.
    """
    if limits is None:
        carried = stale = np.zeros(years.shape, dtype=bool)
    else:
        edition = level_values(index, "year").astype("float64")[:, None]
        with np.errstate(invalid="ignore"):
            age = edition - years
            carried, stale = age > 0, age > limits[None, :]
    marks: list[tuple[str, NDArray[np.bool_]]] = [("h", carried), ("o", stale)]
    if imputed is not None:
        filled = imputed.reindex(index).fillna(False).to_numpy(dtype=bool)
        marks.insert(0, ("i", filled))
    return marks


def _flag_codes(
    data: IndicatorData,
    index: pd.MultiIndex,
    codes: list[str],
    marks: list[tuple[str, NDArray[np.bool_]]],
) -> FlagCodes:
    """Publisher flags followed by the build's ``marks``, one per cell of ``index x codes``,
    as codes (:mod:`~readiness_index.engine.flags`)."""
    publisher, flags = pd.factorize(data.long["flag"])
    rows, cells = wide_cells(
        data.long, codes, layout=data.layout, values=publisher.astype(np.int64), fill=-1
    )
    return flag_codes(_aligned(rows, cells, index, fill=-1), [str(f) for f in flags], marks)


def _has_data_years(data: IndicatorData) -> bool:
    return "data_year" in data.long.columns and bool(data.long["data_year"].ne("").any())


def _year_cells(
    data: IndicatorData, raw: pd.DataFrame, codes: list[str], of_raw: bool = True
) -> Floats:
    """The data year of each cell of ``raw``'s rows x ``codes`` as floats (``NaN``: no
    value): the ``data_year`` of each value where the data have one, the row's own year
    otherwise. ``of_raw``: ``codes`` are ``raw``'s columns, whose values say which cells
    have one (else the data's cells of ``codes`` say it)."""
    index = raw.index
    assert isinstance(index, pd.MultiIndex)
    if _has_data_years(data):
        rows, cells = data.cells(codes, column="data_year")
        text = pd.Series(_aligned(rows, cells, index).ravel())
        numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype="float64")
        return numbers.reshape(len(index), len(codes))
    if of_raw:
        present = ~np.isnan(raw.to_numpy(dtype="float64"))
    else:
        rows, cells = data.cells(codes)
        present = ~np.isnan(_aligned(rows, cells, index))
    year = level_values(index, "year").astype("float64")
    return np.where(present, year[:, None], np.nan)


def _carried_years(
    years: Floats, index: pd.MultiIndex, codes: list[str], methodology: Methodology,
    data: IndicatorData,
) -> Floats:  # fmt: skip
    """With ``latest`` imputation, a filled cell's data year is the year its value came
    from (the imputation run on the years, rounded to whole years)."""
    spec = methodology.impute
    if spec is None or spec.method != "latest":
        return years
    carried, _ = Imputer(spec, data.groups).transform(pd.DataFrame(years, index, codes))
    return np.round(carried.to_numpy(dtype="float64"))


def year_frame(
    years: Floats, index: pd.Index, codes: list[str], name: str | None = None
) -> pd.DataFrame:
    """Whole years (``NaN`` for none) as nullable integer columns (built without copies),
    the columns named ``name``.

    >>> idx = pd.MultiIndex.from_tuples([("A", 2024), ("B", 2024)], names=["country", "year"])
    >>> year_frame(np.array([[2023.0], [np.nan]]), idx, ["x"])["x"].tolist()
    [2023, <NA>]
    """
    missing = np.isnan(years)
    whole = np.where(missing, 0, years).astype("int64")
    columns = pd.Index(codes, name=name)
    if (whole != np.where(missing, 0, years)).any():  # not whole years: pandas says which
        return pd.DataFrame(years, index=index, columns=columns).astype("Int64")
    cells = {c: pd.arrays.IntegerArray(whole[:, j], missing[:, j]) for j, c in enumerate(codes)}
    return pd.DataFrame(cells, index=index, columns=columns, copy=False)


def _aligned(
    rows: pd.MultiIndex, cells: NDArray[Any], index: pd.MultiIndex, fill: Any = np.nan
) -> NDArray[Any]:
    """The cells in the order of ``index`` (the rows of the build's data sets), ``fill``
    in rows without data."""
    if rows is index or rows.equals(index):
        return cells
    where = rows.get_indexer(index)
    out = np.full((len(index), cells.shape[1]), fill, dtype=cells.dtype)
    out[where >= 0] = cells[where[where >= 0]]
    return out


def fact_columns(known: Facts, rows: pd.Index, codes: pd.Index) -> dict[str, Any]:
    """The ``data_year``, ``denominator_year`` and ``flags`` columns of the long scores:
    one entry per cell of ``rows x codes``, row by row (as
    :func:`~readiness_index.engine.pipeline.score_table` lays the scores out); empty on
    the aggregates' rows and wherever a fact is unknown. Each cell is picked by
    position, with no join.
    """
    where = np.arange(len(rows)) if rows is known.index else known.index.get_indexer(rows)
    indicators, denominated = _positions(known.codes, codes), _positions(known.denominated, codes)
    return {
        "data_year": _years_array(_picked(known.data_years, where, indicators, np.nan)),
        "denominator_year": _years_array(
            _picked(known.denominator_years, where, denominated, np.nan)
        ),
        "flags": known.flags.column(_picked(known.flags.codes, where, indicators, 0).ravel()),
    }


def _positions(known: list[str], codes: pd.Index) -> NDArray[np.intp]:
    """Where each of ``codes`` is in ``known`` (-1 where absent)."""
    position = {code: j for j, code in enumerate(known)}
    return np.array([position.get(str(code), -1) for code in codes.tolist()], dtype=np.intp)


def _picked(
    cells: NDArray[Any], where: NDArray[np.intp], column: NDArray[np.intp], missing: Any
) -> Any:
    """``cells`` at rows ``where`` x columns ``column``; ``missing`` where either
    position is -1 (the cells picked in one take, with no intermediate copy)."""
    out = np.full((len(where), len(column)), missing, dtype=cells.dtype)
    rows, columns = np.flatnonzero(where >= 0), np.flatnonzero(column >= 0)
    if cells.size == 0 or rows.size == 0 or columns.size == 0:
        return out
    picked = cells[np.ix_(where[rows], column[columns])]
    if rows.size == len(where):
        out[:, columns] = picked
    else:
        out[np.ix_(rows, columns)] = picked
    return out


def _years_array(years: Floats) -> pd.arrays.IntegerArray:
    """Whole years with NaN for none, as a nullable integer column."""
    missing = np.isnan(years).ravel()
    return pd.arrays.IntegerArray(np.where(missing, 0, years.ravel()).astype("int64"), missing)
