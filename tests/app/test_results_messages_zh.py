"""The Results view renders the solver's explanation in the UI language: after an infeasible solve the
shortfall details are shown in Chinese too (they were shown to English readers only), and switching
the language back renders them in English again."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from app.i18n import set_language
from app.main_window import MainWindow
from optimizer import Objective
from optimizer.design.plan import PlanStatus
from tests.app.helpers import open_in, wait_idle

#: Two or more English words in a row: a sentence, not an id or a unit.
ENGLISH = re.compile(r"[A-Za-z][A-Za-z'\-]+(?:[ ,;:()]+[A-Za-z][A-Za-z'\-]+)+")


def _visible_text(html: str, names: list[str]) -> str:
    text = re.sub(r"<[^>]+>", " ", html)
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    return text


def test_the_shortfall_details_read_in_chinese(window: MainWindow, sample_dir: Path) -> None:
    open_in(window, sample_dir / "teaching.xlsx")
    net = window.doc.network
    window.doc.apply(
        net.replace(parameters=dataclasses.replace(net.parameters, max_new_sites=0, annual_budget_cny=1.0)),
        "tighten",
    )
    panel = window.solve_panel
    panel.years.setCurrentIndex(1)
    panel.objective.setCurrentIndex(panel.objective.findData(Objective.COST.value))
    panel.target_on.setChecked(True)
    panel.target.setValue(99.0)
    assert panel.solve()
    wait_idle(window)
    plan = window.doc.plan
    assert plan is not None and plan.status is PlanStatus.INFEASIBLE and plan.infeasibility
    window.show_view("results")
    names = [n.id for n in net.nodes()] + [n.name for n in net.nodes()] + ["CNY", "t Cu", "M"]
    try:
        set_language("zh")
        zh = window.results_view.explanation.text()
        assert "最多可达" in zh  # "best reachable", from the shortfall detail
        assert ENGLISH.findall(_visible_text(zh, names)) == []
    finally:
        set_language("en")
    en = window.results_view.explanation.text()
    assert "best reachable" in en
