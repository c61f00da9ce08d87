"""``copperloop sweep``: JSON, the sweep workbook, and a sweep kept in the workbook's Sweeps sheet."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from optimizer.cli import main
from optimizer.io.writer import network_to_workbook, save_workbook, write_network
from optimizer.scenarios.workbook import add_sweeps_sheet, read_sweep
from tests.optimizer.scenarios.networks import one_site


def test_sweep_writes_json_and_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "tiny.xlsx"
    # a name that starts with "=" must stay text in every sheet of the sweep workbook
    write_network(one_site(name='=HYPERLINK("http://x.example","S1")'), path)
    out_json, out_xlsx = tmp_path / "sweep.json", tmp_path / "sweep.xlsx"
    code = main(
        [
            "sweep",
            str(path),
            "--factor",
            "copper_price=40000:80000:20000",
            "--workers",
            "1",
            "--tolerance",
            "200",
            "--json",
            str(out_json),
            "-o",
            str(out_xlsx),
            "--quiet",
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "Break-even copper price of S1" in printed
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert [s["factors"] for s in data["scenarios"]] == [
        {"copper_price": p} for p in (40_000, 60_000, 80_000)
    ]
    assert [s["sites_open"] for s in data["scenarios"]] == [[], ["S1"], ["S1"]]
    assert all(s["status"] == "optimal" and s["npv_cny"] is None for s in data["scenarios"])
    (b,) = data["break_even"]
    assert b["site_id"] == "S1" and abs(b["copper_price_cny_per_t_cu"] - 50_000) <= 200
    wb = openpyxl.load_workbook(out_xlsx)
    assert wb.sheetnames == [
        "Sweep",
        "Scenarios",
        "Robustness",
        "Break-even",
        "Tornado",
        "Fixed prices",
        "Sweeps",
    ]
    names = [c for row in wb["Robustness"].iter_rows() for c in row if str(c.value).startswith("=HYPERLINK")]
    assert names and all(c.data_type == "s" for c in names)
    assert len(wb["Scenarios"]._charts) == 1 and len(wb["Tornado"]._charts) == 1


def test_sweep_reads_its_definition_from_the_sweeps_sheet(tmp_path: Path) -> None:
    wb = network_to_workbook(one_site())
    add_sweeps_sheet(wb, [("copper_price", "60000,80000"), ("#tornado_pct", "0"), ("#stochastic", "no")])
    path = tmp_path / "with_sweep.xlsx"
    save_workbook(wb, path)
    definition, issues = read_sweep(path)
    assert issues == [] and definition is not None
    assert definition.factors[0].values == (60_000.0, 80_000.0) and definition.tornado_pct == 0
    out_json = tmp_path / "sweep.json"
    assert (
        main(["sweep", str(path), "--workers", "1", "--no-break-even", "--json", str(out_json), "--quiet"])
        == 0
    )
    assert len(json.loads(out_json.read_text(encoding="utf-8"))["scenarios"]) == 2


def test_a_bad_sweeps_row_is_reported_at_its_cell(tmp_path: Path) -> None:
    wb = network_to_workbook(one_site())
    add_sweeps_sheet(wb, [("copper_price", "60000"), ("colour", "1,2")])
    path = tmp_path / "bad_sweep.xlsx"
    save_workbook(wb, path)
    _, issues = read_sweep(path)
    assert [str(i.cell) for i in issues] == ["Sweeps!B3"] and 'unknown factor "colour"' in issues[0].message


def test_bad_factor_and_no_factor_are_user_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "tiny.xlsx"
    write_network(one_site(), path)
    assert main(["sweep", str(path), "--factor", "colour=1,2", "--quiet"]) == 2
    assert 'unknown factor "colour"' in capsys.readouterr().err
    assert main(["sweep", str(path), "--quiet"]) == 2
    assert "no Sweeps sheet" in capsys.readouterr().err


def test_a_workbook_with_periods_is_swept_over_its_years(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.optimizer.scenarios.networks import two_years

    path = tmp_path / "years.xlsx"
    write_network(two_years(), path)
    out_json, out_xlsx = tmp_path / "sweep.json", tmp_path / "sweep.xlsx"
    args = ["sweep", str(path), "--factor", "copper_price=40000,60000", "--workers", "1", "--quiet"]
    assert main([*args, "--no-break-even", "--json", str(out_json), "-o", str(out_xlsx)]) == 0
    printed = capsys.readouterr().out
    assert "planned over 2025-2026" in printed and "NPV 349,000" in printed
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert [s["npv_cny"] for s in data["scenarios"]] == pytest.approx([0.0, 349_000.0], abs=1e-3)
    assert data["tornado"][0]["kpi"] == "npv_cny"
    # --single-year plans one period (2026: 125 t), with no NPV
    assert main([*args, "--no-break-even", "--single-year", "2026", "--json", str(out_json)]) == 0
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert [s["npv_cny"] for s in data["scenarios"]] == [None, None]
    assert data["scenarios"][1]["profit_cny"] == pytest.approx(125 * 5_960 - 496_000, abs=1e-3)
    capsys.readouterr()
    assert main([*args, "--single-year", "2031"]) == 2
    assert "no period of the Periods sheet holds that year" in capsys.readouterr().err


def test_single_year_on_a_workbook_without_periods_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tiny.xlsx"
    write_network(one_site(), path)
    assert main(["sweep", str(path), "--factor", "copper_price=60000", "--single-year", "2026"]) == 2
    assert "has no Periods sheet" in capsys.readouterr().err
