"""The ``copperloop`` command line, run in-process through ``optimizer.cli.main`` (and once as a process).

Workbooks are real files: a valid one written by ``write_network`` and the broken ones in tests/data
(built by tests/data/make_broken.py), each named after its defect.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from optimizer import cli
from optimizer.io import read_network, write_network
from optimizer.model import Network
from tests.optimizer.networks import small_network

DATA = Path(__file__).resolve().parents[1] / "data"
REPO = Path(__file__).resolve().parents[2]


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def valid_xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "valid.xlsx"
    write_network(small_network(), path)
    return path


# --- the framework ---------------------------------------------------------------------------------


def test_no_arguments_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys)
    assert code == 0
    assert "usage: copperloop" in out
    for command in ("validate", "template", "info"):
        assert command in out


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "--help")
    assert code == 0
    assert "COMMAND" in out


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "frobnicate")
    assert code == 2
    assert "invalid choice" in err
    assert "Traceback" not in err


def test_every_command_module_provides_register_and_run() -> None:
    import importlib

    for name in cli.COMMAND_MODULES:
        module = importlib.import_module(name)
        assert callable(module.register) and callable(module.run), name


def test_a_bug_prints_one_line_and_a_log_with_the_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    crashing = "tests.optimizer.cli_crashing_command"
    monkeypatch.setattr(cli, "COMMAND_MODULES", [*cli.COMMAND_MODULES, crashing])
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    code, out, err = run_cli(capsys, "crash")
    assert code == 1
    assert "Traceback" not in out + err
    assert "KeyError" in err and "bug" in err
    logs = list((tmp_path / "copperloop").glob("crash-*.log"))
    assert len(logs) == 1
    assert str(logs[0]) in err
    log = logs[0].read_text(encoding="utf-8")
    assert "Traceback" in log and "'unplanned'" in log and "crash" in log


# --- validate --------------------------------------------------------------------------------------


def test_validate_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, "validate", str(tmp_path / "nowhere.xlsx"))
    assert code == 2
    assert err.strip() == f'copperloop: error: "{tmp_path / "nowhere.xlsx"}": file not found'
    assert out == ""


def test_validate_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "validate", str(tmp_path))
    assert code == 2
    assert "is a folder" in err


def test_validate_valid_workbook(capsys: pytest.CaptureFixture[str], valid_xlsx: Path) -> None:
    code, out, err = run_cli(capsys, "validate", str(valid_xlsx))
    assert (code, err) == (0, "")
    assert out.strip() == "valid.xlsx is valid (0 errors, 0 warnings)"


def test_validate_chinese_summary(capsys: pytest.CaptureFixture[str], valid_xlsx: Path) -> None:
    code, out, _ = run_cli(capsys, "validate", "--lang", "zh", str(valid_xlsx))
    assert code == 0
    assert out.strip() == "valid.xlsx：有效（0 个错误，0 个警告）"


def _write(network: Network, path: Path) -> Path:
    write_network(network, path)
    return path


def test_validate_warnings_only_exits_zero(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    net = small_network()
    net = net.replace(parameters=replace(net.parameters, circuity_factor=0.9))
    code, out, _ = run_cli(capsys, "validate", str(_write(net, tmp_path / "w.xlsx")))
    lines = out.strip().splitlines()
    assert code == 0
    assert lines[0].startswith("warning: Parameters!")
    assert "circuity factor of the parameters is 0.9" in lines[0]
    assert lines[-1] == "w.xlsx is valid (0 errors, 1 warning)"


def test_validate_errors_then_warnings_then_summary(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    net = small_network()
    net = net.replace(
        collection_points=(net.collection_points[0], replace(net.collection_points[1], lat=95.0)),
        parameters=replace(net.parameters, circuity_factor=0.9, target_utilization=1.5),
    )
    code, out, _ = run_cli(capsys, "validate", str(_write(net, tmp_path / "e.xlsx")))
    lines = out.strip().splitlines()
    assert code == 2
    assert lines[0].startswith("CollectionPoints!")
    assert 'latitude of collection point "CP-2" is 95' in lines[0]
    assert lines[1].startswith("Parameters!") and "target utilization" in lines[1]
    assert lines[2].startswith("warning: Parameters!") and "circuity" in lines[2]
    assert lines[3] == "e.xlsx: 2 errors, 1 warning"


def test_validate_chinese_workbook_names_chinese_sheets(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    net = small_network()
    cp = net.collection_points[1]
    negative = replace(cp, supplies=(replace(cp.supplies[0], supply_t_per_year=-5.0),))
    path = tmp_path / "zh.xlsx"
    write_network(net.replace(collection_points=(net.collection_points[0], negative)), path, lang="zh")
    code, out, _ = run_cli(capsys, "validate", "--lang", "zh", str(path))
    assert code == 2
    assert out.splitlines() == [
        '供应量!C5: 回收点 "CP-2" 的等级 "NO2" 供应量为 -5 吨/年；应 >= 0',
        "zh.xlsx：1 个错误，0 个警告",
    ]


# --- template --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_template_writes_a_workbook_that_reads_back(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str
) -> None:
    out_path = tmp_path / f"template_{lang}.xlsx"
    code, out, _ = run_cli(capsys, "template", "--lang", lang, str(out_path))
    assert code == 0
    assert str(out_path) in out
    result = read_network(out_path)
    assert [i for i in result.issues if i.is_error] == []


def test_template_refuses_to_overwrite(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_path = tmp_path / "mine.xlsx"
    out_path.write_bytes(b"precious")
    code, _, err = run_cli(capsys, "template", str(out_path))
    assert code == 2
    assert "already exists" in err and "--force" in err
    assert out_path.read_bytes() == b"precious"
    code, _, _ = run_cli(capsys, "template", "--force", str(out_path))
    assert code == 0
    assert out_path.read_bytes()[:2] == b"PK"


def test_template_needs_xlsx_name(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "template", str(tmp_path / "plan.csv"))
    assert code == 2
    assert ".xlsx" in err


def test_template_into_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "template", str(tmp_path / "no" / "such" / "t.xlsx"))
    assert code == 2
    assert f'the folder "{tmp_path / "no" / "such"}" does not exist' in err
    assert not (tmp_path / "no").exists()  # never created


# --- info ------------------------------------------------------------------------------------------


def test_info_text(capsys: pytest.CaptureFixture[str], valid_xlsx: Path) -> None:
    code, out, err = run_cli(capsys, "info", str(valid_xlsx))
    assert (code, err) == (0, "")
    assert 'Network "valid" (valid.xlsx)' in out
    assert "Collection points  2" in out
    assert "Dismantling sites  1  (0 existing, 1 candidate, 0 closed)" in out
    assert "Sorting centers    1  (1 existing, 0 candidate, 0 closed)" in out
    # 100 t BB at 99 %, 500 t No.2 at 95 %, 50 t motors at 10 %: 99 + 475 + 5 = 579 t Cu.
    assert "Total copper contained: 579.0 t Cu/yr" in out
    bb = next(line for line in out.splitlines() if line.startswith("BB "))
    assert bb.split() == ["BB", "Bare", "bright", "99.0", "%", "100.0", "99.0"]


def test_info_json(capsys: pytest.CaptureFixture[str], valid_xlsx: Path) -> None:
    code, out, _ = run_cli(capsys, "info", "--json", str(valid_xlsx))
    assert code == 0
    facts = json.loads(out)
    assert facts["counts"] == {
        "grades": 4, "collection_points": 2, "dismantling_sites": 1, "sorting_centers": 1, "smelters": 1,
        "vehicle_types": 1,
    }
    assert facts["sites_by_status"]["sorting_centers"] == {"existing": 1, "candidate": 0, "closed": 0}
    by_grade = {g["id"]: g for g in facts["grades"]}
    assert by_grade["NO2"]["supply_t_per_year"] == pytest.approx(500.0)
    assert by_grade["NO2"]["supply_t_cu_per_year"] == pytest.approx(475.0)
    assert by_grade["MC"]["supply_t_per_year"] == 0.0
    assert facts["total_supply_t_per_year"] == pytest.approx(650.0)
    assert facts["total_copper_t_cu_per_year"] == pytest.approx(579.0)
    assert facts["issues"] == {"errors": 0, "warnings": 0}


def test_info_chinese_headers(capsys: pytest.CaptureFixture[str], valid_xlsx: Path) -> None:
    code, out, _ = run_cli(capsys, "info", "--lang", "zh", str(valid_xlsx))
    assert code == 0
    assert "回收点" in out and "供应量（吨/年）" in out and "光亮铜" in out
    assert "含铜总量：579.0 吨铜/年" in out


def test_info_on_a_workbook_with_errors_still_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "info", "--json", str(DATA / "negative_supply.xlsx"))
    assert code == 0
    facts = json.loads(out)
    assert facts["issues"] == {"errors": 1, "warnings": 0}
    assert facts["total_supply_t_per_year"] == pytest.approx(350.0 - 5.0)
    assert "1 error(s)" in err and "copperloop validate" in err


def test_info_on_unreadable_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "info", str(DATA / "not_a_workbook.xlsx"))
    assert code == 2
    assert "not_a_workbook.xlsx" in out


# --- broken workbooks ------------------------------------------------------------------------------

#: Each broken workbook and what ``copperloop validate`` must say about it: the cell (or sheet) named
#: at the start of a line, and words on that line.
BROKEN: dict[str, tuple[str, tuple[str, ...]]] = {
    "negative_supply": ("Supply!C5: ", ('of grade "NO2" at collection point "CP-2"', "-5 t/yr", ">= 0")),
    "unknown_grade_in_supply": ("Supply!B4: ", ('"MOTORS"', "not in the list of grades")),
    "duplicate_collection_point_id": ("CollectionPoints!A3: ", ('"CP-1"', "used 2 times")),
    "smelter_id_used_by_collection_point": ("Smelters!A2: ", ('"CP-2"', "also the id of a collection point")),
    "latitude_out_of_range": ("CollectionPoints!C3: ", ("latitude", '"CP-2"', "95.2", "between -90 and 90")),
    "yields_sum_above_one": ("Yields!D3: ", ('"NO2"', '"SC-1"', "add up to 1.15", "at most 1")),
    "missing_required_value": ("CollectionPoints!D3: ", ("longitude", "blank")),
    "text_in_number_column": ("Supply!C2: ", ('"lots"', "not a number")),
    "time_window_reversed": ("CollectionPoints!H2: ", ("closing hour", '"CP-1"', "is 8", "opening hour 17")),
    "candidate_without_modules": ("DismantlingSites!A2: ", ('"DS-1"', "candidate", "no capacity modules")),
    "module_of_unknown_site": ("CapacityModules!A4: ", ('"SC-9"', "not on sheet")),
    "no_smelter_accepts_any_grade": ("Smelters!G2: ", ("no copper can reach any smelter",)),
    "missing_sheet_smelters": ("", ('no "Smelters" sheet', "required")),
    "corrupt_zip": ("corrupt_zip.xlsx: ", ("not an Excel .xlsx workbook",)),
    "not_a_workbook": ("not_a_workbook.xlsx: ", ("not an Excel .xlsx workbook",)),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_validate_broken_workbook(capsys: pytest.CaptureFixture[str], name: str) -> None:
    where, words = BROKEN[name]
    code, out, err = run_cli(capsys, "validate", str(DATA / f"{name}.xlsx"))
    assert code == 2, out
    assert "Traceback" not in out + err
    lines = [line for line in out.splitlines() if line.startswith(where)]
    assert any(all(w in line for w in words) for line in lines), out
    assert out.strip().splitlines()[-1].startswith(f"{name}.xlsx: ")


def test_every_broken_workbook_is_tested() -> None:
    assert {p.stem for p in DATA.glob("*.xlsx")} == set(BROKEN)


# --- as a process ----------------------------------------------------------------------------------


def test_python_dash_m_optimizer(valid_xlsx: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "optimizer", "validate", str(DATA / "negative_supply.xlsx")],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120, check=False,
    )
    assert done.returncode == 2
    assert "Supply!" in done.stdout and "t/yr; expected >= 0" in done.stdout
    assert done.stderr == ""
