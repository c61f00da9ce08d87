"""The Periods table of a multi-year plan: rows added with the toolbar button and typed in, undoable."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from optimizer.model import Network, Period


def test_add_a_period_with_the_button_and_type_its_supply_factor(
    qtbot: Any, window: Any, tiny_network: Network
) -> None:
    window.doc.load(tiny_network.replace(periods=(Period(2025),)))
    window.show_view("tables")
    view = window.tables_view
    view.show_sheet("periods")
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    doc = window.doc
    assert [p.year for p in doc.network.periods] == [2025, 2026]  # the year after the last period
    table = view.views["periods"]
    column = view.models["periods"].column_index("supply_factor")
    window.activateWindow()
    table.setFocus()
    table.setCurrentIndex(table.model().index(1, column))  # the view shows a sort proxy
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not table
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "1.07")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(50)
    assert doc.network.periods[1].supply_factor == 1.07
    doc.undo_stack.undo()
    assert doc.network.periods[1].supply_factor == 1.0
