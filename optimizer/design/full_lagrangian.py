"""A bound valid for the *full* network of a restricted model: the site Lagrangian over every arc, in numpy.

Why: a restricted model (:class:`optimizer.design.formulation.Restriction`: national5 keeps 209,260 of
2,491,250 arcs as PuLP columns) bounds only its own arcs. Its LP, priced against the rest, is the
only bound the pipeline had for the full network, and on national5 that LP does not converge in
120 s: the plan had no gap. The site Lagrangian of :mod:`optimizer.design.site_lagrangian` needs only
vector operations per arc, so it is evaluated here over ``model.full`` (every arc as arrays) without
building a column for any omitted arc.

The relaxation (the full network's MILP, maximisation form ``max s*c x``, ``s = -1`` for a cost
minimisation): keep each site's capacity row ``sum_in x <= sum_k cap_k z_k``, its module row
``sum_k z_k <= 1`` (``= 1``: an existing site), the binaries and ``x >= 0``; move the supply, balance,
smelter capacity, blend rows and the scalar rows (target, copper floors, budget, ``max_new_sites``,
``aggregate_capacity``) into the objective with multipliers ``y`` of the right sign (``<=`` rows
``y >= 0``, ``>=`` rows ``y <= 0``, equalities free); linking rows get ``y = 0``. Each arc's Lagrangian
value is then ``s*c_n - sum_r y_r a_rn`` (the expression of
:meth:`~optimizer.design.formulation.NetworkDesignModel.omitted_reduced_costs` without the capacity
row), computed for all arcs at once. Every arc has an upper bound implied by a row of non-negative terms
of the full network: a collection arc's supply row (``x <= supply``), a delivery's smelter row
(``x <= capacity``), an arc into a site its capacity row with the module row (``x <= max module``).
Adding these bounds cuts off no plan. The maximum then splits: an arc not into a site sits at its bound
when its value is positive; each site is closed (0, if it may be) or runs one module at the module
column's Lagrangian value plus a continuous knapsack of its positive arcs up to the module's capacity.

Why it is valid for ANY multipliers: let ``x*, z*`` be the full network's optimum. It satisfies the kept
rows and the implied bounds, so it is feasible for the relaxed problem, whose optimum is therefore at
least ``s*c x* + sum_r y_r (b_r - a_r x*)``; each term ``y_r (b_r - a_r x*)`` is ``>= 0`` (a ``<=``
row has slack ``>= 0`` and ``y_r >= 0``, a ``>=`` row the opposite signs, an equality 0). So
``L(y) = sum_r y_r b_r + max_relaxed (s*c - y A)(x, z) >= s*c x*`` and ``s*L(y)`` bounds the full
network's optimum (an upper bound on profit, a lower bound on cost). A row the restricted model lacks
gets ``y = 0``, which relaxes it for free: only rows the model holds (which the full network holds with
the same right-hand side) are priced. No omitted arc is dropped: each is in its site's knapsack or at
its bound, which is why the restricted model's own Lagrangian (over its columns only) is *not* a bound
on the full network while this one is (``tests/optimizer/design/test_full_lagrangian.py`` shows both on
a network whose optimum uses an omitted arc).

Multipliers: every start is evaluated and the best kept: the rows' LP duals where an LP of the model
stored them (``pi``; on national5 those of the restricted LP with linking rows gave a 62 % gap, they
price the omitted arcs far too high) and starts read from the arcs themselves (:func:`priced_start`:
a site's output at its best delivery, a yard's tonne at its best arc net of the site's cheapest fixed
cost per tonne of capacity). Then Polyak steps on the smelters' capacity prices (each step a new start
read from the arcs) and on the supply rows, within the time given. One evaluation is a few vector
operations over the arcs (0.25-1.0 s on national5's 2.49 M arcs at load 2-3; a 5.0 % gap in 6 s,
``benchmarks/README.md``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pulp

from optimizer.design.formulation import NetworkDesignModel
from optimizer.design.site_lagrangian import option_knapsacks
from optimizer.progress import CancelToken, is_cancelled

#: Polyak's step multiplier starts here and halves after :data:`PATIENCE` steps without a better bound.
STEP_START = 1.0
PATIENCE = 3

#: The pipeline gives the bound this share of a stage's time limit, at most :data:`TIME_MAX_S` and at
#: least :data:`TIME_MIN_S` (one evaluation; national5's 2.49 M arcs take about 1 s, an estimate).
TIME_SHARE = 0.05
TIME_MAX_S = 8.0
TIME_MIN_S = 1.0

#: Share of the bound's time spent on the smelters' capacity prices (:func:`priced_start`) before the
#: supply rows' subgradient.
SMELTER_SHARE = 0.7
#: The smelter prices' first Polyak step multiplier (national5 in 6 s at load 2.3: 16,398 M CNY/yr from
#: 0.5, 16,404-16,414 M from 0.25, 16,442 M from 0.1, no step better than the start's 16,477 M from 1.0).
SMELTER_STEP_START = 0.5

#: The rows priced by a scalar multiplier besides the copper floors (see the module docstring).
SCALAR_ROWS = ("target", "budget", "max_new_sites", "aggregate_capacity")


@dataclass(frozen=True, slots=True)
class ScalarRow:
    """One row priced as a whole: its sense (+1 ``<=``, -1 ``>=``, 0 ``=``), right-hand side, its
    coefficient on every full arc and on every module option."""

    name: str
    sense: int
    rhs: float
    arc_coef: np.ndarray
    option_coef: np.ndarray


@dataclass(frozen=True, slots=True)
class FullRelaxation:
    """The full network's arcs and the model's rows sorted into the relaxation's parts.

    Per full arc: ``value`` (``s*c``), ``upper`` (implied bound), ``into_site`` / ``from_site`` /
    ``into_smelter`` (index or -1), ``grade``, ``point`` (the yard of a collection arc or -1),
    ``blend`` (the blend row's coefficient). Row presence masks say which rows the model holds (the
    others keep multiplier 0). Per module option: its site, capacity, Lagrangian-free value (``s*c``)
    and whether it is forced open.
    """

    sign: float
    offset: float
    value: np.ndarray
    upper: np.ndarray
    grade: np.ndarray
    point: np.ndarray
    into_site: np.ndarray
    from_site: np.ndarray
    into_smelter: np.ndarray
    blend: np.ndarray
    yields: np.ndarray  # (J, G, G) output per tonne of input
    supply: np.ndarray  # (P, G)
    supply_row: np.ndarray  # (P, G) bool
    supply_eq: np.ndarray  # (P, G) bool: an equality (every tonne collected)
    balance_row: np.ndarray  # (J, G) bool (equalities)
    smelter_cap: np.ndarray  # (M,)
    smelter_row: np.ndarray  # (M,) bool
    blend_row: np.ndarray  # (M,) bool (>= rows)
    scalars: tuple[ScalarRow, ...]
    option_site: np.ndarray
    option_cap: np.ndarray
    option_value: np.ndarray
    option_forced: np.ndarray
    closable: np.ndarray  # (J,) bool


@dataclass(frozen=True, slots=True)
class Multipliers:
    """One multiplier per relaxed row, in the maximisation form."""

    supply: np.ndarray
    balance: np.ndarray
    smelter: np.ndarray
    blend: np.ndarray
    scalar: np.ndarray


@dataclass(frozen=True, slots=True)
class FullBound:
    """The best bound found (in the model's objective, valid for the full network) and the work done."""

    bound: float
    evaluations: int
    seconds: float
    from_duals: bool


def relaxation(model: NetworkDesignModel) -> FullRelaxation | None:
    """The relaxation's parts of a restricted ``model`` (``model.full`` set), or None when it does not
    apply: no restricted arcs, slack columns (an elastic model), or a delivery without a finite bound."""
    full = model.full
    if full is None or not model.sites or model.slacks:
        return None
    P, J, G = model.n_points, len(model.sites), len(model.grade_ids)
    a = full.arcs
    sign = 1.0 if model.problem.sense == pulp.LpMaximize else -1.0
    tail, head, g = a.tail.astype(np.int64), a.head.astype(np.int64), a.grade.astype(np.int64)
    collect = a.echelon == 0
    point = np.where(collect, tail, -1)
    into_site = np.where((head >= P) & (head < P + J), head - P, -1)
    from_site = np.where((tail >= P) & (tail < P + J), tail - P, -1)
    into_smelter = np.where(head >= P + J, head - P - J, -1)
    cons = model.constraints
    gid = model.grade_ids
    supply_row = np.array([[f"supply[{p.id},{k}]" in cons for k in gid] for p in model.points]).reshape(P, G)
    supply_eq = np.array(
        [[_sense(cons.get(f"supply[{p.id},{k}]")) == 0 for k in gid] for p in model.points]
    ).reshape(P, G)
    balance_row = np.array([[f"balance[{s.id},{k}]" in cons for k in gid] for s in model.sites]).reshape(J, G)
    smelter_row = np.array([f"smelter_cap[{m.id}]" in cons for m in model.smelters], dtype=bool)
    blend_row = np.array([f"blend[{m.id}]" in cons for m in model.smelters], dtype=bool)
    smelter_cap = np.array([float(m.capacity_t_per_year) for m in model.smelters])
    max_cap = np.array([max(m.capacity_t_per_year for m in s.modules) for s in model.sites], dtype=float)
    # implied bounds: supply rows (collection arcs), smelter rows (deliveries), capacity rows (into sites)
    upper = np.full(len(a), np.inf)
    coll_bounded = collect & supply_row[np.where(collect, tail, 0), g]
    upper[coll_bounded] = model.supply_t[tail[coll_bounded], g[coll_bounded]]
    site_in = into_site >= 0
    upper[site_in] = np.minimum(upper[site_in], max_cap[into_site[site_in]])
    sm_in = into_smelter >= 0
    capped = sm_in & smelter_row[np.where(sm_in, into_smelter, 0)]
    upper[capped] = np.minimum(upper[capped], smelter_cap[into_smelter[capped]])
    if not np.isfinite(upper).all():
        return None
    m_idx = np.where(sm_in, into_smelter, 0)
    blend = np.where(
        sm_in & (full.min_cu[m_idx] > 0), model.copper_content[g] - full.min_cu[m_idx], 0.0
    ).astype(float)
    # module options: objective coefficient and their terms in the scalar rows
    options = [(j, m, model.module_open[(s.id, m.id)]) for j, s in enumerate(model.sites) for m in s.modules]
    objective = model.problem.objective
    option_value = np.array([sign * float(objective.get(var, 0.0)) for _, _, var in options])
    option_forced = np.array([(var.lowBound or 0.0) >= 1.0 - 1e-9 for _, _, var in options], dtype=bool)
    option_site = np.array([j for j, _, _ in options], dtype=np.int64)
    closable = np.ones(J, dtype=bool)
    for j, s in enumerate(model.sites):
        if _sense(cons.get(f"module[{s.id}]")) == 0:
            closable[j] = False
    closable[option_site[option_forced]] = False
    scalars = []
    budget = full.budget()
    for name in (*SCALAR_ROWS, *sorted(model.floor_names)):
        c = cons.get(name)
        if c is None:
            continue
        if name == "budget":
            arc_coef = budget
        elif name in ("max_new_sites", "aggregate_capacity"):
            arc_coef = np.zeros(len(a))
        else:
            arc_coef = full.copper_delivered
        opt = np.array([float(c.get(var, 0.0)) for _, _, var in options])
        scalars.append(ScalarRow(name, _sense(c), -float(c.constant), arc_coef, opt))
    return FullRelaxation(
        sign=sign,
        offset=float(objective.constant),
        value=sign * full.objective(model.objective_kind),
        upper=upper,
        grade=g,
        point=point,
        into_site=into_site,
        from_site=from_site,
        into_smelter=into_smelter,
        blend=blend,
        yields=full.y,
        supply=model.supply_t.astype(float),
        supply_row=supply_row,
        supply_eq=supply_eq,
        balance_row=balance_row,
        smelter_cap=smelter_cap,
        smelter_row=smelter_row,
        blend_row=blend_row,
        scalars=tuple(scalars),
        option_site=option_site,
        option_cap=np.array([float(m.capacity_t_per_year) for _, m, _ in options]),
        option_value=option_value,
        option_forced=option_forced,
        closable=closable,
    )


def _sense(c: pulp.LpConstraint | None) -> int:
    """+1 for ``<=``, -1 for ``>=``, 0 for ``=`` (a missing row: +1, unused)."""
    if c is None:
        return 1
    return {pulp.LpConstraintLE: 1, pulp.LpConstraintGE: -1}.get(c.sense, 0)


def project(r: FullRelaxation, y: Multipliers) -> Multipliers:
    """``y`` with absent rows at 0 and every multiplier of the sign its row allows (maximisation form)."""
    supply = np.where(r.supply_row, np.where(r.supply_eq, y.supply, np.maximum(y.supply, 0.0)), 0.0)
    balance = np.where(r.balance_row, y.balance, 0.0)
    smelter = np.where(r.smelter_row, np.maximum(y.smelter, 0.0), 0.0)
    blend = np.where(r.blend_row, np.minimum(y.blend, 0.0), 0.0)
    sense = np.array([s.sense for s in r.scalars], dtype=float)
    scalar = np.where(
        sense > 0, np.maximum(y.scalar, 0.0), np.where(sense < 0, np.minimum(y.scalar, 0.0), y.scalar)
    )
    return Multipliers(supply, balance, smelter, blend, scalar)


def arc_values(r: FullRelaxation, y: Multipliers) -> np.ndarray:
    """Every arc's Lagrangian value ``s*c_n - sum_r y_r a_rn`` (capacity rows kept, linking rows at 0)."""
    used = np.zeros(r.value.size)
    coll = r.point >= 0
    used[coll] += y.supply[r.point[coll], r.grade[coll]]
    out = r.from_site >= 0
    used[out] += y.balance[r.from_site[out], r.grade[out]]
    into = r.into_site >= 0
    if r.yields.size:
        w = -np.einsum("jab,jb->ja", r.yields, y.balance)
        used[into] += w[r.into_site[into], r.grade[into]]
    sm = r.into_smelter >= 0
    used[sm] += y.smelter[r.into_smelter[sm]] + y.blend[r.into_smelter[sm]] * r.blend[sm]
    for k, row in enumerate(r.scalars):
        if y.scalar[k] != 0:
            used += y.scalar[k] * row.arc_coef
    values: np.ndarray = r.value - used
    return values


def evaluate(r: FullRelaxation, y: Multipliers) -> tuple[float, Multipliers]:
    """The bound ``s*L(y)`` in the model's objective (``y`` projected first) and a subgradient ``b - A x``
    of the relaxed rows at the relaxed problem's solution."""
    y = project(r, y)
    v = arc_values(r, y)
    x = np.zeros(v.size)
    other = (r.into_site < 0) & (v > 0)
    x[other] = r.upper[other]
    total = float((v[other] * r.upper[other]).sum())
    J = r.closable.size
    # the sites: each option a continuous knapsack of its site's positive arcs, best value first
    cols = np.flatnonzero((r.into_site >= 0) & (v > 0))
    site = r.into_site[cols]
    order = np.lexsort((-v[cols], site))
    cols, site = cols[order], site[order]
    first = np.searchsorted(site, np.arange(J))
    option_value = r.option_value - sum(
        (y.scalar[k] * row.option_coef for k, row in enumerate(r.scalars)), np.zeros(r.option_site.size)
    )
    gain, take_of = option_knapsacks(site, v[cols], r.upper[cols], first, r.option_site, r.option_cap)
    option_value = option_value + gain
    best_value = np.full(J, -np.inf)
    best_option = np.full(J, -1, dtype=np.int64)
    has_forced = np.zeros(J, dtype=bool)
    has_forced[r.option_site[r.option_forced]] = True
    for o in range(r.option_site.size):
        j = int(r.option_site[o])
        if r.option_forced[o] or (not has_forced[j] and option_value[o] > best_value[j]):
            best_value[j], best_option[j] = option_value[o], o  # a forced option is its site's only one
    closed = np.where(r.closable, 0.0, -np.inf)
    opens = best_value > closed
    total += float(np.where(opens, best_value, closed).sum())
    for j in np.flatnonzero(opens).tolist():
        lo, hi = int(first[j]), int(first[j + 1]) if j + 1 < J else cols.size
        x[cols[lo:hi]] = take_of[int(best_option[j])][lo:hi]
    # the constant term: sum_r y_r b_r (balance and blend rows have b = 0)
    total += float((y.supply * r.supply).sum()) + float(y.smelter @ r.smelter_cap)
    total += float(sum(y.scalar[k] * row.rhs for k, row in enumerate(r.scalars)))
    bound = r.sign * total + r.offset
    return bound, _slack(r, x, opens, best_option)


def _slack(r: FullRelaxation, x: np.ndarray, opens: np.ndarray, best_option: np.ndarray) -> Multipliers:
    """``b - A x`` per relaxed row at the relaxed solution (``x``, the chosen modules)."""
    P, G = r.supply.shape
    J, M = r.balance_row.shape[0], r.smelter_cap.size
    coll = r.point >= 0
    sent = np.bincount(r.point[coll] * G + r.grade[coll], weights=x[coll], minlength=P * G).reshape(P, G)
    out = r.from_site >= 0
    shipped = np.bincount(r.from_site[out] * G + r.grade[out], weights=x[out], minlength=J * G).reshape(J, G)
    into = r.into_site >= 0
    taken = np.bincount(r.into_site[into] * G + r.grade[into], weights=x[into], minlength=J * G).reshape(J, G)
    made = np.einsum("jab,ja->jb", r.yields, taken) if r.yields.size else np.zeros((J, G))
    sm = r.into_smelter >= 0
    delivered = np.bincount(r.into_smelter[sm], weights=x[sm], minlength=M)
    blend = np.bincount(r.into_smelter[sm], weights=x[sm] * r.blend[sm], minlength=M)
    z = np.zeros(r.option_site.size)
    z[best_option[opens]] = 1.0
    scalar = np.array([row.rhs - float(row.arc_coef @ x) - float(row.option_coef @ z) for row in r.scalars])
    return Multipliers(
        np.where(r.supply_row, r.supply - sent, 0.0),
        np.where(r.balance_row, made - shipped, 0.0),
        np.where(r.smelter_row, r.smelter_cap - delivered, 0.0),
        np.where(r.blend_row, -blend, 0.0),
        scalar,
    )


def stored_duals(model: NetworkDesignModel, r: FullRelaxation) -> Multipliers | None:
    """The rows' duals held in the constraints' ``pi`` (an LP of the model), in the maximisation form,
    or None when no row has one."""
    cons = model.constraints
    if not any(c.pi is not None for c in cons.values()):
        return None
    return by_name(
        model,
        r,
        {name: r.sign * float(c.pi) for name, c in cons.items() if c.pi is not None and np.isfinite(c.pi)},
    )


def by_name(model: NetworkDesignModel, r: FullRelaxation, values: Mapping[str, float]) -> Multipliers:
    """Multipliers read from ``values`` (maximisation form, by the rows' readable names; a row not
    named gets 0), projected onto the signs its row allows."""

    def get(name: str) -> float:
        return float(values.get(name, 0.0))

    gid = model.grade_ids
    P, J, G = r.supply.shape[0], r.balance_row.shape[0], len(gid)
    return project(
        r,
        Multipliers(
            np.array([[get(f"supply[{p.id},{k}]") for k in gid] for p in model.points]).reshape(P, G),
            np.array([[get(f"balance[{s.id},{k}]") for k in gid] for s in model.sites]).reshape(J, G),
            np.array([get(f"smelter_cap[{m.id}]") for m in model.smelters]),
            np.array([get(f"blend[{m.id}]") for m in model.smelters]),
            np.array([get(row.name) for row in r.scalars]),
        ),
    )


def arc_start(r: FullRelaxation, share: float = 1.0, *, amortise: bool = True) -> Multipliers:
    """:func:`priced_start` with every smelter's capacity at price 0."""
    return priced_start(r, np.zeros(r.smelter_cap.size), share, amortise=amortise)[0]


def priced_start(
    r: FullRelaxation, smelter_price: np.ndarray, share: float = 1.0, *, amortise: bool = True
) -> tuple[Multipliers, np.ndarray]:
    """Multipliers read from the arcs at smelter capacity prices ``smelter_price``, and each smelter's
    load when every tonne takes its best route at those prices.

    A tonne of output at a site is worth its best delivery net of the smelter's price (balance rows), a
    tonne at a yard ``share`` of its best arc at those prices, never less than its best direct haul
    (supply rows; 0 where nothing pays); blend and scalar rows at 0. With ``amortise`` an arc into a
    site first pays the site's cheapest fixed cost per tonne of module capacity: every arc's Lagrangian
    value is then at most that rate and no site's knapsack pays its fixed cost, so the bound is every
    tonne at its best margin net of fixed costs spread over full modules. The loads are what the
    smelter prices' subgradient needs (capacity minus load): this is a function of the 55 smelter
    prices of national5 instead of its 21,000 supply rows, and it moves fast.
    """
    P, G = r.supply.shape
    J, M = r.balance_row.shape[0], r.smelter_cap.size
    price = np.where(r.smelter_row, np.maximum(smelter_price, 0.0), 0.0)
    zero_m = np.zeros(M)
    deliver = np.flatnonzero((r.from_site >= 0) & (r.into_smelter >= 0))
    dv = r.value[deliver] - price[r.into_smelter[deliver]]
    key = r.from_site[deliver] * G + r.grade[deliver]
    top = _first_of_group(key, dv)
    balance = np.zeros(J * G)
    best_m = np.full(J * G, -1, dtype=np.int64)
    balance[key[top]] = dv[top]
    best_m[key[top]] = r.into_smelter[deliver[top]]
    y = project(
        r, Multipliers(np.zeros((P, G)), balance.reshape(J, G), price, zero_m, np.zeros(len(r.scalars)))
    )
    v = arc_values(r, y)
    if amortise:
        rate = np.full(J, np.inf)
        np.minimum.at(rate, r.option_site, np.maximum(-r.option_value, 0.0) / np.maximum(r.option_cap, 1e-9))
        into = r.into_site >= 0
        v[into] -= np.where(np.isfinite(rate), rate, 0.0)[r.into_site[into]]
    coll = np.flatnonzero(r.point >= 0)
    ckey = r.point[coll] * G + r.grade[coll]
    top = _first_of_group(ckey, v[coll])
    best = np.zeros(P * G)
    best[ckey[top]] = np.maximum(v[coll[top]], 0.0)
    direct = coll[r.into_smelter[coll] >= 0]
    best_direct = np.zeros(P * G)
    np.maximum.at(best_direct, r.point[direct] * G + r.grade[direct], v[direct])
    supply = np.maximum(share * best, best_direct).reshape(P, G)
    # each smelter's load: every paying tonne along its best arc, a site's outputs to their best smelters
    arc = coll[top][v[coll[top]] > 0]
    tonnes = r.supply[r.point[arc], r.grade[arc]]
    load = np.zeros(M)
    to_smelter = r.into_smelter[arc] >= 0
    np.add.at(load, r.into_smelter[arc[to_smelter]], tonnes[to_smelter])
    via = arc[r.into_site[arc] >= 0]
    if via.size and r.yields.size:
        out = r.yields[r.into_site[via], r.grade[via], :] * r.supply[r.point[via], r.grade[via]][:, None]
        ms = best_m.reshape(J, G)[r.into_site[via]]
        ok = ms >= 0
        np.add.at(load, ms[ok], out[ok])
    return project(r, Multipliers(supply, y.balance, price, zero_m, y.scalar)), load


def _first_of_group(key: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Index (into ``key``) of the largest ``value`` of each distinct ``key``."""
    if key.size == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((-value, key))
    ks = key[order]
    first: np.ndarray = order[np.concatenate([[True], ks[1:] != ks[:-1]])]
    return first


def time_budget(limit_s: float, left_s: float) -> float:
    """Seconds the pipeline gives the bound in a stage of ``limit_s`` with ``left_s`` left."""
    return max(TIME_MIN_S, min(TIME_SHARE * limit_s, TIME_MAX_S, left_s))


def full_network_bound(
    model: NetworkDesignModel,
    time_limit_s: float,
    *,
    incumbent: float | None = None,
    cancel: CancelToken | None = None,
    multipliers: Mapping[str, float] | None = None,
) -> FullBound | None:
    """The best full-network bound found within ``time_limit_s`` (None: the relaxation does not apply).

    Starts from the stored LP duals (when an LP of the model left them) and from :func:`arc_start` at a
    few shares, keeps the best, then takes subgradient steps on the supply and smelter rows aimed at
    ``incumbent`` (Polyak's step; without one, 1 % past the bound). Every value evaluated is a valid
    bound (module docstring); the best is returned.
    """
    t0 = time.monotonic()
    r = relaxation(model)
    if r is None:
        return None
    starts: list[tuple[Multipliers, bool]] = []
    duals = stored_duals(model, r)
    if duals is not None:
        starts.append((duals, True))
    if multipliers is not None:
        starts.append((by_name(model, r, multipliers), True))
    starts.append((arc_start(r), False))
    starts.append((arc_start(r, amortise=False), False))
    best: tuple[float, Multipliers, Multipliers] | None = None
    from_duals = False
    evaluations = 0
    for y, is_dual in starts:  # each start is evaluated: LP duals may be far worse than the arcs' start
        bound, g = evaluate(r, y)
        evaluations += 1
        if best is None or r.sign * bound < r.sign * best[0]:
            best, from_duals = (bound, project(r, y), g), is_dual
    assert best is not None
    # the smelters' capacity prices first (a few dozen numbers), each step a start read from the arcs
    price = np.zeros(r.smelter_cap.size)
    theta, stale = SMELTER_STEP_START, 0
    best_price = price
    _, load = priced_start(r, price)
    while time.monotonic() - t0 < SMELTER_SHARE * time_limit_s and not is_cancelled(cancel):
        # a smelter with room and price 0 cannot go lower: its component would only shrink the step
        g_m = np.where(r.smelter_row, r.smelter_cap - load, 0.0)
        g_m = np.where((price <= 0) & (g_m > 0), 0.0, g_m)
        norm = float(g_m @ g_m)
        if norm <= 1e-18:
            break
        current = r.sign * best[0]
        aim = r.sign * incumbent if incumbent is not None else current - 0.01 * max(abs(current), 1.0)
        price = np.maximum(
            price - theta * max(current - aim, 1e-9 * max(abs(current), 1.0)) / norm * g_m, 0.0
        )
        y, load = priced_start(r, price)
        bound, g = evaluate(r, y)
        evaluations += 1
        if r.sign * bound < r.sign * best[0]:
            best, from_duals, best_price, stale = (bound, project(r, y), g), False, price, 0
        else:
            stale += 1
            if stale >= PATIENCE:
                theta, stale = theta / 2.0, 0
                price = best_price
                _, load = priced_start(r, price)
    theta, stale = STEP_START, 0
    y, g, here = best[1], best[2], best[0]
    while time.monotonic() - t0 < time_limit_s and not is_cancelled(cancel):
        # the projected direction: a multiplier at 0 that the step would push negative stays (LE rows)
        g_sup = np.where((y.supply <= 0) & (g.supply > 0) & ~r.supply_eq, 0.0, g.supply)
        g_smc = np.where((y.smelter <= 0) & (g.smelter > 0), 0.0, g.smelter)
        g = Multipliers(g_sup, g.balance, g_smc, g.blend, g.scalar)
        norm = float((g.supply**2).sum() + (g.smelter**2).sum())
        if norm <= 1e-18:
            break
        current = r.sign * here
        aim = r.sign * incumbent if incumbent is not None else current - 0.01 * max(abs(current), 1.0)
        step = theta * max(current - aim, 1e-9 * max(abs(current), 1.0)) / norm
        y = Multipliers(
            y.supply - step * g.supply, y.balance, y.smelter - step * g.smelter, y.blend, y.scalar
        )
        here, g = evaluate(r, y)
        y = project(r, y)
        evaluations += 1
        if r.sign * here < r.sign * best[0]:
            best, stale = (here, y, g), 0
        else:
            stale += 1
            if stale >= PATIENCE:
                theta, stale = theta / 2.0, 0
                y, g, here = best[1], best[2], best[0]
    return FullBound(best[0], evaluations, time.monotonic() - t0, from_duals)


__all__ = [
    "FullBound",
    "FullRelaxation",
    "Multipliers",
    "ScalarRow",
    "arc_start",
    "arc_values",
    "by_name",
    "evaluate",
    "full_network_bound",
    "priced_start",
    "project",
    "relaxation",
    "stored_duals",
    "time_budget",
]
