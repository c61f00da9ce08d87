"""CopperLoop's one domain model: the recycling network and everything in it.

Every other module (validation, Excel I/O, the MILP, routing, KPIs, the GUI) reads and writes these
objects; there is no second copy of the schema. Objects are frozen and slotted: an edit returns a new
object (``dataclasses.replace`` or :meth:`Network.replace`), which makes snapshots for background solves
free and undo trivial.

Units are in the field names. Two quantities are never mixed: **tonnes of scrap** (``_t``) and
**tonnes of contained copper** (``_t_cu``); a grade's ``copper_content`` converts one into the other.

Single-field sanity is *not* enforced in ``__post_init__``: data arriving from a client's workbook must
be loaded whole so that :func:`optimizer.validation.validate` can report every problem at once, with
its sheet, row and column, instead of failing on the first one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class SiteKind(StrEnum):
    """The two kinds of processing site between collection points and smelters."""

    DISMANTLING = "dismantling"
    SORTING = "sorting"


class SiteStatus(StrEnum):
    """Whether a processing site exists, may be built, or is out of the plan.

    An ``existing`` site is always open and runs one of its capacity modules (the first is its current
    capacity; the others are expansion options). A ``candidate`` opens with at most one module, or not
    at all. A ``closed`` site takes no flow.
    """

    EXISTING = "existing"
    CANDIDATE = "candidate"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Grade:
    """A scrap grade, e.g. bare bright wire (>99 % Cu) or whole motors (~10 % Cu).

    ``price_coefficient`` is what a smelter pays per tonne of this scrap as a fraction of the copper
    price (bare bright ~0.985); when it is ``None`` the smelter pays for contained copper
    (``copper_content`` x price).
    """

    id: str
    name_en: str
    name_zh: str
    copper_content: float
    price_coefficient: float | None = None

    def name(self, lang: str = "en") -> str:
        """The grade's display name in ``lang`` ("en" or "zh"), falling back to the other language."""
        if lang == "zh":
            return self.name_zh or self.name_en or self.id
        return self.name_en or self.name_zh or self.id


@dataclass(frozen=True, slots=True)
class Supply:
    """Annual scrap a collection point can sell of one grade, and what it costs to buy.

    ``purchase_price_cny_per_t`` is per tonne of scrap; when ``None`` the point's buy-back coefficient
    applies (coefficient x copper price x copper content).
    """

    grade_id: str
    supply_t_per_year: float
    purchase_price_cny_per_t: float | None = None


@dataclass(frozen=True, slots=True)
class CollectionPoint:
    """A scrap yard, dealer or recycling station where scrap is bought and picked up by truck.

    Opening hours are hours of the day (e.g. 8.0 to 17.5). ``assigned_site_id`` pins the point to one
    depot for routing when no plan assigns it.
    """

    id: str
    name: str
    lat: float
    lon: float
    province: str = ""
    supplies: tuple[Supply, ...] = ()
    buyback_coefficient: float | None = None
    opens_hour: float = 8.0
    closes_hour: float = 18.0
    service_time_min: float = 20.0
    visits_per_week: int = 1
    assigned_site_id: str | None = None

    def supply_of(self, grade_id: str) -> float:
        """Annual supply (t/yr) of ``grade_id``; zero if the point does not sell that grade."""
        return sum(s.supply_t_per_year for s in self.supplies if s.grade_id == grade_id)

    @property
    def total_supply_t_per_year(self) -> float:
        return sum(s.supply_t_per_year for s in self.supplies)


@dataclass(frozen=True, slots=True)
class CapacityModule:
    """One size a site can be built (or expanded) at: capacity and its annualised fixed cost.

    The investment fields matter only for multi-year plans (a network with :class:`Period` rows):
    ``capex_cny`` is paid over ``build_time_years`` before the module first runs (in its first year when
    0), ``fixed_opex_cny_per_year`` is paid every year it runs, and the asset is written off straight-line
    over ``economic_life_years``. A module without capex (``None``) charges ``fixed_cost_cny_per_year``
    every year it runs instead, which is what the single-year model does; ``fixed_cost_cny_per_year`` is
    about ``capex_cny`` x the capital recovery factor + ``fixed_opex_cny_per_year`` (docs/model.md).
    """

    id: str
    capacity_t_per_year: float
    fixed_cost_cny_per_year: float
    capex_cny: float | None = None
    build_time_years: int = 0
    fixed_opex_cny_per_year: float = 0.0
    economic_life_years: float = 20.0
    jobs: int = 0


@dataclass(frozen=True, slots=True)
class YieldEntry:
    """Fraction of one tonne of ``input_grade_id`` that leaves the site as ``output_grade_id``.

    The fractions of one input grade sum to at most 1; the remainder is non-copper residue (steel,
    plastic) or loss, e.g. 1 t whole motors -> 0.10 t motor copper, the rest steel.
    """

    input_grade_id: str
    output_grade_id: str
    fraction: float


@dataclass(frozen=True, slots=True)
class ProcessingSite:
    """A dismantling site or sorting center, existing or candidate.

    The grades it accepts are exactly the input grades of its yield table; a grade that passes through
    unchanged has the entry ``g -> g`` with fraction 1 (or less, for losses).
    """

    id: str
    name: str
    kind: SiteKind
    lat: float
    lon: float
    province: str = ""
    status: SiteStatus = SiteStatus.CANDIDATE
    modules: tuple[CapacityModule, ...] = ()
    variable_cost_cny_per_t: float = 0.0
    co2_kg_per_t: float = 0.0
    yields: tuple[YieldEntry, ...] = ()
    earliest_year: int | None = None
    lead_time_years: int = 0
    closing_cost_cny: float = 0.0
    may_close: bool = False

    @property
    def accepted_grade_ids(self) -> tuple[str, ...]:
        """Input grades, in the order their first yield entry appears."""
        return tuple(dict.fromkeys(y.input_grade_id for y in self.yields))

    def outputs_of(self, input_grade_id: str) -> tuple[YieldEntry, ...]:
        return tuple(y for y in self.yields if y.input_grade_id == input_grade_id)


class PriceBasis(StrEnum):
    """Whether a smelter's copper price follows the network copper price or is a fixed contract price.

    ``linked``: the network copper price minus the smelter's discount (a refining charge), so a scenario
    that moves the copper price moves it too. ``fixed``: the smelter's own price, which no copper-price
    scenario moves (a sweep says so in its comparison).
    """

    LINKED = "linked"
    FIXED = "fixed"


@dataclass(frozen=True, slots=True)
class Smelter:
    """A smelter or refinery that buys scrap by grade.

    ``min_copper_content`` is the minimum blended copper content of everything it takes in a year
    (e.g. 0.90 for direct remelting). Its copper price is :meth:`price_at` the network copper price:
    that price minus ``price_discount_cny_per_t_cu`` when ``price_basis`` is ``linked``, or
    ``price_cny_per_t_cu`` when it is ``fixed``. Revenue per tonne of scrap is that price x the grade's
    price coefficient (or its copper content). A ``price_basis`` left ``None`` is resolved when the
    smelter is built: ``fixed`` when it has a price of its own, ``linked`` otherwise (what workbooks
    from before the column meant).
    """

    id: str
    name: str
    lat: float
    lon: float
    province: str = ""
    capacity_t_per_year: float = 0.0
    accepted_grade_ids: tuple[str, ...] = ()
    min_copper_content: float = 0.0
    price_cny_per_t_cu: float | None = None
    price_basis: PriceBasis | None = None
    price_discount_cny_per_t_cu: float = 0.0

    def __post_init__(self) -> None:
        # A default, not a check: resolving it here keeps every smelter's basis explicit (and written
        # out as such) without changing what an older workbook or caller meant.
        basis = self.price_basis
        if basis is None:
            basis = PriceBasis.FIXED if self.price_cny_per_t_cu is not None else PriceBasis.LINKED
        elif isinstance(basis, str) and basis in PriceBasis.__members__.values():
            basis = PriceBasis(basis)
        object.__setattr__(self, "price_basis", basis)

    @property
    def price_is_linked(self) -> bool:
        """Whether this smelter's price moves with the network copper price."""
        return self.price_basis is not PriceBasis.FIXED

    def price_at(self, copper_price_cny_per_t: float) -> float:
        """The smelter's copper price (CNY/t Cu) when the network copper price is ``copper_price_cny_per_t``.

        A fixed smelter without a price of its own falls back to the network price (validation reports
        it as an error before any solve).
        """
        if self.price_is_linked:
            return copper_price_cny_per_t - self.price_discount_cny_per_t_cu
        return self.price_cny_per_t_cu if self.price_cny_per_t_cu is not None else copper_price_cny_per_t


@dataclass(frozen=True, slots=True)
class VehicleType:
    """A class of collection truck kept at depots (dismantling sites and sorting centers).

    ``depot_ids`` empty means every depot has ``count_per_depot`` of these trucks. A multi-day
    full-truckload haul keeps the driver's rules: at most ``max_driving_h_per_day`` hours at the wheel
    and ``max_shift_h`` on duty per day, then ``daily_rest_h`` off (see ``docs/routing.md``). With
    ``carrier_cny_per_trip`` set the row is a carrier's truck hired per haul instead.
    """

    id: str
    name: str
    payload_t: float
    fixed_cost_cny_per_day: float
    cost_cny_per_km: float
    speed_km_per_h: float = 40.0
    max_shift_h: float = 10.0
    count_per_depot: int = 1
    co2_kg_per_km: float = 0.0
    depot_ids: tuple[str, ...] = ()
    max_driving_h_per_day: float = 8.0
    daily_rest_h: float = 11.0
    carrier_cny_per_trip: float | None = None

    @property
    def is_carrier(self) -> bool:
        """A carrier's truck, hired per full-truckload trip at ``carrier_cny_per_trip``; no depot keeps it."""
        return self.carrier_cny_per_trip is not None

    def available_at(self, depot_id: str) -> int:
        """How many trucks of this type the depot ``depot_id`` has (a carrier's trucks: none)."""
        if self.is_carrier or (self.depot_ids and depot_id not in self.depot_ids):
            return 0
        return self.count_per_depot


@dataclass(frozen=True, slots=True)
class DistanceOverride:
    """A user-supplied road distance and/or transport cost between two nodes.

    It overrides great-circle x circuity. It applies in both directions unless the reverse pair has an
    override of its own. ``cost_cny_per_t`` replaces tonnes x km x CNY/t-km on that arc.
    """

    from_id: str
    to_id: str
    road_km: float | None = None
    cost_cny_per_t: float | None = None


@dataclass(frozen=True, slots=True)
class Parameters:
    """Network-wide economic, technical and policy parameters.

    Optional limits are ``None`` when the user sets none. Max haul distances are per echelon:
    collection (collection point -> site or smelter), transfer (site -> site) and delivery
    (site -> smelter). ``collection_cost_model`` prices collection arcs by the linear t-km rate
    (``linear``) or from VehicleTypes (``trucks``, :mod:`optimizer.design.collection_cost`, with the
    milk-run formula's three calibrated factors).
    """

    copper_price_cny_per_t: float = 75_000.0
    transport_cost_cny_per_t_km: float = 0.45
    circuity_factor: float = 1.3
    co2_kg_per_t_km: float = 0.073
    carbon_price_cny_per_t_co2: float = 0.0
    target_utilization: float | None = None
    annual_budget_cny: float | None = None
    max_new_sites: int | None = None
    max_haul_km_collection: float | None = None
    max_haul_km_transfer: float | None = None
    max_haul_km_delivery: float | None = None
    planning_year: int = 2026
    working_days_per_week: int = 6
    weeks_per_year: int = 50
    discount_rate: float = 0.08
    residual_value: str = "straight_line"
    vat_method: str = "simplified"
    vat_rate_simplified: float = 0.03
    vat_rate_general: float = 0.13
    vat_refund_share: float = 0.30
    income_tax_rate: float = 0.25
    avoided_co2_t_per_t_cu: float = 4.4
    collection_cost_model: str = "linear"
    milk_run_line_haul_factor: float = 2.46
    milk_run_local_factor: float = 0.0
    milk_run_stop_factor: float = 5.54


class ResidualValue(StrEnum):
    """What a module still in use at the end of a multi-year horizon is worth: its straight-line book
    value (capex x remaining life / economic life) or nothing."""

    STRAIGHT_LINE = "straight_line"
    NONE = "none"


class VatMethod(StrEnum):
    """How VAT on scrap sales is counted in multi-year cash flows: ``simplified`` (a levy on sales, 3 %
    under SAT/MOF Announcement No. 40 of 2021), ``general`` (13 % on sales less 13 % on purchases) or
    ``none`` (cash flows before VAT)."""

    NONE = "none"
    SIMPLIFIED = "simplified"
    GENERAL = "general"


@dataclass(frozen=True, slots=True)
class Period:
    """One row of the optional Periods sheet: a year (or several, ``length_years``) of a multi-year plan.

    ``supply_factor`` scales every Supply row for the year; a ``None`` price, target or carbon price
    takes the Parameters value; ``capital_budget_cny`` caps the capex paid in the year (``None``: no
    cap). Without Periods a network is planned for one year, as before.
    """

    year: int
    length_years: int = 1
    supply_factor: float = 1.0
    copper_price_cny_per_t: float | None = None
    target_utilization: float | None = None
    carbon_price_cny_per_t_co2: float | None = None
    capital_budget_cny: float | None = None


@dataclass(frozen=True, slots=True)
class SupplyGrowth:
    """One row of the optional Growth sheet: the supply of ``grade_id`` (blank: every grade) at the
    collection points of ``province`` (blank: every province) in the period starting ``year``, relative
    to the Supply sheet.

    It multiplies the period's own network-wide ``supply_factor``; of the rows that match a supply, the
    most specific counts (:func:`supply_growth_factor`), so a national trend and a province's own growth
    never compound by accident.
    """

    year: int
    grade_id: str = ""
    province: str = ""
    factor: float = 1.0

    @property
    def row_id(self) -> str:
        """How issues name the row: ``2027/No2/Jiangsu``, ``*`` for a blank grade or province."""
        return growth_id(self.year, self.grade_id, self.province)

    @property
    def specificity(self) -> int:
        """3: grade and province named, 2: grade only, 1: province only, 0: neither."""
        return (2 if self.grade_id else 0) + (1 if self.province else 0)

    def matches(self, year: int, grade_id: str, province: str) -> bool:
        return (
            self.year == year
            and (not self.grade_id or self.grade_id == grade_id)
            and (not self.province or same_province(self.province, province))
        )


def growth_id(year: object, grade_id: object, province: object) -> str:
    """A Growth row's id from its cells: ``2027/No2/Jiangsu``, ``*`` for a blank grade or province."""
    return f"{year}/{grade_id or '*'}/{province or '*'}"


def same_province(a: str, b: str) -> bool:
    """Whether two province names are the same, ignoring case and surrounding spaces ("jiangsu " is
    "Jiangsu")."""
    return a.strip().casefold() == b.strip().casefold()


def supply_growth_factor(rows: tuple[SupplyGrowth, ...], year: int, grade_id: str, province: str) -> float:
    """The Growth factor of a supply of ``grade_id`` in ``province`` in the period starting ``year``:
    that of the most specific matching row (grade and province, then grade only, then province only,
    then neither), 1.0 when no row matches. Two rows equally specific are a validation error; the first
    counts here."""
    best: SupplyGrowth | None = None
    for row in rows:
        if row.matches(year, grade_id, province) and (best is None or row.specificity > best.specificity):
            best = row
    return best.factor if best is not None else 1.0


@dataclass(frozen=True, slots=True)
class Network:
    """The whole recycling network: the document a user edits, saves and solves."""

    name: str = "Untitled network"
    grades: tuple[Grade, ...] = ()
    collection_points: tuple[CollectionPoint, ...] = ()
    sites: tuple[ProcessingSite, ...] = ()
    smelters: tuple[Smelter, ...] = ()
    vehicle_types: tuple[VehicleType, ...] = ()
    parameters: Parameters = field(default_factory=Parameters)
    distances: tuple[DistanceOverride, ...] = ()
    periods: tuple[Period, ...] = ()
    growth: tuple[SupplyGrowth, ...] = ()

    def replace(self, **changes: Any) -> Network:
        """A copy with ``changes`` applied (the network itself never changes)."""
        return dataclasses.replace(self, **changes)

    @property
    def dismantling_sites(self) -> tuple[ProcessingSite, ...]:
        return tuple(s for s in self.sites if s.kind is SiteKind.DISMANTLING)

    @property
    def sorting_centers(self) -> tuple[ProcessingSite, ...]:
        return tuple(s for s in self.sites if s.kind is SiteKind.SORTING)

    def grade(self, grade_id: str) -> Grade:
        for g in self.grades:
            if g.id == grade_id:
                return g
        raise KeyError(grade_id)

    def node(self, node_id: str) -> CollectionPoint | ProcessingSite | Smelter:
        """The collection point, site or smelter with id ``node_id``."""
        for n in self.nodes():
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    def nodes(self) -> Iterator[CollectionPoint | ProcessingSite | Smelter]:
        """Every located node: collection points, then sites, then smelters."""
        yield from self.collection_points
        yield from self.sites
        yield from self.smelters

    def copper_content(self) -> dict[str, float]:
        """Copper content fraction per grade id."""
        return {g.id: g.copper_content for g in self.grades}

    def total_supply_t(self) -> dict[str, float]:
        """Total annual supply in tonnes of scrap per grade id."""
        totals = {g.id: 0.0 for g in self.grades}
        for cp in self.collection_points:
            for s in cp.supplies:
                totals[s.grade_id] = totals.get(s.grade_id, 0.0) + s.supply_t_per_year
        return totals

    def total_supply_t_cu(self) -> dict[str, float]:
        """Total annual copper contained in supply, in tonnes of copper per grade id."""
        cu = self.copper_content()
        return {g: t * cu.get(g, 0.0) for g, t in self.total_supply_t().items()}


def ids(items: Iterable[Any]) -> list[str]:
    """The ``id`` of every item, in order."""
    return [item.id for item in items]
