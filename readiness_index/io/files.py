"""Reading and writing files: framework YAML, long data tables, result exports.

This is the one module that touches the file system (format loaders for
publishers' files live beside it in :mod:`readiness_index.io.loaders`). Everything
else takes and returns in-memory objects.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ValidationError

from readiness_index.errors import (
    AssumptionError,
    DataFileError,
    DataFileNotFoundError,
    DefinitionError,
    MethodologyError,
    ReadinessIndexError,
    Reason,
)
from readiness_index.io.safe import files_outside, folder_lock, sanitise_frame, sheet_name
from readiness_index.io.safe_yaml import load_yaml
from readiness_index.io.tables import DATA_SUFFIXES, read_table
from readiness_index.io.workbook import (
    analysis_sheets,
    framework_sheet,
    methodology_sheet,
    weights_sheet,
)
from readiness_index.model.columns import case_hint, case_variants, describe_case_variants, keys_at
from readiness_index.model.contract import FLAG_CODES, column_failures, raise_failures
from readiness_index.model.data import IndicatorData, prepare_data
from readiness_index.model.framework import Framework
from readiness_index.model.methodology import Methodology

if TYPE_CHECKING:
    from readiness_index.analysis.assumptions import Assumptions
    from readiness_index.analysis.audit import AuditResult
    from readiness_index.analysis.sensitivity import SensitivityResult
    from readiness_index.analysis.uncertainty import UncertaintyResult
    from readiness_index.engine.results import IndexResult

__all__ = [
    "EXPORT_TYPES",
    "FOLDER_MARKER",
    "MANIFEST_FILE",
    "METHODOLOGY_FILE",
    "atomic_directory",
    "atomic_file",
    "bundled_path",
    "check_export_path",
    "export_result",
    "framework_files",
    "load_assumptions",
    "load_framework",
    "load_methodology",
    "read_data",
    "read_table",
    "read_tables",
    "write_sheets",
    "write_table",
]

#: A framework folder may hold its default methodology in ``methodology.yaml``.
METHODOLOGY_FILE = "methodology"
_FILE_KEYS = {
    "index",
    "aggregates",
    "indicators",
    "denominators",
    "units",
    "map",
    "translations",
    "files",
}
#: A framework folder's manifest: ``framework.yaml`` may list the folder's framework
#: files (globs relative to the folder) under ``files``.
MANIFEST_FILE = "framework.yaml"
#: Files of a framework folder named so are never framework files (methodology variants,
#: uncertainty assumptions kept beside the framework).
_NOT_FRAMEWORK = (METHODOLOGY_FILE, "assumptions", "uncertainty")
_DATA_SUFFIXES = {".csv", ".xlsx", ".xls", ".parquet"}


def bundled_path(name: str) -> Path:
    """Path of a folder shipped with the package: ``"indicators"`` or ``"reports"``.

    Installed wheels carry the folders inside the package; a source checkout
    reads them from the repository's top level.
    """
    packaged = resources.files("readiness_index") / "_bundled" / name
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / name


# -- framework -----------------------------------------------------------------------------
def load_framework(*paths: str | os.PathLike[str]) -> Framework:
    """Load a framework from YAML files or folders of YAML files.

    With no path, the shipped European AI Readiness Index is loaded. Each file may
    hold any of the keys ``index`` (code, name, version, description and
    ``reference_name``, the name reports give the average of the units),
    ``aggregates``, ``indicators``, ``denominators``, ``units`` and ``map`` (a
    tile-grid map of the units for the reports: ``name`` and ``tiles``, each unit's
    ``[column, row]``); lists from several files are joined. Folders are searched
    recursively for ``*.yaml`` (the ``data`` sub-folder is skipped). ``translations``
    maps a language code to ``index`` (name, description) and ``nodes`` (by code:
    name, description, unit, policy, target_name, target_unit, rationale, note);
    English is the text of the definitions and the fallback for anything not
    translated (one file per language, e.g. ``translations/de.yaml``).

    Raises
    ------
    DefinitionError
        Listing every broken rule with its file and key path.
    DataFileNotFoundError
        If a path does not exist.
    """
    files = _yaml_files(paths or (bundled_path("indicators"),))
    merged: dict[str, Any] = {
        "aggregates": [], "indicators": [], "denominators": [], "units": [], "translations": {},
    }  # fmt: skip
    origin: dict[str, str] = {}
    problems: list[dict[str, str]] = []
    for file in files:
        _merge_file(file, merged, origin, problems)
    if problems:
        _raise_definition(problems)
    try:
        return Framework.model_validate(merged)
    except ValidationError as err:
        problems.extend(_framework_problems(err, origin))
        _raise_definition(problems)
        raise  # pragma: no cover - _raise_definition always raises


def _framework_problems(err: ValidationError, origin: dict[str, str]) -> list[dict[str, str]]:
    """The problems of a whole framework, each placed in the file that defines its code."""
    problems: list[dict[str, str]] = []
    for error in err.errors():
        cause = (error.get("ctx") or {}).get("error")
        failures = getattr(cause, "failures", None)
        if isinstance(cause, DefinitionError) and failures is not None:
            for rec in failures.to_dict("records"):
                where = origin.get(str(rec["code"]), "the framework")
                problems.append(_problem(where, "", str(rec["problem"]), str(rec["reason"])))
        else:
            path = ".".join(str(p) for p in error["loc"])
            problems.append(_problem("the framework", path, str(error["msg"])))
    return problems


def _problem(
    file: str, path: str, problem: str, reason: str = Reason.INVALID_VALUE
) -> dict[str, str]:
    return {"file": file, "path": path, "problem": problem, "reason": str(reason)}


def _yaml_files(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise DataFileNotFoundError(f"Framework path {path} does not exist.")
        if path.is_dir():
            found = framework_files(path)
            if not found:
                raise DataFileNotFoundError(f"No *.yaml framework file in folder {path}.")
            files.extend(found)
        else:
            files.append(path)
    return files


def framework_files(folder: Path) -> list[Path]:
    """The framework files of a folder.

    When the folder's ``framework.yaml`` lists ``files`` (globs relative to the folder),
    that file and the files listed; otherwise every ``*.yaml`` below the folder except
    the ``data`` sub-folder and files whose names begin with ``methodology``,
    ``assumptions`` or ``uncertainty`` (methodology variants kept beside a framework).

    Files found by following links out of the folder (or a manifest's glob reaching
    out of it) are refused.

    Raises
    ------
    DefinitionError
        If the manifest's ``files`` is not a list of globs, or a glob matches nothing,
        or a file lies outside the folder.
    """
    manifest = folder / MANIFEST_FILE
    listed = _manifest_files(manifest) if manifest.exists() else None
    found = (
        [manifest, *listed]
        if listed is not None
        else sorted(
            p
            for p in folder.rglob("*.y*ml")
            if "data" not in p.relative_to(folder).parts[:-1]
            and not p.stem.lower().startswith(_NOT_FRAMEWORK)
        )
    )
    _refuse_outside(folder, found, DefinitionError, "--framework")
    return found


def _manifest_files(manifest: Path) -> list[Path] | None:
    content = load_yaml(manifest, DefinitionError)
    if not isinstance(content, dict) or "files" not in content:
        return None
    globs = content["files"]
    if not isinstance(globs, list) or not all(isinstance(g, str) for g in globs):
        raise DefinitionError(
            f"{manifest} (files): expected a list of file names or globs relative to "
            f"{manifest.parent}, e.g. [pillars/*.yaml]; found {_short(globs)}"
        )
    files: list[Path] = []
    for pattern in globs:
        matched = sorted(p for p in manifest.parent.glob(pattern) if p != manifest)
        if not matched:
            raise DefinitionError(
                f"{manifest} (files): {pattern!r} matches no file in {manifest.parent}"
            )
        files.extend(p for p in matched if p not in files)
    return files


def _merge_file(
    file: Path, merged: dict[str, Any], origin: dict[str, str], problems: list[dict[str, str]]
) -> None:
    try:
        content = load_yaml(file, DefinitionError) or {}
    except DefinitionError as err:
        problems.append(_yaml_problem(file, err))
        return
    if not isinstance(content, dict):
        found = f"found {type(content).__name__} {_short(content)}"
        problems.append(_problem(str(file), "", f"expected a mapping at the top; {found}"))
        return
    if _unknown_keys(file, content, problems):
        return
    _merge_blocks(file, content, merged, origin, problems)
    for key in ("aggregates", "indicators", "denominators", "units"):
        items = content.get(key) or []
        if not isinstance(items, list):
            found = f"found {type(items).__name__} {_short(items)}"
            problems.append(_problem(str(file), key, f"expected a list of {key}; {found}"))
            continue
        for pos, item in enumerate(items):
            _check_item(file, key, pos, item, problems)
            merged[key].append(item)
            if isinstance(item, dict) and "code" in item:
                origin[str(item["code"])] = f"{file} ({key}[{pos}])"


def _unknown_keys(file: Path, content: dict[Any, Any], problems: list[dict[str, str]]) -> bool:
    """Report unknown top-level keys: one problem for a methodology file among the framework
    files, one per key otherwise. True when the file is not to be merged."""
    unknown = sorted(set(content) - _FILE_KEYS, key=str)
    if unknown and set(map(str, content)) <= set(Methodology.model_fields):
        problems.append(_problem(str(file), "", _LOOKS_LIKE_METHODOLOGY.format(keys=unknown)))
        return True
    for key in unknown:
        expected = f"unknown key{case_hint(key, _FILE_KEYS)}; expected one of {sorted(_FILE_KEYS)}"
        problems.append(_problem(str(file), _short(key), expected))
    return False


_LOOKS_LIKE_METHODOLOGY = (
    "holds methodology keys {keys}, not framework definitions: name it "
    f"'{METHODOLOGY_FILE}-<variant>.yaml' (files named {METHODOLOGY_FILE}*, assumptions* or "
    "uncertainty* are not read as framework files), or list the framework files in "
    f"{MANIFEST_FILE} under 'files'"
)


def _yaml_problem(file: Path, err: DefinitionError) -> dict[str, str]:
    """A refused YAML file as a framework problem, from the error's failure table."""
    failures = err.failures
    if failures is None or failures.empty:
        return _problem(str(file), "", str(err), Reason.SYNTAX)
    record = failures.iloc[0]
    where = f"line {record['line']}" if pd.notna(record["line"]) else ""
    return _problem(str(file), where, str(record["problem"]), str(record["reason"]))


def _merge_index(
    file: Path, index: Any, merged: dict[str, Any], origin: dict[str, str],
    problems: list[dict[str, str]],
) -> None:  # fmt: skip
    if not isinstance(index, dict):
        problems.append(_problem(str(file), "index", f"expected a mapping; found {_short(index)}"))
        return
    for key, value in index.items():
        if key not in _INDEX_KEYS:
            hint = case_hint(key, _INDEX_KEYS)
            problems.append(_problem(str(file), f"index.{_short(key)}", f"unknown key{hint}"))
        _merge_once(file, f"index.{key}", value, (merged, key), origin, problems)


def _merge_once(
    file: Path, path: str, value: Any, into: tuple[dict[Any, Any], Any],
    origin: dict[str, str], problems: list[dict[str, str]],
) -> None:  # fmt: skip
    """Set ``into[0][into[1]] = value``, unless another file gave it a different value:
    an entry given by two files must agree (the last file does not silently win)."""
    target, key = into
    where = f"{path}:"  # ':' is in no code, so these keys never meet a code in ``origin``
    if where in origin and target.get(key) != value:
        problems.append(_problem(
            str(file), path,
            f"is {_short(value)} here but {_short(target.get(key))} in {origin[where]}; "
            "give it in one file (framework files are joined, and no file overrides another)",
            Reason.CONFLICT,
        ))  # fmt: skip
        return
    origin.setdefault(where, str(file))
    target[key] = value


def _merge_blocks(
    file: Path, content: dict[Any, Any], merged: dict[str, Any], origin: dict[str, str],
    problems: list[dict[str, str]],
) -> None:  # fmt: skip
    """The keys that are not lists of nodes: ``index``, ``map`` and ``translations``."""
    if "index" in content:
        _merge_index(file, content["index"], merged, origin, problems)
    if "map" in content:
        _merge_once(file, "map", content["map"], (merged, "map"), origin, problems)
    if "translations" in content:
        _merge_translations(file, content["translations"], merged, origin, problems)


def _merge_translations(
    file: Path, given: Any, merged: dict[str, Any], origin: dict[str, str],
    problems: list[dict[str, str]],
) -> None:  # fmt: skip
    """Join the translations of a file into ``merged["translations"]`` (language -> index
    and nodes), text by text: two files may translate one node, not the same text."""
    from readiness_index.model.framework import Translation

    if not isinstance(given, dict):
        found = f"found {type(given).__name__} {_short(given)}"
        problems.append(_problem(str(file), "translations", f"expected a mapping; {found}"))
        return
    for language, block in given.items():
        try:
            Translation.model_validate(block)
        except ValidationError as err:
            for error in err.errors():
                where = ".".join(str(part) for part in error["loc"])
                hint = _key_case_hint(error, block, Translation)
                problem = f"{error['msg']} (found {_short(error.get('input'))}){hint}"
                problems.append(_problem(str(file), f"translations.{language}.{where}", problem))
            continue
        into = merged["translations"].setdefault(str(language), {"index": {}, "nodes": {}})
        at = f"translations.{language}"
        for field, text in (block.get("index") or {}).items():
            _merge_once(file, f"{at}.index.{field}", text, (into["index"], field), origin,
                        problems)  # fmt: skip
        for code, fields in (block.get("nodes") or {}).items():
            node = into["nodes"].setdefault(code, {})
            for field, text in (fields or {}).items():
                _merge_once(file, f"{at}.nodes.{code}.{field}", text, (node, field), origin,
                            problems)  # fmt: skip


def _check_item(file: Path, key: str, pos: int, item: Any, problems: list[dict[str, str]]) -> None:
    from readiness_index.model.framework import Aggregate, Denominator, Indicator, Unit

    models: dict[str, type[BaseModel]] = {
        "aggregates": Aggregate,
        "indicators": Indicator,
        "denominators": Denominator,
        "units": Unit,
    }
    model = models[key]
    try:
        model.model_validate(item)
    except ValidationError as err:
        for error in err.errors():
            path = f"{key}[{pos}]" + "".join(
                f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"]
            )
            code = item.get("code", "?") if isinstance(item, dict) else "?"
            text = f"{key[:-1]} {_short(code)}: {error['msg']} (found {_short(error.get('input'))})"
            problems.append(_problem(str(file), path, text + _key_case_hint(error, item, model)))


#: The keys of a framework file's ``index`` mapping.
_INDEX_KEYS = ("code", "name", "version", "description", "reference_name")


def _key_case_hint(error: Any, item: Any, model: type[BaseModel]) -> str:
    """The spelling to use when a key of a definition (``Code:``, ``bounds: {Lower: 0}``)
    differs from a field's only in case: pydantic says the key is extra and the field is
    missing."""
    *parents, key = error["loc"] or ("",)
    if error["type"] == "extra_forbidden":
        return case_hint(key, keys_at(model, parents))
    for part in parents:  # the mapping that lacks the field
        item = item[part] if isinstance(item, (dict, list)) and _holds(item, part) else None
    if error["type"] != "missing" or not isinstance(item, dict):
        return ""
    variants = case_variants(item, [str(key)])
    return f"; {describe_case_variants(variants)}" if variants else ""


def _holds(container: dict[Any, Any] | list[Any], part: object) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(part, int) and 0 <= part < len(container)


def _raise_definition(problems: list[dict[str, str]]) -> None:
    table = pd.DataFrame(problems, columns=["file", "path", "reason", "problem"])
    lines = [
        f"{p['file']}" + (f" ({p['path']})" if p["path"] else "") + f": {p['problem']}"
        for p in problems[:50]
    ]
    more = f"\n  ... and {len(problems) - 50} more (see .failures)" if len(problems) > 50 else ""
    raise DefinitionError(
        f"{len(problems)} problem(s) in the framework definitions:\n  " + "\n  ".join(lines) + more,
        failures=table,
    )


# -- methodology -----------------------------------------------------------------------
def load_methodology(path: str | os.PathLike[str] | None = None) -> Methodology:
    """Read a methodology from YAML; a folder gives its ``methodology.yaml``.

    With no path, the shipped index's default methodology is read.

    Raises
    ------
    MethodologyError
        Naming every invalid key path.
    """
    path = Path(path) if path is not None else bundled_path("indicators")
    if path.is_dir():
        path = path / f"{METHODOLOGY_FILE}.yaml"
    if not path.exists():
        raise DataFileNotFoundError(f"Methodology file {path} does not exist.")
    content = load_yaml(path, MethodologyError) or {}
    if not isinstance(content, dict):
        raise MethodologyError(
            f"{path}: a methodology file holds a mapping such as 'normalise: {{method: "
            f"minmax}}'; found {type(content).__name__} {_short(content)}"
        )
    try:
        return Methodology.from_mapping(content)
    except MethodologyError as err:
        raise MethodologyError(f"{path}: {err}", failures=err.failures) from err


def load_assumptions(path: str | os.PathLike[str]) -> Assumptions:
    """Read uncertainty assumptions from YAML and validate them (every problem listed).

    Raises
    ------
    AssumptionError
        If the file is not a mapping or an assumption is invalid.
    DataFileNotFoundError
        If the file does not exist.
    """
    from readiness_index.analysis.assumptions import Assumptions

    path = Path(path)
    if not path.exists():
        raise DataFileNotFoundError(f"Assumptions file {path} does not exist.")
    mapping = load_yaml(path, AssumptionError) or {}
    if not isinstance(mapping, dict):
        raise AssumptionError(
            f"The assumptions file {path} must hold a mapping such as 'normalise: [...]'; "
            f"found {type(mapping).__name__} {_short(mapping)}"
        )
    return Assumptions.from_mapping(mapping)


def _short(value: object, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters, for messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- data ----------------------------------------------------------------------------------
def read_data(*paths: str | os.PathLike[str], framework: Framework | None = None) -> IndicatorData:
    """Read and validate long-format indicator data from files or folders.

    With no path, the shipped data of the European AI Readiness Index are read.
    Folders contribute every CSV, Excel and Parquet file they hold (recursively).
    All files are validated together, so duplicates across files are caught.

    Raises
    ------
    DataValidationError
        Listing every failing row with its file, row, column, indicator and country.
    """
    framework = framework or load_framework()
    combined, label = read_tables(*(paths or (bundled_path("indicators") / "data",)))
    return prepare_data(combined, framework, file=label)


def read_tables(*paths: str | os.PathLike[str]) -> tuple[pd.DataFrame, str]:
    """Every long table in ``paths`` (files or folders), joined without validation, each
    row indexed ``file:line``; and a label naming the paths for messages.

    A row's file is its name (within the folder read) when one path is read, and its
    path when several are (so that a row of one's own file is told from a row of the
    shipped data). A file given
    twice (directly, or inside a folder also given) is refused: its rows would clash.

    Raises
    ------
    DataFileError
        If a file is given twice.
    """
    sources = [(Path(raw), _data_files([raw])) for raw in paths]
    files = [file for _, found in sources for file in found]
    _refuse_repeated(files)
    parts = [
        str(found[0]) if found == [given] else f"{len(found)} files under {given}"
        for given, found in sources
    ]
    label = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    frames, failures = [], []
    for given, found in sources:
        for file in found:
            frame = read_table(file)
            name = _row_file(given, file, len(sources))
            if len(files) > 1:  # joined, a 'Country' beside another file's 'country' is extra
                failures.extend(_case_failures(frame.columns, name))
            frame.index = _row_labels(name, frame.index)
            frames.append(frame)
    if failures:
        raise_failures(failures, label)
    combined = _combine(frames)
    del frames  # the rows now live in `combined` alone
    return combined, label


def _case_failures(columns: pd.Index, name: str) -> list[dict[str, object]]:
    """The failure of a file's header whose names differ from the long columns only in
    case (said before the files are joined, so that it names its file)."""
    failures = column_failures(columns, name)
    return [f for f in failures if f["reason"] == Reason.COLUMN_CASE.value]


def _row_file(given: Path, file: Path, sources: int) -> str:
    """How rows name their file: by its path when several paths are read, else by its
    name (its path within the folder read)."""
    if sources > 1:
        return str(file)
    return file.name if file == given else file.relative_to(given).as_posix()


def _refuse_outside(
    folder: Path,
    files: list[Path],
    error: type[DataFileError] | type[DefinitionError],
    option: str,
) -> None:
    """Refuse files of a folder that lie outside it (links, ``..``), every one named."""
    outside = files_outside(folder, files)
    if outside:
        table = pd.DataFrame(
            [{"reason": Reason.OUTSIDE_FOLDER.value, "file": item} for item in outside],
            dtype=object,
        )
        raise error(
            f"The folder {folder} leads to files outside it: {_short(outside, 600)}. "
            "A folder's files are read from inside it only; name such a file on its own "
            f"({option} FILE) to read it, or copy it into the folder.",
            failures=table,
        )


def _refuse_repeated(files: list[Path]) -> None:
    """Refuse a file that is read twice (given twice, or in a folder also given)."""
    first: dict[Path, Path] = {}
    for file in files:
        same = first.setdefault(file.resolve(), file)
        if same is not file:
            given = f"as {same} and as {file}" if str(same) != str(file) else "twice"
            raise DataFileError(
                f"{file}: the data file is given {given}; give each file once (every row "
                "would otherwise clash with itself)",
                failures=pd.DataFrame(
                    [{"reason": Reason.DUPLICATE_FILE.value, "file": str(file)}], dtype=object
                ),
            )


def _combine(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One table of the files' rows (one file's table as it is: no copy)."""
    if not frames:
        return pd.DataFrame(columns=["country", "year", "indicator", "value"])
    return frames[0] if len(frames) == 1 else pd.concat(frames)


def _row_labels(name: str, rows: pd.Index) -> pd.Index:
    """``file.csv:LINE`` for each row, as failures name it (built by Arrow, not Python)."""
    try:
        lines = pa.array(rows.to_numpy()).cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return pd.Index([f"{name}:{row}" for row in rows])
    labels: pd.Index = pd.Index(
        pd.array(pc.binary_join_element_wise(name + ":", lines, ""), dtype="string")
    )
    return labels


def _data_files(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise DataFileNotFoundError(f"Data path {path} does not exist.")
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in DATA_SUFFIXES and not p.name.startswith(".")
            )
            if not found:
                raise DataFileNotFoundError(
                    f"The data folder {path} holds no data file (expected "
                    f"{', '.join(DATA_SUFFIXES)} files)."
                )
            _refuse_outside(path, found, DataFileError, "--data")
            files.extend(found)
        else:
            files.append(path)
    return files


# -- results -----------------------------------------------------------------------------
def export_result(
    result: IndexResult,
    path: str | os.PathLike[str],
    *,
    audit: AuditResult | None = None,
    uncertainty: UncertaintyResult | None = None,
    sensitivity: SensitivityResult | None = None,
) -> Path:
    """Write a result by file type: ``.csv`` (scores), ``.json`` (record and scores) or
    ``.xlsx`` (one sheet per data set, like COINr's ``export_to_excel``, plus the scores,
    flags, data years, denominator years, flag codes, treatment log, screened-out units,
    notes, the framework, the weights, the methodology, the replay record and, when
    given, the audit, uncertainty and sensitivity results).

    The scores are :meth:`~readiness_index.engine.results.IndexResult.flagged_scores`:
    every indicator row carries its data year, its denominator's year and its flags
    (``i`` imputed, ``h`` carried forward, ``o`` stale), the same in every format.

    The file appears only when it is complete. No cell of a ``.csv`` or ``.xlsx``
    export is a formula: text that a spreadsheet would evaluate is written with a
    leading apostrophe (see :func:`readiness_index.io.safe.sanitise_frame`).
    """
    path = check_export_path(path)
    suffix = path.suffix.lower()
    scores = result.flagged_scores()
    if suffix == ".csv":
        with atomic_file(path) as handle:
            sanitise_frame(scores).to_csv(handle, index=False)
    elif suffix == ".json":
        records = json.loads(scores.to_json(orient="records"))
        payload = {**result.record(), "flag_codes": FLAG_CODES, "scores": records}
        with atomic_file(path) as handle:
            json.dump(payload, handle, indent=2)
    elif suffix == ".xlsx":
        sheets = _export_sheets(result) + analysis_sheets(audit, uncertainty, sensitivity)
        with atomic_file(path, "wb") as handle:
            write_sheets(handle, sheets)
    return path


#: The file types :func:`export_result` writes.
EXPORT_TYPES = (".csv", ".json", ".xlsx")


def check_export_path(path: str | os.PathLike[str]) -> Path:
    """``path`` if :func:`export_result` can write there, checked before any work is done.

    Raises
    ------
    DataFileError
        If the file type is not one of :data:`EXPORT_TYPES`, the path is a folder or
        a file stands where its folder would be.

    Examples
    --------
    >>> check_export_path("scores.csv").name
    'scores.csv'
    >>> check_export_path("scores.ods")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    readiness_index.errors.DataFileError: Cannot write scores.ods: expected a .csv, ...
    """
    path = Path(path)
    if path.suffix.lower() not in EXPORT_TYPES:
        raise DataFileError(f"Cannot write {path}: expected a .csv, .json or .xlsx file name.")
    if path.is_dir():
        raise DataFileError(f"Cannot write {path}: it is a folder; give a file name.")
    for folder in path.parents:
        if folder.exists():
            if not folder.is_dir():
                raise DataFileError(f"Cannot write {path}: {folder} is a file, not a folder.")
            break
    return path


def _export_sheets(result: IndexResult) -> list[tuple[str, pd.DataFrame, bool]]:
    """The sheets of an ``.xlsx`` export: name, table, whether its index is written."""
    sheets = [(name, frame.reset_index(), False) for name, frame in result.datasets.items()]
    sheets += [
        ("scores", result.flagged_scores(), False),
        ("flags", result.flags.reset_index(), False),
        ("data_years", result.data_years.reset_index(), False),
        ("denominator_years", result.denominator_years.reset_index(), False),
        ("flag_codes", pd.Series(FLAG_CODES, name="meaning").rename_axis("flag").to_frame(), True),
    ]
    for name in ("treatment", "screened_out"):
        table = getattr(result, name)
        if not table.empty:
            sheets.append((name, table, False))
    sheets += [
        ("notes", result.notes, False),
        ("framework", framework_sheet(result.framework), False),
        ("weights", weights_sheet(result), False),
        ("methodology", methodology_sheet(result.methodology), False),
    ]
    record = pd.Series(result.record(), name="value").astype(str)
    sheets.append(("record", record.to_frame(), True))
    return sheets


def write_sheets(handle: Any, sheets: Sequence[tuple[str, pd.DataFrame, bool]]) -> None:
    """Write ``(name, table, with_index)`` sheets to an open binary file as ``.xlsx``.

    Sheet names are made valid and unique and every table is sanitised, so that no
    cell is a formula.
    """
    taken: set[str] = set()
    with pd.ExcelWriter(handle, engine="openpyxl") as xl:
        for name, frame, with_index in sheets:
            safe = sanitise_frame(frame)
            safe.to_excel(xl, sheet_name=sheet_name(name, taken), index=with_index)


def write_table(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write one table by file type, ``.csv`` or ``.xlsx``, sanitised (no cell is a formula).

    The file appears only when it is complete.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_table(pd.DataFrame({"a": ["=1+1"]}), Path(folder) / "t.csv")
    ...     path.read_text()
    "a\\n'=1+1\\n"
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        with atomic_file(path, "wb") as handle:
            write_sheets(handle, [(path.stem, frame, False)])
    else:
        with atomic_file(path) as handle:
            sanitise_frame(frame).to_csv(handle, index=False)
    return path


# -- atomic writing ------------------------------------------------------------------------
#: Written into every folder :func:`atomic_directory` fills; a folder without it that holds
#: files is never replaced.
FOLDER_MARKER = ".readiness-index"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike[str], mode: str = "w") -> Iterator[Any]:
    """Open a temporary file beside ``path`` and move it into place only on success.

    The file gets the permissions of any new file (``0o666`` less the umask).
    """
    target = Path(path)
    if target.is_dir():
        raise DataFileError(f"Cannot write {target}: it is a folder; give a file name.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as err:
        raise DataFileError(
            f"Cannot write {target}: {Path(err.filename or target.parent)} is a file, not a folder."
        ) from err
    except OSError as err:
        raise _unwritable(target, err) from err
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as err:
        raise _unwritable(target, err) from err
    try:
        with os.fdopen(fd, mode) as handle:
            yield handle
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError) and not isinstance(err, ReadinessIndexError):
            raise _unwritable(target, err) from err
        raise


def _unwritable(target: Path, err: OSError) -> DataFileError:
    """The error for a file or folder that cannot be written (named, never its temporary
    file or folder)."""
    return DataFileError(
        f"Cannot write {target}: {err.strerror or type(err).__name__} (nothing was written)."
    )


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary folder that replaces ``path`` only when the block succeeds.

    A failure leaves ``path`` as it was (absent or with its previous content). A
    folder is only replaced when it is empty or was written here before (it holds
    :data:`FOLDER_MARKER`), so that no unrelated file is ever deleted.

    Raises
    ------
    DataFileError
        If ``path`` is a file, or a folder holding files not written by this function.
    """
    target = Path(path).resolve()
    with folder_lock(target):
        _check_replaceable(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        except OSError as err:
            raise _unwritable(target, err) from err
        try:
            yield tmp
            _replace_folder(tmp, target)
        except BaseException as err:
            shutil.rmtree(tmp, ignore_errors=True)
            if isinstance(err, OSError) and not isinstance(err, ReadinessIndexError):
                raise _unwritable(target, err) from err
            raise


def _replace_folder(tmp: Path, target: Path) -> None:
    """Move the finished folder ``tmp`` to ``target`` (the previous one is removed)."""
    (tmp / FOLDER_MARKER).write_text("Written by readiness-index; replaced on the next run.\n")
    os.chmod(tmp, 0o777 & ~_umask())
    if not target.exists():
        os.replace(tmp, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
    os.replace(target, old / "previous")
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)


def _check_replaceable(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise DataFileError(f"{target} is a file; expected a folder to write into.")
    if target.is_dir() and any(target.iterdir()) and not (target / FOLDER_MARKER).exists():
        raise DataFileError(
            f"{target} already holds files that readiness-index did not write; it would "
            "replace the whole folder. Choose a new or empty folder, or remove it first."
        )
