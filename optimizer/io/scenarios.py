"""Scenarios in the project workbook: the base network in the usual sheets, the others in one more sheet.

A project workbook is an ordinary network workbook (any CopperLoop reader opens its base network) plus
a ``Scenarios`` sheet (``场景`` in Chinese workbooks) that holds every other scenario: its name, a
one-line summary of how it differs from the base (for a person reading the file), and the scenario's
whole network as JSON, split over as many rows as Excel's 32,767-character cell limit needs. The reader
of the base network ignores the extra sheet, so older tools and hand edits keep working; editing the
JSON by hand is not supported, and a damaged scenario is reported as an issue rather than guessed at.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from enum import Enum
from pathlib import Path
from typing import Any

from optimizer.io.cells import put_row
from optimizer.io.safety import open_workbook
from optimizer.io.writer import network_to_workbook, save_workbook
from optimizer.issues import CellRef, Issue, Severity
from optimizer.model import Network
from optimizer.schema import normalize

SHEET_NAMES = {"en": "Scenarios", "zh": "场景"}
HEADERS = {
    "en": ("Scenario", "Part", "Changes from base", "Data (do not edit)"),
    "zh": ("场景", "序号", "与基准的差异", "数据（请勿编辑）"),
}
#: Characters of JSON per cell, safely under Excel's 32,767 limit.
CHUNK = 30_000
FORMAT_VERSION = 1


def network_to_dict(network: Network) -> dict[str, Any]:
    """Plain JSON-ready data of a network (enums as their values, tuples as lists)."""
    return typing.cast(dict[str, Any], _plain(network))


def network_from_dict(data: dict[str, Any]) -> Network:
    """The network :func:`network_to_dict` produced (unknown keys from newer versions are ignored)."""
    return typing.cast(Network, _build(Network, data))


def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, tuple | list):
        return [_plain(v) for v in obj]
    return obj


def _build(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _build(inner[0], value)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(value)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = typing.get_type_hints(tp)
        names = {f.name for f in dataclasses.fields(tp)}
        return tp(**{k: _build(hints[k], v) for k, v in value.items() if k in names})
    if origin is tuple:
        item = typing.get_args(tp)[0]
        return tuple(_build(item, v) for v in value)
    if tp is float:
        return float(value)
    if tp is int:
        return int(value)
    return value


def describe_changes(base: Network, other: Network) -> str:
    """A short English summary of how ``other`` differs from ``base`` (parameters and row counts)."""
    parts: list[str] = []
    for f in dataclasses.fields(base.parameters):
        a, b = getattr(base.parameters, f.name), getattr(other.parameters, f.name)
        if a != b:
            parts.append(f"{f.name}: {a} -> {b}")
    for name in ("grades", "collection_points", "sites", "smelters", "vehicle_types", "distances"):
        a_items, b_items = getattr(base, name), getattr(other, name)
        if a_items != b_items:
            changed = sum(1 for x, y in zip(a_items, b_items, strict=False) if x != y)
            added = len(b_items) - len(a_items)
            text = f"{name}: {changed} changed"
            if added:
                text += f", {added:+d} rows"
            parts.append(text)
    return "; ".join(parts) or "same as base"


def write_project(
    path: str | Path, base: Network, scenarios: list[tuple[str, Network]], lang: str = "en",
    base_name: str = "Base",
) -> None:
    """Save the base network and the named extra scenarios in one workbook (atomic, with backup)."""
    wb = network_to_workbook(base, lang)
    if scenarios:
        ws = wb.create_sheet(SHEET_NAMES.get(lang, SHEET_NAMES["en"]))
        put_row(ws, 1, HEADERS.get(lang, HEADERS["en"]))
        put_row(ws, 2, [f"#base {base_name}", 0, f"format {FORMAT_VERSION}", ""])
        row = 3
        for name, network in scenarios:
            text = json.dumps(network_to_dict(network), ensure_ascii=False, allow_nan=False)
            chunks = [text[i:i + CHUNK] for i in range(0, len(text), CHUNK)] or [""]
            for part, chunk in enumerate(chunks, start=1):
                summary = describe_changes(base, network) if part == 1 else ""
                # put_row stores text as text: a scenario named "=HYPERLINK(...)" never becomes a formula
                put_row(ws, row, [name, part, summary, chunk])
                row += 1
        ws.column_dimensions["A"].width = 24
        ws.column_dimensions["C"].width = 60
    save_workbook(wb, path)


def read_scenarios(path: str | Path) -> tuple[list[tuple[str, Network]], str | None, list[Issue]]:
    """The extra scenarios saved in ``path``, the base scenario's name (if saved) and any problems.

    A workbook without a Scenarios sheet has none (and no issue). A scenario whose data cannot be read
    back is left out with an error naming it.
    """
    opened, issues = open_workbook(path)
    if opened is None:
        return [], None, issues
    try:
        wb = opened.workbook
        ws = next(
            (w for w in wb.worksheets if normalize(w.title) in {normalize(n) for n in SHEET_NAMES.values()}),
            None,
        )
        if ws is None:
            return [], None, []
        base_name: str | None = None
        parts: dict[str, list[tuple[int, str]]] = {}
        first_row: dict[str, int] = {}
        for row_number, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            if not row or row[0] is None:
                continue
            name = str(row[0])
            if name.startswith("#base "):
                base_name = name[len("#base "):]
                continue
            part = int(row[1]) if isinstance(row[1], int | float) else 1
            data = "" if len(row) < 4 or row[3] is None else str(row[3])
            parts.setdefault(name, []).append((part, data))
            first_row.setdefault(name, row_number)
        scenarios: list[tuple[str, Network]] = []
        for name, chunks in parts.items():
            text = "".join(chunk for _part, chunk in sorted(chunks))
            try:
                scenarios.append((name, network_from_dict(json.loads(text))))
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                issues.append(Issue(
                    Severity.ERROR,
                    f'scenario "{name}" could not be read back ({type(exc).__name__}: {exc}); it was left '
                    "out. Its data column must not be edited by hand.",
                    entity="scenario", entity_id=name, value=name,
                    cell=CellRef(ws.title, first_row[name], "D"),
                ))
        return scenarios, base_name, issues
    finally:
        opened.close()
