"""A real spreadsheet application opens the plan report: LibreOffice converts it to PDF, with pages.

``.ci/system-deps`` installs LibreOffice Calc and poppler-utils in CI, where this test must run; on a
developer's machine without them it is skipped with the reason.
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


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing in CI; .ci/system-deps installs libreoffice-calc")
        pytest.skip("LibreOffice (soffice) is not installed; apt-get install libreoffice-calc")
    return found


def _pages(pdf: Path) -> int:
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is not None:
        out = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
        match = re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE)
        assert match is not None, out
        return int(match.group(1))
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


@pytest.mark.slow
def test_libreoffice_converts_the_report_to_pdf_in_both_languages(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    soffice = _soffice()
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
        wb = openpyxl.load_workbook(path, read_only=True)
        sheets = len(wb.sheetnames)
        wb.close()
        # every sheet prints on at least one page
        assert _pages(pdf) >= sheets
