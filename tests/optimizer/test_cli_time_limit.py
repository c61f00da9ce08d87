"""``copperloop solve --time-limit T`` counts reading and checking the workbook in T: the solver gets
what the read left (``plan.options.time_limit_s`` in the plan JSON), never less than 1 s."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from optimizer.cli import main
from optimizer.commands.solve import MIN_SOLVE_S
from optimizer.io import write_network
from tests.optimizer.design.test_multiyear import one_center
from tests.optimizer.test_cli_solve import workbook
from tests.optimizer.tiny_networks import one_yard_two_centers


def _solve(args: list[str]) -> tuple[int, float]:
    started = time.monotonic()
    code = main(args)
    return code, time.monotonic() - started


def test_the_solver_gets_the_time_limit_minus_the_read(tmp_path: Path) -> None:
    path = workbook(tmp_path, one_yard_two_centers())
    out_json = tmp_path / "plan.json"
    code, wall_s = _solve(["solve", str(path), "--time-limit", "50", "--json", str(out_json), "--quiet"])
    assert code == 0
    given = json.loads(out_json.read_text(encoding="utf-8"))["options"]["time_limit_s"]
    # the read took some time (more than nothing, less than the whole command)
    assert 50 - wall_s - 0.1 <= given < 50  # rounded down to a tenth of a second


def test_a_multi_year_solve_gets_the_time_limit_minus_the_read(tmp_path: Path) -> None:
    path = tmp_path / "net.xlsx"
    write_network(one_center(), path)
    out_json = tmp_path / "plan.json"
    code, wall_s = _solve(["solve", str(path), "--time-limit", "40", "--json", str(out_json), "--quiet"])
    assert code == 0
    given = json.loads(out_json.read_text(encoding="utf-8"))["options"]["time_limit_s"]
    assert 40 - wall_s - 0.1 <= given < 40


def test_a_read_longer_than_the_limit_leaves_the_solver_its_minimum_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = workbook(tmp_path, one_yard_two_centers())
    out_json = tmp_path / "plan.json"
    # no workbook reads in a microsecond
    code = main(["solve", str(path), "--time-limit", "0.000001", "--json", str(out_json), "--quiet"])
    assert code == 0
    assert json.loads(out_json.read_text(encoding="utf-8"))["options"]["time_limit_s"] == MIN_SOLVE_S
    assert "reading the workbook took" in capsys.readouterr().err
