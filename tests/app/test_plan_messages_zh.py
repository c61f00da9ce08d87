"""A plan's messages reach the screen in the UI language from their codes, never by matching English.

A multi-year plan whose years, planned one at a time, prove its gap (status ``feasible``, but not stopped
at the time limit) says so in Chinese in the Solve panel and the Results view; the English template
matcher of ``optimizer.report.translate`` is made to fail if anything calls it. A project saved before
plans carried message codes (its plans' messages as English text only) still opens with its plans.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.i18n import set_language
from app.main_window import MainWindow
from optimizer import (
    PlanStatus,
    ProjectState,
    SavedPlan,
    SolveOptions,
    network_fingerprint,
    solve,
    write_network,
    write_project,
)
from optimizer.report import translate
from tests.app.helpers import open_in
from tests.optimizer.design.test_plan_messages import BOUNDED_ZH, bounded_plan, old_style


def _no_template_matching(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(message: str, lang: str) -> str:
        raise AssertionError(f"a plan message was matched against English templates: {message!r}")

    monkeypatch.setattr(translate, "translate", refuse)


def test_a_bounded_multi_year_plan_says_its_proven_gap_in_chinese(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    network, plan = bounded_plan(monkeypatch)
    path = tmp_path / "one_center.xlsx"
    write_network(network, path)
    open_in(window, path)
    _no_template_matching(monkeypatch)
    window.doc.set_plan(plan, window.doc.network)
    window.show_view("results")
    try:
        set_language("zh")
        result = window.solve_panel.result.text()
        explanation = window.results_view.explanation.text()
        assert BOUNDED_ZH in result, result
        assert BOUNDED_ZH in explanation, explanation
        assert "在时间限制" not in result + explanation, "it did not stop at the time limit"
    finally:
        set_language("en")
    assert "within a proven gap of" in window.solve_panel.result.text()
    assert "within a proven gap of" in window.results_view.explanation.text()


def test_a_project_saved_with_plans_in_english_only_opens_with_them(
    window: MainWindow, sample_dir: Path, tmp_path: Path
) -> None:
    """The plan JSON of a project saved before message codes: ``message`` and the notes as text."""
    open_in(window, sample_dir / "teaching.xlsx")
    network = window.doc.network.replace(periods=(), growth=())
    plan = solve(network, SolveOptions(time_limit_s=30, k_nearest=2))
    assert plan.status is PlanStatus.OPTIMAL and plan.notes
    old = json.dumps(old_style(plan.to_dict()))
    assert "status_message" not in old
    state = ProjectState((SavedPlan("Base", "plan", 0, old, network_fingerprint(network), "solve"),), "Base")
    path = tmp_path / "old_project.xlsx"
    write_project(path, network, [], base_name="Base", state=state)

    reopened = MainWindow()
    try:
        reopened.show()
        open_in(reopened, path)
        restored = reopened.doc.plan
        assert restored is not None and restored.status is PlanStatus.OPTIMAL
        assert restored.kpis == plan.kpis and restored.message == plan.message
        assert restored.note_texts() == plan.note_texts()
        assert not reopened.doc.current.plan_stale
        assert reopened.map_view.flow_items, "the restored plan is drawn"
        reopened.show_view("results")
        set_language("zh")
        # the status line is built from the plan's status and gap, so it reads in Chinese even though
        # the old file's sentence has no code
        assert "最优" in reopened.solve_panel.result.text()
    finally:
        set_language("en")
        reopened.doc.undo_stack.setClean()
        reopened.close()


def test_a_message_quoting_a_less_than_sign_is_shown_whole(window: MainWindow) -> None:
    """The explanation is rich text: a solver's words "x <= 1 < y" must not be read as a tag."""
    import dataclasses

    from PySide6.QtGui import QTextDocument

    from optimizer import message

    plan = solve(window.doc.network, SolveOptions(time_limit_s=20))
    failed = dataclasses.replace(
        plan, status=PlanStatus.ERROR, status_message=message("status.error_because", why="x <= 1 < y")
    )
    window.doc.set_plan(failed, window.doc.network)
    window.show_view("results")
    shown = QTextDocument()
    shown.setHtml(window.results_view.explanation.text())
    assert "the solver failed: x <= 1 < y" in shown.toPlainText()
