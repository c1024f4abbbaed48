"""Fuzzing the readers: whatever bytes a file holds, the only errors are the library's own.

Hypothesis draws file contents (random bytes, mutated valid files, YAML-looking
text); each reader either returns or raises a
:class:`~readiness_index.errors.ReadinessIndexError`. The number of examples is
bounded so that the run takes seconds.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness_index.errors import MethodologyError, ReadinessIndexError
from readiness_index.io.files import load_framework, load_methodology
from readiness_index.io.loaders import load_file
from readiness_index.io.safe_yaml import parse_yaml
from readiness_index.io.tables import read_table
from readiness_index.model.contract import validate_long
from tests.conftest import small_framework

FUZZ = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
VALID_CSV = (
    "country,year,indicator,value,flag,source\nAT,2024,a,1.5,,x\nBE,2024,a,2,e,x\n"
    "AT,2024,b,3,,x\nAT,2024,c,4,,x\nAT,2024,d,5,,x\n"
)
VALID_TSV = "freq,unit,geo\\TIME_PERIOD\t2023 \t2024 \nA,PC,AT\t5.0 \t6.0 e\nA,PC,BE\t7.0 \t: \n"
VALID_YAML = (
    "aggregates:\n  - {code: idx, name: I}\nindicators:\n  - {code: a, name: A, parent: idx, "
    "weight: 2, direction: -1}\n"
)


@st.composite
def mutated(draw: st.DrawFn, valid: str) -> bytes:
    """``valid`` with a few bytes replaced, inserted or cut."""
    data = bytearray(valid.encode())
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["replace", "insert", "cut"]))
        byte = draw(st.integers(0, 255))
        if action == "replace" and position < len(data):
            data[position] = byte
        elif action == "insert":
            data.insert(position, byte)
        else:
            del data[position : position + draw(st.integers(1, 20))]
    return bytes(data)


def contents(valid: str) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=400), mutated(valid), st.text(max_size=300).map(str.encode))


def _only_own_errors(suffix: str, data: bytes, read: object) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"file{suffix}"
        path.write_bytes(data)
        with contextlib.suppress(ReadinessIndexError):
            read(path)  # type: ignore[operator]


@FUZZ
@given(contents(VALID_CSV))
def test_long_csv_files(data: bytes) -> None:
    _only_own_errors(".csv", data, lambda p: load_file(p, indicator=None))


@FUZZ
@given(contents(VALID_TSV))
def test_eurostat_tsv_files(data: bytes) -> None:
    _only_own_errors(".tsv", data, lambda p: load_file(p, indicator="a"))


@FUZZ
@given(st.binary(max_size=600))
def test_excel_and_parquet_files(data: bytes) -> None:
    _only_own_errors(".xlsx", data, read_table)
    _only_own_errors(".parquet", data, read_table)


@FUZZ
@given(contents(VALID_YAML))
def test_framework_files(data: bytes) -> None:
    _only_own_errors(".yaml", data, load_framework)


@FUZZ
@given(contents("normalise: {method: minmax}\naggregate: {method: geometric}\n"))
def test_methodology_files(data: bytes) -> None:
    _only_own_errors(".yaml", data, load_methodology)


@FUZZ
@given(st.text(max_size=300))
def test_yaml_text(text: str) -> None:
    with contextlib.suppress(ReadinessIndexError):
        parse_yaml(text, "fuzz.yaml", MethodologyError)


CELLS = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**20), 10**20),
    st.sampled_from(["AT", "at", "a", "b", "2024", "nan", "inf", "=1+1", "../x", ""]),
)


@FUZZ
@given(st.lists(st.tuples(CELLS, CELLS, CELLS, CELLS, CELLS), max_size=12))
def test_long_tables_in_memory(rows: list[tuple[object, ...]]) -> None:
    frame = pd.DataFrame(rows, columns=["country", "year", "indicator", "value", "flag"])
    with contextlib.suppress(ReadinessIndexError):
        validate_long(frame, small_framework())


VALID_IMETA = (
    "Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type\n"
    "1,a,A,1,1,,,,p,Indicator\n1,b,B,-1,1,,,,p,Indicator\n2,p,P,1,1,,,,idx,Aggregate\n"
    "3,idx,Index,1,1,,,,,Aggregate\n"
)
VALID_IDATA = "uCode,uName,Time,a,b\nAUT,Austria,2024,1,2\nBEL,Belgium,2024,3,4\n"


@FUZZ
@given(contents(VALID_IMETA), contents(VALID_IDATA))
def test_coinr_tables(meta: bytes, values: bytes) -> None:
    from readiness_index.io.coinr import read_coinr

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "iMeta.csv").write_bytes(meta)
        (Path(folder) / "iData.csv").write_bytes(values)
        with contextlib.suppress(ReadinessIndexError):
            read_coinr(Path(folder) / "iData.csv", Path(folder) / "iMeta.csv")


@FUZZ
@given(contents(VALID_CSV), contents(VALID_CSV))
def test_several_data_files_read_together(first: bytes, second: bytes) -> None:
    from readiness_index.io.files import read_data

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "a").mkdir()
        (Path(folder) / "a" / "data.csv").write_bytes(first)
        (Path(folder) / "b.csv").write_bytes(second)
        with contextlib.suppress(ReadinessIndexError):
            read_data(Path(folder) / "a", Path(folder) / "b.csv", framework=small_framework())
