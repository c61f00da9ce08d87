"""Write a network as a workbook a person can edit: one sheet per table, in English or Chinese.

Every sheet has a frozen, bold header with units; each header cell carries a comment (meaning, unit,
whether it is required and what a blank means); enum columns and single-id reference columns get
drop-down lists; numbers are written as numbers and text as text (a name starting with "=" stays text,
never becomes a formula). :func:`write_network` replaces the target atomically and keeps the previous
file as ``<stem>.bak.xlsx``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.io.cells import put, text_only
from optimizer.io.saving import backup_path as backup_path  # re-exported: part of the io API
from optimizer.io.saving import replace_file
from optimizer.io.tables import entity_id, parameter_values, sheet_records
from optimizer.io.values import format_value
from optimizer.model import Network
from optimizer.schema import (
    INSTRUCTIONS,
    PARAMETER_ROWS,
    PARAMETERS_SHEET,
    SHEETS,
    ColumnSpec,
    SheetSpec,
    data_sheets,
    header,
    ref_sheets,
    sheet,
)

#: Rows below the header that drop-down lists and reference ranges cover.
VALIDATION_ROWS = 2000
COMMENT_AUTHOR = "CopperLoop"
#: Rows whose text sets the column widths (enough to fit a column; cheaper than measuring 100,000 rows).
WIDTH_SAMPLE_ROWS = 500

_REQUIRED_FILL = PatternFill("solid", fgColor="F8CBAD")
_OPTIONAL_FILL = PatternFill("solid", fgColor="DDEBF7")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)

_TEXT = {
    "en": {
        "required": "Required.",
        "optional_blank": "Optional; blank = {default}.",
        "optional_none": "Optional; may be blank.",
        "unit": "Unit: {unit}.",
        "allowed": "Allowed: {values}.",
        "ids": "Ids from sheet {sheet}.",
        "example": "Example: {example}.",
        "none": "none",
    },
    "zh": {
        "required": "必填。",
        "optional_blank": "可选；空白 = {default}。",
        "optional_none": "可选，可留空。",
        "unit": "单位：{unit}。",
        "allowed": "可选值：{values}。",
        "ids": "填写工作表 {sheet} 中的编号。",
        "example": "示例：{example}。",
        "none": "无",
    },
}


def write_network(network: Network, path: str | Path, lang: str = "en") -> None:
    """Save ``network`` to ``path`` as a workbook in ``lang`` ("en" or "zh").

    The workbook is written to a temporary file in the same folder and moved over ``path`` in one
    step, so a crash never leaves half a file; an existing ``path`` is first copied to
    ``<stem>.bak.xlsx``.

    Raises
    ------
    ValueError
        Text in the network that a workbook cannot hold (control characters, over 32,767 characters),
        naming the entity and field; nothing is written.
    OSError
        The folder is not writable, the disk is full, or (PermissionError) the file is open in Excel.
    """
    save_workbook(network_to_workbook(network, lang), path)


def save_workbook(wb: Workbook, path: str | Path) -> None:
    """Save ``wb`` to ``path`` atomically, keeping an existing file as ``<stem>.bak.xlsx``; the file
    gets the mode the umask gives (or keeps the replaced file's), see :mod:`optimizer.io.saving`. No
    cell is saved as a formula (:func:`optimizer.io.cells.text_only`)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    text_only(wb)
    replace_file(target, wb.save)


def network_to_workbook(network: Network, lang: str = "en") -> Workbook:
    """The network as a new workbook: Instructions first, then every data sheet in schema order."""
    wb = Workbook()
    wb.remove(wb.active)
    add_network_sheets(wb, network, lang)
    wb.properties.title = network.name
    wb.properties.creator = COMMENT_AUTHOR
    return wb


def add_network_sheets(wb: Workbook, network: Network, lang: str = "en") -> None:
    """Append the Instructions and input sheets of ``network`` to ``wb`` (e.g. a plan workbook), so that
    :func:`optimizer.io.reader.network_from_workbook` can re-import the network from it."""
    _check_lang(lang)
    _write_instructions(wb.create_sheet(INSTRUCTIONS.name(lang)), lang)
    for spec in data_sheets():
        ws = wb.create_sheet(spec.name(lang))
        if spec is PARAMETERS_SHEET:
            _write_parameters(ws, network, lang)
        else:
            _write_table(ws, spec, sheet_records(network, spec.key), lang)


def _check_lang(lang: str) -> None:
    if lang not in ("en", "zh"):
        raise ValueError(f'lang must be "en" or "zh", not {lang!r}')


def column_comment(col: ColumnSpec, lang: str) -> str:
    """The header comment of ``col``: meaning, unit, required or what a blank means, allowed values."""
    t = _TEXT[lang]
    parts = [col.comment(lang)]
    if col.unit:
        parts.append(t["unit"].format(unit=col.unit_label(lang)))
    if col.required:
        parts.append(t["required"])
    elif col.default is None or col.default in ((), ""):
        parts.append(t["optional_none"])
    else:
        parts.append(t["optional_blank"].format(default=_show_default(col, lang)))
    if col.allowed:
        parts.append(t["allowed"].format(values=", ".join(col.enum_labels(lang))))
    if col.ref:
        names = " / ".join(sheet(k).name(lang) for k in ref_sheets(col.ref))
        parts.append(t["ids"].format(sheet=names))
    if col.example is not None:
        parts.append(t["example"].format(example=format_value(col, col.example, lang)))
    return "\n".join(p for p in parts if p)


def _show_default(col: ColumnSpec, lang: str) -> str:
    value = format_value(col, col.default, lang)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _comment(text: str) -> Comment:
    comment = Comment(text, COMMENT_AUTHOR)
    lines = sum(1 + _display_width(line) // 40 for line in text.splitlines())
    comment.width = 320
    comment.height = max(80, 18 * lines + 10)
    return comment


def _display_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet: East Asian wide characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _set(ws: Worksheet, row: int, column: int, value: Any, where: Callable[[], str]) -> None:
    """Write ``value`` with :func:`optimizer.io.cells.put`: text is always text (never a formula), and
    text a workbook cannot hold is refused, naming the entity (``where()``) it belongs to."""
    put(ws, row, column, value, where)


def _header_row(
    ws: Worksheet, columns: tuple[ColumnSpec, ...], lang: str, comments: bool = True
) -> list[int]:
    widths = []
    for c, col in enumerate(columns, start=1):
        text = header(col, lang)
        cell = put(ws, 1, c, text)
        cell.font = _BOLD
        cell.fill = _REQUIRED_FILL if col.required else _OPTIONAL_FILL
        cell.alignment = Alignment(vertical="center")
        if comments:
            cell.comment = _comment(column_comment(col, lang))
        widths.append(_display_width(text) + 4)
    ws.freeze_panes = "A2"
    return widths


def _fit_widths(ws: Worksheet, widths: list[int]) -> None:
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(max(width, 10), 60)


def _write_table(ws: Worksheet, spec: SheetSpec, records: list[dict[str, Any]], lang: str) -> None:
    widths = _header_row(ws, spec.columns, lang)
    for r, rec in enumerate(records, start=2):
        for c, col in enumerate(spec.columns, start=1):
            value = format_value(col, rec[col.key], lang)
            _set(ws, r, c, value, lambda: f"{spec.name_en} {entity_id(spec.key, rec)} {col.key}")  # noqa: B023
            if value is not None and r <= WIDTH_SAMPLE_ROWS:
                widths[c - 1] = max(widths[c - 1], _display_width(_shown(value)) + 2)
    _fit_widths(ws, widths)
    _add_validations(ws, spec, lang, last_row=max(len(records) + 1, VALIDATION_ROWS))


def _shown(value: Any) -> str:
    return f"{value:,.2f}" if isinstance(value, float) and not value.is_integer() else str(value)


def _add_validations(ws: Worksheet, spec: SheetSpec, lang: str, last_row: int) -> None:
    """Drop-downs for enum columns and for columns that hold one id of a single other sheet."""
    for c, col in enumerate(spec.columns, start=1):
        letter = get_column_letter(c)
        if col.type == "enum":
            formula = '"' + ",".join(col.enum_labels(lang)) + '"'
        elif col.type == "str" and col.ref in {s.key for s in SHEETS}:
            target = sheet(col.ref)
            id_letter = get_column_letter(1)  # every referenced sheet has its id in column A
            formula = f"{quote_sheetname(target.name(lang))}!${id_letter}$2:${id_letter}${VALIDATION_ROWS}"
        else:
            continue
        dv = DataValidation(type="list", formula1=formula, allow_blank=not col.required)
        dv.showErrorMessage = True
        dv.errorStyle = "warning"  # a new id typed before its row exists must still be accepted
        # Excel refuses to open a file whose validation message exceeds 255 or title 32 characters
        dv.error = _clip(col.comment(lang), 255)
        dv.errorTitle = _clip(header(col, lang), 32)
        dv.add(f"{letter}2:{letter}{last_row}")
        ws.add_data_validation(dv)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _write_parameters(ws: Worksheet, network: Network, lang: str) -> None:
    widths = _header_row(ws, PARAMETERS_SHEET.columns, lang)
    values = parameter_values(network)
    for r, spec in enumerate(PARAMETER_ROWS, start=2):
        value = format_value(spec, values[spec.key], lang)
        cells = [spec.label(lang), value, spec.unit_label(lang), _parameter_description(spec, lang)]
        for c, v in enumerate(cells, start=1):
            _set(ws, r, c, v if v != "" else None, lambda: f"parameter {spec.key}")  # noqa: B023
            if v not in (None, "") and c < 4:
                widths[c - 1] = max(widths[c - 1], _display_width(_shown(v)) + 2)
        ws.cell(row=r, column=1).font = _BOLD
    widths[3] = 80
    _fit_widths(ws, widths)
    for r in range(2, len(PARAMETER_ROWS) + 2):
        ws.cell(row=r, column=4).alignment = Alignment(wrap_text=True, vertical="top")


def _parameter_description(spec: ColumnSpec, lang: str) -> str:
    text = spec.comment(lang)
    if spec.default is not None and spec.key != "network_name":
        default = format_value(spec, spec.default, lang)
        shown = f"{default:g}" if isinstance(default, float) else str(default)
        text += f" (默认 {shown})" if lang == "zh" else f" (default {shown})"
    return text


# -- Instructions -------------------------------------------------------------------------------------

_RULES = {
    "en": [
        "This workbook describes one scrap-copper recycling network for CopperLoop. Each sheet is one table; "
        "row 1 is the header. Keep sheet names and headers as they are "
        "(English or Chinese names both import).",
        "Hover over a header to see what the column means, its unit, and whether it is required. Orange "
        "headers are required; a blank cell in a blue (optional) column takes the default stated in the "
        "comment.",
        "Ids link the sheets: Supply refers to CollectionPoints and Grades; CapacityModules and Yields refer "
        "to DismantlingSites and SortingCenters; Smelters list the grades they accept as "
        "comma-separated ids.",
        "The grades a site accepts are the input grades of its Yields rows. A grade that passes through a "
        "site unchanged is written as input = output with yield 1 (e.g. No2 -> No2, 1.0).",
        "The FIRST capacity module of an existing site is its current capacity; further modules are "
        "expansion options. A candidate site opens with at most one of its modules, or not at all.",
        "Numbers may be typed as numbers or as text such as 1,200. Fraction columns (0-1) also accept "
        "percentages such as 85%. Formulas are allowed; CopperLoop reads the value Excel last saved.",
        "Parameters: one row per parameter; a blank value for an optional limit means no limit.",
    ],
    "zh": [
        "本工作簿描述 CopperLoop 的一个废铜回收网络。每个工作表是一张表，第 1 行为表头。"
        "请勿修改工作表名称和表头"
        "（中文或英文名称均可导入）。",
        "将鼠标悬停在表头上可查看该列的含义、单位以及是否必填。橙色表头为必填；蓝色（可选）列留空时采用批注中"
        "说明的默认值。",
        "各表通过编号关联：供应量引用回收点和废铜等级；产能模块和产出率引用拆解厂和分拣中心；冶炼厂的接收等级"
        "填写用逗号分隔的等级编号。",
        "场地接收的等级就是它在产出率表中的输入等级。原样通过场地的等级写成输入 = 输出、产出率 1"
        "（例如 No2 -> No2，1.0）。",
        "现有场地的第一个产能模块是其当前产能；其余模块为扩建选项。候选场地最多选用其中一个模块开设，或不开设。",
        "数字可以直接输入，也可以是 1,200 这样的文本。比例列（0-1）也接受 85% 这样的百分数。可以使用公式；"
        "CopperLoop 读取 Excel 最后保存的计算结果。",
        "参数表：每行一个参数；可选限制的数值留空表示不限制。",
    ],
}

_INSTRUCTION_TITLE = {"en": "CopperLoop network workbook", "zh": "CopperLoop 回收网络工作簿"}
_SHEET_HEADER = {"en": ("Sheet", "What it holds", "Required"), "zh": ("工作表", "内容", "必需")}
_YES_NO = {"en": ("yes", "no"), "zh": ("是", "否")}


def _write_instructions(ws: Worksheet, lang: str) -> None:
    """Numbered rules, then one row per sheet; text in a wide column B whose rows are tall enough for
    their wrapped text (spreadsheets do not size rows of generated files)."""
    put(ws, 1, 1, _INSTRUCTION_TITLE[lang]).font = _TITLE
    top = Alignment(wrap_text=True, vertical="top")
    r = 3
    for n, rule in enumerate(_RULES[lang], start=1):
        put(ws, r, 1, n).alignment = Alignment(horizontal="right", vertical="top")
        put(ws, r, 2, rule).alignment = top
        ws.row_dimensions[r].height = _wrapped_height(rule)
        r += 1
    r += 1
    for c, text in enumerate(_SHEET_HEADER[lang], start=1):
        put(ws, r, c, text).font = _BOLD
    for spec in data_sheets():
        r += 1
        put(ws, r, 1, spec.name(lang)).alignment = top
        put(ws, r, 2, spec.description(lang)).alignment = top
        put(ws, r, 3, _YES_NO[lang][0 if spec.required else 1]).alignment = top
        ws.row_dimensions[r].height = _wrapped_height(spec.description(lang))
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = _INSTRUCTION_WIDTH
    ws.column_dimensions["C"].width = 10
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_setup.orientation = "landscape"


_INSTRUCTION_WIDTH = 100


def _wrapped_height(text: str) -> float:
    """Points a row needs to show ``text`` wrapped in the Instructions' text column."""
    lines = -(-_display_width(text) // (_INSTRUCTION_WIDTH - 4))
    return 16.0 * max(lines, 1) + 4
