"""What a sweep's results say is catalogue messages, rendered at display time: each scenario's status
message (the plan's own), why a scenario failed or a break-even search found no price, how the two-stage
solve ended. The sweep's JSON writes them as ``{code, params, text}``; results pickle (they travel back
from the workers) with their messages; the sweep workbook writes them in its language.
"""

from __future__ import annotations

import dataclasses
import json
import pickle
import typing
from pathlib import Path

import openpyxl
import pytest

from optimizer.design.options import SolveOptions
from optimizer.design.plan import PlanStatus
from optimizer.design.stochastic import TwoStageResult
from optimizer.messages import Msg
from optimizer.model import Network
from optimizer.scenarios.definition import SweepDefinition
from optimizer.scenarios.executors import LocalPool, cancelled_result
from optimizer.scenarios.factors import parse_factor
from optimizer.scenarios.sweep import SweepResult, run_sweep, two_stage_message
from optimizer.scenarios.tasks import BreakEven, BreakEvenTask, ScenarioResult, SolveTask, run_task
from tests.optimizer.scenarios.networks import one_site
from tests.optimizer.test_messages import english_left_in

OPTIONS = SolveOptions(threads=1)


def _chinese(m: Msg | None) -> str:
    assert m is not None
    zh = m.render("zh")
    assert english_left_in(zh) == [], zh
    return zh


def test_a_scenario_result_carries_its_plan_s_status_message() -> None:
    result = run_task(SolveTask("scenario:0", one_site(), OPTIONS, {"copper_price": 75_000.0}))
    assert isinstance(result, ScenarioResult) and result.status == "optimal"
    assert result.plan is not None and result.message == result.plan.status_message
    assert _chinese(result.message).startswith("最优")  # "最优（差距 0.000% 以内）": the plan's own words


def test_why_a_break_even_search_found_no_price_reads_in_both_languages() -> None:
    not_candidate = run_task(BreakEvenTask("b", one_site(), OPTIONS, "M1", 20_000.0, 75_000.0, 100.0))
    assert isinstance(not_candidate, BreakEven) and not_candidate.status == "error"
    assert str(not_candidate.message) == "M1 is not a candidate site: only a candidate has a break-even price"
    assert _chinese(not_candidate.message) == "M1 不是候选站点：只有候选站点才有盈亏平衡铜价"
    floor = run_task(BreakEvenTask("b", one_site(), OPTIONS, "S1", 60_000.0, 75_000.0, 100.0))
    assert isinstance(floor, BreakEven) and floor.status == "opens_at_floor"
    assert str(floor.message) == "S1 still opens at 60,000 CNY/t Cu"
    assert _chinese(floor.message) == "铜价 60,000 元/吨铜时 S1 仍然开设"
    found = run_task(BreakEvenTask("b", one_site(), OPTIONS, "S1", 22_500.0, 75_000.0, 100.0))
    assert isinstance(found, BreakEven) and found.status == "found" and found.message is None


def test_a_failed_or_cancelled_task_says_so_in_both_languages_and_keeps_its_traceback() -> None:
    broken = run_task(SolveTask("scenario:9", typing.cast(Network, None), OPTIONS))
    assert isinstance(broken, ScenarioResult) and broken.status == "error" and broken.message is not None
    assert broken.message.render("en").startswith("the scenario failed: AttributeError: ")
    # the error's own words stay as Python said them, inside the Chinese sentence
    assert broken.message.render("zh").startswith("该情景求解出错：AttributeError: ")
    assert "Traceback" in broken.trace and "Traceback" not in broken.message.render("en")
    never = cancelled_result(SolveTask("scenario:1", one_site(), OPTIONS))
    assert _chinese(never.message) == "开始之前已取消"
    assert pickle.loads(pickle.dumps(broken)) == broken


@pytest.mark.parametrize(
    ("status", "gap", "solver_said", "english", "chinese"),
    [
        (PlanStatus.OPTIMAL, 0.0, "Optimal", "optimal", "最优"),
        (PlanStatus.OPTIMAL, 0.0005, "Optimal", "optimal within a gap of 0.050%", "最优（差距 0.050% 以内）"),
        (PlanStatus.FEASIBLE, 0.012, "Time limit reached", "stopped with a plan within a gap of 1.20%",
         "已停止，有方案（差距 1.20%）"),
        (PlanStatus.INFEASIBLE, None, "Infeasible", "the requirements cannot all hold",
         "各项要求无法同时满足"),
        (PlanStatus.CANCELLED, None, "Interrupted", "cancelled", "已取消"),
        (PlanStatus.ERROR, None, "Solve error", "the solver failed: Solve error", "求解器出错：Solve error"),
    ],
)
def test_how_a_two_stage_solve_ended_is_said_in_the_catalogue_s_words(
    status: PlanStatus, gap: float | None, solver_said: str, english: str, chinese: str
) -> None:
    result = TwoStageResult(status, solver_said, None, (), {}, 1.0, gap)
    message = two_stage_message(result)
    assert (message.render("en"), message.render("zh")) == (english, chinese)


def _sweep() -> SweepResult:
    definition = SweepDefinition(
        factors=(parse_factor("copper_price=40000,80000"),), tornado_pct=0, break_even_low_share=0.9
    )
    with LocalPool(1) as pool:
        return run_sweep(one_site(), definition, executor=pool)


def test_the_sweep_json_writes_every_message_as_code_params_and_text() -> None:
    sweep = _sweep()
    (b,) = sweep.break_even
    assert b.status == "opens_at_floor" and b.message is not None
    data = json.loads(json.dumps(sweep.to_dict()))
    for s in [*data["scenarios"], data["base"]]:
        assert s["message"]["code"].startswith("status.optimal")
        assert s["message"]["text"].startswith("optimal")
    assert data["break_even"][0]["message"] == {
        "code": "break_even.still_opens",
        "params": {"site": "S1", "price": "67,500"},
        "text": "S1 still opens at 67,500 CNY/t Cu",
    }


def test_the_sweep_workbook_writes_a_failed_scenario_s_message_in_its_language(tmp_path: Path) -> None:
    from optimizer.report.sweep import write_sweep_report

    sweep = _sweep()
    nothing = typing.cast(Network, None)
    broken = run_task(SolveTask("scenario:1", nothing, OPTIONS, {"copper_price": 80_000.0}))
    assert isinstance(broken, ScenarioResult)
    sweep = dataclasses.replace(sweep, scenarios=(sweep.scenarios[0], broken))
    expected_text = {"en": "the scenario failed: AttributeError", "zh": "该情景求解出错：AttributeError"}
    for lang, expected in expected_text.items():
        path = tmp_path / f"sweep_{lang}.xlsx"
        write_sweep_report(path, one_site(), sweep, lang)
        texts = [
            str(c) for ws in openpyxl.load_workbook(path).worksheets for row in ws.iter_rows(values_only=True)
            for c in row if isinstance(c, str)
        ]
        assert any(t.startswith(expected) for t in texts), (lang, texts)
        assert not any("Traceback" in t for t in texts)


@pytest.mark.parametrize(
    ("text", "english", "chinese"),
    [
        ("colour=1,2", 'unknown factor "colour"; expected one of', "未知因素“colour”；应为以下之一："),
        ("copper_price", 'factor "copper_price": expected name=a,b,c or name=start:stop:step',
         "因素“copper_price”：应为 name=a,b,c 或 name=start:stop:step"),
        ("supply=1,x", 'factor "supply=1,x": "x" is not a number', "因素“supply=1,x”：“x”不是数字"),
        ("supply=2:1:0.5", 'factor "supply=2:1:0.5": the range must go up (start <= stop)',
         "因素“supply=2:1:0.5”：范围应递增（start <= stop）"),
        ("param.name=1", 'factor "param.name": "name" is no numeric parameter',
         "因素“param.name”：“name”不是数值参数"),
    ],
)
def test_a_bad_factor_says_why_in_both_languages(text: str, english: str, chinese: str) -> None:
    from optimizer.scenarios.factors import FactorError, parse_factor

    with pytest.raises(FactorError) as caught:
        parse_factor(text)
    error = caught.value
    assert str(error).startswith(english) and error.text("en") == str(error)
    assert error.text("zh").startswith(chinese)
    assert pickle.loads(pickle.dumps(error)).message == error.message


def test_a_definition_that_cannot_run_and_a_bad_sweeps_row_say_why_in_both_languages(tmp_path: Path) -> None:
    from optimizer.io.writer import network_to_workbook, save_workbook
    from optimizer.scenarios.factors import FactorError
    from optimizer.scenarios.workbook import add_sweeps_sheet, read_sweep

    factor = parse_factor("copper_price=60000,70000")
    bad = SweepDefinition(factors=(factor, factor), tornado_pct=120)
    assert bad.problems() == [
        "factor(s) given twice: copper_price", "the tornado step must be in [0, 100) %, got 120"
    ]
    with pytest.raises(FactorError) as caught:
        run_sweep(one_site(), bad)
    said = "重复给出的因素：copper_price；龙卷风图步长应在 [0, 100) % 之间，实际为 120"
    assert caught.value.text("zh") == said
    wb = network_to_workbook(one_site())
    add_sweeps_sheet(wb, [("copper_price", "60000"), ("colour", "1,2"), ("#stochastic", "maybe")])
    path = tmp_path / "bad_sweep.xlsx"
    save_workbook(wb, path)
    _, issues = read_sweep(path)
    assert [str(i.cell) for i in issues] == ["Sweeps!B3", "Sweeps!B4"]
    assert issues[0].text("zh").startswith("未知因素“colour”") and 'unknown factor "colour"' in str(issues[0])
    assert issues[1].text("zh") == "#stochastic 为“maybe”；应为 yes 或 no"


def test_a_sweep_s_progress_says_the_time_left_in_the_reader_s_units() -> None:
    from optimizer.progress import ProgressEvent

    events: list[ProgressEvent] = []
    prices = (60_000.0, 80_000.0)
    tasks = [SolveTask(f"scenario:{k}", one_site(copper_price=p), OPTIONS) for k, p in enumerate(prices)]
    with LocalPool(1) as pool:
        pool.run(tasks, progress=events.append)
    last = events[-1]
    assert last.message_text("en") == "2 of 2 scenarios done (0 failed), about 0 s left"
    assert last.message_text("zh") == "已完成 2/2 个情景（0 个失败），约剩 0 秒"
