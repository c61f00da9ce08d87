"""Table models over the document: one per Excel sheet, with columns taken from the one schema.

A :class:`SheetAdapter` says how a sheet's rows map onto the (nested, immutable) network: collection
points hold their supplies, sites hold their capacity modules and yields, so those sheets show the
children flattened with a parent-id column, exactly as the workbook does. Every edit (a cell, a paste,
adding, duplicating or deleting rows) parses and checks the typed values first and then becomes one
undoable document command; a value that does not parse, is out of range or names an unknown id is
refused with a message and never stored.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.document import NetworkDocument
from app.i18n import language, tr
from app.network_edits import copy_id, id_pattern, next_id, node_ids, rename_grade, rename_node
from optimizer import Issue, schema
from optimizer.model import (
    CapacityModule,
    CollectionPoint,
    DistanceOverride,
    Grade,
    Network,
    Period,
    ProcessingSite,
    SiteKind,
    Smelter,
    Supply,
    SupplyGrowth,
    VehicleType,
    YieldEntry,
)
from optimizer.schema import ColumnSpec, SheetSpec

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2

_ERROR_BRUSH = QBrush(QColor(255, 214, 214))
_WARNING_BRUSH = QBrush(QColor(255, 242, 204))

Index = QModelIndex | QPersistentModelIndex


class CellError(ValueError):
    """A value refused by a table: the message is already in the user's language."""


@dataclass(frozen=True)
class Row:
    """One table row: the model object and, on child sheets, the id of the parent that holds it."""

    parent: str | None
    obj: Any


# ---------------------------------------------------------------------------------------------------
# Parsing typed values from what a user typed or pasted


_SPLIT_IDS = re.compile(r"[,;，、；\s]+")


def _format_number(value: float) -> str:
    """One format for every number in a column: thousands grouped from 1,000 on (8,000 beside 20,000)."""
    return f"{value:,.10g}" if abs(value) >= 1e3 else f"{value:.10g}"


def expected_text(col: ColumnSpec) -> str:
    """What a valid value of ``col`` looks like, in the current language."""
    if col.type == "enum":
        return tr("expected.one_of", values=", ".join(col.enum_labels(language())))
    if col.type == "id_list":
        return tr("expected.ids")
    if col.type in ("float", "int"):
        kind = tr("expected.whole") if col.type == "int" else tr("expected.number")
        if col.min_value is not None and col.max_value is not None:
            return tr("expected.range", kind=kind, low=f"{col.min_value:g}", high=f"{col.max_value:g}")
        if col.min_value is not None:
            return tr("expected.at_least", kind=kind, low=f"{col.min_value:g}")
        return kind
    return tr("expected.text")


def parse_number(text: str, col: ColumnSpec) -> float:
    """A float from text such as ``"1,200"``, ``" 0.85 "`` or (for 0-1 columns) ``"85%"``."""
    cleaned = text.strip().replace(",", "").replace("，", "").replace(" ", "")
    percent = cleaned.endswith("%") or cleaned.endswith("％")
    if percent:
        if not col.is_fraction:
            raise CellError(tr("cell.not_number", value=text, expected=expected_text(col)))
        cleaned = cleaned[:-1]
    try:
        value = float(cleaned)
    except ValueError:
        raise CellError(tr("cell.not_number", value=text, expected=expected_text(col))) from None
    if not math.isfinite(value):
        raise CellError(tr("cell.not_number", value=text, expected=expected_text(col)))
    return value / 100.0 if percent else value


def parse_value(col: ColumnSpec, raw: Any) -> Any:
    """The typed value of a cell, or :class:`CellError` saying why it is refused.

    Blank means the column's default when the column is optional (the schema states each default)
    and is refused when it is required. Ranges come from the schema; references are checked by the
    caller, which knows the network.
    """
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        text = repr(raw)
    elif isinstance(raw, tuple | list):
        text = ", ".join(str(x) for x in raw)
    else:
        text = "" if raw is None else str(raw)
    if not text.strip():
        if col.required:
            raise CellError(tr("cell.required", expected=expected_text(col)))
        return col.default
    if col.type == "str":
        return text.strip()
    if col.type == "id_list":
        return tuple(x for x in _SPLIT_IDS.split(text.strip()) if x)
    if col.type == "enum":
        folded = schema.normalize(text)
        for canonical, zh in zip(col.allowed, col.allowed_zh or col.allowed, strict=False):
            if folded in (schema.normalize(canonical), schema.normalize(zh)):
                return canonical
        raise CellError(tr("cell.not_allowed", value=text.strip(), expected=expected_text(col)))
    value = parse_number(text, col)
    if col.type == "int":
        if value != int(value):
            raise CellError(tr("cell.not_whole", value=text.strip(), expected=expected_text(col)))
        value = int(value)
    if (col.min_value is not None and value < col.min_value) or (
        col.max_value is not None and value > col.max_value
    ):
        raise CellError(tr("cell.out_of_range", value=text.strip(), expected=expected_text(col)))
    return value


def sheet_words(spec: schema.SheetSpec, lower: bool = False) -> str:
    """A sheet's name as words in the UI language: "Collection points" (the workbook's own sheet name,
    "CollectionPoints", is for Excel; ``lower`` gives "collection points" for the middle of a sentence)."""
    if language() == "zh":
        return spec.name_zh
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", spec.name_en).lower()
    return words if lower else words[:1].upper() + words[1:]


def display_value(col: ColumnSpec, value: Any) -> str:
    """How a stored value is shown in a cell (numbers grouped, enums in the UI language)."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        value = value.value
    if col.type == "enum" and value in col.allowed:
        return col.enum_labels(language())[col.allowed.index(value)]
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return _format_number(value)
    if isinstance(value, int) and "year" not in col.key:
        return _format_number(value)  # years stay 2026, not 2,026
    return str(value)


def edit_value(value: Any) -> str:
    """The text an editor starts with: plain, ungrouped, so it re-parses to the same value."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.12g}"
    return str(value)


def known_ids(network: Network, ref: str) -> set[str]:
    """The ids a ``ref`` column may name."""
    found: set[str] = set()
    for key in schema.ref_sheets(ref):
        found |= {row.obj.id for row in ADAPTERS[key].rows(network)}
    return found


# ---------------------------------------------------------------------------------------------------
# How each sheet's rows live in the network


def _centre(network: Network) -> tuple[float, float]:
    """Where a new node goes when added from a table: the middle of the network (or central China)."""
    nodes = list(network.nodes())
    if not nodes:
        return 30.0, 114.0
    return (
        round(sum(n.lat for n in nodes) / len(nodes), 4),
        round(sum(n.lon for n in nodes) / len(nodes), 4),
    )


class SheetAdapter:
    """Reads a sheet's rows from a network and writes edited rows back.

    Subclasses set ``spec`` (the schema sheet) and ``entity`` (the validation entity kind).
    """

    spec: SheetSpec
    entity: str
    parent_key: str | None = None

    def rows(self, network: Network) -> list[Row]:
        raise NotImplementedError

    def rebuild(self, network: Network, rows: Sequence[Row]) -> Network:
        raise NotImplementedError

    def new_row(self, network: Network, near: Row | None) -> Row:
        """A fresh row with a unique id (placed next to ``near``'s parent on child sheets)."""
        raise NotImplementedError

    def entity_id(self, row: Row) -> str:
        return str(row.obj.id)

    def id_scope(self, network: Network) -> set[str]:
        """Ids already taken for this sheet's id column (empty for sheets without ids)."""
        return {r.obj.id for r in self.rows(network)}

    def rename(self, network: Network, old: str, new: str) -> Network:
        """Follow an id change into references elsewhere in the network."""
        return network

    def get(self, row: Row, key: str) -> Any:
        if key == self.parent_key:
            return row.parent
        return getattr(row.obj, key)

    def with_value(self, row: Row, key: str, value: Any) -> Row:
        if key == self.parent_key:
            return Row(value, row.obj)
        current = getattr(row.obj, key)
        if isinstance(current, Enum) and value is not None:
            value = type(current)(value)
        return Row(row.parent, dataclasses.replace(row.obj, **{key: value}))

    def duplicate(self, network: Network, row: Row, taken: set[str]) -> Row:
        if "id" in {c.key for c in self.spec.columns} and hasattr(row.obj, "id"):
            new_id = copy_id(taken, row.obj.id)
            taken.add(new_id)
            return Row(row.parent, dataclasses.replace(row.obj, id=new_id))
        return row


class _TupleAdapter(SheetAdapter):
    """A sheet that is one tuple field of the network (grades, collection points, smelters, ...)."""

    field_name: str
    prefix: str
    width: int = 2

    def rows(self, network: Network) -> list[Row]:
        return [Row(None, obj) for obj in getattr(network, self.field_name)]

    def rebuild(self, network: Network, rows: Sequence[Row]) -> Network:
        return network.replace(**{self.field_name: tuple(r.obj for r in rows)})

    def new_id(self, network: Network) -> str:
        """The next id in the pattern this sheet's ids already follow (CP18 after CP17), else the default."""
        prefix, width = id_pattern(r.obj.id for r in self.rows(network)) or (self.prefix, self.width)
        return next_id(self.id_scope(network), prefix, width)


class GradesAdapter(_TupleAdapter):
    spec, entity, field_name, prefix = schema.GRADES, "grade", "grades", "G"

    def new_row(self, network: Network, near: Row | None) -> Row:
        return Row(None, Grade(self.new_id(network), "", "", 1.0))

    def rename(self, network: Network, old: str, new: str) -> Network:
        return rename_grade(network, old, new)


class _NodeAdapter(_TupleAdapter):
    def id_scope(self, network: Network) -> set[str]:
        return node_ids(network)

    def rename(self, network: Network, old: str, new: str) -> Network:
        return rename_node(network, old, new)


class CollectionPointsAdapter(_NodeAdapter):
    spec, entity, field_name, prefix, width = (
        schema.COLLECTION_POINTS,
        "collection_point",
        "collection_points",
        "CP-",
        3,
    )

    def new_row(self, network: Network, near: Row | None) -> Row:
        lat, lon = _centre(network)
        return Row(None, CollectionPoint(self.new_id(network), "", lat, lon))


class SmeltersAdapter(_NodeAdapter):
    spec, entity, field_name, prefix = schema.SMELTERS, "smelter", "smelters", "SM-"

    def new_row(self, network: Network, near: Row | None) -> Row:
        lat, lon = _centre(network)
        return Row(None, Smelter(self.new_id(network), "", lat, lon))


class VehicleTypesAdapter(_TupleAdapter):
    spec, entity, field_name, prefix = schema.VEHICLE_TYPES, "vehicle_type", "vehicle_types", "T"

    def new_row(self, network: Network, near: Row | None) -> Row:
        return Row(None, VehicleType(self.new_id(network), "", 10.0, 800.0, 3.5))


class DistancesAdapter(_TupleAdapter):
    spec, entity, field_name, prefix = schema.DISTANCES, "distance", "distances", ""

    def id_scope(self, network: Network) -> set[str]:
        return set()

    def entity_id(self, row: Row) -> str:
        return f"{row.obj.from_id}/{row.obj.to_id}"

    def new_row(self, network: Network, near: Row | None) -> Row:
        ids = [n.id for n in network.nodes()]
        if len(ids) < 2:
            raise CellError(tr("table.need_two_nodes"))
        return Row(None, DistanceOverride(ids[0], ids[1]))


class PeriodsAdapter(_TupleAdapter):
    """The optional Periods sheet of a multi-year plan: one row per period, known by its year."""

    spec, entity, field_name, prefix = schema.PERIODS, "period", "periods", ""

    def id_scope(self, network: Network) -> set[str]:
        return set()

    def entity_id(self, row: Row) -> str:
        return str(row.obj.year)

    def new_row(self, network: Network, near: Row | None) -> Row:
        last = network.periods[-1] if network.periods else None
        year = last.year + last.length_years if last else network.parameters.planning_year
        return Row(None, Period(year))


class GrowthAdapter(_TupleAdapter):
    """The optional Growth sheet: supply factors per year, grade and province, known by the three."""

    spec, entity, field_name, prefix = schema.GROWTH, "growth", "growth", ""

    def id_scope(self, network: Network) -> set[str]:
        return set()

    def entity_id(self, row: Row) -> str:
        return str(row.obj.row_id)

    def new_row(self, network: Network, near: Row | None) -> Row:
        year = network.periods[0].year if network.periods else network.parameters.planning_year
        return Row(None, SupplyGrowth(year))


class SitesAdapter(_NodeAdapter):
    """Dismantling sites or sorting centers: one kind's share of ``network.sites``, kept in place."""

    field_name = "sites"

    def __init__(self, spec: SheetSpec, kind: SiteKind, prefix: str) -> None:
        self.spec, self.entity, self.kind, self.prefix = spec, "site", kind, prefix

    def rows(self, network: Network) -> list[Row]:
        return [Row(None, s) for s in network.sites if s.kind is self.kind]

    def rebuild(self, network: Network, rows: Sequence[Row]) -> Network:
        mine = iter(r.obj for r in rows)
        sites: list[ProcessingSite] = []
        for site in network.sites:
            if site.kind is not self.kind:
                sites.append(site)
                continue
            nxt = next(mine, None)
            if nxt is not None:
                sites.append(nxt)
        sites.extend(mine)
        return network.replace(sites=tuple(sites))

    def new_row(self, network: Network, near: Row | None) -> Row:
        lat, lon = _centre(network)
        return Row(None, ProcessingSite(self.new_id(network), "", self.kind, lat, lon))


class _ChildAdapter(SheetAdapter):
    """A sheet of objects nested in a parent (supplies in collection points, modules/yields in sites)."""

    parent_field: str
    child_field: str

    def parents(self, network: Network) -> tuple[Any, ...]:
        return tuple(getattr(network, self.parent_field))

    def rows(self, network: Network) -> list[Row]:
        return [Row(p.id, c) for p in self.parents(network) for c in getattr(p, self.child_field)]

    def rebuild(self, network: Network, rows: Sequence[Row]) -> Network:
        grouped: dict[str, list[Any]] = {}
        for r in rows:
            grouped.setdefault(str(r.parent), []).append(r.obj)
        parents = tuple(
            dataclasses.replace(p, **{self.child_field: tuple(grouped.get(p.id, ()))})
            for p in self.parents(network)
        )
        return network.replace(**{self.parent_field: parents})

    def id_scope(self, network: Network) -> set[str]:
        return set()

    def parent_for(self, network: Network, near: Row | None) -> str:
        parents = self.parents(network)
        if not parents:
            raise CellError(tr("table.need_parent", sheet=schema.sheet(self.parent_sheet).name(language())))
        return near.parent if near is not None and near.parent else parents[0].id

    parent_sheet: str


class SupplyAdapter(_ChildAdapter):
    spec, entity, parent_key = schema.SUPPLY, "supply", "collection_point_id"
    parent_field, child_field, parent_sheet = "collection_points", "supplies", "collection_points"

    def entity_id(self, row: Row) -> str:
        return f"{row.parent}/{row.obj.grade_id}"

    def new_row(self, network: Network, near: Row | None) -> Row:
        parent = self.parent_for(network, near)
        if not network.grades:
            raise CellError(tr("table.need_parent", sheet=schema.GRADES.name(language())))
        return Row(parent, Supply(network.grades[0].id, 0.0))


class CapacityModulesAdapter(_ChildAdapter):
    spec, entity, parent_key = schema.CAPACITY_MODULES, "capacity_module", "site_id"
    parent_field, child_field, parent_sheet = "sites", "modules", "dismantling_sites"

    def entity_id(self, row: Row) -> str:
        return f"{row.parent}/{row.obj.id}"

    def new_row(self, network: Network, near: Row | None) -> Row:
        parent = self.parent_for(network, near)
        site = network.node(parent)
        taken = {m.id for m in getattr(site, "modules", ())}
        return Row(parent, CapacityModule(next_id(taken, "M", 1), 0.0, 0.0))

    def duplicate(self, network: Network, row: Row, taken: set[str]) -> Row:
        site = network.node(str(row.parent))
        ids = {m.id for m in getattr(site, "modules", ())} | taken
        new_id = copy_id(ids, row.obj.id)
        taken.add(new_id)
        return Row(row.parent, dataclasses.replace(row.obj, id=new_id))


class YieldsAdapter(_ChildAdapter):
    spec, entity, parent_key = schema.YIELDS, "yield", "site_id"
    parent_field, child_field, parent_sheet = "sites", "yields", "dismantling_sites"

    def entity_id(self, row: Row) -> str:
        return f"{row.parent}/{row.obj.input_grade_id}/{row.obj.output_grade_id}"

    def new_row(self, network: Network, near: Row | None) -> Row:
        parent = self.parent_for(network, near)
        if not network.grades:
            raise CellError(tr("table.need_parent", sheet=schema.GRADES.name(language())))
        g = network.grades[0].id
        return Row(parent, YieldEntry(g, g, 1.0))


ADAPTERS: dict[str, SheetAdapter] = {
    a.spec.key: a
    for a in (
        GradesAdapter(),
        CollectionPointsAdapter(),
        SupplyAdapter(),
        SitesAdapter(schema.DISMANTLING_SITES, SiteKind.DISMANTLING, "DS-"),
        SitesAdapter(schema.SORTING_CENTERS, SiteKind.SORTING, "SC-"),
        CapacityModulesAdapter(),
        YieldsAdapter(),
        SmeltersAdapter(),
        VehicleTypesAdapter(),
        DistancesAdapter(),
        PeriodsAdapter(),
        GrowthAdapter(),
    )
}

#: Sheets whose rows are map nodes (selection is shared with the map).
NODE_SHEETS = ("collection_points", "dismantling_sites", "sorting_centers", "smelters")


# ---------------------------------------------------------------------------------------------------
# Qt models


def where(sheet: SheetSpec, row: int, col: ColumnSpec) -> str:
    """A cell's location for messages: sheet, 1-based row and column header."""
    return tr("cell.where", sheet=sheet.name(language()), row=row + 1, column=schema.header(col, language()))


class _IssueCells:
    """Validation issues laid onto cells: ``(row, column) -> issues``, plus per-row issues."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[Issue]] = {}

    def add(self, row: int, col: int, issue: Issue) -> None:
        self.cells.setdefault((row, col), []).append(issue)

    def at(self, row: int, col: int) -> list[Issue]:
        return self.cells.get((row, col), [])


class SheetTableModel(QAbstractTableModel):
    """One sheet of the current scenario's network as an editable table.

    ``editRefused(message)`` is emitted when a typed or pasted value is refused; nothing is stored.
    ``rowsEdited(rows)`` reports which rows an add/duplicate/paste produced, so the view can select
    them.
    """

    editRefused = Signal(str)
    rowsEdited = Signal(list)

    def __init__(self, doc: NetworkDocument, adapter: SheetAdapter, parent: Any = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.adapter = adapter
        self.spec = adapter.spec
        self.columns = adapter.spec.columns
        self._rows = adapter.rows(doc.network)
        self._issues = _IssueCells()
        doc.networkChanged.connect(self.refresh)

    # ---- structure -----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def row(self, index: int) -> Row:
        return self._rows[index]

    def column_index(self, key: str) -> int:
        return [c.key for c in self.columns].index(key)

    def refresh(self) -> None:
        """Re-read rows after any network change, keeping the view's selection when the shape holds."""
        new_rows = self.adapter.rows(self.doc.network)
        if len(new_rows) == len(self._rows):
            self._rows = new_rows
            if new_rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(new_rows) - 1, len(self.columns) - 1))
        else:
            self.beginResetModel()
            self._rows = new_rows
            self.endResetModel()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1))

    # ---- reading -------------------------------------------------------------------------------
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        col = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            mark = " *" if col.required else ""
            return schema.header(col, language()) + mark
        if role == Qt.ItemDataRole.ToolTipRole:
            return col.comment(language())
        return None

    def value(self, row: int, col: int) -> Any:
        return self.adapter.get(self._rows[row], self.columns[col].key)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        col = self.columns[index.column()]
        value = self.value(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return display_value(col, value)
        if role == Qt.ItemDataRole.EditRole:
            if col.type == "enum" and value is not None:
                return display_value(col, value)
            return edit_value(value)
        if role == SORT_ROLE:
            if col.type in ("float", "int"):
                return float("-inf") if value is None else float(value)
            return display_value(col, value).lower()
        if role == ID_ROLE:
            return getattr(self._rows[index.row()].obj, "id", None)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.type in ("float", "int"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        issues = self._issues.at(index.row(), index.column())
        if role == Qt.ItemDataRole.BackgroundRole and issues:
            return _ERROR_BRUSH if any(i.is_error for i in issues) else _WARNING_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole:
            if issues:
                return "\n".join(i.text(language()) for i in issues)
            return col.comment(language())
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    # ---- validation overlay --------------------------------------------------------------------
    def set_issues(self, issues: Iterable[Issue]) -> None:
        """Colour the cells that validation issues point at (red errors, yellow warnings)."""
        by_entity: dict[str, int] = {}
        for i, row in enumerate(self._rows):
            by_entity.setdefault(self.adapter.entity_id(row), i)
        keys = [c.key for c in self.columns]
        cells = _IssueCells()
        for issue in issues:
            if issue.entity != self.adapter.entity or issue.entity_id not in by_entity:
                continue
            col = keys.index(issue.field) if issue.field in keys else 0
            cells.add(by_entity[issue.entity_id], col, issue)
        if cells.cells or self._issues.cells:
            self._issues = cells
            if self._rows:
                last = self.index(len(self._rows) - 1, len(self.columns) - 1)
                self.dataChanged.emit(
                    self.index(0, 0), last, [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole]
                )

    def locate(self, issue: Issue) -> tuple[int, int] | None:
        """The (row, column) an issue points at in this sheet, if it does."""
        if issue.entity != self.adapter.entity:
            return None
        for i, row in enumerate(self._rows):
            if self.adapter.entity_id(row) == issue.entity_id:
                keys = [c.key for c in self.columns]
                return i, keys.index(issue.field) if issue.field in keys else 0
        return None

    def row_of_id(self, node_id: str) -> int | None:
        for i, row in enumerate(self._rows):
            if getattr(row.obj, "id", None) == node_id:
                return i
        return None

    # ---- editing -------------------------------------------------------------------------------
    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        return self.set_cells([(index.row(), index.column(), value)])

    def _checked(
        self, network: Network, rows: list[Row], r: int, c: int, raw: Any, renames: list[tuple[str, str]]
    ) -> Row:
        """Row ``r`` with column ``c`` set from ``raw``, or :class:`CellError` with a located message."""
        col = self.columns[c]
        try:
            value = parse_value(col, raw)
            if col.ref and value not in (None, "", ()):
                known = known_ids(network, col.ref) | {
                    x.obj.id for x in rows if self.spec.key in schema.ref_sheets(col.ref)
                }
                for ident in value if isinstance(value, tuple) else (value,):
                    if ident not in known:
                        sheets = schema.ref_sheets(col.ref)
                        targets = " / ".join(schema.sheet(k).name(language()) for k in sheets)
                        raise CellError(tr("cell.unknown_ref", value=ident, sheet=targets))
            row = rows[r]
            if col.key == "id" and self.adapter.parent_key is None and value != row.obj.id:
                scope = self.adapter.id_scope(network) | {x.obj.id for x in rows}
                if value in scope:
                    raise CellError(tr("cell.duplicate_id", value=value))
                renames.append((row.obj.id, value))
            if col.key == "id" and self.adapter.parent_key is not None and value != row.obj.id:
                siblings = {x.obj.id for x in rows if x.parent == row.parent and x is not row}
                if value in siblings:
                    raise CellError(tr("cell.duplicate_id", value=value))
            return self.adapter.with_value(row, col.key, value)
        except CellError as exc:
            raise CellError(f"{where(self.spec, r, col)}: {exc}") from None

    def set_cells(self, edits: Sequence[tuple[int, int, Any]], grow: bool = False) -> bool:
        """Set many cells as one undoable edit; refuse them all (with every reason) if any is bad.

        With ``grow`` edits below the last row first add rows (pasting a block from Excel).
        """
        network = self.doc.network
        rows = list(self._rows)
        renames: list[tuple[str, str]] = []
        problems: list[str] = []
        added: list[int] = []
        for r, c, raw in sorted(edits, key=lambda e: (e[0], e[1])):
            if not 0 <= c < len(self.columns):
                continue
            while grow and r >= len(rows):
                try:
                    so_far = self.adapter.rebuild(network, rows)
                    rows.append(self.adapter.new_row(so_far, rows[-1] if rows else None))
                except CellError as exc:
                    self.editRefused.emit(str(exc))
                    return False
                added.append(len(rows) - 1)
            if r >= len(rows):
                continue
            try:
                rows[r] = self._checked(network, rows, r, c, raw, renames)
            except CellError as exc:
                problems.append(str(exc))
        if problems:
            shown = problems[:8]
            if len(problems) > 8:
                shown.append(tr("table.more_problems", n=len(problems) - 8))
            self.editRefused.emit("\n".join(shown))
            return False
        new = self.adapter.rebuild(network, rows)
        for old, new_id in renames:
            new = self.adapter.rename(new, old, new_id)
        text = (
            tr("undo.edit_cell", sheet=sheet_words(self.spec, lower=True))
            if len(edits) == 1 and not added
            else tr("undo.paste", sheet=sheet_words(self.spec, lower=True), n=len(edits))
        )
        self.doc.apply(new, text)
        if added:
            self.rowsEdited.emit(added)
        return True

    def _apply_rows(self, rows: list[Row], text: str, touched: Callable[[list[Row]], list[int]]) -> None:
        self.doc.apply(self.adapter.rebuild(self.doc.network, rows), text)
        self.rowsEdited.emit(touched(self._rows))

    def add_row(self, near: int | None = None) -> bool:
        """Append a new row (on child sheets, under the parent of row ``near``)."""
        rows = list(self._rows)
        try:
            new = self.adapter.new_row(self.doc.network, rows[near] if near is not None and rows else None)
        except CellError as exc:
            self.editRefused.emit(str(exc))
            return False
        rows.append(new)
        self._apply_rows(
            rows,
            tr("undo.add_row", sheet=sheet_words(self.spec, lower=True)),
            lambda now: [i for i, x in enumerate(now) if x == new][-1:],
        )
        return True

    def duplicate_rows(self, indices: Sequence[int]) -> None:
        rows = list(self._rows)
        taken = self.adapter.id_scope(self.doc.network)
        copies = [self.adapter.duplicate(self.doc.network, rows[i], taken) for i in sorted(set(indices))]
        rows.extend(copies)
        self._apply_rows(
            rows,
            tr("undo.duplicate_rows", sheet=sheet_words(self.spec, lower=True), n=len(copies)),
            lambda now: [i for i, x in enumerate(now) if any(x is c or x == c for c in copies)],
        )

    def delete_rows(self, indices: Sequence[int]) -> None:
        drop = set(indices)
        rows = [r for i, r in enumerate(self._rows) if i not in drop]
        self.doc.apply(
            self.adapter.rebuild(self.doc.network, rows),
            tr("undo.delete_rows", sheet=sheet_words(self.spec, lower=True), n=len(drop)),
        )


class ParametersTableModel(QAbstractTableModel):
    """The Parameters sheet: one row per parameter, only the value column is editable."""

    editRefused = Signal(str)
    rowsEdited = Signal(list)

    VALUE = 1

    def __init__(self, doc: NetworkDocument, parent: Any = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.spec = schema.PARAMETERS_SHEET
        self.params = schema.PARAMETER_ROWS
        self._issues: dict[str, list[Issue]] = {}
        doc.networkChanged.connect(self.refresh)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.params)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.spec.columns)

    def refresh(self) -> None:
        self.dataChanged.emit(self.index(0, 0), self.index(len(self.params) - 1, len(self.spec.columns) - 1))

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.spec.columns) - 1)
        self.refresh()

    def value_of(self, key: str) -> Any:
        if key == "network_name":
            return self.doc.network.name
        return getattr(self.doc.network.parameters, key)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return self.spec.columns[section].label(language())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        spec = self.params[index.row()]
        lang = language()
        col = index.column()
        value = self.value_of(spec.key)
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            shown = display_value(spec, value) if value is not None else tr("table.no_limit")
            return [spec.label(lang), shown, spec.unit_label(lang), spec.comment(lang)][col]
        if role == Qt.ItemDataRole.EditRole and col == self.VALUE:
            return edit_value(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            issues = self._issues.get(spec.key)
            return "\n".join(i.text(lang) for i in issues) if issues else spec.comment(lang)
        if role == Qt.ItemDataRole.BackgroundRole and col == self.VALUE and self._issues.get(spec.key):
            return _ERROR_BRUSH if any(i.is_error for i in self._issues[spec.key]) else _WARNING_BRUSH
        if role == Qt.ItemDataRole.ForegroundRole and col == self.VALUE and value is None:
            return QBrush(QColor(130, 130, 130))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == self.VALUE else base

    def set_issues(self, issues: Iterable[Issue]) -> None:
        found: dict[str, list[Issue]] = {}
        for issue in issues:
            if issue.entity == "parameters":
                found.setdefault(issue.field, []).append(issue)
        if found or self._issues:
            self._issues = found
            self.refresh()

    def locate(self, issue: Issue) -> tuple[int, int] | None:
        if issue.entity != "parameters":
            return None
        keys = [p.key for p in self.params]
        return (keys.index(issue.field), self.VALUE) if issue.field in keys else (0, self.VALUE)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != self.VALUE:
            return False
        return self.set_cells([(index.row(), index.column(), value)])

    def set_cells(self, edits: Sequence[tuple[int, int, Any]], grow: bool = False) -> bool:
        network = self.doc.network
        changes: dict[str, Any] = {}
        problems: list[str] = []
        for r, c, raw in edits:
            if c != self.VALUE or not 0 <= r < len(self.params):
                continue
            spec = self.params[r]
            try:
                changes[spec.key] = parse_value(spec, raw)
            except CellError as exc:
                sheet_name = self.spec.name(language())
                place = tr("cell.where", sheet=sheet_name, row=r + 1, column=spec.label(language()))
                problems.append(f"{place}: {exc}")
        if problems:
            self.editRefused.emit("\n".join(problems))
            return False
        name = changes.pop("network_name", network.name)
        new = network.replace(
            name=name if name is not None else "",
            parameters=dataclasses.replace(network.parameters, **changes),
        )
        self.doc.apply(new, tr("undo.edit_parameter"))
        return True
