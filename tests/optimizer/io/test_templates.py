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


# --- what the templates say (Parameters descriptions, examples, units) ------------------------------------


def _comments(lang: str) -> dict[tuple[str, str], str]:
    wb = openpyxl.load_workbook(template_path(lang))
    return {(ws.title, c.value): c.comment.text for ws in wb.worksheets for c in ws[1] if c.comment}


def test_header_comments_show_id_list_examples_as_typed() -> None:
    """Smelters' accepted grades read "Example: No1, No2." (not "N, o, 1, ,, ..."), VehicleTypes' depots
    "Example: SC-01." (not "S, C, -, 0, 1")."""
    en = _comments("en")
    assert "Example: No1, No2." in en[("Smelters", "Accepted grades")]
    assert "Example: SC-01." in en[("VehicleTypes", "Depots")]
    zh = _comments("zh")
    assert "示例：No1, No2。" in zh[("冶炼厂", "接收等级")]
    for text in (*en.values(), *zh.values()):
        assert ", ," not in text and "S, C, -" not in text, text


def test_no_header_repeats_its_unit() -> None:
    """ "Visits per week (per week)" read twice what it means."""
    for spec in data_sheets():
        for col in (*spec.columns, *PARAMETER_ROWS):
            if col.unit:
                assert col.unit.lower() not in col.header_en.lower(), header(col)
    headers = [c.value for c in openpyxl.load_workbook(template_path("en"))["CollectionPoints"][1]]
    assert "Visits per week" in headers


def test_parameters_describe_the_utilization_target_and_the_budget_as_the_model_uses_them() -> None:
    for lang, target, budget in (
        ("en", "Recycled-copper utilization target", "fixed + processing + transport cost"),
        ("zh", "再生铜利用率目标", "固定成本 + 加工成本 + 运输成本"),
    ):
        ws = openpyxl.load_workbook(template_path(lang))["参数" if lang == "zh" else "Parameters"]
        described = {row[0]: row[3] for row in ws.iter_rows(min_row=2, values_only=True)}
        target_row = "再生铜利用率目标" if lang == "zh" else "Utilization target"
        budget_row = "年度预算" if lang == "zh" else "Annual budget"
        assert target in described[target_row] and "capacity" not in described[target_row]
        assert budget in described[budget_row]
    docs = (REPO / "docs" / "excel_format.md").read_text(encoding="utf-8")
    assert "Minimum utilisation of every open site" not in docs
    assert "Cap on the annual fixed cost of new" not in docs


def test_the_example_grade_no1_is_no1_copper_not_bare_bright() -> None:
    """No.1 copper is about 97 % Cu; bare bright wire (> 99 %) is another grade (domain research 3.1)."""
    no1 = example_network("en").grade("No1")
    assert (no1.name_en, no1.name_zh, no1.copper_content) == ("No. 1 copper", "1号铜", 0.97)
    assert "Bare bright" not in str(_comments("en"))


def test_a_workbook_with_the_old_parameter_names_still_imports(tmp_path: Path) -> None:
    for lang, old in (("en", "Target utilisation"), ("zh", "目标产能利用率")):
        wb = openpyxl.load_workbook(template_path(lang))
        ws = wb["参数" if lang == "zh" else "Parameters"]
        new = ("Utilization target", "再生铜利用率目标")
        row = next(r for r in ws.iter_rows(min_row=2) if r[0].value in new)
        row[0].value, row[1].value = old, 0.8
        path = tmp_path / f"old_{lang}.xlsx"
        wb.save(path)
        result = read_network(path)
        assert [str(i) for i in result.issues] == []
        assert result.network.parameters.target_utilization == 0.8


def test_docs_state_every_numbers_range() -> None:
    docs = (REPO / "docs" / "excel_format.md").read_text(encoding="utf-8")
    supply = "| Supply (t/yr) | 供应量 (吨/年) | float | required | >= 0, at most 1e+09; typical <= 1,000,000"
    assert supply in docs
    assert "at most 32,767 characters" in docs
