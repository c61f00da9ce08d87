"""The Sweep tab: type factors, press Run, watch it finish in the background, read the chart and the
site-robustness table (with the break-even price found by bisection), and export the workbook."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt

from app.document import NetworkDocument
from app.jobs import JobRunner
from app.views.sweep import SweepView
from tests.optimizer.scenarios.networks import one_site


@pytest.fixture
def view(qtbot: Any) -> Iterator[SweepView]:
    runner = JobRunner()
    widget = SweepView(NetworkDocument(one_site()), runner)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    runner.cancel()
    runner.wait_idle(30)
    runner.shutdown()


def _type_factors(qtbot: Any, view: SweepView, text: str) -> None:
    view.factors.setFocus()
    view.factors.selectAll()
    qtbot.keyClick(view.factors, Qt.Key.Key_Delete)
    for i, line in enumerate(text.split("\n")):
        if i:
            qtbot.keyClick(view.factors, Qt.Key.Key_Return)
        qtbot.keyClicks(view.factors, line)


def test_a_sweep_runs_in_the_background_and_fills_chart_and_robustness(
    qtbot: Any, view: SweepView, tmp_path: Path
) -> None:
    _type_factors(qtbot, view, "copper_price=40000:80000:20000")
    view.workers.setValue(1)
    with qtbot.waitSignal(view.finished, timeout=120_000):
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
        assert not view.run_button.isEnabled() and view.cancel_button.isEnabled()
    assert view.run_button.isEnabled() and not view.cancel_button.isEnabled()
    xs, ys = view.series()
    assert xs == [40_000.0, 60_000.0, 80_000.0]
    # 0 below the break-even price; 100 x (0.1 P - 40) - 496,000 above it (tests/optimizer/scenarios)
    assert ys == pytest.approx([0.0, 100 * (6_000 - 40) - 496_000, 100 * (8_000 - 40) - 496_000], abs=1e-3)
    assert view.robustness.rowCount() == 1
    assert view.robustness.item(0, 2).text() == "2 / 3"
    price = float(view.robustness.item(0, 3).text().replace(",", ""))
    assert abs(price - 50_000) <= 100
    view.export(str(tmp_path / "sweep.xlsx"))
    assert "Robustness" in openpyxl.load_workbook(tmp_path / "sweep.xlsx").sheetnames


def test_a_bad_factor_is_explained_and_nothing_starts(qtbot: Any, view: SweepView) -> None:
    _type_factors(qtbot, view, "colour=1,2")
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert 'unknown factor "colour"' in view.status.text()
    assert view.run_button.isEnabled() and not view.runner.busy


def test_the_window_shows_each_site_s_break_even_price_in_its_map_tooltip(qtbot: Any) -> None:
    from app.main_window import MainWindow

    window = MainWindow(NetworkDocument(one_site()))
    window.show()
    try:
        window.show_view("sweep")
        view = window.sweep_view
        _type_factors(qtbot, view, "copper_price=60000,80000")
        view.workers.setValue(1)
        with qtbot.waitSignal(view.finished, timeout=120_000):
            qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
        tip = window.map_view._tip(0.0, 0.0, "S1")
        price = float(tip.rsplit(": ", 1)[1].split()[0].replace(",", ""))
        assert abs(price - 50_000) <= 100
    finally:
        window.runner.cancel()
        window.runner.wait_idle(30)
        window.doc.undo_stack.setClean()
        window.close()


def test_the_scenario_comparison_says_which_fixed_prices_a_copper_price_change_left() -> None:
    import dataclasses

    from app.views.scenarios import input_differences
    from optimizer.scenarios.factors import apply_factor

    base = one_site()
    fixed = base.replace(
        smelters=(dataclasses.replace(base.smelters[0], price_basis="fixed", price_cny_per_t_cu=73_300.0),)
    )
    lines = input_differences(fixed, apply_factor(fixed, "copper_price", 60_000.0))
    assert any("1 smelter price(s), 0 purchase price(s)" in line for line in lines)
    assert not any(
        "fixed" in line for line in input_differences(base, apply_factor(base, "copper_price", 6e4))
    )


def test_a_network_with_periods_is_swept_over_its_years_and_charts_npv(qtbot: Any) -> None:
    from tests.optimizer.scenarios.networks import two_years

    runner = JobRunner()
    view = SweepView(NetworkDocument(two_years()), runner)
    qtbot.addWidget(view)
    view.show()
    try:
        assert view.horizon.isEnabled()
        assert [view.horizon.itemText(i) for i in range(view.horizon.count())] == [
            "all years, 2025–2026 (NPV)",
            "2025 only (one-year plan)",
            "2026 only (one-year plan)",
        ]
        _type_factors(qtbot, view, "copper_price=40000,60000")
        view.workers.setValue(1)
        view.break_even.setChecked(False)
        with qtbot.waitSignal(view.finished, timeout=120_000):
            qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
        assert view.kpi.currentText() == "NPV (CNY)"
        xs, ys = view.series()
        assert xs == [40_000.0, 60_000.0] and ys == pytest.approx([0.0, 349_000.0], abs=1e-3)
        assert "NPV 686,500" in view.summary.text()  # the base, 75,000: 225 x 7,460 - 2 x 496,000
        # Plan: 2026 only (keyboard: two steps down), a one-year sweep charting profit again
        view.horizon.setFocus()
        qtbot.keyClick(view.horizon, Qt.Key.Key_Down)
        qtbot.keyClick(view.horizon, Qt.Key.Key_Down)
        assert view.single_year() == 2026
        with qtbot.waitSignal(view.finished, timeout=120_000):
            qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
        assert view.kpi.currentText() == "Profit (CNY/yr)"
        _, ys = view.series()
        assert ys == pytest.approx([0.0, 125 * 5_960 - 496_000], abs=1e-3)
    finally:
        runner.cancel()
        runner.wait_idle(30)
        runner.shutdown()


def test_the_screenshot_of_the_sweep_view_runs_a_sweep_first(qtbot: Any, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from app.launch import SCREENSHOT_SWEEP, _sweep_first
    from app.main_window import MainWindow

    window = MainWindow(NetworkDocument(one_site()))
    window.resize(1366, 768)
    window.show()
    try:
        window.sweep_view.workers.setValue(1)
        assert _sweep_first(window)
        result = window.sweep_view.result
        assert result is not None and window.sweep_view.factors.toPlainText() == SCREENSHOT_SWEEP
        assert [s.factors["copper_price"] for s in result.scenarios] == [60_000, 70_000, 80_000, 90_000]
        (b,) = result.break_even
        assert abs(b.copper_price_cny_per_t_cu - 50_000) <= 100  # type: ignore[operator]
    finally:
        window.doc.undo_stack.setClean()
        window.close()
        window.runner.shutdown()
    # copperloop gui --size takes WIDTHxHEIGHT and says so otherwise
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "optimizer",
            "gui",
            "x.xlsx",
            "--screenshot",
            str(tmp_path / "s.png"),
            "--size",
            "big",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "expected WIDTHxHEIGHT" in bad.stderr


def test_the_sweep_definition_is_saved_with_the_project_and_read_back(qtbot: Any, tmp_path: Path) -> None:
    from app.main_window import MainWindow
    from optimizer.scenarios.workbook import read_sweep

    path = tmp_path / "project.xlsx"
    window = MainWindow(NetworkDocument(one_site()))
    window.show()
    try:
        view = window.sweep_view
        _type_factors(qtbot, view, "copper_price=60000:80000:10000\nunavailable=none,S1")
        view.stochastic.setChecked(True)
        assert window.save_to(path)
    finally:
        window.doc.undo_stack.setClean()
        window.close()
        window.runner.shutdown()
    definition, issues = read_sweep(path)
    assert issues == [] and definition is not None and definition.stochastic
    assert [(f.name, f.values) for f in definition.factors] == [
        ("copper_price", (60_000.0, 70_000.0, 80_000.0)),
        ("unavailable", ("none", "S1")),
    ]
    reopened = MainWindow()
    reopened.show()
    try:
        reopened.open_path(path, ask=False)
        reopened.runner.wait_idle(30)
        qtbot.waitUntil(lambda: reopened.doc.path == path, timeout=30_000)
        view = reopened.sweep_view
        assert view.factors.toPlainText() == "copper_price=60000,70000,80000\nunavailable=none,S1"
        assert view.stochastic.isChecked()
    finally:
        reopened.doc.undo_stack.setClean()
        reopened.close()
        reopened.runner.shutdown()
