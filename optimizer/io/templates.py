"""Blank-but-instructive workbooks for clients to fill in, and the format's Markdown documentation.

A template is the writer's output for a small example network, so its sheets, headers, comments and
drop-downs come from :mod:`optimizer.schema` like any saved network, and its example rows import
without errors (a test checks both, and that the committed ``templates/*.xlsx`` match).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from optimizer.io.writer import network_to_workbook as _to_workbook
from optimizer.io.writer import save_workbook
from optimizer.model import (
    CapacityModule,
    CollectionPoint,
    Grade,
    Network,
    Parameters,
    ProcessingSite,
    SiteKind,
    SiteStatus,
    Smelter,
    Supply,
    VehicleType,
    YieldEntry,
)
from optimizer.schema import (
    EXCEL_CELL_MAX_CHARS,
    FAR_NODE_MISPLACED_KM,
    FAR_NODE_WARNING_KM,
    PARAMETER_ROWS,
    PARAMETERS_SHEET,
    ColumnSpec,
    data_sheets,
    format_number,
    header,
    ref_sheets,
    sheet,
)

LANGS = ("en", "zh")


def example_network(lang: str = "en") -> Network:
    """The template's example rows: two grades, two collection points, a candidate sorting center with
    two capacity modules and its yields, a smelter, a truck type, default parameters."""
    zh = lang == "zh"
    return Network(
        name="华东废铜回收网络（示例）" if zh else "East China copper loop (example)",
        grades=(
            # No.1 copper: about 97 % Cu in the Chinese market, priced at 97.3-98.2 % of LME (ISRI grades,
            # Argus 2025); bare bright wire (> 99 % Cu) is another grade
            Grade("No1", "No. 1 copper", "1号铜", 0.97, 0.975),
            Grade("No2", "No. 2 copper", "二号铜", 0.94, 0.92),
        ),
        collection_points=(
            CollectionPoint(
                "CP-001",
                "昆山回收站" if zh else "Kunshan scrap yard",
                31.385,
                120.981,
                "江苏" if zh else "Jiangsu",
                supplies=(Supply("No1", 1200.0, 70500.0), Supply("No2", 800.0)),
                buyback_coefficient=0.9,
                opens_hour=8.0,
                closes_hour=17.5,
            ),
            CollectionPoint(
                "CP-002",
                "嘉兴回收站" if zh else "Jiaxing scrap yard",
                30.746,
                120.755,
                "浙江" if zh else "Zhejiang",
                supplies=(Supply("No2", 650.0),),
                buyback_coefficient=0.88,
                visits_per_week=2,
            ),
        ),
        sites=(
            ProcessingSite(
                "SC-01",
                "苏州分拣中心" if zh else "Suzhou sorting center",
                SiteKind.SORTING,
                31.299,
                120.585,
                "江苏" if zh else "Jiangsu",
                SiteStatus.CANDIDATE,
                modules=(
                    CapacityModule("M1", 10_000.0, 800_000.0),
                    CapacityModule("M2", 25_000.0, 1_500_000.0),
                ),
                variable_cost_cny_per_t=120.0,
                co2_kg_per_t=8.0,
                yields=(YieldEntry("No1", "No1", 1.0), YieldEntry("No2", "No2", 0.98)),
            ),
        ),
        smelters=(
            Smelter(
                "SM-01",
                "江西铜业贵溪冶炼厂" if zh else "Jiangxi Copper Guixi smelter",
                28.292,
                117.245,
                "江西" if zh else "Jiangxi",
                capacity_t_per_year=100_000.0,
                accepted_grade_ids=("No1", "No2"),
                min_copper_content=0.9,
            ),
        ),
        vehicle_types=(
            VehicleType(
                "T10",
                "10吨厢式货车" if zh else "10 t box truck",
                10.0,
                800.0,
                3.5,
                count_per_depot=2,
                co2_kg_per_km=0.9,
            ),
        ),
        parameters=Parameters(),
    )


def template_workbook(lang: str = "en") -> Workbook:
    """The template as an openpyxl workbook."""
    wb = _to_workbook(example_network(lang), lang)
    # a template has no creation time of its own, so regenerating it gives the same content
    wb.properties.title = "CopperLoop template"
    return wb


def write_template(path: str | Path, lang: str = "en") -> None:
    """Write the ``lang`` ("en" or "zh") template to ``path`` (atomically, keeping a ``.bak.xlsx``)."""
    save_workbook(template_workbook(lang), path)


def template_path(lang: str = "en") -> Path:
    """Where the committed template for ``lang`` lives in a source checkout."""
    return Path(__file__).resolve().parents[2] / "templates" / f"network_template_{lang}.xlsx"


# -- docs ---------------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _blank_rule(col: ColumnSpec) -> str:
    if col.required:
        return "required"
    if col.default is None or col.default in ((), ""):
        return "optional"
    return f"blank = {col.default:g}" if isinstance(col.default, float) else f"blank = {col.default}"


def _range_rule(col: ColumnSpec) -> str:
    """The column's valid range (errors outside), its magnitude limit and its typical range (warnings
    outside), as the docs table states them; text columns: Excel's cell limit."""
    if col.is_text:
        return f"at most {EXCEL_CELL_MAX_CHARS:,} characters"
    if not col.is_number:
        return ""
    low = None if col.min_value is None else format_number(col.min_value)
    high = None if col.max_value is None else format_number(col.max_value)
    if low is not None and high is not None:
        valid = f"> {low} and <= {high}" if col.min_exclusive else f"{low} to {high}"
    elif low is not None:
        valid = f"{'>' if col.min_exclusive else '>='} {low}"
    else:
        valid = "any number" if high is None else f"<= {high}"
    if col.max_value is None or col.max_value > col.magnitude_limit:
        valid += f", at most {format_number(col.magnitude_limit)}"
    if col.typical_min is not None and col.typical_max is not None:
        valid += f"; typical {format_number(col.typical_min)} to {format_number(col.typical_max)}"
    elif col.typical_max is not None:
        valid += f"; typical <= {format_number(col.typical_max)}"
    elif col.typical_min is not None:
        valid += f"; typical >= {format_number(col.typical_min)}"
    return valid


def _meaning(col: ColumnSpec) -> str:
    text = col.comment_en
    if col.ref:
        text += " Ids from " + " or ".join(sheet(k).name_en for k in ref_sheets(col.ref)) + "."
    return text


def excel_format_markdown() -> str:
    """``docs/excel_format.md``, generated from the schema (a test keeps the committed file in sync)."""
    out = [
        "# CopperLoop workbook format",
        "",
        "<!-- Generated by optimizer.io.templates.excel_format_markdown(); do not edit by hand. -->",
        "",
        "A network is one `.xlsx` workbook with one sheet per table. Start from "
        "`templates/network_template_en.xlsx` or `templates/network_template_zh.xlsx` "
        "(or `copperloop template`).",
        "",
        "## Rules",
        "",
        "- Sheet names and headers may be English or Chinese; they are matched ignoring case, spaces, "
        "underscores and the unit in brackets. The header is the first row "
        "(a title row above it is tolerated).",
        "- A blank cell in a required column is an error. A blank cell in an optional column takes the "
        'default shown below; "optional" with no default means none (no price, no limit).',
        "- Numbers may be stored as text: `1,200` (comma followed by exactly three digits) is 1200; `1,5` is "
        "rejected. Fraction columns (unit 0-1) also accept `85%` (= 0.85); other columns reject percentages.",
        "- Enum values may be written in English or Chinese (`existing`/`现有`, `candidate`/`候选`, "
        "`closed`/`关闭`).",
        "- Id lists (Smelters' accepted grades, VehicleTypes' depots) separate ids with "
        "`,` `，` `;` or `、`.",
        "- Formulas: the value Excel last saved is read; a formula that was never calculated "
        "and saved is an error.",
        "- A row with a cell that cannot be read (not a number, unknown status, blank required value) is "
        'not loaded, and each bad cell is reported as `Sheet!C5: "abc" is not a number; expected ...`.',
        "- A cell whose saved value is damaged (a number cell holding `NaN` or `abc`, a date cell that is "
        "no date, a reference to text the file does not have) is reported at that cell in the same way; "
        "the rest of the sheet is read.",
        "- Merged cells in the data rows are reported: a merged range keeps its value in its first cell "
        "only, so the other rows read as blank. Hidden rows are read like any other row, with a warning "
        "that counts them.",
        "- Unknown columns are ignored with a warning. Fully blank rows are ignored. Sheets other than these "
        "are ignored (a warning is given when a name looks like a misspelled CopperLoop sheet).",
        "- The grades a site accepts are the input grades of its Yields rows; a pass-through is written "
        "g -> g with yield 1.",
        "- The first capacity module of an existing site is its current capacity; the rest are expansions.",
        "- Numbers are saved with 16 significant digits (Excel itself keeps 15). Sites are saved dismantling "
        "sites first, then sorting centers, so a network read back lists them in that order.",
        "- Each number must lie in the Range of its column below; outside it is an error, located at its "
        "cell. Past the *typical* values (what a real network has) it is a warning: usually a typo or a "
        "wrong unit (kg for t, CNY per kg for CNY per t). Huge values (above the \"at most\" limit) are "
        "refused because the solvers cannot compute with them. The typical bounds are **estimates**, set "
        "well beyond published figures: a six-axle truck is at most 49 t gross, smelters take 200-620 kt of "
        "scrap a year, copper trades at 70,000-80,000 CNY/t, road freight costs 0.42-0.49 CNY/t-km and "
        "emits 0.073-0.095 kg CO2/t-km, No.1 copper holds about 97 % Cu and bare bright over 99 % "
        "(sources in `sample_networks/README.md`).",
        f"- Text is at most {EXCEL_CELL_MAX_CHARS:,} characters per cell (Excel's limit), in every text "
        "column.",
        f"- A collection point more than {FAR_NODE_WARNING_KM:,.0f} km from every site and smelter (a site "
        f"or smelter from every other node) gets a warning; beyond {FAR_NODE_MISPLACED_KM:,.0f} km the "
        "warning says its coordinates are wrong (a missing minus sign, or latitude and longitude swapped).",
        "- A site cannot create copper: the outputs of one tonne of an input grade (yield x copper content, "
        "summed) must not hold more copper than that tonne; otherwise the Yields row is an error.",
        "- Saving replaces the file in one step and keeps the previous version as `<name>.bak.xlsx`. A new "
        "file gets the permissions the user's umask gives, a replaced one keeps its own; the temporary file "
        "an interrupted save leaves (`.<name>.<pid>-<random>.tmp.xlsx`) is removed by the next save of that "
        "file. Text is always saved as text: a name starting with `=`, `+`, `-` or `@` never becomes a "
        "formula, in any workbook CopperLoop writes.",
        "- Files refused with a clear message: missing, not a zip (`.csv`, damaged or truncated), `.xls`, "
        "password-protected, `.ods`, more than 512 MB unpacked, XML entity declarations, sheets with more "
        "than 200,000 rows.",
        "",
        "## Sheets",
        "",
    ]
    for spec in data_sheets():
        need = " (required sheet)" if spec.required else ""
        out += [f"### {spec.name_en} / {spec.name_zh}{need}", "", spec.description_en, ""]
        if spec is PARAMETERS_SHEET:
            out += [
                "Columns: " + ", ".join(f"`{header(c)}` / `{header(c, 'zh')}`" for c in spec.columns) + ".",
                "One row per parameter:",
                "",
            ]
            cols = PARAMETER_ROWS
        else:
            cols = spec.columns
        out += [
            "| Header (English) | Header (Chinese) | Type | Blank | Range | Meaning |",
            "|---|---|---|---|---|---|",
        ]
        for col in cols:
            kind = col.type if not col.allowed else "one of " + ", ".join(col.allowed)
            out.append(
                f"| {_cell(header(col))} | {_cell(header(col, 'zh'))} | {kind} | {_blank_rule(col)} | "
                f"{_cell(_range_rule(col))} | "
                f"{_cell(_meaning(col))} |"
            )
        out.append("")
    return "\n".join(out)


def regenerate(root: Path | None = None) -> list[Path]:
    """Rewrite the committed templates and ``docs/excel_format.md`` from the schema; the written paths."""
    base = root or template_path().parents[1]
    written = []
    for lang in LANGS:
        path = base / "templates" / f"network_template_{lang}.xlsx"
        save_workbook(template_workbook(lang), path)
        path.with_name(f"{path.stem}.bak.xlsx").unlink(missing_ok=True)
        written.append(path)
    docs = base / "docs" / "excel_format.md"
    docs.parent.mkdir(parents=True, exist_ok=True)
    docs.write_text(excel_format_markdown(), encoding="utf-8")
    written.append(docs)
    return written


if __name__ == "__main__":
    for written_path in regenerate():
        print(written_path)
