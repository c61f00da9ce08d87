"""The client edition leaves out the input sheets (supplier prices, buy-back coefficients) and the
per-yard tables, and every sheet has a print area; the full edition keeps everything. The CLI writes
either (``--client``) in either language (``--lang``, on ``routes`` too).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from optimizer import cli
from optimizer.design.options import SolveOptions
from optimizer.design.plan import Echelon, ParetoResult
from optimizer.design.solve import solve
from optimizer.io import read_network, write_network
from optimizer.model import Network
from optimizer.report.plan_report import plan_report_workbook
from optimizer.report.styles import FIRST_DATA_ROW
from optimizer.schema import SHEETS

TODAY = datetime.date(2026, 3, 1)
INPUT_SHEETS = {n for s in SHEETS for n in (s.name_en, s.name_zh)}


@pytest.fixture(scope="module")
def teaching(teaching_network: Network) -> Any:
    plan = solve(teaching_network, SolveOptions(time_limit_s=30, mip_gap=0.01))
    assert plan.has_solution
    return teaching_network, plan


def test_the_client_edition_has_no_inputs_and_no_yard_figures(teaching: Any) -> None:
    network, plan = teaching
    client = plan_report_workbook(network, plan, created=TODAY, edition="client")
    full = plan_report_workbook(network, plan, created=TODAY)
    assert not INPUT_SHEETS & set(client.sheetnames)
    assert {s.name_en for s in SHEETS if s.key != "periods"} <= set(full.sheetnames)
    # no supplier's price anywhere: the Supply sheet's prices are not in any cell
    prices = {
        s.purchase_price_cny_per_t
        for cp in network.collection_points
        for s in cp.supplies
        if s.purchase_price_cny_per_t
    }
    values = {c for ws in client.worksheets for row in ws.iter_rows(values_only=True) for c in row}
    assert prices and not prices & values
    # flows summed per arc, collection per province: totals kept
    flows = client["Flows"]
    tonnes = [flows.cell(row=r, column=7).value for r in range(FIRST_DATA_ROW, flows.max_row + 1)]
    assert sum(tonnes) == pytest.approx(sum(f.t for f in plan.flows))
    onward = {(f.from_id, f.to_id) for f in plan.flows if f.echelon is not Echelon.COLLECTION}
    into = {f.to_id for f in plan.flows if f.echelon is Echelon.COLLECTION}
    assert len(tonnes) == len(onward) + len(into)
    collection = client["Collection"]
    provinces = {a.province for a in plan.assignments}
    assert collection.max_row - FIRST_DATA_ROW + 1 == len(provinces)
    collected = sum(
        collection.cell(row=r, column=4).value for r in range(FIRST_DATA_ROW, collection.max_row + 1)
    )
    assert collected == pytest.approx(plan.kpis.collected_t)


def test_every_visible_sheet_has_a_print_area_covering_its_charts(teaching: Any) -> None:
    network, plan = teaching
    wb = plan_report_workbook(network, plan, created=TODAY, edition="client")
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        assert ws.print_area, ws.title
        last = ws.print_area.split(":")[-1]
        last_row = int("".join(ch for ch in last if ch.isdigit()))
        assert last_row >= ws.max_row, ws.title
        for chart in ws._charts:
            anchor_row = int("".join(ch for ch in chart.anchor if ch.isdigit()))
            assert last_row > anchor_row + 10, (ws.title, chart.anchor)


def test_cli_solve_client_and_routes_lang(
    teaching: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    network, _plan = teaching
    source, plan_json = tmp_path / "teaching.xlsx", tmp_path / "plan.json"
    write_network(network, source)
    client = tmp_path / "client.xlsx"
    args = ["solve", str(source), "--gap", "0.01", "--quiet", "--json", str(plan_json), "-o", str(client)]
    assert cli.main([*args, "--client"]) == 0
    wb = openpyxl.load_workbook(client)
    assert not INPUT_SHEETS & set(wb.sheetnames)
    assert wb["Summary"]["A2"].value.endswith("client edition")
    # the client edition does not re-import: no network sheets
    assert read_network(client).network is None
    routes = tmp_path / "routes.xlsx"
    args = [
        "routes",
        str(source),
        "--plan",
        str(plan_json),
        "--time-limit",
        "2",
        "--quiet",
        "-o",
        str(routes),
    ]
    assert cli.main([*args, "--lang", "zh"]) in (0, 3)
    wb = openpyxl.load_workbook(routes)
    assert wb.sheetnames[0] == "方案概要" and "数据核对" in wb.sheetnames
    assert wb["方案概要"]["A2"].value.endswith("完整版")
    assert read_network(routes).network == network
    capsys.readouterr()


def test_the_pareto_report_summarises_the_most_profitable_point(
    teaching: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    network, _plan = teaching
    source, sweep_json, out = tmp_path / "t.xlsx", tmp_path / "sweep.json", tmp_path / "sweep.xlsx"
    write_network(network, source)
    args = ["solve", str(source), "--pareto", "3", "--quiet", "--json", str(sweep_json), "-o", str(out)]
    assert cli.main(args) == 0
    capsys.readouterr()
    import json

    sweep = ParetoResult.from_dict(json.loads(sweep_json.read_text(encoding="utf-8")))
    profits = [p.kpis.profit_cny for p in sweep.plans if p.kpis is not None]
    wb = openpyxl.load_workbook(out)
    assert wb.defined_names["kpi_profit_cny"] is not None
    dn = wb.defined_names["kpi_profit_cny"]
    ((title, ref),) = list(dn.destinations)
    assert wb[title][ref.replace("$", "")].value == pytest.approx(max(profits))
    assert "(the most profitable)" in wb["Solver details"]["B5"].value
