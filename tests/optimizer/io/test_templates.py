"""The committed templates are exactly what the schema generates, and their example rows import."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from optimizer.io import read_network
from optimizer.io.templates import (
    LANGS,
    example_network,
    excel_format_markdown,
    template_path,
    write_template,
)
from optimizer.schema import PARAMETER_ROWS, data_sheets, header
from optimizer.validation import validate

REPO = Path(__file__).resolve().parents[3]


def _content(path: Path) -> dict[str, Any]:
    """What a person sees in a workbook: sheet names, cell values, comments, drop-downs, frozen panes."""
    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {"sheets": wb.sheetnames}
    for ws in wb.worksheets:
        out[ws.title] = {
            "cells": [[c.value for c in row] for row in ws.iter_rows()],
            "comments": {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment},
            "validations": sorted(
                (str(dv.sqref), dv.type, dv.formula1) for dv in ws.data_validations.dataValidation
            ),
            "freeze": ws.freeze_panes,
        }
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_committed_template_matches_the_schema(tmp_path: Path, lang: str) -> None:
    fresh = tmp_path / f"network_template_{lang}.xlsx"
    write_template(fresh, lang)
    committed = template_path(lang)
    assert committed.exists(), f"run write_template to create {committed}"
    assert _content(committed) == _content(fresh), (
        f"{committed.name} is out of date: regenerate it with python -m optimizer.io.templates"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_template_example_rows_import_and_validate_cleanly(lang: str) -> None:
    result = read_network(template_path(lang))
    assert [str(i) for i in result.issues] == []
    assert result.network == example_network(lang)
    assert [str(i) for i in validate(result.network, result.source) if i.is_error] == []


def test_template_has_every_sheet_header_and_parameter_in_its_language() -> None:
    for lang in LANGS:
        wb = openpyxl.load_workbook(template_path(lang))
        assert wb.sheetnames[0] == ("说明" if lang == "zh" else "Instructions")
        for spec in data_sheets():
            ws = wb[spec.name(lang)]
            assert ws.freeze_panes == "A2"
            headers = [c.value for c in ws[1]]
            assert headers == [header(c, lang) for c in spec.columns]
            assert all(c.comment is not None for c in ws[1])
        params = wb["参数" if lang == "zh" else "Parameters"]
        assert [params.cell(row=r, column=1).value for r in range(2, len(PARAMETER_ROWS) + 2)] == [
            p.label(lang) for p in PARAMETER_ROWS
        ]


def test_chinese_template_is_in_chinese() -> None:
    wb = openpyxl.load_workbook(template_path("zh"))
    assert "供应量" in wb.sheetnames
    assert wb["供应量"]["C1"].value == "供应量 (吨/年)"
    assert "单位：吨/年" in wb["供应量"]["C1"].comment.text
    assert "回收网络" in wb["说明"]["A1"].value
    assert wb["分拣中心"]["F2"].value == "候选"


def test_docs_are_generated_from_the_schema() -> None:
    docs = REPO / "docs" / "excel_format.md"
    assert docs.read_text(encoding="utf-8") == excel_format_markdown(), (
        "docs/excel_format.md is out of date: regenerate it with python -m optimizer.io.templates"
    )


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_templates_saved_by_a_real_spreadsheet_program_import_unchanged(tmp_path: Path) -> None:
    """LibreOffice re-saves the templates its own way (shared strings, its styles and validations);
    what a client's spreadsheet program writes must read back as the same network."""
    sources = [template_path(lang) for lang in LANGS]
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(tmp_path / "out"),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for lang in LANGS:
        result = read_network(tmp_path / "out" / f"network_template_{lang}.xlsx")
        assert [str(i) for i in result.issues] == []
        assert result.network == example_network(lang)
