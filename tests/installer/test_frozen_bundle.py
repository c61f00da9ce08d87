"""Build the one-folder bundle with PyInstaller from ``installer/copperloop.spec`` and run it.

This is what proves the spec collects the native pieces a solve needs (HiGHS, PuLP's CBC binary,
OR-Tools' and PyVRP's libraries, Qt's platform plugins) and the data (templates, samples, licences):
the frozen ``selftest`` exercises each of them. The spec is the Windows installer's; built here on Linux
it differs only in the platform's libraries and the CBC binary it picks.

Slow (about a minute to build on two cores, plus a few seconds per run), but run by ``.ci/run``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.installer.scripts import INSTALLER, REPO

pytestmark = pytest.mark.slow

BUILD_TIMEOUT_S = 1200


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The built ``CopperLoop`` folder (deleted afterwards: it is about 300 MB)."""
    work = tmp_path_factory.mktemp("pyinstaller")
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
            "--distpath", str(work / "dist"), "--workpath", str(work / "build"),
            str(INSTALLER / "copperloop.spec"),
        ],
        cwd=REPO, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-5000:]
    print(f"PyInstaller build: {time.perf_counter() - start:.0f} s")
    yield work / "dist" / "CopperLoop"
    shutil.rmtree(work, ignore_errors=True)


def run_frozen(bundle: Path, program: str, *args: str, env: dict[str, str] | None = None,
               timeout: float = 300) -> subprocess.CompletedProcess[str]:
    executable = bundle / (f"{program}.exe" if sys.platform == "win32" else program)
    return subprocess.run(
        [str(executable), *args], cwd=bundle.parent, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
    )


def test_bundle_holds_the_data_and_the_platforms_cbc(bundle: Path) -> None:
    data = bundle / "_internal"
    for relative in (
        "sample_networks/teaching.xlsx",
        "templates/network_template_en.xlsx",
        "templates/network_template_zh.xlsx",
        "THIRD_PARTY_LICENSES",
        "VERSION",
    ):
        assert (data / relative).is_file(), relative
    with (REPO / "pyproject.toml").open("rb") as file:
        version = tomllib.load(file)["project"]["version"]
    assert (data / "VERSION").read_text(encoding="utf-8").strip() == version
    cbc = list((data / "pulp" / "solverdir" / "cbc").rglob("cbc*"))
    assert len(cbc) == 1, cbc  # only the build platform's binary
    if sys.platform != "win32":
        assert os.access(cbc[0], os.X_OK)


def test_frozen_version(bundle: Path) -> None:
    with (REPO / "pyproject.toml").open("rb") as file:
        version = tomllib.load(file)["project"]["version"]
    start = time.perf_counter()
    done = run_frozen(bundle, "copperloop-cli", "--version")
    print(f"frozen --version: {time.perf_counter() - start:.2f} s")
    assert (done.returncode, done.stdout.strip()) == (0, f"copperloop {version}")


def test_frozen_selftest_passes(bundle: Path) -> None:
    """HiGHS and CBC, PyVRP and OR-Tools, the report round trip and offscreen Qt, all in the bundle."""
    start = time.perf_counter()
    done = run_frozen(bundle, "copperloop-cli", "selftest", "--verbose")
    print(f"frozen selftest: {time.perf_counter() - start:.1f} s")
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test: frozen bundle in" in done.stdout
    assert "FAIL" not in done.stdout and "SKIP" not in done.stdout
    assert done.stdout.splitlines()[-1].startswith("PASS: 9 of 9 steps passed")


def test_windowed_program_runs_subcommands_and_the_app(bundle: Path, tmp_path: Path) -> None:
    """The GUI executable: a subcommand's exit status, and the app opening, solving and drawing a sample."""
    quick = run_frozen(bundle, "CopperLoop", "selftest", "--no-qt", "--routing-time-limit", "0.5")
    assert quick.returncode == 0, quick.stdout + quick.stderr
    picture = tmp_path / "results.png"
    done = run_frozen(
        bundle, "CopperLoop", "gui", str(bundle / "_internal" / "sample_networks" / "teaching.xlsx"),
        "--screenshot", str(picture), "--view", "results", "--solve", "--time-limit", "20",
        env={"COPPERLOOP_CONFIG_DIR": str(tmp_path / "config")},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert picture.stat().st_size > 10_000
