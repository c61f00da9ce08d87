"""The plain plan workbook holds every table of the plan, one header row each, numbers as numbers."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from optimizer.io.plan_dump import write_plan_workbook
from optimizer.options import SolveOptions
from optimizer.solve import solve
from tests.optimizer.tiny_networks import dismantling_chain


def test_plain_plan_workbook_has_every_table(tmp_path: Path) -> None:
    plan = solve(dismantling_chain(), SolveOptions(mip_gap=0.0))
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(plan, path)
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == [
        "Summary",
        "KPIs",
        "Sites",
        "Site grades",
        "Smelters",
        "Flows",
        "Assignments",
        "Shortfalls",
        "Notes",
    ]
    flows = list(book["Flows"].iter_rows(values_only=True))
    assert flows[0] == (
        "from_id",
        "to_id",
        "echelon",
        "grade_id",
        "t",
        "t_cu",
        "km",
        "t_km",
        "cost_cny",
        "co2_t",
    )
    assert {(r[0], r[1], r[2]) for r in flows[1:]} == {
        ("P1", "D1", "collection"),
        ("D1", "S1", "transfer"),
        ("S1", "M1", "delivery"),
    }
    kpis = {(r[0], r[1]): r[2] for r in book["KPIs"].iter_rows(min_row=2, values_only=True)}
    assert kpis[("copper_delivered_t_cu", None)] == pytest.approx(85.5)
    assert kpis[("utilization_by_grade", "MO")] == pytest.approx(0.855)
