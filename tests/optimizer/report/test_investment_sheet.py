"""The plan report's Investment sheet: the schedule, NPV and yearly cash flow of a multi-year plan."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from optimizer.design.multiyear_solve import solve_multiyear
from optimizer.design.options import SolveOptions
from optimizer.design.solve import solve
from optimizer.report.plan_report import write_plan_report
from tests.optimizer.design.test_multiyear import one_center


def test_multiyear_plan_report_has_the_investment_sheet(tmp_path: Path) -> None:
    network = one_center()
    plan = solve_multiyear(network)
    out = tmp_path / "plan.xlsx"
    write_plan_report(out, network, plan)
    ws = openpyxl.load_workbook(out)["Investment"]
    cells = {row[0]: row[1] for row in ws.iter_rows(min_col=1, max_col=2, values_only=True) if row[0]}
    assert cells["Net present value"] == pytest.approx(38_000.0)
    years = [row for row in ws.iter_rows(values_only=True) if row and row[0] in (2025, 2026)]
    # the build schedule row (2026, S1) and the two yearly rows
    assert any(r[1] == "center" and r[2] == "M" for r in years)
    cash = [r for r in years if not isinstance(r[1], str)]
    assert [r[0] for r in cash] == [2025, 2026]
    assert len(ws._charts) == 2


def test_single_year_plan_without_economics_has_no_investment_sheet(tmp_path: Path) -> None:
    network = one_center(factors=(1.0,)).replace(periods=())
    out = tmp_path / "plan.xlsx"
    write_plan_report(out, network, solve(network, SolveOptions()))
    assert "Investment" not in openpyxl.load_workbook(out, read_only=True).sheetnames
