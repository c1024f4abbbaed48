"""The site's downloads: an edition's scores and indicator values as CSV and XLSX, and
the replay record as JSON.

Every table carries the build's fingerprints (``framework_hash``, ``data_hash``,
``methodology_hash`` columns; the record holds them too), so a file separated from
the site still says which build it comes from. Cells never hold spreadsheet
formulas (:func:`readiness_index.io.safe.sanitise_frame`). The values are picked out
of the result as built; nothing is computed.

Examples
--------
>>> import pandas as pd
>>> from readiness_index import build, prepare_data
>>> from readiness_index.model.framework import Aggregate, Framework, Indicator
>>> fw = Framework(aggregates=(Aggregate(code="index", name="Index"),),
...                indicators=(Indicator(code="a", name="=A", parent="index"),))
>>> rows = pd.DataFrame({"country": ["AT", "BE"], "year": 2025, "indicator": "a",
...                      "value": [1.0, 2.0]})
>>> tables = download_tables(build(fw, prepare_data(rows, fw)), 2025)
>>> tables["scores"][["country", "code", "score", "rank"]].head(2).to_numpy().tolist()
[['AT', 'index', 0.0, 2], ['AT', 'a', 0.0, 2]]
>>> tables["indicators"]["indicator_name"].tolist()  # sanitised when written
['=A', '=A']
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pandas as pd

from readiness_index.io.files import atomic_file, write_sheets, write_table
from readiness_index.io.safe import file_in_folder
from readiness_index.model.framework import Indicator

if TYPE_CHECKING:
    from readiness_index.engine.results import IndexResult

__all__ = ["FOLDER", "Download", "download_tables", "write_downloads"]

#: The sub-folder of the site that holds the downloads.
FOLDER = "downloads"


@dataclass(frozen=True)
class Download:
    """One file offered for download: its path in the site, content, size and SHA-256
    (empty where the format makes it differ from run to run)."""

    href: str
    content: str
    file_format: str
    size: int
    sha256: str


def _fingerprints(result: IndexResult) -> dict[str, str]:
    return {"framework_hash": result.framework_hash, "data_hash": result.data_hash,
            "methodology_hash": result.methodology_hash}  # fmt: skip


def _scores(result: IndexResult, year: int) -> pd.DataFrame:
    framework = result.framework
    order = {code: position for position, (_, node) in enumerate(framework.walk())
             for code in [node.code]}  # fmt: skip
    rows = result.scores[result.scores["year"] == year].copy()
    rows["order"] = rows["code"].map(order)
    rows = rows.sort_values(["country", "order"], kind="stable")
    return pd.DataFrame({
        "country": rows["country"].to_numpy(),
        "country_name": [result.data.names.get(c, c) for c in rows["country"]],
        "year": year,
        "code": rows["code"].to_numpy(),
        "name": [framework.nodes[c].name for c in rows["code"]],
        "level": rows["level"].to_numpy(),
        "score": rows["score"].to_numpy(dtype="float64"),
        "rank": rows["rank"].to_numpy(),
    }).assign(**_fingerprints(result))  # fmt: skip


def _indicators(result: IndexResult, year: int) -> pd.DataFrame:
    framework = result.framework
    codes = list(framework.indicator_codes)
    key = pd.IndexSlice[:, year]

    def pick(frame: pd.DataFrame, name: str) -> pd.Series:
        table = frame.loc[key, codes].droplevel("year").rename_axis(columns="indicator")
        stacked = cast(pd.Series, table.stack(future_stack=True))
        return stacked.rename(name)

    parts = [pick(result.datasets["raw"], "published_value"),
             pick(result.datasets["denominated"], "value"),
             pick(result.data_years, "data_year"),
             pick(result.flags, "flags"),
             pick(result.datasets["normalised"], "score")]  # fmt: skip
    long = pd.concat(parts, axis=1).reset_index()
    nodes: list[Indicator] = [framework.indicator(code) for code in long["indicator"]]
    long.insert(1, "country_name", [result.data.names.get(c, c) for c in long["country"]])
    long.insert(2, "year", year)
    long.insert(4, "indicator_name", [node.name for node in nodes])
    long.insert(5, "unit", [node.unit or "" for node in nodes])
    long["source"] = [node.source.publisher if node.source else "" for node in nodes]
    long["dataset"] = [node.source.dataset if node.source else "" for node in nodes]
    long["source_url"] = [(node.source.url or "") if node.source else "" for node in nodes]
    return long.assign(**_fingerprints(result))


def download_tables(result: IndexResult, year: int) -> dict[str, pd.DataFrame]:
    """The edition's ``scores`` (every node, every unit) and ``indicators`` tables.

    ``indicators`` holds per unit and indicator the published value, the value in
    the indicator's unit (after denominating), its data year, flags (``i`` =
    imputed), normalised score and source.
    """
    return {"scores": _scores(result, year), "indicators": _indicators(result, year)}


def _record(result: IndexResult, year: int) -> str:
    return json.dumps({**result.record(), "edition_shown": year}, indent=2, default=str)


def write_downloads(result: IndexResult, year: int, site: Path) -> list[Download]:
    """Write the downloads of edition ``year`` into ``site/downloads``; what was written.

    One CSV file per table, one workbook with both tables and the record, and the
    record as JSON. The workbook's SHA-256 is not given: the format stores the time
    it was written, so it differs on every run.
    """
    folder = site / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{result.framework.root}-{year}"
    tables = download_tables(result, year)
    written: list[tuple[Path, str, str]] = []
    for name, table in tables.items():
        path = write_table(table, file_in_folder(folder, stem, f"-{name}.csv"))
        written.append((path, name, "CSV"))
    workbook = file_in_folder(folder, stem, ".xlsx")
    record = pd.Series({k: str(v) for k, v in result.record().items()}, name="value")
    with atomic_file(workbook, "wb") as handle:
        write_sheets(handle, [*((n, t, False) for n, t in tables.items()),
                              ("record", record.to_frame(), True)])  # fmt: skip
    written.append((workbook, "workbook", "XLSX"))
    path = file_in_folder(folder, stem, "-record.json")
    with atomic_file(path) as handle:
        handle.write(_record(result, year))
    written.append((path, "record", "JSON"))
    return [_download(path, site, content, file_format) for path, content, file_format in written]


def _download(path: Path, site: Path, content: str, file_format: str) -> Download:
    data = path.read_bytes()
    digest = "" if file_format == "XLSX" else hashlib.sha256(data).hexdigest()
    return Download(path.relative_to(site).as_posix(), content, file_format, len(data), digest)
