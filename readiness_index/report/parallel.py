"""Render pages in parallel: independent tasks mapped over processes, with a progress bar.

The tasks of a site (one per country, one per site-wide page) share nothing but
their read-only inputs, so they are mapped over a :class:`~concurrent.futures.
ProcessPoolExecutor`. The inputs reach each worker once (its initialiser), not with
every task. Processes start by ``fork`` where it is safe and fastest (POSIX,
Python 3.11); from Python 3.12 a forked child of a process with threads may
deadlock, so there the ``forkserver`` method is used; elsewhere ``spawn``.
One job, or a single task, runs in the calling process.

Examples
--------
>>> run_tasks(lambda state, task: state + task, [1, 2, 3], state=10, jobs=1)
[11, 12, 13]
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from tqdm import tqdm

__all__ = ["default_jobs", "run_tasks"]

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

_STATE: dict[str, Any] = {}


def default_jobs() -> int:
    """The number of processors this process may use.

    >>> default_jobs() >= 1
    True
    """
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)  # pragma: no cover - platforms without affinity


def _start_method() -> str:
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.version_info < (3, 12):
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _initialise(function: Callable[[Any, Any], Any], state: Any) -> None:
    _STATE["function"], _STATE["state"] = function, state


def _call(task: Any) -> Any:
    return _STATE["function"](_STATE["state"], task)


def run_tasks(
    function: Callable[[S, T], R],
    tasks: Sequence[T],
    *,
    state: S,
    jobs: int | None = None,
    progress: bool = False,
    description: str = "Rendering",
) -> list[R]:
    """``[function(state, task) for task in tasks]``, over ``jobs`` processes.

    Parameters
    ----------
    function : callable
        Called as ``function(state, task)``; a module-level function when ``jobs > 1``
        (it is sent to the workers).
    tasks : sequence
        The independent pieces of work.
    state : object
        The read-only inputs every task needs; sent once to each worker.
    jobs : int, optional
        Processes to use; by default every processor available (:func:`default_jobs`).
    progress : bool, default False
        Show a progress bar (on standard error) as tasks finish.
    description : str, default "Rendering"
        The progress bar's label.

    Returns
    -------
    list
        The results, in the order of ``tasks``. The first task to fail raises its
        error here.
    """
    jobs = min(jobs or default_jobs(), len(tasks))
    bar = tqdm(total=len(tasks), desc=description, unit="task", disable=not progress)
    with bar:
        if jobs <= 1:
            results = []
            for task in tasks:
                results.append(function(state, task))
                bar.update()
            return results
        context = multiprocessing.get_context(_start_method())
        with ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_initialise, initargs=(function, state)
        ) as pool:
            futures = [pool.submit(_call, task) for task in tasks]
            for future in futures:
                future.add_done_callback(lambda _: bar.update())
            return [future.result() for future in futures]
