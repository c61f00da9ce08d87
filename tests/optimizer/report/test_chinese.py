"""Chinese throughout: every text cell of a Chinese report is Chinese (ids, units and proper names
aside), including the solver's and the routing's messages, which the optimizer writes in English.

The teaching network is solved, routed, swept and reported in memory (full and client editions), and
so is an infeasible plan, whose explanation is the longest English the optimizer writes.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from typing import Any

import pytest

from optimizer.design.options import SolveOptions
from optimizer.design.solve import solve, solve_pareto
from optimizer.model import Network
from optimizer.report.plan_report import plan_report_workbook
from optimizer.report.route_summary import route_summary
from optimizer.report.translate import translate
from optimizer.routing import RoutingOptions, build_routing_problem, plan_routes

TODAY = datetime.date(2026, 3, 1)
#: Two or more English words in a row: a sentence, not an id or a unit.
ENGLISH = re.compile(r"[A-Za-z][A-Za-z'\-]+(?:[ ,;:()]+[A-Za-z][A-Za-z'\-]+)+")
#: Units and names a Chinese report keeps in Latin letters.
KEPT = ("t Cu", "t CO2", "CO2", "CNY", "HiGHS", "PyVRP", "pyvrp", "ortools", "CBC", "CopperLoop")


def _proper_names(network: Network) -> list[str]:
    names = {network.name}
    for n in network.nodes():
        names |= {n.id, n.name or ""}
    for g in network.grades:
        names |= {g.id, g.name_en}
    for v in network.vehicle_types:
        names |= {v.id, v.name}
    for s in network.sites:
        names |= {m.id for m in s.modules}
    return sorted((n for n in names if len(n) > 1), key=len, reverse=True)


def english_sentences(wb: Any, network: Network) -> list[tuple[str, str, str]]:
    """(sheet, cell, words) of every text cell holding English words once names and units are aside."""
    names = [*_proper_names(network), *KEPT]
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str):
                    continue
                rest = cell.value
                for name in names:
                    rest = rest.replace(name, " ")
                match = ENGLISH.search(rest)
                if match:
                    found.append((ws.title, cell.coordinate, match.group(0)))
    return found


@pytest.fixture(scope="module")
def teaching(teaching_network: Network) -> Any:
    plan = solve(teaching_network, SolveOptions(time_limit_s=30, mip_gap=0.01))
    routes = plan_routes(build_routing_problem(teaching_network, plan), RoutingOptions(time_limit_s=2))
    pareto = solve_pareto(teaching_network, SolveOptions(time_limit_s=10, mip_gap=0.01), 3)
    return teaching_network, plan, routes, pareto


@pytest.mark.parametrize("edition", ["full", "client"])
def test_every_text_cell_of_a_chinese_report_is_chinese(teaching: Any, edition: str) -> None:
    network, plan, routes, pareto = teaching
    dearer = network.replace(
        parameters=dataclasses.replace(network.parameters, copper_price_cny_per_t=80_000.0)
    )
    wb = plan_report_workbook(
        network,
        plan,
        routes=routes,
        pareto=pareto,
        scenarios=[("基准", network, plan), ("铜价 80k", dearer, plan)],
        lang="zh",
        created=TODAY,
        edition=edition,
    )
    assert english_sentences(wb, network) == []
    # and the check would see English: the same report in English is full of it
    english = plan_report_workbook(network, plan, routes=routes, created=TODAY, edition=edition)
    assert len(english_sentences(english, network)) > 50


def test_an_infeasible_plans_explanation_is_chinese(teaching: Any) -> None:
    network = teaching[0]
    plan = solve(network, SolveOptions(objective="cost", target_utilization=0.9, budget_cny=1.0))
    assert plan.infeasibility
    wb = plan_report_workbook(network, plan, lang="zh", created=TODAY)
    assert english_sentences(wb, network) == []
    for shortfall in plan.infeasibility:
        assert shortfall.reason.render("zh") != shortfall.message


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("optimal within a gap of 0.009%", "最优（差距 0.009% 以内）"),
        ("1026 of 1029 visits a week on 286 truck-days", "每周 1029 次访问中完成 1026 次，共 286 个车日"),
        (
            "the 90.0% utilization target cannot be met: the best reachable is 57.8% (1,240 t Cu short)",
            "90.0% 的利用率目标无法达到：最多可达 57.8%（缺 1,240 吨铜）",
        ),
        ("something no template knows", "something no template knows"),
    ],
)
def test_messages_are_rendered_from_the_catalogue_and_the_templates(english: str, chinese: str) -> None:
    assert translate(english, "zh") == chinese
    assert translate(english, "en") == english


def test_the_chinese_summary_has_no_english_objective_or_status(teaching: Any) -> None:
    plan = teaching[1]
    out = plan.summary("zh")
    assert "(profit)" not in out and plan.status.value.upper() not in out
    assert plan.status_message.render("zh") in out and plan.message not in out


def test_the_routes_summary_in_chinese(teaching: Any) -> None:
    network, _plan, routes, _pareto = teaching
    assert route_summary(routes, "en") == routes.summary()
    text = route_summary(routes, "zh")
    assert text.startswith("收集路线：")
    rest = text
    for name in [*_proper_names(network), *KEPT]:
        rest = rest.replace(name, " ")
    assert ENGLISH.search(rest) is None, ENGLISH.search(rest)
