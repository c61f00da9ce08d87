"""A Lagrangian bound and reduced-cost fixing for facility-location-like designs (every tonne collected).

Why: on capacitated facility location (OR-Library capa, 100 sites x 1,000 yards) the LP relaxation of
the strong formulation is 1.9-2.9 % below the optimum and HiGHS's branch and bound on the 100,000-column
model does not close that gap in minutes. Relaxing the supply rows instead, and keeping the linking
bounds, each site's capacity and the aggregate-capacity row ``sum cap * open >= total supply``, leaves
one continuous knapsack per site and module and then a 0-1 (multiple-choice) knapsack over the sites:
the knapsack's integrality is what the LP gives away, so this bound is at least as strong as the LP's
for the same multipliers, and the subgradient method moves the multipliers to its best.

The bound is used twice. Alone, it can prove an incumbent optimal. And with the incumbent's value
``UB`` it *fixes* sites: a site whose opening alone pushes the Lagrangian bound above ``UB`` is closed
in every plan better than the incumbent (and a site whose closing does so is open in all of them).
The MILP handed to HiGHS then has those sites' columns removed, which is a much smaller model; every
plan better than the incumbent is still in it, so ``min(UB, its bound)`` is a valid bound for the full
model (:func:`fixed_bound`), and "optimal" is said only when that is proven.

The relaxation (:func:`facility_relaxation`) is built from any cost-objective model in which every
tonne must be collected and every collection arc goes into a site (no direct hauls, no transfers):
each collection arc costs its own purchase, transport, processing and carbon plus the cheapest delivery
of its yields from that site. Smelter capacities, blends, the budget and the number of new sites are
dropped: the result is a relaxation of the model, so its bound is valid for it, and tight where the
model *is* a facility-location problem. On other models (the national sample's profit objective, for
one) :func:`facility_relaxation` returns None and nothing runs.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass

import highspy
import numpy as np
import pulp

from optimizer.design.formulation import MUST_COLLECT_TARGET, NetworkDesignModel
from optimizer.model import SiteStatus
from optimizer.progress import CancelToken, is_cancelled

_HMS = highspy.HighsModelStatus

#: The subgradient step multiplier starts here (Polyak's step with the incumbent as the target) ...
STEP_START = 2.0
#: ... is halved after this many iterations without a better bound ...
STEP_PATIENCE = 15
#: ... and the method stops when it falls below this.
STEP_MIN = 1e-4

#: A fixing test must beat the incumbent by this much (relative): the bound is a sum of ~10^5 floating
#: point terms and the knapsack is solved by HiGHS with its own feasibility tolerances.
FIX_MARGIN_REL = 1e-7

#: A knapsack choice whose greedy plan is within this of the best plan so far gets its exact flows.
TRANSPORT_WITHIN = 0.02

#: The knapsack over the sites is a dynamic programme over at most DP_UNITS capacity units (exact with
#: integral capacities of few units, else capacities rounded up to demand / DP_UNITS: a valid bound),
#: while (units) x (options) is at most DP_MAX_CELLS; else HiGHS solves it.
DP_UNITS = 2000
DP_MAX_CELLS = 2_000_000

#: Relative gap at which the knapsack MILPs stop (their dual bound is what counts, so this only costs
#: bound, never validity).
KNAPSACK_GAP = 1e-9


@dataclass(frozen=True, slots=True)
class FacilityRelaxation:
    """The facility-location relaxation of a model, as arrays (see the module docstring).

    Rows are the model's supply rows (collection point x grade), sites the model's sites, options the
    (site, module) pairs. ``arc_*`` describe the collection arcs into sites: the model's arc index, its
    supply row, its site and its cost per tonne (own costs plus the cheapest delivery of its yields).
    """

    supply: np.ndarray
    row_names: tuple[str, ...]
    arc: np.ndarray
    arc_row: np.ndarray
    arc_site: np.ndarray
    arc_cost: np.ndarray
    option_site: np.ndarray
    option_cap: np.ndarray
    option_fixed: np.ndarray
    option_vars: tuple[pulp.LpVariable, ...]
    site_open_required: np.ndarray  # existing sites: exactly one option
    demand: float
    arc_grade: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: yields[j, g, g']: fraction of input g at site j leaving as g'
    yields: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros((0, 0, 0)))
    #: the model's cheapest delivery arc of output g' from site j (-1: none)
    delivery_arc: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))

    @property
    def n_sites(self) -> int:
        return int(self.site_open_required.size)


@dataclass(frozen=True, slots=True)
class LagrangianResult:
    """The best bound found, its multipliers, and which options its knapsack chose."""

    bound: float
    multipliers: np.ndarray
    chosen: np.ndarray  # bool per option at the best multipliers
    iterations: int
    seconds: float
    #: the cheapest greedy plan of the relaxation seen (or the incumbent given), if any
    upper: float | None = None
    #: that greedy plan (:func:`relaxed_plan`): its open options and its flow on each arc of the relaxation
    plan_chosen: np.ndarray | None = None
    plan_flow: np.ndarray | None = None


@dataclass(frozen=True, slots=True)
class SiteFixing:
    """Sites that are closed (``closed``) or open (``opened``) in every plan better than ``upper``."""

    closed: np.ndarray  # site indices
    opened: np.ndarray
    upper: float
    bound: float


def facility_relaxation(model: NetworkDesignModel) -> FacilityRelaxation | None:
    """The model's facility-location relaxation, or None when the model is not of that kind.

    The model must minimise cost (its objective set to cost), collect every tonne (supply rows are
    equalities), have no priced slacks, and route every collection arc into a site with no transfers.
    """
    req = model.requirements
    if model.problem.sense != pulp.LpMinimize or model.slacks or req.elastic:
        return None
    if req.target_utilization is None or req.target_utilization < MUST_COLLECT_TARGET:
        return None
    if not model.sites or not len(model.arcs):
        return None
    arcs = model.arcs
    P, J, G = model.n_points, len(model.sites), len(model.grade_ids)
    collection = arcs.echelon == 0
    if (arcs.echelon == 1).any() or (collection & (arcs.head >= P + J)).any():
        return None  # transfers or direct hauls to smelters: not facility location
    cost = model.variable_cost_vector()
    if not _objective_is_cost(model, cost):
        return None
    # cheapest delivery of each output grade from each site (smelter capacities and blends dropped)
    delivery = arcs.echelon == 2
    best = np.full((J, G), np.inf)
    delivery_arc = np.full((J, G), -1, dtype=np.int64)
    d_idx = np.flatnonzero(delivery)
    key = (arcs.tail[d_idx] - P) * G + arcs.grade[d_idx]
    d_idx = d_idx[np.lexsort((cost[d_idx], key))]
    key = (arcs.tail[d_idx] - P) * G + arcs.grade[d_idx]
    first = np.ones(d_idx.size, dtype=bool)
    first[1:] = key[1:] != key[:-1]  # the cheapest arc of each (site, grade) comes first
    delivery_arc.reshape(-1)[key[first]] = d_idx[first]
    has = delivery_arc >= 0
    best[has] = cost[delivery_arc[has]]
    g_index = {g: k for k, g in enumerate(model.grade_ids)}
    yields = np.zeros((J, G, G))
    downstream = np.zeros((J, G))
    for j, proc in enumerate(model.sites):
        for e in proc.yields:
            gi, go = g_index.get(e.input_grade_id), g_index.get(e.output_grade_id)
            if gi is None or go is None or e.fraction <= 0:
                continue
            yields[j, gi, go] += e.fraction
            downstream[j, gi] += e.fraction * best[j, go] if np.isfinite(best[j, go]) else math.inf
    idx = np.flatnonzero(collection)
    site_of = arcs.head[idx] - P
    grade = arcs.grade[idx]
    arc_cost = cost[idx] + downstream[site_of, grade]
    usable = np.isfinite(arc_cost)
    idx, site_of, grade, arc_cost = idx[usable], site_of[usable], grade[usable], arc_cost[usable]
    # supply rows: one per (point, grade) with supply, named as the model names them
    row_of = np.full(P * G, -1, dtype=np.int64)
    supply_rows: list[float] = []
    names: list[str] = []
    for i, cp in enumerate(model.points):
        for g in range(G):
            s = float(model.supply_t[i, g])
            if s > 0:
                row_of[i * G + g] = len(supply_rows)
                supply_rows.append(s)
                names.append(f"supply[{cp.id},{model.grade_ids[g]}]")
    arc_row = row_of[arcs.tail[idx] * G + grade]
    if (arc_row < 0).any():
        return None
    supply = np.array(supply_rows)
    covered = np.zeros(supply.size, dtype=bool)
    covered[arc_row] = True
    if not covered.all():
        return None  # some supply cannot go anywhere: the model is infeasible, nothing to bound
    option_site: list[int] = []
    option_cap: list[float] = []
    option_fixed: list[float] = []
    option_vars: list[pulp.LpVariable] = []
    required = np.zeros(J, dtype=bool)
    for j, proc in enumerate(model.sites):
        required[j] = proc.status is SiteStatus.EXISTING
        for m in proc.modules:
            option_site.append(j)
            option_cap.append(float(m.capacity_t_per_year))
            option_fixed.append(float(m.fixed_cost_cny_per_year))
            option_vars.append(model.module_open[(proc.id, m.id)])
    return FacilityRelaxation(
        supply=supply,
        row_names=tuple(names),
        arc=idx,
        arc_row=arc_row,
        arc_site=site_of,
        arc_cost=arc_cost,
        option_site=np.array(option_site, dtype=np.int64),
        option_cap=np.array(option_cap),
        option_fixed=np.array(option_fixed),
        option_vars=tuple(option_vars),
        site_open_required=required,
        demand=float(supply.sum()),
        arc_grade=grade,
        yields=yields,
        delivery_arc=delivery_arc,
    )


def _objective_is_cost(model: NetworkDesignModel, cost: np.ndarray) -> bool:
    """Whether the problem's objective is exactly the arc costs plus the modules' fixed costs: the
    relaxation prices those and nothing else (a term it did not know would make its bound unsafe)."""
    objective = model.problem.objective
    if objective is None or float(getattr(objective, "constant", 0.0) or 0.0) != 0.0:
        return False
    position = {id(v): n for n, v in enumerate(model.flow)}
    fixed = {id(var): model.modules[key].fixed_cost_cny_per_year for key, var in model.module_open.items()}
    seen = np.zeros(len(model.flow))
    for var, coef in objective.items():
        n = position.get(id(var))
        if n is not None:
            seen[n] = coef
        elif id(var) in fixed:
            if abs(coef - fixed[id(var)]) > 1e-9 * max(1.0, abs(coef)):
                return False
        elif coef != 0:
            return False
    return bool(np.allclose(seen, cost, rtol=1e-12, atol=1e-12))


class _Knapsack:
    """min v . z  s.t.  at most (existing: exactly) one option per site, sum cap * z >= demand, z binary.

    One HiGHS object re-solved with new costs; the bound used is HiGHS's dual bound, valid whatever the
    gap it stopped at.
    """

    def __init__(self, rel: FacilityRelaxation) -> None:
        self.rel = rel
        n = rel.option_site.size
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        h.setOptionValue("mip_rel_gap", KNAPSACK_GAP)
        h.setOptionValue("mip_abs_gap", 0.0)
        self.lower = np.zeros(n)
        self.upper = np.ones(n)
        for j in np.flatnonzero(rel.site_open_required).tolist():
            options = np.flatnonzero(rel.option_site == j)
            if options.size == 1:
                self.lower[options] = 1.0
        h.addVars(n, self.lower, self.upper)
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.ones(n, dtype=np.uint8))
        # one row per site with several options, the aggregate-capacity row
        for j in range(rel.n_sites):
            several = np.flatnonzero(rel.option_site == j).astype(np.int32)
            if several.size > 1:
                low = 1.0 if rel.site_open_required[j] else -highspy.kHighsInf
                h.addRow(low, 1.0, several.size, several, np.ones(several.size))
        h.addRow(rel.demand, highspy.kHighsInf, n, np.arange(n, dtype=np.int32), rel.option_cap)
        self.h = h
        self.n = n
        self.units = _capacity_units(rel.option_cap, rel.demand)
        self.site_options = [np.flatnonzero(rel.option_site == j) for j in range(rel.n_sites)]

    def _dynamic_programme(
        self, values: np.ndarray, lower: np.ndarray | None, upper: np.ndarray | None
    ) -> tuple[float, np.ndarray | None]:
        """The knapsack optimum (or, with rounded capacities, a lower bound on it) by dynamic programming
        over capacity units (:func:`_capacity_units`).

        tables[j][c] is the least cost of the first j sites covering at least c units (c capped at the
        demand); each site stays closed (unless it must run) or takes one of its allowed options.
        """
        assert self.units is not None
        caps, need = self.units
        lo = self.lower if lower is None else lower
        hi = self.upper if upper is None else upper
        levels = np.arange(need + 1)
        first = np.full(need + 1, np.inf)
        first[0] = 0.0
        tables = [first]
        choices: list[tuple[np.ndarray, bool]] = []
        for j, options in enumerate(self.site_options):
            prev = tables[-1]
            forced = options[lo[options] > 0.5]
            allowed = forced if forced.size else options[hi[options] > 0.5]
            closed_ok = not forced.size and not bool(self.rel.site_open_required[j])
            new = prev.copy() if closed_ok else np.full(need + 1, np.inf)
            for o in allowed.tolist():
                into = np.full(need + 1, np.inf)
                np.minimum.at(into, np.minimum(levels + int(caps[o]), need), prev + values[o])
                new = np.minimum(new, into)
            # covering more also covers less
            tables.append(np.minimum.accumulate(new[::-1])[::-1])
            choices.append((allowed, closed_ok))
        if not np.isfinite(tables[-1][need]):
            return math.inf, None
        choice = np.zeros(self.n, dtype=bool)
        c = need
        for j in range(len(self.site_options) - 1, -1, -1):
            prev, here = tables[j], tables[j + 1]
            allowed, closed_ok = choices[j]
            tol = 1e-9 * max(1.0, abs(float(here[c])))
            if closed_ok and prev[c] <= here[c] + tol:
                continue
            for o in allowed.tolist():
                # from some level c0 the option covers c: the cheapest such c0 is max(0, c - cap)
                c0 = max(0, c - int(caps[o]))
                if prev[c0] + values[o] <= here[c] + tol:
                    choice[o] = True
                    c = c0
                    break
            else:
                return float(tables[-1][need]), None
        return float(tables[-1][need]), choice

    def solve(
        self, values: np.ndarray, lower: np.ndarray | None = None, upper: np.ndarray | None = None
    ) -> tuple[float, np.ndarray | None]:
        """(a valid lower bound on the knapsack's optimum, its best solution or None); +inf if infeasible."""
        fast = self._without_aggregate(values, lower, upper)
        if fast is not None:
            return float(values @ fast), fast
        if self.units is not None:
            return self._dynamic_programme(values, lower, upper)
        h = self.h
        cols = np.arange(self.n, dtype=np.int32)
        h.changeColsCost(self.n, cols, values)
        h.changeColsBounds(
            self.n, cols, self.lower if lower is None else lower, self.upper if upper is None else upper
        )
        h.run()
        status = h.getModelStatus()
        if status == _HMS.kInfeasible:
            return math.inf, None
        info = h.getInfo()
        bound = float(info.mip_dual_bound)
        if not math.isfinite(bound):
            return -math.inf, None
        solution = None
        if info.primal_solution_status == 2:  # feasible
            solution = np.asarray(h.getSolution().col_value) > 0.5
        return bound, solution

    def _without_aggregate(
        self, values: np.ndarray, lower: np.ndarray | None, upper: np.ndarray | None
    ) -> np.ndarray | None:
        """The knapsack's optimum when the best choice per site, ignoring capacity, already covers it."""
        lo = self.lower if lower is None else lower
        hi = self.upper if upper is None else upper
        rel = self.rel
        v = np.where(hi > 0.5, values, np.inf)
        choice = np.zeros(self.n, dtype=bool)
        forced = lo > 0.5
        choice |= forced
        forced_site = np.zeros(rel.n_sites, dtype=bool)
        forced_site[rel.option_site[forced]] = True
        order = np.lexsort((v, rel.option_site))
        first = np.ones(order.size, dtype=bool)
        first[1:] = rel.option_site[order][1:] != rel.option_site[order][:-1]
        best = order[first]  # the cheapest allowed option of each site
        for o in best.tolist():
            j = int(rel.option_site[o])
            if forced_site[j] or not math.isfinite(v[o]):
                continue
            if v[o] < 0 or rel.site_open_required[j]:
                choice[o] = True
        if float(rel.option_cap @ choice) >= rel.demand:
            return choice
        return None


@dataclass(frozen=True, slots=True)
class _Subproblems:
    """Each option's value (fixed cost + continuous knapsack) and its flows, by module rank."""

    values: np.ndarray
    order: np.ndarray  # the arcs with negative reduced cost, sorted by site then reduced cost
    takes: list[np.ndarray]  # per module rank: flow of each arc of ``order`` under that rank's option
    option_rank: np.ndarray

    def flows(self, rel: FacilityRelaxation, chosen: np.ndarray) -> np.ndarray:
        """Flow on every arc of ``rel`` when the options ``chosen`` are open."""
        x = np.zeros(rel.arc.size)
        site_rank = np.full(rel.n_sites, -1, dtype=np.int64)
        site_rank[rel.option_site[chosen]] = self.option_rank[chosen]
        arc_rank = site_rank[rel.arc_site[self.order]]
        for k, take in enumerate(self.takes):
            on = arc_rank == k
            x[self.order[on]] = take[on]
        return x


def _option_ranks(rel: FacilityRelaxation) -> np.ndarray:
    """Each option's position among its site's options (0, 1, ...)."""
    rank = np.zeros(rel.option_site.size, dtype=np.int64)
    seen: dict[int, int] = {}
    for o, j in enumerate(rel.option_site.tolist()):
        rank[o] = seen.get(j, 0)
        seen[j] = rank[o] + 1
    return rank


def _capacity_units(caps: np.ndarray, demand: float) -> tuple[np.ndarray, int] | None:
    """Capacities and demand in whole units for the knapsack's dynamic programme, or None (too large).

    With integral capacities whose common divisor leaves few units (capa: units of 12,000 t, 5 of them
    needed) the programme is exact. Otherwise the unit is demand / :data:`DP_UNITS` and each capacity is
    rounded *up* to whole units: more capacity only makes the demand easier to cover, so the programme's
    optimum is at most the knapsack's, a valid (slightly weaker) bound.
    """
    if caps.size == 0 or demand <= 0:
        return None
    if np.all(caps == np.round(caps)) and caps.max() < 2**52:
        unit = 0
        for c in caps.astype(np.int64).tolist():
            unit = math.gcd(unit, c)
        if unit > 0:
            need = math.ceil(demand / unit - 1e-12)
            if need <= DP_UNITS and need * caps.size <= DP_MAX_CELLS:
                return (caps // unit).astype(np.int64), need
    if DP_UNITS * caps.size > DP_MAX_CELLS:
        return None
    unit_f = demand / DP_UNITS
    rounded_up = np.ceil(caps / unit_f * (1.0 + 1e-12)).astype(np.int64)
    return rounded_up, DP_UNITS


def _site_values(rel: FacilityRelaxation, lam: np.ndarray, option_rank: np.ndarray) -> _Subproblems:
    """v[o] = fixed cost + the continuous knapsack of option o: its site's arcs by reduced cost, greedily
    up to the module's capacity (each arc at most its supply). Vectorised over sites, one pass per rank."""
    reduced = rel.arc_cost - lam[rel.arc_row]
    neg = np.flatnonzero(reduced < 0)
    order = neg[np.lexsort((reduced[neg], rel.arc_site[neg]))]
    site_sorted = rel.arc_site[order]
    r_sorted = reduced[order]
    s_sorted = rel.supply[rel.arc_row[order]]
    first = np.searchsorted(site_sorted, np.arange(rel.n_sites))
    values = rel.option_fixed.copy()
    takes: list[np.ndarray] = []
    for k in range(int(option_rank.max()) + 1 if option_rank.size else 0):
        mine = np.flatnonzero(option_rank == k)
        cap = np.zeros(rel.n_sites)
        cap[rel.option_site[mine]] = rel.option_cap[mine]
        c = cap[site_sorted]
        u = np.minimum(s_sorted, c)
        total = np.cumsum(u)
        before = total - u
        before -= (total - u)[first[site_sorted]] if u.size else 0.0
        take = np.clip(c - before, 0.0, u)
        per_site = np.bincount(site_sorted, weights=r_sorted * take, minlength=rel.n_sites)
        values[mine] += per_site[rel.option_site[mine]]
        takes.append(take)
    return _Subproblems(values, order, takes, option_rank)


def lagrangian_bound(
    rel: FacilityRelaxation,
    start: np.ndarray,
    upper: float | None,
    time_limit_s: float,
    *,
    cancel: CancelToken | None = None,
    max_iterations: int = 3000,
    target_gap: float = 0.0,
) -> LagrangianResult:
    """The best Lagrangian bound the subgradient method reaches from multipliers ``start``.

    ``upper`` is an incumbent's cost, or None; either way the relaxation's greedy plans
    (:func:`relaxed_plan_cost`) of the knapsack's choices lower it, and Polyak's step aims at the lowest.
    The method stops at ``max_iterations``, after ``time_limit_s``, on cancel, when the step has shrunk
    to nothing or when the bound is within ``target_gap`` of the target. Every bound it reports is valid
    for the relaxation, hence for the model.
    """
    t0 = time.monotonic()
    knapsack = _Knapsack(rel)
    ranks = _option_ranks(rel)
    lam = start.astype(float).copy()
    best = -math.inf
    best_lam = lam.copy()
    best_chosen = np.zeros(rel.option_site.size, dtype=bool)
    target = math.inf if upper is None else upper
    tried: set[bytes] = set()
    plan_flow: np.ndarray | None = None
    plan_chosen: np.ndarray | None = None
    theta = STEP_START
    stale = 0
    it = 0
    while it < max_iterations and time.monotonic() - t0 < time_limit_s and not is_cancelled(cancel):
        it += 1
        sub = _site_values(rel, lam, ranks)
        k_bound, chosen = knapsack.solve(sub.values)
        bound = float(lam @ rel.supply) + k_bound
        if bound > best + 1e-9 * max(1.0, abs(best) if math.isfinite(best) else 1.0):
            best, best_lam, stale = bound, lam.copy(), 0
            if chosen is not None:
                best_chosen = chosen
        else:
            stale += 1
            if stale >= STEP_PATIENCE:
                theta /= 2.0
                stale = 0
                if theta < STEP_MIN:
                    break
        if chosen is None:
            break  # the knapsack gave a bound only: no subgradient
        key = np.packbits(chosen).tobytes()
        if key not in tried:
            tried.add(key)
            plan = relaxed_plan(rel, chosen)
            if plan is not None and plan[0] < (1.0 + TRANSPORT_WITHIN) * target:
                # near the best: the exact flows of this choice (capa: the greedy fill's 0.3-0.9 % above
                # the optimum, the transportation LP of the same sites at it)
                plan = transport_plan(rel, chosen) or plan
            if plan is not None and plan[0] < target:
                target, plan_flow, plan_chosen = plan[0], plan[1], chosen
        if math.isfinite(target) and target - best <= target_gap * max(abs(target), 1e-10):
            break
        x = sub.flows(rel, chosen)
        g = rel.supply - np.bincount(rel.arc_row, weights=x, minlength=rel.supply.size)
        norm = float(g @ g)
        if norm <= 1e-12:
            break  # the relaxed solution is feasible for the supply rows: the bound is exact
        aim = target if math.isfinite(target) else bound + 0.01 * max(abs(bound), 1.0)
        step = theta * max(aim - bound, 1e-6 * max(abs(aim), 1.0)) / norm
        lam = lam + step * g
    return LagrangianResult(
        best,
        best_lam,
        best_chosen,
        it,
        time.monotonic() - t0,
        target if math.isfinite(target) else None,
        plan_chosen,
        plan_flow,
    )


def bound_at(rel: FacilityRelaxation, multipliers: np.ndarray) -> float:
    """The Lagrangian bound at ``multipliers``: sum of multiplier x supply plus the knapsack's optimum."""
    values = _site_values(rel, multipliers, _option_ranks(rel)).values
    k_bound, _ = _Knapsack(rel).solve(values)
    return float(multipliers @ rel.supply) + k_bound


def fix_sites(
    rel: FacilityRelaxation,
    multipliers: np.ndarray,
    upper: float,
    *,
    cancel: CancelToken | None = None,
    deadline: float | None = None,
) -> SiteFixing:
    """Sites whose opening (closing) alone lifts the Lagrangian bound at ``multipliers`` above ``upper``.

    Each site is one test (or one per module); on cancel or at ``deadline`` (``time.monotonic()``) the
    sites tested so far are returned, which is as valid as testing all of them.
    """
    knapsack = _Knapsack(rel)
    values = _site_values(rel, multipliers, _option_ranks(rel)).values
    constant = float(multipliers @ rel.supply)
    k_bound, chosen = knapsack.solve(values)
    base = constant + k_bound
    margin = FIX_MARGIN_REL * max(abs(upper), 1.0)
    closed: list[int] = []
    opened: list[int] = []
    open_site = np.zeros(rel.n_sites, dtype=bool)
    if chosen is not None:
        open_site[rel.option_site[chosen]] = True
    for j in range(rel.n_sites):
        if is_cancelled(cancel) or (deadline is not None and time.monotonic() > deadline):
            break
        mine = rel.option_site == j
        if open_site[j] or chosen is None:
            # closing it: every option of j at zero
            if rel.site_open_required[j]:
                continue
            hi = knapsack.upper.copy()
            hi[mine] = 0.0
            bound, _ = knapsack.solve(values, upper=hi)
            if constant + bound > upper + margin:
                opened.append(j)
        if not open_site[j] or chosen is None:
            # opening it: the cheapest option of j, in turn (with one option, that option forced)
            lowest = math.inf
            for o in np.flatnonzero(mine).tolist():
                lo = knapsack.lower.copy()
                lo[o] = 1.0
                hi = knapsack.upper.copy()
                hi[mine] = 0.0
                hi[o] = 1.0
                bound, _ = knapsack.solve(values, lower=lo, upper=hi)
                lowest = min(lowest, bound)
            if constant + lowest > upper + margin:
                closed.append(j)
    return SiteFixing(np.array(closed, dtype=np.int64), np.array(opened, dtype=np.int64), upper, base)


def fixed_bound(upper: float, restricted_bound: float | None, lagrangian: float | None) -> float | None:
    """A bound for the full model from a solve of the model with sites fixed against incumbent ``upper``.

    Every plan better than ``upper`` lies in the fixed model, whose bound is ``restricted_bound``; so
    every plan of the full model costs at least ``min(upper, restricted_bound)``. The Lagrangian bound
    holds on its own, so the larger of the two is returned.
    """
    known = [b for b in (lagrangian,) if b is not None]
    if restricted_bound is not None:
        known.append(min(upper, restricted_bound))
    return max(known) if known else None


def multipliers_from_duals(rel: FacilityRelaxation, duals: dict[str, float] | None) -> np.ndarray:
    """Starting multipliers: the LP's supply-row duals where known, else each row's cheapest arc cost."""
    cheapest = np.full(rel.supply.size, np.inf)
    np.minimum.at(cheapest, rel.arc_row, rel.arc_cost)
    lam = np.where(np.isfinite(cheapest), cheapest, 0.0)
    if duals:
        for r, name in enumerate(rel.row_names):
            d = duals.get(name)
            if d is not None and math.isfinite(d):
                lam[r] = d
    return lam


def relaxed_plan_cost(rel: FacilityRelaxation, chosen: np.ndarray) -> float | None:
    """The cost of :func:`relaxed_plan` (None when it leaves supply over)."""
    plan = relaxed_plan(rel, chosen)
    return None if plan is None else plan[0]


def relaxed_plan(rel: FacilityRelaxation, chosen: np.ndarray) -> tuple[float, np.ndarray] | None:
    """A plan of the relaxation with the options ``chosen`` open: every arc into an open site in order of
    cost takes what its supply row has left and its site can still take. Returns its cost and the flow
    on each arc of ``rel``, or None when some supply is left over. A target for the subgradient step,
    a guess of the optimum for fixing and a start for HiGHS; smelter capacities and blends are not
    checked, so it may not be a plan of the model."""
    cap = np.zeros(rel.n_sites)
    np.add.at(cap, rel.option_site[chosen], rel.option_cap[chosen])
    arcs = np.flatnonzero(cap[rel.arc_site] > 0)
    arcs = arcs[np.argsort(rel.arc_cost[arcs], kind="stable")]
    left = rel.supply.copy()
    room = cap.copy()
    flow = np.zeros(rel.arc.size)
    total = float(rel.option_fixed[chosen].sum())
    for a, r, j, c in zip(
        arcs.tolist(),
        rel.arc_row[arcs].tolist(),
        rel.arc_site[arcs].tolist(),
        rel.arc_cost[arcs].tolist(),
        strict=True,
    ):
        if left[r] <= 0 or room[j] <= 0:
            continue
        q = min(left[r], room[j])
        left[r] -= q
        room[j] -= q
        flow[a] = q
        total += q * c
    if (left > 1e-9 * max(rel.demand, 1.0)).any():
        return None
    return total, flow


def transport_plan(rel: FacilityRelaxation, chosen: np.ndarray) -> tuple[float, np.ndarray] | None:
    """The cheapest plan of the relaxation with the options ``chosen`` open (a transportation LP over
    their arcs, by HiGHS): what :func:`relaxed_plan`'s greedy fill approximates. None if infeasible."""
    cap = np.zeros(rel.n_sites)
    np.add.at(cap, rel.option_site[chosen], rel.option_cap[chosen])
    arcs = np.flatnonzero(cap[rel.arc_site] > 0)
    n = int(arcs.size)
    if n == 0:
        return None
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    upper = np.minimum(rel.supply[rel.arc_row[arcs]], cap[rel.arc_site[arcs]])
    h.addVars(n, np.zeros(n), upper)
    h.changeColsCost(n, np.arange(n, dtype=np.int32), rel.arc_cost[arcs])
    for keys, lower, upper_rows in (
        (rel.arc_row[arcs], rel.supply, rel.supply),
        (rel.arc_site[arcs], np.full(rel.n_sites, -highspy.kHighsInf), cap),
    ):
        order = np.argsort(keys, kind="stable")
        used = np.unique(keys)
        starts = np.searchsorted(keys[order], used).astype(np.int32)
        h.addRows(
            used.size,
            lower[used],
            upper_rows[used],
            n,
            starts,
            order.astype(np.int32),
            np.ones(n),
        )
    if np.unique(rel.arc_row[arcs]).size < rel.supply.size:
        return None  # some supply row has no arc into an open site
    h.run()
    if h.getModelStatus() != _HMS.kOptimal:
        return None
    flow = np.zeros(rel.arc.size)
    flow[arcs] = np.asarray(h.getSolution().col_value)
    return float(rel.option_fixed[chosen].sum()) + float(h.getInfo().objective_function_value), flow
