"""Command-line analysis of an index: ``audit``, ``uncertainty`` and ``sensitivity``.

The commands are registered on the ``readiness-index`` group; they parse, call the
library and print. Bad input ends with the message and exit status 1, never a
traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from readiness_index.cli.common import PATH, build_result, friendly, input_options, load_inputs

if TYPE_CHECKING:
    import pandas as pd

    from readiness_index.analysis.assumptions import Assumptions
    from readiness_index.model.data import IndicatorData
    from readiness_index.model.framework import Framework
    from readiness_index.model.methodology import Methodology

__all__ = ["audit_command", "sensitivity_command", "uncertainty_command"]

_F = TypeVar("_F", bound=Callable[..., Any])


def _inputs(command: _F) -> _F:
    """The options every analysis shares: what to build, the year, where to write."""
    command = click.option(
        "--out", type=PATH, default=None, help="Folder to write the tables to (CSV)."
    )(command)
    command = click.option(
        "--year", type=int, default=None, help="Year analysed; default the latest."
    )(command)
    return input_options()(command)


def _load(
    framework: tuple[Path, ...],
    data: tuple[Path, ...],
    coinr: tuple[Path, Path] | None,
    methodology: Path | None,
    year: int | None,
) -> tuple[Framework, IndicatorData, Methodology]:
    """What to analyse: as ``build`` computes it (the methodology's editions)."""
    return load_inputs(framework, data, methodology, coinr)


def _assumptions(path: Path) -> Assumptions:
    """Assumptions from a YAML file, validated (every problem listed at once)."""
    from readiness_index.io.files import load_assumptions

    return load_assumptions(path)


def _write(out: Path | None, tables: dict[str, pd.DataFrame]) -> None:
    if out is None:
        return
    from readiness_index.io.files import atomic_directory
    from readiness_index.io.safe import sanitise_frame

    with atomic_directory(out) as folder:
        for name, table in tables.items():
            sanitise_frame(table).to_csv(folder / f"{name}.csv")
    click.echo(f"Wrote {', '.join(f'{n}.csv' for n in tables)} to {out}")


@click.command("audit")
@_inputs
@click.option(
    "--dataset",
    default="denominated",
    show_default=True,
    help="Data set described per indicator (raw, denominated, imputed, treated, ...).",
)
@friendly
def audit_command(
    framework: tuple[Path, ...],
    data: tuple[Path, ...],
    coinr: tuple[Path, Path] | None,
    methodology: Path | None,
    year: int | None,
    out: Path | None,
    dataset: str,
) -> None:
    """Audit the index: statistics, correlations, Cronbach's alpha, PCA, effective weights."""
    from readiness_index.analysis.audit import audit

    fw, values, chosen = _load(framework, data, coinr, methodology, year)
    result = build_result(fw, values, chosen)
    if dataset not in result.datasets:
        raise click.BadParameter(f"{dataset!r}; choose one of {sorted(result.datasets)}")
    if year is not None and year not in result.years:
        raise click.BadParameter(f"{year} is not in the result; years: {result.years}")
    report = audit(result, year=year, dataset=dataset)
    click.echo(report.table())
    _write(
        out,
        {
            "statistics": report.statistics,
            "correlations": report.correlations,
            "pairs": report.pairs,
            "coherence": report.coherence,
            "loadings": report.loadings,
            "weights": report.weights,
            "flags": report.flags,
        },
    )


def _analysis_options(command: _F) -> _F:
    options = [
        click.option(
            "--assumptions",
            type=PATH,
            required=True,
            help="YAML file of the assumptions that vary (normalise, aggregate, weight_sets, "
            "weights_random, goalposts, treat_thresholds, generalised_p...).",
        ),
        click.option("--seed", type=int, default=0, show_default=True, help="Random seed."),
        click.option("--target", default=None, help="Aggregate analysed; default the index."),
        click.option("--jobs", type=int, default=1, show_default=True, help="Processes."),
        click.option("--progress/--no-progress", default=False, help="Show a progress bar."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.command("uncertainty")
@_inputs
@_analysis_options
@click.option(
    "-n", "--replications", type=int, default=1000, show_default=True, help="Replications."
)
@friendly
def uncertainty_command(
    framework: tuple[Path, ...],
    data: tuple[Path, ...],
    coinr: tuple[Path, Path] | None,
    methodology: Path | None,
    year: int | None,
    out: Path | None,
    assumptions: Path,
    seed: int,
    target: str | None,
    jobs: int,
    progress: bool,
    replications: int,
) -> None:
    """Monte Carlo uncertainty analysis: each country's rank interval."""
    from readiness_index.analysis.uncertainty import uncertainty

    declared = _assumptions(assumptions)
    fw, values, chosen = _load(framework, data, coinr, methodology, year)
    declared.check(fw, chosen)
    result = uncertainty(
        fw,
        values,
        chosen,
        declared,
        n=replications,
        seed=seed,
        year=year,
        target=target,
        n_jobs=jobs,
        progress=progress,
    )
    click.echo(result.table())
    _write(
        out,
        {
            "rank_stats": result.rank_stats,
            "parameters": result.parameters,
            "weights": result.weights,
            "replications": result.replications.set_index("replication"),
        },
    )


@click.command("sensitivity")
@_inputs
@_analysis_options
@click.option(
    "-n",
    "--base-rows",
    type=int,
    default=256,
    show_default=True,
    help="Base rows of the Saltelli design (a power of two); runs = n x (assumptions + 2).",
)
@click.option(
    "--width",
    type=float,
    default=None,
    help="Double the base rows until every total-index interval is at most this wide.",
)
@click.option(
    "--max-base-rows",
    type=int,
    default=None,
    help="Budget of base rows for --width (a power of two); default 16 x --base-rows.",
)
@friendly
def sensitivity_command(
    framework: tuple[Path, ...],
    data: tuple[Path, ...],
    coinr: tuple[Path, Path] | None,
    methodology: Path | None,
    year: int | None,
    out: Path | None,
    assumptions: Path,
    seed: int,
    target: str | None,
    jobs: int,
    progress: bool,
    base_rows: int,
    width: float | None,
    max_base_rows: int | None,
) -> None:
    """Sobol' sensitivity indices of each assumption, per country and for the mean rank shift."""
    from readiness_index.analysis.sensitivity import sensitivity

    declared = _assumptions(assumptions)
    fw, values, chosen = _load(framework, data, coinr, methodology, year)
    result = sensitivity(
        fw,
        values,
        chosen,
        declared,
        n=base_rows,
        seed=seed,
        year=year,
        target=target,
        n_jobs=jobs,
        progress=progress,
        width=width,
        max_n=max_base_rows,
    )
    click.echo(result.table())
    _write(
        out,
        {
            "indices": result.indices,
            "convergence": result.convergence,
            "rounds": result.rounds,
            "failures": result.failures,
        },
    )
