"""The network-design MILP: which sites open with which module, and how every grade flows to smelters.

:func:`build_model` turns a :class:`~optimizer.model.Network` into a PuLP problem plus typed handles
(:class:`NetworkDesignModel`): one flow variable per allowed arc and grade, one binary per site and
capacity module, and named constraints (``cap[SC-03]``, ``balance[DS-01,No2]``) so an infeasibility
report can point at them. The formulation is written out, symbol for symbol, in ``docs/model.md``.

Arcs are built sparsely and vectorised (numpy distance matrices, haul limits and the optional k-nearest
filter as masks); sites that cannot pass their output on to any smelter are pruned before any variable
exists. The strong formulation is built from the start: per-arc linking ``x <= min(supply, capacity) *
open`` on collection arcs into candidate sites (all of them on small models; on large ones the rows the
LP relaxation needs, separated before each solve), at most one module per site, and an
aggregate-capacity inequality whenever a utilization floor implies a minimum throughput through sites.

This module builds; it never solves (that is :mod:`optimizer.design.solvers`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pulp

from optimizer.design.collection_cost import CollectionCosts, collection_arc_costs, uses_trucks
from optimizer.design.options import Objective
from optimizer.design.plan import Echelon
from optimizer.design.pulp_access import constraint_table, register_variables
from optimizer.geo import DistanceOracle, great_circle_matrix_km
from optimizer.messages import Msg, msg
from optimizer.model import (
    CapacityModule,
    CollectionPoint,
    Network,
    ProcessingSite,
    SiteKind,
    SiteStatus,
    Smelter,
)

#: Requirements that :mod:`optimizer.design.infeasibility` may soften with priced slack.
ELASTIC_KEYS = frozenset(
    {"utilization_target", "budget", "max_new_sites", "smelter_blend", "smelter_capacity", "site_capacity"}
)

#: A target at or above this counts as "collect everything" and turns supply limits into equalities.
MUST_COLLECT_TARGET = 1.0 - 1e-12

#: Up to this many candidate linking rows are all written into the model; above it (``linking="auto"``)
#: only those the LP relaxation needs are, found by :func:`optimizer.design.separation.separate_linking_rows`.
LINK_ALL_MAX = 20_000

#: Separation starts from the linking rows of each yard's (and grade's) cheapest candidate sites: as many
#: per yard as fit in LINK_SEED_ROWS rows, at least LINK_SEED_NEAREST and at most LINK_SEED_MAX. The first
#: LP round (interior point) absorbs rows far more cheaply than later dual-simplex rounds do (OR-Library
#: capa at capacity 12,000: 20 per yard reached the full LP bound in 75 s, 5 per yard in 119 s).
LINK_SEED_NEAREST = 5
LINK_SEED_MAX = 20
LINK_SEED_ROWS = 20_000

#: A network with more allowed arcs than this is solved over a restricted model (``build_model(...,
#: restrict=Restriction())``): each yard's cheapest arcs are PuLP columns, every other arc stays a row of
#: numpy arrays (:class:`FullArcs`) and is priced with the LP relaxation's duals. On five copies of the
#: national sample (2.49 M arcs) the PuLP model of every arc took 32-104 s to build and 2.4 GB before any
#: solver ran; the national sample itself (99,650 arcs) is built whole.
RESTRICT_MIN_ARCS = 500_000

#: Collection arcs into sites / into smelters kept per yard and grade in a restricted model (cheapest
#: first); transfer and delivery arcs are all kept (there are few).
RESTRICT_SITES = 8
RESTRICT_SMELTERS = 3

#: An omitted arc prices out when its reduced cost improves the objective by more than this, relative to
#: max(1, |objective coefficient|) (HiGHS's dual feasibility tolerance is 1e-7).
RESTRICT_PRICING_TOLERANCE = 1e-7

#: Yields may create at most this much copper (relative) before the aggregate inequality is unsafe.
_COPPER_AMPLIFICATION_TOLERANCE = 1e-9

_ECHELONS = (Echelon.COLLECTION, Echelon.TRANSFER, Echelon.DELIVERY)


class _Located(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def lat(self) -> float: ...
    @property
    def lon(self) -> float: ...


@dataclass(frozen=True, slots=True)
class Requirements:
    """The requirements a model enforces, resolved from the options and the network's parameters.

    ``copper_floor_t_cu`` is an extra floor on copper delivered (the lexicographic second stage of the
    utilization objective and the epsilon constraint of the trade-off sweep). ``elastic`` names the
    requirements (keys of :data:`ELASTIC_KEYS`) that get a priced slack instead of holding hard.
    ``linking`` is ``"all"`` (every linking row in the model), ``"separate"`` (only the rows the LP
    relaxation needs, added before each solve) or ``"auto"`` (all up to :data:`LINK_ALL_MAX`). The
    linking rows only tighten the LP relaxation: the capacity rows already force flow into a site to
    zero when it is not open, so every choice gives the same optimum.
    """

    target_utilization: float | None = None
    budget_cny: float | None = None
    max_new_sites: int | None = None
    copper_floor_t_cu: float | None = None
    k_nearest: int | None = None
    elastic: frozenset[str] = frozenset()
    linking: str = "auto"
    collection_site_factors: tuple[tuple[str, float], ...] = ()
    collection_arc_costs: tuple[tuple[str, str, float], ...] = ()


@dataclass(slots=True)
class ArcTable:
    """The allowed arcs, one row per (tail, head, grade), as parallel numpy arrays.

    ``tail`` and ``head`` index :attr:`NetworkDesignModel.node_ids`; ``grade`` indexes
    :attr:`NetworkDesignModel.grade_ids`. ``cost_cny_per_t`` is the user's override where given, else
    km x CNY/t-km; ``co2_t_per_t`` is km x kg CO2/t-km / 1000.
    """

    tail: np.ndarray
    head: np.ndarray
    grade: np.ndarray
    echelon: np.ndarray
    km: np.ndarray
    cost_cny_per_t: np.ndarray
    co2_t_per_t: np.ndarray

    def __len__(self) -> int:
        return int(self.tail.size)

    def echelon_of(self, n: int) -> Echelon:
        return _ECHELONS[int(self.echelon[n])]


@dataclass(slots=True)
class FullArcs:
    """Every allowed arc of a network whose model holds only some of them, as numpy arrays.

    ``arcs`` is the full table and the per-arc coefficient vectors (same meaning as the model's
    ``arc_*`` vectors); ``in_model[n]`` says whether arc ``n`` is a column of the model (the model's arc
    ``k`` is full arc ``NetworkDesignModel.arc_ids[k]``). ``y``, ``min_cu`` and ``carbon_price`` are what
    a column's coefficients need: an omitted arc's column is known without building it
    (:meth:`NetworkDesignModel.omitted_reduced_costs`).
    """

    arcs: ArcTable
    purchase: np.ndarray
    processing: np.ndarray
    processing_co2_t: np.ndarray
    revenue: np.ndarray
    copper_delivered: np.ndarray
    in_model: np.ndarray
    y: np.ndarray
    min_cu: np.ndarray
    carbon_price: float

    def variable_cost(self) -> np.ndarray:
        """Per-arc purchase + transport + processing + carbon cost per tonne (as the model's)."""
        co2 = self.arcs.co2_t_per_t + self.processing_co2_t
        total: np.ndarray = (
            self.purchase + self.arcs.cost_cny_per_t + self.processing + co2 * self.carbon_price
        )
        return total

    def budget(self) -> np.ndarray:
        counted: np.ndarray = self.arcs.cost_cny_per_t + self.processing
        return counted

    def objective(self, objective: Objective) -> np.ndarray:
        """Per-arc objective coefficient of ``objective`` (as :meth:`NetworkDesignModel.set_objective`)."""
        if objective is Objective.PROFIT:
            profit: np.ndarray = self.revenue - self.variable_cost()
            return profit
        if objective is Objective.COST:
            return self.variable_cost()
        return self.copper_delivered


@dataclass(slots=True)
class NetworkDesignModel:
    """A built network-design MILP and typed handles to its parts.

    ``flow[n]`` is the variable of arc ``n`` of :attr:`arcs`; ``module_open[(site_id, module_id)]`` the
    binary of a site running a module. ``constraints`` maps readable names (``cap[SC-03]``) to PuLP
    constraints. Per-arc coefficient vectors (``arc_*``) make every cost, revenue and emission a dot
    product with the flow values, both in the objective and when the plan is extracted.
    """

    network: Network
    requirements: Requirements
    problem: pulp.LpProblem
    grade_ids: list[str]
    copper_content: np.ndarray
    node_ids: list[str]
    points: list[CollectionPoint]
    sites: list[ProcessingSite]
    smelters: list[Smelter]
    supply_t: np.ndarray
    purchase_cny_per_t: np.ndarray
    arcs: ArcTable
    flow: list[pulp.LpVariable]
    module_open: dict[tuple[str, str], pulp.LpVariable]
    constraints: dict[str, pulp.LpConstraint]
    modules: dict[tuple[str, str], CapacityModule] = field(default_factory=dict)
    slacks: dict[str, pulp.LpVariable] = field(default_factory=dict)
    slack_weights: dict[str, float] = field(default_factory=dict)
    arc_purchase: np.ndarray = field(default_factory=lambda: np.zeros(0))
    arc_processing: np.ndarray = field(default_factory=lambda: np.zeros(0))
    arc_processing_co2_t: np.ndarray = field(default_factory=lambda: np.zeros(0))
    arc_revenue: np.ndarray = field(default_factory=lambda: np.zeros(0))
    arc_copper_delivered: np.ndarray = field(default_factory=lambda: np.zeros(0))
    link_arcs: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    link_site: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    link_bound: np.ndarray = field(default_factory=lambda: np.zeros(0))
    link_added: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    notes: list[Msg] = field(default_factory=list)
    strengthening: list[str] = field(default_factory=list)
    #: every allowed arc when the model holds only some (a restricted model), else None
    full: FullArcs | None = None
    #: full arc index of each model arc (restricted models; else 0..n-1)
    arc_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: a bound on the full network's optimum (its LP relaxation, all arcs priced out), restricted models
    full_bound: float | None = None
    #: the objective last set (``set_objective``); the slack objective leaves it as it was
    objective_kind: Objective = Objective.PROFIT
    #: names of the copper-floor rows added by :meth:`add_copper_floor`
    floor_names: set[str] = field(default_factory=set)
    #: (points, sites + smelters) ``collection_cost.ArcMode`` codes under the trucks cost model, else
    #: None (every arc at the t-km rate): each flow's ``mode``
    collection_modes: np.ndarray | None = None

    # --- sizes and indices -------------------------------------------------------------------------

    @property
    def n_points(self) -> int:
        return len(self.points)

    @property
    def total_supply_t_cu(self) -> float:
        return float((self.supply_t * self.copper_content[None, :]).sum())

    def node_kind(self, node: int) -> str:
        if node < len(self.points):
            return "collection_point"
        if node < len(self.points) + len(self.sites):
            return str(self.sites[node - len(self.points)].kind)
        return "smelter"

    def size(self) -> dict[str, int]:
        return {
            "arcs": len(self.arcs),
            "variables": len(self.flow) + len(self.module_open) + len(self.slacks),
            "binaries": len(self.module_open),
            "constraints": len(self.constraints),
        }

    # --- linear expressions ------------------------------------------------------------------------

    def arc_expression(self, coefficients: np.ndarray) -> pulp.LpAffineExpression:
        """sum_n coefficients[n] * flow[n] over the non-zero coefficients."""
        nz = np.flatnonzero(coefficients)
        return pulp.LpAffineExpression([(self.flow[n], float(coefficients[n])) for n in nz])

    def fixed_cost_expression(self) -> pulp.LpAffineExpression:
        return pulp.LpAffineExpression(
            [
                (var, self.modules[key].fixed_cost_cny_per_year)
                for key, var in self.module_open.items()
                if self.modules[key].fixed_cost_cny_per_year != 0
            ]
        )

    def arc_cost_vectors(self) -> dict[str, np.ndarray]:
        """Per-arc CNY (or t CO2) per tonne of flow, by cost component."""
        carbon_price = self.network.parameters.carbon_price_cny_per_t_co2
        co2 = self.arcs.co2_t_per_t + self.arc_processing_co2_t
        return {
            "purchase": self.arc_purchase,
            "transport": self.arcs.cost_cny_per_t,
            "processing": self.arc_processing,
            "carbon": co2 * carbon_price,
            "co2_t": co2,
        }

    def variable_cost_vector(self) -> np.ndarray:
        """Per-arc purchase + transport + processing + carbon cost per tonne."""
        v = self.arc_cost_vectors()
        total: np.ndarray = v["purchase"] + v["transport"] + v["processing"] + v["carbon"]
        return total

    def budget_vector(self) -> np.ndarray:
        """Per-arc cost per tonne that counts against the budget: transport + processing."""
        counted: np.ndarray = self.arcs.cost_cny_per_t + self.arc_processing
        return counted

    def copper_delivered(self) -> pulp.LpAffineExpression:
        return self.arc_expression(self.arc_copper_delivered)

    def total_cost(self) -> pulp.LpAffineExpression:
        expr = self.arc_expression(self.variable_cost_vector())
        expr += self.fixed_cost_expression()
        return expr

    def profit(self) -> pulp.LpAffineExpression:
        expr = self.arc_expression(self.arc_revenue - self.variable_cost_vector())
        expr -= self.fixed_cost_expression()
        return expr

    # --- objectives and extra constraints ----------------------------------------------------------

    def set_objective(self, objective: Objective | str) -> None:
        """Make ``objective`` the problem's objective (profit: max; cost: min; utilization: max t Cu)."""
        objective = Objective(objective)
        self.objective_kind = objective
        self.full_bound = None  # a bound on another objective's optimum says nothing about this one
        if objective is Objective.PROFIT:
            self.problem.sense = pulp.LpMaximize
            self.problem.setObjective(self.profit())
        elif objective is Objective.COST:
            self.problem.sense = pulp.LpMinimize
            self.problem.setObjective(self.total_cost())
        else:
            self.problem.sense = pulp.LpMaximize
            self.problem.setObjective(self.copper_delivered())

    def set_slack_objective(self) -> None:
        """Minimise the weighted sum of requirement slacks (infeasibility analysis)."""
        self.problem.sense = pulp.LpMinimize
        self.problem.setObjective(
            pulp.LpAffineExpression([(var, self.slack_weights[name]) for name, var in self.slacks.items()])
        )

    def add_copper_floor(self, t_cu: float, name: str = "copper_floor") -> pulp.LpConstraint:
        """Require at least ``t_cu`` of copper delivered (replacing an earlier floor of that name)."""
        self.remove_constraint(name)
        self.floor_names.add(name)
        return self._add(name, self.copper_delivered(), pulp.LpConstraintGE, t_cu)

    def remove_constraint(self, name: str) -> None:
        self.floor_names.discard(name)
        c = self.constraints.pop(name, None)
        if c is not None:
            del constraint_table(self.problem)[c.name]

    def _add(self, name: str, expr: pulp.LpAffineExpression, sense: int, rhs: float) -> pulp.LpConstraint:
        constraint = pulp.LpConstraint(expr, sense, _pulp_name(name, self.problem), float(rhs))
        self.problem.addConstraint(constraint)
        self.constraints[name] = constraint
        return constraint

    # --- linking rows ------------------------------------------------------------------------------

    @property
    def linking_pending(self) -> bool:
        """Whether some linking rows are left for separation (:mod:`optimizer.design.separation`)."""
        return bool(self.link_arcs.size) and not bool(self.link_added.all())

    def linking_candidates(self) -> tuple[list[pulp.LpVariable], list[list[pulp.LpVariable]], np.ndarray]:
        """(flow variable, open variables of its site, bound) of every candidate linking row."""
        opens = [[self.module_open[(s.id, m.id)] for m in s.modules] for s in self.sites]
        flows = [self.flow[n] for n in self.link_arcs.tolist()]
        return flows, [opens[j] for j in self.link_site.tolist()], self.link_bound

    def link_groups(self) -> tuple[np.ndarray, np.ndarray]:
        """(group, rank) of every linking candidate: group = tail x grade, rank = cost rank within it."""
        arcs = self.arcs
        n = self.link_arcs
        group = arcs.tail[n] * len(self.grade_ids) + arcs.grade[n]
        order = np.lexsort((arcs.cost_cny_per_t[n], group))
        sorted_group = group[order]
        first = np.searchsorted(sorted_group, sorted_group, side="left")
        rank = np.empty(n.size, dtype=np.int64)
        rank[order] = np.arange(n.size) - first
        return group, rank

    def link_seed(self, k: int | None = None) -> np.ndarray:
        """Candidates among the ``k`` cheapest linking arcs of each tail and grade (a first guess of the
        rows the LP relaxation needs, so that separation takes fewer rounds). ``k`` defaults to as many
        as fit in :data:`LINK_SEED_ROWS` rows, within [:data:`LINK_SEED_NEAREST`, :data:`LINK_SEED_MAX`]."""
        if self.link_arcs.size == 0:
            return np.zeros(0, dtype=bool)
        group, rank = self.link_groups()
        if k is None:
            # a restricted model is large by definition: at least one row per group, LINK_SEED_ROWS in
            # all where it can (national5: 5 per group were 69,198 rows, a 48 s first LP at load 4)
            least = 1 if self.full is not None else LINK_SEED_NEAREST
            k = min(LINK_SEED_MAX, max(least, LINK_SEED_ROWS // np.unique(group).size))
        return rank < k

    def add_linking(self, mask: np.ndarray) -> int:
        """Add the rows ``link[i,j,g]`` of the candidates in ``mask`` not added yet; returns how many."""
        todo = np.flatnonzero(mask & ~self.link_added)
        if todo.size == 0:
            return 0
        for k in todo.tolist():
            n = int(self.link_arcs[k])
            site = self.sites[int(self.link_site[k])]
            bound = float(self.link_bound[k])
            terms = [(self.flow[n], 1.0)] + [
                (self.module_open[(site.id, m.id)], -bound) for m in site.modules
            ]
            self._add(self._link_name(k), pulp.LpAffineExpression(terms), pulp.LpConstraintLE, 0.0)
        self.link_added[todo] = True
        return int(todo.size)

    def remove_linking(self, mask: np.ndarray) -> int:
        """Remove the rows ``link[i,j,g]`` of the candidates in ``mask`` that were added; returns how many."""
        todo = np.flatnonzero(mask & self.link_added)
        for k in todo.tolist():
            self.remove_constraint(self._link_name(k))
        self.link_added[todo] = False
        return int(todo.size)

    def _link_name(self, k: int) -> str:
        """``link[tail,site,grade]``: the readable name of linking candidate ``k``'s row."""
        n = int(self.link_arcs[k])
        site = self.sites[int(self.link_site[k])]
        return f"link[{self.node_ids[self.arcs.tail[n]]},{site.id},{self.grade_ids[self.arcs.grade[n]]}]"

    # --- restricted models: the omitted arcs -------------------------------------------------------

    def _dual(self, name: str) -> float:
        c = self.constraints.get(name)
        return 0.0 if c is None or c.pi is None else float(c.pi)

    def omitted_reduced_costs(self) -> np.ndarray:
        """``c - A^T y`` of every full arc at the row duals held in the constraints' ``pi``.

        The duals are those of an LP relaxation of this (restricted) model, as HiGHS reports them
        (:func:`optimizer.design.separation.separate_linking_rows` stores them); a row of the full model
        that this model lacks has dual 0 (it is slack: every term it would have is absent). The column of
        an arc is the one :func:`build_model` gives it (supply, balance at both ends, site or smelter
        capacity, blend, target, budget and copper floors); an omitted arc has no linking row (it holds at
        zero flow). Returns an empty array for a model that holds every arc.
        """
        full = self.full
        if full is None:
            return np.zeros(0)
        a = full.arcs
        P, J, G = self.n_points, len(self.sites), len(self.grade_ids)
        gid = self.grade_ids
        y_sup = np.array([[self._dual(f"supply[{p.id},{g}]") for g in gid] for p in self.points]).reshape(
            P, G
        )
        y_bal = np.array([[self._dual(f"balance[{s.id},{g}]") for g in gid] for s in self.sites]).reshape(
            J, G
        )
        y_cap = np.array([self._dual(f"cap[{s.id}]") for s in self.sites] + [0.0])
        y_smc = np.array([self._dual(f"smelter_cap[{m.id}]") for m in self.smelters] + [0.0])
        y_bld = np.array([self._dual(f"blend[{m.id}]") for m in self.smelters] + [0.0])
        y_cu = self._dual("target") + sum(self._dual(name) for name in self.floor_names)
        y_bud = self._dual("budget")
        tail, head, g = a.tail, a.head, a.grade
        used = np.zeros(len(a))
        collect = a.echelon == 0
        used[collect] += y_sup[tail[collect], g[collect]]
        site_tail = (tail >= P) & (tail < P + J)
        used[site_tail] += y_bal[tail[site_tail] - P, g[site_tail]]
        # into a site: -yield[g -> g'] on each output's balance row, +1 on its capacity row
        into_site = (head >= P) & (head < P + J)
        w = -np.einsum("jab,jb->ja", full.y, y_bal) if J else np.zeros((0, G))
        j = head[into_site] - P
        used[into_site] += w[j, g[into_site]] + y_cap[j]
        into_smelter = head >= P + J
        m = head[into_smelter] - P - J
        blend = np.where(full.min_cu[m] > 0, self.copper_content[g[into_smelter]] - full.min_cu[m], 0.0)
        used[into_smelter] += y_smc[m] + y_bld[m] * blend
        used += full.copper_delivered * y_cu + full.budget() * y_bud
        reduced: np.ndarray = full.objective(self.objective_kind) - used
        return reduced

    def priced_out(self) -> np.ndarray:
        """Omitted full arcs whose reduced cost (:meth:`omitted_reduced_costs`) improves the objective,
        most attractive first (empty when the LP relaxation is optimal for the full network)."""
        full = self.full
        if full is None:
            return np.zeros(0, dtype=np.int64)
        rc = self.omitted_reduced_costs()
        improve = rc if self.problem.sense == pulp.LpMaximize else -rc
        c = full.objective(self.objective_kind)
        good = ~full.in_model & (improve > RESTRICT_PRICING_TOLERANCE * np.maximum(1.0, np.abs(c)))
        found = np.flatnonzero(good)
        order: np.ndarray = found[np.argsort(-improve[found], kind="stable")]
        return order

    def add_arcs(self, ids: np.ndarray) -> int:
        """Make the omitted full arcs ``ids`` columns of this model; returns how many joined.

        Each gets the variable, the row coefficients and the objective coefficient :func:`build_model`
        would have given it, and a linking candidate where it enters a candidate site (added at once when
        every other linking row is in the model).
        """
        full = self.full
        if full is None:
            return 0
        ids = np.unique(np.asarray(ids, dtype=np.int64))
        ids = ids[~full.in_model[ids]]
        if ids.size == 0:
            return 0
        first = len(self.flow)
        new = [self.problem.add_variable(f"x{first + k}", 0.0) for k in range(ids.size)]
        register_variables(self.problem, new)
        a = full.arcs
        self.arcs = ArcTable(
            *(
                np.concatenate([getattr(self.arcs, f.name), getattr(a, f.name)[ids]])
                for f in dataclasses.fields(ArcTable)
            )
        )
        self.arc_purchase = np.concatenate([self.arc_purchase, full.purchase[ids]])
        self.arc_processing = np.concatenate([self.arc_processing, full.processing[ids]])
        self.arc_processing_co2_t = np.concatenate([self.arc_processing_co2_t, full.processing_co2_t[ids]])
        self.arc_revenue = np.concatenate([self.arc_revenue, full.revenue[ids]])
        self.arc_copper_delivered = np.concatenate([self.arc_copper_delivered, full.copper_delivered[ids]])
        self.arc_ids = np.concatenate([self.arc_ids, ids])
        self.flow.extend(new)
        full.in_model[ids] = True
        budget = full.budget()
        for var, n in zip(new, ids.tolist(), strict=True):
            for name, coef in self._column(n, float(budget[n])):
                c = self.constraints.get(name)
                if c is not None and coef != 0:
                    c.expr[var] = coef
        self._link_new_arcs(np.arange(first, first + ids.size))
        bound = self.full_bound
        self.set_objective(self.objective_kind)  # the objective's terms of the new columns
        self.full_bound = bound
        return int(ids.size)

    def arc_column(self, k: int) -> list[tuple[pulp.LpConstraint, float]]:
        """(row, coefficient) of model arc ``k``'s column in a restricted model (linking row aside)."""
        n = int(self.arc_ids[k])
        assert self.full is not None
        budget = float(self.full.arcs.cost_cny_per_t[n] + self.full.processing[n])
        out = []
        for name, coef in self._column(n, budget):
            c = self.constraints.get(name)
            if c is not None and coef != 0:
                out.append((c, coef))
        return out

    def arc_objective(self) -> np.ndarray:
        """Per model arc: its coefficient in the current objective (:meth:`set_objective`)."""
        if self.objective_kind is Objective.PROFIT:
            profit: np.ndarray = self.arc_revenue - self.variable_cost_vector()
            return profit
        if self.objective_kind is Objective.COST:
            return self.variable_cost_vector()
        return self.arc_copper_delivered

    def _column(self, n: int, budget: float) -> list[tuple[str, float]]:
        """(row name, coefficient) of full arc ``n``'s column, the linking row aside."""
        full = self.full
        assert full is not None
        a = full.arcs
        P, J = self.n_points, len(self.sites)
        tail, head, g = int(a.tail[n]), int(a.head[n]), int(a.grade[n])
        gid = self.grade_ids
        out: list[tuple[str, float]] = []
        if a.echelon[n] == 0:
            out.append((f"supply[{self.points[tail].id},{gid[g]}]", 1.0))
        if P <= tail < P + J:
            out.append((f"balance[{self.sites[tail - P].id},{gid[g]}]", 1.0))
        if P <= head < P + J:
            site = self.sites[head - P]
            for go in np.flatnonzero(full.y[head - P, g] > 0).tolist():
                out.append((f"balance[{site.id},{gid[go]}]", -float(full.y[head - P, g, go])))
            out.append((f"cap[{site.id}]", 1.0))
        elif head >= P + J:
            m = head - P - J
            out.append((f"smelter_cap[{self.smelters[m].id}]", 1.0))
            if full.min_cu[m] > 0:
                out.append((f"blend[{self.smelters[m].id}]", float(self.copper_content[g] - full.min_cu[m])))
        cu = float(full.copper_delivered[n])
        if cu != 0:
            out.extend((name, cu) for name in ("target", *sorted(self.floor_names)))
        if budget != 0:
            out.append(("budget", budget))
        return out

    def _link_new_arcs(self, arcs: np.ndarray) -> None:
        """Linking candidates of the model arcs ``arcs`` (just added) into candidate sites."""
        P, J = self.n_points, len(self.sites)
        head, echelon = self.arcs.head[arcs], self.arcs.echelon[arcs]
        candidate = np.array([s.status is SiteStatus.CANDIDATE for s in self.sites] + [False], dtype=bool)
        site = np.where((head >= P) & (head < P + J), head - P, J)
        eligible = arcs[candidate[site] & (echelon <= 1)]
        if eligible.size == 0:
            return
        all_added = self.link_arcs.size > 0 and bool(self.link_added.all())
        j = self.arcs.head[eligible] - P
        max_cap = np.array([max(m.capacity_t_per_year for m in s.modules) for s in self.sites])
        is_coll = self.arcs.echelon[eligible] == 0
        supply = self.supply_t[np.where(is_coll, self.arcs.tail[eligible], 0), self.arcs.grade[eligible]]
        bound = np.where(is_coll, np.minimum(supply, max_cap[j]), max_cap[j]).astype(float)
        start = self.link_arcs.size
        self.link_arcs = np.concatenate([self.link_arcs, eligible]).astype(np.int64)
        self.link_site = np.concatenate([self.link_site, j]).astype(np.int64)
        self.link_bound = np.concatenate([self.link_bound, bound])
        self.link_added = np.concatenate([self.link_added, np.zeros(eligible.size, dtype=bool)])
        if all_added:
            mask = np.zeros(self.link_arcs.size, dtype=bool)
            mask[start:] = True
            self.add_linking(mask)

    # --- solution access ---------------------------------------------------------------------------

    def flow_values(self) -> np.ndarray:
        """Flow of every arc (t/yr) in the last solution; tiny solver noise is zeroed."""
        v = np.fromiter((x.varValue or 0.0 for x in self.flow), dtype=float, count=len(self.flow))
        v[np.abs(v) < 1e-7] = 0.0
        return v

    def open_modules(self) -> dict[str, str]:
        """site id -> module id of every site running a module in the last solution."""
        out: dict[str, str] = {}
        for (site_id, module_id), var in self.module_open.items():
            if (var.varValue or 0.0) > 0.5:
                out[site_id] = module_id
        return out


# === building ===========================================================================================


@dataclass(frozen=True, slots=True)
class Restriction:
    """Build a restricted model when the network has more than ``min_arcs`` allowed arcs: per yard and
    grade its ``sites`` cheapest collection arcs into sites and ``smelters`` into smelters are columns,
    the rest stay arrays (:class:`FullArcs`) for pricing."""

    sites: int = RESTRICT_SITES
    smelters: int = RESTRICT_SMELTERS
    min_arcs: int = RESTRICT_MIN_ARCS


def build_model(
    network: Network, requirements: Requirements = Requirements(), *, restrict: Restriction | None = None
) -> NetworkDesignModel:
    """Build the network-design MILP of ``network`` under ``requirements`` (objective: profit).

    Call :meth:`NetworkDesignModel.set_objective` to switch objective. Raises ``ValueError`` only for
    programming errors (unknown elastic keys); data problems are :func:`optimizer.validation.validate`'s
    job and must be caught before. With ``restrict``, a network above its size gets a restricted model
    (``model.full`` holds every arc; a plan of it is a plan of the full network, its bound is not until
    the omitted arcs price out: :meth:`NetworkDesignModel.priced_out`). A user's ``k_nearest`` is a
    restriction of its own and turns this off.
    """
    unknown = set(requirements.elastic) - ELASTIC_KEYS
    if unknown:
        raise ValueError(f"unknown elastic requirements: {sorted(unknown)}")
    if requirements.k_nearest is not None or requirements.elastic:
        restrict = None
    b = _Builder(network, requirements, restrict)
    return b.build()


class _Builder:
    def __init__(self, network: Network, req: Requirements, restrict: Restriction | None = None) -> None:
        self.network = network
        self.req = req
        self.restrict = restrict
        #: every allowed arc (a restricted model's rows that depend on the arcs are built from these)
        self.all_arcs: ArcTable | None = None
        self.params = network.parameters
        self.grade_ids = [g.id for g in network.grades]
        self.g_index = {g: i for i, g in enumerate(self.grade_ids)}
        self.cu = np.array([g.copper_content for g in network.grades], dtype=float)
        self.points = list(network.collection_points)
        self.sites = [s for s in network.sites if s.status is not SiteStatus.CLOSED and s.modules]
        self.smelters = list(network.smelters)
        self.P, self.J, self.M, self.G = (
            len(self.points),
            len(self.sites),
            len(self.smelters),
            len(self.grade_ids),
        )
        self.node_ids = (
            [n.id for n in self.points] + [s.id for s in self.sites] + [m.id for m in self.smelters]
        )
        self.notes: list[Msg] = []
        self.strengthening: list[str] = []
        self._measure_cache: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[np.ndarray, np.ndarray]] = {}
        self._by_tail: dict[str, list[str]] | None = None
        self.collection_costs: CollectionCosts | None = None

    # --- data arrays -------------------------------------------------------------------------------

    def _supply_and_prices(self) -> tuple[np.ndarray, np.ndarray]:
        supply = np.zeros((self.P, self.G))
        spend = np.zeros((self.P, self.G))
        copper_price = self.params.copper_price_cny_per_t
        for i, cp in enumerate(self.points):
            for s in cp.supplies:
                g = self.g_index.get(s.grade_id)
                if g is None or s.supply_t_per_year <= 0:
                    continue
                if s.purchase_price_cny_per_t is not None:
                    price = s.purchase_price_cny_per_t
                elif cp.buyback_coefficient is not None:
                    price = cp.buyback_coefficient * copper_price * self.cu[g]
                else:
                    price = 0.0
                supply[i, g] += s.supply_t_per_year
                spend[i, g] += s.supply_t_per_year * price
        prices: np.ndarray = np.where(supply > 0, spend / np.where(supply > 0, supply, 1.0), 0.0)
        return supply, prices

    def _yield_tensor(self) -> np.ndarray:
        """y[j, g, g']: fraction of input g at site j leaving as g'."""
        y = np.zeros((self.J, self.G, self.G))
        for j, site in enumerate(self.sites):
            for e in site.yields:
                gi, go = self.g_index.get(e.input_grade_id), self.g_index.get(e.output_grade_id)
                if gi is not None and go is not None and e.fraction > 0:
                    y[j, gi, go] += e.fraction
        return y

    def _measures(
        self, tails: Sequence[_Located], heads: Sequence[_Located]
    ) -> tuple[np.ndarray, np.ndarray]:
        """(km, override cost or NaN) matrices between two node lists, overrides applied (cached)."""
        key = (tuple(n.id for n in tails), tuple(n.id for n in heads))
        cached = self._measure_cache.get(key)
        if cached is not None:
            return cached
        lat_a = np.array([n.lat for n in tails], dtype=float)
        lon_a = np.array([n.lon for n in tails], dtype=float)
        lat_b = np.array([n.lat for n in heads], dtype=float)
        lon_b = np.array([n.lon for n in heads], dtype=float)
        km: np.ndarray = great_circle_matrix_km(lat_a, lon_a, lat_b, lon_b) * self.params.circuity_factor
        cost = np.full(km.shape, np.nan)
        if self.network.distances:
            by_tail = self._overrides_by_tail()
            hi = {n.id: i for i, n in enumerate(heads)}
            for i, tail in enumerate(tails):
                for head_id in by_tail.get(tail.id, ()):
                    j = hi.get(head_id)
                    if j is None:
                        continue
                    m = self.oracle.measure(tail.id, head_id)
                    km[i, j] = m.road_km
                    if m.cost_cny_per_t is not None:
                        cost[i, j] = m.cost_cny_per_t
        self._measure_cache[key] = (km, cost)
        return km, cost

    def _overrides_by_tail(self) -> dict[str, list[str]]:
        """Heads with a distance override, per tail id (overrides apply in both directions)."""
        if self._by_tail is None:
            by_tail: dict[str, set[str]] = {}
            for d in self.network.distances:
                by_tail.setdefault(d.from_id, set()).add(d.to_id)
                by_tail.setdefault(d.to_id, set()).add(d.from_id)
            self._by_tail = {t: sorted(h) for t, h in by_tail.items()}
        return self._by_tail

    # --- arcs --------------------------------------------------------------------------------------

    def _usable_inputs(
        self, y: np.ndarray, site_smelter_ok: np.ndarray, transfer_ok: np.ndarray
    ) -> np.ndarray:
        """usable[j, g]: site j can take grade g because every output of g has an outlet.

        ``site_smelter_ok[j, m, g']`` and ``transfer_ok[d, s, g']`` say which delivery and transfer arcs
        exist geometrically and by acceptance. Sorting centers are resolved first (they send only to
        smelters), then dismantling sites (to smelters or usable sorting centers).
        """
        produces = y > 0  # (J, G, G')
        outlet = np.asarray(site_smelter_ok.any(axis=1))  # (J, G')
        usable = np.zeros((self.J, self.G), dtype=bool)
        sorting = np.array([s.kind is SiteKind.SORTING for s in self.sites], dtype=bool)
        for stage_is_sorting in (True, False):
            if not stage_is_sorting:
                # a dismantling site's output g' also has an outlet at a usable sorting center
                outlet = np.asarray(outlet | (transfer_ok & usable[None, :, :]).any(axis=1))
            rows = np.flatnonzero(sorting == stage_is_sorting)
            for j in rows:
                has_out = produces[j].any(axis=1)
                blocked = (produces[j] & ~outlet[j][None, :]).any(axis=1)
                usable[j] = has_out & ~blocked
        return usable

    def _collection_arcs(
        self, supply: np.ndarray, usable: np.ndarray, accepts_m: np.ndarray
    ) -> list[np.ndarray]:
        dests = self.sites + self.smelters
        km, override = self._measures(self.points, dests)
        rate = self.params.transport_cost_cny_per_t_km
        cost = np.where(np.isnan(override), km * rate, override)
        haul = self.params.max_haul_km_collection
        accept = np.concatenate([usable, accepts_m], axis=0)  # (J+M, G)
        if uses_trucks(self.params):
            # Collection priced from VehicleTypes, as the routes collect (a user's cost override stays).
            reachable = np.asarray(accept.any(axis=1), dtype=bool)
            within = np.isnan(override) & reachable[None, :]
            if haul is not None:
                within &= km <= haul + 1e-9
            self.collection_costs = collection_arc_costs(
                self.network,
                self.points,
                dests,
                km,
                cost,
                within,
                site_factors=dict(self.req.collection_site_factors),
                arc_costs={(a, b): c for a, b, c in self.req.collection_arc_costs},
            )
            cost = self.collection_costs.cost_cny_per_t
        parts: list[list[np.ndarray]] = [[] for _ in range(5)]
        k = self.req.k_nearest
        for g in range(self.G):
            pts = np.flatnonzero(supply[:, g] > 0)
            cols = np.flatnonzero(accept[:, g])
            if pts.size == 0 or cols.size == 0:
                continue
            sub_km = km[np.ix_(pts, cols)]
            sub_cost = cost[np.ix_(pts, cols)]
            ok = np.ones(sub_km.shape, dtype=bool) if haul is None else sub_km <= haul + 1e-9
            if k is not None and k < cols.size:
                rank_key = np.where(ok, sub_cost + 1e-9 * sub_km, np.inf)
                keep = np.argpartition(rank_key, k - 1, axis=1)[:, :k]
                mask = np.zeros(ok.shape, dtype=bool)
                np.put_along_axis(mask, keep, True, axis=1)
                ok &= mask
            ii, cc = np.nonzero(ok)
            parts[0].append(pts[ii])
            parts[1].append(self.P + cols[cc])
            parts[2].append(np.full(ii.size, g))
            parts[3].append(sub_km[ii, cc])
            parts[4].append(sub_cost[ii, cc])
        return [np.concatenate(p) if p else np.zeros(0) for p in parts]

    def _site_arcs(
        self, y: np.ndarray, usable: np.ndarray, accepts_m: np.ndarray
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        rate = self.params.transport_cost_cny_per_t_km
        outputs = (y * usable[:, :, None]).sum(axis=1) > 0  # (J, G') produced from usable inputs
        # delivery: site -> smelter
        km, override = self._measures(self.sites, self.smelters)
        cost = np.where(np.isnan(override), km * rate, override)
        haul = self.params.max_haul_km_delivery
        within = np.ones(km.shape, dtype=bool) if haul is None else km <= haul + 1e-9
        ok = outputs[:, None, :] & accepts_m[None, :, :] & within[:, :, None]  # (J, M, G)
        jj, mm, gg = np.nonzero(ok)
        delivery = [self.P + jj, self.P + self.J + mm, gg, km[jj, mm], cost[jj, mm]]
        # transfer: dismantling -> sorting
        kinds = np.array([s.kind is SiteKind.SORTING for s in self.sites], dtype=bool)
        km2, override2 = self._measures(self.sites, self.sites)
        cost2 = np.where(np.isnan(override2), km2 * rate, override2)
        haul2 = self.params.max_haul_km_transfer
        within2 = np.ones(km2.shape, dtype=bool) if haul2 is None else km2 <= haul2 + 1e-9
        pair = (~kinds)[:, None] & kinds[None, :] & within2
        ok2 = outputs[:, None, :] & usable[None, :, :] & pair[:, :, None]  # (D, S, G)
        dd, ss, gg2 = np.nonzero(ok2)
        transfer = [self.P + dd, self.P + ss, gg2, km2[dd, ss], cost2[dd, ss]]
        return delivery, transfer

    def _geometry_masks(self, y: np.ndarray, accepts_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        km, _ = self._measures(self.sites, self.smelters)
        haul = self.params.max_haul_km_delivery
        within = np.ones(km.shape, dtype=bool) if haul is None else km <= haul + 1e-9
        site_smelter_ok = within[:, :, None] & accepts_m[None, :, :]
        km2, _ = self._measures(self.sites, self.sites)
        haul2 = self.params.max_haul_km_transfer
        within2 = np.ones(km2.shape, dtype=bool) if haul2 is None else km2 <= haul2 + 1e-9
        kinds = np.array([s.kind is SiteKind.SORTING for s in self.sites], dtype=bool)
        pair = (~kinds)[:, None] & kinds[None, :] & within2
        return site_smelter_ok, pair[:, :, None] & np.ones((1, 1, self.G), dtype=bool)

    # --- the model ---------------------------------------------------------------------------------

    def build(self) -> NetworkDesignModel:
        self.oracle = DistanceOracle(self.network)
        supply, purchase = self._supply_and_prices()
        y = self._yield_tensor()
        accepts_m = np.zeros((self.M, self.G), dtype=bool)
        for m, sm in enumerate(self.smelters):
            for gid in sm.accepted_grade_ids:
                if gid in self.g_index:
                    accepts_m[m, self.g_index[gid]] = True
        site_smelter_ok, transfer_ok = self._geometry_masks(y, accepts_m)
        usable = self._usable_inputs(y, site_smelter_ok, transfer_ok)
        collection = self._collection_arcs(supply, usable, accepts_m)
        delivery, transfer = self._site_arcs(y, usable, accepts_m)
        co2_rate = self.params.co2_kg_per_t_km / 1000.0
        cols = [np.concatenate([c, t, d]) for c, t, d in zip(collection, transfer, delivery, strict=True)]
        echelon = np.concatenate(
            [np.full(collection[0].size, 0), np.full(transfer[0].size, 1), np.full(delivery[0].size, 2)]
        ).astype(np.int8)
        arcs = ArcTable(
            tail=cols[0].astype(np.int64),
            head=cols[1].astype(np.int64),
            grade=cols[2].astype(np.int64),
            echelon=echelon,
            km=cols[3].astype(float),
            cost_cny_per_t=cols[4].astype(float),
            co2_t_per_t=cols[3].astype(float) * co2_rate,
        )
        self.all_arcs = arcs
        full: FullArcs | None = None
        if self.restrict is not None and len(arcs) > self.restrict.min_arcs:
            vectors = self._arc_vectors(arcs, purchase)
            keep = self._restricted(arcs, vectors, self.restrict)
            min_cu = np.array([sm.min_copper_content for sm in self.smelters] + [0.0])[: self.M]
            carbon = self.params.carbon_price_cny_per_t_co2
            full = FullArcs(arcs, *vectors, in_model=keep, y=y, min_cu=min_cu, carbon_price=carbon)
            ids = np.flatnonzero(keep)
            arcs = ArcTable(*(getattr(arcs, f.name)[ids] for f in dataclasses.fields(ArcTable)))
            self.notes.append(
                msg("plan_note.restricted_arcs", kept=f"{ids.size:,}", total=f"{len(full.arcs):,}")
            )
        model = self._assemble(arcs, supply, purchase, y, usable, accepts_m)
        if full is not None:
            model.full = full
            model.arc_ids = np.flatnonzero(full.in_model)
        else:
            model.arc_ids = np.arange(len(arcs), dtype=np.int64)
        return model

    def _arc_vectors(
        self, arcs: ArcTable, purchase: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(purchase, processing, processing CO2 t, revenue, copper delivered) per tonne on each arc."""
        P, J = self.P, self.J
        is_collection = arcs.echelon == 0
        into_site = (arcs.head >= P) & (arcs.head < P + J)
        into_smelter = arcs.head >= P + J
        arc_purchase = np.zeros(len(arcs))
        arc_purchase[is_collection] = purchase[arcs.tail[is_collection], arcs.grade[is_collection]]
        site_var = np.array([s.variable_cost_cny_per_t for s in self.sites] + [0.0])
        site_co2 = np.array([s.co2_kg_per_t / 1000.0 for s in self.sites] + [0.0])
        site_of_head = np.where(into_site, arcs.head - P, J)
        copper_price = self.params.copper_price_cny_per_t
        smelter_price = np.array([m.price_at(copper_price) for m in self.smelters] + [0.0])
        grade_coef = np.array(
            [
                g.price_coefficient if g.price_coefficient is not None else g.copper_content
                for g in self.network.grades
            ]
        )
        smelter_of_head = np.where(into_smelter, arcs.head - P - J, self.M)
        revenue = np.where(into_smelter, smelter_price[smelter_of_head] * grade_coef[arcs.grade], 0.0)
        copper = np.where(into_smelter, self.cu[arcs.grade], 0.0)
        return arc_purchase, site_var[site_of_head], site_co2[site_of_head], revenue, copper

    def _restricted(
        self,
        arcs: ArcTable,
        vectors: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
        restrict: Restriction,
    ) -> np.ndarray:
        """The arcs a restricted model keeps: every transfer and delivery arc, and per yard and grade its
        ``restrict.sites`` / ``restrict.smelters`` best collection arcs into sites / smelters (best: the
        highest revenue less variable cost per tonne)."""
        purchase, processing, processing_co2, revenue, _ = vectors
        carbon = self.params.carbon_price_cny_per_t_co2
        cost = purchase + arcs.cost_cny_per_t + processing + (arcs.co2_t_per_t + processing_co2) * carbon
        keep: np.ndarray = arcs.echelon != 0
        coll = np.flatnonzero(arcs.echelon == 0)
        if coll.size == 0:
            return keep
        to_smelter = (arcs.head[coll] >= self.P + self.J).astype(np.int64)
        group = (arcs.tail[coll] * self.G + arcs.grade[coll]) * 2 + to_smelter
        order = np.lexsort(((cost - revenue)[coll], group))
        sorted_group = group[order]
        first = np.searchsorted(sorted_group, sorted_group, side="left")
        rank = np.empty(coll.size, dtype=np.int64)
        rank[order] = np.arange(coll.size) - first
        keep[coll] = rank < np.where(to_smelter == 1, restrict.smelters, restrict.sites)
        return keep

    def _assemble(
        self,
        arcs: ArcTable,
        supply: np.ndarray,
        purchase: np.ndarray,
        y: np.ndarray,
        usable: np.ndarray,
        accepts_m: np.ndarray,
    ) -> NetworkDesignModel:
        P, J, G = self.P, self.J, self.G
        req = self.req
        name = re.sub(r"[^A-Za-z0-9_]", "_", self.network.name) or "network"
        prob = pulp.LpProblem(f"copperloop_{name}", pulp.LpMaximize)
        n_arcs = len(arcs)
        flow = [prob.add_variable(f"x{n}", 0.0) for n in range(n_arcs)]
        module_open: dict[tuple[str, str], pulp.LpVariable] = {}
        for j, site in enumerate(self.sites):
            existing_single = site.status is SiteStatus.EXISTING and len(site.modules) == 1
            for k, mod in enumerate(site.modules):
                low = 1.0 if existing_single else 0.0
                # integer in [0, 1] rather than LpBinary: PuLP resets a binary's lower bound to 0
                module_open[(site.id, mod.id)] = prob.add_variable(f"z{j}_{k}", low, 1.0, pulp.LpInteger)
        model = NetworkDesignModel(
            network=self.network,
            requirements=req,
            problem=prob,
            grade_ids=self.grade_ids,
            copper_content=self.cu,
            node_ids=self.node_ids,
            points=self.points,
            sites=self.sites,
            smelters=self.smelters,
            supply_t=supply,
            purchase_cny_per_t=purchase,
            arcs=arcs,
            flow=flow,
            module_open=module_open,
            constraints={},
            modules={(site.id, m.id): m for site in self.sites for m in site.modules},
            notes=self.notes,
            strengthening=self.strengthening,
            collection_modes=None if self.collection_costs is None else self.collection_costs.mode,
        )
        # per-arc coefficient vectors
        (
            model.arc_purchase,
            model.arc_processing,
            model.arc_processing_co2_t,
            model.arc_revenue,
            model.arc_copper_delivered,
        ) = self._arc_vectors(arcs, purchase)

        out_groups = _group(arcs.tail * G + arcs.grade, (P + J + self.M) * G)
        in_groups = _group(arcs.head * G + arcs.grade, (P + J + self.M) * G)
        in_node = _group(arcs.head, P + J + self.M)

        target_t_cu = self._floor_t_cu(model)
        must_collect = (
            req.target_utilization is not None
            and req.target_utilization >= MUST_COLLECT_TARGET
            and "utilization_target" not in req.elastic
        )
        self._supply_constraints(model, out_groups, must_collect)
        self._site_constraints(model, y, usable, in_groups, out_groups, in_node)
        self._smelter_constraints(model, in_node)
        self._linking(model)
        self._requirements(model, target_t_cu)
        self._aggregate_capacity(model, y, target_t_cu)
        model.set_objective(Objective.PROFIT)
        return model

    def _floor_t_cu(self, model: NetworkDesignModel) -> float:
        total = model.total_supply_t_cu
        floor = 0.0
        if self.req.target_utilization is not None:
            floor = self.req.target_utilization * total
        if self.req.copper_floor_t_cu is not None:
            floor = max(floor, self.req.copper_floor_t_cu)
        return floor

    def _add(
        self,
        model: NetworkDesignModel,
        name: str,
        terms: Iterable[tuple[pulp.LpVariable, float]],
        sense: int,
        rhs: float,
    ) -> pulp.LpConstraint:
        return model._add(name, pulp.LpAffineExpression(list(terms)), sense, rhs)

    def _slack(
        self, model: NetworkDesignModel, name: str, weight: float, upper: float | None = None
    ) -> pulp.LpVariable:
        var = model.problem.add_variable(f"s{len(model.slacks)}", 0.0, upper)
        model.slacks[name] = var
        model.slack_weights[name] = weight
        return var

    def _supply_constraints(
        self, model: NetworkDesignModel, out_groups: list[np.ndarray], must: bool
    ) -> None:
        sense = pulp.LpConstraintEQ if must else pulp.LpConstraintLE
        G = self.G
        for i, cp in enumerate(self.points):
            for g in range(G):
                s = model.supply_t[i, g]
                if s <= 0:
                    continue
                arcs = out_groups[i * G + g]
                if arcs.size == 0:
                    if must:
                        # nothing can carry it: the equality would be 0 = s, say so in the report
                        self.notes.append(
                            msg("plan_note.no_route", t=f"{s:,.0f}", grade=self.grade_ids[g], point=cp.id)
                        )
                        self._add(model, f"supply[{cp.id},{self.grade_ids[g]}]", [], sense, s)
                    continue
                self._add(
                    model,
                    f"supply[{cp.id},{self.grade_ids[g]}]",
                    ((model.flow[n], 1.0) for n in arcs),
                    sense,
                    s,
                )

    def _site_constraints(
        self,
        model: NetworkDesignModel,
        y: np.ndarray,
        usable: np.ndarray,
        in_groups: list[np.ndarray],
        out_groups: list[np.ndarray],
        in_node: list[np.ndarray],
    ) -> None:
        P, G = self.P, self.G
        elastic_cap = "site_capacity" in self.req.elastic
        total_supply = float(model.supply_t.sum())
        for j, site in enumerate(self.sites):
            node = P + j
            # balance per output grade: shipped = sum_g yield[g -> g'] * input[g]
            for go in range(G):
                producers = [g for g in range(G) if usable[j, g] and y[j, g, go] > 0]
                if not producers:
                    continue
                terms = [(model.flow[n], 1.0) for n in out_groups[node * G + go]]
                for g in producers:
                    terms.extend((model.flow[n], -float(y[j, g, go])) for n in in_groups[node * G + g])
                self._add(model, f"balance[{site.id},{self.grade_ids[go]}]", terms, pulp.LpConstraintEQ, 0.0)
            # capacity of the chosen module
            opens = [(model.module_open[(site.id, m.id)], m) for m in site.modules]
            terms = [(model.flow[n], 1.0) for n in in_node[node]]
            terms.extend((var, -m.capacity_t_per_year) for var, m in opens)
            if elastic_cap:
                s = self._slack(
                    model, f"site_capacity[{site.id}]", 1.0 / max(m.capacity_t_per_year for m in site.modules)
                )
                terms.append((s, -1.0))
                # extra capacity only where the site runs at all
                self._add(
                    model,
                    f"site_capacity_open[{site.id}]",
                    [(s, 1.0)] + [(var, -total_supply) for var, _ in opens],
                    pulp.LpConstraintLE,
                    0.0,
                )
            self._add(model, f"cap[{site.id}]", terms, pulp.LpConstraintLE, 0.0)
            # module choice: existing sites run exactly one, candidates at most one
            if site.status is SiteStatus.EXISTING and len(opens) > 1:
                self._add(model, f"module[{site.id}]", ((v, 1.0) for v, _ in opens), pulp.LpConstraintEQ, 1.0)
            elif site.status is SiteStatus.CANDIDATE and len(opens) > 1:
                self._add(model, f"module[{site.id}]", ((v, 1.0) for v, _ in opens), pulp.LpConstraintLE, 1.0)

    def _smelter_constraints(self, model: NetworkDesignModel, in_node: list[np.ndarray]) -> None:
        P, J = self.P, self.J
        cu = self.cu
        arcs = model.arcs
        # a blend row where some allowed arc brings a grade below the minimum (in a restricted model the
        # row exists even when none of its arcs is a column yet, so that priced-in arcs find it)
        every = self.all_arcs if self.all_arcs is not None else arcs
        min_cu = np.array([sm.min_copper_content for sm in self.smelters])
        into = np.flatnonzero(every.head >= P + J)
        smelter = every.head[into] - P - J
        low = np.zeros(self.M, dtype=bool)
        np.logical_or.at(low, smelter, cu[every.grade[into]] < min_cu[smelter])
        for m, sm in enumerate(self.smelters):
            incoming = in_node[P + J + m]
            terms = [(model.flow[n], 1.0) for n in incoming]
            if "smelter_capacity" in self.req.elastic:
                s = self._slack(model, f"smelter_capacity[{sm.id}]", 1.0 / max(sm.capacity_t_per_year, 1.0))
                terms.append((s, -1.0))
            self._add(model, f"smelter_cap[{sm.id}]", terms, pulp.LpConstraintLE, sm.capacity_t_per_year)
            if sm.min_copper_content > 0 and low[m]:
                coef = cu[arcs.grade[incoming]] - sm.min_copper_content
                terms = [(model.flow[n], float(c)) for n, c in zip(incoming, coef, strict=True) if c != 0]
                if "smelter_blend" in self.req.elastic:
                    s = self._slack(model, f"smelter_blend[{sm.id}]", 1.0 / max(model.total_supply_t_cu, 1.0))
                    terms.append((s, 1.0))
                self._add(model, f"blend[{sm.id}]", terms, pulp.LpConstraintGE, 0.0)

    def _linking(self, model: NetworkDesignModel) -> None:
        """x[i,j,g] <= min(supply[i,g], max capacity of j) * sum_k open[j,k] on arcs into candidate sites."""
        P, J = self.P, self.J
        if J == 0:
            return
        arcs = model.arcs
        max_cap = np.array([max(m.capacity_t_per_year for m in s.modules) for s in self.sites])
        candidate = np.array([s.status is SiteStatus.CANDIDATE for s in self.sites], dtype=bool)
        into_site = (arcs.head >= P) & (arcs.head < P + J)
        site = np.where(into_site, arcs.head - P, 0)
        eligible = np.flatnonzero(into_site & candidate[site] & (arcs.echelon <= 1))
        if eligible.size == 0:
            return
        is_coll = arcs.echelon[eligible] == 0
        j = site[eligible]
        supply = model.supply_t[np.where(is_coll, arcs.tail[eligible], 0), arcs.grade[eligible]]
        model.link_arcs = eligible
        model.link_site = j
        model.link_bound = np.where(is_coll, np.minimum(supply, max_cap[j]), max_cap[j]).astype(float)
        model.link_added = np.zeros(eligible.size, dtype=bool)
        mode = self.req.linking
        if mode == "all" or (mode == "auto" and eligible.size <= LINK_ALL_MAX):
            model.add_linking(np.ones(eligible.size, dtype=bool))
            self.strengthening.append(
                f"linking x <= min(supply, capacity) * open on all {eligible.size} arcs"
            )
        else:
            self.strengthening.append(
                "linking x <= min(supply, capacity) * open separated from the LP relaxation "
                f"({eligible.size} candidate arcs)"
            )

    def _requirements(self, model: NetworkDesignModel, floor_t_cu: float) -> None:
        req = self.req
        total_cu = model.total_supply_t_cu
        if req.target_utilization is not None and req.target_utilization > 0:
            terms = [(model.flow[n], float(c)) for n, c in _nonzero(model.arc_copper_delivered)]
            if "utilization_target" in req.elastic:
                s = self._slack(model, "utilization_target", 1000.0 / max(total_cu, 1e-9))
                terms.append((s, 1.0))
            self._add(model, "target", terms, pulp.LpConstraintGE, req.target_utilization * total_cu)
        if req.copper_floor_t_cu is not None:
            model.add_copper_floor(req.copper_floor_t_cu)
        if req.budget_cny is not None:
            terms = [(model.flow[n], float(c)) for n, c in _nonzero(model.budget_vector())]
            terms.extend(model.fixed_cost_expression().items())
            if "budget" in req.elastic:
                s = self._slack(model, "budget", 1.0 / max(req.budget_cny, 1.0))
                terms.append((s, -1.0))
            self._add(model, "budget", terms, pulp.LpConstraintLE, req.budget_cny)
        if req.max_new_sites is not None:
            candidates = {s.id for s in self.sites if s.status is SiteStatus.CANDIDATE}
            terms = [(var, 1.0) for (sid, _), var in model.module_open.items() if sid in candidates]
            if terms:
                if "max_new_sites" in req.elastic:
                    s = self._slack(model, "max_new_sites", 1.0 / max(req.max_new_sites, 1))
                    terms.append((s, -1.0))
                self._add(model, "max_new_sites", terms, pulp.LpConstraintLE, float(req.max_new_sites))

    def _aggregate_capacity(self, model: NetworkDesignModel, y: np.ndarray, floor_t_cu: float) -> None:
        """sum_j cu_in_max[j] * sum_k cap[k] * open[j,k] >= floor - direct_max.

        Valid when no yield table makes copper.

        Copper reaching a smelter either comes straight from a collection point (at most
        ``direct_max``) or entered some site through a collection arc, where it is at most the richest
        grade's copper content per tonne of throughput.
        """
        if floor_t_cu <= 0 or "utilization_target" in self.req.elastic:
            return
        cu = self.cu
        made = np.einsum("jab,b->ja", y, cu)  # copper out per t of input g at site j
        if (made > cu[None, :] * (1 + _COPPER_AMPLIFICATION_TOLERANCE) + 1e-12).any():
            self.notes.append(msg("plan_note.copper_amplifying"))
            return
        P, J = self.P, self.J
        # from every allowed arc: a restricted model's row must hold for the full network
        arcs = self.all_arcs if self.all_arcs is not None else model.arcs
        coll = arcs.echelon == 0
        direct = coll & (arcs.head >= P + J)
        reach = np.zeros_like(model.supply_t, dtype=bool)
        reach[arcs.tail[direct], arcs.grade[direct]] = True
        direct_max = float((model.supply_t * cu[None, :] * reach).sum())
        smelter_cu_cap = sum(
            sm.capacity_t_per_year
            * max((cu[self.g_index[g]] for g in sm.accepted_grade_ids if g in self.g_index), default=0.0)
            for sm in self.smelters
        )
        direct_max = min(direct_max, smelter_cu_cap)
        rhs = floor_t_cu - direct_max
        if rhs <= 1e-9:
            return
        into_site = coll & (arcs.head >= P) & (arcs.head < P + J)
        cu_in_max = np.zeros(J)
        np.maximum.at(cu_in_max, arcs.head[into_site] - P, cu[arcs.grade[into_site]])
        terms = []
        for j, site in enumerate(self.sites):
            if cu_in_max[j] <= 0:
                continue
            for m in site.modules:
                terms.append(
                    (model.module_open[(site.id, m.id)], float(cu_in_max[j] * m.capacity_t_per_year))
                )
        self._add(model, "aggregate_capacity", terms, pulp.LpConstraintGE, rhs)
        self.strengthening.append(f"aggregate capacity >= {rhs:,.1f} t Cu through sites")


# === helpers ============================================================================================


def _group(keys: np.ndarray, n_groups: int) -> list[np.ndarray]:
    """Indices of ``keys`` grouped by key value 0..n_groups-1 (each group in ascending index order)."""
    order = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(keys[order], np.arange(n_groups + 1))
    return [order[bounds[k] : bounds[k + 1]] for k in range(n_groups)]


def _nonzero(values: np.ndarray) -> Iterable[tuple[int, float]]:
    nz = np.flatnonzero(values)
    return zip(nz.tolist(), values[nz].tolist(), strict=True)


def _pulp_name(readable: str, problem: pulp.LpProblem) -> str:
    """A PuLP-safe, unique constraint name derived from a readable one (``cap[SC-03]`` -> ``cap_SC_03_``)."""
    base = re.sub(r"[^A-Za-z0-9_]", "_", readable)
    name, k = base, 1
    while name in constraint_table(problem):
        k += 1
        name = f"{base}_{k}"
    return name
