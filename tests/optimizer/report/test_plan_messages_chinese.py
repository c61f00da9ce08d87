"""Every sentence a plan carries (status message, notes, the explanation of each shortfall) renders in
Chinese at display time: on the three samples and on tiny networks that fail in each way a solve can
fail (infeasible target, budget, site limit, smelter capacity; cancelled; no plan in the time limit).

A plan carries them as catalogue messages (code and parameters) and renders them in Chinese itself, as
the app's results view and the Chinese summary do; no English text is matched against templates. ids,
names and units may stay in Latin letters, an English sentence may not. A route plan's notes, details
and fixes are catalogue messages too, rendered the same way.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from optimizer.design.options import SolveOptions
from optimizer.design.plan import ParetoResult, Plan, PlanStatus
from optimizer.design.solve import solve, solve_pareto
from optimizer.design.status_text import plan_status_message
from optimizer.messages import Msg
from optimizer.model import Network
from optimizer.progress import CancelToken
from tests.optimizer.report.report_samples import SAMPLES, sample_network
from tests.optimizer.report.test_chinese import ENGLISH, KEPT, _proper_names
from tests.optimizer.tiny_networks import one_yard_two_centers


def sentences(plan: Plan) -> list[Msg]:
    """Every message the plan stores for a reader."""
    return [plan.status_message, *plan.notes, *(s.reason for s in plan.infeasibility)]


def english_left(text: str, network: Network) -> str | None:
    rest = text
    for name in [*_proper_names(network), *KEPT]:
        rest = rest.replace(name, " ")
    match = ENGLISH.search(rest)
    return None if match is None else match.group(0)


def assert_chinese(plan: Plan, network: Network) -> None:
    texts = [plan_status_message(plan).render("zh"), *(m.render("zh") for m in sentences(plan))]
    left = [(t, english_left(t, network)) for t in texts if t and english_left(t, network)]
    assert left == [], left


@pytest.fixture(scope="module", params=list(SAMPLES))
def sample_plan(request: pytest.FixtureRequest) -> tuple[Network, Plan]:
    network = sample_network(request, request.param)
    one_year = network.replace(periods=(), growth=())
    return one_year, solve(one_year, SAMPLES[request.param][2])


def test_every_sentence_of_a_sample_plan_reads_in_chinese(sample_plan: tuple[Network, Plan]) -> None:
    network, plan = sample_plan
    assert plan.has_solution
    assert_chinese(plan, network)


def _failing() -> dict[str, tuple[Network, SolveOptions, dict[str, Any]]]:
    base = one_yard_two_centers()
    short = one_yard_two_centers(smelter_capacity_t=40.0)
    params = base.parameters
    return {
        "target out of reach": (short, SolveOptions(objective="cost", target_utilization=0.6), {}),
        "budget binding": (
            base.replace(parameters=dataclasses.replace(params, annual_budget_cny=1.0)),
            SolveOptions(objective="cost", target_utilization=0.6),
            {},
        ),
        "no new site allowed": (
            base.replace(parameters=dataclasses.replace(params, max_new_sites=0)),
            SolveOptions(objective="cost", target_utilization=0.6),
            {},
        ),
        "cancelled before the start": (base, SolveOptions(), {"cancelled": True}),
        "restricted arcs": (base, SolveOptions(k_nearest=1), {}),
        "utilization, then least cost": (base, SolveOptions(objective="utilization"), {}),
    }


FAILING = _failing()


@pytest.mark.parametrize("case", list(FAILING))
def test_every_sentence_of_a_failing_plan_reads_in_chinese(case: str) -> None:
    network, options, how = FAILING[case]
    cancel = None
    if how.get("cancelled"):
        cancel = CancelToken()
        cancel.cancel()
    plan = solve(network, options, cancel=cancel)
    if case not in ("restricted arcs", "utilization, then least cost"):
        assert plan.status in (PlanStatus.INFEASIBLE, PlanStatus.CANCELLED), plan.message
    assert_chinese(plan, network)
    if case == "utilization, then least cost":
        assert any("最低成本" in n for n in plan.note_texts("zh"))


def test_a_trade_off_sweep_and_a_network_with_errors_read_in_chinese() -> None:
    network = one_yard_two_centers()
    sweep = solve_pareto(network, SolveOptions(time_limit_s=20), 3)
    assert sweep.status_message.render("zh").startswith("已求解 3/3 个权衡点，利用率 ")
    assert ParetoResult.from_dict(sweep.to_dict()).status_message == sweep.status_message
    broken = network.replace(grades=())
    plan = solve(broken, SolveOptions())
    assert plan.status is PlanStatus.ERROR
    assert plan.status_message.render("zh").startswith("网络有 ")
    assert_chinese(plan, broken)  # the errors it lists too


def test_the_routing_notes_and_reasons_of_the_depot_assignment_read_in_chinese() -> None:
    """Without a plan: a point without supply, a point pinned to a closed site, one pinned to a site the
    network does not have; with a plan: a point the plan does not know, one it buys nothing from, and a
    share sent to a site the plan does not open."""
    from optimizer.model import SiteStatus
    from optimizer.routing import build_routing_problem
    from tests.optimizer.routing.networks import network as routing_network
    from tests.optimizer.routing.networks import plan_assigning, point, site, truck

    points = (
        point("EMPTY", 0.0),
        point("PINNED", 10.0, assigned_site_id="DS2"),
        point("LOST", 10.0, assigned_site_id="XX"),
    )
    sites = (site("DS1"), site("DS2", lat=31.5, status=SiteStatus.CLOSED))
    net = routing_network(points, {}, sites=sites, vehicles=(truck(),))
    without_plan = build_routing_problem(net)
    plan = plan_assigning(["DS1", "DS9"], {"PINNED": [], "LOST": [("DS2", 10.0)]})
    with_plan = build_routing_problem(net, plan)
    texts = [
        *without_plan.notes,
        *with_plan.notes,
        *(u.detail for u in with_plan.unserved),
        *(u.fix for u in with_plan.unserved),
    ]
    assert len(texts) >= 6, texts
    for text in texts:
        assert text is not None
        zh = text.render("zh")
        assert english_left(zh, net) is None, (text, zh)


def test_why_a_visit_cannot_be_routed_reads_in_chinese() -> None:
    """A window shorter than the service, one no truck reaches, a point whose depot has no truck, and a
    point with more visits a week than working days: details, fixes and notes in Chinese."""
    from optimizer.routing import build_routing_problem
    from tests.optimizer.routing.networks import network as routing_network
    from tests.optimizer.routing.networks import point, site, truck

    points = (
        point("SHORT", 10.0, opens_hour=8.0, closes_hour=8.1),
        point("NIGHT", 10.0, opens_hour=0.0, closes_hour=2.0),
        point("PINNED", 10.0, assigned_site_id="DS2"),
        point("OFTEN", 10.0, visits_per_week=9),
    )
    km = {("DS1", "SHORT"): 10.0, ("DS1", "NIGHT"): 150.0, ("DS1", "OFTEN"): 10.0}
    net = routing_network(
        points, km, sites=(site("DS1"), site("DS2", lat=31.5)), vehicles=(truck(depot_ids=("DS1",)),)
    )
    problem = build_routing_problem(net)
    texts = [*problem.notes, *(u.detail for u in problem.unserved), *(u.fix for u in problem.unserved)]
    assert len(texts) >= 7, texts
    for text in texts:
        assert text is not None
        zh = text.render("zh")
        assert english_left(zh, net) is None, (text, zh)


def test_a_bounded_multi_year_plan_reads_in_chinese_in_the_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """The plan's status message, notes and summary in a Chinese report come from their codes: the
    English template matcher is made to fail if anything calls it."""
    import datetime

    from optimizer.report import translate
    from optimizer.report.plan_report import plan_report_workbook
    from tests.optimizer.design.test_plan_messages import BOUNDED_ZH, bounded_plan

    network, plan = bounded_plan(monkeypatch)

    def refuse(message: str, lang: str) -> str:
        raise AssertionError(f"a plan message was matched against English templates: {message!r}")

    monkeypatch.setattr(translate, "translate", refuse)
    wb = plan_report_workbook(network, plan, lang="zh", created=datetime.date(2026, 3, 1))
    texts = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    said = plan.status_message.render("zh")
    assert said.startswith(BOUNDED_ZH) and said in texts
    assert all(n in texts for n in plan.note_texts("zh"))
    assert plan.message not in texts
    assert plan.summary("zh").splitlines()[1] == said
