"""``copperloop compare``: plan reports (read back, not solved), plan JSON files and networks solved on
the fly, or a project workbook's saved scenarios, into one comparison workbook with deltas and charts.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from optimizer import cli
from optimizer.design.options import SolveOptions
from optimizer.design.solve import solve
from optimizer.io import write_network
from optimizer.io.scenarios import write_project
from optimizer.model import Network
from optimizer.report.plan_report import write_plan_report
from optimizer.report.readback import read_report_plan
from optimizer.report.styles import FIRST_DATA_ROW, HEADER_ROW


@pytest.fixture(scope="module")
def teaching(teaching_network: Network) -> Any:
    plan = solve(teaching_network, SolveOptions(time_limit_s=30, mip_gap=0.01))
    dearer = teaching_network.replace(
        parameters=dataclasses.replace(teaching_network.parameters, copper_price_cny_per_t=80_000.0)
    )
    return teaching_network, plan, dearer


def _rows(ws: Any) -> dict[str, list[Any]]:
    return {
        ws.cell(row=r, column=1).value: [ws.cell(row=r, column=c).value for c in range(2, ws.max_column + 1)]
        for r in range(FIRST_DATA_ROW, ws.max_row + 1)
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_report_reads_back_as_its_plans_key_figures(teaching: Any, tmp_path: Path, lang: str) -> None:
    network, plan, _dearer = teaching
    path = tmp_path / "plan.xlsx"
    write_plan_report(path, network, plan, lang=lang)
    back = read_report_plan(path)
    assert back.plan.status == plan.status and back.plan.objective_name == plan.objective_name
    for f in dataclasses.fields(plan.kpis):
        want = getattr(plan.kpis, f.name)
        got = getattr(back.plan.kpis, f.name)
        # a workbook keeps 16 significant digits; the per-grade and per-province shares are not in it
        assert got == ({} if isinstance(want, dict) else pytest.approx(want, rel=1e-15)), f.name
    assert back.network == network


def test_compare_a_report_a_json_and_a_network_with_deltas_and_charts(
    teaching: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    network, plan, dearer = teaching
    report, plan_json, other = tmp_path / "base.xlsx", tmp_path / "base.json", tmp_path / "dearer.xlsx"
    write_plan_report(report, network, plan)
    plan_json.write_text(plan.to_json(), encoding="utf-8")
    write_network(dearer, other)
    out = tmp_path / "compare.xlsx"
    args = ["compare", str(report), str(plan_json), str(other), "-o", str(out), "--quiet", "--gap", "0.01"]
    assert cli.main(args) == 0
    printed = capsys.readouterr().out
    assert "base:" in printed and "dearer:" in printed
    wb = openpyxl.load_workbook(out)
    ws = wb["Scenario comparison"]
    header = [c.value for c in ws[HEADER_ROW]]
    assert header == ["Key figure", "Unit", "base", "base", "dearer", "base − base", "dearer − base"]
    rows = _rows(ws)
    solved = solve(dearer, SolveOptions(mip_gap=0.01))
    _unit, a, b, c, d_ab, d_ac = rows["Profit"]
    assert a == pytest.approx(plan.kpis.profit_cny) and b == pytest.approx(a)
    assert c == pytest.approx(solved.kpis.profit_cny, rel=0.011)
    assert d_ab == 0 and d_ac == pytest.approx(c - a)
    # the dearer copper is named by its Parameters label; the JSON has no network to compare
    changes = rows["Changes from the first scenario"]
    assert "Copper price" in changes[3] and "80,000" in changes[3]
    assert changes[2] == "not known (no input network in this workbook)"
    assert len(ws._charts) == 2
    assert ws.print_area is not None


def test_compare_solves_a_project_workbooks_saved_scenarios_in_chinese(
    teaching: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    network, _plan, dearer = teaching
    project = tmp_path / "project.xlsx"
    write_project(project, network, [("Copper 80k", dearer)])
    out = tmp_path / "compare.xlsx"
    assert (
        cli.main(["compare", str(project), "-o", str(out), "--quiet", "--lang", "zh", "--gap", "0.01"]) == 0
    )
    assert "对比已写入" in capsys.readouterr().out
    ws = openpyxl.load_workbook(out)["情景对比"]
    header = [c.value for c in ws[HEADER_ROW]]
    assert header[2:4] == ["project: Base", "project: Copper 80k"]
    change = _rows(ws)["与第一个情景的差异"][2]
    assert "80,000" in change and "copper_price" not in change


def test_compare_needs_two_scenarios(
    teaching: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    network, _plan, _dearer = teaching
    source = tmp_path / "one.xlsx"
    write_network(network, source)
    assert cli.main(["compare", str(source), "-o", str(tmp_path / "c.xlsx"), "--quiet"]) == 2
    assert "two or more scenarios" in capsys.readouterr().err
