"""The plan report: every figure on it is the plan's, its charts point at the right cells, it re-imports
as the same network, and it speaks English or Chinese.

The three sample networks are solved once per module with short limits (the national one on its
nearest site per point and a 5 % gap, a few seconds) and exported in both languages; every test then
reads the files back with openpyxl or pandas, as a client's spreadsheet would.
"""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from optimizer import cli
from optimizer.design.options import SolveOptions
from optimizer.design.plan import Kpis, ParetoResult, Plan, PlanStatus
from optimizer.design.solve import solve, solve_pareto
from optimizer.io import read_network, write_network
from optimizer.model import Network
from optimizer.report.headline import local_name
from optimizer.report.labels import SHEET_NAMES, column, enum_label, sheet_name, text
from optimizer.report.plan_report import plan_report_workbook, write_plan_report
from optimizer.report.styles import FIRST_DATA_ROW, HEADER_ROW
from optimizer.report.summary import KPI_NAME_PREFIX, KPI_ROWS, kpi_label
from optimizer.routing import RoutePlan, RoutingOptions, build_routing_problem, plan_routes
from optimizer.schema import SHEETS
from tests.optimizer.report.report_samples import SAMPLES, sample_network

TODAY = datetime.date(2026, 3, 1)


@dataclasses.dataclass
class Solved:
    network: Network
    plan: Plan
    routes: RoutePlan | None = None
    pareto: ParetoResult | None = None


_solved: dict[str, Solved] = {}


@pytest.fixture(scope="module")
def solved(request: pytest.FixtureRequest) -> Any:
    """solved(key) -> the sample's network and plan (the teaching one also with routes and a sweep)."""

    def get(key: str) -> Solved:
        if key not in _solved:
            network = sample_network(request, key)
            plan = solve(network, SAMPLES[key][2])
            assert plan.has_solution, plan.message
            result = Solved(network, plan)
            if key == "teaching":
                problem = build_routing_problem(network, plan)
                result.routes = plan_routes(problem, RoutingOptions(time_limit_s=3))
                result.pareto = solve_pareto(network, SolveOptions(time_limit_s=10, mip_gap=0.01), 3)
            _solved[key] = result
        return _solved[key]

    return get


@pytest.fixture(scope="module")
def export(solved: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """export(key, lang) -> path of the sample's report (routes, sweep and two scenarios for teaching)."""
    cache: dict[tuple[str, str], Path] = {}
    folder = tmp_path_factory.mktemp("reports")

    def get(key: str, lang: str = "en") -> Path:
        if (key, lang) not in cache:
            s = solved(key)
            path = folder / f"{key}.{lang}.xlsx"
            scenarios = None
            if key == "teaching":
                dearer = s.network.replace(
                    parameters=dataclasses.replace(s.network.parameters, copper_price_cny_per_t=80_000.0)
                )
                scenarios = [("Base", s.network, s.plan), ("Copper at 80k", dearer, s.plan)]
            write_plan_report(
                path,
                s.network,
                s.plan,
                routes=s.routes,
                pareto=s.pareto,
                scenarios=scenarios,
                lang=lang,
                scenario_name="Base",
            )
            cache[(key, lang)] = path
        return cache[(key, lang)]

    return get


def _scalar_kpi_fields() -> list[str]:
    return [f.name for f in dataclasses.fields(Kpis) if not isinstance(getattr(_ZERO_KPIS, f.name), dict)]


_ZERO_KPIS = Kpis(**{f.name: ({} if "by_" in f.name else 0) for f in dataclasses.fields(Kpis)})


def _exact(x: float) -> Any:
    """``x`` as a workbook holds it: openpyxl writes numbers with 16 significant digits, so the last
    of a double's 17 may differ (1 part in 1e16)."""
    return pytest.approx(x, rel=1e-15, abs=1e-12)


def _cell(wb: openpyxl.Workbook, defined_name: str) -> Any:
    dn = wb.defined_names[defined_name]
    ((title, ref),) = list(dn.destinations)
    return wb[title][ref.replace("$", "")]


# -- the Summary ------------------------------------------------------------------------------------


def test_every_scalar_kpi_is_on_the_summary() -> None:
    assert sorted(k.field for k in KPI_ROWS) == sorted(_scalar_kpi_fields())


@pytest.mark.parametrize(
    ("key", "lang"), [("teaching", "en"), ("teaching", "zh"), ("yangtze", "en"), ("national", "en")]
)
def test_summary_kpis_equal_the_plan(export: Any, solved: Any, key: str, lang: str) -> None:
    plan = solved(key).plan
    wb = openpyxl.load_workbook(export(key, lang))
    assert wb.worksheets[0].title == sheet_name("summary", lang)
    summary = wb[sheet_name("key_figures", lang)]
    for field in _scalar_kpi_fields():
        cell = _cell(wb, KPI_NAME_PREFIX + field)
        assert cell.parent.title == summary.title
        assert cell.value == _exact(getattr(plan.kpis, field)), field
        assert summary.cell(row=cell.row, column=1).value == kpi_label(field, lang)
        assert cell.number_format != "General"
    # the unit is in the number format: t Cu, CNY, % ...
    assert _cell(wb, "kpi_revenue_cny").number_format.endswith('" 元"' if lang == "zh" else '" CNY"')
    assert _cell(wb, "kpi_utilization").number_format == "0.0%"


def test_summary_read_with_pandas_has_the_plan_facts_and_figures(export: Any, solved: Any) -> None:
    s = solved("teaching")
    facts: dict[str, Any] = {}
    for sheet in ("Solver details", "Key figures"):
        df = pd.read_excel(export("teaching"), sheet_name=sheet, header=None)
        for a, b in zip(df[0], df[1], strict=True):
            if isinstance(a, str):
                facts.setdefault(a, b)  # the key figure, not its per-t Cu row further down
    k = s.plan.kpis
    assert k is not None
    assert facts["Scenario"] == "Base"
    assert facts["Network"] == s.network.name
    assert facts["Solver"] == s.plan.solver
    assert facts["Status"] == enum_label("plan_status", s.plan.status, "en")
    assert facts["Objective"] == enum_label("objective", "profit", "en")
    assert facts["Relative gap"] == pytest.approx(s.plan.gap)
    assert facts["Solve time"] == pytest.approx(s.plan.runtime_s)
    assert facts["Objective value"] == pytest.approx(s.plan.objective)
    assert pd.Timestamp(facts["Date"]).date() == datetime.date.today()
    assert facts["Recycled-copper utilization"] == _exact(k.utilization)
    assert facts["Copper delivered to smelters"] == _exact(k.copper_delivered_t_cu)
    assert facts["Scrap collected"] == _exact(k.collected_t)
    assert facts["Revenue"] == _exact(k.revenue_cny)
    assert facts["Transport cost"] == _exact(k.transport_cost_cny)
    assert facts["Profit"] == _exact(k.profit_cny)
    assert facts["Transport work"] == _exact(k.t_km)
    assert facts["CO2 total"] == _exact(k.co2_t)
    # the routes block
    routes = s.routes
    assert routes is not None
    assert facts["Trucks needed"] == routes.totals().trucks
    assert facts["Route cost per year"] == pytest.approx(routes.annual_cost_cny)


def test_summary_lists_the_sites_opened_with_their_module(export: Any, solved: Any) -> None:
    plan = solved("teaching").plan
    ws = openpyxl.load_workbook(export("teaching"))["Summary"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "Name")
    assert ws.cell(row=header - 1, column=1).value == "Sites opened"
    by_throughput = sorted(plan.sites, key=lambda s: -s.throughput_t)
    for r, site in enumerate(by_throughput, start=header + 1):
        assert ws.cell(row=r, column=1).value == local_name(site.name, "en")
        assert ws.cell(row=r, column=4).value == site.module_id
        assert ws.cell(row=r, column=5).value == _exact(site.capacity_t)
        assert ws.cell(row=r, column=6).value == _exact(site.throughput_t)


def test_an_infeasible_plan_reports_why_and_still_reimports(
    solved: Any, tmp_path: Path
) -> None:
    network = solved("teaching").network
    plan = solve(network, SolveOptions(objective="cost", target_utilization=0.9, budget_cny=1.0))
    assert plan.status is PlanStatus.INFEASIBLE and plan.infeasibility
    path = tmp_path / "infeasible.xlsx"
    write_plan_report(path, network, plan)
    wb = openpyxl.load_workbook(path)
    assert "Flows" not in wb.sheetnames and "Sites" not in wb.sheetnames
    values = [c for row in wb["Key figures"].iter_rows(values_only=True) for c in row if c is not None]
    assert "Why the requirements cannot all hold" in values
    for shortfall in plan.infeasibility:
        assert shortfall.message in values
        numbers = [v for v in values if isinstance(v, float)]
        assert any(v == _exact(shortfall.shortfall) for v in numbers), shortfall.requirement
    assert text("no_solution", "en") in values
    assert read_network(path).network == network


# -- the tables --------------------------------------------------------------------------------------


def _table(path: Path, sheet: str, header_row: int = HEADER_ROW) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name=sheet, header=header_row - 1)


@pytest.mark.parametrize("key", ["teaching", "yangtze"])
def test_tables_hold_the_plan(export: Any, solved: Any, key: str) -> None:
    s = solved(key)
    path = export(key)
    flows = _table(path, "Flows")
    assert len(flows) == len(s.plan.flows)
    assert flows["Scrap (t)"].sum() == pytest.approx(sum(f.t for f in s.plan.flows))
    assert flows["Cost (CNY)"].sum() == pytest.approx(sum(f.cost_cny for f in s.plan.flows))
    assert flows["Transport work (t-km)"].sum() == pytest.approx(s.plan.kpis.t_km)
    assert set(flows["Echelon"]) <= {"collection", "transfer", "delivery"}

    sites = _table(path, "Sites")
    assert list(sites["Site id"]) == [p.site_id for p in s.plan.sites] + [
        x.id for x in s.network.sites if s.plan.site(x.id) is None
    ]
    opened = sites[sites["Open"] == "yes"]
    assert opened["Throughput (t)"].tolist() == pytest.approx([p.throughput_t for p in s.plan.sites])
    expected = [p.utilization_pct / 100 for p in s.plan.sites]
    assert opened["Utilization (%)"].tolist() == pytest.approx(expected)

    collection = _table(path, "Collection")
    assert collection["Collected (t)"].sum() == pytest.approx(s.plan.kpis.collected_t)
    assert collection["Point id"].tolist() == [a.point_id for a in s.plan.assignments]

    smelters = _table(path, "Smelter intake")
    assert smelters["Revenue (CNY)"].sum() == pytest.approx(s.plan.kpis.revenue_cny)
    assert smelters["Blended copper content (%)"].dropna().tolist() == pytest.approx(
        [m.blended_copper_content for m in s.plan.smelters if m.intake_t > 0]
    )
    grade = s.network.grades[0]
    assert f"{grade.name_en} (t)" in smelters.columns

    by_grade = _table(path, "Utilization", header_row=4)
    shares = s.plan.kpis.utilization_by_grade
    assert by_grade["Utilization (%)"].dropna().tolist()[: len(shares)] == pytest.approx(
        [shares[g.id] for g in s.network.grades if g.id in shares]
    )


def test_routes_and_stops_sheets(export: Any, solved: Any) -> None:
    routes = solved("teaching").routes
    path = export("teaching")
    table = _table(path, "Routes")
    assert len(table) == len(routes.routes)
    assert table["Distance (km)"].sum() == pytest.approx(sum(r.distance_km for r in routes.routes))
    assert table["Cost (CNY)"].sum() == pytest.approx(routes.cost_cny)
    stops = _table(path, "Stops")
    assert len(stops) == sum(len(r.stops) for r in routes.routes)
    assert stops["Pickup (kg)"].sum() == pytest.approx(sum(r.collected_kg for r in routes.routes))
    ws = openpyxl.load_workbook(path)["Stops"]
    first = routes.routes[0].stops[0]
    arrival = ws.cell(row=FIRST_DATA_ROW, column=9)
    assert arrival.number_format == "[h]:mm"
    # an Excel duration, which openpyxl reads back as a timedelta from midnight
    assert arrival.value.total_seconds() == pytest.approx(3600 * first.arrival_h, abs=1e-3)
    if routes.unserved:
        assert len(_table(path, "Unserved visits")) == len(routes.unserved)


def test_pareto_and_scenario_sheets(export: Any, solved: Any) -> None:
    s = solved("teaching")
    path = export("teaching")
    pareto = _table(path, "Pareto")
    assert len(pareto) == len(s.pareto.plans)
    costs = [p.kpis.total_cost_cny for p in s.pareto.plans]
    assert pareto["Total cost (CNY)"].tolist() == pytest.approx(costs)
    comparison = _table(path, "Scenario comparison")
    assert list(comparison.columns[2:]) == ["Base", "Copper at 80k", "Copper at 80k − Base"]
    profit = comparison[comparison["Key figure"] == "Profit"]
    assert profit["Base"].item() == _exact(s.plan.kpis.profit_cny)
    changes = comparison[comparison["Key figure"] == text("changes", "en")]
    assert "Copper price" in changes["Copper at 80k"].item() and "80,000" in changes["Copper at 80k"].item()


# -- charts and formatting -----------------------------------------------------------------------------


def _series_refs(ws: Any) -> list[tuple[str | None, str | None]]:
    out = []
    for chart in ws._charts:
        for s in chart.series:
            values = s.val.numRef.f if s.val is not None else s.yVal.numRef.f
            cats = (s.cat.strRef or s.cat.numRef).f if s.cat is not None else s.xVal.numRef.f
            out.append((values, cats))
    return out


def test_charts_reference_the_right_cells(export: Any, solved: Any) -> None:
    s = solved("teaching")
    wb = openpyxl.load_workbook(export("teaching"))
    # from margin to profit: a waterfall on the hidden Chart data sheet that adds up to the plan's profit
    k = s.plan.kpis
    bridge, per_t = wb["Key figures"]._charts
    refs = [ser.val.numRef.f for ser in bridge.series]
    assert refs == [f"'Chart data'!${c}$2:${c}$7" for c in "BCD"]
    data = wb["Chart data"]
    assert data.sheet_state == "hidden"
    steps = [[data.cell(row=r, column=c).value or 0 for c in (2, 3, 4)] for r in range(2, 8)]
    assert steps[0][1] == pytest.approx(k.revenue_cny - k.purchase_cost_cny)
    assert [d for _b, _u, d in steps[1:5]] == pytest.approx(
        [k.transport_cost_cny, k.processing_cost_cny, k.fixed_cost_cny, k.carbon_cost_cny]
    )
    assert steps[5][1] == pytest.approx(k.profit_cny)
    running = steps[0][1]
    for base, _up, down in steps[1:5]:  # each deduction hangs from what was left before it
        assert base + down == pytest.approx(running)
        running = base
    assert running == pytest.approx(k.profit_cny)
    # cost per t Cu recovered: the table beside its chart, purchases left out of the bars
    ((values, cats),) = [(ser.val.numRef.f, (ser.cat.strRef or ser.cat.numRef).f) for ser in per_t.series]
    ws = wb["Key figures"]
    top = int(values.split("$")[2].rstrip(":"))  # 'Key figures'!$B$31:$B$34
    assert cats == values.replace("$B$", "$A$")
    assert ws.cell(row=top - 1, column=1).value == "Purchase cost"
    cu = k.copper_delivered_t_cu
    assert ws.cell(row=top - 1, column=2).value == pytest.approx(k.purchase_cost_cny / cu)
    assert ws.cell(row=top, column=2).value == pytest.approx(k.transport_cost_cny / cu)
    # site throughput vs capacity: the open sites' rows
    n = len(s.plan.sites)
    end = FIRST_DATA_ROW + n - 1
    assert _series_refs(wb["Sites"]) == [
        (f"'Sites'!$H${FIRST_DATA_ROW}:$H${end}", f"'Sites'!$A${FIRST_DATA_ROW}:$A${end}"),
        (f"'Sites'!$I${FIRST_DATA_ROW}:$I${end}", f"'Sites'!$A${FIRST_DATA_ROW}:$A${end}"),
    ]
    assert wb["Sites"]["H3"].value == "Capacity (t)" and wb["Sites"]["I3"].value == "Throughput (t)"
    # utilization by grade
    g = len(s.plan.kpis.utilization_by_grade)
    assert _series_refs(wb["Utilization"]) == [
        (f"'Utilization'!$F$5:$F${4 + g}", f"'Utilization'!$B$5:$B${4 + g}")
    ]
    assert wb["Utilization"]["F4"].value == "Utilization (%)"
    # Pareto curve: profit against utilization
    p = len(s.pareto.plans)
    assert _series_refs(wb["Pareto"]) == [(f"'Pareto'!$H$4:$H${3 + p}", f"'Pareto'!$D$4:$D${3 + p}")]
    assert wb["Pareto"]["H3"].value == "Profit (CNY)"


def test_formatting_a_consultant_would_not_redo(export: Any) -> None:
    wb = openpyxl.load_workbook(export("teaching"))
    for title in ("Sites", "Flows", "Collection", "Smelter intake", "Routes", "Stops", "Pareto"):
        ws = wb[title]
        assert ws.freeze_panes == f"A{FIRST_DATA_ROW}", title
        assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith(f"A{HEADER_ROW}:"), title
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert ws["A1"].font.bold and ws["A1"].font.size == 16
        assert ws.cell(row=HEADER_ROW, column=1).font.bold
        for col in range(1, ws.max_column + 1):
            letter = openpyxl.utils.get_column_letter(col)
            assert ws.column_dimensions[letter].width >= 8, (title, letter)
    flows = wb["Flows"]
    assert flows.cell(row=FIRST_DATA_ROW, column=7).number_format == "#,##0.0"
    assert flows.cell(row=FIRST_DATA_ROW, column=11).number_format == "#,##0"
    # a site above 90 % of capacity is amber; a smelter below its blend minimum is red
    site_rules = [(str(cf.sqref), r) for cf in wb["Sites"].conditional_formatting for r in cf.rules]
    assert [(ref, r.operator, r.formula) for ref, r in site_rules] == [
        (f"J{FIRST_DATA_ROW}:J{wb['Sites'].max_row}", "greaterThan", ["0.9"])
    ]
    ((rule,),) = [cf.rules for cf in wb["Smelter intake"].conditional_formatting]
    assert rule.type == "expression" and "<" in rule.formula[0]


def test_highlight_rules_point_at_the_right_columns(solved: Any) -> None:
    """The amber rule flags exactly the sites above 90 %; the red rule compares a smelter's blend with
    its own minimum, on rows that take anything in."""
    s = solved("teaching")
    wb = plan_report_workbook(s.network, s.plan, created=TODAY)
    ws = wb["Smelter intake"]
    headers = {c.value: c.column_letter for c in ws[HEADER_ROW]}
    intake, blend, low = (
        headers["Intake (t)"],
        headers["Blended copper content (%)"],
        headers["Minimum copper content (%)"],
    )
    ((ref, rule),) = [(str(cf.sqref), r) for cf in ws.conditional_formatting for r in cf.rules]
    r = FIRST_DATA_ROW
    assert ref == f"{blend}{r}:{blend}{r + len(s.plan.smelters) - 1}"
    assert rule.formula == [f"AND(${intake}{r}>0,${blend}{r}<${low}{r}-0.000001)"]
    ws = wb["Sites"]
    assert ws.cell(row=HEADER_ROW, column=10).value == "Utilization (%)"
    flagged = [
        ws.cell(row=r, column=1).value
        for r in range(FIRST_DATA_ROW, ws.max_row + 1)
        if isinstance(ws.cell(row=r, column=10).value, float) and ws.cell(row=r, column=10).value > 0.9
    ]
    assert flagged == [p.site_id for p in s.plan.sites if p.utilization_pct > 90]


# -- re-import and languages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "lang"), [("teaching", "en"), ("teaching", "zh"), ("yangtze", "zh"), ("national", "en")]
)
def test_the_report_reimports_as_the_same_network(export: Any, solved: Any, key: str, lang: str) -> None:
    result = read_network(export(key, lang))
    assert result.issues == []
    assert result.network == solved(key).network


def test_the_chinese_report_has_chinese_sheets_and_headers(export: Any) -> None:
    wb = openpyxl.load_workbook(export("teaching", "zh"))
    report_sheets = [n for n in wb.sheetnames if n in {v["zh"] for v in SHEET_NAMES.values()}]
    assert report_sheets[:7] == ["方案概要", "关键指标", "站点", "流向", "回收情况", "冶炼厂进料", "利用率"]
    assert {s.name_zh for s in SHEETS} <= set(wb.sheetnames)
    flows = wb["流向"]
    headers = [c.value for c in flows[HEADER_ROW]]
    assert headers[0] == "起点" and column("t", "zh", "t") in headers
    assert "废铜量（吨）" in headers
    summary = wb["关键指标"]
    labels = [summary.cell(row=r, column=1).value for r in range(1, summary.max_row + 1)]
    assert "再生铜利用率" in labels and "利润" in labels
    assert all(not (isinstance(v, str) and v.isascii() and v in {"Profit", "Revenue"}) for v in labels)


def test_report_sheet_names_are_never_taken_for_input_sheets() -> None:
    inputs = {n for s in SHEETS for n in (s.name_en, s.name_zh, s.key)}
    for names in SHEET_NAMES.values():
        assert not set(names.values()) & inputs


def test_unknown_language_is_refused(solved: Any, tmp_path: Path) -> None:
    s = solved("teaching")
    with pytest.raises(ValueError, match="lang"):
        write_plan_report(tmp_path / "x.xlsx", s.network, s.plan, lang="fr")
    assert not (tmp_path / "x.xlsx").exists()


def test_writing_is_atomic_and_keeps_a_backup(solved: Any, tmp_path: Path) -> None:
    s = solved("teaching")
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"previous")
    write_plan_report(path, s.network, s.plan, scenario_name="=HYPERLINK(\"x\")")
    assert (tmp_path / "plan.bak.xlsx").read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.bak.xlsx", "plan.xlsx"]
    wb = openpyxl.load_workbook(path)
    # a name that looks like a formula stays text
    cell = wb["Solver details"]["B5"]
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"


def test_a_long_network_name_with_ampersands_fits_the_page_header(solved: Any, tmp_path: Path) -> None:
    s = solved("teaching")
    network = s.network.replace(name=("Copper & brass " * 20).strip())
    path = tmp_path / "amp.xlsx"
    write_plan_report(path, network, s.plan)
    ws = openpyxl.load_workbook(path)["Flows"]
    header = ws.oddHeader.left.text
    assert header.startswith("Copper && brass") and len(header) < 255
    assert read_network(path).network == network


# -- the CLI ---------------------------------------------------------------------------------------------


def test_copperloop_solve_writes_the_report(
    solved: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    network = solved("teaching").network
    source = tmp_path / "teaching.xlsx"
    write_network(network, source)
    out, plan_json = tmp_path / "plan.xlsx", tmp_path / "plan.json"
    args = ["solve", str(source), "--gap", "0.01", "--quiet", "--json", str(plan_json), "-o", str(out)]
    assert cli.main([*args, "--lang", "zh"]) == 0
    plan = Plan.from_json(plan_json.read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "方案概要"
    assert _cell(wb, "kpi_profit_cny").value == _exact(plan.kpis.profit_cny)
    assert read_network(out).network == network

    sweep = tmp_path / "sweep.xlsx"
    assert cli.main(["solve", str(source), "--pareto", "3", "--quiet", "-o", str(sweep)]) == 0
    capsys.readouterr()
    wb = openpyxl.load_workbook(sweep)
    assert "Pareto" in wb.sheetnames
    assert wb["Solver details"]["B5"].value.startswith("trade-off point ")


def test_copperloop_routes_with_a_plan_writes_the_report_with_routes(
    solved: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s = solved("teaching")
    source, plan_json, out = tmp_path / "teaching.xlsx", tmp_path / "plan.json", tmp_path / "routes.xlsx"
    write_network(s.network, source)
    plan_json.write_text(s.plan.to_json(), encoding="utf-8")
    args = ["routes", str(source), "--plan", str(plan_json), "--time-limit", "2", "--quiet", "-o", str(out)]
    code = cli.main(args)
    capsys.readouterr()
    assert code in (0, 3)  # 3: some visits cannot be served, each listed
    wb = openpyxl.load_workbook(out)
    assert {"Summary", "Flows", "Routes", "Stops"} <= set(wb.sheetnames)
    assert _cell(wb, "kpi_profit_cny").value == _exact(s.plan.kpis.profit_cny)
    assert read_network(out).network == s.network
