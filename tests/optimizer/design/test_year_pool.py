"""Year solves in worker processes give the plans the same solves give in this process.

The case is :func:`one_center` of ``test_multiyear`` (see ``test_multiyear_fallback``): the relaxed 2025
is worth 0 (the center does not pay on 100 t), the relaxed 2026 38,000 CNY, and the two-period
plan builds in 2026 for an NPV of 38,000 CNY with a bound of 38,000.
"""

from __future__ import annotations

import pytest

from optimizer.design.multiyear import MultiYearOptions, build_multiyear_model
from optimizer.design.multiyear_bound import _charges, _relaxed_year, _year_options, plan_year_by_year
from optimizer.design.year_pool import YearPool
from optimizer.progress import CancelToken
from tests.optimizer.design.test_multiyear import one_center


def test_two_workers_plan_both_years_as_this_process_does() -> None:
    model = build_multiyear_model(one_center())
    charges = _charges(model)
    assert charges is not None
    nets = [_relaxed_year(model, period, charges) for period in model.inputs]
    options = _year_options(MultiYearOptions(), 30.0, 1e-9)
    pool = YearPool(2, None)
    try:
        assert pool.workers == 2
        for key, net in enumerate(nets):
            pool.submit(key, net, options)
        assert pool.busy == 2 and not pool.free
        done = []
        while pool.busy:
            done.extend(pool.wait())
    finally:
        pool.close()
    objectives = {r.key: r.plan.objective for r in done}
    assert objectives == {0: pytest.approx(0.0, abs=1e-6), 1: pytest.approx(38_000.0)}
    assert all(r.plan.best_bound is not None and r.seconds >= 0 for r in done)


def test_year_by_year_with_workers_equals_in_process() -> None:
    network = one_center()
    here = plan_year_by_year(build_multiyear_model(network), MultiYearOptions(), 30.0, workers=1)
    model = build_multiyear_model(network)
    there = plan_year_by_year(model, MultiYearOptions(), 30.0, workers=2)
    assert there.bound == pytest.approx(here.bound) == pytest.approx(38_000.0)
    assert there.objective == pytest.approx(here.objective) == pytest.approx(38_000.0)
    assert there.start is not None
    built = [key for key, var in model.build.items() if there.start[var] > 0.5]
    assert built == [(1, "S1", "M")]


def test_a_cancelled_pool_still_answers_and_closes() -> None:
    model = build_multiyear_model(one_center())
    charges = _charges(model)
    assert charges is not None
    net = _relaxed_year(model, model.inputs[1], charges)
    cancel = CancelToken()
    cancel.cancel()
    pool = YearPool(2, cancel)
    try:
        pool.submit(0, net, _year_options(MultiYearOptions(), 30.0, 1e-9))
        done = pool.wait()
    finally:
        pool.close()
    assert [r.key for r in done] == [0]  # a plan comes back (cancelled, or solved before the cancel)


def test_a_one_thread_solve_starts_no_year_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sweep holds each scenario to one thread: its years then run in its own process, so two sweep
    workers on two cores are two solves, not four (the pool's size threshold set to 0 for this case)."""
    import optimizer.design.multiyear_bound as bound

    monkeypatch.setattr(bound, "PARALLEL_MIN_ARCS", 0)
    monkeypatch.setattr(bound.os, "cpu_count", lambda: 2)
    model = build_multiyear_model(one_center())
    assert bound.year_workers(model, MultiYearOptions()) == 2
    assert bound.year_workers(model, MultiYearOptions(threads=1)) == 1


def test_a_workers_solver_log_reaches_the_years_progress() -> None:
    """The app's log names every year's HiGHS lines, also those of years solved in a worker."""
    from optimizer.progress import ProgressEvent

    model = build_multiyear_model(one_center())
    charges = _charges(model)
    assert charges is not None
    nets = [_relaxed_year(model, period, charges) for period in model.inputs]
    options = _year_options(MultiYearOptions(log_to_progress=True), 30.0, 1e-9)
    assert options.log_to_progress
    lines: dict[int, list[str]] = {0: [], 1: []}

    def collect(key: int):  # type: ignore[no-untyped-def]
        def report(event: ProgressEvent) -> None:
            if event.log_line:
                lines[key].append(event.log_line)

        return report

    pool = YearPool(2, None)
    try:
        assert pool.workers == 2
        for key, net in enumerate(nets):
            pool.submit(key, net, options, collect(key))
        done = []
        while pool.busy:
            done.extend(pool.wait())
    finally:
        pool.close()
    assert {r.key for r in done} == {0, 1}
    assert lines[0] and lines[1]
    assert any("HiGHS" in line or "Solving" in line or "Presolv" in line for line in lines[1])
