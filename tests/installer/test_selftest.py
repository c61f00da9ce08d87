"""``copperloop selftest`` from source: every step passes on the real teaching network and solvers.

The same command runs in the frozen bundle (tests/installer/test_frozen_bundle.py); here it proves the
steps themselves are right, and that a broken installation is reported step by step, not as a crash.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from optimizer import cli
from optimizer.selftest import STEPS, Outcome, SelfTestContext, Step, StepFailed, run_selftest, run_step
from tests.installer.scripts import REPO

STEP_LINE = re.compile(r"^  (PASS|FAIL|SKIP)  (.+?)\s+(\d+\.\d\d) s  (.*)$")


def test_selftest_passes_from_source() -> None:
    """The command as a user runs it: a process, offscreen Qt, exit status 0, a PASS line per step."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "optimizer", "selftest", "--routing-time-limit", "1"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("CopperLoop ") and "self-test: source in" in lines[0]
    steps = [m.groups() for m in map(STEP_LINE.match, lines) if m]
    names = [name for _, name, _, _ in steps]
    assert names == [step.name for step in STEPS] + ["Qt offscreen"]
    assert {outcome for outcome, *_ in steps} == {"PASS"}
    assert lines[-1].startswith(f"PASS: {len(names)} of {len(names)} steps passed")
    cbc = next(detail for _, name, _, detail in steps if name == "solve CBC")
    assert "same as HiGHS" in cbc


def test_missing_data_fails_the_steps_that_need_it(tmp_path: Path) -> None:
    """An installation without templates and samples: those steps FAIL, the ones after them SKIP."""
    results = run_selftest(qt=False, root=tmp_path)
    outcomes = {result.name: result.outcome for result in results}
    assert outcomes["templates"] is Outcome.FAIL
    assert outcomes["load teaching"] is Outcome.FAIL
    assert "teaching network not found" in results[1].detail
    assert all(outcomes[step.name] is Outcome.SKIP for step in STEPS[2:])
    assert not any(result.passed for result in results)


def test_a_crashing_step_is_a_failure_with_its_traceback(tmp_path: Path) -> None:
    def broken(ctx: SelfTestContext) -> str:
        raise OSError("libhighs.so.1: cannot open shared object file")

    result = run_step(Step("native", broken), SelfTestContext(root=tmp_path, workdir=tmp_path))
    assert result.outcome is Outcome.FAIL
    assert result.detail == "OSError: libhighs.so.1: cannot open shared object file"
    assert "Traceback" in result.traceback
    assert result.line().startswith("  FAIL  native")


def test_a_wrong_result_is_a_failure_with_its_reason(tmp_path: Path) -> None:
    def wrong(ctx: SelfTestContext) -> str:
        raise StepFailed("objectives differ")

    result = run_step(Step("compare", wrong), SelfTestContext(root=tmp_path, workdir=tmp_path))
    assert (result.outcome, result.detail, result.traceback) == (Outcome.FAIL, "objectives differ", "")


def test_command_exit_status_is_1_when_a_step_fails(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Run the real command with the data root pointed at an empty folder."""
    monkeypatch.setattr("optimizer.selftest.resource_root", lambda: tmp_path)
    assert cli.main(["selftest", "--no-qt"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  load teaching" in out
    assert out.splitlines()[-1].startswith("FAIL: 0 of 8 steps passed")


def test_bad_time_limit_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["selftest", "--routing-time-limit", "0"]) == 2
    assert "--routing-time-limit must be more than 0 s" in capsys.readouterr().err
