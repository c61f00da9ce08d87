"""The main window driven as a user would: open, edit, solve, cancel, import, save, switch language."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF, Qt

from app import i18n
from app.main_window import MainWindow
from app.table_models import SheetTableModel
from optimizer.design.plan import PlanStatus
from optimizer.io import read_network
from optimizer.io.scenarios import read_scenarios
from tests.app.conftest import BROKEN, SAMPLE_NAMES
from tests.app.helpers import one_year, open_in, wait_idle


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_open_each_sample(window: MainWindow, sample_dir: Path, name: str) -> None:
    open_in(window, sample_dir / name)
    net = window.doc.network
    assert net.collection_points and net.sites and net.smelters
    assert window.doc.path == sample_dir / name
    assert not window.doc.dirty
    drawn = sum(len(layer.data) for layer in window.map_view.layers.values())
    assert drawn == len(net.collection_points) + len(net.sites) + len(net.smelters)
    assert window.tables_view.models["collection_points"].rowCount() == len(net.collection_points)
    assert name in window.windowTitle()


def test_edit_undo_redo_through_the_window(window: MainWindow, sample_dir: Path) -> None:
    open_in(window, sample_dir / "teaching.xlsx")
    original = window.doc.network
    model = window.tables_view.models["collection_points"]
    assert isinstance(model, SheetTableModel)
    model.setData(model.index(0, model.column_index("name")), "Renamed yard")
    assert window.doc.network.collection_points[0].name == "Renamed yard"
    assert window.doc.dirty and window.isWindowModified()
    window.undo_action.trigger()
    assert window.doc.network is original
    window.redo_action.trigger()
    assert window.doc.network.collection_points[0].name == "Renamed yard"


def test_add_and_move_a_node_on_the_map(window: MainWindow) -> None:
    start = window.doc.network
    map_view = window.map_view
    map_view.add_button.setChecked(True)
    map_view.add_kind.setCurrentIndex(map_view.add_kind.findData("sorting"))
    map_view.clicked(QPointF(119.5, 30.25), Qt.KeyboardModifier.NoModifier)
    added = window.doc.network.sites[-1]
    assert (added.kind.value, added.lat, added.lon) == ("sorting", 30.25, 119.5)
    assert window.doc.selection == [added.id]
    assert window.tables_view.current_key() == "sorting_centers"

    map_view.select_button.setChecked(True)
    assert map_view.node_at(QPointF(119.5, 30.25)) == added.id
    map_view.drag_node(added.id, QPointF(120.0, 30.5), finish=False)
    map_view.drag_node(added.id, QPointF(120.0, 30.5), finish=True)
    moved = window.doc.network.node(added.id)
    assert (moved.lat, moved.lon) == (30.5, 120.0)
    window.doc.undo_stack.undo()
    window.doc.undo_stack.undo()
    assert window.doc.network is start


def test_selection_is_shared_between_map_and_tables(window: MainWindow) -> None:
    node = window.doc.network.collection_points[1]
    window.map_view.clicked(QPointF(node.lon, node.lat), Qt.KeyboardModifier.NoModifier)
    view = window.tables_view.views["collection_points"]
    assert window.tables_view.current_key() == "collection_points"
    assert view.currentIndex().row() == 1
    view.selectRow(0)
    assert window.doc.selection == [window.doc.network.collection_points[0].id]
    assert len(window.map_view.selection_item.data) == 1


def test_solve_the_teaching_network_shows_kpis_and_flows(window: MainWindow, sample_dir: Path) -> None:
    open_in(window, sample_dir / "teaching.xlsx")
    window.solve_panel.time_limit.setValue(60)
    one_year(window)
    assert window.solve_panel.solve()
    assert window.solve_panel.cancel_button.isEnabled()
    wait_idle(window)
    plan = window.doc.plan
    assert plan is not None and plan.status is PlanStatus.OPTIMAL and plan.kpis is not None
    assert window.map_view.flow_items, "flows are drawn"
    window.show_view("results")  # the results view redraws when shown
    assert window.results_view.flow_model.rowCount() == len([f for f in plan.flows])
    utilization = window.results_view.cards["utilization"].value.text()
    assert utilization == f"{100 * plan.kpis.utilization:.1f} %"
    assert window.solve_panel.log.toPlainText().strip(), "the solver log is shown"
    assert "Optimal" in window.solve_panel.result.text()
    # an edit after the solve marks the plan stale, undo makes it fresh again
    window.doc.set_parameter("copper_price_cny_per_t", 80_000.0)
    assert window.doc.current.plan_stale and window.map_view.stale_label.text()
    window.doc.undo_stack.undo()
    assert not window.doc.current.plan_stale


def test_editing_during_a_solve_marks_the_plan_stale(window: MainWindow, sample_dir: Path) -> None:
    open_in(window, sample_dir / "teaching.xlsx")
    one_year(window)
    assert window.solve_panel.solve()
    window.doc.set_parameter("circuity_factor", 1.25)
    wait_idle(window)
    assert window.doc.plan is not None and window.doc.current.plan_stale


def test_cancel_a_long_solve_gives_control_back_within_two_seconds(
    window: MainWindow, sample_dir: Path
) -> None:
    """The Yangtze network at gap 0 runs for minutes; cancel once branch-and-bound has started."""
    open_in(window, sample_dir / "yangtze_delta.xlsx")
    panel = window.solve_panel
    panel.years.setCurrentIndex(1)  # one year of the Periods sheet: its HiGHS log shows the B&B tree
    panel.gap.setValue(0.0)
    panel.time_limit.setValue(600)
    lines: list[str] = []
    window.runner.progressed.connect(lambda update: lines.extend(update.log_lines))
    assert panel.solve()
    deadline = time.monotonic() + 240
    while not any("B&B Tree" in line for line in lines) and time.monotonic() < deadline:
        window.runner.wait_idle(0.05)
    assert window.runner.busy, "the solve is still running when Cancel is pressed"
    started = time.monotonic()
    panel.cancel_button.click()
    assert panel.cancel_button.text() == i18n.tr("solve.cancelling")
    wait_idle(window, 30)
    assert time.monotonic() - started <= 2.0
    plan = window.doc.plan
    assert plan is not None and plan.status is PlanStatus.CANCELLED
    assert panel.solve_button.isEnabled()


def test_import_a_broken_workbook_lists_located_errors(window: MainWindow) -> None:
    before = window.doc.network
    open_in(window, BROKEN / "negative_supply.xlsx", as_copy=True, always_show_issues=True)
    dialog = window._issues_dialog
    assert dialog is not None and dialog.isVisible()
    errors = [i for i in dialog.issues if i.is_error]
    assert errors and all(i.cell is not None for i in errors)
    assert window.doc.network is not before and window.doc.path is None
    # double-clicking the problem goes to its cell
    item = dialog.tree.topLevelItem(dialog.issues.index(errors[0]))
    dialog.tree.itemActivated.emit(item, 0)
    assert window.tabs.currentWidget() is window.tables_view
    assert window.tables_view.current_key() == "supply"
    view = window.tables_view.current_view()
    model = window.tables_view.models["supply"]
    assert isinstance(model, SheetTableModel)
    assert view.currentIndex().column() == model.column_index("supply_t_per_year")
    row = model.row(view.proxy.mapToSource(view.currentIndex()).row())
    assert row.obj.supply_t_per_year < 0
    # the list is a window of its own: it closes with the main window instead of outliving it
    window.doc.undo_stack.setClean()
    window.close()
    assert not dialog.isVisible()


def test_unreadable_file_keeps_the_document(window: MainWindow) -> None:
    before = window.doc.network
    open_in(window, BROKEN / "not_a_workbook.xlsx")
    assert window.doc.network is before
    assert window._issues_dialog is not None and window._issues_dialog.issues


def test_save_and_reopen_gives_the_identical_network_and_scenarios(
    window: MainWindow, sample_dir: Path, tmp_path: Path
) -> None:
    open_in(window, sample_dir / "teaching.xlsx")
    window.doc.duplicate_scenario("Price 90k")
    window.doc.set_parameter("copper_price_cny_per_t", 90_000.0)
    path = tmp_path / "project.xlsx"
    assert window.save_to(path)
    assert not window.doc.dirty and window.doc.path == path
    base, other = window.doc.scenarios
    assert read_network(path).network == base.network
    assert read_scenarios(path)[0] == [("Price 90k", other.network)]

    reopened = MainWindow()
    try:
        open_in(reopened, path)
        assert [s.name for s in reopened.doc.scenarios] == [base.name, "Price 90k"]
        assert reopened.doc.scenarios[0].network == base.network
        assert reopened.doc.scenarios[1].network == other.network
        assert str(path.resolve()) in reopened.settings.recent_files
    finally:
        reopened.close()
    # saving again keeps the previous file as a backup
    window.doc.set_parameter("copper_price_cny_per_t", 91_000.0)
    assert window.save_to(path)
    assert (tmp_path / "project.bak.xlsx").exists()


def test_switch_language_relabels_headers_and_menus(window: MainWindow) -> None:
    model = window.tables_view.models["collection_points"]
    lat = model.column_index("lat") if isinstance(model, SheetTableModel) else 0
    assert model.headerData(lat, Qt.Orientation.Horizontal).startswith("Latitude (°)")
    window.set_language("zh")
    try:
        assert model.headerData(lat, Qt.Orientation.Horizontal).startswith("纬度 (°)")
        assert window.menus["menu.file"].title() == "文件(&F)"
        assert window.tabs.tabText(0) == "地图"
        assert window.tables_view.tabs.tabText(1) == "回收点"
        assert window.solve_panel.solve_button.text() == "求解"
    finally:
        window.set_language("en")
    assert window.tabs.tabText(0) == "Map"


def test_scenario_duplicate_solve_and_compare(window: MainWindow, sample_dir: Path) -> None:
    open_in(window, sample_dir / "teaching.xlsx")
    view = window.scenarios_view
    copy = view.duplicate()
    assert window.doc.current is copy
    window.doc.set_parameter("copper_price_cny_per_t", 60_000.0)
    assert [s.name for s in view.checked()] == [window.doc.scenarios[0].name, copy.name]
    one_year(window)  # the checked scenarios follow the panel's Years choice: one year here
    view.solve_checked()
    deadline = time.monotonic() + 300
    while any(s.plan is None for s in window.doc.scenarios) and time.monotonic() < deadline:
        window.runner.wait_idle(0.1)
    assert all(s.plan is not None and s.plan.kpis is not None for s in window.doc.scenarios)
    assert view.table.columnCount() == 2
    rows = [view.table.verticalHeaderItem(r).text() for r in range(view.table.rowCount())]
    inputs = view.table.item(rows.index("Inputs changed from base"), 1).text()
    assert "Copper price" in inputs and "60,000" in inputs
    profit_base = view.table.item(rows.index("Profit per year"), 0).text()
    profit_copy = view.table.item(rows.index("Profit per year"), 1).text()
    assert profit_base != profit_copy
    assert view.rename(copy, "Low price")
    assert window.doc.scenarios[1].name == "Low price"


def test_autosave_is_offered_back_after_a_crash(window: MainWindow, tmp_path: Path) -> None:
    from app.settings import Recovery

    window.recovery = Recovery(tmp_path / "recovery")
    window.doc.set_parameter("copper_price_cny_per_t", 88_000.0)
    window.autosave()
    assert window._autosave_thread is not None
    window._autosave_thread.join(30)
    assert window.recovery.exists()

    crashed_into = MainWindow(recovery=Recovery(tmp_path / "recovery"))
    try:
        assert crashed_into.restore_recovery()
        assert crashed_into.doc.network == window.doc.network
        assert crashed_into.doc.dirty, "restored work still needs saving"
    finally:
        crashed_into.doc.undo_stack.setClean()
        crashed_into.close()


def test_unexpected_errors_become_a_dialog_and_a_log(window: MainWindow, qtbot: Any) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app import errors

    shown: list[str] = []

    def close_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, errors.ErrorDialog):
            shown.append(dialog.report.toPlainText())
            dialog.accept()

    QTimer.singleShot(200, close_dialog)
    network = window.doc.network
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError as exc:
        errors._hook(type(exc), exc, exc.__traceback__)
    assert shown and "RuntimeError: boom in a slot" in shown[0]
    logs = sorted(errors.log_folder().glob("gui-error-*.log"))
    assert logs and "boom in a slot" in logs[-1].read_text(encoding="utf-8")
    assert window.doc.network is network


def _answer_next_box(qtbot: Any, button_text: str) -> None:
    """Click ``button_text`` in the next message box that opens (the unsaved-changes prompt)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def click() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            for button in box.buttons():
                if button.text() == button_text:
                    button.click()
                    return
        QTimer.singleShot(50, click)

    QTimer.singleShot(50, click)


def test_unsaved_changes_prompt_before_opening(window: MainWindow, sample_dir: Path, qtbot: Any) -> None:
    window.doc.set_parameter("copper_price_cny_per_t", 70_000.0)
    edited = window.doc.network
    _answer_next_box(qtbot, i18n.tr("unsaved.cancel"))
    assert not window.open_path(sample_dir / "teaching.xlsx")
    assert window.doc.network is edited and window.doc.dirty

    _answer_next_box(qtbot, i18n.tr("unsaved.discard"))
    assert window.open_path(sample_dir / "teaching.xlsx")
    wait_idle(window)
    assert window.doc.path == sample_dir / "teaching.xlsx" and not window.doc.dirty


def test_export_view_as_png(window: MainWindow, tmp_path: Path) -> None:
    from tests.app.helpers import distinct_colours

    out = tmp_path / "map.png"
    assert window.export_png(out, view="map")
    assert distinct_colours(out) > 10


def test_first_run_opens_the_teaching_network_with_the_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    from app.launch import open_window
    from app.main_window import teaching_sample
    from app.settings import Settings

    monkeypatch.setenv("COPPERLOOP_CONFIG_DIR", str(tmp_path / "fresh-profile"))
    settings = Settings()
    assert not settings.first_run_done
    window = open_window(settings)
    assert isinstance(window, MainWindow)
    try:
        wait_idle(window)
        assert window.hint.isVisible()
        assert settings.first_run_done
        if teaching_sample() is not None:
            assert "Teaching" in window.doc.network.name
            assert window.doc.path is None  # a copy: Save asks where, the sample stays pristine
    finally:
        window.doc.undo_stack.setClean()
        window.close()
    again = open_window(Settings())
    assert isinstance(again, MainWindow)
    try:
        assert not again.hint.isVisible()
    finally:
        again.close()


def test_cancel_before_any_plan_exists_returns_within_two_seconds(
    window: MainWindow, sample_dir: Path
) -> None:
    """National network: Cancel while HiGHS is still presolving (it does not poll for interrupts there)."""
    open_in(window, sample_dir / "china_national.xlsx")
    panel = window.solve_panel
    panel.years.setCurrentIndex(1)  # one year of the Periods sheet (the 5 s solve below is one year's)
    panel.gap.setValue(0.0)
    phases: list[str] = []
    window.runner.progressed.connect(lambda update: phases.append(update.event.phase))
    assert panel.solve()
    deadline = time.monotonic() + 240
    while not any(p.startswith(("building", "solving")) for p in phases) and time.monotonic() < deadline:
        window.runner.wait_idle(0.05)
    assert window.runner.busy
    started = time.monotonic()
    panel.cancel_button.click()
    wait_idle(window, 60)
    assert time.monotonic() - started <= 2.0
    plan = window.doc.plan
    if plan is None:  # the solver was stuck where it cannot be interrupted: its process was ended
        assert panel.result.text() == i18n.tr("solve.cancelled_empty")
    else:
        assert plan.status is PlanStatus.CANCELLED
    assert panel.solve_button.isEnabled()
    # the next solve starts a fresh solver process and works
    panel.gap.setValue(5.0)
    panel.time_limit.setValue(5)
    assert panel.solve()
    wait_idle(window, 120)
    assert window.doc.plan is not None


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_window_fits_a_1366_by_768_screen(window: MainWindow, sample_dir: Path, lang: str) -> None:
    """A planner's laptop: no view asks for more width than a 1366x768 screen leaves beside the panel."""
    try:
        window.set_language(lang)
        open_in(window, sample_dir / "teaching.xlsx")
        window.resize(1366, 768)
        assert window.minimumSizeHint().width() <= 1366
        assert window.width() <= 1366
    finally:
        window.set_language("en")
