"""Design and routing in one loop: the plan's collection cost is the one its trucks achieve.

A location-routing heuristic. Round 1 solves the design with the trucks collection cost model
(:mod:`optimizer.design.collection_cost`: full truckloads and a calibrated milk-run formula) and routes
the plan. Then each site's milk-run arcs are re-priced by what its routes cost against what the design
assumed for the same flows (``SolveOptions.collection_site_factors``), each full-truckload or carrier
flow gets its routed cost per t (``collection_arc_costs``), and the design is solved again. The loop
stops when the routes confirm the plan (every destination's routed cost per t within ``tolerance`` of
the assumed one, and the total), when the plan's collection stops changing, at ``max_rounds``, or on
cancel; the last round's plan and routes are returned, so the plan carries the routed collection cost
it was solved with.

A site's factor moves only its milk runs: a yard goes to the site whose routes cost less, and a site
whose routes are dearer than the formula loses the yards that have a cheaper alternative.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass
from typing import Any

from optimizer.design.collection_cost import TRUCKS
from optimizer.design.options import SolveOptions
from optimizer.design.plan import Echelon, Plan
from optimizer.design.solve import solve
from optimizer.messages import msg
from optimizer.model import Network
from optimizer.progress import CancelToken, ProgressCallback, ProgressEvent
from optimizer.routing.build import build_routing_problem
from optimizer.routing.options import RoutingOptions
from optimizer.routing.result import CollectionFlow, CollectionMode, RoutePlan, RouteStatus
from optimizer.routing.solve import plan_routes

#: A site's factor stays within these bounds of 1 per round, so one odd day of routes cannot send the
#: loop from one extreme to the other.
_STEP = 2.0


_HEADERS = {
    "en": ("destination", "collected by", "t/yr routed", "assumed", "routed", "diff", "total"),
    "zh": ("目的地", "收运方式", "路线吨/年", "假设元/吨", "路线元/吨", "差异", "合计"),
}


@dataclass(frozen=True, slots=True)
class LoopOptions:
    """How long the loop runs: at most ``max_rounds`` rounds; done when routed is within ``tolerance``.

    From round 3 on, milk-run arcs the routes have not priced yet cost ``move_premium`` more per round
    (round 3: +25 %, round 4: +50 %, ...): a yard leaves the site whose routes it has for one whose
    formula only promises less when the gain is worth it, so the plan settles on routed costs instead of
    swinging between near-equal sites.
    """

    max_rounds: int = 4
    tolerance: float = 0.05
    move_premium: float = 0.25

    def __post_init__(self) -> None:
        if self.max_rounds < 1:
            raise ValueError(f"the loop needs at least one round, got {self.max_rounds}")
        if not 0.0 < self.tolerance < 1.0:
            raise ValueError(f"the tolerance must be in (0, 1), got {self.tolerance}")
        if self.move_premium < 0:
            raise ValueError(f"the move premium must be 0 or more, got {self.move_premium}")


@dataclass(frozen=True, slots=True)
class DestinationCost:
    """One destination's collection: what the design assumed and what the routes cost, a year.

    ``assumed_*`` are the plan's collection flows into it, ``routed_*`` the routes' and hauls' of the
    same flows (a flow nothing could route is left out of both, and counted in ``unrouted_t``).
    """

    destination_id: str
    modes: tuple[str, ...]
    assumed_t: float
    assumed_cost_cny: float
    routed_t: float
    routed_cost_cny: float
    unrouted_t: float

    @property
    def assumed_cny_per_t(self) -> float | None:
        return self.assumed_cost_cny / self.assumed_t if self.assumed_t > 0 else None

    @property
    def routed_cny_per_t(self) -> float | None:
        return self.routed_cost_cny / self.routed_t if self.routed_t > 0 else None

    @property
    def diff(self) -> float | None:
        """(routed - assumed) / assumed, per t (``None`` without both)."""
        a, r = self.assumed_cny_per_t, self.routed_cny_per_t
        return None if a is None or r is None or a <= 0 else (r - a) / a


@dataclass(frozen=True, slots=True)
class LoopRound:
    """One round: its times, the plan's objective, the collection moved since the round before."""

    round: int
    design_s: float
    routing_s: float
    objective: float | None
    moved_t: float
    assumed_cny_per_t: float | None
    routed_cny_per_t: float | None
    worst_diff: float | None
    served_share: float


@dataclass(frozen=True, slots=True)
class LoopReport:
    """What the loop did: its rounds, why it stopped, and the final per-destination comparison.

    ``final_round`` is the round whose plan and routes are returned: the last one, except when the loop
    ran out of rounds (or was cancelled), where it is the round whose routes came closest to its plan.
    """

    rounds: tuple[LoopRound, ...]
    stop_reason: str
    final_round: int
    destinations: tuple[DestinationCost, ...]
    total_s: float
    served_share: float

    @property
    def converged(self) -> bool:
        return self.stop_reason in ("confirmed", "unchanged")

    def total(self) -> DestinationCost:
        d = self.destinations
        return DestinationCost(
            "total",
            (),
            sum(x.assumed_t for x in d),
            sum(x.assumed_cost_cny for x in d),
            sum(x.routed_t for x in d),
            sum(x.routed_cost_cny for x in d),
            sum(x.unrouted_t for x in d),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: the rounds, why the loop stopped, and the per-destination comparison."""

        def row(x: DestinationCost) -> dict[str, Any]:
            return {
                **{f.name: getattr(x, f.name) for f in dataclasses.fields(x)},
                "assumed_cny_per_t": x.assumed_cny_per_t,
                "routed_cny_per_t": x.routed_cny_per_t,
                "diff": x.diff,
            }

        return {
            "rounds": [dataclasses.asdict(r) for r in self.rounds],
            "stop_reason": self.stop_reason,
            "final_round": self.final_round,
            "total_s": self.total_s,
            "served_share": self.served_share,
            "destinations": [row(x) for x in self.destinations],
            "total": row(self.total()),
        }

    def table(self, lang: str = "en") -> str:
        """Destination, how collected, t routed, assumed and routed CNY/t and their difference."""
        names = _HEADERS["zh" if lang == "zh" else "en"]
        lines = [f"{names[0]:<14} {names[1]:<28} {names[2]:>11} {names[3]:>9} {names[4]:>9} {names[5]:>7}"]
        for x in (*self.destinations, dataclasses.replace(self.total(), destination_id=names[6])):
            a, r, d = x.assumed_cny_per_t, x.routed_cny_per_t, x.diff
            lines.append(
                f"{x.destination_id:<14} {'+'.join(x.modes):<28} {x.routed_t:>11,.0f} "
                f"{'-' if a is None else f'{a:,.1f}':>9} {'-' if r is None else f'{r:,.1f}':>9} "
                f"{'-' if d is None else f'{d:+.1%}':>7}"
            )
        return "\n".join(lines)


def solve_with_routes(
    network: Network,
    design_options: SolveOptions | None = None,
    routing_options: RoutingOptions | None = None,
    loop_options: LoopOptions | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> tuple[Plan, RoutePlan | None, LoopReport]:
    """Solve the design and route it until the routes confirm the plan's collection cost.

    ``network`` is solved with ``collection_cost_model = "trucks"`` whatever its Parameters say.
    Progress comes per round (``phase.solving_round``, ``phase.routing_round``), each phase's own events
    inside it; a cancel stops the round running and returns the last plan (and its routes when it has
    them). The route plan is ``None`` only when the first design has no plan to route.
    """
    design_options = design_options or SolveOptions()
    routing_options = routing_options or RoutingOptions()
    loop = loop_options or LoopOptions()
    params = dataclasses.replace(network.parameters, collection_cost_model=TRUCKS)
    net = dataclasses.replace(network, parameters=params)
    started = time.perf_counter()
    site_ids = tuple(s.id for s in network.sites)
    factors: dict[str, float] = dict(design_options.collection_site_factors)
    pinned: dict[tuple[str, str], float] = {(a, b): c for a, b, c in design_options.collection_arc_costs}
    rounds: list[LoopRound] = []
    previous: dict[tuple[str, str], float] | None = None
    plan: Plan | None = None
    routes: RoutePlan | None = None
    comparison: tuple[DestinationCost, ...] = ()
    best: _Best | None = None
    exact = False
    reason = "round_limit"
    n = loop.max_rounds
    for k in range(1, n + 1):
        span = (k - 1) / n, k / n
        premium = 1.0 + loop.move_premium * max(0, k - 2)
        options = design_options.replace(
            collection_site_factors=tuple(sorted((site, f * premium) for site, f in factors.items())),
            collection_arc_costs=tuple(sorted((a, b, c) for (a, b), c in pinned.items())),
        )
        t0 = time.perf_counter()
        solve_progress = _in_round(
            progress, "phase.solving_round", k, n, span[0], span[0] + 0.5 * (span[1] - span[0])
        )
        new_plan = solve(net, options, progress=solve_progress, cancel=cancel)
        design_s = time.perf_counter() - t0
        if not new_plan.has_solution:
            # Keep the last round's plan and its routes; only a first design without a plan is returned.
            plan = plan or new_plan
            reason = "cancelled" if _cancelled(cancel) else "no_plan"
            break
        plan = new_plan
        if _cancelled(cancel):
            reason = "cancelled"
            routes = None
            break
        t1 = time.perf_counter()
        problem = build_routing_problem(net, plan, routing_options)
        route_progress = _in_round(
            progress, "phase.routing_round", k, n, span[0] + 0.5 * (span[1] - span[0]), span[1]
        )
        routes = plan_routes(problem, routing_options, route_progress, cancel)
        routing_s = time.perf_counter() - t1
        flows = routes.collection_flows()
        comparison = compare(plan, flows)
        current = _collection(plan)
        moved = _moved(previous, current)
        total = _total(comparison)
        worst = max((abs(d) for x in comparison if (d := x.diff) is not None), default=None)
        rounds.append(
            LoopRound(
                k,
                design_s,
                routing_s,
                plan.objective,
                moved,
                total.assumed_cny_per_t,
                total.routed_cny_per_t,
                worst,
                served_share(routes),
            )
        )
        if routes.status is RouteStatus.CANCELLED or _cancelled(cancel):
            reason = "cancelled"
            break
        if not comparison:
            # The plan collects nothing (or nothing a truck could route): no costs to confirm.
            reason = "nothing_routed"
            break
        score = _score(comparison)
        if best is None or score < best.score:
            best = _Best(score, k, plan, routes, comparison)
        total_diff = total.diff
        if worst is None or (
            worst <= loop.tolerance and total_diff is not None and abs(total_diff) <= loop.tolerance
        ):
            reason = "confirmed"
            break
        same = previous is not None and moved <= 1e-6 * max(1.0, sum(current.values()))
        if same and exact:
            # The same plan twice, re-priced at exactly its routed costs in between: nothing will move.
            reason = "unchanged"
            break
        previous = current
        # Once the plan holds still its flows take their routed costs exactly (no halfway step).
        exact = same
        if k < n:
            _update(factors, pinned, plan, flows, smooth=not exact, site_ids=site_ids, premium=premium)
    assert plan is not None
    final = len(rounds)
    if best is not None and (reason == "round_limit" or reason == "cancelled"):
        # The round whose routes confirm its plan best, not merely the last one.
        final, plan, routes, comparison = best.round, best.plan, best.routes, best.comparison
    report = LoopReport(
        tuple(rounds),
        reason,
        final,
        comparison,
        time.perf_counter() - started,
        served_share(routes) if routes is not None else 0.0,
    )
    return plan, routes, report


def compare(plan: Plan, flows: tuple[CollectionFlow, ...]) -> tuple[DestinationCost, ...]:
    """Per destination, the plan's assumed collection cost against the routed cost of the same flows."""
    assumed = assumed_costs(plan)
    acc: dict[str, list[float]] = {}
    modes: dict[str, set[str]] = {}
    for f in flows:
        a_t, a_cost = assumed.get((f.point_id, f.destination_id), (0.0, 0.0))
        row = acc.setdefault(f.destination_id, [0.0, 0.0, 0.0, 0.0, 0.0])
        if f.mode is None or f.routed_t_per_year <= 0 or a_t <= 0:
            row[4] += f.t_per_year
            continue
        share = f.routed_t_per_year / f.t_per_year if f.t_per_year > 0 else 1.0
        row[0] += a_t * share
        row[1] += a_cost * share
        row[2] += f.routed_t_per_year
        row[3] += f.annual_cost_cny
        row[4] += f.t_per_year - f.routed_t_per_year
        modes.setdefault(f.destination_id, set()).add(str(f.mode))
    return tuple(DestinationCost(d, tuple(sorted(modes.get(d, ()))), *row) for d, row in sorted(acc.items()))


def served_share(routes: RoutePlan) -> float:
    """Weekly visits and hauls served over those meant (a haul counts its trips a week, at least one)."""
    visits = routes.totals().visits
    hauls = sum(max(1.0, h.trips_per_week) for h in routes.hauls)
    lost = sum(u.visits_per_week for u in routes.unserved)
    meant = visits + hauls + lost
    return (visits + hauls) / meant if meant > 0 else 1.0


def assumed_costs(plan: Plan) -> dict[tuple[str, str], tuple[float, float]]:
    """(tonnes, cost) a year the plan assumes per collection flow (point, destination), grades summed."""
    out: dict[tuple[str, str], tuple[float, float]] = {}
    for f in plan.flows:
        if f.echelon is Echelon.COLLECTION:
            t, c = out.get((f.from_id, f.to_id), (0.0, 0.0))
            out[(f.from_id, f.to_id)] = (t + f.t, c + f.cost_cny)
    return out


def _collection(plan: Plan) -> dict[tuple[str, str], float]:
    return {k: t for k, (t, _) in assumed_costs(plan).items() if t > 1e-6}


def _moved(previous: dict[tuple[str, str], float] | None, current: dict[tuple[str, str], float]) -> float:
    """Tonnes a year that go somewhere else than in the round before (all of them in round 1)."""
    if previous is None:
        return sum(current.values())
    keys = set(previous) | set(current)
    return sum(abs(current.get(k, 0.0) - previous.get(k, 0.0)) for k in keys) / 2.0


def _total(rows: tuple[DestinationCost, ...]) -> DestinationCost:
    return LoopReport((), "", 0, rows, 0.0, 0.0).total()


@dataclass(frozen=True, slots=True)
class _Best:
    score: float
    round: int
    plan: Plan
    routes: RoutePlan
    comparison: tuple[DestinationCost, ...]


def _score(rows: tuple[DestinationCost, ...]) -> float:
    """How far the routes are from the plan: the total's |diff| or the tonne-weighted mean site |diff|."""
    weighted = [(x.routed_t, abs(d)) for x in rows if (d := x.diff) is not None and x.routed_t > 0]
    tonnes = sum(t for t, _ in weighted)
    mean = sum(t * d for t, d in weighted) / tonnes if tonnes > 0 else math.inf
    total = _total(rows).diff
    return max(mean, abs(total) if total is not None else math.inf)


def _update(
    factors: dict[str, float],
    pinned: dict[tuple[str, str], float],
    plan: Plan,
    flows: tuple[CollectionFlow, ...],
    smooth: bool = True,
    site_ids: tuple[str, ...] = (),
    premium: float = 1.0,
) -> None:
    """Re-price from the routes: every routed flow at its routed cost per t, and each site's other milk-run
    arcs by what its routes cost against the formula (routed / assumed of the flows priced by it).

    A site whose milk runs have not been routed yet (``site_ids`` without a factor) takes the ratio over
    all sites, so that a site the plan has not used does not look cheaper only for being unrouted.
    """
    assumed = assumed_costs(plan)
    sums: dict[str, list[float]] = {}
    for f in flows:
        a_t, a_cost = assumed.get((f.point_id, f.destination_id), (0.0, 0.0))
        if f.mode is None or f.routed_t_per_year <= 0 or a_t <= 0:
            continue
        if f.mode is CollectionMode.MILK_RUN and (f.point_id, f.destination_id) not in pinned:
            share = f.routed_t_per_year / f.t_per_year if f.t_per_year > 0 else 1.0
            row = sums.setdefault(f.destination_id, [0.0, 0.0])
            row[0] += a_cost * share
            row[1] += f.annual_cost_cny
        per_t = f.cost_cny_per_t
        if per_t is not None and math.isfinite(per_t):
            # Halfway from the cost routed before, when there is one: a flow's routed cost depends on
            # which yards share its routes, and jumping to each round's figure makes yards swing back
            # and forth between two sites.
            old = pinned.get((f.point_id, f.destination_id))
            key = (f.point_id, f.destination_id)
            pinned[key] = per_t if old is None or not smooth else 0.5 * (old + per_t)
    for site, (a_cost, r_cost) in sums.items():
        if a_cost > 0 and r_cost > 0:
            # routed / assumed, where the assumed cost carried this round's move premium
            ratio = min(_STEP, max(1.0 / _STEP, premium * r_cost / a_cost))
            factors[site] = factors.get(site, 1.0) * ratio
    a_all = sum(a for a, _ in sums.values())
    r_all = sum(r for _, r in sums.values())
    if a_all > 0 and r_all > 0:
        ratio = min(_STEP, max(1.0 / _STEP, premium * r_all / a_all))
        for site in site_ids:
            if site not in factors:
                factors[site] = ratio


def _cancelled(cancel: CancelToken | None) -> bool:
    return cancel is not None and cancel.cancelled


def _in_round(
    progress: ProgressCallback | None, code: str, k: int, n: int, start: float, end: float
) -> ProgressCallback | None:
    """Events of one round's phase, named by the round and scaled into its share of the whole loop."""
    if progress is None:
        return None
    stage = msg(code, k=k, n=n)

    def report(event: ProgressEvent) -> None:
        frac = None if event.fraction is None else start + (end - start) * event.fraction
        progress(dataclasses.replace(event, phase=stage, stage=None, fraction=frac))

    return report
