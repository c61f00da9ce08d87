"""The plan report's Investment sheet: the schedule, NPV and yearly cash flow of a multi-year plan."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from optimizer.design.economics import with_economics
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


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_investment_sheet_has_each_sites_npv_irr_and_allocated_cash_flow(tmp_path: Path, lang: str) -> None:
    """One center built in 2025 (capex 60,000, opex 10,000, 10 %): its cash flow -34,000, 26,000,
    26,000 is the network's, so its row and the network's row agree, and its NPV is 11,123.97 CNY."""
    network = one_center(capex=60_000.0, opex=10_000.0, factors=(1.0, 1.0, 1.0), discount_rate=0.10)
    plan = solve_multiyear(network)
    out = tmp_path / "plan.xlsx"
    write_plan_report(out, network, plan, lang=lang)
    sheet = "Investment" if lang == "en" else "投资"
    rows = [r for r in openpyxl.load_workbook(out)[sheet].iter_rows(values_only=True) if r and r[0]]
    npv = -34_000.0 + 26_000.0 / 1.1 + 26_000.0 / 1.21
    (figures,) = [r for r in rows if r[0] == "center" and r[1] == 2025 and r[2] == 60_000.0 and len(r) > 4]
    assert figures[3] == pytest.approx(npv)
    assert figures[4] == pytest.approx(plan.site_economics[0].irr)
    assert figures[5] == pytest.approx(1 + 8_000.0 / 26_000.0)
    flows = [r[1:4] for r in rows if r[0] == "center" and r[1] == pytest.approx(-34_000.0)]
    assert flows == [pytest.approx((-34_000.0, 26_000.0, 26_000.0))]
    total = "Network" if lang == "en" else "网络合计"
    assert [r[1:4] for r in rows if r[0] == total] == [pytest.approx((-34_000.0, 26_000.0, 26_000.0))]
    rule = "copper share" if lang == "en" else "按铜量"
    assert any(isinstance(r[0], str) and rule in r[0] for r in rows)


def test_single_year_investment_sheet_has_capex_and_no_payback_rows(tmp_path: Path) -> None:
    """One year: the capex its module implies (20,000 CNY), a word on NPV/IRR/payback, and each site's
    build year and capex without NPV columns (no 'not paid back' for figures nobody computed)."""
    network = one_center(factors=(1.0,)).replace(periods=())
    plan = with_economics(network, solve(network, SolveOptions()))
    out = tmp_path / "plan.xlsx"
    write_plan_report(out, network, plan)
    rows = [r for r in openpyxl.load_workbook(out)["Investment"].iter_rows(values_only=True) if r and r[0]]
    labels = [r[0] for r in rows]
    assert ("Capex, all years", 20_000.0) in [(r[0], r[1]) for r in rows]
    for gone in ("Net present value", "Payback (years)", "Discounted payback (years)", "Discount rate"):
        assert gone not in labels
    assert any(isinstance(x, str) and x.startswith("A one-year plan") for x in labels)
    headers = next(r for r in rows if r[0] == "Site" and r[1] == "Build year")
    assert "NPV" not in headers
