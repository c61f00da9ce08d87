"""Cross-entity checks of a network: every problem at once, each located and worded for a planner.

The Excel reader only reports what it cannot parse (wrong type, missing value). Everything that can be
judged only on the whole network lives here: ranges, duplicate ids, references between entities, yield
tables (no site may create copper), text that fits an Excel cell, nodes far from the rest, and whether
any copper can reach a smelter at all. :func:`validate` never stops at the first problem, because a
planner fixing a client's workbook wants the whole list in one go.

The ranges are the schema's (:mod:`optimizer.schema`, "Ranges"): outside a column's valid range or past
its magnitude limit is an error, outside its typical range a warning.

Each :class:`~optimizer.issues.Issue` names its ``entity`` kind, ``entity_id`` and model ``field`` with
the same keys the Excel source map uses, so that with a source map every issue points at its cell:

========================  ====================================
entity                    entity_id
========================  ====================================
``grade``                 grade id
``collection_point``      collection point id
``supply``                ``"{collection_point_id}/{grade_id}"``
``site``                  site id (dismantling or sorting)
``capacity_module``       ``"{site_id}/{module_id}"``
``yield``                 ``"{site_id}/{input_grade}/{output_grade}"``
``smelter``               smelter id
``vehicle_type``          vehicle type id
``parameters``            ``""`` (field is the Parameters field)
``distance``              ``"{from_id}/{to_id}"``
========================  ====================================
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from optimizer.geo import great_circle_km, great_circle_matrix_km
from optimizer.issues import CellRef, Issue, Severity
from optimizer.messages import Amount, FieldName, Msg, Of, msg, site_status
from optimizer.messages import fmt_value as _fmt
from optimizer.messages import is_number as _is_number
from optimizer.model import (
    CollectionPoint,
    Network,
    PriceBasis,
    ProcessingSite,
    SiteKind,
    SiteStatus,
    Smelter,
    SupplyGrowth,
    growth_id,
)
from optimizer.schema import (
    COLLECTION_POINTS,
    EXCEL_CELL_MAX_CHARS,
    FAR_NODE_MISPLACED_KM,
    FAR_NODE_WARNING_KM,
    MAGNITUDE_LIMIT,
    ColumnSpec,
    entity_columns,
    format_number,
)

ERROR = Severity.ERROR
WARNING = Severity.WARNING

#: Yields of one input grade may exceed 1 by this much before it is an error (rounding in workbooks).
YIELD_SUM_TOLERANCE = 1e-6

#: A road distance shorter than this fraction of the straight line is almost certainly a typo.
ROAD_SHORTER_THAN_STRAIGHT_LINE = 0.95

#: The yields of one input grade may hold this much more copper (t Cu per t in, i.e. 0.1 kg a tonne: a
#: yield typed to four decimals) than the input before it is an error; beyond it the site creates copper.
COPPER_BALANCE_TOLERANCE = 1e-4

#: An id longer than this is shortened in messages (it is still matched in full).
_SHOWN_ID_CHARS = 60


class CellLocator(Protocol):
    """What :func:`validate` needs from a source map: the cell of an entity's field, if known."""

    def cell(self, entity: str, entity_id: str, field: str = "") -> CellRef | None: ...


def validate(network: Network, source: CellLocator | None = None) -> list[Issue]:
    """Every problem in ``network``, errors and warnings, in a stable order.

    Parameters
    ----------
    network
        The network to check; it may be arbitrarily broken (as read from a workbook).
    source
        The source map of the workbook ``network`` was read from; each issue then carries the cell
        of the offending value (or of its row's id when the field has no cell of its own).

    Returns
    -------
    list[Issue]
        Empty when the network is fit to solve. An error means a solve would be meaningless; a warning
        means the plan may surprise the user.
    """
    issues: list[Issue] = [
        *_check_required_entities(network),
        *_check_grades(network),
        *_check_node_ids(network),
        *_check_collection_points(network),
        *_check_sites(network),
        *_check_smelters(network),
        *_check_vehicle_types(network),
        *_check_parameters(network),
        *_check_periods(network),
        *_check_growth(network),
        *_check_distances(network),
        *_check_texts(network),
        *_check_far_nodes(network),
        *_check_reachability(network),
    ]
    if source is None:
        return issues
    return [_locate(issue, source) for issue in issues]


#: ``expected`` of the issues about a key used on several rows; they point at the first repeat.
#: ``expected`` of a Growth row repeated.
GROWTH_REPEAT = "one line per year, grade and province"
_REPEATS = frozenset(
    {
        "a unique id",
        "one line per grade",
        "one line per input and output grade",
        "one line per pair of nodes",
        GROWTH_REPEAT,
    }
)


def _locate(issue: Issue, source: CellLocator) -> Issue:
    every_cell = getattr(source, "cells", None)
    if issue.expected in _REPEATS and every_cell is not None:
        # The first row is usually the right one; the repeat below it is what the planner must fix.
        repeated = every_cell(issue.entity, issue.entity_id, issue.field)
        if len(repeated) > 1:
            return issue.located(repeated[1])
    cell = source.cell(issue.entity, issue.entity_id, issue.field)
    if cell is None and issue.field:
        cell = source.cell(issue.entity, issue.entity_id, "")
    return issue.located(cell)


# --- wording -------------------------------------------------------------------------------------
# Every message text lives in optimizer.messages (English and Chinese); here only which one, and with what.


@dataclass(frozen=True, slots=True)
class _Subject:
    """An entity as the issue list names it: its key for the source map and its phrase in a message."""

    entity: str
    entity_id: str
    phrase: Msg


def _shown(entity_id: str) -> str:
    """An id as a message shows it: a very long one (a pasted paragraph) cut short."""
    if len(entity_id) <= _SHOWN_ID_CHARS:
        return entity_id
    return entity_id[: _SHOWN_ID_CHARS - 3] + "..."


def _grade(grade_id: str) -> _Subject:
    return _Subject("grade", grade_id, msg("subject.grade", id=_shown(grade_id)))


def _collection_point(cp_id: str) -> _Subject:
    return _Subject("collection_point", cp_id, msg("subject.collection_point", id=_shown(cp_id)))


def _supply(cp_id: str, grade_id: str) -> _Subject:
    return _Subject(
        "supply", f"{cp_id}/{grade_id}", msg("subject.supply", grade=_shown(grade_id), cp=_shown(cp_id))
    )


#: Site kind -> the key of its noun and subject phrase in the message catalogue.
_SITE_WORD = {SiteKind.DISMANTLING: "dismantling", SiteKind.SORTING: "sorting"}


def _site_word(site: ProcessingSite) -> str:
    return _SITE_WORD.get(site.kind, "site")


def _site_noun(site: ProcessingSite) -> Msg:
    return msg(f"noun.{_site_word(site)}")


def _site_phrase(site: ProcessingSite) -> Msg:
    return msg(f"subject.{_site_word(site)}", id=_shown(site.id))


def _site(site: ProcessingSite) -> _Subject:
    return _Subject("site", site.id, _site_phrase(site))


def _module(site: ProcessingSite, module_id: str) -> _Subject:
    return _Subject(
        "capacity_module",
        f"{site.id}/{module_id}",
        msg("subject.capacity_module", module=_shown(module_id), site=_site_phrase(site)),
    )


def _yield(site: ProcessingSite, input_id: str, output_id: str) -> _Subject:
    return _Subject(
        "yield",
        f"{site.id}/{input_id}/{output_id}",
        msg("subject.yield", input=_shown(input_id), output=_shown(output_id), site=_site_phrase(site)),
    )


def _smelter(smelter_id: str) -> _Subject:
    return _Subject("smelter", smelter_id, msg("subject.smelter", id=_shown(smelter_id)))


def _vehicle_type(vehicle_id: str) -> _Subject:
    return _Subject("vehicle_type", vehicle_id, msg("subject.vehicle_type", id=_shown(vehicle_id)))


def _distance(from_id: str, to_id: str) -> _Subject:
    return _Subject(
        "distance", f"{from_id}/{to_id}", msg("subject.distance", a=_shown(from_id), b=_shown(to_id))
    )


_PARAMETERS = _Subject("parameters", "", msg("subject.parameters"))


def _value_issue(
    severity: Severity,
    subject: _Subject,
    field: str,
    value: object,
    expected: Msg,
    *,
    note: Msg | None = None,
) -> Issue:
    """``<field words> of <subject> is <value><unit>; expected <expected>``."""
    words = {
        "field": FieldName(field),
        "subject": Of(subject.phrase),
        "value": Amount(value, field),
        "expected": expected,
    }
    message = msg("value", **words) if note is None else msg("value.note", **words, note=note)
    return Issue.of(
        severity,
        message,
        entity=subject.entity,
        entity_id=subject.entity_id,
        field=field,
        value=value,
        expected=expected.render(),
    )


def _issue(
    severity: Severity,
    subject: _Subject,
    field: str,
    message: Msg,
    *,
    value: object = None,
    expected: str = "",
) -> Issue:
    return Issue.of(
        severity,
        message,
        entity=subject.entity,
        entity_id=subject.entity_id,
        field=field,
        value=value,
        expected=expected,
    )


# --- number ranges ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Range:
    """An interval of allowed numbers; ``None`` bounds are unbounded."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False

    def __contains__(self, value: float) -> bool:
        if isinstance(value, float) and not math.isfinite(value):
            return False
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        return not (self.high is not None and (value > self.high or (self.high_open and value == self.high)))

    def describe(self) -> Msg:
        """The range as the end of "expected ...": ``between 0 and 1``, ``> 0``."""
        lo, hi = self.low, self.high
        low_op = ">" if self.low_open else ">="
        high_op = "<" if self.high_open else "<="
        if lo is not None and hi is not None:
            if not self.low_open and not self.high_open:
                return msg("range.between", low=format_number(lo), high=format_number(hi))
            return msg(
                "range.both", low_op=low_op, low=format_number(lo), high_op=high_op, high=format_number(hi)
            )
        if lo is not None:
            return msg("range.low", op=low_op, low=format_number(lo))
        if hi is not None:
            return msg("range.high", op=high_op, high=format_number(hi))
        return msg("expect.number")

    @classmethod
    def of(cls, col: ColumnSpec) -> _Range:
        """What column ``col`` of the schema allows."""
        return cls(col.min_value, col.max_value, low_open=col.min_exclusive)


# Generic ranges; a column's own range comes from the schema (``_check_range`` without ``allowed``).
NON_NEGATIVE = _Range(0.0)
POSITIVE = _Range(0.0, low_open=True)
FRACTION = _Range(0.0, 1.0)
ANY_NUMBER = _Range()
LATITUDE = _Range.of(COLLECTION_POINTS.column("lat"))
LONGITUDE = _Range.of(COLLECTION_POINTS.column("lon"))


@functools.cache
def _column(entity: str, field: str) -> ColumnSpec | None:
    """The schema column holding ``field`` of ``entity`` kind, if the schema has one."""
    try:
        columns = entity_columns(entity)
    except KeyError:
        return None
    return next((c for c in columns if c.key == field), None)


def _check_range(
    subject: _Subject, field: str, value: object, allowed: _Range | None = None, severity: Severity = ERROR
) -> Iterator[Issue]:
    """An issue when ``value`` is not a finite number inside ``allowed`` (``None`` means not given).

    ``allowed`` defaults to the range of the field's column in the schema. Past the column's magnitude
    limit the value is an error too (the solvers cannot compute with it), and outside its typical range
    a warning (what a real network has).
    """
    if value is None:
        return
    if not _is_number(value):
        yield _value_issue(ERROR, subject, field, value, msg("expect.number"))
        return
    assert isinstance(value, int | float)
    col = _column(subject.entity, field)
    if allowed is None:
        allowed = _Range() if col is None else _Range.of(col)
    if value not in allowed:
        yield _value_issue(severity, subject, field, value, allowed.describe())
        return
    limit = MAGNITUDE_LIMIT if col is None else col.magnitude_limit
    if abs(value) > limit:
        low = -limit if allowed.low is None else max(allowed.low, -limit)
        yield _value_issue(
            ERROR,
            subject,
            field,
            value,
            _Range(low, limit, low_open=allowed.low_open).describe(),
            note=msg("note.magnitude"),
        )
        return
    if col is not None and (col.typical_min is not None or col.typical_max is not None):
        typical = _Range(col.typical_min, col.typical_max)
        if value not in typical:
            yield _value_issue(WARNING, subject, field, value, typical.describe(), note=msg("note.typical"))


def _check_whole(
    subject: _Subject, field: str, value: object, allowed: _Range | None = None
) -> Iterator[Issue]:
    """Like :func:`_check_range` for counts, which must also be whole numbers."""
    if value is None:
        return
    if _is_number(value) and isinstance(value, float) and math.isfinite(value) and value != int(value):
        col = _column(subject.entity, field)
        shown = allowed or (_Range() if col is None else _Range.of(col))
        yield _value_issue(ERROR, subject, field, value, msg("expect.whole", range=shown.describe()))
        return
    yield from _check_range(subject, field, value, allowed)


def _check_location(subject: _Subject, lat: float, lon: float) -> Iterator[Issue]:
    yield from _check_range(subject, "lat", lat)
    yield from _check_range(subject, "lon", lon)


# --- entities --------------------------------------------------------------------------------------


def _check_required_entities(network: Network) -> Iterator[Issue]:
    for entity, items, code in (
        ("grade", network.grades, "network.no_grades"),
        ("collection_point", network.collection_points, "network.no_collection_points"),
        ("smelter", network.smelters, "network.no_smelters"),
    ):
        if not items:
            yield Issue.of(ERROR, msg(code), entity=entity, value=0, expected="at least one")


def _check_ids(subject_of: Iterable[tuple[_Subject, str]], noun: Msg) -> Iterator[Issue]:
    """Empty and repeated ids within one kind of entity; ``subject_of`` yields (subject, id)."""
    pairs = list(subject_of)
    counts = Counter(entity_id for _, entity_id in pairs)
    reported: set[str] = set()
    for subject, entity_id in pairs:
        if not entity_id.strip():
            yield _issue(
                ERROR, subject, "id", msg("id.missing", noun=noun), value=entity_id, expected="a unique id"
            )
        elif counts[entity_id] > 1 and entity_id not in reported:
            reported.add(entity_id)
            yield _issue(
                ERROR,
                subject,
                "id",
                msg("id.repeated", noun=noun, id=entity_id, count=counts[entity_id]),
                value=entity_id,
                expected="a unique id",
            )


def _check_grades(network: Network) -> Iterator[Issue]:
    yield from _check_ids(((_grade(g.id), g.id) for g in network.grades), msg("noun.grade"))
    for g in network.grades:
        subject = _grade(g.id)
        yield from _check_range(subject, "copper_content", g.copper_content)
        yield from _check_range(subject, "price_coefficient", g.price_coefficient)


def _check_node_ids(network: Network) -> Iterator[Issue]:
    """Ids unique within each node kind and across kinds: distances and routes name nodes by id alone."""
    yield from _check_ids(
        ((_collection_point(c.id), c.id) for c in network.collection_points), msg("noun.collection_point")
    )
    yield from _check_ids(((_site(s), s.id) for s in network.sites), msg("noun.site"))
    yield from _check_ids(((_smelter(m.id), m.id) for m in network.smelters), msg("noun.smelter"))

    first_of: dict[str, tuple[str, Msg]] = {}
    reported: set[tuple[str, str]] = set()
    nodes: list[tuple[_Subject, Msg]] = [
        *((_collection_point(c.id), msg("noun.collection_point")) for c in network.collection_points),
        *((_site(s), _site_noun(s)) for s in network.sites),
        *((_smelter(m.id), msg("noun.smelter")) for m in network.smelters),
    ]
    for subject, noun in nodes:
        node_id = subject.entity_id
        if not node_id.strip():
            continue
        first_entity, first = first_of.setdefault(node_id, (subject.entity, noun))
        # Repeats within one kind were reported above; here only a clash with another kind of node.
        if first_entity != subject.entity and (subject.entity, node_id) not in reported:
            reported.add((subject.entity, node_id))
            yield _issue(
                ERROR,
                subject,
                "id",
                msg("id.clash", id=node_id, subject=subject.phrase, first=first),
                value=node_id,
                expected="an id no other node uses",
            )


def _site_kinds(network: Network) -> dict[str, ProcessingSite]:
    return {s.id: s for s in network.sites}


def _not_a_site(network: Network, node_id: str) -> Msg:
    """Why ``node_id`` is not a site: what it is instead, or that it does not exist."""
    for cp in network.collection_points:
        if cp.id == node_id:
            return msg("not_site.collection_point")
    for m in network.smelters:
        if m.id == node_id:
            return msg("not_site.smelter")
    return msg("not_site.unknown")


def _check_collection_points(network: Network) -> Iterator[Issue]:
    grade_ids = {g.id for g in network.grades}
    sites = _site_kinds(network)
    id_counts = Counter(cp.id for cp in network.collection_points)
    for cp in network.collection_points:
        subject = _collection_point(cp.id)
        yield from _check_location(subject, cp.lat, cp.lon)
        # With a repeated id, which supply rows belong to which point is ambiguous: the id error says it.
        yield from _check_supplies(cp, grade_ids, check_total=id_counts[cp.id] == 1)
        yield from _check_range(subject, "buyback_coefficient", cp.buyback_coefficient)
        yield from _check_time_window(subject, cp)
        yield from _check_range(subject, "service_time_min", cp.service_time_min)
        yield from _check_whole(subject, "visits_per_week", cp.visits_per_week)
        if cp.assigned_site_id:
            site = sites.get(cp.assigned_site_id)
            if site is None:
                yield _issue(
                    ERROR,
                    subject,
                    "assigned_site_id",
                    msg(
                        "assigned.not_site",
                        site_id=cp.assigned_site_id,
                        subject=subject.phrase,
                        why=_not_a_site(network, cp.assigned_site_id),
                    ),
                    value=cp.assigned_site_id,
                    expected="the id of a dismantling site or sorting center",
                )
            elif site.status is SiteStatus.CLOSED:
                yield _issue(
                    WARNING,
                    subject,
                    "assigned_site_id",
                    msg("assigned.closed", subject=subject.phrase, site=_site(site).phrase),
                    value=cp.assigned_site_id,
                    expected="an existing or candidate site",
                )


def _check_supplies(cp: CollectionPoint, grade_ids: set[str], *, check_total: bool = True) -> Iterator[Issue]:
    repeats = Counter(s.grade_id for s in cp.supplies)
    reported: set[str] = set()
    for s in cp.supplies:
        subject = _supply(cp.id, s.grade_id)
        if s.grade_id not in grade_ids:
            yield _issue(
                ERROR,
                subject,
                "grade_id",
                msg("supply.unknown_grade", cp=cp.id, grade=s.grade_id),
                value=s.grade_id,
                expected="the id of a grade",
            )
        elif repeats[s.grade_id] > 1 and s.grade_id not in reported:
            reported.add(s.grade_id)
            yield _issue(
                WARNING,
                subject,
                "grade_id",
                msg("supply.repeated", subject=Of(subject.phrase), count=repeats[s.grade_id]),
                value=s.grade_id,
                expected="one line per grade",
            )
        yield from _check_range(subject, "supply_t_per_year", s.supply_t_per_year)
        yield from _check_range(subject, "purchase_price_cny_per_t", s.purchase_price_cny_per_t)
    total = sum(s.supply_t_per_year for s in cp.supplies if _is_number(s.supply_t_per_year))
    if total == 0 and check_total:
        yield _issue(
            WARNING,
            _collection_point(cp.id),
            "supplies",
            msg("supply.none", cp=cp.id),
            value=0,
            expected="> 0 t/yr in total",
        )


def _check_time_window(subject: _Subject, cp: CollectionPoint) -> Iterator[Issue]:
    bad_hours = [
        *_check_range(subject, "opens_hour", cp.opens_hour),
        *_check_range(subject, "closes_hour", cp.closes_hour),
    ]
    yield from bad_hours
    if not bad_hours and cp.closes_hour <= cp.opens_hour:
        yield _value_issue(
            ERROR,
            subject,
            "closes_hour",
            cp.closes_hour,
            msg("expect.after_opening", hour=_fmt(cp.opens_hour)),
        )


def _check_sites(network: Network) -> Iterator[Issue]:
    grade_ids = {g.id for g in network.grades}
    for site in network.sites:
        subject = _site(site)
        yield from _check_location(subject, site.lat, site.lon)
        yield from _check_range(subject, "variable_cost_cny_per_t", site.variable_cost_cny_per_t)
        yield from _check_range(subject, "co2_kg_per_t", site.co2_kg_per_t)
        yield from _check_whole(subject, "lead_time_years", site.lead_time_years, NON_NEGATIVE)
        yield from _check_range(subject, "closing_cost_cny", site.closing_cost_cny, NON_NEGATIVE)
        yield from _check_modules(site)
        yield from _check_yields(site, grade_ids)
        yield from _check_copper_balance(site, network)


def _check_modules(site: ProcessingSite) -> Iterator[Issue]:
    if not site.modules and site.status is not SiteStatus.CLOSED:
        yield _issue(
            ERROR,
            _site(site),
            "modules",
            msg("site.no_modules", site=_site(site).phrase, status=site_status(site.status)),
            value=0,
            expected="at least one capacity module",
        )
    yield from _check_ids(
        ((_module(site, m.id), m.id) for m in site.modules),
        msg("noun.capacity_module_of", site=_site(site).phrase),
    )
    for m in site.modules:
        subject = _module(site, m.id)
        yield from _check_range(subject, "capacity_t_per_year", m.capacity_t_per_year)
        yield from _check_range(subject, "fixed_cost_cny_per_year", m.fixed_cost_cny_per_year)
        yield from _check_range(subject, "capex_cny", m.capex_cny, NON_NEGATIVE)
        yield from _check_whole(subject, "build_time_years", m.build_time_years, NON_NEGATIVE)
        yield from _check_range(subject, "fixed_opex_cny_per_year", m.fixed_opex_cny_per_year, NON_NEGATIVE)
        yield from _check_range(subject, "economic_life_years", m.economic_life_years, POSITIVE)
        yield from _check_whole(subject, "jobs", m.jobs, NON_NEGATIVE)


def _check_yields(site: ProcessingSite, grade_ids: set[str]) -> Iterator[Issue]:
    site_subject = _site(site)
    if not site.yields:
        yield _issue(
            WARNING,
            site_subject,
            "yields",
            msg("site.no_yields", site=site_subject.phrase),
            value=0,
            expected="at least one yield line",
        )
        return
    pairs = Counter((y.input_grade_id, y.output_grade_id) for y in site.yields)
    reported: set[tuple[str, str]] = set()
    for y in site.yields:
        subject = _yield(site, y.input_grade_id, y.output_grade_id)
        for field, grade_id in (("input_grade_id", y.input_grade_id), ("output_grade_id", y.output_grade_id)):
            if grade_id not in grade_ids:
                yield _issue(
                    ERROR,
                    subject,
                    field,
                    msg(
                        "yield.unknown_grade", field=FieldName(field), grade=grade_id, subject=subject.phrase
                    ),
                    value=grade_id,
                    expected="the id of a grade",
                )
        key = (y.input_grade_id, y.output_grade_id)
        if pairs[key] > 1 and key not in reported:
            reported.add(key)
            yield _issue(
                WARNING,
                subject,
                "fraction",
                msg("yield.repeated", subject=subject.phrase, count=pairs[key]),
                value=pairs[key],
                expected="one line per input and output grade",
            )
        yield from _check_range(subject, "fraction", y.fraction)
    for input_id in site.accepted_grade_ids:
        outputs = site.outputs_of(input_id)
        if not all(_is_number(y.fraction) and y.fraction in FRACTION for y in outputs):
            continue  # a fraction out of range is reported on its own line
        total = sum(y.fraction for y in outputs)
        if total > 1 + YIELD_SUM_TOLERANCE:
            first = outputs[0]
            yield _issue(
                ERROR,
                _yield(site, input_id, first.output_grade_id),
                "fraction",
                msg("yield.above_one", grade=input_id, site=site_subject.phrase, total=_fmt(total)),
                value=total,
                expected="<= 1",
            )


def _check_price_basis(subject: _Subject, m: Smelter) -> Iterator[Issue]:
    """A fixed price needs a price; a linked one ignores it (said, so the planner knows which holds)."""
    if m.price_basis is PriceBasis.FIXED and m.price_cny_per_t_cu is None:
        yield _issue(
            ERROR,
            subject,
            "price_cny_per_t_cu",
            msg("smelter.fixed_no_price", subject=subject.phrase),
            value=None,
            expected="a copper price in CNY/t Cu",
        )
    elif (
        m.price_basis is PriceBasis.LINKED
        and _is_number(m.price_cny_per_t_cu)
        and isinstance(m.price_cny_per_t_cu, float | int)
        and m.price_cny_per_t_cu > 0
    ):
        yield _issue(
            WARNING,
            subject,
            "price_cny_per_t_cu",
            msg("smelter.linked_price_ignored", subject=subject.phrase, price=_fmt(m.price_cny_per_t_cu)),
            value=m.price_cny_per_t_cu,
            expected="blank, or price basis fixed",
        )
    yield from _check_range(subject, "price_discount_cny_per_t_cu", m.price_discount_cny_per_t_cu, ANY_NUMBER)


def _check_copper_balance(site: ProcessingSite, network: Network) -> Iterator[Issue]:
    """A site cannot create copper: the outputs of one tonne of an input grade hold at most its copper,
    sum of fraction x copper content(output) <= copper content(input).

    Without this check a yield such as whole motors (10 % Cu) -> bare bright (99 %) at 1.0 solves
    "optimal" with more copper delivered than collected and a negative residue.
    """
    content = {g.id: g.copper_content for g in network.grades}

    def valid(grade_id: str) -> bool:
        c = content.get(grade_id)
        return c is not None and _is_number(c) and c in FRACTION

    for input_id in site.accepted_grade_ids:
        outputs = site.outputs_of(input_id)
        if not valid(input_id) or not all(
            valid(y.output_grade_id) and _is_number(y.fraction) and y.fraction in FRACTION for y in outputs
        ):
            continue  # an unknown grade or a bad number is reported on its own line
        if sum(y.fraction for y in outputs) > 1 + YIELD_SUM_TOLERANCE:
            continue  # more tonnes out than in: that error says it already
        held = content[input_id]
        made = sum(y.fraction * content[y.output_grade_id] for y in outputs)
        if made <= held + COPPER_BALANCE_TOLERANCE:
            continue
        # The row with the most copper out is the likeliest typo: the error points at its yield.
        worst = max(outputs, key=lambda y: y.fraction * content[y.output_grade_id])
        yield _issue(
            ERROR,
            _yield(site, input_id, worst.output_grade_id),
            "fraction",
            msg(
                "yield.creates_copper",
                grade=_shown(input_id),
                site=_site_phrase(site),
                held=_fmt(held),
                made=f"{made:.4g}",
                output=_shown(worst.output_grade_id),
                fraction=_fmt(worst.fraction),
            ),
            value=worst.fraction,
            expected=f"<= {_fmt(held)} t of copper out per t in",
        )


def _check_smelters(network: Network) -> Iterator[Issue]:
    grades = {g.id: g for g in network.grades}
    for m in network.smelters:
        subject = _smelter(m.id)
        yield from _check_location(subject, m.lat, m.lon)
        yield from _check_range(subject, "capacity_t_per_year", m.capacity_t_per_year)
        yield from _check_range(subject, "min_copper_content", m.min_copper_content)
        yield from _check_range(subject, "price_cny_per_t_cu", m.price_cny_per_t_cu)
        yield from _check_price_basis(subject, m)
        if not m.accepted_grade_ids:
            yield _issue(
                WARNING,
                subject,
                "accepted_grade_ids",
                msg("smelter.no_grades", subject=subject.phrase),
                value="",
                expected="at least one grade id",
            )
        for grade_id in m.accepted_grade_ids:
            if grade_id not in grades:
                yield _issue(
                    ERROR,
                    subject,
                    "accepted_grade_ids",
                    msg("smelter.unknown_grade", subject=subject.phrase, grade=grade_id),
                    value=grade_id,
                    expected="the id of a grade",
                )
        contents = [grades[g].copper_content for g in m.accepted_grade_ids if g in grades]
        if (
            contents
            and _is_number(m.min_copper_content)
            and m.min_copper_content in FRACTION
            and all(_is_number(c) for c in contents)
            and max(contents) < m.min_copper_content
        ):
            yield _issue(
                WARNING,
                subject,
                "min_copper_content",
                msg(
                    "smelter.min_content",
                    subject=subject.phrase,
                    minimum=_fmt(m.min_copper_content),
                    richest=_fmt(max(contents)),
                ),
                value=m.min_copper_content,
                expected=f"<= {_fmt(max(contents))}",
            )


def _check_vehicle_types(network: Network) -> Iterator[Issue]:
    sites = _site_kinds(network)
    yield from _check_ids(
        ((_vehicle_type(v.id), v.id) for v in network.vehicle_types), msg("noun.vehicle_type")
    )
    for v in network.vehicle_types:
        subject = _vehicle_type(v.id)
        yield from _check_range(subject, "payload_t", v.payload_t)
        yield from _check_range(subject, "fixed_cost_cny_per_day", v.fixed_cost_cny_per_day)
        yield from _check_range(subject, "cost_cny_per_km", v.cost_cny_per_km)
        yield from _check_range(subject, "speed_km_per_h", v.speed_km_per_h)
        yield from _check_range(subject, "max_shift_h", v.max_shift_h)
        yield from _check_whole(subject, "count_per_depot", v.count_per_depot)
        yield from _check_range(subject, "co2_kg_per_km", v.co2_kg_per_km)
        yield from _check_range(subject, "max_driving_h_per_day", v.max_driving_h_per_day)
        yield from _check_range(subject, "daily_rest_h", v.daily_rest_h)
        if v.carrier_cny_per_trip is not None:
            yield from _check_range(subject, "carrier_cny_per_trip", v.carrier_cny_per_trip)
        for depot_id in v.depot_ids:
            if depot_id not in sites:
                yield _issue(
                    ERROR,
                    subject,
                    "depot_ids",
                    msg(
                        "vehicle.depot",
                        depot=depot_id,
                        subject=subject.phrase,
                        why=_not_a_site(network, depot_id),
                    ),
                    value=depot_id,
                    expected="the id of a dismantling site or sorting center",
                )


def _check_parameters(network: Network) -> Iterator[Issue]:
    p = network.parameters
    s = _PARAMETERS
    yield from _check_range(s, "copper_price_cny_per_t", p.copper_price_cny_per_t)
    yield from _check_range(s, "transport_cost_cny_per_t_km", p.transport_cost_cny_per_t_km)
    if _is_number(p.circuity_factor) and math.isfinite(p.circuity_factor) and 0 < p.circuity_factor < 1:
        yield _value_issue(
            WARNING,
            s,
            "circuity_factor",
            p.circuity_factor,
            msg("range.low", op=">=", low="1"),
            note=msg("note.circuity"),
        )
    else:
        # below 1 is only a warning (above); at or below 0 no distance makes sense
        yield from _check_range(s, "circuity_factor", p.circuity_factor, POSITIVE)
    yield from _check_range(s, "co2_kg_per_t_km", p.co2_kg_per_t_km)
    yield from _check_range(s, "carbon_price_cny_per_t_co2", p.carbon_price_cny_per_t_co2)
    yield from _check_range(s, "target_utilization", p.target_utilization)
    yield from _check_range(s, "annual_budget_cny", p.annual_budget_cny)
    yield from _check_whole(s, "max_new_sites", p.max_new_sites)
    for field in ("max_haul_km_collection", "max_haul_km_transfer", "max_haul_km_delivery"):
        yield from _check_range(s, field, getattr(p, field))
    yield from _check_whole(s, "planning_year", p.planning_year)
    yield from _check_whole(s, "working_days_per_week", p.working_days_per_week)
    yield from _check_whole(s, "weeks_per_year", p.weeks_per_year)
    yield from _check_range(s, "discount_rate", p.discount_rate, _Range(0.0, 1.0, high_open=True))
    for field in ("vat_rate_simplified", "vat_rate_general", "vat_refund_share", "income_tax_rate"):
        yield from _check_range(s, field, getattr(p, field), FRACTION)
    yield from _check_range(s, "avoided_co2_t_per_t_cu", p.avoided_co2_t_per_t_cu, NON_NEGATIVE)


def _check_periods(network: Network) -> Iterator[Issue]:
    """Multi-year periods: sensible values, and each one starting the year the one before it ends."""
    follows: int | None = None
    for period in network.periods:
        subject = _Subject("period", str(period.year), msg("subject.period", id=period.year))
        yield from _check_whole(subject, "length_years", period.length_years, _Range(1.0))
        yield from _check_range(subject, "supply_factor", period.supply_factor, NON_NEGATIVE)
        yield from _check_range(subject, "copper_price_cny_per_t", period.copper_price_cny_per_t, POSITIVE)
        yield from _check_range(subject, "target_utilization", period.target_utilization, FRACTION)
        yield from _check_range(
            subject, "carbon_price_cny_per_t_co2", period.carbon_price_cny_per_t_co2, NON_NEGATIVE
        )
        yield from _check_range(subject, "capital_budget_cny", period.capital_budget_cny, NON_NEGATIVE)
        if follows is not None and period.year != follows:
            yield _issue(
                ERROR,
                subject,
                "year",
                msg("period.sequence", subject=subject.phrase, year=period.year, expected=follows),
                value=period.year,
                expected=f"{follows}",
            )
        if _is_number(period.length_years) and period.length_years >= 1:
            follows = period.year + int(period.length_years)
        else:
            follows = None


def _growth(row: SupplyGrowth) -> _Subject:
    gid = growth_id(row.year, row.grade_id, row.province)
    return _Subject("growth", gid, msg("subject.growth", id=_shown(gid)))


def _check_growth(network: Network) -> Iterator[Issue]:
    """Growth rows: a year that starts a period, a known grade, a province some collection point is in,
    a factor >= 0, and one row per year, grade and province (two would make "the most specific row"
    ambiguous)."""
    starts = [p.year for p in network.periods]
    years = ", ".join(str(y) for y in starts)
    grade_ids = {g.id for g in network.grades}
    provinces: dict[str, str] = {}
    for cp in network.collection_points:
        if cp.province.strip():
            provinces.setdefault(cp.province.strip().casefold(), cp.province.strip())
    shown_provinces = ", ".join(sorted(provinces.values())) or "-"

    def key(row: SupplyGrowth) -> tuple[object, str, str]:
        return (row.year, row.grade_id, row.province.strip().casefold())

    counts = Counter(key(row) for row in network.growth)
    seen: set[tuple[object, str, str]] = set()
    reported: set[tuple[object, str, str]] = set()
    for row in network.growth:
        subject = _growth(row)
        if not starts:
            no_periods = msg("growth.no_periods", subject=subject.phrase)
            yield _issue(WARNING, subject, "year", no_periods, value=row.year)
        elif row.year not in starts:
            yield _issue(
                ERROR,
                subject,
                "year",
                msg("growth.unknown_year", subject=subject.phrase, year=row.year, years=years),
                value=row.year,
                expected=f"one of {years}",
            )
        if row.grade_id and row.grade_id not in grade_ids:
            yield _issue(
                ERROR,
                subject,
                "grade_id",
                msg("growth.unknown_grade", subject=subject.phrase, grade=_shown(row.grade_id)),
                value=row.grade_id,
                expected="a grade id or blank",
            )
        if row.province.strip() and row.province.strip().casefold() not in provinces:
            yield _issue(
                ERROR,
                subject,
                "province",
                msg(
                    "growth.unknown_province",
                    subject=subject.phrase,
                    province=_shown(row.province),
                    provinces=shown_provinces,
                ),
                value=row.province,
                expected="a province of a collection point or blank",
            )
        yield from _check_range(subject, "factor", row.factor, NON_NEGATIVE)
        if key(row) in seen and key(row) not in reported:  # said at the repeat, the row to fix
            reported.add(key(row))
            repeated = msg("growth.repeated", subject=subject.phrase, count=counts[key(row)])
            yield _issue(ERROR, subject, "year", repeated, value=row.year, expected=GROWTH_REPEAT)
        seen.add(key(row))


def _check_distances(network: Network) -> Iterator[Issue]:
    coords = {n.id: (n.lat, n.lon) for n in network.nodes()}
    pairs = Counter((d.from_id, d.to_id) for d in network.distances)
    reported: set[tuple[str, str]] = set()
    for d in network.distances:
        subject = _distance(d.from_id, d.to_id)
        for field, node_id in (("from_id", d.from_id), ("to_id", d.to_id)):
            if node_id not in coords:
                yield _issue(
                    ERROR,
                    subject,
                    field,
                    msg(
                        "distance.unknown_node", field=FieldName(field), node=node_id, subject=subject.phrase
                    ),
                    value=node_id,
                    expected="the id of a collection point, site or smelter",
                )
        if d.from_id == d.to_id:
            yield _issue(
                WARNING,
                subject,
                "to_id",
                msg("distance.same_node", subject=subject.phrase),
                value=d.to_id,
                expected="a different node",
            )
        if pairs[(d.from_id, d.to_id)] > 1 and (d.from_id, d.to_id) not in reported:
            reported.add((d.from_id, d.to_id))
            yield _issue(
                WARNING,
                subject,
                "from_id",
                msg("distance.repeated", subject=subject.phrase, count=pairs[(d.from_id, d.to_id)]),
                value=d.from_id,
                expected="one line per pair of nodes",
            )
        yield from _check_range(subject, "road_km", d.road_km)
        yield from _check_range(subject, "cost_cny_per_t", d.cost_cny_per_t)
        yield from _check_road_vs_straight_line(
            subject, d.road_km, coords.get(d.from_id), coords.get(d.to_id)
        )


def _check_road_vs_straight_line(
    subject: _Subject,
    road_km: float | None,
    a: tuple[float, float] | None,
    b: tuple[float, float] | None,
) -> Iterator[Issue]:
    if road_km is None or a is None or b is None or not _is_number(road_km) or road_km < 0:
        return
    if not all(_is_number(x) and x in LATITUDE for x in (a[0], b[0])):
        return
    if not all(_is_number(x) and x in LONGITUDE for x in (a[1], b[1])):
        return
    straight = great_circle_km(a[0], a[1], b[0], b[1])
    if road_km < ROAD_SHORTER_THAN_STRAIGHT_LINE * straight:
        yield _value_issue(
            WARNING,
            subject,
            "road_km",
            road_km,
            msg("expect.straight_line", km=straight),
            note=msg("note.check_distance"),
        )


# --- text that fits a cell, nodes where a network can be ---------------------------------------------


def _check_texts(network: Network) -> Iterator[Issue]:
    """Every text within Excel's cell limit: longer text could not be written to any workbook, so a plan
    of this network could not be saved (nor the network itself)."""
    yield from _text_issues(_PARAMETERS, {"network_name": network.name})
    for g in network.grades:
        yield from _text_issues(_grade(g.id), g)
    for cp in network.collection_points:
        yield from _text_issues(_collection_point(cp.id), cp)
        for s in cp.supplies:
            yield from _text_issues(_supply(cp.id, s.grade_id), s)
    for site in network.sites:
        yield from _text_issues(_site(site), site)
        for m in site.modules:
            yield from _text_issues(_module(site, m.id), m)
        for y in site.yields:
            yield from _text_issues(_yield(site, y.input_grade_id, y.output_grade_id), y)
    for smelter in network.smelters:
        yield from _text_issues(_smelter(smelter.id), smelter)
    for v in network.vehicle_types:
        yield from _text_issues(_vehicle_type(v.id), v)
    for d in network.distances:
        yield from _text_issues(_distance(d.from_id, d.to_id), d)


def _text_issues(subject: _Subject, item: object) -> Iterator[Issue]:
    """The text columns of ``subject``'s sheet whose value in ``item`` (an entity, or a dict of
    Parameters rows) is longer than an Excel cell holds; an id list counts as the cell it is written to."""
    for col in entity_columns(subject.entity):
        if not col.is_text:
            continue
        value = item.get(col.key) if isinstance(item, dict) else getattr(item, col.key, None)
        if isinstance(value, tuple):
            value = ", ".join(str(v) for v in value)
        if isinstance(value, str) and len(value) > EXCEL_CELL_MAX_CHARS:
            yield _issue(
                ERROR,
                subject,
                col.key,
                msg(
                    "text.too_long",
                    field=FieldName(col.key),
                    subject=Of(subject.phrase),
                    length=len(value),
                    limit=EXCEL_CELL_MAX_CHARS,
                ),
                value=len(value),
                expected=f"at most {EXCEL_CELL_MAX_CHARS:,} characters",
            )


def _located_nodes(
    nodes: Iterable[CollectionPoint | ProcessingSite | Smelter],
) -> list[tuple[CollectionPoint | ProcessingSite | Smelter, float, float]]:
    """The nodes whose coordinates are valid numbers (the others are reported on their own)."""
    located = []
    for n in nodes:
        if _is_number(n.lat) and _is_number(n.lon) and n.lat in LATITUDE and n.lon in LONGITUDE:
            located.append((n, float(n.lat), float(n.lon)))
    return located


def _nearest(
    rows: list[tuple[CollectionPoint | ProcessingSite | Smelter, float, float]],
    cols: list[tuple[CollectionPoint | ProcessingSite | Smelter, float, float]],
) -> Iterator[tuple[CollectionPoint | ProcessingSite | Smelter, float, str]]:
    """For each row node, the great-circle km to its nearest column node (itself excluded) and that
    node's id; computed in blocks so that a network of thousands of yards stays within a few MB."""
    lat_b = np.array([c[1] for c in cols])
    lon_b = np.array([c[2] for c in cols])
    col_ids = [c[0].id for c in cols]
    column_of = {id(c[0]): j for j, c in enumerate(cols)}
    for start in range(0, len(rows), 512):
        block = rows[start : start + 512]
        km = great_circle_matrix_km(
            np.array([r[1] for r in block]), np.array([r[2] for r in block]), lat_b, lon_b
        )
        for i, (node, _, _) in enumerate(block):
            itself = column_of.get(id(node))
            if itself is not None:
                km[i, itself] = np.inf
        nearest = np.argmin(km, axis=1)
        for i, (node, _, _) in enumerate(block):
            j = int(nearest[i])
            yield node, float(km[i, j]), col_ids[j]


def _check_far_nodes(network: Network) -> Iterator[Issue]:
    """A node farther from the rest of the network than any truck drives: a warning beyond
    :data:`~optimizer.schema.FAR_NODE_WARNING_KM`, saying its coordinates are wrong beyond
    :data:`~optimizer.schema.FAR_NODE_MISPLACED_KM`."""
    points = _located_nodes(network.collection_points)
    facilities = _located_nodes([*network.sites, *network.smelters])
    checks: list[
        tuple[
            list[tuple[CollectionPoint | ProcessingSite | Smelter, float, float]],
            list[tuple[CollectionPoint | ProcessingSite | Smelter, float, float]],
            str,
        ]
    ] = [(points, facilities, "far.collection_point"), (facilities, points + facilities, "far.node")]
    for rows, cols, code in checks:
        if not rows or len(cols) < (2 if code == "far.node" else 1):
            continue
        for node, km, nearest in _nearest(rows, cols):
            if km <= FAR_NODE_WARNING_KM:
                continue
            misplaced = km > FAR_NODE_MISPLACED_KM
            limit = FAR_NODE_MISPLACED_KM if misplaced else FAR_NODE_WARNING_KM
            subject = _node_subject(node)
            yield _issue(
                WARNING,
                subject,
                "lat",
                msg(
                    code,
                    subject=subject.phrase,
                    km=km,
                    nearest=_shown(nearest),
                    limit=limit,
                    note=msg("note.coordinates" if misplaced else "note.far_haul"),
                ),
                value=node.lat,
                expected=f"within {limit:,.0f} km of another node",
            )


def _node_subject(node: CollectionPoint | ProcessingSite | Smelter) -> _Subject:
    if isinstance(node, CollectionPoint):
        return _collection_point(node.id)
    if isinstance(node, ProcessingSite):
        return _site(node)
    return _smelter(node.id)


# --- can copper reach a smelter? -------------------------------------------------------------------


def deliverable_grades(network: Network) -> set[str]:
    """Grades that some smelter buys directly, or that an open site turns into such a grade.

    Works through chains of sites (collection point -> dismantling -> sorting -> smelter) by a fixed
    point: a grade is deliverable when a smelter accepts it, or when a site that is not closed accepts
    it and yields (fraction > 0) a deliverable grade. Geography (haul limits) is ignored.
    """
    deliverable = {g for m in network.smelters for g in m.accepted_grade_ids}
    conversions = [
        (y.input_grade_id, y.output_grade_id)
        for site in network.sites
        if site.status is not SiteStatus.CLOSED
        for y in site.yields
        if _is_number(y.fraction) and y.fraction > 0
    ]
    changed = True
    while changed:
        changed = False
        for input_id, output_id in conversions:
            if output_id in deliverable and input_id not in deliverable:
                deliverable.add(input_id)
                changed = True
    return deliverable


def _check_reachability(network: Network) -> Iterator[Issue]:
    if not network.smelters or not network.grades:
        return  # already an error of its own; no need to pile on
    deliverable = deliverable_grades(network)
    supply = {g: t for g, t in network.total_supply_t().items() if _is_number(t) and math.isfinite(t)}
    grade_ids = {g.id for g in network.grades}
    produced = {
        y.output_grade_id
        for site in network.sites
        if site.status is not SiteStatus.CLOSED
        for y in site.yields
    }
    total = sum(t for g, t in supply.items() if g in grade_ids and t > 0)
    if total > 0 and not any(supply.get(g, 0.0) > 0 for g in deliverable):
        # Located at the first smelter's accepted grades: the likeliest place to fix it. The per-grade
        # warnings below would only repeat this, grade by grade.
        yield Issue.of(
            ERROR,
            msg("reach.none", total=_fmt(total)),
            entity="smelter",
            entity_id=network.smelters[0].id,
            field="accepted_grade_ids",
            value=total,
            expected="a supplied grade accepted by a smelter, directly or through sites",
        )
        return
    for g in network.grades:
        if g.id in deliverable:
            continue
        tonnes = supply.get(g.id, 0.0)
        if tonnes > 0:
            yield _issue(
                WARNING,
                _grade(g.id),
                "id",
                msg("reach.supplied", grade=g.id, tonnes=_fmt(tonnes)),
                value=g.id,
                expected="a smelter, or a chain of sites, that takes this grade",
            )
        elif g.id in produced:
            yield _issue(
                WARNING,
                _grade(g.id),
                "id",
                msg("reach.produced", grade=g.id),
                value=g.id,
                expected="a smelter, or a chain of sites, that takes this grade",
            )
