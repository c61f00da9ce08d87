"""The Routes and Sweep views in Chinese: after a real routing and a real sweep, no widget text, table
cell or tooltip shows a message key or an English sentence (ids, units and the network's own names
aside). What the routing and the sweep say (an unserved visit's detail and fix, the routing's notes,
why a scenario has no plan, why a break-even search found no price) is a catalogue message rendered in
the UI language when shown, so switching the language renders it again.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QTreeWidget, QTreeWidgetItem, QWidget

from app import i18n
from app.document import NetworkDocument
from app.jobs import JobRunner
from app.views.routes import RoutesView
from app.views.sweep import SweepView
from optimizer.design.options import SolveOptions
from optimizer.model import Network
from optimizer.scenarios.tasks import BreakEvenTask, ScenarioResult, SolveTask, run_task
from tests.app.test_chinese_ui import english_left, widget_texts
from tests.optimizer.routing.test_route_messages import troubled_network
from tests.optimizer.scenarios.networks import one_site


@pytest.fixture
def chinese() -> Iterator[None]:
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


@pytest.fixture
def runner() -> Iterator[JobRunner]:
    jobs = JobRunner()
    yield jobs
    jobs.cancel()
    jobs.wait_idle(30)
    jobs.shutdown()


def names_of(net: Network) -> set[str]:
    """The network's own words (ids, names, provinces): user data, allowed in any language."""
    names = {net.name}
    for node in net.nodes():
        names |= {node.id, node.name, getattr(node, "province", "") or ""}
    for g in net.grades:
        names |= {g.id, g.name("en")}
    for s in net.sites:
        names |= {m.id for m in s.modules}
    for v in net.vehicle_types:
        names |= {v.id, v.name}
    return {n for n in names if n}


def _tree_texts(tree: QTreeWidget) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def walk(item: QTreeWidgetItem) -> None:
        for c in range(tree.columnCount()):
            out.append((f"{tree.objectName() or 'tree'}[{c}]", item.text(c)))
            if item.toolTip(c):
                out.append(("tree tooltip", item.toolTip(c)))
        for k in range(item.childCount()):
            walk(item.child(k))

    for i in range(tree.topLevelItemCount()):
        walk(tree.topLevelItem(i))
    return out


def _table_texts(table: QTableWidget) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for r in range(table.rowCount()):
        for c in range(table.columnCount()):
            item = table.item(r, c)
            if item is not None:
                out += [(f"table[{r},{c}]", item.text()), (f"table[{r},{c}] tooltip", item.toolTip())]
    return out


def all_texts(view: QWidget) -> list[tuple[str, str]]:
    """Every widget text of ``view`` (tests/app/test_chinese_ui.py's walk) and every cell of its trees and
    tables, with their tooltips."""
    texts = widget_texts(view)
    for tree in view.findChildren(QTreeWidget):
        texts += _tree_texts(tree)
    for table in view.findChildren(QTableWidget):
        texts += _table_texts(table)
    return texts


def english_in(view: QWidget, names: set[str]) -> list[str]:
    texts = all_texts(view)
    found = {f"{where}: {bad!r} in {text!r}" for where, text in texts for bad in english_left(text, names)}
    return sorted(found)


def _unserved_row(view: RoutesView, point_id: str) -> QTreeWidgetItem:
    rows = [view.unserved.topLevelItem(i) for i in range(view.unserved.topLevelItemCount())]
    return next(row for row in rows if row.text(0).split()[0] == point_id)


def test_a_route_plan_with_unserved_visits_and_notes_reads_in_chinese(
    qtbot: Any, chinese: None, runner: JobRunner
) -> None:
    net = troubled_network()
    doc = NetworkDocument(net)
    view = RoutesView(doc, runner)
    qtbot.addWidget(view)
    view.show()
    view.time_limit.setValue(1)
    qtbot.mouseClick(view.plan_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: doc.current.route_plan is not None and not runner.busy, timeout=120_000)
    routes = doc.current.route_plan
    assert routes is not None and len(routes.unserved) == 3 and len(routes.notes) >= 2
    qtbot.waitUntil(lambda: view.unserved.topLevelItemCount() == 3)
    # the detail and the fix of each unserved visit, and the routing's notes, in Chinese
    short = _unserved_row(view, "SHORT")
    assert short.text(3) == "营业时间 08:00-08:06，短于其 20 分钟的作业时间"
    assert short.text(4) == "营业时间至少 20 分钟（回收点：开门/关门时间），或缩短作业时间"
    assert view.notes.isVisible() and "OFTEN：每周 9 次访问超出 6 个工作日；按 6 规划" in view.notes.text()
    assert "次访问中完成" in view.totals.text()  # the routing's own message: "每周 b 次访问中完成 a 次..."
    names = names_of(net)
    problems = english_in(view, names)
    assert not problems, "\n".join(problems)
    assert len(all_texts(view)) > 40, "the walk reached the trees"
    # switching the language renders the same messages in English: the check can fail
    i18n.set_language("en")
    fresh = _unserved_row(view, "SHORT")
    assert fresh.text(3) == "open 08:00-08:06, shorter than its 20 min service"
    assert "OFTEN: 9 visits a week do not fit 6 working days; planned 6" in view.notes.text()
    assert len(english_in(view, names)) > 5


def _type_factors(qtbot: Any, view: SweepView, text: str) -> None:
    view.factors.setFocus()
    view.factors.selectAll()
    qtbot.keyClick(view.factors, Qt.Key.Key_Delete)
    qtbot.keyClicks(view.factors, text)


def test_a_sweep_with_a_failed_scenario_and_a_break_even_search_reads_in_chinese(
    qtbot: Any, chinese: None, runner: JobRunner
) -> None:
    net = one_site()
    view = SweepView(NetworkDocument(net), runner)
    qtbot.addWidget(view)
    view.show()
    _type_factors(qtbot, view, "copper_price=40000,80000")
    view.workers.setValue(1)
    view.stochastic.setChecked(True)
    with qtbot.waitSignal(view.finished, timeout=180_000):
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    result = view.result
    assert result is not None and len(result.scenarios) == 2 and result.stochastic is not None
    names = names_of(net)
    problems = english_in(view, names)
    assert not problems, "\n".join(problems)
    assert "两阶段设计" in view.summary.text()
    # a scenario that failed, and a break-even search that found no price (it still opens at the floor)
    options = SolveOptions(threads=1)
    nothing = typing.cast(Network, None)
    broken = run_task(SolveTask("scenario:1", nothing, options, {"copper_price": 80_000.0}))
    floor = run_task(BreakEvenTask("break_even:S1", net, options, "S1", 60_000.0, 75_000.0, 100.0))
    assert isinstance(broken, ScenarioResult) and floor.status == "opens_at_floor"
    shown = dataclasses.replace(result, scenarios=(result.scenarios[0], broken), break_even=(floor,))
    view.show_result(shown)
    said = "1 个情景没有方案；第一个（copper_price=80000）：该情景求解出错：AttributeError"
    assert said in view.summary.text()
    price = view.robustness.item(0, 3)
    assert price is not None and price.toolTip() == "铜价 60,000 元/吨铜时 S1 仍然开设"
    # the error's own words are Python's (a bug's): everything else is Chinese
    problems = [p for p in english_in(view, names) if "AttributeError" not in p]
    assert not problems, "\n".join(problems)
    i18n.set_language("en")
    view.show_result(shown)
    assert view.robustness.item(0, 3).toolTip() == "S1 still opens at 60,000 CNY/t Cu"
    assert "the first, copper_price=80000: the scenario failed: AttributeError" in view.summary.text()


def test_a_bad_factor_is_explained_in_chinese(qtbot: Any, chinese: None, runner: JobRunner) -> None:
    view = SweepView(NetworkDocument(one_site()), runner)
    qtbot.addWidget(view)
    view.show()
    _type_factors(qtbot, view, "colour=1,2")
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert view.status.text().startswith("无法运行：未知因素“colour”；应为以下之一：")
    assert not runner.busy
    _type_factors(qtbot, view, "")
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert "没有因素：每行写一个，例如 copper_price=60000:90000:10000" in view.status.text()
    assert not english_left(view.status.text(), {"colour"})
