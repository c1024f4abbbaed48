"""The machine a benchmark ran on, as docs/performance.md reports it.

>>> "CPU" in describe(runs="one")
True
"""

from __future__ import annotations

import datetime
import os
import platform


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> str:
    try:
        with open("/proc/meminfo") as handle:
            kib = int(handle.readline().split()[1])
        return f"{kib / 1024**2:.0f} GiB"
    except (OSError, ValueError, IndexError):
        return "unknown memory"


def describe(*, runs: str) -> str:
    """Machine, versions, date and load, in Markdown."""
    import numpy
    import pandas

    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return "\n".join(
        [
            f"- Machine: `{' '.join(platform.uname())}`",
            f"- CPU: {_cpu_model()}, {os.cpu_count()} cores, {_memory_gib()}",
            f"- Python {platform.python_version()}, NumPy {numpy.__version__}, "
            f"pandas {pandas.__version__}",
            f"- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; "
            f"load average {load} (a shared machine)",
            f"- Runs: {runs}",
        ]
    )
