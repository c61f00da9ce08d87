"""Output files: checked before any work, never a created folder, and written before anything is printed
(a reader that leaves the pipe early costs nothing); no display is a message, not an abort."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from optimizer import cli
from optimizer.commands.outputs import OutputPath
from optimizer.design.plan import Plan, PlanStatus
from optimizer.io import write_network
from tests.optimizer.tiny_networks import one_yard_two_centers

ROOT = Path(__file__).resolve().parents[2]

#: Options that name a file a command writes (a new output option must be an OutputPath to be checked).
OUTPUT_DESTS = {"output", "json", "out", "screenshot"}


@pytest.fixture
def one_yard(tmp_path: Path) -> Path:
    path = tmp_path / "one_yard.xlsx"
    write_network(one_yard_two_centers(), path)
    return path


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = cli.build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_output_option_of_every_command_is_checked_before_the_work() -> None:
    unchecked = [
        f"{name} {a.option_strings or a.dest}"
        for name, sub in subcommands().items()
        for a in sub._actions
        if a.dest in OUTPUT_DESTS and a.type is not None and not isinstance(a, OutputPath)
    ]
    assert unchecked == []


@pytest.mark.parametrize(
    "argv",
    [
        ["solve", "{net}", "--json", "{missing}/p.json"],
        ["solve", "{net}", "-o", "{missing}/p.xlsx"],
        ["solve", "{net}", "--pareto", "3", "--json", "{missing}/sweep.json"],
        ["routes", "{net}", "--json", "{missing}/r.json"],
        ["routes", "{net}", "-o", "{missing}/r.xlsx"],
        ["template", "{missing}/t.xlsx"],
        ["gui", "{net}", "--screenshot", "{missing}/shot.png"],
    ],
)
def test_an_output_into_a_missing_folder_stops_at_once_and_creates_nothing(
    capsys: pytest.CaptureFixture[str], one_yard: Path, tmp_path: Path, argv: list[str]
) -> None:
    missing = tmp_path / "no" / "such"
    started = time.monotonic()
    code = cli.main([a.format(net=one_yard, missing=missing) for a in argv])
    _out, err = capsys.readouterr()
    assert code == 2
    assert f'the folder "{missing}" does not exist (CopperLoop does not create folders' in err
    assert not (tmp_path / "no").exists()
    assert time.monotonic() - started < 2.0  # nothing was solved first


def test_an_output_that_is_a_folder_or_inside_a_file_is_refused(
    capsys: pytest.CaptureFixture[str], one_yard: Path, tmp_path: Path
) -> None:
    assert cli.main(["solve", str(one_yard), "-o", str(tmp_path)]) == 2
    assert f'-o "{tmp_path}" is a folder' in capsys.readouterr().err
    assert cli.main(["solve", str(one_yard), "--json", str(one_yard / "p.json")]) == 2
    assert f'"{one_yard}" is a file, not a folder' in capsys.readouterr().err


def test_the_folder_message_reads_in_chinese(
    capsys: pytest.CaptureFixture[str], one_yard: Path, tmp_path: Path
) -> None:
    assert cli.main(["solve", str(one_yard), "--lang", "zh", "-o", str(tmp_path / "x" / "p.xlsx")]) == 2
    assert "不存在（CopperLoop 不会创建文件夹" in capsys.readouterr().err


def test_a_closed_stdout_still_gets_both_files_written(one_yard: Path, tmp_path: Path) -> None:
    """``copperloop solve net.xlsx --json P.json -o P.xlsx | head -3`` with the reader gone before the
    summary: the files are written first, and the broken pipe is harmless (exit 0)."""
    out_json, out_xlsx = tmp_path / "P.json", tmp_path / "P.xlsx"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "optimizer",
            "solve",
            str(one_yard),
            "--json",
            str(out_json),
            "-o",
            str(out_xlsx),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    proc.stdout.close()  # the reader leaves before anything is printed
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "internal error" not in err
    assert Plan.from_json(out_json.read_text(encoding="utf-8")).status is PlanStatus.OPTIMAL
    assert out_xlsx.stat().st_size > 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a display is always there elsewhere")
def test_the_app_without_a_display_says_so_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run(
        [sys.executable, "-m", "optimizer", "gui"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr  # Qt's xcb plugin used to abort the process (134)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "there is no display" in lines[0] and "--screenshot OUT.png" in lines[0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a display is always there elsewhere")
def test_a_screenshot_without_a_display_falls_back_to_offscreen(one_yard: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    shot = tmp_path / "shot.png"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "optimizer",
            "gui",
            str(one_yard),
            "--screenshot",
            str(shot),
            "--view",
            "tables",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
