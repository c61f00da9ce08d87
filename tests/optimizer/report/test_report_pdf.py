"""A real spreadsheet application opens the plan report: LibreOffice converts it to PDF, with pages.

``.ci/system-deps`` installs LibreOffice Calc and poppler-utils, and ``.ci/run`` sets ``CI=true``: there
the test must run, so a missing tool fails it instead of skipping it. On a developer's machine without
them (and without ``CI`` set) it is skipped with the reason.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from optimizer.design.options import SolveOptions
from optimizer.design.solve import solve, solve_pareto
from optimizer.report.plan_report import write_plan_report
from tests.optimizer.report.report_samples import SAMPLES, sample_network

#: Starting LibreOffice the first time in a fresh profile takes a while on a busy machine.
CONVERT_TIMEOUT_S = 180


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def _tool(names: tuple[str, ...], package: str) -> str:
    """The path of the first of ``names`` on PATH; fails in CI, skips elsewhere, when none is there."""
    for name in names:
        found = shutil.which(name)
        if found is not None:
            return found
    if _in_ci():
        pytest.fail(f"{names[0]} is missing in CI; .ci/system-deps installs {package}")
    pytest.skip(f"{names[0]} is not installed; apt-get install {package}")


def _soffice() -> str:
    return _tool(("soffice", "libreoffice"), "libreoffice-calc")


def _pages(pdf: Path) -> int:
    pdfinfo = _tool(("pdfinfo",), "poppler-utils")
    out = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE)
    assert match is not None, out
    return int(match.group(1))


def _page_text(pdf: Path, page: int) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    args = [pdftotext, "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
def test_libreoffice_converts_the_report_to_pdf_in_both_languages(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    soffice = _soffice()
    _tool(("pdfinfo",), "poppler-utils")  # before the minute of solving and converting
    network = sample_network(request, "teaching")
    plan = solve(network, SAMPLES["teaching"][2])
    pareto = solve_pareto(network, SolveOptions(time_limit_s=10, mip_gap=0.01), 3)
    reports = []
    for lang in ("en", "zh"):
        path = tmp_path / f"plan_{lang}.xlsx"
        write_plan_report(path, network, plan, pareto=pareto, lang=lang, scenario_name="PDF check")
        reports.append(path)
    out = tmp_path / "pdf"
    profile = (tmp_path / "lo_profile").as_uri()
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, reports),
        ],
        capture_output=True,
        text=True,
        timeout=CONVERT_TIMEOUT_S,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for path in reports:
        pdf = out / f"{path.stem}.pdf"
        assert pdf.exists(), result.stdout + result.stderr
        wb = openpyxl.load_workbook(path)
        sheets = sum(ws.sheet_state == "visible" for ws in wb.worksheets)
        # every visible sheet prints on at least one page (the chart data sheets are hidden)
        assert _pages(pdf) >= sheets
        # the executive summary is one page: the second page is the Key figures sheet
        second = wb.worksheets[1]["A1"].value
        assert second.split(":")[0] + ":" in _page_text(pdf, 2)
        assert second.split(":")[0] + ":" not in _page_text(pdf, 1)
