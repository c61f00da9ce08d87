"""Plans saved with their scenarios in the project workbook's hidden sheet, read back as saved."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from openpyxl import load_workbook

from optimizer import SolveOptions, example_network, solve
from optimizer.design.plan import Plan
from optimizer.io.scenarios import (
    PLANS_SHEET,
    ProjectState,
    SavedPlan,
    network_fingerprint,
    read_project_state,
    read_scenarios,
    write_project,
)


def test_plans_round_trip_through_a_hidden_text_sheet(tmp_path: Path) -> None:
    base = example_network()
    plan = solve(base, SolveOptions(time_limit_s=20))
    text = plan.to_json(indent=None)
    big = "x" * 70_000  # longer than one cell holds: split over rows and joined again
    state = ProjectState(
        plans=(
            SavedPlan("=HYPERLINK(\"http://x\")", "plan", 0, text, network_fingerprint(base), "solve"),
            SavedPlan("Other", "pareto", 2, big, "abc", "sweep"),
        ),
        current="Other",
        compared=("=HYPERLINK(\"http://x\")", "Other"),
    )
    path = tmp_path / "project.xlsx"
    write_project(path, base, [("Other", base)], base_name="=HYPERLINK(\"http://x\")", state=state)

    back, issues = read_project_state(path)
    assert issues == []
    assert back == state
    assert Plan.from_json(back.plans[0].data).to_dict() == plan.to_dict()
    assert read_scenarios(path)[0] == [("Other", base)]
    wb = load_workbook(path)
    ws = wb[PLANS_SHEET]
    assert ws.sheet_state == "hidden"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row), "text, never a formula"


def test_equal_networks_have_equal_fingerprints_and_an_edit_changes_it() -> None:
    net = example_network()
    assert network_fingerprint(net) == network_fingerprint(example_network())
    cheaper = net.replace(parameters=dataclasses.replace(net.parameters, copper_price_cny_per_t=1.0))
    assert network_fingerprint(cheaper) != network_fingerprint(net)


def test_a_workbook_without_plans_has_an_empty_state(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    write_project(path, example_network(), [])
    assert read_project_state(path) == (ProjectState(), [])


def test_a_plan_saved_before_message_codes_reads_back_from_the_project(tmp_path: Path) -> None:
    """A project saved before plans carried message codes: the status message and notes as English text
    only. It opens, and the plan reads with its figures, its words and a status it can say in Chinese."""
    import json

    from tests.optimizer.design.test_plan_messages import old_style

    base = example_network()
    plan = solve(base, SolveOptions(time_limit_s=20, k_nearest=2))
    old = json.dumps(old_style(plan.to_dict()), ensure_ascii=False)
    assert "status_message" not in old and '"code"' not in old
    state = ProjectState((SavedPlan("Base", "plan", 0, old, network_fingerprint(base), "solve"),), "Base")
    path = tmp_path / "old.xlsx"
    write_project(path, base, [], state=state)
    back, issues = read_project_state(path)
    assert issues == []
    restored = Plan.from_json(back.plans[0].data)
    assert restored.kpis == plan.kpis and restored.sites == plan.sites
    assert restored.message == plan.message and restored.note_texts() == plan.note_texts()
    assert restored.status_message == plan.status_message  # a plain status, recognised from the figures
    assert restored.status_message.render("zh") != plan.message
