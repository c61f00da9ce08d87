"""A network as the rows of the schema's sheets, and the id each row goes by in an :class:`Issue`.

The writer turns these records into cells; the GUI may show them as tables. Records hold model values
(floats, ints, tuples of ids, enum values as their canonical text), keyed by column key, in the
schema's column order. No openpyxl here.
"""

from __future__ import annotations

from typing import Any

from optimizer.model import Network, SiteKind, growth_id
from optimizer.schema import PARAMETER_ROWS, SheetSpec, sheet

Record = dict[str, Any]


def _record(spec: SheetSpec, obj: object, **parent: Any) -> Record:
    rec: Record = {}
    for col in spec.columns:
        value = parent[col.key] if col.key in parent else getattr(obj, col.key)
        rec[col.key] = getattr(value, "value", value) if col.type == "enum" else value
    return rec


def sheet_records(network: Network, key: str) -> list[Record]:
    """The rows of sheet ``key`` for ``network``, in model order (Parameters: use
    :func:`parameter_values`; Instructions has none)."""
    spec = sheet(key)
    if key == "grades":
        return [_record(spec, g) for g in network.grades]
    if key == "collection_points":
        return [_record(spec, cp) for cp in network.collection_points]
    if key == "supply":
        return [
            _record(spec, s, collection_point_id=cp.id)
            for cp in network.collection_points
            for s in cp.supplies
        ]
    if key in ("dismantling_sites", "sorting_centers"):
        kind = SiteKind.DISMANTLING if key == "dismantling_sites" else SiteKind.SORTING
        return [_record(spec, s) for s in network.sites if s.kind is kind]
    if key == "capacity_modules":
        return [_record(spec, m, site_id=s.id) for s in network.sites for m in s.modules]
    if key == "yields":
        return [_record(spec, y, site_id=s.id) for s in network.sites for y in s.yields]
    if key == "smelters":
        return [_record(spec, s) for s in network.smelters]
    if key == "vehicle_types":
        return [_record(spec, v) for v in network.vehicle_types]
    if key == "distances":
        return [_record(spec, d) for d in network.distances]
    if key == "periods":
        return [_record(spec, p) for p in network.periods]
    if key == "growth":
        return [_record(spec, g) for g in network.growth]
    return []


def parameter_values(network: Network) -> Record:
    """The Parameters sheet's values: ``network_name`` and every Parameters field."""
    values: Record = {"network_name": network.name}
    for row in PARAMETER_ROWS[1:]:
        values[row.key] = getattr(network.parameters, row.key)
    return values


def entity_id(sheet_key: str, record: Record) -> str:
    """The ``Issue.entity_id`` of a row: the id, or the ids that make a child row unique joined by "/"."""
    if sheet_key == "supply":
        return f"{record['collection_point_id']}/{record['grade_id']}"
    if sheet_key == "capacity_modules":
        return f"{record['site_id']}/{record['id']}"
    if sheet_key == "yields":
        return f"{record['site_id']}/{record['input_grade_id']}/{record['output_grade_id']}"
    if sheet_key == "distances":
        return f"{record['from_id']}/{record['to_id']}"
    if sheet_key == "parameters":
        return ""
    if sheet_key == "periods":
        return str(record["year"])
    if sheet_key == "growth":
        return growth_id(record["year"], record["grade_id"], record["province"])
    return str(record["id"])
