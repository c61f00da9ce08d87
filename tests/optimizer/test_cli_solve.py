"""``copperloop solve``: prints the plan, writes JSON and a workbook, and exits with a meaningful status."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from optimizer.cli import main
from optimizer.design.plan import Plan, PlanStatus
from optimizer.io import write_network
from optimizer.model import Network, VehicleType
from tests.optimizer.tiny_networks import one_yard_two_centers


def workbook(tmp_path: Path, network: Network) -> Path:
    path = tmp_path / "net.xlsx"
    write_network(network.replace(vehicle_types=(VehicleType("T9", "truck", 9.0, 650.0, 2.4),)), path)
    return path


def test_solve_prints_the_summary_and_writes_json_and_a_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = workbook(tmp_path, one_yard_two_centers())
    out_json, out_xlsx = tmp_path / "plan.json", tmp_path / "plan.xlsx"
    code = main(["solve", str(path), "--gap", "0", "--json", str(out_json), "-o", str(out_xlsx), "--quiet"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "OPTIMAL" in printed and "31,100" in printed and "S1" in printed
    plan = Plan.from_json(out_json.read_text(encoding="utf-8"))
    assert plan.status is PlanStatus.OPTIMAL
    assert plan.objective == pytest.approx(31_100.0)
    assert plan.assignments[0].primary_destination_id == "S1"
    book = openpyxl.load_workbook(out_xlsx, read_only=True)
    assert {"Summary", "Sites", "Flows"} <= set(book.sheetnames)


def test_cost_objective_without_a_target_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = workbook(tmp_path, one_yard_two_centers())
    assert main(["solve", str(path), "--objective", "cost", "--quiet"]) == 2
    assert "--target" in capsys.readouterr().err


def test_infeasible_requirements_exit_3_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = workbook(tmp_path, one_yard_two_centers(smelter_capacity_t=40.0))
    code = main(["solve", str(path), "--objective", "cost", "--target", "0.6", "--quiet", "--solver", "cbc"])
    assert code == 3
    assert "smelter intake capacity is 20 t short of the 60.0% target" in capsys.readouterr().out


def test_pareto_sweep_writes_every_point(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = workbook(tmp_path, one_yard_two_centers())
    out_json = tmp_path / "sweep.json"
    assert main(["solve", str(path), "--pareto", "3", "--json", str(out_json), "--quiet"]) == 0
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert len(data["plans"]) == 3
    assert "3 of 3 trade-off points solved" in capsys.readouterr().out


def test_bad_option_values_are_user_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = workbook(tmp_path, one_yard_two_centers())
    assert main(["solve", str(path), "--target", "1.5"]) == 2
    assert "target utilization must be between 0 and 1" in capsys.readouterr().err
