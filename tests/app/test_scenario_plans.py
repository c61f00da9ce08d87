"""Scenarios keep their plans: saved with the project, restored on open, and always named when shown.

Before, every scenario came back "not solved" after a reopen, the active scenario and the compare ticks
reset, the list could say "not solved" while the comparison beside it showed Optimal, and a trade-off
sweep replaced the profit-maximising plan without a word.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.main_window import MainWindow
from optimizer import PlanStatus
from tests.app.helpers import one_year, open_in, wait_idle


def list_texts(window: MainWindow) -> list[str]:
    view = window.scenarios_view
    return [view.list.item(r).text() for r in range(view.list.count())]


def compare_statuses(window: MainWindow) -> dict[str, str]:
    table = window.scenarios_view.table
    return {table.horizontalHeaderItem(c).text(): table.item(0, c).text() for c in range(table.columnCount())}


def test_plans_current_scenario_and_ticks_survive_save_and_reopen(
    qtbot: QtBot, window: MainWindow, sample_dir: Path, tmp_path: Path
) -> None:
    open_in(window, sample_dir / "teaching.xlsx")
    # the six-year plan takes 10-40 s on a loaded 2-core machine: room to prove it optimal
    window.solve_panel.time_limit.setValue(120)
    one_year(window)
    assert window.solve_panel.solve()
    wait_idle(window)
    base = window.doc.current
    base_plan = base.plan
    assert base_plan is not None and base_plan.status is PlanStatus.OPTIMAL
    # the list and the comparison agree as soon as the plan arrives
    assert "not solved" not in list_texts(window)[0]
    assert compare_statuses(window)[base.name] == "Optimal"

    copy = window.scenarios_view.duplicate()
    window.doc.set_parameter("copper_price_cny_per_t", 60_000.0)
    one_year(window)
    assert window.solve_panel.solve()
    wait_idle(window)
    copy_plan = copy.plan
    assert copy_plan is not None
    # an edit after the solve: the copy's plan is now out of date
    window.doc.set_parameter("copper_price_cny_per_t", 61_000.0)
    assert copy.plan_stale
    ticked = [base.name, copy.name]
    assert window.doc.compared == ticked
    path = tmp_path / "project.xlsx"
    assert window.save_to(path)

    reopened = MainWindow()
    try:
        reopened.show()
        open_in(reopened, path)
        doc = reopened.doc
        assert doc.current.name == copy.name, "the scenario shown when saved is shown again"
        assert doc.compared == ticked
        view = reopened.scenarios_view
        ticks = [view.list.item(r).checkState() for r in range(view.list.count())]
        assert ticks == [Qt.CheckState.Checked] * 2
        again_base, again_copy = doc.scenarios
        assert again_base.plan is not None and again_base.plan.to_dict() == base_plan.to_dict()
        assert not again_base.plan_stale
        assert again_copy.plan is not None and again_copy.plan.objective == copy_plan.objective
        assert again_copy.plan_stale, "solved on a network that changed since: restored as out of date"
        texts = list_texts(reopened)
        assert "Optimal" in texts[0] and "not solved" not in texts[0]
        assert "out of date" in texts[1]
        assert compare_statuses(reopened) == {base.name: "Optimal", copy.name: "Optimal (out of date)"}
        message = reopened.statusBar().currentMessage()
        assert "2 plans restored" in message and "1 of them was solved on a network changed since" in message
        assert "from the file" in reopened.status_plan.text()
        assert reopened.map_view.flow_items, "the restored plan is drawn"
    finally:
        reopened.doc.undo_stack.setClean()
        reopened.close()


def test_a_sweep_keeps_the_solved_plan_and_names_the_shown_one(
    qtbot: QtBot, window: MainWindow, sample_dir: Path
) -> None:
    open_in(window, sample_dir / "teaching.xlsx")
    one_year(window)
    assert window.solve_panel.solve()
    wait_idle(window)
    solved = window.doc.plan
    assert solved is not None and "(solve)" in window.status_plan.text()
    window.solve_panel.points.setValue(3)
    assert window.solve_panel.sweep()
    wait_idle(window)
    assert window.doc.plan is solved, "the sweep did not replace the profit-maximising plan"
    assert len(window.doc.current.pareto) == 3
    window.show_view("results")
    results = window.results_view
    assert not results.solved_button.isVisible()
    results.show_pareto_plan(1)
    assert window.doc.plan is window.doc.current.pareto[1]
    assert "trade-off point 2 of 3" in window.status_plan.text()
    assert "trade-off point 2 of 3" in results.origin.text()
    assert results.solved_button.isVisible()
    qtbot.mouseClick(results.solved_button, Qt.MouseButton.LeftButton)
    assert window.doc.plan is solved
    assert "(solve)" in window.status_plan.text()
