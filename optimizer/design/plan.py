"""The result of a network-design solve: which sites open, how every grade flows, and what it yields.

A :class:`Plan` is plain data: frozen dataclasses of Python floats, ints, strings, tuples and
``dict[str, float]`` keyed by grade, province or site id. It round-trips through JSON
(:meth:`Plan.to_json` / :meth:`Plan.from_json`), which is how the routing command (``copperloop routes
--plan PLAN.json``), the report writer and the GUI's scenario store read it.

Status is honest: ``optimal`` only when the solver proved the requested gap; ``feasible`` when it
stopped (time limit) with an incumbent and a larger gap; ``cancelled`` when the user stopped it (the
incumbent, if any, is kept); ``time_limit_no_solution`` when it stopped without any incumbent;
``infeasible`` with :attr:`Plan.infeasibility` explaining which requirement falls short and by how much.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from optimizer.design.options import SolveOptions
from optimizer.messages import EN, Amount, FieldName, Localized, Msg, Of, msg, placeholders


class PlanStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    CANCELLED = "cancelled"
    ERROR = "error"
    TIME_LIMIT_NO_SOLUTION = "time_limit_no_solution"


class Echelon(StrEnum):
    """Which leg of the network an arc belongs to (each has its own max haul distance)."""

    COLLECTION = "collection"  # collection point -> dismantling site, sorting center or smelter
    TRANSFER = "transfer"  # dismantling site -> sorting center
    DELIVERY = "delivery"  # dismantling site or sorting center -> smelter


@dataclass(frozen=True, slots=True)
class OpenedSite:
    """A processing site that runs in the plan (existing sites always do), with its chosen module.

    ``utilization_pct`` is throughput / module capacity x 100. Residue is what the yield table does not
    turn into a copper grade (steel, plastic, losses): ``residue_t`` of scrap containing
    ``residue_t_cu`` of copper.
    """

    site_id: str
    name: str
    kind: str
    status: str
    province: str
    lat: float
    lon: float
    module_id: str
    capacity_t: float
    fixed_cost_cny: float
    throughput_t: float
    utilization_pct: float
    input_t_by_grade: dict[str, float]
    output_t_by_grade: dict[str, float]
    residue_t: float
    residue_t_cu: float
    processing_cost_cny: float
    co2_t: float

    @property
    def is_new(self) -> bool:
        return self.status == "candidate"


@dataclass(frozen=True, slots=True)
class Flow:
    """Annual tonnes of one grade on one arc, with what carrying them costs and emits.

    ``mode`` is how the design priced the arc (JSON field ``mode``, one of :data:`FLOW_MODES`):
    ``linear`` a truck at the t-km rate (``transport_cost_cny_per_t_km``, or the user's own cost of
    the arc); with ``collection_cost_model = trucks`` a collection arc is ``milk_run`` (a shared route),
    ``full_truckload`` (the depot's own truck, one yard a trip) or ``carrier`` (a carrier's trips). Plan
    files written before the field read as ``linear``, which is what they were priced with.
    """

    from_id: str
    to_id: str
    echelon: Echelon
    grade_id: str
    t: float
    t_cu: float
    km: float
    t_km: float
    cost_cny: float
    co2_t: float
    mode: str = "linear"


#: The values of :attr:`Flow.mode` (the labels of ``collection_cost.ArcMode``).
FLOW_MODES = ("linear", "milk_run", "full_truckload", "carrier")


@dataclass(frozen=True, slots=True)
class AssignmentShare:
    """Tonnes per grade a collection point sends to one destination (site or smelter)."""

    destination_id: str
    destination_kind: str
    t_by_grade: dict[str, float]

    @property
    def t(self) -> float:
        return sum(self.t_by_grade.values())


@dataclass(frozen=True, slots=True)
class PointAssignment:
    """Where one collection point's scrap goes: collected tonnes per grade and the receiving site(s).

    ``primary_destination_id`` is the destination taking the most tonnes (``None`` when nothing is
    collected); routing uses it as the point's depot.
    """

    point_id: str
    name: str
    province: str
    supply_t_by_grade: dict[str, float]
    collected_t_by_grade: dict[str, float]
    shares: tuple[AssignmentShare, ...]
    primary_destination_id: str | None

    @property
    def collected_t(self) -> float:
        return sum(self.collected_t_by_grade.values())


@dataclass(frozen=True, slots=True)
class SmelterIntake:
    """What one smelter takes in: tonnes per grade, contained copper and the blended copper content."""

    smelter_id: str
    name: str
    province: str
    capacity_t: float
    intake_t_by_grade: dict[str, float]
    intake_t: float
    intake_t_cu: float
    blended_copper_content: float
    min_copper_content: float
    utilization_pct: float
    revenue_cny: float


@dataclass(frozen=True, slots=True)
class Kpis:
    """Plan-wide key figures. Money in CNY per year, masses in t per year.

    ``utilization`` = ``copper_delivered_t_cu`` / ``supply_t_cu``. Per grade and per province it counts
    copper delivered that originated in that supply grade or province (mixing at sites is proportional).
    ``budget_cost_cny`` is what the annual budget limits: fixed + processing + transport.
    """

    utilization: float
    utilization_by_grade: dict[str, float]
    utilization_by_province: dict[str, float]
    supply_t: float
    supply_t_cu: float
    collected_t: float
    collected_t_cu: float
    copper_delivered_t_cu: float
    delivered_t: float
    residue_t: float
    residue_t_cu: float
    revenue_cny: float
    purchase_cost_cny: float
    transport_cost_cny: float
    processing_cost_cny: float
    fixed_cost_cny: float
    carbon_cost_cny: float
    total_cost_cny: float
    budget_cost_cny: float
    profit_cny: float
    t_km: float
    transport_co2_t: float
    processing_co2_t: float
    co2_t: float
    sites_open: int
    new_sites_open: int


@dataclass(frozen=True, slots=True)
class Shortfall:
    """One requirement that cannot hold, and by how much.

    ``requirement`` is a stable key (``utilization_target``, ``budget``, ``max_new_sites``,
    ``smelter_blend``, ``smelter_capacity``, ``site_capacity``, ``reachability``); ``subject_id`` names
    the smelter or site when there is one; ``constraint`` the model's constraint name. ``reason`` says
    it as a catalogue message, rendered in the reader's language when shown; :attr:`message` is its
    English text (the command line, the JSON file).
    """

    requirement: str
    reason: Msg
    required: float
    achievable: float
    shortfall: float
    unit: str
    subject_id: str = ""
    constraint: str = ""

    @property
    def message(self) -> str:
        return self.reason.render("en")


@dataclass(frozen=True, slots=True)
class Build:
    """A module a plan builds (or, for a single-year plan, implies): where, which, the first year it runs,
    and its capex in CNY (paid over its build time before that year)."""

    site_id: str
    module_id: str
    year: int
    capex_cny: float
    capacity_t: float = 0.0
    jobs: int = 0


@dataclass(frozen=True, slots=True)
class PeriodEconomics:
    """One calendar year of a plan's cash flow, copper and CO2 (see :mod:`optimizer.design.economics`).

    Money in CNY of that year (not discounted, except ``discounted_cash_flow_cny``). ``cash_flow_cny``
    = revenue - purchase - transport - processing - fixed - carbon - VAT (after refund) - income tax -
    capex - closing + residual value (the last year only). ``co2_net_t`` = emitted - avoided.
    ``site_cash_flow_cny`` is each site's own outflow (processing, fixed, capex, closing, less residual
    value) as a negative number. ``site_allocated_cash_flow_cny`` is each site's full cash flow under
    the allocation rule of :func:`optimizer.design.economics.allocate_to_sites` (its own outflow plus
    the share of revenue, purchases, transport, carbon and taxes the rule gives it); what the rule
    gives no site (a yard's direct deliveries to a smelter) is the cash flow less their sum.
    """

    year: int
    utilization: float
    target_utilization: float | None
    copper_delivered_t_cu: float
    revenue_cny: float
    purchase_cny: float
    transport_cny: float
    processing_cny: float
    fixed_cny: float
    carbon_cny: float
    vat_cny: float
    income_tax_cny: float
    capex_cny: float
    closing_cny: float
    residual_cny: float
    cash_flow_cny: float
    discounted_cash_flow_cny: float
    cumulative_cash_flow_cny: float
    co2_emitted_t: float
    co2_avoided_t: float
    co2_net_t: float
    jobs: int
    sites_running: int
    site_cash_flow_cny: dict[str, float] = field(default_factory=dict)
    site_allocated_cash_flow_cny: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SiteEconomics:
    """One site's investment figures over a plan's horizon, from its allocated cash flow per year
    (``cash_flow_cny``, one entry per ``Plan.periods`` year; see
    :func:`optimizer.design.economics.allocate_to_sites` for the rule). ``build_year`` is the first year
    a module of the site is built (``None`` for a site that builds nothing); ``capex_cny`` the capex of
    all its builds. NPV, IRR and paybacks are ``None`` for a single-year plan (one year says nothing
    about them) and IRR and payback when they do not exist (no negative year, never paid back)."""

    site_id: str
    build_year: int | None
    capex_cny: float
    npv_cny: float | None
    irr: float | None
    payback_years: float | None
    discounted_payback_years: float | None
    cash_flow_cny: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    """One solved (or failed, or cancelled) network design.

    ``objective`` is in the objective's own unit (CNY for profit and cost, t Cu for utilization);
    ``best_bound`` and ``gap`` are the solver's proven bound and relative gap (``None`` when unknown).
    ``status_message`` and ``notes`` are catalogue messages (code and parameters), rendered in the
    reader's language when shown (``plan.status_message.render("zh")``); :attr:`message` is the status
    message's English text, for the command line and the JSON file.
    """

    status: PlanStatus
    status_message: Msg
    objective_name: str
    objective: float | None
    best_bound: float | None
    gap: float | None
    runtime_s: float
    build_s: float
    solver: str
    options: SolveOptions
    network_name: str
    sites: tuple[OpenedSite, ...] = ()
    flows: tuple[Flow, ...] = ()
    assignments: tuple[PointAssignment, ...] = ()
    smelters: tuple[SmelterIntake, ...] = ()
    kpis: Kpis | None = None
    infeasibility: tuple[Shortfall, ...] = ()
    notes: tuple[Msg, ...] = ()
    model_size: dict[str, int] = field(default_factory=dict)
    # Investment economics. A multi-year plan has them all, and its sites, flows and KPIs
    # are those of its last year; ``year_plans`` holds every period's own plan. A single-year plan gets
    # ``periods`` (its one year: CO2 avoided, capex) and ``builds`` (the investment its modules imply)
    # from :func:`optimizer.design.economics.with_economics`. ``site_economics`` holds each site's
    # capex, NPV, IRR and paybacks from its allocated cash flow (both kinds of plan).
    periods: tuple[PeriodEconomics, ...] = ()
    builds: tuple[Build, ...] = ()
    npv_cny: float | None = None
    irr: float | None = None
    payback_years: float | None = None
    discounted_payback_years: float | None = None
    discount_rate: float | None = None
    year_plans: tuple[Plan, ...] = ()
    site_economics: tuple[SiteEconomics, ...] = ()

    @property
    def has_solution(self) -> bool:
        """Whether the plan carries flows and KPIs (optimal, feasible, or cancelled with an incumbent)."""
        return self.kpis is not None

    @property
    def message(self) -> str:
        """The status message in English (the command line, scripts, the JSON file's ``message``)."""
        return self.status_message.render("en")

    def note_texts(self, lang: str = "en") -> tuple[str, ...]:
        """The notes in ``lang``."""
        return tuple(n.render(lang) for n in self.notes)

    def site(self, site_id: str) -> OpenedSite | None:
        return next((s for s in self.sites if s.site_id == site_id), None)

    def assignment(self, point_id: str) -> PointAssignment | None:
        return next((a for a in self.assignments if a.point_id == point_id), None)

    def summary(self, lang: str = "en") -> str:
        """A readable multi-line summary (``lang`` "en" or "zh")."""
        return _summarize(self, lang)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (no infinities: unknown numbers are ``None``). Messages are written as
        ``{"code", "params", "text"}`` (``text`` their English), and ``message`` is the status
        message's English text, as files before messages had codes held it."""
        data: dict[str, Any] = _to_plain(self)
        return data

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, allow_nan=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        """A plan from :meth:`to_dict`'s data; a file written before messages had codes (``message``
        and the notes as English text only) still reads: its texts become :func:`text_message`."""
        if "status_message" not in data:
            data = {**data, "status_message": _legacy_status(data)}
        return _from_plain(cls, data)

    @classmethod
    def from_json(cls, text: str) -> Plan:
        return cls.from_dict(json.loads(text))


@dataclass(frozen=True, slots=True)
class ParetoResult:
    """A cost-vs-utilization trade-off sweep: one full plan per epsilon (utilization floor)."""

    plans: tuple[Plan, ...]
    targets: tuple[float, ...]
    status: PlanStatus
    status_message: Msg
    runtime_s: float

    @property
    def message(self) -> str:
        """The status message in English ("3 of 3 trade-off points solved, ...")."""
        return self.status_message.render("en")

    def points(self) -> list[tuple[float, float]]:
        """(utilization, total cost CNY) of every plan that has a solution."""
        return [(p.kpis.utilization, p.kpis.total_cost_cny) for p in self.plans if p.kpis is not None]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = _to_plain(self)
        return data

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, allow_nan=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParetoResult:
        """A sweep from :meth:`to_dict`'s data; one written before messages had codes keeps its text."""
        if "status_message" not in data:
            data = {**data, "status_message": str(data.get("message") or "")}
        return _from_plain(cls, data)


def text_message(text: str) -> Msg:
    """A message that is only its text, the same in every language: what a plan file written before
    messages had codes holds (its English sentence), or a solver's own words."""
    return msg("plan.text", text=text)


def joined(parts: Iterable[Msg]) -> Localized:
    """Clauses one after another, as one phrase in each language ("a; b", "a；b")."""
    said = tuple(parts)
    return Localized("; ".join(p.render("en") for p in said), "；".join(p.render("zh") for p in said))


def _legacy_status(data: dict[str, Any]) -> Msg | str:
    """The status message of a plan file written before messages had codes: the catalogue message its
    English text was made from when it is one of the plain statuses, rebuilt from the plan's own gap,
    time limit and size (so that an old multi-year plan within a proven gap still says so, in any
    language), else the text itself."""
    text = str(data.get("message") or "")
    gap = data.get("gap")
    limit = (data.get("options") or {}).get("time_limit_s")
    variables = (data.get("model_size") or {}).get("variables", 0)
    plain = ("optimal", "cancelled", "cancelled_empty", "infeasible", "error")
    candidates = [msg(f"status.{code}") for code in plain] + [msg("multiyear.cancelled_building")]
    if isinstance(limit, int | float):
        shown = f"{limit:g}"
        candidates.append(msg("status.time_limit_no_gap", limit=shown))
        candidates.append(msg("status.time_limit_no_solution", limit=shown))
        if isinstance(gap, int | float):
            candidates.append(msg("status.time_limit", limit=shown, gap=f"{100 * gap:.2f}%"))
    if isinstance(gap, int | float):
        candidates.append(msg("status.optimal_gap", gap=f"{100 * gap:.3f}%"))
        for code in ("multiyear.bounded", "multiyear.bounded_after_failure"):
            candidates.append(msg(code, gap=f"{100 * gap:.2f}%", variables=int(variables)))
    return next((m for m in candidates if m.render("en") == text), text)


def message_to_plain(message: Msg) -> dict[str, Any]:
    """``message`` as JSON-ready data: its code, its parameters (nested phrases and terms as objects)
    and, for a reader without the catalogue, its English text."""
    return {"code": message.code, "params": _params_to_plain(message), "text": message.render("en")}


def message_from_plain(data: Any) -> Msg:
    """The message :func:`message_to_plain` wrote; English text alone (an older file) or a code this
    catalogue does not have, or lacking a parameter it needs (a newer file), is kept as its text."""
    if isinstance(data, Msg):
        return data
    if isinstance(data, dict):
        try:
            decoded = _msg_from_plain(data)
            decoded.render("en")
            decoded.render("zh")
        except (KeyError, ValueError, IndexError, TypeError, AttributeError):
            return text_message(str(data.get("text") or ""))
        return decoded
    return text_message("" if data is None else str(data))


def _params_to_plain(message: Msg) -> dict[str, Any]:
    return {name: _term_to_plain(value) for name, value in message.params}


def _term_to_plain(value: object) -> Any:
    if isinstance(value, Msg):
        return {"code": value.code, "params": _params_to_plain(value)}
    if isinstance(value, Localized):
        return {"en": value.en, "zh": value.zh}
    if isinstance(value, Of):
        return {"of": _term_to_plain(value.subject)}
    if isinstance(value, Amount):
        return {"amount": _term_to_plain(value.value), "field": value.field}
    if isinstance(value, FieldName):
        return {"field": value.key}
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    return str(value)


def _msg_from_plain(data: dict[str, Any]) -> Msg:
    code = str(data["code"])
    if code not in EN:
        raise KeyError(code)
    params = {str(k): _term_from_plain(v) for k, v in dict(data.get("params") or {}).items()}
    missing = placeholders(EN[code]) - set(params)
    if missing:
        raise KeyError(", ".join(sorted(missing)))
    return Msg(code, tuple(params.items()))


def _term_from_plain(value: Any) -> object:
    if not isinstance(value, dict):
        return value
    if "code" in value:
        return _msg_from_plain(value)
    if "of" in value:
        subject = _term_from_plain(value["of"])
        if not isinstance(subject, Msg):
            raise TypeError("a possessive of no phrase")
        return Of(subject)
    if "amount" in value:
        return Amount(_term_from_plain(value["amount"]), str(value["field"]))
    if "field" in value:
        return FieldName(str(value["field"]))
    return Localized(str(value["en"]), str(value["zh"]))


def _to_plain(obj: Any) -> Any:
    if isinstance(obj, SolveOptions):
        return obj.to_dict()
    if isinstance(obj, Msg):
        return message_to_plain(obj)
    if isinstance(obj, Plan | ParetoResult):  # a year plan of a multi-year plan too: its status in English
        fields = {f.name: _to_plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        return {**fields, "message": obj.message}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _to_plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, StrEnum):
        return str(obj)
    if isinstance(obj, dict):
        return {str(k): _to_plain(v) for k, v in obj.items()}
    if isinstance(obj, tuple | list):
        return [_to_plain(v) for v in obj]
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return float(obj) if math.isfinite(obj) else None
    raise TypeError(f"cannot serialise {type(obj).__name__} in a plan")


T = TypeVar("T")


#: Fields that files written before messages had codes name differently: new name -> old name.
_RENAMED = {"reason": "message"}


@functools.cache
def _fields_of(cls: type) -> dict[str, Any]:
    """Field name -> resolved type of a plan dataclass, once per class: resolving them for every object
    made reading a national six-year plan file (14 MB) take 11 s instead of 2 (load 5-6)."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _from_plain(cls: type[T], data: Any) -> T:
    fields = _fields_of(typing.cast(type, cls))
    for new, old in _RENAMED.items():
        if new in fields and new not in data and old in data:
            data = {**data, new: data[old]}
    return cls(**{name: _convert(tp, data[name]) for name, tp in fields.items() if name in data})


def _convert(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(inner[0], value)
    if tp is SolveOptions:
        return SolveOptions.from_dict(value)
    if tp is Msg:
        return message_from_plain(value)
    if tp is Plan:  # a multi-year plan's year plans: each may be of the older shape too
        return Plan.from_dict(value)
    if isinstance(tp, type) and issubclass(tp, StrEnum):
        return tp(value)
    if dataclasses.is_dataclass(tp):
        return _from_plain(tp, value)  # type: ignore[arg-type]
    if origin is tuple:
        (item, _ellipsis) = typing.get_args(tp)
        return tuple(_convert(item, v) for v in value)
    if origin is dict:
        _key, val = typing.get_args(tp)
        return {str(k): _convert(val, v) for k, v in value.items()}
    if tp is float:
        return float(value)
    if tp is int:
        return int(value)
    return value


_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "plan": "Plan for",
        "status": "Status",
        "objective": "Objective",
        "bound": "best bound",
        "gap": "gap",
        "solver": "solver",
        "runtime": "runtime",
        "utilization": "Recycled-copper utilization",
        "of": "of",
        "revenue": "Revenue",
        "purchase": "Purchase",
        "transport": "Transport",
        "processing": "Processing",
        "fixed": "Fixed",
        "carbon": "Carbon",
        "total_cost": "Total cost",
        "profit": "Profit",
        "co2": "CO2",
        "sites": "Sites open",
        "new": "new",
        "smelters": "Smelter intake",
        "blend": "blend",
        "min": "min",
        "shortfalls": "Why the requirements cannot all hold",
        "notes": "Notes",
        "collected": "Scrap collected",
        "delivered": "Copper delivered",
        "residue": "residue",
        "module": "module",
        "per_year": "/yr",
        "no_solution": "No plan to show.",
        "last_year": "Last year",
    },
    "zh": {
        "plan": "方案",
        "status": "状态",
        "objective": "目标值",
        "bound": "最优界",
        "gap": "间隙",
        "solver": "求解器",
        "runtime": "用时",
        "utilization": "再生铜利用率",
        "of": "/",
        "revenue": "收入",
        "purchase": "采购成本",
        "transport": "运输成本",
        "processing": "加工成本",
        "fixed": "固定成本",
        "carbon": "碳成本",
        "total_cost": "总成本",
        "profit": "利润",
        "co2": "CO2",
        "sites": "开设站点",
        "new": "新建",
        "smelters": "冶炼厂进料",
        "blend": "混合品位",
        "min": "最低",
        "shortfalls": "要求无法同时满足的原因",
        "notes": "说明",
        "collected": "回收废料",
        "delivered": "交付铜量",
        "residue": "残余物",
        "module": "模块",
        "per_year": "/年",
        "no_solution": "没有可显示的方案。",
        "last_year": "最后一年",
    },
}


def _num(x: float | None, digits: int = 0) -> str:
    if x is None:
        return "-"
    return f"{x:,.{digits}f}"


_INVESTMENT: dict[str, dict[str, str]] = {
    "en": {
        "implied": "Investment the new modules imply: {capex} M CNY ({n} modules, {jobs} jobs on site); "
        "CO2 avoided {avoided} t, net {net} t",
        "schedule": "Build schedule:",
        "nothing": "  nothing to build: the existing network serves every year",
        "build": "build {site}, module {module} ({capacity} t/yr, capex {capex} M CNY)",
        "never": "not within the horizon",
        "first_year": "within the first year",
        "no_irr": "not defined (no year's cash flow is negative)",
        "years": "{x:.1f} years",
        "figures": "NPV {npv} at {rate}; IRR {irr}; payback {payback} (discounted {discounted})",
        "target": " (target {x:.1f}%)",
        "year": "  {year}: utilization {u:.1f}%{target}, {cu} t Cu; cash flow {cash} M CNY "
        "(capex {capex} M); CO2 emitted {emitted} t, avoided {avoided} t",
        "sep": "; ",
        "mcny": "M CNY",
        "sites": "Each site built (its cash flow allocated as the report's Investment sheet says):",
        "site": "  {site} (built {year}, capex {capex} M CNY): NPV {npv} M CNY, IRR {irr}, payback {payback}",
        "site_no_irr": "not defined",
    },
    "zh": {
        "implied": "新建模块所需投资：{capex} 百万元（{n} 个模块，{jobs} 个就业岗位）；避免CO2 {avoided} 吨，"
        "净排放 {net} 吨",
        "schedule": "建设计划：",
        "nothing": "  无需新建：现有网络满足各年需求",
        "build": "新建 {site}，模块 {module}（{capacity} 吨/年，投资 {capex} 百万元）",
        "never": "规划期内未回收",
        "first_year": "首年内",
        "no_irr": "无定义（各年现金流均为正）",
        "years": "{x:.1f} 年",
        "figures": "净现值 {npv}（折现率 {rate}）；内部收益率 {irr}；"
        "投资回收期 {payback}（动态 {discounted}）",
        "target": "（目标 {x:.1f}%）",
        "year": "  {year}：利用率 {u:.1f}%{target}，{cu} 吨铜；现金流 {cash} 百万元（投资 {capex} 百万元）；"
        "CO2排放 {emitted} 吨，避免 {avoided} 吨",
        "sep": "；",
        "mcny": "百万元",
        "sites": "各新建站点（现金流按报告投资页所述规则分摊）：",
        "site": "  {site}（{year} 年建设，投资 {capex} 百万元）：净现值 {npv} 百万元，内部收益率 {irr}，"
        "投资回收期 {payback}",
        "site_no_irr": "无定义",
    },
}


def investment_lines(plan: Plan, lang: str = "en") -> list[str]:
    """The build schedule and the investment figures, first in a multi-year plan's summary:
    ``2025: build D-LQ, module D10 (10,000 t/yr, capex 18.0 M CNY)``, then NPV, IRR and payback; for a
    single-year plan with economics, one line of implied investment and CO2."""
    tr = _INVESTMENT.get(lang, _INVESTMENT["en"])

    def mcny(x: float) -> str:
        return f"{x / 1e6:,.1f}"

    if not plan.year_plans:
        if not plan.periods:
            return []
        only = plan.periods[0]
        capex = sum(b.capex_cny for b in plan.builds)
        return [
            tr["implied"].format(
                capex=mcny(capex), n=len(plan.builds), jobs=only.jobs, avoided=_num(only.co2_avoided_t),
                net=_num(only.co2_net_t),
            )
        ]
    lines = [tr["schedule"]]
    years = sorted({b.year for b in plan.builds})
    if not years:
        lines.append(tr["nothing"])
    for year in years:
        parts = [
            tr["build"].format(
                site=b.site_id, module=b.module_id, capacity=_num(b.capacity_t), capex=mcny(b.capex_cny)
            )
            for b in plan.builds
            if b.year == year
        ]
        lines.append(f"  {year}: " + tr["sep"].join(parts))

    def years_or_never(x: float | None) -> str:
        # flows sit at t = 0, 1, ... (as in the NPV): 0 means the first year's cash flow already covers
        # its capex, which "0.0 years" would misstate
        if x is None:
            return tr["never"]
        return tr["first_year"] if x <= 0 else tr["years"].format(x=x)

    rate = "-" if plan.discount_rate is None else f"{100 * plan.discount_rate:g}%"
    irr = tr["no_irr"] if plan.irr is None else f"{100 * plan.irr:.1f}%"
    npv = "-" if plan.npv_cny is None else f"{mcny(plan.npv_cny)} {tr['mcny']}"
    lines.append(
        tr["figures"].format(
            npv=npv, rate=rate, irr=irr, payback=years_or_never(plan.payback_years),
            discounted=years_or_never(plan.discounted_payback_years),
        )
    )
    for p in plan.periods:
        target = "" if p.target_utilization is None else tr["target"].format(x=100 * p.target_utilization)
        lines.append(
            tr["year"].format(
                year=p.year, u=100 * p.utilization, target=target, cu=_num(p.copper_delivered_t_cu),
                cash=mcny(p.cash_flow_cny), capex=mcny(p.capex_cny), emitted=_num(p.co2_emitted_t),
                avoided=_num(p.co2_avoided_t),
            )
        )
    built = sorted(
        (e for e in plan.site_economics if e.build_year is not None), key=lambda e: e.build_year or 0
    )
    if built:
        lines.append(tr["sites"])
    for e in built:
        lines.append(
            tr["site"].format(
                site=e.site_id,
                year=e.build_year,
                capex=mcny(e.capex_cny),
                npv="-" if e.npv_cny is None else mcny(e.npv_cny),
                irr=tr["site_no_irr"] if e.irr is None else f"{100 * e.irr:.1f}%",
                payback=years_or_never(e.payback_years),
            )
        )
    return lines


#: Objective and status names of the Chinese summary (the CLI never prints "目标值 (profit)").
_OBJECTIVE_ZH = {"profit": "利润", "cost": "成本", "utilization": "利用率", "npv": "净现值"}
_STATUS_ZH = {
    "optimal": "最优",
    "feasible": "可行（达到时间限制）",
    "infeasible": "不可行",
    "cancelled": "已取消",
    "error": "求解器错误",
    "time_limit_no_solution": "时间限制内无方案",
}


def _objective_name(name: str, lang: str) -> str:
    return _OBJECTIVE_ZH.get(name, name) if lang == "zh" else name


def _status_name(status: PlanStatus, lang: str) -> str:
    return _STATUS_ZH.get(status.value, status.value) if lang == "zh" else status.value.upper()


def _summarize(plan: Plan, lang: str) -> str:
    tr = _LABELS.get(lang, _LABELS["en"])
    lines = [
        f"{tr['plan']} {plan.network_name}: {_status_name(plan.status, lang)} "
        f"({tr['solver']} {plan.solver}, {tr['runtime']} {plan.runtime_s:.1f} s)"
    ]
    status_message = plan.status_message.render(lang)
    if status_message:
        lines.append(status_message)
    lines.extend(investment_lines(plan, lang))
    if plan.year_plans:
        lines.append(f"{tr['last_year']} ({plan.year_plans[-1].network_name}):")
    if plan.objective is not None:
        unit = "t Cu" if plan.objective_name == "utilization" else "CNY"
        gap = "-" if plan.gap is None else f"{100 * plan.gap:.2f}%"
        objective = _objective_name(plan.objective_name, lang)
        lines.append(
            f"{tr['objective']} ({objective}): {_num(plan.objective)} {unit}; "
            f"{tr['bound']} {_num(plan.best_bound)}; {tr['gap']} {gap}"
        )
    k = plan.kpis
    if k is None:
        lines.append(tr["no_solution"])
    else:
        lines.append(
            f"{tr['utilization']}: {100 * k.utilization:.1f}% ({_num(k.copper_delivered_t_cu)} t Cu "
            f"{tr['of']} {_num(k.supply_t_cu)} t Cu)"
        )
        lines.append(f"{tr['collected']}: {_num(k.collected_t)} t; {tr['residue']} {_num(k.residue_t)} t")
        lines.append(
            f"{tr['revenue']} {_num(k.revenue_cny)}; {tr['purchase']} {_num(k.purchase_cost_cny)}; "
            f"{tr['transport']} {_num(k.transport_cost_cny)}; {tr['processing']} "
            f"{_num(k.processing_cost_cny)}; {tr['fixed']} {_num(k.fixed_cost_cny)}; {tr['carbon']} "
            f"{_num(k.carbon_cost_cny)} (CNY{tr['per_year']})"
        )
        lines.append(
            f"{tr['total_cost']} {_num(k.total_cost_cny)} CNY; {tr['profit']} {_num(k.profit_cny)} CNY; "
            f"{_num(k.t_km)} t-km; {tr['co2']} {_num(k.co2_t, 1)} t"
        )
        lines.append(f"{tr['sites']} ({k.sites_open}, {k.new_sites_open} {tr['new']}):")
        for s in plan.sites:
            tag = f" [{tr['new']}]" if s.is_new else ""
            lines.append(
                f"  {s.site_id} {s.name}{tag}: {tr['module']} {s.module_id} {_num(s.capacity_t)} t, "
                f"{_num(s.throughput_t)} t ({s.utilization_pct:.1f}%)"
            )
        lines.append(f"{tr['smelters']}:")
        for m in plan.smelters:
            lines.append(
                f"  {m.smelter_id} {m.name}: {_num(m.intake_t)} t, {_num(m.intake_t_cu)} t Cu, "
                f"{tr['blend']} {100 * m.blended_copper_content:.1f}% ({tr['min']} "
                f"{100 * m.min_copper_content:.1f}%), {m.utilization_pct:.1f}%"
            )
    if plan.infeasibility:
        lines.append(f"{tr['shortfalls']}:")
        lines.extend(f"  - {s.reason.render(lang)}" for s in plan.infeasibility)
    if plan.notes:
        lines.append(f"{tr['notes']}:")
        lines.extend(f"  - {n}" for n in plan.note_texts(lang))
    return "\n".join(lines)
