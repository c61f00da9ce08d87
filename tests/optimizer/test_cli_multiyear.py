"""``copperloop solve`` on a workbook with a Periods sheet: the build schedule first, then NPV, IRR, payback.

The network is :func:`tests.optimizer.design.test_multiyear.one_center`: S1 is built for 2026, when
supply triples (NPV 38,000 CNY at a 0 % discount rate).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optimizer.cli import main
from optimizer.io import write_network
from tests.optimizer.design.test_multiyear import one_center


def test_solve_plans_over_the_periods(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "net.xlsx"
    write_network(one_center(), path)
    out_json, out_xlsx = tmp_path / "plan.json", tmp_path / "plan.xlsx"
    assert main(["solve", str(path), "--json", str(out_json), "-o", str(out_xlsx), "--quiet"]) == 0
    printed = capsys.readouterr().out
    schedule = printed.index("Build schedule:")
    assert schedule < printed.index("NPV") < printed.index("Last year")
    assert "2026: build S1, module M (1,000 t/yr, capex 0.0 M CNY)" in printed
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["npv_cny"] == pytest.approx(38_000.0)
    assert [b["year"] for b in data["builds"]] == [2026]
    assert [p["year"] for p in data["periods"]] == [2025, 2026]
    assert out_xlsx.exists()


def test_single_year_solves_one_period_as_today(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """2026 alone (3 x supply, annualised fixed cost 9,000): 300 x 360 - 9,000 = 99,000 CNY profit."""
    path = tmp_path / "net.xlsx"
    write_network(one_center(), path)
    out_json = tmp_path / "plan.json"
    assert main(["solve", str(path), "--single-year", "2026", "--json", str(out_json), "--quiet"]) == 0
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["objective"] == pytest.approx(99_000.0)
    assert data["npv_cny"] is None and data["builds"][0]["site_id"] == "S1"
    assert main(["solve", str(path), "--single-year", "2031", "--quiet"]) == 2
    assert "no period" in capsys.readouterr().err


def test_npv_needs_periods(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "net.xlsx"
    write_network(one_center().replace(periods=()), path)
    assert main(["solve", str(path), "--objective", "npv", "--quiet"]) == 2
    assert "Periods" in capsys.readouterr().err
