"""A plan carries its status message, notes and shortfalls as catalogue messages (code and parameters):
they survive the JSON file whole, and a file written before messages had codes (English text only)
still reads, its texts kept as they were.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from optimizer.design import multiyear_solve
from optimizer.design.options import Objective, SolveOptions
from optimizer.design.plan import Plan, PlanStatus, Shortfall, message_from_plain, text_message
from optimizer.design.solve import solve
from optimizer.design.status_text import plan_status_message
from optimizer.messages import Amount, FieldName, Localized, Msg, Of, msg
from optimizer.model import Network
from tests.optimizer.design.test_multiyear import one_center
from tests.optimizer.tiny_networks import one_yard_two_centers

#: How a multi-year plan within a proven gap starts in Chinese.
BOUNDED_ZH = "与最佳方案的差距已证明在"


def bounded_plan(monkeypatch: pytest.MonkeyPatch) -> tuple[Network, Plan]:
    """The falling-supply one-center network of test_multiyear_messages, planned year by year only: a
    feasible plan within a proven gap of a few per cent (the thresholds lowered so it takes that path)."""
    monkeypatch.setattr(multiyear_solve, "YEAR_BY_YEAR_MIN_VARIABLES", 0)
    monkeypatch.setattr(multiyear_solve, "FULL_MILP_MAX_VARIABLES", 0)
    network = one_center(
        factors=(1.0, 2.0, 3.0, 1.0),
        discount_rate=0.06,
        income_tax_rate=0.25,
        residual_value="straight_line",
        life=3.0,
    )
    plan = multiyear_solve.solve_multiyear(network)
    assert plan.status is PlanStatus.FEASIBLE and plan.status_message.code == "multiyear.bounded"
    return network, plan


def old_style(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as a plan file written before messages had codes: the status message, the notes and each
    shortfall's explanation as English text only."""
    old = {k: v for k, v in data.items() if k != "status_message"}
    old["notes"] = [n["text"] for n in data["notes"]]
    old["infeasibility"] = [
        {**{k: v for k, v in s.items() if k != "reason"}, "message": s["reason"]["text"]}
        for s in data["infeasibility"]
    ]
    old["year_plans"] = [old_style(p) for p in data["year_plans"]]
    return old


def test_an_infeasible_plan_keeps_its_codes_through_json() -> None:
    """A 60 % target on a smelter that takes 40 t: infeasible, with a shortfall whose explanation has
    tonnes in both languages; the file holds the English and the code, and reads back equal."""
    network = one_yard_two_centers(smelter_capacity_t=40.0)
    plan = solve(network, SolveOptions(objective=Objective.COST, target_utilization=0.6))
    assert plan.status is PlanStatus.INFEASIBLE and plan.infeasibility
    assert plan.status_message.code == "plan.infeasible"
    data = json.loads(plan.to_json())
    assert data["message"] == plan.message == plan.status_message.render("en")
    assert data["status_message"]["code"] == "plan.infeasible"
    assert data["status_message"]["text"] == plan.message
    assert data["infeasibility"][0]["reason"]["code"] == plan.infeasibility[0].reason.code
    back = Plan.from_json(plan.to_json())
    assert back.status_message == plan.status_message
    assert back.infeasibility == plan.infeasibility
    assert back.to_dict() == plan.to_dict()
    # the shortfall's tonnes are in Chinese units in Chinese, not "kt Cu"
    zh = back.infeasibility[0].reason.render("zh")
    assert "吨铜" in zh and "t Cu" not in zh, zh


def test_notes_keep_their_codes_and_render_in_either_language() -> None:
    plan = solve(one_yard_two_centers(), SolveOptions(objective=Objective.UTILIZATION, k_nearest=1))
    codes = [n.code for n in plan.notes]
    assert "plan_note.k_nearest" in codes and "plan_note.least_cost" in codes
    back = Plan.from_json(plan.to_json())
    assert back.notes == plan.notes
    assert any(t.startswith("arcs limited to the 1 cheapest") for t in back.note_texts("en"))
    assert any(t.startswith("每个回收点和等级只保留 1 个") for t in back.note_texts("zh"))


def test_a_plan_file_from_before_message_codes_still_reads() -> None:
    """The old shape (``message`` and notes as text, a shortfall's ``message``) reads: the texts are
    kept word for word, and the status, figures and shortfall numbers are the plan's."""
    network = one_yard_two_centers(smelter_capacity_t=40.0)
    infeasible = solve(network, SolveOptions(objective=Objective.COST, target_utilization=0.6))
    solved = solve(one_yard_two_centers(), SolveOptions(k_nearest=1))
    for plan in (infeasible, solved):
        old = old_style(plan.to_dict())
        assert "status_message" not in old and all(isinstance(n, str) for n in old["notes"])
        back = Plan.from_dict(json.loads(json.dumps(old)))
        assert back.status is plan.status and back.kpis == plan.kpis
        assert back.message == plan.message
        assert back.note_texts("en") == plan.note_texts("en")
        assert [s.message for s in back.infeasibility] == [s.message for s in plan.infeasibility]
        assert [s.shortfall for s in back.infeasibility] == [s.shortfall for s in plan.infeasibility]
        assert all(n.code == "plan.text" for n in back.notes)
    # a plain status is recognised from the plan's own figures; any other text is shown as it was
    # written, in any language (it has no code to render from)
    assert solved.status_message.code == "status.optimal_gap"
    assert Plan.from_dict(old_style(solved.to_dict())).status_message == solved.status_message
    again = Plan.from_dict(old_style(infeasible.to_dict()))
    assert again.status_message == text_message(infeasible.message)
    assert again.status_message.render("zh") == infeasible.message


def test_an_old_multi_year_plan_within_a_proven_gap_still_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its status line read the gap from the English text; the file's gap and size rebuild the code."""
    _network, plan = bounded_plan(monkeypatch)
    back = Plan.from_dict(json.loads(json.dumps(old_style(plan.to_dict()))))
    assert back.status_message == plan.status_message
    assert plan_status_message(back).render("zh").startswith(BOUNDED_ZH)
    assert [p.message for p in back.year_plans] == [p.message for p in plan.year_plans]


def test_every_kind_of_parameter_survives_json() -> None:
    said = msg(
        "plan.nothing_to_decide",
        why=msg(
            "value",
            field=FieldName("supply_t_per_year"),
            subject=Of(msg("subject.grade", id="No2")),
            value=Amount(-5.0, "supply_t_per_year"),
            expected="a number >= 0",
        ),
        status=Localized("optimal", "最优"),
    )
    plan = _plan(said)
    back = Plan.from_json(plan.to_json())
    assert back.status_message == said
    assert back.status_message.render("zh") == said.render("zh")


def test_a_code_this_catalogue_lacks_or_a_missing_parameter_falls_back_to_the_text() -> None:
    """A file written by a newer version may name a code this one does not know: its English stays."""
    assert message_from_plain({"code": "no.such.code", "params": {}, "text": "from the future"}) == (
        text_message("from the future")
    )
    lacking = {"code": "status.time_limit", "params": {"limit": "60"}, "text": "stopped at 60 s"}
    assert message_from_plain(lacking) == text_message("stopped at 60 s")
    assert message_from_plain("plain old text") == text_message("plain old text")


def test_a_shortfall_reads_its_english_from_its_reason() -> None:
    reason = msg("infeasible.target", wanted="60.0%", best="40.0%", short=Localized("4 t Cu", "4 吨铜"))
    s = Shortfall("utilization_target", reason, 0.6, 0.4, 0.2, "fraction")
    assert s.message == (
        "the 60.0% utilization target cannot be met: the best reachable is 40.0% (4 t Cu short)"
    )
    assert "4 吨铜" in s.reason.render("zh")


def _plan(message: Msg) -> Plan:
    base = solve(one_yard_two_centers(), SolveOptions())
    return dataclasses.replace(base, status_message=message)


def test_a_multi_year_cost_plan_without_any_target_says_so_in_either_language() -> None:
    from optimizer.design.multiyear import MultiYearObjective, MultiYearOptions

    plan = multiyear_solve.solve_multiyear(one_center(), MultiYearOptions(objective=MultiYearObjective.COST))
    assert plan.status is PlanStatus.ERROR and plan.status_message.code == "multiyear.cost_needs_target"
    assert plan.message.startswith("the cost objective needs a utilization target")
    assert plan.status_message.render("zh").startswith("成本目标需要利用率目标")
