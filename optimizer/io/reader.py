"""Read a network from a workbook: every problem becomes a located :class:`Issue`, never an exception.

Sheets and headers are recognised in English or Chinese, case-, space- and underscore-insensitively,
with or without the unit suffix. The header is the first of the first ten rows that names the most
known columns, so a title row above it does no harm. A row with any cell that does not parse is
dropped with one ERROR per bad cell; rows on child sheets (Supply, CapacityModules, Yields) whose
parent row was dropped are skipped without a second message. Cross-entity checks (unknown grade ids,
duplicate ids, yields above 1 ...) are :mod:`optimizer.validation`'s job; this module only reports what
stops a row from becoming a model object.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter, range_boundaries

from optimizer.io.safety import MAX_COLUMNS, MAX_ROWS, load_error, open_workbook, sheet_row_count
from optimizer.io.sheet_rows import SheetRows
from optimizer.io.tables import entity_id
from optimizer.io.values import UnreadableValue, ValueProblem, excel_error, is_blank, parse_value, show
from optimizer.issues import CellRef, Issue, Severity
from optimizer.messages import (
    Localized,
    Msg,
    column_expected,
    column_headers,
    column_label,
    msg,
    sheet_name,
)
from optimizer.model import (
    CapacityModule,
    CollectionPoint,
    DistanceOverride,
    Grade,
    Network,
    Parameters,
    Period,
    ProcessingSite,
    SiteKind,
    SiteStatus,
    Smelter,
    Supply,
    SupplyGrowth,
    VehicleType,
    YieldEntry,
)
from optimizer.schema import (
    COLLECTION_POINTS,
    DISMANTLING_SITES,
    INSTRUCTIONS,
    INVESTMENT_PARAMETER_KEYS,
    PARAMETER_ROWS,
    PARAMETERS_SHEET,
    SHEETS,
    SORTING_CENTERS,
    ColumnSpec,
    SheetSpec,
    header,
    header_keys,
    normalize,
    sheet_keys,
    strip_unit,
)

#: Rows searched for the header.
HEADER_SEARCH_ROWS = 10
#: Merged ranges in a sheet's data rows reported one by one; the rest are counted in one more warning.
MERGED_WARNINGS = 10
#: Hidden rows a warning lists by number.
HIDDEN_ROWS_LISTED = 10


class SourceMap:
    """Where each entity and field of a network came from in a workbook.

    Entities and ids follow :class:`Issue`: ``("supply", "CP-1/No2")``, ``("site", "SC-01")``,
    ``("parameters", "")`` with the Parameters field as ``field`` ...
    """

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], list[tuple[str, int]]] = {}
        self._columns: dict[str, dict[str, str]] = {}
        self._id_column: dict[str, str] = {}
        self._cells: dict[tuple[str, str, str], CellRef] = {}
        self._sheets: dict[str, str] = {}

    # -- filled by the reader -------------------------------------------------------------------------
    def add_sheet(self, sheet_key: str, title: str, columns: dict[str, str], id_column: str) -> None:
        self._sheets[sheet_key] = title
        self._columns[title] = columns
        self._id_column[title] = id_column

    def add_row(self, entity: str, entity_id: str, title: str, row: int) -> None:
        self._rows.setdefault((entity, entity_id), []).append((title, row))

    def add_cell(self, entity: str, entity_id: str, field: str, cell: CellRef) -> None:
        self._cells.setdefault((entity, entity_id, field), cell)

    # -- queries --------------------------------------------------------------------------------------
    def cell(self, entity: str, entity_id: str, field: str = "") -> CellRef | None:
        """The cell of ``field`` in the row of ``entity_id``; ``field`` "" (or a field with no column of
        its own, such as a site's ``modules``) gives the row's id cell. None if the entity is unknown."""
        cells = self.cells(entity, entity_id, field)
        return cells[0] if cells else None

    def cells(self, entity: str, entity_id: str, field: str = "") -> list[CellRef]:
        """Every cell for ``entity_id`` (more than one when the id appears on several rows)."""
        explicit = self._cells.get((entity, entity_id, field))
        if explicit is not None:
            return [explicit]
        found = []
        for title, row in self._rows.get((entity, entity_id), []):
            letter = self._columns[title].get(field) or self._id_column[title]
            found.append(CellRef(title, row, letter))
        return found

    def row_of(self, entity: str, entity_id: str) -> tuple[str, int] | None:
        """(sheet name as in the file, 1-based row) of the entity's first row, or None."""
        rows = self._rows.get((entity, entity_id))
        return rows[0] if rows else None

    def sheet_name(self, sheet_key: str) -> str | None:
        """The title in the file of the sheet with schema key ``sheet_key``, if it was read."""
        return self._sheets.get(sheet_key)


@dataclass(frozen=True)
class ReadResult:
    """What :func:`read_network` found: the network (None if the file could not be read as one), every
    problem, and where each entity came from. Never solve a network while ``issues`` has errors."""

    network: Network | None
    issues: list[Issue]
    source: SourceMap = field(default_factory=SourceMap)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def ok(self) -> bool:
        return self.network is not None and not self.errors


def read_network(path: str | Path) -> ReadResult:
    """Read the network in workbook ``path``. Never raises for a bad file: a missing, damaged,
    encrypted, legacy or oversized file gives ``network=None`` and one ERROR saying what to do."""
    opened, issues = open_workbook(path)
    if opened is None:
        return ReadResult(None, issues, SourceMap())
    try:
        result = network_from_workbook(opened.workbook, formula_cells=opened.formula_cells)
    except Exception as exc:  # last resort: a hostile file must never reach the user as a traceback
        expected_failure = isinstance(exc, OSError | ValueError | KeyError | EOFError | MemoryError)
        code = "file.problem" if expected_failure else "file.defect"
        message = msg(code, file=Path(path).name, problem=load_error(exc))
        issue = Issue.of(Severity.ERROR, message, entity="workbook", value=str(path))
        return ReadResult(None, [*issues, issue], SourceMap())
    finally:
        opened.close()
    return ReadResult(result.network, issues + result.issues, result.source)


def network_from_workbook(
    wb: Any, formula_cells: dict[str, set[tuple[int, int]]] | None = None
) -> ReadResult:
    """Read a network from an open openpyxl workbook (e.g. a plan workbook with the input sheets).

    ``formula_cells`` maps sheet titles to the (row, column) of formula cells, so that a formula whose
    value was never saved is reported instead of read as blank; :func:`read_network` supplies it.
    """
    reader = _Reader(wb, formula_cells or {})
    return reader.read()


@dataclass
class _Row:
    number: int
    record: dict[str, Any]


@dataclass
class _Table:
    title: str
    rows: list[_Row]
    dropped_ids: set[str]


class _Reader:
    def __init__(self, wb: Any, formula_cells: dict[str, set[tuple[int, int]]]) -> None:
        self.wb = wb
        self.formula_cells = formula_cells
        self.issues: list[Issue] = []
        self.source = SourceMap()

    def error(
        self,
        message: Msg,
        *,
        entity: str = "",
        entity_id: str = "",
        field: str = "",
        value: object = None,
        expected: str = "",
        cell: CellRef | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.issues.append(
            Issue.of(
                severity,
                message,
                entity=entity,
                entity_id=entity_id,
                field=field,
                value=value,
                expected=expected,
                cell=cell,
            )
        )

    def warn(self, message: Msg, **kw: Any) -> None:
        self.error(message, severity=Severity.WARNING, **kw)

    # -- sheets ---------------------------------------------------------------------------------------
    def find_sheets(self) -> dict[str, Any]:
        """Worksheet per sheet key; warns about duplicates and near-miss names."""
        found: dict[str, Any] = {}
        accepted = {k: spec for spec in SHEETS for k in sheet_keys(spec)}
        for ws in self.wb.worksheets:
            spec = accepted.get(normalize(ws.title))
            if spec is None:
                close = difflib.get_close_matches(normalize(ws.title), list(accepted), n=1, cutoff=0.8)
                if close:
                    guess = accepted[close[0]]
                    self.warn(
                        msg("sheet.near_miss", title=ws.title, name_en=guess.name_en, name_zh=guess.name_zh),
                        entity=guess.entity,
                        value=ws.title,
                        expected=guess.name_en,
                        cell=CellRef(ws.title, 1, "A"),
                    )
                continue
            if spec.key in found:
                self.warn(
                    msg("sheet.second", title=ws.title, sheet=sheet_name(spec), first=found[spec.key].title),
                    entity=spec.entity,
                    value=ws.title,
                    cell=CellRef(ws.title, 1, "A"),
                )
                continue
            found[spec.key] = ws
        return found

    def read(self) -> ReadResult:
        sheets = self.find_sheets()
        if not any(k != INSTRUCTIONS.key for k in sheets):
            required = [s for s in SHEETS if s.required]
            names = Localized(", ".join(s.name_en for s in required), "、".join(s.name_zh for s in required))
            self.error(
                msg("sheet.none", names=names),
                entity="workbook",
                value=", ".join(ws.title for ws in self.wb.worksheets),
            )
            return ReadResult(None, self.issues, self.source)
        for spec in SHEETS:
            if spec.required and spec.key not in sheets:
                self.error(
                    msg("sheet.missing", name_en=spec.name_en, name_zh=spec.name_zh),
                    entity=spec.entity,
                    expected=f"a sheet named {spec.name_en} or {spec.name_zh}",
                )
        tables: dict[str, _Table] = {}
        for spec in SHEETS:
            ws = sheets.get(spec.key)
            if ws is None or spec is INSTRUCTIONS or spec is PARAMETERS_SHEET:
                continue
            try:
                table = self.read_table(ws, spec)
            except Exception as exc:  # a damaged or hostile sheet part: report it and read the rest
                self.error(
                    msg("sheet.unreadable", title=ws.title, error=load_error(exc)),
                    entity=spec.entity,
                    cell=CellRef(ws.title, 1, "A"),
                )
                table = None
            if table is not None:
                tables[spec.key] = table
        name, parameters = self.read_parameters(sheets.get(PARAMETERS_SHEET.key))
        if name is None:
            title = getattr(getattr(self.wb, "properties", None), "title", None)
            name = title if isinstance(title, str) and title else Network().name
        network = self.assemble(tables, name, parameters)
        return ReadResult(network, self.issues, self.source)

    # -- one table ------------------------------------------------------------------------------------
    def read_table(self, ws: Any, spec: SheetSpec) -> _Table | None:
        title = ws.title
        declared = sheet_row_count(ws)
        if declared is not None and declared > MAX_ROWS:
            self.error(
                msg("sheet.too_many_rows", title=title, rows=declared, limit=MAX_ROWS),
                entity=spec.entity,
                value=declared,
                expected=f"at most {MAX_ROWS:,} rows",
                cell=CellRef(title, 1, "A"),
            )
            return None
        located = self.locate_header(ws, spec)
        if located is None:
            return None
        header_row, columns = located
        id_col = next((i for i, c in columns.items() if c.key == spec.columns[0].key), min(columns))
        self.source.add_sheet(
            spec.key,
            title,
            {c.key: get_column_letter(i + 1) for i, c in columns.items()},
            get_column_letter(id_col + 1),
        )
        # optional columns left out of the sheet take their documented default, like blank cells
        absent = [c for c in spec.columns if c not in columns.values()]
        formulas = self.formula_cells.get(title, set())
        letters = {i: get_column_letter(i + 1) for i in columns}
        table = _Table(title, [], set())
        sheet_rows = SheetRows(ws, MAX_COLUMNS)
        read: list[int] = []
        for r, cells in sheet_rows.rows(min_row=header_row + 1):
            if r > MAX_ROWS:
                self.error(
                    msg("sheet.more_rows", title=title, limit=MAX_ROWS),
                    entity=spec.entity,
                    expected=f"at most {MAX_ROWS:,} rows",
                    cell=CellRef(title, r, "A"),
                )
                break
            values = [getattr(c, "value", None) for c in cells]
            if all(is_blank(v) for v in values) and not any(
                (r, i + 1) in formulas for i in range(len(values))
            ):
                continue
            read.append(r)
            record: dict[str, Any] = {}
            problems: list[tuple[int, ColumnSpec, object, Msg, str]] = []
            for i, col in columns.items():
                raw = values[i] if i < len(values) else None
                data_type = getattr(cells[i], "data_type", None) if i < len(cells) else None
                if data_type == "f" or (is_blank(raw) and (r, i + 1) in formulas):
                    code = "cell.formula_unevaluated" if data_type == "f" else "cell.formula_unsaved"
                    problems.append((i, col, raw, msg(code, expected=column_expected(col)), col.expected()))
                    continue
                try:
                    if data_type == "e":
                        raise excel_error(raw, col)
                    record[col.key] = parse_value(col, raw)
                except ValueProblem as problem:
                    problems.append((i, col, raw, problem.msg, problem.expected))
            ok = not problems
            if problems:
                rid = self.raw_entity_id(spec, columns, values)
                for i, col, raw, message, expected in problems:
                    self.error(
                        message,
                        entity=spec.entity,
                        entity_id=rid,
                        field=col.key,
                        value=str(raw) if isinstance(raw, UnreadableValue) else raw,
                        expected=expected,
                        cell=CellRef(title, r, letters[i]),
                    )
            if ok:
                for col in absent:
                    record[col.key] = col.default
                table.rows.append(_Row(r, record))
            elif spec.columns[0].key in record:
                table.dropped_ids.add(str(record[spec.columns[0].key]))
        self.report_sheet_shape(sheet_rows, spec, header_row, columns, read)
        return table

    def report_sheet_shape(
        self,
        rows: SheetRows,
        spec: SheetSpec,
        header_row: int,
        columns: dict[int, ColumnSpec],
        read: list[int],
    ) -> None:
        """What the cells alone do not show: where a damaged sheet stopped, merged ranges in the data
        rows (their other cells read as blank) and hidden rows that were read like any other."""
        title = rows.ws.title
        if rows.failure is not None:
            last = read[-1] if read else header_row
            self.error(
                msg("sheet.rest_unreadable", title=title, row=last, error=load_error(rows.failure)),
                entity=spec.entity,
                cell=CellRef(title, last, "A"),
            )
        merged = []
        for ref in rows.merged_ranges:
            try:
                min_col, min_row, max_col, max_row = range_boundaries(ref)
            except (ValueError, TypeError):
                continue
            if max_row > header_row and any(min_col <= i + 1 <= max_col for i in columns):
                merged.append((max(min_row, header_row + 1), min_col, ref))
        for first_row, first_col, ref in sorted(merged)[:MERGED_WARNINGS]:
            first = f"{get_column_letter(first_col)}{first_row}"
            col = columns.get(first_col - 1)
            self.warn(
                msg("sheet.merged", range=ref, first=first),
                entity=spec.entity,
                field=col.key if col is not None else "",
                value=ref,
                cell=CellRef(title, first_row, get_column_letter(first_col)),
            )
        if len(merged) > MERGED_WARNINGS:
            self.warn(
                msg("sheet.merged_more", title=title, count=len(merged) - MERGED_WARNINGS),
                entity=spec.entity,
                cell=CellRef(title, header_row, "A"),
            )
        hidden = sorted(rows.hidden_rows.intersection(read))
        if hidden:
            listed = ", ".join(str(r) for r in hidden[:HIDDEN_ROWS_LISTED])
            if len(hidden) > HIDDEN_ROWS_LISTED:
                listed += ", ..."
            self.warn(
                msg(
                    "sheet.hidden_row" if len(hidden) == 1 else "sheet.hidden_rows",
                    title=title,
                    count=len(hidden),
                    rows=listed,
                ),
                entity=spec.entity,
                value=len(hidden),
                cell=CellRef(title, hidden[0], "A"),
            )

    def raw_entity_id(self, spec: SheetSpec, columns: dict[int, ColumnSpec], values: list[Any]) -> str:
        """The row's entity id from its raw cells, for locating issues on rows that did not parse."""
        raw: dict[str, str] = {}
        for i, col in columns.items():
            if col.type == "str" and col.required:
                v = values[i] if i < len(values) else None
                raw[col.key] = "" if is_blank(v) else str(v).strip()
        try:
            return entity_id(spec.key, raw)
        except KeyError:
            return ""

    def locate_header(self, ws: Any, spec: SheetSpec) -> tuple[int, dict[int, ColumnSpec]] | None:
        """(header row, column index -> spec), after warning about unknown and duplicate headers."""
        index = {k: col for col in spec.columns for k in header_keys(col)}
        best: tuple[int, list[Any]] | None = None
        best_score = 0
        for r, cells in SheetRows(ws, MAX_COLUMNS).rows(max_row=HEADER_SEARCH_ROWS):
            values = [_header_text(getattr(c, "value", None)) for c in cells]
            score = sum(1 for v in values if not is_blank(v) and _match(index, v) is not None)
            if score > best_score:
                best, best_score = (r, list(values)), score
        headers = column_headers(spec.columns)
        expected = headers.en
        if best is None:
            self.error(
                msg("sheet.no_header", title=ws.title, expected=headers),
                entity=spec.entity,
                expected=expected,
                cell=CellRef(ws.title, 1, "A"),
            )
            return None
        header_row, values = best
        columns: dict[int, ColumnSpec] = {}
        seen: dict[str, int] = {}
        for i, v in enumerate(values):
            if is_blank(v):
                continue
            cell = CellRef(ws.title, header_row, get_column_letter(i + 1))
            col = _match(index, v)
            if col is None:
                self.warn(
                    msg("column.unknown", value=show(v), sheet=sheet_name(spec), expected=headers),
                    entity=spec.entity,
                    value=v,
                    expected=expected,
                    cell=cell,
                )
            elif col.key in seen:
                first = get_column_letter(seen[col.key] + 1)
                self.warn(
                    msg("column.twice", value=show(v), first=first),
                    entity=spec.entity,
                    field=col.key,
                    value=v,
                    cell=cell,
                )
            else:
                seen[col.key] = i
                columns[i] = col
        missing = [c for c in spec.columns if c.required and c.key not in seen]
        for col in missing:
            self.error(
                msg("column.missing", header_en=header(col), header_zh=header(col, "zh"), title=ws.title),
                entity=spec.entity,
                field=col.key,
                expected=header(col),
                cell=CellRef(ws.title, header_row, "A"),
            )
        return None if missing else (header_row, columns)

    # -- parameters -----------------------------------------------------------------------------------
    def read_parameters(self, ws: Any) -> tuple[str | None, Parameters]:
        """(network name or None if absent, parameters); a missing parameter row keeps its default
        with a WARNING that says so."""
        values: dict[str, Any] = {}
        defaults = Parameters()
        if ws is None:
            self.warn(
                msg("parameters.no_sheet"),
                entity="parameters",
                expected="a sheet named Parameters or 参数",
            )
            return None, defaults
        try:
            seen = self._read_parameter_rows(ws, values)
        except Exception as exc:  # a damaged sheet part: report and carry on with defaults
            self.error(
                msg("sheet.unreadable", title=ws.title, error=load_error(exc)),
                entity="parameters",
                cell=CellRef(ws.title, 1, "A"),
            )
            return None, defaults
        if seen is None:
            return None, defaults
        for spec in PARAMETER_ROWS[1:]:
            if spec.key not in seen and spec.key not in INVESTMENT_PARAMETER_KEYS:
                self.warn(
                    msg(
                        "parameters.missing",
                        name=Localized(spec.header_en, spec.header_zh),
                        title=ws.title,
                        default=_default(spec),
                    ),
                    entity="parameters",
                    field=spec.key,
                    expected=header(spec),
                    cell=CellRef(ws.title, 1, "A"),
                )
        name = values.pop("network_name", None) if "network_name" in seen else None
        fields = {k: v for k, v in values.items() if v is not _FAILED}
        return name, Parameters(**fields)

    def _read_parameter_rows(self, ws: Any, values: dict[str, Any]) -> set[str] | None:
        declared = sheet_row_count(ws)
        if declared is not None and declared > MAX_ROWS:
            self.error(
                msg("parameters.too_many_rows", title=ws.title, rows=declared, limit=MAX_ROWS),
                entity="parameters",
                cell=CellRef(ws.title, 1, "A"),
            )
            return None
        located = self.locate_header(ws, PARAMETERS_SHEET)
        if located is None:
            return None
        header_row, columns = located
        by_key = {c.key: i for i, c in columns.items()}
        label_i, value_i = by_key["parameter"], by_key.get("value")
        if value_i is None:
            self.error(
                msg("parameters.no_value_column", title=ws.title),
                entity="parameters",
                cell=CellRef(ws.title, header_row, "A"),
                expected="a Value column",
            )
            return None
        value_letter = get_column_letter(value_i + 1)
        self.source.add_sheet(
            PARAMETERS_SHEET.key,
            ws.title,
            {"parameter": get_column_letter(label_i + 1), "value": value_letter},
            get_column_letter(label_i + 1),
        )
        self.source.add_row("parameters", "", ws.title, header_row)
        index = {k: p for p in PARAMETER_ROWS for k in header_keys(p)}
        formulas = self.formula_cells.get(ws.title, set())
        seen: dict[str, int] = {}
        sheet_rows = SheetRows(ws, MAX_COLUMNS)
        read: list[int] = []
        for r, cells in sheet_rows.rows(min_row=header_row + 1):
            if r > MAX_ROWS:
                break
            row = [getattr(c, "value", None) for c in cells]
            label = row[label_i] if label_i < len(row) else None
            raw = row[value_i] if value_i < len(row) else None
            if not (is_blank(label) and is_blank(raw)):
                read.append(r)
            if is_blank(label):
                if not is_blank(raw):
                    self.warn(
                        msg("parameters.nameless", value=show(raw), column=get_column_letter(label_i + 1)),
                        entity="parameters",
                        value=raw,
                        cell=CellRef(ws.title, r, value_letter),
                    )
                continue
            spec = _match(index, label)
            label_cell = CellRef(ws.title, r, get_column_letter(label_i + 1))
            if spec is None:
                names = Localized(
                    ", ".join(f'"{p.header_en}"' for p in PARAMETER_ROWS),
                    "、".join(f'"{p.header_zh}"' for p in PARAMETER_ROWS),
                )
                self.warn(
                    msg("parameters.unknown", value=show(label), names=names),
                    entity="parameters",
                    value=label,
                    expected=names.en,
                    cell=label_cell,
                )
                continue
            if spec.key in seen:
                self.warn(
                    msg("parameters.again", value=show(label), row=seen[spec.key]),
                    entity="parameters",
                    field=spec.key,
                    value=label,
                    cell=label_cell,
                )
                continue
            seen[spec.key] = r
            cell = CellRef(ws.title, r, value_letter)
            self.source.add_cell("parameters", "", spec.key, cell)
            data_type = getattr(cells[value_i], "data_type", None) if value_i < len(cells) else None
            if data_type == "f" or (is_blank(raw) and (r, value_i + 1) in formulas):
                self.error(
                    msg("parameters.formula", name=column_label(spec), expected=column_expected(spec)),
                    entity="parameters",
                    field=spec.key,
                    value=raw,
                    expected=spec.expected(),
                    cell=cell,
                )
                values[spec.key] = _FAILED
                continue
            try:
                if data_type == "e":
                    raise excel_error(raw, spec)
                values[spec.key] = parse_value(spec, raw)
            except ValueProblem as problem:
                self.error(
                    problem.msg,
                    entity="parameters",
                    field=spec.key,
                    value=str(raw) if isinstance(raw, UnreadableValue) else raw,
                    expected=problem.expected,
                    cell=cell,
                )
                values[spec.key] = _FAILED
        # a merged label or value reads as blank below its first cell, and a hidden row counts like any
        # other: said as on the data sheets
        self.report_sheet_shape(sheet_rows, PARAMETERS_SHEET, header_row, columns, read)
        return set(seen)

    # -- the network ----------------------------------------------------------------------------------
    def assemble(self, tables: dict[str, _Table], name: str, parameters: Parameters) -> Network:
        def rows(key: str) -> list[_Row]:
            table = tables.get(key)
            return table.rows if table else []

        def dropped(*keys: str) -> set[str]:
            out: set[str] = set()
            for k in keys:
                if k in tables:
                    out |= tables[k].dropped_ids
            return out

        def title(key: str) -> str:
            return tables[key].title

        grades = []
        for row in rows("grades"):
            grades.append(Grade(**row.record))
            self.source.add_row("grade", row.record["id"], title("grades"), row.number)

        cp_fields: list[dict[str, Any]] = []
        cp_index: dict[str, int] = {}
        for row in rows("collection_points"):
            cp_fields.append({**row.record, "supplies": []})
            cp_index.setdefault(row.record["id"], len(cp_fields) - 1)
            self.source.add_row("collection_point", row.record["id"], title("collection_points"), row.number)
        dropped_cps = dropped("collection_points")
        for row in rows("supply"):
            rec = dict(row.record)
            cp_id = rec.pop("collection_point_id")
            eid = entity_id("supply", row.record)
            self.source.add_row("supply", eid, title("supply"), row.number)
            if cp_id in cp_index:
                cp_fields[cp_index[cp_id]]["supplies"].append(Supply(**rec))
            elif cp_id not in dropped_cps:
                self.unknown_parent(
                    "supply",
                    eid,
                    "collection_point_id",
                    cp_id,
                    sheet_name(COLLECTION_POINTS),
                    self.source.cell("supply", eid, "collection_point_id"),
                )
        collection_points = [CollectionPoint(**{**f, "supplies": tuple(f["supplies"])}) for f in cp_fields]

        site_fields: list[dict[str, Any]] = []
        site_index: dict[str, int] = {}
        for key, kind in (("dismantling_sites", SiteKind.DISMANTLING), ("sorting_centers", SiteKind.SORTING)):
            for row in rows(key):
                rec = dict(row.record)
                rec["status"] = SiteStatus(rec["status"])
                site_fields.append({**rec, "kind": kind, "modules": [], "yields": []})
                site_index.setdefault(rec["id"], len(site_fields) - 1)
                self.source.add_row("site", rec["id"], title(key), row.number)
        dropped_sites = dropped("dismantling_sites", "sorting_centers")
        for key, entity, part, make in (
            ("capacity_modules", "capacity_module", "modules", CapacityModule),
            ("yields", "yield", "yields", YieldEntry),
        ):
            for row in rows(key):
                rec = dict(row.record)
                site_id = rec.pop("site_id")
                eid = entity_id(key, row.record)
                self.source.add_row(entity, eid, title(key), row.number)
                if site_id in site_index:
                    site_fields[site_index[site_id]][part].append(make(**rec))
                elif site_id not in dropped_sites:
                    self.unknown_parent(
                        entity,
                        eid,
                        "site_id",
                        site_id,
                        _SITE_SHEETS,
                        self.source.cell(entity, eid, "site_id"),
                    )
        sites = [
            ProcessingSite(**{**f, "modules": tuple(f["modules"]), "yields": tuple(f["yields"])})
            for f in site_fields
        ]

        smelters = []
        for row in rows("smelters"):
            smelters.append(Smelter(**row.record))
            self.source.add_row("smelter", row.record["id"], title("smelters"), row.number)
        vehicle_types = []
        for row in rows("vehicle_types"):
            vehicle_types.append(VehicleType(**row.record))
            self.source.add_row("vehicle_type", row.record["id"], title("vehicle_types"), row.number)
        distances = []
        for row in rows("distances"):
            distances.append(DistanceOverride(**row.record))
            self.source.add_row(
                "distance", entity_id("distances", row.record), title("distances"), row.number
            )

        periods = []
        for row in rows("periods"):
            periods.append(Period(**row.record))
            self.source.add_row("period", str(row.record["year"]), title("periods"), row.number)
        growth = []
        for row in rows("growth"):
            rec = {
                **row.record,
                "grade_id": row.record["grade_id"] or "",
                "province": row.record["province"] or "",
            }
            growth.append(SupplyGrowth(**rec))
            self.source.add_row("growth", entity_id("growth", rec), title("growth"), row.number)

        return Network(
            name=name,
            grades=tuple(grades),
            collection_points=tuple(collection_points),
            sites=tuple(sites),
            smelters=tuple(smelters),
            vehicle_types=tuple(vehicle_types),
            parameters=parameters,
            distances=tuple(distances),
            periods=tuple(periods),
            growth=tuple(growth),
        )

    def unknown_parent(
        self,
        entity: str,
        eid: str,
        field_key: str,
        parent_id: str,
        parent_sheet: Localized,
        cell: CellRef | None,
    ) -> None:
        what = msg("noun.collection_point" if field_key == "collection_point_id" else "noun.site")
        self.error(
            msg("parent.unknown", what=what, parent=parent_id, sheet=parent_sheet),
            entity=entity,
            entity_id=eid,
            field=field_key,
            value=parent_id,
            expected=f"an id from sheet {parent_sheet.en}",
            cell=cell,
        )


_FAILED = object()

#: The sheets a child row's ``site_id`` may refer to.
_SITE_SHEETS = Localized(
    f"{DISMANTLING_SITES.name_en} or {SORTING_CENTERS.name_en}",
    f"{DISMANTLING_SITES.name_zh}或{SORTING_CENTERS.name_zh}",
)


def _header_text(value: object) -> object:
    """A header cell's value for matching: an unreadable one as the text it holds."""
    return str(value) if isinstance(value, UnreadableValue) else value


def _match(index: dict[str, ColumnSpec], text: object) -> ColumnSpec | None:
    n = normalize(text)
    return index.get(n) or index.get(strip_unit(n))


def _default(spec: ColumnSpec) -> Localized | Msg:
    """A parameter's default as the warning about its missing row states it (``75000 CNY/t Cu``)."""
    if spec.default is None:
        return msg("parameters.no_limit")
    value = f"{spec.default:g}" if isinstance(spec.default, float) else f"{spec.default}"
    if not spec.unit or spec.unit == "0-1":
        return Localized(value, value)
    return Localized(f"{value} {spec.unit}", f"{value} {spec.unit_label('zh')}")
