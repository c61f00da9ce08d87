"""Ctrl+C (a real SIGINT to a real process) behaves like Cancel in the app: the first stops the solve
and keeps the best plan, which is printed and written; the second quits at once."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from optimizer.io import write_network
from optimizer.model import Network
from tests.optimizer.tiny_networks import random_cflp

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")

ROOT = Path(__file__).resolve().parents[2]

#: How long after the Ctrl+C the solve must have stopped (its "done" line): about 2 s, and the test
#: machine is shared.
PROMPT_S = 4.0

#: How long after the Ctrl+C the process must be gone: the plan report is written after the solve stops.
EXIT_S = 45.0


def hard_network(facilities: int = 30, customers: int = 200) -> Network:
    """30 facilities x 200 customers at capacity ratio 1.5, least cost at gap 0: HiGHS has an incumbent
    within a few seconds and runs on for more than 20 s. The sink sits 55 km from the others, beyond the
    1 km collection limit (validation refuses a node thousands of km from all others)."""
    net = random_cflp(facilities, customers, 1.5)
    return net.replace(smelters=(dataclasses.replace(net.smelters[0], lat=0.5, lon=0.0),))


@pytest.fixture(scope="module")
def hard_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("interrupt") / "hard.xlsx"
    write_network(hard_network(), path)
    return path


class Command:
    """A ``python -m optimizer`` child whose standard error is read line by line as it comes."""

    def __init__(self, *argv: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "optimizer", *argv],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, as a command typed in a terminal has
        )
        self.err: list[str] = []
        self.seen_at: list[float] = []  # when each line of err arrived
        self.out: list[str] = []
        self._readers = [
            threading.Thread(target=self._read_err, daemon=True),
            threading.Thread(target=self._read_out, daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.seen_at.append(time.monotonic())
            self.err.append(line)

    def _read_out(self) -> None:
        assert self.proc.stdout is not None
        self.out.extend(self.proc.stdout)

    def wait_for(self, text: str, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while not any(text in line for line in self.err):
            assert self.proc.poll() is None, f"ended before {text!r}: {''.join(self.err)}"
            assert time.monotonic() < deadline, f"no {text!r} in {timeout_s} s: {''.join(self.err)}"
            time.sleep(0.05)

    def when(self, text: str) -> float:
        """When the first line holding ``text`` arrived."""
        return next(t for t, line in zip(self.seen_at, self.err, strict=True) if text in line)

    def finish(self, timeout_s: float = EXIT_S) -> tuple[int, str]:
        """The exit status and everything printed on standard output."""
        code = self.proc.wait(timeout=timeout_s)
        for reader in self._readers:
            reader.join(timeout=5)
        return code, "".join(self.out)


def test_ctrl_c_during_the_solve_prints_and_writes_the_best_plan_as_cancelled(
    hard_workbook: Path, tmp_path: Path
) -> None:
    out_json, out_xlsx = tmp_path / "plan.json", tmp_path / "plan.xlsx"
    cmd = Command(
        "solve", str(hard_workbook), "--objective", "cost", "--gap", "0", "--time-limit", "120",
        "--json", str(out_json), "-o", str(out_xlsx),
    )  # fmt: skip
    cmd.wait_for("incumbent")  # the solver holds a plan
    cmd.proc.send_signal(signal.SIGINT)
    sent = time.monotonic()
    code, out = cmd.finish()
    assert cmd.when("] done") - sent < PROMPT_S, "".join(cmd.err)
    assert code == 4, "".join(cmd.err)
    assert "CANCELLED" in out.splitlines()[0]
    assert "cancelled; the plan is the best solution found so far" in out
    assert "Recycled-copper utilization: 100.0%" in out  # the incumbent collects everything
    assert any("stopping as soon as the solver can" in line for line in cmd.err)
    plan = json.loads(out_json.read_text(encoding="utf-8"))
    assert plan["status"] == "cancelled" and plan["kpis"] is not None
    assert out_xlsx.stat().st_size > 0


def test_ctrl_c_while_the_model_is_built_says_there_is_no_plan(hard_workbook: Path, tmp_path: Path) -> None:
    out_json = tmp_path / "plan.json"
    cmd = Command("solve", str(hard_workbook), "--objective", "cost", "--gap", "0", "--json", str(out_json))
    cmd.wait_for("building")
    cmd.proc.send_signal(signal.SIGINT)
    sent = time.monotonic()
    code, out = cmd.finish()
    assert cmd.when("] done") - sent < PROMPT_S, "".join(cmd.err)
    assert code == 4
    assert "cancelled before a solution was found" in out and "No plan to show." in out
    assert json.loads(out_json.read_text(encoding="utf-8"))["status"] == "cancelled"


def test_a_second_ctrl_c_quits_at_once() -> None:
    """Work that never looks at its token: the first Ctrl+C asks it to stop, the second ends the process."""
    script = (
        "import time\n"
        "from optimizer.commands.interrupt import ctrl_c_cancels, in_worker\n"
        "with ctrl_c_cancels() as token:\n"
        "    print('working', flush=True)\n"
        "    in_worker(lambda: time.sleep(60))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "working"
    proc.send_signal(signal.SIGINT)
    time.sleep(0.3)
    assert proc.poll() is None  # the first press only asks
    proc.send_signal(signal.SIGINT)
    sent = time.monotonic()
    _, err = proc.communicate(timeout=10)
    assert time.monotonic() - sent < 2.0
    assert proc.returncode == 130
    assert "press Ctrl+C again to quit at once" in err and "quitting at once" in err


@pytest.fixture(scope="module")
def cbc_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 facilities x 300 customers: CBC proves it in about 4 s on an idle machine (the 30 x 200
    network took it 1.7-2.3 s, so a Ctrl+C 2 s in could arrive after it had finished)."""
    path = tmp_path_factory.mktemp("interrupt_cbc") / "hard_cbc.xlsx"
    write_network(hard_network(40, 300), path)
    return path


def test_ctrl_c_in_a_terminal_stops_cbc_as_a_cancel(cbc_workbook: Path, tmp_path: Path) -> None:
    """A terminal sends Ctrl+C to the whole process group, so CBC gets it too and may stop on its own
    before the adapter saw the token: that is still the user's cancel, not a time limit."""
    cmd = Command("solve", str(cbc_workbook), "--objective", "cost", "--gap", "0", "--solver", "cbc")
    cmd.wait_for("model built")
    time.sleep(1.0)  # CBC is running (it reports nothing before it has finished)
    os.killpg(cmd.proc.pid, signal.SIGINT)
    sent = time.monotonic()
    code, out = cmd.finish()
    assert cmd.when("] done") - sent < PROMPT_S, "".join(cmd.err)
    assert code == 4, out + "".join(cmd.err)
    assert "CANCELLED" in out.splitlines()[0]
