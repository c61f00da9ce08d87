"""The local process pool and a real Dask LocalCluster: same results whatever the worker count, failed
scenarios recorded, cancel honoured."""

from __future__ import annotations

import json
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from optimizer.cli import main
from optimizer.design.options import SolveOptions
from optimizer.io.writer import write_network
from optimizer.model import Network
from optimizer.progress import CancelToken, ProgressEvent
from optimizer.scenarios.executors import DaskCluster, LocalPool
from optimizer.scenarios.factors import apply_factor
from optimizer.scenarios.tasks import ScenarioResult, SolveTask
from tests.optimizer.scenarios.networks import one_site

OPTIONS = SolveOptions(threads=1)


def _tasks() -> list[SolveTask]:
    prices = (40_000.0, 55_000.0, 70_000.0, 85_000.0)
    return [
        SolveTask(f"scenario:{i}", apply_factor(one_site(), "copper_price", p), OPTIONS, {"copper_price": p})
        for i, p in enumerate(prices)
    ]


def _profits(results: list[typing.Any]) -> list[float | None]:
    return [r.profit_cny for r in results]


def test_two_workers_give_the_same_results_in_the_same_order_and_report_progress() -> None:
    with LocalPool(1) as one:
        serial = one.run(_tasks())
    events: list[ProgressEvent] = []
    seen: list[int] = []
    with LocalPool(2) as two:
        parallel = two.run(_tasks(), on_result=lambda i, r: seen.append(i), progress=events.append)
    assert [r.key for r in parallel] == [f"scenario:{i}" for i in range(4)]
    assert _profits(parallel) == pytest.approx(_profits(serial))
    assert sorted(seen) == [0, 1, 2, 3]
    assert events[-1].fraction == 1.0 and "4 of 4" in events[-1].message_text()


def test_a_failing_scenario_is_recorded_and_the_others_go_on() -> None:
    broken = SolveTask("scenario:9", typing.cast(Network, None), OPTIONS, {"copper_price": 1.0})
    with LocalPool(2) as pool:
        results = pool.run([*_tasks()[:2], broken])
    assert [r.status for r in results] == ["optimal", "optimal", "error"]
    failed = results[2]
    assert isinstance(failed, ScenarioResult) and failed.message is not None
    assert failed.message.code == "sweep_result.failed" and "AttributeError" in failed.message.render("en")
    assert failed.message.render("zh").startswith("该情景求解出错：AttributeError")
    assert "Traceback" in failed.trace


def test_cancel_before_the_start_runs_nothing() -> None:
    cancel = CancelToken()
    cancel.cancel()
    with LocalPool(2) as pool:
        results = pool.run(_tasks(), cancel=cancel)
    assert {r.status for r in results} == {"cancelled"}


@pytest.fixture(scope="module")
def dask_cluster() -> Iterator[Any]:
    """One real LocalCluster (2 worker processes, 1 thread each) for the module's Dask tests."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster


def test_a_real_dask_local_cluster_gives_the_local_results(dask_cluster: Any) -> None:
    import distributed

    with distributed.Client(dask_cluster) as client:
        dask = DaskCluster(client=client)
        assert dask.workers == 2
        results = dask.run(_tasks())
    with LocalPool(1) as one:
        serial = one.run(_tasks())
    assert [r.key for r in results] == [r.key for r in serial]
    assert _profits(results) == pytest.approx(_profits(serial))


def test_cancel_while_running_keeps_the_finished_scenarios_and_stops_the_rest() -> None:
    cancel = CancelToken()
    work = _tasks() * 3  # 12 scenarios
    with LocalPool(2) as pool:
        results = pool.run(work, on_result=lambda _i, _r: cancel.cancel(), cancel=cancel)
    statuses = [r.status for r in results]
    assert len(results) == 12
    assert "optimal" in statuses and "cancelled" in statuses
    assert set(statuses) <= {"optimal", "cancelled"}


def test_the_command_line_runs_on_a_dask_scheduler(tmp_path: Path, dask_cluster: Any) -> None:
    path = tmp_path / "tiny.xlsx"
    write_network(one_site(), path)
    out = tmp_path / "sweep.json"
    code = main(
        [
            "sweep",
            str(path),
            "--factor",
            "copper_price=40000,80000",
            "--scheduler",
            dask_cluster.scheduler_address,
            "--no-break-even",
            "--tornado",
            "0",
            "--json",
            str(out),
            "--quiet",
        ]
    )
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["executor"] == "DaskCluster" and data["workers"] == 2
    assert [s["sites_open"] for s in data["scenarios"]] == [[], ["S1"]]
