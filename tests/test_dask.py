"""Replication batches on a dask.distributed cluster give the same result as in one process.

The library maps uncertainty batches with joblib; under joblib's ``dask`` backend the
same batches run on a Dask cluster (here a local one with two worker processes), as
they would on many machines. Skipped where the ``dask`` extra is not installed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from readiness_index.analysis.uncertainty import uncertainty
from readiness_index.api import resolve_inputs
from readiness_index.io.files import load_assumptions

distributed = pytest.importorskip(
    "distributed", reason="dask.distributed is not installed (pip install readiness-index[dask])"
)
joblib = pytest.importorskip("joblib")

ASSUMPTIONS = Path(__file__).resolve().parents[1] / "docs" / "examples" / "uncertainty.yaml"


@pytest.fixture(scope="module")
def client() -> distributed.Client:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


def test_batches_on_a_dask_cluster_equal_one_process(client: distributed.Client) -> None:
    fw, data, methodology = resolve_inputs()
    assumptions = load_assumptions(ASSUMPTIONS)

    def run(n_jobs: int) -> pd.DataFrame:
        result = uncertainty(
            fw, data, methodology, assumptions, n=120, seed=3, batch_size=30, n_jobs=n_jobs
        )
        return result.rank_stats

    local = run(1)
    with joblib.parallel_config(backend="dask"), distributed.get_task_stream(client) as tasks:
        on_cluster = run(2)
    pd.testing.assert_frame_equal(on_cluster, local)
    workers = {task["worker"] for task in tasks.data}
    assert len(tasks.data) >= 4  # the four batches ran as tasks of the cluster
    assert workers <= set(client.scheduler_info()["workers"])
