"""Build the broken workbooks in this folder, each named after its one defect.

Every file starts as the valid small network of tests/optimizer/networks.py written by
:func:`optimizer.io.write_network`, then one thing is damaged with openpyxl, so the files stay
real Excel workbooks (except the two that are deliberately not). tests/optimizer/test_cli.py runs
``copperloop validate`` on each and checks the located message.

Run from the repository root after changing the workbook format::

    python tests/data/make_broken.py
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

import openpyxl  # noqa: E402
from openpyxl.worksheet.worksheet import Worksheet  # noqa: E402

from optimizer.io import write_network  # noqa: E402
from tests.optimizer.networks import small_network  # noqa: E402

Damage = Callable[[openpyxl.Workbook], None]


def column_of(ws: Worksheet, header_starts: str) -> int:
    """1-based column whose header (row 1) starts with ``header_starts`` ("Supply" for "Supply (t/yr)")."""
    for cell in ws[1]:
        if isinstance(cell.value, str) and cell.value.startswith(header_starts):
            return cell.column
    raise KeyError(f"{ws.title} has no column {header_starts!r}")


def row_of(ws: Worksheet, *key: str) -> int:
    """1-based row whose first cells hold ``key`` (an id, or parent id then child id)."""
    for row in ws.iter_rows(min_row=2):
        if tuple(c.value for c in row[: len(key)]) == key:
            return row[0].row
    raise KeyError(f"{ws.title} has no row {key!r}")


def set_cell(sheet: str, key: tuple[str, ...], header: str, value: Any) -> Damage:
    def damage(wb: openpyxl.Workbook) -> None:
        ws = wb[sheet]
        ws.cell(row_of(ws, *key), column_of(ws, header)).value = value  # None blanks the cell
    return damage


def both(*damages: Damage) -> Damage:
    def damage(wb: openpyxl.Workbook) -> None:
        for d in damages:
            d(wb)
    return damage


def delete_rows(sheet: str, *key: str) -> Damage:
    def damage(wb: openpyxl.Workbook) -> None:
        ws = wb[sheet]
        while True:
            try:
                ws.delete_rows(row_of(ws, *key))
            except KeyError:
                return
    return damage


def delete_sheet(sheet: str) -> Damage:
    def damage(wb: openpyxl.Workbook) -> None:
        del wb[sheet]
    return damage


#: File stem -> the one defect.
WORKBOOKS: dict[str, Damage] = {
    "negative_supply": set_cell("Supply", ("CP-2", "NO2"), "Supply", -5),
    "unknown_grade_in_supply": set_cell("Supply", ("CP-1", "MOT"), "Grade id", "MOTORS"),
    "duplicate_collection_point_id": set_cell("CollectionPoints", ("CP-2",), "Collection point id", "CP-1"),
    "smelter_id_used_by_collection_point": set_cell("Smelters", ("SM-1",), "Smelter id", "CP-2"),
    "latitude_out_of_range": set_cell("CollectionPoints", ("CP-2",), "Latitude", 95.2),
    "yields_sum_above_one": set_cell("Yields", ("SC-1", "NO2", "NO2"), "Yield", 0.55),
    "missing_required_value": set_cell("CollectionPoints", ("CP-2",), "Longitude", None),
    "text_in_number_column": set_cell("Supply", ("CP-1", "BB"), "Supply", "lots"),
    "time_window_reversed": both(
        set_cell("CollectionPoints", ("CP-1",), "Opens", 17),
        set_cell("CollectionPoints", ("CP-1",), "Closes", 8),
    ),
    "candidate_without_modules": delete_rows("CapacityModules", "DS-1"),
    "module_of_unknown_site": set_cell("CapacityModules", ("SC-1", "M"), "Site id", "SC-9"),
    "no_smelter_accepts_any_grade": set_cell("Smelters", ("SM-1",), "Accepted grades", None),
    "missing_sheet_smelters": delete_sheet("Smelters"),
}


def build(out_dir: Path = HERE) -> list[Path]:
    """Write every broken workbook into ``out_dir`` and return their paths."""
    valid = out_dir / "_valid.tmp.xlsx"
    write_network(small_network(), valid)
    written = []
    try:
        for stem, damage in WORKBOOKS.items():
            wb = openpyxl.load_workbook(valid)
            damage(wb)
            path = out_dir / f"{stem}.xlsx"
            wb.save(path)
            written.append(path)
        # A download cut short: the zip's central directory (at its end) is gone.
        data = valid.read_bytes()
        corrupt = out_dir / "corrupt_zip.xlsx"
        corrupt.write_bytes(data[: len(data) // 2])
        written.append(corrupt)
    finally:
        valid.unlink(missing_ok=True)
    not_a_workbook = out_dir / "not_a_workbook.xlsx"
    not_a_workbook.write_text("id,name,lat,lon\nCP-1,Yard one,30.0,120.0\n", encoding="utf-8")
    written.append(not_a_workbook)
    return written


if __name__ == "__main__":
    for path in build():
        print(path.relative_to(HERE.parents[1]))
