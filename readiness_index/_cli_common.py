"""What the commands of the command line share: input options, loading, error handling."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from readiness_index.coinr import read_coinr
from readiness_index.data import IndicatorData
from readiness_index.definitions import Framework
from readiness_index.editions import edition_data
from readiness_index.errors import ComputationError, DataValidationError, ReadinessIndexError
from readiness_index.io import METHODOLOGY_FILE, load_framework, load_methodology, read_data
from readiness_index.methodology import Methodology
from readiness_index.results import IndexResult

__all__ = [
    "EDITIONS",
    "PATH",
    "editions_for",
    "friendly",
    "input_options",
    "load_inputs",
    "methodology_for",
    "require_scores",
]

PATH = click.Path(path_type=Path)
#: How many yearly editions a build computes (the edition asked for and those before it).
EDITIONS = 5
_F = TypeVar("_F", bound=Callable[..., Any])


def friendly(command: _F) -> _F:
    """Turn the library's errors, and files that cannot be written, into their message and
    exit status 1, never a traceback. Every failure of a long failure table is printed."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ReadinessIndexError as err:
            raise click.ClickException(_with_failures(err)) from err
        except OSError as err:
            raise click.ClickException(f"{err.strerror}: {err.filename}") from err

    return run  # type: ignore[return-value]


def _with_failures(err: ReadinessIndexError) -> str:
    failures = getattr(err, "failures", None)
    message = str(err)
    if failures is None or len(failures) <= 20:
        return message
    table = failures.to_string(index=False)
    return f"{message}\n\nAll {len(failures)} failures:\n{table}"


def input_options(*, coinr: bool = True) -> Callable[[_F], _F]:
    """The options that say what to build: framework, data (or COINr tables), methodology."""
    options = [
        click.option("--framework", multiple=True, type=PATH,
                     help="Framework YAML file or folder (repeatable). "
                          "Default: the shipped index."),
        click.option("--data", multiple=True, type=PATH,
                     help="Long-format data file or folder (repeatable). "
                          "Default: the shipped data."),
        click.option("--methodology", type=PATH, default=None, help="Methodology YAML file."),
    ]  # fmt: skip
    if coinr:
        options.insert(2, click.option(
            "--coinr", nargs=2, type=PATH, default=None, metavar="IDATA IMETA",
            help="Read COINr iData and iMeta tables instead of --framework/--data.",
        ))  # fmt: skip

    def decorate(command: _F) -> _F:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def load_inputs(
    framework: Sequence[Path], data: Sequence[Path], coinr: tuple[Path, Path] | None = None
) -> tuple[Framework, IndicatorData]:
    """Framework and data from the options (the shipped index when none is given)."""
    if coinr:
        return read_coinr(*coinr)
    fw = load_framework(*framework)
    return fw, read_data(*data, framework=fw)


def methodology_for(
    path: Path | None, framework: Sequence[Path], *, coinr: bool = False
) -> Methodology:
    """The methodology to use.

    The file given; else, for COINr's tables, COINr's defaults; for the shipped index
    (no ``--framework``), the shipped ``methodology.yaml``; else the ``methodology.yaml``
    of a framework folder (or of a framework file's folder); else COINr's defaults.
    """
    if path is not None:
        return load_methodology(path)
    if coinr:
        return Methodology()
    if not framework:
        return load_methodology()
    for given in map(Path, framework):
        folder = given if given.is_dir() else given.parent
        candidate = folder / f"{METHODOLOGY_FILE}.yaml"
        if candidate.exists():
            return load_methodology(candidate)
    return Methodology()


def editions_for(values: IndicatorData, fw: Framework, year: int | None) -> IndicatorData:
    """The last :data:`EDITIONS` editions up to ``year`` (the latest data year by default).

    Raises
    ------
    DataValidationError
        If ``year`` lies after the latest or before the earliest data year.
    """
    latest, earliest = max(values.years), min(values.years)
    if year is not None and not earliest <= year <= latest:
        raise DataValidationError(
            f"No edition {year}: the data run from {earliest} to {latest}. "
            f"Choose --year between {earliest} and {latest}."
        )
    last = year or latest
    first = max(earliest, last - EDITIONS + 1)
    return edition_data(values, fw, list(range(first, last + 1)))


def require_scores(result: IndexResult, year: int) -> None:
    """Refuse to present an edition in which no country has an index score.

    Raises
    ------
    ComputationError
        Naming the pillars without data in that edition.
    """
    ranking = result.ranking(year)
    if ranking["score"].notna().any():
        return
    fw = result.framework
    scores = result.datasets["aggregated"].xs(year, level="year")
    empty = [code for code in fw.children(fw.root) if scores[code].isna().all()]
    why = f"these parts have no data in it: {empty}" if empty else "the coverage rules leave none"
    raise ComputationError(f"No country has an index score in {year}: {why}.")
