"""The app's Export plan can write the client edition: no input sheets, and the title block says so."""

from __future__ import annotations

from pathlib import Path

from app.main_window import MainWindow
from optimizer.schema import SHEETS
from tests.app.helpers import wait_idle


def test_export_plan_writes_the_client_edition(window: MainWindow, tmp_path: Path) -> None:
    import openpyxl

    assert window.solve_panel.solve()
    wait_idle(window)
    out = tmp_path / "client.xlsx"
    assert window.export_plan(out, "client")
    wait_idle(window)
    wb = openpyxl.load_workbook(out)
    inputs = {n for s in SHEETS for n in (s.name_en, s.name_zh)}
    assert wb.sheetnames[0] in ("Summary", "方案概要")
    assert not inputs & set(wb.sheetnames)
    assert str(wb.worksheets[0]["A2"].value).endswith(("client edition", "客户版"))
