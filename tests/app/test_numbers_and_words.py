"""Numbers with one format per unit, plurals, words instead of sheet names, progress that agrees with
the result, ids that follow the network's own pattern: each checked on the real widgets."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from app import i18n
from app.main_window import MainWindow
from app.views.results import ParetoChart
from tests.app.helpers import one_year, open_in, wait_idle
from tests.app.test_map import viewport_point


def ctrl_click(qtbot: QtBot, widget: QWidget, key: Qt.Key) -> None:
    """Ctrl+``key`` as a user types it, ending with the Ctrl key's own release.

    QTest's keyClick with a modifier leaves the application's keyboard modifiers at Ctrl (its release
    event of the key still carries Ctrl), so a later test's ``selectRow`` added to the selection
    instead of replacing it; the release of Ctrl with no modifier held puts them back.
    """
    qtbot.keyClick(widget, key, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyRelease(widget, Qt.Key.Key_Control, Qt.KeyboardModifier.NoModifier)
    assert QApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier


def test_money_axis_reads_billions_in_words_in_both_languages(qtbot: QtBot) -> None:
    chart = ParetoChart()
    qtbot.addWidget(chart)
    chart.resize(500, 300)
    chart.set_points([70.0, 80.0, 90.0], [8.5e9, 9.5e9, 1.05e10], [0, 1, 2], 1)
    chart.show()
    qtbot.waitExposed(chart)
    axis = chart.getAxis("left")
    assert "x1e" not in axis.labelString() and axis.autoSIPrefixScale == 1.0
    assert axis.tickStrings([9.5e9, 1e10], 1.0, 5e8) == ["9.5 B CNY", "10 B CNY"]
    i18n.set_language("zh")
    try:
        assert axis.tickStrings([9.5e9, 1e10], 1.0, 5e8) == ["95 亿元", "100 亿元"]
    finally:
        i18n.set_language("en")
    bottom = chart.getAxis("bottom")
    assert bottom.tickStrings([20000.0, 25000.0], 1.0, 5000.0) == ["20,000", "25,000"]


def test_one_number_format_per_column(qtbot: QtBot, window: MainWindow) -> None:
    """8,000 beside 20,000: numbers are grouped from a thousand on, in the cells a planner reads."""
    window.tables_view.tabs.setCurrentIndex(
        window.tables_view.tabs.indexOf(window.tables_view.views["smelters"])
    )
    model = window.tables_view.models["smelters"]
    column = model.column_index("capacity_t_per_year")
    view = window.tables_view.views["smelters"]
    window.show_view("tables")
    window.activateWindow()
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, column))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not view
    ctrl_click(qtbot, editor, Qt.Key.Key_A)
    qtbot.keyClicks(editor, "8000")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(50)
    assert window.doc.network.smelters[0].capacity_t_per_year == 8000.0
    assert model.data(model.index(0, column)) == "8,000"


def test_plurals_and_sheet_words(window: MainWindow, tiny_network: object) -> None:
    window.doc.load(tiny_network)  # type: ignore[arg-type]
    assert "1 smelter" in window.status_doc.text() and "1 smelters" not in window.status_doc.text()
    assert "2 collection points" in window.status_doc.text()
    model = window.tables_view.models["collection_points"]
    model.setData(model.index(0, model.column_index("name")), "Renamed yard")
    assert window.doc.undo_stack.undoText() == "Edit collection points"
    assert window.tables_view.tabs.tabText(1) == "Collection points"


def test_file_dialog_titles_have_no_mnemonic(window: MainWindow) -> None:
    seen: list[str] = []

    def close_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QFileDialog):
            seen.append(dialog.windowTitle())
            dialog.reject()
        else:
            QTimer.singleShot(50, close_dialog)

    QTimer.singleShot(50, close_dialog)
    window._start_dir = lambda: "/tmp"  # type: ignore[method-assign]
    window.open_dialog()
    assert seen == ["Open"]


def test_a_node_added_on_the_map_follows_the_id_pattern(
    qtbot: QtBot, window: MainWindow, sample_dir: Path
) -> None:
    open_in(window, sample_dir / "teaching.xlsx")
    window.show_view("map")
    qtbot.waitExposed(window)
    map_view = window.map_view
    qtbot.mouseClick(map_view.add_button, Qt.MouseButton.LeftButton)
    map_view.add_kind.setCurrentIndex(map_view.add_kind.findData("collection"))
    (x0, x1), (y0, y1) = map_view.view_box.viewRange()
    where = QPointF(x0 + 0.37 * (x1 - x0), y0 + 0.41 * (y1 - y0))
    before = {p.id for p in window.doc.network.collection_points}
    at = viewport_point(window, where.x(), where.y())
    qtbot.mouseClick(map_view.plot.viewport(), Qt.MouseButton.LeftButton, pos=at)
    added = [p for p in window.doc.network.collection_points if p.id not in before]
    assert len(added) == 1
    numbers = sorted(int(i[2:]) for i in before)
    assert added[0].id == f"CP{numbers[-1] + 1:02d}"
    assert added[0].name == f"Collection point {added[0].id}"


def test_progress_box_agrees_with_the_plan(window: MainWindow, sample_dir: Path) -> None:
    open_in(window, sample_dir / "teaching.xlsx")
    one_year(window)
    assert window.solve_panel.solve()
    wait_idle(window)
    plan = window.doc.plan
    assert plan is not None and plan.objective is not None
    panel = window.solve_panel
    assert panel.values["incumbent"].text() == f"{plan.objective:,.0f}"
    assert panel.values["gap"].text() == f"{100 * (plan.gap or 0):.2f} %"
    assert panel.values["bound"].text() != "–"
    log = panel.log.toPlainText()
    assert "Building the model" in log and "Checking the network" in log


def test_one_value_pasted_into_a_selection_fills_it_and_a_refusal_does_not_move_the_rows(
    qtbot: QtBot, window: MainWindow, sample_dir: Path
) -> None:
    open_in(window, sample_dir / "teaching.xlsx")
    window.show_view("tables")
    tables = window.tables_view
    tables.tabs.setCurrentIndex(tables.tabs.indexOf(tables.views["collection_points"]))
    view = tables.views["collection_points"]
    model = tables.models["collection_points"]
    column = model.column_index("visits_per_week")
    qtbot.waitExposed(view)
    selection = view.selectionModel()
    for row in range(3):
        selection.select(view.model().index(row, column), selection.SelectionFlag.Select)
    QApplication.clipboard().setText("3")
    view.setFocus()
    ctrl_click(qtbot, view, Qt.Key.Key_V)
    shown = [view.model().index(r, column).data() for r in range(3)]
    assert shown == ["3", "3", "3"]
    assert window.doc.undo_stack.undoText().startswith("Paste 3 cells")

    top = view.viewport().mapToGlobal(view.viewport().rect().topLeft()).y()
    QApplication.clipboard().setText("-4")
    ctrl_click(qtbot, view, Qt.Key.Key_V)
    assert tables.message.isVisible(), "the refusal is shown"
    qtbot.wait(20)
    assert view.viewport().mapToGlobal(view.viewport().rect().topLeft()).y() == top
