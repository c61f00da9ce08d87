"""Help › About shows the version and every bundled component's licence, in the current language."""

from __future__ import annotations

from typing import Any

from app.i18n import set_language
from app.views.about_dialog import AboutDialog
from optimizer import about


def test_about_lists_version_components_and_licences(qtbot: Any) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    lines = [dialog.components.item(i).text() for i in range(dialog.components.count())]
    assert lines == about.component_lines()
    joined = "\n".join(lines)
    for name in ("HiGHS", "CBC", "OR-Tools", "PyVRP", "Qt"):
        assert name in joined
    assert dialog.licences.isHidden()
    dialog.show_licences()
    assert not dialog.licences.isHidden()
    assert "Apache" in dialog.licences.toPlainText()


def test_about_is_translated(qtbot: Any) -> None:
    set_language("zh")
    try:
        dialog = AboutDialog()
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "关于 CopperLoop"
        assert dialog.licences_button.text() == "许可证全文…"
    finally:
        set_language("en")
