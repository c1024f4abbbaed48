"""What the commands of the command line share: input options, loading, error handling.

The command modules import only :mod:`click` at the top; the library is imported
inside the commands, so that ``--help`` answers without loading pandas.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from readiness_index.errors import ReadinessIndexError

if TYPE_CHECKING:
    from readiness_index.model.data import IndicatorData
    from readiness_index.model.framework import Framework
    from readiness_index.model.methodology import Methodology

__all__ = ["PATH", "editions_option", "friendly", "input_options", "load_inputs"]

PATH = click.Path(path_type=Path)
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
    framework: Sequence[Path],
    data: Sequence[Path],
    methodology: Path | None,
    coinr: tuple[Path, Path] | None = None,
    editions: bool | None = None,
) -> tuple[Framework, IndicatorData, Methodology]:
    """Framework, data and methodology from the options, as :func:`readiness_index.build`
    resolves them (the shipped index when none is given).

    ``editions`` overrides the methodology's choice of yearly editions: ``True`` adds
    the default editions entry where the methodology has none, ``False`` removes it.
    """
    from readiness_index.api import resolve_inputs
    from readiness_index.io.coinr import read_coinr
    from readiness_index.io.files import load_methodology
    from readiness_index.model.methodology import Methodology

    if coinr:
        fw, values = read_coinr(*coinr)
        chosen = load_methodology(methodology) if methodology else Methodology()
    else:
        fw, values, chosen = resolve_inputs(framework or None, data or None, methodology)
    return fw, values, _with_editions(chosen, editions)


def _with_editions(methodology: Methodology, editions: bool | None) -> Methodology:
    from readiness_index.model.methodology import EditionsSpec

    if editions is None or editions == (methodology.editions is not None):
        return methodology
    spec = EditionsSpec() if editions else None
    return methodology.model_copy(update={"editions": spec})


def editions_option(command: _F) -> _F:
    """``--editions/--no-editions``: override the methodology's yearly editions."""
    return click.option(
        "--editions/--no-editions",
        default=None,
        help="Build yearly editions (latest data year <= edition, within max age) or "
        "data years. Default: as the methodology says (the shipped one: editions).",
    )(command)
