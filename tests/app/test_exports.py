"""The app's Export plan writes the consultant-grade report, which re-imports as the solved network."""

from __future__ import annotations

from pathlib import Path

from app.main_window import MainWindow
from optimizer.io import read_network
from tests.app.helpers import wait_idle


def test_export_plan_is_the_plan_report(window: MainWindow, tmp_path: Path) -> None:
    import openpyxl

    assert window.solve_panel.solve()
    wait_idle(window)
    out = tmp_path / "plan.xlsx"
    assert window.export_plan(out)
    wait_idle(window)
    assert out.exists() and out.stat().st_size > 0
    wb = openpyxl.load_workbook(out, read_only=True)
    try:
        names = wb.sheetnames
    finally:
        wb.close()
    assert names[0] == "Summary"
    assert {"Sites", "Flows", "Collection"} <= set(names)
    back = read_network(out)
    assert back.errors == []
    assert back.network == window.doc.current.plan_network
