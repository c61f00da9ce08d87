"""After a solve in Chinese, no widget shows a message key or an English sentence.

Every text the optimizer produces for the UI is a catalogue message rendered in the UI language when it
is shown (progress phases and steps, the result line, the Results banner); switching the language
renders it again. Ids, units, solver names and the network's own names (user data) are allowed.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app import i18n
from app.main_window import MainWindow
from optimizer import ProgressEvent, message
from tests.app.helpers import open_in, wait_idle

#: Words that may stand in Chinese text: units, product and engine names, file types.
ALLOWED = {
    "CopperLoop", "HiGHS", "CBC", "PyVRP", "OR-Tools", "CNY", "Cu", "t", "km", "h", "s", "xlsx", "PNG",
    "Excel", "CO2", "LP", "MILP", "GeoJSON", "Ctrl", "Shift", "Del", "Qt", "PySide6", "pyqtgraph",
}
KEY = re.compile(r"\b[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)*\b")
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'-]+(?:[ ,;:]+[A-Za-z][A-Za-z'-]+)+")


def widget_texts(root: QWidget) -> list[tuple[str, str]]:
    """(widget description, text) of every visible text in ``root``'s widget tree (not the solver log,
    not table cells: those hold the network's own data)."""
    found: list[tuple[str, str]] = []
    for w in [root, *root.findChildren(QWidget)]:
        name = f"{type(w).__name__}({w.objectName()})"
        if isinstance(w, QLabel | QAbstractButton):
            found.append((name, w.text()))
        elif isinstance(w, QGroupBox):
            found.append((name, w.title()))
        elif isinstance(w, QComboBox):
            found += [(name, w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QTabWidget):
            found += [(name, w.tabText(i)) for i in range(w.count())]
        elif isinstance(w, QHeaderView) and w.orientation() is Qt.Orientation.Horizontal and w.model():
            model = w.model()
            heads = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(w.count())]
            found += [(name, str(h or "")) for h in heads]
        elif isinstance(w, QLineEdit):
            found.append((name, w.placeholderText()))
        if w.toolTip():
            found.append((name + " tooltip", w.toolTip()))
    return found


def english_left(text: str, names: set[str]) -> list[str]:
    """Message keys and runs of English words in ``text`` once names, ids and allowed words are removed."""
    plain = re.sub(r"<[^>]+>", " ", text)
    for name in sorted(names, key=len, reverse=True):
        plain = plain.replace(name, " ")
    bad = KEY.findall(plain)
    for run in ENGLISH_RUN.findall(plain):
        words = [w for w in re.split(r"[ ,;:]+", run) if w and w not in ALLOWED]
        if len(words) >= 2:
            bad.append(run)
    return bad


def network_names(window: MainWindow) -> set[str]:
    net = window.doc.network
    names = {net.name, *(s.name for s in window.doc.scenarios)}
    for node in net.nodes():
        names |= {node.id, node.name, getattr(node, "province", "") or ""}
    for g in net.grades:
        names |= {g.id, g.name("en")}
    for s in net.sites:
        names |= {m.id for m in s.modules}
    names |= {v.id for v in net.vehicle_types}
    if window.doc.path is not None:
        names |= {window.doc.path.name, window.doc.path.stem}
    return {n for n in names if n}


def test_progress_events_render_in_the_language_asked() -> None:
    event = ProgressEvent(message("phase.solving_point", k=2, n=5), 0.4, message("progress.extracting"))
    assert event.describe("en") == "Solving (trade-off point 2 of 5): reading the plan"
    assert event.describe("zh") == "求解（权衡点 2/5）：正在读取方案"
    assert event.phase_key == "solving"
    assert ProgressEvent("strengthening").describe("zh") == "强化模型"


def test_after_a_solve_in_chinese_no_widget_shows_english(
    qtbot: QtBot, window: MainWindow, sample_dir: Path
) -> None:
    i18n.set_language("zh")
    try:
        open_in(window, sample_dir / "teaching.xlsx")
        # the six-year plan takes 10-40 s on a loaded 2-core machine: room to prove it optimal
        window.solve_panel.time_limit.setValue(120)
        assert window.solve_panel.solve()
        wait_idle(window)
        assert window.doc.plan is not None and window.doc.plan.has_solution
        names = network_names(window)
        problems: list[str] = []
        for key in ("map", "tables", "results", "routes", "scenarios"):
            window.show_view(key)
            qtbot.wait(20)
            texts = widget_texts(window)
            for where, text in texts:
                problems += [f"{key}/{where}: {bad!r} in {text!r}" for bad in english_left(text, names)]
        assert not sorted(set(problems)), "\n".join(sorted(set(problems)))
        assert len(texts) > 200, "the walk reached the widgets"
        phase = window.solve_panel.phase.text()
        assert phase and not english_left(phase, names)
        # switching back renders the same progress line and result in English
        i18n.set_language("en")
        assert window.solve_panel.phase.text() != phase
        assert "Optimal" in window.solve_panel.result.text()
        # and the same walk does find English when the UI is English (the check can fail)
        english = [bad for _w, text in widget_texts(window) for bad in english_left(text, names)]
        assert len(english) > 50
    finally:
        i18n.set_language("en")
