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
import hashlib
import json
import types
import typing
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from optimizer.io.cells import put_row
from optimizer.io.safety import open_workbook
from optimizer.io.sheet_rows import SheetRows
from optimizer.io.sweeps import add_sweeps_sheet
from optimizer.io.writer import network_to_workbook, save_workbook
from optimizer.issues import CellRef, Issue, Severity
from optimizer.model import Network
from optimizer.prices import fixed_price_summary
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
    if base.parameters.copper_price_cny_per_t != other.parameters.copper_price_cny_per_t:
        parts.append(fixed_price_summary(other))
    return "; ".join(parts) or "same as base"


def write_project(
    path: str | Path, base: Network, scenarios: list[tuple[str, Network]], lang: str = "en",
    base_name: str = "Base",
    state: ProjectState | None = None,
    sweeps: list[tuple[str, str]] | None = None,
) -> None:
    """Save the base network and the named extra scenarios in one workbook (atomic, with backup).

    ``state`` (plans, the scenario shown, the ones compared) goes to a hidden sheet of its own;
    ``sweeps`` (factor, values rows) to the Sweeps sheet, so a sweep definition stays with the project.
    """
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
    if state is not None and (state.plans or state.current is not None or state.compared):
        _write_state(wb, state)
    if sweeps:
        add_sweeps_sheet(wb, sweeps, lang)
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
        # SheetRows: a damaged cell leaves its scenario unreadable (reported below), not the whole sheet
        for row_number, cells in SheetRows(ws, len(HEADERS["en"])).rows(min_row=2):
            row = [c.value for c in cells] + [None] * (len(HEADERS["en"]) - len(cells))
            if row[0] is None:
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


# --- plans kept with their scenarios -----------------------------------------------------------------

#: The hidden sheet holding the plans, the scenario shown and the ones compared (never read as network).
PLANS_SHEET = "CopperLoop plans"
PLANS_HEADERS = ("Scenario", "Role", "Index", "Part", "Network", "Label", "Data (do not edit)")
#: Roles of a saved plan: the scenario's plan, one point of its trade-off sweep, its routes.
PLAN_ROLES = ("plan", "pareto", "routes")


@dataclass(frozen=True, slots=True)
class SavedPlan:
    """One plan saved with its scenario, as the JSON text of ``Plan.to_json`` (or ``RoutePlan.to_json``).

    ``network_fingerprint`` is :func:`network_fingerprint` of the network the plan was solved on: when
    the scenario's network read back has another fingerprint, the plan is out of date. ``label`` says
    how the plan came to be, in the app's own words ("solve", "sweep 3", ...).
    """

    scenario: str
    role: str
    index: int
    data: str
    network_fingerprint: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class ProjectState:
    """What a project keeps besides its networks: plans, the scenario shown, the scenarios compared."""

    plans: tuple[SavedPlan, ...] = ()
    current: str | None = None
    compared: tuple[str, ...] = ()


def network_fingerprint(network: Network) -> str:
    """A short digest of everything in ``network``: equal networks have equal fingerprints."""
    text = json.dumps(network_to_dict(network), ensure_ascii=False, sort_keys=True, allow_nan=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _write_state(wb: Any, state: ProjectState) -> None:
    ws = wb.create_sheet(PLANS_SHEET)
    ws.sheet_state = "hidden"
    put_row(ws, 1, PLANS_HEADERS)
    row = 2
    if state.current is not None:
        put_row(ws, row, ["#current", "", "", "", "", "", state.current])
        row += 1
    for name in state.compared:
        put_row(ws, row, ["#compared", "", "", "", "", "", name])
        row += 1
    for saved in state.plans:
        chunks = [saved.data[i:i + CHUNK] for i in range(0, len(saved.data), CHUNK)] or [""]
        for part, chunk in enumerate(chunks, start=1):
            # text cells only (put_row): a scenario or label starting with "=" stays text
            put_row(ws, row, [
                saved.scenario, saved.role, saved.index, part, saved.network_fingerprint, saved.label, chunk,
            ])
            row += 1


def read_project_state(path: str | Path) -> tuple[ProjectState, list[Issue]]:
    """The plans, current scenario and compared scenarios saved in ``path`` (none when it has no such
    sheet); a damaged row is reported with its cell and left out."""
    opened, issues = open_workbook(path)
    if opened is None:
        return ProjectState(), issues
    try:
        ws = next((w for w in opened.workbook.worksheets if w.title == PLANS_SHEET), None)
        if ws is None:
            return ProjectState(), []
        current: str | None = None
        compared: list[str] = []
        parts: dict[tuple[str, str, int], list[tuple[int, str]]] = {}
        meta: dict[tuple[str, str, int], tuple[str, str]] = {}
        for row_number, row in enumerate(ws.iter_rows(min_row=2, max_col=7, values_only=True), start=2):
            cells = [*row, *([None] * (7 - len(row)))]
            name, role, index, part, fingerprint, label, data = cells[:7]
            if name is None:
                continue
            if name == "#current":
                current = None if data is None else str(data)
                continue
            if name == "#compared":
                if data is not None:
                    compared.append(str(data))
                continue
            numbered = isinstance(index, int | float) and isinstance(part, int | float)
            if role not in PLAN_ROLES or not numbered:
                issues.append(Issue(
                    Severity.WARNING,
                    f'a saved plan of scenario "{name}" could not be read back (role {role!r}, index '
                    f"{index!r}, part {part!r}); it was left out",
                    entity="scenario", entity_id=str(name), value=str(name),
                    cell=CellRef(ws.title, row_number, "B"),
                ))
                continue
            key = (str(name), str(role), int(index))
            parts.setdefault(key, []).append((int(part), "" if data is None else str(data)))
            meta.setdefault(key, (_text(fingerprint), _text(label)))
        plans = tuple(
            SavedPlan(key[0], key[1], key[2], "".join(c for _p, c in sorted(chunks)), *meta[key])
            for key, chunks in parts.items()
        )
        return ProjectState(plans, current, tuple(compared)), issues
    finally:
        opened.close()


def _text(value: object) -> str:
    return "" if value is None else str(value)
