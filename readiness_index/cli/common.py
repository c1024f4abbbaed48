"""What the commands of the command line share: input options, loading, error handling.

The command modules import only :mod:`click` at the top; the library is imported
inside the commands, so that ``--help`` answers without loading pandas.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from readiness_index.errors import ReadinessIndexError

if TYPE_CHECKING:
    from readiness_index.engine.results import IndexResult
    from readiness_index.model.data import IndicatorData
    from readiness_index.model.framework import Framework
    from readiness_index.model.methodology import Methodology

__all__ = [
    "PATH",
    "LastResortGroup",
    "build_result",
    "describe_error",
    "editions_option",
    "friendly",
    "input_options",
    "load_inputs",
]

PATH = click.Path(path_type=Path)
_F = TypeVar("_F", bound=Callable[..., Any])


def friendly(command: _F) -> _F:
    """Turn every error into a short message and exit status 1, never a traceback.

    The library's errors print their message (and every failure of a long failure
    table); files that cannot be written print the reason and the file; anything
    else, the command line's last resort, prints its kind and a hint to re-run with
    ``readiness-index --debug`` for the traceback.
    """

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as err:
            if _debugging():
                raise
            raise click.ClickException(describe_error(err)) from err

    return run  # type: ignore[return-value]


class LastResortGroup(click.Group):
    """A command group whose commands never end in a traceback (see :func:`friendly`)."""

    def invoke(self, ctx: click.Context) -> Any:
        """Invoke the command, turning any error into a message."""
        return friendly(super().invoke)(ctx)


def describe_error(err: BaseException) -> str:
    """The message the command line prints for ``err`` (bounded in length).

    >>> describe_error(RecursionError("maximum recursion depth exceeded"))
    'Unexpected error (RecursionError): maximum recursion depth exceeded. This input is not \
handled as it should be; re-run with `readiness-index --debug ...` to see the traceback, and \
please report it.'
    """
    if isinstance(err, ReadinessIndexError):
        return _bounded(_with_failures(err), _MAX_MESSAGE)
    if isinstance(err, OSError):
        where = f": {err.filename}" if err.filename else ""
        return _bounded(f"{err.strerror or type(err).__name__}{where}", _MAX_LINE)
    text = _bounded(str(err).splitlines()[0] if str(err) else "no message", _MAX_LINE)
    return (
        f"Unexpected error ({type(err).__name__}): {text}. This input is not handled as it "
        "should be; re-run with `readiness-index --debug ...` to see the traceback, and "
        "please report it."
    )


def _debugging() -> bool:
    context = click.get_current_context(silent=True)
    return bool(context is not None and context.find_root().params.get("debug"))


_MAX_LINE = 300
_MAX_MESSAGE = 200_000
_MAX_TABLE_ROWS = 200


def _bounded(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _with_failures(err: ReadinessIndexError) -> str:
    failures = getattr(err, "failures", None)
    message = str(err)
    if failures is None or len(failures) <= 20 or "(see .failures)" not in message:
        return message  # every failure, or every cause of them, is in the message
    shown = failures.head(_MAX_TABLE_ROWS).map(lambda cell: _bounded(str(cell), 80))
    more = f"\n... and {len(failures) - _MAX_TABLE_ROWS} more" if len(failures) > len(shown) else ""
    return f"{message}\n\nAll {len(failures)} failures:\n{shown.to_string(index=False)}{more}"


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
        click.option("--corrections", multiple=True, type=PATH, expose_value=False,
                     callback=_remember, help="Data file or folder whose rows replace the "
                     "values of the same country, year and indicator (repeatable); listed "
                     "in the replay record."),
        click.option("--only", is_flag=True, default=False, expose_value=False,
                     callback=_remember, help="Use --framework and --data alone, not on top "
                     "of the shipped index (a framework declaring its own root is always "
                     "used alone)."),
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


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Keep an input option's value for :func:`load_inputs` (no command has to pass it on)."""
    ctx.meta[f"readiness_index.{param.name}"] = value
    return value


def _remembered(name: str, default: Any) -> Any:
    context = click.get_current_context(silent=True)
    return default if context is None else context.meta.get(f"readiness_index.{name}", default)


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
        corrections = list(_remembered("corrections", ())) or None
        fw, values, chosen = resolve_inputs(
            framework or None,
            data or None,
            methodology,
            corrections=corrections,
            only=bool(_remembered("only", False)),
        )
    return fw, values, _with_editions(chosen, editions)


def build_result(
    framework: Framework, data: IndicatorData, methodology: Methodology, year: int | None = None
) -> IndexResult:
    """Build as :func:`readiness_index.build` does, printing each indicator that drops
    out of the index as a warning (on standard error)."""
    from readiness_index.api import warn_dropped
    from readiness_index.engine.pipeline import build
    from readiness_index.errors import IndicatorDroppedWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", IndicatorDroppedWarning)
        result = build(framework, data, methodology, year=year)
        warn_dropped(result)
    for warning in caught:
        if issubclass(warning.category, IndicatorDroppedWarning):
            click.echo(f"Warning: {warning.message}", err=True)
        else:
            warnings.warn(warning.message, warning.category, stacklevel=2)
    return result


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
